/*
 * sales-stage: stage gates.  Move deals through the funnel only when
 * the evidence exists, see why moves are refused, how long deals stay
 * and where they are stuck.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "diag.h"
#include "rules.h"
#include "stage.h"
#include "stagerep.h"
#include "table.h"
#include "tz.h"
#include "xldate.h"

enum { OPT_SINCE = 256, OPT_UNTIL, OPT_OVER };

static const char options_help[] =
    "  -a, --at TIME        when the move happened (default: now)\n"
    "  -b, --by WHO         move: who moves; dwell: stage, rep or region\n"
    "  -D, --db FILE        database (default: $SALES_DB or ./sales.db)\n"
    "  -F, --force          move despite failing gates (needs --reason)\n"
    "  -h, --help           this help\n"
    "  -r, --reason TEXT    why (forced moves, reopening a closed deal)\n"
    "  -R, --rules DIR      rule tables (default: $SALES_RULES or the "
    "installed ones)\n"
    "  -t, --table          aligned text for people instead of JSON lines\n"
    "  -T, --tz ZONE        local time zone (default: $SALES_TZ or "
    "Asia/Shanghai)\n"
    "  -V, --version        print the version\n"
    "      --since DATE     dwell: stays that began on or after DATE\n"
    "      --until DATE     dwell: stays that began on or before DATE\n"
    "      --over DAYS      stuck: in the stage longer than DAYS "
    "(default: per stage)\n"
    "verbs: move DEAL STAGE | move -, check [DEAL ...], history DEAL,\n"
    "       dwell, stuck\n";

static void usage(FILE *, int) __attribute__((__noreturn__));

static long
parse_days(const char *s)
{
	char *end;
	long v;

	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < 0 || v > 100000)
		diag_fatal(SX_USAGE, "invalid number of days '%s'",
		    diag_val(s));
	return v;
}

static const char *
parse_date(const char *opt, const char *s)
{
	int y, m, d, n = 0;

	if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 ||
	    s[n] != '\0' || n != 10 || !civil_valid(y, m, d))
		diag_fatal(SX_USAGE, "%s '%s' is not a date (YYYY-MM-DD)", opt,
		    diag_val(s));
	return s;
}

static int
run(struct stage *st, struct db *db, int argc, char *argv[],
    struct stage_req *rq, struct dwell_opts *dw, long over, enum outfmt f)
{
	const char *verb = argv[0];

	if (strcmp(verb, "move") == 0 && argc == 2 &&
	    strcmp(argv[1], "-") == 0)
		return stagerep_batch(stdin, "<stdin>", stdout, st, db, rq, f);
	if (strcmp(verb, "move") == 0) {
		rq->deal = argv[1];
		rq->to = argv[2];
		return stagerep_run_move(stdout, st, db, rq, f);
	}
	if (strcmp(verb, "check") == 0)
		return stagerep_check(stdout, st, db, argv + 1, argc - 1, f);
	if (strcmp(verb, "history") == 0)
		return stagerep_history(stdout, st, db, argv[1], f);
	if (strcmp(verb, "dwell") == 0)
		return stagerep_dwell(stdout, st, db, dw, f);
	return stagerep_stuck(stdout, st, db, over, f);
}

/* Is argc right for the verb?  Exits with the usage when not. */
static void
check_verb(int argc, char *argv[])
{
	const char *v = argc > 0 ? argv[0] : "";

	if ((strcmp(v, "move") == 0 && (argc == 3 || (argc == 2 &&
	    strcmp(argv[1], "-") == 0))) || strcmp(v, "check") == 0 ||
	    (strcmp(v, "history") == 0 && argc == 2) ||
	    ((strcmp(v, "dwell") == 0 || strcmp(v, "stuck") == 0) &&
	    argc == 1))
		return;
	if (argc > 0 && strcmp(v, "move") != 0 && strcmp(v, "history") != 0 &&
	    strcmp(v, "dwell") != 0 && strcmp(v, "stuck") != 0)
		diag_fatal(SX_USAGE, "unknown verb '%s'", diag_val(v));
	usage(stderr, SX_USAGE);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
	    {"at", required_argument, NULL, 'a'},
	    {"by", required_argument, NULL, 'b'},
	    {"db", required_argument, NULL, 'D'},
	    {"force", no_argument, NULL, 'F'},
	    {"help", no_argument, NULL, 'h'},
	    {"reason", required_argument, NULL, 'r'},
	    {"rules", required_argument, NULL, 'R'},
	    {"table", no_argument, NULL, 't'},
	    {"tz", required_argument, NULL, 'T'},
	    {"version", no_argument, NULL, 'V'},
	    {"since", required_argument, NULL, OPT_SINCE},
	    {"until", required_argument, NULL, OPT_UNTIL},
	    {"over", required_argument, NULL, OPT_OVER},
	    {NULL, 0, NULL, 0},
	};
	struct stage_req rq;
	struct dwell_opts dw;
	struct stage *st;
	struct db *db;
	const char *dbopt = NULL, *rules = NULL, *zone = NULL, *at = NULL;
	char instant[INSTANT_TEXT_MAX];
	enum outfmt fmt = OUT_JSONL;
	long over = -1;
	int ch;

	diag_init(argv[0], stderr);
	memset(&rq, 0, sizeof(rq));
	memset(&dw, 0, sizeof(dw));
	rq.source = "sales-stage";
	while ((ch = getopt_long(argc, argv, "a:b:D:FhR:r:T:tV", longopts,
	    NULL)) != -1)
		switch (ch) {
		case 'a':
			at = optarg;
			break;
		case 'b':
			rq.by = optarg;
			break;
		case 'D':
			dbopt = optarg;
			break;
		case 'F':
			rq.force = 1;
			break;
		case 'h':
			usage(stdout, SX_OK);
		case 'R':
			rules = optarg;
			break;
		case 'r':
			rq.reason = optarg;
			break;
		case 'T':
			zone = optarg;
			break;
		case 't':
			fmt = OUT_TEXT;
			break;
		case 'V':
			puts("sales-stage " SALES_VERSION);
			return SX_OK;
		case OPT_SINCE:
			dw.since = parse_date("--since", optarg);
			break;
		case OPT_UNTIL:
			dw.until = parse_date("--until", optarg);
			break;
		case OPT_OVER:
			over = parse_days(optarg);
			break;
		default:
			usage(stderr, SX_USAGE);
		}
	argc -= optind;
	argv += optind;
	check_verb(argc, argv);
	if (rq.force && (rq.reason == NULL || *rq.reason == '\0'))
		diag_fatal(SX_USAGE, "--force needs --reason");
	if (strcmp(argv[0], "dwell") == 0 && rq.by != NULL) {
		if (strcmp(rq.by, "rep") == 0)
			dw.by = BY_REP;
		else if (strcmp(rq.by, "region") == 0)
			dw.by = BY_REGION;
		else if (strcmp(rq.by, "stage") != 0)
			diag_fatal(SX_USAGE, "--by '%s': dwell groups by "
			    "stage, rep or region", diag_val(rq.by));
	}
	if (tz_init(zone) < 0)
		return diag_finish();
	if (at != NULL) {
		if (stage_instant(at, instant) < 0)
			diag_fatal(SX_USAGE, "--at '%s' is not a time",
			    diag_val(at));
		rq.at = instant;
	}
	if ((db = db_open_existing(db_default_path(dbopt), 0)) == NULL)
		return diag_finish();
	if ((st = stage_open(db, rules_dir(rules))) != NULL) {
		run(st, db, argc, argv, &rq, &dw, over, fmt);
		stage_close(st);
	}
	db_close(db);
	return diag_finish();
}

static void
usage(FILE *fp, int status)
{
	fputs("usage: sales-stage [-FhtV] [-a time] [-b who] [-D dbfile] "
	    "[-R rules] [-r reason]\n"
	    "                   [-T zone] [--since date] [--until date] "
	    "[--over days]\n"
	    "                   verb [arg ...]\n", fp);
	if (fp == stdout)
		fputs(options_help, fp);
	exit(status);
}
