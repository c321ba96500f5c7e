#!/bin/sh
# CLI: kernel structs from the kernel's BTF in `bpfkit trace`: casts to struct
# pointers, member access through kernel pointers (curtask) and user
# pointers (syscall arguments), enum constants, signed division, compile
# errors with their hints, and Debian's bpftrace tools naptime.bt and
# runqlat.bt (in /usr/sbin when bpftrace is installed) run unchanged. -d and
# the errors need only /sys/kernel/btf/vmlinux; the runs need root and BPF,
# and each is followed by a leak check. Otherwise SKIP with the reason.
. "$(dirname "$0")/lib.sh"

: "${BUILD:=build}"
W="$BUILD/tests/workload"
OBJS="$BUILD/tests/bpf_objects"
case "$W" in /*) ;; *) W="$PWD/$W" ;; esac
tmp=$(mktemp -d /tmp/bpfkit-tstr-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# ---- anywhere with BTF: -d and compile errors ----------------------------------------------
if [ ! -r /sys/kernel/btf/vmlinux ]; then
	for name in d-offsets d-user-read d-enum error-struct error-member error-dot; do
		skip "btf: $name" "no readable /sys/kernel/btf/vmlinux"
	done
else
	out=$("$BPFKIT" trace -d -e 'BEGIN { printf("%d\n", ((struct task_struct *)curtask)->real_parent->pid); }' 2>&1)
	rc=$?
	check "-d: task_struct->real_parent->pid reads kernel memory twice" eval '[ "$rc" -eq 0 ] &&
		[ "$(echo "$out" | grep -c "call bpf_probe_read_kernel")" -eq 2 ] &&
		! contains "$out" probe_read_user >/dev/null'
	out=$("$BPFKIT" trace -d -e 'tracepoint:syscalls:sys_enter_nanosleep { @ = args->rqtp->tv_nsec; }' 2>&1)
	rc=$?
	check "-d: a syscall argument's struct is user memory" eval '[ "$rc" -eq 0 ] &&
		contains "$out" "call bpf_probe_read_user"'
	out=$("$BPFKIT" trace -d -e 'BEGIN { @ = TCP_CLOSE + sizeof(struct list_head); }' 2>&1)
	rc=$?
	check "-d: enumerators and sizeof from BTF are constants (TCP_CLOSE = 7, list_head 16)" eval '[ "$rc" -eq 0 ] &&
		contains "$out" "r6 = 7" && contains "$out" "r6 += 16"'
	err=$("$BPFKIT" trace -d -e 'BEGIN { $t = (struct task_strct *)curtask; }' 2>&1)
	rc=$?
	check "unknown struct: exit 1, line:col, nearest name" eval '[ "$rc" -eq 1 ] &&
		contains "$err" "stdin:1:15: error: unknown struct '\''task_strct'\''; did you mean '\''task_struct'\''?"'
	err=$("$BPFKIT" trace -d -e 'BEGIN { @ = ((struct task_struct *)curtask)->pidd; }' 2>&1)
	rc=$?
	check "unknown member: nearest name and the members" eval '[ "$rc" -eq 1 ] &&
		contains "$err" "struct task_struct has no member '\''pidd'\''; did you mean '\''pid'\''?" &&
		contains "$err" "note: its members are: "'
	err=$("$BPFKIT" trace -d -e 'BEGIN { $t = (struct task_struct *)curtask; @ = $t.pid; }' 2>&1)
	rc=$?
	check "'.' on a pointer: use '->'" eval '[ "$rc" -eq 1 ] && contains "$err" "with '\''.'\'': use '\''->'\''"'
fi

# ---- the kernel ----------------------------------------------------------------------------------
names="task comm-parent nanosleep-user sdiv naptime runqlat leaks"
why=$(kernel_why "$W" "$OBJS")
[ -z "$why" ] && [ ! -r /sys/kernel/btf/vmlinux ] && why="no readable /sys/kernel/btf/vmlinux"
if [ -n "$why" ]; then
	for name in $names; do
		skip "kernel: $name" "$why"
	done
	done_testing
	exit 0
fi

bpf_objs_baseline "$OBJS"
leaks_ok=true
leakcheck() { bpf_objs_same || leaks_ok=false; }

# curtask as a task_struct: its pid/tgid are the thread/process ids, its comm
# the comm builtin, its parent the tracer (-c runs the command as a child)
out=$(timeout 60 "$BPFKIT" trace -e 'tracepoint:syscalls:sys_enter_getpgid /pid == cpid && args->pid == 424242/ {
	$t = (struct task_struct *)curtask;
	@same[$t->pid == tid, $t->tgid == pid, $t->comm == comm] = count();
	@parent[$t->real_parent->comm, $t->real_parent->tgid > 1] = count(); }' -c "$W getpgid 10" 2>&1); rc=$?
leakcheck
check "curtask: ->pid == tid, ->tgid == pid, ->comm == comm (10 calls)" eval '[ "$rc" -eq 0 ] &&
	equals "$(echo "$out" | grep "^@same")" "@same[1, 1, 1]: 10"'
check "curtask: ->real_parent->comm is the tracer" \
	equals "$(echo "$out" | grep "^@parent")" "@parent[bpfkit, 1]: 10"

# a user pointer: the timespec of nanosleep(), through args and through a cast
out=$(timeout 60 "$BPFKIT" trace -e 'tracepoint:syscalls:sys_enter_nanosleep /pid == cpid/ {
	$ts = (struct __kernel_timespec *)args->rqtp;
	@[args->rqtp->tv_sec, $ts->tv_nsec / 1000000] = count(); }' -c "$W nanosleep 1250 2" 2>&1); rc=$?
leakcheck
check "nanosleep: args->rqtp->tv_sec and a (struct __kernel_timespec *) cast" eval '[ "$rc" -eq 0 ] &&
	equals "$(echo "$out" | grep "^@")" "@[1, 250]: 2"'

# signed division and modulo truncate toward zero (bpftrace 0.17 divides
# unsigned and warns, see docs/lang-compiler.md)
out=$(timeout 20 "$BPFKIT" trace -e 'BEGIN { $a = -7; printf("%d %d %d %d %d\n", $a / 2, $a % 2, 7 / -2, $a / -2,
	(uint64)$a / 2 > 0); exit(); }' 2>&1); rc=$?
leakcheck
check "signed / and %: -7/2 = -3, -7%2 = -1, 7/-2 = -3, -7/-2 = 3; unsigned stays unsigned" eval '[ "$rc" -eq 0 ] &&
	equals "$(echo "$out" | sed -n 2p)" "-3 -1 -3 3 1"'

# Debian's bpftrace tools, unchanged
if [ -r /usr/sbin/naptime.bt ]; then
	out=$(timeout 60 "$BPFKIT" trace /usr/sbin/naptime.bt -c "$W nanosleep 300 2" 2>&1); rc=$?
	leakcheck
	n=$(echo "$out" | grep -cE "^[0-9]{2}:[0-9]{2}:[0-9]{2} [0-9]+ +bpfkit +[0-9]+ +workload +0\.300$")
	check "naptime.bt: two sleeps of 0.300 s by workload, parent bpfkit (got $n)" eval '[ "$rc" -eq 0 ] &&
		[ "$n" -eq 2 ] && contains "$out" "TIME     PPID   PCOMM            PID    COMM             SECONDS"'
else
	skip "kernel: naptime" "/usr/sbin/naptime.bt is not installed (Debian's bpftrace)"
fi
if [ -r /usr/sbin/runqlat.bt ]; then
	out=$(timeout 60 "$BPFKIT" trace /usr/sbin/runqlat.bt -c "$W nanosleep 5 40" 2>&1); rc=$?
	leakcheck
	check "runqlat.bt: runs (TASK_RUNNING from <linux/sched.h>) and prints the @usecs histogram" eval '[ "$rc" -eq 0 ] &&
		contains "$out" "Tracing CPU scheduler... Hit Ctrl-C to end." && contains "$out" "@usecs:" &&
		echo "$out" | grep -qE "^\[[0-9KM]+(, [0-9KM]+\))? +[0-9]+ \|@*"'
else
	skip "kernel: runqlat" "/usr/sbin/runqlat.bt is not installed (Debian's bpftrace)"
fi

check "no BPF program, map or link left after any run" $leaks_ok

done_testing
