#!/bin/sh
# The public pool (公海), once a day: take back the leads and customers
# reps let lie (reclaim.csv) and route the leads again.  Meant for cron
# every morning, e.g.
#
#   30 7 * * *  DB=/srv/sales/sales.db OUT=/srv/sales/out \
#               /usr/local/share/salestrail/scripts/reclaim.sh
#
# Environment: DB (default ./sales.db), OUT (default ./out): each run's
# JSON lines are appended to $OUT/reclaim.jsonl.  The notices (what
# falls due soon) are printed, so cron mails them to the team; a run
# with none prints nothing.  A store still busy after the timeout
# (exit 3) is tried once more a little later.  Exit status:
# sales-assign's (see its manual).
set -u

DB=${DB:-sales.db}
OUT=${OUT:-out}
PAUSE=${PAUSE:-20}

mkdir -p "$OUT" || exit 4
run=$OUT/reclaim.$$.jsonl
trap 'rm -f "$run"' EXIT
sales-assign -q --db "$DB" reclaim > "$run"
status=$?
if [ $status -eq 3 ]; then
	sleep "$PAUSE"
	sales-assign -q --db "$DB" reclaim > "$run"
	status=$?
fi
cat "$run" >> "$OUT/reclaim.jsonl" || exit 4
grep '"action":"notice"' "$run"
exit $status
