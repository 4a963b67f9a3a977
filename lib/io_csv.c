/*
 * CSV reader: libcsv over decoded text (textin.c).  Adds what libcsv
 * leaves to its caller: delimiter sniffing, the line where each record
 * starts (for messages), spaces kept as typed, a cap on field size.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "diag.h"
#include "reader.h"
#include "row.h"
#include "textin.h"
#include "xalloc.h"

#define CHUNK		(1 << 16)
#define FIELD_MAX	(64L << 20)	/* one cell may not exceed 64 MiB */
#define FIELD_BLK	(1 << 20)	/* field buffer growth step */
#define FIELDS_MAX	16384		/* fields of one record: XFD */

struct csv_rd {
	struct reader	 base;
	struct textin	*in;
	struct csv_parser p;
	char		*chunk;
	size_t		 clen;		/* decoded bytes in chunk */
	size_t		 cpos;		/* next byte to feed */
	size_t		 lf;		/* next LF at or after cpos, or clen */
	int		 lf_ok;		/* lf is valid for this chunk */
	int		 cr_end;	/* the last feed ended with a lone CR */
	long		 line;		/* line of the next byte to feed */
	long		 rec_line;	/* first line of the record in progress */
	int		 in_rec;	/* a record has begun */
	struct row	*q;		/* finished rows, q[head..tail) */
	size_t		 qhead, qtail, qcap;
	int		 eof;
	int		 failed;
	int		 too_wide;	/* a record passed FIELDS_MAX */
};

static const struct reader_ops csv_ops;

static int
no_space(unsigned char c)
{
	(void)c;
	return 0;
}

/* libcsv grows one buffer per field; refuse absurd sizes. */
static void *
capped_realloc(void *p, size_t n)
{
	if (n > (size_t)FIELD_MAX)
		return NULL;
	return realloc(p, n);
}

static struct row *
cur_row(struct csv_rd *c)
{
	if (c->qtail >= c->qcap) {
		size_t old = c->qcap;

		c->q = xgrow(c->q, &c->qcap, c->qtail + 1, sizeof(*c->q));
		memset(c->q + old, 0, (c->qcap - old) * sizeof(*c->q));
	}
	return &c->q[c->qtail];
}

static void
on_field(void *s, size_t len, void *data)
{
	struct csv_rd *c = data;
	struct row *r;

	r = c->qtail < c->qcap ? &c->q[c->qtail] : cur_row(c);
	/* A line of a million commas would be a million cells. */
	if (r->ncells >= FIELDS_MAX) {
		c->too_wide = 1;
		return;
	}
	row_set(r, r->ncells, CELL_TEXT, s, len);
}

static void
on_record(int term, void *data)
{
	struct csv_rd *c = data;
	struct row *r;

	(void)term;
	r = cur_row(c);
	r->file = c->base.name;
	r->line = c->rec_line;
	r->nfields = (int)r->ncells;
	c->qtail++;
	c->in_rec = 0;
	r = cur_row(c);
	row_clear(r);
}

/* Sniff the delimiter from the records in the first chunk. */
static int
sniff(const char *s, size_t n)
{
	static const char cands[] = {',', '\t', ';', '|', '?'};
	int counts[64] = {0};
	size_t i, k;
	int best, bestscore, nrec, cnt, quoted, mode, modefreq, j, m, f;

	best = ',';
	bestscore = 0;
	for (k = 0; k < sizeof(cands); k++) {
		nrec = 0;
		cnt = 0;
		quoted = 0;
		for (i = 0; i < n && nrec < 64; i++) {
			if (s[i] == '"')
				quoted = !quoted;
			else if (!quoted && s[i] == cands[k])
				cnt++;
			else if (!quoted && (s[i] == '\n' || s[i] == '\r')) {
				if (i + 1 < n && s[i] == '\r' && s[i + 1] == '\n')
					i++;
				counts[nrec++] = cnt;
				cnt = 0;
			}
		}
		if (cnt > 0 && nrec < 64)
			counts[nrec++] = cnt;
		/* The most frequent non-zero count, and how many agree. */
		mode = 0;
		modefreq = 0;
		for (j = 0; j < nrec; j++) {
			if (counts[j] == 0)
				continue;
			f = 0;
			for (m = 0; m < nrec; m++)
				f += counts[m] == counts[j];
			if (f > modefreq || (f == modefreq &&
			    counts[j] > mode)) {
				mode = counts[j];
				modefreq = f;
			}
		}
		/* A rare sign such as ? must agree on every record. */
		if (cands[k] == '?' && modefreq < nrec)
			continue;
		if (mode > 0 && modefreq * 2 >= nrec && modefreq > bestscore) {
			best = cands[k];
			bestscore = modefreq;
		}
	}
	return best;
}

static int
refill(struct csv_rd *c)
{
	ssize_t n;

	c->cpos = 0;
	c->clen = 0;
	c->lf_ok = 0;
	n = textin_read(c->in, c->chunk, CHUNK);
	if (n < 0) {
		c->failed = 1;
		return -1;
	}
	if (n == 0) {
		c->eof = 1;
		return 0;
	}
	c->clen = (size_t)n;
	c->base.nbytes += n;
	return 1;
}

static int
parse_error(struct csv_rd *c)
{
	struct pos pos;

	memset(&pos, 0, sizeof(pos));
	pos.file = c->base.name;
	pos.line = c->in_rec ? c->rec_line : c->line;
	if (csv_error(&c->p) == CSV_ENOMEM)
		diag_error(SX_DATA, &pos, "field longer than %ld MiB",
		    FIELD_MAX >> 20);
	else
		diag_error(SX_DATA, &pos, "malformed CSV: %s",
		    csv_strerror(csv_error(&c->p)));
	c->failed = 1;
	return -1;
}

/*
 * The file ended inside a quoted field: its quote was never closed, and
 * every line after it would have been one cell.
 */
static int
unterminated(struct csv_rd *c)
{
	struct pos pos;

	memset(&pos, 0, sizeof(pos));
	pos.file = c->base.name;
	pos.line = c->rec_line;
	diag_error(SX_DATA, &pos, "a quote opened in this row is never "
	    "closed (the file ends inside it)");
	c->failed = 1;
	return -1;
}

/* Feed the parser up to the next line end; 0 at end of input. */
static int
feed(struct csv_rd *c)
{
	struct pos pos;
	const char *s, *nl;
	size_t len;
	int rc;

	if (c->cpos >= c->clen) {
		if ((rc = refill(c)) <= 0) {
			if (rc < 0)
				return -1;
			/*
			 * libcsv reports this only in its strict mode, which
			 * also refuses the stray quotes of hand-typed files:
			 * a quoted field still open is its state 2
			 * (FIELD_BEGUN in libcsv.c, stable since 3.0).
			 */
			if (c->p.quoted && c->p.pstate == 2)
				return unterminated(c);
			if (csv_fini(&c->p, on_field, on_record, c) != 0)
				return parse_error(c);
			return 0;
		}
	}
	s = c->chunk + c->cpos;
	len = c->clen - c->cpos;
	/* The LF of a CR LF that a chunk boundary split ends no new line. */
	if (c->cr_end && s[0] == '\n') {
		c->cr_end = 0;
		if (csv_parse(&c->p, s, 1, on_field, on_record, c) != 1)
			return parse_error(c);
		c->cpos++;
		return 1;
	}
	c->cr_end = 0;
	/*
	 * A line ends at LF, CR LF or a lone CR, mixed in one file as
	 * files pasted together are; the next LF is remembered, so that
	 * a file of CR lines is not searched for one again at every line.
	 */
	if (!c->lf_ok || c->lf < c->cpos) {
		nl = memchr(s, '\n', len);
		c->lf = nl != NULL ? (size_t)(nl - c->chunk) : c->clen;
		c->lf_ok = 1;
	}
	nl = memchr(s, '\r', c->lf - c->cpos);
	if (nl != NULL) {
		if (nl + 1 < c->chunk + c->clen && nl[1] == '\n')
			nl++;
		else if (nl + 1 == c->chunk + c->clen)
			c->cr_end = 1;
	} else if (c->lf < c->clen)
		nl = c->chunk + c->lf;
	if (nl != NULL)
		len = (size_t)(nl - s) + 1;
	/* A record starts at its first byte that is not a line end. */
	if (!c->in_rec && !(len == 1 && (s[0] == '\n' || s[0] == '\r')) &&
	    !(len == 2 && s[0] == '\r' && s[1] == '\n')) {
		/* Ctrl-Z at the very end is DOS end-of-file, not data. */
		if (!(len == 1 && s[0] == '\x1a' && nl == NULL)) {
			c->rec_line = c->line;
			c->in_rec = 1;
		}
	}
	if (len == 1 && s[0] == '\x1a' && nl == NULL) {
		c->cpos += len;
		return 1;
	}
	if (csv_parse(&c->p, s, len, on_field, on_record, c) != len)
		return parse_error(c);
	if (c->too_wide) {
		memset(&pos, 0, sizeof(pos));
		pos.file = c->base.name;
		pos.line = c->rec_line;
		diag_error(SX_DATA, &pos, "more than %d fields in a record "
		    "(hostile file?)", FIELDS_MAX);
		c->failed = 1;
		return -1;
	}
	c->cpos += len;
	if (nl != NULL)
		c->line++;
	return 1;
}

static int
csv_next(struct reader *r, struct row *out)
{
	struct csv_rd *c = (struct csv_rd *)r;
	struct row tmp;
	int rc;

	while (c->qhead == c->qtail) {
		c->qhead = c->qtail = 0;
		if (c->failed || c->eof)
			return c->failed ? -1 : 0;
		if ((rc = feed(c)) < 0)
			return -1;
		if (rc == 0 && c->qhead == c->qtail)
			return 0;
	}
	/* Hand the finished row over by swapping buffers. */
	tmp = *out;
	*out = c->q[c->qhead];
	c->q[c->qhead] = tmp;
	row_clear(&c->q[c->qhead]);
	c->qhead++;
	return 1;
}

static void
csv_close(struct reader *r)
{
	struct csv_rd *c = (struct csv_rd *)r;
	size_t i;

	csv_free(&c->p);
	for (i = 0; i < c->qcap; i++)
		row_free(&c->q[i]);
	free(c->q);
	free(c->chunk);
	textin_close(c->in);
	free(c);
}

/*
 * What a file is when its first bytes are the signature of a common
 * binary format (a compressed export, a scan mailed as .csv), or NULL.
 */
static const char *
binary_kind(const char *path)
{
	static const struct {
		const char	*magic;
		size_t		 len;
		const char	*what;
	} sigs[] = {
		{"\x1f\x8b", 2, "a gzip file"},
		{"BZh", 3, "a bzip2 file"},
		{"\xfd" "7zXZ", 6, "an xz file"},
		{"\x28\xb5\x2f\xfd", 4, "a zstd file"},
		{"7z\xbc\xaf\x27\x1c", 6, "a 7-Zip archive"},
		{"Rar!\x1a\x07", 6, "a RAR archive"},
		{"%PDF-", 5, "a PDF document"},
		{"\x89PNG\r\n\x1a\n", 8, "a PNG image"},
		{"\xff\xd8\xff", 3, "a JPEG image"},
		{"GIF8", 4, "a GIF image"},
		{"\x7f" "ELF", 4, "an executable"},
		{"SQLite format 3", 16, "an SQLite database"},
	};
	unsigned char head[16];
	size_t i, n;
	FILE *fp;

	if ((fp = fopen(path, "rb")) == NULL)
		return NULL;	/* textin_open() says why */
	n = fread(head, 1, sizeof(head), fp);
	fclose(fp);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (n >= sigs[i].len &&
		    memcmp(head, sigs[i].magic, sigs[i].len) == 0) {
			/* "BZh" must go on with a block size digit. */
			if (sigs[i].magic[0] == 'B' && (n < 4 ||
			    head[3] < '1' || head[3] > '9'))
				continue;
			return sigs[i].what;
		}
	return NULL;
}

struct reader *
csv_open(const char *path, const char *name, const struct reader_opts *o)
{
	struct csv_rd *c;
	struct pos pos;
	const char *what;
	int delim;

	if ((what = binary_kind(path)) != NULL) {
		memset(&pos, 0, sizeof(pos));
		pos.file = name;
		diag_error(SX_DATA, &pos, "%s, not a text table (unpack or "
		    "convert it first)", what);
		return NULL;
	}
	c = xcalloc(1, sizeof(*c));
	c->base.ops = &csv_ops;
	c->base.name = name;
	if ((c->in = textin_open(path, name, o->encoding)) == NULL) {
		free(c);
		return NULL;
	}
	snprintf(c->base.encoding, sizeof(c->base.encoding), "%s",
	    textin_encoding(c->in));
	c->chunk = xmalloc(CHUNK);
	c->line = 1;
	if (csv_init(&c->p, CSV_APPEND_NULL) != 0) {
		textin_close(c->in);
		free(c->chunk);
		free(c);
		diag_fatal(SX_SYS, "out of memory");
	}
	csv_set_space_func(&c->p, no_space);
	csv_set_realloc_func(&c->p, capped_realloc);
	/*
	 * libcsv grows a field's buffer by a fixed block, 128 bytes by
	 * default: a 64 MiB cell took half a million reallocs, quadratic
	 * where realloc() copies (as under AddressSanitizer).
	 */
	csv_set_blk_size(&c->p, FIELD_BLK);
	if (refill(c) < 0) {
		csv_close(&c->base);
		return NULL;
	}
	delim = o->delimiter ? o->delimiter : sniff(c->chunk, c->clen);
	csv_set_delim(&c->p, (unsigned char)delim);
	cur_row(c);
	return &c->base;
}

static const struct reader_ops csv_ops = {
	csv_next,
	csv_close,
};
