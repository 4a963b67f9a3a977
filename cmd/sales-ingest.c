/*
 * sales-ingest: load CSV, XLSX, XLS, JSON-lines, chat and RSS files into
 * the store, one transaction per file, with a JSON summary line each;
 * or, with the cat verb, print rows exactly as the readers see them.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catout.h"
#include "db.h"
#include "diag.h"
#include "field.h"
#include "ingest.h"
#include "num.h"
#include "reader.h"
#include "rules.h"
#include "table.h"
#include "tz.h"
#include "undo.h"
#include "vocab.h"

static const char options_help[] =
    "  -a, --all-sheets       every visible sheet of a workbook\n"
    "  -C, --customer NAME    chats: the customer the chat is with\n"
    "  -c, --csv              cat, batches: print CSV instead of JSON "
    "lines\n"
    "  -D, --db FILE          database (default: $SALES_DB or ./sales.db)\n"
    "  -E, --encoding NAME    text encoding (default: detected)\n"
    "  -f, --format FORMAT    csv, xlsx, xls, jsonl, chat or rss "
    "(default: detected)\n"
    "  -H, --header-row N     the header is row N (default: detected)\n"
    "  -h, --help             this help\n"
    "  -k, --kind KIND        customer, rep, product, lead, deal, activity, "
    "payment,\n"
    "                         news, unit, target or auto (the default)\n"
    "  -m, --max-errors N     error messages per file (default 20)\n"
    "  -M, --map FILE         CSV of header,field[,unit] for a one-off "
    "file\n"
    "  -n, --dry-run          check everything, then roll back\n"
    "  -p, --partial          keep the good rows of a file with rejects\n"
    "  -q, --quiet            no summaries, warnings or progress\n"
    "  -r, --rejects FILE     write rejected rows to FILE, a CSV to fix "
    "and import\n"
    "      --rep NAME         chats: NAME is a rep (repeatable)\n"
    "  -R, --rules DIR        rule tables (default: $SALES_RULES or the "
    "installed ones)\n"
    "  -s, --sheet NAME|N     workbook sheet (default: the first visible)\n"
    "  -S, --strict           a value that cannot be read, or mojibake, "
    "rejects its row\n"
    "  -t, --table            batches: print an aligned table\n"
    "  -T, --tz ZONE          local time zone (default: $SALES_TZ or "
    "Asia/Shanghai)\n"
    "  -V, --version          print the version\n"
    "  -x, --explain          print how each header maps, import nothing\n";

static void usage(FILE *, int) __attribute__((__noreturn__));

enum { OPT_REP = 256 };

#define MAX_REPS 64

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
	    {"all-sheets", no_argument, NULL, 'a'},
	    {"csv", no_argument, NULL, 'c'},
	    {"customer", required_argument, NULL, 'C'},
	    {"db", required_argument, NULL, 'D'},
	    {"encoding", required_argument, NULL, 'E'},
	    {"format", required_argument, NULL, 'f'},
	    {"header-row", required_argument, NULL, 'H'},
	    {"help", no_argument, NULL, 'h'},
	    {"kind", required_argument, NULL, 'k'},
	    {"max-errors", required_argument, NULL, 'm'},
	    {"map", required_argument, NULL, 'M'},
	    {"dry-run", no_argument, NULL, 'n'},
	    {"partial", no_argument, NULL, 'p'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"rejects", required_argument, NULL, 'r'},
	    {"rep", required_argument, NULL, OPT_REP},
	    {"rules", required_argument, NULL, 'R'},
	    {"sheet", required_argument, NULL, 's'},
	    {"strict", no_argument, NULL, 'S'},
	    {"table", no_argument, NULL, 't'},
	    {"tz", required_argument, NULL, 'T'},
	    {"version", no_argument, NULL, 'V'},
	    {"explain", no_argument, NULL, 'x'},
	    {NULL, 0, NULL, 0},
	};
	static const char *reps[MAX_REPS];
	struct ingest_opts o;
	struct ingest *in;
	struct vocab *vocab;
	struct reader *rd;
	struct db *db;
	const char *dbopt, *rules, *rejects, *zone, *err, *mapfile;
	int ch, i, csv, table;

	diag_init(argv[0], stderr);
	memset(&o, 0, sizeof(o));
	dbopt = rules = rejects = zone = mapfile = NULL;
	csv = table = 0;
	o.reps = reps;
	while ((ch = getopt_long(argc, argv, "aC:cD:E:f:H:hk:m:M:npqr:R:s:StT:Vx",
	    longopts, NULL)) != -1)
		switch (ch) {
		case 'a':
			o.ropts.all_sheets = 1;
			break;
		case 'C':
			o.customer = optarg;
			break;
		case 'c':
			csv = 1;
			break;
		case 'D':
			dbopt = optarg;
			break;
		case 'E':
			o.ropts.encoding = optarg;
			break;
		case 'f':
			if ((o.format = fmt_parse(optarg)) == FMT_AUTO)
				diag_fatal(SX_USAGE, "unknown format '%s' (csv, "
				    "xlsx, xls, jsonl, chat or rss)",
				    diag_val(optarg));
			break;
		case 'H':
			o.header_row = (int)parse_int(optarg, 1, 1048576, &err);
			if (err != NULL)
				diag_fatal(SX_USAGE, "invalid header row '%s': "
				    "%s", diag_val(optarg), err);
			break;
		case 'h':
			usage(stdout, SX_OK);
		case 'k':
			/* auto: detect it, as without the option. */
			if ((o.kind = kind_by_name(optarg)) == K_NONE &&
			    strcmp(optarg, "auto") != 0)
				diag_fatal(SX_USAGE, "unknown kind '%s' "
				    "(customer, rep, product, lead, deal, "
				    "activity, payment, news, unit, target or "
				    "auto)", diag_val(optarg));
			break;
		case 'm':
			o.max_errors = (int)parse_int(optarg, 1, 1000000,
			    &err);
			if (err != NULL)
				diag_fatal(SX_USAGE, "invalid --max-errors "
				    "'%s': %s", diag_val(optarg), err);
			break;
		case 'M':
			mapfile = optarg;
			break;
		case 'n':
			o.dry_run = 1;
			break;
		case 'p':
			o.partial = 1;
			break;
		case 'q':
			diag_set_quiet(1);
			break;
		case 'r':
			rejects = optarg;
			break;
		case 'R':
			rules = optarg;
			break;
		case 's':
			o.ropts.sheet = optarg;
			break;
		case 'S':
			o.strict = 1;
			break;
		case 't':
			table = 1;
			break;
		case 'T':
			zone = optarg;
			break;
		case 'V':
			puts("sales-ingest " SALES_VERSION);
			return SX_OK;
		case 'x':
			o.explain = 1;
			o.dry_run = 1;
			break;
		case OPT_REP:
			if (o.nreps == MAX_REPS)
				diag_fatal(SX_USAGE, "more than %d --rep options",
				    MAX_REPS);
			reps[o.nreps++] = optarg;
			break;
		default:
			usage(stderr, SX_USAGE);
		}
	argc -= optind;
	argv += optind;
	o.progress = isatty(STDERR_FILENO) && !diag_quiet();

	if (argc > 0 && strcmp(argv[0], "cat") == 0) {
		if (argc == 1)
			argv[argc++] = (char *)"-";
		for (i = 1; i < argc; i++) {
			if ((rd = reader_open(argv[i], o.format, &o.ropts)) ==
			    NULL)
				continue;
			cat_rows(rd, stdout, csv);
			reader_close(rd);
		}
		return diag_finish();
	}
	if (tz_init(zone) < 0)
		return diag_finish();
	if (argc > 0 && (strcmp(argv[0], "batches") == 0 ||
	    strcmp(argv[0], "undo") == 0)) {
		if (argc != (strcmp(argv[0], "undo") == 0 ? 2 : 1))
			usage(stderr, SX_USAGE);
		batch_verb(db_default_path(dbopt), argv[0], argv[1],
		    csv ? OUT_CSV : table ? OUT_TEXT : OUT_JSONL, o.dry_run);
		return diag_finish();
	}
	if ((vocab = vocab_load(rules_dir(rules))) == NULL)
		return diag_finish();
	o.rules = rules_dir(rules);	/* stage gates on deals */
	if (mapfile != NULL && vocab_load_map(vocab, mapfile) < 0) {
		vocab_free(vocab);
		return diag_finish();
	}
	if (rejects != NULL && (o.rejects = fopen(rejects, "w")) == NULL) {
		struct pos pos = {rejects, NULL, 0, 0};

		diag_syserr(&pos, "cannot write the rejects file");
		vocab_free(vocab);
		return diag_finish();
	}
	if ((db = db_open(db_default_path(dbopt), 0)) == NULL) {
		vocab_free(vocab);
		if (o.rejects != NULL)
			fclose(o.rejects);
		return diag_finish();
	}
	in = ingest_new(db, vocab, &o);
	if (argc == 0)
		ingest_file(in, "-");
	for (i = 0; i < argc && diag_status() < SX_BUSY; i++)
		ingest_file(in, argv[i]);
	ingest_free(in);
	db_close(db);
	vocab_free(vocab);
	if (o.rejects != NULL && fclose(o.rejects) != 0) {
		struct pos pos = {rejects, NULL, 0, 0};

		diag_syserr(&pos, "cannot write the rejects file");
	}
	return diag_finish();
}

static void
usage(FILE *fp, int status)
{
	fputs("usage: sales-ingest [-ahnpqSVx] [-D dbfile] [-E encoding] "
	    "[-f format] [-H row]\n"
	    "                    [-k kind] [-M map] [-m max] [-R rules] "
	    "[-r rejects]\n"
	    "                    [-s sheet] [-T zone] [-C customer] "
	    "[--rep name]\n"
	    "                    [file ...]\n"
	    "       sales-ingest cat [-ac] [-E encoding] [-f format] "
	    "[-s sheet] [file ...]\n"
	    "       sales-ingest batches [-ct] [-D dbfile]\n"
	    "       sales-ingest undo [-nq] [-D dbfile] batch\n", fp);
	if (fp == stdout)
		fputs(options_help, fp);
	exit(status);
}
