/*
 * libFuzzer target for the XLS reader: the input becomes a temporary
 * .xls file (freexl reads paths, not memory), read to its end.  The
 * reader decodes in a child process, where a crash is an error, not a
 * finding; so the BIFF record walker (xlsbiff.c) also runs here, in
 * this process, where the sanitizers see it.
 *
 * The child inherits libFuzzer's crash handling, which would write the
 * input as a finding, print a second set of final statistics and end
 * the child with libFuzzer's own status.  A fork handler gives the
 * child a death callback of its own: a sanitizer's report still goes
 * to the log, the child just exits, and the parent reports the error
 * as it would without a sanitizer.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <unistd.h>

#include "diag.h"
#include "reader.h"
#include "row.h"
#include "xlsbiff.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The sanitizers' runtime has it; the replay build may have none. */
void	__sanitizer_set_death_callback(void (*)(void))
	    __attribute__((weak));

static void
child_dies(void)
{
	_exit(1);
}

static void
in_child(void)
{
	if (__sanitizer_set_death_callback != NULL)
		__sanitizer_set_death_callback(child_dies);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	static char path[64];
	struct biff_book bb;
	struct reader_opts o;
	char err[200];
	size_t i, k;
	struct reader *r;
	struct row row;
	FILE *fp;
	int fd;

	if (sink == NULL) {
		if ((sink = fopen("/dev/null", "w")) == NULL)
			abort();
		diag_init("fuzz_xls", sink);
		if (pthread_atfork(NULL, NULL, in_child) != 0)
			abort();
	}
	snprintf(path, sizeof(path), "/tmp/fuzz_xls.XXXXXX");
	if ((fd = mkstemp(path)) == -1)
		abort();
	if ((fp = fdopen(fd, "wb")) == NULL)
		abort();
	if (size > 0 && fwrite(data, 1, size, fp) != size)
		abort();
	fclose(fp);

	memset(&o, 0, sizeof(o));
	o.all_sheets = 1;
	if ((r = reader_open(path, FMT_XLS, &o)) != NULL) {
		row_init(&row);
		while (reader_next(r, &row) == 1)
			continue;
		row_free(&row);
		reader_close(r);
	}
	memset(&bb, 0, sizeof(bb));
	if (biff_open(&bb, path, err, sizeof(err)) == 0)
		for (i = 0; i < bb.nsheets; i++) {
			if (biff_load_sheet(&bb, i) == -1)
				continue;
			for (k = 0; k < bb.ncells; k++)
				if (biff_cell(&bb, bb.cells[k].row,
				    bb.cells[k].col) == NULL)
					abort();	/* lookup lost a cell */
				else
					(void)biff_class(&bb, &bb.cells[k]);
		}
	biff_close(&bb);
	unlink(path);
	return 0;
}
