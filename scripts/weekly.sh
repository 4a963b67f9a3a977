#!/bin/sh
# The Monday pipeline: import every file of an inbox into the store,
# route the new leads to reps, then write the weekly report.  Ready for
# cron, e.g.
#
#   30 6 * * 1  DB=/srv/sales/sales.db INBOX=/srv/sales/inbox \
#               OUT=/srv/sales/out /usr/local/share/salestrail/scripts/weekly.sh
#
# Environment: DB (default ./sales.db), INBOX (default ./inbox), OUT
# (default ./out), WEEK (default: the last complete ISO week), MONTH
# (reconciled; default: the month before today).
# --fresh starts from an empty store.  The report is printed and kept in
# $OUT/weekly-WEEK.{txt,md,csv,html,pdf} (the HTML and PDF ready to mail:
# one file each, charts inside), followed by the deals stuck in their
# stage, grouped by the gate they wait for ($OUT/stuck-WEEK.{txt,jsonl});
# the audit of data that contradicts itself goes to
# $OUT/audit-WEEK.{txt,jsonl}, last month's collections against plan and
# forecast to $OUT/reconcile-MONTH.{txt,html};
# rejected rows go to $OUT/rejects.csv, lead assignments to
# $OUT/assignments.jsonl; the forecast is stored as a snapshot as of
# the week's Sunday, before the report weighs the pipeline by it
# ($OUT/forecast-WEEK.jsonl says how many deals).  No store and nothing
# to import is an error (exit 4), never an empty report.
# Exit status: the worst of the steps (see sales-ingest(1)).
set -u

DB=${DB:-sales.db}
INBOX=${INBOX:-inbox}
OUT=${OUT:-out}
WEEK=${WEEK:-}

if [ "${1:-}" = --fresh ]; then
	rm -f "$DB" "$DB-wal" "$DB-shm"
fi
mkdir -p "$OUT" "$(dirname "$DB")" || exit 4
status=0
worst() {
	[ "$1" -gt "$status" ] && status=$1
	return 0
}

# Import everything in the inbox; each file is its own transaction, so a
# bad file is reported and rolled back while the others go in.
# A glob, not find | sort: names with spaces ("华东 周报.xlsx") stay whole.
set --
for f in "$INBOX"/*; do
	[ -f "$f" ] && set -- "$@" "$f"
done
if [ $# -gt 0 ]; then
	sales-ingest --db "$DB" --rejects "$OUT/rejects.csv" "$@" \
	    > "$OUT/import.jsonl"
	worst $?
elif [ -d "$INBOX" ]; then
	echo "weekly.sh: no files in $INBOX: nothing imported" >&2
else
	echo "weekly.sh: no inbox $INBOX (INBOX names it): nothing imported" >&2
fi
if [ ! -f "$DB" ]; then
	echo "weekly.sh: no store $DB: nothing was ever imported into it" >&2
	exit 4
fi

# Route the week's new leads by share/rules/assign.csv (every lead not
# yet given to a rep); the assignments are kept in $OUT.
sales-assign -q --db "$DB" > "$OUT/assignments.jsonl"
worst $?

# Customer voice: every activity not yet scanned gets its tags, tasks
# and playbooks by share/rules/voc.csv; the hits are kept in $OUT.
sales-voc -q --db "$DB" scan > "$OUT/voc.jsonl"
worst $?

# The last complete ISO week, in the zone the reports use, names the
# files (weekly-2026-W10.pdf), so that last week's are kept.
today=${SALES_TODAY:-$(TZ=${SALES_TZ:-Asia/Shanghai} date +%F)}
[ -z "$WEEK" ] && WEEK=$(date -d "$today -7 days" +%G-W%V 2>/dev/null)
week_opt=
[ -n "$WEEK" ] && week_opt="--week $WEEK"
label=${WEEK:-last}

# Store the forecast as of the week's Sunday, before the report that
# weighs its pipeline by it (once per day and rules, so a rerun adds
# nothing); reconcile reads these snapshots later.  The Sunday of ISO
# week Y-Www: the Monday of week 1 is the one on or before 4 January.
asof_opt=
if [ -n "$WEEK" ]; then
	y=${WEEK%-W*}
	w=${WEEK#*-W}
	w=${w#0}
	dow=$(date -d "$y-01-04" +%u 2>/dev/null) &&
	    sunday=$(date -d "$y-01-04 -$((dow - 1)) days +$(((w - 1) * 7 + 6)) days" +%F 2>/dev/null) &&
	    asof_opt="--as-of $sunday"
fi
# shellcheck disable=SC2086
sales-forecast --db "$DB" $asof_opt snapshot > "$OUT/forecast-$label.jsonl"
worst $?
for fmt in txt md csv html pdf; do
	# shellcheck disable=SC2086
	sales-report --db "$DB" $week_opt -o "$OUT/weekly-$label.$fmt" weekly
	worst $?
done
cat "$OUT/weekly-$label.txt"

# Stuck deals as of today: longer in their stage than stages.csv allows,
# by the first gate they fail.
sales-stage --db "$DB" stuck > "$OUT/stuck-$label.jsonl"
worst $?
sales-stage --db "$DB" --table stuck > "$OUT/stuck-$label.txt"
worst $?
if [ -s "$OUT/stuck-$label.txt" ]; then
	printf '\nStuck deals (longer in their stage than stages.csv allows)\n'
	cat "$OUT/stuck-$label.txt"
fi
# Data that lies (contacted without content, stale deals, amounts that
# changed silently, ...): findings are not a failure of the pipeline.
sales-report --db "$DB" -o "$OUT/audit-$label.txt" audit
worst $?
sales-report --db "$DB" -o "$OUT/audit-$label.jsonl" audit
worst $?
if [ -s "$OUT/audit-$label.jsonl" ]; then
	printf '\nAudit: %d findings, see %s\n' \
	    "$(wc -l < "$OUT/audit-$label.jsonl")" "$OUT/audit-$label.txt"
fi
# Last month's plan and forecast against what was collected, per deal
# with the cause of each gap.
# MONTH (default: the month before today, or before SALES_TODAY).
month=${MONTH:-$(date -d "${today%-*}-01 -1 day" +%Y-%m 2>/dev/null)}
if [ -n "$month" ]; then
	for fmt in txt html; do
		sales-report --db "$DB" --month "$month" \
		    -o "$OUT/reconcile-$month.$fmt" reconcile
		worst $?
	done
fi
exit "$status"
