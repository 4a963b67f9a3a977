/*
 * Drawing charts with cairo and pango.  One routine draws every kind
 * onto whatever surface the cairo_t has, so the SVG inlined in HTML and
 * the vectors of the PDF come from the same code and cannot disagree.
 */
#ifndef CHARTDRAW_H
#define CHARTDRAW_H

#include <stddef.h>

#include <cairo.h>
#include <pango/pangocairo.h>

#include "chart.h"

/* The font family of every report drawn with cairo (CJK capable). */
#define DRAW_FONT	"Noto Sans CJK SC"

struct buf;

/*
 * s as pango may take it, in b: valid UTF-8 (U+FFFD for a bad byte),
 * control characters other than newlines left out.  Returns b's text.
 */
const char *draw_text(struct buf *b, const char *s);
/*
 * A layout for text on cr, glyphs placed at their exact positions
 * (pango rounds them to whole units, here points, by default: uneven
 * letters, and widths that do not scale with the font size).  The
 * caller unrefs it (g_object_unref).
 */
PangoLayout *draw_layout(cairo_t *);
/* Set l's font: DRAW_FONT at size points, bold or not. */
void	draw_font(PangoLayout *l, double size, int bold);
/*
 * Let go of the fonts and caches pango and cairo keep between calls
 * (the default font map lives in thread-local storage, where a leak
 * checker cannot see it).  Called when a document is written; the next
 * drawing loads them again.
 */
void	draw_release(void);
/* The height, in points, a chart takes when drawn w points wide. */
double	chart_height(const struct chart *, double w);
/*
 * Draw the chart into the box (0, 0, w, chart_height()) of cr; layout
 * was made for cr (pango_cairo_create_layout) and is used for all text.
 */
void	chart_draw(cairo_t *, PangoLayout *, const struct chart *, double w);
/*
 * A value as an axis or cell label: money (fen) in yuan, 万 or 亿 past
 * ten thousand and a hundred million yuan; counts as integers when they
 * are whole.
 */
void	chart_value_label(char *out, size_t, const struct chart *, double v);
/*
 * Render the chart as an SVG document into a string the caller frees.
 * Every id in it starts with prefix, so that several SVGs inlined in
 * one HTML page never share an id; the XML declaration and namespace
 * URLs are left out (HTML needs neither).  NULL after reporting.
 */
char	*chart_svg(const struct chart *, double w, const char *prefix);

#endif
