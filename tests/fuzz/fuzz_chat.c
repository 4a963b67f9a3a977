/*
 * libFuzzer target for the chat transcript reader: the input is written
 * to a temporary file, opened as a chat and read to the end.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "diag.h"
#include "reader.h"
#include "row.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	char path[] = "/tmp/fuzz_chat.XXXXXX";
	struct reader *r;
	struct row row;
	int fd;

	if (sink == NULL && (sink = fopen("/dev/null", "w")) == NULL)
		abort();
	diag_init("fuzz_chat", sink);
	if ((fd = mkstemp(path)) == -1)
		abort();
	if (write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
	if ((r = reader_open(path, FMT_CHAT, NULL)) != NULL) {
		row_init(&row);
		while (reader_next(r, &row) == 1)
			;
		row_free(&row);
		reader_close(r);
	}
	/* Sniffing looks at the same bytes. */
	(void)fmt_sniff("fuzz.txt", data, size);
	unlink(path);
	return 0;
}
