/*
 * Customer voice matching: load voc.csv and its lexicon, compile every
 * phrase into one vectorscan database, normalise texts (utf8proc,
 * OpenCC) keeping a map back to the original characters, and decide
 * which matches count (exclusions, negators in a short window, A-not-A
 * questions, cancelling phrases, scope).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hs/hs.h>
#include <opencc/opencc.h>
#include <utf8proc.h>

#include "buf.h"
#include "cond.h"
#include "diag.h"
#include "hash.h"
#include "hmap.h"
#include "rules.h"
#include "voc.h"
#include "vocp.h"
#include "xalloc.h"

/* What a scan does with the rules: see voc_load(). */
#define SCAN_GENERATION	"scan generation 2\n"

/* A negator counts when it ends at most this many characters before. */
#define NEG_WINDOW 3

static int
parse_int(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	if (*s == '\0')
		return -1;
	v = strtol(s, &end, 10);
	if (*end != '\0' || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* The characters of s[0..n): its bytes that are not continuations. */
static long
nchars(const char *s, size_t n)
{
	const uint64_t hi = 0x8080808080808080ULL;
	uint64_t w;
	long c = (long)n;
	size_t i = 0;

	/*
	 * Eight bytes at a time: a continuation has bit 7 but not 6.  The
	 * marks, one bit a byte moved to bit 0, are summed into the top
	 * byte by the multiplication.
	 */
	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, sizeof(w));
		w = (w & ~(w << 1) & hi) >> 7;
		c -= (long)((w * 0x0101010101010101ULL) >> 56);
	}
	for (; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) == 0x80)
			c--;
	return c;
}

/* Convert with OpenCC; NULL when unavailable.  The caller frees. */
static char *
t2s(const struct voc *v, const char *s, size_t n)
{
	char *c, *r;

	if (v->cc == NULL)
		return NULL;
	if ((c = opencc_convert_utf8((opencc_t)v->cc, s, n)) == NULL)
		return NULL;
	r = xstrdup(c);
	opencc_convert_utf8_free(c);
	return r;
}

static int
has_high(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 1;
	return 0;
}

/*
 * Does OpenCC change the ideograph cp (U+4E00 to U+9FFF) on its own?
 * Texts with none of them skip the conversion, which costs far more
 * than the matching.  OpenCC is asked once per character, the first
 * time one is met: asking for the whole block at once marks the same
 * characters, but costs more than scanning a few thousand texts.
 */
static void
ask_trad(const struct voc *v, utf8proc_int32_t cp)
{
	unsigned char bit = (unsigned char)(1 << (cp & 7));
	utf8proc_uint8_t u[8];
	utf8proc_ssize_t k;
	char *c;

	k = utf8proc_encode_char(cp, u);
	u[k] = '\0';
	c = opencc_convert_utf8((opencc_t)v->cc, (const char *)u, (size_t)k);
	if (c == NULL || strcmp(c, (const char *)u) != 0)
		v->trad[cp >> 3] |= bit;
	else
		v->simple[cp >> 3] |= bit;
	if (c != NULL)
		opencc_convert_utf8_free(c);
	v->asked[cp >> 3] |= bit;
}

static inline int
is_trad(const struct voc *v, utf8proc_int32_t cp)
{
	if (!(v->asked[cp >> 3] & (1 << (cp & 7))))
		ask_trad(v, cp);
	return (v->trad[cp >> 3] & (1 << (cp & 7))) != 0;
}

/* Might OpenCC change a character of s (utf8proc's output)? */
static int
may_convert(const struct voc *v, const utf8proc_uint8_t *s)
{
	utf8proc_int32_t cp;
	utf8proc_ssize_t k;

	for (; *s != '\0'; s += k) {
		if ((k = utf8proc_iterate(s, -1, &cp)) <= 0)
			return 1;
		if (cp >= 0x4E00 && cp <= 0x9FFF) {
			if (is_trad(v, cp))
				return 1;
		} else if ((cp >= 0x3400 && cp < 0x4E00) ||
		    (cp >= 0xF900 && cp <= 0xFAFF) || cp >= 0x20000)
			return 1;
	}
	return 0;
}

#define NORM_FLAGS (UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | \
	UTF8PROC_CASEFOLD)

/* A character's normal form, kept for the next time it occurs. */
struct ncp {
	char	*s;
	size_t	 len;
	int	 may_cc;	/* OpenCC might change it */
};

/*
 * The normal form of the one character p[0..k): NFKC and case folded by
 * utf8proc, or the character itself when utf8proc refuses it.  With a
 * cache, the answer is kept there; without, tmp holds it and the caller
 * frees tmp->s.
 */
static const struct ncp *
norm_char(const struct voc *v, struct hmap *cache,
    const utf8proc_uint8_t *p, utf8proc_ssize_t k, utf8proc_int32_t cp,
    struct ncp *tmp)
{
	utf8proc_uint8_t *m;
	struct ncp *c;
	intptr_t val;

	if (cache != NULL && cp < 0x10000 && v != NULL && v->nbmp != NULL &&
	    v->nbmp[cp] != NULL)
		return v->nbmp[cp];
	if (cache != NULL && hmap_get(cache, (const char *)p, (size_t)k,
	    &val))
		return (const struct ncp *)val;
	if (utf8proc_map(p, k, &m, NORM_FLAGS) >= 0) {
		tmp->s = (char *)m;
		tmp->len = strlen(tmp->s);
		tmp->may_cc = v != NULL && v->trad != NULL &&
		    may_convert(v, m);
	} else {
		tmp->s = xstrndup((const char *)p, (size_t)k);
		tmp->len = (size_t)k;
		tmp->may_cc = 0;
	}
	if (cache == NULL)
		return tmp;
	c = xmalloc(sizeof(*c));
	*c = *tmp;
	hmap_put(cache, (const char *)p, (size_t)k, (intptr_t)c);
	/* The map owns c; the table is a faster way to it. */
	if (v != NULL && v->nbmp != NULL && cp < 0x10000)
		v->nbmp[cp] = c;
	return c;
}

/* Room for n more bytes in b and in oc, and the terminating ones. */
static void
norm_room(struct buf *b, long **oc, size_t *occap, size_t n)
{
	if (b->len + n + 1 > b->cap)
		b->s = xgrow(b->s, &b->cap, b->len + n + 1, 1);
	if (b->len + n + 1 > *occap)
		*oc = xgrow(*oc, occap, b->len + n + 1, sizeof(**oc));
}

/*
 * Is p[i..] an ideograph of U+4E00 to U+9FFF: a lead byte E4 (with a
 * second byte of B8 or more) to E9, and two continuation bytes?
 */
#define IS_IDEO(p, i, len) ((i) + 2 < (len) && (p)[i] >= 0xE4 && \
	(p)[i] <= 0xE9 && ((p)[(i) + 1] & 0xC0) == 0x80 && \
	((p)[(i) + 2] & 0xC0) == 0x80 && ((p)[i] != 0xE4 || \
	(p)[(i) + 1] >= 0xB8))

/*
 * Normalise s into b, with (*ocp)[j] the index of the original
 * character byte j of the result comes from, and (*ocp)[b->len] the
 * number of characters.  ASCII (lower-cased) and the ideographs of
 * U+4E00 to U+9FFF (unchanged by NFKC and case folding) are copied a
 * byte at a time; every other character goes through utf8proc, once
 * per distinct character when cache is given.
 */
static void
normalize(const struct voc *v, struct hmap *cache, const char *s,
    struct buf *b, long **ocp, size_t *occap)
{
	struct buf o = {0};
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	const struct ncp *c;
	struct ncp tmp;
	utf8proc_int32_t cp;
	utf8proc_ssize_t k;
	size_t len = strlen(s), i = 0, j, at, q, nb, n;
	long ci = 0, *oc, *oc2;
	char *conv, *out, one[8];
	int need_cc = v != NULL && v->cc != NULL && v->trad == NULL;
	int chk = v != NULL && v->trad != NULL;
	const unsigned char *simple = chk ? v->simple : NULL;
	unsigned u;

	b->len = 0;
	/* Room for a result as long as s; longer ones grow below. */
	norm_room(b, ocp, occap, len);
	oc = *ocp;
	/*
	 * out and n stand for b->s and b->len in the loop: a store through
	 * a char pointer would otherwise make the compiler reload them.
	 */
	out = b->s;
	n = 0;
	while (i < len) {
		at = n;
		if (p[i] < 0x80) {
			out[n++] = (char)(p[i] >= 'A' && p[i] <= 'Z' ?
			    p[i] + 32 : p[i]);
			oc[at] = ci;
			i++;
		} else if (IS_IDEO(p, i, len)) {
			/* A run of them, as texts are mostly ideographs. */
			do {
				u = (unsigned)(p[i] & 0x0F) << 12 |
				    (unsigned)(p[i + 1] & 0x3F) << 6 |
				    (unsigned)(p[i + 2] & 0x3F);
				out[n] = (char)p[i];
				out[n + 1] = (char)p[i + 1];
				out[n + 2] = (char)p[i + 2];
				oc[n] = oc[n + 1] = oc[n + 2] = ci++;
				n += 3;
				i += 3;
				/* Known simplified: one bit; else ask, once. */
				if (chk && !need_cc && !(simple[u >> 3] &
				    (1U << (u & 7))) &&
				    is_trad(v, (utf8proc_int32_t)u))
					need_cc = 1;
			} while (IS_IDEO(p, i, len));
			continue;
		} else {
			k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i),
			    &cp);
			if (k < 0) {
				out[n++] = (char)p[i];
				oc[at] = ci;
				k = 1;
			} else {
				c = norm_char(v, cache, p + i, k, cp, &tmp);
				b->len = n;
				norm_room(b, ocp, occap, c->len + len - i);
				oc = *ocp;
				out = b->s;
				memcpy(out + at, c->s, c->len);
				n += c->len;
				for (j = at; j < n; j++)
					oc[j] = ci;
				if (c->may_cc)
					need_cc = 1;
				if (c == &tmp)
					free(tmp.s);
			}
			i += (size_t)k;
		}
		ci++;
	}
	b->len = n;
	b->s[b->len] = '\0';
	oc[b->len] = ci;
	/*
	 * Traditional to simplified: OpenCC keeps the number of characters
	 * nearly always; then characters map one to one.  Otherwise convert
	 * character by character.
	 */
	if (need_cc && has_high(b->s, b->len)) {
		conv = t2s(v, b->s, b->len);
		if (conv != NULL && nchars(conv, strlen(conv)) ==
		    nchars(b->s, b->len)) {
			nb = strlen(conv);
			oc2 = xmalloc((nb + 1) * sizeof(*oc2));
			/* Walk both strings a character at a time. */
			for (j = 0, q = 0; j < nb; j++) {
				if (j > 0 &&
				    ((unsigned char)conv[j] & 0xC0) != 0x80)
					for (q++; q < b->len &&
					    ((unsigned char)b->s[q] & 0xC0) ==
					    0x80; q++)
						;
				oc2[j] = oc[q < b->len ? q : b->len];
			}
			oc2[nb] = ci;
			free(b->s);
			b->s = conv;
			b->len = nb;
			b->cap = nb + 1;
			free(oc);
			oc = oc2;
			*occap = nb + 1;
		} else {
			free(conv);
			for (j = 0; j < b->len; j += q) {
				for (q = 1; j + q < b->len &&
				    ((unsigned char)b->s[j + q] & 0xC0) == 0x80;
				    q++)
					;
				memcpy(one, b->s + j, q);
				one[q] = '\0';
				at = o.len;
				conv = q > 1 ? t2s(v, one, q) : NULL;
				buf_adds(&o, conv != NULL ? conv : one);
				free(conv);
				oc = xgrow(oc, occap, b->len + o.len + 2,
				    sizeof(*oc));
				/* oc of the output kept after the input's. */
				for (nb = at; nb < o.len; nb++)
					oc[b->len + 1 + nb] = oc[j];
			}
			oc2 = xmalloc((o.len + 1) * sizeof(*oc2));
			memcpy(oc2, oc + b->len + 1, o.len * sizeof(*oc2));
			oc2[o.len] = ci;
			free(oc);
			oc = oc2;
			*occap = o.len + 1;
			free(b->s);
			*b = o;
			if (b->s == NULL)
				buf_adds(b, "");
		}
	}
	*ocp = oc;
}

/*
 * The end of the run from p[i] of characters that normalise to
 * themselves and that OpenCC leaves: ASCII other than capitals, and
 * ideographs marked in simple (U+4E00 to U+9FFF only: those of lead
 * bytes E4 to E9 below U+4E00 have no mark).  *nch counts them.  p[len]
 * is the string's NUL, which no continuation byte test lets by.
 */
static size_t
plain_end(const unsigned char *p, size_t i, size_t len,
    const unsigned char *simple, long *nch)
{
	unsigned c0, c1, c2, u;
	long n = 0;

	while (i < len) {
		c0 = p[i];
		if (c0 < 0x80) {
			if (c0 - 'A' < 26)
				break;
			i++;
		} else {
			if (c0 - 0xE4 > 5 || (c1 = p[i + 1] ^ 0x80) > 0x3F ||
			    (c2 = p[i + 2] ^ 0x80) > 0x3F)
				break;
			u = (c0 & 0x0F) << 12 | c1 << 6 | c2;
			if (!(simple[u >> 3] & (1U << (u & 7))))
				break;
			i += 3;
		}
		n++;
	}
	*nch += n;
	return i;
}

/*
 * Append to b the normal form of s as normalize() makes it, when no
 * character of s needs OpenCC and all of it is UTF-8: then it is the
 * original's characters, ASCII lower-cased and ideographs as they are,
 * except for the other characters whose normal form differs, each added
 * to pc (at counted from the start of the form).  Runs of characters
 * that stay as they are are only looked at, then copied whole; there is
 * no map of every byte to build (char_at() counts).  -1 when normalize()
 * must do it; b and pc then hold the start of the form.
 */
static int
norm_fast(struct voc *v, const char *s, struct buf *b, struct vpieces *pc)
{
	const unsigned char *p = (const unsigned char *)s;
	const struct ncp *c;
	struct ncp tmp;
	struct vseg *g;
	utf8proc_int32_t cp;
	utf8proc_ssize_t k;
	size_t len = strlen(s), i = 0, run = 0, n = b->len, at = b->len;
	long ci = 0;

	if (n + len + 1 > b->cap)
		b->s = xgrow(b->s, &b->cap, n + len + 1, 1);
	for (;;) {
		if ((i = plain_end(p, i, len, v->simple, &ci)) >= len)
			break;
		if (p[i] >= 'A' && p[i] <= 'Z') {
			/* The same length: no piece to remember. */
			memcpy(b->s + n, s + run, i - run);
			n += i - run;
			b->s[n++] = (char)(p[i] + 32);
			run = ++i;
			ci++;
			continue;
		}
		if (IS_IDEO(p, i, len)) {
			/* Not known to be simplified: ask OpenCC, once. */
			if (is_trad(v, (utf8proc_int32_t)((p[i] & 0x0F) << 12 |
			    (p[i + 1] & 0x3F) << 6 | (p[i + 2] & 0x3F))))
				return -1;
			i += 3;
			ci++;
			continue;
		}
		/*
		 * A character of two or three bytes met before has its form
		 * in nbmp: that of its one encoding without overlong form,
		 * which utf8proc took then.  Others go through utf8proc.
		 */
		c = NULL;
		if (p[i] >= 0xC2 && p[i] <= 0xDF && i + 1 < len &&
		    (p[i + 1] & 0xC0) == 0x80) {
			k = 2;
			c = v->nbmp[(p[i] & 0x1F) << 6 | (p[i + 1] & 0x3F)];
		} else if (p[i] >= 0xE0 && p[i] <= 0xEF && i + 2 < len &&
		    (p[i + 1] & 0xC0) == 0x80 && (p[i + 2] & 0xC0) == 0x80) {
			k = 3;
			cp = (p[i] & 0x0F) << 12 | (p[i + 1] & 0x3F) << 6 |
			    (p[i + 2] & 0x3F);
			if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF))
				c = v->nbmp[cp];
		}
		if (c == NULL) {
			if ((k = utf8proc_iterate(p + i,
			    (utf8proc_ssize_t)(len - i), &cp)) < 0)
				return -1;
			/* With a cache, never tmp. */
			c = norm_char(v, v->ncache, p + i, k, cp, &tmp);
		}
		if (c->may_cc)
			return -1;
		i += (size_t)k;
		ci++;
		if (c->len == (size_t)k && memcmp(c->s, p + i - k,
		    (size_t)k) == 0)
			continue;
		memcpy(b->s + n, s + run, i - k - run);
		n += i - k - run;
		run = i;
		if (n + c->len + len - i + 1 > b->cap)
			b->s = xgrow(b->s, &b->cap, n + c->len + len - i + 1,
			    1);
		if (pc->n + 1 > pc->cap)
			pc->g = xgrow(pc->g, &pc->cap, pc->n + 1,
			    sizeof(*pc->g));
		g = &pc->g[pc->n++];
		g->at = n - at;
		g->len = c->len;
		g->ci = ci - 1;
		memcpy(b->s + n, c->s, c->len);
		n += c->len;
	}
	memcpy(b->s + n, s + run, len - run);
	n += len - run;
	b->s[n] = '\0';
	b->len = n;
	return 0;
}

/*
 * A text being decided: its normal form, s[at..end), the matches in it
 * (offsets in s), and the way back to the original: oc per byte of the
 * form, or else its pieces.
 */
struct vtext {
	const char		*orig;
	const char		*s;
	size_t			 at, end;
	const struct vmatch	*m;
	size_t			 nm;
	const long		*oc;
	const struct vseg	*seg;
	size_t			 nseg;
};

/*
 * The character of the original text of x that byte j of x->s comes
 * from: its map when there is one, else counted from the piece before.
 */
static long
char_at(const struct vtext *x, size_t j)
{
	const struct vseg *g;
	const char *s = x->s + x->at;
	size_t i, from = 0;
	long ci = 0;

	j -= x->at;
	if (x->oc != NULL)
		return x->oc[j];
	for (i = x->nseg; i > 0; i--) {
		g = &x->seg[i - 1];
		if (g->at <= j) {
			if (j < g->at + g->len)
				return g->ci;
			from = g->at + g->len;
			ci = g->ci + 1;
			break;
		}
	}
	/* The characters that start up to j, the one holding j last. */
	return ci + nchars(s + from, j + 1 - from) - 1;
}

char *
voc_normalize(const struct voc *v, const char *s, long **ocp)
{
	struct buf b = {0};
	long *oc = NULL;
	size_t cap = 0;

	normalize(v, NULL, s, &b, &oc, &cap);
	if (ocp != NULL)
		*ocp = oc;
	else
		free(oc);
	return buf_take(&b);
}

/* Split a|b|c into normalised phrases added with role and rule. */
static int
add_phrases(struct voc *v, const struct rtable *t, size_t r, int c,
    int role, long rule)
{
	const char *s = rtable_get(t, r, c), *e;
	char *ph, *n;

	if (c < 0 || *s == '\0')
		return 0;
	for (;;) {
		e = strchr(s, '|');
		ph = xstrndup(s, e != NULL ? (size_t)(e - s) : strlen(s));
		n = voc_normalize(v, ph, NULL);
		free(ph);
		if (*n == '\0') {
			rtable_error(t, r, c, "empty phrase in '%s'",
			    diag_val(rtable_get(t, r, c)));
			free(n);
			return -1;
		}
		v->pat = xgrow(v->pat, &v->patcap, v->npat + 1,
		    sizeof(*v->pat));
		v->pat[v->npat].text = n;
		v->pat[v->npat].len = strlen(n);
		v->pat[v->npat].role = role;
		v->pat[v->npat].rule = rule;
		v->npat++;
		if (role == ROLE_ALL && rule >= 0)
			v->rules[rule].nall++;
		if (e == NULL)
			break;
		s = e + 1;
	}
	return 0;
}

static int
load_lexicon(struct voc *v, const char *dir)
{
	struct rtable *t;
	int ck, cp, role, rc = 0;
	size_t r;
	const char *k;

	if ((t = rules_load(dir, "voc-lexicon.csv")) == NULL)
		return -1;
	if ((ck = rtable_need(t, "kind")) < 0 ||
	    (cp = rtable_need(t, "phrases")) < 0) {
		rtable_free(t);
		return -1;
	}
	for (r = 0; r < t->nrows; r++) {
		k = rtable_get(t, r, ck);
		if (strcmp(k, "negator") == 0)
			role = ROLE_NEG;
		else if (strcmp(k, "non-negator") == 0)
			role = ROLE_NONNEG;
		else if (strcmp(k, "exclude") == 0)
			role = ROLE_EXCL;
		else {
			rtable_error(t, r, ck, "unknown kind '%s' (negator, "
			    "non-negator or exclude)", diag_val(k));
			rc = -1;
			continue;
		}
		if (add_phrases(v, t, r, cp, role, -1) < 0)
			rc = -1;
	}
	rtable_free(t);
	return rc;
}

static void
digest_add(struct buf *d, const struct rtable *t)
{
	size_t r, c;

	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols; c++) {
			buf_adds(d, t->cols[c]);
			buf_addc(d, '=');
			buf_adds(d, t->rows[r].cells[c]);
			buf_addc(d, c + 1 < t->ncols ? '\t' : '\n');
		}
}

static int
load_rules(struct voc *v, const char *dir, struct buf *digest)
{
	struct rtable *t;
	struct voc_rule *ru;
	int ci, cany, call, cnone, cscope, ctag, cpb, ctask, cdue, cpri, cneg;
	int rc = 0;
	size_t r, k;
	long n;
	char origin[1100];

	if ((t = rules_load(dir, "voc.csv")) == NULL)
		return -1;
	v->path = xstrdup(t->path);
	if ((ci = rtable_need(t, "id")) < 0 || (cany = rtable_need(t,
	    "any")) < 0 || (ctag = rtable_need(t, "tag")) < 0) {
		rtable_free(t);
		return -1;
	}
	call = rtable_col(t, "all");
	cnone = rtable_col(t, "none");
	cscope = rtable_col(t, "scope");
	cpb = rtable_col(t, "playbook");
	ctask = rtable_col(t, "task");
	cdue = rtable_col(t, "due");
	cpri = rtable_col(t, "priority");
	cneg = rtable_col(t, "negation");
	digest_add(digest, t);
	v->rules = xcalloc(t->nrows + 1, sizeof(*v->rules));
	for (r = 0; r < t->nrows; r++) {
		ru = &v->rules[v->nrules];
		ru->id = xstrdup(rtable_get(t, r, ci));
		ru->tag = xstrdup(rtable_get(t, r, ctag));
		ru->playbook = xstrdup(rtable_get(t, r, cpb));
		ru->task = xstrdup(rtable_get(t, r, ctask));
		ru->line = t->rows[r].line;
		v->nrules++;
		if (*ru->id == '\0') {
			rtable_error(t, r, ci, "a rule needs an id");
			rc = -1;
		}
		for (k = 0; k + 1 < v->nrules; k++)
			if (strcmp(v->rules[k].id, ru->id) == 0) {
				rtable_error(t, r, ci, "rule '%s' is listed "
				    "twice (line %ld)", diag_val(ru->id),
				    v->rules[k].line);
				rc = -1;
			}
		if (*ru->tag == '\0') {
			rtable_error(t, r, ctag, "rule '%s' has no tag",
			    diag_val(ru->id));
			rc = -1;
		}
		if (*rtable_get(t, r, cany) == '\0') {
			rtable_error(t, r, cany, "rule '%s' has no phrase in "
			    "'any'", diag_val(ru->id));
			rc = -1;
		}
		ru->due = 5;
		if (*rtable_get(t, r, cdue) != '\0') {
			if (parse_int(rtable_get(t, r, cdue), 0, 250, &n) < 0) {
				rtable_error(t, r, cdue, "due '%s' is not a "
				    "number of business days (0 to 250)",
				    diag_val(rtable_get(t, r, cdue)));
				rc = -1;
			} else
				ru->due = (int)n;
		}
		if (*rtable_get(t, r, cpri) != '\0') {
			if (parse_int(rtable_get(t, r, cpri), -1000, 1000,
			    &n) < 0) {
				rtable_error(t, r, cpri, "priority '%s' is not "
				    "a whole number", diag_val(rtable_get(t,
				    r, cpri)));
				rc = -1;
			} else
				ru->priority = (int)n;
		}
		if (strcmp(rtable_get(t, r, cneg), "ignore") == 0)
			ru->neg_ignore = 1;
		else if (*rtable_get(t, r, cneg) != '\0' &&
		    strcmp(rtable_get(t, r, cneg), "cancels") != 0) {
			rtable_error(t, r, cneg, "negation '%s' is not "
			    "'cancels' or 'ignore'",
			    diag_val(rtable_get(t, r, cneg)));
			rc = -1;
		}
		if (add_phrases(v, t, r, cany, ROLE_ANY, (long)r) < 0 ||
		    add_phrases(v, t, r, call, ROLE_ALL, (long)r) < 0 ||
		    add_phrases(v, t, r, cnone, ROLE_NONE, (long)r) < 0)
			rc = -1;
		if (*rtable_get(t, r, cscope) != '\0') {
			if (v->env == NULL) {
				ru->scope_never = 1;
				continue;
			}
			snprintf(origin, sizeof(origin), "%s:%ld", v->path,
			    ru->line);
			if ((ru->scope = cond_compile(v->env,
			    rtable_get(t, r, cscope), origin, "scope")) ==
			    NULL)
				rc = -1;
		}
	}
	rtable_free(t);
	return rc;
}

static int
compile_db(struct voc *v)
{
	const char **ex;
	unsigned int *flags, *ids;
	size_t *lens, i;
	hs_compile_error_t *err = NULL;
	int rc = 0;

	if (v->npat == 0)
		return 0;
	ex = xcalloc(v->npat, sizeof(*ex));
	flags = xcalloc(v->npat, sizeof(*flags));
	ids = xcalloc(v->npat, sizeof(*ids));
	lens = xcalloc(v->npat, sizeof(*lens));
	for (i = 0; i < v->npat; i++) {
		ex[i] = v->pat[i].text;
		lens[i] = v->pat[i].len;
		/*
		 * Literals: a match of one starts its length before its
		 * end, so vectorscan need not track starts (which costs
		 * more than the rest of the scan).
		 */
		flags[i] = 0;
		ids[i] = (unsigned int)i;
	}
	if (hs_compile_lit_multi(ex, flags, ids, lens, (unsigned int)v->npat,
	    HS_MODE_BLOCK, NULL, &v->hdb, &err) != HS_SUCCESS) {
		diag_error(SX_USAGE, NULL, "%s: cannot compile the phrases: %s",
		    v->path, err != NULL ? err->message : "?");
		hs_free_compile_error(err);
		rc = -1;
	} else if (hs_alloc_scratch(v->hdb, &v->scratch) != HS_SUCCESS) {
		diag_error(SX_SYS, NULL, "%s: cannot allocate scratch space",
		    v->path);
		rc = -1;
	}
	free(ex);
	free(flags);
	free(ids);
	free(lens);
	return rc;
}

struct voc *
voc_load(const char *dir, sqlite3 *h)
{
	struct voc *v = xcalloc(1, sizeof(*v));
	struct buf d = {0};
	opencc_t cc;
	int rc;

	cc = opencc_open(OPENCC_DEFAULT_CONFIG_TRAD_TO_SIMP);
	if (cc != (opencc_t)-1) {
		v->cc = cc;
		v->trad = xcalloc(0x10000 / 8, 1);
		v->asked = xcalloc(0x10000 / 8, 1);
		v->simple = xcalloc(0x10000 / 8, 1);
	} else {
		/* Without OpenCC nothing converts: every ideograph is simple. */
		v->simple = xcalloc(0x10000 / 8, 1);
		memset(v->simple + 0x4E00 / 8, 0xFF, (0xA000 - 0x4E00) / 8);
	}
	if (h != NULL)
		v->env = cond_env_new(h, "voc_customer", "id", NULL);
	rc = load_rules(v, dir, &d);
	if (rc == 0)
		rc = load_lexicon(v, dir);
	if (rc == 0)
		rc = compile_db(v);
	/*
	 * The version is the rules' digest and the generation of what a
	 * scan makes of them.  Generation 2 reads chats by who spoke (a
	 * rep's own message is no customer voice; a customer's gives its
	 * tasks to the rep it was said to): a store scanned before is
	 * scanned under another rule set, and --rescan corrects it.
	 */
	buf_add(&d, SCAN_GENERATION, sizeof(SCAN_GENERATION) - 1);
	hash_id(v->version, 'V', d.s, d.len);
	buf_free(&d);
	if (rc < 0) {
		voc_free(v);
		return NULL;
	}
	v->seen = xcalloc(v->npat + 1, sizeof(*v->seen));
	v->best = xcalloc(v->nrules + 1, sizeof(*v->best));
	v->allok = xcalloc(v->nrules + 1, sizeof(*v->allok));
	v->cancel = xcalloc(v->nrules + 1, sizeof(*v->cancel));
	v->ncache = hmap_new();
	v->nbmp = xcalloc(0x10000, sizeof(*v->nbmp));
	return v;
}

static void
free_ncp(const char *key, intptr_t val, void *arg)
{
	struct ncp *c = (struct ncp *)val;

	(void)key;
	(void)arg;
	free(c->s);
	free(c);
}

void
voc_free(struct voc *v)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < v->nrules; i++) {
		free(v->rules[i].id);
		free(v->rules[i].tag);
		free(v->rules[i].playbook);
		free(v->rules[i].task);
		cond_free(v->rules[i].scope);
	}
	free(v->rules);
	for (i = 0; i < v->npat; i++)
		free(v->pat[i].text);
	free(v->pat);
	buf_free(&v->spans);
	free(v->spanoff);
	free(v->hits);
	free(v->m);
	free(v->seen);
	free(v->best);
	free(v->allok);
	free(v->cancel);
	free(v->cand);
	if (v->ncache != NULL) {
		hmap_each(v->ncache, free_ncp, NULL);
		hmap_free(v->ncache);
	}
	buf_free(&v->norm);
	free(v->oc);
	free(v->seg.g);
	buf_free(&v->bnorm);
	free(v->bseg.g);
	free(v->bat);
	free(v->bsegat);
	free(v->bmat);
	free(v->balone);
	free(v->bm);
	free(v->bm2);
	voc_memo_scopes(v, 0);
	free(v->path);
	free(v->trad);
	free(v->asked);
	free(v->simple);
	free(v->nbmp);
	if (v->scratch != NULL)
		hs_free_scratch(v->scratch);
	if (v->hdb != NULL)
		hs_free_database(v->hdb);
	if (v->cc != NULL)
		opencc_close((opencc_t)v->cc);
	cond_env_free(v->env);
	free(v);
}

const char *
voc_version(const struct voc *v)
{
	return v->version;
}

size_t
voc_nrules(const struct voc *v)
{
	return v->nrules;
}

const char *
voc_rule_id(const struct voc *v, size_t i)
{
	return v->rules[i].id;
}

const char *
voc_rule_tag(const struct voc *v, size_t i)
{
	return v->rules[i].tag;
}

const char *
voc_rule_playbook(const struct voc *v, size_t i)
{
	return v->rules[i].playbook;
}

const char *
voc_rule_task(const struct voc *v, size_t i)
{
	return v->rules[i].task;
}

int
voc_rule_due(const struct voc *v, size_t i)
{
	return v->rules[i].due;
}

static int
on_match(unsigned int id, unsigned long long from, unsigned long long to,
    unsigned int flags, void *arg)
{
	struct voc *v = arg;

	(void)flags;
	(void)from;
	v->m = xgrow(v->m, &v->mcap, v->nm + 1, sizeof(*v->m));
	v->m[v->nm].pat = id;
	v->m[v->nm].from = (size_t)to - v->pat[id].len;
	v->m[v->nm].to = (size_t)to;
	v->nm++;
	return 0;
}

static int
is_clause_end(const char *s, size_t i, size_t *len)
{
	const unsigned char *p = (const unsigned char *)s + i;

	/* , . ! ? ; newline, and 。 (E3 80 82; s ends with a NUL). */
	switch (p[0]) {
	case ',':
	case '.':
	case '!':
	case '?':
	case ';':
	case '\n':
		*len = 1;
		return 1;
	case 0xE3:
		if (p[1] == 0x80 && p[2] == 0x82) {
			*len = 3;
			return 1;
		}
		break;
	}
	return 0;
}

static int
same_clause(const char *s, size_t from, size_t to)
{
	size_t i, n;

	for (i = from; i < to; i++)
		if (is_clause_end(s, i, &n))
			return 0;
	return 1;
}

static int
inside(const struct voc *v, const struct vtext *x, int role, size_t from,
    size_t to)
{
	size_t i;

	for (i = 0; i < x->nm; i++)
		if (v->pat[x->m[i].pat].role == role &&
		    x->m[i].from <= from && to <= x->m[i].to)
			return 1;
	return 0;
}

static int
negated(const struct voc *v, const struct vtext *x, size_t from)
{
	const struct vmatch *n;
	const char *s = x->s;
	size_t i;

	for (i = 0; i < x->nm; i++) {
		n = &x->m[i];
		if (v->pat[n->pat].role != ROLE_NEG || n->to > from)
			continue;
		if (nchars(s + n->to, from - n->to) > NEG_WINDOW)
			continue;
		if (!same_clause(s, n->to, from))
			continue;
		if (inside(v, x, ROLE_NONNEG, n->from, n->to))
			continue;
		return 1;
	}
	return 0;
}

/* keyword + 不/没 + its last character: a question, not a statement. */
static int
a_not_a(const char *s, size_t from, size_t to, size_t n)
{
	size_t last = to;

	while (last > from && ((unsigned char)s[last - 1] & 0xC0) == 0x80)
		last--;
	if (last > from)
		last--;
	if (to + 3 > n || (memcmp(s + to, "不", 3) != 0 &&
	    memcmp(s + to, "没", 3) != 0))
		return 0;
	return to + 3 + (to - last) <= n &&
	    memcmp(s + to + 3, s + last, to - last) == 0;
}

/*
 * Does rule k's scope hold for customer?  While a scan of the store
 * holds the write lock and writes no customer, the answers are kept.
 */
/*
 * The scope results kept for customer while v->scope_memo is on: per
 * rule, 0 unknown, else the result plus one.
 */
static unsigned char *
memo_of(struct voc *v, const char *customer)
{
	unsigned char *memo;
	intptr_t val;
	size_t n = strlen(customer);

	if (hmap_get(v->scope_memo, customer, n, &val))
		return (unsigned char *)val;
	memo = xcalloc(v->nrules + 1, 1);
	hmap_put(v->scope_memo, customer, n, (intptr_t)memo);
	return memo;
}

static int
scope_test(struct voc *v, size_t k, const char *customer,
    unsigned char **memo)
{
	int t;

	if (v->scope_memo == NULL)
		return cond_test(v->rules[k].scope, customer);
	/* Per customer, found once per text. */
	if (*memo == NULL)
		*memo = memo_of(v, customer);
	if ((*memo)[k] != 0)
		return (*memo)[k] - 1;
	if ((t = cond_test(v->rules[k].scope, customer)) >= 0)
		(*memo)[k] = (unsigned char)(t + 1);
	return t;
}

static void
free_memo(const char *key, intptr_t val, void *arg)
{
	(void)key;
	(void)arg;
	free((unsigned char *)val);
}

void
voc_memo_scopes(struct voc *v, int on)
{
	if (v->scope_memo != NULL) {
		hmap_each(v->scope_memo, free_memo, NULL);
		hmap_free(v->scope_memo);
	}
	v->scope_memo = on ? hmap_new() : NULL;
}

static int
hit_cmp(const void *a, const void *b)
{
	const struct voc_hit *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->rule < y->rule ? -1 : x->rule > y->rule;
}

/*
 * Which rules the matches v->m[0..nm) of x make hits of, into v->hits:
 * their number, or -1 after reporting a scope evaluation error.
 *
 * The result depends on the order of the matches in two cases only:
 * rules of one tag and priority both found (the first in that order
 * wins), and a scope error (the first evaluated is reported).  A scan
 * promises no order among matches of one end, and a scan of many texts
 * may give another than a scan of one; strict then returns -2 before
 * anything is reported, for x to be scanned alone and decided again.
 */
static int
decide(struct voc *v, const struct vtext *x, const char *customer,
    int strict, struct voc_hit **hitsp)
{
	const struct vpat *p;
	struct voc_rule *ru;
	struct voc_hit *h;
	const struct vmatch *m = x->m;
	const char *s = x->s;
	size_t i, k, n = x->end, ncand = 0, unknown = 0;
	unsigned char *memo = NULL;
	int t, rc = 0;

	/* Which phrases count, and each rule's leftmost phrase. */
	for (i = 0; i < x->nm; i++) {
		p = &v->pat[m[i].pat];
		if (p->rule < 0)
			continue;
		ru = &v->rules[p->rule];
		if (p->role == ROLE_NONE) {
			v->cancel[p->rule] = 1;
			continue;
		}
		if (inside(v, x, ROLE_EXCL, m[i].from, m[i].to) ||
		    a_not_a(s, m[i].from, m[i].to, n) ||
		    (!ru->neg_ignore && negated(v, x, m[i].from)))
			continue;
		if (p->role == ROLE_ALL) {
			if (!v->seen[m[i].pat]) {
				v->seen[m[i].pat] = 1;
				v->allok[p->rule]++;
			}
			if (ncand + 1 > v->candcap)
				v->cand = xgrow(v->cand, &v->candcap,
				    ncand + 1, sizeof(*v->cand));
			v->cand[ncand++] = (size_t)p->rule;
			continue;
		}
		k = (size_t)p->rule;
		if (v->best[k] == 0) {
			if (ncand + 1 > v->candcap)
				v->cand = xgrow(v->cand, &v->candcap,
				    ncand + 1, sizeof(*v->cand));
			v->cand[ncand++] = k;
		}
		if (v->best[k] == 0 || m[i].from < m[v->best[k] - 1].from ||
		    (m[i].from == m[v->best[k] - 1].from &&
		    m[i].to > m[v->best[k] - 1].to))
			v->best[k] = i + 1;
	}
	/* Strict: more than one scope to evaluate is an order. */
	for (i = 0; strict && i < ncand && rc == 0; i++) {
		k = v->cand[i];
		ru = &v->rules[k];
		if (v->best[k] == 0 || v->cancel[k] || ru->scope_never ||
		    v->allok[k] < ru->nall || ru->scope == NULL ||
		    customer == NULL)
			continue;
		if (v->scope_memo != NULL) {
			if (memo == NULL)
				memo = memo_of(v, customer);
			if (memo[k] != 0)
				continue;
		}
		if (++unknown > 1)
			rc = -2;
	}
	for (i = 0; i < ncand && rc == 0; i++) {
		k = v->cand[i];
		ru = &v->rules[k];
		if (v->best[k] == 0 || v->best[k] == SIZE_MAX ||
		    v->cancel[k] || ru->scope_never ||
		    v->allok[k] < ru->nall)
			continue;
		if (ru->scope != NULL) {
			if (customer == NULL)
				continue;
			if ((t = scope_test(v, k, customer, &memo)) < 0) {
				rc = -1;
				break;
			}
			if (t == 0)
				continue;
		}
		/* One hit per tag: the higher priority, then the first. */
		for (t = 0; t < (int)v->nhits; t++)
			if (strcmp(v->rules[v->hits[t].rule].tag, ru->tag) == 0)
				break;
		if (t < (int)v->nhits) {
			if (strict && v->rules[v->hits[t].rule].priority ==
			    ru->priority) {
				rc = -2;
				break;
			}
			if (v->rules[v->hits[t].rule].priority >= ru->priority)
				continue;
			h = &v->hits[t];
		} else {
			v->hits = xgrow(v->hits, &v->hitcap, v->nhits + 1,
			    sizeof(*v->hits));
			h = &v->hits[v->nhits++];
		}
		h->rule = k;
		h->start = char_at(x, m[v->best[k] - 1].from);
		h->len = char_at(x, m[v->best[k] - 1].to - 1) + 1 - h->start;
		h->span = NULL;
		v->best[k] = SIZE_MAX; /* taken; cleared below */
	}
	/*
	 * Spans in the original text, copied one after the other into
	 * v->spans (each with its NUL), pointed at once all are in.
	 */
	for (i = 0; rc != -2 && i < v->nhits; i++) {
		const char *q = x->orig;
		long c = 0;
		const char *st = NULL;

		h = &v->hits[i];
		for (;; q++) {
			if ((*q & 0xC0) != 0x80) {
				if (c == h->start)
					st = q;
				if (c == h->start + h->len || *q == '\0')
					break;
				c++;
			}
		}
		v->spanoff = xgrow(v->spanoff, &v->spanoffcap, i + 1,
		    sizeof(*v->spanoff));
		v->spanoff[i] = v->spans.len;
		if (st != NULL)
			buf_add(&v->spans, st, (size_t)(q - st));
		buf_addc(&v->spans, '\0');
	}
	for (i = 0; rc != -2 && i < v->nhits; i++)
		v->hits[i].span = v->spans.s + v->spanoff[i];
	if (rc != -2 && v->nhits > 1)
		qsort(v->hits, v->nhits, sizeof(*v->hits), hit_cmp);
	for (i = 0; i < ncand; i++) {
		v->best[v->cand[i]] = 0;
		v->allok[v->cand[i]] = 0;
	}
	for (i = 0; i < x->nm; i++) {
		p = &v->pat[m[i].pat];
		v->seen[m[i].pat] = 0;
		if (p->rule >= 0)
			v->cancel[p->rule] = 0;
	}
	if (rc == -2) {
		v->nhits = 0;
		return -2;
	}
	*hitsp = v->hits;
	return rc < 0 ? -1 : (int)v->nhits;
}

int
voc_match(struct voc *v, const char *text, const char *customer,
    struct voc_hit **hitsp)
{
	struct vtext x;

	v->nhits = 0;
	buf_reset(&v->spans);
	*hitsp = NULL;
	if (v->hdb == NULL || text == NULL)
		return 0;
	v->norm.len = 0;
	v->seg.n = 0;
	x.oc = NULL;
	if (norm_fast(v, text, &v->norm, &v->seg) < 0) {
		normalize(v, v->ncache, text, &v->norm, &v->oc, &v->occap);
		x.oc = v->oc;
	}
	x.orig = text;
	x.s = v->norm.s;
	x.at = 0;
	x.end = v->norm.len;
	x.seg = v->seg.g;
	x.nseg = v->seg.n;
	v->nm = 0;
	if (hs_scan(v->hdb, x.s, (unsigned int)x.end, 0, v->scratch, on_match,
	    v) != HS_SUCCESS)
		return 0;
	x.m = v->m;
	x.nm = v->nm;
	return decide(v, &x, customer, 0, hitsp);
}

static int
on_batch_match(unsigned int id, unsigned long long from,
    unsigned long long to, unsigned int flags, void *arg)
{
	struct voc *v = arg;

	(void)flags;
	(void)from;
	v->bm = xgrow(v->bm, &v->bmcap, v->nbm + 1, sizeof(*v->bm));
	v->bm[v->nbm].pat = id;
	v->bm[v->nbm].from = (size_t)to - v->pat[id].len;
	v->bm[v->nbm].to = (size_t)to;
	v->nbm++;
	return 0;
}

/* The text of the batch whose form holds byte j, from a guess. */
static size_t
batch_text(const struct voc *v, size_t n, size_t j, size_t guess)
{
	size_t lo = 0, hi = n, mid;

	if (guess < n && v->bat[guess] <= j && j < v->bat[guess + 1])
		return guess;
	/* The last text that starts at or before j. */
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (v->bat[mid] <= j)
			lo = mid;
		else
			hi = mid;
	}
	while (lo + 1 < n && v->bat[lo + 1] <= j)
		lo++;
	return lo;
}

/*
 * The texts' normal forms go one after the other, each ended by its NUL,
 * into one buffer scanned once: a scan costs as much again as the
 * matching of a text of 70 bytes.  No phrase holds a NUL (they are C
 * strings) and phrases are plain literals, so no match runs from one
 * text into the next, and each text has the matches it has alone, at
 * the same offsets from its start.  Only their order may differ, which
 * decide() checks.
 */
void
voc_match_batch(struct voc *v, const char *const *texts, size_t n)
{
	struct vmatch *t;
	size_t i, j, k, tcap;
	int sorted;

	if (n + 1 > v->bcap) {
		v->bcap = n + 1;
		v->bat = xrealloc(v->bat, v->bcap * sizeof(*v->bat));
		v->bsegat = xrealloc(v->bsegat, v->bcap * sizeof(*v->bsegat));
		v->bmat = xrealloc(v->bmat, v->bcap * sizeof(*v->bmat));
		v->balone = xrealloc(v->balone, v->bcap * sizeof(*v->balone));
	}
	v->bnorm.len = 0;
	v->bseg.n = 0;
	v->nbm = 0;
	for (i = 0; i < n; i++) {
		v->bat[i] = v->bnorm.len;
		v->bsegat[i] = v->bseg.n;
		v->balone[i] = 0;
		if (v->hdb == NULL || texts[i] == NULL)
			continue;
		if (norm_fast(v, texts[i], &v->bnorm, &v->bseg) < 0) {
			v->bnorm.len = v->bat[i];
			v->bseg.n = v->bsegat[i];
			v->balone[i] = 1;
			continue;
		}
		/* Its NUL, which norm_fast() left room for, ends it. */
		v->bnorm.len++;
	}
	v->bat[n] = v->bnorm.len;
	v->bsegat[n] = v->bseg.n;
	memset(v->bmat, 0, (n + 1) * sizeof(*v->bmat));
	if (v->bnorm.len == 0)
		return;
	if (hs_scan(v->hdb, v->bnorm.s, (unsigned int)v->bnorm.len, 0,
	    v->scratch, on_batch_match, v) != HS_SUCCESS) {
		/* Each text alone, then, as voc_match() does. */
		memset(v->balone, 1, n);
		v->nbm = 0;
		return;
	}
	/*
	 * The matches of each text together, in the order the scan gave
	 * them: bmat[i] to bmat[i + 1] are those of text i.  The scan gives
	 * them by text as a rule; else they are counted, then placed.
	 */
	for (j = 0, k = 0, sorted = 1; j < v->nbm; j++) {
		if (sorted && v->bm[j].from >= v->bat[k]) {
			while (v->bm[j].from >= v->bat[k + 1])
				k++;
			i = k;
		} else {
			i = batch_text(v, n, v->bm[j].from, k);
			sorted = 0;
		}
		v->bmat[i + 1]++;
	}
	for (i = 0; i < n; i++)
		v->bmat[i + 1] += v->bmat[i];
	if (sorted)
		return;
	v->bm2 = xgrow(v->bm2, &v->bm2cap, v->nbm + 1, sizeof(*v->bm2));
	for (j = 0, k = 0; j < v->nbm; j++) {
		k = batch_text(v, n, v->bm[j].from, k);
		v->bm2[v->bmat[k]++] = v->bm[j];
	}
	/* bmat[i] is now the end of text i: shift it back. */
	memmove(v->bmat + 1, v->bmat, n * sizeof(*v->bmat));
	v->bmat[0] = 0;
	t = v->bm;
	v->bm = v->bm2;
	v->bm2 = t;
	tcap = v->bmcap;
	v->bmcap = v->bm2cap;
	v->bm2cap = tcap;
}

int
voc_match_take(struct voc *v, size_t i, const char *text,
    const char *customer, struct voc_hit **hitsp)
{
	struct vtext x;
	int rc;

	if (v->balone[i])
		return voc_match(v, text, customer, hitsp);
	v->nhits = 0;
	buf_reset(&v->spans);
	*hitsp = NULL;
	if (v->hdb == NULL || text == NULL)
		return 0;
	x.orig = text;
	x.s = v->bnorm.s;
	x.at = v->bat[i];
	x.end = v->bat[i + 1] - 1;
	x.m = v->bm + v->bmat[i];
	x.nm = v->bmat[i + 1] - v->bmat[i];
	x.oc = NULL;
	x.seg = v->bseg.g + v->bsegat[i];
	x.nseg = v->bsegat[i + 1] - v->bsegat[i];
	if ((rc = decide(v, &x, customer, 1, hitsp)) != -2)
		return rc;
	/* The order counts: that of a scan of the text alone, then. */
	v->nm = 0;
	if (hs_scan(v->hdb, x.s + x.at, (unsigned int)(x.end - x.at), 0,
	    v->scratch, on_match, v) != HS_SUCCESS)
		return 0;
	x.s += x.at;
	x.end -= x.at;
	x.at = 0;
	x.m = v->m;
	x.nm = v->nm;
	return decide(v, &x, customer, 0, hitsp);
}
