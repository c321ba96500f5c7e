#!/bin/sh
# The tracer's benchmarks, bpfkit against bpftrace (when installed) in the
# same run. Needs root.
#
#  1. start to exit: median wall time of `BEGIN { printf("hello\n"); exit(); }`
#     over RUNS runs, and the peak RSS over them (wait4 of each child, through
#     build/bench/runcmd, so no interpreter's pages are counted);
#  2. cost per event, for each of three one-liners on a getppid-heavy load:
#     a tight loop of N getppid() calls (build/tests/workload) timed (median of
#     REPS runs) without tracing and while the one-liner runs;
#     (traced - untraced) / N is the time each event adds.
set -eu
BUILD=${BUILD:-build}
BPFKIT=${BPFKIT:-$BUILD/bpfkit}
W=$BUILD/tests/workload
R=$BUILD/bench/runcmd
RUNS=${RUNS:-11}
REPS=${REPS:-3}
N=${N:-2000000}

if [ "$(id -u)" != 0 ]; then
	echo "== tracer: skipped (needs root)"
	exit 0
fi
if [ ! -x "$W" ] || [ ! -x "$R" ]; then
	echo "== tracer: skipped ($W or $R not built)"
	exit 0
fi
tracers=bpfkit
if command -v bpftrace >/dev/null 2>&1; then
	tracers="$tracers bpftrace"
fi

# argv NAME: the command line prefix that runs tracer NAME.
argv() {
	if [ "$1" = bpfkit ]; then
		echo "$BPFKIT trace"
	else
		command -v bpftrace
	fi
}

# ms CMD...: median wall milliseconds of REPS runs of CMD.
ms() {
	"$R" -q -n "$REPS" "$@" | cut -d' ' -f1
}

printf '%s\n' "== tracer: start to exit of BEGIN { printf(\"hello\\n\"); exit(); } (median of $RUNS runs)"
printf '%-10s %12s %14s\n' tracer "median ms" "peak RSS KiB"
for name in $tracers; do
	set -- $("$R" -q -n "$RUNS" $(argv $name) -e 'BEGIN { printf("hello\n"); exit(); }')
	printf '%-10s %12s %14s\n' "$name" "$1" "$2"
done

tmp=$(mktemp /tmp/bpfkit-tbench-XXXXXX)
trap 'rm -f "$tmp"' EXIT
base=$(ms "$W" getppid "$N")
for prog in 'sys_enter_getppid { @ = count(); }' 'sys_enter_getppid { @[comm] = count(); }' \
	'sys_exit_getppid { @[tid] = hist(args->ret); }'; do
	echo "== tracer: added ns per event, tracepoint:syscalls:$prog, $N getppid() calls"
	printf '%-10s %12s %12s %12s\n' tracer "untraced ms" "traced ms" "ns/event"
	for name in $tracers; do
		$(argv $name) -e "tracepoint:syscalls:$prog" >"$tmp" 2>&1 &
		pid=$!
		i=0
		while ! grep -q Attaching "$tmp" && [ $i -lt 300 ]; do
			sleep 0.05
			i=$((i + 1))
		done
		sleep 0.2 # bpftrace prints "Attaching" before its last attach
		traced=$(ms "$W" getppid "$N")
		kill -INT $pid
		wait $pid || true
		awk -v b="$base" -v t="$traced" -v n="$N" -v name="$name" \
			'BEGIN { printf "%-10s %12.1f %12.1f %12.1f\n", name, b, t, (t - b) * 1e6 / n }'
	done
done

# 3. attach + detach of every syscalls:sys_enter_* tracepoint: the whole run
#    of a script that exits 100 ms after attaching (attaching is ~20 ms for
#    bpfkit; nearly all the rest is detaching: see docs/kern.md).
n=$("$BPFKIT" trace -l 'tracepoint:syscalls:sys_enter_*' | wc -l)
echo "== tracer: run with all $n syscalls:sys_enter_* attached, exit after 100 ms (mostly detach time)"
printf '%-10s %12s\n' tracer "seconds"
for name in $tracers; do
	t=$("$R" -q -n 1 $(argv $name) -e 'tracepoint:syscalls:sys_enter_* { @ = count(); } interval:ms:100 { exit(); }' | cut -d' ' -f1)
	awk -v t="$t" -v name="$name" 'BEGIN { printf "%-10s %12.2f\n", name, t / 1000 }'
done
