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
#include "num.h"
#include "outfile.h"
#include "report.h"
#include "table.h"
#include "tz.h"

static const char options_help[] =
    "  -D, --db FILE          database (default: $SALES_DB or ./sales.db)\n"
    "  -f, --format FORMAT    text, md, csv or jsonl (default: text, or from "
    "-o)\n"
    "  -h, --help             this help\n"
    "  -o, --output FILE      write to FILE (replaced only when complete)\n"
    "  -T, --tz ZONE          local time zone (default: $SALES_TZ or "
    "Asia/Shanghai)\n"
    "  -V, --version          print the version\n"
    "  -w, --week YYYY-Www    the ISO week (default: the last complete "
    "one)\n"
    "  -F, --fail-on-findings audit: exit 1 when there is any finding\n"
    "  -s, --stale DAYS       audit: open deals idle this long (default: "
    "30)\n"
    "reports:\n"
    "  weekly                 per rep and region: new deals, activities by "
    "type,\n"
    "                         won and lost deals, open pipeline\n"
    "  audit                  records whose data contradicts itself, one "
    "finding\n"
    "                         a line\n";

static void usage(FILE *, int) __attribute__((__noreturn__));

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
	    {"db", required_argument, NULL, 'D'},
	    {"format", required_argument, NULL, 'f'},
	    {"help", no_argument, NULL, 'h'},
	    {"output", required_argument, NULL, 'o'},
	    {"tz", required_argument, NULL, 'T'},
	    {"version", no_argument, NULL, 'V'},
	    {"week", required_argument, NULL, 'w'},
	    {"fail-on-findings", no_argument, NULL, 'F'},
	    {"stale", required_argument, NULL, 's'},
	    {NULL, 0, NULL, 0},
	};
	struct report_opts o;
	enum outfmt fmt = OUT_NONE;
	struct doc *doc;
	struct audit_opts ao;
	struct outfile *of;
	struct db *db;
	const char *dbopt, *zone, *week, *output, *err;
	long nfind;
	int ch, rc, audit, failon;

	diag_init(argv[0], stderr);
	memset(&o, 0, sizeof(o));
	memset(&ao, 0, sizeof(ao));
	ao.stale = 30;
	failon = 0;
	dbopt = zone = week = output = NULL;
	while ((ch = getopt_long(argc, argv, "D:f:ho:T:Vw:Fs:", longopts,
	    NULL)) != -1)
		switch (ch) {
		case 'D':
			dbopt = optarg;
			break;
		case 'f':
			if ((fmt = outfmt_parse(optarg)) == OUT_NONE)
				diag_fatal(SX_USAGE, "unknown format '%s'",
				    diag_val(optarg));
			break;
		case 'h':
			usage(stdout, SX_OK);
		case 'o':
			output = optarg;
			break;
		case 'T':
			zone = optarg;
			break;
		case 'V':
			puts("sales-report " SALES_VERSION);
			return SX_OK;
		case 'w':
			week = optarg;
			break;
		case 'F':
			failon = 1;
			break;
		case 's':
			ao.stale = (int)parse_int(optarg, 1, 36500, &err);
			if (err != NULL)
				diag_fatal(SX_USAGE, "invalid --stale '%s': %s",
				    diag_val(optarg), err);
			break;
		default:
			usage(stderr, SX_USAGE);
		}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		usage(stderr, SX_USAGE);
	audit = strcmp(argv[0], "audit") == 0;
	if (!audit && strcmp(argv[0], "weekly") != 0)
		diag_fatal(SX_USAGE, "unknown report '%s'", diag_val(argv[0]));
	if (tz_init(zone) < 0)
		return diag_finish();
	if (week != NULL) {
		if (week_parse(week, &o.year, &o.week, &err) < 0)
			diag_fatal(SX_USAGE, "invalid week '%s': %s",
			    diag_val(week), err);
	} else
		week_last_complete(&o.year, &o.week);
	if (fmt == OUT_NONE)
		fmt = output != NULL ? outfmt_from_name(output) : OUT_TEXT;
	if ((db = db_open(db_default_path(dbopt), 0)) == NULL)
		return diag_finish();
	nfind = 0;
	if (audit)
		doc = report_audit(db, &ao, &nfind);
	else
		doc = report_weekly(db, &o);
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
	    "[-T zone] [-w week]\n"
	    "                    [-F] [-s days] report\n", fp);
	if (fp == stdout)
		fputs(options_help, fp);
	exit(status);
}
