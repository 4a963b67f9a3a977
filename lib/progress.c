/*
 * Progress lines.  The clock is read once every 256 rows only, so an
 * import that shows no progress, or shows it, costs nothing per row.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "diag.h"
#include "progress.h"

#define NAME_MAX_SHOWN	32

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* 1234567 as "1,234,567". */
static void
grouped(char *out, size_t n, long long v)
{
	char digits[32];
	size_t len, i, o;

	snprintf(digits, sizeof(digits), "%lld", v < 0 ? -v : v);
	len = strlen(digits);
	o = 0;
	if (v < 0 && o + 1 < n)
		out[o++] = '-';
	for (i = 0; i < len && o + 1 < n; i++) {
		if (i > 0 && (len - i) % 3 == 0 && o + 2 < n)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
}

void
progress_format(char *out, size_t n, const char *name, long rows,
    long long bytes, double secs)
{
	char r[32], rate[32];
	size_t len, off;
	int w;

	len = strlen(name);
	off = 0;
	if (len > NAME_MAX_SHOWN) {
		off = len - NAME_MAX_SHOWN;
		/* Not inside a UTF-8 sequence. */
		while (off < len && ((unsigned char)name[off] & 0xc0) == 0x80)
			off++;
	}
	grouped(r, sizeof(r), rows);
	w = snprintf(out, n, "%s%s: %s rows", off ? "..." : "", name + off,
	    r);
	if (w < 0 || (size_t)w >= n)
		return;
	if (bytes > 0)
		w += snprintf(out + w, n - (size_t)w, "  %.1f MB",
		    (double)bytes / 1e6);
	if (w < 0 || (size_t)w >= n)
		return;
	if (secs > 0) {
		grouped(rate, sizeof(rate), (long long)((double)rows / secs));
		snprintf(out + w, n - (size_t)w, "  %s rows/s", rate);
	}
}

void
progress_start(struct progress *p, const char *name, int on)
{
	memset(p, 0, sizeof(*p));
	p->on = on;
	p->name = name;
	if (on)
		p->start = p->last = now();
}

void
progress_tick(struct progress *p, long rows, long long bytes)
{
	char line[128];
	double t;

	if (!p->on || (++p->calls & 255) != 0)
		return;
	t = now();
	if (t - p->last < 1.0 / PROGRESS_HZ)
		return;
	p->last = t;
	progress_format(line, sizeof(line), p->name, rows, bytes,
	    t - p->start);
	diag_progress(line);
}

void
progress_end(struct progress *p)
{
	if (p->on)
		diag_progress(NULL);
	p->on = 0;
}
