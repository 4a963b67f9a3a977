/*
 * sales-report: reports generated from the store, never typed.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "db.h"
#include "diag.h"
#include "doc.h"
#include "drill.h"
#include "funnel.h"
#include "fx.h"
#include "i18n.h"
#include "incent.h"
#include "num.h"
#include "outfile.h"
#include "recon.h"
#include "report.h"
#include "rules.h"
#include "table.h"
#include "tz.h"
#include "xldate.h"

static const char options_help[] =
    "  -D, --db FILE          database (default: $SALES_DB or ./sales.db)\n"
    "  -f, --format FORMAT    text, md, csv, jsonl, html or pdf (default: "
    "text,\n"
    "                         or from -o)\n"
    "  -h, --help             this help\n"
    "  -o, --output FILE      write to FILE (replaced only when complete)\n"
    "  -p, --period PERIOD    2026-03, 2026-Q1, 2026-W10, 2026 or "
    "FROM..TO\n"
    "  -m, --month YYYY-MM    the same as --period for one month\n"
    "  -R, --rules DIR        rule tables (default: $SALES_RULES or the "
    "installed ones)\n"
    "  -T, --tz ZONE          local time zone (default: $SALES_TZ or "
    "Asia/Shanghai)\n"
    "  -V, --version          print the version\n"
    "  -w, --week YYYY-Www    the ISO week (default: the last complete "
    "one)\n"
    "  -F, --fail-on-findings audit: exit 1 when there is any finding\n"
    "  -s, --stale DAYS       audit: open deals idle this long (default: "
    "30)\n"
    "      --change PCT       audit: amount changes larger than this "
    "(default: 30)\n"
    "      --region NAME      drill: one region\n"
    "      --factor NAME      drill: one factor of that region\n"
    "reports:\n"
    "  weekly                 per rep and region: new deals, activities by "
    "type,\n"
    "                         won and lost deals, open pipeline\n"
    "  audit                  records whose data contradicts itself, one "
    "finding\n"
    "                         a line\n"
    "  reconcile              per deal, rep and region: planned and forecast vs\n"
    "                         collected in a month, each gap with its cause\n"
    "  drill                  regions against target, factors by region, "
    "units\n"
    "                         of --region below target for --factor\n"
    "  incentives             rewards per rep and action, customer-"
    "confirmed only\n"
    "  funnel                 stage-to-stage conversion over --period\n";

/*
 * The reports.  period says what the report needs when --period and
 * --month are absent: 'w' the ISO week (weekly), 'm' the last complete
 * month, 0 nothing.  takes lists the options of its own it reads (the
 * letters of struct given); any other of them is a usage error, not a
 * report of some other week than the one asked for.
 */
static const struct report {
	const char	*name;
	struct doc	*(*fn)(struct db *, const struct report_opts *,
			    long *nfind);
	int		 period;
	const char	*takes;
} reports[] = {
	{"weekly", report_weekly, 'w', "wsc"},
	{"audit", report_audit, 0, "scF"},
	{"reconcile", report_reconcile, 'm', "p"},
	{"drill", report_drill, 'm', "prfF"},
	{"incentives", report_incentives, 'm', "pF"},
	{"funnel", report_funnel, 'm', "p"},
};

/* The options that only some reports read, by their letter in takes. */
static const struct given {
	int		 letter;
	const char	*name;
} report_options[] = {
	{'w', "--week"},
	{'p', "--period or --month"},
	{'s', "--stale"},
	{'c', "--change"},
	{'r', "--region"},
	{'f', "--factor"},
	{'F', "--fail-on-findings"},
};

/* Refuse an option the report does not read; given holds their letters. */
static void
check_takes(const struct report *rep, const char *given)
{
	const char *g;
	size_t i;

	for (g = given; *g != '\0'; g++) {
		if (strchr(rep->takes, *g) != NULL)
			continue;
		for (i = 0; i < sizeof(report_options) /
		    sizeof(report_options[0]); i++)
			if (report_options[i].letter == *g)
				diag_fatal(SX_USAGE, _("%s does not apply to "
				    "the %s report"), report_options[i].name,
				    rep->name);
	}
}

static void usage(FILE *, int) __attribute__((__noreturn__));

static void
add_given(char *given, int letter)
{
	if (strchr(given, letter) == NULL)
		given[strlen(given)] = (char)letter;
}

/* The month before this one in the local zone. */
static void
last_month(struct report_opts *o)
{
	char buf[8];
	const char *err;
	long today;
	int y, m, d;

	today = tz_today();
	civil_from_days(today, &y, &m, &d);
	if (--m == 0) {
		m = 12;
		y--;
	}
	snprintf(buf, sizeof(buf), "%04d-%02d", y, m);
	if (period_parse(buf, o, &err) < 0)
		abort();
}

int
main(int argc, char *argv[])
{
	enum { OPT_CHANGE = 256, OPT_REGION, OPT_FACTOR };
	static const struct option longopts[] = {
	    {"db", required_argument, NULL, 'D'},
	    {"format", required_argument, NULL, 'f'},
	    {"help", no_argument, NULL, 'h'},
	    {"month", required_argument, NULL, 'm'},
	    {"output", required_argument, NULL, 'o'},
	    {"period", required_argument, NULL, 'p'},
	    {"rules", required_argument, NULL, 'R'},
	    {"tz", required_argument, NULL, 'T'},
	    {"version", no_argument, NULL, 'V'},
	    {"week", required_argument, NULL, 'w'},
	    {"fail-on-findings", no_argument, NULL, 'F'},
	    {"stale", required_argument, NULL, 's'},
	    {"change", required_argument, NULL, OPT_CHANGE},
	    {"region", required_argument, NULL, OPT_REGION},
	    {"factor", required_argument, NULL, OPT_FACTOR},
	    {NULL, 0, NULL, 0},
	};
	const struct report *rep;
	struct report_opts o;
	enum outfmt fmt = OUT_NONE;
	struct doc *doc;
	struct outfile *of;
	struct db *db;
	const char *dbopt, *zone, *week, *period, *output, *err;
	char given[sizeof(report_options) / sizeof(report_options[0]) + 1];
	long nfind;
	size_t i;
	int ch, rc, failon;

	diag_init(argv[0], stderr);
	i18n_init();
	memset(&o, 0, sizeof(o));
	o.stale = 30;
	o.change_pct = 30;
	failon = 0;
	dbopt = zone = week = period = output = NULL;
	memset(given, 0, sizeof(given));
	while ((ch = getopt_long(argc, argv, "D:f:hm:o:p:R:T:Vw:Fs:",
	    longopts, NULL)) != -1)
		switch (ch) {
		case 'D':
			dbopt = optarg;
			break;
		case 'f':
			if ((fmt = outfmt_parse(optarg)) == OUT_NONE)
				diag_fatal(SX_USAGE, _("unknown format '%s'"),
				    diag_val(optarg));
			break;
		case 'h':
			usage(stdout, SX_OK);
		case 'm':
			if (strlen(optarg) != 7 || optarg[4] != '-')
				diag_fatal(SX_USAGE, _("invalid --month '%s': "
				    "not a month like 2026-03"),
				    diag_val(optarg));
			/* FALLTHROUGH */
		case 'p':
			period = optarg;
			add_given(given, 'p');
			break;
		case 'o':
			output = optarg;
			break;
		case 'R':
			o.rules = optarg;
			break;
		case 'T':
			zone = optarg;
			break;
		case 'V':
			puts("sales-report " SALES_VERSION);
			return SX_OK;
		case 'w':
			week = optarg;
			add_given(given, 'w');
			break;
		case 'F':
			failon = 1;
			add_given(given, 'F');
			break;
		case 's':
			add_given(given, 's');
			o.stale = (int)parse_int(optarg, 1, 36500, &err);
			if (err != NULL)
				diag_fatal(SX_USAGE,
				    _("invalid --stale '%s': %s"),
				    diag_val(optarg), err);
			break;
		case OPT_CHANGE:
			add_given(given, 'c');
			o.change_pct = (int)parse_int(optarg, 1, 100000, &err);
			if (err != NULL)
				diag_fatal(SX_USAGE,
				    _("invalid --change '%s': %s"),
				    diag_val(optarg), err);
			break;
		case OPT_REGION:
			o.region = optarg;
			add_given(given, 'r');
			break;
		case OPT_FACTOR:
			o.factor = optarg;
			add_given(given, 'f');
			break;
		default:
			usage(stderr, SX_USAGE);
		}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		usage(stderr, SX_USAGE);
	for (rep = NULL, i = 0; i < sizeof(reports) / sizeof(reports[0]); i++)
		if (strcmp(argv[0], reports[i].name) == 0)
			rep = &reports[i];
	if (rep == NULL)
		diag_fatal(SX_USAGE, _("unknown report '%s'"),
		    diag_val(argv[0]));
	check_takes(rep, given);
	if (tz_init(zone) < 0)
		return diag_finish();
	if (week != NULL) {
		if (week_parse(week, &o.year, &o.week, &err) < 0)
			diag_fatal(SX_USAGE, _("invalid week '%s': %s"),
			    diag_val(week), err);
	} else
		week_last_complete(&o.year, &o.week);
	if (period != NULL) {
		if (period_parse(period, &o, &err) < 0)
			diag_fatal(SX_USAGE, _("invalid period '%s': %s"),
			    diag_val(period), err);
	} else if (rep->period == 'm')
		last_month(&o);
	o.rules = rules_dir(o.rules);
	if (fmt == OUT_NONE)
		fmt = output != NULL ? outfmt_from_name(output) : OUT_TEXT;
	if (fmt == OUT_NONE)
		diag_fatal(SX_USAGE, _("cannot tell the format of '%s' from "
		    "its name: give --format (text, md, csv, jsonl, html, pdf)"),
		    diag_val(output));
	if (output != NULL && same_file(output, db_default_path(dbopt)))
		diag_fatal(SX_USAGE, _("'%s' is the store: refusing to write "
		    "the report over it"), diag_val(output));
	if ((db = db_open_existing(db_default_path(dbopt), 0)) == NULL)
		return diag_finish();
	/* Totals in yuan, at the rates of fx.csv. */
	if (fx_register(db, o.rules) < 0) {
		db_close(db);
		return diag_finish();
	}
	nfind = 0;
	doc = rep->fn(db, &o, &nfind);
	if (doc != NULL && (of = outfile_open(output)) != NULL) {
		rc = doc_write(outfile_fp(of), doc, fmt);
		outfile_close(of, rc == 0);
	}
	doc_free(doc);
	db_close(db);
	rc = diag_finish();
	if (rc == SX_OK && failon && nfind > 0)
		rc = SX_DATA;
	return rc;
}

static void
usage(FILE *fp, int status)
{
	fputs("usage: sales-report [-hV] [-D dbfile] [-f format] [-o file] "
	    "[-R dir] [-T zone]\n"
	    "                    [-w week | -p period | -m month] [-F] "
	    "[-s days] report\n", fp);
	if (fp == stdout)
		fputs(options_help, fp);
	exit(status);
}
