/*
 * Customer voice and the store: scan activities into hits, tags, tasks
 * and playbook pushes; the labelled test; corrections and the phrases
 * they suggest; the tags and tasks verbs.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include "buf.h"
#include "db.h"
#include "diag.h"
#include "hmap.h"
#include "i18n.h"
#include "rules.h"
#include "table.h"
#include "tz.h"
#include "voc.h"
#include "vocp.h"
#include "workcal.h"
#include "xalloc.h"
#include "xldate.h"

static const char *
col(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s != NULL ? (const char *)s : NULL;
}

static void
bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s != NULL)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

/*
 * JSON output: the parts of a line that depend on the rule only are
 * escaped once per scan, and lines gather in one buffer that is written
 * OUT_FLUSH bytes at a time (out_flush() writes the rest), or each at
 * once to a terminal.  Every message writes the lines gathered first
 * (diag_set_before()), so that with standard output and standard error
 * in one file (a cron mail) what is said of a line comes after the hits
 * of the lines before it, as when each line went to stdio.
 */
#define OUT_FLUSH (1 << 15)

struct out {
	struct buf	  b;
	char		**pre;	/* ,"rule":..,"tag":.. */
	char		**post;	/* ,"playbook":.. and ,"task":.. */
	size_t		 *prelen, *postlen;
	size_t		  n;
	int		  eager;	/* a terminal: each line at once */
	FILE		 *fp;
};

static void out_flush(struct out *, FILE *);

/* diag_set_before(): the lines gathered go out before a message. */
static void
out_before(void *arg)
{
	struct out *w = arg;

	out_flush(w, w->fp);
}

static void
out_init(struct out *w, const struct voc *v, FILE *fp)
{
	struct buf b = {0};
	const struct voc_rule *ru;
	size_t r;

	memset(w, 0, sizeof(*w));
	w->eager = fp != NULL && isatty(fileno(fp));
	w->fp = fp;
	w->n = v->nrules;
	w->pre = xcalloc(v->nrules + 1, sizeof(*w->pre));
	w->post = xcalloc(v->nrules + 1, sizeof(*w->post));
	w->prelen = xcalloc(v->nrules + 1, sizeof(*w->prelen));
	w->postlen = xcalloc(v->nrules + 1, sizeof(*w->postlen));
	for (r = 0; r < v->nrules; r++) {
		ru = &v->rules[r];
		buf_adds(&b, ",\"rule\":");
		buf_add_json(&b, ru->id, strlen(ru->id));
		buf_adds(&b, ",\"tag\":");
		buf_add_json(&b, ru->tag, strlen(ru->tag));
		w->prelen[r] = b.len;
		w->pre[r] = buf_take(&b);
		if (*ru->playbook != '\0') {
			buf_adds(&b, ",\"playbook\":");
			buf_add_json(&b, ru->playbook, strlen(ru->playbook));
		}
		if (*ru->task != '\0') {
			buf_adds(&b, ",\"task\":");
			buf_add_json(&b, ru->task, strlen(ru->task));
		}
		buf_adds(&b, "");
		w->postlen[r] = b.len;
		w->post[r] = buf_take(&b);
	}
	diag_set_before(out_before, w);
}

static void
out_free(struct out *w)
{
	size_t r;

	diag_set_before(NULL, NULL);
	for (r = 0; r < w->n; r++) {
		free(w->pre[r]);
		free(w->post[r]);
	}
	free(w->pre);
	free(w->post);
	free(w->prelen);
	free(w->postlen);
	buf_free(&w->b);
}

/* Write the lines gathered in w to fp. */
static void
out_flush(struct out *w, FILE *fp)
{
	if (fp != NULL && w->b.len > 0)
		fwrite(w->b.s, 1, w->b.len, fp);
	buf_reset(&w->b);
}

/*
 * Copy a string literal to o, its length known at compile time; o
 * moves past it.
 */
#define PUT_LIT(o, lit) do {						\
	memcpy((o), (lit), sizeof(lit) - 1);				\
	(o) += sizeof(lit) - 1;						\
} while (0)

/* The room a string of n bytes may take as a JSON string. */
#define JSON_ROOM(n) (6 * (n) + 2)

/*
 * Write s[0..n) at o as a JSON string, escaped as buf_add_json() does;
 * returns the end.  Runs of bytes that need no escape are copied whole.
 */
static char *
put_json(char *o, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, run = 0;
	unsigned char c;

	*o++ = '"';
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f)
			continue;
		memcpy(o, s + run, i - run);
		o += i - run;
		run = i + 1;
		*o++ = '\\';
		switch (c) {
		case '"':
		case '\\':
			*o++ = (char)c;
			break;
		case '\n':
			*o++ = 'n';
			break;
		case '\r':
			*o++ = 'r';
			break;
		case '\t':
			*o++ = 't';
			break;
		default:
			PUT_LIT(o, "u00");
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
			break;
		}
	}
	memcpy(o, s + run, n - run);
	o += n - run;
	*o++ = '"';
	return o;
}

/*
 * Write a decimal number at o (room for 21 bytes); returns the end.
 * printf costs more than the rest of a line.
 */
static char *
put_long(char *o, long n)
{
	char d[24];
	unsigned long u = n < 0 ? 0UL - (unsigned long)n : (unsigned long)n;
	size_t i = sizeof(d);

	do {
		d[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	if (n < 0)
		d[--i] = '-';
	memcpy(o, d + i, sizeof(d) - i);
	return o + (sizeof(d) - i);
}

/* One line of output for a hit. */
static void
print_hit(const struct voc *v, struct out *w, const struct voc_hit *h,
    const char *act, const char *cust, const char *due, int created,
    const struct voc_scan_opts *o, struct table *t)
{
	const struct voc_rule *ru = &v->rules[h->rule];
	struct buf *b = &w->b;
	size_t r, nact, ncust, nspan, ndue, need;
	char *q;

	if (o->out == NULL)
		return;
	if (t != NULL) {
		r = table_row(t);
		table_text(t, r, 0, act);
		table_text(t, r, 1, cust);
		table_text(t, r, 2, ru->tag);
		table_text(t, r, 3, h->span);
		table_int(t, r, 4, h->start);
		table_text(t, r, 5, ru->playbook);
		table_text(t, r, 6, *ru->task != '\0' ? ru->task : NULL);
		table_text(t, r, 7, due);
		return;
	}
	if (act == NULL)
		act = "";
	nact = strlen(act);
	ncust = cust != NULL ? strlen(cust) : 0;
	nspan = strlen(h->span);
	ndue = *ru->task != '\0' && due != NULL ? strlen(due) : 0;
	/* The whole line fits, then it is written without more checks. */
	need = 160 + JSON_ROOM(nact) + JSON_ROOM(ncust) + w->prelen[h->rule] +
	    JSON_ROOM(nspan) + w->postlen[h->rule] + JSON_ROOM(ndue);
	if (b->len + need + 1 > b->cap)
		b->s = xgrow(b->s, &b->cap, b->len + need + 1, 1);
	q = b->s + b->len;
	PUT_LIT(q, "{\"activity\":");
	q = put_json(q, act, nact);
	PUT_LIT(q, ",\"customer\":");
	if (cust != NULL)
		q = put_json(q, cust, ncust);
	else
		PUT_LIT(q, "null");
	memcpy(q, w->pre[h->rule], w->prelen[h->rule]);
	q += w->prelen[h->rule];
	PUT_LIT(q, ",\"span\":");
	q = put_json(q, h->span, nspan);
	PUT_LIT(q, ",\"offset\":");
	q = put_long(q, h->start);
	PUT_LIT(q, ",\"length\":");
	q = put_long(q, h->len);
	memcpy(q, w->post[h->rule], w->postlen[h->rule]);
	q += w->postlen[h->rule];
	if (*ru->task != '\0' && due != NULL) {
		PUT_LIT(q, ",\"due\":");
		q = put_json(q, due, ndue);
		if (created)
			PUT_LIT(q, ",\"task_created\":true");
		else
			PUT_LIT(q, ",\"task_created\":false");
	}
	PUT_LIT(q, "}\n");
	*q = '\0';
	b->len = (size_t)(q - b->s);
	if (b->len >= OUT_FLUSH || w->eager)
		out_flush(w, o->out);
}

static struct table *
hit_table(void)
{
	struct table *t = table_new(NULL);

	table_col(t, "activity", _("activity"), 0);
	table_col(t, "customer", _("customer"), 0);
	table_col(t, "tag", _("tag"), 0);
	table_col(t, "span", _("span"), 0);
	table_col(t, "offset", _("offset"), 1);
	table_col(t, "playbook", _("playbook"), 0);
	table_col(t, "task", _("follow-up"), 0);
	table_col(t, "due", _("due on"), 0);
	return t;
}

static int
parse_day(const char *s, long *day)
{
	int y, m, d;

	if (s == NULL || sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3 ||
	    !civil_valid(y, m, d))
		return -1;
	*day = days_from_civil(y, m, d);
	return 0;
}

static void
format_day(char *out, long day)
{
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	snprintf(out, 16, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
}

/* An activity being scanned; the strings are the read statement's. */
struct act {
	const char	*id, *on_date, *cust, *rep, *text;
	const char	*at;		/* a customer's chat message's time */
	int		 seen;		/* scanned before, by another rule set */
};

/*
 * Rows of one table waiting to be inserted by one statement of
 * INS_ROWS rows: a statement per row costs more than the row.  The
 * first nshared parameters are the same for every row (the rule set,
 * the time of the scan) and bound once; each row has ncols more.  The
 * strings of the waiting rows are copied into text.  SQLite numbers
 * the rows: the scan holds the write lock, so a row's id is the
 * largest before it plus one, known before the row is written (id).
 */
#define INS_ROWS 64

struct ival {
	sqlite3_int64	 i;
	const char	*s;		/* text that stays, or NULL: */
	size_t		 off, len;	/* at text.s + off */
	int		 type;		/* SQLITE_INTEGER, _TEXT or _NULL */
};

struct ins {
	sqlite3_stmt	*many, *one;
	const char	*what;		/* the table, for messages */
	int		 ncols, nshared;
	struct ival	*val;		/* INS_ROWS rows of ncols */
	size_t		 n, k;		/* rows waiting, values of the next */
	sqlite3_int64	 id;		/* of the last row given */
	struct buf	 text;
};

/*
 * The state of a scan of the store: its statements, prepared once and
 * reset after each step (every parameter is bound before each step, so
 * strings are bound without a copy), the customer tags known to be in
 * the table, and each rule's due date for the last day asked.
 */
struct scan {
	struct voc	*v;
	struct db	*db;
	struct workcal	*cal;
	const struct voc_scan_opts *o;
	struct table	*t;
	struct out	 out;
	sqlite3_stmt	*unhit, *tag, *taskq, *task, *pushq, *convq;
	struct ins	 hit, push;	/* voc_hit and voc_push rows waiting */
	struct hmap	*custs;		/* customer id: struct cust */
	size_t		*tagix;		/* per rule: its tag's number */
	size_t		 ntags;
	long		*dueday;	/* per rule: the day of due[] */
	char		(*due)[16];
	char		 day_of[16];	/* the on_date last parsed */
	long		 day;
	int		 day_ok;
	char		 now[40];
};

/*
 * The last answer of the task query for a rule and a customer: on the
 * day on, an open task in the window was found (due is its due_on) or
 * not.  Only this scan writes tasks meanwhile, and a task it adds is
 * the answer for its own day.
 */
struct seen {
	size_t	rule;
	char	on[16];
	char	due[16];
	int	found;
};

/*
 * The last answer of the push query for a rule, a customer and a rep:
 * on the day on, a push of the rule's playbook whose window holds the
 * day was found or not.  As for tasks, a push this scan makes is the
 * answer for its own day.
 */
struct pushed {
	struct pushed	*next;		/* of the same rule */
	char		*rep;		/* NULL: the activity names none */
	char		 on[16];
	int		 found;
};

/* A rep's chat message to a customer: when, and the rep. */
struct repmsg {
	char		*at, *rep;
};

/*
 * What the scan knows of a customer, found once per activity: which
 * tags it has in the table (the first tag of a customer stays; this
 * scan holds the write lock, so later inserts of it would do nothing),
 * the last task query of each rule that asked one, and per rule the
 * last push query for each rep.
 */
struct cust {
	/* The reps' messages to the customer, by time: conv_rep(). */
	struct repmsg	*talks;
	size_t		 ntalks, talkcap;
	int		 asked;
	unsigned char	*tagged;	/* per tag number */
	struct seen	*seen;
	size_t		 nseen, seencap;
	struct pushed	**pushed;	/* per rule, or NULL */
	size_t		 nrules;
};

static void
free_cust(const char *key, intptr_t val, void *arg)
{
	struct cust *cs = (struct cust *)val;
	struct pushed *p, *next;
	size_t r;

	(void)key;
	(void)arg;
	for (r = 0; cs->pushed != NULL && r < cs->nrules; r++)
		for (p = cs->pushed[r]; p != NULL; p = next) {
			next = p->next;
			free(p->rep);
			free(p);
		}
	free(cs->pushed);
	free(cs->tagged);
	for (r = 0; r < cs->ntalks; r++) {
		free(cs->talks[r].at);
		free(cs->talks[r].rep);
	}
	free(cs->talks);
	free(cs->seen);
	free(cs);
}

static struct cust *
cust_of(struct scan *sc, const char *id)
{
	struct cust *cs;
	intptr_t val;
	size_t n = strlen(id);

	if (hmap_get(sc->custs, id, n, &val))
		return (struct cust *)val;
	cs = xcalloc(1, sizeof(*cs));
	cs->tagged = xcalloc(sc->ntags + 1, 1);
	cs->nrules = sc->v->nrules;
	hmap_put(sc->custs, id, n, (intptr_t)cs);
	return cs;
}

/* The task query of rule r for cs, NULL if never asked (add adds it). */
static struct seen *
seen_of(struct cust *cs, size_t r, int add)
{
	size_t i;

	for (i = 0; i < cs->nseen; i++)
		if (cs->seen[i].rule == r)
			return &cs->seen[i];
	if (!add)
		return NULL;
	cs->seen = xgrow(cs->seen, &cs->seencap, cs->nseen + 1,
	    sizeof(*cs->seen));
	memset(&cs->seen[cs->nseen], 0, sizeof(*cs->seen));
	cs->seen[cs->nseen].rule = r;
	return &cs->seen[cs->nseen++];
}

/* The push query of rule r for cs and rep, made the first time asked. */
static struct pushed *
pushed_of(struct cust *cs, size_t r, const char *rep)
{
	struct pushed *p;

	if (cs->pushed == NULL)
		cs->pushed = xcalloc(cs->nrules + 1, sizeof(*cs->pushed));
	for (p = cs->pushed[r]; p != NULL; p = p->next)
		if (rep == NULL ? p->rep == NULL : p->rep != NULL &&
		    strcmp(p->rep, rep) == 0)
			return p;
	p = xcalloc(1, sizeof(*p));
	p->rep = rep != NULL ? xstrdup(rep) : NULL;
	p->next = cs->pushed[r];
	cs->pushed[r] = p;
	return p;
}

static void
bind_str(sqlite3_stmt *st, int i, const char *s)
{
	if (s != NULL)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/* Step a statement that returns no row, and reset it; 0 or -1. */
static int
step_done(struct db *db, sqlite3_stmt *st, const char *what)
{
	int rc;

	if ((rc = sqlite3_step(st)) != SQLITE_DONE) {
		db_fail(db, rc, what);
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	return 0;
}

/* A query of one integer from the table what; 0 or -1. */
static int
query_int(struct db *db, const char *what, const char *sql,
    sqlite3_int64 *out)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, sql)) == NULL)
		return -1;
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		db_fail(db, rc, what);
		sqlite3_reset(st);
		return -1;
	}
	*out = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

/*
 * Prepare the inserts into table of the columns cols (those of a row,
 * then the shared ones); 0 or -1.
 */
static int
ins_prepare(struct db *db, struct ins *q, const char *table,
    const char *cols, int ncols, int nshared)
{
	struct buf sql = {0};
	int r, c, nrows;

	memset(q, 0, sizeof(*q));
	buf_addf(&sql, "SELECT coalesce(max(id), 0) FROM %s", table);
	if (query_int(db, table, buf_str(&sql), &q->id) < 0) {
		buf_free(&sql);
		return -1;
	}
	q->what = table;
	q->ncols = ncols;
	q->nshared = nshared;
	q->val = xcalloc((size_t)INS_ROWS * (size_t)ncols, sizeof(*q->val));
	for (nrows = 1; nrows <= INS_ROWS; nrows += INS_ROWS - 1) {
		buf_reset(&sql);
		/*
		 * OR FAIL: a failed row leaves the rows before it, so no
		 * statement journal is kept; any failure rolls the whole
		 * scan back.
		 */
		buf_addf(&sql, "INSERT OR FAIL INTO %s (%s) VALUES ", table,
		    cols);
		for (r = 0; r < nrows; r++) {
			buf_adds(&sql, r > 0 ? ", (" : "(");
			for (c = 0; c < ncols; c++)
				buf_addf(&sql, "%s?%d", c > 0 ? ", " : "",
				    nshared + r * ncols + c + 1);
			for (c = 0; c < nshared; c++)
				buf_addf(&sql, ", ?%d", c + 1);
			buf_addc(&sql, ')');
		}
		if ((*(nrows == 1 ? &q->one : &q->many) = db_prepare(db,
		    buf_str(&sql))) == NULL) {
			buf_free(&sql);
			return -1;
		}
	}
	buf_free(&sql);
	return 0;
}

/* Bind shared parameter i (from 1) of both statements; s must stay. */
static void
ins_shared(struct ins *q, int i, const char *s)
{
	sqlite3_bind_text(q->one, i, s, -1, SQLITE_STATIC);
	sqlite3_bind_text(q->many, i, s, -1, SQLITE_STATIC);
}

static void
ins_int(struct ins *q, sqlite3_int64 i)
{
	struct ival *x = &q->val[q->n * (size_t)q->ncols + q->k++];

	x->type = SQLITE_INTEGER;
	x->i = i;
}

static void
ins_text(struct ins *q, const char *s)
{
	struct ival *x = &q->val[q->n * (size_t)q->ncols + q->k++];

	if (s == NULL) {
		x->type = SQLITE_NULL;
		return;
	}
	x->type = SQLITE_TEXT;
	x->s = NULL;
	x->off = q->text.len;
	x->len = strlen(s);
	buf_add(&q->text, s, x->len);
}

/* Like ins_text() for a string that outlives the scan (the rules'). */
static void
ins_const(struct ins *q, const char *s)
{
	struct ival *x = &q->val[q->n * (size_t)q->ncols + q->k++];

	x->type = SQLITE_TEXT;
	x->s = s;
	x->len = strlen(s);
}

static void
ins_bind(struct ins *q, sqlite3_stmt *st, size_t row, int first)
{
	const struct ival *x = &q->val[row * (size_t)q->ncols];
	int c;

	for (c = 0; c < q->ncols; c++, x++)
		if (x->type == SQLITE_INTEGER)
			sqlite3_bind_int64(st, first + c, x->i);
		else if (x->type == SQLITE_TEXT)
			sqlite3_bind_text(st, first + c, x->s != NULL ?
			    x->s : q->text.s + x->off, (int)x->len,
			    SQLITE_STATIC);
		else
			sqlite3_bind_null(st, first + c);
}

/* The id of the next row. */
static sqlite3_int64
ins_id(struct ins *q)
{
	return ++q->id;
}

/* Insert the rows waiting; 0 or -1. */
static int
ins_flush(struct db *db, struct ins *q)
{
	sqlite3_int64 got;
	size_t r;
	int rc;

	if (q->n == 0)
		return 0;

	if (q->n == INS_ROWS) {
		for (r = 0; r < q->n; r++)
			ins_bind(q, q->many, r,
			    q->nshared + (int)r * q->ncols + 1);
		rc = step_done(db, q->many, q->what);
	} else
		for (r = 0, rc = 0; r < q->n && rc == 0; r++) {
			ins_bind(q, q->one, r, q->nshared + 1);
			rc = step_done(db, q->one, q->what);
		}
	q->n = 0;
	buf_reset(&q->text);
	if (rc == 0 && (got = sqlite3_last_insert_rowid(db_handle(db))) !=
	    q->id) {
		diag_error(SX_SYS, NULL, "%s: row %lld was numbered %lld",
		    q->what, (long long)q->id, (long long)got);
		rc = -1;
	}
	return rc;
}

/* The values of a row are in: insert when INS_ROWS wait; 0 or -1. */
static int
ins_row(struct db *db, struct ins *q)
{
	q->k = 0;
	return ++q->n == INS_ROWS ? ins_flush(db, q) : 0;
}

static void
ins_clear(struct ins *q)
{
	/* No binding may outlive the strings it points to. */
	if (q->one != NULL)
		sqlite3_clear_bindings(q->one);
	if (q->many != NULL)
		sqlite3_clear_bindings(q->many);
	free(q->val);
	buf_free(&q->text);
}

static int
scan_prepare(struct scan *sc)
{
	struct db *db = sc->db;
	size_t r, k;

	if ((sc->unhit = db_prepare(db, "UPDATE voc_hit SET current = 0"
	    " WHERE activity_id = ?1 AND current = 1")) == NULL ||
	    ins_prepare(db, &sc->hit, "voc_hit", "activity_id,"
	    " customer_id, rule_id, tag, span, char_offset, char_length,"
	    " ruleset, at", 7, 2) < 0 ||
	    (sc->tag = db_prepare(db, "INSERT INTO tag (customer_id, tag,"
	    " source, rule_id, hit_id, since) VALUES (?1, ?2, 'voc', ?3, ?4,"
	    " ?5) ON CONFLICT DO NOTHING")) == NULL ||
	    ins_prepare(db, &sc->push, "voc_push", "hit_id, rule_id,"
	    " customer_id, rep_id, playbook, on_date, until_on, at", 7,
	    1) < 0 ||
	    (sc->pushq = db_prepare(db, "SELECT 1 FROM voc_push"
	    " WHERE rule_id = ?1 AND customer_id = ?2 AND rep_id IS ?3"
	    " AND playbook = ?4 AND on_date <= ?6 AND until_on >= ?5"
	    " LIMIT 1")) == NULL ||
	    (sc->taskq = db_prepare(db, "SELECT due_on FROM task"
	    " WHERE rule_id = ?1 AND customer_id = ?2 AND status = 'open'"
	    " AND created_on <= ?4 AND due_on >= ?3"
	    " ORDER BY id LIMIT 1")) == NULL ||
	    (sc->task = db_prepare(db, "INSERT INTO task (customer_id,"
	    " rep_id, activity_id, rule_id, hit_id, title, created_on,"
	    " due_on) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")) == NULL)
		return -1;
	ins_shared(&sc->hit, 1, sc->v->version);
	ins_shared(&sc->hit, 2, sc->now);
	ins_shared(&sc->push, 1, sc->now);
	sc->custs = hmap_new();
	/* Rules of one tag share its number. */
	sc->tagix = xcalloc(sc->v->nrules + 1, sizeof(*sc->tagix));
	for (r = 0; r < sc->v->nrules; r++) {
		for (k = 0; k < r; k++)
			if (strcmp(sc->v->rules[k].tag, sc->v->rules[r].tag) ==
			    0)
				break;
		sc->tagix[r] = k < r ? sc->tagix[k] : sc->ntags++;
	}
	sc->dueday = xcalloc(sc->v->nrules + 1, sizeof(*sc->dueday));
	sc->due = xcalloc(sc->v->nrules + 1, sizeof(*sc->due));
	for (r = 0; r < sc->v->nrules; r++)
		sc->dueday[r] = LONG_MIN;
	return 0;
}

static void
scan_free(struct scan *sc)
{
	sqlite3_stmt *st[] = {sc->unhit, sc->tag, sc->taskq, sc->task,
	    sc->pushq, sc->convq};
	size_t i;

	/* No binding may outlive the strings it points to. */
	for (i = 0; i < sizeof(st) / sizeof(st[0]); i++)
		if (st[i] != NULL)
			sqlite3_clear_bindings(st[i]);
	if (sc->custs != NULL) {
		hmap_each(sc->custs, free_cust, NULL);
		hmap_free(sc->custs);
	}
	free(sc->tagix);
	ins_clear(&sc->hit);
	ins_clear(&sc->push);
	free(sc->dueday);
	free(sc->due);
}

/*
 * Is there an open task of rule ru for customer cust whose window holds
 * on_date?  1 with its due date copied to due, 0 no, -1 after
 * reporting.
 */
static int
task_open(struct scan *sc, size_t r, const char *cust, struct cust *cs,
    const char *on_date, char *due)
{
	const struct voc_rule *ru = &sc->v->rules[r];
	sqlite3_stmt *st = sc->taskq;
	struct seen *m = NULL;
	int rc;

	if (strlen(on_date) < sizeof(m->on)) {
		m = seen_of(cs, r, 1);
		if (strcmp(m->on, on_date) == 0) {
			if (m->found)
				memcpy(due, m->due, sizeof(m->due));
			return m->found;
		}
	}
	bind_str(st, 1, ru->id);
	bind_str(st, 2, cust);
	bind_str(st, 3, on_date);
	bind_str(st, 4, due);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		snprintf(due, 16, "%s", col(st, 0));
		rc = 1;
	} else if (rc == SQLITE_DONE)
		rc = 0;
	else {
		db_fail(sc->db, rc, "task");
		rc = -1;
	}
	sqlite3_reset(st);
	if (m != NULL && rc >= 0) {
		memcpy(m->on, on_date, strlen(on_date) + 1);
		memcpy(m->due, due, sizeof(m->due));
		m->found = rc;
	}
	return rc;
}

/* A task was added: it answers the query of its own day. */
static void
task_added(struct cust *cs, size_t r, const char *on_date, const char *due)
{
	struct seen *m;

	if (cs == NULL || strlen(on_date) >= sizeof(m->on) ||
	    (m = seen_of(cs, r, 0)) == NULL)
		return;
	memcpy(m->on, on_date, strlen(on_date) + 1);
	snprintf(m->due, sizeof(m->due), "%s", due);
	m->found = 1;
}

/*
 * Has rule r's playbook been pushed to the rep of activity a for its
 * customer with a window (on_date to until_on) that meets the one from
 * a's date to until, as a task's would?  Pushes still waiting to be
 * written are written first, so that the query sees them.  1, 0, or -1
 * after reporting.
 */
static int
push_held(struct scan *sc, size_t r, const struct act *a, struct cust *cs,
    const char *until)
{
	const struct voc_rule *ru = &sc->v->rules[r];
	sqlite3_stmt *st = sc->pushq;
	struct pushed *p = NULL;
	int rc;

	if (strlen(a->on_date) < sizeof(p->on)) {
		p = pushed_of(cs, r, a->rep);
		if (strcmp(p->on, a->on_date) == 0)
			return p->found;
	}
	if (ins_flush(sc->db, &sc->push) < 0)
		return -1;
	bind_str(st, 1, ru->id);
	bind_str(st, 2, a->cust);
	bind_str(st, 3, a->rep);
	bind_str(st, 4, ru->playbook);
	bind_str(st, 5, a->on_date);
	bind_str(st, 6, until);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		rc = 1;
	else if (rc == SQLITE_DONE)
		rc = 0;
	else {
		db_fail(sc->db, rc, "voc_push");
		rc = -1;
	}
	sqlite3_reset(st);
	if (p != NULL && rc >= 0) {
		memcpy(p->on, a->on_date, strlen(a->on_date) + 1);
		p->found = rc;
	}
	return rc;
}

/* A push was added: it answers the query of its own day. */
static void
push_added(struct cust *cs, size_t r, const struct act *a)
{
	struct pushed *p;

	if (strlen(a->on_date) >= sizeof(p->on))
		return;
	p = pushed_of(cs, r, a->rep);
	memcpy(p->on, a->on_date, strlen(a->on_date) + 1);
	p->found = 1;
}

/* The due date of a task of rule r made on on_date, or NULL. */
static const char *
due_of(struct scan *sc, size_t r, const char *on_date)
{
	static char one[16];
	long day;

	if (on_date == NULL)
		return NULL;
	if (strlen(on_date) >= sizeof(sc->day_of)) {
		/* Not a day as the store writes them: no caching. */
		if (parse_day(on_date, &day) < 0)
			return NULL;
		format_day(one, workcal_add(sc->cal, day,
		    sc->v->rules[r].due));
		return one;
	}
	if (strcmp(on_date, sc->day_of) != 0) {
		memcpy(sc->day_of, on_date, strlen(on_date) + 1);
		sc->day_ok = parse_day(on_date, &sc->day) == 0;
	}
	if (!sc->day_ok)
		return NULL;
	if (sc->dueday[r] != sc->day) {
		format_day(sc->due[r], workcal_add(sc->cal, sc->day,
		    sc->v->rules[r].due));
		sc->dueday[r] = sc->day;
	}
	return sc->due[r];
}

/*
 * The rep a customer's chat message a was said to: the rep of the
 * customer's latest message from a rep at or before it, else (the
 * customer wrote first) of the first one after it.  A chat export
 * stores the customer's messages with no rep, and their follow-up is
 * the work of the rep they were talking to, not of one who took the
 * customer over later: a scan run once after both chats and one run
 * in between give the same rep.  The reps' messages are read once per
 * customer.  *rep is NULL when no rep ever wrote; 0 or -1.
 */
static int
conv_rep(struct scan *sc, struct cust *cs, const struct act *a,
    const char **rep)
{
	const char *at, *r;
	size_t lo, hi, mid;
	int rc;

	*rep = NULL;
	if (!cs->asked) {
		if (sc->convq == NULL && (sc->convq = db_prepare(sc->db,
		    "SELECT at, rep_id FROM activity WHERE customer_id = ?1"
		    " AND party = 'rep' AND rep_id IS NOT NULL"
		    " ORDER BY at, rowid")) == NULL)
			return -1;
		bind_str(sc->convq, 1, a->cust);
		while ((rc = sqlite3_step(sc->convq)) == SQLITE_ROW) {
			if ((at = col(sc->convq, 0)) == NULL ||
			    (r = col(sc->convq, 1)) == NULL)
				continue;
			cs->talks = xgrow(cs->talks, &cs->talkcap,
			    cs->ntalks + 1, sizeof(*cs->talks));
			cs->talks[cs->ntalks].at = xstrdup(at);
			cs->talks[cs->ntalks++].rep = xstrdup(r);
		}
		sqlite3_reset(sc->convq);
		if (rc != SQLITE_DONE)
			return db_fail(sc->db, rc, "activity");
		cs->asked = 1;
	}
	if (cs->ntalks == 0)
		return 0;
	/* The first message from a rep later than a. */
	lo = 0;
	hi = cs->ntalks;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(cs->talks[mid].at, a->at) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*rep = cs->talks[lo > 0 ? lo - 1 : 0].rep;
	return 0;
}

/* Write the results of one activity; 0 or -1. */
static int
store_hits(struct scan *sc, const struct act *a, const struct voc_hit *hits,
    int n)
{
	struct db *db = sc->db;
	struct voc *v = sc->v;
	sqlite3_stmt *st;
	const struct voc_rule *ru;
	const char *d;
	sqlite3_int64 hit_id;
	struct cust *cs = NULL;
	struct act talk;
	char due[16];
	int i, rc, created;

	if (db_tx_lost(db))
		return -1;
	/* Only an activity scanned before can have current hits. */
	if (a->seen) {
		bind_str(sc->unhit, 1, a->id);
		if (step_done(db, sc->unhit, "voc_hit") < 0)
			return -1;
	}
	if (a->cust != NULL && n > 0)
		cs = cust_of(sc, a->cust);
	/* A customer's word in a chat: its tasks go to the rep it was to. */
	if (cs != NULL && a->rep == NULL && a->at != NULL) {
		talk = *a;
		if (conv_rep(sc, cs, a, &talk.rep) < 0)
			return -1;
		a = &talk;
	}
	for (i = 0; i < n; i++) {
		ru = &v->rules[hits[i].rule];
		hit_id = ins_id(&sc->hit);
		ins_text(&sc->hit, a->id);
		ins_text(&sc->hit, a->cust);
		ins_const(&sc->hit, ru->id);
		ins_const(&sc->hit, ru->tag);
		ins_text(&sc->hit, hits[i].span);
		ins_int(&sc->hit, hits[i].start);
		ins_int(&sc->hit, hits[i].len);
		if (ins_row(db, &sc->hit) < 0)
			return -1;
		if (cs != NULL && !cs->tagged[sc->tagix[hits[i].rule]]) {
			st = sc->tag;
			bind_str(st, 1, a->cust);
			bind_str(st, 2, ru->tag);
			bind_str(st, 3, ru->id);
			sqlite3_bind_int64(st, 4, hit_id);
			bind_str(st, 5, a->on_date);
			if (step_done(db, st, "tag") < 0)
				return -1;
			cs->tagged[sc->tagix[hits[i].rule]] = 1;
		}
		/*
		 * A playbook goes to the rep once per window: the same rule
		 * on the same customer again, while the last push of it to
		 * that rep still holds, would be the same advice twice.
		 */
		if (*ru->playbook != '\0') {
			d = due_of(sc, hits[i].rule, a->on_date);
			if (a->cust != NULL && d != NULL) {
				if ((rc = push_held(sc, hits[i].rule, a, cs,
				    d)) < 0)
					return -1;
			} else
				rc = 0;
			if (!rc) {
				ins_id(&sc->push);
				ins_int(&sc->push, hit_id);
				ins_const(&sc->push, ru->id);
				ins_text(&sc->push, a->cust);
				ins_text(&sc->push, a->rep);
				ins_const(&sc->push, ru->playbook);
				ins_text(&sc->push, d != NULL ? a->on_date :
				    NULL);
				ins_text(&sc->push, d);
				if (ins_row(db, &sc->push) < 0)
					return -1;
				if (a->cust != NULL && d != NULL)
					push_added(cs, hits[i].rule, a);
			}
		}
		created = 0;
		due[0] = '\0';
		if (*ru->task != '\0' && (d = due_of(sc, hits[i].rule,
		    a->on_date)) != NULL) {
			/* d is one of due_of()'s char[16]. */
			memcpy(due, d, sizeof(due));
			created = 1;
			/* The same rule on the same customer, in its window. */
			if (a->cust != NULL) {
				if ((rc = task_open(sc, hits[i].rule,
				    a->cust, cs, a->on_date, due)) < 0)
					return -1;
				created = !rc;
			}
		}
		if (created) {
			st = sc->task;
			bind_str(st, 1, a->cust);
			bind_str(st, 2, a->rep);
			bind_str(st, 3, a->id);
			bind_str(st, 4, ru->id);
			sqlite3_bind_int64(st, 5, hit_id);
			bind_str(st, 6, ru->task);
			bind_str(st, 7, a->on_date);
			bind_str(st, 8, due);
			if (step_done(db, st, "task") < 0)
				return -1;
			task_added(cs, hits[i].rule, a->on_date, due);
		}
		print_hit(v, &sc->out, &hits[i], a->id, a->cust,
		    due[0] != '\0' ? due : NULL, created, sc->o, sc->t);
	}
	return 0;
}

/*
 * Which activities a rule set has scanned: runs of activity rowids, one
 * row of voc_mark each (up to and including upto, from the run before),
 * and one row of voc_scan for an activity outside them (stores scanned
 * before the runs existed, and activities whose rowids moved).  A row
 * of voc_scan wins over a run.
 */
struct marks {
	sqlite3_int64	 top;		/* the last rowid of the last run */
	char		*top_rs;	/* the rule set of the last run */
	int		 rows;		/* voc_scan has rows */
};

/*
 * The runs hold while the last activity of each still has its rowid.
 * VACUUM renumbers the rowids of activity (its key is text), and new
 * activities take the rowids of the newest ones deleted (undo): then
 * the runs no longer tell which activities were scanned.  The
 * activities with hits are then kept one by one in voc_scan, under the
 * rule set of their last hit, the runs are dropped, and the others are
 * scanned again.
 */
static int
marks_load(struct scan *sc, struct marks *mk)
{
	struct db *db = sc->db;
	sqlite3_stmt *st;
	sqlite3_int64 moved, n;
	int rc;

	memset(mk, 0, sizeof(*mk));
	if (query_int(db, "voc_mark", "SELECT count(*) FROM voc_mark m"
	    " WHERE NOT EXISTS"
	    " (SELECT 1 FROM activity a WHERE a.rowid = m.upto"
	    " AND a.id = m.upto_id)", &moved) < 0)
		return -1;
	if (moved > 0) {
		diag_warn(NULL, "activities moved in the store since the last "
		    "scan (VACUUM, or the newest ones deleted): those without "
		    "hits are scanned again");
		if ((st = db_prepare(db, "INSERT INTO voc_scan (activity_id,"
		    " ruleset, hits, scanned_at) SELECT h.activity_id,"
		    " (SELECT x.ruleset FROM voc_hit x"
		    " WHERE x.activity_id = h.activity_id"
		    " ORDER BY x.id DESC LIMIT 1), sum(h.current), ?1"
		    " FROM voc_hit h WHERE 1 GROUP BY h.activity_id"
		    " ON CONFLICT (activity_id) DO NOTHING")) == NULL)
			return -1;
		bind_str(st, 1, sc->now);
		if (step_done(db, st, "voc_scan") < 0 ||
		    db_exec(db, "DELETE FROM voc_mark") < 0)
			return -1;
	}
	if ((st = db_prepare(db, "SELECT upto, ruleset FROM voc_mark"
	    " ORDER BY upto DESC LIMIT 1")) == NULL)
		return -1;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		mk->top = sqlite3_column_int64(st, 0);
		mk->top_rs = xstrdup(col(st, 1));
	} else if (rc != SQLITE_DONE) {
		db_fail(db, rc, "voc_mark");
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	if (query_int(db, "voc_scan", "SELECT EXISTS (SELECT 1 FROM voc_scan)",
	    &n) < 0)
		return -1;
	mk->rows = n != 0;
	return 0;
}

/*
 * After a scan: the activities past the last run form a new one (or
 * lengthen the last, under the same rule set); after a rescan every
 * activity is one run of this rule set.
 */
static int
marks_save(struct scan *sc, const struct marks *mk)
{
	struct db *db = sc->db;
	sqlite3_stmt *st, *q;
	sqlite3_int64 upto;
	char *id;
	int rc;

	if ((q = db_prepare(db, "SELECT rowid, id FROM activity"
	    " ORDER BY rowid DESC LIMIT 1")) == NULL)
		return -1;
	if ((rc = sqlite3_step(q)) != SQLITE_ROW) {
		sqlite3_reset(q);
		if (rc != SQLITE_DONE)
			return db_fail(db, rc, "activity");
		/* No activity: nothing is scanned. */
		return sc->o->rescan ? db_exec(db, "DELETE FROM voc_mark") : 0;
	}
	upto = sqlite3_column_int64(q, 0);
	id = xstrdup(col(q, 1));
	sqlite3_reset(q);
	rc = 0;
	if (sc->o->rescan) {
		if (db_exec(db, "DELETE FROM voc_scan") < 0 ||
		    db_exec(db, "DELETE FROM voc_mark") < 0)
			rc = -1;
	} else if (upto <= mk->top)
		goto out;
	if (rc == 0 && !sc->o->rescan && mk->top_rs != NULL &&
	    strcmp(mk->top_rs, sc->v->version) == 0) {
		if ((st = db_prepare(db, "UPDATE voc_mark SET upto = ?1,"
		    " upto_id = ?2, scanned_at = ?3 WHERE upto = ?4")) == NULL)
			rc = -1;
		else {
			sqlite3_bind_int64(st, 1, upto);
			bind_str(st, 2, id);
			bind_str(st, 3, sc->now);
			sqlite3_bind_int64(st, 4, mk->top);
			rc = step_done(db, st, "voc_mark");
		}
	} else if (rc == 0) {
		if ((st = db_prepare(db, "INSERT INTO voc_mark (upto, upto_id,"
		    " ruleset, scanned_at) VALUES (?1, ?2, ?3, ?4)")) == NULL)
			rc = -1;
		else {
			sqlite3_bind_int64(st, 1, upto);
			bind_str(st, 2, id);
			bind_str(st, 3, sc->v->version);
			bind_str(st, 4, sc->now);
			rc = step_done(db, st, "voc_mark");
		}
	}
out:
	free(id);
	return rc;
}

/*
 * Activities read ahead, to be matched with one scan (voc_match_batch())
 * and written one by one: their strings are copied into s, as the read
 * statement's last only until its next step.
 */
#define AHEAD 64
#define AHEAD_BYTES (1 << 20)

struct ahead {
	struct act	 a[AHEAD];
	const char	*text[AHEAD];
	struct buf	 s;
	size_t		 n;
};

/*
 * Make room for n more bytes in ra->s: a new buffer, with the strings of
 * the activities already read pointed at their copies in it.
 */
static void
ahead_room(struct ahead *ra, size_t n)
{
	const char **p[6];
	size_t i, k, cap = ra->s.cap;
	char *s;

	if (ra->s.len + n <= ra->s.cap)
		return;
	s = xgrow(NULL, &cap, ra->s.len + n, 1);
	if (ra->s.len > 0)
		memcpy(s, ra->s.s, ra->s.len);
	for (i = 0; i < ra->n; i++) {
		p[0] = &ra->a[i].id;
		p[1] = &ra->a[i].on_date;
		p[2] = &ra->a[i].cust;
		p[3] = &ra->a[i].rep;
		p[4] = &ra->a[i].text;
		p[5] = &ra->a[i].at;
		for (k = 0; k < 6; k++)
			if (*p[k] != NULL)
				*p[k] = s + (*p[k] - ra->s.s);
	}
	free(ra->s.s);
	ra->s.s = s;
	ra->s.cap = cap;
}

/*
 * Read up to AHEAD activities (fewer past AHEAD_BYTES of strings) into
 * ra.  Returns the last result of sqlite3_step(): SQLITE_ROW when there
 * may be more.
 */
static int
read_ahead(sqlite3_stmt *st, int rescan, struct ahead *ra)
{
	/* The rule set, column 5, is read below. */
	static const int colof[6] = {0, 1, 2, 3, 4, 6};
	const char *c[6], *p[6];
	size_t i, k, len[6], all;
	int rc = SQLITE_ROW;

	ra->n = 0;
	ra->s.len = 0;
	while (ra->n < AHEAD && ra->s.len < AHEAD_BYTES) {
		if ((rc = sqlite3_step(st)) != SQLITE_ROW)
			break;
		/*
		 * Room for the six strings first, then plain copies.  The
		 * id and the text are "" when null, copied like the others.
		 */
		for (k = 0, all = 0; k < 6; k++) {
			if ((c[k] = col(st, colof[k])) == NULL &&
			    (k == 0 || k == 4))
				c[k] = "";
			len[k] = c[k] != NULL ? strlen(c[k]) + 1 : 0;
			all += len[k];
		}
		ahead_room(ra, all);
		for (k = 0; k < 6; k++) {
			if (c[k] == NULL) {
				p[k] = NULL;
				continue;
			}
			p[k] = ra->s.s + ra->s.len;
			memcpy(ra->s.s + ra->s.len, c[k], len[k]);
			ra->s.len += len[k];
		}
		i = ra->n++;
		ra->a[i].id = p[0];
		ra->a[i].on_date = p[1];
		ra->a[i].cust = p[2];
		ra->a[i].rep = p[3];
		ra->a[i].text = p[4];
		ra->a[i].at = p[5];
		/* Without --rescan the query gives no rule set. */
		ra->a[i].seen = rescan &&
		    sqlite3_column_type(st, 5) != SQLITE_NULL;
	}
	for (i = 0; i < ra->n; i++)
		ra->text[i] = ra->a[i].text;
	return rc;
}

/*
 * What a chat message's party changes, told by the query: a rep's own
 * message is no customer voice ("这是我们的报价单" is not a customer
 * asking for a quote), so its text is ""; only a customer's has its
 * time (at is never null otherwise), which conv_rep() needs.
 */
#define CUST_TEXT "CASE WHEN a.party = 'rep' THEN '' ELSE a.text END"
#define CUST_AT "CASE WHEN a.party = 'customer' THEN a.at END"

long
voc_scan_store(struct voc *v, struct db *db, const struct voc_scan_opts *o)
{
	struct scan sc;
	struct marks mk = {0, NULL, 0};
	struct voc_hit *hits;
	struct ahead ra;
	const char *sql;
	sqlite3_stmt *st = NULL;
	long total = 0;
	size_t i;
	int n, rc = SQLITE_DONE, err = 0;

	memset(&sc, 0, sizeof(sc));
	memset(&ra, 0, sizeof(ra));
	sc.v = v;
	sc.db = db;
	sc.o = o;
	if ((sc.cal = workcal_load(o->dir)) == NULL)
		return -1;
	tz_now(sc.now);
	if (scan_prepare(&sc) < 0) {
		scan_free(&sc);
		workcal_free(sc.cal);
		return -1;
	}
	voc_memo_scopes(v, 1);
	if (o->fmt == OUT_TEXT)
		sc.t = hit_table();
	out_init(&sc.out, v, o->out);
	/*
	 * Without --rescan, the activities past the last run that voc_scan
	 * does not list; with it, every activity whose rule set (voc_scan's,
	 * or its run's) is not this one.  In the order of the store, each
	 * activity's results written soon after it is read: the scan writes
	 * neither activity, voc_scan nor voc_mark meanwhile.
	 */
	if (o->rescan)
		sql = "SELECT a.id, a.on_date, a.customer_id, a.rep_id, "
		    CUST_TEXT ", coalesce(s.ruleset, (SELECT m.ruleset"
		    " FROM voc_mark m WHERE m.upto >= a.rowid"
		    " ORDER BY m.upto LIMIT 1)) AS rs, " CUST_AT
		    " FROM activity a"
		    " LEFT JOIN voc_scan s ON s.activity_id = a.id"
		    " WHERE rs IS NULL OR rs <> ?2 ORDER BY a.rowid";
	else
		sql = "SELECT a.id, a.on_date, a.customer_id, a.rep_id, "
		    CUST_TEXT ", NULL, " CUST_AT " FROM activity a"
		    " WHERE a.rowid > ?1"
		    " AND (NOT ?3 OR NOT EXISTS (SELECT 1 FROM voc_scan s"
		    " WHERE s.activity_id = a.id)) ORDER BY a.rowid";
	if (marks_load(&sc, &mk) < 0 || (st = db_prepare(db, sql)) == NULL)
		err = 1;
	else {
		sqlite3_bind_int64(st, 1, mk.top);
		bind_text(st, 2, v->version);
		sqlite3_bind_int(st, 3, mk.rows);
	}
	while (!err) {
		rc = read_ahead(st, o->rescan, &ra);
		voc_match_batch(v, ra.text, ra.n);
		for (i = 0; i < ra.n && !err; i++) {
			if ((n = voc_match_take(v, i, ra.text[i],
			    ra.a[i].cust, &hits)) < 0 ||
			    store_hits(&sc, &ra.a[i], hits, n) < 0)
				err = 1;
			total++;
		}
		if (rc != SQLITE_ROW)
			break;
	}
	if (!err && rc != SQLITE_DONE) {
		db_fail(db, rc, "activity");
		err = 1;
	}
	if (st != NULL)
		sqlite3_reset(st);
	if (!err && (ins_flush(db, &sc.hit) < 0 ||
	    ins_flush(db, &sc.push) < 0 || marks_save(&sc, &mk) < 0))
		err = 1;
	free(mk.top_rs);
	buf_free(&ra.s);
	out_flush(&sc.out, o->out);
	if (sc.t != NULL) {
		if (!err && sc.t->nrows > 0)
			table_write(o->out, sc.t, OUT_TEXT, 1);
		table_free(sc.t);
	}
	voc_memo_scopes(v, 0);
	out_free(&sc.out);
	scan_free(&sc);
	workcal_free(sc.cal);
	return err ? -1 : total;
}

/* JSON's white space. */
#define JSON_WS(c) ((c) == ' ' || (c) == '\t' || (c) == '\n' || (c) == '\r')

static int
hex4(const unsigned char *p, unsigned *u)
{
	unsigned c, i;

	*u = 0;
	for (i = 0; i < 4; i++) {
		c = p[i];
		if (c >= '0' && c <= '9')
			c -= '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			c = (c | 0x20) - 'a' + 10;
		else
			return -1;
		*u = *u << 4 | c;
	}
	return 0;
}

/*
 * Decode the JSON string at *pp (past its opening quote, before e) to
 * the end of b, which has room, with its NUL; *pp moves past the closing
 * quote.  Returns the offset of the string in b, or -1 for anything
 * jansson would refuse or that this does not know: then jansson reads
 * the line and says what is wrong.  As strict as jansson: UTF-8 without
 * overlong forms or surrogates, no control character, \u0000 refused.
 */
static long
flat_string(const unsigned char **pp, const unsigned char *e, struct buf *b)
{
	const unsigned char *p = *pp, *run = p;
	unsigned char *q = (unsigned char *)b->s + b->len;
	unsigned c, u, u2, k, i;
	long at = (long)b->len;

	for (;;) {
		if (p >= e)
			return -1;
		c = *p;
		/* Runs of plain ASCII and of three-byte characters. */
		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
			p++;
			continue;
		}
		if (c >= 0xE1 && c <= 0xEF && c != 0xED && e - p >= 3 &&
		    (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
			p += 3;
			continue;
		}
		memcpy(q, run, (size_t)(p - run));
		q += p - run;
		if (c == '"')
			break;
		if (c < 0x20)
			return -1;
		if (c == '\\') {
			if (p + 1 >= e)
				return -1;
			switch (p[1]) {
			case '"':
			case '\\':
			case '/':
				*q++ = p[1];
				break;
			case 'b':
				*q++ = '\b';
				break;
			case 'f':
				*q++ = '\f';
				break;
			case 'n':
				*q++ = '\n';
				break;
			case 'r':
				*q++ = '\r';
				break;
			case 't':
				*q++ = '\t';
				break;
			case 'u':
				if (e - p < 6 || hex4(p + 2, &u) < 0 || u == 0 ||
				    (u >= 0xDC00 && u <= 0xDFFF))
					return -1;
				if (u >= 0xD800 && u <= 0xDBFF) {
					if (e - p < 12 || p[6] != '\\' ||
					    p[7] != 'u' || hex4(p + 8, &u2) < 0 ||
					    u2 < 0xDC00 || u2 > 0xDFFF)
						return -1;
					u = 0x10000 + ((u - 0xD800) << 10) +
					    (u2 - 0xDC00);
					p += 6;
				}
				if (u < 0x80)
					*q++ = (unsigned char)u;
				else if (u < 0x800) {
					*q++ = (unsigned char)(0xC0 | u >> 6);
					*q++ = (unsigned char)(0x80 | (u & 0x3F));
				} else if (u < 0x10000) {
					*q++ = (unsigned char)(0xE0 | u >> 12);
					*q++ = (unsigned char)(0x80 |
					    (u >> 6 & 0x3F));
					*q++ = (unsigned char)(0x80 | (u & 0x3F));
				} else {
					*q++ = (unsigned char)(0xF0 | u >> 18);
					*q++ = (unsigned char)(0x80 |
					    (u >> 12 & 0x3F));
					*q++ = (unsigned char)(0x80 |
					    (u >> 6 & 0x3F));
					*q++ = (unsigned char)(0x80 | (u & 0x3F));
				}
				p += 4;
				break;
			default:
				return -1;
			}
			p += 2;
			run = p;
			continue;
		}
		/* UTF-8 of two to four bytes, as jansson checks it. */
		if (c >= 0xC2 && c <= 0xDF)
			k = 2, u = c & 0x1F;
		else if (c >= 0xE0 && c <= 0xEF)
			k = 3, u = c & 0x0F;
		else if (c >= 0xF0 && c <= 0xF4)
			k = 4, u = c & 0x07;
		else
			return -1;
		if (e - p < (long)k)
			return -1;
		for (i = 1; i < k; i++) {
			if ((p[i] & 0xC0) != 0x80)
				return -1;
			u = u << 6 | (p[i] & 0x3F);
		}
		if ((k == 3 && u < 0x800) || (k == 4 && u < 0x10000) ||
		    u > 0x10FFFF || (u >= 0xD800 && u <= 0xDFFF))
			return -1;
		p += k;
		/* Copied with the run it starts. */
		run = p - k;
	}
	*q++ = '\0';
	b->len = (size_t)(q - (unsigned char *)b->s);
	*pp = p + 1;
	return at;
}

/*
 * The fast way through a JSON line of the usual shape: one object whose
 * values are strings or null.  The strings are decoded to the end of b;
 * at[] gets the offsets in b of the last id, text and customer, as
 * jansson keeps it, or -1 (absent, or null).  0, or -1 when jansson must
 * read the line: another shape, or something jansson refuses, which it
 * then reports.
 */
static int
flat_obj(const char *line, size_t len, struct buf *b, long at[3])
{
	const unsigned char *p = (const unsigned char *)line, *e = p + len;
	long key, val;

	at[0] = at[1] = at[2] = -1;
	/* Decoded, no string is longer than it is written. */
	if (b->len + len + 1 > b->cap)
		b->s = xgrow(b->s, &b->cap, b->len + len + 1, 1);
	while (p < e && JSON_WS(*p))
		p++;
	if (p >= e || *p++ != '{')
		return -1;
	while (p < e && JSON_WS(*p))
		p++;
	if (p < e && *p == '}')
		p++;
	else
		for (;;) {
			if (p >= e || *p++ != '"' ||
			    (key = flat_string(&p, e, b)) < 0)
				return -1;
			while (p < e && JSON_WS(*p))
				p++;
			if (p >= e || *p++ != ':')
				return -1;
			while (p < e && JSON_WS(*p))
				p++;
			if (p < e && *p == '"') {
				p++;
				if ((val = flat_string(&p, e, b)) < 0)
					return -1;
			} else if (e - p >= 4 && memcmp(p, "null", 4) == 0) {
				p += 4;
				val = -1;
			} else
				return -1;
			if (strcmp(b->s + key, "id") == 0)
				at[0] = val;
			else if (strcmp(b->s + key, "text") == 0)
				at[1] = val;
			else if (strcmp(b->s + key, "customer") == 0)
				at[2] = val;
			while (p < e && JSON_WS(*p))
				p++;
			if (p < e && *p == ',') {
				p++;
				while (p < e && JSON_WS(*p))
					p++;
				continue;
			}
			if (p < e && *p == '}') {
				p++;
				break;
			}
			return -1;
		}
	while (p < e && JSON_WS(*p))
		p++;
	if (p != e)
		return -1;
	return 0;
}

/* flat_obj(), which leaves b as it was when jansson must read the line. */
static int
flat_line(const char *line, size_t len, struct buf *b, long at[3])
{
	size_t was = b->len;

	if (flat_obj(line, len, b, at) == 0)
		return 0;
	b->len = was;
	return -1;
}

/*
 * A line of a stream read ahead: its strings (offsets in the stream's
 * buffer, -1 for none) or what is wrong with it, reported in its turn.
 */
struct sline {
	long		 line;
	long		 at[3];		/* id, text, customer */
	int		 col;
	char		*err;		/* the message, or NULL */
};

/* Copy the string s (or none) of a line jansson read to the end of b. */
static long
keep_string(struct buf *b, const char *s)
{
	long at = (long)b->len;

	if (s == NULL)
		return -1;
	buf_add(b, s, strlen(s) + 1);
	return at;
}

int
voc_line(const char *line, size_t len, struct buf *b, long at[3],
    struct buf *err, int *col)
{
	json_error_t je;
	json_t *j;

	*col = 0;
	/* Most lines are flat; jansson reads the others. */
	if (flat_line(line, len, b, at) == 0)
		return 0;
	if ((j = json_loadb(line, len, JSON_DECODE_ANY, &je)) == NULL ||
	    !json_is_object(j)) {
		*col = j == NULL ? je.column : 0;
		buf_reset(err);
		buf_addf(err, "not a JSON object: %s", j == NULL ? je.text :
		    "a JSON value");
		json_decref(j);
		return -1;
	}
	at[0] = keep_string(b, json_string_value(json_object_get(j, "id")));
	at[1] = keep_string(b, json_string_value(json_object_get(j, "text")));
	at[2] = keep_string(b, json_string_value(json_object_get(j,
	    "customer")));
	json_decref(j);
	return 0;
}

/*
 * Read up to max lines (at most AHEAD, fewer past AHEAD_BYTES) of fp
 * into ls[], their strings into b; *nl counts lines.  The number read;
 * *more is 0 at the end of fp.
 */
static size_t
read_lines(FILE *fp, char **line, size_t *cap, long *nl, struct buf *b,
    struct sline *ls, size_t max, int *more)
{
	struct sline *l;
	struct buf m = {0};
	ssize_t len;
	size_t n = 0;

	b->len = 0;
	*more = 0;
	while (n < max && b->len < AHEAD_BYTES) {
		if ((len = getline(line, cap, fp)) <= 0)
			return n;
		++*nl;
		if (len == 1 && (*line)[0] == '\n')
			continue;
		l = &ls[n++];
		l->line = *nl;
		l->err = NULL;
		if (voc_line(*line, (size_t)len, b, l->at, &m, &l->col) < 0)
			l->err = buf_take(&m);
		else if (l->at[1] < 0)
			l->err = xstrdup("no \"text\" string");
	}
	*more = 1;
	return n;
}

/*
 * Lines are read ahead and matched AHEAD at a time; each line's hits, or
 * what is wrong with it, then come in the order of the lines.  For a
 * terminal, one at a time: reading ahead would wait for lines not yet
 * typed or sent down the pipe before showing the hits of the first.
 */
int
voc_scan_stream(struct voc *v, FILE *fp, const char *name,
    const struct voc_scan_opts *o)
{
	struct sline ls[AHEAD];
	const char *text[AHEAD], *id, *cust;
	struct voc_hit *hits;
	struct table *t = NULL;
	struct out w;
	struct buf b = {0};
	struct pos p = {name, NULL, 0, 0};
	char *line = NULL;
	size_t cap = 0, nb, k;
	long nl = 0;
	int n, i, more, rc = 0;

	if (o->fmt == OUT_TEXT)
		t = hit_table();
	out_init(&w, v, o->out);
	do {
		nb = read_lines(fp, &line, &cap, &nl, &b, ls,
		    w.eager ? 1 : AHEAD, &more);
		for (k = 0; k < nb; k++)
			text[k] = ls[k].err == NULL ? b.s + ls[k].at[1] : NULL;
		voc_match_batch(v, text, nb);
		for (k = 0; k < nb; k++) {
			if (ls[k].err != NULL) {
				p.line = ls[k].line;
				p.col = ls[k].col;
				diag_error(SX_DATA, &p, "%s", ls[k].err);
				free(ls[k].err);
				rc = -1;
				continue;
			}
			id = ls[k].at[0] >= 0 ? b.s + ls[k].at[0] : NULL;
			cust = ls[k].at[2] >= 0 ? b.s + ls[k].at[2] : NULL;
			if ((n = voc_match_take(v, k, text[k], cust,
			    &hits)) < 0)
				rc = -1;
			for (i = 0; i < n; i++)
				print_hit(v, &w, &hits[i], id, cust, NULL, 0,
				    o, t);
		}
	} while (more);
	free(line);
	buf_free(&b);
	out_flush(&w, o->out);
	out_free(&w);
	if (t != NULL) {
		if (t->nrows > 0)
			table_write(o->out, t, OUT_TEXT, 1);
		table_free(t);
	}
	return rc;
}

/* Is tag among the '|'-separated list? */
static int
in_list(const char *list, const char *tag)
{
	size_t n = strlen(tag);
	const char *s = list;

	while (*s != '\0') {
		const char *e = strchr(s, '|');
		size_t k = e != NULL ? (size_t)(e - s) : strlen(s);

		if (k == n && strncmp(s, tag, n) == 0)
			return 1;
		if (e == NULL)
			break;
		s = e + 1;
	}
	return 0;
}

struct tagstat {
	char	*tag;
	long	 tp, fp, fn;
};

static struct tagstat *
stat_of(struct tagstat **ts, size_t *n, const char *tag)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp((*ts)[i].tag, tag) == 0)
			return &(*ts)[i];
	*ts = xrealloc(*ts, (*n + 1) * sizeof(**ts));
	(*ts)[*n].tag = xstrdup(tag);
	(*ts)[*n].tp = (*ts)[*n].fp = (*ts)[*n].fn = 0;
	return &(*ts)[(*n)++];
}

static double
ratio(long a, long b)
{
	return b == 0 ? 1.0 : (double)a / (double)b;
}

int
voc_test(struct voc *v, struct db *db, const char *path, enum outfmt fmt,
    FILE *out, double *precision, double *recall)
{
	struct rtable *lt;
	struct tagstat *ts = NULL, *s;
	struct voc_hit *hits;
	struct table *tw, *tt;
	struct buf got = {0}, want = {0};
	sqlite3_stmt *st;
	const char *text, *exp, *ind, *e;
	char key[80];
	long tp = 0, fp = 0, fn = 0;
	size_t r, k, nts = 0, row;
	int ctext, ctags, cind, n, i, wrong, rc = 0;

	if ((lt = rules_load_file(path)) == NULL)
		return -1;
	if ((ctext = rtable_need(lt, "text")) < 0 ||
	    (ctags = rtable_need(lt, "tags")) < 0) {
		rtable_free(lt);
		return -1;
	}
	cind = rtable_col(lt, "industry");
	tw = table_new(NULL);
	table_col(tw, "line", _("line no."), 1);
	table_col(tw, "text", _("text"), 0);
	table_col(tw, "want", _("expected tags"), 0);
	table_col(tw, "got", _("found tags"), 0);
	for (r = 0; r < lt->nrows; r++) {
		text = rtable_get(lt, r, ctext);
		exp = rtable_get(lt, r, ctags);
		ind = rtable_get(lt, r, cind);
		key[0] = '\0';
		if (*ind != '\0' && db != NULL) {
			snprintf(key, sizeof(key), "test:%s", ind);
			if ((st = db_prepare(db, "INSERT INTO customer (id, name,"
			    " industry) VALUES (?1, ?1, ?2)"
			    " ON CONFLICT DO NOTHING")) == NULL) {
				rc = -1;
				break;
			}
			bind_text(st, 1, key);
			bind_text(st, 2, ind);
			if (sqlite3_step(st) != SQLITE_DONE) {
				rc = db_fail(db, SQLITE_ERROR, "customer");
				break;
			}
		}
		if ((n = voc_match(v, text, *key != '\0' ? key : NULL,
		    &hits)) < 0) {
			rc = -1;
			break;
		}
		buf_reset(&got);
		wrong = 0;
		for (i = 0; i < n; i++) {
			const char *tag = v->rules[hits[i].rule].tag;

			if (got.len > 0)
				buf_addc(&got, '|');
			buf_adds(&got, tag);
			s = stat_of(&ts, &nts, tag);
			if (in_list(exp, tag)) {
				s->tp++;
				tp++;
			} else {
				s->fp++;
				fp++;
				wrong = 1;
			}
		}
		for (e = exp; *e != '\0';) {
			const char *b = strchr(e, '|');
			size_t len = b != NULL ? (size_t)(b - e) : strlen(e);

			buf_reset(&want);
			buf_add(&want, e, len);
			if (!in_list(buf_str(&got), want.s)) {
				stat_of(&ts, &nts, want.s)->fn++;
				fn++;
				wrong = 1;
			}
			if (b == NULL)
				break;
			e = b + 1;
		}
		if (wrong) {
			row = table_row(tw);
			table_int(tw, row, 0, lt->rows[r].line);
			table_text(tw, row, 1, text);
			table_text(tw, row, 2, exp);
			table_text(tw, row, 3, buf_str(&got));
		}
	}
	tt = table_new(NULL);
	table_col(tt, "tag", _("tag"), 0);
	table_col(tt, "tp", _("hits"), 1);
	table_col(tt, "fp", _("false hits"), 1);
	table_col(tt, "fn", _("missed"), 1);
	table_col(tt, "precision", _("precision"), 1);
	table_col(tt, "recall", _("recall"), 1);
	for (k = 0; k < nts; k++) {
		char p1[16], p2[16];

		row = table_row(tt);
		snprintf(p1, sizeof(p1), "%.3f", ratio(ts[k].tp, ts[k].tp +
		    ts[k].fp));
		snprintf(p2, sizeof(p2), "%.3f", ratio(ts[k].tp, ts[k].tp +
		    ts[k].fn));
		table_text(tt, row, 0, ts[k].tag);
		table_int(tt, row, 1, ts[k].tp);
		table_int(tt, row, 2, ts[k].fp);
		table_int(tt, row, 3, ts[k].fn);
		table_text(tt, row, 4, p1);
		table_text(tt, row, 5, p2);
		free(ts[k].tag);
	}
	free(ts);
	*precision = ratio(tp, tp + fp);
	*recall = ratio(tp, tp + fn);
	if (rc == 0) {
		char p1[16], p2[16];

		table_totals(tt);
		row = table_row(tt);
		snprintf(p1, sizeof(p1), "%.3f", *precision);
		snprintf(p2, sizeof(p2), "%.3f", *recall);
		table_text(tt, row, 0, "(all)");
		table_int(tt, row, 1, tp);
		table_int(tt, row, 2, fp);
		table_int(tt, row, 3, fn);
		table_text(tt, row, 4, p1);
		table_text(tt, row, 5, p2);
		table_write(out, tt, fmt, 1);
		if (tw->nrows > 0) {
			if (fmt == OUT_TEXT)
				fputc('\n', out);
			table_write(out, tw, fmt, 1);
		}
	}
	table_free(tt);
	table_free(tw);
	buf_free(&got);
	buf_free(&want);
	rtable_free(lt);
	return rc;
}

int
voc_correct(struct db *db, const char *act, const char *add,
    const char *rule, const char *by)
{
	sqlite3 *h = db_handle(db);
	sqlite3_stmt *st;
	char *cust = NULL, *day = NULL, now[40];
	int rc;

	tz_now(now);
	if ((st = db_prepare(db, "SELECT customer_id, on_date FROM activity"
	    " WHERE id = ?1")) == NULL)
		return -1;
	bind_text(st, 1, act);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		if (rc != SQLITE_DONE)
			return db_fail(db, rc, "activity");
		diag_error(SX_DATA, NULL, "no activity '%s'",
		    diag_val(act));
		return -1;
	}
	cust = col(st, 0) ? xstrdup(col(st, 0)) : NULL;
	day = xstrdup(col(st, 1) ? col(st, 1) : now);
	sqlite3_reset(st);
	rc = -1;
	if (rule != NULL) {
		if ((st = db_prepare(db, "DELETE FROM tag WHERE hit_id IN"
		    " (SELECT id FROM voc_hit WHERE activity_id = ?1"
		    " AND rule_id = ?2 AND current = 1)")) == NULL)
			goto out;
		bind_text(st, 1, act);
		bind_text(st, 2, rule);
		if (sqlite3_step(st) != SQLITE_DONE) {
			db_fail(db, SQLITE_ERROR, "tag");
			goto out;
		}
		if ((st = db_prepare(db, "UPDATE voc_hit SET current = 0"
		    " WHERE activity_id = ?1 AND rule_id = ?2"
		    " AND current = 1")) == NULL)
			goto out;
		bind_text(st, 1, act);
		bind_text(st, 2, rule);
		if (sqlite3_step(st) != SQLITE_DONE) {
			db_fail(db, SQLITE_ERROR, "voc_hit");
			goto out;
		}
		if (sqlite3_changes(h) == 0) {
			diag_error(SX_DATA, NULL, "activity '%s' has no hit "
			    "of rule '%s'", diag_val(act), diag_val(rule));
			goto out;
		}
	} else if (cust != NULL) {
		if ((st = db_prepare(db, "INSERT INTO tag (customer_id, tag,"
		    " source, since) VALUES (?1, ?2, 'correction', ?3)"
		    " ON CONFLICT DO NOTHING")) == NULL)
			goto out;
		bind_text(st, 1, cust);
		bind_text(st, 2, add);
		bind_text(st, 3, day);
		if (sqlite3_step(st) != SQLITE_DONE) {
			db_fail(db, SQLITE_ERROR, "tag");
			goto out;
		}
	}
	if ((st = db_prepare(db, "INSERT INTO voc_correction (activity_id,"
	    " action, tag, rule_id, by_rep, at) VALUES (?1, ?2, ?3, ?4, ?5,"
	    " ?6)")) == NULL)
		goto out;
	bind_text(st, 1, act);
	bind_text(st, 2, add != NULL ? "add" : "remove");
	bind_text(st, 3, add);
	bind_text(st, 4, rule);
	bind_text(st, 5, by);
	bind_text(st, 6, now);
	if (sqlite3_step(st) != SQLITE_DONE) {
		db_fail(db, SQLITE_ERROR, "voc_correction");
		goto out;
	}
	rc = 0;
out:
	free(cust);
	free(day);
	return rc;
}

/* Is the n-gram worth proposing: no ASCII, no punctuation. */
static int
gram_ok(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x80)
			return 0;
	/* Ideographs only: three-byte sequences from E4 to E9. */
	for (i = 0; i < n; i += 3)
		if ((unsigned char)s[i] < 0xE4 || (unsigned char)s[i] > 0xE9)
			return 0;
	return 1;
}

struct gram {
	char	*g;
	long	 support, hits, pos;
};

static int
gram_cmp(const void *a, const void *b)
{
	const struct gram *x = a, *y = b;
	double px = ratio(x->pos, x->hits), py = ratio(y->pos, y->hits);

	if (x->support != y->support)
		return x->support > y->support ? -1 : 1;
	if (px != py)
		return px > py ? -1 : 1;
	if (strlen(x->g) != strlen(y->g))
		return strlen(x->g) > strlen(y->g) ? -1 : 1;
	return strcmp(x->g, y->g);
}

int
voc_suggest(struct db *db, long min, enum outfmt fmt, FILE *out)
{
	sqlite3_stmt *st, *q;
	struct hmap *seen, *given;
	struct gram *gs = NULL;
	struct table *t;
	char **tags = NULL;
	const char *text;
	long ncorr;
	size_t ntags = 0, ng = 0, i, k, len, n, row;
	int rc = 0, qrc;

	if ((st = db_prepare(db, "SELECT count(*) FROM voc_correction")) ==
	    NULL || sqlite3_step(st) != SQLITE_ROW)
		return -1;
	ncorr = (long)sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (ncorr < min) {
		diag_note("%ld corrections, fewer than %ld: nothing to "
		    "suggest yet", ncorr, min);
		return 0;
	}
	if ((st = db_prepare(db, "SELECT DISTINCT tag FROM voc_correction"
	    " WHERE action = 'add' ORDER BY tag")) == NULL)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		tags = xrealloc(tags, (ntags + 1) * sizeof(*tags));
		tags[ntags++] = xstrdup(col(st, 0));
	}
	sqlite3_reset(st);
	t = table_new(NULL);
	table_col(t, "tag", _("tag"), 0);
	table_col(t, "phrase", _("phrase"), 0);
	table_col(t, "support", _("support"), 1);
	table_col(t, "matches", _("occurrences"), 1);
	table_col(t, "precision", _("precision"), 1);
	for (k = 0; k < ntags && rc == 0; k++) {
		/* Character 2- to 4-grams of the corrected texts. */
		ng = 0;
		if ((st = db_prepare(db, "SELECT DISTINCT a.id, a.text FROM"
		    " voc_correction c JOIN activity a ON a.id ="
		    " c.activity_id WHERE c.action = 'add' AND c.tag = ?1"
		    " ORDER BY a.id")) == NULL) {
			rc = -1;
			break;
		}
		bind_text(st, 1, tags[k]);
		while (sqlite3_step(st) == SQLITE_ROW) {
			text = col(st, 1) ? col(st, 1) : "";
			len = strlen(text);
			seen = hmap_new();
			for (i = 0; i < len; i += 3)
				for (n = 6; n <= 12 && i + n <= len; n += 3) {
					intptr_t gi;

					if (!gram_ok(text + i, n) ||
					    hmap_get(seen, text + i, n, &gi))
						continue;
					hmap_put(seen, text + i, n, 1);
					for (gi = 0; gi < (intptr_t)ng; gi++)
						if (strlen(gs[gi].g) == n &&
						    memcmp(gs[gi].g, text + i,
						    n) == 0)
							break;
					if (gi == (intptr_t)ng) {
						gs = xrealloc(gs, (ng + 1) *
						    sizeof(*gs));
						gs[ng].g = xstrndup(text + i, n);
						gs[ng].support = 0;
						ng++;
					}
					gs[gi].support++;
				}
			hmap_free(seen);
		}
		sqlite3_reset(st);
		/*
		 * Precision on the store's activities: of those holding the
		 * n-gram, the ones the tag was added to or that have a current
		 * hit of it.  Those are found once per tag (hits have no index
		 * by tag: a scan of them per n-gram cost more than the rest).
		 */
		given = hmap_new();
		if ((q = db_prepare(db, "SELECT activity_id FROM voc_correction"
		    " WHERE action = 'add' AND tag = ?1 UNION ALL"
		    " SELECT activity_id FROM voc_hit WHERE tag = ?1"
		    " AND current = 1")) == NULL)
			rc = -1;
		else {
			bind_text(q, 1, tags[k]);
			while ((qrc = sqlite3_step(q)) == SQLITE_ROW)
				hmap_put(given, col(q, 0), strlen(col(q, 0)), 1);
			sqlite3_reset(q);
			if (qrc != SQLITE_DONE)
				rc = db_fail(db, qrc, "voc_hit");
		}
		for (i = 0; i < ng && rc == 0; i++) {
			intptr_t one;

			gs[i].hits = gs[i].pos = 0;
			if (gs[i].support < 2)
				continue;
			if ((q = db_prepare(db, "SELECT id FROM activity"
			    " WHERE instr(text, ?1) > 0")) == NULL) {
				rc = -1;
				break;
			}
			bind_text(q, 1, gs[i].g);
			while ((qrc = sqlite3_step(q)) == SQLITE_ROW) {
				gs[i].hits++;
				if (hmap_get(given, col(q, 0), strlen(col(q, 0)),
				    &one))
					gs[i].pos++;
			}
			sqlite3_reset(q);
			if (qrc != SQLITE_DONE)
				rc = db_fail(db, qrc, "activity");
		}
		hmap_free(given);
		if (ng > 1)
			qsort(gs, ng, sizeof(*gs), gram_cmp);
		for (i = 0, n = 0; i < ng; i++) {
			char p[16];

			if (n < 5 && gs[i].support >= 2 &&
			    ratio(gs[i].pos, gs[i].hits) >= 0.5) {
				row = table_row(t);
				snprintf(p, sizeof(p), "%.3f",
				    ratio(gs[i].pos, gs[i].hits));
				table_text(t, row, 0, tags[k]);
				table_text(t, row, 1, gs[i].g);
				table_int(t, row, 2, gs[i].support);
				table_int(t, row, 3, gs[i].hits);
				table_text(t, row, 4, p);
				n++;
			}
			free(gs[i].g);
		}
	}
	if (rc == 0 && t->nrows > 0)
		table_write(out, t, fmt, 1);
	table_free(t);
	free(gs);
	for (k = 0; k < ntags; k++)
		free(tags[k]);
	free(tags);
	return rc;
}

static int
query_table(struct db *db, sqlite3_stmt *st, struct table *t,
    enum outfmt fmt, FILE *out)
{
	size_t r, c;
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r = table_row(t);
		for (c = 0; c < t->ncols; c++)
			if (sqlite3_column_type(st, (int)c) == SQLITE_INTEGER)
				table_int(t, r, c,
				    sqlite3_column_int64(st, (int)c));
			else
				table_text(t, r, c, col(st, (int)c));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, rc, "query");
	if (t->nrows > 0)
		table_write(out, t, fmt, 1);
	return 0;
}

int
voc_tags(struct db *db, const char *cust, enum outfmt fmt, FILE *out)
{
	struct table *t;
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, "SELECT t.customer_id, c.name, t.tag,"
	    " t.source, t.rule_id, h.span, h.activity_id, t.since"
	    " FROM tag t LEFT JOIN customer c ON c.id = t.customer_id"
	    " LEFT JOIN voc_hit h ON h.id = t.hit_id"
	    " WHERE t.customer_id = ?1 OR c.code = ?1 OR c.name = ?1"
	    " ORDER BY t.since, t.tag")) == NULL)
		return -1;
	bind_text(st, 1, cust);
	t = table_new(NULL);
	table_col(t, "customer_id", _("id"), 0);
	table_col(t, "customer", _("customer"), 0);
	table_col(t, "tag", _("tag"), 0);
	table_col(t, "source", _("source"), 0);
	table_col(t, "rule", _("rule"), 0);
	table_col(t, "span", _("span"), 0);
	table_col(t, "activity", _("activity"), 0);
	table_col(t, "since", _("since"), 0);
	rc = query_table(db, st, t, fmt, out);
	table_free(t);
	return rc;
}

int
voc_tasks(struct db *db, const char *rep, const char *before,
    enum outfmt fmt, FILE *out)
{
	struct table *t;
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, "SELECT t.id, t.due_on, t.title, c.name,"
	    " r.name, t.rule_id, t.activity_id, t.created_on FROM task t"
	    " LEFT JOIN customer c ON c.id = t.customer_id"
	    " LEFT JOIN rep r ON r.id = t.rep_id WHERE t.status = 'open'"
	    " AND (?1 IS NULL OR t.rep_id = ?1 OR r.name = ?1"
	    " OR r.code = ?1) AND (?2 IS NULL OR t.due_on < ?2)"
	    " ORDER BY t.due_on, t.id")) == NULL)
		return -1;
	bind_text(st, 1, rep);
	bind_text(st, 2, before);
	t = table_new(NULL);
	table_col(t, "id", _("id"), 1);
	table_col(t, "due", _("due on"), 0);
	table_col(t, "task", _("follow-up"), 0);
	table_col(t, "customer", _("customer"), 0);
	table_col(t, "rep", _("rep"), 0);
	table_col(t, "rule", _("rule"), 0);
	table_col(t, "activity", _("activity"), 0);
	table_col(t, "created", _("created"), 0);
	rc = query_table(db, st, t, fmt, out);
	table_free(t);
	return rc;
}
