/*
 * Excel number formats: which ones show a date, a time of day, elapsed
 * time, a percentage, money or text.  A workbook stores every date as
 * a plain number; only its cell's format says that it is a date.
 */
#ifndef NUMFMT_H
#define NUMFMT_H

enum nf_kind {
	NF_NUMBER = 0,	/* General, or any format that shows a number */
	NF_DATE,	/* a calendar date, perhaps with a time */
	NF_TIME,	/* a time of day and no date: h:mm, 上午/下午h"时" */
	NF_DURATION,	/* elapsed time: [h]:mm:ss, [mm]:ss */
	NF_TEXT		/* "@": the cell is formatted as text */
};

/* A class is a kind in the low byte, or'ed with these hints. */
#define NF_KIND(cls)	((enum nf_kind)((cls) & 0xff))
#define NF_PERCENT	0x100	/* 0%, 0.00% */
#define NF_CURRENCY	0x200	/* ¥ ￥ $ € £ or [$¥-804] */
/*
 * Zero-padded whole numbers, "000000": the digits shown (2-30), kept in
 * bits 16-23.  Postcodes and customer codes keep their zeros this way.
 */
#define NF_PAD(cls)	(((cls) >> 16) & 0xff)
/*
 * The currency a format's sign names ([$$-409], "€", [$USD]), as an
 * index for numfmt_code() in bits 24-31; 0 when the sign names none
 * for sure (the built-in ids, whose sign is the reader's locale's).
 */
#define NF_CUR(cls)	(((cls) >> 24) & 0xff)

/*
 * The class of a format code such as "yyyy\-mm\-dd" or
 * "[DBNum1][$-804]yyyy\"年\"m\"月\"".  Only the first section (the one
 * for positive numbers) decides; quoted literals, escaped characters
 * and bracketed colours, locales and conditions are skipped, except the
 * [h] [mm] [ss] elapsed-time markers.  NULL or "" is NF_NUMBER.
 */
unsigned	numfmt_class(const char *code);

/*
 * The class of a built-in format id (0-163), including the East Asian
 * ids 27-36 and 50-58 that styles.xml never spells out.  Unknown ids
 * are NF_NUMBER.
 */
unsigned	numfmt_builtin(unsigned id);

/* The ISO code of a currency index (NF_CUR), or NULL for 0. */
const char	*numfmt_code(unsigned idx);

#endif
