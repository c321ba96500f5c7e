#!/bin/sh
# The tracer's benchmarks, bpfkit against bpftrace (when installed) in the
# same run. Needs root.
#
#  1. start to exit: median wall time of `BEGIN { printf("hello\n"); exit(); }`
#     over RUNS runs, and the peak RSS of one run (getrusage of the child);
#  2. cost per event: a tight loop of N getppid() calls (build/tests/workload)
#     timed without tracing and while `sys_enter_getppid { @ = count(); }`
#     runs; (traced - untraced) / N is the time each event adds.
set -eu
BUILD=${BUILD:-build}
BPFKIT=${BPFKIT:-$BUILD/bpfkit}
W=$BUILD/tests/workload
RUNS=${RUNS:-11}
N=${N:-2000000}

if [ "$(id -u)" != 0 ]; then
	echo "== tracer: skipped (needs root)"
	exit 0
fi
if [ ! -x "$W" ]; then
	echo "== tracer: skipped ($W not built: make test-build)"
	exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
	echo "== tracer: skipped (needs python3 for timing and getrusage)"
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

# median_ms_rss CMD...: "median_ms peak_rss_kib" over RUNS runs of CMD.
median_ms_rss() {
	python3 - "$RUNS" "$@" <<'EOF'
import resource, subprocess, sys, time
runs = int(sys.argv[1]); cmd = sys.argv[2:]
times = []
for _ in range(runs):
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    times.append((time.perf_counter() - t) * 1000)
times.sort()
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print("%.1f %d" % (times[len(times) // 2], rss))
EOF
}

# secs CMD...: wall seconds of one run of CMD.
secs() {
	python3 -c 'import subprocess, sys, time
t = time.perf_counter(); subprocess.run(sys.argv[1:], check=True)
print("%.4f" % (time.perf_counter() - t))' "$@"
}

printf '%s\n' "== tracer: start to exit of BEGIN { printf(\"hello\\n\"); exit(); } (median of $RUNS runs)"
printf '%-10s %12s %14s\n' tracer "median ms" "peak RSS KiB"
for name in $tracers; do
	set -- $(median_ms_rss $(argv $name) -e 'BEGIN { printf("hello\n"); exit(); }')
	printf '%-10s %12s %14s\n' "$name" "$1" "$2"
done

echo "== tracer: added ns per event, tracepoint:syscalls:sys_enter_getppid { @ = count(); }, $N getppid() calls"
base=$(secs "$W" getppid "$N")
printf '%-10s %10s %10s %12s\n' tracer "untraced s" "traced s" "ns/event"
tmp=$(mktemp /tmp/bpfkit-tbench-XXXXXX)
trap 'rm -f "$tmp"' EXIT
for name in $tracers; do
	$(argv $name) -e 'tracepoint:syscalls:sys_enter_getppid { @ = count(); }' >"$tmp" 2>&1 &
	pid=$!
	i=0
	while ! grep -q Attaching "$tmp" && [ $i -lt 300 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	traced=$(secs "$W" getppid "$N")
	kill -INT $pid
	wait $pid || true
	python3 -c 'import sys; b, t, n = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
print("%-10s %10.3f %10.3f %12.1f" % (sys.argv[4], b, t, (t - b) * 1e9 / n))' "$base" "$traced" "$N" "$name"
done
