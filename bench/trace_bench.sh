#!/bin/sh
# The tracer's benchmarks, bpfkit against bpftrace (when installed) in the
# same run. Needs root.
#
#  1. start to exit: median wall time of `BEGIN { printf("hello\n"); exit(); }`
#     over RUNS runs, and the peak RSS over them (wait4 of each child, through
#     build/bench/runcmd, so no interpreter's pages are counted);
#  2. cost per event, for an empty program (the attach point's own cost: the
#     kernel's perf tracepoint path, the same for every tracer), for each
#     of three one-liners on a getppid-heavy load, and for the main job's
#     raw_syscalls:sys_enter { @[comm] = count(); } (which bpfkit attaches as
#     a raw tracepoint):
#     a tight loop of N getppid() calls (build/tests/workload) timed (median of
#     REPS runs) without tracing and while the one-liner runs, in ROUNDS
#     rounds that take turns (untraced, then each tracer), keeping the fastest
#     of each: other load on the machine only ever adds time;
#     (traced - untraced) / N is the time each event adds. With two CPUs or
#     more the loop runs on the last CPU and the tracer on CPU 0 (PIN=0 turns
#     this off): the tracer's own process then never shares the loop's CPU,
#     which made bpftrace's figures swing by 2x between runs. The last one-liner
#     is the wildcard sys_enter_* { @[probe] = count(); } (one program per
#     syscall): bpfkit through its syscall dispatcher, "bpfkit-direct" with
#     each probe on its own perf event (BPFKIT_SYSCALL_DISPATCH=0), bpftrace;
#  3. all syscalls:sys_enter_* probes: attach time (start to BEGIN's output)
#     and the whole run of a script that exits 100 ms after attaching, most of
#     which is detaching, for the same three (docs/kern.md).
set -eu
BUILD=${BUILD:-build}
BPFKIT=${BPFKIT:-$BUILD/bpfkit}
W=$BUILD/tests/workload
R=$BUILD/bench/runcmd
RUNS=${RUNS:-11}
REPS=${REPS:-3}
ROUNDS=${ROUNDS:-3}
N=${N:-2000000}
PIN=${PIN:-1}
wpin= tpin=
if [ "$PIN" = 1 ] && command -v taskset >/dev/null 2>&1 && [ "$(nproc)" -ge 2 ]; then
	wpin="taskset -c $(($(nproc) - 1))"
	tpin="taskset -c 0"
fi

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
	case $1 in
	bpfkit) echo "$BPFKIT trace" ;;
	bpfkit-direct) echo "env BPFKIT_SYSCALL_DISPATCH=0 $BPFKIT trace" ;;
	*) command -v bpftrace ;;
	esac
}

# wait_for PATTERN FILE: until FILE has a line matching PATTERN (at most 30 s).
wait_for() {
	_i=0
	while ! grep -q "$1" "$2" && [ $_i -lt 3000 ]; do
		sleep 0.01
		_i=$((_i + 1))
	done
}

# traced NAME PROG: wall ms of the loop while tracer NAME runs PROG (from
# BEGIN's output on: both tracers run BEGIN once every probe is attached).
traced() {
	: >"$tmp" # before the tracer starts: wait_for must not see the last run's output
	$tpin $(argv $1) -e "$2 BEGIN { printf(\"begun\\n\"); }" >"$tmp" 2>&1 &
	pid=$!
	wait_for begun "$tmp"
	ms $wpin "$W" getppid "$N"
	kill -INT $pid
	wait $pid || true
}

# min A B: the smaller of two millisecond figures (B may be empty).
min() {
	awk -v a="$1" -v b="$2" 'BEGIN { print (b == "" || a + 0 < b + 0) ? a : b }'
}

# per_event PROG TRACERS...: the ns/event table of PROG for each tracer.
per_event() {
	prog=$1
	shift
	best_base=
	for name in "$@"; do eval "best_$(echo $name | tr - _)="; done
	r=0
	while [ $r -lt "$ROUNDS" ]; do
		best_base=$(min "$(ms $wpin "$W" getppid "$N")" "$best_base")
		for name in "$@"; do
			v=best_$(echo $name | tr - _)
			eval "$v=\$(min \"\$(traced $name \"\$prog\")\" \"\$$v\")"
		done
		r=$((r + 1))
	done
	for name in "$@"; do
		eval "t=\$best_$(echo $name | tr - _)"
		awk -v b="$best_base" -v t="$t" -v n="$N" -v name="$name" \
			'BEGIN { printf "%-14s %12.1f %12.1f %12.1f\n", name, b, t, (t - b) * 1e6 / n }'
	done
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
for prog in 'syscalls:sys_enter_getppid { }' 'syscalls:sys_enter_getppid { @ = count(); }' \
	'syscalls:sys_enter_getppid { @[comm] = count(); }' 'syscalls:sys_exit_getppid { @[tid] = hist(args->ret); }' \
	'raw_syscalls:sys_enter { @[comm] = count(); }'; do
	echo "== tracer: added ns per event, tracepoint:$prog, $N getppid() calls, best of $ROUNDS rounds${wpin:+, loop pinned to CPU ${wpin##* }, tracer to CPU 0}"
	printf '%-14s %12s %12s %12s\n' tracer "untraced ms" "traced ms" "ns/event"
	per_event "tracepoint:$prog" $tracers
done
wild="$(echo $tracers | sed 's/bpfkit/bpfkit bpfkit-direct/')"
prog='tracepoint:syscalls:sys_enter_* { @[probe] = count(); }'
echo "== tracer: added ns per event, $prog, $N getppid() calls, best of $ROUNDS rounds${wpin:+, pinned as above}"
printf '%-14s %12s %12s %12s\n' tracer "untraced ms" "traced ms" "ns/event"
per_event "$prog" $wild

# 3. attach + detach of every syscalls:sys_enter_* tracepoint: attach is the
#    time from the start to BEGIN's output (both tracers run BEGIN once every
#    probe is attached); run is the whole run of a script that exits 100 ms
#    after attaching, nearly all the rest of which is detaching.
n=$("$BPFKIT" trace -l 'tracepoint:syscalls:sys_enter_*' | wc -l)
echo "== tracer: all $n syscalls:sys_enter_* attached: attach time, and the run of a script that exits after 100 ms (mostly detach)"
printf '%-14s %12s %12s\n' tracer "attach s" "run s"
for name in $wild; do
	: >"$tmp"
	t0=$(date +%s%N)
	$(argv $name) -e 'tracepoint:syscalls:sys_enter_* { @ = count(); } BEGIN { printf("begun\n"); }
		interval:ms:100 { exit(); }' >"$tmp" 2>&1 &
	pid=$!
	wait_for begun "$tmp"
	t1=$(date +%s%N)
	wait $pid || true
	t2=$(date +%s%N)
	awk -v a="$(((t1 - t0) / 1000000))" -v t="$(((t2 - t0) / 1000000))" -v name="$name" \
		'BEGIN { printf "%-14s %12.2f %12.2f\n", name, a / 1000, t / 1000 }'
done

# 4. a user-stack profile of a process that spins 3 s in a known call chain
#    (tests/ustack/callchain): the whole run (3 s of sampling, then the maps
#    printed once the process has exited), the samples and stacks printed,
#    and how many of their frames have names (bpftrace reads a process's
#    mappings only when it prints, after this one has exited).
CC_BIN=$BUILD/tests/ustack/callchain
if [ -x "$CC_BIN" ]; then
	prog='profile:hz:999 /pid == cpid/ { @[ustack] = count(); }'
	echo "== tracer: $prog on callchain spin 3000"
	printf '%-14s %10s %10s %10s %14s\n' tracer "run s" samples stacks "named frames"
	for name in $tracers; do
		t0=$(date +%s%N)
		$(argv $name) -e "$prog" -c "$CC_BIN spin 3000" >"$tmp" 2>&1 || true
		t1=$(date +%s%N)
		awk -v t="$(((t1 - t0) / 1000000))" -v name="$name" '
			/^@\[$/ { keys++ } /^]: / { n += $2 } /^    / { f++; if ($1 !~ /^0x/) named++ }
			END { printf "%-14s %10.2f %10d %10d %8d of %d\n", name, t / 1000, n, keys, named, f }' "$tmp"
	done
fi
