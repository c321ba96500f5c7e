#!/bin/sh
# CLI: many syscalls:sys_enter_* / sys_exit_* probes go through one
# dispatcher on raw_syscalls:sys_enter / sys_exit (src/kern/sysdisp.c) and
# must count exactly what the probes attached one by one count. The workload
# (build/tests/workload mix 1) makes 1 getpgid, 2 getsid, 3 uname, 4 fstat,
# 5 stat, 6 lstat, 7 sendfile, 8 umount2 calls (tracepoints named newuname,
# newfstat, newstat, newlstat, sendfile64, umount: a wrong number mapping
# shows) and, where int $0x80 works, 9 ia32 getpid calls (number 20 = writev
# on x86-64: no syscalls:* probe may see them; the workload says how many it
# made, and the expectations follow). It waits on a pipe before and after, so
# only those calls fall between attaching and the tracer's exit (the probe on
# its last, blocking read). Every run is followed by a leak check. Needs
# root, BPF and x86-64; otherwise SKIP with the reason.
. "$(dirname "$0")/lib.sh"

: "${BUILD:=build}"
W="$BUILD/tests/workload"
OBJS="$BUILD/tests/bpf_objects"
case "$W" in /*) ;; *) W="$PWD/$W" ;; esac
tmp=$(mktemp -d /tmp/bpfkit-tsys-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

names="enter enter-verbose exit exit-verbose direct-same direct-verbose layers layers-verbose raw-tp raw-tp-verbose \
	raw-tp-same sigint sigterm failed-attach leaks"
why=$(kernel_why "$W" "$OBJS")
[ -z "$why" ] && [ "$(uname -m)" != x86_64 ] && why="the syscall dispatcher is for x86-64 only"
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
nenter=$("$BPFKIT" trace -l 'tracepoint:syscalls:sys_enter_*' | wc -l)
nexit=$("$BPFKIT" trace -l 'tracepoint:syscalls:sys_exit_*' | wc -l)

# mix SCRIPT [ENV=VALUE...]: trace `workload mix 1` (its pid is $1 of the
# script) with -v; stdout in $out, stderr in $err, exit status in $rc, the
# ia32 calls the workload made in $ia32, and the seconds from the workload's
# release to the tracer's exit in $secs.
mix() {
	_script=$1
	shift
	rm -f "$tmp/go"
	mkfifo "$tmp/go"
	exec 3<>"$tmp/go"
	"$W" mix 1 <&3 >"$tmp/wout" &
	_wpid=$!
	: >"$tmp/out" # before the tracer starts: the wait below must not see the last run's output
	env "$@" timeout 60 "$BPFKIT" trace -v -e "$_script" "$_wpid" >"$tmp/out" 2>"$tmp/err" &
	_tpid=$!
	_i=0
	while ! grep -q Attaching "$tmp/out" && kill -0 $_tpid 2>/dev/null && [ $_i -lt 600 ]; do
		sleep 0.05
		_i=$((_i + 1))
	done
	_t0=$(date +%s.%N)
	printf g >&3
	wait $_tpid
	rc=$?
	secs=$(echo "$(date +%s.%N) $_t0" | awk '{ printf "%.2f", $1 - $2 }')
	printf g >&3
	wait $_wpid
	exec 3>&-
	ia32=$(sed -n 's/^ia32 //p' "$tmp/wout")
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
	leakcheck
}

# the map lines of $out, in printing order
maplines() {
	echo "$out" | grep '^@'
}

stop='tracepoint:syscalls:sys_enter_read /pid == $1/ { exit(); }'
want_enter="@[tracepoint:syscalls:sys_enter_getpgid]: 1
@[tracepoint:syscalls:sys_enter_read]: 1
@[tracepoint:syscalls:sys_enter_getsid]: 2
@[tracepoint:syscalls:sys_enter_newuname]: 3
@[tracepoint:syscalls:sys_enter_newfstat]: 4
@[tracepoint:syscalls:sys_enter_newstat]: 5
@[tracepoint:syscalls:sys_enter_newlstat]: 6
@[tracepoint:syscalls:sys_enter_sendfile64]: 7
@[tracepoint:syscalls:sys_enter_umount]: 8"

mix "tracepoint:syscalls:sys_enter_* /pid == \$1/ { @[probe] = count(); } $stop"
echo "# sys_enter_*: from the workload's release to the tracer's exit: $secs s"
check "enter: exit 0, exact count per probe, no ia32 call seen as writev" eval '[ "$rc" -eq 0 ] &&
	equals "$(maplines)" "$want_enter" && equals "$(echo "$out" | head -n 1)" "Attaching $((nenter + 1)) probes..."'
check "enter: -v says $nenter probes went through 1 dispatcher" \
	contains "$err" "$nenter syscall probes attached through 1 dispatcher on raw_syscalls"

mix "tracepoint:syscalls:sys_exit_* /pid == \$1/ { @[probe, args->ret] = count(); } $stop"
echo "# sys_exit_*: from the workload's release to the tracer's exit: $secs s"
check "exit: exit 0, exact count per probe and return value" eval '[ "$rc" -eq 0 ] && equals "$(maplines)" \
"@[tracepoint:syscalls:sys_exit_getpgid, -3]: 1
@[tracepoint:syscalls:sys_exit_read, 1]: 1
@[tracepoint:syscalls:sys_exit_getsid, -3]: 2
@[tracepoint:syscalls:sys_exit_newuname, 0]: 3
@[tracepoint:syscalls:sys_exit_newfstat, 0]: 4
@[tracepoint:syscalls:sys_exit_newstat, 0]: 5
@[tracepoint:syscalls:sys_exit_newlstat, 0]: 6
@[tracepoint:syscalls:sys_exit_sendfile64, -9]: 7
@[tracepoint:syscalls:sys_exit_umount, -2]: 8"'
check "exit: -v says $nexit probes went through 1 dispatcher" \
	contains "$err" "$nexit syscall probes attached through 1 dispatcher on raw_syscalls"

# The same nine probes (and writev, which must stay silent) attached one by
# one (BPFKIT_SYSCALL_DISPATCH=0) and through the dispatcher: the same output.
list=
for e in getpgid read getsid newuname newfstat newstat newlstat sendfile64 umount writev getpid; do
	list="$list${list:+,}tracepoint:syscalls:sys_enter_$e"
done
mix "$list /pid == \$1/ { @[probe] = count(); } $stop"
disp_out=$out disp_rc=$rc disp_err=$err
mix "$list /pid == \$1/ { @[probe] = count(); } $stop" BPFKIT_SYSCALL_DISPATCH=0
check "direct-same: one by one and through the dispatcher, the same counts" eval '[ "$rc" -eq 0 ] &&
	[ "$disp_rc" -eq 0 ] && equals "$(maplines)" "$want_enter" && equals "$disp_out" "$out"'
check "direct-verbose: -v names the dispatcher only when it is used" eval '
	contains "$disp_err" "11 syscall probes attached through 1 dispatcher" && ! contains "$err" dispatcher >/dev/null'

# Two probes on every sys_enter_* event and one on every sys_exit_*: three
# dispatchers; each probe counts every call once, in its own map.
mix "tracepoint:syscalls:sys_enter_* /pid == \$1/ { @a[probe] = count(); }
	tracepoint:syscalls:sys_enter_* /pid == \$1/ { @b[probe] = count(); }
	tracepoint:syscalls:sys_exit_* /pid == \$1/ { @c[probe] = count(); } $stop"
a=$(echo "$out" | grep '^@a\[' | sed 's/^@a/@/')
b=$(echo "$out" | grep '^@b\[' | sed 's/^@b/@/')
c=$(echo "$out" | grep -c '^@c\[')
check "layers: @a and @b both exact, @c has the 9 exits" eval '[ "$rc" -eq 0 ] && equals "$a" "$want_enter" &&
	equals "$b" "$want_enter" && equals "$c" 9'
check "layers: $((2 * nenter + nexit)) probes through 3 dispatchers" \
	contains "$err" "$((2 * nenter + nexit)) syscall probes attached through 3 dispatchers"

# Ctrl-C and SIGTERM while every sys_enter_* probe is live: END runs, the map
# prints, nothing is left behind
for sig in INT TERM; do
	: >"$tmp/sig.out"
	timeout 60 "$BPFKIT" trace -e 'tracepoint:syscalls:sys_enter_* { @n = count(); } END { printf("end\n"); }' \
		>"$tmp/sig.out" 2>&1 &
	pid=$!
	i=0
	while ! grep -q Attaching "$tmp/sig.out" && [ $i -lt 600 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	sleep 0.3
	kill -$sig $pid
	wait $pid
	rc=$?
	leakcheck
	out=$(cat "$tmp/sig.out")
	name=$(echo "sig$sig" | tr 'A-Z' 'a-z')
	check "$name: exit 0, END ran, the map printed" eval '[ "$rc" -eq 0 ] && contains "$out" "end" &&
		contains "$out" "@n: "'
done

# raw_syscalls:sys_enter reading only args->id (and sys_exit reading no
# field) run as raw tracepoints: the same events, counted exactly, as the
# perf tracepoints a body reading args->args[0] keeps. Numbers are x86-64's:
# getpgid 121, getsid 124, umount2 166, and the ia32 getpid calls as 20 (9, or
# none where int $0x80 faults).
raw='tracepoint:raw_syscalls:sys_enter /pid == $1/ { @[args->id] = count(); }
	tracepoint:raw_syscalls:sys_exit /pid == $1/ { @x = count(); }'
pick() {
	echo "$out" | grep -E '^@\[(121|124|166|20)\]: |^@x: ' | sort
}
# want_raw: what pick must give, from the ia32 calls the last run made
want_raw() {
	printf '@[121]: 1\n@[124]: 2\n@[166]: 8\n'
	[ "${ia32:-0}" -gt 0 ] && printf '@[20]: %s\n' "$ia32"
	printf '@x: %s\n' $((1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + ${ia32:-0} + 1))
}
mix "$raw $stop"
echo "# the workload made ${ia32:-no} ia32 calls"
check "raw-tp: exit 0, exact counts by syscall number, the ia32 calls the workload made included" eval '[ "$rc" -eq 0 ] &&
	equals "$(pick)" "$(want_raw)"'
check "raw-tp: -v says both probes attached as raw tracepoints" eval '
	contains "$err" "tracepoint:raw_syscalls:sys_enter attached as raw tracepoint sys_enter" &&
	contains "$err" "tracepoint:raw_syscalls:sys_exit attached as raw tracepoint sys_exit"'
mix "tracepoint:raw_syscalls:sys_enter /pid == \$1/ { @[args->id] = count(); \$a = args->args[0]; }
	tracepoint:raw_syscalls:sys_exit /pid == \$1/ { @x = count(); \$r = args->ret; } $stop"
check "raw-tp-same: as perf tracepoints (args->args[0], args->ret read), the same counts" eval '[ "$rc" -eq 0 ] &&
	equals "$(pick)" "$(want_raw)" && ! contains "$err" "attached as raw tracepoint" >/dev/null'

# an attach that fails after the dispatcher is live releases it too
err=$(timeout 60 "$BPFKIT" trace -e 'tracepoint:syscalls:sys_enter_* { @ = count(); }
	rawtracepoint:sched_process_free { @x = arg5; }' 2>&1)
rc=$?
leakcheck
check "failed-attach: exit 1 with the reason" eval '[ "$rc" -eq 1 ] &&
	contains "$err" "cannot attach to raw tracepoint sched_process_free"'

check "leaks: no BPF program, map or link left after any run" $leaks_ok
done_testing
