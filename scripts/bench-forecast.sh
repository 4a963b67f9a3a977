#!/bin/sh
# Benchmark for sales-forecast: N open deals (default 100000) on 300
# reps with about two milestone activities each, forecast in one run
# (JSON lines and the per-rep table); then N closed deals more, replayed
# over 26 weeks by backtest and by fit.  Fails when the forecast takes
# 1 s of CPU or more (user + system: on a shared machine the elapsed
# time also counts other jobs; both are printed).
# Usage: bench-forecast.sh [N] (bin/ first on PATH, GNU time installed).
set -eu

n=${1:-100000}
dir=${BENCH_DIR:-build/bench}
mkdir -p "$dir"
db=$dir/forecast.db
rm -f "$db" "$db-wal" "$db-shm"
export SALES_TODAY=2026-03-09

# Create the schema, then generate rows in SQL (no import cost here).
sales-forecast --db "$db" > /dev/null
sqlite3 "$db" "
WITH RECURSIVE i(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM i WHERE k < 300)
INSERT INTO rep (id, name, region)
SELECT printf('R%03d', k), printf('销售%03d', k),
    CASE k % 3 WHEN 0 THEN '华东' WHEN 1 THEN '华南' ELSE '华北' END FROM i;
WITH RECURSIVE i(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM i
    WHERE k < 2 * $n)
INSERT INTO deal (id, rep_id, stage, amount_fen, created_on, close_on,
    expected_on)
SELECT printf('D%07d', k), printf('R%03d', 1 + k % 300),
    CASE WHEN k <= $n THEN 'quote' WHEN k % 3 = 0 THEN 'won' ELSE 'lost' END,
    (k * 7919 % 1000 + 1) * 100000,
    date('2025-09-01', '+' || (k % 150) || ' days'),
    CASE WHEN k > $n THEN date('2025-09-01', '+' || (k % 150 + 40) ||
        ' days') END,
    date('2025-09-01', '+' || (k % 150 + 40) || ' days') FROM i;
INSERT INTO activity (id, at, on_date, week, type, deal_id)
SELECT 'A' || id || t.type, created_on || 'T10:00:00+08:00',
    date(created_on, '+' || t.lag || ' days'), '', t.type, id
FROM deal, (SELECT 'nda_signed' AS type, 2 AS lag, 2 AS m
    UNION ALL SELECT 'tech_review_passed', 9, 3
    UNION ALL SELECT 'payment_terms_lc', 20, 5) t
WHERE (CAST(substr(id, 2) AS INTEGER) % t.m) <> 0;"

now() { date +%s.%N; }
t0=$(now)
/usr/bin/time -f '%U %S' -o "$dir/forecast.cpu" \
    sales-forecast --db "$db" > "$dir/forecast.jsonl"
t1=$(now)
cpu=$(awk '{ print $1 + $2 }' "$dir/forecast.cpu")
sales-forecast --db "$db" --table > /dev/null
t2=$(now)
sales-forecast --db "$db" --from 2025-09-01 --to 2026-02-23 backtest \
    > "$dir/backtest.jsonl"
t3=$(now)
sales-forecast --db "$db" --from 2025-09-01 --to 2026-02-23 fit > /dev/null
t4=$(now)

lines=$(wc -l < "$dir/forecast.jsonl")
samples=$(sed -n 's/.*"samples":\([0-9]*\).*/\1/p' "$dir/backtest.jsonl" |
    head -1)
awk -v n="$n" -v l="$lines" -v s="$samples" -v a="$t0" -v b="$t1" -v u="$cpu" \
    -v c="$t2" -v d="$t3" -v e="$t4" 'BEGIN {
	printf "forecast: %d open deals in %.3f s elapsed, %.2f s CPU " \
	    "(%d lines): %.0f deals/s of CPU\n", n, b - a, u, l, n / u
	printf "forecast: --table in %.3f s\n", c - b
	printf "backtest: %d closed deals, 26 weeks, %d samples in %.3f s\n",
	    n, s, d - c
	printf "fit: %.3f s\n", e - d
	exit !(u < 1 && l == n)
    }'
