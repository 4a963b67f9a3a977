/*
 * sales-voc: what customers say, turned into customer tags, playbooks
 * pushed to reps and follow-up tasks by the rules of voc.csv.  Every
 * verb that writes runs in one BEGIN IMMEDIATE transaction.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "diag.h"
#include "i18n.h"
#include "rules.h"
#include "table.h"
#include "tz.h"
#include "voc.h"

static const char options_help[] =
    "  -a, --add TAG        correct: the activity should have had TAG\n"
    "  -b, --by REP         correct: who made the correction\n"
    "  -d, --due-before D   tasks: only those due before the date D\n"
    "  -D, --db FILE        database (default: $SALES_DB or ./sales.db)\n"
    "  -h, --help           this help\n"
    "  -m, --min N          suggest: at least N corrections (default 5)\n"
    "  -P, --precision P    test: exit 1 when overall precision < P\n"
    "  -q, --quiet          no warnings\n"
    "  -r, --rep REP        tasks: only those of this rep\n"
    "  -R, --rules DIR      rule tables (default: $SALES_RULES or the "
    "installed ones)\n"
    "  -s, --recall R       test: exit 1 when overall recall < R\n"
    "  -t, --table          aligned text for people instead of JSON lines\n"
    "  -V, --version        print the version\n"
    "  -x, --remove RULE    correct: the hit of RULE was wrong\n"
    "      --rescan         scan: also activities seen by other rules\n"
    "verbs:\n"
    "  scan [-]             scan new activities (or JSON lines on stdin)\n"
    "  test FILE            precision and recall on a labelled file\n"
    "  correct ACTIVITY     record a fix (--add TAG or --remove RULE)\n"
    "  suggest              phrases proposed by the corrections\n"
    "  tags CUSTOMER        the tags of a customer\n"
    "  tasks                open follow-up tasks\n";

static void usage(FILE *, int) __attribute__((__noreturn__));

static double
parse_frac(const char *s)
{
	char *end;
	double v = strtod(s, &end);

	if (*s == '\0' || *end != '\0' || !(v >= 0 && v <= 1))
		diag_fatal(SX_USAGE, "invalid fraction '%s' (0 to 1)",
		    diag_val(s));
	return v;
}

static void
run_test(const char *rules, const char *file, enum outfmt fmt,
    double minp, double minr)
{
	struct db *db;
	struct voc *v;
	double p = 0, r = 0;

	if ((db = db_open(":memory:", 0)) == NULL)
		return;
	if ((v = voc_load(rules_dir(rules), db_handle(db))) != NULL &&
	    voc_test(v, db, file, fmt, stdout, &p, &r) == 0) {
		if (p < minp)
			diag_error(SX_DATA, NULL, "%s: precision %.3f is "
			    "below %.3f", file, p, minp);
		if (r < minr)
			diag_error(SX_DATA, NULL, "%s: recall %.3f is below "
			    "%.3f", file, r, minr);
	}
	voc_free(v);
	db_close(db);
}

static void
run_scan(struct db *db, const char *rules, int from_stdin,
    const struct voc_scan_opts *o)
{
	static char obuf[1 << 16];
	struct voc *v;

	/* A scan prints much: one write per 64 KiB of lines, not per 4. */
	if (!isatty(fileno(stdout)))
		setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	if (from_stdin) {
		if ((v = voc_load(rules_dir(rules), db_handle(db))) != NULL)
			voc_scan_stream(v, stdin, "<stdin>", o);
		voc_free(v);
		return;
	}
	if (db_begin(db) < 0)
		return;
	if ((v = voc_load(rules_dir(rules), db_handle(db))) != NULL &&
	    voc_scan_store(v, db, o) >= 0 && diag_status() < SX_USAGE)
		db_commit(db);
	else
		db_rollback(db);
	voc_free(v);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
	    {"add", required_argument, NULL, 'a'},
	    {"by", required_argument, NULL, 'b'},
	    {"due-before", required_argument, NULL, 'd'},
	    {"db", required_argument, NULL, 'D'},
	    {"help", no_argument, NULL, 'h'},
	    {"min", required_argument, NULL, 'm'},
	    {"precision", required_argument, NULL, 'P'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"rep", required_argument, NULL, 'r'},
	    {"rules", required_argument, NULL, 'R'},
	    {"recall", required_argument, NULL, 's'},
	    {"table", no_argument, NULL, 't'},
	    {"version", no_argument, NULL, 'V'},
	    {"remove", required_argument, NULL, 'x'},
	    {"rescan", no_argument, NULL, 1},
	    {NULL, 0, NULL, 0},
	};
	struct voc_scan_opts o;
	struct db *db;
	const char *path, *dbopt = NULL, *rules = NULL, *add = NULL, *rm = NULL;
	const char *by = NULL, *rep = NULL, *before = NULL, *verb;
	const char *errstr;
	double minp = 0, minr = 0;
	long min = 5;
	char *end;
	int ch;

	diag_init(argv[0], stderr);
	i18n_init();
	memset(&o, 0, sizeof(o));
	o.fmt = OUT_JSONL;
	o.out = stdout;
	while ((ch = getopt_long(argc, argv, "a:b:d:D:hm:P:qr:R:s:tVx:",
	    longopts, NULL)) != -1)
		switch (ch) {
		case 1:
			o.rescan = 1;
			break;
		case 'a':
			add = optarg;
			break;
		case 'b':
			by = optarg;
			break;
		case 'd':
			before = optarg;
			break;
		case 'D':
			dbopt = optarg;
			break;
		case 'h':
			usage(stdout, SX_OK);
		case 'm':
			min = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || min < 1 ||
			    min > 1000000)
				diag_fatal(SX_USAGE, "invalid --min '%s'",
				    diag_val(optarg));
			break;
		case 'P':
			minp = parse_frac(optarg);
			break;
		case 'q':
			diag_set_quiet(1);
			break;
		case 'r':
			rep = optarg;
			break;
		case 'R':
			rules = optarg;
			break;
		case 's':
			minr = parse_frac(optarg);
			break;
		case 't':
			o.fmt = OUT_TEXT;
			break;
		case 'V':
			puts("sales-voc " SALES_VERSION);
			return SX_OK;
		case 'x':
			rm = optarg;
			break;
		default:
			usage(stderr, SX_USAGE);
		}
	argc -= optind;
	argv += optind;
	verb = argc > 0 ? argv[0] : "scan";
	if (argc > 0) {
		argc--;
		argv++;
	}
	errstr = NULL;
	if (strcmp(verb, "scan") == 0) {
		if (argc > 1 || (argc == 1 && strcmp(argv[0], "-") != 0))
			usage(stderr, SX_USAGE);
	} else if (strcmp(verb, "test") == 0 || strcmp(verb, "tags") == 0) {
		if (argc != 1)
			usage(stderr, SX_USAGE);
	} else if (strcmp(verb, "correct") == 0) {
		if (argc != 1)
			usage(stderr, SX_USAGE);
		if ((add == NULL) == (rm == NULL))
			errstr = "correct: give --add TAG or --remove RULE";
	} else if (strcmp(verb, "suggest") == 0 ||
	    strcmp(verb, "tasks") == 0) {
		if (argc != 0)
			usage(stderr, SX_USAGE);
	} else
		diag_fatal(SX_USAGE, "unknown verb '%s'", diag_val(verb));
	if (errstr != NULL)
		diag_fatal(SX_USAGE, "%s", errstr);
	if (tz_init(NULL) < 0)
		return diag_finish();
	o.dir = rules_dir(rules);
	if (strcmp(verb, "test") == 0) {
		run_test(rules, argv[0], o.fmt, minp, minr);
		return diag_finish();
	}
	/*
	 * A store that does not exist is a mistyped path (only
	 * sales-ingest makes one), except for scan -, which writes
	 * nothing: it reads the store's customers for scoped rules when
	 * there is one.
	 */
	path = db_default_path(dbopt);
	if (strcmp(verb, "scan") == 0 && argc == 1 && access(path, F_OK) != 0)
		path = ":memory:";
	if ((db = strcmp(path, ":memory:") == 0 ? db_open(path, 0) :
	    db_open_existing(path, 0)) == NULL)
		return diag_finish();
	if (strcmp(verb, "scan") == 0)
		run_scan(db, rules, argc == 1, &o);
	else if (strcmp(verb, "correct") == 0) {
		if (db_begin(db) == 0) {
			if (voc_correct(db, argv[0], add, rm, by) == 0)
				db_commit(db);
			else
				db_rollback(db);
		}
	} else if (strcmp(verb, "suggest") == 0)
		voc_suggest(db, min, o.fmt, stdout);
	else if (strcmp(verb, "tags") == 0)
		voc_tags(db, argv[0], o.fmt, stdout);
	else
		voc_tasks(db, rep, before, o.fmt, stdout);
	db_close(db);
	return diag_finish();
}

static void
usage(FILE *fp, int status)
{
	fputs("usage: sales-voc [-hqtV] [-D dbfile] [-R dir] [--rescan] "
	    "[scan] [-]\n"
	    "       sales-voc [-t] [-R dir] [-P precision] [-s recall] "
	    "test file\n"
	    "       sales-voc [-D dbfile] [-b rep] (-a tag | -x rule) "
	    "correct activity\n"
	    "       sales-voc [-t] [-D dbfile] [-m n] suggest\n"
	    "       sales-voc [-t] [-D dbfile] tags customer\n"
	    "       sales-voc [-t] [-D dbfile] [-r rep] [-d date] tasks\n",
	    fp);
	if (fp == stdout)
		fputs(options_help, fp);
	exit(status);
}
