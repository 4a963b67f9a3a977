/*
 * Small library pieces: calendar arithmetic, Excel serials, ISO weeks,
 * text keys and display width, money formatting, the hash map, tables.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "buf.h"
#include "diag.h"
#include "hmap.h"
#include "num.h"
#include "report.h"
#include "table.h"
#include "text.h"
#include "tz.h"
#include "xldate.h"
#include "tap.h"

static const char *
serial(double s, int date1904)
{
	static char out[CIVIL_TEXT_MAX];
	struct civil c;

	if (xl_serial_civil(s, date1904, &c) < 0)
		return "(none)";
	civil_format(out, &c, c.hh || c.mm || c.ss);
	return out;
}

static const char *
week(int y, int m, int d)
{
	static char out[16];
	int wy, w;

	iso_week(days_from_civil(y, m, d), &wy, &w);
	snprintf(out, sizeof(out), "%04d-W%02d", wy, w);
	return out;
}

static const char *
key(const char *s)
{
	static struct buf b;

	buf_reset(&b);
	text_key(&b, s, strlen(s));
	return buf_str(&b);
}

static const char *
nfkc(const char *s)
{
	static struct buf b;

	buf_reset(&b);
	text_nfkc(&b, s, strlen(s));
	return buf_str(&b);
}

static const char *
clean(const char *s)
{
	static struct buf b;

	buf_reset(&b);
	text_clean(&b, s, strlen(s));
	return buf_str(&b);
}

static const char *
money(long long fen, int sep)
{
	static char out[40];

	money_format(out, sizeof(out), fen, sep);
	return out;
}

static const char *
shortest(double d)
{
	static char out[NUM_TEXT_MAX];

	num_shortest(out, d);
	return out;
}

/* Held messages: written on release(0), discarded with their status. */
static void
test_diag_hold(void)
{
	struct pos pos = {"a.csv", NULL, 2, 3};
	char text[512];
	size_t n;
	FILE *fp;

	if ((fp = tmpfile()) == NULL)
		return;
	diag_init("t_lib", fp);
	diag_hold();
	diag_warn(&pos, "first %s", "pass");
	diag_error(SX_DATA, &pos, "rejected");
	is_int(diag_status(), SX_DATA, "held error raises the status");
	diag_release(1);
	is_int(diag_status(), SX_OK, "forgotten error: status restored");
	is_int(diag_nerrors() + diag_nwarnings(), 0, "and counts restored");
	diag_hold();
	diag_warn(&pos, "kept");
	fflush(fp);
	ok(ftell(fp) == 0, "nothing written while held");
	diag_release(0);
	diag_error(SX_DATA, NULL, "after");
	rewind(fp);
	n = fread(text, 1, sizeof(text) - 1, fp);
	text[n] = '\0';
	is_str(text, "t_lib: a.csv:2:3: warning: kept\nt_lib: error: after\n",
	    "kept messages written in order");
	fclose(fp);
	diag_init("t_lib", stderr);
}

/*
 * num_excel() against its definition, "%.15g" read back through
 * num_shortest(), over values that take its printf-free path (decimals
 * of up to 6 places, integers, negatives) and values that do not.
 */
static void
test_num_excel(void)
{
	static const double odd[] = {
		0.0, -0.0, 1e-4, -1e-4, 9.99999e-5, 1e9, 999999999.999999,
		1e15, -1e15, 999999999999999.0, 0.1, 0.30000000000000004,
		1.15, -1.15, 123456789.123456, 0.000123456, 5e-324,
		1.7976931348623157e308, 4503599627370496.5, 41.86,
		673.4300000000001, 13900000082.0, -0.5, 100.000001,
	};
	char got[NUM_TEXT_MAX], want[NUM_TEXT_MAX], tmp[NUM_TEXT_MAX];
	unsigned long x = 2463534242UL;
	long i, bad;
	double d;

	bad = 0;
	for (i = 0; i < 200000 + (long)(sizeof(odd) / sizeof(odd[0])); i++) {
		if (i < (long)(sizeof(odd) / sizeof(odd[0])))
			d = odd[i];
		else {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			x &= 0xffffffffUL;
			/* n / 10^k, and every fourth one a little off it. */
			d = (double)(long)(x % 2000000000UL) - 1e9;
			d /= pow(10, (double)(x % 9));
			if (i % 4 == 0)
				d = nextafter(d, 1e300);
		}
		num_excel(got, d);
		if (d == 0)
			num_shortest(want, d);
		else {
			snprintf(tmp, sizeof(tmp), "%.15g", d);
			num_shortest(want, strtod(tmp, NULL));
		}
		if (strcmp(got, want) != 0 && bad++ < 5)
			printf("# num_excel(%.17g) = '%s', want '%s'\n", d, got,
			    want);
	}
	is_int(bad, 0, "num_excel is %.15g read back, on 200k values");
	num_excel(got, -1234.5);
	is_str(got, "-1234.5", "num_excel: negative");
	num_excel(got, 0.000120);
	is_str(got, "0.00012", "num_excel: zeros after the point");
	num_excel(got, 20260305);
	is_str(got, "20260305", "num_excel: integral");
}

/* utf8_next() is utf8proc_iterate(): every sequence of up to 3 bytes. */
static void
test_utf8_next(void)
{
	unsigned char u[4];
	utf8proc_int32_t want;
	int32_t got;
	long bad, k;
	size_t n;
	int a, b, c;

	bad = 0;
	for (a = 0; a < 256; a++)
		for (b = 0; b < 256; b++)
			for (c = 0; c < 256; c++)
				for (n = c == 0 ? 0 : 3; n <= 3; n++) {
					/* n < 3 once per (a, b) suffices. */
					u[0] = (unsigned char)a;
					u[1] = (unsigned char)b;
					u[2] = (unsigned char)c;
					u[3] = 0x80;
					k = (long)utf8proc_iterate(u,
					    (utf8proc_ssize_t)n, &want);
					got = 12345;
					if (utf8_next((const char *)u, n,
					    &got) != k || (k != 0 &&
					    got != want))
						bad++;
				}
	is_int(bad, 0, "utf8_next agrees with utf8proc_iterate");
}

/*
 * text_clean() as text.h describes it, one decoded character at a time
 * (utf8proc_iterate(); an invalid byte is a character of its own that
 * is kept): what the byte scan of text.c must agree with.
 */
static int
ref_space(int32_t c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xa0 ||
	    c == 0x3000 || c == 0x202f || (c >= 0x2000 && c <= 0x200a);
}

static int
ref_invisible(int32_t c)
{
	return c == 0x200b || c == 0x200c || c == 0x200d || c == 0x2060 ||
	    c == 0xfeff || c == 0xad;
}

static void
ref_clean(struct buf *out, const char *s, size_t n)
{
	size_t i, k, len[64], off[64], nch, first, last;
	int32_t cp[64];
	utf8proc_int32_t c;
	utf8proc_ssize_t r;

	for (i = 0, nch = 0; i < n && nch < 64; i += len[nch++]) {
		r = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
		    (utf8proc_ssize_t)(n - i), &c);
		off[nch] = i;
		len[nch] = r > 0 ? (size_t)r : 1;
		cp[nch] = r > 0 ? c : -1;
	}
	for (first = 0; first < nch && (ref_space(cp[first]) ||
	    ref_invisible(cp[first])); first++)
		;
	for (last = nch; last > first && (ref_space(cp[last - 1]) ||
	    ref_invisible(cp[last - 1])); last--)
		;
	for (k = first; k < last; k++)
		if (!ref_invisible(cp[k]))
			buf_add(out, s + off[k], len[k]);
}

/* 1 when text_clean() and ref_clean() agree on s (appending to "x"). */
static int
clean_agrees(const char *s, size_t n)
{
	static struct buf a, b;

	buf_reset(&a);
	buf_reset(&b);
	buf_addc(&a, 'x');
	buf_addc(&b, 'x');
	text_clean(&a, s, n);
	ref_clean(&b, s, n);
	return a.len == b.len && memcmp(a.s, b.s, a.len) == 0;
}

/*
 * Every code point alone, before, after and between others and next to
 * white space; then random strings of bytes and pieces of the
 * characters the scan looks for, cut sequences included.
 */
static void
test_clean_agrees(void)
{
	static const char *const bits[] = {
		" ", "\t", "\v", "a", "\xe4\xb8\xad", "\xc2", "\xa0", "\x80",
		"\xc2\xa0", "\xc2\xad", "\xe2\x80", "\xe2\x80\x8b",
		"\xe2\x80\x80", "\xe2\x80\xaf", "\xe2\x81\xa0", "\xe3\x80",
		"\xe3\x80\x80", "\xe3\x80\x82", "\xef\xbb\xbf", "\xef\xbc\x8c",
		"\xef\xbb", "\xe2", "\xe3", "\xef", "\xf0\x9f\x98\x80", "\xff",
		"\xed\xa0\x80", "\xc0\x80", "\xe2\x80\x8d", "\xe2\x80\x87",
	};
	static const char *const around[][2] = {
		{"", ""}, {"a", ""}, {"", "a"}, {"a", "b"}, {" ", " "},
		{"\xe3\x80\x80", "\xe2\x80\x8b"}, {"\xe4\xb8\xad", "\xc2\xa0"},
	};
	unsigned char u[4];
	char s[80];
	size_t k, n, len;
	long bad, trials;
	int32_t cp;

	bad = 0;
	for (cp = 0; cp <= 0x10ffff; cp++) {
		if (cp >= 0xd800 && cp <= 0xdfff)
			continue;
		len = (size_t)utf8proc_encode_char(cp, u);
		for (k = 0; k < sizeof(around) / sizeof(around[0]); k++) {
			n = (size_t)snprintf(s, sizeof(s), "%s", around[k][0]);
			memcpy(s + n, u, len);
			n += len;
			n += (size_t)snprintf(s + n, sizeof(s) - n, "%s",
			    around[k][1]);
			bad += !clean_agrees(s, n);
		}
	}
	is_int(bad, 0, "clean: every code point as the reference cleans it");
	srand(1);
	bad = 0;
	for (trials = 0; trials < 300000; trials++) {
		n = 0;
		for (k = (size_t)(rand() % 9); k > 0; k--) {
			const char *b = bits[rand() % (sizeof(bits) /
			    sizeof(bits[0]))];

			len = strlen(b);
			memcpy(s + n, b, len);
			n += len;
		}
		if (rand() % 4 == 0)
			s[n++] = (char)(rand() % 256);
		bad += !clean_agrees(s, n);
	}
	is_int(bad, 0, "clean: random bytes as the reference cleans them");
	/* A key appended to a buffer keeps what was there. */
	{
		struct buf b = {0};

		buf_adds(&b, "Type\x1f");
		text_key(&b, " Ｅ-Mail ", strlen(" Ｅ-Mail "));
		is_str(buf_str(&b), "Type\x1f" "email", "key: appended");
		buf_reset(&b);
		buf_adds(&b, "A-");
		text_key(&b, "\xe3\x80\x80王 芳\xe2\x80\x8b",
		    strlen("\xe3\x80\x80王 芳\xe2\x80\x8b"));
		is_str(buf_str(&b), "A-王芳", "key: appended after hanzi");
		buf_free(&b);
	}
}

/*
 * utf8_valid_prefix() skips ASCII eight bytes at a time and jumps to
 * the first byte that is not ASCII: on random mixtures of ASCII runs of
 * every length, CJK, other sequences and bad bytes, it must stop where
 * decoding with utf8proc_iterate() first fails.
 */
static void
test_valid_prefix(void)
{
	static const char *const bits[] = {
		"a", "ab", "abcdefg", "abcdefghijklmnopq", "\xe4\xb8\xad",
		"\xc3\xa9", "\xf0\x9f\x98\x80", "\xe0\xa0\x80", "\xed\x9f\xbf",
		"\xef\xbf\xbd", "\x80", "\xff", "\xc0\x80", "\xed\xa0\x80",
		"\xe4\xb8", "\xf4\x90\x80\x80", "\xe0\x9f\xbf", "\xc2",
	};
	utf8proc_int32_t cp;
	utf8proc_ssize_t k;
	char s[128];
	size_t n, want;
	long bad, trials;

	srand(5);
	bad = 0;
	for (trials = 0; trials < 300000; trials++) {
		n = 0;
		while (n < 100 && rand() % 12 != 0) {
			const char *b = bits[rand() % (sizeof(bits) /
			    sizeof(bits[0]))];

			if (rand() % 3 != 0 && b[0] < 0 && (unsigned char)
			    b[0] != 0xe4)
				b = bits[rand() % 5];
			memcpy(s + n, b, strlen(b));
			n += strlen(b);
		}
		for (want = 0; want < n; want += (size_t)k) {
			k = utf8proc_iterate((const utf8proc_uint8_t *)s +
			    want, (utf8proc_ssize_t)(n - want), &cp);
			if (k <= 0)
				break;
		}
		bad += utf8_valid_prefix(s, n) != want;
	}
	is_int(bad, 0, "utf8: valid prefix as utf8proc decodes it");
}

/* map_into() of text.c, straight through utf8proc_map(). */
static void
ref_map(struct buf *out, const char *s, size_t n, int fold)
{
	struct buf tmp = {0};
	utf8proc_uint8_t *dst;
	utf8proc_ssize_t len;

	text_clean(&tmp, s, n);
	len = utf8proc_map((const utf8proc_uint8_t *)buf_str(&tmp),
	    (utf8proc_ssize_t)tmp.len, &dst, (utf8proc_option_t)
	    (UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
	    UTF8PROC_IGNORE | (fold ? UTF8PROC_CASEFOLD : 0)));
	if (len < 0)
		buf_add(out, buf_str(&tmp), tmp.len);
	else {
		text_clean(out, (const char *)dst, (size_t)len);
		free(dst);
	}
	buf_free(&tmp);
}

/* 1 when text_nfkc() and text_key() agree with utf8proc_map() on s. */
static int
nfkc_agrees(const char *s, size_t n)
{
	static struct buf a, b;
	size_t i, k;

	buf_reset(&a);
	buf_reset(&b);
	text_nfkc(&a, s, n);
	ref_map(&b, s, n, 0);
	if (a.len != b.len || memcmp(buf_str(&a), buf_str(&b), a.len) != 0)
		return 0;
	buf_reset(&a);
	buf_reset(&b);
	text_key(&a, s, n);
	/* text_key()'s separators and ASCII case, after the reference. */
	if (text_is_ascii(s, n))
		buf_add(&b, s, n);
	else
		ref_map(&b, s, n, 1);
	for (i = 0, k = 0; i < b.len; i++) {
		char c = b.s[i];

		if (strchr(" \t\r\n_-./\\:#", c) != NULL && c != '\0')
			continue;
		b.s[k++] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
	}
	b.len = k;
	return a.len == b.len && memcmp(buf_str(&a), b.s != NULL ? b.s : "",
	    a.len) == 0;
}

/*
 * NFKC a character at a time where that is NFKC (text.c nf_char()):
 * every character of the BMP alone and next to ASCII, Han, full-width
 * forms, combining marks and Hangul, then random texts of such pieces,
 * as utf8proc_map() normalizes and folds them.
 */
static void
test_nfkc_agrees(void)
{
	static const char *const around[][2] = {
		{"", ""}, {"a", "b"}, {"\xef\xbc\xa1", "\xe4\xb8\xad"},
		{"e", "\xcc\x81"}, {"\xe1\x84\x80", "\xe1\x85\xa1"},
		{"\xef\xbf\xa5", "1"}, {"\xe3\x82\xab", "\xe3\x82\x99"},
		{"x\xcc\x95", "\xcc\x96"}, {"\xe0\xad\x87", ""},
		{"\xe0\xaf\x86", ""}, {"\xe1\x80\xa5", ""},
	};
	static const char *const bits[] = {
		"a", "A", "1", " ", "-", "\xe4\xb8\xad", "\xef\xbc\xa1",
		"\xef\xbc\x91", "\xef\xbc\x8c", "\xef\xbf\xa5", "\xe3\x80\x80",
		"\xe3\x80\x82", "\xcc\x81", "\xe3\x82\x99", "\xef\xbe\x9e",
		"\xef\xbd\xb6", "\xe3\x82\xab", "\xe1\x84\x80", "\xe1\x85\xa1",
		"\xea\xb0\x80", "\xe2\x84\xa1", "\xe3\x8e\x8f", "\xc2\xbd",
		"\xc3\xa9", "e", "\xef\xac\x81", "\xe2\x85\xab", "\xe2\x91\xa0",
		"\xe3\x88\xb1", "\xf0\xa0\x80\x8b", "\xe2\x80\x8b", "\xc2\xa0",
		"\xef\xbb\xbf", "\xe2\x80\x82", "\xc4\xb0", "\xc3\x9f",
		"\xe2\x84\xaa", "\xce\xa9", "\xe2\x80\x94", "\xc2\xb7",
		"\xcc\x95", "\xcc\x96", "\xd6\x91",
	};
	unsigned char u[4];
	char s[128];
	size_t k, n, len;
	long bad, trials;
	int32_t cp;

	bad = 0;
	for (cp = 0x80; cp <= 0xffff; cp++) {
		if (cp >= 0xd800 && cp <= 0xdfff)
			continue;
		len = (size_t)utf8proc_encode_char(cp, u);
		for (k = 0; k < sizeof(around) / sizeof(around[0]); k++) {
			n = (size_t)snprintf(s, sizeof(s), "%s", around[k][0]);
			memcpy(s + n, u, len);
			n += len;
			n += (size_t)snprintf(s + n, sizeof(s) - n, "%s",
			    around[k][1]);
			bad += !nfkc_agrees(s, n);
		}
	}
	is_int(bad, 0, "nfkc: every BMP character as utf8proc_map() has it");
	srand(9);
	bad = 0;
	for (trials = 0; trials < 100000; trials++) {
		n = 0;
		for (k = (size_t)(rand() % 8); k > 0; k--) {
			const char *b = bits[rand() % (sizeof(bits) /
			    sizeof(bits[0]))];

			memcpy(s + n, b, strlen(b));
			n += strlen(b);
		}
		bad += !nfkc_agrees(s, n);
	}
	is_int(bad, 0, "nfkc: random texts as utf8proc_map() has them");
}

/* For hmap_each(): adds strlen(key) * value, and counts the keys. */
static void
sum_keys(const char *key, intptr_t value, void *arg)
{
	long *sum = arg;

	sum[0] += (long)strlen(key) * value;
	sum[1]++;
}

/*
 * Keys of every length around the slot's inline room, with a NUL
 * inside, replaced values and hmap_each() over them after growing.
 */
static void
test_hmap_keys(void)
{
	char k[128];
	struct hmap *m;
	intptr_t v;
	long sum[2] = {0, 0}, want, bad;
	int i, n;

	m = hmap_new();
	want = 0;
	for (n = 1; n < 100; n++) {
		for (i = 0; i < n; i++)
			k[i] = (char)('a' + (n + i) % 26);
		if (n > 5)
			k[3] = '\0';
		hmap_put(m, k, (size_t)n, -1);
		hmap_put(m, k, (size_t)n, n);
		want += (n > 5 ? 3 : n) * n;	/* strlen stops at the NUL */
	}
	bad = 0;
	for (n = 1; n < 100; n++) {
		for (i = 0; i < n; i++)
			k[i] = (char)('a' + (n + i) % 26);
		if (n > 5)
			k[3] = '\0';
		if (!hmap_get(m, k, (size_t)n, &v) || v != n)
			bad++;
		/* One byte more or less is another key. */
		if (n > 1 && hmap_get(m, k, (size_t)n - 1, &v) && v == n)
			bad++;
	}
	is_int(bad, 0, "hmap: keys of 1 to 99 bytes, NUL inside");
	is_int((long)hmap_count(m), 99, "hmap: replaced values, no new keys");
	hmap_each(m, sum_keys, sum);
	ok(sum[0] == want && sum[1] == 99, "hmap_each sees every key");
	hmap_free(m);
}

static const char *
instant(int y, int m, int d, int hh, int mm, int ss)
{
	static char out[INSTANT_TEXT_MAX];
	struct civil c = {y, m, d, hh, mm, ss};

	tz_format_instant(out, &c);
	return out;
}

int
main(void)
{
	struct hmap *m;
	struct table *t;
	intptr_t v;
	char *text;
	size_t len, r;
	FILE *fp;
	int i, ok_;

	test_diag_hold();
	test_num_excel();
	test_utf8_next();
	test_clean_agrees();
	test_valid_prefix();
	test_nfkc_agrees();

	/* Excel serials: both epochs, the phantom 1900-02-29, rounding. */
	is_str(serial(46086, 0), "2026-03-05", "serial 46086");
	is_str(serial(46086.75, 0), "2026-03-05 18:00:00", "serial .75");
	is_str(serial(61, 0), "1900-03-01", "serial 61");
	is_str(serial(60, 0), "(none)", "serial 60 does not exist");
	is_str(serial(59, 0), "1900-02-28", "serial 59");
	is_str(serial(1, 0), "1900-01-01", "serial 1");
	is_str(serial(42735, 1), "2021-01-01", "1904 system");
	is_str(serial(44624, 1), "2026-03-05", "1904 system, B24 B2");
	is_str(serial(0.625, 0), "1899-12-30 15:00:00", "time only");
	is_str(serial(44927.000005775466, 0), "2023-01-01",
	    "0.499 s rounds down");
	is_str(serial(44927.00000579861, 0), "2023-01-01 00:00:01",
	    "0.501 s rounds up");
	is_str(serial(-1, 0), "(none)", "negative serial");

	/* ISO weeks, across year ends. */
	is_str(week(2026, 3, 5), "2026-W10", "2026-03-05");
	is_str(week(2026, 1, 1), "2026-W01", "2026-01-01 (Thursday)");
	is_str(week(2027, 1, 1), "2026-W53", "2027-01-01 in 2026-W53");
	is_str(week(2024, 12, 30), "2025-W01", "2024-12-30 in 2025-W01");
	is_str(week(2017, 5, 21), "2017-W20", "2017-05-21, a Sunday");
	is_int(weekday(days_from_civil(2026, 3, 8)), 7, "2026-03-08 Sunday");
	{
		int okw, y, mo, d;
		long mon = iso_week_monday(2026, 10, &okw);

		civil_from_days(mon, &y, &mo, &d);
		ok(okw && y == 2026 && mo == 3 && d == 2, "2026-W10 Monday");
		iso_week_monday(2025, 53, &okw);
		ok(!okw, "2025 has no week 53");
	}
	ok(civil_valid(2024, 2, 29) && !civil_valid(2026, 2, 29) &&
	    !civil_valid(1900, 2, 29) && civil_valid(2000, 2, 29),
	    "leap years");

	/* Matching keys and cleaning. */
	is_str(key("Opportunity ID"), "opportunityid", "key: case, space");
	is_str(key("opportunity_id"), "opportunityid", "key: underscore");
	is_str(key("ＯＰＰＯＲＴＵＮＩＴＹ－ＩＤ"), "opportunityid",
	    "key: full width");
	is_str(key(" 客户 名称\xe3\x80\x80"), "客户名称", "key: CJK spaces");
	is_str(nfkc("ＳＯ－２０２６－０００３"), "SO-2026-0003", "nfkc: order no");
	is_str(key("\v郑州 AB-12 公司\f"), "郑州ab12公司",
	    "key: hanzi and ASCII, trimmed and folded");
	is_str(key("郑州ＡＢ公司"), "郑州ab公司", "key: hanzi and full width");
	is_str(nfkc("\t示例 A 公司\v"), "示例 A 公司", "nfkc: hanzi and ASCII");
	is_str(nfkc("示例\xe4\xb7\xbf\xef\xbc\xa1"), "示例\xe4\xb7\xbf" "A",
	    "nfkc: hanzi, a symbol below them and a full-width letter");
	is_str(nfkc("\xe2\x80\x8b 123 "), "123", "nfkc: zero width, trim");
	is_str(clean("\xe3\x80\x80示例科技有限公司 "), "示例科技有限公司",
	    "clean: ideographic space trimmed");
	is_str(clean("北京（海淀）"), "北京（海淀）",
	    "clean: full-width brackets kept as typed");
	is_int(text_width("王芳"), 4, "width: CJK counts 2");
	is_int(text_width("ab"), 2, "width: ASCII counts 1");
	is_int(utf8_valid_prefix("\xe4\xb8", 2), 0, "utf8: truncated");
	is_int(utf8_valid_prefix("a\xc0\x80", 3), 1, "utf8: overlong");
	is_int(utf8_valid_prefix("\xed\xa0\x80", 3), 0, "utf8: surrogate");
	is_int(utf8_valid_prefix("\xf0\xa0\xae\xb7", 4), 4, "utf8: 4 bytes");
	is_int(utf8_valid_prefix("abcdefghijklmnop\xff", 17), 16,
	    "utf8: a bad byte after two ASCII words");
	is_int(utf8_valid_prefix("abcdefghij\x80xyz", 14), 10,
	    "utf8: a bad byte inside an ASCII word");
	is_int(utf8_valid_prefix("\xe5\xae\xa2\xe6\x88", 5), 3,
	    "utf8: a CJK character cut at the end");
	is_int(utf8_valid_prefix("\xe5\xae\xa2\xe6\x88\xb7", 6), 6,
	    "utf8: CJK characters");
	is_int(utf8_valid_prefix("\xe5\x41\xa2", 3), 0,
	    "utf8: a CJK lead before ASCII");
	is_int(utf8_valid_prefix("\xe0\x9f\xbf", 3), 0, "utf8: overlong E0");
	is_int(utf8_valid_prefix("\xe0\xa0\x80", 3), 3, "utf8: U+0800");
	is_int(utf8_valid_prefix("\xed\x9f\xbf", 3), 3, "utf8: U+D7FF");
	is_int(utf8_valid_prefix("\xf4\x90\x80\x80", 4), 0,
	    "utf8: past U+10FFFF");
	is_int(utf8_chars("你们的价格", 15), 5, "utf8: characters");

	/* Numbers as text. */
	is_str(shortest(41.86), "41.86", "shortest 41.86");
	is_str(shortest(673.4300000000001), "673.4300000000001",
	    "shortest keeps real noise");
	is_str(shortest(13900000082.0), "13900000082", "integral no .0");
	is_str(shortest(0.30000000000000004), "0.30000000000000004",
	    "shortest 0.1+0.2");
	{
		char out[NUM_TEXT_MAX];

		num_excel(out, 2087.0249999999996);
		is_str(out, "2087.025", "15 digits as Excel shows");
	}
	{
		const char *err;

		is_int(parse_int("53", 1, 53, &err), 53, "parse_int");
		parse_int("54", 1, 53, &err);
		is_str(err, "too large", "parse_int too large");
		parse_int("5x", 1, 53, &err);
		is_str(err, "invalid", "parse_int invalid");
	}
	is_str(money(1000553400, 1), "10,005,534.00", "money separators");
	is_str(money(-120050, 1), "-1,200.50", "money negative");
	is_str(money(268, 0), "2.68", "money plain");
	is_str(money(5, 1), "0.05", "money fen only");

	/* Hash map. */
	m = hmap_new();
	for (i = 0; i < 1000; i++) {
		char k[16];

		snprintf(k, sizeof(k), "k%d", i);
		hmap_put(m, k, strlen(k), i);
	}
	ok_ = 1;
	for (i = 0; i < 1000; i++) {
		char k[16];

		snprintf(k, sizeof(k), "k%d", i);
		if (!hmap_get(m, k, strlen(k), &v) || v != i)
			ok_ = 0;
	}
	ok(ok_ && hmap_count(m) == 1000, "hmap: 1000 keys after growing");
	ok(!hmap_get(m, "nope", 4, &v), "hmap: absent key");
	hmap_free(m);
	test_hmap_keys();

	/* A table: CJK columns align, totals get a rule, CSV guards. */
	t = table_new("T");
	table_col(t, "rep", "rep", 0);
	table_money_col(t, "amount", "amount");
	r = table_row(t);
	table_text(t, r, 0, "王芳");
	table_money(t, r, 1, 12345600);
	r = table_row(t);
	table_text(t, r, 0, "=cmd|' /C calc'!A0");
	table_money(t, r, 1, -5);
	fp = open_memstream(&text, &len);
	table_write(fp, t, OUT_TEXT, 1);
	table_write(fp, t, OUT_CSV, 1);
	table_write(fp, t, OUT_JSONL, 1);
	fclose(fp);
	is_str(text, "T\n"
	    "rep                     amount\n"
	    "王芳                123,456.00\n"
	    "=cmd|' /C calc'!A0       -0.05\n"
	    "rep,amount\n"
	    "王芳,123456.00\n"
	    "\"'=cmd|' /C calc'!A0\",-0.05\n"
	    "{\"rep\":\"王芳\",\"amount_fen\":12345600}\n"
	    "{\"rep\":\"=cmd|' /C calc'!A0\",\"amount_fen\":-5}\n",
	    "table: text, csv (formula neutralised), jsonl");
	free(text);
	table_free(t);

	/* Instants: the offset of the zone at that local time, and the
	 * printf fallback for years beyond four digits. */
	tz_init("Asia/Shanghai");
	is_str(instant(2026, 3, 5, 1, 0, 0), "2026-03-05T01:00:00+08:00",
	    "instant in Shanghai");
	tz_init("America/New_York");
	is_str(instant(2026, 3, 7, 12, 0, 0), "2026-03-07T12:00:00-05:00",
	    "instant before DST");
	is_str(instant(2026, 3, 9, 12, 0, 0), "2026-03-09T12:00:00-04:00",
	    "instant after DST");
	tz_init("Asia/Kolkata");
	is_str(instant(2026, 3, 5, 9, 7, 5), "2026-03-05T09:07:05+05:30",
	    "instant with a half-hour offset");
	tz_init("UTC");
	is_str(instant(999, 1, 2, 3, 4, 5), "0999-01-02T03:04:05+00:00",
	    "instant, three-digit year padded");
	is_str(instant(12345, 1, 1, 0, 0, 0), "12345-01-01T00:00:00+00:00",
	    "instant, five-digit year");

	{
		static const struct {
			const char *in, *from, *to;
		} pc[] = {
		    {"2026-02", "2026-02-01", "2026-02-28"},
		    {"2024-02", "2024-02-01", "2024-02-29"},
		    {"2026-12", "2026-12-01", "2026-12-31"},
		    {"2026-Q1", "2026-01-01", "2026-03-31"},
		    {"2026-Q4", "2026-10-01", "2026-12-31"},
		    {"2026", "2026-01-01", "2026-12-31"},
		    {"2026-W01", "2025-12-29", "2026-01-04"},
		    {"2026-W10", "2026-03-02", "2026-03-08"},
		    {"2026-03-05", "2026-03-05", "2026-03-05"},
		    {"2026-01..2026-Q1", "2026-01-01", "2026-03-31"},
		    {"2026-03-01..2026-03-15", "2026-03-01", "2026-03-15"},
		};
		static const char *bad[] = {"2026-13", "2026-Q0", "2026-Q5",
		    "26-03", "2026-02-30", "2026-03..2026-02", "", "..",
		    "2026-W54", "2026-03-05..", "march"};
		struct report_opts o;
		const char *err;
		size_t k;

		for (k = 0; k < sizeof(pc) / sizeof(pc[0]); k++) {
			memset(&o, 0, sizeof(o));
			ok(period_parse(pc[k].in, &o, &err) == 0, pc[k].in);
			is_str(o.from, pc[k].from, "period start");
			is_str(o.to, pc[k].to, "period end");
		}
		for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
			memset(&o, 0, sizeof(o));
			ok(period_parse(bad[k], &o, &err) == -1 && err != NULL,
			    bad[k]);
		}
	}
	return tap_done();
}
