/*
 * Chart data.
 */
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "xalloc.h"

struct chart *
chart_new(enum chart_kind kind, const char *title, size_t nseries,
    size_t nx, int money)
{
	struct chart *c;

	c = xcalloc(1, sizeof(*c));
	c->kind = kind;
	c->title = xstrdup(title != NULL ? title : "");
	c->money = money;
	c->nx = nx;
	c->nseries = nseries;
	c->x = xcalloc(nx + 1, sizeof(*c->x));
	c->series = xcalloc(nseries + 1, sizeof(*c->series));
	c->v = xcalloc(nseries * nx + 1, sizeof(*c->v));
	return c;
}

void
chart_free(struct chart *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nx; i++)
		free(c->x[i]);
	for (i = 0; i < c->nseries; i++)
		free(c->series[i]);
	free(c->x);
	free(c->series);
	free(c->v);
	free(c->title);
	free(c);
}

void
chart_x(struct chart *c, size_t i, const char *label)
{
	if (i >= c->nx)
		abort();
	free(c->x[i]);
	c->x[i] = xstrdup(label != NULL ? label : "");
}

void
chart_series(struct chart *c, size_t s, const char *name)
{
	if (s >= c->nseries)
		abort();
	free(c->series[s]);
	c->series[s] = xstrdup(name != NULL ? name : "");
}

void
chart_set(struct chart *c, size_t s, size_t i, double v)
{
	if (s >= c->nseries || i >= c->nx)
		abort();
	c->v[s * c->nx + i] = v;
}

double
chart_get(const struct chart *c, size_t s, size_t i)
{
	if (s >= c->nseries || i >= c->nx)
		abort();
	return c->v[s * c->nx + i];
}
