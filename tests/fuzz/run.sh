#!/bin/sh
# Run libFuzzer targets for $FUZZ_SECONDS each (default 60).
#
#	tests/fuzz/run.sh build/fuzz/fuzz_csv ...
#
# Each target's corpus lives in build/fuzz/corpus/<target>/ and keeps
# growing between runs.  It is seeded, at run time, with the files of
# tests/data/fuzz/<target>/ (kept regression inputs) and with the files
# of tests/data and share, and of $SHARED/corpus (../shared/corpus when
# present), whose names match a pattern of tests/fuzz/<target>.seeds
# (one find -name pattern a line).  fuzz_xlsx gets the XML parts of each
# seed workbook too.
# tests/fuzz/<target>.dict, when present, is the fuzzer's dictionary;
# tests/fuzz/<target>.options holds further libFuzzer flags.
# A crash leaves its input in build/fuzz/crashes/<target>/ and makes
# the script exit 1 after the remaining targets ran.

top=$(cd "$(dirname "$0")/../.." && pwd)
if [ -z "${SHARED:-}" ] && [ -d "$top/../shared/corpus" ]; then
	SHARED=$(cd "$top/../shared" && pwd)
fi
secs=${FUZZ_SECONDS:-60}
out=$top/build/fuzz
status=0
total=0

seed() {
	# $1 target, $2 directory to search
	[ -f "$top/tests/fuzz/$1.seeds" ] && [ -d "$2" ] || return 0
	grep -v '^#' "$top/tests/fuzz/$1.seeds" | while read -r pat; do
		[ -n "$pat" ] || continue
		find "$2" -type f -name "$pat" -size -1024k | while read -r f; do
			cp "$f" "$corpus/seed-$(printf '%s' "$f" |
			    cksum | cut -d' ' -f1)-$(basename "$f")"
		done
	done
}

for bin in "$@"; do
	t=$(basename "$bin")
	corpus=$out/corpus/$t
	crashes=$out/crashes/$t
	mkdir -p "$corpus" "$crashes"
	[ -d "$top/tests/data/fuzz/$t" ] &&
	    cp "$top/tests/data/fuzz/$t"/* "$corpus"/ 2>/dev/null
	seed "$t" "$top/tests/data"
	seed "$t" "$top/share"
	[ -n "${SHARED:-}" ] && seed "$t" "$SHARED/corpus"
	# fuzz_xlsx also takes a workbook's XML parts (see fuzz_xlsx.c):
	# give it those of every seed workbook, which mutate far better.
	if [ "$t" = fuzz_xlsx ] && command -v python3 >/dev/null; then
		python3 - "$corpus" <<'EOF'
import glob, sys, zipfile
names = ["xl/workbook.xml", "xl/worksheets/sheet1.xml",
         "xl/sharedStrings.xml", "xl/styles.xml",
         "xl/worksheets/sheet2.xml", "xl/_rels/workbook.xml.rels"]
for path in glob.glob(sys.argv[1] + "/seed-*.xlsx"):
    try:
        with zipfile.ZipFile(path) as z:
            have = set(z.namelist())
            parts = [z.read(n) if n in have else b"" for n in names]
    except Exception:
        continue
    if sum(map(len, parts)) < (1 << 20):
        with open(path[:-5] + ".parts", "wb") as f:
            f.write(b"\n|PART|\n".join(parts))
EOF
	fi
	dict=
	[ -f "$top/tests/fuzz/$t.dict" ] && dict=-dict=$top/tests/fuzz/$t.dict
	opts=
	[ -f "$top/tests/fuzz/$t.options" ] &&
	    opts=$(grep -v '^#' "$top/tests/fuzz/$t.options")
	log=$out/$t.log
	# The sanitizers' own leak and error reports are findings too.
	"$bin" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 \
	    -print_final_stats=1 -artifact_prefix="$crashes/" $dict $opts \
	    "$corpus" > "$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	total=$((total + ${execs:-0}))
	if [ $rc -ne 0 ]; then
		echo "fuzz: $t: FAILED after ${execs:-?} executions (exit $rc);" \
		    "input in $crashes, log $log"
		grep -E 'ERROR|SUMMARY|invariant|Test unit written' "$log" |
		    head -10 | sed 's/^/fuzz:   /'
		status=1
	else
		echo "fuzz: $t: ${execs:-?} executions in ${secs}s, no crash" \
		    "($(ls "$corpus" | wc -l) inputs in corpus)"
	fi
done
echo "fuzz: $total executions in all"
exit $status
