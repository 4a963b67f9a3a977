#!/bin/sh
# Benchmark of sales-report weekly (DESIGN.md 7, issue 8): a store of 1M
# activities, 100k deals and 300 reps over a year, generated once in SQL
# into $BENCH_DIR/report.db and kept while its shape is the one below;
# the report of 2026-W10 in every format of $FORMATS, next to
#   (a) the same figures by straightforward SQL in the sqlite3 CLI, as
#       an analyst writes it: one query per figure, joins, GROUP BY and
#       date() over the instants;
#   (b) a plain scan of the activity table (count and text lengths);
# all in the same run.  CPU seconds (user + system, the best of
# $BENCH_REPEAT runs, default 3): the machine may be shared, so
# wall-clock time would measure the neighbours.  Prints the figures and
# the budgets marked PASS or FAIL, also into $BENCH_DIR/report.txt, and
# always exits 0: a failed run is a FAIL line, not an abort.
#   budgets: text, csv, jsonl >= 3x faster than the SQL, <= 4x the scan;
#            pdf <= 2x the text report.
# Usage: report.sh (bin/ first on PATH, GNU time as /usr/bin/time).
set -u

dir=${BENCH_DIR:-build/bench}
FORMATS=${FORMATS:-text md csv jsonl html pdf}
repeat=${BENCH_REPEAT:-3}
mkdir -p "$dir"
db=$dir/report.db
out=$dir/report.txt
export SALES_TODAY=2026-03-16

# The kept store is reused while it has this shape and the schema
# version of a fresh store (a new migration means generating again).
rm -f "$dir/schema.db"
sales-ingest -q --db "$dir/schema.db" batches > /dev/null
version=$(sqlite3 "$dir/schema.db" "PRAGMA user_version")
rm -f "$dir/schema.db" "$dir/schema.db-wal" "$dir/schema.db-shm"
if [ "$(sqlite3 "$db" "SELECT count(*) FROM activity" 2>/dev/null)" != \
    1000000 ] ||
    [ "$(sqlite3 "$db" "SELECT max(on_date) FROM activity")" != 2026-03-15 ] ||
    [ "$(sqlite3 "$db" "PRAGMA user_version")" != "$version" ]; then
	rm -f "$db" "$db-wal" "$db-shm"
	echo "generating $db (once)" >&2
	# Create the schema, then generate rows in SQL (no import cost).
	# A year of records: days 2025-03-17 .. 2026-03-15 (52 ISO weeks,
	# some 19k activities each), nothing after today.  The ISO week of
	# a day is the one of its Thursday (iso_week below).
	sales-ingest -q --db "$db" batches > /dev/null
	sqlite3 "$db" "
PRAGMA journal_mode = WAL;
BEGIN;
WITH RECURSIVE i(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM i WHERE k < 300)
INSERT INTO rep (id, name, region, team)
SELECT printf('R%03d', k), printf('销售%03d', k),
    CASE k % 4 WHEN 0 THEN '华东' WHEN 1 THEN '华南' WHEN 2 THEN '华北'
        ELSE '西南' END, printf('%d组', k % 30) FROM i;
WITH RECURSIVE i(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM i WHERE k < 5000)
INSERT INTO customer (id, name) SELECT printf('C%04d', k),
    printf('示例客户%04d', k) FROM i;
WITH RECURSIVE i(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM i
    WHERE k < 100000)
INSERT INTO deal (id, customer_id, rep_id, stage, amount_fen, created_on,
    close_on)
SELECT printf('D%06d', k), printf('C%04d', 1 + k % 5000),
    printf('R%03d', 1 + k % 300),
    CASE k % 8 WHEN 0 THEN 'contact' WHEN 1 THEN 'needs' WHEN 2 THEN 'demo'
        WHEN 3 THEN 'qualify' WHEN 4 THEN 'quote' WHEN 5 THEN 'contract'
        WHEN 6 THEN 'won' ELSE 'lost' END,
    (1 + k % 97) * 1000000, date('2025-03-17', '+' || (k % 364) || ' days'),
    CASE WHEN k % 8 >= 6 THEN date('2025-03-17', '+' || (k % 364 + 10) ||
        ' days') END FROM i;
WITH RECURSIVE i(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM i
    WHERE k < 1000000),
d(k, day) AS (SELECT k, date('2025-03-17', '+' || (k % 364) || ' days')
    FROM i)
INSERT INTO activity (id, at, on_date, week, type, rep_id, customer_id,
    deal_id, text)
SELECT printf('A%07d', k),
    day || printf('T%02d:%02d:00+08:00', k % 24, k % 60), day,
    (SELECT strftime('%Y', t) || printf('-W%02d',
        (CAST(strftime('%j', t) AS INTEGER) - 1) / 7 + 1) FROM (SELECT
        date(day, '-' || ((CAST(strftime('%w', day) AS INTEGER) + 6) % 7)
        || ' days', '+3 days') AS t)),
    CASE k % 5 WHEN 0 THEN 'visit' WHEN 1 THEN 'call' WHEN 2 THEN 'wechat'
        WHEN 3 THEN 'email' ELSE 'tech_qa' END,
    printf('R%03d', 1 + (k % 100000) % 300), printf('C%04d', 1 + k % 5000),
    printf('D%06d', 1 + k % 100000),
    CASE WHEN k % 10 = 0 THEN NULL
        ELSE '客户反馈交期和价格，约下周再沟通方案细节' END FROM d;
WITH RECURSIVE i(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM i WHERE k < 20000)
INSERT INTO lead (id, customer_id, rep_id, arrived_at)
SELECT printf('L%05d', k), printf('C%04d', 1 + k % 5000),
    CASE WHEN k % 7 = 0 THEN NULL ELSE printf('R%03d', 1 + k % 300) END,
    date('2025-03-17', '+' || (k % 364) || ' days') || 'T09:00:00+08:00'
    FROM i;
WITH RECURSIVE i(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM i
    WHERE k < 200000),
d(k, day) AS (SELECT k, date('2025-03-17', '+' || (k % 364) || ' days')
    FROM i)
INSERT INTO stage_event (deal_id, from_stage, to_stage, kind, at, on_date)
SELECT printf('D%06d', 1 + k % 100000),
    CASE k % 3 WHEN 0 THEN 'needs' WHEN 1 THEN 'demo' ELSE 'qualify' END,
    CASE k % 4 WHEN 0 THEN 'needs' WHEN 1 THEN 'demo' WHEN 2 THEN 'qualify'
        ELSE 'quote' END,
    CASE WHEN k % 9 = 0 THEN 'blocked' ELSE 'moved' END,
    day || 'T10:00:00+08:00', day FROM d;
WITH RECURSIVE i(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM i WHERE k < 50000)
INSERT INTO task (rep_id, title, created_on, due_on, status)
SELECT printf('R%03d', 1 + k % 300), '回访客户',
    date('2025-03-17', '+' || (k % 364) || ' days'),
    date('2025-03-17', '+' || (k % 364 + 5) || ' days'),
    CASE k % 3 WHEN 0 THEN 'done' ELSE 'open' END FROM i;
INSERT INTO voc_hit (activity_id, rule_id, tag, span, char_offset,
    char_length, ruleset, at)
SELECT id, 'r' || (rowid % 12),
    CASE rowid % 4 WHEN 0 THEN '价格敏感' WHEN 1 THEN '交期关注'
        WHEN 2 THEN '审批流程' ELSE '售后关注' END, '价格', 8, 2, 's', at
    FROM activity WHERE rowid % 10 = 3;
INSERT INTO forecast (as_of, rules, deal_id, probability, amount_fen,
    expected_fen, basis)
SELECT '2026-03-06', 'bench', id, 40, amount_fen, amount_fen * 2 / 5, '{}'
    FROM deal WHERE stage NOT IN ('won', 'lost') AND created_on <= '2026-03-06';
WITH RECURSIVE i(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM i WHERE k < 500)
INSERT INTO news (id, source, title, on_date, week)
SELECT 'N' || k, '友商快讯', '新闻' || k, on_date, week FROM i
    JOIN activity a ON a.id = printf('A%07d', k * 1999);
COMMIT;
ANALYZE;" > /dev/null
fi

# The same figures as an analyst writes them: one query per figure, the
# week taken from the instant with date(), reps joined for their names.
naive_sql="
SELECT r.name, r.team, r.region, a.type, count(*),
    sum(trim(coalesce(a.text, '')) <> '')
    FROM activity a JOIN rep r ON r.id = a.rep_id
    WHERE date(a.at) BETWEEN '2026-03-02' AND '2026-03-08'
    GROUP BY r.name, r.team, r.region, a.type ORDER BY 1, 4;
SELECT r.name, a.type, count(*), sum(trim(coalesce(a.text, '')) <> '')
    FROM activity a JOIN rep r ON r.id = a.rep_id
    WHERE date(a.at) BETWEEN '2026-02-23' AND '2026-03-01'
    GROUP BY r.name, a.type ORDER BY 1, 2;
SELECT strftime('%W', date(a.at)), count(*),
    sum(trim(coalesce(a.text, '')) <> '') FROM activity a
    WHERE date(a.at) BETWEEN '2026-01-12' AND '2026-03-08'
    GROUP BY 1 ORDER BY 1;
SELECT r.name, count(*) FROM lead l JOIN rep r ON r.id = l.rep_id
    WHERE date(l.arrived_at) BETWEEN '2026-03-02' AND '2026-03-08'
    GROUP BY r.name ORDER BY 1;
SELECT r.name, e.kind, count(*) FROM stage_event e
    JOIN deal d ON d.id = e.deal_id JOIN rep r ON r.id = d.rep_id
    WHERE e.on_date BETWEEN '2026-03-02' AND '2026-03-08'
    GROUP BY r.name, e.kind ORDER BY 1, 2;
SELECT r.name, d.stage, count(*), sum(d.amount_fen) FROM deal d
    JOIN rep r ON r.id = d.rep_id
    WHERE d.close_on BETWEEN '2026-03-02' AND '2026-03-08'
    GROUP BY r.name, d.stage ORDER BY 1, 2;
SELECT r.name, count(*), sum(d.amount_fen), sum(f.expected_fen) FROM deal d
    JOIN rep r ON r.id = d.rep_id LEFT JOIN forecast f ON f.deal_id = d.id
    AND f.as_of = (SELECT max(as_of) FROM forecast WHERE as_of <= '2026-03-08')
    WHERE d.created_on <= '2026-03-08' AND (d.stage NOT IN ('won', 'lost')
    OR d.close_on > '2026-03-08') GROUP BY r.name ORDER BY 1;
SELECT r.name, sum(t.due_on BETWEEN '2026-03-02' AND '2026-03-08'),
    sum(t.status = 'open' AND t.due_on <= '2026-03-08') FROM task t
    JOIN rep r ON r.id = t.rep_id GROUP BY r.name ORDER BY 1;
SELECT h.tag, count(*) FROM voc_hit h JOIN activity a ON a.id = h.activity_id
    WHERE date(a.at) BETWEEN '2026-03-02' AND '2026-03-08'
    GROUP BY h.tag ORDER BY 2 DESC LIMIT 10;
SELECT title FROM news WHERE on_date BETWEEN '2026-03-02' AND '2026-03-08'
    ORDER BY 1;
SELECT count(*) FROM activity WHERE type IN ('visit', 'call', 'wechat', 'email')
    AND trim(coalesce(text, '')) = '';
SELECT count(*) FROM deal d WHERE d.stage NOT IN ('won', 'lost') AND
    coalesce((SELECT max(date(a.at)) FROM activity a WHERE a.deal_id = d.id),
    d.created_on) < '2026-02-14';
"

# cpu CMD...: the best CPU seconds of $repeat runs, stdout to
# $dir/out; "fail" when the command fails.
cpu() {
	best=
	try=0
	while [ $try -lt "$repeat" ]; do
		try=$((try + 1))
		if ! /usr/bin/time -f '%U %S' -o "$dir/time" "$@" \
		    > "$dir/out" 2> "$dir/err"; then
			echo "report.sh: $*: failed: $(tail -n 1 "$dir/err")" >&2
			echo fail
			return
		fi
		best=$(awk -v b="$best" '{ t = $1 + $2
		    print (b == "" || t < b) ? t : b }' "$dir/time")
	done
	echo "$best"
}

# Warm the page cache once, so that no row pays for the disk.
sqlite3 "$db" "SELECT count(*), sum(length(text)) FROM activity" > /dev/null
scan=$(cpu sqlite3 "$db" "SELECT count(*), sum(length(text)) FROM activity")
naive=$(cpu sqlite3 "$db" "$naive_sql")
{
	printf 'sales-report weekly 2026-W10: %s activities, %s deals, %s reps\n' \
	    "$(sqlite3 "$db" "SELECT count(*) FROM activity")" \
	    "$(sqlite3 "$db" "SELECT count(*) FROM deal")" \
	    "$(sqlite3 "$db" "SELECT count(*) FROM rep")"
	printf '%-22s %8s %10s %8s %8s %8s\n' "" "cpu s" bytes "SQL/x" \
	    "x/scan" "x/text"
	printf '%-22s %8s\n' "scan of activity" "$scan"
	printf '%-22s %8s\n' "straightforward SQL" "$naive"
	text=
	verdicts=
	for f in $FORMATS; do
		t=$(cpu sales-report --db "$db" --week 2026-W10 -f "$f" weekly)
		if [ "$t" = fail ]; then
			printf '%-22s %8s\n' "report, $f" fail
			verdicts="$verdicts$f:fail "
			continue
		fi
		[ "$f" = text ] && text=$t
		awk -v f="$f" -v t="$t" -v n="$naive" -v s="$scan" \
		    -v x="${text:-0}" -v b="$(wc -c < "$dir/out")" 'BEGIN {
			u = t > 0.005 ? t : 0.005
			printf "%-22s %8.2f %10d %8.2f %8.2f", "report, " f, t,
			    b, n / u, t / (s > 0.005 ? s : 0.005)
			if (x > 0) printf " %8.2f", t / x
			printf "\n"
		}'
		verdicts="$verdicts$f:$t "
	done
	echo
	echo "budget                          measured  target"
	for v in $verdicts; do
		f=${v%%:*}
		t=${v#*:}
		case $f in text | csv | jsonl) ;; *) continue ;; esac
		if [ "$t" = fail ] || [ "$naive" = fail ] || [ "$scan" = fail ]
		then
			printf '%-31s %8s  %-7s FAIL\n' "$f: SQL / report" - ">= 3"
			continue
		fi
		awk -v f="$f" -v t="$t" -v n="$naive" -v s="$scan" 'BEGIN {
			u = t > 0.005 ? t : 0.005
			r = n / u
			printf "%-31s %8.2f  %-7s %s\n", f ": SQL / report", r,
			    ">= 3", (r >= 3 ? "PASS" : "FAIL")
			r = t / (s > 0.005 ? s : 0.005)
			printf "%-31s %8.2f  %-7s %s\n", f ": report / scan", r,
			    "<= 4", (r <= 4 ? "PASS" : "FAIL")
		}'
	done
	p=
	for v in $verdicts; do
		[ "${v%%:*}" = pdf ] && p=${v#*:}
	done
	if [ -n "$p" ] && [ -n "$text" ]; then
		if [ "$p" = fail ]; then
			printf '%-31s %8s  %-7s FAIL\n' "pdf / text" - "<= 2"
		else
			awk -v p="$p" -v t="$text" 'BEGIN {
				r = p / (t > 0.005 ? t : 0.005)
				printf "%-31s %8.2f  %-7s %s\n", "pdf / text", r,
				    "<= 2", (r <= 2 ? "PASS" : "FAIL")
			}'
		fi
	fi
} | tee "$out"
exit 0
