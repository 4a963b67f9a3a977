/*
 * Mojibake already in a file: UTF-8 that some program once decoded as
 * Latin-1 or CP1252 ("OcÃ©" for "Océ") or as GBK ("鎴戜滑" for "我们",
 * "锟斤拷" for lost characters), then saved again.  Found by encoding
 * the suspect characters back with iconv and checking that the bytes
 * are valid UTF-8 of a more plausible text; real accented Latin and
 * real Chinese do not survive that round trip.  U+FFFD, which only a
 * failed conversion writes, is flagged too.
 */
#ifndef MOJIBAKE_H
#define MOJIBAKE_H

#include <stddef.h>

struct buf;

enum mojibake {
	MOJI_NONE = 0,
	MOJI_LATIN,	/* UTF-8 read as Latin-1 or CP1252 */
	MOJI_GBK,	/* UTF-8 read as GBK */
	MOJI_LOST,	/* U+FFFD replacement characters read as GBK */
	MOJI_REPLACED	/* U+FFFD itself: an earlier conversion lost text */
};

/*
 * Look at the UTF-8 text s.  Returns what kind of mojibake it holds,
 * and with fixed not NULL appends there the text with every suspect
 * run decoded (what the text probably said).  Text that is not valid
 * UTF-8 is MOJI_NONE.
 */
enum mojibake	 mojibake_check(const char *s, size_t n, struct buf *fixed);
/* "UTF-8 read as CP1252" ... for messages. */
const char	*mojibake_name(enum mojibake);

#endif
