#!/bin/sh
# CLI: bpfkit trace running programs in the kernel, with exact assertions on
# what a known workload (build/tests/workload) does, and a check after every
# run that the kernel holds as many BPF programs, maps and links as before
# (build/tests/bpf_objects). Needs root and BPF; otherwise the kernel checks
# SKIP with the reason. -d and the compile errors run anywhere.
# Checks of several conditions go through `check NAME eval '...'`, so every
# condition decides the TAP line (`check NAME [ a ] && b` would not test b).
. "$(dirname "$0")/lib.sh"

: "${BUILD:=build}"
W="$BUILD/tests/workload"
OBJS="$BUILD/tests/bpf_objects"
case "$W" in /*) ;; *) W="$PWD/$W" ;; esac
tmp=$(mktemp -d /tmp/bpfkit-trun-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# ---- anywhere: usage, compile errors, -d ----------------------------------------------
out=$("$BPFKIT" trace -d -e 'BEGIN { @x[str($2)] = $1 + $#; }' 40 "$tmp/x.bt" 2>&1); rc=$?
check "-d: arguments after -e PROGRAM are the parameters \$1 \$2 (constants)" eval '[ "$rc" -eq 0 ] &&
	contains "$out" "r6 = 40" >/dev/null && contains "$out" "r7 = 2" >/dev/null &&
	contains "$out" "key=string[$(( ${#tmp} + 6 ))]" >/dev/null'
"$BPFKIT" trace -c true -p 1 -e 'BEGIN { exit(); }' >/dev/null 2>&1; rc=$?
check "-c and -p together is a usage error (2)" [ "$rc" -eq 2 ]

# -c CMD that cannot run is refused before anything is compiled or loaded
for c in nosuchcmd /etc/passwd /tmp; do
	out=$("$BPFKIT" trace -c "$c" -e 'BEGIN { printf("begin\n"); } END { printf("end\n"); }' 2>"$tmp/c.err"); rc=$?
	case $c in
	nosuchcmd) want="error: cannot run 'nosuchcmd': command not found" ;;
	/etc/passwd) want="error: cannot run '/etc/passwd': Permission denied" ;;
	*) want="error: cannot run '/tmp': Is a directory" ;;
	esac
	check "-c $c: refused before attaching (exit 1, nothing run)" eval '[ "$rc" -eq 1 ] && equals "$out" "" &&
		contains "$(cat "$tmp/c.err")" "$want"'
done
# cpid: the -c child's pid, a constant; without -c, bpftrace's error
err=$("$BPFKIT" trace -d -e 'BEGIN { printf("%d\n", cpid); }' 2>&1); rc=$?
check "cpid without -c: exit 1, bpftrace's message at cpid" eval '[ "$rc" -eq 1 ] &&
	contains "$err" "stdin:1:24: error: cpid cannot be used without child command (-c CMD)"'
out=$("$BPFKIT" trace -d -c /usr/bin/true -e 'BEGIN { @ = cpid; }' 2>&1); rc=$?
check "cpid with -c compiles to the child's pid (a constant)" eval '[ "$rc" -eq 0 ] &&
	echo "$out" | grep -Eq "^ +[0-9]+: r[0-9] = [1-9][0-9]*\$"'

err=$("$BPFKIT" trace -e 'BEGIN { @ = count( }' 2>&1); rc=$?
check "syntax error exits 1" [ "$rc" -eq 1 ]
check "syntax error has file:line:col" contains "$err" "stdin:1:20: error:"

printf '\357\273\277BEGIN { exit(); }\n' >"$tmp/bom.bt"
err=$("$BPFKIT" trace -d "$tmp/bom.bt" 2>&1 >/dev/null); rc=$?
check "a UTF-8 byte order mark before the script is skipped" eval '[ "$rc" -eq 0 ] && [ -z "$err" ]'
"$BPFKIT" trace -d -e "$(printf '\357\273\277BEGIN { exit(); }')" >/dev/null 2>&1; rc=$?
check "also with -e" [ "$rc" -eq 0 ]
err=$("$BPFKIT" trace -d -e 'rawtracepoint:sched_swich { exit(); }' 2>&1); rc=$?
if [ -r /sys/kernel/btf/vmlinux ]; then
	check "-d: an unknown raw tracepoint is a compile error with the closest name" eval '[ "$rc" -eq 1 ] &&
		contains "$err" "stdin:1:15: error: raw tracepoint sched_swich not found; did you mean '"'sched_switch'"'?" >/dev/null'
else
	skip "-d: an unknown raw tracepoint" "no /sys/kernel/btf/vmlinux"
fi
long=$(head -c 25000 /dev/zero | sed 's/\x0/$x = 1; /g')
printf 'BEGIN { %s @ = cont(); %s }' "$long" "$long" >"$tmp/long.bt"
err=$("$BPFKIT" trace -d "$tmp/long.bt" 2>&1); rc=$?
check "an error in a 200 KB line echoes a window of it, caret under the name" eval '[ "$rc" -eq 1 ] &&
	[ ${#err} -lt 400 ] && contains "$err" "; did you mean '"'count'"'?" >/dev/null &&
	echo "$err" | sed -n 2p | grep -q "^\.\.\..* @ = cont(); .*\.\.\.\$" &&
	[ "$(echo "$err" | sed -n 2p | cut -c54-57)" = cont ] && [ "$(echo "$err" | sed -n 3p | cut -c54-57)" = "^~~~" ]'
printf 'BEGIN { @ = %s; }' "$(head -c 200000 /dev/zero | tr '\0' x)" >"$tmp/longname.bt"
err=$("$BPFKIT" trace -d "$tmp/longname.bt" 2>&1); rc=$?
check "an error about a 200 KB name quotes its two ends, not all of it" eval '[ "$rc" -eq 1 ] &&
	[ ${#err} -lt 1000 ] && echo "$err" | head -n 1 | grep -q "error: unknown identifier .xxxx*\\.\\.\\.xxxx*.\$"'
err=$("$BPFKIT" trace -e 'kprobe:do_sys_open { @ = count(); }' 2>&1); rc=$?
err=$("$BPFKIT" trace -e 'fentry:do_sys_open { @ = count(); }' 2>&1); rc=$?
check "fentry exits 1" [ "$rc" -eq 1 ]
check "fentry is not yet supported" contains "$err" "fentry probes are not yet supported by bpfkit"
# kprobes compile; where the kernel has no kprobes (this CI machine), attaching says so, with
# --info's reason (trace_uprobe.sh runs them where it has)
kinfo=$("$BPFKIT" trace --info 2>/dev/null | grep '^ *kprobe')
case "$kinfo" in
*"no:"*) err=$("$BPFKIT" trace -e 'kprobe:do_sys_open { @ = count(); }' 2>&1); rc=$?
	check "kprobe on a kernel without kprobes names that as the reason" eval '[ "$rc" -eq 1 ] &&
		contains "$err" "error: program kprobe:do_sys_open: ${kinfo#*no: }"' ;;
*) skip "kprobe on a kernel without kprobes" "this kernel has kprobes" ;;
esac

out=$("$BPFKIT" trace -d -e 'BEGIN { @c = count(); printf("hi %d\n", 1); }'); rc=$?
check "-d exits 0" [ "$rc" -eq 0 ]
check "-d shows the map" contains "$out" "map @c percpu_array key_size=4 value_size=8 max_entries=1 agg=count"
check "-d shows the event" contains "$out" 'event 0 printf size=16 line=1 fmt="hi %d\n" 8:s64'
check "-d shows the program with its source line" contains "$out" "; 1: BEGIN { @c = count(); printf(\"hi %d\\n\", 1); }"

# a literal shift amount outside 0..63 is a compile error at the amount (the
# verifier would refuse the shift by immediate)
printf 'BEGIN {\n\t$a = 1;\n\t@ = $a << 64;\n}\n' >"$tmp/shift.bt"
err=$("$BPFKIT" trace -d "$tmp/shift.bt" 2>&1); rc=$?
check "shift by 64: compile error at the amount" eval '[ "$rc" -eq 1 ] &&
	contains "$err" "$tmp/shift.bt:3:12: error: shift amount 64 is out of range (0..63)"'

# programs that emit records count the ones the ring buffer refuses
out=$("$BPFKIT" trace -d -e 'BEGIN { printf("x\n"); }'); rc=$?
check "-d: the lost-records map" contains "$out" "map .lost percpu_array key_size=4 value_size=8 max_entries=1"
check "-d: ringbuf_output failure increments it" contains "$out" "call bpf_ringbuf_output
   9: if r0 == 0x0 goto +10
  10: *(u32 *)(r10 - 8) = 0
  11: r1 = map[.lost] ll
  13: r2 = r10
  14: r2 += -8
  15: call bpf_map_lookup_elem
  16: if r0 == 0x0 goto +3
  17: r1 = *(u64 *)(r0 + 0)
  18: r1 += 1
  19: *(u64 *)(r0 + 0) = r1
  20: r0 = 0"
out=$("$BPFKIT" trace -d -e 'BEGIN { @x = 1; }')
check "-d: no events, no lost-records map" eval '! contains "$out" ".lost" >/dev/null'
# unsafe functions need --unsafe; builtins of other probe types say so
out=$("$BPFKIT" trace -d -e 'BEGIN { system("echo %d", 1); }' 2>&1); rc=$?
check "system() without --unsafe: exit 1, bpftrace's message at the call" eval '[ "$rc" -eq 1 ] &&
	contains "$out" "stdin:1:9: error: system() is an unsafe function being used in safe mode"'
out=$("$BPFKIT" trace --unsafe -d -e 'BEGIN { system("echo %d", 1); }' 2>&1); rc=$?
check "--unsafe: system() compiles to an event" eval '[ "$rc" -eq 0 ] &&
	contains "$out" "event 0 system size=16 line=1 fmt=\"echo %d\" 8:s64"'
out=$("$BPFKIT" trace -d -e 'interval:s:1 { printf("%s\n", func); } BEGIN { @[ctx] = count(); }' 2>&1); rc=$?
check "func in an interval probe, ctx: bpftrace's message, not yet supported" eval '[ "$rc" -eq 1 ] &&
	contains "$out" "error: The func builtin can not be used with '\''interval'\'' probes" &&
	contains "$out" "error: '\''ctx'\'' is not yet supported by bpfkit"'

# ---- the kernel ------------------------------------------------------------------------
why=$(kernel_why "$W" "$OBJS")
if [ -n "$why" ]; then
	for name in count hist lhist sum avg min max stats printf json hello sigterm leak-attach \
		verifier verifier-line verifier-json unknown-tp -c-exit -p-exit file -o interval interval-once \
		lost-exact lost-while-running params params-file elapsed probe while unroll map-incdec kaddr cat system \
		system-json join join-limits strftime execsnoop cpid sigpipe sigpipe-busy write-error \
		priv-none priv-bpf priv-dac leaks; do
		skip "kernel: $name" "$why"
	done
	done_testing
	exit 0
fi

objs() { "$OBJS"; }
# no_more: no count in "progs P maps M links L" $1 is above the one in $2.
no_more() {
	echo "$1 $2" | awk '{ exit !($2 <= $8 && $4 <= $10 && $6 <= $12) }'
}
# same_objs: nothing more than before. The kernel frees maps a little after the
# last fd closes, so wait up to 3 s; other BPF users on the machine (tests run
# in parallel) may hold objects for a moment, so fewer than before is fine.
same_objs() {
	i=0
	while [ $i -lt 30 ]; do
		no_more "$(objs)" "$before" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "# bpf objects before: $before; after: $(objs)"
	return 1
}
# the probe run above may still be freeing its map: wait until the counts settle
before=$(objs)
i=0
while [ $i -lt 30 ]; do
	sleep 0.1
	now=$(objs)
	[ "$now" = "$before" ] && break
	before=$now
	i=$((i + 1))
done
leaks_ok=true
stats_before=$(cat /proc/sys/kernel/bpf_stats_enabled 2>/dev/null)
leakcheck() { same_objs || leaks_ok=false; }

# count, exact
# (getpgid(424242) rather than getppid(): sanitizer runtimes call getppid themselves)
out=$(timeout 60 "$BPFKIT" trace -e 'tracepoint:syscalls:sys_enter_getpgid /pid == cpid && args->pid == 424242/ {
	@[comm] = count(); }' -c "$W getpgid 100" 2>&1); rc=$?
leakcheck
check "count: exit 0" [ "$rc" -eq 0 ]
check "count: @[workload]: 100" equals "$(echo "$out" | grep '^@\[')" "@[workload]: 100"
check "count: Attaching 1 probe..." equals "$(echo "$out" | head -n 1)" "Attaching 1 probe..."

# --stats: the kernel's timing of each attached program, after the maps, on stderr
out=$(timeout 60 "$BPFKIT" trace --stats -e 'BEGIN { @b = 1; } tracepoint:syscalls:sys_enter_getpgid
	/pid == cpid && args->pid == 424242/ { @ = count(); }' -c "$W getpgid 300" 2>"$tmp/stats.err"); rc=$?
leakcheck
row=$(grep '^tracepoint:syscalls:sys_enter_getpgid ' "$tmp/stats.err")
runs=$(echo "$row" | awk '{ print $2 }'); nsrun=$(echo "$row" | awk '{ print $3 }'); insns=$(echo "$row" | awk '{ print $4 }')
check "--stats: a row per attached program (not BEGIN): runs >= 300, ns/run > 0, instructions (got '$row')" eval '
	[ "$rc" -eq 0 ] && equals "$(echo "$out" | grep "^@:")" "@: 300" &&
	[ "$(grep -c "^PROGRAM  *RUNS  *NS/RUN  *INSNS\$" "$tmp/stats.err")" -eq 1 ] &&
	! grep -q "^BEGIN" "$tmp/stats.err" && [ "${runs:-0}" -ge 300 ] &&
	awk -v v="$nsrun" "BEGIN { exit !(v > 0) }" && [ "${insns:-0}" -gt 5 ]'
check "--stats leaves the kernel's statistics as they were (bpf_stats_enabled $(cat /proc/sys/kernel/bpf_stats_enabled))" \
	[ "$(cat /proc/sys/kernel/bpf_stats_enabled)" = "$stats_before" ]

# aggregations over 10 reads of 4096 bytes (the dynamic loader's reads are filtered out)
prog='tracepoint:syscalls:sys_exit_read /pid == cpid && args->ret >= 4096/ {
	@h = hist(args->ret); @l = lhist(args->ret, 0, 10000, 1000);
	@s = sum(args->ret); @a = avg(args->ret); @mn = min(args->ret); @mx = max(args->ret);
	@st = stats(args->ret); }'
out=$(timeout 60 "$BPFKIT" trace -e "$prog" -c "$W read 4096 10" 2>&1); rc=$?
leakcheck
bar="|@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|"
check "aggs: exit 0" [ "$rc" -eq 0 ]
check "hist: [4K, 8K) 10" equals "$(echo "$out" | grep '^\[4K, 8K)')" "[4K, 8K)              10 $bar"
check "lhist: [4000, 5000) 10" equals "$(echo "$out" | grep '^\[4000, 5000)')" "[4000, 5000)          10 $bar"
check "sum: 40960" equals "$(echo "$out" | grep '^@s:')" "@s: 40960"
check "avg: 4096" equals "$(echo "$out" | grep '^@a:')" "@a: 4096"
check "min/max: 4096" equals "$(echo "$out" | grep '^@m[nx]:' | tr '\n' ' ')" "@mn: 4096 @mx: 4096 "
check "stats" equals "$(echo "$out" | grep '^@st:')" "@st: count 10, average 4096, total 40960"

# printf per event
out=$(timeout 60 "$BPFKIT" trace -e 'tracepoint:syscalls:sys_enter_openat /pid == cpid/ {
	printf("open %s %d\n", str(args->filename), args->flags); }' -c "$W openat $tmp/f 5" 2>&1); rc=$?
leakcheck
check "printf: exit 0" [ "$rc" -eq 0 ]
check "printf: 5 lines for the file" equals "$(echo "$out" | grep -c "^open $tmp/f 0\$")" 5

# -f json
out=$(timeout 60 "$BPFKIT" trace -f json -e 'tracepoint:syscalls:sys_enter_getpgid /pid == cpid && args->pid == 424242/ {
	@c = count(); @h = hist(7); }' -c "$W getpgid 100" 2>&1); rc=$?
leakcheck
ok=true
if command -v python3 >/dev/null 2>&1; then
	echo "$out" | grep . | python3 -c 'import sys, json
for l in sys.stdin: json.loads(l)' || ok=false
fi
check "json: every line parses" $ok
check "json: count" contains "$out" '{"type": "map", "data": {"@c": 100}}'
check "json: hist" contains "$out" '{"type": "hist", "data": {"@h": [{"min": 4, "max": 7, "count": 100}]}}'
check "json: attached_probes" contains "$out" '{"type": "attached_probes", "data": {"probes": 1}}'

# BEGIN, hello, quickly
start=$(date +%s)
out=$(timeout 20 "$BPFKIT" trace -e 'BEGIN { printf("hello\n"); exit(); }'); rc=$?
end=$(date +%s)
leakcheck
check "hello: exit 0 within 5 s" eval '[ "$rc" -eq 0 ] && [ $((end - start)) -le 5 ]'
check "hello: output" equals "$out" "Attaching 1 probe...
hello"

# SIGTERM mid-run: END runs, maps print, nothing is left
timeout 60 "$BPFKIT" trace -e 'tracepoint:raw_syscalls:sys_enter { @n = count(); } END { printf("end\n"); }' \
	>"$tmp/term.out" 2>&1 &
pid=$!
sleep 1
kill -TERM $pid
wait $pid; rc=$?
leakcheck
out=$(cat "$tmp/term.out")
check "sigterm: exit 0, END ran, map printed" eval '[ "$rc" -eq 0 ] && contains "$out" "end" && contains "$out" "@n: "'

# a failed attach (arg5 of a raw tracepoint with fewer arguments) leaves nothing
err=$("$BPFKIT" trace -e 'rawtracepoint:sched_process_free { @ = arg5; }' 2>&1); rc=$?
leakcheck
check "failed attach: exit 1 with the reason" eval '[ "$rc" -eq 1 ] && contains "$err" "cannot attach to raw tracepoint sched_process_free"'

# a program the verifier rejects: the reason, the script line, no leak. The
# compiler refuses what it knows the verifier would (shifts by 64), so this
# uses a limit of the verifier itself: it explores one branch of each
# conditional jump and stacks the other, and more than 8192 stacked at once
# is "The sequence of 8193 jumps is too complex" (BPF_COMPLEXITY_LIMIT_JMP_SEQ,
# returned as EFAULT, not EINVAL). 10000 ifs on rand in a row do that.
{
	printf 'BEGIN {\n\t$x = 0;\n'
	i=0
	while [ $i -lt 10000 ]; do
		printf '\tif (rand %% 2) { $x = 1; }\n'
		i=$((i + 1))
	done
	printf '\t@ = $x;\n\texit();\n}\n'
} >"$tmp/jumps.bt"
err=$("$BPFKIT" trace "$tmp/jumps.bt" 2>&1); rc=$?
leakcheck
check "verifier: exit 1 with the reason" eval '[ "$rc" -eq 1 ] && contains "$err" "the verifier rejected it" &&
	contains "$err" "jumps is too complex"'
line=$(echo "$err" | sed -n "s|^$tmp/jumps.bt:\([0-9]*\):2: note: instruction .* of BEGIN comes from this line\$|\1|p")
check "verifier: names the script line" eval '[ -n "$line" ] && [ "$line" -ge 3 ] && [ "$line" -le 10002 ] &&
	contains "$err" "	if (rand % 2) { \$x = 1; }"'
# the same with -j: the error, the line and the log's last lines as JSON on stdout
"$BPFKIT" trace -j "$tmp/jumps.bt" >"$tmp/vj.out" 2>"$tmp/vj.err"; rc=$?
leakcheck
check "verifier-json: exit 1, nothing on stderr, error + line note + log note on stdout" eval '[ "$rc" -eq 1 ] &&
	[ ! -s "$tmp/vj.err" ] && python3 -c "import json, sys
l = [json.loads(x) for x in open(sys.argv[1])]
assert \"the verifier rejected it\" in l[0][\"error\"], l[0]
assert l[1][\"note\"].startswith(\"instruction \") and l[1][\"file\"] == sys.argv[2] and l[1][\"line\"] == $line, l[1]
assert l[2][\"note\"].startswith(\"verifier log\") and \"too complex\" in l[2][\"log\"], l[2]
assert len(l) == 3" "$tmp/vj.out" "$tmp/jumps.bt"'

# division and modulo by a literal 0 have eBPF's run-time meaning (the
# verifier refuses them as immediates, so the compiler writes them out)
out=$("$BPFKIT" trace -e 'BEGIN { $x = 7; printf("%d %d\n", $x / 0, $x % 0); @y = 9; @y /= 0; exit(); }' 2>&1); rc=$?
check "x / 0 = 0 and x % 0 = x, as eBPF defines them" eval '[ "$rc" -eq 0 ] && contains "$out" "0 7" && contains "$out" "@y: 0"'

err=$("$BPFKIT" trace -e 'tracepoint:syscalls:sys_enter_getppidd { @ = count(); }' 2>&1); rc=$?
check "unknown tracepoint: exit 1, nearest name" eval '[ "$rc" -eq 1 ] && contains "$err" "did you mean '\''tracepoint:syscalls:sys_enter_getppid'\''?"'

# -c: stops when the command exits, even without exit()
start=$(date +%s)
out=$(timeout 30 "$BPFKIT" trace -e 'tracepoint:syscalls:sys_enter_getppid { @ = count(); }' -c "$W sleep 300" 2>&1); rc=$?
end=$(date +%s)
leakcheck
check "-c: stops when CMD exits" eval '[ "$rc" -eq 0 ] && [ $((end - start)) -le 10 ]'

# cpid: the idiom /pid == cpid/ sees the -c command and nothing else
out=$(timeout 30 "$BPFKIT" trace -e 'tracepoint:syscalls:sys_enter_getpgid /pid == cpid/ { @ = count(); }' \
	-c "$W getpgid 3" 2>&1); rc=$?
leakcheck
check "cpid: /pid == cpid/ counts the -c command's 3 calls" eval '[ "$rc" -eq 0 ] &&
	equals "$(echo "$out" | grep "^@:")" "@: 3"'

# | head -2: the first failed write ends the run, with SIGPIPE's status (the
# shell's 141, as bpftrace, which SIGPIPE kills), every probe detached, and
# no message; at 5 events a second and at every syscall alike
start=$(date +%s)
(timeout 30 "$BPFKIT" trace -e 'interval:ms:200 { printf("%d\n", 1); }' 2>"$tmp/pipe.err"; echo $? >"$tmp/pipe.rc") |
	head -n 2 >"$tmp/pipe.out"
end=$(date +%s)
leakcheck
check "| head -2: ends at the first failed write, exit by SIGPIPE (141), no message" eval '
	equals "$(cat "$tmp/pipe.rc")" 141 && [ $((end - start)) -le 5 ] && equals "$(cat "$tmp/pipe.err")" "" &&
	equals "$(cat "$tmp/pipe.out")" "$(printf "Attaching 1 probe...\n1")"'
(timeout 30 "$BPFKIT" trace -e 'tracepoint:raw_syscalls:sys_enter { printf("%d\n", pid); }' 2>"$tmp/pipe.err"
	echo $? >"$tmp/pipe.rc") | head -n 2 >/dev/null
leakcheck
check "| head -2 of a probe on every syscall: exit by SIGPIPE (141), no message" eval '
	equals "$(cat "$tmp/pipe.rc")" 141 && equals "$(cat "$tmp/pipe.err")" ""'
# a full disk: an error naming the output, exit 1, promptly
out=$(timeout 30 "$BPFKIT" trace -o /dev/full -e 'interval:ms:200 { printf("%d\n", 1); }' 2>&1); rc=$?
leakcheck
out2=$(timeout 30 "$BPFKIT" trace -e 'interval:ms:200 { printf("%d\n", 1); }' 2>&1 >/dev/full); rc2=$?
leakcheck
check "-o /dev/full and >/dev/full: exit 1 with the write error" eval '[ "$rc" -eq 1 ] && [ "$rc2" -eq 1 ] &&
	equals "$out" "bpfkit: error: cannot write /dev/full: No space left on device" &&
	equals "$out2" "bpfkit: error: cannot write the output: No space left on device"'

# privileges: run as nobody with some capabilities (setpriv, as root); the
# message names exactly what the process lacks
pdir=$(mktemp -d /tmp/bpfkit-priv-XXXXXX)
chmod 755 "$pdir"
cp "$BPFKIT" "$pdir/bpfkit"
asuser() {
	_caps=$1
	shift
	setpriv --reuid=nobody --regid=nogroup --clear-groups ${_caps:+--inh-caps=$_caps --ambient-caps=$_caps} \
		"$pdir/bpfkit" "$@"
}
tp='tracepoint:raw_syscalls:sys_enter { @ = count(); exit(); }'
tfs=/sys/kernel/tracing
if ! command -v setpriv >/dev/null 2>&1 || ! id nobody >/dev/null 2>&1; then
	for name in priv-none priv-bpf priv-dac; do skip "kernel: $name" "no setpriv or no user nobody"; done
elif ! setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=+bpf,+perfmon,+dac_read_search \
	--ambient-caps=+bpf,+perfmon,+dac_read_search true 2>/dev/null; then
	for name in priv-none priv-bpf priv-dac; do skip "kernel: $name" "setpriv cannot grant CAP_BPF here"; done
elif [ "$(stat -c %a "$tfs" 2>/dev/null)" != 700 ]; then
	for name in priv-none priv-bpf priv-dac; do skip "kernel: $name" "$tfs is not the default 0700"; done
else
	dac="cannot read tracefs at $tfs (mode 0700, owner root), where tracepoints are described: it lacks CAP_DAC_READ_SEARCH"
	err=$(asuser "" trace -e "$tp" 2>&1); rc=$?
	check "priv: no capability: names CAP_BPF, CAP_PERFMON and tracefs's CAP_DAC_READ_SEARCH" eval '[ "$rc" -eq 1 ] &&
		contains "$err" "note: this process lacks CAP_BPF and CAP_PERFMON (to load and attach BPF programs), and $dac"'
	err=$(asuser +bpf,+perfmon trace -e "$tp" 2>&1); rc=$?
	out=$(asuser +bpf,+perfmon,+dac_read_search trace -e "$tp" 2>&1); rc2=$?
	leakcheck
	check "priv: with CAP_BPF + CAP_PERFMON, tracefs is what is missing, and CAP_DAC_READ_SEARCH is enough" eval '
		[ "$rc" -eq 1 ] && contains "$err" "note: this process $dac" && ! contains "$err" "lacks CAP_BPF" >/dev/null &&
		[ "$rc2" -eq 0 ] && contains "$out" "@: "'
	err=$(asuser +dac_read_search trace -e 'BEGIN { exit(); }' 2>&1); rc=$?
	check "priv: CAP_DAC_READ_SEARCH alone: BEGIN fails naming CAP_BPF and CAP_PERFMON" eval '[ "$rc" -eq 1 ] &&
		contains "$err" "Operation not permitted: this process lacks CAP_BPF and CAP_PERFMON (to load and attach BPF programs)"'
fi
rm -rf "$pdir"

# -p: stops when PID exits
"$W" sleep 1200 &
wpid=$!
out=$(timeout 30 "$BPFKIT" trace -p $wpid -e 'tracepoint:syscalls:sys_enter_getppid { @ = count(); }' 2>&1); rc=$?
wait $wpid
leakcheck
check "-p: stops when PID exits" eval '[ "$rc" -eq 0 ] && contains "$out" "Attaching 1 probe..."'

# a script file with #!
printf '#!/usr/bin/env -S bpfkit trace\n// a comment\nBEGIN { printf("from %%s\\n", "file"); exit(); }\n' >"$tmp/s.bt"
out=$(timeout 20 "$BPFKIT" trace "$tmp/s.bt" 2>&1); rc=$?
leakcheck
check "FILE with #!: runs" eval '[ "$rc" -eq 0 ] && contains "$out" "from file"'

timeout 20 "$BPFKIT" trace -o "$tmp/o.txt" -e 'BEGIN { @x = 42; exit(); }' >/dev/null 2>&1; rc=$?
leakcheck
check "-o FILE" eval '[ "$rc" -eq 0 ] && contains "$(cat "$tmp/o.txt")" "@x: 42"'

out=$(timeout 20 "$BPFKIT" trace -e 'interval:ms:200 { exit(); }' 2>&1); rc=$?
leakcheck
check "interval: exit() from an interval probe" eval '[ "$rc" -eq 0 ] && contains "$out" "Attaching 1 probe..."'

# interval probes fire once per period, not once per CPU (bpftrace opens them
# on CPU 0). A cpu-clock event on an idle CPU may not fire at all, so every
# CPU is kept busy meanwhile: without the fix this counts 10 x CPUs.
busy=
for c in $(seq 0 $(($(nproc) - 1))); do
	if command -v taskset >/dev/null 2>&1; then
		taskset -c "$c" sh -c 'while :; do :; done' &
	else
		sh -c 'while :; do :; done' &
	fi
	busy="$busy $!"
done
out=$(timeout 20 "$BPFKIT" trace -e 'interval:ms:100 { @n = count(); } interval:s:1 { exit(); }' 2>&1); rc=$?
kill $busy
wait $busy 2>/dev/null
leakcheck
n=$(echo "$out" | sed -n 's/^@n: //p')
check "interval: once per period, not per CPU (interval:ms:100 for 1 s: 8..12, got ${n:-none})" \
	eval '[ "$rc" -eq 0 ] && [ -n "$n" ] && [ "$n" -ge 8 ] && [ "$n" -le 12 ]'

# lost records: stdout is a pipe nobody reads for 2 s, so the tracer blocks
# writing and the 256 KiB ring fills while the workload makes 100000 events.
# Every event is either printed or counted lost, exactly; and the loss is
# reported while the run goes on (before END prints), as bpftrace does.
# The workload runs under a name of its own (a copy, "wl" and this shell's
# pid), so that other runs on the machine making the same calls do not count.
cp "$W" "$tmp/wl$$"
printf '#!/bin/sh\n"%s" getpgid 100000\nexec "%s" sleep 3500\n' "$tmp/wl$$" "$W" >"$tmp/drops.sh"
chmod +x "$tmp/drops.sh"
(timeout 60 "$BPFKIT" trace -e 'tracepoint:syscalls:sys_enter_getpgid /comm == "'"wl$$"'" && args->pid == 424242/ {
	printf("x %d\n", args->pid); } END { printf("end\n"); }' -c "$tmp/drops.sh" 2>"$tmp/drops.err"
	echo "rc=$?" >>"$tmp/drops.err") | (sleep 2; cat) >"$tmp/drops.out"
leakcheck
got=$(grep -c '^x 424242$' "$tmp/drops.out")
lost=$(sed -n 's/^Lost \([0-9]*\) events$/\1/p' "$tmp/drops.out" | awk '{ n += $1 } END { print n + 0 }')
check "lost: printed + lost = 100000 (printed $got, lost $lost)" eval '[ "$lost" -gt 0 ] &&
	[ $((got + lost)) -eq 100000 ] && contains "$(cat "$tmp/drops.err")" "rc=0"'
check "lost: reported while running, before END" eval '[ "$(grep -n -m1 "^Lost" "$tmp/drops.out" | cut -d: -f1)" \
	-lt "$(grep -n "^end$" "$tmp/drops.out" | cut -d: -f1)" ]'

# positional parameters, after -e PROGRAM and after FILE
out=$("$BPFKIT" trace -e 'BEGIN { printf("%d %s %d [%s] %d\n", $1, str($2), $#, str($3), $3); exit(); }' \
	42 hello 2>&1); rc=$?
leakcheck
check "params: \$1, str(\$2), \$#, missing ones" eval '[ "$rc" -eq 0 ] && equals "$(echo "$out" | sed -n 2p)" "42 hello 2 [] 0"'
printf 'BEGIN { printf("%%d %%s\\n", $1 + 1, str($2)); exit(); }\n' >"$tmp/params.bt"
out=$("$BPFKIT" trace "$tmp/params.bt" 0x29 hi 2>&1); rc=$?
leakcheck
check "params: after FILE" eval '[ "$rc" -eq 0 ] && equals "$(echo "$out" | sed -n 2p)" "42 hi"'

# elapsed counts from the start (BEGIN): 300 ms later it is 250..1000 ms
out=$(timeout 30 "$BPFKIT" trace -e 'BEGIN { printf("b %d\n", elapsed / 1000000); }
	interval:ms:300 { printf("i %d\n", elapsed / 1000000); exit(); }' 2>&1); rc=$?
leakcheck
b=$(echo "$out" | sed -n 's/^b //p'); i=$(echo "$out" | sed -n 's/^i //p')
check "elapsed: 0 ms in BEGIN (got ${b:-none}), ~300 ms after interval:ms:300 (got ${i:-none})" \
	eval '[ "$rc" -eq 0 ] && [ "$b" -le 50 ] && [ "$i" -ge 250 ] && [ "$i" -le 1000 ]'
# probe: the full name, in printf and as a map key
out=$(timeout 60 "$BPFKIT" trace -e 'tracepoint:syscalls:sys_enter_getpgid /pid == cpid && args->pid == 424242/ {
	@[probe] = count(); } BEGIN { printf("%s\n", probe); }' -c "$W getpgid 7" 2>&1); rc=$?
leakcheck
check "probe: @[probe] = count() and printf of it" eval '[ "$rc" -eq 0 ] &&
	equals "$(echo "$out" | grep "^@")" "@[tracepoint:syscalls:sys_enter_getpgid]: 7" &&
	equals "$(echo "$out" | sed -n 2p)" BEGIN'
# probe is an id printed as the name (bpftrace 0.17's output, byte for byte): quoted in JSON, in a
# tuple, a tuple key and a map value, compared with ==; hist ties in id order: END (first in the
# script, id 0) before BEGIN
out=$(timeout 30 "$BPFKIT" trace -f json -e 'END { @h[probe] = hist(3); } BEGIN { @h[probe] = hist(3);
	@p[probe, 7] = probe; $x = probe; if ($x == probe) { print((probe, 4)); } exit(); }' 2>&1); rc=$?
leakcheck
check "probe: an id printed as the name, JSON and hist ties as bpftrace" eval '[ "$rc" -eq 0 ] && equals "$out" \
"{\"type\": \"attached_probes\", \"data\": {\"probes\": 2}}
{\"type\": \"value\", \"data\": [\"BEGIN\",4]}


{\"type\": \"hist\", \"data\": {\"@h\": {\"END\": [{\"min\": 2, \"max\": 3, \"count\": 1}], \"BEGIN\": [{\"min\": 2, \"max\": 3, \"count\": 1}]}}}
{\"type\": \"map\", \"data\": {\"@p\": {\"BEGIN,7\": \"BEGIN\"}}}"'

# loops: a bounded while (the verifier follows the back edge) and unroll
out=$(timeout 30 "$BPFKIT" trace -e 'BEGIN { $i = 0; while ($i < 10) { @s += $i; $i++; } exit(); }' 2>&1); rc=$?
leakcheck
check "while: @s: 45" eval '[ "$rc" -eq 0 ] && equals "$(echo "$out" | grep "^@")" "@s: 45"'
out=$(timeout 30 "$BPFKIT" trace -e 'BEGIN { $i = 0; unroll(5) { $i++; @u[$i] = $i * 2; }
	$j = 0; while ($j < 100) { $j++; if ($j % 2) { continue; } if ($j > 8) { break; } printf("j %d\n", $j); }
	exit(); }' 2>&1); rc=$?
leakcheck
check "unroll(5) and while with break/continue/printf" eval '[ "$rc" -eq 0 ] &&
	equals "$(echo "$out" | grep -c "^@u\[")" 5 && equals "$(echo "$out" | grep "^@u\[5\]")" "@u[5]: 10" &&
	equals "$(echo "$out" | grep "^j " | tr "\n" " ")" "j 2 j 4 j 6 j 8 "'

# ++/-- on maps as values: prefix gives the new value, postfix the old one
# (a missing key starts at 0); same output as bpftrace 0.17
out=$(timeout 30 "$BPFKIT" trace -e 'BEGIN { @n = 1; if (++@n >= 2) { printf("a %d\n", @n); }
	$x = @n++; $y = @m[1]--; printf("%d %d %d %d\n", $x, @n, $y, --@m[1]); exit(); }' 2>&1); rc=$?
leakcheck
check "map-incdec: ++@n, @n++, @m[k]--, --@m[k] as values" eval '[ "$rc" -eq 0 ] &&
	equals "$(echo "$out" | grep -v "^Attaching" | grep -v "^\$" | tr "\n" " ")" "a 2 2 3 0 -2 @m[1]: -2 @n: 3 "'

# kaddr(): the address /proc/kallsyms gives, and *x of it reads kernel memory
# (the first byte of a function's code is never 0 on x86-64)
want=$(awk '$3 == "schedule" { print $1; exit }' /proc/kallsyms | sed 's/^0*//')
out=$(timeout 30 "$BPFKIT" trace -e 'BEGIN { $a = kaddr("schedule"); printf("%lx %d\n", $a, *(uint8 *)$a != 0); exit(); }' 2>&1); rc=$?
leakcheck
check "kaddr: schedule at $want, readable" eval '[ "$rc" -eq 0 ] && [ -n "$want" ] &&
	equals "$(echo "$out" | sed -n 2p)" "$want 1"'

# END runs after the other probes are detached (as in bpftrace): clearing a
# map in END cannot be undone by a probe that fires on our own bpf() calls
out=$("$BPFKIT" trace -e 'tracepoint:raw_syscalls:sys_enter { @n = count(); } END { clear(@n); print(@n); }' -c /usr/bin/true 2>&1); rc=$?
leakcheck
# (a keyless count prints "@n: 0" when empty, as in bpftrace 0.17)
check "END: probes are detached first, so clear() in END empties the map" eval '[ "$rc" -eq 0 ] &&
	equals "$(echo "$out" | grep '\''^@n: '\'' | tr "\n" " ")" "@n: 0 @n: 0 "'

# ---- functions bpftrace runs in user space: cat, system, join, strftime ----
printf 'line1\nline2' >"$tmp/cat.txt"
out=$(timeout 30 "$BPFKIT" trace -e 'BEGIN { cat("%s/cat.txt", str($1)); printf("|\n");
	cat("%s/none", str($1)); printf("|\n"); exit(); }' "$tmp" 2>"$tmp/cat.err"); rc=$?
leakcheck
check "cat: the file as it is; bpftrace's error for a missing one" eval '[ "$rc" -eq 0 ] &&
	equals "$out" "$(printf "Attaching 1 probe...\nline1\nline2|\n|")" &&
	equals "$(cat "$tmp/cat.err")" "ERROR: failed to open file '\''$tmp/none'\'': No such file or directory"'
out=$(timeout 30 "$BPFKIT" trace --unsafe -e 'BEGIN { system("echo %d %s", 42, "a b"); exit(); }' 2>&1); rc=$?
leakcheck
check "system: with --unsafe, the command's output" eval '[ "$rc" -eq 0 ] &&
	equals "$out" "$(printf "Attaching 1 probe...\n42 a b")"'
out=$(timeout 30 "$BPFKIT" trace -f json --unsafe -e 'BEGIN { system("echo %d", 42); cat("%s/cat.txt", str($1));
	join(0); exit(); }' "$tmp" 2>&1); rc=$?
leakcheck
cat >"$tmp/json.want" <<'EOF'
{"type": "syscall", "data": "42\n"}
{"type": "cat", "data": "line1\nline2"}
{"type": "join", "data": ""}
EOF
check "system, cat, join in JSON: bpftrace's message types" eval '[ "$rc" -eq 0 ] &&
	equals "$(printf "%s\n" "$out" | sed -n 2,4p)" "$(cat "$tmp/json.want")"'
# join: the argv of the -c command, as bpftrace prints it (other processes may exec too)
out=$(timeout 60 "$BPFKIT" trace -e 'tracepoint:syscalls:sys_enter_execve { join(args->argv); join(args->argv, ","); }' \
	-c "$W getppid 3" 2>&1); rc=$?
leakcheck
check "join: argv of the -c command, default separator and ','" eval '[ "$rc" -eq 0 ] &&
	equals "$(echo "$out" | grep -c -x -F "$W getppid 3")" 1 && equals "$(echo "$out" | grep -c -x -F "$W,getppid,3")" 1'
long=$(head -c 1500 /dev/zero | tr '\0' x)
out=$(timeout 60 "$BPFKIT" trace -e 'tracepoint:syscalls:sys_enter_execve { join(args->argv); }' \
	-c "$W getppid 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17" 2>&1); rc=$?
leakcheck
out2=$(timeout 60 "$BPFKIT" trace -e 'tracepoint:syscalls:sys_enter_execve { join(args->argv); }' \
	-c "$W $long y" 2>&1); rc2=$?
leakcheck
check "join: 16 elements at most, 1023 bytes of each (bpftrace 0.17's limits)" eval '[ "$rc" -eq 0 ] && [ "$rc2" -eq 0 ] &&
	equals "$(echo "$out" | grep -c -x -F "$W getppid 1 2 3 4 5 6 7 8 9 10 11 12 13 14")" 1 &&
	equals "$(echo "$out2" | grep -c -x -F "$W $(echo "$long" | cut -c 1-1023) y")" 1'
# strftime: nsecs as wall-clock time (bpftrace's boot-time offset), %f the microseconds
out=$(timeout 30 "$BPFKIT" trace -e 'BEGIN { printf("%s\n%s\n", strftime("%Y-%m-%d %H:%M:%S.%f", nsecs),
	strftime("%s", nsecs)); exit(); }' 2>&1); rc=$?
now=$(date +%s)
leakcheck
ts=$(echo "$out" | sed -n 2p); s=$(echo "$out" | sed -n 3p)
check "strftime: local time of nsecs with %f microseconds (got '$ts', $s vs now $now)" eval '[ "$rc" -eq 0 ] &&
	echo "$ts" | grep -Eqx "[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}" &&
	[ "$(date -d "@$s" "+%Y-%m-%d %H:%M:%S")" = "${ts%.*}" ] && [ $((now - s)) -ge 0 ] && [ $((now - s)) -le 10 ]'
# execsnoop.bt as Debian ships it (bpftrace's tool: join(args->argv), elapsed / 1e6)
if [ -r /usr/sbin/execsnoop.bt ]; then
	out=$(timeout 60 "$BPFKIT" trace -c "$W getppid 2" /usr/sbin/execsnoop.bt 2>&1); rc=$?
	leakcheck
	# another process's exec between attaching and BEGIN may print before the header
	hdr=$(echo "$out" | grep -n -x -F "TIME(ms)   PID   ARGS" | cut -d: -f1)
	cmdl=$(echo "$out" | grep -n -E "^[0-9]+ +[0-9]+ +$W getppid 2\$" | cut -d: -f1)
	check "execsnoop.bt runs unchanged: its header, then the -c command's line" eval '[ "$rc" -eq 0 ] &&
		equals "$(echo "$out" | sed -n 1p)" "Attaching 3 probes..." &&
		equals "$(echo "$hdr" | wc -w)" 1 && equals "$(echo "$cmdl" | wc -w)" 1 && [ "$hdr" -lt "$cmdl" ]'
else
	skip "kernel: execsnoop" "/usr/sbin/execsnoop.bt is not installed"
fi

check "no BPF program, map or link left after any run" $leaks_ok

done_testing
