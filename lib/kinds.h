/*
 * What each kind of record stores: its table, its columns and the
 * fields that feed them, its key and what it cannot live without.
 * Mapping (map.c) fills records by these tables and the store
 * (store.c) writes them, so a column is added in one place.
 */
#ifndef KINDS_H
#define KINDS_H

#include <stddef.h>

#include "field.h"

enum ctype {
	C_TEXT,
	C_INT,
	C_REAL
};

/* Column flags. */
#define KC_REQUIRED	0x01	/* a row without it is rejected */
#define KC_NATKEY	0x02	/* part of the natural key */
#define KC_SUB		0x04	/* copied to the customer/rep sub-record */

struct kcol {
	const char	*name;		/* column in the table */
	enum ctype	 type;
	enum field	 from[3];	/* fields feeding it; the first mapped wins */
	unsigned	 flags;
	const char	*dflt;		/* SQL value when the file gives none */
};

struct kinddef {
	enum kind	 kind;
	const char	*table;
	char		 prefix;	/* of IDs made from the natural key */
	enum field	 key[2];	/* fields holding the source's own ID */
	const struct kcol *cols;
	size_t		 ncols;
	int		 has_customer;	/* a customer_id column */
	int		 has_rep;	/* a rep_id column */
};

const struct kinddef *kind_def(enum kind);
/* Index of a column by name in a kind, or -1. */
int	kind_col(const struct kinddef *, const char *name);
/*
 * How strongly the set of mapped fields suggests each kind; the file's
 * kind is the best score.  mapped[f] is 1 for every field in the file.
 */
int	kind_score(enum kind, const int *mapped);
/* The weight field f alone gives kind k in kind_score(), or 0. */
int	kind_hint(enum kind, enum field);

#endif
