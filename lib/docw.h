/*
 * The document writers for people that need more than stdio: HTML (one
 * self-contained file, charts inline as SVG) and PDF (cairo and pango,
 * A4, CJK fonts embedded).  doc_write() calls them.
 */
#ifndef DOCW_H
#define DOCW_H

#include <stdio.h>

struct doc;

/* Each returns 0, or -1 after reporting. */
int	docw_html(FILE *, const struct doc *);
int	docw_pdf(FILE *, const struct doc *);

#endif
