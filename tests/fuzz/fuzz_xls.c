/*
 * libFuzzer target for the XLS reader: the input becomes a temporary
 * .xls file (freexl reads paths, not memory), read to its end.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "reader.h"
#include "row.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	static char path[64];
	struct reader_opts o;
	struct reader *r;
	struct row row;
	FILE *fp;
	int fd;

	if (sink == NULL) {
		if ((sink = fopen("/dev/null", "w")) == NULL)
			abort();
		diag_init("fuzz_xls", sink);
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
	unlink(path);
	return 0;
}
