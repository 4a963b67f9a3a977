# Shell helpers for the reliability cases (crash, concurrency, disk
# full).  Sourced by their cmd files: . "$TESTDATA"/../reliab/lib.sh
#
# Knobs, all optional:
#   TRIALS=N      kills per crash case (default 8; `make check` runs 50;
#                 3 under VALGRIND=1)
#   ROWS=N        rows of the generated import file (default 10000;
#                 1000 under VALGRIND=1)
#   SEED=N        seed of the random kill moments (default 1)
#   WRITERS=N     concurrent imports in 113-concurrent-writers (default 4)
#   RELIAB_LOG=F  append one line of measurements per case to F
#
# A case prints only what must hold (so that its expected output is the
# same on every run); what varies (how many kills landed before the
# commit, seconds) goes to $RELIAB_LOG.

# Under valgrind every run is some thirty times slower: fewer, smaller.
if [ -n "${VALGRIND:-}" ]; then
	TRIALS=${TRIALS:-3}
	ROWS=${ROWS:-1000}
fi
TRIALS=${TRIALS:-8}
ROWS=${ROWS:-10000}
SEED=${SEED:-1}

# reliab_log LINE: note a measurement.
reliab_log()
{
	[ -n "${RELIAB_LOG:-}" ] && printf '%s\n' "$*" >> "$RELIAB_LOG"
	return 0
}

# now: seconds since the epoch with fractions.
now()
{
	date +%s.%N
}

# elapsed START: seconds since START, three decimals.
elapsed()
{
	awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'
}

# delay TRIAL SECONDS: the moment of trial TRIAL's kill.  Odd trials
# fall anywhere in the run; even ones near its end, where the commit and
# the checkpoint happen.
delay()
{
	awk -v s="$SEED" -v i="$1" -v t="$2" 'BEGIN {
		srand(s * 100003 + i); u = rand()
		if (i % 2) printf "%.3f", u * t * 1.05
		else printf "%.3f", t * (0.7 + 0.4 * u)
	}'
}

# kill_after SECONDS CMD...: run CMD in the background and SIGKILL it
# after SECONDS unless it ended.  Prints "killed" or "finished".
kill_after()
{
	_d=$1
	shift
	"$@" > /dev/null 2>&1 &
	_pid=$!
	sleep "$_d"
	if kill -9 "$_pid" 2> /dev/null; then
		wait "$_pid" 2> /dev/null
		echo killed
	else
		wait "$_pid" 2> /dev/null
		echo finished
	fi
}

# integrity DB: "ok" when SQLite finds the file sound and every foreign
# key resolves.
integrity()
{
	_ic=$(sqlite3 "$1" "PRAGMA integrity_check" 2>&1)
	_fk=$(sqlite3 "$1" "PRAGMA foreign_key_check" 2>&1)
	if [ "$_ic" = ok ] && [ -z "$_fk" ]; then
		echo ok
	else
		printf 'integrity: %s; foreign keys: %s\n' "$_ic" "$_fk"
	fi
}

# gen_leads FILE N PREFIX: a lead file of N rows.
gen_leads()
{
	awk -v n="$2" -v p="$3" 'BEGIN {
		print "线索编号,客户名称,预算(万元),紧急程度,省份,城市,线索来源,到达时间"
		for (i = 1; i <= n; i++)
			printf "%s%06d,示例%s%d科技有限公司,%d,一般,江苏,常州,官网," \
			    "2026-03-02 09:12\n", p, i, p, i, i % 500 + 1
	}' > "$1"
}

# gen_reps FILE N: N active reps, no capacity limit.
gen_reps()
{
	awk -v n="$2" 'BEGIN {
		print "销售,工号,区域,团队,状态"
		split("张伟 王芳 李娜 刘洋 陈静 杨帆 赵敏 黄磊", nm, " ")
		for (i = 1; i <= n; i++)
			printf "%s%d,S%03d,华东,一组,在职\n", nm[(i - 1) % 8 + 1], i, i
	}' > "$1"
}
