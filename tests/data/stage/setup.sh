# The stage fixture: 16 deals in every stage and their activities, with
# the evidence files copied where the activities name them (relative
# paths are read from the current directory).
cp "$TESTDATA"/stage/stamp-q6.pdf "$TESTDATA"/stage/stamp-q7.pdf . &&
sales-ingest -q --db "$DB" "$TESTDATA"/stage/deals.csv \
    "$TESTDATA"/stage/activities.jsonl
