/*
 * Documents as HTML and PDF: every block and chart kind, hostile names,
 * several charts on one page, an empty document and a long table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chartdraw.h"
#include "diag.h"
#include "doc.h"
#include "tap.h"

/* The document written in format f, in memory; *len its size. */
static char *
render(const struct doc *d, enum outfmt f, size_t *len)
{
	FILE *fp;
	char *s = NULL;
	int rc;

	fp = open_memstream(&s, len);
	rc = doc_write(fp, d, f);
	fclose(fp);
	if (rc != 0) {
		free(s);
		return NULL;
	}
	return s;
}

/* The first what in s[0..len), or NULL: PDFs hold NUL bytes. */
static const char *
find(const char *s, size_t len, const char *what)
{
	size_t i, w = strlen(what);

	for (i = 0; i + w <= len; i++)
		if (memcmp(s + i, what, w) == 0)
			return s + i;
	return NULL;
}

static size_t
count(const char *s, size_t len, const char *what)
{
	const char *p, *end = s + len;
	size_t n = 0;

	for (p = s; (p = find(p, (size_t)(end - p), what)) != NULL; n++)
		p += strlen(what);
	return n;
}

/* The page count of a cairo PDF: the /Count of its /Pages node. */
static int
pdf_pages(const char *s, size_t len)
{
	const char *p;

	if ((p = find(s, len, "/Type /Pages")) == NULL ||
	    (p = find(p, len - (size_t)(p - s), "/Count ")) == NULL)
		return -1;
	return atoi(p + 7);
}

/*
 * Every id="..." once only, and every href="#..." naming one of them.
 * Returns the number of ids, or -1 on a clash or a dangling reference.
 */
static int
ids_unique(const char *html)
{
	char **ids = NULL;
	const char *p, *q;
	size_t n = 0, i;
	int bad = 0;

	for (p = html; (p = strstr(p, " id=\"")) != NULL; p = q) {
		p += 5;
		q = strchr(p, '"');
		ids = realloc(ids, (n + 1) * sizeof(*ids));
		ids[n] = strndup(p, (size_t)(q - p));
		for (i = 0; i < n; i++)
			if (strcmp(ids[i], ids[n]) == 0)
				bad = 1;
		n++;
	}
	for (p = html; (p = strstr(p, "href=\"#")) != NULL; p = q) {
		p += 7;
		q = strchr(p, '"');
		for (i = 0; i < n; i++)
			if (strlen(ids[i]) == (size_t)(q - p) &&
			    strncmp(ids[i], p, (size_t)(q - p)) == 0)
				break;
		if (i == n)
			bad = 1;
	}
	for (i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	return bad ? -1 : (int)n;
}

static struct chart *
bar(const char *title)
{
	struct chart *c;

	c = chart_new(CHART_BAR, title, 2, 3, 1);
	chart_series(c, 0, "本周");
	chart_series(c, 1, "上周");
	chart_x(c, 0, "初步接触");
	chart_x(c, 1, "方案报价");
	chart_x(c, 2, "预计签约");
	chart_set(c, 0, 0, 82000000);
	chart_set(c, 0, 1, 48000000);
	chart_set(c, 0, 2, 118000000);
	chart_set(c, 1, 0, 60000000);
	chart_set(c, 1, 1, 50000000);
	chart_set(c, 1, 2, 73200000);
	return c;
}

static struct doc *
every_block(void)
{
	struct chart *c;
	struct table *t;
	struct doc *d;
	size_t r;

	d = doc_new("周报 <2026-W10> & \"all\"");
	doc_heading(d, "Pipeline <by stage>");
	doc_para(d, "O'Brien & 张伟 said \"<script>alert(1)</script>\"");
	t = table_new("By rep & region");
	table_col(t, "rep", "rep <name>", 0);
	table_col(t, "n", "deals", 1);
	table_money_col(t, "amount", "amount");
	r = table_row(t);
	table_text(t, r, 0, "<script>alert(\"x\")</script>");
	table_int(t, r, 1, 3);
	table_money(t, r, 2, 118000000);
	r = table_row(t);
	table_text(t, r, 0, "A&B 'Co'");
	table_int(t, r, 1, 1);
	table_money(t, r, 2, 42000000);
	table_totals(t);
	r = table_row(t);
	table_text(t, r, 0, "Total");
	table_int(t, r, 1, 4);
	table_money(t, r, 2, 160000000);
	doc_table(d, t, DOC_BOTH);
	t = table_new("machine only");
	table_col(t, "secret", "secret", 0);
	table_text(t, table_row(t), 0, "only-for-programs");
	doc_table(d, t, DOC_MACHINE);
	doc_chart(d, bar("Pipeline by stage"));
	doc_heading(d, "Trends");
	doc_chart(d, bar("Pipeline by stage, again"));
	c = chart_new(CHART_FUNNEL, "Funnel", 1, 4, 0);
	chart_x(c, 0, "线索");
	chart_x(c, 1, "已沟通");
	chart_x(c, 2, "方案");
	chart_x(c, 3, "赢单");
	chart_set(c, 0, 0, 231);
	chart_set(c, 0, 1, 142);
	chart_set(c, 0, 2, 60);
	chart_set(c, 0, 3, 12);
	doc_chart(d, c);
	c = chart_new(CHART_LINE, "Week over week", 1, 3, 1);
	chart_series(c, 0, "won");
	chart_x(c, 0, "2026-W08");
	chart_x(c, 1, "2026-W09");
	chart_x(c, 2, "2026-W10");
	chart_set(c, 0, 0, 100000000);
	chart_set(c, 0, 1, 150000000);
	chart_set(c, 0, 2, 233200000);
	doc_chart(d, c);
	c = chart_new(CHART_HEATMAP, "Factors", 2, 2, 0);
	chart_series(c, 0, "华东");
	chart_series(c, 1, "华南");
	chart_x(c, 0, "price");
	chart_x(c, 1, "service");
	chart_set(c, 0, 0, 5);
	chart_set(c, 0, 1, 1);
	chart_set(c, 1, 0, 0);
	chart_set(c, 1, 1, 7);
	doc_chart(d, c);
	return d;
}

static void
test_labels(void)
{
	struct chart *m, *n;
	char s[64];

	m = chart_new(CHART_BAR, "m", 1, 1, 1);
	n = chart_new(CHART_BAR, "n", 1, 1, 0);
	/* 118000000 fen = 1,180,000 yuan = 118万 */
	chart_value_label(s, sizeof(s), m, 118000000);
	is_str(s, "118万", "1,180,000 yuan is 118万");
	/* 773300000 fen = 7,733,000 yuan = 773.3万 */
	chart_value_label(s, sizeof(s), m, 773300000);
	is_str(s, "773.3万", "7,733,000 yuan is 773.3万");
	/* 2,370,000,000 yuan = 23.7亿 */
	chart_value_label(s, sizeof(s), m, 237000000000.0);
	is_str(s, "23.7亿", "2,370,000,000 yuan is 23.7亿");
	chart_value_label(s, sizeof(s), m, 12345);
	is_str(s, "123.45", "123.45 yuan stays yuan");
	chart_value_label(s, sizeof(s), m, -5000000);
	is_str(s, "-5万", "negative 50,000 yuan");
	chart_value_label(s, sizeof(s), n, 15);
	is_str(s, "15", "a count stays whole");
	chart_value_label(s, sizeof(s), n, 0.25);
	is_str(s, "0.25", "a fraction keeps its decimals");
	chart_free(m);
	chart_free(n);
}

static void
test_html(void)
{
	struct doc *d;
	char *s;
	size_t len;

	d = every_block();
	s = render(d, OUT_HTML, &len);
	ok(s != NULL, "html: written");
	if (s == NULL) {
		doc_free(d);
		return;
	}
	ok(strncmp(s, "<!DOCTYPE html>", 15) == 0, "html: a doctype");
	ok(strstr(s, "<meta charset=\"utf-8\">") != NULL, "html: utf-8");
	is_int(count(s, len, "http"), 0, "html: no URL at all");
	is_int(count(s, len, "<link"), 0, "html: no <link>");
	is_int(count(s, len, "<script"), 0, "html: no script, even escaped");
	is_int(count(s, len, "<img"), 0, "html: no images");
	ok(strstr(s, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;") !=
	    NULL, "html: a cell with a script is escaped");
	ok(strstr(s, "<td>A&amp;B &#39;Co&#39;</td>") != NULL,
	    "html: & and quotes escaped in a cell");
	ok(strstr(s, "<th>rep &lt;name&gt;</th>") != NULL,
	    "html: a column label escaped");
	ok(strstr(s, "<title>周报 &lt;2026-W10&gt; &amp; &quot;all&quot;"
	    "</title>") != NULL, "html: the title escaped");
	ok(strstr(s, "<p>O&#39;Brien &amp; 张伟 said &quot;&lt;script&gt;")
	    != NULL, "html: a paragraph escaped");
	ok(strstr(s, "<caption>By rep &amp; region</caption>") != NULL,
	    "html: the table title is its caption");
	/* 118000000 fen are 1,180,000.00 yuan, right-aligned. */
	ok(strstr(s, "<td class=\"num\">1,180,000.00</td>") != NULL,
	    "html: money right-aligned in yuan");
	ok(strstr(s, "<tr class=\"total\"><td>Total</td><td class=\"num\">4"
	    "</td><td class=\"num\">1,600,000.00</td></tr>") != NULL,
	    "html: the totals row marked");
	ok(strstr(s, "only-for-programs") == NULL,
	    "html: machine tables left out");
	ok(strstr(s, "@media print") != NULL &&
	    strstr(s, "thead{display:table-header-group}") != NULL,
	    "html: a print stylesheet repeating table headers");
	is_int(count(s, len, "<svg"), 5, "html: one <svg> per chart");
	is_int(count(s, len, "<section>"), 2, "html: a section per heading");
	ok(strstr(s, "<?xml") == NULL, "html: no XML declaration inside");
	ok(ids_unique(s) > 10, "html: ids unique over five charts");
	ok(strstr(s, "id=\"c1-") != NULL && strstr(s, "id=\"c5-") != NULL,
	    "html: ids prefixed per chart");
	free(s);
	doc_free(d);
}

static void
test_pdf(void)
{
	struct table *t;
	struct doc *d;
	char *s, name[32];
	size_t len, r;

	d = every_block();
	s = render(d, OUT_PDF, &len);
	ok(s != NULL && len > 5 && memcmp(s, "%PDF-", 5) == 0,
	    "pdf: starts with %PDF-");
	ok(s != NULL && count(s, len, "%%EOF") >= 1, "pdf: ends with %%EOF");
	ok(s != NULL && count(s, len, "/FontFile3") +
	    count(s, len, "/FontFile2") >= 1, "pdf: fonts embedded");
	free(s);
	doc_free(d);

	d = doc_new(NULL);
	s = render(d, OUT_PDF, &len);
	ok(s != NULL && memcmp(s, "%PDF-", 5) == 0, "pdf: empty document");
	is_int(s != NULL ? pdf_pages(s, len) : -1, 1,
	    "pdf: an empty document is one page");
	free(s);
	s = render(d, OUT_HTML, &len);
	ok(s != NULL && strstr(s, "<main>\n<section>\n</section>") != NULL,
	    "html: empty document");
	free(s);
	doc_free(d);

	/*
	 * 5,000 rows, no titles.  A row is one line of 8.5 pt Noto Sans
	 * CJK (ascent 1.16 + descent 0.288 em = 12.308 pt) plus 2 + 2 pt
	 * of padding: 16.308 pt.  A page holds 841.89 - 50 - 64 = 727.89
	 * pt: the header and 43 rows (44 * 16.308 = 717.6; 45 rows would
	 * need 733.9).  5000 / 43 = 116.3: 117 pages.
	 */
	d = doc_new(NULL);
	t = table_new(NULL);
	table_col(t, "rep", "rep", 0);
	table_money_col(t, "amount", "amount");
	for (r = 0; r < 5000; r++) {
		snprintf(name, sizeof(name), "张伟%zu", r);
		(void)table_row(t);
		table_text(t, r, 0, name);
		table_money(t, r, 1, (int64_t)r * 100);
	}
	doc_table(d, t, DOC_HUMAN);
	s = render(d, OUT_PDF, &len);
	is_int(s != NULL ? pdf_pages(s, len) : -1, 117,
	    "pdf: 5,000 rows on 117 pages");
	free(s);
	doc_free(d);
}

/*
 * A paragraph longer than a page flows on to the next pages, line by
 * line: pdftotext finds its last words (page numbers drawn between its
 * lines once cut it short).
 */
static void
test_long_para(void)
{
	char path[] = "/tmp/t_doc.XXXXXX", cmd[64], line[4096], *s, *text;
	struct doc *d;
	FILE *fp;
	size_t len, i;
	int fd, found = 0;

	text = calloc(1500, 32);
	for (i = 0; i < 1500; i++)
		strcat(text, "销售周报 weekly words ");
	strcat(text, "终点 END-OF-TEXT");
	d = doc_new(NULL);
	doc_para(d, "%s", text);
	free(text);
	s = render(d, OUT_PDF, &len);
	doc_free(d);
	ok(s != NULL && pdf_pages(s, len) > 1, "pdf: a long paragraph "
	    "takes pages");
	if (s == NULL || (fd = mkstemp(path)) == -1) {
		free(s);
		return;
	}
	if (write(fd, s, len) != (ssize_t)len)
		len = 0;
	close(fd);
	free(s);
	snprintf(cmd, sizeof(cmd), "pdftotext %s - 2>/dev/null", path);
	if (len > 0 && (fp = popen(cmd, "r")) != NULL) {
		while (fgets(line, sizeof(line), fp) != NULL)
			if (strstr(line, "终点 END-OF-TEXT") != NULL)
				found = 1;
		if (pclose(fp) == 0)
			ok(found, "pdf: the paragraph's last words are there");
		else
			skip("pdf: the paragraph's last words", "no pdftotext");
	}
	unlink(path);
}

int
main(void)
{
	diag_init("t_doc", stderr);
	test_labels();
	test_html();
	test_pdf();
	test_long_para();
	return tap_done();
}
