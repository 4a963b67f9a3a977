# The drill-down fixture (sales-report drill): five reps in three
# regions and two stores, targets in 万元 for March and the first
# quarter (华北 has none), eight deals, ten activities, two of which
# sales-voc tags 价格异议 (A5, A6).  The numbers each case expects are
# worked out in its cmd.
sales-ingest -q --db "$DB" "$TESTDATA"/drill/reps.csv \
    "$TESTDATA"/drill/units.csv "$TESTDATA"/drill/targets.csv \
    "$TESTDATA"/drill/deals.csv "$TESTDATA"/drill/activities.jsonl &&
    sales-voc -q --db "$DB" scan > /dev/null
