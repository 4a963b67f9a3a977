#!/bin/sh
# Benchmark for sales-assign: N leads (default 100000) and 300 reps in
# three regions and three tiers, routed by the default assign.csv in one
# run; prints leads per second.  Also times a run with nothing to do
# (the cost of a five-minute cron tick) and checks that every lead got
# exactly one rep.  Usage: bench-assign.sh [N] (bin/ first on PATH).
set -eu

n=${1:-100000}
dir=${BENCH_DIR:-build/bench}
mkdir -p "$dir"
db=$dir/assign.db
rm -f "$db" "$db-wal" "$db-shm"

# Create the schema, then generate rows in SQL (no import cost here).
sales-assign -q --db "$db" log > /dev/null
sqlite3 "$db" "
WITH RECURSIVE i(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM i WHERE k < 300)
INSERT INTO rep (id, name, code, region, tier, seq, active, capacity)
SELECT printf('R%03d', k), printf('销售%03d', k), printf('S%03d', k),
    CASE k % 3 WHEN 0 THEN '华东' WHEN 1 THEN '华南' ELSE '华北' END,
    CASE k % 5 WHEN 0 THEN '金牌' WHEN 1 THEN '银牌' ELSE '铜牌' END,
    k, k % 50 != 7, NULL FROM i;
WITH RECURSIVE i(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM i WHERE k < $n)
INSERT INTO lead (id, budget_fen, currency, urgency, province, arrived_at)
SELECT printf('L%07d', k), (k * 7919 % 1000) * 100000, 'CNY',
    CASE k % 3 WHEN 0 THEN 'high' WHEN 1 THEN 'medium' ELSE 'low' END,
    CASE k % 7 WHEN 0 THEN '上海' WHEN 1 THEN '广东' WHEN 2 THEN '北京'
        WHEN 3 THEN '浙江' WHEN 4 THEN '四川' WHEN 5 THEN '河北'
        ELSE '湖南' END,
    printf('2026-03-02T%02d:%02d:%02d+08:00', k / 3600 % 24, k / 60 % 60,
        k % 60) FROM i;"

now() { date +%s.%N; }
t0=$(now)
sales-assign -q --db "$db" > "$dir/assign.jsonl"
t1=$(now)
sales-assign -q --db "$db" > /dev/null
t2=$(now)

lines=$(wc -l < "$dir/assign.jsonl")
check=$(sqlite3 "$db" "SELECT count(*) = $n AND count(DISTINCT lead_id) = $n
    FROM assignment")
awk -v n="$n" -v l="$lines" -v a="$t0" -v b="$t1" -v c="$t2" -v ok="$check" \
    'BEGIN {
	printf "assign: %d leads in %.2f s: %.0f leads/s\n", n, b - a, n / (b - a)
	printf "assign: idle run (nothing new) %.3f s\n", c - b
	printf "assign: %d lines, every lead once: %s\n", l, ok ? "yes" : "NO"
	exit !ok
    }'
