/*
 * UTF-8 text: validation, NFKC normalisation (utf8proc), matching keys,
 * trimming and terminal display width.
 */
#ifndef TEXT_H
#define TEXT_H

#include <stddef.h>

struct buf;

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
