/*
 * The words of the trade, loaded from rule tables: header synonyms
 * (headers.csv, with unit hints such as 合同金额(万元)) and enumerations
 * (enums.csv: 赢单, Closed Won and won are one stage).
 */
#ifndef VOCAB_H
#define VOCAB_H

#include <stddef.h>

#include "field.h"

struct vocab;

/* Load headers.csv and enums.csv from dir; NULL after reporting. */
struct vocab	*vocab_load(const char *dir);
void		 vocab_free(struct vocab *);

/*
 * The field a header names, or F_NONE.  *scale receives the multiplier
 * of a unit written in brackets after the name (10000 for 万元), else 1;
 * cur (4 bytes) the currency the unit names (USD for 万美元), else "".
 */
enum field	 vocab_header(const struct vocab *, const char *text,
		    size_t n, long *scale, char *cur);
/*
 * Is a cell a unit of its own, as the second row of a two-row header
 * writes it under 金额: (万元), （万美元）, 万元, USD?  1 with the unit's
 * text (without brackets) in *unit, *unitlen, else 0.
 */
int		 vocab_unit_cell(const char *text, size_t n, const char **unit,
		    size_t *unitlen);
/*
 * A map file (--map): CSV with the columns header and field, and
 * optionally unit, naming the field of each header of a one-off file;
 * field empty or "-" ignores the column.  It takes precedence over
 * headers.csv.  0, or -1 after reporting (SX_USAGE, file:line).
 */
int		 vocab_load_map(struct vocab *, const char *path);
/*
 * Does the map file name this header?  1 with *f (F_NONE: ignore it),
 * *scale, cur (as vocab_header) and *where ("map file map.csv:3"),
 * else 0.
 */
int		 vocab_mapped(const struct vocab *, const char *text, size_t n,
		    enum field *f, long *scale, char *cur, const char **where);

/* The canonical value of text in enumeration name, or NULL. */
const char	*vocab_enum(const struct vocab *, const char *name,
		    const char *text, size_t n);
/* The canonical values of an enumeration, comma-separated. */
const char	*vocab_enum_values(const struct vocab *, const char *name);
/* The same for people: "contact (初步接触), needs (需求分析), ...". */
const char	*vocab_enum_shown(const struct vocab *, const char *name);
struct rtable;
/*
 * Is text, in a cell of rule table t, a stored value of enumeration
 * name?  0, or -1 after reporting at row and col: a synonym (拜访 for
 * visit) with the value to write, anything else with the list.
 */
int		 vocab_rule_enum(const struct vocab *, const struct rtable *t,
		    size_t row, int col, const char *name, const char *text);
/* The multiplier a unit word stands for (万元 10000), or 0. */
long		 unit_scale(const char *word, size_t n);

#endif
