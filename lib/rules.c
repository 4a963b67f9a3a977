/*
 * Loading rule tables and finding where they live.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "reader.h"
#include "row.h"
#include "rules.h"
#include "text.h"
#include "xalloc.h"

#ifndef SALES_SHAREDIR
#define SALES_SHAREDIR "/usr/local/share/salestrail"
#endif

static int
is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *
rules_dir(const char *opt)
{
	static char found[PATH_MAX + 64];
	static const char *const rel[] = {
		"../share/salestrail/rules",	/* PREFIX/bin -> PREFIX/share */
		"../../share/rules",		/* build/bin -> the source tree */
		"../../../share/rules",		/* build/san/bin */
	};
	char exe[PATH_MAX], *slash;
	const char *env;
	ssize_t n;
	size_t i;

	if (opt != NULL)
		return opt;
	if ((env = getenv("SALES_RULES")) != NULL && *env != '\0')
		return env;
	if (found[0] != '\0')
		return found;
	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL)
			*slash = '\0';
		for (i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
			snprintf(found, sizeof(found), "%s/%s", exe, rel[i]);
			if (is_dir(found))
				return found;
		}
	}
	snprintf(found, sizeof(found), "%s/rules", SALES_SHAREDIR);
	return found;
}

void
rtable_error(const struct rtable *t, size_t row, int col, const char *fmt,
    ...)
{
	struct buf b = {0};
	struct pos pos;
	va_list ap;

	memset(&pos, 0, sizeof(pos));
	pos.file = t->path;
	pos.line = row < t->nrows ? t->rows[row].line : 0;
	pos.col = col >= 0 ? col + 1 : 0;
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	diag_error(SX_USAGE, &pos, "%s", buf_str(&b));
	buf_free(&b);
}

struct rtable *
rules_load(const char *dir, const char *name)
{
	char *path = xasprintf("%s/%s", dir, name);
	struct rtable *t = rules_load_file(path);

	free(path);
	return t;
}

struct rtable *
rules_load_file(const char *path)
{
	struct reader_opts o;
	struct reader *r;
	struct rtable *t;
	struct row row;
	struct buf cell = {0};
	size_t i;
	int rc;

	t = xcalloc(1, sizeof(*t));
	t->path = xstrdup(path);
	memset(&o, 0, sizeof(o));
	o.delimiter = ',';
	if ((r = csv_open(t->path, t->path, &o)) == NULL) {
		diag_raise(SX_USAGE);
		rtable_free(t);
		return NULL;
	}
	row_init(&row);
	while ((rc = reader_next(r, &row)) == 1) {
		if (row_is_blank(&row) || row_text(&row, 0)[0] == '#')
			continue;
		if (t->cols == NULL) {
			t->ncols = row.ncells;
			t->cols = xcalloc(t->ncols, sizeof(char *));
			for (i = 0; i < t->ncols; i++) {
				buf_reset(&cell);
				text_clean(&cell, row_text(&row, i),
				    row.cells[i].len);
				t->cols[i] = xstrdup(buf_str(&cell));
			}
			continue;
		}
		t->rows = xrealloc(t->rows, (t->nrows + 1) * sizeof(*t->rows));
		t->rows[t->nrows].line = row.line;
		t->rows[t->nrows].cells = xcalloc(t->ncols, sizeof(char *));
		for (i = 0; i < t->ncols; i++) {
			buf_reset(&cell);
			if (i < row.ncells)
				text_clean(&cell, row_text(&row, i),
				    row.cells[i].len);
			t->rows[t->nrows].cells[i] = xstrdup(buf_str(&cell));
		}
		t->nrows++;
		if (row.ncells > t->ncols && !row_is_blank(&row)) {
			for (i = t->ncols; i < row.ncells; i++)
				if (row.cells[i].len > 0) {
					rtable_error(t, t->nrows - 1, (int)i,
					    "%zu cells, the header has %zu",
					    row.ncells, t->ncols);
					rc = -1;
					break;
				}
			if (rc < 0)
				break;
		}
	}
	row_free(&row);
	buf_free(&cell);
	reader_close(r);
	if (rc < 0 || t->cols == NULL) {
		if (rc >= 0) {
			struct pos pos = {t->path, NULL, 0, 0};

			diag_error(SX_USAGE, &pos, "no header line");
		}
		diag_raise(SX_USAGE);
		rtable_free(t);
		return NULL;
	}
	return t;
}

int
rtable_col(const struct rtable *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->ncols; i++)
		if (strcmp(t->cols[i], name) == 0)
			return (int)i;
	return -1;
}

int
rtable_need(const struct rtable *t, const char *name)
{
	struct pos pos = {t->path, NULL, 0, 0};
	int c;

	if ((c = rtable_col(t, name)) < 0)
		diag_error(SX_USAGE, &pos, "no column '%s' in the header",
		    name);
	return c;
}

const char *
rtable_get(const struct rtable *t, size_t row, int col)
{
	if (row >= t->nrows || col < 0 || (size_t)col >= t->ncols)
		return "";
	return t->rows[row].cells[col];
}

void
rtable_free(struct rtable *t)
{
	size_t i, j;

	if (t == NULL)
		return;
	for (i = 0; i < t->nrows; i++) {
		for (j = 0; j < t->ncols; j++)
			free(t->rows[i].cells[j]);
		free(t->rows[i].cells);
	}
	free(t->rows);
	for (i = 0; i < t->ncols; i++)
		free(t->cols[i]);
	free(t->cols);
	free(t->path);
	free(t);
}
