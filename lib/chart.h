/*
 * Charts as data: a kind, category labels along one axis, one or more
 * series of values.  Reports fill them; the HTML and PDF writers draw
 * them (each chart is drawn once, by one routine, onto either an SVG
 * or a PDF surface).  Text formats leave them out.
 */
#ifndef CHART_H
#define CHART_H

#include <stddef.h>

enum chart_kind {
	CHART_BAR,	/* one bar per category; several series side by side */
	CHART_FUNNEL,	/* categories are stages in order; a second
			 * series, if any, is the percent shown per stage */
	CHART_LINE,	/* categories are periods (weeks) in order */
	CHART_HEATMAP	/* series are rows (regions), categories columns */
};

struct chart {
	enum chart_kind	 kind;
	char		*title;
	int		 money;		/* values are fen, shown as yuan */
	size_t		 nx, nseries;
	char		**x;		/* nx category labels */
	char		**series;	/* nseries names */
	double		*v;		/* nseries * nx, row by row */
};

struct chart	*chart_new(enum chart_kind, const char *title,
		    size_t nseries, size_t nx, int money);
void		 chart_free(struct chart *);
void		 chart_x(struct chart *, size_t i, const char *label);
void		 chart_series(struct chart *, size_t s, const char *name);
void		 chart_set(struct chart *, size_t s, size_t i, double v);
double		 chart_get(const struct chart *, size_t s, size_t i);

#endif
