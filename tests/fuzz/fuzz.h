/*
 * Shared by the fuzz targets: the libFuzzer entry points, a scratch
 * file the readers can open by name, and diagnostics sent to
 * /dev/null so that a run prints only what the fuzzer says.  Header
 * only (static inline), so each target stays one .c file.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int LLVMFuzzerInitialize(int *, char ***);

/* Stop with a message libFuzzer (or the replay) shows: a finding. */
#define FUZZ_ASSERT(c)                                                         \
	do {                                                                   \
		if (!(c)) {                                                    \
			fprintf(stderr, "%s:%d: invariant failed: %s\n",       \
			    __FILE__, __LINE__, #c);                           \
			abort();                                               \
		}                                                              \
	} while (0)

static char fuzz_path[256];

static inline void
fuzz_cleanup(void)
{
	if (fuzz_path[0] != '\0')
		unlink(fuzz_path);
}

/*
 * Quiet diagnostics and a scratch file named with suffix (".csv"),
 * created once per process and rewritten for every input.
 */
static inline void
fuzz_setup(const char *suffix)
{
	const char *tmp;
	FILE *devnull;
	int fd;

	if ((devnull = fopen("/dev/null", "w")) == NULL)
		devnull = stderr;
	diag_init("fuzz", devnull);
	diag_set_quiet(1);
	if (suffix == NULL || fuzz_path[0] != '\0')
		return;
	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	snprintf(fuzz_path, sizeof(fuzz_path), "%s/fuzz-XXXXXX%s", tmp, suffix);
	if ((fd = mkstemps(fuzz_path, (int)strlen(suffix))) == -1) {
		perror(fuzz_path);
		abort();
	}
	close(fd);
	atexit(fuzz_cleanup);
}

/* Put the input into the scratch file; returns its path. */
static inline const char *
fuzz_file(const uint8_t *data, size_t n)
{
	FILE *fp;

	if ((fp = fopen(fuzz_path, "wb")) == NULL) {
		perror(fuzz_path);
		abort();
	}
	if (n > 0 && fwrite(data, 1, n, fp) != n) {
		perror(fuzz_path);
		abort();
	}
	if (fclose(fp) != 0) {
		perror(fuzz_path);
		abort();
	}
	return fuzz_path;
}

/* A NUL-terminated copy of the input; the caller frees. */
static inline char *
fuzz_string(const uint8_t *data, size_t n)
{
	char *s;

	if ((s = malloc(n + 1)) == NULL)
		abort();
	if (n > 0)
		memcpy(s, data, n);
	s[n] = '\0';
	return s;
}

#endif
