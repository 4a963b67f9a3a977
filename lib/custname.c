/*
 * Customer name keys for the audit's name_duplicate check.  utf8proc
 * does the compatibility normalisation, case folding and character
 * categories; OpenCC the traditional to simplified conversion.
 */
#include <stdlib.h>
#include <string.h>

#include <opencc/opencc.h>
#include <utf8proc.h>

#include "buf.h"
#include "custname.h"
#include "diag.h"
#include "rules.h"
#include "xalloc.h"

struct custname {
	opencc_t	  cc;		/* (opencc_t)-1 when unavailable */
	char		**suffix;	/* keys, longest first */
	size_t		  nsuffix;
};

/*
 * Append s without separators, punctuation, symbols and controls.  When
 * words is not NULL it gets a byte per byte of out: 1 where a word
 * starts, after a dropped character (Zinc Inc. -> zinc|inc).
 */
static void
strip_marks(struct buf *out, struct buf *words, const char *s, size_t n)
{
	utf8proc_ssize_t len;
	utf8proc_int32_t cp;
	size_t i, j;
	int gap = 1;

	for (i = 0; i < n; i += (size_t)len) {
		len = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
		    (utf8proc_ssize_t)(n - i), &cp);
		if (len <= 0) {
			len = 1;	/* not UTF-8: keep the byte */
			buf_addc(out, (unsigned char)s[i]);
			if (words != NULL)
				buf_addc(words, gap);
			gap = 0;
			continue;
		}
		switch (utf8proc_category(cp)) {
		case UTF8PROC_CATEGORY_ZS:
		case UTF8PROC_CATEGORY_ZL:
		case UTF8PROC_CATEGORY_ZP:
		case UTF8PROC_CATEGORY_PC:
		case UTF8PROC_CATEGORY_PD:
		case UTF8PROC_CATEGORY_PS:
		case UTF8PROC_CATEGORY_PE:
		case UTF8PROC_CATEGORY_PI:
		case UTF8PROC_CATEGORY_PF:
		case UTF8PROC_CATEGORY_PO:
		case UTF8PROC_CATEGORY_SM:
		case UTF8PROC_CATEGORY_SC:
		case UTF8PROC_CATEGORY_SK:
		case UTF8PROC_CATEGORY_SO:
		case UTF8PROC_CATEGORY_CC:
		case UTF8PROC_CATEGORY_CF:
			gap = 1;
			break;
		default:
			buf_add(out, s + i, (size_t)len);
			for (j = 0; words != NULL && j < (size_t)len; j++)
				buf_addc(words, j == 0 && gap);
			gap = 0;
			break;
		}
	}
}

/* The key before suffixes come off; words as for strip_marks(). */
static void
base_key(const struct custname *c, struct buf *out, struct buf *words,
    const char *name)
{
	utf8proc_uint8_t *folded = NULL;
	utf8proc_ssize_t n;
	char *simp = NULL;
	const char *s;
	size_t len;

	n = utf8proc_map((const utf8proc_uint8_t *)name, 0, &folded,
	    UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
	    UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);
	if (n < 0) {
		/* Not UTF-8: compare the bytes as they are. */
		s = name;
		len = strlen(name);
	} else {
		s = (const char *)folded;
		len = (size_t)n;
	}
	if (c->cc != (opencc_t)-1 &&
	    (simp = opencc_convert_utf8(c->cc, s, len)) != NULL) {
		strip_marks(out, words, simp, strlen(simp));
		opencc_convert_utf8_free(simp);
	} else
		strip_marks(out, words, s, len);
	free(folded);
}

static int
longest_first(const void *x, const void *y)
{
	const char *a = *(char *const *)x, *b = *(char *const *)y;
	size_t la = strlen(a), lb = strlen(b);

	if (la != lb)
		return la > lb ? -1 : 1;
	return strcmp(a, b);
}

struct custname *
custname_new(const char *dir)
{
	struct custname *c;
	struct rtable *t;
	struct buf k = {0};
	size_t i;
	int col;

	if ((t = rules_load(dir, "names.csv")) == NULL)
		return NULL;
	if ((col = rtable_need(t, "suffix")) < 0) {
		rtable_free(t);
		return NULL;
	}
	c = xcalloc(1, sizeof(*c));
	c->cc = opencc_open(OPENCC_DEFAULT_CONFIG_TRAD_TO_SIMP);
	c->suffix = xcalloc(t->nrows + 1, sizeof(*c->suffix));
	for (i = 0; i < t->nrows; i++) {
		buf_reset(&k);
		base_key(c, &k, NULL, rtable_get(t, i, col));
		if (k.len == 0) {
			rtable_error(t, i, col, "suffix '%s' is only white "
			    "space or punctuation",
			    diag_val(rtable_get(t, i, col)));
			buf_free(&k);
			rtable_free(t);
			custname_free(c);
			return NULL;
		}
		c->suffix[c->nsuffix++] = xstrndup(k.s, k.len);
	}
	buf_free(&k);
	rtable_free(t);
	qsort(c->suffix, c->nsuffix, sizeof(*c->suffix), longest_first);
	return c;
}

void
custname_free(struct custname *c)
{
	size_t i;

	if (c == NULL)
		return;
	if (c->cc != (opencc_t)-1 && c->cc != NULL)
		opencc_close(c->cc);
	for (i = 0; i < c->nsuffix; i++)
		free(c->suffix[i]);
	free(c->suffix);
	free(c);
}

static int
is_alnum(unsigned char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z');
}

void
custname_key(struct custname *c, struct buf *out, const char *name)
{
	struct buf k = {0}, words = {0};
	size_t i, n, at;

	base_key(c, &k, &words, name != NULL ? name : "");
	/*
	 * Suffixes come off one by one: 华东机电(集团)有限公司 -> 华东机电.
	 * One that starts with a Latin letter or digit only as a word of
	 * its own, or right after a Chinese character: Zinc keeps its inc.
	 */
	for (i = 0; i < c->nsuffix; i++) {
		n = strlen(c->suffix[i]);
		if (k.len <= n || memcmp(k.s + k.len - n, c->suffix[i], n) !=
		    0)
			continue;
		at = k.len - n;
		if (is_alnum((unsigned char)c->suffix[i][0]) && !words.s[at] &&
		    is_alnum((unsigned char)k.s[at - 1]))
			continue;
		buf_truncate(&k, at);
		i = (size_t)-1;	/* from the longest again */
	}
	buf_add(out, k.s != NULL ? k.s : "", k.len);
	buf_free(&k);
	buf_free(&words);
}
