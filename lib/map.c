/*
 * Rows to records: header mapping, kind detection, value conversion
 * and the one policy for bad values (DESIGN.md: a row is rejected when
 * its key or a required field is missing or unreadable; an optional
 * field that cannot be read is left empty with a warning, or rejects
 * the row under --strict).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "hash.h"
#include "hmap.h"
#include "kinds.h"
#include "map.h"
#include "mojibake.h"
#include "norm.h"
#include "numfmt.h"
#include "num.h"
#include "row.h"
#include "target.h"
#include "text.h"
#include "tz.h"
#include "vocab.h"
#include "xalloc.h"
#include "xldate.h"

void
rec_init(struct rec *r, const struct kinddef *kd)
{
	memset(r, 0, sizeof(*r));
	r->kd = kd;
}

/*
 * Only the columns of the kind the record last had can be set: a
 * record is cleared by its kind's width, not all REC_MAXCOLS.
 */
void
rec_reset(struct rec *r, const struct kinddef *kd)
{
	size_t n = r->kd != NULL ? r->kd->ncols : REC_MAXCOLS;

	r->present = 0;
	r->id[0] = '\0';
	memset(r->v, 0, n * sizeof(r->v[0]));
	buf_reset(&r->arena);
	r->kd = kd;
}

void
rec_free(struct rec *r)
{
	buf_free(&r->arena);
}

const char *
rec_text(const struct rec *r, int col)
{
	if (col < 0 || !r->v[col].set || r->v[col].null)
		return NULL;
	return r->arena.s + r->v[col].off;
}

static void
set_text(struct rec *r, int col, const char *s, size_t n)
{
	struct sval *v = &r->v[col];

	v->set = 1;
	v->null = 0;
	v->off = r->arena.len;
	v->len = n;
	buf_add(&r->arena, s, n);
	buf_addc(&r->arena, '\0');
}

static void
set_null(struct rec *r, int col)
{
	r->v[col].set = 1;
	r->v[col].null = 1;
}

void
issues_clear(struct issues *is)
{
	size_t i;

	for (i = 0; i < is->n; i++) {
		free(is->v[i].column);
		free(is->v[i].value);
		free(is->v[i].reason);
	}
	is->n = 0;
}

void
issues_free(struct issues *is)
{
	issues_clear(is);
	free(is->v);
	memset(is, 0, sizeof(*is));
}

void
issues_add(struct issues *is, int col, const char *column, const char *value,
    int reject, const char *fmt, ...)
{
	struct buf b = {0};
	struct issue *i;
	size_t k;
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	/*
	 * A customer file fills the customer twice (as the record and as
	 * the party it names): one cell, one message.
	 */
	for (k = 0; k < is->n; k++)
		if (is->v[k].col == col && strcmp(is->v[k].reason,
		    buf_str(&b)) == 0) {
			is->v[k].reject |= reject;
			buf_free(&b);
			return;
		}
	is->v = xgrow(is->v, &is->cap, is->n + 1, sizeof(*is->v));
	i = &is->v[is->n++];
	i->col = col;
	i->reject = reject;
	i->kept = 0;
	i->column = xstrdup(column != NULL ? column : "");
	i->value = xstrdup(value != NULL ? value : "");
	i->reason = buf_take(&b);
}

int
map_header_score(const struct vocab *v, const struct row *row)
{
	unsigned char seen[F_COUNT];
	size_t i;
	long scale;
	char cur[4];
	int n;

	/*
	 * Distinct fields: a group label merged over several columns
	 * (金额 over 合同金额 and 回款金额) counts once, so the row of
	 * real names below it wins.
	 */
	memset(seen, 0, sizeof(seen));
	n = 0;
	for (i = 0; i < row->ncells; i++) {
		const char *s = row_text(row, i), *where;
		enum field f;

		if (row->cells[i].type != CELL_TEXT)
			continue;
		if ((vocab_mapped(v, s, row->cells[i].len, &f, &scale, cur,
		    &where) || (f = vocab_header(v, s, row->cells[i].len,
		    &scale, cur)) != F_NONE) && f != F_NONE && !seen[f]) {
			seen[f] = 1;
			n++;
		}
	}
	return n;
}

/* 1 for a column of REJECT_COLS. */
static int
is_reject_col(const char *s, size_t n)
{
	const char *p, *e;

	if (n < 2 || s[0] != '_')
		return 0;
	for (p = REJECT_COLS; *p != '\0'; p = *e ? e + 1 : e) {
		if ((e = strchr(p, ',')) == NULL)
			e = p + strlen(p);
		if ((size_t)(e - p) == n && memcmp(p, s, n) == 0)
			return 1;
	}
	return 0;
}

static void
add_columns(struct mapper *m, const struct row *h, size_t from)
{
	struct buf clean = {0};
	const char *mapped;
	size_t i;
	enum field f;
	long scale;

	if (h->ncells <= m->ncols && from > 0)
		return;
	m->cols = xrealloc(m->cols, (h->ncells + 1) * sizeof(*m->cols));
	for (i = from; i < h->ncells; i++) {
		struct mcol *c = &m->cols[i];

		memset(c, 0, sizeof(*c));
		buf_reset(&clean);
		text_clean(&clean, row_text(h, i), h->cells[i].len);
		c->header = xstrdup(buf_str(&clean));
		f = F_NONE;
		scale = 1;
		mapped = NULL;
		if (is_reject_col(clean.s, clean.len)) {
			c->scale = 1;
			c->why = "rejects file column";
			continue;
		}
		if (clean.len > 0 && !vocab_mapped(m->vocab, clean.s,
		    clean.len, &f, &scale, c->cur, &mapped))
			f = vocab_header(m->vocab, clean.s, clean.len, &scale,
			    c->cur);
		c->scale = scale;
		/* Only an amount has a currency: 数量(万台) is no money. */
		if (f == F_NONE || field_info[f].type != FT_MONEY)
			c->cur[0] = '\0';
		if (f == F_NONE) {
			c->why = mapped ? mapped : clean.len ?
			    "not a known header" : "no header";
			continue;
		}
		if (m->fcol[f] >= 0) {
			c->why = "same field as an earlier column";
			continue;
		}
		c->f = f;
		c->why = mapped ? mapped : scale != 1 || c->cur[0] ?
		    "synonym, unit in brackets" : "synonym";
		m->fcol[f] = (int)i;
	}
	m->ncols = h->ncells;
	m->gen++;
	buf_free(&clean);
}

/* 1 when some field of the kind's column kc is mapped. */
static int
feeds(const struct mapper *m, const struct kcol *kc)
{
	int k;

	for (k = 0; k < 3 && kc->from[k] != F_NONE; k++)
		if (m->fcol[kc->from[k]] >= 0)
			return 1;
	return 0;
}

/*
 * 1 when field f goes into a record of kind k: into one of its columns
 * or its key, or into the customer or rep such a record names.
 */
static int
field_feeds(enum kind k, enum field f)
{
	const struct kinddef *kd = kind_def(k), *sub;
	size_t c;
	int j, t;

	if (kd->key[0] == f || kd->key[1] == f)
		return 1;
	/* A news item's id is made from its guid (news_id()). */
	if (k == K_NEWS && f == F_GUID)
		return 1;
	for (c = 0; c < kd->ncols; c++)
		for (j = 0; j < 3 && kd->cols[c].from[j] != F_NONE; j++)
			if (kd->cols[c].from[j] == f)
				return 1;
	for (t = 0; t < 2; t++) {
		if (!(t == 0 ? kd->has_customer : kd->has_rep))
			continue;
		sub = kind_def(t == 0 ? K_CUSTOMER : K_REP);
		for (c = 0; c < sub->ncols; c++)
			if (sub->cols[c].flags & KC_SUB)
				for (j = 0; j < 3 &&
				    sub->cols[c].from[j] != F_NONE; j++)
					if (sub->cols[c].from[j] == f)
						return 1;
	}
	return 0;
}

/*
 * How many of m's columns feed kind k (the header of one in *one); in
 * *lost, the header of a known column k drops that speaks for another
 * kind (商品名称 for products and deals), or NULL.
 */
static int
feeders(const struct mapper *m, enum kind k, const char **one,
    const char **lost)
{
	size_t i;
	int n = 0, o;

	*lost = NULL;
	for (i = 0; i < m->ncols; i++) {
		if (m->cols[i].f == F_NONE)
			continue;
		if (field_feeds(k, m->cols[i].f)) {
			*one = m->cols[i].header;
			n++;
			continue;
		}
		for (o = K_NONE + 1; o < K_COUNT; o++)
			if (o != (int)k && kind_hint((enum kind)o,
			    m->cols[i].f) > 0)
				*lost = m->cols[i].header;
	}
	return n;
}

static enum kind
detect_kind(const struct mapper *m, const char **why)
{
	static char msg[200];
	int mapped[F_COUNT], best, second, s, k, known, other;
	const char *one = "", *lost;
	enum kind kb, ks;
	size_t i;

	for (k = 0; k < F_COUNT; k++)
		mapped[k] = m->fcol[k] >= 0;
	best = second = 0;
	kb = ks = K_NONE;
	for (k = 1; k < K_COUNT; k++) {
		s = kind_score((enum kind)k, mapped);
		if (s > best) {
			second = best;
			ks = kb;
			best = s;
			kb = (enum kind)k;
		} else if (s > second) {
			second = s;
			ks = (enum kind)k;
		}
	}
	/* One known header among others proves little: a date column makes
	 * any table an activity log, an "account" column a customer list. */
	for (known = 0, other = 0, i = 0; i < m->ncols; i++) {
		if (m->cols[i].f != F_NONE) {
			known++;
			one = m->cols[i].header;
		} else if (m->cols[i].header != NULL &&
		    *m->cols[i].header != '\0')
			other++;
	}
	if (kb == K_NONE)
		snprintf(msg, sizeof(msg), "no header names a known field");
	else if (best == second) {
		snprintf(msg, sizeof(msg), "the headers fit %s and %s equally; "
		    "give --kind", kind_name(kb), kind_name(ks));
		kb = K_NONE;
	} else if (known == 1 && other > 0) {
		snprintf(msg, sizeof(msg), "only '%.40s' of its %zu headers "
		    "names a known field; give --kind %s if it is one, or "
		    "--map", one, m->ncols, kind_name(kb));
		kb = K_NONE;
	} else if (feeders(m, kb, &one, &lost) == 1 && lost != NULL) {
		/*
		 * 日期 and 商品名称: an activity would keep the date alone
		 * and drop what speaks for a product.  编号 or 备注 beside
		 * 客户名称 speaks for nothing else: a customer list.
		 */
		snprintf(msg, sizeof(msg), "only '%.40s' says anything %s "
		    "records keep, and '%.40s' would be dropped; give --kind "
		    "%s if it is one, or --map", one, kind_name(kb), lost,
		    kind_name(kb));
		kb = K_NONE;
	} else
		snprintf(msg, sizeof(msg), "headers score %d for %s, next %d",
		    best, kind_name(kb), second);
	*why = msg;
	return kb;
}

struct mapper *
mapper_new(const struct vocab *v, const struct row *h, enum kind kind,
    int strict, const char **why)
{
	const struct kinddef *kd;
	struct mapper *m;
	struct pos pos;
	size_t i;
	int k, haskey;

	m = xcalloc(1, sizeof(*m));
	m->vocab = v;
	m->strict = strict;
	for (k = 0; k < F_COUNT; k++)
		m->fcol[k] = -1;
	add_columns(m, h, 0);
	memset(&pos, 0, sizeof(pos));
	pos.file = h->file;
	pos.sheet = h->sheet;
	pos.line = h->line;
	*why = "given with --kind";
	if (kind == K_NONE && (kind = detect_kind(m, why)) == K_NONE) {
		diag_error(SX_DATA, &pos, "cannot tell what the file holds: %s",
		    *why);
		mapper_free(m);
		return NULL;
	}
	kd = m->kd = kind_def(kind);
	for (i = 0; i < kd->ncols; i++)
		if (kd->cols[i].flags & KC_REQUIRED)
			m->req[m->nreq++] = (int)i;
	m->kc_currency = kind_col(kd, "currency");
	m->kc_type = kind_col(kd, "type");
	m->kc_on_date = kind_col(kd, "on_date");
	m->kc_week = kind_col(kd, "week");
	m->kc_customer_id = kind_col(kd, "customer_id");
	m->kc_rep_id = kind_col(kd, "rep_id");
	for (k = 0; k < 2; k++) {
		m->kc_name[k] = kind_col(kind_def(k ? K_REP : K_CUSTOMER),
		    "name");
		m->kc_code[k] = kind_col(kind_def(k ? K_REP : K_CUSTOMER),
		    "code");
	}
	for (i = 0; i < kd->ncols; i++)
		if ((kd->cols[i].flags & KC_REQUIRED) && !feeds(m, &kd->cols[i])) {
			diag_error(SX_DATA, &pos, "%s records need a column for "
			    "'%s' and none of the headers names it", kd->table,
			    field_info[kd->cols[i].from[0]].name);
			mapper_free(m);
			return NULL;
		}
	/* Deals and leads are known by their ID or by their customer. */
	haskey = 0;
	for (k = 0; k < 2; k++)
		if (kd->key[k] != F_NONE && m->fcol[kd->key[k]] >= 0)
			haskey = 1;
	if ((kind == K_DEAL || kind == K_LEAD) && !haskey &&
	    m->fcol[F_CUSTOMER_NAME] < 0 && m->fcol[F_CUSTOMER_CODE] < 0 &&
	    (kind == K_LEAD || m->fcol[F_PRODUCT] < 0)) {
		diag_error(SX_DATA, &pos, "%s records need a column for an ID "
		    "or the customer%s, and there is none", kd->table,
		    kind == K_DEAL ? " or the product" : "");
		mapper_free(m);
		return NULL;
	}
	/* Say which mapped columns this kind does not store. */
	for (i = 0; i < m->ncols; i++) {
		enum field f = m->cols[i].f;
		size_t c;
		int used;

		if (f == F_NONE)
			continue;
		used = 0;
		for (k = 0; k < 2; k++)
			used |= kd->key[k] == f;
		for (c = 0; c < kd->ncols && !used; c++)
			for (k = 0; k < 3; k++)
				used |= kd->cols[c].from[k] == f;
		if (kd->has_customer || kind == K_CUSTOMER)
			used |= f == F_CUSTOMER_NAME || f == F_CUSTOMER_CODE;
		if (kd->has_rep)
			used |= f == F_REP_NAME || f == F_REP_CODE;
		/* The customer's and rep's own fields fill sub-records. */
		if (kd->has_customer && kind_col(kind_def(K_CUSTOMER),
		    field_info[f].name) >= 0)
			used = 1;
		used |= kd->has_customer && (f == F_INDUSTRY || f == F_SIZE ||
		    f == F_CONTACT || f == F_PHONE || f == F_EMAIL ||
		    f == F_ADDRESS || f == F_POSTCODE || f == F_CITY ||
		    f == F_PROVINCE || f == F_COUNTRY);
		used |= kd->has_rep && (f == F_MANAGER || f == F_REGION ||
		    f == F_TEAM || f == F_TIER || f == F_UNIT);
		/* A news item's guid makes its ID. */
		used |= kind == K_NEWS && f == F_GUID;
		if (!used)
			m->cols[i].why = "not stored for this kind";
	}
	return m;
}

void
mapper_extend(struct mapper *m, const struct row *h)
{
	add_columns(m, h, m->ncols);
}

void
mapper_free(struct mapper *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->ncols; i++)
		free(m->cols[i].header);
	free(m->cols);
	hmap_free(m->seen);
	hmap_free(m->party_ids);
	hmap_free(m->party_raw);
	buf_free(&m->party_arena);
	buf_free(&m->party_key);
	buf_free(&m->party_rawkey);
	buf_free(&m->scratch);
	hmap_free(m->enum_memo);
	buf_free(&m->enum_key);
	free(m->money_seq);
	free(m->money_fen);
	free(m->money_rc);
	free(m);
}

void
mapper_explain(const struct mapper *m, struct buf *b)
{
	char letters[8];
	size_t i;

	for (i = 0; i < m->ncols; i++) {
		const struct mcol *c = &m->cols[i];

		col_letters(letters, (int)i + 1);
		buf_addf(b, "%s\t%s\t", letters, c->header);
		if (c->f != F_NONE)
			buf_addf(b, "%s", field_info[c->f].name);
		else
			buf_addc(b, '-');
		buf_addf(b, "\t%s", c->why);
		if (c->scale != 1 && c->cur[0])
			buf_addf(b, " (x%ld, %s)", c->scale, c->cur);
		else if (c->scale != 1)
			buf_addf(b, " (x%ld)", c->scale);
		else if (c->cur[0])
			buf_addf(b, " (%s)", c->cur);
		buf_addc(b, '\n');
	}
}

int
mapper_needs_rerun(const struct mapper *m)
{
	size_t i;

	for (i = 0; i < m->ncols; i++)
		if (m->cols[i].ambiguous && m->cols[i].order != ORDER_UNKNOWN)
			return 1;
	return 0;
}

void
mapper_rewind(struct mapper *m)
{
	size_t i;

	for (i = 0; i < m->ncols; i++)
		m->cols[i].ambiguous = 0;
	hmap_free(m->seen);
	m->seen = NULL;
	m->said[0] = m->said[1] = 0;
}

/* Matched by text_key(), which drops spaces: 合 计 is 合计. */
#define W(s)	{s, sizeof(s) - 1}
static const struct {
	const char	*w;
	size_t		 n;
} totals_words[] = {
	W("合计"), W("总计"), W("小计"), W("总合计"), W("total"), W("totals"),
	W("grandtotal"), W("subtotal"), W("sum"),
};
#undef W

static int
is_totals(struct mapper *m, const struct row *row)
{
	struct buf *k = &m->scratch;
	size_t i, w;
	int yes;

	yes = 0;
	buf_reset(k);
	for (i = 0; i < row->ncells; i++) {
		if (row->cells[i].type == CELL_EMPTY ||
		    row->cells[i].len == 0)
			continue;
		if (row->cells[i].type != CELL_TEXT)
			break;
		text_key(k, row_text(row, i), row->cells[i].len);
		for (w = 0; w < sizeof(totals_words) / sizeof(*totals_words);
		    w++)
			if (k->len == totals_words[w].n &&
			    memcmp(k->s, totals_words[w].w, k->len) == 0)
				yes = 1;
		break;
	}
	return yes;
}

/*
 * A number cell of 16 or more digits whose file kept only 15 cannot
 * hold an identifier: Excel stores 110101199001011234 as
 * 1.10101199001011E+17, and the rest would be guessed.
 */
#define ID_LOST "a number of more than 15 digits: its last digits are " \
	"lost (keep such IDs as text)"

static int
id_digits_lost(const struct cell *c)
{
	return c->type == CELL_NUMBER && (c->flags & CF_TRUNC);
}

/* The text of a cell as a normalizer should see it. */
static const char *
cell_input(const struct row *row, int col, char *numbuf, size_t *len)
{
	const struct cell *c = &row->cells[col];

	/* Excel shows 15 significant digits; money is read as shown. */
	if (c->type == CELL_NUMBER && !(c->flags & CF_LOSSY)) {
		num_excel(numbuf, c->num);
		*len = strlen(numbuf);
		return numbuf;
	}
	*len = c->len;
	return cell_text(row, c);
}

static void
week_label(char *out, size_t sz, long days)
{
	int y, w;

	iso_week(days, &y, &w);
	/* "2026-W10" without printf: one for every dated record. */
	if (y >= 0 && y <= 9999 && w >= 0 && w <= 99 && sz >= 9) {
		out[0] = (char)('0' + y / 1000);
		out[1] = (char)('0' + y / 100 % 10);
		out[2] = (char)('0' + y / 10 % 10);
		out[3] = (char)('0' + y % 10);
		out[4] = '-';
		out[5] = 'W';
		out[6] = (char)('0' + w / 10);
		out[7] = (char)('0' + w % 10);
		out[8] = '\0';
		return;
	}
	snprintf(out, sz, "%04d-W%02d", y, w);
}

/* Columns named *_on hold dates; the rest of the time columns instants. */
static int
is_date_column(const char *name)
{
	size_t n = strlen(name);

	return n > 3 && strcmp(name + n - 3, "_on") == 0;
}

/*
 * Text that went through a wrong decoding once is stored as it is (its
 * bytes may be all that is left of it), with a warning that says what
 * it probably said; under --strict it rejects the row.  A cell feeding
 * two records is reported once.
 */
static void
flag_mojibake(struct mapper *m, struct issues *is, int col, const char *s,
    size_t n)
{
	struct buf fixed = {0};
	enum mojibake mb;
	size_t i;

	/* What the text probably said is wanted only for a finding. */
	if (mojibake_check(s, n, NULL) == MOJI_NONE)
		return;
	mb = mojibake_check(s, n, &fixed);
	for (i = 0; i < is->n; i++)
		if (is->v[i].col == col &&
		    strncmp(is->v[i].reason, "mojibake", 8) == 0)
			goto out;
	if (mb == MOJI_REPLACED)
		issues_add(is, col, m->cols[col].header, s, m->strict,
		    "mojibake: %s", mojibake_name(mb));
	else
		issues_add(is, col, m->cols[col].header, s, m->strict,
		    "mojibake: %s (probably '%s')", mojibake_name(mb),
		    diag_val(buf_str(&fixed)));
	is->v[is->n - 1].kept = !m->strict;
out:
	buf_free(&fixed);
}

/*
 * Convert cell col of the row for field f into rec column kc.
 * Returns 1 set, 0 empty, -1 bad (issue added).
 */
/*
 * No sale, plan or target of the companies this is for comes near 1万亿
 * (10^12) yuan; an amount past it is 1.38E+10 read in a 万元 column or a
 * similar slip, and converting it into yuan could pass the int64 range
 * of every sum.
 */
#define MONEY_MAX	INT64_C(100000000000000)	/* in fen */

/*
 * A record has one currency: the first a cell, a header's unit or a
 * currency column names (code, "" for none) becomes the row's (cur);
 * another one rejects the row, as nobody can say which amount is right.
 */
static int
row_currency(const struct mcol *mc, int col, const char *s, const char *code,
    char *cur, const char **from, struct issues *is)
{
	if (*code == '\0')
		return 0;
	if (*cur == '\0') {
		memcpy(cur, code, 4);
		*from = mc->header;
		return 0;
	}
	if (strcmp(cur, code) == 0)
		return 0;
	issues_add(is, col, mc->header, s, 1, "currency %s, but column '%s' "
	    "of the row says %s: one record is in one currency", code,
	    *from != NULL ? *from : "?", cur);
	return -1;
}

#define ENUM_MEMO	4096	/* enumeration cells remembered */

/* What norm_money_in() said of column col of this row, for map_money(). */
static void
money_keep(struct mapper *m, int col, int rc, int64_t fen)
{
	size_t old = m->money_cap;

	if ((size_t)col >= m->money_cap) {
		m->money_seq = xgrow(m->money_seq, &m->money_cap,
		    (size_t)col + 1, sizeof(*m->money_seq));
		memset(m->money_seq + old, 0, (m->money_cap - old) *
		    sizeof(*m->money_seq));
		m->money_fen = xrealloc(m->money_fen, m->money_cap *
		    sizeof(*m->money_fen));
		m->money_rc = xrealloc(m->money_rc, m->money_cap *
		    sizeof(*m->money_rc));
	}
	m->money_seq[col] = m->rowseq;
	m->money_fen[col] = fen;
	m->money_rc[col] = rc;
}

static int
convert(struct mapper *m, const struct row *row, int col, enum field f,
    struct rec *r, int kc, struct issues *is, char *cur, struct civil *when,
    int *when_time)
{
	const struct kcol *k = &r->kd->cols[kc];
	const struct cell *c;
	const char *s, *why, *ev;
	struct buf *b = &m->scratch;
	struct civil cv;
	enum date_order settles;
	struct mcol *mc = &m->cols[col];
	char numbuf[NUM_TEXT_MAX], text[INSTANT_TEXT_MAX], code[4];
	int64_t i64;
	double d;
	intptr_t memo;
	size_t n, mark;
	int rc, hastime, tzmin, bv, reject;
	enum ftype ft;

	reject = (k->flags & KC_REQUIRED) != 0 || m->strict;
	buf_reset(b);
	if ((size_t)col >= row->ncells || row->cells[col].type == CELL_EMPTY) {
		c = (size_t)col < row->ncells ? &row->cells[col] : NULL;
		if (c != NULL && (c->flags & CF_NOCACHE)) {
			char ref[16];

			col_letters(ref, col + 1);
			issues_add(is, col, mc->header, "", reject,
			    "formula without cached value (%s%ld)", ref,
			    row->line);
			return -1;
		}
		return 0;
	}
	c = &row->cells[col];
	if (c->type == CELL_ERROR) {
		char ref[16];

		col_letters(ref, col + 1);
		issues_add(is, col, mc->header, cell_text(row, c), reject,
		    "%s in %s%ld", cell_text(row, c), ref, row->line);
		return -1;
	}
	if (c->flags & CF_LOSSY) {
		issues_add(is, col, mc->header, cell_text(row, c), reject,
		    "serial %s is 1900-02-29, a day that does not exist",
		    cell_text(row, c));
		return -1;
	}
	s = cell_input(row, col, numbuf, &n);
	if (memchr(s, '\0', n) != NULL) {
		issues_add(is, col, mc->header, s, reject, "NUL byte in value");
		return -1;
	}
	rc = NORM_OK;
	why = NULL;
	ft = field_info[f].type;
	/* A rep's 状态 column says 在职 or 离职: whether the rep is active. */
	if (k->type == C_INT && ft == FT_TEXT)
		ft = FT_BOOL;
	switch (ft) {
	case FT_TEXT:
		/* Cleaned straight into the record, where it is kept. */
		mark = r->arena.len;
		text_clean(&r->arena, s, n);
		if (r->arena.len == mark)
			rc = NORM_EMPTY;
		else {
			r->v[kc].set = 1;
			r->v[kc].null = 0;
			r->v[kc].off = mark;
			r->v[kc].len = r->arena.len - mark;
			buf_addc(&r->arena, '\0');
			flag_mojibake(m, is, col, s, n);
		}
		break;
	case FT_ID:
		if (id_digits_lost(c)) {
			rc = NORM_BAD;
			why = ID_LOST;
		} else if ((rc = norm_id(s, n, b, &why)) == NORM_OK)
			set_text(r, kc, b->s, b->len);
		break;
	case FT_MONEY:
		rc = norm_money_in(s, n, mc->scale, &i64, code, &why);
		money_keep(m, col, rc, i64);
		if (rc == NORM_OK && (i64 > MONEY_MAX || i64 < -MONEY_MAX)) {
			rc = NORM_BAD;
			why = "larger than 1万亿 (1,000,000,000,000.00) in "
			    "size: a unit or an exponent typed by mistake?";
		} else if (rc == NORM_OK) {
			/*
			 * The cell's own word, else the header's unit, else
			 * the sign of the cell's format ([$$-409]#,##0.00):
			 * a format is how a number looks, the weakest say,
			 * which any other in the row overrules.
			 */
			m->row_money = 1;
			/*
			 * ¥10000 under 金额(万美元): the header's 万 was meant
			 * for dollars, so which figure is right?  Refused.
			 */
			if (code[0] != '\0' && mc->cur[0] != '\0' &&
			    strcmp(code, mc->cur) != 0) {
				issues_add(is, col, mc->header, s, 1, "currency "
				    "%s in the cell, but the header says %s",
				    code, mc->cur);
				return -1;
			}
			if (code[0] == '\0' && mc->cur[0] != '\0')
				memcpy(code, mc->cur, 4);
			else if (code[0] == '\0' &&
			    numfmt_code(CF_CUR(c->flags)) != NULL) {
				if (row_currency(mc, col, s, numfmt_code(
				    CF_CUR(c->flags)), m->row_weak,
				    &m->row_weak_from, is) < 0)
					return -1;
			}
			if (row_currency(mc, col, s, code, cur,
			    &m->row_cur_from, is) < 0)
				return -1;
			r->v[kc].set = 1;
			r->v[kc].i = i64;
		}
		break;
	case FT_CURRENCY:
		if ((rc = norm_currency(s, n, code)) == NORM_BAD) {
			issues_add(is, col, mc->header, s, 1, "unknown "
			    "currency '%s'; known: a three-letter code such "
			    "as USD, or %s", diag_val(s), norm_currency_words);
			return -1;
		}
		if (rc == NORM_OK && row_currency(mc, col, s, code, cur,
		    &m->row_cur_from, is) < 0)
			return -1;
		/* map_row() stores the row's one currency. */
		rc = NORM_EMPTY;
		break;
	case FT_DATE:
	case FT_INSTANT:
		rc = norm_datetime(s, n, mc->order, 1, &cv, &hastime, &tzmin,
		    &settles, &why);
		if (rc == NORM_AMBIGUOUS) {
			/* Rejected even when optional: stored empty, a won
			 * deal's close date would drop it from every report. */
			mc->ambiguous = 1;
			issues_add(is, col, mc->header, s, 1,
			    "ambiguous date: day and month could be either way "
			    "and no row of column '%s' settles it",
			    mc->header);
			return -1;
		}
		if (rc == NORM_OK && settles != ORDER_UNKNOWN) {
			if (mc->order == ORDER_UNKNOWN)
				mc->order = settles;
			else if (mc->order != settles) {
				issues_add(is, col, mc->header, s, reject,
				    "day/month order differs from earlier rows "
				    "of this column");
				return -1;
			}
		}
		if (rc != NORM_OK)
			break;
		if (tzmin != NO_TZ) {
			tz_to_local(&cv, tzmin, &cv);
			hastime = 1;
		}
		if (field_info[f].type == FT_INSTANT && hastime &&
		    !is_date_column(k->name)) {
			tz_format_instant(text, &cv);
			set_text(r, kc, text, strlen(text));
		} else {
			civil_format(text, &cv, 0);
			set_text(r, kc, text, strlen(text));
		}
		if (when != NULL) {
			*when = cv;
			*when_time = hastime;
		}
		break;
	case FT_INT:
		if ((rc = norm_int(s, n, &i64, &why)) == NORM_OK) {
			r->v[kc].set = 1;
			r->v[kc].i = i64;
		}
		break;
	case FT_DECIMAL:
		if ((rc = norm_decimal(s, n, &d, &why)) != NORM_OK)
			break;
		/* A coordinate off the globe is a typo, never data. */
		if ((f == F_LAT && !(d >= -90 && d <= 90)) ||
		    (f == F_LON && !(d >= -180 && d <= 180))) {
			issues_add(is, col, mc->header, s, 1, "%s '%s' is not "
			    "in [%s]", f == F_LAT ? "latitude" : "longitude",
			    diag_val(s), f == F_LAT ? "-90, 90" : "-180, 180");
			return -1;
		}
		r->v[kc].set = 1;
		r->v[kc].r = d;
		break;
	case FT_BOOL:
		if ((rc = norm_bool(s, n, &bv, &why)) == NORM_OK) {
			r->v[kc].set = 1;
			r->v[kc].i = bv;
		}
		break;
	case FT_ENUM:
		/*
		 * A column of a few values written over and over: each is
		 * looked up once, by the field and the cell as written.
		 */
		buf_reset(&m->enum_key);
		buf_addc(&m->enum_key, (int)f);
		buf_add(&m->enum_key, s, n);
		if (m->enum_memo != NULL && hmap_get(m->enum_memo,
		    m->enum_key.s, m->enum_key.len, &memo)) {
			ev = (const char *)memo;
			set_text(r, kc, ev, strlen(ev));
			break;
		}
		text_clean(b, s, n);
		if (b->len == 0) {
			rc = NORM_EMPTY;
			break;
		}
		if ((ev = vocab_enum(m->vocab, field_info[f].enumname, b->s,
		    b->len)) == NULL) {
			issues_add(is, col, mc->header, s, 1,
			    "unknown %s '%s'; known: %s",
			    field_info[f].enumname, diag_val(b->s),
			    vocab_enum_shown(m->vocab,
			    field_info[f].enumname));
			return -1;
		}
		if (m->enum_memo == NULL)
			m->enum_memo = hmap_new();
		if (hmap_count(m->enum_memo) < ENUM_MEMO)
			hmap_put(m->enum_memo, m->enum_key.s, m->enum_key.len,
			    (intptr_t)ev);
		set_text(r, kc, ev, strlen(ev));
		break;
	}
	if (rc == NORM_EMPTY)
		return 0;
	if (rc != NORM_OK) {
		issues_add(is, col, mc->header, s, reject, "%s",
		    why != NULL ? why : "unreadable value");
		return -1;
	}
	return 1;
}

/*
 * A payment file is a plan (回款计划) when it has a planned amount, or
 * a planned date and neither a collected amount nor a payment date.  A
 * plan's amount and date come from the planned columns even when the
 * file also shows what was collected so far (已回款金额), which is
 * not a plan of its own.
 */
static int
payment_plan(const struct mapper *m)
{
	if (m->fcol[F_PLAN_AMOUNT] >= 0)
		return 1;
	return m->fcol[F_PLAN_ON] >= 0 && m->fcol[F_RECEIVED] < 0 &&
	    m->fcol[F_PAID_ON] < 0;
}

/*
 * The file column that feeds kc, and its field in *f: the first of
 * kc->from that is mapped, except for a plan's amount and date.
 * Returns -1 when none is mapped.
 */
static int
source_col(const struct mapper *m, const struct kinddef *kd,
    const struct kcol *kc, enum field *f)
{
	int k;

	*f = F_NONE;
	if (kd->kind == K_PAYMENT && payment_plan(m)) {
		if (strcmp(kc->name, "amount_fen") == 0 &&
		    m->fcol[F_PLAN_AMOUNT] >= 0)
			return m->fcol[*f = F_PLAN_AMOUNT];
		if (strcmp(kc->name, "on_date") == 0 && m->fcol[F_PLAN_ON] >= 0)
			return m->fcol[*f = F_PLAN_ON];
	}
	for (k = 0; k < 3 && kc->from[k] != F_NONE; k++)
		if (m->fcol[kc->from[k]] >= 0)
			return m->fcol[*f = kc->from[k]];
	return -1;
}

/*
 * The plan for filling records of kind kd (only KC_SUB columns with
 * sub) from this file's columns, made again when columns were added.
 */
static const struct mplan *
plan_for(struct mapper *m, const struct kinddef *kd, int sub)
{
	struct mplan *p;
	struct mstep *st;
	enum field f;
	size_t c;
	int i, col;

	for (i = 0; i < m->nplans; i++)
		if (m->plans[i].kd == kd && m->plans[i].sub == sub)
			break;
	if (i < m->nplans && m->plans[i].gen == m->gen)
		return &m->plans[i];
	if (i == m->nplans) {
		if (m->nplans < MAP_PLANS)
			m->nplans++;
		else
			i = 0;	/* never: a row fills three kinds at most */
	}
	p = &m->plans[i];
	p->kd = kd;
	p->sub = sub;
	p->gen = m->gen;
	p->nstep = 0;
	for (c = 0; c < kd->ncols && c < REC_MAXCOLS; c++) {
		const struct kcol *kc = &kd->cols[c];

		if (sub && !(kc->flags & KC_SUB))
			continue;
		if ((col = source_col(m, kd, kc, &f)) < 0)
			continue;
		st = &p->step[p->nstep++];
		st->kc = (int)c;
		st->col = col;
		st->f = f;
		st->when = strcmp(kc->name, "at") == 0 ||
		    strcmp(kc->name, "published_at") == 0;
	}
	return p;
}

/* Fill the kind's columns of r from the row, all but column skip. */
static int
fill(struct mapper *m, const struct row *row, struct rec *r, int sub,
    struct issues *is, char *cur, struct civil *when, int *when_time,
    int skip)
{
	const struct mplan *p = plan_for(m, r->kd, sub);
	const struct mstep *st;
	int i, rc, any;

	any = 0;
	for (i = 0; i < p->nstep; i++) {
		st = &p->step[i];
		if (st->kc == skip)
			continue;
		rc = convert(m, row, st->col, st->f, r, st->kc, is, cur,
		    st->when ? when : NULL, when_time);
		if (rc > 0)
			any = 1;
		else if (!sub)
			set_null(r, st->kc);
	}
	return any;
}

/* The natural key of a record as one string, for its ID hash. */
static void
natural_key(const struct rec *r, struct buf *b)
{
	const struct kinddef *kd = r->kd;
	size_t c;

	buf_adds(b, kd->table);
	for (c = 0; c < kd->ncols; c++) {
		const struct sval *v = &r->v[c];

		if (!(kd->cols[c].flags & KC_NATKEY))
			continue;
		buf_addc(b, '\x1f');
		if (!v->set || v->null)
			continue;
		if (kd->cols[c].type == C_TEXT)
			text_key(b, r->arena.s + v->off, v->len);
		else if (kd->cols[c].type == C_INT)
			buf_addf(b, "%lld", (long long)v->i);
		else
			buf_addf(b, "%.17g", v->r);
	}
}

static int
has_natkey(const struct rec *r)
{
	size_t c;

	for (c = 0; c < r->kd->ncols; c++)
		if ((r->kd->cols[c].flags & KC_NATKEY) && r->v[c].set &&
		    !r->v[c].null && c != 0)
			return 1;
	return 0;
}

#define PARTY_MEMO 65536	/* names remembered; then start afresh */

/* Both memos of party IDs start afresh when either is full. */
static void
party_room(struct mapper *m)
{
	if (m->party_ids != NULL && hmap_count(m->party_ids) < PARTY_MEMO &&
	    m->party_raw != NULL && hmap_count(m->party_raw) < PARTY_MEMO)
		return;
	hmap_free(m->party_ids);
	hmap_free(m->party_raw);
	m->party_ids = hmap_new();
	m->party_raw = hmap_new();
	buf_reset(&m->party_arena);
}

/*
 * A customer or rep named on every row is cleaned, checked for mojibake
 * and keyed once per cell text as written: party_raw maps the field and
 * the cell's bytes to the ID and the cleaned name, in party_arena.  The
 * key goes to party_rawkey; 0 when the cell of step st may not be taken
 * from the memo: only a text cell of a text column may.
 */
static int
party_raw_key(struct mapper *m, const struct row *row, const struct rec *p,
    const struct mstep *st)
{
	const struct cell *c;

	if (st == NULL || (size_t)st->col >= row->ncells ||
	    p->kd->cols[st->kc].type != C_TEXT ||
	    field_info[st->f].type != FT_TEXT)
		return 0;
	c = &row->cells[st->col];
	if (c->type != CELL_TEXT || (c->flags & CF_LOSSY))
		return 0;
	buf_reset(&m->party_rawkey);
	buf_addc(&m->party_rawkey, (int)st->f);
	buf_add(&m->party_rawkey, cell_text(row, c), c->len);
	return 1;
}

/*
 * p->id from the name in column namecol: the hash of its text key.
 * A name party_raw is about to remember is not remembered here too.
 */
static void
party_id(struct mapper *m, struct rec *p, int namecol, struct buf *key,
    int remember)
{
	const char *name = rec_text(p, namecol);
	size_t len = p->v[namecol].len;
	intptr_t off;

	buf_reset(&m->party_key);
	buf_addc(&m->party_key, p->kd->prefix);
	buf_add(&m->party_key, name, len);
	if (m->party_ids != NULL && hmap_get(m->party_ids, m->party_key.s,
	    m->party_key.len, &off)) {
		/* Stored from an ID of this size, so it fits. */
		memcpy(p->id, m->party_arena.s + off,
		    strlen(m->party_arena.s + off) + 1);
		return;
	}
	text_key(key, name, len);
	hash_id(p->id, p->kd->prefix, key->s, key->len);
	if (!remember)
		return;
	party_room(m);
	off = (intptr_t)m->party_arena.len;
	buf_add(&m->party_arena, p->id, strlen(p->id) + 1);
	hmap_put(m->party_ids, m->party_key.s, m->party_key.len, off);
}

/*
 * The customer or rep a row names, as a sub-record; 1 if named.  With
 * memo, the name may come from party_raw.
 */
static int
party(struct mapper *m, const struct row *row, struct rec *p,
    enum field namef, enum field codef, struct issues *is, int memo)
{
	const struct mplan *pl;
	const struct mstep *st;
	struct buf name = {0};
	const char *s;
	char cur[4];
	int col, namecol, i, keyed;
	intptr_t off;

	namecol = m->kc_name[p->kd->kind == K_REP];
	col = m->fcol[namef] >= 0 ? m->fcol[namef] : m->fcol[codef];
	if (col < 0 || (size_t)col >= row->ncells)
		return 0;
	cur[0] = '\0';
	st = NULL;
	pl = plan_for(m, p->kd, 1);
	for (i = 0; i < pl->nstep; i++)
		if (pl->step[i].kc == namecol)
			st = &pl->step[i];
	keyed = memo && party_raw_key(m, row, p, st);
	if (keyed && m->party_raw != NULL && hmap_get(m->party_raw,
	    m->party_rawkey.s, m->party_rawkey.len, &off)) {
		s = m->party_arena.s + off;
		memcpy(p->id, s, strlen(s) + 1);
		s += strlen(s) + 1;
		set_text(p, namecol, s, strlen(s));
		fill(m, row, p, 1, is, cur, NULL, NULL, namecol);
		set_text(p, 0, p->id, strlen(p->id));
		p->present = 1;
		return 1;
	}
	fill(m, row, p, 1, is, cur, NULL, NULL, -1);
	if (!p->v[namecol].set || p->v[namecol].null) {
		/*
		 * Known by a code only: the one the store knows by that
		 * code, else the code names it.
		 */
		int k = namef == F_REP_NAME, cc = m->kc_code[k];
		const char *code;

		if (cc < 0 || !p->v[cc].set || p->v[cc].null)
			return 0;
		code = rec_text(p, cc);
		if (m->codes[k] != NULL && hmap_get(m->codes[k], code,
		    strlen(code), &off))
			buf_adds(&name, m->code_names[k]->s + off);
		else
			buf_adds(&name, code);
		set_text(p, namecol, name.s, name.len);
	}
	/*
	 * Remembered when the name came from the cell and converting the
	 * cell had nothing to say (no NUL byte, no mojibake): whether it
	 * does depends on the cell alone, so the memo converts as this did.
	 */
	for (i = 0; keyed && i < (int)is->n; i++)
		if (is->v[i].col == st->col)
			keyed = 0;
	keyed = keyed && name.len == 0;
	buf_reset(&m->scratch);
	party_id(m, p, namecol, &m->scratch, !keyed);
	if (keyed) {
		party_room(m);
		off = (intptr_t)m->party_arena.len;
		buf_add(&m->party_arena, p->id, strlen(p->id) + 1);
		buf_add(&m->party_arena, rec_text(p, namecol),
		    p->v[namecol].len + 1);
		hmap_put(m->party_raw, m->party_rawkey.s, m->party_rawkey.len,
		    off);
	}
	set_text(p, 0, p->id, strlen(p->id));
	p->present = 1;
	buf_free(&name);
	return 1;
}

/* A sub-record for a customer or rep known by name only. */
static void
named(struct rec *p, const char *name)
{
	struct buf key = {0};

	set_text(p, kind_col(p->kd, "name"), name, strlen(name));
	text_key(&key, name, strlen(name));
	hash_id(p->id, p->kd->prefix, key.s, key.len);
	set_text(p, 0, p->id, strlen(p->id));
	p->present = 1;
	buf_free(&key);
}

/*
 * Who spoke in a chat message.  An export that says so (MemoTrace's
 * is_sender) decides: 1 is the rep who exported the chat, the one
 * --rep names when it names one; 0 the customer.  Otherwise a sender
 * who is a known rep is the rep side (and the message is that rep's
 * activity), anyone else the customer side.  The customer is the one
 * the chat is with (--customer or the transcript's header line),
 * unless the row names one itself.
 */
static void
chat_parties(struct mapper *m, struct rec *main, struct rec *cust,
    struct rec *rep)
{
	const struct kinddef *kd = main->kd;
	const char *sender, *who = NULL;
	struct buf key = {0};
	intptr_t v;
	int isrep, c, from_me = -1;

	c = kind_col(kd, "party");
	/* The from_me column was read as a number into party. */
	if (m->fcol[F_FROM_ME] >= 0 && main->v[c].set && !main->v[c].null)
		from_me = main->v[c].i != 0;
	main->v[c].set = 0;
	sender = rec_text(main, kind_col(kd, "sender"));
	if (from_me >= 0) {
		isrep = from_me;
		who = m->self;
		/* The export told the rep's side: it has one. */
		m->said[1] += isrep;
	} else if (sender == NULL)
		return;
	else {
		text_key(&key, sender, strlen(sender));
		isrep = m->reps != NULL && key.len > 0 &&
		    hmap_get(m->reps, key.s, key.len, &v);
		buf_free(&key);
		who = sender;
		m->said[isrep != 0]++;
	}
	set_text(main, c, isrep ? "rep" : "customer", isrep ? 3 : 8);
	if (isrep && !rep->present && who != NULL) {
		named(rep, who);
		c = kind_col(kd, "rep_id");
		set_text(main, c, rep->id, strlen(rep->id));
	}
	if (!cust->present && m->customer != NULL && *m->customer != '\0') {
		named(cust, m->customer);
		c = kind_col(kd, "customer_id");
		set_text(main, c, cust->id, strlen(cust->id));
	}
}

/*
 * A chat message's ID: the customer, the time, the sender and the text,
 * so an overlapping export finds the messages it already has; the n-th
 * identical message of the same second in one file is told apart by n.
 */
static void
chat_id(struct mapper *m, struct rec *main, const struct rec *cust)
{
	static const char *const cols[] = {"at", "sender", "text"};
	const struct kinddef *kd = main->kd;
	struct buf b = {0};
	const char *s;
	intptr_t n;
	size_t i;

	buf_adds(&b, "chat");
	buf_addc(&b, '\x1f');
	if (cust->present)
		buf_adds(&b, cust->id);
	for (i = 0; i < sizeof(cols) / sizeof(*cols); i++) {
		buf_addc(&b, '\x1f');
		if ((s = rec_text(main, kind_col(kd, cols[i]))) != NULL)
			buf_adds(&b, s);
	}
	if (m->seen == NULL)
		m->seen = hmap_new();
	if (!hmap_get(m->seen, b.s, b.len, &n))
		n = 0;
	hmap_put(m->seen, b.s, b.len, n + 1);
	if (n > 0)
		buf_addf(&b, "\x1f#%ld", (long)n + 1);
	hash_id(main->id, kd->prefix, b.s, b.len);
	buf_free(&b);
}

/* A news item is known by its guid, else its link, else its title. */
static void
news_id(struct mapper *m, const struct row *row, struct rec *main)
{
	static const enum field by[] = {F_GUID, F_LINK, F_TITLE};
	struct buf b = {0};
	size_t i;
	int col;

	for (i = 0; i < sizeof(by) / sizeof(*by); i++) {
		if ((col = m->fcol[by[i]]) < 0 || (size_t)col >= row->ncells)
			continue;
		text_clean(&b, row_text(row, (size_t)col),
		    row->cells[col].len);
		if (b.len > 0)
			break;
	}
	if (b.len > 0) {
		buf_addf(&b, "\x1f%s", field_info[by[i]].name);
		hash_id(main->id, main->kd->prefix, b.s, b.len);
	}
	buf_free(&b);
}

void
map_money(struct mapper *m, const struct row *row, int64_t *fen,
    unsigned char *ok)
{
	char numbuf[NUM_TEXT_MAX], cur[4];
	const char *s, *why;
	size_t col, n;

	/* Most files (activities) have no amount at all. */
	if (m->money_gen != m->gen || m->gen == 0) {
		m->has_money = 0;
		for (col = 0; col < m->ncols; col++)
			if (m->cols[col].f != F_NONE &&
			    field_info[m->cols[col].f].type == FT_MONEY)
				m->has_money = 1;
		m->money_gen = m->gen;
	}
	if (!m->has_money) {
		memset(ok, 0, m->ncols);
		return;
	}
	for (col = 0; col < m->ncols; col++) {
		ok[col] = 0;
		if (m->cols[col].f == F_NONE ||
		    field_info[m->cols[col].f].type != FT_MONEY ||
		    col >= row->ncells || row->cells[col].type == CELL_EMPTY)
			continue;
		/* The same cell, scale and normalizer as map_row()'s. */
		if (col < m->money_cap && m->money_seq[col] == m->rowseq &&
		    m->rowseq != 0) {
			fen[col] = m->money_fen[col];
			ok[col] = m->money_rc[col] == NORM_OK;
			continue;
		}
		s = cell_input(row, (int)col, numbuf, &n);
		snprintf(cur, sizeof(cur), "CNY");
		if (norm_money(s, n, m->cols[col].scale, &fen[col], cur,
		    &why) == NORM_OK)
			ok[col] = 1;
	}
}

/*
 * A target's derived columns: the period normalized with its first and
 * last days, the level (rep, else unit, else region: the narrowest the
 * row names) and the unit's ID as sales-ingest gives a unit known by
 * name only, when the row has no unit code.
 */
static void
target_fill(struct mapper *m, const struct row *row, struct rec *main,
    struct issues *is)
{
	const struct kinddef *kd = main->kd;
	char period[TPERIOD_MAX], from[TPERIOD_MAX], to[TPERIOD_MAX];
	char uid[HASH_ID_MAX];
	const char *s, *why, *level;
	struct buf b = {0};
	int pc, uc, ic, ac, col;

	/* A quota below zero is a typo, and drill would take it as one. */
	ac = kind_col(kd, "amount_fen");
	if (main->v[ac].set && !main->v[ac].null && main->v[ac].i < 0 &&
	    (col = m->fcol[F_TARGET]) >= 0 && (size_t)col < row->ncells) {
		issues_add(is, col, m->cols[col].header, row_text(row,
		    (size_t)col), 1, "a target is not below zero");
		return;
	}

	pc = kind_col(kd, "period");
	if ((s = rec_text(main, pc)) != NULL && main->v[pc].set &&
	    !main->v[pc].null) {
		col = m->fcol[F_PERIOD];
		if (target_period(s, main->v[pc].len, period, from, to,
		    &why) < 0) {
			issues_add(is, col, m->cols[col].header, s, 1, "%s",
			    why);
			return;
		}
		set_text(main, pc, period, strlen(period));
		set_text(main, kind_col(kd, "from_on"), from, strlen(from));
		set_text(main, kind_col(kd, "to_on"), to, strlen(to));
	}
	uc = kind_col(kd, "unit");
	ic = kind_col(kd, "unit_id");
	if (main->v[uc].set && !main->v[uc].null &&
	    (!main->v[ic].set || main->v[ic].null)) {
		buf_adds(&b, "unit");
		buf_addc(&b, '\x1f');
		text_key(&b, rec_text(main, uc), main->v[uc].len);
		hash_id(uid, kind_def(K_UNIT)->prefix, b.s, b.len);
		set_text(main, ic, uid, strlen(uid));
		buf_free(&b);
	}
	level = NULL;
	if (main->v[kind_col(kd, "rep_id")].set &&
	    !main->v[kind_col(kd, "rep_id")].null)
		level = "rep";
	else if (main->v[ic].set && !main->v[ic].null)
		level = "unit";
	else if (main->v[kind_col(kd, "region")].set &&
	    !main->v[kind_col(kd, "region")].null)
		level = "region";
	if (level == NULL) {
		issues_add(is, -1, "", "", 1, "a target names no region, "
		    "unit or rep");
		return;
	}
	set_text(main, kind_col(kd, "level"), level, strlen(level));
}

enum map_rc
map_row(struct mapper *m, const struct row *row, struct rec *main,
    struct rec *cust, struct rec *rep, struct issues *is)
{
	const struct kinddef *kd = m->kd;
	struct buf *b = &m->scratch;
	struct civil when;
	char cur[4], week[16], date[CIVIL_TEXT_MAX];
	const char *why;
	size_t i;
	int k, q, col, when_time, c, rc;

	m->rowseq++;
	rec_reset(main, kd);
	rec_reset(cust, kind_def(K_CUSTOMER));
	rec_reset(rep, kind_def(K_REP));
	if (row_is_blank(row))
		return MAP_BLANK;
	if (is_totals(m, row))
		return MAP_TOTALS;
	cur[0] = '\0';		/* row_currency() */
	m->row_weak[0] = '\0';
	m->row_money = 0;
	when_time = -1;
	fill(m, row, main, 0, is, cur, &when, &when_time, -1);

	/* The source's own ID, or one made from the natural key. */
	for (k = 0; k < 2 && main->id[0] == '\0'; k++) {
		if (kd->key[k] == F_NONE || (col = m->fcol[kd->key[k]]) < 0 ||
		    (size_t)col >= row->ncells ||
		    row->cells[col].type == CELL_EMPTY)
			continue;
		{
			/* Numbers as the reader rendered them: 1002, not 1002.0. */
			const char *s = cell_text(row, &row->cells[col]);
			size_t n = row->cells[col].len;

			if (id_digits_lost(&row->cells[col])) {
				rc = NORM_BAD;
				why = ID_LOST;
			} else
				rc = norm_id(s, n, b, &why);
			if (rc == NORM_OK && b->len < sizeof(main->id)) {
				memcpy(main->id, b->s, b->len + 1);
			} else if (rc != NORM_EMPTY) {
				issues_add(is, col, m->cols[col].header, s, 1,
				    "%s", rc == NORM_OK ? "ID too long" :
				    why);
			}
			buf_reset(b);
		}
	}

	/* Parties the row names. */
	if (kd->kind == K_CUSTOMER) {
		party(m, row, main, F_CUSTOMER_NAME, F_CUSTOMER_CODE, is, 0);
		if (kd->has_rep && party(m, row, rep, F_REP_NAME, F_REP_CODE,
		    is, 0)) {
			c = m->kc_rep_id;
			set_text(main, c, rep->id, strlen(rep->id));
		}
	} else if (kd->kind == K_REP) {
		party(m, row, main, F_REP_NAME, F_REP_CODE, is, 0);
	} else {
		if (kd->has_customer && party(m, row, cust, F_CUSTOMER_NAME,
		    F_CUSTOMER_CODE, is, 1)) {
			c = m->kc_customer_id;
			set_text(main, c, cust->id, strlen(cust->id));
		}
		if (kd->has_rep && party(m, row, rep, F_REP_NAME, F_REP_CODE,
		    is, 1)) {
			c = m->kc_rep_id;
			set_text(main, c, rep->id, strlen(rep->id));
		}
	}

	/* Columns that depend on others. */
	/*
	 * The currency a cell, header or currency column names, else the
	 * formats', else CNY for a plain amount; a row with no amount and
	 * no currency (a file of stages and dates) leaves it as it was.
	 */
	if ((c = m->kc_currency) >= 0) {
		if (cur[0] == '\0' && m->row_weak[0] != '\0')
			memcpy(cur, m->row_weak, 4);
		if (cur[0] != '\0' || m->row_money)
			set_text(main, c, cur[0] ? cur : "CNY", 3);
		else
			main->v[c].set = 0;
	}
	if (kd->kind == K_ACTIVITY && (m->fcol[F_SENDER] >= 0 ||
	    m->fcol[F_FROM_ME] >= 0))
		chat_parties(m, main, cust, rep);
	if (kd->kind == K_ACTIVITY || kd->kind == K_NEWS) {
		int t = m->kc_type;

		if (t >= 0 && (!main->v[t].set || main->v[t].null))
			set_text(main, t, "other", 5);
		if (when_time >= 0) {
			civil_format(date, &when, 0);
			set_text(main, m->kc_on_date, date,
			    strlen(date));
			week_label(week, sizeof(week), days_from_civil(when.y,
			    when.m, when.d));
			set_text(main, m->kc_week, week,
			    strlen(week));
		}
	}
	/* A signing date with no stage says the contract was won. */
	if (kd->kind == K_DEAL && m->fcol[F_SIGN_ON] >= 0 &&
	    m->fcol[F_CLOSE_ON] < 0) {
		int st = kind_col(kd, "stage"), cl = kind_col(kd, "close_on");

		if ((!main->v[st].set || main->v[st].null) &&
		    main->v[cl].set && !main->v[cl].null)
			set_text(main, st, "won", 3);
	}
	if (kd->kind == K_PAYMENT) {
		int plan = payment_plan(m);

		c = kind_col(kd, "kind");
		set_text(main, c, plan ? "plan" : "actual", plan ? 4 : 6);
	}

	if (kd->kind == K_TARGET)
		target_fill(m, row, main, is);

	/* Required columns. */
	for (q = 0; q < m->nreq; q++) {
		enum field f;

		i = (size_t)m->req[q];
		if (main->v[i].set && !main->v[i].null)
			continue;
		col = source_col(m, kd, &kd->cols[i], &f);
		/* A bad value was reported already. */
		for (k = 0; k < (int)is->n; k++)
			if (is->v[k].col == col && is->v[k].reject)
				break;
		if (k < (int)is->n)
			continue;
		issues_add(is, col, col >= 0 ? m->cols[col].header : "", "", 1,
		    "missing %s", field_info[kd->kind == K_PAYMENT &&
		    payment_plan(m) && f != F_NONE ? f :
		    kd->cols[i].from[0]].name);
	}
	for (i = 0; i < is->n; i++)
		if (is->v[i].reject)
			goto reject;

	if (main->id[0] == '\0' && kd->kind == K_ACTIVITY &&
	    (m->fcol[F_SENDER] >= 0 || m->fcol[F_FROM_ME] >= 0))
		chat_id(m, main, cust);
	if (main->id[0] == '\0' && kd->kind == K_NEWS)
		news_id(m, row, main);
	if (main->id[0] == '\0') {
		if (kd->kind != K_CUSTOMER && kd->kind != K_REP &&
		    !has_natkey(main)) {
			issues_add(is, -1, "", "", 1, "no ID and nothing else "
			    "that identifies the %s", kd->table);
			goto reject;
		}
		buf_reset(b);
		if (kd->kind == K_PRODUCT) {
			c = kind_col(kd, "name");
			text_key(b, rec_text(main, c), main->v[c].len);
			hash_id(main->id, kd->prefix, b->s, b->len);
		} else if (main->id[0] == '\0') {
			natural_key(main, b);
			hash_id(main->id, kd->prefix, b->s, b->len);
		}
	}
	set_text(main, 0, main->id, strlen(main->id));
	main->present = 1;
	return MAP_OK;
reject:
	return MAP_REJECT;
}
