/*
 * Unit tests for lib/norm.c: every example of the bug-case file the
 * normalizers were written against, and the edges around them.  Each
 * check names its input, so a failure reads "money '1.13万'".
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "norm.h"
#include "tap.h"
#include "xldate.h"

#define MONEY(in, scale, want, cur) t_money(__LINE__, in, scale, want, cur)
#define MONEY_BAD(in, scale, why) t_money_bad(__LINE__, in, scale, why)
#define DATE(in, ord, ser, want, tz) t_date(__LINE__, in, ord, ser, want, tz)
#define DATE_BAD(in, ord, ser, rc, why) \
	t_date_bad(__LINE__, in, ord, ser, rc, why)
#define ID(in, want) t_id(__LINE__, in, NORM_OK, want, NULL)
#define ID_BAD(in, why) t_id(__LINE__, in, NORM_BAD, NULL, why)
#define INT(in, want) t_int(__LINE__, in, NORM_OK, want, NULL)
#define INT_BAD(in, why) t_int(__LINE__, in, NORM_BAD, 0, why)
#define DEC(in, want) t_dec(__LINE__, in, NORM_OK, want, NULL)
#define DEC_BAD(in, why) t_dec(__LINE__, in, NORM_BAD, 0, why)
#define BOOL(in, want) t_bool(__LINE__, in, NORM_OK, want)
#define BOOL_BAD(in) t_bool(__LINE__, in, NORM_BAD, 0)

static const char *
rc_name(int rc)
{
	switch (rc) {
	case NORM_OK:
		return "NORM_OK";
	case NORM_EMPTY:
		return "NORM_EMPTY";
	case NORM_BAD:
		return "NORM_BAD";
	case NORM_AMBIGUOUS:
		return "NORM_AMBIGUOUS";
	default:
		return "?";
	}
}

static int
same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) ||
	    (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* One check of norm_money that must succeed with fen and currency. */
static void
t_money(int line, const char *in, long scale, int64_t want, const char *wcur)
{
	char name[128], cur[4];
	const char *why;
	int64_t fen;
	int rc, pass;

	snprintf(name, sizeof(name), "money '%s' scale %ld", in, scale);
	rc = norm_money(in, strlen(in), scale, &fen, cur, &why);
	pass = rc == NORM_OK && fen == want && strcmp(cur, wcur) == 0 &&
	    why == NULL;
	tap_result(pass, __FILE__, line, name);
	if (!pass)
		printf("#   got:  %s %lld %s (%s)\n#   want: NORM_OK %lld %s\n",
		    rc_name(rc), (long long)fen, cur, why ? why : "",
		    (long long)want, wcur);
}

/* One check of norm_money that must fail for the reason why. */
static void
t_money_bad(int line, const char *in, long scale, const char *wwhy)
{
	char name[128], cur[4];
	const char *why;
	int64_t fen;
	int rc, want, pass;

	snprintf(name, sizeof(name), "money '%s' is refused", in);
	want = wwhy == NULL ? NORM_EMPTY : NORM_BAD;
	rc = norm_money(in, strlen(in), scale, &fen, cur, &why);
	pass = rc == want && same(why, wwhy) && fen == 0;
	tap_result(pass, __FILE__, line, name);
	if (!pass)
		printf("#   got:  %s %lld '%s'\n#   want: %s '%s'\n",
		    rc_name(rc), (long long)fen, why ? why : "(null)",
		    rc_name(want), wwhy ? wwhy : "(null)");
}

/*
 * One check of norm_datetime that must succeed.  want is the date as
 * civil_format writes it, with the time exactly when one was written.
 */
static void
t_date(int line, const char *in, enum date_order ord, int serial,
    const char *want, int wtz)
{
	char name[160], got[CIVIL_TEXT_MAX];
	struct civil c;
	const char *why;
	int rc, has_time, tz, pass;

	snprintf(name, sizeof(name), "date '%s' order %d%s is %s", in,
	    (int)ord, serial ? " serial" : "", want);
	rc = norm_datetime(in, strlen(in), ord, serial, &c, &has_time, &tz,
	    NULL, &why);
	civil_format(got, &c, has_time);
	pass = rc == NORM_OK && strcmp(got, want) == 0 && tz == wtz &&
	    why == NULL;
	tap_result(pass, __FILE__, line, name);
	if (!pass)
		printf("#   got:  %s '%s' tz %d (%s)\n#   want: '%s' tz %d\n",
		    rc_name(rc), got, tz, why ? why : "", want, wtz);
}

static void
t_date_bad(int line, const char *in, enum date_order ord, int serial,
    int want, const char *wwhy)
{
	char name[160];
	struct civil c;
	const char *why;
	int rc, has_time, tz, pass;

	snprintf(name, sizeof(name), "date '%s' order %d is %s", in,
	    (int)ord, rc_name(want));
	rc = norm_datetime(in, strlen(in), ord, serial, &c, &has_time, &tz,
	    NULL, &why);
	pass = rc == want && same(why, wwhy) && c.y == 0 && has_time == 0 &&
	    tz == NO_TZ;
	tap_result(pass, __FILE__, line, name);
	if (!pass)
		printf("#   got:  %s '%s'\n#   want: %s '%s'\n", rc_name(rc),
		    why ? why : "(null)", rc_name(want),
		    wwhy ? wwhy : "(null)");
}

static void
t_id(int line, const char *in, int want, const char *wout, const char *wwhy)
{
	struct buf out = {0};
	char name[128];
	const char *why;
	int rc, pass;

	snprintf(name, sizeof(name), "id '%s'", in);
	buf_adds(&out, "stale");	/* norm_id must replace, not append */
	rc = norm_id(in, strlen(in), &out, &why);
	pass = rc == want && same(why, wwhy) &&
	    (wout == NULL || strcmp(buf_str(&out), wout) == 0);
	tap_result(pass, __FILE__, line, name);
	if (!pass)
		printf("#   got:  %s '%s' (%s)\n#   want: %s '%s' (%s)\n",
		    rc_name(rc), buf_str(&out), why ? why : "", rc_name(want),
		    wout ? wout : "", wwhy ? wwhy : "");
	buf_free(&out);
}

static void
t_int(int line, const char *in, int want, int64_t wv, const char *wwhy)
{
	char name[128];
	const char *why;
	int64_t v;
	int rc, pass;

	snprintf(name, sizeof(name), "int '%s'", in);
	rc = norm_int(in, strlen(in), &v, &why);
	pass = rc == want && same(why, wwhy) && (rc != NORM_OK || v == wv);
	tap_result(pass, __FILE__, line, name);
	if (!pass)
		printf("#   got:  %s %lld (%s)\n#   want: %s %lld (%s)\n",
		    rc_name(rc), (long long)v, why ? why : "", rc_name(want),
		    (long long)wv, wwhy ? wwhy : "");
}

/* Doubles compare exactly: the text must give the nearest double. */
static void
t_dec(int line, const char *in, int want, double wv, const char *wwhy)
{
	char name[128];
	const char *why;
	double v;
	int rc, pass;

	snprintf(name, sizeof(name), "decimal '%s'", in);
	rc = norm_decimal(in, strlen(in), &v, &why);
	pass = rc == want && same(why, wwhy) && (rc != NORM_OK || v == wv);
	tap_result(pass, __FILE__, line, name);
	if (!pass)
		printf("#   got:  %s %.17g (%s)\n#   want: %s %.17g (%s)\n",
		    rc_name(rc), v, why ? why : "", rc_name(want), wv,
		    wwhy ? wwhy : "");
}

static void
t_bool(int line, const char *in, int want, int wv)
{
	char name[128];
	const char *why;
	int rc, v, pass;

	snprintf(name, sizeof(name), "bool '%s'", in);
	rc = norm_bool(in, strlen(in), &v, &why);
	pass = rc == want && (rc == NORM_OK ? v == wv && why == NULL :
	    same(why, want == NORM_BAD ? "not yes or no" : NULL));
	tap_result(pass, __FILE__, line, name);
	if (!pass)
		printf("#   got:  %s %d (%s)\n#   want: %s %d\n", rc_name(rc),
		    v, why ? why : "", rc_name(want), wv);
}

/* The rows of the bug-case file, then the money grammar around them. */
static void
test_money(void)
{
	const char *why;
	char cur[4];
	int64_t fen;

	MONEY("12.5万", 1, 12500000, "CNY");
	/* B09 family: what else sales people write. */
	MONEY("1,234.5万", 1, 1234500000, "CNY");
	MONEY("-¥3,000", 1, -300000, "CNY");
	MONEY("¥-3,000", 1, -300000, "CNY");
	MONEY("3,000.00元", 1, 300000, "CNY");
	MONEY("USD 1,200", 1, 120000, "USD");
	MONEY("12.5 万元", 1, 12500000, "CNY");
	MONEY("１２．５万", 1, 12500000, "CNY");
	MONEY("0.125亿", 1, 1250000000, "CNY");
	/* Capitals, as contracts and invoices write amounts. */
	MONEY("壹万贰仟", 1, 1200000, "CNY");
	MONEY("壹万贰仟元整", 1, 1200000, "CNY");
	MONEY("人民币叁仟伍佰元伍角", 1, 350050, "CNY");
	MONEY("贰拾万元", 1, 2000000000 / 100, "CNY");
	MONEY("拾万元整", 1, 10000000, "CNY");
	MONEY("壹亿零伍佰万元", 1, 10500000000LL, "CNY");
	MONEY("壹仟零伍元零陆分", 1, 100506, "CNY");
	MONEY("十二万", 1, 12000000, "CNY");
	MONEY("两千", 1, 200000, "CNY");
	MONEY("负壹仟元", 1, -100000, "CNY");
	MONEY_BAD("壹贰叁", 1, "not a money value");
	MONEY_BAD("伍角", 1, "not a money value");
	MONEY_BAD("元壹", 1, "not a money value");
	MONEY_BAD("壹元贰元", 1, "not a money value");
	MONEY_BAD("整", 1, "not a money value");
	MONEY_BAD("壹万元整整", 1, "not a money value");
	MONEY_BAD("零拾元", 1, "not a money value");
	MONEY_BAD("拾拾元", 1, "not a money value");
	MONEY_BAD("壹佰贰仟元", 1, "not a money value");
	MONEY_BAD("壹亿亿亿亿元", 1, "not a money value");
	MONEY("壹拾万零贰佰元", 1, 10020000, "CNY");
	/* A decimal comma with spaces between thousands: which is it? */
	MONEY_BAD("¥ 1 234,50", 1, "not a money value");
	MONEY("¥1,234.00", 1, 123400, "CNY");
	MONEY("1.2亿", 1, 12000000000LL, "CNY");
	MONEY("(1,200)", 1, -120000, "CNY");
	MONEY("-", 1, 0, "CNY");
	MONEY("1.13万", 1, 1130000, "CNY");
	MONEY("2.01万元", 1, 2010000, "CNY");
	MONEY("1.23456789亿", 1, 12345678900LL, "CNY");
	MONEY("￥2.675", 1, 268, "CNY");
	MONEY("（3,000.50）", 1, -300050, "CNY");
	MONEY("-1,200.50", 1, -120050, "CNY");
	MONEY("12.5 万", 1, 12500000, "CNY");
	MONEY("1,234,567.89", 1, 123456789, "CNY");
	MONEY_BAD("", 1, NULL);
	MONEY("RMB 8,000", 1, 800000, "CNY");
	MONEY_BAD("约12万", 1, "approximate amount not accepted");
	MONEY_BAD("待定", 1, "not a money value");
	MONEY_BAD("n/a", 1, "not a money value");
	MONEY_BAD("12,3O", 1, "not a money value");

	/* Binary floating point would get these wrong by a fen. */
	MONEY("0.29", 1, 29, "CNY");
	MONEY("1.005", 1, 101, "CNY");
	MONEY("4.35万", 1, 4350000, "CNY");
	MONEY("0.1亿", 1, 1000000000, "CNY");

	/* Half-up, away from zero, on the exact decimal. */
	MONEY("0.005", 1, 1, "CNY");
	MONEY("0.0049999", 1, 0, "CNY");
	MONEY("-0.005", 1, -1, "CNY");
	MONEY("-2.675", 1, -268, "CNY");
	MONEY("0.00499999999999999999999999999", 1, 0, "CNY");
	MONEY("0.123456789012345678901234567895", 1, 12, "CNY");
	MONEY("1.2345678万", 1, 1234568, "CNY");

	/* Dashes for zero, as Excel's accounting format and people write. */
	MONEY("－", 1, 0, "CNY");
	MONEY("—", 1, 0, "CNY");
	MONEY("–", 1, 0, "CNY");
	MONEY(" - ", 1, 0, "CNY");
	MONEY("¥ -", 1, 0, "CNY");
	MONEY("$ -", 1, 0, "USD");
	MONEY_BAD("--", 1, "not a money value");
	MONEY_BAD("--5", 1, "not a money value");

	/* Signs and parentheses around the currency, either way round. */
	MONEY("+500", 1, 50000, "CNY");
	MONEY("¥-1,200", 1, -120000, "CNY");
	MONEY("-¥1,200", 1, -120000, "CNY");
	MONEY("¥(1,200)", 1, -120000, "CNY");
	MONEY("(¥1,200)", 1, -120000, "CNY");
	MONEY("(1,200元)", 1, -120000, "CNY");
	MONEY("(1,200)元", 1, -120000, "CNY");
	MONEY("\xe2\x88\x92" "5", 1, -500, "CNY");
	MONEY_BAD("(-1,200)", 1, "not a money value");
	MONEY_BAD("-(1,200)", 1, "not a money value");
	MONEY_BAD("(1,200", 1, "not a money value");
	MONEY_BAD("1,200)", 1, "not a money value");
	MONEY_BAD("1,200-", 1, "not a money value");
	MONEY_BAD("(1,200) 5", 1, "not a money value");
	MONEY_BAD("(1,200))", 1, "not a money value");

	/* Units. */
	MONEY("12元", 1, 1200, "CNY");
	MONEY("12.5万元整", 1, 12500000, "CNY");
	MONEY("12 万 元", 1, 12000000, "CNY");
	MONEY("(12.5万)", 1, -12500000, "CNY");
	MONEY("USD -1,200", 1, -120000, "USD");
	MONEY("1,234.5678", 1, 123457, "CNY");
	MONEY_BAD("12整", 1, "not a money value");
	MONEY("12千", 1, 1200000, "CNY");
	MONEY("12千元", 1, 1200000, "CNY");
	MONEY("12k", 1, 1200000, "CNY");
	MONEY("12K", 1, 1200000, "CNY");
	MONEY("1.5百万", 1, 150000000, "CNY");
	MONEY("3千万", 1, 3000000000LL, "CNY");
	MONEY("12w", 1, 12000000, "CNY");
	MONEY("12W", 1, 12000000, "CNY");
	MONEY("1万亿", 1, 100000000000000LL, "CNY");
	MONEY("12亿元", 1, 120000000000LL, "CNY");
	MONEY_BAD("1亿万", 1, "more than one unit");
	MONEY_BAD("1万万", 1, "more than one unit");
	MONEY_BAD("12元万", 1, "not a money value");
	MONEY_BAD("12元元", 1, "not a money value");
	MONEY_BAD("万", 1, "not a money value");
	MONEY_BAD("¥", 1, "not a money value");
	MONEY_BAD("元", 1, "not a money value");

	/* Currencies, as prefix or suffix, in any case. */
	MONEY("8,000 RMB", 1, 800000, "CNY");
	MONEY("rmb8000", 1, 800000, "CNY");
	MONEY("CNY 100", 1, 10000, "CNY");
	MONEY("人民币12万元", 1, 12000000, "CNY");
	MONEY("¥1,234.50", 1, 123450, "CNY");
	MONEY("\xc2\xa5" "99", 1, 9900, "CNY");
	MONEY("USD 1,200", 1, 120000, "USD");
	MONEY("US$1,200", 1, 120000, "USD");
	MONEY("$1,200.50", 1, 120050, "USD");
	MONEY("＄5", 1, 500, "USD");
	MONEY("12美元", 1, 1200, "USD");
	MONEY("1,200 usd", 1, 120000, "USD");
	MONEY("HK$100", 1, 10000, "HKD");
	MONEY("100 HKD", 1, 10000, "HKD");
	MONEY("100港元", 1, 10000, "HKD");
	MONEY("EUR 50", 1, 5000, "EUR");
	MONEY("€50", 1, 5000, "EUR");
	MONEY("€1.2万", 1, 1200000, "EUR");
	MONEY("¥12万元", 1, 12000000, "CNY");
	MONEY_BAD("$12元", 1, "conflicting currencies");
	MONEY_BAD("¥12 USD", 1, "conflicting currencies");
	MONEY_BAD("12 KRW", 1, "not a money value");

	/* Exponents, as programs write them. */
	MONEY("1.2E+5", 1, 12000000, "CNY");
	MONEY("1.2e5", 1, 12000000, "CNY");
	MONEY("1.2E-1", 1, 12, "CNY");
	MONEY("5E-3", 1, 1, "CNY");
	MONEY("1e-50", 1, 0, "CNY");
	MONEY_BAD("1e", 1, "not a money value");
	MONEY_BAD("12E", 1, "not a money value");
	MONEY_BAD("1e30", 1, "amount too large");

	/* Full width, via NFKC. */
	MONEY("１２．５万", 1, 12500000, "CNY");
	MONEY("－１，２００．５０", 1, -120050, "CNY");
	MONEY("１２３", 1, 12300, "CNY");

	/* Points and thousands separators. */
	MONEY(".5", 1, 50, "CNY");
	MONEY("1.", 1, 100, "CNY");
	MONEY("0", 1, 0, "CNY");
	MONEY("0.00", 1, 0, "CNY");
	MONEY("007", 1, 700, "CNY");
	MONEY("1,234", 1, 123400, "CNY");
	MONEY("12,345,678", 1, 1234567800, "CNY");
	MONEY("123,456", 1, 12345600, "CNY");
	MONEY_BAD("1.2.3", 1, "more than one decimal point");
	MONEY_BAD("1,23,4", 1, "misplaced thousands separator");
	MONEY_BAD("1,2345", 1, "misplaced thousands separator");
	MONEY_BAD("1234,567", 1, "misplaced thousands separator");
	MONEY_BAD("1,23.5", 1, "misplaced thousands separator");
	MONEY_BAD("1.234,50", 1, "decimal comma not accepted");
	MONEY_BAD(",5", 1, "not a money value");
	MONEY_BAD(".", 1, "not a money value");
	MONEY_BAD("1 234", 1, "not a money value");

	/* Estimates, bounds and ranges are not amounts. */
	MONEY_BAD("大约12万", 1, "approximate amount not accepted");
	MONEY_BAD("约合12万", 1, "approximate amount not accepted");
	MONEY_BAD("12万左右", 1, "approximate amount not accepted");
	MONEY_BAD("12万上下", 1, "approximate amount not accepted");
	MONEY_BAD("~12万", 1, "approximate amount not accepted");
	MONEY_BAD("～12万", 1, "approximate amount not accepted");
	MONEY_BAD("≈12万", 1, "approximate amount not accepted");
	MONEY_BAD("12万多", 1, "approximate amount not accepted");
	MONEY_BAD("12万余", 1, "approximate amount not accepted");
	MONEY_BAD("10万以上", 1, "approximate amount not accepted");
	MONEY_BAD("12万+", 1, "approximate amount not accepted");
	MONEY_BAD("approx. 5000", 1, "approximate amount not accepted");
	MONEY_BAD("10-20万", 1, "range of amounts not accepted");
	MONEY_BAD("10万-20万", 1, "range of amounts not accepted");
	MONEY_BAD("10~20万", 1, "range of amounts not accepted");
	MONEY_BAD("10 - 20万", 1, "range of amounts not accepted");
	MONEY_BAD("10至20万", 1, "range of amounts not accepted");
	MONEY_BAD("¥10-¥20", 1, "range of amounts not accepted");

	/* The column's scale applies only where the cell names no unit. */
	MONEY("12.5", 10000, 12500000, "CNY");
	MONEY("12.5万", 10000, 12500000, "CNY");
	MONEY("12元", 10000, 1200, "CNY");
	MONEY("¥12", 10000, 12000000, "CNY");
	MONEY("(1.5)", 10000, -1500000, "CNY");
	MONEY("3", 1000, 300000, "CNY");
	MONEY("0.00005", 10000, 50, "CNY");
	MONEY("7", 0, 700, "CNY");
	MONEY("-", 10000, 0, "CNY");

	/* The edge of int64 fen. */
	MONEY("92233720368547758.07", 1, INT64_MAX, "CNY");
	MONEY("-92233720368547758.07", 1, -INT64_MAX, "CNY");
	MONEY_BAD("92233720368547758.08", 1, "amount too large");
	MONEY_BAD("99999999999999999999", 1, "amount too large");
	MONEY_BAD("1000000000000000", 10000, "amount too large");
	MONEY_BAD("100000000000亿", 1, "amount too large");
	MONEY("922337203.68547758亿", 1, 9223372036854775800LL, "CNY");

	/* Blank cells, and what the caller gets back. */
	MONEY_BAD("   ", 1, NULL);
	MONEY_BAD("\xe3\x80\x80", 1, NULL);
	MONEY_BAD("\xe2\x80\x8b", 1, NULL);
	MONEY("\xef\xbb\xbf" "12", 1, 1200, "CNY");
	MONEY_BAD("abc", 1, "not a money value");

	/* n bounds the text: the bytes after it are not read. */
	is_int(norm_money("12.5万 junk", 8, 1, &fen, cur, &why), NORM_OK,
	    "money reads only n bytes");
	is_int(fen, 12500000, "money of the first n bytes");
	is_int(norm_money(NULL, 0, 1, &fen, cur, &why), NORM_EMPTY,
	    "money of NULL, 0 is empty");
	is_str(cur, "CNY", "money of an empty cell says CNY");
}

static void
test_date(void)
{
	enum date_order settles;
	struct civil c;
	const char *why;
	int has_time, tz, rc;

	/* Year first, no time. */
	DATE("2026-03-05", ORDER_UNKNOWN, 0, "2026-03-05", NO_TZ);
	DATE("2026/3/5", ORDER_UNKNOWN, 0, "2026-03-05", NO_TZ);
	DATE("2026.3.5", ORDER_UNKNOWN, 0, "2026-03-05", NO_TZ);
	DATE("2026年3月5日", ORDER_UNKNOWN, 0, "2026-03-05", NO_TZ);
	DATE("2026年3月5号", ORDER_UNKNOWN, 0, "2026-03-05", NO_TZ);
	DATE("2026 年 3 月 5 日", ORDER_UNKNOWN, 0, "2026-03-05", NO_TZ);
	DATE("20260305", ORDER_UNKNOWN, 0, "2026-03-05", NO_TZ);
	DATE("２０２６－０３－０５", ORDER_UNKNOWN, 0, "2026-03-05", NO_TZ);
	DATE("2024-02-29", ORDER_UNKNOWN, 0, "2024-02-29", NO_TZ);
	DATE(" 2026-03-05 ", ORDER_MDY, 0, "2026-03-05", NO_TZ);

	/* With a time of day. */
	DATE("2026-03-05 14:22", ORDER_UNKNOWN, 0, "2026-03-05 14:22:00",
	    NO_TZ);
	DATE("2026-03-05 14:22:10", ORDER_UNKNOWN, 0, "2026-03-05 14:22:10",
	    NO_TZ);
	DATE("2018/5/16 9:41", ORDER_UNKNOWN, 0, "2018-05-16 09:41:00",
	    NO_TZ);
	DATE("2016-10-20 00:00:00", ORDER_UNKNOWN, 0, "2016-10-20 00:00:00",
	    NO_TZ);
	DATE("2026-03-05 14:22:10.987", ORDER_UNKNOWN, 0,
	    "2026-03-05 14:22:10", NO_TZ);
	DATE("2026-03-05 23:59:59.999", ORDER_UNKNOWN, 0,
	    "2026-03-05 23:59:59", NO_TZ);
	DATE("20260305142210", ORDER_UNKNOWN, 0, "2026-03-05 14:22:10",
	    NO_TZ);
	DATE("20260305 14:22", ORDER_UNKNOWN, 0, "2026-03-05 14:22:00",
	    NO_TZ);

	/* ISO 8601 instants. */
	DATE("2026-03-05T14:22:00+08:00", ORDER_UNKNOWN, 0,
	    "2026-03-05 14:22:00", 480);
	DATE("2026-03-05T14:22:00Z", ORDER_UNKNOWN, 0, "2026-03-05 14:22:00",
	    0);
	DATE("2026-03-05T14:22:00.123Z", ORDER_UNKNOWN, 0,
	    "2026-03-05 14:22:00", 0);
	DATE("2026-03-05 14:22:00 +0800", ORDER_UNKNOWN, 0,
	    "2026-03-05 14:22:00", 480);
	DATE("2026-03-05 14:22:00+0800", ORDER_UNKNOWN, 0,
	    "2026-03-05 14:22:00", 480);
	DATE("2026-03-05T14:22:00-05:00", ORDER_UNKNOWN, 0,
	    "2026-03-05 14:22:00", -300);
	DATE("2026-03-05T14:22+05:30", ORDER_UNKNOWN, 0,
	    "2026-03-05 14:22:00", 330);
	DATE("2026-03-05 14:22 UTC", ORDER_UNKNOWN, 0, "2026-03-05 14:22:00",
	    0);
	DATE("2026-03-05 14:22 GMT+8", ORDER_UNKNOWN, 0,
	    "2026-03-05 14:22:00", 480);
	DATE("2026-03-05t14:22z", ORDER_UNKNOWN, 0, "2026-03-05 14:22:00", 0);

	/* Year last: the numbers settle the order, or the caller does. */
	DATE("28-08-2022 17:00", ORDER_UNKNOWN, 0, "2022-08-28 17:00:00",
	    NO_TZ);
	DATE("10/20/2016", ORDER_UNKNOWN, 0, "2016-10-20", NO_TZ);
	DATE_BAD("3/5/2026", ORDER_UNKNOWN, 0, NORM_AMBIGUOUS,
	    "day and month order unknown");
	DATE("3/5/2026", ORDER_MDY, 0, "2026-03-05", NO_TZ);
	DATE("3/5/2026", ORDER_DMY, 0, "2026-05-03", NO_TZ);
	DATE("5/5/2026", ORDER_UNKNOWN, 0, "2026-05-05", NO_TZ);
	DATE("5.3.2026", ORDER_DMY, 0, "2026-03-05", NO_TZ);
	DATE("13.3.2026", ORDER_UNKNOWN, 0, "2026-03-13", NO_TZ);
	DATE_BAD("13/13/2026", ORDER_UNKNOWN, 0, NORM_BAD, "no such date");
	DATE_BAD("31/31/2026", ORDER_DMY, 0, NORM_BAD, "no such date");
	DATE_BAD("28/08/2022", ORDER_MDY, 0, NORM_BAD,
	    "not a date in the given day/month order");
	DATE_BAD("31/04/2026", ORDER_UNKNOWN, 0, NORM_BAD, "no such date");
	DATE_BAD("3/5-2026", ORDER_MDY, 0, NORM_BAD, "not a date");

	/* What the text proves, reported through settles. */
	rc = norm_datetime("28-08-2022 17:00", 16, ORDER_UNKNOWN, 0, &c,
	    &has_time, &tz, &settles, &why);
	is_int(rc, NORM_OK, "28-08-2022 17:00 is a date");
	is_int(settles, ORDER_DMY, "28-08-2022 settles day first");
	is_int(has_time, 1, "28-08-2022 17:00 has a time");
	is_int(c.hh * 100 + c.mm, 1700, "28-08-2022 17:00 is at 17:00");
	rc = norm_datetime("10/20/2016", 10, ORDER_UNKNOWN, 0, &c, &has_time,
	    &tz, &settles, &why);
	is_int(settles, ORDER_MDY, "10/20/2016 settles month first");
	is_int(has_time, 0, "10/20/2016 has no time");
	rc = norm_datetime("3/5/2026", 8, ORDER_UNKNOWN, 0, &c, &has_time, &tz,
	    &settles, &why);
	is_int(rc, NORM_AMBIGUOUS, "3/5/2026 alone is ambiguous");
	is_int(settles, ORDER_UNKNOWN, "3/5/2026 settles nothing");
	rc = norm_datetime("28/08/2022", 10, ORDER_MDY, 0, &c, &has_time, &tz,
	    &settles, &why);
	is_int(settles, ORDER_DMY, "28/08/2022 settles day first, even when "
	    "the caller said month first");
	rc = norm_datetime("2026-03-05", 10, ORDER_UNKNOWN, 0, &c, &has_time,
	    &tz, &settles, &why);
	is_int(settles, ORDER_UNKNOWN, "a year-first date settles nothing");

	/* Two-digit years pivot at 70. */
	DATE("3/5/26", ORDER_MDY, 0, "2026-03-05", NO_TZ);
	DATE("3/5/69", ORDER_MDY, 0, "2069-03-05", NO_TZ);
	DATE("3/5/70", ORDER_MDY, 0, "1970-03-05", NO_TZ);
	DATE("1/2/99", ORDER_DMY, 0, "1999-02-01", NO_TZ);
	DATE("1/2/00", ORDER_DMY, 0, "2000-02-01", NO_TZ);
	DATE_BAD("3/5/026", ORDER_MDY, 0, NORM_BAD, "not a date");

	/* Twelve-hour clocks. */
	DATE("3/5/26, 12:00:00 AM", ORDER_MDY, 0, "2026-03-05 00:00:00",
	    NO_TZ);
	DATE("3/5/26, 12:30:00 PM", ORDER_MDY, 0, "2026-03-05 12:30:00",
	    NO_TZ);
	DATE("3/5/26, 1:30:00 PM", ORDER_MDY, 0, "2026-03-05 13:30:00",
	    NO_TZ);
	DATE("3/5/26 11:59 pm", ORDER_MDY, 0, "2026-03-05 23:59:00", NO_TZ);
	DATE("3/5/26, 12:30:00\xe2\x80\xafPM", ORDER_MDY, 0,
	    "2026-03-05 12:30:00", NO_TZ);
	DATE("3/5/26 9:00\xc2\xa0PM", ORDER_MDY, 0, "2026-03-05 21:00:00",
	    NO_TZ);
	DATE("3/5/26 9:00PM", ORDER_MDY, 0, "2026-03-05 21:00:00", NO_TZ);
	DATE("3/5/26 9:00 AM", ORDER_MDY, 0, "2026-03-05 09:00:00", NO_TZ);
	DATE_BAD("3/5/26 13:00 AM", ORDER_MDY, 0, NORM_BAD,
	    "time of day out of range");
	DATE_BAD("3/5/26 0:30 PM", ORDER_MDY, 0, NORM_BAD,
	    "time of day out of range");
	DATE_BAD("3/5/26 AM 9:00 PM", ORDER_MDY, 0, NORM_BAD, "not a date");

	/* Chinese times of day, before or after the time. */
	DATE("2020/1/1 下午1:01", ORDER_UNKNOWN, 0, "2020-01-01 13:01:00",
	    NO_TZ);
	DATE("2020/1/1 1:01 上午", ORDER_UNKNOWN, 0, "2020-01-01 01:01:00",
	    NO_TZ);
	DATE("2020/1/1 上午12:30", ORDER_UNKNOWN, 0, "2020-01-01 00:30:00",
	    NO_TZ);
	DATE("2020/1/1 晚上8:00", ORDER_UNKNOWN, 0, "2020-01-01 20:00:00",
	    NO_TZ);
	DATE("2020/1/1 中午12:00", ORDER_UNKNOWN, 0, "2020-01-01 12:00:00",
	    NO_TZ);
	DATE("2020/1/1 中午1:00", ORDER_UNKNOWN, 0, "2020-01-01 13:00:00",
	    NO_TZ);
	DATE("2020/1/1 下午 13:00", ORDER_UNKNOWN, 0, "2020-01-01 13:00:00",
	    NO_TZ);
	DATE("2020/1/1下午1:01", ORDER_UNKNOWN, 0, "2020-01-01 13:01:00",
	    NO_TZ);
	DATE("2026年3月5日 14时22分", ORDER_UNKNOWN, 0,
	    "2026-03-05 14:22:00", NO_TZ);
	DATE("2026年3月5日14时22分10秒", ORDER_UNKNOWN, 0,
	    "2026-03-05 14:22:10", NO_TZ);
	DATE("2026年3月5日 下午2点", ORDER_UNKNOWN, 0, "2026-03-05 14:00:00",
	    NO_TZ);
	DATE("2026年3月5日 14:22", ORDER_UNKNOWN, 0, "2026-03-05 14:22:00",
	    NO_TZ);

	/* English month names. */
	DATE("5-Mar-2026", ORDER_UNKNOWN, 0, "2026-03-05", NO_TZ);
	DATE("05-Mar-26", ORDER_UNKNOWN, 0, "2026-03-05", NO_TZ);
	DATE("Mar 5, 2026", ORDER_UNKNOWN, 0, "2026-03-05", NO_TZ);
	DATE("March 5, 2026", ORDER_UNKNOWN, 0, "2026-03-05", NO_TZ);
	DATE("5 March 2026", ORDER_UNKNOWN, 0, "2026-03-05", NO_TZ);
	DATE("5 MAR 2026", ORDER_UNKNOWN, 0, "2026-03-05", NO_TZ);
	DATE("Mar. 5, 2026", ORDER_UNKNOWN, 0, "2026-03-05", NO_TZ);
	DATE("Sept 5, 2026", ORDER_UNKNOWN, 0, "2026-09-05", NO_TZ);
	DATE("December 31 1999", ORDER_UNKNOWN, 0, "1999-12-31", NO_TZ);
	DATE("March 5, 2026 2:30 PM", ORDER_UNKNOWN, 0,
	    "2026-03-05 14:30:00", NO_TZ);
	DATE("5-Mar-2026 14:22", ORDER_UNKNOWN, 0, "2026-03-05 14:22:00",
	    NO_TZ);
	DATE_BAD("31-Feb-2026", ORDER_UNKNOWN, 0, NORM_BAD, "no such date");
	DATE_BAD("5-Mrz-2026", ORDER_UNKNOWN, 0, NORM_BAD, "not a date");

	/* Excel serials, only when asked for and only in range. */
	DATE("46086", ORDER_UNKNOWN, 1, "2026-03-05", NO_TZ);
	DATE("46053", ORDER_UNKNOWN, 1, "2026-01-31", NO_TZ);
	DATE("46086.5", ORDER_UNKNOWN, 1, "2026-03-05 12:00:00", NO_TZ);
	DATE("46086.25", ORDER_UNKNOWN, 1, "2026-03-05 06:00:00", NO_TZ);
	DATE("46086.598611111111", ORDER_UNKNOWN, 1, "2026-03-05 14:22:00",
	    NO_TZ);
	DATE("46086.0", ORDER_UNKNOWN, 1, "2026-03-05", NO_TZ);
	DATE("46086.999999", ORDER_UNKNOWN, 1, "2026-03-06 00:00:00", NO_TZ);
	DATE("20000", ORDER_UNKNOWN, 1, "1954-10-03", NO_TZ);
	DATE("79999", ORDER_UNKNOWN, 1, "2119-01-10", NO_TZ);
	DATE("20260305", ORDER_UNKNOWN, 1, "2026-03-05", NO_TZ);
	DATE_BAD("46086", ORDER_UNKNOWN, 0, NORM_BAD, "not a date");
	DATE_BAD("46086.5", ORDER_UNKNOWN, 0, NORM_BAD, "not a date");
	DATE_BAD("80000", ORDER_UNKNOWN, 1, NORM_BAD, "not a date");
	DATE_BAD("19999", ORDER_UNKNOWN, 1, NORM_BAD, "not a date");
	DATE_BAD("-46086", ORDER_UNKNOWN, 1, NORM_BAD, "not a date");
	DATE_BAD("46086.", ORDER_UNKNOWN, 1, NORM_BAD, "not a date");

	/* Not real dates or times. */
	DATE_BAD("2026-02-30", ORDER_UNKNOWN, 0, NORM_BAD, "no such date");
	DATE_BAD("2026-13-01", ORDER_UNKNOWN, 0, NORM_BAD, "no such date");
	DATE_BAD("2026-00-10", ORDER_UNKNOWN, 0, NORM_BAD, "no such date");
	DATE_BAD("2025-02-29", ORDER_UNKNOWN, 0, NORM_BAD, "no such date");
	DATE_BAD("20261305", ORDER_UNKNOWN, 0, NORM_BAD, "no such date");
	DATE_BAD("2026-03-05 24:00", ORDER_UNKNOWN, 0, NORM_BAD,
	    "time of day out of range");
	DATE_BAD("2026-03-05 14:60", ORDER_UNKNOWN, 0, NORM_BAD,
	    "time of day out of range");
	DATE_BAD("2026-03-05 14:22:61", ORDER_UNKNOWN, 0, NORM_BAD,
	    "time of day out of range");
	DATE_BAD("20260305246000", ORDER_UNKNOWN, 0, NORM_BAD,
	    "time of day out of range");
	DATE_BAD("2026-03-05T14:22+15:00", ORDER_UNKNOWN, 0, NORM_BAD,
	    "time zone offset out of range");

	/* Not dates at all. */
	DATE_BAD("", ORDER_UNKNOWN, 0, NORM_EMPTY, NULL);
	DATE_BAD(" \xe3\x80\x80 ", ORDER_UNKNOWN, 1, NORM_EMPTY, NULL);
	DATE_BAD("garbage", ORDER_UNKNOWN, 0, NORM_BAD, "not a date");
	DATE_BAD("待定", ORDER_UNKNOWN, 0, NORM_BAD, "not a date");
	DATE_BAD("14:22", ORDER_UNKNOWN, 0, NORM_BAD, "not a date");
	DATE_BAD("2026-03", ORDER_UNKNOWN, 0, NORM_BAD, "not a date");
	/* A month and day without a year: not read, and the message says why. */
	DATE_BAD("3月5日", ORDER_UNKNOWN, 0, NORM_BAD, "date without a year");
	DATE_BAD("3/5", ORDER_UNKNOWN, 0, NORM_BAD, "date without a year");
	DATE_BAD("12-25", ORDER_UNKNOWN, 0, NORM_BAD, "date without a year");
	DATE_BAD("3/15 10:00", ORDER_UNKNOWN, 0, NORM_BAD,
	    "date without a year");
	DATE_BAD("13/13", ORDER_UNKNOWN, 0, NORM_BAD, "not a date");
	DATE_BAD("3.5", ORDER_UNKNOWN, 0, NORM_BAD, "not a date");
	DATE_BAD("3/5/", ORDER_UNKNOWN, 0, NORM_BAD, "not a date");
	DATE_BAD("2026-03-05 foo", ORDER_UNKNOWN, 0, NORM_BAD, "not a date");
	DATE_BAD("2026-03/05", ORDER_UNKNOWN, 0, NORM_BAD, "not a date");
	DATE_BAD("2026-03-05 14", ORDER_UNKNOWN, 0, NORM_BAD, "not a date");
	DATE_BAD("2026-03-05 14:2", ORDER_UNKNOWN, 0, NORM_BAD, "not a date");
	DATE_BAD("2026-03-05Z", ORDER_UNKNOWN, 0, NORM_BAD, "not a date");
	DATE_BAD("2026-03-05 14:22+8", ORDER_UNKNOWN, 0, NORM_BAD,
	    "not a date");
	DATE_BAD("1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22",
	    ORDER_UNKNOWN, 0, NORM_BAD, "not a date");
	DATE_BAD("123456789012345678901234", ORDER_UNKNOWN, 1, NORM_BAD,
	    "not a date");
}

/* Everything norm_datetime() says about s, as one string. */
static void
date_says(char *out, size_t sz, const char *s)
{
	struct civil c;
	enum date_order settles;
	const char *why;
	int rc, has_time, tz;

	rc = norm_datetime(s, strlen(s), ORDER_UNKNOWN, 1, &c, &has_time,
	    &tz, &settles, &why);
	snprintf(out, sz, "%d %d-%d-%d %d:%d:%d %d %d %d %s", rc, c.y, c.m,
	    c.d, c.hh, c.mm, c.ss, has_time, tz, (int)settles,
	    why != NULL ? why : "-");
}

/*
 * ISO dates and instants are read without the tokenizer (dt_iso()).
 * The tokenizer reads 2026/03/05 as 2026-03-05, and t and z as T and
 * Z, which the fast path leaves to it: each text must read the same
 * both ways, valid or not.
 */
static void
test_date_iso(void)
{
	static const char *const zones[] = {
		"", "Z", "z", "+08:00", "-05:00", "+0800", "+08", "-00:30",
		"+14:00", "+14:59", "+15:00", "+08:60", "+0860", "+8:00", "+08:0",
		"+08:000", " +08:00", "+08:00 ", "Z+08:00", "+", "-", ".5Z",
		".123+08:00", ":", "+08:00:00",
	};
	char a[96], s[96], t[96], ra[160], rb[160];
	long bad, trials;
	size_t k;

	srand(3);
	bad = 0;
	for (trials = 0; trials < 100000; trials++) {
		snprintf(a, sizeof(a), "%04d-%02d-%02d", rand() % 3 == 0 ?
		    rand() % 10000 : 2024 + rand() % 3, rand() % 14,
		    rand() % 33);
		switch (rand() % 4) {
		case 0:
			break;
		case 1:
			snprintf(a + 10, sizeof(a) - 10, "%c%02d:%02d",
			    rand() % 2 ? 'T' : ' ', rand() % 26, rand() % 62);
			break;
		default:
			snprintf(a + 10, sizeof(a) - 10, "%c%02d:%02d:%02d%s",
			    rand() % 2 ? 'T' : ' ', rand() % 26, rand() % 62,
			    rand() % 62, zones[rand() % (sizeof(zones) /
			    sizeof(zones[0]))]);
			break;
		}
		if (rand() % 20 == 0)
			a[rand() % strlen(a)] = "0:-+TZ x"[rand() % 8];
		snprintf(s, sizeof(s), "%s", a);
		snprintf(t, sizeof(t), "%s", a);
		if (strlen(t) >= 8 && t[4] == '-' && t[7] == '-')
			t[4] = t[7] = '/';
		for (k = 10; t[k] != '\0'; k++)
			if (t[k] == 'T' || t[k] == 'Z')
				t[k] = (char)(t[k] - 'A' + 'a');
		date_says(ra, sizeof(ra), s);
		date_says(rb, sizeof(rb), t);
		if (strcmp(ra, rb) != 0 && bad++ < 5)
			printf("# '%s': %s\n# '%s': %s\n", s, ra, t, rb);
	}
	is_int(bad, 0, "dates: ISO forms read as the tokenizer reads them");
}

static void
test_id(void)
{
	struct buf out = {0};
	const char *why;

	ID("000123", "000123");
	ID("=\"000789\"", "000789");
	ID("= \"000789\"", "000789");
	ID("=\" 000789 \"", "000789");
	ID("'000789", "000789");
	ID("=\"a\"\"b\"", "a\"b");
	ID("13900000082.0", "13900000082");
	ID("1002.0", "1002");
	ID("1002.00", "1002");
	ID("1.3900000083E10", "13900000083");
	ID("1.3900000083e+10", "13900000083");
	ID("1.39000000830E10", "13900000083");
	ID_BAD("1.38E+10", "digits lost to scientific notation");
	ID_BAD("1.39e+10", "digits lost to scientific notation");
	ID_BAD("1E3", "digits lost to scientific notation");
	ID("ＳＯ－２０２６－０００３", "SO-2026-0003");
	ID("  SO-2026-0001 ", "SO-2026-0001");
	ID("182********", "182********");
	ID("021-62345678", "021-62345678");
	ID("No:221307653963", "No:221307653963");
	ID("12.50", "12.50");
	ID("1.2345E2", "1.2345E2");
	ID("1.2300E2", "123");
	ID("1.5E-3", "1.5E-3");
	ID("0.0", "0");
	ID("0E5", "0");
	ID("1002.", "1002.");
	ID(".5", ".5");
	ID("1e", "1e");
	ID("'=\"x\"", "=\"x\"");
	ID("'13900000082.0", "13900000082.0");
	ID("=A1", "=A1");
	ID("=\"", "=\"");
	t_id(__LINE__, "", NORM_EMPTY, "", NULL);
	t_id(__LINE__, "=\"\"", NORM_EMPTY, "", NULL);
	t_id(__LINE__, "'", NORM_EMPTY, "", NULL);
	t_id(__LINE__, " \xe2\x80\x8b ", NORM_EMPTY, "", NULL);

	/* A refused id stays in out for the message. */
	is_int(norm_id("1.38E+10", 8, &out, &why), NORM_BAD,
	    "1.38E+10 is refused");
	is_str(buf_str(&out), "1.38E+10", "the refused id stays in out");
	buf_free(&out);
}

static void
test_int(void)
{
	INT("1,200", 1200);
	INT("12", 12);
	INT("-3", -3);
	INT("+7", 7);
	INT("12.0", 12);
	INT("12.000", 12);
	INT("１２", 12);
	INT("１，２００", 1200);
	INT("0", 0);
	INT("-0", 0);
	INT("1.2E3", 1200);
	INT("1200e-2", 12);
	INT("9223372036854775807", INT64_MAX);
	INT("-9223372036854775807", -INT64_MAX);
	INT_BAD("12.5", "not a whole number");
	INT_BAD("1e-50", "not a whole number");
	INT_BAD("1.00000000000000000000000001", "not a whole number");
	INT("1.000000000000000000000000000", 1);
	INT_BAD("1234567890123456789012345678", "number too large");
	INT_BAD("9223372036854775808", "number too large");
	INT_BAD("1e30", "number too large");
	INT_BAD("abc", "not a number");
	INT_BAD("12人", "not a number");
	INT_BAD("--3", "not a number");
	INT_BAD("-", "not a number");
	INT_BAD("1,23", "misplaced thousands separator");
	INT_BAD("45%", "not a number");
	t_int(__LINE__, "", NORM_EMPTY, 0, NULL);
}

static void
test_decimal(void)
{
	DEC("0.25", 0.25);
	DEC("45%", 0.45);
	DEC("1,234.5", 1234.5);
	DEC("-0.25", -0.25);
	DEC("１．５", 1.5);
	DEC("12.5%", 0.125);
	DEC("４５％", 0.45);
	DEC("3‰", 0.003);
	DEC("0.1", 0.1);
	DEC("1e-3", 0.001);
	DEC("121.4737", 121.4737);
	DEC("31.2304", 31.2304);
	DEC("0", 0.0);
	DEC("-0", 0.0);
	DEC("100", 100.0);
	DEC("0.1000000000000000000000000000", 0.1);
	DEC("9007199254740993.0000000000000001", 9007199254740994.0);
	DEC("9007199254740993", 9007199254740992.0);
	DEC_BAD("abc", "not a number");
	DEC_BAD("1e400", "number too large");
	DEC_BAD("1.2.3", "more than one decimal point");
	DEC_BAD("%", "not a number");
	DEC_BAD("5%%", "not a number");
	t_dec(__LINE__, "", NORM_EMPTY, 0, NULL);
}

static void
test_bool(void)
{
	BOOL("是", 1);
	BOOL("否", 0);
	BOOL("有", 1);
	BOOL("无", 0);
	BOOL("Y", 1);
	BOOL("n", 0);
	BOOL("yes", 1);
	BOOL("No", 0);
	BOOL("TRUE", 1);
	BOOL("False", 0);
	BOOL("1", 1);
	BOOL("0", 0);
	BOOL("在职", 1);
	BOOL("离职", 0);
	BOOL("启用", 1);
	BOOL("停用", 0);
	BOOL("激活", 1);
	BOOL("禁用", 0);
	BOOL("正常", 1);
	BOOL("\xe2\x9c\x93", 1);
	BOOL("\xe2\x9c\x97", 0);
	BOOL("\xe2\x88\x9a", 1);
	BOOL("\xc3\x97", 0);
	BOOL("Ｙｅｓ", 1);
	BOOL(" 是 ", 1);
	BOOL_BAD("maybe");
	BOOL_BAD("是否");
	BOOL_BAD("yess");
	BOOL_BAD("2");
	t_bool(__LINE__, "", NORM_EMPTY, 0);
}

/* One header unit: norm_unit's answer, scale and currency. */
static void
t_unit(int line, const char *in, int want, long wscale, const char *wcur)
{
	char name[128], cur[4];
	long scale;
	int rc, pass;

	snprintf(name, sizeof(name), "unit '%s'", in);
	rc = norm_unit(in, strlen(in), &scale, cur);
	pass = rc == want && (!want || (scale == wscale &&
	    strcmp(cur, wcur) == 0));
	tap_result(pass, __FILE__, line, name);
	if (!pass)
		printf("#   got:  %d x%ld '%s'\n#   want: %d x%ld '%s'\n",
		    rc, scale, cur, want, wscale, wcur);
}

static void
test_currency(void)
{
	struct buf b = {0};
	const char *p, *e, *why;
	char cur[4], name[64];
	int64_t fen;

	t_unit(__LINE__, "万美元", 1, 10000, "USD");
	t_unit(__LINE__, "USD", 1, 1, "USD");
	t_unit(__LINE__, " usd ", 1, 1, "USD");
	t_unit(__LINE__, "千美元", 1, 1000, "USD");
	t_unit(__LINE__, "百万欧元", 1, 1000000, "EUR");
	t_unit(__LINE__, "k$", 1, 1000, "USD");
	t_unit(__LINE__, "万元", 1, 10000, "CNY");
	t_unit(__LINE__, "人民币元", 1, 1, "CNY");
	t_unit(__LINE__, "万", 1, 10000, "");
	t_unit(__LINE__, "万澳元", 1, 10000, "AUD");
	t_unit(__LINE__, "新加坡元", 1, 1, "SGD");
	t_unit(__LINE__, "SGD", 1, 1, "SGD");
	t_unit(__LINE__, "万CHF", 1, 10000, "CHF");
	t_unit(__LINE__, "CHF万", 0, 1, "");
	t_unit(__LINE__, "含税价", 0, 1, "");
	t_unit(__LINE__, "含税", 0, 1, "");
	t_unit(__LINE__, "美元元", 0, 1, "");
	t_unit(__LINE__, "万千元", 0, 1, "");
	t_unit(__LINE__, "美元万", 0, 1, "");
	t_unit(__LINE__, "", 0, 1, "");

	is_int(norm_currency("usd", 3, cur), NORM_OK, "currency 'usd'");
	is_str(cur, "USD", "currency 'usd' is USD");
	is_int(norm_currency(" SGD ", 5, cur), NORM_OK, "currency ' SGD '");
	is_str(cur, "SGD", "currency ' SGD ' is SGD");
	is_int(norm_currency("美元", strlen("美元"), cur), NORM_OK,
	    "currency '美元'");
	is_str(cur, "USD", "currency '美元' is USD");
	is_int(norm_currency("元", strlen("元"), cur), NORM_OK,
	    "currency '元'");
	is_str(cur, "CNY", "currency '元' is CNY");
	is_int(norm_currency("RMB", 3, cur), NORM_OK, "currency 'RMB'");
	is_str(cur, "CNY", "currency 'RMB' is CNY, not a code RMB");
	is_int(norm_currency("rmb", 3, cur), NORM_OK, "currency 'rmb'");
	is_str(cur, "CNY", "currency 'rmb' is CNY");
	is_int(norm_currency("澳元", strlen("澳元"), cur), NORM_OK,
	    "currency '澳元'");
	is_str(cur, "AUD", "currency '澳元' is AUD");
	is_int(norm_currency("dollars", 7, cur), NORM_BAD,
	    "currency 'dollars' is refused");
	is_int(norm_currency("美元2", strlen("美元2"), cur), NORM_BAD,
	    "currency '美元2' is refused");
	is_int(norm_currency("  ", 2, cur), NORM_EMPTY, "currency '  ' empty");
	/* Every word the messages list is one norm_currency() reads. */
	for (p = norm_currency_words; *p != '\0'; p = *e ? e + 2 : e) {
		if ((e = strstr(p, ", ")) == NULL)
			e = p + strlen(p);
		buf_reset(&b);
		buf_add(&b, p, (size_t)(e - p));
		snprintf(name, sizeof(name), "listed currency '%s' is read",
		    buf_str(&b));
		ok(norm_currency(b.s, b.len, cur) == NORM_OK, name);
	}
	buf_free(&b);

	/* norm_money_in leaves the currency to the header when unwritten. */
	is_int(norm_money_in("1.2", 3, 10000, &fen, cur, &why), NORM_OK,
	    "money_in '1.2' x10000");
	is_str(cur, "", "money_in '1.2' names no currency");
	is_int((int)fen, 1200000, "money_in '1.2' x10000 is 1200000");
	is_int(norm_money_in("$5", 2, 1, &fen, cur, &why), NORM_OK,
	    "money_in '$5'");
	is_str(cur, "USD", "money_in '$5' is USD");
	is_int(norm_money("500澳元", strlen("500澳元"), 1, &fen, cur, &why),
	    NORM_OK, "money '500澳元'");
	is_str(cur, "AUD", "money '500澳元' is AUD");
	is_int((int)fen, 50000, "money '500澳元' is 50000 cents");
	is_int(norm_money("12", 2, 1, &fen, cur, &why), NORM_OK, "money '12'");
	is_str(cur, "CNY", "money '12' is CNY by default");
}

int
main(void)
{
	(void)tap_skipped;	/* tap.h's counter for skip(), not used here */
	test_money();
	test_date();
	test_date_iso();
	test_id();
	test_int();
	test_decimal();
	test_bool();
	test_currency();
	return tap_done();
}
