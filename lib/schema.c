/*
 * The schema, as forward migrations: migration N takes a store from
 * user_version N-1 to N.  Never edit a migration that has shipped; add
 * the next one.  man/sales-db.5 documents every table and column.
 *
 * Conventions: money in integer fen (amount_fen) with a currency code;
 * dates YYYY-MM-DD; instants ISO 8601 with their offset; every imported
 * record carries its provenance (batch_id, src_sheet, src_row).
 */
#include <stddef.h>

#include "schema.h"

static const char v1[] =
    "CREATE TABLE import_batch ("
    " id INTEGER PRIMARY KEY,"
    " file TEXT NOT NULL,"
    " sha256 TEXT,"
    " format TEXT,"
    " encoding TEXT,"
    " sheet TEXT,"
    " kind TEXT,"
    " started_at TEXT NOT NULL,"
    " rows INTEGER NOT NULL DEFAULT 0,"
    " inserted INTEGER NOT NULL DEFAULT 0,"
    " updated INTEGER NOT NULL DEFAULT 0,"
    " unchanged INTEGER NOT NULL DEFAULT 0,"
    " rejected INTEGER NOT NULL DEFAULT 0,"
    " warnings INTEGER NOT NULL DEFAULT 0);"

    "CREATE TABLE reject ("
    " id INTEGER PRIMARY KEY,"
    " batch_id INTEGER NOT NULL REFERENCES import_batch(id),"
    " sheet TEXT,"
    " row INTEGER,"
    " col INTEGER,"
    " column_name TEXT,"
    " value TEXT,"
    " reason TEXT NOT NULL);"

    "CREATE TABLE import_warning ("
    " id INTEGER PRIMARY KEY,"
    " batch_id INTEGER NOT NULL REFERENCES import_batch(id),"
    " tbl TEXT,"
    " rec_id TEXT,"
    " sheet TEXT,"
    " row INTEGER,"
    " col INTEGER,"
    " column_name TEXT,"
    " value TEXT,"
    " reason TEXT NOT NULL);"

    "CREATE TABLE change_log ("
    " id INTEGER PRIMARY KEY,"
    " batch_id INTEGER NOT NULL REFERENCES import_batch(id),"
    " tbl TEXT NOT NULL,"
    " rec_id TEXT NOT NULL,"
    " op TEXT NOT NULL CHECK (op IN ('insert', 'update')),"
    " before TEXT,"
    " after TEXT);"
    "CREATE INDEX change_log_rec ON change_log(tbl, rec_id);"

    "CREATE TABLE unit ("
    " id TEXT PRIMARY KEY NOT NULL,"
    " name TEXT NOT NULL,"
    " kind TEXT,"
    " region TEXT,"
    " city TEXT,"
    " address TEXT,"
    " lat REAL,"
    " lon REAL);"

    "CREATE TABLE rep ("
    " id TEXT PRIMARY KEY NOT NULL,"
    " name TEXT NOT NULL,"
    " code TEXT,"
    " manager TEXT,"
    " region TEXT,"
    " team TEXT,"
    " tier TEXT,"
    " seq INTEGER,"
    " unit TEXT,"
    " phone TEXT,"
    " email TEXT,"
    " active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),"
    " capacity INTEGER,"
    " weight REAL,"
    " batch_id INTEGER REFERENCES import_batch(id),"
    " src_sheet TEXT,"
    " src_row INTEGER);"

    "CREATE TABLE customer ("
    " id TEXT PRIMARY KEY NOT NULL,"
    " name TEXT NOT NULL,"
    " code TEXT,"
    " rep_id TEXT REFERENCES rep(id),"
    " industry TEXT,"
    " size TEXT,"
    " employees INTEGER,"
    " revenue REAL,"
    " established INTEGER,"
    " country TEXT,"
    " region TEXT,"
    " province TEXT,"
    " city TEXT,"
    " address TEXT,"
    " postcode TEXT,"
    " contact TEXT,"
    " phone TEXT,"
    " email TEXT,"
    " parent TEXT,"
    " lat REAL,"
    " lon REAL,"
    " batch_id INTEGER REFERENCES import_batch(id),"
    " src_sheet TEXT,"
    " src_row INTEGER);"
    "CREATE INDEX customer_code ON customer(code);"

    "CREATE TABLE product ("
    " id TEXT PRIMARY KEY NOT NULL,"
    " name TEXT NOT NULL,"
    " series TEXT,"
    " price_fen INTEGER,"
    " currency TEXT,"
    " batch_id INTEGER REFERENCES import_batch(id),"
    " src_sheet TEXT,"
    " src_row INTEGER);"

    "CREATE TABLE lead ("
    " id TEXT PRIMARY KEY NOT NULL,"
    " customer_id TEXT REFERENCES customer(id),"
    " rep_id TEXT REFERENCES rep(id),"
    " source TEXT,"
    " budget_fen INTEGER,"
    " currency TEXT,"
    " urgency TEXT,"
    " industry TEXT,"
    " province TEXT,"
    " city TEXT,"
    " status TEXT,"
    " arrived_at TEXT,"
    " note TEXT,"
    " batch_id INTEGER REFERENCES import_batch(id),"
    " src_sheet TEXT,"
    " src_row INTEGER);"

    "CREATE TABLE deal ("
    " id TEXT PRIMARY KEY NOT NULL,"
    " name TEXT,"
    " customer_id TEXT REFERENCES customer(id),"
    " rep_id TEXT REFERENCES rep(id),"
    " lead_id TEXT,"
    " product TEXT,"
    " stage TEXT,"
    " amount_fen INTEGER,"
    " net_amount_fen INTEGER,"
    " margin REAL,"
    " received_fen INTEGER,"
    " currency TEXT NOT NULL DEFAULT 'CNY',"
    " created_on TEXT,"
    " close_on TEXT,"
    " expected_on TEXT,"
    " note TEXT,"
    " batch_id INTEGER REFERENCES import_batch(id),"
    " src_sheet TEXT,"
    " src_row INTEGER);"
    "CREATE INDEX deal_rep ON deal(rep_id);"
    "CREATE INDEX deal_created ON deal(created_on);"
    "CREATE INDEX deal_close ON deal(close_on);"

    "CREATE TABLE activity ("
    " id TEXT PRIMARY KEY NOT NULL,"
    " at TEXT NOT NULL,"
    " on_date TEXT NOT NULL,"
    " week TEXT NOT NULL,"
    " type TEXT NOT NULL,"
    " rep_id TEXT REFERENCES rep(id),"
    " customer_id TEXT REFERENCES customer(id),"
    " deal_id TEXT,"
    " lead_id TEXT,"
    " text TEXT,"
    " note TEXT,"
    " evidence TEXT,"
    " evidence_sha256 TEXT,"
    " confirmed_by TEXT,"
    " batch_id INTEGER REFERENCES import_batch(id),"
    " src_sheet TEXT,"
    " src_row INTEGER);"
    "CREATE INDEX activity_week ON activity(week);"
    "CREATE INDEX activity_deal ON activity(deal_id);"
    "CREATE INDEX activity_customer ON activity(customer_id);"

    "CREATE TABLE payment ("
    " id TEXT PRIMARY KEY NOT NULL,"
    " kind TEXT NOT NULL CHECK (kind IN ('actual', 'plan')),"
    " deal_id TEXT,"
    " customer_id TEXT REFERENCES customer(id),"
    " rep_id TEXT REFERENCES rep(id),"
    " amount_fen INTEGER NOT NULL,"
    " currency TEXT NOT NULL DEFAULT 'CNY',"
    " on_date TEXT NOT NULL,"
    " note TEXT,"
    " batch_id INTEGER REFERENCES import_batch(id),"
    " src_sheet TEXT,"
    " src_row INTEGER);"
    "CREATE INDEX payment_date ON payment(on_date);"

    /* Views for people: yuan, names, regions. */
    "CREATE VIEW v_deal AS SELECT d.id, d.name, c.name AS customer,"
    " r.name AS rep, r.region, d.product, d.stage,"
    " d.amount_fen / 100.0 AS amount,"
    " d.net_amount_fen / 100.0 AS net_amount, d.margin,"
    " d.received_fen / 100.0 AS received,"
    " d.currency, d.created_on, d.close_on, d.expected_on"
    " FROM deal d LEFT JOIN customer c ON c.id = d.customer_id"
    " LEFT JOIN rep r ON r.id = d.rep_id;"
    "CREATE VIEW v_activity AS SELECT a.id, a.at, a.on_date, a.week,"
    " a.type, r.name AS rep, r.region, c.name AS customer, a.deal_id,"
    " a.text FROM activity a LEFT JOIN rep r ON r.id = a.rep_id"
    " LEFT JOIN customer c ON c.id = a.customer_id;"
    "CREATE VIEW v_payment AS SELECT p.id, p.kind, p.on_date,"
    " p.amount_fen / 100.0 AS amount, p.currency, p.deal_id,"
    " c.name AS customer, r.name AS rep, r.region"
    " FROM payment p LEFT JOIN customer c ON c.id = p.customer_id"
    " LEFT JOIN rep r ON r.id = p.rep_id;";

/*
 * Chat messages say who spoke (sender as written, party rep or
 * customer); competitor news from RSS/Atom feeds.
 */
static const char v2_chat_news[] =
    "ALTER TABLE activity ADD COLUMN sender TEXT;"
    "ALTER TABLE activity ADD COLUMN party TEXT"
    " CHECK (party IN ('rep', 'customer'));"

    "CREATE TABLE news ("
    " id TEXT PRIMARY KEY NOT NULL,"
    " source TEXT,"
    " title TEXT NOT NULL,"
    " link TEXT,"
    " published_at TEXT,"
    " on_date TEXT,"
    " week TEXT,"
    " text TEXT,"
    " batch_id INTEGER REFERENCES import_batch(id),"
    " src_sheet TEXT,"
    " src_row INTEGER);"
    "CREATE INDEX news_week ON news(week);";

/*
 * Undo: an undone batch keeps its rows in import_batch, reject and
 * change_log for the record, marked with when it was undone.  (No
 * index on change_log.batch_id: every imported row would pay for it,
 * and only an undo reads by batch.)
 */
static const char v3_undo[] =
    "ALTER TABLE import_batch ADD COLUMN undone_at TEXT;";

/*
 * sales-assign: the assignment log, the round-robin cursors, the
 * smooth weighted round-robin state, and the views rules read.  A lead
 * is assigned by the rules at most once (assignment_once); later moves
 * are logged as rebalances.
 */
static const char v4_assign[] =
    "CREATE INDEX lead_rep ON lead(rep_id);"
    "CREATE TABLE assignment ("
    " id INTEGER PRIMARY KEY,"
    " lead_id TEXT NOT NULL REFERENCES lead(id),"
    " rep_id TEXT REFERENCES rep(id),"
    " from_rep TEXT,"
    " kind TEXT NOT NULL CHECK (kind IN ('assign', 'rebalance')),"
    " rule TEXT,"
    " method TEXT,"
    " reason TEXT NOT NULL,"
    " at TEXT NOT NULL,"
    " run INTEGER NOT NULL);"
    "CREATE UNIQUE INDEX assignment_once ON assignment(lead_id)"
    " WHERE kind = 'assign';"
    "CREATE INDEX assignment_rep ON assignment(rep_id);"
    "CREATE TABLE assign_cursor ("
    " rule TEXT PRIMARY KEY NOT NULL,"
    " rep_id TEXT NOT NULL,"
    " seq INTEGER,"
    " code TEXT,"
    " at TEXT NOT NULL);"
    "CREATE TABLE assign_wrr ("
    " rule TEXT NOT NULL,"
    " rep_id TEXT NOT NULL,"
    " current INTEGER NOT NULL,"
    " PRIMARY KEY (rule, rep_id));"
    "CREATE VIEW assign_lead AS SELECT l.id, l.source,"
    " CASE WHEN l.budget_fen % 100 = 0 THEN l.budget_fen / 100"
    " ELSE l.budget_fen / 100.0 END AS budget, l.currency, l.urgency,"
    " coalesce(l.industry, c.industry) AS industry,"
    " coalesce(l.province, c.province) AS province,"
    " coalesce(l.city, c.city) AS city, l.status, l.arrived_at,"
    " l.customer_id, c.name AS customer, c.size, c.employees,"
    " c.region, c.lat, c.lon"
    " FROM lead l LEFT JOIN customer c ON c.id = l.customer_id;"
    "CREATE VIEW assign_rep AS SELECT r.id, r.name, r.code, r.region,"
    " r.team, r.tier, r.seq, r.unit, r.manager, r.active, r.capacity,"
    " r.weight,"
    " coalesce((SELECT u.lat FROM unit u WHERE u.id = r.unit),"
    " (SELECT u.lat FROM unit u WHERE u.name = r.unit AND NOT EXISTS"
    " (SELECT 1 FROM unit w WHERE w.id = r.unit) ORDER BY u.id LIMIT 1))"
    " AS lat,"
    " coalesce((SELECT u.lon FROM unit u WHERE u.id = r.unit),"
    " (SELECT u.lon FROM unit u WHERE u.name = r.unit AND NOT EXISTS"
    " (SELECT 1 FROM unit w WHERE w.id = r.unit) ORDER BY u.id LIMIT 1))"
    " AS lon"
    " FROM rep r;";

/*
 * v5: stage gates.  Every stage change (and every refused one) is a
 * stage_event; deal.stage_since is when the deal entered its stage.
 * v_stage_deal is the row stage rules read.
 */
static const char v5_stage[] =
    "ALTER TABLE deal ADD COLUMN stage_since TEXT;"
    "CREATE TABLE stage_event ("
    " id INTEGER PRIMARY KEY,"
    " deal_id TEXT NOT NULL,"
    " from_stage TEXT,"
    " to_stage TEXT NOT NULL,"
    " kind TEXT NOT NULL"
    " CHECK (kind IN ('moved', 'blocked', 'forced', 'reopened')),"
    " reason TEXT,"
    " by_rep TEXT,"
    " at TEXT NOT NULL,"
    " on_date TEXT NOT NULL,"
    " failing TEXT,"
    " source TEXT NOT NULL DEFAULT 'sales-stage',"
    " batch_id INTEGER REFERENCES import_batch(id));"
    "CREATE INDEX stage_event_deal ON stage_event(deal_id, id);"
    "CREATE INDEX stage_event_date ON stage_event(on_date);"
    "CREATE VIEW v_stage_deal AS SELECT d.id, d.name, d.customer_id,"
    " c.name AS customer, c.industry, c.size AS company_size,"
    " c.employees, d.rep_id, r.name AS rep, r.region, d.product,"
    " d.stage, d.stage_since, d.amount_fen, d.amount_fen / 100.0 AS amount,"
    " d.currency, d.created_on, d.close_on, d.expected_on, d.note"
    " FROM deal d LEFT JOIN customer c ON c.id = d.customer_id"
    " LEFT JOIN rep r ON r.id = d.rep_id;"
    /* A stage written by an import moves stage_since to its event. */
    "CREATE TRIGGER deal_stage_since AFTER UPDATE OF stage ON deal"
    " WHEN NEW.stage IS NOT OLD.stage"
    " AND NEW.stage_since IS OLD.stage_since BEGIN"
    " UPDATE deal SET stage_since = (SELECT at FROM stage_event"
    " WHERE deal_id = NEW.id AND kind <> 'blocked'"
    " ORDER BY id DESC LIMIT 1) WHERE id = NEW.id; END;";

/*
 * sales-voc: what customers said, as rule hits on activities, customer
 * tags, follow-up tasks, playbooks pushed to reps, salespeople's
 * corrections, and which activities each rule set has scanned.
 */
static const char v6_voc[] =
    "CREATE TABLE voc_scan ("
    " activity_id TEXT PRIMARY KEY NOT NULL,"
    " ruleset TEXT NOT NULL,"
    " hits INTEGER NOT NULL,"
    " scanned_at TEXT NOT NULL);"
    "CREATE TABLE voc_hit ("
    " id INTEGER PRIMARY KEY,"
    " activity_id TEXT NOT NULL,"
    " customer_id TEXT,"
    " rule_id TEXT NOT NULL,"
    " tag TEXT NOT NULL,"
    " span TEXT NOT NULL,"
    " char_offset INTEGER NOT NULL,"
    " char_length INTEGER NOT NULL,"
    " ruleset TEXT NOT NULL,"
    " current INTEGER NOT NULL DEFAULT 1 CHECK (current IN (0, 1)),"
    " at TEXT NOT NULL);"
    "CREATE INDEX voc_hit_activity ON voc_hit(activity_id);"
    "CREATE INDEX voc_hit_tag ON voc_hit(tag);"
    "CREATE TABLE tag ("
    " customer_id TEXT NOT NULL,"
    " tag TEXT NOT NULL,"
    " source TEXT NOT NULL CHECK (source IN ('voc', 'correction')),"
    " rule_id TEXT,"
    " hit_id INTEGER,"
    " since TEXT NOT NULL,"
    " PRIMARY KEY (customer_id, tag));"
    "CREATE TABLE task ("
    " id INTEGER PRIMARY KEY,"
    " customer_id TEXT,"
    " rep_id TEXT,"
    " activity_id TEXT,"
    " rule_id TEXT,"
    " hit_id INTEGER,"
    " title TEXT NOT NULL,"
    " created_on TEXT NOT NULL,"
    " due_on TEXT NOT NULL,"
    " status TEXT NOT NULL DEFAULT 'open'"
    " CHECK (status IN ('open', 'done', 'cancelled')),"
    " source TEXT NOT NULL DEFAULT 'sales-voc');"
    "CREATE INDEX task_due ON task(due_on);"
    "CREATE INDEX task_rule ON task(rule_id, customer_id);"
    "CREATE TABLE voc_push ("
    " id INTEGER PRIMARY KEY,"
    " hit_id INTEGER NOT NULL,"
    " rule_id TEXT NOT NULL,"
    " customer_id TEXT,"
    " rep_id TEXT,"
    " playbook TEXT NOT NULL,"
    " at TEXT NOT NULL);"
    "CREATE TABLE voc_correction ("
    " id INTEGER PRIMARY KEY,"
    " activity_id TEXT NOT NULL,"
    " action TEXT NOT NULL CHECK (action IN ('add', 'remove')),"
    " tag TEXT,"
    " rule_id TEXT,"
    " by_rep TEXT,"
    " at TEXT NOT NULL);"
    "CREATE VIEW voc_customer AS SELECT id, name, code, industry, size,"
    " employees, region, province, city FROM customer;";

/* sales-ingest imports units: their provenance, as for every kind. */
static const char v7_unit[] =
    "ALTER TABLE unit ADD COLUMN batch_id INTEGER"
    " REFERENCES import_batch(id);"
    "ALTER TABLE unit ADD COLUMN src_sheet TEXT;"
    "ALTER TABLE unit ADD COLUMN src_row INTEGER;";

/*
 * sales-assign reclaim: the public pool's log, one row per lead or
 * customer taken from its rep (the rerouting, if any, is logged in
 * assignment as a move from that rep).
 */
static const char v8_reclaim[] =
    "CREATE TABLE reclaim ("
    " id INTEGER PRIMARY KEY,"
    " target TEXT NOT NULL CHECK (target IN ('lead', 'customer')),"
    " rec_id TEXT NOT NULL,"
    " rep_id TEXT,"
    " rule TEXT NOT NULL,"
    " reason TEXT NOT NULL,"
    " due TEXT NOT NULL,"
    " as_of TEXT NOT NULL,"
    " at TEXT NOT NULL,"
    " run INTEGER NOT NULL);"
    "CREATE INDEX reclaim_rec ON reclaim(target, rec_id);";

/*
 * Indexes on the columns that refer to a customer.  Deleting a customer
 * (sales-ingest undo) makes SQLite look for rows that still refer to
 * it; without these that is a scan of the table per customer, and an
 * undo of N rows took time in N squared (20,000 rows: 7.6 s, 200,000:
 * over 12 minutes).
 */
static const char v9_fk_indexes[] =
    "CREATE INDEX lead_customer ON lead(customer_id);"
    "CREATE INDEX deal_customer ON deal(customer_id);"
    "CREATE INDEX payment_customer ON payment(customer_id);";

/*
 * sales-forecast: snapshots of the forecast, one row per deal, as of a
 * day and under a version of the rules (a digest of forecast.csv); the
 * basis is the JSON line the forecast printed.  Storing the same as-of
 * day and rules again changes nothing.
 */
static const char v10_forecast[] =
    "CREATE TABLE forecast ("
    " as_of TEXT NOT NULL,"
    " rules TEXT NOT NULL,"
    " deal_id TEXT NOT NULL,"
    " probability INTEGER NOT NULL,"
    " amount_fen INTEGER,"
    " expected_fen INTEGER,"
    " basis TEXT NOT NULL,"
    " PRIMARY KEY (as_of, rules, deal_id));";

/*
 * Sales targets (sales-ingest, kind target) for sales-report drill: one
 * row per region, unit or rep and period; the period normalized
 * (2026-03, 2026-Q1, 2026) with its first and last days.
 */
static const char v11_target[] =
    "CREATE TABLE target ("
    " id TEXT PRIMARY KEY NOT NULL,"
    " period TEXT NOT NULL,"
    " from_on TEXT NOT NULL,"
    " to_on TEXT NOT NULL,"
    " level TEXT NOT NULL CHECK (level IN ('region', 'unit', 'rep')),"
    " region TEXT,"
    " unit TEXT,"
    " unit_id TEXT,"
    " rep_id TEXT REFERENCES rep(id),"
    " amount_fen INTEGER NOT NULL,"
    " currency TEXT NOT NULL DEFAULT 'CNY',"
    " note TEXT,"
    " batch_id INTEGER REFERENCES import_batch(id),"
    " src_sheet TEXT,"
    " src_row INTEGER);"
    "CREATE INDEX target_period ON target(from_on, to_on);"
    "CREATE INDEX target_rep ON target(rep_id);";

/*
 * sales-report over a million activities: its counts come from indexes
 * alone, never from the rows.  activity_deal grows from (deal_id) to
 * (deal_id, on_date, type, at): a deal's last day, its activities of a
 * type and their first instant (stage gates, stale deals).
 * activity_week grows from (week) to (week, type, rep_id, id): a
 * week's activities per rep and type, and their ids for their voc
 * hits.  activity_blank holds the activities without content by week,
 * type and rep, so touches are the week's activities less its blank
 * ones; a query uses it only when its test is written exactly as here.
 * Every lookup by deal or week still uses the index it used.
 */
static const char v12_report[] =
    "DROP INDEX activity_deal;"
    "CREATE INDEX activity_deal ON activity(deal_id, on_date, type, at);"
    "DROP INDEX activity_week;"
    "CREATE INDEX activity_week ON activity(week, type, rep_id, id);"
    "CREATE INDEX activity_blank ON activity(week, type, rep_id)"
    " WHERE trim(coalesce(text, ''), ' ' || char(9, 10, 13, 12288)) = '';";

/*
 * sales-voc: which activities a rule set has scanned, as runs of
 * activity rowids (up to and including upto, from the run before)
 * instead of a row of voc_scan each; upto_id is the id the activity at
 * upto had, to notice rowids that moved.  voc_scan keeps the activities
 * outside the runs.
 */
static const char voc_scan_runs[] =
    "CREATE TABLE voc_mark ("
    " upto INTEGER PRIMARY KEY,"
    " upto_id TEXT NOT NULL,"
    " ruleset TEXT NOT NULL,"
    " scanned_at TEXT NOT NULL);";

/*
 * Forecast snapshots in the deal's own currency: amount_fen and
 * expected_fen of a row with a currency are in it, and reports convert
 * them at today's rates of fx.csv, as they do the deal itself; a
 * snapshot in yuan froze the rate, so a change of rate read as a change
 * of amount, and a deal without a rate then was 0 for good.  Rows of
 * older snapshots have no currency: their amounts are yuan.  The
 * weekly report and reconcile read a snapshot's amounts in deal order:
 * forecast_amounts holds them, so that they are one range of an index
 * and not a seek into the table for each deal.
 */
static const char v14_forecast_currency[] =
    "ALTER TABLE forecast ADD COLUMN currency TEXT;"
    "CREATE INDEX forecast_amounts ON forecast(as_of, rules, deal_id,"
    " expected_fen, amount_fen, currency);"
    /*
     * A routing rule's budget is yuan, at the rates of fx.csv (cny(),
     * which the commands register): a 10万美元 lead was 100000 to
     * budget >= 500000.  budget_amount keeps the lead's own figure.
     */
    "DROP VIEW assign_lead;"
    "CREATE VIEW assign_lead AS SELECT l.id, l.source,"
    " CASE WHEN cny(l.budget_fen, l.currency) % 100 = 0"
    " THEN cny(l.budget_fen, l.currency) / 100"
    " ELSE cny(l.budget_fen, l.currency) / 100.0 END AS budget,"
    " CASE WHEN l.budget_fen % 100 = 0 THEN l.budget_fen / 100"
    " ELSE l.budget_fen / 100.0 END AS budget_amount,"
    " l.currency, l.urgency,"
    " coalesce(l.industry, c.industry) AS industry,"
    " coalesce(l.province, c.province) AS province,"
    " coalesce(l.city, c.city) AS city, l.status, l.arrived_at,"
    " l.customer_id, c.name AS customer, c.size, c.employees,"
    " c.region, c.lat, c.lon"
    " FROM lead l LEFT JOIN customer c ON c.id = l.customer_id;";

/*
 * sales-voc writes fewer, cheaper rows.  A playbook is pushed again to
 * the same rep for the same customer by the same rule only once the
 * window of its last push (the activity's date to the rule's due date,
 * as for tasks) has passed: on_date and until_on hold that window, and
 * voc_push_rule finds the pushes of a rule and customer.  Pushes made
 * before have no window and hold nothing back.  voc_hit_tag is gone:
 * no query reads hits by tag alone (suggest reads them once per
 * statement, reports join them by activity), and keeping it up to date
 * cost a scan more than writing the hit itself.
 */
static const char v15_voc_push_window[] =
    "DROP INDEX voc_hit_tag;"
    "ALTER TABLE voc_push ADD COLUMN on_date TEXT;"
    "ALTER TABLE voc_push ADD COLUMN until_on TEXT;"
    "CREATE INDEX voc_push_rule ON voc_push(rule_id, customer_id);";

/*
 * A customer's own chat messages are what the customer said, not a
 * touch by a rep: the weekly report counts the week's activities less
 * those, as it counts them less the blank ones, from a partial index of
 * their own (no row of an import without chats is in it).  party is in
 * its key only so that SQLite counts from the index alone.
 */
static const char v16_customer_said[] =
    "CREATE INDEX activity_said ON activity(week, type, rep_id, party)"
    " WHERE party = 'customer';";

const char *const schema_migrations[] = {
	v1,
	v2_chat_news,
	v3_undo,
	v4_assign,
	v5_stage,
	v6_voc,
	v7_unit,
	v8_reclaim,
	v9_fk_indexes,
	v10_forecast,
	v11_target,
	v12_report,
	voc_scan_runs,
	v14_forecast_currency,
	v15_voc_push_window,
	v16_customer_said,
};

const int schema_nmigrations =
    (int)(sizeof(schema_migrations) / sizeof(schema_migrations[0]));
