/*
 * Fuzz the XLSX reader.  An input that starts with "PK" is taken as a
 * whole .xlsx file (zip directory, inflate, CRCs).  Any other input is
 * a list of XML parts separated by the line "|PART|", zipped here into
 * a workbook in this order, so that the fuzzer works on the XML the
 * reader parses rather than on compressed bytes:
 *
 *	xl/workbook.xml, xl/worksheets/sheet1.xml, xl/sharedStrings.xml,
 *	xl/styles.xml, xl/worksheets/sheet2.xml, xl/_rels/workbook.xml.rels
 *
 * Every sheet is read to its end.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zip.h"
#include <zlib.h>

#include "fuzz.h"
#include "reader.h"
#include "row.h"

#define ROWS_MAX 20000
#define SEP "\n|PART|\n"

static const char *const parts[] = {
    "xl/workbook.xml",
    "xl/worksheets/sheet1.xml",
    "xl/sharedStrings.xml",
    "xl/styles.xml",
    "xl/worksheets/sheet2.xml",
    "xl/_rels/workbook.xml.rels",
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_setup(".xlsx");
	return 0;
}

static void
add_part(zipFile zf, const char *name, const uint8_t *p, size_t n)
{
	zip_fileinfo zi;

	memset(&zi, 0, sizeof(zi));
	if (zipOpenNewFileInZip(zf, name, &zi, NULL, 0, NULL, 0, NULL,
		Z_DEFLATED, 1) != ZIP_OK ||
	    zipWriteInFileInZip(zf, p, (unsigned)n) != ZIP_OK ||
	    zipCloseFileInZip(zf) != ZIP_OK) {
		fprintf(stderr, "fuzz_xlsx: cannot write %s\n", name);
		abort();
	}
}

/* The first SEP in p[0..n), or NULL (memmem(3) is a GNU extension). */
static const uint8_t *
find_sep(const uint8_t *p, size_t n)
{
	size_t i, seplen = strlen(SEP);

	for (i = 0; i + seplen <= n; i++)
		if (p[i] == SEP[0] && memcmp(p + i, SEP, seplen) == 0)
			return p + i;
	return NULL;
}

/* Zip the parts of the input into the scratch file. */
static void
build_zip(const uint8_t *data, size_t n)
{
	const uint8_t *p, *end, *sep;
	zipFile zf;
	size_t k, seplen = strlen(SEP);

	if ((zf = zipOpen(fuzz_path, APPEND_STATUS_CREATE)) == NULL) {
		fprintf(stderr, "fuzz_xlsx: cannot create %s\n", fuzz_path);
		abort();
	}
	p = data;
	end = data + n;
	for (k = 0; k < sizeof(parts) / sizeof(parts[0]) && p <= end; k++) {
		sep = find_sep(p, (size_t)(end - p));
		if (sep == NULL)
			sep = end;
		add_part(zf, parts[k], p, (size_t)(sep - p));
		p = sep + seplen;
	}
	if (zipClose(zf, NULL) != ZIP_OK) {
		fprintf(stderr, "fuzz_xlsx: cannot close %s\n", fuzz_path);
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	struct reader_opts o;
	struct reader *r;
	struct row row;
	long nrows;
	size_t i;
	int rc;

	if (n >= 2 && memcmp(data, "PK", 2) == 0)
		fuzz_file(data, n);
	else
		build_zip(data, n);
	memset(&o, 0, sizeof(o));
	o.all_sheets = 1;
	if ((r = reader_open(fuzz_path, FMT_XLSX, &o)) == NULL)
		return 0;
	row_init(&row);
	nrows = 0;
	while ((rc = reader_next(r, &row)) == 1 && nrows++ < ROWS_MAX) {
		FUZZ_ASSERT(row.nfields >= 0);
		for (i = 0; i < row.ncells; i++) {
			FUZZ_ASSERT(row.cells[i].off + row.cells[i].len <=
			    row.arena.len);
			FUZZ_ASSERT(row.cells[i].type != CELL_DATE ||
			    row.cells[i].len == 10);
		}
	}
	FUZZ_ASSERT(rc >= -1 && rc <= 1);
	row_free(&row);
	reader_close(r);
	return 0;
}
