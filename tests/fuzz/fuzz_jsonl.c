/*
 * Fuzz the JSON-lines reader and the mapping of its rows: header rows
 * (one per new set of keys) extend the mapper, the others are records.
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
	fuzz_setup(".jsonl");
	if ((vocab = vocab_load(rules_dir(NULL))) == NULL) {
		fprintf(stderr, "fuzz_jsonl: cannot load the rule tables\n");
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
	long nrows;
	size_t i;
	int rc;

	memset(&o, 0, sizeof(o));
	if ((r = reader_open(fuzz_file(data, n), FMT_JSONL, &o)) == NULL)
		return 0;
	row_init(&row);
	rec_init(&main, NULL);
	rec_init(&cust, NULL);
	rec_init(&rep, NULL);
	m = NULL;
	nrows = 0;
	while ((rc = reader_next(r, &row)) == 1 && nrows++ < ROWS_MAX) {
		FUZZ_ASSERT(row.line >= 1);
		for (i = 0; i < row.ncells; i++)
			FUZZ_ASSERT(row.cells[i].off + row.cells[i].len <=
			    row.arena.len);
		if (row.header) {
			if (m == NULL)
				m = mapper_new(vocab, &row, K_NONE, 0, &why);
			else
				mapper_extend(m, &row);
			continue;
		}
		/* A record always follows a header row. */
		FUZZ_ASSERT(nrows > 1);
		if (m != NULL) {
			issues_clear(&is);
			map_row(m, &row, &main, &cust, &rep, &is);
		}
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
