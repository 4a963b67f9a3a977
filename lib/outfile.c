/*
 * Atomic output files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "outfile.h"
#include "xalloc.h"

struct outfile {
	char	*path;
	char	*tmp;
	FILE	*fp;
};

struct outfile *
outfile_open(const char *path)
{
	struct outfile *o;
	struct pos pos;
	mode_t mask;
	int fd;

	o = xcalloc(1, sizeof(*o));
	if (path == NULL || strcmp(path, "-") == 0) {
		o->fp = stdout;
		return o;
	}
	memset(&pos, 0, sizeof(pos));
	pos.file = path;
	o->path = xstrdup(path);
	o->tmp = xasprintf("%s.XXXXXX", path);
	/* mkstemp makes it 0600; a report is as readable as any file. */
	mask = umask(0);
	umask(mask);
	if ((fd = mkstemp(o->tmp)) == -1 ||
	    fchmod(fd, 0666 & ~mask) != 0 ||
	    (o->fp = fdopen(fd, "w")) == NULL) {
		diag_syserr(&pos, "cannot create a temporary file beside it");
		if (fd != -1) {
			close(fd);
			unlink(o->tmp);
		}
		free(o->tmp);
		free(o->path);
		free(o);
		return NULL;
	}
	return o;
}

FILE *
outfile_fp(struct outfile *o)
{
	return o->fp;
}

int
outfile_close(struct outfile *o, int ok)
{
	struct pos pos;
	int rc;

	rc = 0;
	if (o->path == NULL) {
		free(o);
		return 0;
	}
	memset(&pos, 0, sizeof(pos));
	pos.file = o->path;
	if (fflush(o->fp) != 0 || ferror(o->fp)) {
		diag_syserr(&pos, "write error");
		ok = 0;
		rc = -1;
	}
	if (fclose(o->fp) != 0 && ok) {
		diag_syserr(&pos, "write error");
		ok = 0;
		rc = -1;
	}
	if (ok && rename(o->tmp, o->path) != 0) {
		diag_syserr(&pos, "cannot rename %s into place", o->tmp);
		rc = -1;
		ok = 0;
	}
	if (!ok)
		unlink(o->tmp);
	free(o->tmp);
	free(o->path);
	free(o);
	return rc;
}

enum outfmt
outfmt_from_name(const char *path)
{
	const char *dot;
	enum outfmt f;

	if ((dot = strrchr(path, '.')) == NULL || strchr(dot, '/') != NULL)
		return OUT_TEXT;
	if ((f = outfmt_parse(dot + 1)) == OUT_NONE)
		return OUT_NONE;
	return f;
}

int
same_file(const char *path, const char *other)
{
	struct stat a, b;

	return stat(path, &a) == 0 && stat(other, &b) == 0 &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}
