/*
 * Charts drawn with cairo and pango: bar, funnel, line and heatmap, in
 * points, onto any surface (SVG for HTML, the PDF page for PDF).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-svg.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include "buf.h"
#include "chartdraw.h"
#include "diag.h"
#include "text.h"
#include "xalloc.h"

#define TITLE_H		20.0
#define LEGEND_H	16.0
#define ROW_H		24.0
#define CELL_H		22.0

static const double palette[][3] = {
	{0.200, 0.420, 0.690},	/* blue */
	{0.890, 0.470, 0.160},	/* orange */
	{0.250, 0.600, 0.330},	/* green */
	{0.780, 0.240, 0.240},	/* red */
	{0.520, 0.400, 0.700},	/* violet */
	{0.550, 0.550, 0.550},	/* grey */
};
#define NPALETTE	(sizeof(palette) / sizeof(palette[0]))

enum { LEFT, CENTRE, RIGHT };

/* Labels made safe for pango; emptied at the end of chart_draw(). */
static struct buf clean;

const char *
draw_text(struct buf *b, const char *s)
{
	size_t n, ok, i;
	unsigned char c;

	buf_reset(b);
	n = strlen(s);
	while (n > 0) {
		ok = utf8_valid_prefix(s, n);
		for (i = 0; i < ok; i++) {
			c = (unsigned char)s[i];
			if ((c < 0x20 && c != '\n') || c == 0x7f)
				continue;
			/* C1 controls, U+0080 to U+009F */
			if (c == 0xc2 && i + 1 < ok &&
			    (unsigned char)s[i + 1] <= 0x9f) {
				i++;
				continue;
			}
			buf_addc(b, c);
		}
		s += ok;
		n -= ok;
		if (n > 0) {
			buf_adds(b, "\xef\xbf\xbd");
			s++;
			n--;
		}
	}
	return buf_str(b);
}

PangoLayout *
draw_layout(cairo_t *cr)
{
	PangoLayout *l;

	l = pango_cairo_create_layout(cr);
	pango_context_set_round_glyph_positions(pango_layout_get_context(l),
	    FALSE);
	pango_layout_context_changed(l);
	return l;
}

/*
 * Leaks a sanitizer build reports that are not ours and that no call
 * frees: cairo 1.16 keeps buffers of each finished PDF surface, and
 * fontconfig part of the configuration a pango thread loads.  The
 * stacks LeakSanitizer records at malloc are two frames deep, so only
 * the library can be named.  LeakSanitizer asks the program for this
 * list (its interface); other builds never call it.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_options(void);

const char *
__lsan_default_suppressions(void)
{
	return "leak:libcairo.so\nleak:libfontconfig.so\n";
}

/* Quietly: a clean run writes nothing to stderr. */
const char *
__lsan_default_options(void)
{
	return "print_suppressions=0";
}

/*
 * Not cairo_debug_reset_static_data(): it asserts that no scaled font
 * is alive, and the font map let go here may still be held for a while
 * by the thread pango starts to load fontconfig, so one run in some
 * dozens aborted.  Cairo's caches are reachable from its globals, so no
 * leak checker counts them.
 */
void
draw_release(void)
{
	pango_cairo_font_map_set_default(NULL);
}

static void
colour(cairo_t *cr, size_t i)
{
	const double *p = palette[i % NPALETTE];

	cairo_set_source_rgb(cr, p[0], p[1], p[2]);
}

void
draw_font(PangoLayout *l, double size, int bold)
{
	PangoFontDescription *fd;

	fd = pango_font_description_new();
	pango_font_description_set_family(fd, DRAW_FONT);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_font_description_set_weight(fd,
	    bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
}

/* Set the text of l, cut with an ellipsis past maxw points (0: no cut). */
static void
settext(PangoLayout *l, const char *s, double maxw, double *tw, double *th)
{
	int w, h;

	pango_layout_set_width(l, maxw > 0 ? (int)(maxw * PANGO_SCALE) : -1);
	pango_layout_set_ellipsize(l,
	    maxw > 0 ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);
	pango_layout_set_text(l, draw_text(&clean, s), -1);
	pango_layout_get_size(l, &w, &h);
	*tw = (double)w / PANGO_SCALE;
	*th = (double)h / PANGO_SCALE;
}

/* Text anchored at x (left, centre or right edge), vertically centred. */
static void
put(cairo_t *cr, PangoLayout *l, const char *s, double x, double ymid,
    int align, double maxw)
{
	double tw, th;

	settext(l, s, maxw, &tw, &th);
	if (maxw > 0 && tw > maxw)
		tw = maxw;
	if (align == CENTRE)
		x -= tw / 2;
	else if (align == RIGHT)
		x -= tw;
	cairo_move_to(cr, x, ymid - th / 2);
	pango_cairo_show_layout(cr, l);
}

static double
textw(PangoLayout *l, const char *s)
{
	double tw, th;

	settext(l, s, 0, &tw, &th);
	return tw;
}

/* Drop the zeros after the decimal point, and the point if bare. */
static void
trim_zeros(char *s)
{
	char *e;

	if (strchr(s, '.') == NULL)
		return;
	e = s + strlen(s);
	while (e > s && e[-1] == '0')
		*--e = '\0';
	if (e > s && e[-1] == '.')
		e[-1] = '\0';
}

void
chart_value_label(char *out, size_t sz, const struct chart *c, double v)
{
	const char *unit = "";
	char num[64];
	double a;

	if (c->money) {
		v /= 100;
		a = fabs(v);
		if (a >= 1e8) {
			v /= 1e8;
			unit = "亿";
		} else if (a >= 1e4) {
			v /= 1e4;
			unit = "万";
		}
		snprintf(num, sizeof(num), "%.2f", v);
	} else if (v == floor(v) && fabs(v) < 1e15)
		snprintf(num, sizeof(num), "%.0f", v);
	else
		snprintf(num, sizeof(num), "%.2f", v);
	trim_zeros(num);
	if (strcmp(num, "-0") == 0)
		snprintf(num, sizeof(num), "0");
	snprintf(out, sz, "%s%s", num, unit);
}

static int
empty(const struct chart *c)
{
	return c->nx == 0 || c->nseries == 0;
}

double
chart_height(const struct chart *c, double w)
{
	double h;

	if (empty(c))
		return TITLE_H + 20;
	switch (c->kind) {
	case CHART_FUNNEL:
		return TITLE_H + (double)c->nx * ROW_H + 6;
	case CHART_HEATMAP:
		return TITLE_H + 18 + (double)c->nseries * CELL_H + 36;
	default:
		h = w * 0.45;
		if (h < 160)
			h = 160;
		return h + (c->nseries > 1 ? LEGEND_H : 0);
	}
}

/* A step of 1, 2 or 5 times a power of ten, giving about n steps. */
static double
nice_step(double span, int n)
{
	double raw, mag, f;

	raw = span / n;
	mag = pow(10, floor(log10(raw)));
	f = raw / mag;
	f = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
	return f * mag;
}

struct axis {
	double	lo, hi, step;	/* values */
	double	x0, x1, y0, y1;	/* the plot area, y0 at the top */
};

static double
ypos(const struct axis *a, double v)
{
	return a->y1 - (v - a->lo) / (a->hi - a->lo) * (a->y1 - a->y0);
}

/* Legend across the top, one swatch and name per series. */
static void
legend(cairo_t *cr, PangoLayout *l, const struct chart *c, double y,
    double w)
{
	double x = 0, tw;
	size_t s;

	draw_font(l, 8, 0);
	for (s = 0; s < c->nseries; s++) {
		tw = textw(l, c->series[s]);
		if (x + 14 + tw > w)
			break;
		colour(cr, s);
		cairo_rectangle(cr, x, y + 4, 9, 9);
		cairo_fill(cr);
		cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
		put(cr, l, c->series[s], x + 12, y + 8.5, LEFT, 0);
		x += 12 + tw + 14;
	}
}

/* Grid, value labels and category labels of the bar and line charts. */
static void
axes(cairo_t *cr, PangoLayout *l, const struct chart *c, struct axis *a,
    double w, double h)
{
	char lab[64];
	double lo = 0, hi = 0, v, maxlw = 0, gw, top;
	size_t s, i;

	for (s = 0; s < c->nseries; s++)
		for (i = 0; i < c->nx; i++) {
			v = chart_get(c, s, i);
			if (v < lo)
				lo = v;
			if (v > hi)
				hi = v;
		}
	if (hi - lo <= 0)
		hi = lo + 1;
	a->step = nice_step(hi - lo, 5);
	a->lo = floor(lo / a->step) * a->step;
	a->hi = ceil(hi / a->step) * a->step;
	draw_font(l, 8, 0);
	for (v = a->lo; v <= a->hi + a->step / 2; v += a->step) {
		chart_value_label(lab, sizeof(lab), c, v);
		if (textw(l, lab) > maxlw)
			maxlw = textw(l, lab);
	}
	top = TITLE_H + (c->nseries > 1 ? LEGEND_H : 0) + 8;
	a->x0 = maxlw + 8;
	a->x1 = w - 6;
	a->y0 = top;
	a->y1 = h - 28;
	cairo_set_line_width(cr, 0.5);
	for (v = a->lo; v <= a->hi + a->step / 2; v += a->step) {
		double y = ypos(a, v);

		cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
		cairo_move_to(cr, a->x0, y);
		cairo_line_to(cr, a->x1, y);
		cairo_stroke(cr);
		chart_value_label(lab, sizeof(lab), c, v);
		cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
		put(cr, l, lab, a->x0 - 4, y, RIGHT, 0);
	}
	cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
	cairo_move_to(cr, a->x0, ypos(a, 0));
	cairo_line_to(cr, a->x1, ypos(a, 0));
	cairo_stroke(cr);
	gw = (a->x1 - a->x0) / (double)c->nx;
	draw_font(l, c->nx > 12 ? 7 : 8, 0);
	for (i = 0; i < c->nx; i++)
		put(cr, l, c->x[i], a->x0 + gw * ((double)i + 0.5),
		    a->y1 + 12, CENTRE, gw - 2);
}

static void
draw_bar(cairo_t *cr, PangoLayout *l, const struct chart *c, double w,
    double h)
{
	struct axis a;
	char lab[64];
	double gw, bw, x, y, z, v;
	size_t s, i;
	int labels;

	if (c->nseries > 1)
		legend(cr, l, c, TITLE_H, w);
	axes(cr, l, c, &a, w, h);
	gw = (a.x1 - a.x0) / (double)c->nx;
	bw = gw * 0.75 / (double)c->nseries;
	z = ypos(&a, 0);
	labels = c->nx * c->nseries <= 24;
	draw_font(l, 7, 0);
	for (i = 0; i < c->nx; i++)
		for (s = 0; s < c->nseries; s++) {
			v = chart_get(c, s, i);
			x = a.x0 + gw * (double)i + gw * 0.125 + bw * (double)s;
			y = ypos(&a, v);
			colour(cr, s);
			cairo_rectangle(cr, x, y < z ? y : z, bw * 0.92,
			    fabs(z - y));
			cairo_fill(cr);
			if (labels) {
				chart_value_label(lab, sizeof(lab), c, v);
				cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
				put(cr, l, lab, x + bw * 0.46,
				    (y < z ? y : z) - 6, CENTRE, 0);
			}
		}
}

static void
draw_line(cairo_t *cr, PangoLayout *l, const struct chart *c, double w,
    double h)
{
	struct axis a;
	char lab[64];
	double gw, x, y;
	size_t s, i;

	if (c->nseries > 1)
		legend(cr, l, c, TITLE_H, w);
	axes(cr, l, c, &a, w, h);
	gw = (a.x1 - a.x0) / (double)c->nx;
	for (s = 0; s < c->nseries; s++) {
		colour(cr, s);
		cairo_set_line_width(cr, 1.8);
		for (i = 0; i < c->nx; i++) {
			x = a.x0 + gw * ((double)i + 0.5);
			y = ypos(&a, chart_get(c, s, i));
			if (i == 0)
				cairo_move_to(cr, x, y);
			else
				cairo_line_to(cr, x, y);
		}
		cairo_stroke(cr);
		draw_font(l, 7, 0);
		for (i = 0; i < c->nx; i++) {
			x = a.x0 + gw * ((double)i + 0.5);
			y = ypos(&a, chart_get(c, s, i));
			colour(cr, s);
			/* Text leaves a current point: no line from it. */
			cairo_new_path(cr);
			cairo_arc(cr, x, y, 2.5, 0, 2 * M_PI);
			cairo_fill(cr);
			if (c->nseries == 1 && c->nx <= 16) {
				chart_value_label(lab, sizeof(lab), c,
				    chart_get(c, s, i));
				cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
				put(cr, l, lab, x, y - 8, CENTRE, 0);
			}
		}
	}
}

/*
 * One row per stage: the bar centred, as wide as its share of the
 * largest stage; on the right the value and the conversion from the
 * stage before, or, when the chart has a second series, that series'
 * percent for the stage (none where it is negative).
 */
static void
draw_funnel(cairo_t *cr, PangoLayout *l, const struct chart *c, double w)
{
	char lab[64], txt[128];
	double lw, rw, bx, bw, max = 0, v, prev, y, bar;
	size_t i;

	for (i = 0; i < c->nx; i++)
		if (chart_get(c, 0, i) > max)
			max = chart_get(c, 0, i);
	if (max <= 0)
		max = 1;
	lw = w * 0.2;
	rw = w * 0.22;
	bx = lw + 6;
	bw = w - lw - rw - 12;
	draw_font(l, 8.5, 0);
	for (i = 0; i < c->nx; i++) {
		v = chart_get(c, 0, i);
		y = TITLE_H + (double)i * ROW_H;
		bar = v > 0 ? bw * v / max : 0;
		colour(cr, 0);
		cairo_rectangle(cr, bx + (bw - bar) / 2, y + 3, bar,
		    ROW_H - 6);
		cairo_fill(cr);
		cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
		put(cr, l, c->x[i], lw, y + ROW_H / 2, RIGHT, lw);
		chart_value_label(lab, sizeof(lab), c, v);
		prev = i > 0 ? chart_get(c, 0, i - 1) : 0;
		if (c->nseries > 1 && chart_get(c, 1, i) >= 0)
			snprintf(txt, sizeof(txt), "%s  %.0f%%", lab,
			    chart_get(c, 1, i));
		else if (c->nseries > 1)
			snprintf(txt, sizeof(txt), "%s", lab);
		else if (i > 0 && prev > 0)
			snprintf(txt, sizeof(txt), "%s  %.1f%%", lab,
			    100 * v / prev);
		else
			snprintf(txt, sizeof(txt), "%s", lab);
		put(cr, l, txt, w - rw + 6, y + ROW_H / 2, LEFT, rw - 6);
	}
}

/* Light to dark blue as t goes from 0 to 1. */
static void
ramp(cairo_t *cr, double t)
{
	cairo_set_source_rgb(cr, 0.94 - t * 0.81, 0.96 - t * 0.63,
	    1.0 - t * 0.35);
}

static void
draw_heatmap(cairo_t *cr, PangoLayout *l, const struct chart *c, double w)
{
	cairo_pattern_t *g;
	char lab[64];
	double lw, cw, lo, hi, v, t, x, y, sy;
	size_t s, i;

	lo = hi = chart_get(c, 0, 0);
	for (s = 0; s < c->nseries; s++)
		for (i = 0; i < c->nx; i++) {
			v = chart_get(c, s, i);
			lo = v < lo ? v : lo;
			hi = v > hi ? v : hi;
		}
	/*
	 * The scale starts at zero: a cell of nothing is the lightest,
	 * also when every cell is 0, and 5 against 7 is not white against
	 * dark blue.
	 */
	if (lo > 0)
		lo = 0;
	lw = w * 0.18;
	cw = (w - lw) / (double)c->nx;
	draw_font(l, 8, 0);
	cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
	for (i = 0; i < c->nx; i++)
		put(cr, l, c->x[i], lw + cw * ((double)i + 0.5),
		    TITLE_H + 9, CENTRE, cw - 2);
	for (s = 0; s < c->nseries; s++) {
		y = TITLE_H + 18 + (double)s * CELL_H;
		cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
		put(cr, l, c->series[s], lw - 6, y + CELL_H / 2, RIGHT,
		    lw - 6);
		for (i = 0; i < c->nx; i++) {
			v = chart_get(c, s, i);
			t = hi > lo ? (v - lo) / (hi - lo) : 0;
			x = lw + cw * (double)i;
			ramp(cr, t);
			cairo_rectangle(cr, x + 0.5, y + 0.5, cw - 1,
			    CELL_H - 1);
			cairo_fill(cr);
			if (t > 0.55)
				cairo_set_source_rgb(cr, 1, 1, 1);
			else
				cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
			chart_value_label(lab, sizeof(lab), c, v);
			put(cr, l, lab, x + cw / 2, y + CELL_H / 2, CENTRE,
			    cw - 4);
		}
	}
	/* The colour scale, low to high. */
	sy = TITLE_H + 18 + (double)c->nseries * CELL_H + 12;
	g = cairo_pattern_create_linear(lw, 0, lw + 160, 0);
	cairo_pattern_add_color_stop_rgb(g, 0, 0.94, 0.96, 1.0);
	cairo_pattern_add_color_stop_rgb(g, 1, 0.13, 0.33, 0.65);
	cairo_set_source(cr, g);
	cairo_rectangle(cr, lw, sy, 160, 9);
	cairo_fill(cr);
	cairo_pattern_destroy(g);
	cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
	draw_font(l, 7, 0);
	chart_value_label(lab, sizeof(lab), c, lo);
	put(cr, l, lab, lw - 4, sy + 4.5, RIGHT, 0);
	chart_value_label(lab, sizeof(lab), c, hi);
	put(cr, l, lab, lw + 164, sy + 4.5, LEFT, 0);
}

void
chart_draw(cairo_t *cr, PangoLayout *l, const struct chart *c, double w)
{
	double h;

	h = chart_height(c, w);
	cairo_save(cr);
	pango_layout_set_alignment(l, PANGO_ALIGN_LEFT);
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
	draw_font(l, 10.5, 1);
	put(cr, l, c->title, 0, TITLE_H / 2 - 1, LEFT, w);
	if (empty(c)) {
		draw_font(l, 8.5, 0);
		cairo_set_source_rgb(cr, 0.4, 0.4, 0.4);
		put(cr, l, "-", 0, TITLE_H + 10, LEFT, 0);
		cairo_restore(cr);
		buf_free(&clean);
		return;
	}
	switch (c->kind) {
	case CHART_BAR:
		draw_bar(cr, l, c, w, h);
		break;
	case CHART_LINE:
		draw_line(cr, l, c, w, h);
		break;
	case CHART_FUNNEL:
		draw_funnel(cr, l, c, w);
		break;
	case CHART_HEATMAP:
		draw_heatmap(cr, l, c, w);
		break;
	}
	cairo_restore(cr);
	buf_free(&clean);
}

static cairo_status_t
to_buf(void *closure, const unsigned char *data, unsigned int len)
{
	buf_add(closure, (const char *)data, len);
	return CAIRO_STATUS_SUCCESS;
}

/* Copy the SVG from its <svg, prefixing ids and dropping namespaces. */
static char *
rewrite(const char *s, const char *prefix)
{
	static const char *const drop[] = {
		" xmlns=\"http://www.w3.org/2000/svg\"",
		" xmlns:xlink=\"http://www.w3.org/1999/xlink\"",
	};
	static const char *const refs[] = {"id=\"", "href=\"#", "url(#"};
	struct buf b = {0};
	size_t i, n;

	if ((s = strstr(s, "<svg")) == NULL)
		return NULL;
	while (*s != '\0') {
		for (i = 0; i < sizeof(drop) / sizeof(drop[0]); i++)
			if (strncmp(s, drop[i], strlen(drop[i])) == 0)
				break;
		if (i < sizeof(drop) / sizeof(drop[0])) {
			s += strlen(drop[i]);
			continue;
		}
		for (i = 0; i < sizeof(refs) / sizeof(refs[0]); i++)
			if (strncmp(s, refs[i], (n = strlen(refs[i]))) == 0)
				break;
		if (i < sizeof(refs) / sizeof(refs[0])) {
			buf_add(&b, s, n);
			buf_adds(&b, prefix);
			s += n;
			continue;
		}
		buf_addc(&b, *s++);
	}
	return buf_take(&b);
}

char *
chart_svg(const struct chart *c, double w, const char *prefix)
{
	cairo_surface_t *sf;
	cairo_status_t st;
	PangoLayout *l;
	struct buf b = {0};
	cairo_t *cr;
	char *svg;

	sf = cairo_svg_surface_create_for_stream(to_buf, &b, w,
	    chart_height(c, w));
	cr = cairo_create(sf);
	l = draw_layout(cr);
	chart_draw(cr, l, c, w);
	g_object_unref(l);
	cairo_destroy(cr);
	cairo_surface_finish(sf);
	st = cairo_surface_status(sf);
	cairo_surface_destroy(sf);
	if (st != CAIRO_STATUS_SUCCESS) {
		diag_error(SX_SYS, NULL, "chart '%s': %s", diag_val(c->title),
		    cairo_status_to_string(st));
		buf_free(&b);
		return NULL;
	}
	svg = b.s != NULL ? rewrite(b.s, prefix) : NULL;
	buf_free(&b);
	if (svg == NULL)
		diag_error(SX_SYS, NULL, "chart '%s': no SVG drawn",
		    diag_val(c->title));
	return svg;
}
