#!/bin/sh
# CLI: ustack unwound in user space from .eh_frame (--ustack-unwind dwarf,
# BPFKIT_USTACK_UNWIND=dwarf), on tests/ustack/callchain-nofp (main -> a ->
# b -> c -> chain_d in libchain-nofp.so, -O2 -fomit-frame-pointer, as
# Debian builds): the frame-pointer walk loses the chain there, the dwarf
# mode shows chain_d, c, b, a, main by name; as map keys of count(), sum(),
# hist() and with other keys (aggregated in user space), in printf of a
# uprobe, in a profile probe; Debian's own /bin/bash (cd_builtin, main);
# --stats's unwinding figures; -d's maps; errors; a leak check.
# Needs root and BPF; otherwise SKIP with the reason.
. "$(dirname "$0")/lib.sh"

: "${BUILD:=build}"
W="$BUILD/tests/workload"
OBJS="$BUILD/tests/bpf_objects"
NOFP="$BUILD/tests/ustack/callchain-nofp"
FP="$BUILD/tests/ustack/callchain"
LIB="$BUILD/tests/ustack/libchain-nofp.so"
case "$NOFP" in /*) ;; *) NOFP="$PWD/$NOFP"; FP="$PWD/$FP"; LIB="$PWD/$LIB" ;; esac
tmp=$(mktemp -d /tmp/bpfkit-ustkd-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
TP='tracepoint:syscalls:sys_enter_getpgid /pid == cpid/'

# the function names of the first N frames of the first ustack key of a map
# printed in $1 (map name $2): "chain_d c b a main "
frames() {
	sed -n "/^$2\\[\$/,/^\\]: /p" "$1" | sed -n "2,$(($3 + 1))s/^    \\([^ +]*\\)+[0-9]*\$/\\1/p" | tr '\n' ' '
}

# ---- no kernel needed: -d and errors ---------------------------------------------------------
out=$("$BPFKIT" trace --ustack-unwind dwarf -d -e 'tracepoint:sched:sched_switch { @[ustack] = count(); }' 2>&1)
rc=$?
check "-d: a per-CPU record slot, a 4 MiB ring, an ustack event, no stack map" eval '[ "$rc" -eq 0 ] &&
	contains "$out" "map .ustackbuf percpu_array key_size=4 value_size=12496 max_entries=1" &&
	contains "$out" "map events ringbuf key_size=0 value_size=0 max_entries=4194304" &&
	contains "$out" "ustack size=200" && contains "$out" "agg size=" && ! echo "$out" | grep -q "ustack127" &&
	contains "$out" "call bpf_task_pt_regs"'
out2=$(BPFKIT_USTACK_UNWIND=dwarf "$BPFKIT" trace -d -e 'tracepoint:sched:sched_switch { @[ustack] = count(); }' 2>&1)
check "env: BPFKIT_USTACK_UNWIND=dwarf is --ustack-unwind dwarf" equals "$out2" "$out"
out3=$(BPFKIT_USTACK_UNWIND=dwarf "$BPFKIT" trace --ustack-unwind fp -d -e 'tracepoint:sched:sched_switch { @[ustack] = count(); }' 2>&1)
check "flag over env: --ustack-unwind fp keeps the stack map" contains "$out3" "map .ustack127 stack_trace"
err=$("$BPFKIT" trace --ustack-unwind lbr -d -e 'BEGIN { exit(); }' 2>&1)
rc=$?
check "unknown mode: exit 1, the modes" eval '[ "$rc" -eq 1 ] &&
	contains "$err" "--ustack-unwind: unknown ustack unwinding '\''lbr'\'' (fp or dwarf)"'
err=$(BPFKIT_USTACK_UNWIND=x "$BPFKIT" trace -d -e 'BEGIN { exit(); }' 2>&1)
rc=$?
check "unknown mode in the environment: exit 1, names the variable" eval '[ "$rc" -eq 1 ] &&
	contains "$err" "BPFKIT_USTACK_UNWIND: unknown ustack unwinding '\''x'\'' (fp or dwarf)"'
err=$("$BPFKIT" trace --ustack-unwind dwarf -d -e 'tracepoint:sched:sched_switch { @[ustack] = 1; @n[comm, ustack]++; }' 2>&1)
rc=$?
check "a plain value or ++ keyed by a dwarf ustack: exit 1, file:line:col, why" eval '[ "$rc" -eq 1 ] &&
	contains "$err" "stdin:1:33: error: map @: with --ustack-unwind dwarf, a ustack key takes an aggregation" &&
	contains "$err" "stdin:1:48: error: map @n: with --ustack-unwind dwarf"'

# ---- the kernel ----------------------------------------------------------------------------
names="fp-loses dwarf-chain dwarf-fp-binary keys sum hist printf-uprobe profile bash stats leaks"
why=$(kernel_why "$W" "$OBJS")
[ -z "$why" ] && [ ! -x "$NOFP" ] && why="$NOFP is not built (make test-build)"
[ -z "$why" ] && [ ! -r /sys/kernel/btf/vmlinux ] && why="no kernel BTF (/sys/kernel/btf/vmlinux)"
if [ -n "$why" ]; then
	for name in $names; do
		skip "ustack dwarf: $name" "$why"
	done
	done_testing
	exit 0
fi
bpf_objs_baseline "$OBJS"
leaks_ok=true

"$BPFKIT" trace -e "$TP { @[ustack] = count(); }" -c "$NOFP calls 3 0 30" >"$tmp/fp" 2>&1
rc=$?
bpf_objs_same || leaks_ok=false
fpchain=$(frames "$tmp/fp" @ 5)
check "fp-loses: without frame pointers the kernel's walk names chain_d, then no c, b, a, main" eval '
	[ "$rc" -eq 0 ] && [ "${fpchain%% *}" = chain_d ] && [ "$fpchain" != "chain_d c b a main " ] ||
	{ sed "s/^/# /" "$tmp/fp" | head -n 12; false; }'

"$BPFKIT" trace --ustack-unwind dwarf -e "$TP { @[ustack] = count(); @c[comm, ustack(3)] = count(); @s[ustack(2)] = sum(7); @h[ustack(1)] = hist(5); }" \
	-c "$NOFP calls 3 0 30" >"$tmp/dw" 2>&1
rc=$?
bpf_objs_same || leaks_ok=false
check "dwarf-chain: --ustack-unwind dwarf names chain_d, c, b, a, main, ']: 3'" eval '[ "$rc" -eq 0 ] &&
	equals "$(frames "$tmp/dw" @ 5)" "chain_d c b a main " && contains "$(cat "$tmp/dw")" "]: 3" ||
	{ sed "s/^/# /" "$tmp/dw" | head -n 20; false; }'
ckey=$(sed -n '/^@c\[callchain-nofp, $/,/^\]: /p' "$tmp/dw" | tr '\n' '|' | sed 's/+[0-9]*|/|/g')
check "keys: @c[comm, ustack(3)] = count() aggregated in user space: one key, 3 frames, 3" \
	equals "$ckey" "@c[callchain-nofp, |    chain_d|    c|    b|]: 3|"
skey=$(sed -n '/^@s\[$/,/^\]: /p' "$tmp/dw" | tr '\n' '|' | sed 's/+[0-9]*|/|/g')
check "sum: @s[ustack(2)] = sum(7) over 3 samples is 21, one key" equals "$skey" "@s[|    chain_d|    c|]: 21|"
check "hist: @h[ustack(1)] = hist(5): 3 in [4, 8)" eval 'contains "$(cat "$tmp/dw")" "[4, 8)                 3 |@@@@"'

"$BPFKIT" trace --ustack-unwind dwarf -e "$TP { @[ustack] = count(); }" -c "$FP calls 2 0 30" >"$tmp/dwfp" 2>&1
rc=$?
bpf_objs_same || leaks_ok=false
check "dwarf-fp-binary: the frame-pointer build unwinds the same from .eh_frame" eval '[ "$rc" -eq 0 ] &&
	equals "$(frames "$tmp/dwfp" @ 5)" "chain_d c b a main "'

out=$(BPFKIT_USTACK_UNWIND=dwarf "$BPFKIT" trace -e "uprobe:$LIB:chain_d { printf(\"%s\", ustack(perf, 5)); }" \
	-c "$NOFP calls 1 0 30" 2>&1)
rc=$?
bpf_objs_same || leaks_ok=false
pchain=$(echo "$out" | awk '/^\t/ { sub(/\+.*/, "", $2); printf "%s ", $2 }')
check "printf-uprobe: printf of ustack(perf, 5) at uprobe chain_d: chain_d+0 (the ip), c, b, a, main" eval '
	[ "$rc" -eq 0 ] && equals "$pchain" "chain_d c b a main " && contains "$out" " chain_d+0 ($LIB)"'

"$BPFKIT" trace --ustack-unwind dwarf -f folded -e 'profile:hz:99 /pid == cpid/ { @[ustack] = count(); }' \
	-c "$NOFP spin 600" >"$tmp/prof" 2>&1
rc=$?
bpf_objs_same || leaks_ok=false
top=$(sort -t' ' -k2 -n -r "$tmp/prof" | head -n 1)
check "profile: a spinning process without frame pointers: main;a;b;c;chain_d" eval '[ "$rc" -eq 0 ] &&
	contains "$top" "main;a;b;c;chain_d " || { head -n 5 "$tmp/prof" | sed "s/^/# /"; false; }'

# Debian's bash, built without frame pointers: the cd builtin's chdir()
printf 'read -t 0.1 x </dev/zero\ncd /\nread -t 0.05 x </dev/zero\n' >"$tmp/cd.sh"
"$BPFKIT" trace --ustack-unwind dwarf -e 'tracepoint:syscalls:sys_enter_chdir /pid == cpid/ { @[ustack] = count(); }' \
	-c "/bin/bash $tmp/cd.sh" >"$tmp/bash" 2>&1
rc=$?
bpf_objs_same || leaks_ok=false
bframes=$(sed -n '/^@\[$/,/^\]: /p' "$tmp/bash" | sed 's/+[0-9]*$//' | tr -d ' ' | tr '\n' ' ')
check "bash: /bin/bash's chdir from cd_builtin, through reader_loop, to main" eval '[ "$rc" -eq 0 ] &&
	contains "$bframes" "cd_builtin" && contains "$bframes" "reader_loop main" || { sed "s/^/# /" "$tmp/bash"; false; }'

err=$("$BPFKIT" trace --stats --ustack-unwind dwarf -e "$TP { @[ustack] = count(); }" -c "$NOFP calls 5 0 30" 2>&1 >/dev/null)
rc=$?
bpf_objs_same || leaks_ok=false
check "stats: --stats says how many samples were unwound, the time and frames per sample" eval '[ "$rc" -eq 0 ] &&
	echo "$err" | grep -Eq "^ustack unwound in user space: 5 samples, [0-9.]+ us per sample, [0-9.]+ frames per sample, 1 distinct stacks\$" ||
	{ echo "$err" | sed "s/^/# /"; false; }'
check "leaks: no program, map or link left after the runs" $leaks_ok
done_testing
