/*
 * Value normalizers: the text of one cell to a typed value, in exact
 * decimal arithmetic (never binary floating point on the way), with the
 * reason when the text is not a value of that type.
 *
 * Every function takes the cell text s of n bytes (UTF-8, not
 * necessarily NUL-terminated) and returns NORM_OK, NORM_EMPTY for a
 * blank cell, or NORM_BAD with *why set to a short static English
 * phrase ("not a money value", "approximate amount not accepted").
 */
#ifndef NORM_H
#define NORM_H

#include <stddef.h>
#include <stdint.h>

#include "xldate.h"

struct buf;

enum norm_rc {
	NORM_OK = 0,
	NORM_EMPTY = 1,
	NORM_BAD = -1,
	NORM_AMBIGUOUS = -2	/* dates: day/month order unknown */
};

/*
 * Money to integer fen (1/100 yuan), half-up on the exact decimal.
 * Accepts 12.5万, ¥1,234.50, 1.2亿, 2.01万元, RMB 8,000, (1,200) and
 * （3,000.50） as negatives, -1,200.50, full-width digits, 1.2E+5, a lone
 * dash as zero (Excel's accounting format).  scale multiplies a value
 * that carries no unit of its own (a header said 万元: 10000); a unit in
 * the cell wins.  cur receives the ISO code ("CNY", "USD", ...; CNY when
 * none is written), 4 bytes.
 */
int	norm_money(const char *s, size_t n, long scale, int64_t *fen,
	    char *cur, const char **why);
/* The same, with cur "" when the cell names no currency. */
int	norm_money_in(const char *s, size_t n, long scale, int64_t *fen,
	    char *cur, const char **why);
/*
 * A column's unit as a header writes it in brackets: a magnitude, a
 * currency or both (万元, 万美元, USD, 千美元, k$).  1 with *scale
 * (10000 for 万) and cur (the ISO code, "" when none is named), 0 when
 * the text is not a unit (含税, 备注).
 */
int	norm_unit(const char *s, size_t n, long *scale, char *cur);
/*
 * A currency column's cell (币种): USD, usd, 美元, $, 人民币, 元 and any
 * three-letter code, into cur as the upper-case ISO code.  NORM_OK,
 * NORM_EMPTY or NORM_BAD.
 */
int	norm_currency(const char *s, size_t n, char *cur);
/* The words norm_currency() knows besides the codes, for messages. */
extern const char norm_currency_words[];

/* Day/month order for dates written with the year last. */
enum date_order {
	ORDER_UNKNOWN = 0,
	ORDER_DMY,		/* 28/08/2022 */
	ORDER_MDY		/* 3/5/2026 in an English-locale export */
};

#define NO_TZ	(-100000)	/* *tzmin when the text has no offset */

/*
 * A date or date-time as people and programs write it: 2026-03-05,
 * 2026/3/5, 2026.3.5, 2026年3月5日, 20260305, 2026-03-05 14:22[:10],
 * 2018/5/16 9:41, ISO 8601 instants with Z or an offset, 12-hour times
 * with AM/PM or 上午/下午, year-last forms (3/5/2026, 28-08-2022 17:00,
 * 3/5/26) read in the given order, English month names (5-Mar-2026,
 * Mar 5, 2026).  With allow_serial, an Excel 1900-system serial between
 * 20000 and 80000 (46086, 46086.5) is a date too.
 *
 * Sets *c, *has_time (1 when a time of day was written) and *tzmin (the
 * written UTC offset in minutes, or NO_TZ).  A year-last date whose
 * order is not given returns NORM_AMBIGUOUS unless its numbers settle
 * it; *settles, when not NULL, receives the order the text proves
 * (ORDER_DMY when the first number exceeds 12, ...) or ORDER_UNKNOWN.
 */
int	norm_datetime(const char *s, size_t n, enum date_order order,
	    int allow_serial, struct civil *c, int *has_time, int *tzmin,
	    enum date_order *settles, const char **why);

/*
 * An identifier kept as text (order numbers, customer codes, phones,
 * postcodes, ID numbers): NFKC, trimmed, Excel's ="000789" escape
 * unwrapped, an integral float written by a program (13900000082.0,
 * 1.3900000083E10 with all digits present) rendered as clean digits.
 * Scientific notation that lost digits (1.39E+10) is NORM_BAD: the
 * digits are gone and must not be guessed.  out receives the text.
 */
int	norm_id(const char *s, size_t n, struct buf *out, const char **why);

/* A whole number (employees, capacity, quantity), 1,200 allowed. */
int	norm_int(const char *s, size_t n, int64_t *v, const char **why);
/* A decimal (rates, coordinates); 45% is 0.45. */
int	norm_decimal(const char *s, size_t n, double *v, const char **why);
/* Yes/no: 是 否 有 无 Y N yes no true false 1 0 在职 离职 启用 停用. */
int	norm_bool(const char *s, size_t n, int *v, const char **why);

#endif
