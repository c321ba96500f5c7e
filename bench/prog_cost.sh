#!/bin/sh
# The tracer's per-event cost as the kernel measures it (issue 15): each
# program's own run time, run_time_ns / run_cnt, with the kernel's BPF
# statistics on (sysctl kernel.bpf_stats_enabled=1 for the run, restored
# after), bpfkit against bpftrace in the same run. Whole-syscall timing
# (trace_bench.sh) cannot resolve a program's cost here: a getppid() costs
# about 1.2 us and runs vary by more than most programs cost.
#
# For each one-liner and tracer: start the tracer, wait for its BEGIN line,
# run N getppid() calls (build/tests/workload, pinned to the last CPU), read
# run_time_ns and run_cnt of the programs the tracer loaded (the ids that
# were not there before it started, through bpftool), stop it. Best (lowest
# ns/run) of ROUNDS rounds. "net" subtracts the same tracer's empty program,
# which is the statistics' own two clock reads and the call into the program.
# Needs root and bpftool; bpftrace when installed.
set -eu
BUILD=${BUILD:-build}
BPFKIT=${BPFKIT:-$BUILD/bpfkit}
W=$BUILD/tests/workload
N=${N:-200000}
ROUNDS=${ROUNDS:-3}

if [ "$(id -u)" != 0 ]; then
	echo "== tracer program cost: skipped (needs root)"
	exit 0
fi
if ! command -v bpftool >/dev/null 2>&1 || [ ! -x "$W" ]; then
	echo "== tracer program cost: skipped (needs bpftool and $W)"
	exit 0
fi
wpin=
if command -v taskset >/dev/null 2>&1 && [ "$(nproc)" -ge 2 ]; then
	wpin="taskset -c $(($(nproc) - 1))"
fi
tracers=bpfkit
command -v bpftrace >/dev/null 2>&1 && tracers="$tracers bpftrace"

old_stats=$(cat /proc/sys/kernel/bpf_stats_enabled)
tmp=$(mktemp /tmp/bpfkit-pcost-XXXXXX)
trap 'echo "$old_stats" >/proc/sys/kernel/bpf_stats_enabled; rm -f "$tmp" "$tmp.ids"' EXIT INT TERM
echo 1 >/proc/sys/kernel/bpf_stats_enabled

ids() {
	bpftool prog show | sed -n 's/^\([0-9][0-9]*\): .*/\1/p' | sort
}

# cost TRACER PROG: "ns_per_run insns" of the busiest program TRACER loaded for PROG.
cost() {
	ids >"$tmp.ids"
	: >"$tmp"
	case $1 in
	bpfkit) $BPFKIT trace -e "$2 BEGIN { printf(\"begun\\n\"); }" >"$tmp" 2>&1 & ;;
	bpftrace) bpftrace -e "$2 BEGIN { printf(\"begun\\n\"); }" >"$tmp" 2>&1 & ;;
	esac
	pid=$!
	i=0
	while ! grep -q begun "$tmp" && [ $i -lt 3000 ]; do
		sleep 0.01
		i=$((i + 1))
	done
	$wpin "$W" getppid "$N" >/dev/null
	best_cnt=0 best=
	for id in $(ids | comm -13 "$tmp.ids" -); do
		line=$(bpftool prog show id "$id" 2>/dev/null | tr '\n' ' ')
		cnt=$(echo "$line" | sed -n 's/.*run_cnt \([0-9]*\).*/\1/p')
		ns=$(echo "$line" | sed -n 's/.*run_time_ns \([0-9]*\).*/\1/p')
		insns=$(bpftool prog dump xlated id "$id" 2>/dev/null | grep -cE '^ *[0-9]+:')
		if [ -n "$cnt" ] && [ "$cnt" -gt "$best_cnt" ]; then
			best_cnt=$cnt
			best=$(awk -v ns="$ns" -v c="$cnt" -v i="$insns" 'BEGIN { printf "%.1f %d", ns / c, i }')
		fi
	done
	kill -INT $pid
	wait $pid || true
	echo "${best:-nan 0}"
}

# best TRACER PROG: the lowest ns/run of ROUNDS rounds, with its insns.
best() {
	b=
	r=0
	while [ $r -lt "$ROUNDS" ]; do
		v=$(cost "$1" "$2")
		b=$(printf '%s\n%s\n' "$v" "$b" | awk 'NF == 2 && $1 != "nan"' | sort -n | head -1)
		r=$((r + 1))
	done
	echo "${b:-nan 0}"
}

echo "== tracer program cost: ns per run from the kernel's bpf_stats, $N getppid() calls, best of $ROUNDS rounds"
for t in $tracers; do
	eval "empty_$t=\$(best $t 'tracepoint:syscalls:sys_enter_getppid { }' | cut -d' ' -f1)"
done
for t in $tracers; do
	eval "printf 'empty program (sys_enter_getppid { }): %s %s ns/run\n' $t \$empty_$t"
done
printf '%-52s %-9s %8s %8s %6s\n' "program" tracer "ns/run" "net ns" insns
for prog in 'tracepoint:syscalls:sys_enter_getppid { @ = count(); }' \
	'tracepoint:syscalls:sys_enter_getppid { @[comm] = count(); }' \
	'tracepoint:syscalls:sys_exit_getppid { @[tid] = hist(args->ret); }' \
	'tracepoint:syscalls:sys_exit_getppid { @[comm, pid] = sum(args->ret); }' \
	'tracepoint:syscalls:sys_exit_getppid { @ = lhist(args->ret, 0, 100000, 1000); }' \
	'tracepoint:syscalls:sys_enter_getppid { @[kstack] = count(); }'; do
	for t in $tracers; do
		set -- $(best "$t" "$prog")
		eval "e=\$empty_$t"
		net=$(awk -v a="$1" -v e="$e" 'BEGIN { printf "%.1f", a - e }')
		printf '%-52s %-9s %8s %8s %6s\n' "$(echo "$prog" | sed 's/^tracepoint:syscalls://' | cut -c1-52)" "$t" "$1" "$net" "$2"
	done
done
