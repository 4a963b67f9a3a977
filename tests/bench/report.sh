#!/bin/sh
# Benchmark for the report writers: the weekly report of a generated
# store (N activities, default 1000000, N/10 deals, 300 reps in three
# regions) in every format, CPU seconds each, and the PDF and HTML next
# to the text report (budget: PDF at most 2x text).  Usage:
# report-formats.sh [N] (bin/ first on PATH).
set -eu

n=${1:-1000000}
dir=${BENCH_DIR:-build/bench}
mkdir -p "$dir"
db=$dir/report.db
rm -f "$db" "$db-wal" "$db-shm"

# The schema, then rows made in SQL (no import cost here).  Activities
# fall in 2026-W10 (Monday 2 March to Sunday 8 March).
sales-report --db "$db" audit > /dev/null
sqlite3 "$db" "
WITH RECURSIVE i(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM i WHERE k < 300)
INSERT INTO rep (id, name, region)
SELECT printf('R%03d', k), printf('销售%03d', k),
    CASE k % 3 WHEN 0 THEN '华东' WHEN 1 THEN '华北' ELSE '华南' END FROM i;
WITH RECURSIVE i(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM i
    WHERE k < $n / 10)
INSERT INTO deal (id, rep_id, stage, amount_fen, created_on, close_on)
SELECT printf('D%07d', k), printf('R%03d', k % 300 + 1),
    CASE k % 10 WHEN 0 THEN 'won' WHEN 1 THEN 'lost' ELSE 'open' END,
    (k % 97 + 1) * 1000000, printf('2026-%02d-%02d', k % 3 + 1, k % 28 + 1),
    CASE WHEN k % 10 < 2 THEN printf('2026-03-%02d', k % 7 + 2) END FROM i;
WITH RECURSIVE i(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM i WHERE k < $n)
INSERT INTO activity (id, at, on_date, week, type, rep_id, text)
SELECT printf('A%07d', k),
    printf('2026-03-%02dT10:00:00+08:00', k % 7 + 2),
    printf('2026-03-%02d', k % 7 + 2), '2026-W10',
    CASE k % 5 WHEN 0 THEN 'visit' WHEN 1 THEN 'call' WHEN 2 THEN 'wechat'
        WHEN 3 THEN 'email' ELSE 'tech_qa' END,
    printf('R%03d', k % 300 + 1), '客户反馈' FROM i;"

# CPU seconds (user + system): the machine may be shared, so wall-clock
# time would measure the neighbours.  Best of three runs.
cpu() {
	best=
	for try in 1 2 3; do
		/usr/bin/time -f '%U %S' -o "$dir/time" "$@" > "$dir/out" ||
		    { echo "report-formats: $* failed" >&2; exit 1; }
		t=$(awk '{ print $1 + $2 }' "$dir/time")
		best=$(awk -v a="$t" -v b="${best:-$t}" \
		    'BEGIN { print a < b ? a : b }')
	done
	echo "$best"
}
printf '%-6s %8s %10s %8s\n' format "cpu s" bytes "x text"
text=
for f in text md csv jsonl html pdf; do
	s=$(cpu sales-report --db "$db" --week 2026-W10 -f $f weekly)
	[ -n "$text" ] || text=$s
	printf '%-6s %8.2f %10d %8.2f\n' $f "$s" "$(wc -c < "$dir/out")" \
	    "$(awk -v s="$s" -v t="$text" 'BEGIN { print (t > 0 ? s / t : 0) }')"
	eval "t_$f=$s"
done
awk -v p="$t_pdf" -v t="$text" 'BEGIN {
	if (t <= 0) t = 0.01;
	printf "budget: pdf %.2fx the text report (target <= 2): %s\n",
	    p / t, p / t <= 2 ? "PASS" : "FAIL" }'
