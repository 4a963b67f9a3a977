/*
 * Messages, positions and the run-wide exit status.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"

static const char *progname = "sales";
static FILE *errfp;
static int quiet;
static int status;
static unsigned long nwarn, nerr;
static int progress_shown;	/* a progress line is on the terminal */

/* Messages held back by diag_hold(), and the counts before them. */
#define HOLD_MAX	(1 << 20)
static struct buf held;
static int holding, held_status;
static unsigned long held_nwarn, held_nerr;

void
diag_init(const char *argv0, FILE *fp)
{
	const char *p;

	if (argv0 != NULL) {
		p = strrchr(argv0, '/');
		progname = p != NULL ? p + 1 : argv0;
	}
	errfp = fp;
	quiet = 0;
	status = SX_OK;
	nwarn = nerr = 0;
}

void
diag_set_quiet(int q)
{
	quiet = q;
}

int
diag_quiet(void)
{
	return quiet;
}

const char *
diag_progname(void)
{
	return progname;
}

void
col_letters(char *out, int col)
{
	char tmp[8];
	int i, n;

	n = 0;
	while (col > 0 && n < 7) {
		tmp[n++] = (char)('A' + (col - 1) % 26);
		col = (col - 1) / 26;
	}
	for (i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
}

void
pos_format(struct buf *b, const struct pos *p)
{
	char letters[8];

	if (p == NULL || p->file == NULL)
		return;
	buf_adds(b, p->file);
	if (p->sheet != NULL) {
		buf_addf(b, ":%s", p->sheet);
		if (p->line > 0 && p->col > 0) {
			col_letters(letters, p->col);
			buf_addf(b, "!%s%ld", letters, p->line);
		} else if (p->line > 0)
			buf_addf(b, "!%ld", p->line);
		return;
	}
	if (p->line > 0) {
		buf_addf(b, ":%ld", p->line);
		if (p->col > 0)
			buf_addf(b, ":%d", p->col);
	}
}

static void __attribute__((__format__(__printf__, 3, 0)))
emit(const char *level, const struct pos *p, const char *fmt, va_list ap,
    const char *suffix)
{
	struct buf b = {0};

	buf_addf(&b, "%s: ", progname);
	if (p != NULL && p->file != NULL) {
		pos_format(&b, p);
		buf_adds(&b, ": ");
	}
	if (level != NULL)
		buf_addf(&b, "%s: ", level);
	buf_vaddf(&b, fmt, ap);
	if (suffix != NULL)
		buf_addf(&b, ": %s", suffix);
	buf_addc(&b, '\n');
	if (holding) {
		if (held.len + b.len <= HOLD_MAX) {
			buf_add(&held, b.s, b.len);
			buf_free(&b);
			return;
		}
		/* Too many to hold: show them, as if never held. */
		diag_release(0);
	}
	fflush(stdout);
	if (progress_shown)
		diag_progress(NULL);
	fputs(buf_str(&b), errfp != NULL ? errfp : stderr);
	buf_free(&b);
}

/*
 * Before a message: whoever has work waiting that may speak of earlier
 * rows (a bulk load's queued rows) does it now, so messages keep the
 * order of the rows they are about.
 */
static void (*before_fn)(void *);
static void *before_arg;

void
diag_set_before(void (*fn)(void *), void *arg)
{
	before_fn = fn;
	before_arg = arg;
}

static void
before(void)
{
	void (*fn)(void *) = before_fn;
	int saved = errno;	/* diag_syserr() is about to read it */

	if (fn == NULL)
		return;
	before_fn = NULL;	/* what it says goes straight out */
	fn(before_arg);
	before_fn = fn;
	errno = saved;
}

void
diag_warn(const struct pos *p, const char *fmt, ...)
{
	va_list ap;

	before();
	nwarn++;
	if (quiet)
		return;
	va_start(ap, fmt);
	emit("warning", p, fmt, ap, NULL);
	va_end(ap);
}

void
diag_error(int st, const struct pos *p, const char *fmt, ...)
{
	va_list ap;

	before();
	nerr++;
	diag_raise(st);
	va_start(ap, fmt);
	emit("error", p, fmt, ap, NULL);
	va_end(ap);
}

void
diag_syserr(const struct pos *p, const char *fmt, ...)
{
	va_list ap;
	const char *e;

	before();
	e = strerror(errno);
	nerr++;
	diag_raise(SX_SYS);
	va_start(ap, fmt);
	emit("error", p, fmt, ap, e);
	va_end(ap);
}

void
diag_note(const char *fmt, ...)
{
	va_list ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	emit(NULL, NULL, fmt, ap, NULL);
	va_end(ap);
}

void
diag_hold(void)
{
	holding = 1;
	held_status = status;
	held_nwarn = nwarn;
	held_nerr = nerr;
	buf_reset(&held);
}

void
diag_release(int discard)
{
	FILE *fp = errfp != NULL ? errfp : stderr;

	if (!holding)
		return;
	holding = 0;
	if (discard) {
		status = held_status;
		nwarn = held_nwarn;
		nerr = held_nerr;
	} else if (held.len > 0) {
		fflush(stdout);
		if (progress_shown)
			diag_progress(NULL);
		fputs(buf_str(&held), fp);
	}
	buf_free(&held);
}

void
diag_progress(const char *line)
{
	FILE *fp = errfp != NULL ? errfp : stderr;

	if (line != NULL)
		fprintf(fp, "\r%s\033[K", line);
	else if (progress_shown)
		fputs("\r\033[K", fp);
	progress_shown = line != NULL;
	fflush(fp);
}

void
diag_fatal(int st, const char *fmt, ...)
{
	va_list ap;

	diag_release(0);	/* what led here is worth seeing too */
	va_start(ap, fmt);
	emit("error", NULL, fmt, ap, NULL);
	va_end(ap);
	fflush(stdout);
	exit(st > status ? st : status);
}

void
diag_raise(int st)
{
	if (st > status)
		status = st;
}

int
diag_status(void)
{
	return status;
}

unsigned long
diag_nwarnings(void)
{
	return nwarn;
}

unsigned long
diag_nerrors(void)
{
	return nerr;
}

/* The cause of the first failed write to standard output, or 0. */
static int out_errno;

void
diag_write_error(int e)
{
	if (out_errno == 0)
		out_errno = e;
}

int
diag_finish(void)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		/*
		 * Once a write has failed, errno has long moved on (a
		 * thread of pango's left EAGAIN there): the cause noted
		 * then wins.
		 */
		int e = out_errno != 0 ? out_errno : errno;

		/* A reader that went away (| head) is not an error. */
		if (e != EPIPE) {
			errno = e;
			diag_syserr(NULL, "write error on standard output");
		}
	}
	return status;
}

const char *
diag_val(const char *s)
{
	static char ring[4][128];
	static int next;
	char *out;
	size_t i, o, cut;
	unsigned char c;

	out = ring[next];
	next = (next + 1) % 4;
	if (s == NULL) {
		snprintf(out, sizeof(ring[0]), "(null)");
		return out;
	}
	o = 0;
	cut = 60;
	for (i = 0; s[i] != '\0'; i++) {
		c = (unsigned char)s[i];
		if (i >= cut && (c & 0xc0) != 0x80) {
			snprintf(out + o, sizeof(ring[0]) - o, "...");
			return out;
		}
		if (o + 8 >= sizeof(ring[0]))
			break;
		if (c == '\t')
			o += (size_t)snprintf(out + o, 8, "\\t");
		else if (c == '\r')
			o += (size_t)snprintf(out + o, 8, "\\r");
		else if (c == '\n')
			o += (size_t)snprintf(out + o, 8, "\\n");
		else if (c < 0x20 || c == 0x7f)
			o += (size_t)snprintf(out + o, 8, "\\x%02x", c);
		else
			out[o++] = (char)c;
	}
	out[o] = '\0';
	return out;
}
