/*
 * A report as a document: a title, then blocks in order (headings,
 * paragraphs, tables, charts).  Reports build a document and know
 * nothing of formats; doc_write() lays it out as text, Markdown, CSV,
 * JSON lines, HTML or PDF.
 *
 * Tables are marked for people (text, md, html, pdf), for machines
 * (csv, jsonl) or both, so a report can show several small tables to
 * people and one flat table, every row with its level, to a program.
 * Paragraphs and headings are for people; charts for html and pdf.
 */
#ifndef DOC_H
#define DOC_H

#include <stdio.h>

#include "chart.h"
#include "table.h"

#define DOC_HUMAN	1
#define DOC_MACHINE	2
#define DOC_BOTH	(DOC_HUMAN | DOC_MACHINE)

enum block_kind {
	BLK_HEADING,
	BLK_PARA,
	BLK_TABLE,
	BLK_CHART
};

struct block {
	enum block_kind	 kind;
	int		 flags;		/* DOC_HUMAN, DOC_MACHINE */
	char		*text;		/* heading, paragraph */
	struct table	*table;
	struct chart	*chart;
};

struct doc {
	char		*title;
	struct block	*blocks;
	size_t		 nblocks, capblocks;
};

struct doc	*doc_new(const char *title);
void		 doc_free(struct doc *);
void		 doc_heading(struct doc *, const char *);
void		 doc_para(struct doc *, const char *fmt, ...)
		    __attribute__((__format__(__printf__, 2, 3)));
/* The document owns the table and the chart from here on. */
void		 doc_table(struct doc *, struct table *, int flags);
void		 doc_chart(struct doc *, struct chart *);
/*
 * Write the document.  CSV with more than one machine table writes
 * each with its header, a blank line between.  Returns 0, or -1 after
 * reporting (PDF and HTML can fail: fonts, surfaces).
 */
int		 doc_write(FILE *, const struct doc *, enum outfmt);

#endif
