/*
 * RSS 2.0 and Atom reader (expat): one row per item or entry with the
 * columns guid, feed, title, link, published and text, after a header
 * row.  The feed is parsed when it is opened (feeds are small; fields
 * and the item count are capped), decoded to UTF-8 by textin first, so
 * a GBK feed reads like a UTF-8 one.  A DOCTYPE is refused: feeds need
 * none, and entity declarations are how XML bombs work.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <expat.h>

#include "buf.h"
#include "diag.h"
#include "reader.h"
#include "row.h"
#include "textin.h"
#include "xalloc.h"
#include "xldate.h"

#define CHUNK		(1 << 16)
#define FIELD_MAX	(1L << 20)	/* bytes of one field */
#define ITEMS_MAX	100000L
#define DEPTH_MAX	64

enum col {
	C_GUID,
	C_FEED,
	C_TITLE,
	C_LINK,
	C_PUBLISHED,
	C_TEXT,
	NCOLS
};

static const char *const colnames[NCOLS] = {
	"guid", "feed", "title", "link", "published", "text",
};

/* What an element of an item holds. */
enum slot {
	S_NONE = -1,
	S_TITLE,
	S_LINK,
	S_GUID,
	S_DATE,		/* pubDate, published, dc:date */
	S_UPDATED,
	S_SUMMARY,	/* description, summary */
	S_CONTENT,	/* content, content:encoded */
	NSLOTS
};

struct item {
	char	*v[NCOLS];
	long	 line;
};

struct rss_rd {
	struct reader	 base;
	struct item	*items;
	size_t		 n, cap, next;
	int		 header_done;
	char		*feed;
};

struct parse {
	struct rss_rd	*r;
	XML_Parser	 p;
	const char	*name;
	int		 depth;
	int		 atom;
	int		 item_depth;	/* depth of the open item, or 0 */
	int		 capture;	/* depth of the element being read */
	enum slot	 slot;
	int		 feed_title;	/* capturing the feed's own title */
	struct buf	 text;
	struct buf	 slots[NSLOTS];
	long		 line;
	int		 failed;
	char		 parent[DEPTH_MAX][16];
};

static const struct reader_ops rss_ops;

/* "content:encoded" is "encoded"; "atom:link" is "link". */
static const char *
local(const char *name)
{
	const char *c = strrchr(name, ':');

	return c != NULL ? c + 1 : name;
}

static void fail(struct parse *, const char *, ...)
    __attribute__((__format__(__printf__, 2, 3)));

static void
fail(struct parse *ps, const char *fmt, ...)
{
	struct buf msg = {0};
	struct pos pos;
	va_list ap;

	if (ps->failed)
		return;
	ps->failed = 1;
	va_start(ap, fmt);
	buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	memset(&pos, 0, sizeof(pos));
	pos.file = ps->name;
	pos.line = (long)XML_GetCurrentLineNumber(ps->p);
	pos.col = (int)XML_GetCurrentColumnNumber(ps->p) + 1;
	diag_error(SX_DATA, &pos, "%s", buf_str(&msg));
	buf_free(&msg);
	XML_StopParser(ps->p, XML_FALSE);
}

static void
on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
    const XML_Char *pubid, int internal)
{
	(void)sysid;
	(void)pubid;
	(void)internal;
	fail(ud, "not a valid feed: DOCTYPE declaration '%s' refused "
	    "(entity expansion attack?)", diag_val(name));
}

static enum slot
slot_of(const char *l)
{
	static const struct {
		const char	*name;
		enum slot	 slot;
	} names[] = {
		{"title", S_TITLE}, {"link", S_LINK}, {"guid", S_GUID},
		{"id", S_GUID}, {"pubDate", S_DATE}, {"published", S_DATE},
		{"date", S_DATE}, {"issued", S_DATE}, {"updated", S_UPDATED},
		{"modified", S_UPDATED}, {"description", S_SUMMARY},
		{"summary", S_SUMMARY}, {"content", S_CONTENT},
		{"encoded", S_CONTENT},
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (strcmp(l, names[i].name) == 0)
			return names[i].slot;
	return S_NONE;
}

static const char *
attr(const XML_Char **atts, const char *name)
{
	for (; atts[0] != NULL; atts += 2)
		if (strcmp(local(atts[0]), name) == 0)
			return atts[1];
	return NULL;
}

static void
on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct parse *ps = ud;
	const char *l = local(name), *href, *rel;
	int i;

	if (ps->failed)
		return;
	if (ps->depth == 0) {
		if (strcmp(l, "feed") == 0)
			ps->atom = 1;
		else if (strcmp(l, "rss") != 0 && strcmp(l, "RDF") != 0) {
			fail(ps, "not an RSS or Atom feed: the document is "
			    "<%s>", diag_val(name));
			return;
		}
	}
	if (ps->depth >= DEPTH_MAX) {
		fail(ps, "not a valid feed: elements nested deeper than %d",
		    DEPTH_MAX);
		return;
	}
	snprintf(ps->parent[ps->depth], sizeof(ps->parent[0]), "%s", l);
	ps->depth++;
	if (ps->capture > 0)
		return;	/* markup inside a field: its text only */
	if (ps->item_depth == 0 && (strcmp(l, "item") == 0 ||
	    strcmp(l, "entry") == 0)) {
		ps->item_depth = ps->depth;
		ps->line = (long)XML_GetCurrentLineNumber(ps->p);
		for (i = 0; i < NSLOTS; i++)
			buf_reset(&ps->slots[i]);
		return;
	}
	if (ps->item_depth > 0 && ps->depth == ps->item_depth + 1) {
		ps->slot = slot_of(l);
		if (ps->slot == S_NONE)
			return;
		/* Atom links are attributes; the first alternate wins. */
		if (ps->slot == S_LINK && (href = attr(atts, "href")) != NULL) {
			rel = attr(atts, "rel");
			if (ps->slots[S_LINK].len == 0 && (rel == NULL ||
			    strcmp(rel, "alternate") == 0))
				buf_adds(&ps->slots[S_LINK], href);
			ps->slot = S_NONE;
			return;
		}
		if (ps->slots[ps->slot].len > 0)
			ps->slot = S_NONE;	/* the first one counts */
		else {
			ps->capture = ps->depth;
			buf_reset(&ps->text);
		}
		return;
	}
	/* The feed's title: rss/channel/title or feed/title. */
	if (ps->item_depth == 0 && strcmp(l, "title") == 0 &&
	    ps->depth >= 2 && (strcmp(ps->parent[ps->depth - 2],
	    "channel") == 0 || strcmp(ps->parent[ps->depth - 2], "feed") ==
	    0) && ps->r->feed == NULL) {
		ps->feed_title = 1;
		ps->capture = ps->depth;
		buf_reset(&ps->text);
	}
}

static void
on_chars(void *ud, const XML_Char *s, int len)
{
	struct parse *ps = ud;

	if (ps->failed || ps->capture == 0)
		return;
	if (ps->text.len + (size_t)len > (size_t)FIELD_MAX) {
		fail(ps, "a feed field longer than %ld MiB (hostile file?)",
		    FIELD_MAX >> 20);
		return;
	}
	buf_add(&ps->text, s, (size_t)len);
}

static int
is_block(const char *tag, size_t n)
{
	static const char *const blocks[] = {
		"p", "div", "br", "li", "ul", "ol", "tr", "td", "th", "table",
		"h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "hr", "pre",
		"section", "article",
	};
	size_t i, k;

	if (n > 0 && tag[0] == '/') {
		tag++;
		n--;
	}
	for (k = 0; k < n && isalnum((unsigned char)tag[k]); k++)
		;
	for (i = 0; i < sizeof(blocks) / sizeof(*blocks); i++)
		if (strlen(blocks[i]) == k && strncasecmp(tag, blocks[i], k) ==
		    0)
			return 1;
	return 0;
}

/* Append s with HTML tags dropped, a few entities decoded, white
 * space collapsed: what a reader of the news sees. */
static void
strip_html(struct buf *out, const char *s, size_t n)
{
	static const struct {
		const char	*name;
		const char	*text;
	} ents[] = {
		{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""},
		{"&#39;", "'"}, {"&apos;", "'"}, {"&nbsp;", " "},
	};
	const char *gt;
	size_t i, k;
	int space;

	space = 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '<' && i + 1 < n && (isalpha((unsigned char)s[i +
		    1]) || s[i + 1] == '/' || s[i + 1] == '!') &&
		    (gt = memchr(s + i, '>', n - i)) != NULL) {
			/* Blocks part words; inline markup does not. */
			if (is_block(s + i + 1, (size_t)(gt - s) - i - 1))
				space = 1;
			i = (size_t)(gt - s);
			continue;
		}
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
		    s[i] == '\r') {
			if (s[i] == '\n')
				space = 2;
			else if (space == 0)
				space = 1;
			continue;
		}
		/* A line break between two Chinese characters is layout. */
		if (space == 2 && out->len > 0 &&
		    (unsigned char)out->s[out->len - 1] >= 0x80 &&
		    (unsigned char)s[i] >= 0x80)
			space = 0;
		if (space && out->len > 0)
			buf_addc(out, ' ');
		space = 0;
		if (s[i] == '&') {
			for (k = 0; k < sizeof(ents) / sizeof(*ents); k++)
				if (strncmp(s + i, ents[k].name,
				    strlen(ents[k].name)) == 0)
					break;
			if (k < sizeof(ents) / sizeof(*ents)) {
				buf_adds(out, ents[k].text);
				i += strlen(ents[k].name) - 1;
				continue;
			}
		}
		buf_addc(out, s[i]);
	}
	while (out->len > 0 && out->s[out->len - 1] == ' ')
		buf_truncate(out, out->len - 1);
}

/*
 * An RFC 822 date ("Thu, 05 Mar 2026 09:30:00 +0800") as ISO 8601 with
 * its offset; 0, or -1 when it is not one (the text is then kept as
 * written, for mapping to judge).  CST is refused: China's feeds mean
 * +0800 by it, RFC 822 means -0600.
 */
static int
rfc822(const char *s, char *out, size_t outsz)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	static const struct {
		const char	*name;
		int		 min;
	} zones[] = {
		{"GMT", 0}, {"UT", 0}, {"UTC", 0}, {"Z", 0}, {"EST", -300},
		{"EDT", -240}, {"CDT", -300}, {"MST", -420}, {"MDT", -360},
		{"PST", -480}, {"PDT", -420},
	};
	char mon[4], zone[8];
	const char *p;
	size_t i;
	int d, y, hh, mm, ss, n, tz, m;

	p = s;
	while (*p == ' ')
		p++;
	if (isalpha((unsigned char)*p)) {	/* the day's name */
		while (isalpha((unsigned char)*p))
			p++;
		if (*p++ != ',')
			return -1;
	}
	ss = 0;
	zone[0] = '\0';
	n = 0;
	if (sscanf(p, " %2d %3s %4d %2d:%2d%n", &d, mon, &y, &hh, &mm, &n) !=
	    5 || n == 0)
		return -1;
	p += n;
	if (*p == ':') {
		if (sscanf(p, ":%2d%n", &ss, &n) != 1)
			return -1;
		p += n;
	}
	if (sscanf(p, " %7s%n", zone, &n) != 1)
		return -1;
	p += n;
	while (*p == ' ')
		p++;
	if (*p != '\0')
		return -1;
	for (m = 0; m < 12; m++)
		if (strncasecmp(mon, months + 3 * m, 3) == 0)
			break;
	if (m == 12 || strlen(mon) != 3)
		return -1;
	if (y < 100)
		y += y < 50 ? 2000 : 1900;
	if (!civil_valid(y, m + 1, d) || hh > 23 || mm > 59 || ss > 60)
		return -1;
	if ((zone[0] == '+' || zone[0] == '-') && strlen(zone) == 5 &&
	    isdigit((unsigned char)zone[1]) && isdigit((unsigned char)zone[2]) &&
	    isdigit((unsigned char)zone[3]) && isdigit((unsigned char)zone[4]))
		tz = ((zone[1] - '0') * 10 + zone[2] - '0') * 60 +
		    (zone[3] - '0') * 10 + zone[4] - '0';
	else {
		for (i = 0; i < sizeof(zones) / sizeof(*zones); i++)
			if (strcasecmp(zone, zones[i].name) == 0)
				break;
		if (i == sizeof(zones) / sizeof(*zones))
			return -1;
		tz = zones[i].min;
		zone[0] = tz < 0 ? '-' : '+';
		tz = tz < 0 ? -tz : tz;
	}
	snprintf(out, outsz, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", y,
	    m + 1, d, hh, mm, ss, zone[0], tz / 60, tz % 60);
	return 0;
}

static void
end_item(struct parse *ps)
{
	struct rss_rd *r = ps->r;
	struct item *it;
	struct buf b = {0};
	char iso[80];
	const char *date;

	if (r->n >= (size_t)ITEMS_MAX) {
		fail(ps, "more than %ld items (hostile file?)", ITEMS_MAX);
		return;
	}
	r->items = xgrow(r->items, &r->cap, r->n + 1, sizeof(*r->items));
	it = &r->items[r->n++];
	memset(it, 0, sizeof(*it));
	it->line = ps->line;
	it->v[C_GUID] = xstrdup(buf_str(&ps->slots[S_GUID]));
	strip_html(&b, ps->slots[S_TITLE].s, ps->slots[S_TITLE].len);
	it->v[C_TITLE] = buf_take(&b);
	/* An RSS guid is a permalink unless it says otherwise. */
	if (ps->slots[S_LINK].len == 0 && (strncmp(buf_str(&ps->slots[S_GUID]),
	    "http://", 7) == 0 || strncmp(buf_str(&ps->slots[S_GUID]),
	    "https://", 8) == 0))
		buf_adds(&ps->slots[S_LINK], buf_str(&ps->slots[S_GUID]));
	it->v[C_LINK] = xstrdup(buf_str(&ps->slots[S_LINK]));
	date = ps->slots[S_DATE].len > 0 ? buf_str(&ps->slots[S_DATE]) :
	    buf_str(&ps->slots[S_UPDATED]);
	it->v[C_PUBLISHED] = xstrdup(rfc822(date, iso, sizeof(iso)) == 0 ?
	    iso : date);
	if (ps->slots[S_SUMMARY].len > 0)
		strip_html(&b, ps->slots[S_SUMMARY].s,
		    ps->slots[S_SUMMARY].len);
	else
		strip_html(&b, ps->slots[S_CONTENT].s,
		    ps->slots[S_CONTENT].len);
	it->v[C_TEXT] = b.s != NULL ? buf_take(&b) : xstrdup("");
}

static void
on_end(void *ud, const XML_Char *name)
{
	struct parse *ps = ud;
	struct buf *t;

	(void)name;
	if (ps->failed)
		return;
	if (ps->capture == ps->depth) {
		ps->capture = 0;
		if (ps->feed_title) {
			struct buf b = {0};

			strip_html(&b, ps->text.s, ps->text.len);
			ps->r->feed = b.s != NULL ? buf_take(&b) : xstrdup("");
			ps->feed_title = 0;
		} else if (ps->slot != S_NONE) {
			t = &ps->slots[ps->slot];
			buf_reset(t);
			/* Identifiers and dates without the layout around. */
			if (ps->slot == S_SUMMARY || ps->slot == S_CONTENT ||
			    ps->slot == S_TITLE)
				buf_add(t, ps->text.s, ps->text.len);
			else
				strip_html(t, ps->text.s, ps->text.len);
		}
	} else if (ps->item_depth == ps->depth) {
		end_item(ps);
		ps->item_depth = 0;
	}
	ps->depth--;
}

/* The encoding an XML declaration names, or NULL for UTF-8 and none. */
static const char *
declared(const char *path, char *enc, size_t n)
{
	char head[256], *p, *q;
	size_t len;
	FILE *fp;

	if ((fp = fopen(path, "rb")) == NULL)
		return NULL;
	len = fread(head, 1, sizeof(head) - 1, fp);
	fclose(fp);
	head[len] = '\0';
	if ((p = strstr(head, "<?xml")) == NULL || (q = strstr(p, "?>")) ==
	    NULL)
		return NULL;
	*q = '\0';
	if ((p = strstr(p, "encoding")) == NULL ||
	    (p = strpbrk(p, "\"'")) == NULL ||
	    (q = strchr(p + 1, *p)) == NULL)
		return NULL;
	*q = '\0';
	snprintf(enc, n, "%s", p + 1);
	if (strcasecmp(enc, "utf-8") == 0 || strcasecmp(enc, "utf8") == 0)
		return NULL;
	/* GB2312 and GBK files hold what only GB18030 names. */
	if (strcasecmp(enc, "gb2312") == 0 || strcasecmp(enc, "gbk") == 0)
		snprintf(enc, n, "GB18030");
	return enc;
}

static int
parse_all(struct rss_rd *r, const char *path, const char *name,
    const struct reader_opts *o)
{
	struct parse ps;
	struct textin *in;
	char enc[32];
	const char *e;
	void *buf;
	ssize_t n;
	int i, rc;

	e = o->encoding != NULL ? o->encoding : declared(path, enc,
	    sizeof(enc));
	if ((in = textin_open(path, name, e)) == NULL)
		return -1;
	snprintf(r->base.encoding, sizeof(r->base.encoding), "%s",
	    textin_encoding(in));
	memset(&ps, 0, sizeof(ps));
	ps.r = r;
	ps.name = name;
	ps.slot = S_NONE;
	/* textin hands over UTF-8 whatever the declaration says. */
	if ((ps.p = XML_ParserCreate("UTF-8")) == NULL)
		diag_fatal(SX_SYS, "out of memory");
	XML_SetUserData(ps.p, &ps);
	XML_SetStartDoctypeDeclHandler(ps.p, on_doctype);
	XML_SetElementHandler(ps.p, on_start, on_end);
	XML_SetCharacterDataHandler(ps.p, on_chars);
	rc = 0;
	for (;;) {
		if ((buf = XML_GetBuffer(ps.p, CHUNK)) == NULL)
			diag_fatal(SX_SYS, "out of memory");
		if ((n = textin_read(in, buf, CHUNK)) < 0) {
			rc = -1;
			break;
		}
		if (XML_ParseBuffer(ps.p, (int)n, n == 0) != XML_STATUS_OK) {
			if (!ps.failed) {
				struct pos pos;

				memset(&pos, 0, sizeof(pos));
				pos.file = name;
				pos.line = (long)XML_GetCurrentLineNumber(ps.p);
				pos.col = (int)XML_GetCurrentColumnNumber(ps.p) +
				    1;
				diag_error(SX_DATA, &pos, "not a valid feed: %s",
				    XML_ErrorString(XML_GetErrorCode(ps.p)));
			}
			rc = -1;
			break;
		}
		if (n == 0)
			break;
	}
	if (rc == 0 && r->n == 0) {
		struct pos pos = {name, NULL, 0, 0};

		diag_error(SX_DATA, &pos, "the feed has no items");
		rc = -1;
	}
	XML_ParserFree(ps.p);
	textin_close(in);
	buf_free(&ps.text);
	for (i = 0; i < NSLOTS; i++)
		buf_free(&ps.slots[i]);
	return rc;
}

static int
rss_next(struct reader *rd, struct row *row)
{
	struct rss_rd *r = (struct rss_rd *)rd;
	const struct item *it;
	const char *s;
	int c;

	if (!r->header_done) {
		r->header_done = 1;
		row->header = 1;
		row->line = r->items[0].line;
		for (c = 0; c < NCOLS; c++)
			row_set(row, (size_t)c, CELL_TEXT, colnames[c],
			    strlen(colnames[c]));
		row->nfields = NCOLS;
		return 1;
	}
	if (r->next >= r->n)
		return 0;
	it = &r->items[r->next++];
	row->line = it->line;
	for (c = 0; c < NCOLS; c++) {
		s = c == C_FEED ? (r->feed != NULL ? r->feed : "") : it->v[c];
		row_set(row, (size_t)c, *s ? CELL_TEXT : CELL_EMPTY, s,
		    strlen(s));
	}
	row->nfields = NCOLS;
	return 1;
}

static void
rss_close(struct reader *rd)
{
	struct rss_rd *r = (struct rss_rd *)rd;
	size_t i;
	int c;

	for (i = 0; i < r->n; i++)
		for (c = 0; c < NCOLS; c++)
			free(r->items[i].v[c]);
	free(r->items);
	free(r->feed);
	free(r);
}

struct reader *
rss_open(const char *path, const char *name, const struct reader_opts *o)
{
	struct rss_rd *r;

	r = xcalloc(1, sizeof(*r));
	r->base.ops = &rss_ops;
	r->base.name = name;
	if (parse_all(r, path, name, o) < 0) {
		rss_close(&r->base);
		return NULL;
	}
	return &r->base;
}

static const struct reader_ops rss_ops = {
	rss_next,
	rss_close,
};
