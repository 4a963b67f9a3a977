/*
 * The field and kind name tables.
 */
#include <string.h>

#include "field.h"

const struct field_info field_info[F_COUNT] = {
	{"", FT_TEXT, NULL},
#define X(e, n, t, en) {n, t, en},
	FIELD_LIST(X)
#undef X
};

enum field
field_by_name(const char *name)
{
	int f;

	for (f = 1; f < F_COUNT; f++)
		if (strcmp(field_info[f].name, name) == 0)
			return (enum field)f;
	return F_NONE;
}

static const char *const kind_names[K_COUNT] = {
	"", "customer", "rep", "product", "lead", "deal", "activity",
	"payment", "news", "unit", "target",
};

const char *
kind_name(enum kind k)
{
	return k > K_NONE && k < K_COUNT ? kind_names[k] : "unknown";
}

enum kind
kind_by_name(const char *name)
{
	int k;

	for (k = 1; k < K_COUNT; k++)
		if (strcmp(kind_names[k], name) == 0)
			return (enum kind)k;
	return K_NONE;
}
