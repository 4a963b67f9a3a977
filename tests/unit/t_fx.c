/*
 * Exchange rates (fx.c): rates as fx.csv writes them, conversion to the
 * fen with rounding half away from zero, and the SQL function cny() on
 * a store with and without rates.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "db.h"
#include "diag.h"
#include "fx.h"
#include "tap.h"

static char dir[] = "/tmp/t_fx.XXXXXX";

static int64_t
rate(const char *s, const char **why)
{
	int64_t m = -1;

	*why = NULL;
	if (fx_parse_rate(s, &m, why) < 0)
		return -1;
	return m;
}

static int64_t
conv(int64_t fen, int64_t micro)
{
	int64_t out = 0;

	return fx_convert(fen, micro, &out) < 0 ? INT64_MIN : out;
}

/* cny(fen, currency) on db, as text ("NULL" for NULL). */
static const char *
cny(struct db *db, const char *fen, const char *cur)
{
	static char out[256];
	sqlite3_stmt *st;
	char sql[128];

	snprintf(sql, sizeof(sql), "SELECT cny(%s, %s)", fen, cur);
	if (sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL) !=
	    SQLITE_OK)
		return "(prepare)";
	if (sqlite3_step(st) != SQLITE_ROW)
		snprintf(out, sizeof(out), "(%s)",
		    sqlite3_errmsg(db_handle(db)));
	else if (sqlite3_column_type(st, 0) == SQLITE_NULL)
		snprintf(out, sizeof(out), "NULL");
	else
		snprintf(out, sizeof(out), "%lld",
		    (long long)sqlite3_column_int64(st, 0));
	sqlite3_finalize(st);
	return out;
}

int
main(void)
{
	const char *why;
	char path[128];
	struct db *db;
	FILE *f;

	is_int(rate("7.1", &why), 7100000, "7.1 yuan");
	is_int(rate("0.0472", &why), 47200, "four places");
	is_int(rate(".5", &why), 500000, "no whole part");
	is_int(rate("7.", &why), 7000000, "a trailing point");
	is_int(rate("0.000001", &why), 1, "six places, the least rate");
	is_int(rate("1000000", &why), 1000000000000LL, "the largest rate");
	ok(rate("1000000.000001", &why) < 0 && strcmp(why, "too large") == 0,
	    "past a million yuan a unit");
	ok(rate("0.0000001", &why) < 0 &&
	    strcmp(why, "more than 6 decimal places") == 0, "seven places");
	ok(rate("0", &why) < 0 && strcmp(why, "zero") == 0, "zero");
	ok(rate("-7.1", &why) < 0 && strcmp(why, "not a number") == 0,
	    "negative");
	ok(rate("7,1", &why) < 0, "a comma");
	ok(rate("", &why) < 0, "empty");
	ok(rate(".", &why) < 0, "a point alone");
	ok(rate("99999999999999999999", &why) < 0, "digits past int64");

	is_int(conv(1000000, 7100000), 7100000, "10,000.00 at 7.1");
	is_int(conv(1, 500000), 1, "0.005 yuan rounds up");
	is_int(conv(1, 499999), 0, "below half rounds down");
	is_int(conv(-1, 500000), -1, "half away from zero, negative");
	is_int(conv(INT64_MAX, 1000000), INT64_MAX, "rate 1 keeps the range");
	ok(conv(INT64_MAX, 1000001) == INT64_MIN, "past int64 is an error");

	if (mkdtemp(dir) == NULL)
		return 99;
	snprintf(path, sizeof(path), "%s/s.db", dir);
	if ((db = db_open(path, 0)) == NULL)
		return 99;
	/* db_open() registers cny() without rates. */
	is_str(cny(db, "12345", "'CNY'"), "12345", "CNY as it is");
	is_str(cny(db, "12345", "NULL"), "12345", "no currency: yuan");
	is_str(cny(db, "12345", "'USD'"), "NULL", "no rate: no value");
	is_str(cny(db, "NULL", "'CNY'"), "NULL", "no amount");
	snprintf(path, sizeof(path), "%s/fx.csv", dir);
	if ((f = fopen(path, "w")) == NULL)
		return 99;
	fputs("# comment\ncurrency,yuan_per_unit\nUSD,7.1\njpy,0.0472\n", f);
	fclose(f);
	is_int(fx_register(db, dir), 0, "fx.csv loads");
	is_str(cny(db, "1000000", "'USD'"), "7100000", "10,000 USD in fen");
	is_str(cny(db, "100000", "'JPY'"), "4720", "codes upper-cased");
	is_str(cny(db, "12345", "'EUR'"), "NULL", "EUR has no rate");
	is_str(cny(db, "9223372036854775807", "'USD'"),
	    "(an amount of 92233720368547758.07 USD passes the range of a "
	    "sum in yuan at the rate of fx.csv: fix the amount or the rate)",
	    "overflow is an error naming the amount, not a wrong sum");
	is_str(cny(db, "-9223372036854775807", "'USD'"),
	    "(an amount of -92233720368547758.07 USD passes the range of a "
	    "sum in yuan at the rate of fx.csv: fix the amount or the rate)",
	    "overflow below zero names the amount with its sign");
	db_close(db);
	unlink(path);
	snprintf(path, sizeof(path), "%s/s.db", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/s.db-wal", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/s.db-shm", dir);
	unlink(path);
	rmdir(dir);
	return tap_done();
}
