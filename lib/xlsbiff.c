/*
 * The records of a BIFF8 workbook stream that freexl reads without
 * telling: FORMAT, XF and BOUNDSHEET in the globals; NUMBER, RK, MULRK,
 * FORMULA with STRING, BOOLERR, LABELSST and MERGEDCELLS in a sheet.
 * libgsf finds the stream in the OLE container.  Every length is
 * checked against its record, and every record against the stream.
 */
#include <stdlib.h>
#include <string.h>

#include <gsf/gsf-infile-msole.h>
#include <gsf/gsf-infile.h>
#include <gsf/gsf-input-stdio.h>
#include <gsf/gsf-outfile-msole.h>
#include <gsf/gsf-outfile.h>
#include <gsf/gsf-output-stdio.h>
#include <gsf/gsf-utils.h>

#include "buf.h"
#include "numfmt.h"
#include "xalloc.h"
#include "xlsbiff.h"

#define STREAM_MAX	(128UL << 20)	/* a Workbook stream */
#define FMT_MAX		4096		/* FORMAT records */

enum {
	R_FORMULA = 0x0006,
	R_EOF = 0x000a,
	R_DATEMODE = 0x0022,
	R_BOUNDSHEET = 0x0085,
	R_MULRK = 0x00bd,
	R_XF = 0x00e0,
	R_MERGEDCELLS = 0x00e5,
	R_LABELSST = 0x00fd,
	R_NUMBER = 0x0203,
	R_LABEL = 0x0204,
	R_BOOLERR = 0x0205,
	R_STRING = 0x0207,
	R_RK = 0x027e,
	R_FORMAT = 0x041e,
	R_BOF = 0x0809
};

static unsigned
u16(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static uint32_t
u32(const unsigned char *p)
{
	return (uint32_t)u16(p) | (uint32_t)u16(p + 2) << 16;
}

static double
f64(const unsigned char *p)
{
	uint64_t bits;
	double d;
	int i;

	for (bits = 0, i = 7; i >= 0; i--)
		bits = bits << 8 | p[i];
	memcpy(&d, &bits, sizeof(d));
	return d;
}

/* An RK number: a 30-bit integer or the top of a double, maybe /100. */
static double
rk(uint32_t v)
{
	uint64_t bits;
	double d;

	if (v & 2)
		d = (double)((int32_t)v >> 2);
	else {
		bits = (uint64_t)(v & 0xfffffffcU) << 32;
		memcpy(&d, &bits, sizeof(d));
	}
	return v & 1 ? d / 100 : d;
}

static void
add_utf8(struct buf *b, unsigned long cp)
{
	char o[4];
	size_t n;

	if (cp < 0x80) {
		o[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		o[0] = (char)(0xc0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		o[0] = (char)(0xe0 | cp >> 12);
		o[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		o[0] = (char)(0xf0 | cp >> 18);
		o[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		o[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		o[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	buf_add(b, o, n);
}

/*
 * The cch characters at p (n bytes left) as UTF-8 into b: UTF-16LE
 * when wide, else one byte per character (Latin-1).  Returns the bytes
 * used, or 0 when they do not fit (the text is then cut).
 */
static size_t
chars(struct buf *b, const unsigned char *p, size_t n, unsigned cch,
    int wide)
{
	unsigned long cp, lo;
	size_t i, need;

	need = (size_t)cch * (wide ? 2 : 1);
	if (need > n) {
		cch = (unsigned)(n / (wide ? 2 : 1));
		need = 0;
	}
	for (i = 0; i < cch; i++) {
		if (!wide) {
			add_utf8(b, p[i]);
			continue;
		}
		cp = u16(p + 2 * i);
		if (cp >= 0xd800 && cp < 0xdc00 && i + 1 < cch &&
		    (lo = u16(p + 2 * i + 2)) >= 0xdc00 && lo < 0xe000) {
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			i++;
		} else if (cp >= 0xd800 && cp < 0xe000)
			cp = 0xfffd;	/* a lone surrogate */
		add_utf8(b, cp);
	}
	return need;
}

/* An XLUnicodeString (16-bit count) at p, n bytes, into b. */
static void
ustring(struct buf *b, const unsigned char *p, size_t n)
{
	size_t skip;
	unsigned cch, fl;

	if (n < 3)
		return;
	cch = u16(p);
	fl = p[2];
	skip = 3 + (fl & 0x08 ? 2 : 0) + (fl & 0x04 ? 4 : 0);
	if (skip > n)
		return;
	chars(b, p + skip, n - skip, cch, fl & 1);
}

/* Walk the records from off: the next one's type, payload and size. */
struct walk {
	const unsigned char *data;
	size_t		 size, off;
	unsigned	 type;
	const unsigned char *p;
	size_t		 len;
};

static int
next_record(struct walk *w)
{
	size_t len;

	if (w->off > w->size || w->size - w->off < 4)
		return 0;
	w->type = u16(w->data + w->off);
	len = u16(w->data + w->off + 2);
	if (w->size - w->off - 4 < len)
		return 0;	/* cut short: what came before stands */
	w->p = w->data + w->off + 4;
	w->len = len;
	w->off += 4 + len;
	return 1;
}

struct fmt {
	unsigned	 id, cls;
};

/* libgsf warns through glib about damaged files: lib code never prints. */
static void
quiet_log(const gchar *domain, GLogLevelFlags level, const gchar *msg,
    gpointer data)
{
	(void)domain;
	(void)level;
	(void)msg;
	(void)data;
}

static GLogWriterOutput
quiet_writer(GLogLevelFlags level, const GLogField *fields, gsize n,
    gpointer data)
{
	(void)level;
	(void)fields;
	(void)n;
	(void)data;
	return G_LOG_WRITER_HANDLED;
}

/*
 * The workbook stream: "Workbook" or "Book" in any case, a BIFF8 one
 * first.  Excel's "97 & 5.0/95" files hold both a BIFF5 "Book" and a
 * BIFF8 "WorkBook".  The caller unrefs the result.
 */
static GsfInput *
pick_stream(GsfInfile *ole)
{
	GsfInput *st, *other;
	const guint8 *head;
	const char *name;
	int i, n;

	other = NULL;
	n = gsf_infile_num_children(ole);
	for (i = 0; i < n; i++) {
		if ((name = gsf_infile_name_by_index(ole, i)) == NULL ||
		    (g_ascii_strcasecmp(name, "Workbook") != 0 &&
		    g_ascii_strcasecmp(name, "Book") != 0) ||
		    (st = gsf_infile_child_by_index(ole, i)) == NULL)
			continue;
		if (gsf_input_size(st) >= 6 && (head = gsf_input_read(st, 6,
		    NULL)) != NULL && u16(head) == R_BOF &&
		    u16(head + 4) == 0x0600) {
			gsf_input_seek(st, 0, G_SEEK_SET);
			if (other != NULL)
				g_object_unref(other);
			return st;
		}
		gsf_input_seek(st, 0, G_SEEK_SET);
		if (other == NULL)
			other = st;
		else
			g_object_unref(st);
	}
	return other;
}

static int
load_stream(struct biff_book *b, const char *path, char *err,
    size_t errlen)
{
	static int quiet;
	GsfInput *in, *st;
	GsfInfile *ole;
	GError *e;
	gsf_off_t size;
	int rc;

	if (!quiet) {
		g_log_set_default_handler(quiet_log, NULL);
		g_log_set_writer_func(quiet_writer, NULL, NULL);
		quiet = 1;
	}
	gsf_init();
	e = NULL;
	if ((in = gsf_input_stdio_new(path, &e)) == NULL) {
		snprintf(err, errlen, "%s", e != NULL ? e->message : "cannot "
		    "open");
		g_clear_error(&e);
		return -1;
	}
	if ((ole = gsf_infile_msole_new(in, &e)) == NULL) {
		snprintf(err, errlen, "%s", e != NULL ? e->message : "not an "
		    "OLE file");
		g_clear_error(&e);
		g_object_unref(in);
		return -1;
	}
	st = pick_stream(ole);
	rc = -1;
	if (st == NULL)
		snprintf(err, errlen, "no Workbook stream");
	else if ((size = gsf_input_size(st)) < 0 ||
	    (unsigned long long)size > STREAM_MAX)
		snprintf(err, errlen, "a Workbook stream of %lld bytes",
		    (long long)size);
	else {
		b->size = (size_t)size;
		b->data = xmalloc(b->size + 1);
		if (b->size > 0 && gsf_input_read(st, b->size, b->data) ==
		    NULL)
			snprintf(err, errlen, "cannot read the Workbook stream");
		else
			rc = 0;
	}
	if (st != NULL)
		g_object_unref(st);
	g_object_unref(ole);
	g_object_unref(in);
	return rc;
}

int
biff_open(struct biff_book *b, const char *path, char *err, size_t errlen)
{
	struct fmt *fmts;
	struct walk w;
	struct biff_sheet *s;
	struct buf t = {0};
	size_t nfmts, capfmts, i, j, skip;
	unsigned id, cch;

	if (load_stream(b, path, err, errlen) == -1)
		return -1;
	memset(&w, 0, sizeof(w));
	w.data = b->data;
	w.size = b->size;
	if (!next_record(&w) || w.type != R_BOF || w.len < 2 ||
	    u16(w.p) != 0x0600)
		return 1;	/* BIFF5 or older: freexl's view only */
	fmts = NULL;
	nfmts = capfmts = 0;
	while (next_record(&w) && w.type != R_EOF) {
		switch (w.type) {
		case R_FORMAT:
			if (w.len < 2 || nfmts >= FMT_MAX)
				break;
			buf_reset(&t);
			ustring(&t, w.p + 2, w.len - 2);
			fmts = xgrow(fmts, &capfmts, nfmts + 1, sizeof(*fmts));
			fmts[nfmts].id = u16(w.p);
			fmts[nfmts].cls = numfmt_class(buf_str(&t));
			nfmts++;
			break;
		case R_XF:
			if (w.len < 4 || b->nxf >= 65536)
				break;
			b->xfcls = xgrow(b->xfcls, &b->capxf, b->nxf + 1,
			    sizeof(*b->xfcls));
			b->xfcls[b->nxf++] = u16(w.p + 2);
			break;
		case R_BOUNDSHEET:
			if (w.len < 8 || b->nsheets >= 65536)
				break;
			b->sheets = xgrow(b->sheets, &b->capsheets,
			    b->nsheets + 1, sizeof(*b->sheets));
			s = &b->sheets[b->nsheets++];
			s->pos = u32(w.p);
			s->flags = (w.p[4] & 3) == 1 ? BIFF_HIDDEN :
			    (w.p[4] & 3) == 2 ? BIFF_VERYHIDDEN : 0;
			if (w.p[5] != 0)
				s->flags |= BIFF_NOCELLS;
			buf_reset(&t);
			cch = w.p[6];
			skip = 8;
			chars(&t, w.p + skip, w.len - skip, cch, w.p[7] & 1);
			s->name = xstrdup(buf_str(&t));
			break;
		default:
			break;
		}
	}
	/* Each XF's format id becomes its class; a FORMAT given wins. */
	for (i = 0; i < b->nxf; i++) {
		id = b->xfcls[i];
		b->xfcls[i] = numfmt_builtin(id);
		for (j = nfmts; j-- > 0;)
			if (fmts[j].id == id) {
				b->xfcls[i] = fmts[j].cls;
				break;
			}
	}
	free(fmts);
	buf_free(&t);
	return 0;
}

static void
add_cell(struct biff_book *b, unsigned row, unsigned col, unsigned xf,
    int kind, double num)
{
	struct biff_cell *c;

	b->cells = xgrow(b->cells, &b->capcells, b->ncells + 1,
	    sizeof(*b->cells));
	c = &b->cells[b->ncells++];
	memset(c, 0, sizeof(*c));
	c->row = row;
	c->col = (uint16_t)col;
	c->xf = xf;
	c->kind = (uint8_t)kind;
	c->num = num;
	c->seq = (uint32_t)b->ncells;
	if (row + 1 > b->maxrow)
		b->maxrow = row + 1;
	if (col + 1 > b->maxcol)
		b->maxcol = col + 1;
}

static int
cell_cmp(const void *a, const void *b)
{
	const struct biff_cell *x = a, *y = b;

	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	/* The later record wins: keep the order of the stream. */
	return (x->seq > y->seq) - (x->seq < y->seq);
}

int
biff_load_sheet(struct biff_book *b, size_t i)
{
	struct walk w;
	struct biff_cell *c;
	struct biff_merge *m;
	size_t k, n, o;
	unsigned row, col, depth;
	long pending;

	b->ncells = b->nmg = 0;
	b->maxrow = b->maxcol = 0;
	buf_reset(&b->text);
	if (i >= b->nsheets || (b->sheets[i].flags & BIFF_NOCELLS))
		return -1;
	memset(&w, 0, sizeof(w));
	w.data = b->data;
	w.size = b->size;
	w.off = b->sheets[i].pos;
	if (!next_record(&w) || w.type != R_BOF)
		return -1;
	depth = 1;
	pending = -1;	/* a FORMULA waiting for its STRING */
	while (depth > 0 && next_record(&w)) {
		if (w.type == R_BOF) {
			depth++;	/* an embedded chart */
			continue;
		}
		if (w.type == R_EOF) {
			depth--;
			continue;
		}
		if (depth > 1)
			continue;
		if (w.len >= 6 && w.type != R_MERGEDCELLS) {
			row = u16(w.p);
			col = u16(w.p + 2);
		} else
			row = col = 0;
		switch (w.type) {
		case R_NUMBER:
			if (w.len >= 14)
				add_cell(b, row, col, u16(w.p + 4), BC_NUM,
				    f64(w.p + 6));
			break;
		case R_RK:
			if (w.len >= 10)
				add_cell(b, row, col, u16(w.p + 4), BC_NUM,
				    rk(u32(w.p + 6)));
			break;
		case R_MULRK:
			if (w.len < 6)
				break;
			n = (w.len - 6) / 6;
			for (k = 0; k < n && col + k < 256; k++)
				add_cell(b, row, (unsigned)(col + k),
				    u16(w.p + 4 + 6 * k), BC_NUM,
				    rk(u32(w.p + 6 + 6 * k)));
			break;
		case R_BOOLERR:
			if (w.len >= 8)
				add_cell(b, row, col, u16(w.p + 4), w.p[7] ?
				    BC_ERR : BC_BOOL, w.p[6]);
			break;
		case R_LABELSST:
		case R_LABEL:
			if (w.len >= 6)
				add_cell(b, row, col, u16(w.p + 4), BC_LABEL,
				    0);
			break;
		case R_FORMULA:
			if (w.len < 20)
				break;
			if (u16(w.p + 12) != 0xffff) {
				add_cell(b, row, col, u16(w.p + 4), BC_NUM,
				    f64(w.p + 6));
			} else if (w.p[6] == 1 || w.p[6] == 2) {
				add_cell(b, row, col, u16(w.p + 4), w.p[6] ==
				    1 ? BC_BOOL : BC_ERR, w.p[8]);
			} else {
				/* 0: a STRING follows; 3: the empty string. */
				add_cell(b, row, col, u16(w.p + 4), BC_STR, 0);
				if (w.p[6] == 0)
					pending = (long)b->ncells - 1;
			}
			b->cells[b->ncells - 1].formula = 1;
			break;
		case R_STRING:
			if (pending < 0)
				break;
			c = &b->cells[pending];
			o = b->text.len;
			ustring(&b->text, w.p, w.len);
			c->str = (uint32_t)o;
			c->len = (uint32_t)(b->text.len - o);
			pending = -1;
			break;
		case R_MERGEDCELLS:
			if (w.len < 2)
				break;
			n = u16(w.p);
			for (k = 0; k < n && 2 + 8 * k + 8 <= w.len; k++) {
				const unsigned char *q = w.p + 2 + 8 * k;

				if (u16(q) > u16(q + 2) || u16(q + 4) >
				    u16(q + 6))
					continue;
				b->mg = xgrow(b->mg, &b->capmg, b->nmg + 1,
				    sizeof(*b->mg));
				m = &b->mg[b->nmg++];
				m->r1 = u16(q);
				m->r2 = u16(q + 2);
				m->c1 = (uint16_t)u16(q + 4);
				m->c2 = (uint16_t)u16(q + 6);
			}
			break;
		default:
			break;
		}
	}
	if (b->ncells > 1)
		qsort(b->cells, b->ncells, sizeof(*b->cells), cell_cmp);
	/* Of two records for one cell, the later one stands. */
	for (k = o = 0; k < b->ncells; k++) {
		if (o > 0 && b->cells[o - 1].row == b->cells[k].row &&
		    b->cells[o - 1].col == b->cells[k].col)
			o--;
		b->cells[o++] = b->cells[k];
	}
	b->ncells = o;
	return 0;
}

const struct biff_cell *
biff_cell(const struct biff_book *b, uint32_t row, uint32_t col)
{
	size_t lo, hi, mid;
	const struct biff_cell *c;

	lo = 0;
	hi = b->ncells;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = &b->cells[mid];
		if (c->row < row || (c->row == row && c->col < col))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < b->ncells && b->cells[lo].row == row &&
	    b->cells[lo].col == col)
		return &b->cells[lo];
	return NULL;
}

unsigned
biff_class(const struct biff_book *b, const struct biff_cell *c)
{
	return c->xf < b->nxf ? b->xfcls[c->xf] : NF_NUMBER;
}

int
biff_write_ole(const struct biff_book *b, const char *path)
{
	GsfOutput *out, *wb;
	GsfOutfile *ole;
	struct walk w;
	unsigned char *copy;
	int rc;

	/*
	 * Every XF of the copy gets format 0 (General): the cells' formats
	 * are decided here, and freexl, which counts days one at a time
	 * to make its date texts, need not.
	 */
	copy = xmalloc(b->size + 1);
	memcpy(copy, b->data, b->size);
	memset(&w, 0, sizeof(w));
	w.data = copy;
	w.size = b->size;
	while (next_record(&w) && w.type != R_EOF)
		if (w.type == R_XF && w.len >= 4) {
			copy[w.p - copy + 2] = 0;
			copy[w.p - copy + 3] = 0;
		}
	if ((out = gsf_output_stdio_new(path, NULL)) == NULL) {
		free(copy);
		return -1;
	}
	rc = -1;
	if ((ole = gsf_outfile_msole_new(out)) != NULL) {
		if ((wb = gsf_outfile_new_child(ole, "Workbook", FALSE)) !=
		    NULL) {
			if (gsf_output_write(wb, b->size, copy) &&
			    gsf_output_close(wb))
				rc = 0;
			g_object_unref(wb);
		}
		if (!gsf_output_close(GSF_OUTPUT(ole)))
			rc = -1;
		g_object_unref(ole);
	}
	g_object_unref(out);
	free(copy);
	return rc;
}

void
biff_close(struct biff_book *b)
{
	size_t i;

	if (b == NULL)
		return;
	for (i = 0; i < b->nsheets; i++)
		free(b->sheets[i].name);
	free(b->sheets);
	free(b->xfcls);
	free(b->cells);
	free(b->mg);
	buf_free(&b->text);
	free(b->data);
	memset(b, 0, sizeof(*b));
}
