/*
 * Customer voice: the rules of voc.csv turn what customers say into
 * customer tags, playbooks pushed to the rep and follow-up tasks.  All
 * phrases of all rules, with the negators and exclusions of
 * voc-lexicon.csv, are compiled into one vectorscan database, so a text
 * is matched by every rule in one pass.
 *
 * Texts are normalised first (NFKC and case folding with utf8proc,
 * traditional to simplified characters with OpenCC); a hit's span and
 * offset are given in characters of the original text.
 */
#ifndef VOC_H
#define VOC_H

#include <sqlite3.h>
#include <stdio.h>

#include "table.h"

struct buf;
struct db;
struct voc;

/* One rule that fired on a text. */
struct voc_hit {
	size_t		 rule;		/* index, for voc_rule_*() */
	long		 start;		/* offset in characters */
	long		 len;		/* length in characters */
	char		*span;		/* the original text of the span */
};

/*
 * Load dir/voc.csv and dir/voc-lexicon.csv and compile them.  h is the
 * connection whose voc_customer view scope conditions read; NULL means
 * scoped rules never fire.  NULL after reporting (SX_USAGE, file:line).
 */
struct voc	*voc_load(const char *dir, sqlite3 *h);
void		 voc_free(struct voc *);
/* A digest of the rules: hits remember the rule set they came from. */
const char	*voc_version(const struct voc *);
size_t		 voc_nrules(const struct voc *);
const char	*voc_rule_id(const struct voc *, size_t);
const char	*voc_rule_tag(const struct voc *, size_t);
const char	*voc_rule_playbook(const struct voc *, size_t);
const char	*voc_rule_task(const struct voc *, size_t);
int		 voc_rule_due(const struct voc *, size_t);

/*
 * The normalised form of s (NFKC, case folded, simplified); the caller
 * frees.  oc, when not NULL, gets a malloc'd array giving for each byte
 * of the result the index of the original character it comes from.
 */
char		*voc_normalize(const struct voc *, const char *s,
		    long **oc);

/*
 * Match text (of customer, which may be NULL) against every rule.
 * Returns the number of hits, ordered by offset, at most one per tag;
 * *hits belongs to the voc and is valid until the next call.  -1
 * after reporting a scope evaluation error.
 */
int		 voc_match(struct voc *, const char *text,
		    const char *customer, struct voc_hit **hits);

/*
 * Match n texts with one scan, to be decided then one by one, in any
 * order, by voc_match_take(v, i, texts[i], ...): the same as
 * voc_match(v, texts[i], ...) in all but cost.  The texts must stay
 * until the last voc_match_take(); voc_match() in between is allowed.
 */
void		 voc_match_batch(struct voc *, const char *const *texts,
		    size_t n);
int		 voc_match_take(struct voc *, size_t i, const char *text,
		    const char *customer, struct voc_hit **hits);

/*
 * Keep (on) or stop keeping the result of each rule's scope per
 * customer, for as long as no customer can change: a scan of the store
 * holds the write lock and writes none.
 */
void		 voc_memo_scopes(struct voc *, int on);

/* Options of a scan of the store. */
struct voc_scan_opts {
	int		 rescan;	/* recompute activities already seen */
	enum outfmt	 fmt;		/* OUT_JSONL or OUT_TEXT */
	FILE		*out;		/* one line per hit, or NULL */
	const char	*dir;		/* rules directory, for the calendar */
};

/*
 * Scan every activity of the store not yet scanned with this rule set
 * (with rescan, every activity scanned under another rule set; their
 * earlier hits are kept but no longer current).  Writes hits, tags,
 * tasks (one per rule and customer within the task's due window) and
 * playbook pushes.  The caller holds the transaction.  Returns the
 * number of activities scanned, or -1 after reporting.
 */
long		 voc_scan_store(struct voc *, struct db *,
		    const struct voc_scan_opts *);
/*
 * Scan JSON lines ({"id":..,"text":..,"customer":..}) from fp, named
 * name in messages, printing hits only.  0, or -1 after reporting
 * (SX_DATA, name:line).
 */
/*
 * The "id", "text" and "customer" strings of a JSON line of scan -,
 * appended to b each with its NUL, their offsets in b into at[] (-1:
 * absent, null or not a string).  Flat lines of strings are read
 * without jansson, as strictly; the others by jansson.  0, or -1 when
 * the line is no JSON object, with why in err and the column (or 0) in
 * *col.
 */
int		 voc_line(const char *line, size_t len, struct buf *b,
		    long at[3], struct buf *err, int *col);
int		 voc_scan_stream(struct voc *, FILE *, const char *name,
		    const struct voc_scan_opts *);

/*
 * Run the rules over a labelled CSV file (columns text, tags with tags
 * '|'-separated, and optionally industry).  Prints precision and recall
 * per tag and overall, and every sentence that came out wrong.  The
 * overall figures go to *precision and *recall.  0, or -1 after
 * reporting.
 */
int		 voc_test(struct voc *, struct db *, const char *path,
		    enum outfmt, FILE *, double *precision, double *recall);

/*
 * A salesperson's fix to an activity: add tag (add != NULL) or remove
 * the hits of rule.  Stored in voc_correction.  0, or -1 after
 * reporting (SX_DATA for an unknown activity, or no such hit).
 */
int		 voc_correct(struct db *, const char *activity,
		    const char *add, const char *remove_rule, const char *by);

/*
 * Propose phrases from the corrections (once at least min exist):
 * character n-grams frequent in the texts a tag was added to and rare
 * in the others, with support and the precision they would have had on
 * the activities of the store.  Changes nothing.  0 or -1.
 */
int		 voc_suggest(struct db *, long min, enum outfmt, FILE *);

/* The tags of a customer (id, code or name), and open tasks. */
int		 voc_tags(struct db *, const char *customer, enum outfmt,
		    FILE *);
int		 voc_tasks(struct db *, const char *rep, const char *before,
		    enum outfmt, FILE *);

#endif
