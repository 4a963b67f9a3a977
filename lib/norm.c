/*
 * Value normalizers: one cell's text to money in fen, a date, an
 * identifier, an integer, a decimal or a yes/no.  Numbers go through an
 * integer mantissa and a decimal exponent, never through a double, so
 * 1.13万 is 1130000 fen and not 1129999.
 */
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "norm.h"
#include "text.h"
#include "xldate.h"

__extension__ typedef unsigned __int128 u128;

/*
 * Significant digits a mantissa keeps.  An int64 of fen has 19 digits
 * and half-up rounding needs one more, so 24 is exact for every value
 * that fits; later digits cannot move the result across a half.
 */
#define DEC_MAXSIG	24
#define EXP_MAX		100000	/* exponents are clamped here, not wrapped */

static const char NOT_MONEY[] = "not a money value";
static const char APPROX[] = "approximate amount not accepted";
static const char RANGE[] = "range of amounts not accepted";
static const char TOO_LARGE[] = "amount too large";
static const char NOT_DATE[] = "not a date";
static const char NO_DATE[] = "no such date";
static const char NO_YEAR[] = "date without a year";
static const char NOT_NUMBER[] = "not a number";
static const char CONFLICT[] = "conflicting currencies";

#define MINUS_SIGN	"\xe2\x88\x92"	/* U+2212 */
#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

/* A decimal number as written: value = mant * 10^exp. */
struct dec {
	u128		 mant;
	int		 exp;
	int		 lost;		/* a nonzero digit past DEC_MAXSIG */
	const char	*bad;		/* number-shaped but malformed */
};

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int
is_letter(int c)
{
	return lower(c) >= 'a' && lower(c) <= 'z';
}

/*
 * Length of the literal w when s[i..n) starts with it, ASCII letters
 * compared without case (so "RMB" matches "rmb"), else 0.  Bytes of
 * UTF-8 sequences compare exactly.
 */
static size_t
match(const char *s, size_t n, size_t i, const char *w)
{
	size_t k;

	for (k = 0; w[k] != '\0'; k++)
		if (i + k >= n || lower((unsigned char)s[i + k]) !=
		    lower((unsigned char)w[k]))
			return 0;
	return k;
}

/* 1 when the literal w occurs anywhere in s. */
static int
contains(const char *s, size_t n, const char *w)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (match(s, n, i, w))
			return 1;
	return 0;
}

static size_t
skip_spaces(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

/*
 * The cell as NFKC text, trimmed, into b: full-width digits and
 * punctuation become ASCII, NBSP and U+202F a space.  Returns 0 when
 * nothing but white space was written.
 */
static int
cell_text(struct buf *b, const char *s, size_t n)
{
	if (s != NULL && n > 0)
		text_nfkc(b, s, n);
	return b->len > 0;
}

/*
 * cell_text() as *t and *tn.  NFKC leaves ASCII as it is and cleaning
 * only trims it, so ASCII is not copied: *t points into s, other text
 * into b.  The text is not NUL-terminated.
 */
static int
cell_view(struct buf *b, const char *s, size_t n, const char **t,
    size_t *tn)
{
	if (s != NULL && n > 0 && text_is_ascii(s, n)) {
		while (n > 0 && (s[0] == ' ' || (s[0] >= '\t' &&
		    s[0] <= '\r'))) {
			s++;
			n--;
		}
		while (n > 0 && (s[n - 1] == ' ' || (s[n - 1] >= '\t' &&
		    s[n - 1] <= '\r')))
			n--;
		*t = s;
		*tn = n;
		return n > 0;
	}
	cell_text(b, s, n);
	*t = buf_str(b);
	*tn = b->len;
	return b->len > 0;
}

/*
 * Read a decimal number at s[i..n): digits with optional thousands
 * commas, at most one point, and an optional exponent (1.2E+5).
 * Returns the bytes read, 0 when no digit starts here.  A run that
 * looks like a number but is malformed is read whole and d->bad says
 * why, so that callers report the shape of the cell first.
 *
 * Thousands commas must group the integer part in threes after a first
 * group of one to three digits: 1,234 and 12,345,678, never 1,23,4 or
 * 1,2345.  A comma after the point is the European decimal comma
 * (1.234,50), refused because 1,234 already means one thousand here.
 */
static size_t
dec_lex(const char *s, size_t n, size_t i, struct dec *d)
{
	size_t start, j;
	int point, commas, run, sig, e, esign;

	memset(d, 0, sizeof(*d));
	start = i;
	if (i >= n || !(is_digit(s[i]) ||
	    (s[i] == '.' && i + 1 < n && is_digit(s[i + 1]))))
		return 0;
	point = commas = run = sig = 0;
	for (; i < n; i++) {
		if (is_digit(s[i])) {
			if (!point)
				run++;
			if (sig == 0 && s[i] == '0') {
				if (point)
					d->exp--;
				continue;	/* leading zero */
			}
			if (sig < DEC_MAXSIG) {
				d->mant = d->mant * 10 + (unsigned)(s[i] - '0');
				sig++;
				if (point)
					d->exp--;
			} else {
				if (!point)
					d->exp++;	/* keep its place */
				if (s[i] != '0')
					d->lost = 1;
			}
		} else if (s[i] == ',' && i + 1 < n && is_digit(s[i + 1])) {
			/* The first group has 1 to 3 digits, the rest 3. */
			if (point && d->bad == NULL)
				d->bad = "decimal comma not accepted";
			else if ((run < 1 || run > 3 || (commas > 0 &&
			    run != 3)) && d->bad == NULL)
				d->bad = "misplaced thousands separator";
			commas++;
			run = 0;
		} else if (s[i] == '.') {
			if (point && d->bad == NULL)
				d->bad = "more than one decimal point";
			if (!point && commas > 0 && run != 3 && d->bad == NULL)
				d->bad = "misplaced thousands separator";
			point = 1;
		} else
			break;
	}
	if (!point && commas > 0 && run != 3 && d->bad == NULL)
		d->bad = "misplaced thousands separator";
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		j = i + 1;
		esign = 1;
		if (j < n && (s[j] == '+' || s[j] == '-'))
			esign = s[j++] == '-' ? -1 : 1;
		if (j < n && is_digit(s[j])) {
			for (e = 0; j < n && is_digit(s[j]); j++)
				if (e < EXP_MAX)
					e = e * 10 + (s[j] - '0');
			d->exp += esign * e;
			i = j;
		}
	}
	return i - start;
}

/*
 * Multiply *v by f, or return -1 if the product no longer fits.
 */
static int
mul_checked(u128 *v, u128 f)
{
	if (f != 0 && *v > (~(u128)0) / f)
		return -1;
	*v *= f;
	return 0;
}

/*
 * mant * mult * 10^exp rounded half-up to an integer in *out.  Returns
 * -1 when the result passes INT64_MAX.
 */
static int
dec_round(u128 mant, u128 mult, int exp, int64_t *out)
{
	u128 v, p;
	int k;

	v = mant;
	if (mul_checked(&v, mult) == -1)
		return -1;	/* only a scale beyond reason gets here */
	if (v == 0) {
		*out = 0;
		return 0;
	}
	if (exp >= 0) {
		for (k = 0; k < exp; k++)
			if (mul_checked(&v, 10) == -1 || v > INT64_MAX)
				return -1;
	} else if (exp < -38)
		v = 0;	/* v < 10^39 / 2: well under half a unit */
	else {
		for (p = 1, k = 0; k < -exp; k++)
			p *= 10;
		v = v / p + (v % p >= p - v % p ? 1 : 0);
	}
	if (v > INT64_MAX)
		return -1;
	*out = (int64_t)v;
	return 0;
}

/* Currency words and signs, in either position around the number. */
static const struct {
	const char	*word;
	const char	*code;
} currencies[] = {
	{"US$", "USD"}, {"HK$", "HKD"}, {"RMB", "CNY"}, {"CNY", "CNY"},
	{"USD", "USD"}, {"HKD", "HKD"}, {"EUR", "EUR"}, {"GBP", "GBP"},
	{"JPY", "JPY"}, {"人民币", "CNY"}, {"美元", "USD"}, {"美金", "USD"},
	{"港元", "HKD"}, {"港币", "HKD"}, {"欧元", "EUR"}, {"英镑", "GBP"},
	{"日元", "JPY"}, {"澳元", "AUD"}, {"澳币", "AUD"}, {"加元", "CAD"},
	{"加拿大元", "CAD"}, {"新加坡元", "SGD"}, {"新元", "SGD"},
	{"瑞士法郎", "CHF"}, {"瑞郎", "CHF"}, {"韩元", "KRW"},
	{"新台币", "TWD"}, {"卢布", "RUB"}, {"泰铢", "THB"},
	{"林吉特", "MYR"}, {"卢比", "INR"}, {"澳门元", "MOP"},
	{"\xc2\xa5", "CNY"}, {"\xef\xbf\xa5", "CNY"},
	{"$", "USD"}, {"\xe2\x82\xac", "EUR"}, {"\xc2\xa3", "GBP"},
};

/*
 * Magnitude words after the number, longest first so that 百万 is not
 * read as 百 followed by garbage.  万亿 is the one compound unit
 * (10^12); any other pair, like 亿万, is refused as "more than one
 * unit".  w stands for 万 in shorthand ("12w"); k for thousand.
 */
static const struct {
	const char	*word;
	int		 pow;
} units[] = {
	{"万亿", 12}, {"千万", 7}, {"百万", 6}, {"亿", 8}, {"万", 4},
	{"千", 3}, {"k", 3}, {"w", 4},
};

/* Words after a number that make it an estimate or a bound. */
static const char *const approx_after[] = {
	"左右", "上下", "多", "余", "以上", "以下", "+",
};

/*
 * Set cur to code unless a different currency was already written.
 */
static int
set_currency(const char **cur, const char *code)
{
	if (*cur != NULL && strcmp(*cur, code) != 0)
		return -1;
	*cur = code;
	return 0;
}

static size_t
match_currency(const char *s, size_t n, size_t i, const char **code)
{
	size_t k, len;

	for (k = 0; k < nitems(currencies); k++)
		if ((len = match(s, n, i, currencies[k].word)) > 0) {
			*code = currencies[k].code;
			return len;
		}
	return 0;
}

/* Three letters, a code ISO 4217 may have (SGD, chf): upper-cased. */
static int
iso_code(const char *s, size_t n, char *cur)
{
	size_t k;

	if (n != 3)
		return 0;
	for (k = 0; k < 3; k++)
		if (!isalpha((unsigned char)s[k]))
			return 0;
	for (k = 0; k < 3; k++)
		cur[k] = (char)toupper((unsigned char)s[k]);
	cur[3] = '\0';
	return 1;
}

int
norm_unit(const char *s, size_t n, long *scale, char *cur)
{
	const char *code, *curr = NULL;
	char iso[4];
	size_t i, k, len;
	int pow = -1;

	*scale = 1;
	*cur = '\0';
	for (i = skip_spaces(s, n, 0); i < n; i = skip_spaces(s, n, i)) {
		for (k = 0; k < nitems(units); k++)
			if ((len = match(s, n, i, units[k].word)) > 0)
				break;
		if (k < nitems(units)) {
			if (pow >= 0 || curr != NULL)
				return 0;	/* 万千元, 美元万 */
			pow = units[k].pow;
			i += len;
			continue;
		}
		if ((len = match_currency(s, n, i, &code)) == 0 &&
		    (len = match(s, n, i, "元")) > 0)
			code = "CNY";
		/* Any other code: (SGD), (万CHF). */
		if (len == 0 && i + 3 <= n && iso_code(s + i, 3, iso) &&
		    skip_spaces(s, n, i + 3) == n) {
			code = iso;
			len = 3;
		}
		/* 人民币元 names one currency twice; 美元元 two. */
		if (len == 0 || set_currency(&curr, code) == -1)
			return 0;
		i += len;
	}
	if (pow < 0 && curr == NULL)
		return 0;
	for (k = 0; k < (size_t)(pow < 0 ? 0 : pow); k++)
		*scale *= 10;
	if (curr != NULL)
		memcpy(cur, curr, 4);
	return 1;
}

const char norm_currency_words[] = "人民币, RMB, ¥, 元, 美元, 美金, "
    "US$, $, 港元, 港币, HK$, 欧元, €, 英镑, £, 日元, 澳元, 加元, 新加坡元, "
    "瑞士法郎, 韩元, 新台币, 卢布, 泰铢, 林吉特, 卢比, 澳门元";

int
norm_currency(const char *s, size_t n, char *cur)
{
	struct buf b = {0};
	const char *code;
	int ok = 0;

	*cur = '\0';
	if (!cell_text(&b, s, n)) {
		buf_free(&b);
		return NORM_EMPTY;
	}
	/* The words first: RMB is CNY, not a code of its own. */
	if (strcmp(b.s, "元") == 0 || strcmp(b.s, "人民币元") == 0) {
		memcpy(cur, "CNY", 4);
		ok = 1;
	} else if (match_currency(b.s, b.len, 0, &code) == b.len) {
		memcpy(cur, code, 4);
		ok = 1;
	} else if (iso_code(b.s, b.len, cur))
		ok = 1;
	buf_free(&b);
	return ok ? NORM_OK : NORM_BAD;
}

/* The length of a dash that can stand alone for zero, or 0. */
static size_t
match_dash(const char *s, size_t n, size_t i)
{
	size_t len;

	if (i < n && s[i] == '-')
		return 1;
	/* en dash, em dash and U+2212 minus sign */
	if ((len = match(s, n, i, "\xe2\x80\x93")) ||
	    (len = match(s, n, i, "\xe2\x80\x94")) ||
	    (len = match(s, n, i, MINUS_SIGN)))
		return len;
	return 0;
}

/*
 * A range such as 10-20万, 10万~20万 or 10至20万: a separator with a
 * digit somewhere before it and a digit (maybe after a currency sign)
 * right after it.  The e of an exponent (1.2E-5) is not a separator.
 */
static int
is_range(const char *s, size_t n)
{
	static const char *const seps[] = {
		"-", "~", "\xe3\x80\x9c", "\xe2\x80\x93", "\xe2\x80\x94",
		MINUS_SIGN, "至", "到",
	};
	const char *code;
	size_t i, j, k, len;
	int digit_before;

	digit_before = 0;
	for (i = 0; i < n; i++) {
		if (is_digit(s[i])) {
			digit_before = 1;
			continue;
		}
		if (!digit_before || lower((unsigned char)s[i - 1]) == 'e')
			continue;
		for (k = 0; k < nitems(seps); k++) {
			if ((len = match(s, n, i, seps[k])) == 0)
				continue;
			j = skip_spaces(s, n, i + len);
			if ((len = match_currency(s, n, j, &code)) > 0)
				j = skip_spaces(s, n, j + len);
			if (j < n && is_digit(s[j]))
				return 1;
		}
	}
	return 0;
}

/* An estimate written before or around the number: 约, 大约, ≈, ~. */
static int
is_approximate(const char *s, size_t n)
{
	static const char *const words[] = {
		"约", "左右", "上下", "~", "\xe3\x80\x9c", "\xe2\x89\x88",
		"approx", "about", "around",
	};
	size_t k;

	for (k = 0; k < nitems(words); k++)
		if (contains(s, n, words[k]))
			return 1;
	return 0;
}

/*
 * The grammar of a money cell, in order:
 *	[ ( ] [sign] [currency]  number  [unit] [元 | currency] [ ) ]
 * where the sign, the parenthesis and the currency may come in any
 * order before the number, the closing parenthesis anywhere after it,
 * and spaces may separate every part.  A trailing minus (1,200-) is
 * refused: no export we read writes one, and a person who did may have
 * meant a range.
 */
/*
 * An amount in Chinese capitals, as contracts and invoices write it:
 * 壹万贰仟元整, 叁仟伍佰元伍角, 贰拾万元, 壹亿零伍佰万元; the everyday
 * numerals (一二三, 十百千, 两) too.  Sets *fen; returns 0, or -1 when
 * t is not such an amount (a digit after a digit, an unknown sign).
 */
static int
capitals(const char *t, size_t n, int64_t *fen)
{
	static const struct {
		const char	*word;
		int		 kind;	/* 0 digit, 1 unit, 2 万 亿, 3 元 角 分 */
		int64_t		 val;
	} sym[] = {
		{"零", 0, 0}, {"〇", 0, 0}, {"壹", 0, 1}, {"一", 0, 1},
		{"贰", 0, 2}, {"貳", 0, 2}, {"二", 0, 2}, {"两", 0, 2},
		{"叁", 0, 3}, {"參", 0, 3}, {"三", 0, 3}, {"肆", 0, 4},
		{"四", 0, 4}, {"伍", 0, 5}, {"五", 0, 5}, {"陆", 0, 6},
		{"陸", 0, 6}, {"六", 0, 6}, {"柒", 0, 7}, {"七", 0, 7},
		{"捌", 0, 8}, {"八", 0, 8}, {"玖", 0, 9}, {"九", 0, 9},
		{"拾", 1, 10}, {"十", 1, 10}, {"佰", 1, 100}, {"百", 1, 100},
		{"仟", 1, 1000}, {"千", 1, 1000}, {"万", 2, 10000},
		{"萬", 2, 10000}, {"亿", 2, 100000000}, {"億", 2, 100000000},
		{"元", 3, 100}, {"圆", 3, 100}, {"圓", 3, 100}, {"角", 3, 10},
		{"分", 3, 1},
	};
	int64_t total, section, digit, yuan, small, pend, lastu;
	size_t i, k, len;
	int have, last, neg;

	total = section = small = 0;
	digit = yuan = -1;
	lastu = 10000;		/* 仟 佰 拾 go down within a group */
	have = 0;
	last = 1000;		/* money units go 元, 角, 分 */
	i = 0;
	if ((neg = n > 3 && strncmp(t, "负", 3) == 0))
		i = 3;
	for (; i < n; i += len) {
		if (strncmp(t + i, "整", 3) == 0 || strncmp(t + i, "正", 3) == 0) {
			/* 元整, "yuan exactly", ends the amount. */
			if (!have || i + 3 != n)
				return -1;
			len = 3;
			continue;
		}
		for (k = 0; k < sizeof(sym) / sizeof(sym[0]); k++)
			if (strncmp(t + i, sym[k].word, 3) == 0)
				break;
		if (k == sizeof(sym) / sizeof(sym[0]))
			return -1;
		len = 3;
		have |= sym[k].kind < 2;	/* a digit or 拾, not only 元 */
		pend = digit > 0 ? digit : 0;
		switch (sym[k].kind) {
		case 0:
			if (digit > 0)
				return -1;	/* 壹贰: a digit after a digit */
			digit = sym[k].val;
			break;
		case 1:
			/* A bare 拾 is one ten (拾万); 零拾 is no number. */
			if (digit == 0 || (digit < 0 && sym[k].val != 10) ||
			    sym[k].val >= lastu)
				return -1;
			section += (digit > 0 ? digit : 1) * sym[k].val;
			lastu = sym[k].val;
			digit = -1;
			break;
		case 2:
			section += pend;
			lastu = 10000;
			if (sym[k].val == 100000000) {
				if (total + section > 100000)
					return -1;	/* 亿亿: too large */
				total = (total + section) * sym[k].val;
			} else {
				if (section == 0)
					return -1;
				total += section * sym[k].val;
			}
			if (total == 0 || total > INT64_C(10000000000000))
				return -1;	/* none, or past 10 trillion */
			section = 0;
			digit = -1;
			break;
		default:
			if (sym[k].val >= last)
				return -1;	/* 角 before 元, two 元 */
			last = (int)sym[k].val;
			if (sym[k].val == 100) {
				yuan = total + section + pend;
				total = section = 0;
			} else if (digit < 0)
				return -1;	/* 角 with no digit */
			else
				small += digit * sym[k].val;
			digit = -1;
			break;
		}
	}
	if (!have)
		return -1;
	if (yuan < 0) {
		if (last != 1000)
			return -1;	/* 伍角 and no 元: too odd to guess */
		yuan = total + section + (digit > 0 ? digit : 0);
	} else if (digit > 0 || section > 0 || total > 0)
		return -1;		/* digits after 元 with no 角 or 分 */
	*fen = (yuan * 100 + small) * (neg ? -1 : 1);
	return 0;
}

int
norm_money(const char *s, size_t n, long scale, int64_t *fen, char *cur,
    const char **why)
{
	int rc = norm_money_in(s, n, scale, fen, cur, why);

	if (*cur == '\0')
		memcpy(cur, "CNY", 4);
	return rc;
}

int
norm_money_in(const char *s, size_t n, long scale, int64_t *fen, char *cur,
    const char **why)
{
	struct buf b = {0};
	struct dec d;
	const char *t, *code, *curr;
	size_t len, i, k, tn;
	int neg, sign, paren, closed, unit, pow, yuan, after, rc;

	*fen = 0;
	*why = NULL;
	*cur = '\0';
	if (!cell_view(&b, s, n, &t, &tn)) {
		buf_free(&b);
		return NORM_EMPTY;
	}
	rc = NORM_BAD;
	if (is_range(t, tn)) {
		*why = RANGE;
		goto out;
	}
	if (is_approximate(t, tn)) {
		*why = APPROX;
		goto out;
	}

	/* Before the number: parenthesis, sign and currency. */
	curr = NULL;
	neg = sign = paren = closed = unit = yuan = after = pow = 0;
	*why = NOT_MONEY;
	for (i = 0;;) {
		i = skip_spaces(t, tn, i);
		if (i < tn && t[i] == '(' && !paren && !sign) {
			paren = 1;
			i++;
		} else if (!sign && !paren && (len = match_dash(t, tn, i)) &&
		    skip_spaces(t, tn, i + len) == tn) {
			/* Excel's accounting format shows zero as a dash. */
			rc = NORM_OK;
			*why = NULL;
			goto currency;
		} else if (!sign && i < tn && (t[i] == '+' || t[i] == '-')) {
			neg = t[i] == '-';
			sign = 1;
			i++;
		} else if (!sign && (len = match(t, tn, i, MINUS_SIGN)) > 0) {
			neg = sign = 1;
			i += len;
		} else if ((len = match_currency(t, tn, i, &code)) > 0) {
			if (set_currency(&curr, code) == -1) {
				*why = CONFLICT;
				goto out;
			}
			i += len;
		} else
			break;
	}
	if ((len = dec_lex(t, tn, i, &d)) == 0) {
		/* 壹万贰仟元整: the capitals of contracts and invoices. */
		if (!paren && capitals(t + i, tn - i, fen) == 0) {
			if (neg)
				*fen = -*fen;
			rc = NORM_OK;
			*why = NULL;
			goto currency;
		}
		goto out;
	}
	i += len;

	/* After it: unit, then 元 or a currency, then the parenthesis. */
	while ((i = skip_spaces(t, tn, i)) < tn) {
		if (t[i] == ')' && paren && !closed) {
			closed = 1;
			i++;
			continue;
		}
		for (k = 0; k < nitems(approx_after); k++)
			if (match(t, tn, i, approx_after[k])) {
				*why = APPROX;
				goto out;
			}
		for (k = 0; k < nitems(units); k++)
			if ((len = match(t, tn, i, units[k].word)) > 0)
				break;
		if (k < nitems(units)) {
			if (unit)
				*why = "more than one unit";
			if (unit || after)
				goto out;
			unit = 1;
			pow = units[k].pow;
			i += len;
			continue;
		}
		/* 元整, "yuan exactly", closes amounts on invoices. */
		if ((len = match_currency(t, tn, i, &code)) == 0 &&
		    ((len = match(t, tn, i, "元整")) > 0 ||
		    (len = match(t, tn, i, "元")) > 0)) {
			if (yuan)
				goto out;
			yuan = 1;
			code = "CNY";
		}
		if (len == 0)
			goto out;
		if (set_currency(&curr, code) == -1) {
			*why = CONFLICT;
			goto out;
		}
		after = 1;
		i += len;
	}
	if (paren != closed || (paren && neg))
		goto out;	/* unbalanced, or (-1,200): which was meant? */
	if (d.bad != NULL) {
		*why = d.bad;
		goto out;
	}

	/*
	 * A unit or 元 written in the cell says its own magnitude, so the
	 * column's scale (a header saying 万元) applies only to bare
	 * numbers.  A currency sign alone says which money, not what size.
	 */
	if (dec_round(d.mant, (unit || yuan || scale <= 1) ? 1 : (u128)scale,
	    d.exp + pow + 2, fen) == -1) {
		*why = TOO_LARGE;
		goto out;
	}
	if (neg || paren)
		*fen = -*fen;
	rc = NORM_OK;
	*why = NULL;
currency:
	if (curr != NULL)
		memcpy(cur, curr, 4);
out:
	buf_free(&b);
	return rc;
}

/*
 * Dates.  The cell is cut into tokens (numbers, words, Chinese date
 * marks, punctuation, runs of space) and the tokens are matched against
 * a few shapes: year first, year last, month names, compact digits.
 */
#define DT_MAXTOK	40

enum { TK_END, TK_NUM, TK_WORD, TK_MARK, TK_PUNCT, TK_SPACE };

enum {
	MK_YEAR = 1, MK_MONTH, MK_DAY, MK_HOUR, MK_MIN, MK_SEC,
	MK_AM, MK_PM, MK_NOON
};

struct tok {
	int		 kind;
	int		 len;		/* digits of a TK_NUM */
	long long	 val;		/* TK_NUM value, MK_*, punctuation */
	char		 word[12];	/* TK_WORD, lower case */
};

struct dtp {
	struct tok	 tok[DT_MAXTOK + 1];	/* ends with TK_END */
	int		 i;
};

static const struct {
	const char	*word;
	int		 mark;
} date_marks[] = {
	{"年", MK_YEAR}, {"月", MK_MONTH}, {"日", MK_DAY}, {"号", MK_DAY},
	{"时", MK_HOUR}, {"時", MK_HOUR}, {"点", MK_HOUR}, {"分", MK_MIN},
	{"秒", MK_SEC}, {"上午", MK_AM}, {"早上", MK_AM}, {"凌晨", MK_AM},
	{"下午", MK_PM}, {"晚上", MK_PM}, {"傍晚", MK_PM}, {"中午", MK_NOON},
};

/*
 * Cut t into p->tok.  Returns -1 on a character no date uses or when
 * there are too many tokens.
 */
static int
dt_tokenize(struct dtp *p, const char *t, size_t n)
{
	struct tok *k;
	size_t i, j, len;
	int nt;

	memset(p, 0, sizeof(*p));
	for (i = 0, nt = 0; i < n; nt++) {
		if (nt == DT_MAXTOK)
			return -1;
		k = &p->tok[nt];
		if (is_digit(t[i])) {
			k->kind = TK_NUM;
			for (; i < n && is_digit(t[i]); i++, k->len++)
				if (k->len < 18)
					k->val = k->val * 10 + (t[i] - '0');
			if (k->len > 18)
				return -1;
		} else if (is_letter(t[i])) {
			k->kind = TK_WORD;
			for (j = 0; i < n && is_letter(t[i]); i++, j++) {
				if (j + 1 >= sizeof(k->word))
					return -1;
				k->word[j] = (char)lower((unsigned char)t[i]);
			}
		} else if (t[i] == ' ' || t[i] == '\t') {
			k->kind = TK_SPACE;
			i = skip_spaces(t, n, i);
		} else if (strchr("-/.:,+", t[i]) != NULL) {
			k->kind = TK_PUNCT;
			k->val = t[i++];
		} else {
			for (j = 0; j < nitems(date_marks); j++)
				if ((len = match(t, n, i, date_marks[j].word)))
					break;
			if (j == nitems(date_marks))
				return -1;
			k->kind = TK_MARK;
			k->val = date_marks[j].mark;
			i += len;
		}
	}
	p->tok[nt].kind = TK_END;
	return 0;
}

static int
dt_kind(const struct dtp *p)
{
	return p->tok[p->i].kind;
}

static void
dt_space(struct dtp *p)
{
	if (dt_kind(p) == TK_SPACE)
		p->i++;
}

/* Take punctuation ch, or the Chinese mark mk, when it comes next. */
static int
dt_punct(struct dtp *p, int ch)
{
	if (dt_kind(p) != TK_PUNCT || p->tok[p->i].val != ch)
		return 0;
	p->i++;
	return 1;
}

static int
dt_mark(struct dtp *p, int mk)
{
	if (dt_kind(p) != TK_MARK || p->tok[p->i].val != mk)
		return 0;
	p->i++;
	return 1;
}

/* Take a number of minlen to maxlen digits into *v. */
static int
dt_num(struct dtp *p, int minlen, int maxlen, int *v)
{
	const struct tok *k = &p->tok[p->i];

	if (k->kind != TK_NUM || k->len < minlen || k->len > maxlen)
		return 0;
	*v = (int)k->val;
	p->i++;
	return 1;
}

/* Take one of - / . and return it, or 0. */
static int
dt_datesep(struct dtp *p)
{
	const struct tok *k = &p->tok[p->i];

	if (k->kind != TK_PUNCT || strchr("-/.", (int)k->val) == NULL)
		return 0;
	p->i++;
	return (int)k->val;
}

/* January is 1; three-letter abbreviations, full names and "sept". */
static int
dt_month_name(struct dtp *p)
{
	static const char *const names[] = {
		"january", "february", "march", "april", "may", "june",
		"july", "august", "september", "october", "november",
		"december",
	};
	const char *w;
	int m;

	if (dt_kind(p) != TK_WORD)
		return 0;
	w = p->tok[p->i].word;
	for (m = 0; m < 12; m++)
		if (strcmp(w, names[m]) == 0 || (strlen(w) == 3 &&
		    strncmp(w, names[m], 3) == 0) || (m == 8 &&
		    strcmp(w, "sept") == 0)) {
			p->i++;
			dt_punct(p, '.');	/* Mar. */
			return m + 1;
		}
	return 0;
}

/* The optional space or punctuation around a month name. */
static void
dt_name_sep(struct dtp *p)
{
	dt_space(p);
	if (dt_punct(p, '-') || dt_punct(p, '/') || dt_punct(p, '.') ||
	    dt_punct(p, ','))
		dt_space(p);
}

/*
 * Two-digit years pivot at 70: 00-69 are 2000-2069 and 70-99 are
 * 1970-1999.  Sales records reach neither end, and 1970 keeps Unix
 * dates from the last century readable.
 */
static int
full_year(int y, int digits)
{
	if (digits != 2)
		return y;
	return y < 70 ? 2000 + y : 1900 + y;
}

/*
 * Whether p starts with a month and day and no year: 3/5, 3-5, 3月5日,
 * with or without a time after them.  Such a cell is not read (no year
 * is guessed), but the message says what it lacks.
 */
static int
dt_yearless(struct dtp *p)
{
	int a, b, ok;

	p->i = 0;
	ok = dt_num(p, 1, 2, &a) && (dt_punct(p, '/') || dt_punct(p, '-') ||
	    dt_mark(p, MK_MONTH)) && dt_num(p, 1, 2, &b);
	if (ok)
		dt_mark(p, MK_DAY);
	ok = ok && (dt_kind(p) == TK_END || dt_kind(p) == TK_SPACE) &&
	    a >= 1 && b >= 1 && ((a <= 12 && b <= 31) || (b <= 12 && a <= 31));
	p->i = 0;
	return ok;
}

/* What the date part of a cell said. */
struct dt_date {
	int	y, a, b;	/* year first: a is the month, b the day */
	int	year_last;	/* a and b are day and month in some order */
	int	time_done;	/* YYYYMMDDhhmmss gave the time already */
};

/*
 * Match one date shape at the start of p.  Returns 0 or -1 with p->i
 * where it was.
 */
static int
dt_date(struct dtp *p, struct dt_date *dd, struct civil *c)
{
	const struct tok *k;
	int start, sep, yl;

	memset(dd, 0, sizeof(*dd));
	start = p->i;
	k = &p->tok[p->i];

	/* 20260305 and 20260305142210, as systems export them. */
	if (k->kind == TK_NUM && (k->len == 8 || k->len == 14) &&
	    (p->tok[p->i + 1].kind == TK_END ||
	    (k->len == 8 && p->tok[p->i + 1].kind == TK_SPACE))) {
		long long v = k->val;

		if (k->len == 14) {
			c->ss = (int)(v % 100);
			c->mm = (int)(v / 100 % 100);
			c->hh = (int)(v / 10000 % 100);
			v /= 1000000;
			dd->time_done = 1;
		}
		dd->y = (int)(v / 10000);
		dd->a = (int)(v / 100 % 100);
		dd->b = (int)(v % 100);
		p->i++;
		return 0;
	}

	/* 2026-03-05, 2026/3/5, 2026.3.5, 2026年3月5日. */
	if (dt_num(p, 4, 4, &dd->y)) {
		if ((sep = dt_datesep(p)) && dt_num(p, 1, 2, &dd->a) &&
		    dt_punct(p, sep) && dt_num(p, 1, 2, &dd->b))
			return 0;
		p->i = start + 1;
		dt_space(p);
		if (dt_mark(p, MK_YEAR)) {
			dt_space(p);
			if (dt_num(p, 1, 2, &dd->a)) {
				dt_space(p);
				if (dt_mark(p, MK_MONTH)) {
					dt_space(p);
					if (dt_num(p, 1, 2, &dd->b)) {
						dt_space(p);
						dt_mark(p, MK_DAY);
						return 0;
					}
				}
			}
		}
		p->i = start;
		return -1;
	}

	/* 3/5/2026, 28-08-2022, 3/5/26: day and month in some order. */
	if (dt_num(p, 1, 2, &dd->a) && (sep = dt_datesep(p)) &&
	    dt_num(p, 1, 2, &dd->b) && dt_punct(p, sep) &&
	    (dt_num(p, 4, 4, &dd->y) || dt_num(p, 2, 2, &dd->y))) {
		dd->y = full_year(dd->y, p->tok[p->i - 1].len);
		dd->year_last = 1;
		return 0;
	}

	/* 5-Mar-2026, 05-Mar-26, 5 March 2026. */
	p->i = start;
	if (dt_num(p, 1, 2, &dd->b)) {
		dt_name_sep(p);
		if ((dd->a = dt_month_name(p)) > 0) {
			dt_name_sep(p);
			if (dt_num(p, 4, 4, &yl) || dt_num(p, 2, 2, &yl)) {
				dd->y = full_year(yl, p->tok[p->i - 1].len);
				return 0;
			}
		}
	}

	/* Mar 5, 2026 and March 5 2026. */
	p->i = start;
	if ((dd->a = dt_month_name(p)) > 0) {
		dt_name_sep(p);
		if (dt_num(p, 1, 2, &dd->b)) {
			dt_name_sep(p);
			if (dt_num(p, 4, 4, &yl) || dt_num(p, 2, 2, &yl)) {
				dd->y = full_year(yl, p->tok[p->i - 1].len);
				return 0;
			}
		}
	}
	p->i = start;
	return -1;
}

/* AM, PM or a Chinese time-of-day word next, as MK_AM ... MK_NOON. */
static int
dt_meridiem(struct dtp *p)
{
	const struct tok *k = &p->tok[p->i];

	if (k->kind == TK_MARK && k->val >= MK_AM) {
		p->i++;
		return (int)k->val;
	}
	if (k->kind == TK_WORD && strcmp(k->word, "am") == 0) {
		p->i++;
		return MK_AM;
	}
	if (k->kind == TK_WORD && strcmp(k->word, "pm") == 0) {
		p->i++;
		return MK_PM;
	}
	return 0;
}

/*
 * Twelve-hour clock to 24: 12 AM is 00 and 12 PM is 12.  An hour of 13
 * to 23 after PM or 下午 is already on the 24-hour clock and kept; 中午
 * (noon) reads 11 and 12 as written and 1 to 3 as afternoon.
 */
static int
dt_24h(int mer, int *hh)
{
	if (mer == 0)
		return 0;
	if (mer == MK_NOON && (*hh == 11 || *hh == 12))
		return 0;
	if (mer == MK_AM) {
		if (*hh > 12)
			return -1;
		if (*hh == 12)
			*hh = 0;
		return 0;
	}
	if (*hh == 0)
		return -1;
	if (*hh < 12)
		*hh += 12;
	return 0;
}

/*
 * A UTC offset: Z, +08:00, +0800, +08, and UTC or GMT with or without
 * one (GMT+8).  Returns 0 when there is none, 1 when one was read into
 * *tzmin, -1 when it is malformed and -2 when it is past 14:00 or has
 * more than 59 minutes.
 */
static int
dt_zone(struct dtp *p, int *tzmin)
{
	const struct tok *k = &p->tok[p->i];
	int named, sign, hh, mm;

	named = 0;
	if (k->kind == TK_WORD && strcmp(k->word, "z") == 0) {
		p->i++;
		*tzmin = 0;
		return 1;
	}
	if (k->kind == TK_WORD && (strcmp(k->word, "utc") == 0 ||
	    strcmp(k->word, "gmt") == 0)) {
		p->i++;
		*tzmin = 0;
		named = 1;
	}
	if (dt_punct(p, '+'))
		sign = 1;
	else if (dt_punct(p, '-'))
		sign = -1;
	else
		return named;
	mm = 0;
	if (dt_num(p, 4, 4, &hh)) {
		mm = hh % 100;
		hh /= 100;
	} else if (dt_num(p, 2, 2, &hh) ||
	    (named && dt_num(p, 1, 1, &hh))) {
		if (dt_punct(p, ':') && !dt_num(p, 2, 2, &mm))
			return -1;
	} else
		return -1;
	if (hh > 14 || mm > 59)
		return -2;
	*tzmin = sign * (hh * 60 + mm);
	return 1;
}

/*
 * The time of day after a date: 14:22, 14:22:10.5, 9:41 PM, 下午1:01,
 * 1:01 上午, 14时22分[10秒], then an optional zone.  Written fractions
 * of a second are dropped, not rounded: rounding 23:59:59.7 would move
 * the date.
 */
static int
dt_time(struct dtp *p, struct civil *c, int *tzmin, const char **why)
{
	int mer, rc;

	mer = dt_meridiem(p);
	dt_space(p);
	if (!dt_num(p, 1, 2, &c->hh))
		return -1;
	if (dt_punct(p, ':')) {
		if (!dt_num(p, 2, 2, &c->mm))
			return -1;
		if (dt_punct(p, ':')) {
			if (!dt_num(p, 2, 2, &c->ss))
				return -1;
			if (dt_punct(p, '.')) {
				if (dt_kind(p) != TK_NUM)
					return -1;
				p->i++;	/* fraction of a second */
			}
		}
	} else if (dt_mark(p, MK_HOUR)) {
		dt_space(p);
		if (dt_num(p, 1, 2, &c->mm)) {
			dt_space(p);
			dt_mark(p, MK_MIN);
			dt_space(p);
			if (dt_num(p, 1, 2, &c->ss)) {
				dt_space(p);
				if (!dt_mark(p, MK_SEC))
					return -1;
			}
		}
	} else
		return -1;
	dt_space(p);
	if (mer == 0) {
		mer = dt_meridiem(p);
		dt_space(p);
	}
	if ((rc = dt_zone(p, tzmin)) < 0) {
		if (rc == -2)
			*why = "time zone offset out of range";
		return -1;
	}
	if (dt_24h(mer, &c->hh) == -1 || c->hh > 23 || c->mm > 59 ||
	    c->ss > 59) {
		*why = "time of day out of range";
		return -1;
	}
	return 0;
}

/*
 * Day and month of a year-last date.  The numbers settle the order
 * when one of them exceeds 12; when both are equal the order does not
 * matter; otherwise the caller's order decides or the date is
 * ambiguous.  An order given but contradicted by the numbers (28/08
 * in a month-first column) is an error, not a silent swap.
 */
static int
dt_order(struct dt_date *dd, enum date_order order, struct civil *c,
    enum date_order *settles, const char **why)
{
	enum date_order proven, use;

	if (dd->a > 12 && dd->b > 12) {
		*why = NO_DATE;
		return NORM_BAD;
	}
	proven = dd->a > 12 ? ORDER_DMY : dd->b > 12 ? ORDER_MDY :
	    ORDER_UNKNOWN;
	if (settles != NULL)
		*settles = proven;
	use = proven;
	if (proven == ORDER_UNKNOWN)
		use = dd->a == dd->b ? ORDER_DMY : order;
	else if (order != ORDER_UNKNOWN && order != proven) {
		*why = "not a date in the given day/month order";
		return NORM_BAD;
	}
	if (use == ORDER_UNKNOWN) {
		*why = "day and month order unknown";
		return NORM_AMBIGUOUS;
	}
	c->m = use == ORDER_DMY ? dd->b : dd->a;
	c->d = use == ORDER_DMY ? dd->a : dd->b;
	return NORM_OK;
}

/*
 * An Excel serial, digits with an optional fraction, in [20000, 80000):
 * 1954-10-03 to 2119-01-10, which keeps order numbers and amounts from
 * passing as dates.  The fraction is a time of day rounded to the
 * nearest second, computed exactly from the written digits; a zero
 * fraction (46086.0) is a float rendering, not a time.  Returns 1 on a
 * date, 0 when t is not a serial.
 */
static int
dt_serial(const char *t, size_t n, struct civil *c, int *has_time)
{
	u128 f, p, secs;
	size_t i;
	long whole, days;
	int k;

	whole = 0;
	for (i = 0; i < n && is_digit(t[i]); i++)
		if ((whole = whole * 10 + (t[i] - '0')) >= 80000)
			return 0;
	if (i == 0 || whole < 20000)
		return 0;
	f = 0;
	p = 1;
	k = 0;
	if (i < n && t[i] == '.') {
		for (i++; i < n && is_digit(t[i]); i++, k++)
			if (k < 20) {
				f = f * 10 + (unsigned)(t[i] - '0');
				p *= 10;
			}
		if (k == 0)
			return 0;
	}
	if (i != n || xl_serial_civil((double)whole, 0, c) == -1)
		return 0;
	secs = (f * 86400 * 2 + p) / (p * 2);
	if (secs >= 86400) {
		days = days_from_civil(c->y, c->m, c->d) + 1;
		civil_from_days(days, &c->y, &c->m, &c->d);
		secs = 0;
	}
	c->hh = (int)(secs / 3600);
	c->mm = (int)(secs / 60 % 60);
	c->ss = (int)(secs % 60);
	*has_time = f != 0;
	return 1;
}

/* The value of the n digits at t, or -1 when one is not a digit. */
static int
digits(const char *t, int n)
{
	int i, v;

	for (i = 0, v = 0; i < n; i++) {
		if (!is_digit(t[i]))
			return -1;
		v = v * 10 + (t[i] - '0');
	}
	return v;
}

/*
 * What systems export, 2026-03-05, 2026-03-05 14:22[:10] and ISO 8601
 * instants with T and Z or an offset (+08:00, +0800, +08), read without
 * the tokenizer.  1 with *c, *has_time and *tzmin as the tokenizer
 * reads them when t is one of these and a real date and time of day;
 * 0 leaves any other text, and every error, to the tokenizer.
 */
static int
dt_iso(const char *t, size_t n, struct civil *c, int *has_time, int *tzmin)
{
	struct civil v;
	int zh, zm, tz;
	size_t i;

	memset(&v, 0, sizeof(v));
	if (n < 10 || t[4] != '-' || t[7] != '-' ||
	    (v.y = digits(t, 4)) < 0 || (v.m = digits(t + 5, 2)) < 0 ||
	    (v.d = digits(t + 8, 2)) < 0 || !civil_valid(v.y, v.m, v.d))
		return 0;
	tz = NO_TZ;
	if (n > 10) {
		if ((t[10] != 'T' && t[10] != ' ') || n < 16 || t[13] != ':' ||
		    (v.hh = digits(t + 11, 2)) < 0 ||
		    (v.mm = digits(t + 14, 2)) < 0)
			return 0;
		i = 16;
		if (i < n && t[i] == ':') {
			if (n < 19 || (v.ss = digits(t + 17, 2)) < 0)
				return 0;
			i = 19;
		}
		if (v.hh > 23 || v.mm > 59 || v.ss > 59)
			return 0;
		if (i < n && t[i] == 'Z' && i + 1 == n)
			tz = 0;
		else if (i < n && (t[i] == '+' || t[i] == '-')) {
			zm = 0;
			if (n - i == 6 && t[i + 3] == ':')
				zm = digits(t + i + 4, 2);
			else if (n - i == 5)
				zm = digits(t + i + 3, 2);
			else if (n - i != 3)
				return 0;
			if ((zh = digits(t + i + 1, 2)) < 0 || zm < 0 ||
			    zh > 14 || zm > 59)
				return 0;
			tz = (t[i] == '-' ? -1 : 1) * (zh * 60 + zm);
		} else if (i < n)
			return 0;
		*has_time = 1;
	}
	*c = v;
	*tzmin = tz;
	return 1;
}

int
norm_datetime(const char *s, size_t n, enum date_order order,
    int allow_serial, struct civil *c, int *has_time, int *tzmin,
    enum date_order *settles, const char **why)
{
	struct buf b = {0};
	struct dtp p;
	struct dt_date dd;
	const char *t;
	size_t tn;
	int rc;

	memset(c, 0, sizeof(*c));
	*has_time = 0;
	*tzmin = NO_TZ;
	*why = NULL;
	if (settles != NULL)
		*settles = ORDER_UNKNOWN;
	if (!cell_view(&b, s, n, &t, &tn)) {
		buf_free(&b);
		return NORM_EMPTY;
	}
	rc = NORM_BAD;
	if (dt_iso(t, tn, c, has_time, tzmin)) {
		rc = NORM_OK;
		goto out;
	}
	if (allow_serial && dt_serial(t, tn, c, has_time)) {
		rc = NORM_OK;
		goto out;
	}
	*why = NOT_DATE;
	if (dt_tokenize(&p, t, tn) == -1)
		goto out;
	if (dt_date(&p, &dd, c) == -1) {
		if (dt_yearless(&p))
			*why = NO_YEAR;
		goto out;
	}
	if (dt_kind(&p) != TK_END && !dd.time_done) {
		dt_punct(&p, ',');
		dt_space(&p);
		if (dt_kind(&p) == TK_WORD && strcmp(p.tok[p.i].word, "t") == 0)
			p.i++;
		if (dt_time(&p, c, tzmin, why) == -1)
			goto out;
		*has_time = 1;
	}
	if (dd.time_done) {
		*has_time = 1;
		if (c->hh > 23 || c->mm > 59 || c->ss > 59) {
			*why = "time of day out of range";
			goto out;
		}
	}
	if (dt_kind(&p) != TK_END)
		goto out;
	c->y = dd.y;
	if (dd.year_last) {
		if ((rc = dt_order(&dd, order, c, settles, why)) != NORM_OK)
			goto out;
		rc = NORM_BAD;
	} else {
		c->m = dd.a;
		c->d = dd.b;
	}
	if (!civil_valid(c->y, c->m, c->d)) {
		*why = NO_DATE;
		goto out;
	}
	rc = NORM_OK;
out:
	if (rc == NORM_OK)
		*why = NULL;
	else {
		memset(c, 0, sizeof(*c));
		*has_time = 0;
		*tzmin = NO_TZ;
	}
	buf_free(&b);
	return rc;
}

/*
 * Excel's ways of forcing text: ="000789" (a formula yielding a
 * string, quotes doubled inside) and a leading apostrophe ('000789,
 * the marker Excel hides when it shows the cell).  The text inside is
 * what the person typed, so it is taken as written.  Returns 1 when t
 * was such a cell and out holds its text.
 */
static int
id_unwrap(const char *t, size_t n, struct buf *out)
{
	struct buf in = {0};
	size_t i;

	if (n > 0 && t[0] == '\'') {
		text_clean(out, t + 1, n - 1);
		return 1;
	}
	if (n == 0 || t[0] != '=')
		return 0;
	i = skip_spaces(t, n, 1);
	if (n - i < 2 || t[i] != '"' || t[n - 1] != '"')
		return 0;
	for (i++; i < n - 1; i++) {
		buf_addc(&in, t[i]);
		if (t[i] == '"' && i + 1 < n - 1 && t[i + 1] == '"')
			i++;
	}
	text_clean(out, buf_str(&in), in.len);
	buf_free(&in);
	return 1;
}

/*
 * The integer a program meant by mantissa digits dig (leading zeros
 * allowed) whose point then moved shift places right: shift 0 means
 * every digit is present (1.3900000083E10), shift > 0 that zeros would
 * have to be invented (1.39E+10), shift < 0 that digits fall after the
 * point and must all be zero.  Returns 1 with the digits in out, 0 when
 * the value is not whole, -1 when digits were lost.
 */
static int
id_shift(const char *dig, size_t n, long shift, struct buf *out)
{
	size_t i, drop;

	while (n > 1 && dig[0] == '0') {
		dig++;
		n--;
	}
	if (n == 1 && dig[0] == '0') {
		buf_adds(out, "0");
		return 1;
	}
	if (shift > 0)
		return -1;
	drop = (size_t)-shift;
	if (drop >= n)
		return 0;
	for (i = n - drop; i < n; i++)
		if (dig[i] != '0')
			return 0;
	buf_add(out, dig, n - drop);
	return 1;
}

/*
 * A number a program wrote as a float: 13900000082.0 or 1.3900000083E10.
 * Returns 0 when t is not one or is not whole (12.50 stays an id as
 * written), 1 when out received the digits, -1 when the exponent
 * supplies zeros the mantissa never had (1.39E+10).
 */
static int
id_float(const char *t, size_t n, struct buf *out)
{
	struct buf dig = {0};
	size_t i, ip, fp, fn;
	long e;
	int esign, rc;

	for (i = 0; i < n && is_digit(t[i]); i++)
		;
	ip = i;
	fp = fn = 0;
	if (i < n && t[i] == '.') {
		fp = ++i;
		for (; i < n && is_digit(t[i]); i++)
			;
		if ((fn = i - fp) == 0)
			return 0;
	}
	if (ip == 0)
		return 0;
	if (i == n) {
		/* 1002.0: the integer part exactly as written. */
		if (fn == 0)
			return 0;	/* plain digits: nothing to do */
		for (i = fp; i < fp + fn; i++)
			if (t[i] != '0')
				return 0;
		buf_add(out, t, ip);
		return 1;
	}
	if (t[i] != 'e' && t[i] != 'E')
		return 0;
	esign = 1;
	if (++i < n && (t[i] == '+' || t[i] == '-'))
		esign = t[i++] == '-' ? -1 : 1;
	if (i == n || !is_digit(t[i]))
		return 0;
	for (e = 0; i < n && is_digit(t[i]); i++)
		if (e < EXP_MAX)
			e = e * 10 + (t[i] - '0');
	if (i != n)
		return 0;
	buf_add(&dig, t, ip);
	buf_add(&dig, t + fp, fn);
	rc = id_shift(dig.s, dig.len, esign * e - (long)fn, out);
	buf_free(&dig);
	return rc;
}

/*
 * On NORM_BAD out keeps the cleaned cell, for the caller's message.
 */
int
norm_id(const char *s, size_t n, struct buf *out, const char **why)
{
	struct buf b = {0};
	const char *t;
	size_t tn;
	int rc, float_rc;

	*why = NULL;
	buf_reset(out);
	if (!cell_view(&b, s, n, &t, &tn)) {
		buf_free(&b);
		return NORM_EMPTY;
	}
	rc = NORM_OK;
	if (id_unwrap(t, tn, out)) {
		if (out->len == 0)
			rc = NORM_EMPTY;
	} else if ((float_rc = id_float(t, tn, out)) != 1) {
		if (float_rc == -1) {
			*why = "digits lost to scientific notation";
			rc = NORM_BAD;
		}
		buf_add(out, t, tn);
	}
	buf_free(&b);
	return rc;
}

/*
 * A signed plain number for norm_int and norm_decimal: [+-] digits
 * with thousands commas, a point, an exponent, and with percent set a
 * trailing % or ‰ that scales it.  Returns NORM_OK, NORM_EMPTY, or
 * NORM_BAD with *why set.
 */
static int
plain_number(const char *s, size_t n, int percent, struct dec *d, int *neg,
    const char **why)
{
	struct buf b = {0};
	size_t i, len;
	int rc;

	*why = NULL;
	if (!cell_text(&b, s, n)) {
		buf_free(&b);
		return NORM_EMPTY;
	}
	rc = NORM_BAD;
	*why = NOT_NUMBER;
	*neg = 0;
	i = 0;
	if (b.s[i] == '+' || b.s[i] == '-')
		*neg = b.s[i++] == '-';
	else if ((len = match(b.s, b.len, i, MINUS_SIGN)) > 0) {
		*neg = 1;
		i += len;
	}
	if ((len = dec_lex(b.s, b.len, i, d)) == 0)
		goto out;
	i += len;
	if (percent && i < b.len && b.s[i] == '%') {
		d->exp -= 2;
		i++;
	} else if (percent && (len = match(b.s, b.len, i, "‰")) > 0) {
		d->exp -= 3;
		i += len;
	}
	if (i != b.len)
		goto out;
	if (d->bad != NULL) {
		*why = d->bad;
		goto out;
	}
	*why = NULL;
	rc = NORM_OK;
out:
	buf_free(&b);
	return rc;
}

int
norm_int(const char *s, size_t n, int64_t *v, const char **why)
{
	struct dec d;
	u128 p, x;
	int neg, rc, k;

	*v = 0;
	if ((rc = plain_number(s, n, 0, &d, &neg, why)) != NORM_OK)
		return rc;
	x = d.mant;
	if (d.lost) {
		/* Digits past DEC_MAXSIG: a huge number or a long fraction. */
		*why = d.exp >= 0 ? "number too large" : "not a whole number";
		return NORM_BAD;
	}
	if (d.exp < 0 && x != 0) {
		/* 12.0 is whole; 12.5 is not. */
		if (d.exp < -38) {
			*why = "not a whole number";
			return NORM_BAD;
		}
		for (p = 1, k = 0; k < -d.exp; k++)
			p *= 10;
		if (x % p != 0) {
			*why = "not a whole number";
			return NORM_BAD;
		}
		x /= p;
	}
	for (k = 0; k < d.exp && x != 0; k++)
		if (mul_checked(&x, 10) == -1 || x > INT64_MAX)
			break;
	if (x > INT64_MAX || (k < d.exp && x != 0)) {
		*why = "number too large";
		return NORM_BAD;
	}
	*v = neg ? -(int64_t)x : (int64_t)x;
	return NORM_OK;
}

/*
 * The digits and exponent are handed to strtod as "123e-2", which is
 * correctly rounded and has no radix character for a locale to change.
 * Digits dropped past DEC_MAXSIG come back as a final 1, so that a
 * value just above a halfway point still rounds up.
 */
int
norm_decimal(const char *s, size_t n, double *v, const char **why)
{
	struct dec d;
	char digits[64], text[80];
	size_t i, k;
	u128 x;
	int neg, rc;

	*v = 0;
	if ((rc = plain_number(s, n, 1, &d, &neg, why)) != NORM_OK)
		return rc;
	if (d.mant == 0)
		return NORM_OK;
	for (i = 0, x = d.mant; x != 0; x /= 10)
		digits[i++] = (char)('0' + (int)(x % 10));
	for (k = 0; k < i; k++)
		text[k + 1] = digits[i - 1 - k];
	text[0] = neg ? '-' : '+';
	if (d.lost) {
		text[++i] = '1';
		d.exp--;
	}
	snprintf(text + i + 1, sizeof(text) - i - 1, "e%d", d.exp);
	*v = strtod(text, NULL);
	if (isinf(*v)) {
		*v = 0;
		*why = "number too large";
		return NORM_BAD;
	}
	return NORM_OK;
}

/*
 * Yes/no words as they appear in Chinese CRM exports: plain answers,
 * employment and account states, check marks.  Compared after NFKC
 * and with ASCII letters in lower case.
 */
int
norm_bool(const char *s, size_t n, int *v, const char **why)
{
	static const struct {
		const char	*word;
		int		 val;
	} words[] = {
		{"是", 1}, {"否", 0}, {"有", 1}, {"无", 0}, {"對", 1},
		{"对", 1}, {"错", 0}, {"y", 1}, {"n", 0}, {"yes", 1},
		{"no", 0}, {"true", 1}, {"false", 0}, {"t", 1}, {"f", 0},
		{"1", 1}, {"0", 0}, {"on", 1}, {"off", 0}, {"在职", 1},
		{"离职", 0}, {"启用", 1}, {"停用", 0}, {"激活", 1},
		{"禁用", 0}, {"正常", 1}, {"开启", 1}, {"关闭", 0},
		/* check marks, and the square root sign used as one */
		{"\xe2\x9c\x93", 1}, {"\xe2\x9c\x94", 1}, {"\xe2\x88\x9a", 1},
		/* ballot x and the multiplication sign */
		{"\xe2\x9c\x97", 0}, {"\xe2\x9c\x98", 0}, {"\xc3\x97", 0},
	};
	struct buf b = {0};
	size_t k;
	int rc;

	*v = 0;
	*why = NULL;
	if (!cell_text(&b, s, n)) {
		buf_free(&b);
		return NORM_EMPTY;
	}
	rc = NORM_BAD;
	*why = "not yes or no";
	for (k = 0; k < nitems(words); k++)
		if (match(b.s, b.len, 0, words[k].word) == b.len) {
			*v = words[k].val;
			*why = NULL;
			rc = NORM_OK;
			break;
		}
	buf_free(&b);
	return rc;
}
