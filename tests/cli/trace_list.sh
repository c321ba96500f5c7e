#!/bin/sh
# CLI: bpfkit trace -l / -lv / -j / --info, and the messages for what is not
# built yet. A fake tracefs (BPFKIT_TRACEFS) makes most checks run anywhere;
# the checks against the live kernel SKIP unless root with tracefs.
. "$(dirname "$0")/lib.sh"

data=$(cd "$(dirname "$0")/../data/kern" && pwd)
tmp=$(mktemp -d /tmp/bpfkit-trace-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# fake tracefs: two sched events, one syscall, ftrace's own event
for e in sched/sched_switch sched/sched_process_exec syscalls/sys_enter_openat ftrace/funcgraph_entry; do
	mkdir -p "$tmp/events/$e"
	cp "$data/$(echo "$e" | tr / _).format" "$tmp/events/$e/format"
done
echo 0 >"$tmp/events/enable"
export BPFKIT_TRACEFS="$tmp"

out=$("$BPFKIT" trace --help); rc=$?
check "--help exits 0" [ "$rc" -eq 0 ]
check "--help shows -l" contains "$out" "    -l [search]    list probes"

"$BPFKIT" trace >/dev/null 2>&1; rc=$?
check "no arguments is a usage error (2)" [ "$rc" -eq 2 ]

out=$("$BPFKIT" trace -d -e 'BEGIN { exit(); }' 2>&1); rc=$?
check "-d compiles without root or kernel (0)" [ "$rc" -eq 0 ]
check "-d prints the BEGIN program" contains "$out" "BEGIN"
err=$("$BPFKIT" trace no-such-script.bt 2>&1 >/dev/null); rc=$?
check "a missing FILE fails (1)" [ "$rc" -eq 1 ]
check "a missing FILE is named" contains "$err" "cannot read no-such-script.bt"

out=$("$BPFKIT" trace -l 't:sched:*'); rc=$?
check "-l t:sched:* exits 0" [ "$rc" -eq 0 ]
check "-l t:sched:* lists the sched events, sorted" equals "$out" "tracepoint:sched:sched_process_exec
tracepoint:sched:sched_switch"

out=$("$BPFKIT" trace -l 'tracepoint:*')
check "ftrace's events are not tracepoints" equals "$(echo "$out" | grep -c ftrace)" 0
check "-l tracepoint:* lists three" equals "$(echo "$out" | wc -l | tr -d ' ')" 3

out=$("$BPFKIT" trace -l 'tracepoint:syscalls:sys_enter_*,t:sched:sched_switch' BEGIN)
check "',' and several patterns" equals "$out" "BEGIN
tracepoint:sched:sched_switch
tracepoint:syscalls:sys_enter_openat"

out=$("$BPFKIT" trace -lv t:syscalls:sys_enter_openat)
check "-lv prints the args as bpftrace does" equals "$out" "tracepoint:syscalls:sys_enter_openat
    int __syscall_nr
    int dfd
    const char * filename
    int flags
    umode_t mode"

out=$("$BPFKIT" trace -lv t:sched:sched_process_exec)
check "-lv shows __data_loc fields as declared" contains "$out" "    __data_loc char[] filename"

out=$("$BPFKIT" trace -l -j 't:sched:sched_switch')
check "-j is a JSON list" equals "$out" '[{"probe":"tracepoint:sched:sched_switch","type":"tracepoint"}]'
out=$("$BPFKIT" trace -lv -f json 't:sched:sched_switch')
check "-f json -v has the args" contains "$out" '{"name":"prev_comm","type":"char","decl":"char prev_comm[16]","kind":"array","offset":8,"size":16,"signed":false,"array_len":16,"string":true}'

if [ -d /sys/bus/event_source/devices/software ]; then
	out=$("$BPFKIT" trace -l 's:cpu*')
	check "software events" equals "$out" "software:cpu-clock:
software:cpu-migrations:"
else
	skip "software events" "no perf software PMU here"
fi

err=$("$BPFKIT" trace -l 'tracepont:sched:*' 2>&1 >/dev/null); rc=$?
check "an unknown type fails (1)" [ "$rc" -eq 1 ]
check "an unknown type gets a suggestion" contains "$err" "did you mean 'tracepoint'?"

out=$("$BPFKIT" trace -l 't:nothing:here' 2>"$tmp/err"); rc=$?
check "no match: exit 1, nothing listed, the pattern named on stderr" eval '[ "$rc" -eq 1 ] && equals "$out" "" &&
	equals "$(cat "$tmp/err")" "bpfkit: error: no probe matches '\''t:nothing:here'\''"'
out=$("$BPFKIT" trace -l BEGIN 'zz*' 2>"$tmp/err"); rc=$?
check "one of two patterns matches: exit 0, a warning names the other" eval '[ "$rc" -eq 0 ] && equals "$out" BEGIN &&
	equals "$(cat "$tmp/err")" "bpfkit: warning: no probe matches '\''zz*'\''"'
# a pattern that only kprobes could match, on a kernel without kprobes: why
kinfo=$("$BPFKIT" trace --info 2>/dev/null | grep '^ *kprobe ')
case "$kinfo" in
*"kprobes are not available on this kernel"*)
	out=$("$BPFKIT" trace -l 'k*' 2>"$tmp/err"); rc=$?
	check "-l 'k*' without kprobes: exit 1, the kernel's reason" eval '[ "$rc" -eq 1 ] && equals "$out" "" &&
		equals "$(cat "$tmp/err")" "bpfkit: error: no probe matches '\''k*'\''
note: this kernel cannot list or run kprobe probes: ${kinfo#*no: }"' ;;
*) skip "-l 'k*' without kprobes" "this kernel has kprobes" ;;
esac

err=$(BPFKIT_TRACEFS=/nonexistent "$BPFKIT" trace -l 't:sched:*' 2>&1 >/dev/null); rc=$?
check "a tracefs without events fails" [ "$rc" -eq 1 ]
check "... and says so" contains "$err" "no events/"

out=$("$BPFKIT" trace --info); rc=$?
check "--info exits 0" [ "$rc" -eq 0 ]
check "--info reports kprobes" contains "$out" "kprobe "
out=$("$BPFKIT" trace --info -j)
check "--info -j is JSON" contains "$out" '"features":[{"name":"bpf","available":'

# ---- the live kernel ----
unset BPFKIT_TRACEFS
tfs=/sys/kernel/tracing
if [ "$(id -u)" != 0 ]; then
	skip "live tracefs" "not root"
elif ! out=$("$BPFKIT" trace -l 'tracepoint:syscalls:sys_enter_openat' 2>&1); then
	skip "live tracefs" "$out"
else
	check "live: sys_enter_openat is listed" equals "$out" "tracepoint:syscalls:sys_enter_openat"
	[ -r $tfs/available_events ] || tfs=/sys/kernel/debug/tracing
	n=$("$BPFKIT" trace -l 'tracepoint:*' | wc -l)
	check "live: as many tracepoints as available_events" equals "$n" "$(wc -l <$tfs/available_events)"
	out=$("$BPFKIT" trace -lv 'tracepoint:syscalls:sys_enter_openat')
	check "live: -lv shows filename" contains "$out" "    const char * filename"
	# as nobody (setpriv), a root-only tracefs: the message names what is missing
	if command -v setpriv >/dev/null 2>&1 && id nobody >/dev/null 2>&1 && [ "$(stat -c %a $tfs)" = 700 ]; then
		pdir=$(mktemp -d /tmp/bpfkit-priv-XXXXXX)
		chmod 755 "$pdir"
		cp "$BPFKIT" "$pdir/bpfkit"
		err=$(setpriv --reuid=nobody --regid=nogroup --clear-groups "$pdir/bpfkit" trace -l 't:sched:*' 2>&1); rc=$?
		rm -rf "$pdir"
		check "live: -l as nobody names tracefs's mode and CAP_DAC_READ_SEARCH" eval '[ "$rc" -eq 1 ] &&
			contains "$err" "cannot read tracefs at $tfs (mode 0700, owner root), where tracepoints are described: it lacks CAP_DAC_READ_SEARCH"'
	else
		skip "live: -l as nobody" "no setpriv, no user nobody, or $tfs is not the default 0700"
	fi
	if command -v bpftrace >/dev/null 2>&1; then
		want=$(bpftrace -lv 'tracepoint:sched:*' 2>/dev/null)
		got=$("$BPFKIT" trace -lv 'tracepoint:sched:*')
		check "live: -lv tracepoint:sched:* is bpftrace's output" equals "$got" "$want"
	else
		skip "bpftrace comparison" "bpftrace is not installed"
	fi
fi

done_testing
