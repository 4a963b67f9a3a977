#!/bin/sh
# Route the leads that came in since the last run.  Meant for cron every
# five minutes, e.g.
#
#   */5 * * * *  DB=/srv/sales/sales.db OUT=/srv/sales/out \
#                /usr/local/share/salestrail/scripts/assign-leads.sh
#
# Environment: DB (default ./sales.db), OUT (default ./out): each run's
# JSON lines are appended to $OUT/assignments.jsonl.  Runs that overlap
# wait for each other; a store still busy after the timeout (exit 3) is
# tried once more a little later.  Quiet unless something is wrong, so
# cron mails only trouble.  Exit status: sales-assign's (see its manual).
set -u

DB=${DB:-sales.db}
OUT=${OUT:-out}
PAUSE=${PAUSE:-20}

mkdir -p "$OUT" || exit 4
sales-assign -q --db "$DB" >> "$OUT/assignments.jsonl"
status=$?
if [ $status -eq 3 ]; then
	sleep "$PAUSE"
	sales-assign -q --db "$DB" >> "$OUT/assignments.jsonl"
	status=$?
fi
exit $status
