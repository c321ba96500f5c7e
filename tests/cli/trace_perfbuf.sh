#!/bin/sh
# CLI: the perf-buffer fallback for kernels without BPF ring buffers (before
# 5.8). BPFKIT_NO_RINGBUF=1 forces it on this kernel: events go through
# perf_event_output() into a perf event array, read with libbpf's perf_buffer,
# and records the buffer refuses are still counted exactly. -d runs anywhere;
# the kernel checks need root and BPF (SKIP with the reason otherwise).
. "$(dirname "$0")/lib.sh"

: "${BUILD:=build}"
W="$BUILD/tests/workload"
OBJS="$BUILD/tests/bpf_objects"
case "$W" in /*) ;; *) W="$PWD/$W" ;; esac
tmp=$(mktemp -d /tmp/bpfkit-tperf-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export BPFKIT_NO_RINGBUF=1

out=$("$BPFKIT" trace -d -e 'BEGIN { printf("x %d\n", 1); }'); rc=$?
check "-d: the events map is a perf event array" eval '[ "$rc" -eq 0 ] &&
	contains "$out" "map events perf_event_array key_size=4 value_size=4 max_entries=0"'
check "-d: perf_event_output(ctx, events, BPF_F_CURRENT_CPU, record, size)" contains "$out" "   4: r1 = r9
   5: r2 = map[events] ll
   7: w3 = -1
   8: r4 = r10
   9: r4 += -16
  10: r5 = 16
  11: call bpf_perf_event_output
  12: if r0 == 0x0 goto +10"
check "-d: no ring buffer" eval '! contains "$out" "ringbuf" >/dev/null'
out=$(BPFKIT_NO_RINGBUF=0 "$BPFKIT" trace -d -e 'BEGIN { printf("x %d\n", 1); }')
check "-d: BPFKIT_NO_RINGBUF=0 keeps the ring buffer" contains "$out" "map events ringbuf"

why=$(kernel_why "$W" "$OBJS")
if [ -n "$why" ]; then
	for name in printf begin-end lost leaks; do
		skip "kernel (perf buffer): $name" "$why"
	done
	done_testing
	exit 0
fi

before=$("$OBJS")
# printf per event, and BEGIN/END records (programs run with BPF_PROG_TEST_RUN)
out=$(timeout 60 "$BPFKIT" trace -e 'BEGIN { printf("begin %d\n", 7); }
tracepoint:syscalls:sys_enter_openat /pid == cpid/ { printf("open %s %d\n", str(args->filename), args->flags); }
END { printf("end\n"); }' -c "$W openat $tmp/f 5" 2>&1); rc=$?
check "printf: exit 0 and 5 lines for the file" eval '[ "$rc" -eq 0 ] &&
	[ "$(echo "$out" | grep -c "^open $tmp/f 0\$")" -eq 5 ]'
check "begin-end: BEGIN first, END last" eval '[ "$(echo "$out" | sed -n 2p)" = "begin 7" ] &&
	[ "$(echo "$out" | grep -v "^\$" | tail -n 1)" = "end" ]'

# lost records: stdout is a pipe nobody reads for 2 s; every event is printed
# or counted lost, exactly, as with the ring buffer.
# The workload runs under a name of its own (a copy, "wl" and this shell's
# pid), so that other runs on the machine making the same calls do not count.
cp "$W" "$tmp/wl$$"
printf '#!/bin/sh\n"%s" getpgid 100000\nexec "%s" sleep 3500\n' "$tmp/wl$$" "$W" >"$tmp/drops.sh"
chmod +x "$tmp/drops.sh"
(timeout 60 "$BPFKIT" trace -e 'tracepoint:syscalls:sys_enter_getpgid /comm == "'"wl$$"'" && args->pid == 424242/ {
	printf("x %d\n", args->pid); } END { printf("end\n"); }' -c "$tmp/drops.sh" 2>"$tmp/drops.err"
	echo "rc=$?" >>"$tmp/drops.err") | (sleep 2; cat) >"$tmp/drops.out"
got=$(grep -c '^x 424242$' "$tmp/drops.out")
lost=$(sed -n 's/^Lost \([0-9]*\) events$/\1/p' "$tmp/drops.out" | awk '{ n += $1 } END { print n + 0 }')
check "lost: printed + lost = 100000 (printed $got, lost $lost)" eval '[ "$lost" -gt 0 ] &&
	[ $((got + lost)) -eq 100000 ] && contains "$(cat "$tmp/drops.err")" "rc=0"'

# nothing left in the kernel (maps are freed a little after the last close;
# other BPF users may come and go, so fewer than before is fine)
i=0
while [ $i -lt 30 ]; do
	now=$("$OBJS")
	echo "$now $before" | awk '{ exit !($2 <= $8 && $4 <= $10 && $6 <= $12) }' && break
	sleep 0.1
	i=$((i + 1))
done
check "leaks: no program, map or link left (before: $before; after: $now)" [ $i -lt 30 ]
done_testing
