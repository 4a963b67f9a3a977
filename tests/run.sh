#!/bin/sh
# Run every test: the unit programs (TAP), then each CLI case directory.
# Prints "ok N - name" / "not ok N - name" (with a diff) and ends with
# one line "N passed, N failed, N skipped"; exits non-zero on failure.
#
# A CLI case is tests/cli/<command>/<NNN-what>/ holding:
#   cmd              one shell script, run in a fresh copy of the case
#                    directory with $DB a fresh database path, $SHARED the
#                    shared corpus folder (when present) and build/bin first
#                    on PATH, under LC_ALL=C TZ=UTC
#   expect.stdout    expected standard output (absent: must be empty)
#   expect.stderr    expected standard error (absent: must be empty)
#   expect.status    expected exit status (absent: 0)
#   needs-shared     present: skip the case when the shared corpus is absent
# A cmd that exits 77 (and has no expect.status) is skipped: the first
# line of its stdout says why (no root for a mount, say).
# $TESTDATA is tests/data; SALES_TODAY and SALES_NOW pin "today".
# BLESS=1 rewrites the expect.* files from what the commands print.
# VALGRIND=1 runs every command under valgrind memcheck.
#
# Arguments pick parts: a CLI case by its path or a prefix of it
# (cli/sales-report, sales-ingest/033, tests/cli/sales-voc/001-b31-offsets),
# a unit program by name (t_csv) or all of them (units), the man pages
# (man).  Without arguments everything runs.

top=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) bdir=$BUILD ;; *) bdir=$top/$BUILD ;; esac
bin=$bdir/bin
pass=0 fail=0 skip=0 n=0

if [ -z "${SHARED:-}" ]; then
	if [ -d "$top/../shared/corpus" ]; then
		SHARED=$(cd "$top/../shared" && pwd)
	else
		SHARED=
	fi
fi
export SHARED

tmproot=$(mktemp -d "${TMPDIR:-/tmp}/sales-tests.XXXXXX")
failed_dirs=

# Valgrind wrappers go first on PATH, as git's t/valgrind does.  Each
# hands valgrind the bare command name and lets it search a PATH that
# starts with the build's bin, so that the program sees the argv[0] a
# shell would give it (getopt's messages name it).
if [ -n "${VALGRIND:-}" ]; then
	mkdir -p "$tmproot/vgbin"
	for b in "$bin"/*; do
		name=$(basename "$b")
		cat > "$tmproot/vgbin/$name" <<VG
#!/bin/sh
PATH="$bin:\$PATH" exec valgrind -q --error-exitcode=126 \
    --leak-check=full --show-leak-kinds=definite \
    --errors-for-leak-kinds=definite "$name" "\$@"
VG
		chmod +x "$tmproot/vgbin/$name"
	done
	runpath=$tmproot/vgbin:$bin
	# Memcheck runs a program 20 to 50 times slower, so writers that
	# wait for each other wait that much longer: the cases that test the
	# busy timeout itself set their own.
	SALES_BUSY_TIMEOUT=${SALES_BUSY_TIMEOUT:-300000}
	export SALES_BUSY_TIMEOUT
else
	runpath=$bin
fi

# wanted KIND NAME: whether the arguments select this part.
wanted() {
	[ -z "$picks" ] && return 0
	for p in $picks; do
		p=${p#tests/}; p=${p#cli/}; p=${p%/}
		case $1 in
		unit) case $p in units|unit|"$2") return 0 ;; esac ;;
		man) [ "$p" = man ] && return 0 ;;
		cli) case $2 in "$p"*) return 0 ;; esac ;;
		esac
	done
	return 1
}
picks="$*"

# Unit tests.
for t in "$bdir"/tests/t_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	wanted unit "$name" || continue
	out=$(cd "$top" && SHARED=$SHARED $t 2>&1)
	status=$?
	# Each TAP line is one test.
	ok=$(printf '%s\n' "$out" | grep -c '^ok ' )
	sk=$(printf '%s\n' "$out" | grep -c '^ok .*# SKIP')
	nok=$(printf '%s\n' "$out" | grep -c '^not ok ')
	ok=$((ok - sk))
	pass=$((pass + ok)); skip=$((skip + sk)); fail=$((fail + nok))
	if [ "$nok" -gt 0 ] || [ $status -ne 0 ]; then
		[ "$nok" -eq 0 ] && fail=$((fail + 1))
		printf '%s\n' "$out" | grep -A3 '^not ok' | sed "s/^/$name: /"
		[ $status -ne 0 ] && [ "$nok" -eq 0 ] &&
		    printf '%s\n' "$out" | tail -5 | sed "s/^/$name: /"
		echo "not ok - $name ($nok failed, exit $status)"
	else
		echo "ok - $name ($ok tests)"
	fi
done

# Man pages: mandoc -T lint must be silent.
if command -v mandoc >/dev/null 2>&1 && wanted man man; then
	for m in "$top"/man/*.[157]; do
		[ -f "$m" ] || continue
		out=$(mandoc -T lint -W warning "$m" 2>&1)
		if [ -z "$out" ]; then
			pass=$((pass + 1))
			echo "ok - mandoc lint $(basename "$m")"
		else
			fail=$((fail + 1))
			echo "not ok - mandoc lint $(basename "$m")"
			printf '%s\n' "$out" | sed 's/^/#   /'
		fi
	done
fi

# CLI cases.
for dir in "$top"/tests/cli/*/*/; do
	[ -f "$dir/cmd" ] || continue
	case=${dir#"$top"/tests/cli/}
	case=${case%/}
	wanted cli "$case" || continue
	n=$((n + 1))
	if [ -f "$dir/needs-shared" ] && [ -z "$SHARED" ]; then
		echo "ok $n - $case # SKIP no shared corpus"
		skip=$((skip + 1))
		continue
	fi
	work=$tmproot/$(echo "$case" | tr / _)
	mkdir -p "$work"
	cp -R "$dir". "$work"/
	(
		cd "$work" || exit 99
		PATH=$runpath:$PATH DB=$work/sales.db LC_ALL=C TZ=UTC \
		    SALES_TODAY=2026-03-16 SALES_NOW=2026-03-16T09:00:00+08:00 \
		    SALES_RULES=$top/share/rules HOME=$work \
		    TESTDATA=$top/tests/data \
		    sh ./cmd > "$work/got.stdout" 2> "$work/got.stderr"
		echo $? > "$work/got.status"
	)
	if [ "$(cat "$work/got.status")" = 77 ] && [ ! -f "$dir/expect.status" ]
	then
		echo "ok $n - $case # SKIP $(head -n 1 "$work/got.stdout")"
		skip=$((skip + 1))
		rm -rf "$work"
		continue
	fi
	if [ -n "${BLESS:-}" ]; then
		for f in stdout stderr; do
			if [ -s "$work/got.$f" ]; then
				cp "$work/got.$f" "$dir/expect.$f"
			else
				rm -f "$dir/expect.$f"
			fi
		done
		if [ "$(cat "$work/got.status")" != 0 ]; then
			cp "$work/got.status" "$dir/expect.status"
		else
			rm -f "$dir/expect.status"
		fi
	fi
	ok=1
	: > "$work/diff"
	for f in stdout stderr; do
		if [ -f "$dir/expect.$f" ]; then
			want=$dir/expect.$f
		else
			want=/dev/null
		fi
		diff -u "$want" "$work/got.$f" >> "$work/diff" 2>&1 || ok=0
	done
	want_status=0
	[ -f "$dir/expect.status" ] && want_status=$(cat "$dir/expect.status")
	got_status=$(cat "$work/got.status")
	if [ "$want_status" != "$got_status" ]; then
		echo "status: want $want_status, got $got_status" >> "$work/diff"
		ok=0
	fi
	if [ $ok = 1 ]; then
		echo "ok $n - $case"
		pass=$((pass + 1))
		rm -rf "$work"
	else
		echo "not ok $n - $case (kept in $work)"
		sed 's/^/#   /' "$work/diff" | head -60
		fail=$((fail + 1))
		failed_dirs=1
	fi
done

[ -z "$failed_dirs" ] && rm -rf "$tmproot"
echo "$pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
