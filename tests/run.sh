#!/bin/sh
# Run every test program and total the results. Each program speaks TAP
# ("ok N - name", "not ok N - name", "... # SKIP reason"); a program that
# exits non-zero without reporting a failure counts as one failure (a crash
# must never pass). The last line is "N passed, N failed, N skipped".
set -u
BUILD=${BUILD:-build}
BPFKIT=${BPFKIT:-$BUILD/bpfkit}
export BPFKIT BUILD
# the conformance suite: $BPF_CONFORMANCE_DIR, else ../shared beside the clone
CONF_DIR=${BPF_CONFORMANCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)/shared/bpf-conformance/tests}
export CONF_DIR
LOGS=$BUILD/test-logs
mkdir -p "$LOGS"
export CMOCKA_MESSAGE_OUTPUT=TAP

pass=0 fail=0 skip=0
failed_names=""

# run NAME CMD...: run one test program, log its output, add up its TAP lines.
run() {
	name=$1; shift
	log=$LOGS/$name.log
	"$@" >"$log" 2>&1
	rc=$?
	p=$(grep -E '^ok ' "$log" | grep -vc '# SKIP')
	s=$(grep -cE '^(not )?ok .*# SKIP' "$log")
	f=$(grep -E '^not ok ' "$log" | grep -vc '# SKIP')
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name exited with status $rc" >>"$log"
		f=1
	fi
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
	printf '%-28s %4d passed, %d failed, %d skipped\n' "$name" "$p" "$f" "$s"
	if [ "$f" -ne 0 ]; then
		failed_names="$failed_names $name"
		grep -E '^not ok|^# ' "$log" | grep -v '# SKIP' | head -n 20 | sed 's/^/    /'
	fi
	grep -E '# SKIP' "$log" | head -n 3 | sed 's/^.*# SKIP/    skip:/'
}

for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] && run "${t##*/}" "$t"
done
# no_suite: the conformance suite is not there. Under CI it must be (a
# missing suite would hide 626 tests), so that is a failure; elsewhere a skip
# with the place it was looked for and how to point at it.
no_suite() {
	if [ "${CI:-}" = true ]; then
		echo "not ok 1 - the bpf-conformance suite is missing: $CONF_DIR (CI=true needs it)"
	else
		echo "ok 1 # SKIP conformance: no bpf-conformance suite at $CONF_DIR (set BPF_CONFORMANCE_DIR)"
	fi
}
if [ -x "$BUILD/tests/conformance" ] && [ ! -d "$CONF_DIR" ]; then
	run conformance no_suite
elif [ -x "$BUILD/tests/conformance" ]; then
	run conformance "$BUILD/tests/conformance" "$CONF_DIR"
	[ "$(uname -m)" = x86_64 ] && run conformance-jit "$BUILD/tests/conformance" --jit "$CONF_DIR"
fi
# the benchmark programs give their C references' results in every engine
[ -x "$BUILD/bench/bench_vm" ] && run bench-check "$BUILD/bench/bench_vm" --check bench/progs
for r in "$BUILD"/fuzz-replay/fuzz_*; do
	[ -x "$r" ] || continue
	n=${r##*/fuzz_}
	run "fuzz-replay-$n" "$r" "fuzz/corpus/$n"
done
for c in tests/cli/*.sh; do
	[ "${c##*/}" = lib.sh ] && continue
	[ -f "$c" ] && run "cli-$(basename "$c" .sh)" sh "$c"
done

echo
[ -n "$failed_names" ] && echo "failed:$failed_names (logs in $LOGS)"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
