# Reference for `make bench`: Python's csv module and sqlite3, one
# transaction, WAL, synchronous=NORMAL; the same table shape as floor.c.
# usage: python3 ref_csv.py file.csv db
import csv
import sqlite3
import sys

path, dbpath = sys.argv[1], sys.argv[2]
db = sqlite3.connect(dbpath, isolation_level=None)
db.execute("PRAGMA journal_mode = WAL")
db.execute("PRAGMA synchronous = NORMAL")
with open(path, newline="", encoding="utf-8") as f:
    rd = csv.reader(f)
    hdr = next(rd)
    cols = ", ".join("c%d TEXT" % (i + 1) for i in range(1, len(hdr)))
    db.execute("CREATE TABLE t (c1 TEXT PRIMARY KEY NOT NULL, %s)" % cols)
    sql = "INSERT INTO t VALUES (%s)" % ", ".join("?" * len(hdr))
    db.execute("BEGIN IMMEDIATE")
    db.executemany(sql, rd)
    db.execute("COMMIT")
print(db.execute("SELECT count(*) FROM t").fetchone()[0])
