/*
 * Target periods as sales teams write them in their spreadsheets:
 * months, quarters and years, in figures, with Chinese words or both.
 */
#include <stdio.h>
#include <string.h>

#include "target.h"
#include "xldate.h"

static const char NOT_PERIOD[] = "not a month, quarter or year";

/* Skip the word w at *p (bounded by e); 1 when it was there. */
static int
word(const char **p, const char *e, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(e - *p) < n || memcmp(*p, w, n) != 0)
		return 0;
	*p += n;
	return 1;
}

static void
skip_spaces(const char **p, const char *e)
{
	while (*p < e && (**p == ' ' || **p == '\t'))
		(*p)++;
}

/* Up to max ASCII digits at *p as a number, or -1 when there are none. */
static int
digits(const char **p, const char *e, int max, int *ndigits)
{
	int v, k;

	v = 0;
	for (k = 0; k < max && *p < e && **p >= '0' && **p <= '9'; k++)
		v = v * 10 + *(*p)++ - '0';
	*ndigits = k;
	return k > 0 ? v : -1;
}

/* A quarter's number in figures or as 一 二 三 四; -1 if none. */
static int
quarter_number(const char **p, const char *e)
{
	static const char *const cn[] = {"一", "二", "三", "四"};
	int k, nd;

	for (k = 0; k < 4; k++)
		if (word(p, e, cn[k]))
			return k + 1;
	return digits(p, e, 1, &nd);
}

static void
day_text(char *out, int y, int m, int d)
{
	snprintf(out, TPERIOD_MAX, "%04d-%02d-%02d", y, m, d);
}

static int
month_days(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31};

	if (m == 2 && civil_valid(y, 2, 29))
		return 29;
	return days[m - 1];
}

int
target_period(const char *s, size_t n, char *period, char *from, char *to,
    const char **why)
{
	const char *p = s, *e = s + n;
	int y, m, q, d, nd;

	*why = NOT_PERIOD;
	skip_spaces(&p, e);
	while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	word(&p, e, "FY");
	if ((y = digits(&p, e, 4, &nd)) < 0 || nd != 4 || y < 1900)
		return -1;
	/* 202603: year and month run together. */
	if (p < e && *p >= '0' && *p <= '9') {
		if ((m = digits(&p, e, 2, &nd)) < 1 || m > 12 || nd != 2 ||
		    p != e)
			return -1;
		goto month;
	}
	skip_spaces(&p, e);
	if (p == e || word(&p, e, "年度") || (word(&p, e, "年") && p == e)) {
		if (p != e)
			return -1;
		snprintf(period, TPERIOD_MAX, "%04d", y);
		day_text(from, y, 1, 1);
		day_text(to, y, 12, 31);
		*why = NULL;
		return 0;
	}
	(void)(word(&p, e, "-") || word(&p, e, "/") || word(&p, e, "."));
	skip_spaces(&p, e);
	if (word(&p, e, "Q") || word(&p, e, "q")) {
		if ((q = digits(&p, e, 1, &nd)) < 1 || q > 4 || p != e)
			return -1;
		goto quarter;
	}
	word(&p, e, "第");
	if ((q = quarter_number(&p, e)) > 0 && (word(&p, e, "季度") ||
	    word(&p, e, "季"))) {
		if (q > 4 || p != e)
			return -1;
		goto quarter;
	}
	/* A month: what quarter_number read was its first digit. */
	p = s;
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	word(&p, e, "FY");
	p += 4;
	skip_spaces(&p, e);
	if (!word(&p, e, "年") && !word(&p, e, "-") && !word(&p, e, "/") &&
	    !word(&p, e, "."))
		return -1;
	skip_spaces(&p, e);
	if ((m = digits(&p, e, 2, &nd)) < 1 || m > 12)
		return -1;
	skip_spaces(&p, e);
	if (p == e)
		goto month;
	/*
	 * The first of a month, as Excel stores a typed 2026-03 and shows
	 * it in a Chinese locale: 2026/3/1, 2026-03-01, 2026年3月1日.
	 */
	if (word(&p, e, "月")) {
		if (p == e)
			goto month;
		skip_spaces(&p, e);
		if ((d = digits(&p, e, 2, &nd)) < 0)
			return -1;
		skip_spaces(&p, e);
		(void)(word(&p, e, "日") || word(&p, e, "号"));
		if (p != e)
			return -1;
	} else if (!word(&p, e, "-") && !word(&p, e, "/") &&
	    !word(&p, e, "."))
		return -1;
	else if ((d = digits(&p, e, 2, &nd)) < 0 || p != e)
		return -1;
	if (d != 1) {
		*why = "a day, not a month, quarter or year";
		return -1;
	}
month:
	snprintf(period, TPERIOD_MAX, "%04d-%02d", y, m);
	day_text(from, y, m, 1);
	day_text(to, y, m, month_days(y, m));
	*why = NULL;
	return 0;
quarter:
	snprintf(period, TPERIOD_MAX, "%04d-Q%d", y, q);
	day_text(from, y, 3 * q - 2, 1);
	day_text(to, y, 3 * q, month_days(y, 3 * q));
	*why = NULL;
	return 0;
}
