#!/bin/sh
# CLI: kernel stacks and symbols in `bpfkit trace`: kstack as a map key (its
# exact layout: "@[", a line per frame "    func+off", "]: N"), every frame a
# symbol /proc/kallsyms lists, the syscall entry path there; kstack(3)'s
# depth, kstack(perf)'s "\tADDR func+off" with ADDR = the symbol's address +
# off, kstack(raw)'s bare addresses, printf("%s") of a stack, ksym() of a
# symbol's address read from /proc/kallsyms, JSON keys, -f folded lines
# parsed back, a full stack map, kstack in a profile probe, -d's stack
# maps, errors; a leak check after each run. Needs
# root and BPF (tracepoints, perf events); otherwise SKIP with the reason.
. "$(dirname "$0")/lib.sh"

: "${BUILD:=build}"
W="$BUILD/tests/workload"
OBJS="$BUILD/tests/bpf_objects"
case "$W" in /*) ;; *) W="$PWD/$W" ;; esac
tmp=$(mktemp -d /tmp/bpfkit-tstk-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
TP='tracepoint:syscalls:sys_enter_getpgid /pid == cpid/'

# ---- no kernel needed: -d and compile errors -------------------------------------------------
out=$("$BPFKIT" trace -d -e 'tracepoint:sched:sched_switch { @[kstack] = count(); @t[kstack(perf, 5)] = count(); }' 2>&1)
rc=$?
check "-d: a stack map per depth (127 and 5 frames of 8 bytes), the lost-stack counter" eval '[ "$rc" -eq 0 ] &&
	contains "$out" "map .kstack127 stack_trace key_size=4 value_size=1016 max_entries=4096" &&
	contains "$out" "map .kstack5 stack_trace key_size=4 value_size=40 max_entries=4096" &&
	contains "$out" "map .stacklost percpu_array" && contains "$out" "call bpf_get_stackid"'
err=$("$BPFKIT" trace -d -e 'tracepoint:sched:sched_switch { @[kstack(fast)] = count(); }' 2>&1)
rc=$?
check "unknown mode: exit 1, line:col, the modes" eval '[ "$rc" -eq 1 ] &&
	contains "$err" "stdin:1:42: error: Unknown stack mode: '\''fast'\'' (bpftrace, perf or raw)"'
err=$("$BPFKIT" trace -d -e 'BEGIN { @ = kstack; }' 2>&1)
rc=$?
check "kstack in BEGIN: exit 1, says so" eval '[ "$rc" -eq 1 ] && contains "$err" "kstack cannot be used in BEGIN probes"'

# ---- the kernel ----------------------------------------------------------------------------
names="key-layout frames-in-kallsyms entry-path depth perf-addresses raw printf-value ksym json folded map-full profile leaks"
why=$(kernel_why "$W" "$OBJS")
if [ -z "$why" ] && ! awk '$1 != "0000000000000000" { found = 1; exit } END { exit !found }' /proc/kallsyms; then
	why="/proc/kallsyms hides its addresses"
fi
if [ -n "$why" ]; then
	for name in $names; do
		skip "kstack: $name" "$why"
	done
	done_testing
	exit 0
fi

# symbol names and addresses of the kernel, for lookups
awk '{ print $3, $1 }' /proc/kallsyms | sort -u -k1,1 >"$tmp/syms"
sym_addr() { awk -v n="$1" '$1 == n { print $2; exit }' "$tmp/syms"; }
has_sym() { [ -n "$(sym_addr "$1")" ]; }

bpf_objs_baseline "$OBJS"
leaks_ok=true

"$BPFKIT" trace -e "$TP { @[kstack] = count(); @d[kstack(3)] = count(); }" -c "$W getpgid 3" >"$tmp/text" 2>&1
rc=$?
bpf_objs_same || leaks_ok=false
# @[ ... ]: 3, each frame line "    name+off"
sed -n '/^@\[$/,/^\]: /p' "$tmp/text" >"$tmp/full"
frames=$(sed -n 's/^    \([^ +]*\)+[0-9][0-9]*$/\1/p' "$tmp/full")
nframes=$(echo "$frames" | grep -c .)
check "key-layout: '@[' then one '    func+off' line per frame then ']: 3'" eval '[ "$rc" -eq 0 ] &&
	[ "$(head -n 1 "$tmp/full")" = "@[" ] && [ "$(tail -n 1 "$tmp/full")" = "]: 3" ] &&
	[ "$nframes" -ge 2 ] && [ "$(wc -l <"$tmp/full")" -eq $((nframes + 2)) ]'
missing=
for f in $frames; do has_sym "$f" || missing="$missing $f"; done
check "frames-in-kallsyms: every frame is a symbol /proc/kallsyms lists" eval '[ -n "$frames" ] && [ -z "$missing" ] ||
	{ echo "# not in kallsyms:$missing"; false; }'
entry=
for s in do_syscall_64 entry_SYSCALL_64_after_hwframe entry_SYSCALL_64; do
	has_sym "$s" && entry="$entry $s"
done
found=false
for s in $entry; do echo "$frames" | grep -qx "$s" && found=true; done
check "entry-path: the stack holds the syscall entry path (of:$entry)" eval '[ -n "$entry" ] && $found'
d3=$(sed -n '/^@d\[$/,/^\]: /p' "$tmp/text")
check "depth: kstack(3) is the first 3 frames of kstack" eval '[ "$(echo "$d3" | sed -n "2,4p")" = "$(sed -n 2,4p "$tmp/full")" ] &&
	[ "$(echo "$d3" | wc -l)" -eq 5 ] && [ "$(echo "$d3" | tail -n 1)" = "]: 3" ]'

"$BPFKIT" trace -e "$TP { @p[kstack(perf, 4)] = count(); @r[kstack(raw, 4)] = count(); }" -c "$W getpgid 2" >"$tmp/perf" 2>&1
rc=$?
bpf_objs_same || leaks_ok=false
tab=$(printf '\t')
# each perf line: TAB hexaddr SPACE name+off, with hexaddr = kallsyms(name) + off
bad=$(sed -n '/^@p\[$/,/^\]: /p' "$tmp/perf" | sed '1d;$d' | while IFS= read -r line; do
	case "$line" in "$tab"*) ;; *) echo "no tab: $line"; continue ;; esac
	set -- $line
	name=${2%+*}; off=${2##*+}; base=$(sym_addr "$name")
	# 16 hex digits: add in the low 8 (no kernel function spans 4 GB), the high 8 equal
	lo=${base#????????}; hi=${base%????????}
	[ -n "$base" ] && [ "$hi$(printf '%08x' $((0x$lo + off)))" = "$1" ] || echo "wrong: $line"
done)
nperf=$(sed -n '/^@p\[$/,/^\]: /p' "$tmp/perf" | sed '1d;$d' | wc -l)
check "perf-addresses: '\\tADDR func+off' lines, ADDR = the symbol's address + off" eval '[ "$rc" -eq 0 ] &&
	[ "$nperf" -ge 2 ] && [ -z "$bad" ] || { echo "# $bad"; false; }'
paddrs=$(sed -n '/^@p\[$/,/^\]: /p' "$tmp/perf" | sed '1d;$d' | awk '{ print $1 }')
raddrs=$(sed -n '/^@r\[$/,/^\]: /p' "$tmp/perf" | sed '1d;$d')
check "raw: kstack(raw) is the bare addresses of the same frames" equals "$raddrs" "$paddrs"

name=$(echo "$frames" | head -n 1)
addr=$(sym_addr "$name")
out=$("$BPFKIT" trace -e "$TP { printf(\"<%s>\\n\", kstack(2)); printf(\"%s|%s\\n\", ksym(0x$addr + 1), ksym(1)); @k = ksym(0x$addr); }" \
	-c "$W getpgid 1" 2>&1)
rc=$?
bpf_objs_same || leaks_ok=false
first2=$(sed -n 2,3p "$tmp/full" | sed 's/^/    /')
check "printf-value: printf(\"%s\", kstack(2)) is a newline then 2 frames indented by 8" eval '[ "$rc" -eq 0 ] &&
	contains "$out" "<
$first2
>"'
check "ksym: ksym(ADDR + 1) of a kallsyms symbol is its name, ksym(1) is 0x1, a map value too" eval '
	contains "$out" "$name|0x1" && contains "$out" "@k: $name"'

out=$("$BPFKIT" trace -f json -e "$TP { @[comm, kstack(2)] = count(); }" -c "$W getpgid 2" 2>&1)
rc=$?
bpf_objs_same || leaks_ok=false
f1=$(sed -n 2p "$tmp/full" | sed 's/^ *//'); f2=$(sed -n 3p "$tmp/full" | sed 's/^ *//')
check "json: the key is comm, then the frames indented by 4 after a newline, escaped" eval '[ "$rc" -eq 0 ] &&
	contains "$out" "{\"type\": \"map\", \"data\": {\"@\": {\"workload,\\n    $f1\\n    $f2\\n\": 2}}}"'

"$BPFKIT" trace -f folded -o "$tmp/folded" -e "$TP { @[comm, kstack] = count(); @n = count(); }" \
	-c "$W getpgid 4" >"$tmp/folded.out" 2>&1
rc=$?
bpf_objs_same || leaks_ok=false
# "workload;root;...;leaf 4": the frames of the text run, reversed, without offsets
want="workload;$(echo "$frames" | awk '{ a[NR] = $0 } END { for (i = NR; i > 0; i--) printf "%s%s", a[i], (i > 1 ? ";" : "") }') 4"
check "folded: 'comm;root;...;leaf COUNT', a map without a stack as text, nothing else" eval '[ "$rc" -eq 0 ] &&
	equals "$(cat "$tmp/folded")" "$want
@n: 4"'
# a stack map of 1 stack (BPFTRACE_MAP_KEYS_MAX=1, which sizes the user
# maps too, as in bpftrace 0.17): getpgid's entry takes the one slot with its
# stack, so the different stack at its exit is lost each call: counted, shown
# as [lost] 2 (the one key of @) and warned about
BPFTRACE_MAP_KEYS_MAX=1 "$BPFKIT" trace -f folded -e \
	'tracepoint:syscalls:sys_enter_getpgid /pid == cpid/ { $s = kstack(3); }
	tracepoint:syscalls:sys_exit_getpgid /pid == cpid/ { @[kstack(3)] = count(); }' \
	-c "$W getpgid 2" >"$tmp/full.out" 2>"$tmp/full.err"
rc=$?
bpf_objs_same || leaks_ok=false
BPFTRACE_MAP_KEYS_MAX=-1 "$BPFKIT" trace -d -e 'BEGIN { exit(); }' >"$tmp/bad.out" 2>&1
brc=$?
check "map-full: a full stack map's stacks are counted, printed as [lost], warned about" eval '[ "$rc" -eq 0 ] &&
	grep -qx "\[lost\] 2" "$tmp/full.out" && [ "$(grep -c " 2\$" "$tmp/full.out")" -eq 1 ] &&
	contains "$(cat "$tmp/full.err")" "2 stacks could not be recorded: the stack map, of 1 stacks (BPFTRACE_MAP_KEYS_MAX), was full" &&
	[ "$brc" -eq 1 ] && contains "$(cat "$tmp/bad.out")" "Env var '\''BPFTRACE_MAP_KEYS_MAX'\'' did not contain a valid uint64_t"'
# profile: samples of a process making system calls hold kernel stacks whose
# frames kallsyms lists (samples in user space have none: [no_kernel_stack])
"$BPFKIT" trace -f folded -e 'profile:hz:999 /pid == cpid/ { @[kstack] = count(); }' \
	-c "$W getpgid 300000" >"$tmp/prof" 2>&1
rc=$?
bpf_objs_same || leaks_ok=false
pframes=$(grep -v '^\[' "$tmp/prof" | sed 's/ [0-9]*$//' | tr ';' '\n' | sort -u)
pmissing=
for f in $pframes; do has_sym "$f" || pmissing="$pmissing $f"; done
check "profile: kstack in a profile probe: folded stacks of kallsyms symbols" eval '[ "$rc" -eq 0 ] &&
	[ -n "$pframes" ] && [ -z "$pmissing" ] || { echo "# not in kallsyms:$pmissing"; head -n 3 "$tmp/prof" | sed "s/^/# /"; false; }'
check "leaks: no program, map or link left after the runs" $leaks_ok
done_testing
