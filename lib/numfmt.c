/*
 * Classify Excel number formats by what they show.  The scanner walks
 * the first section of a format code once, skipping everything Excel
 * prints literally, and notes which date, time and number tokens are
 * left.
 */
#include <string.h>
#include <strings.h>

#include "norm.h"
#include "numfmt.h"

/*
 * Built-in ids (ECMA-376 part 1, 18.8.30, and the zh-CN list Excel
 * uses for 27-36 and 50-58, which styles.xml never writes out).
 */
static const unsigned short builtin[] = {
	/* 0-4: General 0 0.00 #,##0 #,##0.00 */
	NF_NUMBER, NF_NUMBER, NF_NUMBER, NF_NUMBER, NF_NUMBER,
	/* 5-8: "¥"#,##0;"¥"\-#,##0 and kin */
	NF_NUMBER | NF_CURRENCY, NF_NUMBER | NF_CURRENCY,
	NF_NUMBER | NF_CURRENCY, NF_NUMBER | NF_CURRENCY,
	/* 9-10: 0% 0.00% */
	NF_NUMBER | NF_PERCENT, NF_NUMBER | NF_PERCENT,
	/* 11-13: 0.00E+00 # ?/? # ??/?? */
	NF_NUMBER, NF_NUMBER, NF_NUMBER,
	/* 14-17: mm-dd-yy d-mmm-yy d-mmm mmm-yy */
	NF_DATE, NF_DATE, NF_DATE, NF_DATE,
	/* 18-21: h:mm AM/PM, h:mm:ss AM/PM, h:mm, h:mm:ss */
	NF_TIME, NF_TIME, NF_TIME, NF_TIME,
	/* 22: m/d/yy h:mm */
	NF_DATE,
	/* 23-26: unused */
	NF_NUMBER, NF_NUMBER, NF_NUMBER, NF_NUMBER,
	/* 27-31: yyyy"年"m"月" m"月"d"日" (twice) m-d-yy yyyy"年"m"月"d"日" */
	NF_DATE, NF_DATE, NF_DATE, NF_DATE, NF_DATE,
	/* 32-35: h"时"mm"分", with "ss"秒"", and 上午/下午 forms */
	NF_TIME, NF_TIME, NF_TIME, NF_TIME,
	/* 36: yyyy"年"m"月" */
	NF_DATE,
	/* 37-40: #,##0 ;(#,##0) and kin */
	NF_NUMBER, NF_NUMBER, NF_NUMBER, NF_NUMBER,
	/* 41-44: accounting; 42 and 44 carry the currency sign */
	NF_NUMBER, NF_NUMBER | NF_CURRENCY, NF_NUMBER,
	NF_NUMBER | NF_CURRENCY,
	/* 45-47: mm:ss [h]:mm:ss mmss.0 */
	NF_TIME, NF_DURATION, NF_TIME,
	/* 48-49: ##0.0E+0 @ */
	NF_NUMBER, NF_TEXT,
	/* 50-54: yyyy"年"m"月" m"月"d"日" yyyy"年"m"月" m"月"d"日" (twice) */
	NF_DATE, NF_DATE, NF_DATE, NF_DATE, NF_DATE,
	/* 55-56: 上午/下午h"时"mm"分", with "ss"秒"" */
	NF_TIME, NF_TIME,
	/* 57-58: yyyy"年"m"月" m"月"d"日" */
	NF_DATE, NF_DATE,
};

unsigned
numfmt_builtin(unsigned id)
{
	if (id < sizeof(builtin) / sizeof(builtin[0]))
		return builtin[id];
	return NF_NUMBER;
}

/*
 * Currencies a format can name; the index is NF_CUR.  The last one,
 * ISO 4217's code for "no currency", stands for a sign this table does
 * not know, such as the dollar of a locale not listed: the reports then
 * have no rate for it and the audit lists the amount, rather than
 * counting it as yuan.
 */
static const char *const codes[] = {
	NULL, "CNY", "USD", "EUR", "GBP", "JPY", "HKD", "AUD", "CAD", "SGD",
	"TWD", "NZD", "CHF", "KRW", "RUB", "THB", "MYR", "INR", "MOP", "XXX",
};
#define NCODES	(sizeof(codes) / sizeof(codes[0]))
#define CUR_UNKNOWN	(NCODES - 1)	/* ISO 4217's "no currency" */

const char *
numfmt_code(unsigned idx)
{
	return idx < NCODES ? codes[idx] : NULL;
}

static unsigned
code_index(const char *code)
{
	unsigned i;

	for (i = 1; i < NCODES; i++)
		if (strcmp(codes[i], code) == 0)
			return i;
	return CUR_UNKNOWN;
}

/*
 * The currency of a sign [s, e) written in a format, with the locale
 * id of a [$sign-lcid] section (0 when none): ¥ is the yen in Japan,
 * $ a dollar that the locale names.
 */
static unsigned
sign_code(const unsigned char *s, const unsigned char *e, unsigned long lcid)
{
	static const struct {
		unsigned long	 lcid;
		const char	*code;
	} dollars[] = {
		{0x409, "USD"}, {0x804, "USD"}, {0xc09, "AUD"},
		{0x1009, "CAD"}, {0x1004, "SGD"}, {0x404, "TWD"},
		{0x1409, "NZD"}, {0xc04, "HKD"}, {0x3c09, "HKD"},
	};
	static const struct {
		const char	*sign;
		const char	*code;
	} signs[] = {
		{"US$", "USD"}, {"HK$", "HKD"}, {"NT$", "TWD"},
		{"S$", "SGD"}, {"A$", "AUD"}, {"C$", "CAD"},
		{"\xe2\x82\xac", "EUR"}, {"\xc2\xa3", "GBP"},
		{"\xe5\x85\x83", "CNY"}, {"\xe2\x82\xa9", "KRW"},
	};
	size_t n = (size_t)(e - s), i;
	char code[4];

	if (n == 0)
		return 0;
	if ((n == 2 && s[0] == 0xc2 && s[1] == 0xa5) ||
	    (n == 3 && s[0] == 0xef && s[1] == 0xbf && s[2] == 0xa5))
		return code_index(lcid == 0x411 ? "JPY" : "CNY");
	if (n == 1 && s[0] == '$') {
		if (lcid == 0)
			return code_index("USD");
		for (i = 0; i < sizeof(dollars) / sizeof(dollars[0]); i++)
			if (dollars[i].lcid == lcid)
				return code_index(dollars[i].code);
		return CUR_UNKNOWN;
	}
	for (i = 0; i < sizeof(signs) / sizeof(signs[0]); i++)
		if (strlen(signs[i].sign) == n &&
		    memcmp(signs[i].sign, s, n) == 0)
			return code_index(signs[i].code);
	if (n == 3) {
		for (i = 0; i < 3; i++) {
			if (!((s[i] >= 'A' && s[i] <= 'Z') ||
			    (s[i] >= 'a' && s[i] <= 'z')))
				return CUR_UNKNOWN;
			code[i] = (char)(s[i] & ~0x20);
		}
		code[3] = '\0';
		return code_index(code);
	}
	return CUR_UNKNOWN;
}

/* A currency sign at p: $ ¥ ￥ € £ 元 (UTF-8). */
static int
is_currency(const unsigned char *p)
{
	if (p[0] == '$')
		return 1;
	if (p[0] == 0xc2)
		return p[1] == 0xa5 || p[1] == 0xa3;
	if (p[0] == 0xef)
		return p[1] == 0xbf && p[2] == 0xa5;
	if (p[0] == 0xe2)
		return p[1] == 0x82 && p[2] == 0xac;
	if (p[0] == 0xe5)
		return p[1] == 0x85 && p[2] == 0x83;
	return 0;
}

/* The bytes of the currency sign at p (is_currency): 1, 2 or 3. */
static size_t
sign_len(const unsigned char *p)
{
	return p[0] == '$' ? 1 : p[0] == 0xc2 ? 2 : 3;
}

/* Note the first currency a format names in *cur. */
static void
note_sign(unsigned *cur, const unsigned char *s, const unsigned char *e,
    unsigned long lcid)
{
	if (*cur == 0)
		*cur = sign_code(s, e, lcid);
}

/* Step over the rest of the UTF-8 character that starts at p. */
static const unsigned char *
char_end(const unsigned char *p)
{
	while ((p[1] & 0xc0) == 0x80)
		p++;
	return p;
}

/*
 * A bracketed section [s, e): [h] [mm] [ss] mark elapsed time, [$¥-804]
 * names a currency; colours, conditions, [DBNum1] and [$-804] locales
 * only change how the value looks.
 */
static void
bracket(const unsigned char *s, const unsigned char *e, int *elapsed,
    unsigned *flags, unsigned *cur)
{
	const unsigned char *p, *dash;
	unsigned long lcid = 0;
	int c;

	if (s == e)
		return;
	c = s[0] | 0x20;
	if (c == 'h' || c == 'm' || c == 's') {
		for (p = s; p < e && (*p | 0x20) == c; p++)
			continue;
		if (p == e) {
			*elapsed = 1;
			return;
		}
	}
	if (s[0] == '$' && s + 1 < e && s[1] != '-') {
		*flags |= NF_CURRENCY;
		for (dash = s + 1; dash < e && *dash != '-'; dash++)
			continue;
		for (p = dash + 1; p < e; p++) {
			c = *p | 0x20;
			if (*p >= '0' && *p <= '9')
				lcid = lcid * 16 + (unsigned long)(*p - '0');
			else if (c >= 'a' && c <= 'f')
				lcid = lcid * 16 + (unsigned long)(c - 'a' + 10);
			else
				break;
			if (lcid > 0xffffff)
				break;
		}
		note_sign(cur, s + 1, dash, lcid);
	}
}

unsigned
numfmt_class(const char *code)
{
	const unsigned char *p, *e, *q;
	char word[4];
	int date, time, month, elapsed, text;
	unsigned flags, cur;
	enum nf_kind kind;

	if (code == NULL)
		return NF_NUMBER;
	date = time = month = elapsed = text = 0;
	flags = cur = 0;
	for (p = (const unsigned char *)code; *p != '\0' && *p != ';'; p++) {
		switch (*p) {
		case '"':
			/* A word of its own: "美元", "港币", " USD". */
			e = (const unsigned char *)strchr((const char *)p + 1,
			    '"');
			if (e != NULL && cur == 0 && norm_currency((const char *)
			    p + 1, (size_t)(e - p - 1), word) == NORM_OK) {
				flags |= NF_CURRENCY;
				cur = code_index(word);
				p = e;
				break;
			}
			for (q = ++p; *p != '\0' && *p != '"'; p++) {
				if (!is_currency(p))
					continue;
				flags |= NF_CURRENCY;
				/* "US$", "HK$", "S$": the letters say which. */
				e = p;
				while (e > q && e > p - 2 && e[-1] >= 'A' &&
				    e[-1] <= 'Z')
					e--;
				note_sign(&cur, e, p + sign_len(p), 0);
			}
			if (*p == '\0')
				goto done;
			break;
		case '\\':
			if (*++p == '\0')
				goto done;
			if (is_currency(p)) {
				flags |= NF_CURRENCY;
				note_sign(&cur, p, p + sign_len(p), 0);
			}
			p = char_end(p);
			break;
		case '$':
			flags |= NF_CURRENCY;
			note_sign(&cur, p, p + 1, 0);
			break;
		case '_':
		case '*':
			/* Padding and fill: the next character is literal. */
			if (*++p == '\0')
				goto done;
			p = char_end(p);
			break;
		case '[':
			if ((e = (const unsigned char *)strchr((const char *)p,
			    ']')) == NULL)
				goto done;
			bracket(p + 1, e, &elapsed, &flags, &cur);
			p = e;
			break;
		case '%':
			flags |= NF_PERCENT;
			break;
		case '@':
			text = 1;
			break;
		case 'y':
		case 'Y':
		case 'd':
		case 'D':
			date = 1;
			break;
		case 'm':
		case 'M':
			/* Month or minute: both make a date or a time. */
			month = 1;
			break;
		case 'h':
		case 'H':
		case 's':
		case 'S':
			time = 1;
			break;
		case 'a':
		case 'A':
			if (strncasecmp((const char *)p, "am/pm", 5) == 0) {
				time = 1;
				p += 4;
			} else if (strncasecmp((const char *)p, "a/p",
			    3) == 0) {
				time = 1;
				p += 2;
			}
			break;
		case 'g':
		case 'G':
			if (strncasecmp((const char *)p, "general", 7) == 0) {
				p += 6;
				break;
			}
			date = 1;	/* ggg: the name of a Japanese era */
			break;
		case 'e':
		case 'E':
			if (p[1] == '+' || p[1] == '-')
				p++;	/* 0.00E+00 */
			else
				date = 1;	/* e: the year of an era */
			break;
		case 'b':
		case 'B':
			if (p[1] == '1' || p[1] == '2')
				p++;	/* B1, B2: calendar switches */
			break;
		default:
			if (*p < 0x80)
				break;
			if (is_currency(p)) {
				flags |= NF_CURRENCY;
				note_sign(&cur, p, p + sign_len(p), 0);
			}
			/* 上午/下午 is Chinese AM/PM. */
			else if (strncmp((const char *)p, "上午", 6) == 0 ||
			    strncmp((const char *)p, "下午", 6) == 0)
				time = 1;
			p = char_end(p);
			break;
		}
	}
done:
	if (elapsed)
		kind = NF_DURATION;
	else if (date)
		kind = NF_DATE;
	else if (time)
		kind = NF_TIME;
	else if (month)
		kind = NF_DATE;		/* mmmm: a month name */
	else if (text)
		kind = NF_TEXT;
	else
		kind = NF_NUMBER;
	/* Only zeros, as in 000000: every number shows that many digits. */
	if (kind == NF_NUMBER && flags == 0) {
		size_t z = strspn(code, "0");

		if (z >= 2 && z <= 30 && (code[z] == '\0' || code[z] == ';'))
			flags = (unsigned)z << 16;
	}
	return kind | flags | cur << 24;
}
