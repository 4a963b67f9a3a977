/*
 * Format detection and dispatch to the format readers.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <strings.h>
#include <unistd.h>

#include "diag.h"
#include "reader.h"
#include "row.h"
#include "xalloc.h"

static const struct {
	enum fmt	 fmt;
	const char	*name;
} fmts[] = {
	{FMT_CSV, "csv"},
	{FMT_XLSX, "xlsx"},
	{FMT_XLS, "xls"},
	{FMT_JSONL, "jsonl"},
	{FMT_CHAT, "chat"},
	{FMT_RSS, "rss"},
};

enum fmt
fmt_parse(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++)
		if (strcasecmp(s, fmts[i].name) == 0)
			return fmts[i].fmt;
	if (strcasecmp(s, "json") == 0 || strcasecmp(s, "ndjson") == 0)
		return FMT_JSONL;
	if (strcasecmp(s, "tsv") == 0 || strcasecmp(s, "txt") == 0)
		return FMT_CSV;
	if (strcasecmp(s, "atom") == 0)
		return FMT_RSS;
	return FMT_AUTO;
}

const char *
fmt_name(enum fmt f)
{
	size_t i;

	for (i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++)
		if (fmts[i].fmt == f)
			return fmts[i].name;
	return "auto";
}

static const char *
suffix(const char *name)
{
	const char *dot;

	dot = strrchr(name, '.');
	return dot != NULL && strchr(dot, '/') == NULL ? dot + 1 : "";
}

enum fmt
fmt_sniff(const char *name, const unsigned char *p, size_t n)
{
	size_t i;

	if (n >= 4 && memcmp(p, "PK\003\004", 4) == 0)
		return FMT_XLSX;
	if (n >= 8 && memcmp(p, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8) == 0)
		return FMT_XLS;
	/* Skip a UTF-8 BOM and white space to the first real byte. */
	i = 0;
	if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' ||
	    p[i] == '\n'))
		i++;
	if (i < n && p[i] == '{')
		return FMT_JSONL;
	if (i < n && p[i] == '<') {
		if (n - i >= 5 && (memcmp(p + i, "<?xml", 5) == 0 ||
		    memcmp(p + i, "<rss", 4) == 0 ||
		    memcmp(p + i, "<feed", 5) == 0))
			return FMT_RSS;
	}
	if (chat_sniff(p, n))
		return FMT_CHAT;
	if (strcasecmp(suffix(name), "jsonl") == 0 ||
	    strcasecmp(suffix(name), "ndjson") == 0)
		return FMT_JSONL;
	return FMT_CSV;
}

/* Copy standard input to an unlinked-on-close temporary file. */
static char *
spool_stdin(void)
{
	char buf[65536], *path;
	const char *tmp;
	ssize_t n;
	int fd;

	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	path = xasprintf("%s/sales-stdin.XXXXXX", tmp);
	if ((fd = mkstemp(path)) == -1) {
		diag_syserr(NULL, "%s", path);
		free(path);
		return NULL;
	}
	while ((n = read(STDIN_FILENO, buf, sizeof(buf))) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 || write(fd, buf, (size_t)n) != n) {
			diag_syserr(NULL, "<stdin>: copying to %s", path);
			close(fd);
			unlink(path);
			free(path);
			return NULL;
		}
	}
	close(fd);
	return path;
}

/*
 * Excel, Word and WPS leave an owner file "~$name" of a few dozen bytes
 * beside a document while it is open (the name of who has it open, no
 * rows): an inbox on a shared drive holds one whenever somebody is
 * editing a workbook, and it is no file to import.
 */
#define LOCK_MAX	512

static int
is_lock_file(const char *name, const struct stat *st)
{
	const char *base;

	base = strrchr(name, '/');
	base = base != NULL ? base + 1 : name;
	return strncmp(base, "~$", 2) == 0 && S_ISREG(st->st_mode) &&
	    st->st_size <= LOCK_MAX;
}

struct reader *
reader_open(const char *path, enum fmt fmt, const struct reader_opts *opts)
{
	struct reader_opts defaults;
	struct reader *r;
	struct pos pos;
	unsigned char head[4096];
	const char *name, *real;
	char *spool;
	struct stat st;
	size_t n;
	FILE *fp;

	if (opts == NULL) {
		memset(&defaults, 0, sizeof(defaults));
		opts = &defaults;
	}
	spool = NULL;
	name = path;
	real = path;
	if (strcmp(path, "-") == 0) {
		name = "<stdin>";
		if ((spool = spool_stdin()) == NULL)
			return NULL;
		real = spool;
	}
	memset(&pos, 0, sizeof(pos));
	pos.file = name;
	if ((fp = fopen(real, "rb")) == NULL) {
		diag_syserr(&pos, "cannot open");
		goto fail;
	}
	/* fopen takes a directory; reading it fails with EISDIR. */
	memset(&st, 0, sizeof(st));
	if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(fp);
		diag_error(SX_USAGE, &pos, "is a directory: name its files "
		    "(for example \"%s\"/*)", diag_val(name));
		goto fail;
	}
	if (spool == NULL && is_lock_file(name, &st)) {
		fclose(fp);
		diag_warn(&pos, "lock file of a workbook open in Excel or WPS: "
		    "skipped (the workbook is read as last saved)");
		goto fail;
	}
	n = fread(head, 1, sizeof(head), fp);
	fclose(fp);
	if (fmt == FMT_AUTO)
		fmt = fmt_sniff(name, head, n);

	switch (fmt) {
	case FMT_CSV:
		r = csv_open(real, name, opts);
		break;
	case FMT_XLSX:
		r = xlsx_open(real, name, opts);
		break;
	case FMT_JSONL:
		r = jsonl_open(real, name, opts);
		break;
	case FMT_XLS:
		r = xls_open(real, name, opts);
		break;
	case FMT_CHAT:
		r = chat_open(real, name, opts);
		break;
	case FMT_RSS:
		r = rss_open(real, name, opts);
		break;
	default:
		diag_error(SX_DATA, &pos, "%s files are not supported yet",
		    fmt_name(fmt));
		r = NULL;
		break;
	}
	if (r == NULL)
		goto fail;
	r->fmt = fmt;
	r->name = name;
	r->spool = spool;
	return r;
fail:
	if (spool != NULL) {
		unlink(spool);
		free(spool);
	}
	return NULL;
}

int
reader_next(struct reader *r, struct row *row)
{
	int rc;

	row_clear(row);
	row->file = r->name;
	rc = r->ops->next(r, row);
	if (rc == 1)
		r->nrows++;
	return rc;
}

void
reader_close(struct reader *r)
{
	char *spool;

	if (r == NULL)
		return;
	spool = r->spool;
	r->ops->close(r);
	if (spool != NULL) {
		unlink(spool);
		free(spool);
	}
}
