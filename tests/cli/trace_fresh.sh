#!/bin/sh
# CLI: the tracer on a freshly booted machine, where nothing has mounted
# tracefs (or debugfs) yet. Each case runs in a private mount namespace
# (unshare -m) with every tracefs and debugfs unmounted there, so the host's
# mounts and the order of the other tests do not matter, and the host is not
# changed. As root the tracer mounts tracefs itself wherever it needs it (the
# run path, -l, -lv, --info); without root it says why and what to run.
# Needs root, BPF and unshare; otherwise SKIP with the reason.
. "$(dirname "$0")/lib.sh"

: "${BUILD:=build}"
W="$BUILD/tests/workload"
OBJS="$BUILD/tests/bpf_objects"
case "$W" in /*) ;; *) W="$PWD/$W" ;; esac
case "$BPFKIT" in /*) ;; *) BPFKIT="$PWD/$BPFKIT" ;; esac

names="run wildcard list list-verbose info unprivileged-run unprivileged-list leaks"
why=$(kernel_why "$W" "$OBJS")
if [ -z "$why" ] && ! command -v unshare >/dev/null; then
	why="unshare (util-linux) is not installed"
elif [ -z "$why" ] && ! unshare -m --propagation private true 2>/dev/null; then
	why="cannot make a private mount namespace here (unshare -m failed)"
fi
if [ -n "$why" ]; then
	for name in $names; do
		skip "fresh machine: $name" "$why"
	done
	done_testing
	exit 0
fi

# fresh CMD...: run CMD in a new mount namespace without tracefs or debugfs.
# Prints "still mounted" and fails if they cannot be unmounted there.
fresh() {
	unshare -m --propagation private sh -c '
		for i in 1 2 3; do
			awk "\$3 == \"tracefs\" || \$3 == \"debugfs\" { print \$2 }" /proc/self/mounts |
				sort -r | while read -r m; do umount "$m" 2>/dev/null || umount -l "$m"; done
		done
		if grep -qE " (tracefs|debugfs) " /proc/self/mounts; then echo "still mounted"; exit 99; fi
		exec "$@"' sh "$@"
}

# as nobody, in a fresh namespace (setpriv drops every capability)
fresh_nobody() {
	fresh setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$@"
}

bpf_objs_baseline "$OBJS"
leaks_ok=true

out=$(fresh "$BPFKIT" trace -e 'tracepoint:syscalls:sys_enter_getpgid /pid == cpid/ { @ = count(); }' \
	-c "$W getpgid 7" 2>&1)
rc=$?
bpf_objs_same || leaks_ok=false
check "run: as root the tracer mounts tracefs and counts exactly" eval '[ "$rc" -eq 0 ] &&
	contains "$out" "@: 7"'

out=$(fresh "$BPFKIT" trace -e 'tracepoint:syscalls:sys_enter_getpg* /pid == cpid/ { @[probe] = count(); }' \
	-c "$W getpgid 3" 2>&1)
rc=$?
bpf_objs_same || leaks_ok=false
check "wildcard: a wildcard expands through the tracefs it mounted" eval '[ "$rc" -eq 0 ] &&
	contains "$out" "@[tracepoint:syscalls:sys_enter_getpgid]: 3"'

out=$(fresh "$BPFKIT" trace -l 'tracepoint:sched:sched_switch' 2>&1)
check "list: -l finds tracepoints" equals "$out" "tracepoint:sched:sched_switch"
out=$(fresh "$BPFKIT" trace -lv 'tracepoint:sched:sched_switch' 2>&1)
check "list-verbose: -lv gives the fields" contains "$out" "    pid_t prev_pid"
out=$(fresh "$BPFKIT" trace --info 2>&1)
check "info: --info finds tracefs" contains "$out" "tracefs: /sys/kernel/tracing"

out=$(fresh_nobody "$BPFKIT" trace -e 'tracepoint:syscalls:sys_enter_getppid { @ = count(); }' 2>&1)
rc=$?
check "unprivileged-run: exit 1, says tracefs is not mounted and mounting it needs root" eval '[ "$rc" -eq 1 ] &&
	contains "$out" "tracefs is not mounted, and mounting it needs root (mount -t tracefs nodev /sys/kernel/tracing)"'
out=$(fresh_nobody "$BPFKIT" trace -l 'tracepoint:sched:*' 2>&1)
rc=$?
check "unprivileged-list: exit 1 with the reason" eval '[ "$rc" -ne 0 ] &&
	contains "$out" "tracefs is not mounted, and mounting it needs root"'

check "leaks: no BPF program, map or link left after any run" $leaks_ok
done_testing
