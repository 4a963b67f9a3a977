/*
 * Canonical fields and record kinds.  headers.csv maps a file's column
 * names to these fields; each kind says which fields it stores where,
 * which identify a record and which it cannot live without.
 */
#ifndef FIELD_H
#define FIELD_H

/* How a field's text is normalised (norm.h). */
enum ftype {
	FT_TEXT,	/* cleaned text: trimmed, invisible characters gone */
	FT_ID,		/* identifier kept as text (norm_id) */
	FT_MONEY,	/* integer fen */
	FT_DATE,	/* YYYY-MM-DD */
	FT_INSTANT,	/* ISO 8601 with offset, or a date */
	FT_INT,
	FT_DECIMAL,
	FT_BOOL,
	FT_ENUM,	/* a value of enums.csv */
	FT_CURRENCY	/* an ISO code (norm_currency) */
};

/* name, type, enumeration (for FT_ENUM) */
#define FIELD_LIST(X)							\
	X(ID, "id", FT_ID, NULL)					\
	X(DEAL_ID, "deal_id", FT_ID, NULL)				\
	X(DEAL_NAME, "deal_name", FT_TEXT, NULL)			\
	X(CUSTOMER_NAME, "customer_name", FT_TEXT, NULL)		\
	X(CUSTOMER_CODE, "customer_code", FT_ID, NULL)			\
	X(REP_NAME, "rep_name", FT_TEXT, NULL)				\
	X(REP_CODE, "rep_code", FT_ID, NULL)				\
	X(MANAGER, "manager", FT_TEXT, NULL)				\
	X(REGION, "region", FT_TEXT, NULL)				\
	X(TEAM, "team", FT_TEXT, NULL)					\
	X(TIER, "tier", FT_TEXT, NULL)					\
	X(SEQ, "seq", FT_INT, NULL)					\
	X(PRODUCT, "product", FT_TEXT, NULL)				\
	X(SERIES, "series", FT_TEXT, NULL)				\
	X(PRICE, "price", FT_MONEY, NULL)				\
	X(STAGE, "stage", FT_ENUM, "stage")				\
	X(AMOUNT, "amount", FT_MONEY, NULL)				\
	X(CURRENCY, "currency", FT_CURRENCY, NULL)			\
	X(NET_AMOUNT, "net_amount", FT_MONEY, NULL)			\
	X(MARGIN, "margin", FT_DECIMAL, NULL)				\
	X(RECEIVED, "received", FT_MONEY, NULL)				\
	X(PLAN_AMOUNT, "plan_amount", FT_MONEY, NULL)			\
	X(PLAN_ON, "plan_on", FT_DATE, NULL)				\
	X(PAID_ON, "paid_on", FT_DATE, NULL)				\
	X(DATE, "date", FT_INSTANT, NULL)				\
	X(CREATED_ON, "created_on", FT_DATE, NULL)			\
	X(CLOSE_ON, "close_on", FT_DATE, NULL)				\
	X(SIGN_ON, "sign_on", FT_DATE, NULL)				\
	X(EXPECTED_ON, "expected_on", FT_DATE, NULL)			\
	X(INDUSTRY, "industry", FT_TEXT, NULL)				\
	X(SIZE, "size", FT_TEXT, NULL)					\
	X(EMPLOYEES, "employees", FT_INT, NULL)				\
	X(REVENUE, "revenue", FT_DECIMAL, NULL)				\
	X(ESTABLISHED, "established", FT_INT, NULL)			\
	X(COUNTRY, "country", FT_TEXT, NULL)				\
	X(PROVINCE, "province", FT_TEXT, NULL)				\
	X(CITY, "city", FT_TEXT, NULL)					\
	X(ADDRESS, "address", FT_TEXT, NULL)				\
	X(POSTCODE, "postcode", FT_ID, NULL)				\
	X(CONTACT, "contact", FT_TEXT, NULL)				\
	X(PHONE, "phone", FT_ID, NULL)					\
	X(EMAIL, "email", FT_TEXT, NULL)				\
	X(PARENT, "parent", FT_TEXT, NULL)				\
	X(LAT, "lat", FT_DECIMAL, NULL)					\
	X(LON, "lon", FT_DECIMAL, NULL)					\
	X(LEAD_ID, "lead_id", FT_ID, NULL)				\
	X(SOURCE, "source", FT_ENUM, "source")				\
	X(BUDGET, "budget", FT_MONEY, NULL)				\
	X(URGENCY, "urgency", FT_ENUM, "urgency")			\
	X(STATUS, "status", FT_TEXT, NULL)				\
	X(ARRIVED_AT, "arrived_at", FT_INSTANT, NULL)			\
	X(ACTIVITY_ID, "activity_id", FT_ID, NULL)			\
	X(AT, "at", FT_INSTANT, NULL)					\
	X(TYPE, "type", FT_ENUM, "activity")				\
	X(TEXT, "text", FT_TEXT, NULL)					\
	X(NOTE, "note", FT_TEXT, NULL)					\
	X(EVIDENCE, "evidence", FT_TEXT, NULL)				\
	X(EVIDENCE_SHA256, "evidence_sha256", FT_ID, NULL)		\
	X(CONFIRMED_BY, "confirmed_by", FT_TEXT, NULL)			\
	X(ACTIVE, "active", FT_BOOL, NULL)				\
	X(CAPACITY, "capacity", FT_INT, NULL)				\
	X(WEIGHT, "weight", FT_DECIMAL, NULL)				\
	X(UNIT, "unit", FT_TEXT, NULL)					\
	X(SENDER, "sender", FT_TEXT, NULL)				\
	X(FROM_ME, "from_me", FT_BOOL, NULL)				\
	X(FEED, "feed", FT_TEXT, NULL)					\
	X(GUID, "guid", FT_TEXT, NULL)					\
	X(TITLE, "title", FT_TEXT, NULL)				\
	X(LINK, "link", FT_TEXT, NULL)					\
	X(PUBLISHED, "published", FT_INSTANT, NULL)			\
	X(UNIT_CODE, "unit_code", FT_ID, NULL)				\
	X(UNIT_KIND, "unit_kind", FT_TEXT, NULL)			\
	X(PERIOD, "period", FT_TEXT, NULL)				\
	X(TARGET, "target", FT_MONEY, NULL)

enum field {
	F_NONE = 0,
#define X(e, n, t, en) F_##e,
	FIELD_LIST(X)
#undef X
	F_COUNT
};

struct field_info {
	const char	*name;
	enum ftype	 type;
	const char	*enumname;
};

extern const struct field_info field_info[F_COUNT];

/* F_NONE when name is not a field. */
enum field	field_by_name(const char *name);

enum kind {
	K_NONE = 0,
	K_CUSTOMER,
	K_REP,
	K_PRODUCT,
	K_LEAD,
	K_DEAL,
	K_ACTIVITY,
	K_PAYMENT,
	K_NEWS,
	K_UNIT,
	K_TARGET,
	K_COUNT
};

const char	*kind_name(enum kind);
enum kind	 kind_by_name(const char *);

#endif
