/*
 * UTF-8 helpers.  Unicode tables come from utf8proc; this file only
 * decides which of its transformations each use needs.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "buf.h"
#include "text.h"

/*
 * The number of ASCII bytes that begin the eight at s, when m, their
 * high bits, is not 0: the lowest set bit on a little-endian machine.
 */
static inline size_t
ascii_run(const unsigned char *s, uint64_t m)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	(void)s;
	return (size_t)__builtin_ctzll(m) >> 3;
#else
	size_t k;

	(void)m;
	for (k = 0; s[k] < 0x80; k++)
		;
	return k;
#endif
}

/*
 * The scan takes eight ASCII bytes at a time (and the ASCII bytes that
 * begin any eight at once), and a three-byte sequence (all of CJK) in
 * one step; a character's value is needed only for the
 * overlong, surrogate and out-of-range checks, which the bytes after
 * E0, ED, F0 and F4 decide.
 */
size_t
utf8_valid_prefix(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i, k, need;
	uint64_t w;
	uint32_t cp;
	unsigned char c;

	i = 0;
	while (i < n) {
		c = s[i];
		if (c < 0x80) {
			i++;
			while (n - i >= 8) {
				memcpy(&w, s + i, 8);
				if ((w &= 0x8080808080808080ULL) != 0) {
					/* Straight to the byte that is not. */
					i += ascii_run(s + i, w);
					break;
				}
				i += 8;
			}
			continue;
		}
		if (c >= 0xe1 && c <= 0xef && c != 0xed) {
			if (n - i < 3)
				return i;	/* truncated at the end */
			/* Chinese comes in runs: stay here while it does. */
			do {
				if ((s[i + 1] & 0xc0) != 0x80 ||
				    (s[i + 2] & 0xc0) != 0x80)
					return i;
				i += 3;
			} while (n - i >= 3 && (c = s[i]) >= 0xe1 && c <= 0xef &&
			    c != 0xed);
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			need = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			need = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			need = 3;
			cp = c & 0x07;
		} else
			return i;
		if (i + need >= n)
			return i;	/* truncated at the end */
		for (k = 1; k <= need; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return i;
		i += need + 1;
	}
	return i;
}

size_t
utf8_chars(const char *s, size_t n)
{
	size_t i, count;

	count = 0;
	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			count++;
	return count;
}

int
text_is_ascii(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 0;
	return 1;
}

/*
 * 1 when s holds only ASCII and CJK Unified Ideographs (U+4E00-9FFF,
 * E4 B8 80 to E9 BF BF): no decomposition, composition or case folding
 * touches those, so normalizing such text only cleans it.  Most names
 * in the data are of this kind.
 */
static int
is_ascii_han(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i;

	for (i = 0; i < n;) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if (n - i < 3 || s[i] < 0xe4 || s[i] > 0xe9 ||
		    (s[i] == 0xe4 && s[i + 1] < 0xb8) ||
		    (s[i + 1] & 0xc0) != 0x80 || (s[i + 2] & 0xc0) != 0x80)
			return 0;
		i += 3;
	}
	return 1;
}

long
utf8_next_slow(const char *s, size_t n, int32_t *cp)
{
	return (long)utf8proc_iterate((const utf8proc_uint8_t *)s,
	    (utf8proc_ssize_t)n, cp);
}

/* Decode one code point at s (n bytes left); returns its length. */
static size_t
next_cp(const char *s, size_t n, int32_t *cp)
{
	long len;

	len = utf8_next(s, n, cp);
	if (len <= 0) {
		*cp = -1;
		return 1;
	}
	return (size_t)len;
}

static int
is_space_cp(int32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' ||
	    cp == '\v' || cp == '\f' || cp == 0xa0 || cp == 0x3000 ||
	    cp == 0x202f || cp == 0x2007 || (cp >= 0x2000 && cp <= 0x200a);
}

static int
is_invisible_cp(int32_t cp)
{
	return cp == 0x200b || cp == 0x200c || cp == 0x200d ||
	    cp == 0x2060 || cp == 0xfeff || cp == 0x00ad;
}

/*
 * Every character text_clean() drops or trims that is not ASCII begins
 * with one of these bytes (U+00A0 and U+00AD with C2, U+2000-2060 with
 * E2, U+3000 with E3, U+FEFF with EF); only there is a character
 * decoded.  A lead byte is never inside another character, so a scan
 * of the bytes meets the characters a decoding would.
 */
static const unsigned char special_lead[256] = {
	[0xc2] = 1, [0xe2] = 1, [0xe3] = 1, [0xef] = 1,
};

static inline int
maybe_special(unsigned char c)
{
	return special_lead[c];
}

static inline int
is_ascii_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/*
 * The length of the space or invisible character at s (n bytes left),
 * or 0 when s starts another one; *space says which.
 */
static size_t
special_at(const char *s, size_t n, int *space)
{
	int32_t cp;
	long len;

	if (is_ascii_space((unsigned char)s[0])) {
		*space = 1;
		return 1;
	}
	if (!maybe_special((unsigned char)s[0]) ||
	    (len = utf8_next(s, n, &cp)) <= 0)
		return 0;
	*space = is_space_cp(cp);
	return *space || is_invisible_cp(cp) ? (size_t)len : 0;
}

/*
 * 1 when s holds an invisible character: each begins with C2, E2 or EF,
 * which memchr() finds faster than a loop tests every byte.
 */
static int
has_invisible(const char *s, size_t n)
{
	static const unsigned char leads[] = {0xc2, 0xe2, 0xef};
	const char *p, *e = s + n;
	size_t k;
	int space;

	for (k = 0; k < sizeof(leads); k++)
		for (p = s; (p = memchr(p, leads[k], (size_t)(e - p))) != NULL;
		    p++)
			if (special_at(p, (size_t)(e - p), &space) > 0 && !space)
				return 1;
	return 0;
}

/*
 * Invisible characters anywhere and white space at either end go; what
 * is between the first and the last other character is copied, a run
 * at a time, past the invisible ones in it.
 */
void
text_clean(struct buf *out, const char *s, size_t n)
{
	size_t i, len, start, end, run;
	int space;

	start = 0;
	while (start < n && (len = special_at(s + start, n - start,
	    &space)) > 0)
		start += len;
	end = n;
	while (end > start) {
		if (is_ascii_space((unsigned char)s[end - 1])) {
			end--;
			continue;
		}
		/* A trailing special is two or three bytes from a lead. */
		if ((unsigned char)s[end - 1] < 0x80)
			break;
		len = 0;
		for (i = 2; i <= 3 && len == 0 && end - start >= i; i++)
			if (maybe_special((unsigned char)s[end - i]) &&
			    special_at(s + end - i, i, &space) == i)
				len = i;
		if (len == 0)
			break;
		end -= len;
	}
	/* Inside, only the invisible ones go: most texts have none. */
	if (!has_invisible(s + start, end - start)) {
		buf_add(out, s + start, end - start);
		return;
	}
	run = start;
	for (i = start; i < end; i++) {
		if (!maybe_special((unsigned char)s[i]))
			continue;
		if ((len = special_at(s + i, end - i, &space)) == 0 || space)
			continue;
		buf_add(out, s + run, i - run);
		run = i + len;
		i += len - 1;
	}
	buf_add(out, s + run, end - run);
}

static void
map_into(struct buf *out, const char *s, size_t n, int options)
{
	utf8proc_uint8_t *dst;
	utf8proc_ssize_t len;
	struct buf tmp = {0};

	text_clean(&tmp, s, n);
	len = utf8proc_map((const utf8proc_uint8_t *)buf_str(&tmp),
	    (utf8proc_ssize_t)tmp.len, &dst, (utf8proc_option_t)options);
	if (len < 0) {
		/* Invalid UTF-8 cannot happen after the readers; keep as is. */
		buf_add(out, tmp.s, tmp.len);
		buf_free(&tmp);
		return;
	}
	buf_free(&tmp);
	text_clean(out, (const char *)dst, (size_t)len);
	free(dst);
}

#define NF_OPTIONS	(UTF8PROC_STABLE | UTF8PROC_COMPOSE | \
			UTF8PROC_COMPAT | UTF8PROC_IGNORE)
#define NF_SLOW		0xffffffffu
#define NF_MAX		512	/* longer texts go to utf8proc_map() */

/*
 * 1 when c may be composed with the character before it: it has a
 * combining class, is the second of a composition pair (utf8proc's
 * comb_index from 0x8000), or is a Hangul jamo or syllable.
 */
static int
nf_joins(utf8proc_int32_t c)
{
	const utf8proc_property_t *p = utf8proc_get_property(c);

	return p->combining_class != 0 || (p->comb_index >= 0x8000 &&
	    p->comb_index != UINT16_MAX) ||
	    p->boundclass == UTF8PROC_BOUNDCLASS_L ||
	    p->boundclass == UTF8PROC_BOUNDCLASS_V ||
	    p->boundclass == UTF8PROC_BOUNDCLASS_T ||
	    p->boundclass == UTF8PROC_BOUNDCLASS_LV ||
	    p->boundclass == UTF8PROC_BOUNDCLASS_LVT;
}

/*
 * NFKC (with case folding for keys) a character of the BMP at a time.
 * NFKC decomposes every character on its own, orders combining marks
 * and composes pairs; a character whose decomposition holds none that
 * nf_joins() is replaced by it wherever it stands, and nothing next to
 * it composes with it.  So a text of such characters (full-width
 * letters, digits and signs, ￥, U+3000, Han, ...) is normalized by
 * replacing each.  What utf8proc decomposes each character into, found
 * the first time the character is met: up to three bytes of UTF-8 and
 * 0x80 | their number in the fourth, in memory order; 0 not yet known,
 * NF_SLOW when the character must go to utf8proc_map().
 */
static uint32_t
nf_char(utf8proc_int32_t cp, int fold)
{
	static uint32_t table[2][0x10000];
	utf8proc_int32_t dec[8];
	unsigned char b[4];
	utf8proc_ssize_t nd, k, len;
	uint32_t *e = &table[fold][cp];
	int bc = 0;

	if (*e != 0)
		return *e;
	*e = NF_SLOW;
	nd = utf8proc_decompose_char(cp, dec, 8, (utf8proc_option_t)
	    (NF_OPTIONS | (fold ? UTF8PROC_CASEFOLD : 0)), &bc);
	if (nd < 0 || nd > 8)
		return *e;
	memset(b, 0, sizeof(b));
	for (k = 0, len = 0; k < nd; k++) {
		unsigned char u[4];
		utf8proc_ssize_t ul;

		if (nf_joins(dec[k]) ||
		    (ul = utf8proc_encode_char(dec[k], u)) <= 0 ||
		    len + ul > 3)
			return *e;
		memcpy(b + len, u, (size_t)ul);
		len += ul;
	}
	b[3] = (unsigned char)(0x80 | len);
	memcpy(e, b, 4);
	return *e;
}

/*
 * map_into() for a text whose every character nf_char() can replace:
 * cleaned, replaced, cleaned again.  0, with out as it was, for any
 * other text.
 */
static int
nf_fast(struct buf *out, const char *s, size_t n, int fold)
{
	char mapped[NF_MAX];
	unsigned char b[4];
	size_t mark = out->len, i, m;
	uint32_t v;
	int32_t cp;
	long k;

	text_clean(out, s, n);
	for (i = mark, m = 0; i < out->len; i += (size_t)k) {
		if ((unsigned char)out->s[i] < 0x80) {
			k = 1;
			if (m == sizeof(mapped))
				break;
			mapped[m++] = out->s[i];
			continue;
		}
		if ((k = utf8_next(out->s + i, out->len - i, &cp)) <= 0 ||
		    cp > 0xffff || (v = nf_char(cp, fold)) == NF_SLOW)
			break;
		memcpy(b, &v, 4);
		if (m + (b[3] & 3) > sizeof(mapped))
			break;
		memcpy(mapped + m, b, b[3] & 3);
		m += b[3] & 3;
	}
	if (i < out->len) {
		buf_truncate(out, mark);
		return 0;
	}
	buf_truncate(out, mark);
	text_clean(out, mapped, m);
	return 1;
}

void
text_nfkc(struct buf *out, const char *s, size_t n)
{
	if (text_is_ascii(s, n) || is_ascii_han(s, n)) {
		text_clean(out, s, n);
		return;
	}
	if (!nf_fast(out, s, n, 0))
		map_into(out, s, n, NF_OPTIONS);
}

/* Drop the separators a key ignores and fold ASCII case, in place. */
static size_t
key_filter(char *p, size_t n)
{
	size_t i, k;
	char c;

	for (i = 0, k = 0; i < n; i++) {
		c = p[i];
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
		    c == '_' || c == '-' || c == '.' || c == '/' ||
		    c == '\\' || c == ':' || c == '#')
			continue;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		p[k++] = c;
	}
	return k;
}

void
text_key(struct buf *out, const char *s, size_t n)
{
	size_t mark = out->len;

	/* ASCII as it is; NFKC leaves ASCII and Han as text_clean() does. */
	if (text_is_ascii(s, n))
		buf_add(out, s, n);
	else if (is_ascii_han(s, n))
		text_clean(out, s, n);
	else if (!nf_fast(out, s, n, 1))
		map_into(out, s, n, NF_OPTIONS | UTF8PROC_CASEFOLD);
	if (out->s != NULL)
		buf_truncate(out, mark + key_filter(out->s + mark,
		    out->len - mark));
}

int
text_width(const char *s)
{
	size_t i, n, len;
	int32_t cp;
	int w, cw;

	n = strlen(s);
	w = 0;
	for (i = 0; i < n; i += len) {
		len = next_cp(s + i, n - i, &cp);
		if (cp < 0)
			cw = 1;
		else
			cw = utf8proc_charwidth(cp);
		w += cw > 0 ? cw : 0;
	}
	return w;
}

int
text_fit(struct buf *out, const char *s, int width)
{
	size_t i, n, len;
	int32_t cp;
	int w, cw;

	n = strlen(s);
	w = 0;
	for (i = 0; i < n; i += len) {
		len = next_cp(s + i, n - i, &cp);
		cw = cp < 0 ? 1 : utf8proc_charwidth(cp);
		if (cw < 0)
			cw = 0;
		if (w + cw > width)
			break;
		buf_add(out, s + i, len);
		w += cw;
	}
	return w;
}
