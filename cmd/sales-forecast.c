/*
 * sales-forecast: each open deal's chance to close from what has
 * verifiably happened on it, why, and how well the rules did before.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "diag.h"
#include "fcrep.h"
#include "forecast.h"
#include "fx.h"
#include "rules.h"
#include "table.h"
#include "tz.h"
#include "workcal.h"
#include "xldate.h"

enum { OPT_AS_OF = 256, OPT_FROM, OPT_TO, OPT_WRITE };

static const char options_help[] =
    "  -D, --db FILE        database (default: $SALES_DB or ./sales.db)\n"
    "  -h, --help           this help\n"
    "  -R, --rules DIR      rule tables (default: $SALES_RULES or the "
    "installed ones)\n"
    "  -t, --table          run: totals per rep and region, aligned\n"
    "  -T, --tz ZONE        local time zone (default: $SALES_TZ or "
    "Asia/Shanghai)\n"
    "  -V, --version        print the version\n"
    "      --as-of DATE     forecast as of DATE (default: today)\n"
    "      --from DATE      backtest, fit: first week replayed\n"
    "      --to DATE        backtest, fit: last week replayed "
    "(default: today)\n"
    "      --write FILE     fit: write forecast.csv with the fitted "
    "weights\n"
    "verbs: run (default), explain DEAL, snapshot, backtest, fit\n";

static void usage(FILE *, int) __attribute__((__noreturn__));

static long
parse_date(const char *opt, const char *s)
{
	int y, m, d, n = 0;

	if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 ||
	    s[n] != '\0' || n != 10 || !civil_valid(y, m, d))
		diag_fatal(SX_USAGE, "%s '%s' is not a date (YYYY-MM-DD)", opt,
		    diag_val(s));
	return days_from_civil(y, m, d);
}

static void
check_verb(int argc, char *argv[])
{
	static const char *const verbs[] = {
		"run", "snapshot", "backtest", "fit", NULL
	};
	size_t i;

	if (argc == 0 || (strcmp(argv[0], "explain") == 0 && argc == 2))
		return;
	for (i = 0; verbs[i] != NULL; i++)
		if (strcmp(argv[0], verbs[i]) == 0) {
			if (argc == 1)
				return;
			usage(stderr, SX_USAGE);
		}
	if (strcmp(argv[0], "explain") == 0)
		usage(stderr, SX_USAGE);
	diag_fatal(SX_USAGE, "unknown verb '%s'", diag_val(argv[0]));
}

static void
run(struct fc_ctx *c, const char *verb, const char *deal, long asof,
    long from, long to, const char *write, enum outfmt f)
{
	if (strcmp(verb, "run") == 0)
		fcrep_run(stdout, c, asof, f);
	else if (strcmp(verb, "explain") == 0)
		fcrep_explain(stdout, c, deal, asof);
	else if (strcmp(verb, "snapshot") == 0)
		fcrep_snapshot(stdout, c, asof);
	else if (strcmp(verb, "backtest") == 0)
		fcrep_backtest(stdout, c, from, to);
	else
		fcrep_fit(stdout, c, from, to, write);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
	    {"db", required_argument, NULL, 'D'},
	    {"help", no_argument, NULL, 'h'},
	    {"rules", required_argument, NULL, 'R'},
	    {"table", no_argument, NULL, 't'},
	    {"tz", required_argument, NULL, 'T'},
	    {"version", no_argument, NULL, 'V'},
	    {"as-of", required_argument, NULL, OPT_AS_OF},
	    {"from", required_argument, NULL, OPT_FROM},
	    {"to", required_argument, NULL, OPT_TO},
	    {"write", required_argument, NULL, OPT_WRITE},
	    {NULL, 0, NULL, 0},
	};
	struct fc_ctx c;
	const char *dbopt = NULL, *rules = NULL, *zone = NULL, *write = NULL;
	const char *verb;
	enum outfmt fmt = OUT_JSONL;
	long asof = -1, from = -1, to = -1;
	int ch;

	diag_init(argv[0], stderr);
	memset(&c, 0, sizeof(c));
	while ((ch = getopt_long(argc, argv, "D:hR:T:tV", longopts,
	    NULL)) != -1)
		switch (ch) {
		case 'D':
			dbopt = optarg;
			break;
		case 'h':
			usage(stdout, SX_OK);
		case 'R':
			rules = optarg;
			break;
		case 'T':
			zone = optarg;
			break;
		case 't':
			fmt = OUT_TEXT;
			break;
		case 'V':
			puts("sales-forecast " SALES_VERSION);
			return SX_OK;
		case OPT_AS_OF:
			asof = parse_date("--as-of", optarg);
			break;
		case OPT_FROM:
			from = parse_date("--from", optarg);
			break;
		case OPT_TO:
			to = parse_date("--to", optarg);
			break;
		case OPT_WRITE:
			write = optarg;
			break;
		default:
			usage(stderr, SX_USAGE);
		}
	argc -= optind;
	argv += optind;
	check_verb(argc, argv);
	verb = argc > 0 ? argv[0] : "run";
	if (from >= 0 && to >= 0 && from > to)
		diag_fatal(SX_USAGE, "--from is after --to");
	if (tz_init(zone) < 0)
		return diag_finish();
	c.today = tz_today();
	if (asof < 0)
		asof = c.today;
	c.zh = fc_lang_zh();
	if ((c.m = fc_model_load(rules_dir(rules))) == NULL ||
	    (c.cal = workcal_load(rules_dir(rules))) == NULL) {
		fc_model_free(c.m);
		return diag_finish();
	}
	if ((c.db = db_open_existing(db_default_path(dbopt), 0)) != NULL &&
	    fx_register(c.db, rules_dir(rules)) == 0 &&
	    (c.d = fc_data_load(c.db, c.m)) != NULL)
		run(&c, verb, argc > 1 ? argv[1] : NULL, asof, from, to, write,
		    fmt);
	fc_data_free(c.d);
	db_close(c.db);
	workcal_free(c.cal);
	fc_model_free(c.m);
	return diag_finish();
}

static void
usage(FILE *fp, int status)
{
	fputs("usage: sales-forecast [-htV] [-D dbfile] [-R rules] [-T zone] "
	    "[--as-of date]\n"
	    "                      [--from date] [--to date] [--write file] "
	    "[verb [deal]]\n", fp);
	if (fp == stdout)
		fputs(options_help, fp);
	exit(status);
}
