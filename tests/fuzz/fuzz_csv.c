/*
 * Fuzz the CSV reader: the input becomes a .csv file, read row by row
 * with encoding and delimiter sniffing, and mapped as sales-ingest
 * would: the first row naming known fields is the header, the rest are
 * records.  Checks that every row says where it starts and that cells
 * stay inside the row.
 */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz.h"
#include "map.h"
#include "reader.h"
#include "row.h"
#include "rules.h"
#include "vocab.h"

#define ROWS_MAX 5000

static struct vocab *vocab;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_setup(".csv");
	/* share/rules, found beside the binary as the commands find it. */
	if ((vocab = vocab_load(rules_dir(NULL))) == NULL) {
		fprintf(stderr, "fuzz_csv: cannot load the rule tables\n");
		abort();
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	struct reader_opts o;
	struct mapper *m;
	struct reader *r;
	struct issues is = {0};
	struct rec main, cust, rep;
	struct row row;
	const char *why;
	long nrows, lastline;
	size_t i;
	int rc;

	memset(&o, 0, sizeof(o));
	if ((r = reader_open(fuzz_file(data, n), FMT_CSV, &o)) == NULL)
		return 0;
	row_init(&row);
	rec_init(&main, NULL);
	rec_init(&cust, NULL);
	rec_init(&rep, NULL);
	m = NULL;
	nrows = 0;
	lastline = 0;
	while ((rc = reader_next(r, &row)) == 1 && nrows++ < ROWS_MAX) {
		FUZZ_ASSERT(row.line >= 1 && row.line >= lastline);
		lastline = row.line;
		FUZZ_ASSERT(
		    row.nfields >= 0 && (size_t)row.nfields <= row.ncells);
		for (i = 0; i < row.ncells; i++) {
			FUZZ_ASSERT(row.cells[i].off + row.cells[i].len <=
			    row.arena.len);
			FUZZ_ASSERT(
			    strlen(row_text(&row, i)) <= row.cells[i].len);
		}
		if (m == NULL) {
			if (map_header_score(vocab, &row) > 0)
				m = mapper_new(vocab, &row, K_NONE, 0, &why);
			continue;
		}
		issues_clear(&is);
		map_row(m, &row, &main, &cust, &rep, &is);
	}
	FUZZ_ASSERT(rc >= -1 && rc <= 1);
	mapper_free(m);
	issues_free(&is);
	rec_free(&main);
	rec_free(&cust);
	rec_free(&rep);
	row_free(&row);
	reader_close(r);
	return 0;
}
