# The forecast fixture: two reps, five deals (F1 is the worked example:
# NDA on 2026-02-09, tech review on Thursday 2026-02-12, no L/C yet,
# just before the Spring Festival break and its make-up Saturday).
sales-ingest -q --db "$DB" "$TESTDATA"/forecast/reps.csv \
    "$TESTDATA"/forecast/deals.csv "$TESTDATA"/forecast/activities.jsonl
