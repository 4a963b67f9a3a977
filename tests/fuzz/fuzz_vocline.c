/*
 * Fuzz the JSON lines of sales-voc scan -, differentially: voc_line()
 * reads flat lines of strings itself and gives the others to jansson,
 * and must agree with jansson alone on every line.  A line jansson
 * refuses, or that is no object, is refused; otherwise the "id",
 * "text" and "customer" strings are the same bytes, or absent alike.
 */
#include <stdint.h>
#include <stdlib.h>

#include <jansson.h>

#include "buf.h"
#include "fuzz.h"
#include "voc.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_setup(NULL);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	static const char *keys[3] = {"id", "text", "customer"};
	struct buf b = {0}, err = {0};
	json_error_t je;
	const char *want;
	json_t *j;
	long at[3];
	int col, rc, i;

	/* One line, as getline() hands it over: up to its newline. */
	for (i = 0; (size_t)i < n; i++)
		if (data[i] == '\n') {
			n = (size_t)i + 1;
			break;
		}
	buf_add(&b, "x", 2);	/* strings go after what b holds */
	rc = voc_line((const char *)data, n, &b, at, &err, &col);
	j = json_loadb((const char *)data, n, JSON_DECODE_ANY, &je);
	if (j == NULL || !json_is_object(j)) {
		FUZZ_ASSERT(rc == -1 && err.len > 0);
		json_decref(j);
		buf_free(&b);
		buf_free(&err);
		return 0;
	}
	FUZZ_ASSERT(rc == 0);
	for (i = 0; i < 3; i++) {
		want = json_string_value(json_object_get(j, keys[i]));
		if (want == NULL) {
			FUZZ_ASSERT(at[i] == -1);
			continue;
		}
		FUZZ_ASSERT(at[i] >= 2 && (size_t)at[i] < b.len);
		FUZZ_ASSERT(strcmp(b.s + at[i], want) == 0);
	}
	json_decref(j);
	buf_free(&b);
	buf_free(&err);
	return 0;
}
