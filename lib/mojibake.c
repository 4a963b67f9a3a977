/*
 * Mojibake detection.  Text is cut into runs of non-ASCII characters
 * (mojibake never touches ASCII).  A run is suspect when iconv can
 * encode it back to the charset it was wrongly decoded with, and the
 * bytes that gives are valid UTF-8 of characters that text really
 * holds: Latin, Greek, Cyrillic, punctuation or CJK after CP1252;
 * CJK (or U+FFFD, the mark of a lost character) after GBK.
 *
 * Why real text survives: an accented letter (é, ü) encodes to one
 * byte that is no UTF-8 lead followed by continuation bytes, so "San
 * José" and "Zürich" fail at once; real Chinese encodes to GBK pairs
 * whose second byte is rarely a UTF-8 continuation byte in the place a
 * three-byte sequence needs one, and never all the way through a run.
 */
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "buf.h"
#include "mojibake.h"
#include "text.h"
#include "xalloc.h"

/* A run never holds fewer characters than this (two real ones). */
#define GBK_MIN_RUN	3
/* Characters of a run gbk_may_decode() looks at. */
#define GBK_PEEK	8

static iconv_t	 cd_cp1252 = (iconv_t)-1;
static iconv_t	 cd_latin1 = (iconv_t)-1;
static iconv_t	 cd_gbk = (iconv_t)-1;
static int	 opened;

static void
open_all(void)
{
	if (opened)
		return;
	opened = 1;
	cd_cp1252 = iconv_open("CP1252", "UTF-8");
	cd_latin1 = iconv_open("ISO-8859-1", "UTF-8");
	cd_gbk = iconv_open("GBK", "UTF-8");
}

/* Encode s into out (at least n bytes); the length, or -1. */
static long
encode(iconv_t cd, const char *s, size_t n, char *out)
{
	char *in = (char *)s, *o = out;
	size_t il = n, ol = n;

	if (cd == (iconv_t)-1)
		return -1;
	iconv(cd, NULL, NULL, NULL, NULL);
	if (iconv(cd, &in, &il, &o, &ol) == (size_t)-1 || il != 0)
		return -1;
	if (iconv(cd, NULL, NULL, &o, &ol) == (size_t)-1)
		return -1;
	return (long)(o - out);
}

static int
is_cjk(utf8proc_int32_t c)
{
	return (c >= 0x3000 && c <= 0x303f) || (c >= 0x3400 && c <= 0x4dbf) ||
	    (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xff00 && c <= 0xffef);
}

/* What a text that was UTF-8 before CP1252 got at it may hold. */
static int
latin_plausible(utf8proc_int32_t c)
{
	const utf8proc_property_t *p;

	if (c < 0xa0)
		return 0;
	p = utf8proc_get_property(c);
	if (p->category == UTF8PROC_CATEGORY_CN ||
	    p->category == UTF8PROC_CATEGORY_CO ||
	    p->category == UTF8PROC_CATEGORY_CC ||
	    p->category == UTF8PROC_CATEGORY_CS)
		return 0;
	return c <= 0x24f || (c >= 0x370 && c <= 0x52f) ||
	    (c >= 0x2000 && c <= 0x214f) || is_cjk(c);
}

/*
 * Decode bytes b as UTF-8 into fixed (when not NULL).  Returns the
 * number of characters, or -1 when a byte sequence is invalid or a
 * character is implausible.  For GBK, up to two bytes at either end
 * may be the rest or the start of a three-byte sequence: the odd byte
 * of a text of odd length went into a neighbouring pair, or into the
 * U+FFFD or '?' that the wrong decoding left there.
 */
static long
decode(const char *b, size_t n, int gbk, int *lost, struct buf *fixed)
{
	utf8proc_int32_t c;
	utf8proc_ssize_t k;
	size_t i;
	long nch = 0;

	*lost = 1;
	i = 0;
	/* A first character cut off by a replacement before the run. */
	if (gbk) {
		while (i < n && i < 2 && ((unsigned char)b[i] & 0xc0) == 0x80)
			i++;
		if (i > 0 && fixed != NULL)
			buf_adds(fixed, "\xef\xbf\xbd");
	}
	for (; i < n; i += (size_t)k) {
		k = utf8_next(b + i, n - i, &c);
		if (k < 0) {
			/* A cut-off last character of a GBK run. */
			if (gbk && nch >= 2 && n - i <= 2 &&
			    ((unsigned char)b[i] & 0xf0) == 0xe0 &&
			    (n - i == 1 || ((unsigned char)b[i + 1] & 0xc0) ==
			    0x80)) {
				if (fixed != NULL)
					buf_adds(fixed, "\xef\xbf\xbd");
				return nch;
			}
			return -1;
		}
		if (gbk ? !(is_cjk(c) || c == 0xfffd || c == 0xb7 ||
		    c == 0xd7 || c == 0xf7 || (c >= 0x2000 && c <= 0x206f)) :
		    !latin_plausible(c))
			return -1;
		if (c != 0xfffd)
			*lost = 0;
		if (fixed != NULL)
			buf_add(fixed, b + i, (size_t)k);
		nch++;
	}
	return nch;
}

/*
 * 1 when the GBK bytes b are all ASCII or GB2312: the 6763 hanzi in
 * daily use and their punctuation, which GBK writes as two bytes in
 * A1-F7 and A1-FE (GBK is GB2312 extended around it, same codes).
 */
static int
all_gb2312(const char *b, size_t n)
{
	const unsigned char *u = (const unsigned char *)b;
	size_t i;

	for (i = 0; i < n; i++) {
		if (u[i] < 0x80)
			continue;
		if (i + 1 >= n || u[i] < 0xa1 || u[i] > 0xf7 ||
		    u[i + 1] < 0xa1 || u[i + 1] > 0xfe)
			return 0;
		i++;
	}
	return 1;
}

/*
 * Whether the decoded text dec is more plausible than the run whose GBK
 * bytes are g (n of them): every character of dec is in GB2312, and
 * some character of the run is not.  Rare characters turning into
 * common ones is what undoing mojibake looks like; real text that
 * happens to decode turns into rare ones.  tmp holds n + 8 bytes.
 */
static int
more_common(const struct buf *dec, const char *g, size_t n, char *tmp)
{
	struct buf d = {0};
	size_t i;
	long len;
	int yes;

	/* The replacements for cut-off characters do not count. */
	for (i = 0; i < dec->len; i++)
		if (dec->len - i >= 3 && memcmp(dec->s + i, "\xef\xbf\xbd",
		    3) == 0)
			i += 2;
		else
			buf_addc(&d, dec->s[i]);
	yes = 0;
	if (d.len > 0 && d.len <= n + 8 &&
	    (len = encode(cd_gbk, d.s, d.len, tmp)) >= 0)
		yes = all_gb2312(tmp, (size_t)len) && !all_gb2312(g, n);
	buf_free(&d);
	return yes;
}

/*
 * The GBK bytes of the characters of the BMP, found by iconv the first
 * time each is asked for: (length << 16) | bytes, 0 not yet known,
 * GBK_NONE when GBK has no code for it.  GBK writes any character in
 * one or two bytes, and is stateless, so a text's encoding is that of
 * its characters one after the other.
 */
#define GBK_NONE	0xffffffffu
static uint32_t	 gbk_of[0x10000];

/* c's GBK bytes at out; their number, or -1. */
static int
gbk_char(utf8proc_int32_t c, const char *u, size_t ulen, char *out)
{
	char b[8];
	uint32_t v;
	long len;

	if (c < 0 || c > 0xffff)
		return (len = encode(cd_gbk, u, ulen, b)) > 0 && len <= 2 ?
		    (memcpy(out, b, (size_t)len), (int)len) : -1;
	if ((v = gbk_of[c]) == 0) {
		len = encode(cd_gbk, u, ulen, b);
		if (len == 1)
			v = 1u << 16 | (unsigned char)b[0];
		else if (len == 2)
			v = 2u << 16 | (unsigned)(unsigned char)b[0] << 8 |
			    (unsigned char)b[1];
		else
			v = GBK_NONE;
		gbk_of[c] = v;
	}
	if (v == GBK_NONE)
		return -1;
	if (v >> 16 == 1) {
		out[0] = (char)(v & 0xff);
		return 1;
	}
	out[0] = (char)(v >> 8 & 0xff);
	out[1] = (char)(v & 0xff);
	return 2;
}

/* A character that text read as GBK by mistake holds (decode()). */
static int
gbk_plausible(utf8proc_int32_t c)
{
	return is_cjk(c) || c == 0xfffd || c == 0xb7 || c == 0xd7 ||
	    c == 0xf7 || (c >= 0x2000 && c <= 0x206f);
}

/*
 * 0 when the GBK bytes of the run's first three characters already
 * show that decode() must fail on the bytes of the whole run: their
 * first character (after up to two cut-off bytes) is invalid UTF-8 or
 * not one a GBK mojibake holds.  GBK is stateless, so these bytes begin
 * those of the run, and four of them hold any character decode() can
 * read.  Most real Chinese fails here, without encoding all of it.
 */
static int
gbk_may_decode(const char *s, size_t n, char *tmp)
{
	utf8proc_int32_t c;
	utf8proc_ssize_t k;
	size_t i, m;
	long len;
	int b;

	len = 0;
	for (i = 0, m = 0; m < n && i < GBK_MIN_RUN; i++) {
		k = utf8_next(s + m, n - m, &c);
		if (k <= 0 || (b = gbk_char(c, s + m, (size_t)k, tmp +
		    len)) < 0)
			return 1;	/* let the whole run tell */
		len += b;
		m += (size_t)k;
	}
	i = 0;
	while (i < (size_t)len && i < 2 && ((unsigned char)tmp[i] & 0xc0) ==
	    0x80)
		i++;
	if ((size_t)len - i < 4)
		return 1;	/* cannot tell: try the whole run */
	k = utf8_next(tmp + i, (size_t)len - i, &c);
	return k >= 0 && (is_cjk(c) || c == 0xfffd || c == 0xb7 ||
	    c == 0xd7 || c == 0xf7 || (c >= 0x2000 && c <= 0x206f));
}

/*
 * gbk_may_decode() looking further, for may_be_mojibake(): 0 when the
 * GBK bytes of the run's first characters already show that decode()
 * must fail on the bytes of the whole run, 1 when the whole run must
 * tell.  The bytes are made a character at a time, up to GBK_PEEK, and
 * read as UTF-8 as they come: while the run goes on past them, none of
 * them is the cut-off last character decode() forgives, so each
 * character it can read whole (four bytes hold any) must be one a GBK
 * mojibake holds.  A run that ends within GBK_PEEK characters is all
 * there, and decode() reads it.  Real Chinese whose first characters
 * happen to pass (电话跟进 does) fails a few characters on.  tmp holds
 * 2 * GBK_PEEK + 8 bytes.
 */
static int
gbk_peek(const char *s, size_t n, char *tmp)
{
	utf8proc_int32_t c;
	utf8proc_ssize_t k;
	size_t i, m, nch;
	long len;
	int b, lost, skipped;

	len = 0;
	i = 0;
	skipped = 0;
	for (nch = 0, m = 0; m < n && nch < GBK_PEEK; nch++) {
		k = utf8_next(s + m, n - m, &c);
		if (k <= 0 || (b = gbk_char(c, s + m, (size_t)k, tmp +
		    len)) < 0)
			return 1;	/* let the whole run tell */
		len += b;
		m += (size_t)k;
		if (m == n)
			break;
		/* Up to two bytes cut off from a character before the run. */
		if (!skipped && len >= 2) {
			while (i < 2 && ((unsigned char)tmp[i] & 0xc0) == 0x80)
				i++;
			skipped = 1;
		}
		while (skipped && (size_t)len - i >= 4) {
			k = utf8_next(tmp + i, (size_t)len - i, &c);
			if (k < 0 || !gbk_plausible(c))
				return 0;
			i += (size_t)k;
		}
	}
	if (m == n)
		return decode(tmp, (size_t)len, 1, &lost, NULL) >= 2;
	return 1;
}

/*
 * Classify one run of non-ASCII characters (nch of them); tmp and tmp2
 * hold n + 8 bytes each.
 */
static enum mojibake
check_run(const char *s, size_t n, size_t nch, utf8proc_int32_t first,
    utf8proc_int32_t maxcp, char *tmp, char *tmp2, struct buf *fixed)
{
	size_t mark = fixed != NULL ? fixed->len : 0;
	long len;
	int lost;

	/* Latin-1/CP1252: the first character was a UTF-8 lead byte. */
	if (nch >= 2 && first >= 0xc2 && first <= 0xf4 && maxcp < 0x2200) {
		if ((len = encode(cd_cp1252, s, n, tmp)) < 0)
			len = encode(cd_latin1, s, n, tmp);
		if (len > 0 && decode(tmp, (size_t)len, 0, &lost, fixed) > 0)
			return MOJI_LATIN;
		if (fixed != NULL)
			buf_truncate(fixed, mark);
	}
	if (nch >= GBK_MIN_RUN && maxcp >= 0x2e80) {
		struct buf dec = {0};
		enum mojibake m = MOJI_NONE;

		len = gbk_may_decode(s, n, tmp) ? encode(cd_gbk, s, n, tmp) :
		    -1;
		if (len > 0 && decode(tmp, (size_t)len, 1, &lost, &dec) >= 2) {
			if (lost)
				m = MOJI_LOST;
			else if (more_common(&dec, tmp, (size_t)len, tmp2))
				m = MOJI_GBK;
		}
		if (m != MOJI_NONE && fixed != NULL)
			buf_add(fixed, dec.s, dec.len);
		buf_free(&dec);
		return m;
	}
	return MOJI_NONE;
}

/*
 * 0 when no run of s can be mojibake and s holds no U+FFFD, decided
 * without decoding most characters; 1 when mojibake_check() must look.
 * A run is Latin mojibake only if its first character is one of
 * U+00C2-00F4 (lead byte C3) and GBK mojibake only if it has three
 * characters or more (one lead byte each) and gbk_may_decode() says so
 * of its first three.  Text that is not valid UTF-8 has no mojibake;
 * a run skipped here unchecked may hide a bad byte, but then the answer
 * is "none" either way.
 */
static int
may_be_mojibake(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	char tmp[2 * GBK_PEEK + 8];
	size_t i, start, nch;
	uint64_t w;

	for (i = 0; i + 3 <= n; i++) {
		const unsigned char *p = memchr(s + i, 0xef, n - i - 2);

		if (p == NULL)
			break;
		i = (size_t)(p - s);
		if (p[1] == 0xbf && p[2] == 0xbd)
			return 1;	/* U+FFFD */
	}
	for (i = 0; i < n;) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		start = i;
		for (nch = 0; i < n && s[i] >= 0x80 && nch < GBK_MIN_RUN; i++)
			nch += (s[i] & 0xc0) != 0x80;
		/* The rest of the run matters no more: eight bytes a step. */
		while (n - i >= 8) {
			memcpy(&w, s + i, 8);
			if ((w & 0x8080808080808080ULL) != 0x8080808080808080ULL)
				break;
			i += 8;
		}
		while (i < n && s[i] >= 0x80)
			i++;
		if (s[start] == 0xc3)
			return 1;
		if (nch >= GBK_MIN_RUN && gbk_peek(str + start, i - start,
		    tmp))
			return 1;
	}
	return 0;
}

enum mojibake
mojibake_check(const char *s, size_t n, struct buf *fixed)
{
	utf8proc_int32_t c, first, maxcp;
	utf8proc_ssize_t k;
	enum mojibake found, m;
	int replaced;
	size_t i, start, nch;
	char *tmp, *tmp2;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			break;
	if (i == n)
		return MOJI_NONE;	/* ASCII: the common case */
	open_all();
	if (!may_be_mojibake(s, n))
		return MOJI_NONE;	/* real Chinese: the next common */
	tmp = xmalloc(2 * n + 24);
	tmp2 = tmp + n + 8;
	found = MOJI_NONE;
	i = 0;
	replaced = 0;
	while (i < n) {
		if ((unsigned char)s[i] < 0x80) {
			if (fixed != NULL)
				buf_addc(fixed, s[i]);
			i++;
			continue;
		}
		/* U+FFFD: a conversion lost something here; it ends a run. */
		if (n - i >= 3 && memcmp(s + i, "\xef\xbf\xbd", 3) == 0) {
			if (fixed != NULL)
				buf_add(fixed, s + i, 3);
			replaced = 1;
			i += 3;
			continue;
		}
		start = i;
		nch = 0;
		first = maxcp = 0;
		while (i < n && (unsigned char)s[i] >= 0x80) {
			k = utf8_next(s + i, n - i, &c);
			if (k < 0) {
				free(tmp);
				return MOJI_NONE;
			}
			if (c == 0xfffd)
				break;
			if (nch++ == 0)
				first = c;
			if (c > maxcp)
				maxcp = c;
			i += (size_t)k;
		}
		m = check_run(s + start, i - start, nch, first, maxcp, tmp,
		    tmp2, fixed);
		if (m == MOJI_NONE && fixed != NULL)
			buf_add(fixed, s + start, i - start);
		if (found == MOJI_NONE)
			found = m;
	}
	free(tmp);
	if (found == MOJI_NONE && replaced)
		found = MOJI_REPLACED;
	return found;
}

const char *
mojibake_name(enum mojibake m)
{
	switch (m) {
	case MOJI_LATIN:
		return "UTF-8 read as Latin-1/CP1252";
	case MOJI_GBK:
		return "UTF-8 read as GBK";
	case MOJI_LOST:
		return "lost characters: U+FFFD read as GBK";
	case MOJI_REPLACED:
		return "lost characters: U+FFFD replacement";
	case MOJI_NONE:
		break;
	}
	return "none";
}
