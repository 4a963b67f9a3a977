/*
 * Progress lines: their text, and that they stay off the terminal
 * unless asked for and are erased at the end; messages held back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "progress.h"
#include "tap.h"

static void
test_format(void)
{
	char out[128];

	progress_format(out, sizeof(out), "orders.csv", 1234567, 56700000,
	    2.0);
	is_str(out, "orders.csv: 1,234,567 rows  56.7 MB  617,283 rows/s",
	    "rows, MB and rate");
	progress_format(out, sizeof(out), "a.xlsx", 999, 0, 0);
	is_str(out, "a.xlsx: 999 rows", "no size, no rate");
	progress_format(out, sizeof(out), "x.csv", 1000, 0, 0.5);
	is_str(out, "x.csv: 1,000 rows  2,000 rows/s", "rate without size");
	progress_format(out, sizeof(out), "x.csv", 0, 1, 1);
	is_str(out, "x.csv: 0 rows  0.0 MB  0 rows/s", "nothing yet");
	progress_format(out, sizeof(out),
	    "/data/inbox/2026-W10/华东区销售周报-张伟.csv", 5, 0, 0);
	is_str(out, "...华东区销售周报-张伟.csv: 5 rows",
	    "long name cut to its end on a character boundary");
	progress_format(out, 12, "orders.csv", 1234567, 5, 1);
	is_str(out, "orders.csv:", "cut to the buffer");
}

static void
test_output(void)
{
	struct progress p;
	char buf[4096];
	FILE *fp;
	size_t n;
	long i;

	fp = tmpfile();
	diag_init("t_progress", fp);
	progress_start(&p, "off.csv", 0);
	for (i = 0; i < 100000; i++)
		progress_tick(&p, i, i * 10);
	progress_end(&p);
	ok(ftell(fp) == 0, "off: nothing written");

	progress_start(&p, "on.csv", 1);
	p.last -= 1.0;			/* as if a refresh were due */
	for (i = 1; i <= 256; i++)
		progress_tick(&p, i, i * 100);
	progress_end(&p);
	rewind(fp);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	ok(strncmp(buf, "\ron.csv: 256 rows  0.0 MB  ", 27) == 0,
	    "on: the line starts with a carriage return");
	n = strlen(buf);
	ok(n > 6 && strcmp(buf + n - 4, "\r\033[K") == 0,
	    "on: erased at the end");
	fclose(fp);

	fp = tmpfile();
	diag_init("t_progress", fp);
	diag_progress("x.csv: 1 rows");
	diag_warn(NULL, "w");
	rewind(fp);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	is_str(buf, "\rx.csv: 1 rows\033[K\r\033[Kt_progress: warning: w\n",
	    "a message erases the progress line first");
	fclose(fp);

	/* Held messages: printed on release, or forgotten with their status. */
	fp = tmpfile();
	diag_init("t_progress", fp);
	diag_hold();
	diag_error(SX_DATA, NULL, "first reading");
	ok(ftell(fp) == 0 && diag_status() == SX_DATA, "held, status raised");
	diag_release(1);
	ok(ftell(fp) == 0 && diag_status() == SX_OK && diag_nerrors() == 0,
	    "discarded with the status and count it raised");
	diag_hold();
	diag_warn(NULL, "kept");
	diag_release(0);
	rewind(fp);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	is_str(buf, "t_progress: warning: kept\n", "released: printed");
	fclose(fp);
	diag_init("t_progress", stderr);
}

int
main(void)
{
	test_format();
	test_output();
	return tap_done();
}
