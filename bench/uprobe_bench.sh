#!/bin/sh
# Uprobes, bpfkit against bpftrace (when installed) in the same run. Needs root.
#
#  1. start to exit of `uprobe:FILE:FUNC { @ = count(); } BEGIN { exit(); }`:
#     resolving FILE, reading its symbol table, compiling, loading, attaching
#     the uprobe, BEGIN, detaching; median wall time of RUNS runs and the
#     peak RSS over them, and the median CPU time (user + system: what other
#     load on the machine hardly changes) (build/bench/runcmd: wait4 of each
#     child), for bash's
#     readline (a 1.2 MB executable) and libc's malloc by bare name (2,700
#     symbols) (targets: <= 10 ms and <= 8 MB);
#  2. the cost of a hit: build/tests/uprobe/target N calls uf_add() N times;
#     its wall time (median of REPS runs) untraced and while each tracer
#     counts the calls, (traced - untraced) / N: the kernel's uprobe (a trap
#     into the kernel and back) plus the program.
set -eu
BUILD=${BUILD:-build}
BPFKIT=${BPFKIT:-$BUILD/bpfkit}
R=$BUILD/bench/runcmd
T=$BUILD/tests/uprobe/target
RUNS=${RUNS:-11}
REPS=${REPS:-3}
N=${N:-200000}
case "$T" in /*) ;; *) T="$PWD/$T" ;; esac

if [ "$(id -u)" != 0 ]; then
	echo "== uprobes: skipped (needs root)"
	exit 0
fi
if [ ! -x "$R" ] || [ ! -x "$T" ]; then
	echo "== uprobes: skipped ($R or $T not built)"
	exit 0
fi
tracers=bpfkit
command -v bpftrace >/dev/null 2>&1 && tracers="$tracers bpftrace"
argv() {
	case $1 in
	bpfkit) echo "$BPFKIT trace" ;;
	*) command -v bpftrace ;;
	esac
}

for probe in uprobe:/bin/bash:readline uprobe:libc:malloc; do
	echo "== uprobes: start to exit of '$probe { @ = count(); } BEGIN { exit(); }' (median of $RUNS runs)"
	printf '%-10s %12s %12s %14s\n' tracer "median ms" "CPU ms" "peak RSS KiB"
	for name in $tracers; do
		set -- $("$R" -q -n "$RUNS" $(argv $name) -e "$probe { @ = count(); } BEGIN { exit(); }")
		printf '%-10s %12s %12s %14s\n' "$name" "$1" "$3" "$2"
	done
done

tmp=$(mktemp /tmp/bpfkit-ubench-XXXXXX)
trap 'rm -f "$tmp"' EXIT
ms() {
	"$R" -q -n "$REPS" "$@" | cut -d' ' -f1
}
echo "== uprobes: added ns per hit, uprobe:$T:uf_add { @ = count(); }, $N calls"
printf '%-10s %12s %12s %12s\n' tracer "untraced ms" "traced ms" "ns/hit"
base=$(ms "$T" "$N")
for name in $tracers; do
	: >"$tmp"
	$(argv $name) -e "uprobe:$T:uf_add { @ = count(); } BEGIN { printf(\"begun\\n\"); }" >"$tmp" 2>&1 &
	pid=$!
	i=0
	while ! grep -q begun "$tmp" && [ $i -lt 3000 ]; do sleep 0.01; i=$((i + 1)); done
	t=$(ms "$T" "$N")
	kill -INT $pid
	wait $pid || true
	awk -v b="$base" -v t="$t" -v n="$N" -v name="$name" \
		'BEGIN { printf "%-10s %12.1f %12.1f %12.1f\n", name, b, t, (t - b) * 1e6 / n }'
done
