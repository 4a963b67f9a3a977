/*
 * UTF-8 text: validation, NFKC normalisation (utf8proc), matching keys,
 * trimming and terminal display width.
 */
#ifndef TEXT_H
#define TEXT_H

#include <stddef.h>
#include <stdint.h>

struct buf;

/* utf8_next() for what it does not decode itself: utf8proc_iterate(). */
long	utf8_next_slow(const char *s, size_t n, int32_t *cp);

/*
 * The code point at s (n bytes left) into *cp; returns its length, 0
 * when n is 0, or < 0 (and *cp = -1) for an invalid or cut-off
 * sequence, exactly as utf8proc_iterate().  Inline, since the cleaning
 * and mojibake checks decode every character of every cell: ASCII and
 * the three-byte forms of U+1000-CFFF and U+E000-FFFF (all of CJK) are
 * decoded here, the rest by utf8proc.
 */
static inline long
utf8_next(const char *s, size_t n, int32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;

	if (n > 0 && u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if (n >= 3 && u[0] >= 0xe1 && u[0] <= 0xef && u[0] != 0xed &&
	    (u[1] & 0xc0) == 0x80 && (u[2] & 0xc0) == 0x80) {
		*cp = (int32_t)(u[0] & 0x0f) << 12 |
		    (int32_t)(u[1] & 0x3f) << 6 | (int32_t)(u[2] & 0x3f);
		return 3;
	}
	return utf8_next_slow(s, n, cp);
}

/*
 * Length of the longest strictly valid UTF-8 prefix of s (no overlong
 * forms, surrogates or values past U+10FFFF).  A return < n means the
 * byte at that offset starts an invalid or truncated sequence.
 */
size_t	utf8_valid_prefix(const char *s, size_t n);
/* Number of characters (code points) in the first n bytes. */
size_t	utf8_chars(const char *s, size_t n);

/*
 * Append to out the cleaned form of a cell: zero-width characters and
 * a leading BOM removed, surrounding white space (ASCII, U+3000, NBSP)
 * trimmed.  Characters are otherwise kept as typed.
 */
void	text_clean(struct buf *out, const char *s, size_t n);
/*
 * Append NFKC of s with default-ignorable characters removed and the
 * result trimmed: full-width digits, letters and punctuation become
 * ASCII, U+3000 a space.  For identifiers, numbers and dates.
 */
void	text_nfkc(struct buf *out, const char *s, size_t n);
/*
 * Append a matching key: NFKC, case folded, with white space and the
 * punctuation _ - . / \ : # removed.  "Opportunity ID", "opportunity_id"
 * and "ＯＰＰＯＲＴＵＮＩＴＹ－ＩＤ" share the key "opportunityid".
 */
void	text_key(struct buf *out, const char *s, size_t n);
/* 1 when s has only ASCII bytes. */
int	text_is_ascii(const char *s, size_t n);
/* Columns s takes on a terminal: CJK wide characters count 2. */
int	text_width(const char *s);
/*
 * Append s cut to at most width columns on a character boundary;
 * returns the columns used.
 */
int	text_fit(struct buf *out, const char *s, int width);

#endif
