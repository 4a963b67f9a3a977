/*
 * Exchange rates for reports: fx.csv and the SQL function cny().  See
 * fx.h.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "db.h"
#include "diag.h"
#include "fx.h"
#include "rules.h"
#include "xalloc.h"

/* A rate is at most a million yuan a unit: the millionths fit twice. */
#define RATE_MAX	1000000

struct rate {
	char	 code[4];
	int64_t	 micro;
};

struct fx {
	struct rate	*v;
	size_t		 n;
};

int
fx_parse_rate(const char *s, int64_t *micro, const char **why)
{
	int64_t whole = 0, frac = 0;
	int digits = 0, places = 0;
	const char *p = s;

	for (; isdigit((unsigned char)*p); p++, digits++) {
		if (whole > RATE_MAX) {
			*why = "too large";
			return -1;
		}
		whole = whole * 10 + (*p - '0');
	}
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++, places++) {
			if (places == 6) {
				*why = "more than 6 decimal places";
				return -1;
			}
			frac = frac * 10 + (*p - '0');
			digits++;
		}
	if (*p != '\0' || digits == 0) {
		*why = "not a number";
		return -1;
	}
	for (; places < 6; places++)
		frac *= 10;
	if (whole > RATE_MAX || (whole == RATE_MAX && frac > 0)) {
		*why = "too large";
		return -1;
	}
	*micro = whole * 1000000 + frac;
	if (*micro == 0) {
		*why = "zero";
		return -1;
	}
	return 0;
}

int
fx_convert(int64_t fen, int64_t micro, int64_t *out)
{
	__int128 v = (__int128)fen * micro;

	v = v >= 0 ? (v + 500000) / 1000000 : -((-v + 500000) / 1000000);
	if (v > INT64_MAX || v < INT64_MIN)
		return -1;
	*out = (int64_t)v;
	return 0;
}

static const struct rate *
find(const struct fx *fx, const char *code, size_t n)
{
	size_t i;

	if (n != 3)
		return NULL;
	for (i = 0; i < fx->n; i++)
		if (memcmp(fx->v[i].code, code, 3) == 0)
			return &fx->v[i];
	return NULL;
}

static void
cny(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const struct fx *fx = sqlite3_user_data(ctx);
	const struct rate *r;
	const char *code;
	int64_t out;
	int n;

	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
		return;		/* NULL */
	code = (const char *)sqlite3_value_text(argv[1]);
	n = sqlite3_value_bytes(argv[1]);
	if (code == NULL || n == 0 || (n == 3 && memcmp(code, "CNY", 3) == 0)) {
		sqlite3_result_value(ctx, argv[0]);
		return;
	}
	if ((r = find(fx, code, (size_t)n)) == NULL)
		return;		/* no rate: no yuan value */
	if (fx_convert(sqlite3_value_int64(argv[0]), r->micro, &out) < 0) {
		int64_t fen = sqlite3_value_int64(argv[0]);
		uint64_t mag = fen < 0 ? (uint64_t)0 - (uint64_t)fen :
		    (uint64_t)fen;
		char *msg = sqlite3_mprintf("an amount of %s%llu.%02llu %s "
		    "passes the range of a sum in yuan at the rate of "
		    "fx.csv: fix the amount or the rate", fen < 0 ? "-" : "",
		    (unsigned long long)(mag / 100),
		    (unsigned long long)(mag % 100), r->code);

		sqlite3_result_error(ctx, msg != NULL ? msg :
		    "integer overflow", -1);
		sqlite3_free(msg);
		return;
	}
	sqlite3_result_int64(ctx, out);
}

static void
fx_free(void *p)
{
	struct fx *fx = p;

	free(fx->v);
	free(fx);
}

/* The rows of t into fx; 0, or -1 after reporting. */
static int
load(struct fx *fx, const struct rtable *t)
{
	const char *code, *rate, *why;
	char up[4];
	int64_t micro;
	int cc, rc;
	size_t i, k;

	if ((cc = rtable_need(t, "currency")) < 0 ||
	    (rc = rtable_need(t, "yuan_per_unit")) < 0)
		return -1;
	fx->v = xcalloc(t->nrows + 1, sizeof(*fx->v));
	for (i = 0; i < t->nrows; i++) {
		code = rtable_get(t, i, cc);
		rate = rtable_get(t, i, rc);
		for (k = 0; k < 3 && isalpha((unsigned char)code[k]); k++)
			up[k] = (char)toupper((unsigned char)code[k]);
		up[k] = '\0';
		if (k < 3 || code[3] != '\0') {
			rtable_error(t, i, cc, "currency '%s' is not a "
			    "three-letter code such as USD", diag_val(code));
			return -1;
		}
		if (strcmp(up, "CNY") == 0) {
			rtable_error(t, i, cc, "CNY is what reports count in: "
			    "it needs no rate");
			return -1;
		}
		if (find(fx, up, 3) != NULL) {
			rtable_error(t, i, cc, "currency %s is listed twice",
			    up);
			return -1;
		}
		if (fx_parse_rate(rate, &micro, &why) < 0) {
			rtable_error(t, i, rc, "rate '%s': %s",
			    diag_val(rate), why);
			return -1;
		}
		memcpy(fx->v[fx->n].code, up, 4);
		fx->v[fx->n++].micro = micro;
	}
	return 0;
}

int
fx_register(struct db *db, const char *dir)
{
	struct rtable *t = NULL;
	struct fx *fx;
	char *path;
	int rc;

	fx = xcalloc(1, sizeof(*fx));
	path = dir != NULL ? xasprintf("%s/fx.csv", dir) : NULL;
	if (path != NULL && access(path, F_OK) == 0 &&
	    ((t = rules_load_file(path)) == NULL || load(fx, t) < 0)) {
		rtable_free(t);
		free(path);
		fx_free(fx);
		return -1;
	}
	rtable_free(t);
	free(path);
	rc = sqlite3_create_function_v2(db_handle(db), "cny", 2,
	    SQLITE_UTF8 | SQLITE_DETERMINISTIC, fx, cny, NULL, NULL, fx_free);
	if (rc != SQLITE_OK)
		return db_fail(db, rc, "cny()");
	return 0;
}
