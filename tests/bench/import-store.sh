#!/bin/sh
# The sqlite3 CLI's way into a salestrail store: .import the bench's
# activity CSV into a temporary table, INSERT ... SELECT it into the
# activity table (the date and week cut from the time, names for ids),
# with the table's plain indexes set aside and built again before the
# commit, as sales-ingest loads a big file.  A reference for make bench.
#
# usage: import-store.sh store0.db db activities.csv
set -e
cp "$1" "$2"
drops=$(sqlite3 "$2" "SELECT 'DROP INDEX ' || name || ';' FROM
    sqlite_schema WHERE type = 'index' AND tbl_name = 'activity' AND
    sql IS NOT NULL")
makes=$(sqlite3 "$2" "SELECT sql || ';' FROM sqlite_schema WHERE
    type = 'index' AND tbl_name = 'activity' AND sql IS NOT NULL")
[ -n "$drops" ] || { echo "import-store: $2: not a store" >&2; exit 1; }
exec sqlite3 "$2" "PRAGMA synchronous = NORMAL" "BEGIN" "$drops" \
    ".import --csv --schema temp $3 t" \
    "INSERT INTO import_batch (id, file, started_at) VALUES (1, '.import', '')" \
    "INSERT INTO activity (id, at, on_date, week, type, rep_id,
        customer_id, deal_id, text, note, batch_id, src_row)
     SELECT 跟进编号, 跟进时间, substr(跟进时间, 1, 10),
        substr(跟进时间, 1, 8), 跟进方式, 销售, 客户名称,
        nullif(商机编号, ''), 跟进内容, 备注, 1, rowid + 1 FROM temp.t" \
    "$makes" "COMMIT"
