/*
 * PDF writer: cairo and pango straight onto A4 pages.  Text flows line
 * by line across pages; tables fit the width (measured, then a smaller
 * font, then wrapped cells) and repeat their header on every page;
 * charts are the vectors of chartdraw.c; every page is numbered.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>

#include "buf.h"
#include "chartdraw.h"
#include "diag.h"
#include "doc.h"
#include "docw.h"
#include "xalloc.h"

#define PAGE_W		595.276		/* A4 in points */
#define PAGE_H		841.890
#define MARGIN		50.0
#define TOP		MARGIN
#define BOTTOM		(PAGE_H - MARGIN - 14)	/* room for the number */
#define CONTENT_W	(PAGE_W - 2 * MARGIN)

#define FS_TITLE	16.0
#define FS_HEADING	12.5
#define FS_PARA		9.5
#define FS_TABLE	8.5
#define FS_TABLE_MIN	6.5	/* smallest table font before wrapping */
#define PAD_X		4.0
#define PAD_Y		2.0

struct pdf {
	cairo_t		*cr;
	PangoLayout	*l;
	PangoLayout	*num;	/* page numbers: l may be in use by then */
	double		 y;	/* top of the free space on this page */
	int		 page;
};

/* Text made safe for pango; emptied at the end of docw_pdf(). */
static struct buf clean;

/*
 * Cairo's output stream.  A failed write is remembered, not returned:
 * cairo 1.16 aborts on an assertion when a stream error reaches it
 * while fonts are being subset (a full disk under a long report), so
 * the rest of the document is dropped here and docw_pdf() reports.
 */
struct sink {
	FILE	*fp;
	int	 failed;
};

static cairo_status_t
to_file(void *closure, const unsigned char *data, unsigned int len)
{
	struct sink *k = closure;

	if (!k->failed && fwrite(data, 1, len, k->fp) != len) {
		k->failed = 1;
		if (k->fp == stdout)
			diag_write_error(errno);
	}
	return CAIRO_STATUS_SUCCESS;
}

static void
footer(struct pdf *p)
{
	char num[32];
	int w, h;

	snprintf(num, sizeof(num), "%d", p->page);
	draw_font(p->num, 8, 0);
	pango_layout_set_text(p->num, num, -1);
	pango_layout_get_size(p->num, &w, &h);
	cairo_set_source_rgb(p->cr, 0.4, 0.4, 0.4);
	cairo_move_to(p->cr, (PAGE_W - (double)w / PANGO_SCALE) / 2,
	    PAGE_H - MARGIN);
	pango_cairo_show_layout(p->cr, p->num);
}

static void
newpage(struct pdf *p)
{
	footer(p);
	cairo_show_page(p->cr);
	p->page++;
	p->y = TOP;
}

/* Start a new page unless h points fit below (or the page is empty). */
static void
need(struct pdf *p, double h)
{
	if (p->y + h > BOTTOM && p->y > TOP)
		newpage(p);
}

/* Wrapped text, line by line, breaking pages between lines. */
static void
text(struct pdf *p, const char *s, double size, int bold, double after)
{
	PangoLayoutIter *it;
	PangoRectangle lr;
	double base, lh;

	draw_font(p->l, size, bold);
	pango_layout_set_width(p->l, (int)(CONTENT_W * PANGO_SCALE));
	pango_layout_set_wrap(p->l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_ellipsize(p->l, PANGO_ELLIPSIZE_NONE);
	pango_layout_set_alignment(p->l, PANGO_ALIGN_LEFT);
	pango_layout_set_text(p->l, draw_text(&clean, s), -1);
	cairo_set_source_rgb(p->cr, 0.1, 0.1, 0.1);
	it = pango_layout_get_iter(p->l);
	base = p->y;	/* page y of the layout's top */
	do {
		pango_layout_iter_get_line_extents(it, NULL, &lr);
		lh = (double)lr.height / PANGO_SCALE;
		if (base + (double)lr.y / PANGO_SCALE + lh > BOTTOM &&
		    base + (double)lr.y / PANGO_SCALE > TOP) {
			newpage(p);
			cairo_set_source_rgb(p->cr, 0.1, 0.1, 0.1);
			base = TOP - (double)lr.y / PANGO_SCALE;
		}
		cairo_move_to(p->cr, MARGIN + (double)lr.x / PANGO_SCALE,
		    base + (double)pango_layout_iter_get_baseline(it) /
		    PANGO_SCALE);
		pango_cairo_show_layout_line(p->cr,
		    pango_layout_iter_get_line_readonly(it));
		p->y = base + ((double)lr.y + lr.height) / PANGO_SCALE;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	p->y += after;
}

/* The size of s laid out at width w (-1: one line per paragraph). */
static void
measure(PangoLayout *l, const char *s, double w, double *tw, double *th)
{
	int iw, ih;

	pango_layout_set_width(l, w > 0 ? (int)(w * PANGO_SCALE) : -1);
	pango_layout_set_text(l, draw_text(&clean, s), -1);
	pango_layout_get_size(l, &iw, &ih);
	*tw = (double)iw / PANGO_SCALE;
	*th = (double)ih / PANGO_SCALE;
}

/* The fitted layout of one table. */
struct tfit {
	double	 fs;		/* font size */
	double	*w;		/* column widths, padding included */
	double	*h;		/* row heights, [0] the header, [1 + r] rows */
	double	 tw;		/* the width of the table */
	int	 wrap;		/* cells wrap (else one line each) */
};

/*
 * The cell's text, cut to sz bytes at a character boundary with an
 * ellipsis: a wrapped cell of a whole page of text would make a row
 * taller than the page.
 */
static const char *
cellstr(const struct table *t, size_t r, size_t c, char *tmp, size_t sz)
{
	const char *s;
	size_t n;

	s = table_cell_str(tmp, sz, &t->cells[r * t->ncols + c], 1);
	if ((n = strlen(s)) < sz)
		return s;
	n = sz - 4;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	memmove(tmp, s, n);
	memcpy(tmp + n, "\xe2\x80\xa6", 4);	/* U+2026 and the NUL */
	return tmp;
}

static int
is_total(const struct table *t, size_t r)
{
	return t->total_from >= 0 && (int)r >= t->total_from;
}

/*
 * Column widths that fit the page: natural widths when they fit, else
 * the same at a smaller font, else the smallest font with the widest
 * columns narrowed and their cells wrapped.
 */
static void
fit(PangoLayout *l, const struct table *t, struct tfit *f)
{
	char tmp[512];
	double *nat, tw, th, sum, scale, fair, rest, wide;
	size_t r, c, nfixed;
	int changed, *fixed;

	nat = xcalloc(t->ncols + 1, sizeof(*nat));
	fixed = xcalloc(t->ncols + 1, sizeof(*fixed));
	f->w = xcalloc(t->ncols + 1, sizeof(*f->w));
	f->h = xcalloc(t->nrows + 1, sizeof(*f->h));
	f->fs = FS_TABLE;
	f->wrap = 0;
	pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_NONE);
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	draw_font(l, FS_TABLE, 1);
	for (c = 0; c < t->ncols; c++) {
		measure(l, t->cols[c].label, -1, &tw, &th);
		nat[c] = tw;
		if (th > f->h[0])
			f->h[0] = th;
	}
	/* Totals rows are bold, and bold is wider. */
	for (r = 0; r < t->nrows; r++) {
		if (r == 0 || (int)r == t->total_from)
			draw_font(l, FS_TABLE, is_total(t, r));
		for (c = 0; c < t->ncols; c++) {
			measure(l, cellstr(t, r, c, tmp, sizeof(tmp)), -1, &tw,
			    &th);
			if (tw > nat[c])
				nat[c] = tw;
			if (th > f->h[r + 1])
				f->h[r + 1] = th;
		}
	}
	/*
	 * Each column gets its padding and a point to spare: pango rounds
	 * to 1/1024 pt, and a width short by that would cut the text.
	 */
	for (sum = 0, c = 0; c < t->ncols; c++)
		sum += nat[c];
	if (sum + (2 * PAD_X + 1) * (double)t->ncols > CONTENT_W) {
		/* Widths scale with the font size (glyphs are not rounded). */
		scale = (CONTENT_W - (2 * PAD_X + 1) * (double)t->ncols) / sum;
		if (FS_TABLE * scale < FS_TABLE_MIN) {
			scale = FS_TABLE_MIN / FS_TABLE;
			f->wrap = 1;
		}
		f->fs = FS_TABLE * scale;
		for (c = 0; c < t->ncols; c++)
			nat[c] *= scale;
		for (r = 0; r <= t->nrows; r++)
			f->h[r] *= scale;
	}
	for (c = 0; c < t->ncols; c++)
		f->w[c] = nat[c] += 2 * PAD_X + 1;
	if (f->wrap) {
		/*
		 * Columns narrower than a fair share keep their width; the
		 * others share what is left in proportion to their width.
		 */
		do {
			changed = 0;
			rest = CONTENT_W;
			wide = 0;
			nfixed = 0;
			for (c = 0; c < t->ncols; c++)
				if (fixed[c]) {
					rest -= nat[c];
					nfixed++;
				} else
					wide += nat[c];
			if (nfixed == t->ncols)
				break;
			fair = rest / (double)(t->ncols - nfixed);
			for (c = 0; c < t->ncols; c++)
				if (!fixed[c] && nat[c] <= fair) {
					fixed[c] = 1;
					changed = 1;
				}
		} while (changed);
		for (c = 0; c < t->ncols; c++)
			f->w[c] = fixed[c] ? nat[c] : nat[c] * rest / wide;
		/* Heights of the narrowed columns, wrapped. */
		draw_font(l, f->fs, 1);
		for (c = 0; c < t->ncols; c++)
			if (!fixed[c]) {
				measure(l, t->cols[c].label, f->w[c] -
				    2 * PAD_X, &tw, &th);
				if (th > f->h[0])
					f->h[0] = th;
			}
		for (r = 0; r < t->nrows; r++) {
			if (r == 0 || (int)r == t->total_from)
				draw_font(l, f->fs, is_total(t, r));
			for (c = 0; c < t->ncols; c++) {
				if (fixed[c])
					continue;
				measure(l, cellstr(t, r, c, tmp, sizeof(tmp)),
				    f->w[c] - 2 * PAD_X, &tw, &th);
				if (th > f->h[r + 1])
					f->h[r + 1] = th;
			}
		}
	}
	for (r = 0; r <= t->nrows; r++)
		f->h[r] += 2 * PAD_Y;
	for (f->tw = 0, c = 0; c < t->ncols; c++)
		f->tw += f->w[c];
	free(nat);
	free(fixed);
}

/* One row of cells at p->y, each cut or wrapped to its column. */
static void
row(struct pdf *p, const struct table *t, const struct tfit *f,
    const char *const *cells, double h, int bold, double shade)
{
	double x;
	size_t c;

	if (shade < 1) {
		cairo_set_source_rgb(p->cr, shade, shade, shade + 0.03);
		cairo_rectangle(p->cr, MARGIN, p->y, f->tw, h);
		cairo_fill(p->cr);
	}
	draw_font(p->l, f->fs, bold);
	pango_layout_set_wrap(p->l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_ellipsize(p->l,
	    f->wrap ? PANGO_ELLIPSIZE_NONE : PANGO_ELLIPSIZE_END);
	cairo_set_source_rgb(p->cr, 0.1, 0.1, 0.1);
	for (x = MARGIN, c = 0; c < t->ncols; x += f->w[c], c++) {
		pango_layout_set_alignment(p->l,
		    t->cols[c].right ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
		pango_layout_set_width(p->l,
		    (int)((f->w[c] - 2 * PAD_X) * PANGO_SCALE));
		pango_layout_set_text(p->l, draw_text(&clean, cells[c]), -1);
		cairo_move_to(p->cr, x + PAD_X, p->y + PAD_Y);
		pango_cairo_show_layout(p->cr, p->l);
	}
	p->y += h;
}

static void
rule(struct pdf *p, double len, double width, double grey)
{
	cairo_set_source_rgb(p->cr, grey, grey, grey);
	cairo_set_line_width(p->cr, width);
	cairo_new_path(p->cr);
	cairo_move_to(p->cr, MARGIN, p->y);
	cairo_line_to(p->cr, MARGIN + len, p->y);
	cairo_stroke(p->cr);
}

static void
header(struct pdf *p, const struct table *t, const struct tfit *f,
    const char **cells)
{
	size_t c;

	for (c = 0; c < t->ncols; c++)
		cells[c] = t->cols[c].label;
	row(p, t, f, cells, f->h[0], 1, 0.91);
	rule(p, f->tw, 0.8, 0.35);
}

static void
table_part(struct pdf *p, const struct table *t)
{
	struct tfit f;
	const char **cells;
	char (*tmp)[512];
	size_t r, c;
	int total;

	if (t->ncols == 0)
		return;
	fit(p->l, t, &f);
	cells = xcalloc(t->ncols, sizeof(*cells));
	tmp = xcalloc(t->ncols, sizeof(*tmp));
	/* The title, the header and a first row stay together. */
	need(p, 20 + f.h[0] + (t->nrows > 0 ? f.h[1] : 0));
	if (*t->title)
		text(p, t->title, FS_PARA, 1, 3);
	header(p, t, &f, cells);
	for (r = 0; r < t->nrows; r++) {
		if (p->y + f.h[r + 1] > BOTTOM) {
			newpage(p);
			header(p, t, &f, cells);
		}
		total = is_total(t, r);
		if (total && (int)r == t->total_from)
			rule(p, f.tw, 0.8, 0.35);
		for (c = 0; c < t->ncols; c++)
			cells[c] = cellstr(t, r, c, tmp[c], sizeof(tmp[c]));
		row(p, t, &f, cells, f.h[r + 1], total, total ? 0.95 : 1);
		if (!total)
			rule(p, f.tw, 0.3, 0.82);
	}
	p->y += 12;
	free(tmp);
	free(cells);
	free(f.w);
	free(f.h);
}

/* The widest cell of column c, header included, at FS_TABLE. */
static double
natural(PangoLayout *l, const struct table *t, size_t c)
{
	char tmp[512];
	double tw, th, w;
	size_t r;

	pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_NONE);
	draw_font(l, FS_TABLE, 1);
	measure(l, t->cols[c].label, -1, &w, &th);
	for (r = 0; r < t->nrows; r++) {
		if (r == 0 || (int)r == t->total_from)
			draw_font(l, FS_TABLE, is_total(t, r));
		measure(l, cellstr(t, r, c, tmp, sizeof(tmp)), -1, &tw, &th);
		if (tw > w)
			w = tw;
	}
	return w;
}

/* Whether column c is the change of the column before it ("K_change"). */
static int
is_change(const struct table *t, size_t c)
{
	size_t n;

	if (c == 0)
		return 0;
	n = strlen(t->cols[c - 1].key);
	return strncmp(t->cols[c].key, t->cols[c - 1].key, n) == 0 &&
	    strcmp(t->cols[c].key + n, "_change") == 0;
}

/*
 * A table, in parts when it is too wide for the page at the smallest
 * font: fit() would wrap its numbers.  Each part repeats the leading
 * text columns (what names the rows) and takes the next columns that
 * fit, about as many points each, a change column ("K_change") always
 * beside its column; the title says which part it is.
 */
static void
table_pdf(struct pdf *p, const struct table *t)
{
	struct table v;
	char title[512];
	double *w, keyw, sum, rest, target, cur;
	size_t key, c, r, k, from, to, nparts, part, left;

	for (key = 0; key < t->ncols && !t->cols[key].right; key++)
		continue;
	if (key == 0 || key == t->ncols) {
		table_part(p, t);
		return;
	}
	w = xcalloc(t->ncols, sizeof(*w));
	for (sum = 0, c = 0; c < t->ncols; c++) {
		w[c] = natural(p->l, t, c) * FS_TABLE_MIN / FS_TABLE +
		    2 * PAD_X + 1;
		sum += w[c];
	}
	for (keyw = 0, c = 0; c < key; c++)
		keyw += w[c];
	rest = CONTENT_W - keyw;
	if (sum <= CONTENT_W || rest <= 0) {
		free(w);
		table_part(p, t);
		return;
	}
	/* How many parts at the fullest, then share the columns evenly. */
	for (nparts = 1, cur = 0, c = key; c < t->ncols; c++) {
		if (cur > 0 && cur + w[c] > rest && !is_change(t, c)) {
			nparts++;
			cur = 0;
		}
		cur += w[c];
	}
	memset(&v, 0, sizeof(v));
	v.title = title;
	v.total_from = t->total_from;
	v.nrows = t->nrows;
	v.cols = xcalloc(t->ncols, sizeof(*v.cols));
	v.cells = xcalloc(t->nrows * t->ncols + 1, sizeof(*v.cells));
	for (part = 1, from = key; from < t->ncols; part++, from = to) {
		for (left = 0, c = from; c < t->ncols; c++)
			left += (size_t)w[c];
		target = (double)left / (double)(nparts - part + 1);
		for (cur = 0, to = from; to < t->ncols; to++) {
			if (cur > 0 && !is_change(t, to) &&
			    (cur + w[to] > rest || (part < nparts &&
			    cur + w[to] / 2 > target)))
				break;
			cur += w[to];
		}
		if (part > nparts)
			nparts = part;
		v.ncols = key + (to - from);
		for (c = 0; c < v.ncols; c++)
			v.cols[c] = t->cols[c < key ? c : from + c - key];
		for (r = 0; r < t->nrows; r++)
			for (c = 0; c < v.ncols; c++) {
				k = c < key ? c : from + c - key;
				v.cells[r * v.ncols + c] =
				    t->cells[r * t->ncols + k];
			}
		snprintf(title, sizeof(title), "%s (%zu/%zu)", t->title, part,
		    nparts);
		table_part(p, &v);
	}
	free(v.cols);
	free(v.cells);
	free(w);
}

/*
 * A chart taller than a page (a heatmap of 40 regions) is drawn wider
 * and scaled down to the page's height, which brings it back to the
 * content width: the page would cut its last rows off.
 */
static void
chart_pdf(struct pdf *p, const struct chart *ch)
{
	PangoLayout *l;
	double h, w, s;

	w = CONTENT_W;
	s = 1;
	h = chart_height(ch, w);
	if (h > BOTTOM - TOP) {
		s = (BOTTOM - TOP) / h;
		w = CONTENT_W / s;
		h = chart_height(ch, w);
		if (h * s > BOTTOM - TOP)
			s = (BOTTOM - TOP) / h;
	}
	need(p, h * s + 6);
	cairo_save(p->cr);
	cairo_translate(p->cr, MARGIN, p->y);
	cairo_scale(p->cr, s, s);
	l = draw_layout(p->cr);
	chart_draw(p->cr, l, ch, w);
	g_object_unref(l);
	cairo_restore(p->cr);
	p->y += h * s + 14;
}

/*
 * Warn when the CJK font is missing (pango would fall back silently);
 * fail, before a byte is written, when there is no font at all.
 */
static int
check_font(void)
{
	PangoFontFamily **fams;
	int i, n, found = 0;

	pango_font_map_list_families(pango_cairo_font_map_get_default(),
	    &fams, &n);
	for (i = 0; i < n && !found; i++)
		found = strcmp(pango_font_family_get_name(fams[i]),
		    DRAW_FONT) == 0;
	g_free(fams);
	/* Without a single font pango measures text with undefined metrics
	 * (it still lists its generic families). */
	if (FcConfigGetFonts(FcConfigGetCurrent(), FcSetSystem) == NULL ||
	    FcConfigGetFonts(FcConfigGetCurrent(), FcSetSystem)->nfont == 0) {
		diag_error(SX_SYS, NULL, "PDF: no font is installed at all "
		    "(install fonts-noto-cjk)");
		return -1;
	}
	if (!found)
		diag_warn(NULL, "font '%s' not found: Chinese text may not "
		    "render (install fonts-noto-cjk)", DRAW_FONT);
	return 0;
}

int
docw_pdf(FILE *fp, const struct doc *d)
{
	cairo_surface_t *sf;
	cairo_status_t st;
	const struct block *b;
	struct sink k;
	struct pdf p;
	size_t i;

	if (check_font() < 0)
		return -1;
	k.fp = fp;
	k.failed = 0;
	sf = cairo_pdf_surface_create_for_stream(to_file, &k, PAGE_W, PAGE_H);
	cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_TITLE,
	    d->title);
	cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_CREATOR,
	    "salestrail " SALES_VERSION);
	memset(&p, 0, sizeof(p));
	p.cr = cairo_create(sf);
	p.l = draw_layout(p.cr);
	p.num = draw_layout(p.cr);
	p.page = 1;
	p.y = TOP;
	if (*d->title) {
		text(&p, d->title, FS_TITLE, 1, 4);
		rule(&p, CONTENT_W, 1.2, 0.2);
		p.y += 10;
	}
	for (i = 0; i < d->nblocks; i++) {
		b = &d->blocks[i];
		if (!(b->flags & DOC_HUMAN))
			continue;
		switch (b->kind) {
		case BLK_HEADING:
			/* Keep a heading with what follows it. */
			need(&p, 80);
			p.y += p.y > TOP ? 8 : 0;
			text(&p, b->text, FS_HEADING, 1, 6);
			break;
		case BLK_PARA:
			text(&p, b->text, FS_PARA, 0, 8);
			break;
		case BLK_TABLE:
			table_pdf(&p, b->table);
			break;
		case BLK_CHART:
			chart_pdf(&p, b->chart);
			break;
		}
	}
	footer(&p);
	cairo_show_page(p.cr);
	g_object_unref(p.l);
	g_object_unref(p.num);
	cairo_destroy(p.cr);
	cairo_surface_finish(sf);
	st = cairo_surface_status(sf);
	cairo_surface_destroy(sf);
	buf_free(&clean);
	if (st != CAIRO_STATUS_SUCCESS) {
		diag_error(SX_SYS, NULL, "PDF: %s", cairo_status_to_string(st));
		return -1;
	}
	/* A write error stays on fp: diag_finish() names its cause. */
	return k.failed ? -1 : 0;
}
