# A small closed history for backtests: H1 won (NDA, then tech review
# with no L/C confirmation), H2 lost with nothing done, H3 won with every
# milestone; collections in March 2026.
sales-ingest -q --db "$DB" "$TESTDATA"/forecast/reps.csv \
    "$TESTDATA"/forecast/history/deals.csv \
    "$TESTDATA"/forecast/history/activities.jsonl \
    "$TESTDATA"/forecast/history/payments.csv
