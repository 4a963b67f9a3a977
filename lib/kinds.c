/*
 * The kind tables.  Column order here is the order of INSERT columns;
 * the first column of every kind is its id.
 */
#include <string.h>

#include "kinds.h"

#define NF F_NONE

static const struct kcol customer_cols[] = {
	{"id", C_TEXT, {NF}, 0, NULL},
	{"name", C_TEXT, {F_CUSTOMER_NAME}, KC_REQUIRED | KC_NATKEY | KC_SUB, NULL},
	{"code", C_TEXT, {F_CUSTOMER_CODE}, KC_SUB, NULL},
	{"rep_id", C_TEXT, {NF}, 0, NULL},
	{"industry", C_TEXT, {F_INDUSTRY}, KC_SUB, NULL},
	{"size", C_TEXT, {F_SIZE}, KC_SUB, NULL},
	{"employees", C_INT, {F_EMPLOYEES}, KC_SUB, NULL},
	{"revenue", C_REAL, {F_REVENUE}, KC_SUB, NULL},
	{"established", C_INT, {F_ESTABLISHED}, KC_SUB, NULL},
	{"country", C_TEXT, {F_COUNTRY}, KC_SUB, NULL},
	{"region", C_TEXT, {NF}, 0, NULL},
	{"province", C_TEXT, {F_PROVINCE}, KC_SUB, NULL},
	{"city", C_TEXT, {F_CITY}, KC_SUB, NULL},
	{"address", C_TEXT, {F_ADDRESS}, KC_SUB, NULL},
	{"postcode", C_TEXT, {F_POSTCODE}, KC_SUB, NULL},
	{"contact", C_TEXT, {F_CONTACT}, KC_SUB, NULL},
	{"phone", C_TEXT, {F_PHONE}, KC_SUB, NULL},
	{"email", C_TEXT, {F_EMAIL}, KC_SUB, NULL},
	{"parent", C_TEXT, {F_PARENT}, KC_SUB, NULL},
	{"lat", C_REAL, {F_LAT}, KC_SUB, NULL},
	{"lon", C_REAL, {F_LON}, KC_SUB, NULL},
};

static const struct kcol rep_cols[] = {
	{"id", C_TEXT, {NF}, 0, NULL},
	{"name", C_TEXT, {F_REP_NAME}, KC_REQUIRED | KC_NATKEY | KC_SUB, NULL},
	{"code", C_TEXT, {F_REP_CODE}, KC_SUB, NULL},
	{"manager", C_TEXT, {F_MANAGER}, KC_SUB, NULL},
	{"region", C_TEXT, {F_REGION}, KC_SUB, NULL},
	{"team", C_TEXT, {F_TEAM}, KC_SUB, NULL},
	{"tier", C_TEXT, {F_TIER}, KC_SUB, NULL},
	{"seq", C_INT, {F_SEQ}, 0, NULL},
	{"unit", C_TEXT, {F_UNIT}, KC_SUB, NULL},
	{"phone", C_TEXT, {F_PHONE}, 0, NULL},
	{"email", C_TEXT, {F_EMAIL}, 0, NULL},
	{"active", C_INT, {F_ACTIVE, F_STATUS}, 0, "1"},
	{"capacity", C_INT, {F_CAPACITY}, 0, NULL},
	{"weight", C_REAL, {F_WEIGHT}, 0, NULL},
};

static const struct kcol product_cols[] = {
	{"id", C_TEXT, {NF}, 0, NULL},
	{"name", C_TEXT, {F_PRODUCT}, KC_REQUIRED | KC_NATKEY, NULL},
	{"series", C_TEXT, {F_SERIES}, 0, NULL},
	{"price_fen", C_INT, {F_PRICE, F_AMOUNT}, 0, NULL},
	{"currency", C_TEXT, {F_CURRENCY}, 0, "'CNY'"},
};

static const struct kcol lead_cols[] = {
	{"id", C_TEXT, {NF}, 0, NULL},
	{"customer_id", C_TEXT, {NF}, KC_NATKEY, NULL},
	{"rep_id", C_TEXT, {NF}, 0, NULL},
	{"source", C_TEXT, {F_SOURCE}, KC_NATKEY, NULL},
	{"budget_fen", C_INT, {F_BUDGET, F_AMOUNT}, 0, NULL},
	{"currency", C_TEXT, {F_CURRENCY}, 0, "'CNY'"},
	{"urgency", C_TEXT, {F_URGENCY}, 0, NULL},
	{"industry", C_TEXT, {F_INDUSTRY}, 0, NULL},
	{"province", C_TEXT, {F_PROVINCE}, 0, NULL},
	{"city", C_TEXT, {F_CITY}, 0, NULL},
	{"status", C_TEXT, {F_STATUS}, 0, NULL},
	{"arrived_at", C_TEXT, {F_ARRIVED_AT, F_DATE, F_CREATED_ON},
	    KC_NATKEY, NULL},
	{"note", C_TEXT, {F_NOTE, F_TEXT}, 0, NULL},
};

static const struct kcol deal_cols[] = {
	{"id", C_TEXT, {NF}, 0, NULL},
	{"name", C_TEXT, {F_DEAL_NAME}, 0, NULL},
	{"customer_id", C_TEXT, {NF}, KC_NATKEY, NULL},
	{"rep_id", C_TEXT, {NF}, KC_NATKEY, NULL},
	{"lead_id", C_TEXT, {F_LEAD_ID}, 0, NULL},
	{"product", C_TEXT, {F_PRODUCT}, KC_NATKEY, NULL},
	{"stage", C_TEXT, {F_STAGE}, 0, NULL},
	{"amount_fen", C_INT, {F_AMOUNT}, 0, NULL},
	{"net_amount_fen", C_INT, {F_NET_AMOUNT}, 0, NULL},
	{"margin", C_REAL, {F_MARGIN}, 0, NULL},
	{"received_fen", C_INT, {F_RECEIVED}, 0, NULL},
	{"currency", C_TEXT, {F_CURRENCY}, 0, "'CNY'"},
	{"created_on", C_TEXT, {F_CREATED_ON, F_DATE}, KC_NATKEY, NULL},
	{"close_on", C_TEXT, {F_CLOSE_ON, F_SIGN_ON}, KC_NATKEY, NULL},
	{"expected_on", C_TEXT, {F_EXPECTED_ON}, 0, NULL},
	{"note", C_TEXT, {F_NOTE}, 0, NULL},
};

static const struct kcol activity_cols[] = {
	{"id", C_TEXT, {NF}, 0, NULL},
	{"at", C_TEXT, {F_AT, F_DATE}, KC_REQUIRED | KC_NATKEY, NULL},
	{"on_date", C_TEXT, {NF}, 0, NULL},
	{"week", C_TEXT, {NF}, 0, NULL},
	{"type", C_TEXT, {F_TYPE}, KC_NATKEY, NULL},
	{"rep_id", C_TEXT, {NF}, KC_NATKEY, NULL},
	{"customer_id", C_TEXT, {NF}, KC_NATKEY, NULL},
	{"deal_id", C_TEXT, {F_DEAL_ID}, 0, NULL},
	{"lead_id", C_TEXT, {F_LEAD_ID}, 0, NULL},
	{"text", C_TEXT, {F_TEXT}, KC_NATKEY, NULL},
	{"note", C_TEXT, {F_NOTE}, 0, NULL},
	{"evidence", C_TEXT, {F_EVIDENCE}, 0, NULL},
	{"evidence_sha256", C_TEXT, {F_EVIDENCE_SHA256}, 0, NULL},
	{"confirmed_by", C_TEXT, {F_CONFIRMED_BY}, 0, NULL},
	{"sender", C_TEXT, {F_SENDER}, 0, NULL},
	/* Read as from_me (1: the exporting rep spoke), then spelt out. */
	{"party", C_TEXT, {F_FROM_ME}, 0, NULL},
};

static const struct kcol payment_cols[] = {
	{"id", C_TEXT, {NF}, 0, NULL},
	{"kind", C_TEXT, {NF}, KC_NATKEY, NULL},
	{"deal_id", C_TEXT, {F_DEAL_ID}, KC_NATKEY, NULL},
	{"customer_id", C_TEXT, {NF}, KC_NATKEY, NULL},
	{"rep_id", C_TEXT, {NF}, 0, NULL},
	{"amount_fen", C_INT, {F_RECEIVED, F_PLAN_AMOUNT, F_AMOUNT},
	    KC_REQUIRED | KC_NATKEY, NULL},
	{"currency", C_TEXT, {F_CURRENCY}, 0, "'CNY'"},
	{"on_date", C_TEXT, {F_PAID_ON, F_PLAN_ON, F_DATE},
	    KC_REQUIRED | KC_NATKEY, NULL},
	{"note", C_TEXT, {F_NOTE}, 0, NULL},
};

/* Competitor news from RSS/Atom feeds; the id comes from guid or link. */
static const struct kcol news_cols[] = {
	{"id", C_TEXT, {NF}, 0, NULL},
	{"source", C_TEXT, {F_FEED}, 0, NULL},
	{"title", C_TEXT, {F_TITLE}, KC_REQUIRED, NULL},
	{"link", C_TEXT, {F_LINK}, 0, NULL},
	{"published_at", C_TEXT, {F_PUBLISHED, F_DATE}, 0, NULL},
	{"on_date", C_TEXT, {NF}, 0, NULL},
	{"week", C_TEXT, {NF}, 0, NULL},
	{"text", C_TEXT, {F_TEXT}, 0, NULL},
};

/* Stores, branches and teams, with the coordinates nearest uses. */
static const struct kcol unit_cols[] = {
	{"id", C_TEXT, {NF}, 0, NULL},
	{"name", C_TEXT, {F_UNIT}, KC_REQUIRED | KC_NATKEY, NULL},
	{"kind", C_TEXT, {F_UNIT_KIND}, 0, NULL},
	{"region", C_TEXT, {F_REGION}, 0, NULL},
	{"city", C_TEXT, {F_CITY}, 0, NULL},
	{"address", C_TEXT, {F_ADDRESS}, 0, NULL},
	{"lat", C_REAL, {F_LAT}, 0, NULL},
	{"lon", C_REAL, {F_LON}, 0, NULL},
};

/*
 * Sales targets of a region, a unit or a rep for a month, quarter or
 * year.  Mapping fills period, from_on, to_on, level and unit_id from
 * the period and the parties the row names.
 */
static const struct kcol target_cols[] = {
	{"id", C_TEXT, {NF}, 0, NULL},
	{"period", C_TEXT, {F_PERIOD}, KC_REQUIRED | KC_NATKEY, NULL},
	{"from_on", C_TEXT, {NF}, 0, NULL},
	{"to_on", C_TEXT, {NF}, 0, NULL},
	{"level", C_TEXT, {NF}, 0, NULL},
	{"region", C_TEXT, {F_REGION}, KC_NATKEY, NULL},
	{"unit", C_TEXT, {F_UNIT}, KC_NATKEY, NULL},
	{"unit_id", C_TEXT, {F_UNIT_CODE}, KC_NATKEY, NULL},
	{"rep_id", C_TEXT, {NF}, KC_NATKEY, NULL},
	{"amount_fen", C_INT, {F_TARGET}, KC_REQUIRED, NULL},
	{"currency", C_TEXT, {F_CURRENCY}, 0, "'CNY'"},
	{"note", C_TEXT, {F_NOTE}, 0, NULL},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct kinddef kinds[K_COUNT] = {
	{K_NONE, NULL, 0, {NF}, NULL, 0, 0, 0},
	{K_CUSTOMER, "customer", 'C', {NF}, customer_cols, N(customer_cols),
	    0, 1},
	{K_REP, "rep", 'R', {NF}, rep_cols, N(rep_cols), 0, 0},
	{K_PRODUCT, "product", 'P', {NF}, product_cols, N(product_cols), 0, 0},
	{K_LEAD, "lead", 'L', {F_LEAD_ID, F_ID}, lead_cols, N(lead_cols), 1, 1},
	{K_DEAL, "deal", 'D', {F_DEAL_ID, F_ID}, deal_cols, N(deal_cols), 1, 1},
	{K_ACTIVITY, "activity", 'A', {F_ACTIVITY_ID, F_ID}, activity_cols,
	    N(activity_cols), 1, 1},
	{K_PAYMENT, "payment", 'M', {F_ID}, payment_cols, N(payment_cols), 1,
	    1},
	{K_NEWS, "news", 'N', {NF}, news_cols, N(news_cols), 0, 0},
	{K_UNIT, "unit", 'U', {F_UNIT_CODE, F_ID}, unit_cols, N(unit_cols), 0,
	    0},
	{K_TARGET, "target", 'T', {NF}, target_cols, N(target_cols), 0, 1},
};

const struct kinddef *
kind_def(enum kind k)
{
	return k > K_NONE && k < K_COUNT ? &kinds[k] : NULL;
}

int
kind_col(const struct kinddef *kd, const char *name)
{
	size_t i;

	/* Called for several columns of every row: first bytes first. */
	for (i = 0; i < kd->ncols; i++)
		if (kd->cols[i].name[0] == name[0] &&
		    strcmp(kd->cols[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* Evidence weights: a field typical of one kind counts for it. */
static const struct {
	enum kind	k;
	enum field	f;
	int		w;
} evidence[] = {
	{K_DEAL, F_DEAL_ID, 4}, {K_DEAL, F_STAGE, 3}, {K_DEAL, F_AMOUNT, 4},
	{K_DEAL, F_CLOSE_ON, 2}, {K_DEAL, F_SIGN_ON, 2},
	{K_DEAL, F_CREATED_ON, 2},
	{K_DEAL, F_EXPECTED_ON, 2}, {K_DEAL, F_PRODUCT, 1},
	{K_DEAL, F_DEAL_NAME, 3}, {K_DEAL, F_RECEIVED, 1},
	{K_DEAL, F_NET_AMOUNT, 2}, {K_DEAL, F_MARGIN, 2},
	{K_ACTIVITY, F_ACTIVITY_ID, 6}, {K_ACTIVITY, F_AT, 4},
	{K_ACTIVITY, F_DATE, 2},
	{K_ACTIVITY, F_TYPE, 3}, {K_ACTIVITY, F_TEXT, 3},
	{K_ACTIVITY, F_EVIDENCE, 2}, {K_ACTIVITY, F_CONFIRMED_BY, 2},
	{K_PAYMENT, F_PAID_ON, 5}, {K_PAYMENT, F_PLAN_ON, 5},
	{K_PAYMENT, F_PLAN_AMOUNT, 5}, {K_PAYMENT, F_RECEIVED, 3},
	{K_LEAD, F_LEAD_ID, 6}, {K_LEAD, F_SOURCE, 2}, {K_LEAD, F_BUDGET, 3},
	{K_LEAD, F_URGENCY, 3}, {K_LEAD, F_ARRIVED_AT, 3},
	{K_CUSTOMER, F_CUSTOMER_NAME, 1}, {K_CUSTOMER, F_CUSTOMER_CODE, 1},
	{K_CUSTOMER, F_INDUSTRY, 2}, {K_CUSTOMER, F_EMPLOYEES, 2},
	{K_CUSTOMER, F_REVENUE, 2}, {K_CUSTOMER, F_ESTABLISHED, 2},
	{K_CUSTOMER, F_PARENT, 2}, {K_CUSTOMER, F_COUNTRY, 1},
	{K_CUSTOMER, F_ADDRESS, 1}, {K_CUSTOMER, F_SIZE, 2},
	{K_REP, F_REP_NAME, 2}, {K_REP, F_MANAGER, 3}, {K_REP, F_TIER, 2},
	{K_REP, F_CAPACITY, 3}, {K_REP, F_ACTIVE, 2}, {K_REP, F_TEAM, 2},
	{K_REP, F_REGION, 1}, {K_REP, F_SEQ, 2}, {K_REP, F_REP_CODE, 1},
	{K_PRODUCT, F_PRODUCT, 1}, {K_PRODUCT, F_SERIES, 3},
	{K_PRODUCT, F_PRICE, 3},
	{K_ACTIVITY, F_SENDER, 3}, {K_ACTIVITY, F_FROM_ME, 3},
	{K_NEWS, F_FEED, 3}, {K_NEWS, F_GUID, 3}, {K_NEWS, F_TITLE, 3},
	{K_NEWS, F_LINK, 3}, {K_NEWS, F_PUBLISHED, 3},
	{K_UNIT, F_UNIT, 2}, {K_UNIT, F_UNIT_CODE, 4}, {K_UNIT, F_UNIT_KIND, 3},
	{K_UNIT, F_LAT, 2}, {K_UNIT, F_LON, 2},
	{K_TARGET, F_TARGET, 6}, {K_TARGET, F_PERIOD, 4},
	{K_TARGET, F_REGION, 1}, {K_TARGET, F_UNIT, 1},
};

int
kind_hint(enum kind k, enum field f)
{
	size_t i;

	for (i = 0; i < N(evidence); i++)
		if (evidence[i].k == k && evidence[i].f == f)
			return evidence[i].w;
	return 0;
}

int
kind_score(enum kind k, const int *mapped)
{
	size_t i;
	int s;

	s = 0;
	for (i = 0; i < N(evidence); i++)
		if (evidence[i].k == k && mapped[evidence[i].f])
			s += evidence[i].w;
	/* A file about customers names them; about reps, names them. */
	if (k == K_CUSTOMER && !mapped[F_CUSTOMER_NAME])
		return 0;
	if (k == K_REP && !mapped[F_REP_NAME])
		return 0;
	if (k == K_PRODUCT && !mapped[F_PRODUCT])
		return 0;
	if (k == K_ACTIVITY && !mapped[F_AT] && !mapped[F_DATE])
		return 0;
	/* A "Title" column alone is a job title more often than news. */
	if (k == K_NEWS && (!mapped[F_TITLE] || (!mapped[F_LINK] &&
	    !mapped[F_GUID] && !mapped[F_FEED])))
		return 0;
	/* A file of units names them and no rep or customer. */
	if (k == K_UNIT && (!mapped[F_UNIT] || mapped[F_REP_NAME] ||
	    mapped[F_REP_CODE] || mapped[F_CUSTOMER_NAME]))
		return 0;
	/* A target file says how much and for when. */
	if (k == K_TARGET && (!mapped[F_TARGET] || !mapped[F_PERIOD]))
		return 0;
	return s;
}
