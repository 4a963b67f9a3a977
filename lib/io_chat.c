/*
 * Chat transcript reader: WeChat-style exports as people save them, one
 * row per message with the columns time, sender, type and text (a
 * header row first, as the JSON-lines reader does).  Message headers
 * are recognised with POSIX extended regular expressions; the first
 * header fixes the file's style, so a later body line that happens to
 * look like another style's header stays text.  System lines (date
 * banners, 以下为新消息, recalls) end the message before them and are
 * counted, not returned.
 */
#include <iconv.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "norm.h"
#include "reader.h"
#include "row.h"
#include "textin.h"
#include "xalloc.h"
#include "xldate.h"

#define LINE_MAX_BYTES	(1L << 20)
#define MSG_MAX_BYTES	(8L << 20)
#define CHUNK		(1 << 16)

/* Message header styles, in the order they are tried. */
enum style {
	ST_NONE = -1,
	ST_NAME_TIME,	/* 张三 2026-03-05 09:15:02, 女朋友 2023/09/16 2:51 PM */
	ST_TIME_NAME,	/* 2026-03-05 14:22:10 张三 */
	ST_BRACKET,	/* [2026/3/5 14:22] 张三: text, [3/5/26, 9:15 AM] ... */
	ST_CLOCK,	/* 小红  16:21, under a date separator */
	ST_COUNT
};

enum {
	RE_DAYSEP = ST_COUNT,	/* —————  2026-04-06  ————— */
	RE_PARTIES,		/* 小明 和 小红 在微信上的聊天记录如下 */
	RE_COUNT
};

#define DATE_YF "([0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2})"
#define CLOCK "([0-9]{1,2}:[0-9]{2}(:[0-9]{2})?)"
#define AMPM "( *([AaPp][Mm]|上午|下午))?"
#define PRE "((上午|下午) *)?"	/* a Chinese-locale phone: 下午2:03 */

static const char *const patterns[RE_COUNT] = {
	"^(.*[^ ]) +" DATE_YF " +" PRE CLOCK AMPM "$",
	"^" DATE_YF " +" PRE CLOCK AMPM " +([^ ].*)$",
	"^\\[([0-9]{1,4}[-/.][0-9]{1,2}[-/.][0-9]{1,4}),? +" PRE CLOCK AMPM
	    "\\] *([^:]*[^: ]) *: ?(.*)$",
	"^([^ ]|[^ ].*[^ ])  +" PRE CLOCK "$",
	"^(—)+ +" DATE_YF " +(—)+$",
	"^(.+[^ ]) +和 +([^ ].+[^ ]) +在微信上的聊天记录如下",
};

/* Capture groups: date, clock, am/pm after, sender, text, 上午/下午
 * before (0: none). */
static const int groups[ST_COUNT][6] = {
	{2, 5, 8, 1, 0, 4},
	{1, 4, 7, 8, 0, 3},
	{1, 4, 7, 8, 9, 3},
	{0, 4, 0, 1, 0, 3},
};

/* Whole-message placeholders for media, and the type each stands for. */
static const struct {
	const char	*text;
	const char	*type;
} media[] = {
	{"[图片]", "image"}, {"[照片]", "image"}, {"[语音]", "voice"},
	{"[视频]", "video"}, {"[文件]", "file"}, {"[动画表情]", "sticker"},
	{"[表情]", "sticker"}, {"[Photo]", "image"}, {"[Voice]", "voice"},
	{"[Video]", "video"}, {"[File]", "file"}, {"[Sticker]", "sticker"},
};

/* Lines that report an event rather than say something. */
static const char *const system_exact[] = {
	"以下为新消息", "以下是新消息", "以上为历史消息", "以上是打招呼的内容",
	"以下为历史消息",
};
static const char *const system_suffix[] = {
	"撤回了一条消息", "recalled a message", "加入了群聊", "移出了群聊",
	"现在可以开始聊天了。", "现在可以开始聊天了",
};

struct chat_rd {
	struct reader	 base;
	struct textin	*in;
	char		*chunk;
	size_t		 clen, cpos;
	int		 eof;
	struct buf	 line, norm;
	long		 lineno;
	const regex_t	*re;
	enum style	 style;		/* fixed by the first header */
	enum date_order	 order;		/* year-last dates */
	char		 day[16];	/* YYYY-MM-DD of the last separator */
	/* The message being read. */
	int		 open;
	long		 mline;
	char		 when[CIVIL_TEXT_MAX];
	struct buf	 sender, body;
	/* A finished message waiting behind the header row. */
	int		 ready;
	struct row	 out;
	int		 header_done;
	long		 nmessages, nsystem;
	char		*party[2];
};

static const struct reader_ops chat_ops;

/*
 * The patterns, compiled once per process: they never change, and a
 * run may open many transcripts.  NULL if they do not compile.
 */
static const regex_t *
patterns_compiled(void)
{
	static regex_t re[RE_COUNT];
	static int state;	/* 0 not yet, 1 ready, -1 failed */
	int i;

	if (state == 0) {
		state = 1;
		for (i = 0; i < RE_COUNT && state == 1; i++)
			if (regcomp(&re[i], patterns[i], REG_EXTENDED) != 0) {
				while (--i >= 0)
					regfree(&re[i]);
				state = -1;
			}
	}
	return state == 1 ? re : NULL;
}

/*
 * The line as matched: CR gone, U+202F and U+00A0 (what phones write
 * before AM/PM) and tabs as plain spaces, trailing spaces trimmed.  For
 * a line that opens with '[' only the bracket is rewritten, so the
 * message text after it stays as written.
 */
static void
normalize(struct buf *out, const char *s, size_t n)
{
	size_t i, end;

	buf_reset(out);
	end = n;
	if (n > 0 && s[0] == '[') {
		const char *rb = memchr(s, ']', n);

		end = rb != NULL ? (size_t)(rb - s) + 1 : n;
	}
	for (i = 0; i < end; i++) {
		if (i + 2 < end && memcmp(s + i, "\xe2\x80\xaf", 3) == 0) {
			buf_addc(out, ' ');
			i += 2;
		} else if (i + 1 < end && memcmp(s + i, "\xc2\xa0", 2) == 0) {
			buf_addc(out, ' ');
			i++;
		} else if (s[i] == '\t')
			buf_addc(out, ' ');
		else
			buf_addc(out, s[i]);
	}
	buf_add(out, s + end, n - end);
	while (out->len > 0 && (out->s[out->len - 1] == ' ' ||
	    out->s[out->len - 1] == '\r'))
		buf_truncate(out, out->len - 1);
}

static int
is_blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

static int
ends_with(const char *s, size_t n, const char *suf)
{
	size_t k = strlen(suf);

	return n >= k && memcmp(s + n - k, suf, k) == 0;
}

static int
is_system(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(system_exact) / sizeof(*system_exact); i++)
		if (n == strlen(system_exact[i]) &&
		    memcmp(s, system_exact[i], n) == 0)
			return 1;
	for (i = 0; i < sizeof(system_suffix) / sizeof(*system_suffix); i++)
		if (ends_with(s, n, system_suffix[i]))
			return 1;
	return 0;
}

/* Next physical line into c->line; 1, 0 at end, -1 on error. */
static int
read_line(struct chat_rd *c)
{
	struct pos pos;
	const char *nl;
	ssize_t n;
	size_t len;

	buf_reset(&c->line);
	for (;;) {
		if (c->cpos >= c->clen) {
			if (c->eof)
				return c->line.len > 0;
			if ((n = textin_read(c->in, c->chunk, CHUNK)) < 0)
				return -1;
			if (n == 0) {
				c->eof = 1;
				return c->line.len > 0;
			}
			c->clen = (size_t)n;
			c->cpos = 0;
		}
		len = c->clen - c->cpos;
		nl = memchr(c->chunk + c->cpos, '\n', len);
		if (nl != NULL)
			len = (size_t)(nl - (c->chunk + c->cpos));
		if (c->line.len + len > (size_t)LINE_MAX_BYTES) {
			memset(&pos, 0, sizeof(pos));
			pos.file = c->base.name;
			pos.line = c->lineno + 1;
			diag_error(SX_DATA, &pos, "line longer than %ld MiB",
			    LINE_MAX_BYTES >> 20);
			return -1;
		}
		buf_add(&c->line, c->chunk + c->cpos, len);
		c->cpos += len;
		if (nl != NULL) {
			c->cpos++;
			return 1;
		}
	}
}

static void
grab(struct buf *out, const char *s, const regmatch_t *m, int g)
{
	buf_reset(out);
	if (g > 0 && m[g].rm_so >= 0)
		buf_add(out, s + m[g].rm_so, (size_t)(m[g].rm_eo - m[g].rm_so));
}

/* The finished message into c->out; sets c->ready. */
static void
finish(struct chat_rd *c)
{
	const char *type, *s;
	size_t i, n;

	if (!c->open)
		return;
	c->open = 0;
	/* Blank lines around the text belong to the layout, not to it. */
	s = c->body.s != NULL ? c->body.s : "";
	n = c->body.len;
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
		n--;
	while (n > 0 && (s[0] == '\n' || s[0] == ' ')) {
		s++;
		n--;
	}
	type = "text";
	for (i = 0; i < sizeof(media) / sizeof(*media); i++)
		if (n == strlen(media[i].text) &&
		    memcmp(s, media[i].text, n) == 0)
			type = media[i].type;
	row_clear(&c->out);
	c->out.line = c->mline;
	row_set(&c->out, 0, CELL_DATETIME, c->when, strlen(c->when));
	row_set(&c->out, 1, CELL_TEXT, buf_str(&c->sender), c->sender.len);
	row_set(&c->out, 2, CELL_TEXT, type, strlen(type));
	row_set(&c->out, 3, n > 0 ? CELL_TEXT : CELL_EMPTY, s, n);
	c->out.nfields = 4;
	c->ready = 1;
	c->nmessages++;
}

/* Read the time of a header line; 0, or -1 after reporting. */
static int
header_time(struct chat_rd *c, enum style st, const char *s,
    const regmatch_t *m)
{
	struct buf date = {0}, clock = {0}, ampm = {0}, text = {0};
	enum date_order settles, order;
	struct civil cv;
	struct pos pos;
	const char *why;
	int rc, has_time, tzmin;

	grab(&date, s, m, groups[st][0]);
	grab(&clock, s, m, groups[st][1]);
	grab(&ampm, s, m, groups[st][2]);
	if (ampm.len == 0)
		grab(&ampm, s, m, groups[st][5]);
	if (st == ST_CLOCK)
		buf_adds(&date, c->day);
	buf_addf(&text, "%s %s%s%s", buf_str(&date), buf_str(&clock),
	    ampm.len ? " " : "", buf_str(&ampm));
	/* 12-hour clocks with a year-last date: an English-locale export. */
	order = c->order;
	if (order == ORDER_UNKNOWN && ampm.len > 0 &&
	    (ampm.s[0] == 'A' || ampm.s[0] == 'a' || ampm.s[0] == 'P' ||
	    ampm.s[0] == 'p'))
		order = ORDER_MDY;
	rc = norm_datetime(text.s, text.len, order, 0, &cv, &has_time, &tzmin,
	    &settles, &why);
	memset(&pos, 0, sizeof(pos));
	pos.file = c->base.name;
	pos.line = c->lineno;
	if (rc == NORM_AMBIGUOUS)
		diag_error(SX_DATA, &pos, "ambiguous date '%s': day and month "
		    "could be either way and no earlier message settles it",
		    diag_val(date.s));
	else if (rc != NORM_OK)
		diag_error(SX_DATA, &pos, "message time '%s': %s",
		    diag_val(text.s), why != NULL ? why : "not a time");
	else {
		if (c->order == ORDER_UNKNOWN)
			c->order = settles != ORDER_UNKNOWN ? settles : order;
		civil_format(c->when, &cv, 1);
	}
	buf_free(&date);
	buf_free(&clock);
	buf_free(&ampm);
	buf_free(&text);
	return rc == NORM_OK ? 0 : -1;
}

/* The day of a separator line, "YYYY-MM-DD"; 0, or -1 after reporting. */
static int
separator_day(struct chat_rd *c, const char *s, const regmatch_t *m)
{
	struct buf date = {0};
	enum date_order settles;
	struct civil cv;
	struct pos pos;
	const char *why;
	int rc, has_time, tzmin;

	grab(&date, s, m, 2);
	rc = norm_datetime(date.s, date.len, ORDER_UNKNOWN, 0, &cv, &has_time,
	    &tzmin, &settles, &why);
	if (rc == NORM_OK)
		civil_format(c->day, &cv, 0);
	else {
		memset(&pos, 0, sizeof(pos));
		pos.file = c->base.name;
		pos.line = c->lineno;
		diag_error(SX_DATA, &pos, "date separator '%s': %s",
		    diag_val(date.s), why != NULL ? why : "not a date");
	}
	buf_free(&date);
	return rc == NORM_OK ? 0 : -1;
}

/* Which header style the line is, or ST_NONE. */
static enum style
match_header(struct chat_rd *c, const char *s, regmatch_t *m)
{
	int st;

	for (st = 0; st < ST_COUNT; st++) {
		if (c->style != ST_NONE && st != (int)c->style)
			continue;
		if (st == ST_CLOCK && c->day[0] == '\0')
			continue;
		if (regexec(&c->re[st], s, 10, m, 0) == 0)
			return (enum style)st;
	}
	return ST_NONE;
}

static void
add_party(struct chat_rd *c, const char *s, const regmatch_t *m)
{
	int i;

	for (i = 0; i < 2; i++) {
		free(c->party[i]);
		c->party[i] = xstrndup(s + m[i + 1].rm_so,
		    (size_t)(m[i + 1].rm_eo - m[i + 1].rm_so));
		c->base.party[i] = c->party[i];
	}
}

/* Read lines until a message is finished; 1, 0 at end, -1 on error. */
static int
fill(struct chat_rd *c)
{
	regmatch_t m[10];
	struct pos pos;
	enum style st;
	const char *s;
	int rc;

	while (!c->ready) {
		if ((rc = read_line(c)) < 0)
			return -1;
		if (rc == 0) {
			finish(c);
			break;
		}
		c->lineno++;
		normalize(&c->norm, c->line.s, c->line.len);
		s = buf_str(&c->norm);
		if (c->norm.len == 0 || is_blank(s, c->norm.len)) {
			if (c->open)
				buf_addc(&c->body, '\n');
			continue;
		}
		if (regexec(&c->re[RE_DAYSEP], s, 10, m, 0) == 0) {
			finish(c);
			c->nsystem++;
			if (separator_day(c, s, m) < 0)
				return -1;
			continue;
		}
		if (c->nmessages == 0 && !c->open &&
		    regexec(&c->re[RE_PARTIES], s, 10, m, 0) == 0) {
			c->nsystem++;
			add_party(c, s, m);
			continue;
		}
		if ((st = match_header(c, s, m)) != ST_NONE) {
			finish(c);
			if (header_time(c, st, s, m) < 0)
				return -1;
			c->style = st;
			c->open = 1;
			c->mline = c->lineno;
			grab(&c->sender, s, m, groups[st][3]);
			grab(&c->body, s, m, groups[st][4]);
			continue;
		}
		if (is_system(s, c->norm.len)) {
			finish(c);
			c->nsystem++;
			continue;
		}
		if (!c->open) {
			/* A title above the first message is layout. */
			if (c->nmessages == 0) {
				c->nsystem++;
				continue;
			}
			memset(&pos, 0, sizeof(pos));
			pos.file = c->base.name;
			pos.line = c->lineno;
			diag_warn(&pos, "line outside any message skipped '%s'",
			    diag_val(s));
			continue;
		}
		if (c->body.len + c->line.len > (size_t)MSG_MAX_BYTES) {
			memset(&pos, 0, sizeof(pos));
			pos.file = c->base.name;
			pos.line = c->mline;
			diag_error(SX_DATA, &pos, "message longer than %ld MiB",
			    MSG_MAX_BYTES >> 20);
			return -1;
		}
		if (c->body.len > 0 || c->style == ST_BRACKET)
			buf_addc(&c->body, '\n');
		/* The text as written, less its CR. */
		buf_add(&c->body, c->line.s, c->line.len > 0 &&
		    c->line.s[c->line.len - 1] == '\r' ? c->line.len - 1 :
		    c->line.len);
	}
	return c->ready;
}

static int
chat_next(struct reader *rd, struct row *r)
{
	static const char *const cols[] = {"time", "sender", "type", "text"};
	struct chat_rd *c = (struct chat_rd *)rd;
	struct pos pos;
	size_t i;
	int rc;

	if (!c->header_done) {
		/* Read the first message first: a header line above it may
		 * name the parties, and an empty file is an error. */
		if ((rc = fill(c)) < 0)
			return -1;
		if (rc == 0) {
			memset(&pos, 0, sizeof(pos));
			pos.file = c->base.name;
			diag_error(SX_DATA, &pos, "no chat messages found (lines "
			    "such as '张三 2026-03-05 14:22' or '[2026/3/5 14:22] "
			    "张三: ...')");
			return -1;
		}
		c->header_done = 1;
		r->header = 1;
		r->line = c->out.line;
		for (i = 0; i < 4; i++)
			row_set(r, i, CELL_TEXT, cols[i], strlen(cols[i]));
		r->nfields = 4;
		return 1;
	}
	if ((rc = fill(c)) <= 0)
		return rc;
	row_copy(r, &c->out);
	r->file = c->base.name;
	c->ready = 0;
	return 1;
}

static void
chat_close(struct reader *rd)
{
	struct chat_rd *c = (struct chat_rd *)rd;

	free(c->party[0]);
	free(c->party[1]);
	row_free(&c->out);
	buf_free(&c->line);
	buf_free(&c->norm);
	buf_free(&c->sender);
	buf_free(&c->body);
	free(c->chunk);
	textin_close(c->in);
	free(c);
}

struct reader *
chat_open(const char *path, const char *name, const struct reader_opts *o)
{
	struct chat_rd *c;
	struct pos pos;

	c = xcalloc(1, sizeof(*c));
	c->base.ops = &chat_ops;
	c->base.name = name;
	c->style = ST_NONE;
	if ((c->re = patterns_compiled()) == NULL) {
		memset(&pos, 0, sizeof(pos));
		pos.file = name;
		diag_error(SX_SYS, &pos, "cannot compile the chat patterns");
		free(c);
		return NULL;
	}
	if ((c->in = textin_open(path, name, o->encoding)) == NULL) {
		chat_close(&c->base);
		return NULL;
	}
	snprintf(c->base.encoding, sizeof(c->base.encoding), "%s",
	    textin_encoding(c->in));
	c->chunk = xmalloc(CHUNK);
	row_init(&c->out);
	return &c->base;
}

long
chat_system_lines(const struct reader *rd)
{
	return rd->fmt == FMT_CHAT ? ((const struct chat_rd *)rd)->nsystem :
	    0;
}

/* The UTF-16 text after a byte-order mark, as UTF-8, as far as it goes. */
static void
from_utf16(struct buf *out, const unsigned char *p, size_t n)
{
	char chunk[4096], *in, *o;
	size_t left, room;
	iconv_t cd;

	cd = iconv_open("UTF-8", p[0] == 0xff ? "UTF-16LE" : "UTF-16BE");
	if (cd == (iconv_t)-1)
		return;
	in = (char *)p + 2;
	left = n - 2;
	while (left > 1) {
		o = chunk;
		room = sizeof(chunk);
		if (iconv(cd, &in, &left, &o, &room) == (size_t)-1 &&
		    o == chunk)
			break;	/* a bad or cut sequence: enough to judge */
		buf_add(out, chunk, (size_t)(o - chunk));
	}
	iconv_close(cd);
}

int
chat_sniff(const unsigned char *p, size_t n)
{
	const regex_t *re;
	regmatch_t m[10];
	struct buf line = {0}, norm = {0};
	const char *nl;
	size_t i;
	int yes, st, comma;

	if (n >= 2 && ((p[0] == 0xff && p[1] == 0xfe) ||
	    (p[0] == 0xfe && p[1] == 0xff))) {
		from_utf16(&line, p, n);
		yes = line.len > 0 && chat_sniff((const unsigned char *)line.s,
		    line.len);
		buf_free(&line);
		return yes;
	}
	/* The first non-blank line, whole (a cut line proves nothing). */
	i = 0;
	if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' ||
	    p[i] == '\n'))
		i++;
	if ((nl = memchr(p + i, '\n', n - i)) == NULL)
		nl = (const char *)p + n;
	buf_add(&line, (const char *)p + i, (size_t)(nl - (const char *)p) -
	    i);
	yes = 0;
	if (memchr(line.s, '\t', line.len) == NULL &&
	    memchr(line.s, '\0', line.len) == NULL &&
	    (re = patterns_compiled()) != NULL) {
		normalize(&norm, line.s, line.len);
		/* A comma outside a bracketed time is a CSV line's. */
		comma = memchr(norm.s, ',', norm.len) != NULL;
		for (st = 0; st < RE_COUNT && !yes; st++)
			if (st != ST_CLOCK && (!comma || st == ST_BRACKET) &&
			    regexec(&re[st], buf_str(&norm), 10, m, 0) == 0)
				yes = 1;
	}
	buf_free(&line);
	buf_free(&norm);
	return yes;
}

static const struct reader_ops chat_ops = {
	chat_next,
	chat_close,
};
