/*
 * HTML writer: one self-contained UTF-8 file (a stylesheet with print
 * rules inside, charts inline as SVG, no URL anywhere), every text
 * escaped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "chartdraw.h"
#include "doc.h"
#include "docw.h"
#include "i18n.h"

/* Charts are drawn this wide, in points; the stylesheet scales them. */
#define HTML_CHART_W	520.0

static const char style[] =
    "body{font-family:\"Noto Sans CJK SC\",\"PingFang SC\","
    "\"Microsoft YaHei\",sans-serif;color:#222;line-height:1.45;"
    "max-width:62em;margin:2em auto;padding:0 1em}\n"
    "h1{font-size:1.5em;border-bottom:2px solid #336ba8;"
    "padding-bottom:.2em}\n"
    "h2{font-size:1.2em;margin-top:1.6em}\n"
    ".wide{overflow-x:auto}\n"
    "table{border-collapse:collapse;margin:1em 0;font-size:.9em}\n"
    "caption{text-align:left;font-weight:bold;padding:.3em 0}\n"
    "th,td{padding:.25em .6em;border-bottom:1px solid #ddd;"
    "text-align:left;vertical-align:top}\n"
    "th{background:#eef2f8;border-bottom:2px solid #336ba8}\n"
    ".num{text-align:right;font-variant-numeric:tabular-nums;"
    "white-space:nowrap}\n"
    "tr.total td{font-weight:bold;border-top:2px solid #555;"
    "background:#f6f6f6}\n"
    "figure.chart{margin:1em 0}\n"
    "figure.chart svg{max-width:100%;height:auto}\n"
    "@media print{\n"
    "@page{size:A4;margin:15mm}\n"
    "body{max-width:none;margin:0;padding:0;font-size:10pt}\n"
    "section+section{break-before:page}\n"
    "thead{display:table-header-group}\n"
    "tr,figure{break-inside:avoid}\n"
    "h2,caption{break-after:avoid}\n"
    ".wide{overflow:visible}\n"
    "}\n";

/* Text as HTML: the five special characters escaped, controls dropped. */
static void
esc(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++)
		switch (*s) {
		case '&':
			buf_adds(b, "&amp;");
			break;
		case '<':
			buf_adds(b, "&lt;");
			break;
		case '>':
			buf_adds(b, "&gt;");
			break;
		case '"':
			buf_adds(b, "&quot;");
			break;
		case '\'':
			buf_adds(b, "&#39;");
			break;
		case '\t':
		case '\n':
			buf_addc(b, ' ');
			break;
		default:
			/* C1 controls (U+0080 to U+009F) are dropped too. */
			if ((unsigned char)s[0] == 0xc2 &&
			    (unsigned char)s[1] >= 0x80 &&
			    (unsigned char)s[1] <= 0x9f)
				s++;
			else if ((unsigned char)*s >= 0x20 && *s != 0x7f)
				buf_addc(b, *s);
			break;
		}
}

static void
table_html(struct buf *b, const struct table *t)
{
	char tmp[64];
	size_t r, c;
	int total;

	buf_adds(b, "<div class=\"wide\"><table>\n");
	if (*t->title) {
		buf_adds(b, "<caption>");
		esc(b, t->title);
		buf_adds(b, "</caption>\n");
	}
	buf_adds(b, "<thead><tr>");
	for (c = 0; c < t->ncols; c++) {
		buf_adds(b, t->cols[c].right ? "<th class=\"num\">" : "<th>");
		esc(b, t->cols[c].label);
		buf_adds(b, "</th>");
	}
	buf_adds(b, "</tr></thead>\n<tbody>\n");
	for (r = 0; r < t->nrows; r++) {
		total = t->total_from >= 0 && (int)r >= t->total_from;
		buf_adds(b, total ? "<tr class=\"total\">" : "<tr>");
		for (c = 0; c < t->ncols; c++) {
			buf_adds(b, t->cols[c].right ? "<td class=\"num\">" :
			    "<td>");
			esc(b, table_cell_str(tmp, sizeof(tmp),
			    &t->cells[r * t->ncols + c], 1));
			buf_adds(b, "</td>");
		}
		buf_adds(b, "</tr>\n");
	}
	buf_adds(b, "</tbody>\n</table></div>\n");
}

int
docw_html(FILE *fp, const struct doc *d)
{
	const struct block *blk;
	struct buf b = {0};
	char prefix[32], *svg;
	size_t i, nchart = 0, inside = 0;
	int rc = 0;

	buf_adds(&b, "<!DOCTYPE html>\n<html lang=\"");
	esc(&b, i18n_lang());
	buf_adds(&b, "\">\n<head>\n<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n<title>");
	esc(&b, d->title);
	buf_adds(&b, "</title>\n<style>\n");
	buf_adds(&b, style);
	buf_adds(&b, "</style>\n</head>\n<body>\n<main>\n");
	if (*d->title) {
		buf_adds(&b, "<h1>");
		esc(&b, d->title);
		buf_adds(&b, "</h1>\n");
	}
	buf_adds(&b, "<section>\n");
	for (i = 0; i < d->nblocks && rc == 0; i++) {
		blk = &d->blocks[i];
		if (!(blk->flags & DOC_HUMAN))
			continue;
		/* A section per heading; an empty one would print blank. */
		if (blk->kind == BLK_HEADING && inside > 0) {
			buf_adds(&b, "</section>\n<section>\n");
			inside = 0;
		}
		inside++;
		switch (blk->kind) {
		case BLK_HEADING:
			buf_adds(&b, "<h2>");
			esc(&b, blk->text);
			buf_adds(&b, "</h2>\n");
			break;
		case BLK_PARA:
			buf_adds(&b, "<p>");
			esc(&b, blk->text);
			buf_adds(&b, "</p>\n");
			break;
		case BLK_TABLE:
			table_html(&b, blk->table);
			break;
		case BLK_CHART:
			snprintf(prefix, sizeof(prefix), "c%zu-", ++nchart);
			if ((svg = chart_svg(blk->chart, HTML_CHART_W,
			    prefix)) == NULL) {
				rc = -1;
				break;
			}
			buf_adds(&b, "<figure class=\"chart\" role=\"img\" "
			    "aria-label=\"");
			esc(&b, blk->chart->title);
			buf_adds(&b, "\">\n");
			buf_adds(&b, svg);
			buf_adds(&b, "</figure>\n");
			free(svg);
			break;
		}
	}
	buf_adds(&b, "</section>\n</main>\n</body>\n</html>\n");
	if (rc == 0)
		fputs(buf_str(&b), fp);
	buf_free(&b);
	return rc;
}
