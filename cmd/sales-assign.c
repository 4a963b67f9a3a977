/*
 * sales-assign: route leads to reps by the rules of assign.csv, with
 * the reason in words; rebalance a leaver's leads; show the log and
 * who is near a customer.  One run is one BEGIN IMMEDIATE transaction.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assign.h"
#include "db.h"
#include "diag.h"
#include "i18n.h"
#include "reclaim.h"
#include "fx.h"
#include "rules.h"
#include "table.h"
#include "tz.h"
#include "xldate.h"

static const char options_help[] =
    "  -C, --customer C     who-is-near: around this customer (id, code, "
    "name)\n"
    "  -D, --db FILE        database (default: $SALES_DB or ./sales.db)\n"
    "  -F, --from REP       rebalance: the rep whose open leads move\n"
    "  -h, --help           this help\n"
    "  -k, --radius KM      nearest and who-is-near: at most KM away "
    "(who-is-near: 3)\n"
    "  -n, --dry-run        print the assignments, write nothing\n"
    "  -N, --no-route       reclaim: leave reclaimed leads in the pool\n"
    "  -P, --to-pool COND   rebalance: least loaded rep of this pool, not "
    "the rules\n"
    "  -q, --quiet          no warnings\n"
    "  -R, --rules DIR      rule tables (default: $SALES_RULES or the "
    "installed ones)\n"
    "  -S, --strict         exit 1 when a lead is left unassigned\n"
    "  -t, --table          aligned text for people instead of JSON lines\n"
    "  -V, --version        print the version\n"
    "      --as-of DATE     reclaim: count days up to DATE (default: today)\n"
    "      --lat DEG, --lon DEG   who-is-near: around this point\n"
    "verbs:\n"
    "  (none), assign [-]   route every unassigned lead, or those read "
    "from stdin\n"
    "  rebalance            move the open leads of --from through the "
    "rules\n"
    "  log [LEAD]           the assignment history\n"
    "  who-is-near          units and customers within --radius\n"
    "  reclaim              the public pool: take back what reps let lie\n";

static void usage(FILE *, int) __attribute__((__noreturn__));

static double
parse_deg(const char *s, const char *what, double lim)
{
	char *end;
	double v = strtod(s, &end);

	if (*s == '\0' || *end != '\0' || !(v >= -lim && v <= lim))
		diag_fatal(SX_USAGE, "invalid %s '%s'", what, diag_val(s));
	return v;
}

/* YYYY-MM-DD as a day number. */
static long
parse_day(const char *s)
{
	int y, m, d, n = 0;

	if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 ||
	    s[n] != '\0' || n != 10 || !civil_valid(y, m, d))
		diag_fatal(SX_USAGE, "invalid date '%s' (YYYY-MM-DD)",
		    diag_val(s));
	return days_from_civil(y, m, d);
}

/* reclaim: the public pool, then routing, in one transaction. */
static void
reclaim(struct db *db, const char *rules, long as_of, int route,
    int dry_run, const struct assign_opts *o)
{
	struct reclaim_stats st;
	struct reclaimer *rc = NULL;
	struct assigner *a = NULL;
	int rv = -1;

	if (db_begin(db) < 0)
		return;
	if ((rc = reclaim_new(db, rules_dir(rules))) != NULL &&
	    (a = route ? assign_new(db, rules_dir(rules), o) :
	    assign_new_pool(db, rules_dir(rules), "", o)) != NULL)
		rv = reclaim_run(rc, as_of, a, route, o->fmt, o->out, &st);
	if (rv == 0)
		rv = assign_save(a);
	if (rv == 0 && !dry_run && diag_status() < SX_USAGE)
		db_commit(db);
	else
		db_rollback(db);
	assign_free(a);
	reclaim_free(rc);
}

/* The default verb and rebalance: routing inside one transaction. */
static void
route(struct db *db, const char *verb, char **argv, int argc,
    const char *pool, const char *from, const char *rules, int dry_run,
    int strict, const struct assign_opts *o)
{
	struct assign_stats st;
	struct assigner *a;
	char **ids = NULL;
	size_t n = 0;
	int rc;

	if (argc == 1 && strcmp(argv[0], "-") == 0 &&
	    (ids = assign_read_ids(stdin, "<stdin>", &n)) == NULL)
		return;
	if (db_begin(db) < 0)
		goto out;
	a = pool != NULL ? assign_new_pool(db, rules_dir(rules), pool, o) :
	    assign_new(db, rules_dir(rules), o);
	rc = -1;
	if (a != NULL)
		rc = strcmp(verb, "rebalance") == 0 ?
		    assign_rebalance(a, from, &st) :
		    assign_run(a, ids, n, &st);
	if (rc == 0)
		rc = assign_save(a);
	if (rc == 0 && !dry_run && diag_status() < SX_USAGE)
		db_commit(db);
	else
		db_rollback(db);
	if (rc == 0 && strict && st.unassigned > 0)
		diag_error(SX_DATA, NULL, "%ld of %ld leads left unassigned",
		    st.unassigned, st.leads);
	assign_free(a);
out:
	while (n > 0)
		free(ids[--n]);
	free(ids);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
	    {"customer", required_argument, NULL, 'C'},
	    {"db", required_argument, NULL, 'D'},
	    {"from", required_argument, NULL, 'F'},
	    {"help", no_argument, NULL, 'h'},
	    {"radius", required_argument, NULL, 'k'},
	    {"dry-run", no_argument, NULL, 'n'},
	    {"no-route", no_argument, NULL, 'N'},
	    {"to-pool", required_argument, NULL, 'P'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"rules", required_argument, NULL, 'R'},
	    {"strict", no_argument, NULL, 'S'},
	    {"table", no_argument, NULL, 't'},
	    {"version", no_argument, NULL, 'V'},
	    {"lat", required_argument, NULL, 1},
	    {"lon", required_argument, NULL, 2},
	    {"as-of", required_argument, NULL, 3},
	    {NULL, 0, NULL, 0},
	};
	struct assign_opts o;
	struct db *db;
	const char *dbopt = NULL, *rules = NULL, *from = NULL, *pool = NULL;
	const char *cust = NULL, *verb = "assign";
	double lat = 0, lon = 0;
	long as_of = -1;
	int ch, dry_run = 0, strict = 0, have_lat = 0, have_lon = 0;
	int no_route = 0;

	diag_init(argv[0], stderr);
	i18n_init();
	memset(&o, 0, sizeof(o));
	o.fmt = OUT_JSONL;
	o.out = stdout;
	while ((ch = getopt_long(argc, argv, "C:D:F:hk:nNP:qR:StV", longopts,
	    NULL)) != -1)
		switch (ch) {
		case 1:
			lat = parse_deg(optarg, "latitude", 90);
			have_lat = 1;
			break;
		case 2:
			lon = parse_deg(optarg, "longitude", 180);
			have_lon = 1;
			break;
		case 3:
			as_of = parse_day(optarg);
			break;
		case 'C':
			cust = optarg;
			break;
		case 'D':
			dbopt = optarg;
			break;
		case 'F':
			from = optarg;
			break;
		case 'h':
			usage(stdout, SX_OK);
		case 'k':
			o.radius_km = parse_deg(optarg, "radius", 20100);
			if (o.radius_km <= 0)
				diag_fatal(SX_USAGE, "invalid radius '%s'",
				    diag_val(optarg));
			break;
		case 'n':
			dry_run = 1;
			break;
		case 'N':
			no_route = 1;
			break;
		case 'P':
			pool = optarg;
			break;
		case 'q':
			diag_set_quiet(1);
			break;
		case 'R':
			rules = optarg;
			break;
		case 'S':
			strict = 1;
			break;
		case 't':
			o.fmt = OUT_TEXT;
			break;
		case 'V':
			puts("sales-assign " SALES_VERSION);
			return SX_OK;
		default:
			usage(stderr, SX_USAGE);
		}
	argc -= optind;
	argv += optind;
	if (argc > 0 && strcmp(argv[0], "-") != 0) {
		verb = argv[0];
		argc--;
		argv++;
	}
	if (strcmp(verb, "assign") == 0) {
		if (argc > 1 || (argc == 1 && strcmp(argv[0], "-") != 0))
			usage(stderr, SX_USAGE);
	} else if (strcmp(verb, "rebalance") == 0) {
		if (from == NULL)
			diag_fatal(SX_USAGE, "rebalance: give --from REP");
		if (argc != 0)
			usage(stderr, SX_USAGE);
	} else if (strcmp(verb, "log") == 0) {
		if (argc > 1)
			usage(stderr, SX_USAGE);
	} else if (strcmp(verb, "who-is-near") == 0) {
		if (argc != 0)
			usage(stderr, SX_USAGE);
		if (have_lat != have_lon || (cust != NULL) == have_lat)
			diag_fatal(SX_USAGE, "who-is-near: give --customer C "
			    "or --lat and --lon");
	} else if (strcmp(verb, "reclaim") == 0) {
		if (argc != 0)
			usage(stderr, SX_USAGE);
	} else
		diag_fatal(SX_USAGE, "unknown verb '%s'", diag_val(verb));
	if (tz_init(NULL) < 0)
		return diag_finish();
	if ((db = db_open_existing(db_default_path(dbopt), 0)) == NULL)
		return diag_finish();
	/* A lead's budget is weighed in yuan (assign_lead.budget). */
	if (fx_register(db, rules_dir(rules)) < 0) {
		db_close(db);
		return diag_finish();
	}
	if (strcmp(verb, "log") == 0)
		assign_log(db, argc == 1 ? argv[0] : NULL, o.fmt, stdout);
	else if (strcmp(verb, "reclaim") == 0)
		reclaim(db, rules, as_of >= 0 ? as_of : tz_today(), !no_route,
		    dry_run, &o);
	else if (strcmp(verb, "who-is-near") == 0)
		assign_near(db, cust, lat, lon, o.radius_km > 0 ?
		    o.radius_km : 3.0, o.fmt, stdout);
	else
		route(db, verb, argv, argc, pool, from, rules, dry_run,
		    strict, &o);
	db_close(db);
	return diag_finish();
}

static void
usage(FILE *fp, int status)
{
	fputs("usage: sales-assign [-hnqStV] [-D dbfile] [-k km] [-R dir] "
	    "[assign] [-]\n"
	    "       sales-assign [-nqt] [-D dbfile] [-P pool] [-R dir] -F rep "
	    "rebalance\n"
	    "       sales-assign [-t] [-D dbfile] log [lead]\n"
	    "       sales-assign [-t] [-D dbfile] [-k km] [-C customer | "
	    "--lat deg --lon deg]\n"
	    "                    who-is-near\n"
	    "       sales-assign [-nNqt] [-D dbfile] [-R dir] [--as-of date] "
	    "reclaim\n", fp);
	if (fp == stdout)
		fputs(options_help, fp);
	exit(status);
}
