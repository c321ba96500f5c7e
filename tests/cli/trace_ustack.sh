#!/bin/sh
# CLI: user stacks and symbols in `bpfkit trace`, on tests/ustack/callchain
# (main -> a -> b -> c -> chain_d in libchain.so, frame pointers, a PIE):
# ustack as a map key shows that chain by name with offsets inside each
# function (nm -S), after the process has exited (the maps print when the
# -c command is gone: bpftrace prints bare addresses there); perf mode's
# "\tADDR func+off (FILE)" with one load bias per file; raw mode's bare
# addresses; ustack(N)'s depth; printf("%s") of a ustack; usym() of a
# known address (lseek's offset argument is &c) and of an unknown one;
# -f folded with user frames then kernel frames; JSON; BPFTRACE_STACK_MODE;
# a profile probe on a spinning process; -d's maps; errors; a leak check.
# Needs root and BPF; otherwise SKIP with the reason.
. "$(dirname "$0")/lib.sh"

: "${BUILD:=build}"
W="$BUILD/tests/workload"
OBJS="$BUILD/tests/bpf_objects"
CC_BIN="$BUILD/tests/ustack/callchain"
LIB="$BUILD/tests/ustack/libchain.so"
case "$CC_BIN" in /*) ;; *) CC_BIN="$PWD/$CC_BIN"; LIB="$PWD/$LIB" ;; esac
tmp=$(mktemp -d /tmp/bpfkit-ustk-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
TP='tracepoint:syscalls:sys_enter_getpgid /pid == cpid/'

# ---- no kernel needed: -d and compile errors -------------------------------------------------
out=$("$BPFKIT" trace -d -e 'tracepoint:sched:sched_switch { @[ustack] = count(); @t[ustack(perf, 5)] = count(); @k[kstack(5)] = count(); }' 2>&1)
rc=$?
check "-d: user stack maps apart from kernel ones, BPF_F_USER_STACK, the pid table" eval '[ "$rc" -eq 0 ] &&
	contains "$out" "map .ustack127 stack_trace key_size=4 value_size=1016 max_entries=4096" &&
	contains "$out" "map .ustack5 stack_trace key_size=4 value_size=40 max_entries=4096" &&
	contains "$out" "map .kstack5 stack_trace key_size=4 value_size=40 max_entries=4096" &&
	contains "$out" "map .upids hash key_size=4 value_size=8 max_entries=16384" &&
	contains "$out" "r3 = 256" && contains "$out" "upid"'
err=$("$BPFKIT" trace -d -e 'tracepoint:sched:sched_switch { @[ustack(fast)] = count(); }' 2>&1)
rc=$?
check "unknown mode: exit 1, line:col, the modes" eval '[ "$rc" -eq 1 ] &&
	contains "$err" "stdin:1:42: error: Unknown stack mode: '\''fast'\'' (bpftrace, perf or raw)"'
err=$("$BPFKIT" trace -d -e 'BEGIN { @ = ustack; @u = usym(1); }' 2>&1)
rc=$?
check "ustack and usym() in BEGIN: exit 1, says so" eval '[ "$rc" -eq 1 ] &&
	contains "$err" "ustack cannot be used in BEGIN probes" && contains "$err" "usym cannot be used in BEGIN probes"'
err=$("$BPFKIT" trace -d -e 'tracepoint:sched:sched_switch { @ = uaddr("main"); }' 2>&1)
rc=$?
check "uaddr() outside uprobes: exit 1, bpftrace's message" eval '[ "$rc" -eq 1 ] &&
	contains "$err" "stdin:1:37: error: uaddr can only be used with u(ret)probes and usdt"'
err=$(BPFTRACE_STACK_MODE=fast "$BPFKIT" trace -d -e 'BEGIN { exit(); }' 2>&1)
rc=$?
check "BPFTRACE_STACK_MODE=fast: exit 1, the modes" eval '[ "$rc" -eq 1 ] &&
	contains "$err" "Env var '\''BPFTRACE_STACK_MODE'\'' has an invalid value: '\''fast'\'' (bpftrace, perf or raw)"'

# ---- the kernel ----------------------------------------------------------------------------
names="chain offsets after-exit perf-bias raw depth printf-value usym uaddr folded folded-kernel json stack-mode profile leaks"
why=$(kernel_why "$W" "$OBJS")
[ -z "$why" ] && [ ! -x "$CC_BIN" ] && why="$CC_BIN is not built (make test-build)"
if [ -n "$why" ]; then
	for name in $names; do
		skip "ustack: $name" "$why"
	done
	done_testing
	exit 0
fi

# function sizes and addresses: "name addr size" of the program and its library
{ nm -S "$CC_BIN"; nm -S "$LIB"; } | awk 'NF == 4 && ($3 == "T" || $3 == "t") { print $4, $1, $2 }' >"$tmp/syms"
sym_size() { awk -v n="$1" '$1 == n { print $3; exit }' "$tmp/syms"; }
sym_addr() { awk -v n="$1" '$1 == n { print $2; exit }' "$tmp/syms"; }

bpf_objs_baseline "$OBJS"
leaks_ok=true

# 3 marker calls; the process exits right after them, and the maps print
# once it has: its mappings were read when its first stack was taken
"$BPFKIT" trace -e "$TP { @[ustack] = count(); @d[ustack(3)] = count(); }" -c "$CC_BIN calls 3 0 30" >"$tmp/text" 2>&1
rc=$?
bpf_objs_same || leaks_ok=false
sed -n '/^@\[$/,/^\]: /p' "$tmp/text" >"$tmp/full"
chain=$(sed -n '2,6s/^    \([^ +]*\)+[0-9]*$/\1/p' "$tmp/full" | tr '\n' ' ')
check "chain: @[ustack] is chain_d, c, b, a, main by name, '    func+off' lines, ']: 3'" eval '[ "$rc" -eq 0 ] &&
	equals "$chain" "chain_d c b a main " && [ "$(head -n 1 "$tmp/full")" = "@[" ] &&
	[ "$(tail -n 1 "$tmp/full")" = "]: 3" ] || { sed "s/^/# /" "$tmp/text" | head -n 20; false; }'
bad=$(sed -n '2,6p' "$tmp/full" | while read -r f; do
	n=${f%+*}; off=${f##*+}; size=$(sym_size "$n")
	[ -n "$size" ] && [ "$off" -gt 0 ] && [ "$off" -lt $((0x$size)) ] || echo "$f (size 0x$size)"
done)
check "offsets: each frame's offset lies inside its function (nm -S)" eval '[ -z "$bad" ] || { echo "# $bad"; false; }'
# a process that is not the -c command exits while the trace goes on
# (interval ends it 0.5 s later): named from what was read at its first sample
printf '%s calls 2 0 30\nsleep 1\n' "$CC_BIN" >"$tmp/run.sh"
"$BPFKIT" trace -e 'tracepoint:syscalls:sys_enter_getpgid /comm == "callchain"/ { @[ustack(5)] = count(); } interval:ms:700 { exit(); }' \
	-c "sh $tmp/run.sh" >"$tmp/exited" 2>&1
rc=$?
bpf_objs_same || leaks_ok=false
echain=$(sed -n '/^@\[$/,/^\]: /p' "$tmp/exited" | sed -n '2,6s/^    \([^ +]*\)+[0-9]*$/\1/p' | tr '\n' ' ')
check "after-exit: a process gone 0.6 s before the maps print keeps its names" eval '[ "$rc" -eq 0 ] &&
	equals "$echain" "chain_d c b a main "'
d3=$(sed -n '/^@d\[$/,/^\]: /p' "$tmp/text")
check "depth: ustack(3) is the first 3 frames of ustack" eval '[ "$(echo "$d3" | sed -n "2,4p")" = "$(sed -n 2,4p "$tmp/full")" ] &&
	[ "$(echo "$d3" | wc -l)" -eq 5 ]'

"$BPFKIT" trace -e "$TP { @p[ustack(perf, 5)] = count(); @r[ustack(raw, 5)] = count(); }" -c "$CC_BIN calls 2 0 30" >"$tmp/perf" 2>&1
rc=$?
bpf_objs_same || leaks_ok=false
tab=$(printf '\t')
# each line: TAB ADDR SPACE func+off SPACE (FILE); ADDR - off - nm address is
# the file's load bias: one per file, page-aligned
bias=$(sed -n '/^@p\[$/,/^\]: /p' "$tmp/perf" | sed '1d;$d' | while IFS= read -r line; do
	case "$line" in "$tab"*) ;; *) echo "no-tab"; continue ;; esac
	set -- $line
	n=${2%+*}; off=${2##*+}; file=${3#(}; file=${file%)}
	printf '%s %x\n' "$file" $((0x$1 - off - 0x$(sym_addr "$n")))
done | sort -u)
check "perf-bias: '\\tADDR func+off (FILE)' lines, one page-aligned load bias per file" eval '[ "$rc" -eq 0 ] &&
	[ "$(echo "$bias" | wc -l)" -eq 2 ] && [ "$(echo "$bias" | awk "{ print \$1 }" | tr "\n" " ")" = "$CC_BIN $LIB " ] &&
	! echo "$bias" | grep -qv "000\$" || { echo "# $bias"; false; }'
paddrs=$(sed -n '/^@p\[$/,/^\]: /p' "$tmp/perf" | sed '1d;$d' | awk '{ print $1 }')
raddrs=$(sed -n '/^@r\[$/,/^\]: /p' "$tmp/perf" | sed '1d;$d')
check "raw: ustack(raw) is the bare addresses of the same frames" eval '[ -n "$raddrs" ] && equals "$raddrs" "$paddrs"'

out=$("$BPFKIT" trace -e "$TP { printf(\"<%s>\\n\", ustack(2)); }
	tracepoint:syscalls:sys_enter_lseek /pid == cpid/ { printf(\"%s|%s|%s\\n\", usym(args->offset), usym(args->offset + 3), usym(0x1234)); @u[usym(args->offset)] = count(); }" \
	-c "$CC_BIN calls 1 0 30" 2>&1)
rc=$?
bpf_objs_same || leaks_ok=false
first2=$(sed -n 2,3p "$tmp/full" | sed 's/^/    /')
check "printf-value: printf(\"%s\", ustack(2)) is a newline then 2 frames indented by 8" eval '[ "$rc" -eq 0 ] &&
	contains "$out" "<
$first2
>"'
check "usym: usym(&c) and usym(&c + 3) are c, an unmapped address 0x1234, a map key too" eval '
	contains "$out" "c|c|0x1234" && contains "$out" "@u[c]: 1"'

# uaddr() in uprobes of the PIE and of its library: the symbol's address in
# the process (the probe's ip at c is uaddr("c")); in a uretprobe, the
# address in the file, with a warning; a missing symbol is an error
out=$("$BPFKIT" trace -e "uprobe:$CC_BIN:c { printf(\"%s %s %d\\n\", usym(uaddr(\"c\")), usym(uaddr(\"b\") + 2), uaddr(\"c\") == reg(\"ip\")); }
	uretprobe:$CC_BIN:c { printf(\"ret %x\\n\", uaddr(\"c\")); }
	uprobe:$LIB:chain_d { printf(\"lib %s %d\\n\", usym(uaddr(\"chain_d\")), uaddr(\"chain_d\") == reg(\"ip\")); }" \
	-c "$CC_BIN calls 1 0 30" 2>&1)
rc=$?
bpf_objs_same || leaks_ok=false
err=$("$BPFKIT" trace -d -e "uprobe:$CC_BIN:c { @ = uaddr(\"no_such_symbol\"); }" 2>&1)
erc=$?
check "uaddr: in a uprobe the address in the process, in a uretprobe the file's (warned), unknown names an error" eval '[ "$rc" -eq 0 ] &&
	contains "$out" "c b 1" && contains "$out" "lib chain_d 1" && contains "$out" "ret $(sym_addr c | sed "s/^0*//")" &&
	contains "$out" "warning: uaddr(\"c\") here is the symbol'\''s address in" && [ "$erc" -eq 1 ] &&
	contains "$err" "error: Could not resolve symbol: $CC_BIN:no_such_symbol"'

"$BPFKIT" trace -f folded -o "$tmp/folded" -e "$TP { @[comm, ustack] = count(); @k[kstack, ustack] = count(); }" \
	-c "$CC_BIN calls 4 0 30" >"$tmp/folded.out" 2>&1
rc=$?
bpf_objs_same || leaks_ok=false
check "folded: 'comm;...;main;a;b;c;chain_d 4', root first" eval '[ "$rc" -eq 0 ] &&
	grep -q "^callchain;.*main;a;b;c;chain_d 4\$" "$tmp/folded" || { sed "s/^/# /" "$tmp/folded"; false; }'
check "folded-kernel: [kstack, ustack]: the user frames, then the kernel's from the syscall entry" eval '
	grep "main;a;b;c;chain_d;" "$tmp/folded" | grep -q "chain_d;entry_SYSCALL_64[a-z_]*;do_syscall_64;.* 4\$"'

out=$("$BPFKIT" trace -f json -e "$TP { @[ustack(2)] = count(); }" -c "$CC_BIN calls 2 0 30" 2>&1)
rc=$?
bpf_objs_same || leaks_ok=false
f1=$(sed -n 2p "$tmp/full" | sed 's/^ *//'); f2=$(sed -n 3p "$tmp/full" | sed 's/^ *//')
check "json: the key is the frames indented by 4 after a newline, escaped" eval '[ "$rc" -eq 0 ] &&
	contains "$out" "{\"type\": \"map\", \"data\": {\"@\": {\"\\n    $f1\\n    $f2\\n\": 2}}}"'

out=$(BPFTRACE_STACK_MODE=raw "$BPFKIT" trace -e "$TP { @[ustack] = count(); }" -c "$CC_BIN calls 1 0 30" 2>&1)
rc=$?
bpf_objs_same || leaks_ok=false
check "stack-mode: BPFTRACE_STACK_MODE=raw prints bare addresses" eval '[ "$rc" -eq 0 ] &&
	[ "$(echo "$out" | sed -n "/^@\[\$/,/^\]: /p" | sed "1d;\$d" | grep -cv "^[0-9a-f]*\$")" -eq 0 ] &&
	contains "$out" "]: 1"'

# profile: a CPU kept busy in chain_d: the most sampled stack is the chain
"$BPFKIT" trace -f folded -e 'profile:hz:99 /pid == cpid/ { @[ustack] = count(); }' \
	-c "$CC_BIN spin 600" >"$tmp/prof" 2>&1
rc=$?
bpf_objs_same || leaks_ok=false
top=$(sort -t' ' -k2 -n -r "$tmp/prof" | head -n 1)
check "profile: ustack in profile:hz:99 on a spinning process: main;a;b;c;chain_d" eval '[ "$rc" -eq 0 ] &&
	contains "$top" "main;a;b;c;chain_d " || { head -n 5 "$tmp/prof" | sed "s/^/# /"; false; }'
check "leaks: no program, map or link left after the runs" $leaks_ok
done_testing
