#!/bin/sh
# CLI: USDT probes in bpfkit trace, against build/tests/usdt/usdt_prog and
# its library (tests/usdt/usdt_prog.c says what each probe passes): listing
# (-l, -lv, -j, -l -p PID), compile errors, and as root the probes fired
# with exact counts and argument values of every size and sign, constants,
# memory operands, a duplicated marker, a library's probe, a semaphore that
# is counted up only while traced (the program prints whether it is set),
# -p on a running process, --usdt-file-activation, and no uprobe, program,
# map or link left behind. Listing and errors run anywhere; the kernel part
# SKIPs with the reason.
. "$(dirname "$0")/lib.sh"

: "${BUILD:=build}"
U="$BUILD/tests/usdt"
P="$U/usdt_prog"
L="$U/libusdt_lib.so"
OBJS="$BUILD/tests/bpf_objects"
tmp=$(mktemp -d /tmp/bpfkit-usdt-XXXXXX)
cleanup() {
	for p in $(cat "$tmp/pids" 2>/dev/null); do kill "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT

if [ ! -x "$P" ]; then
	skip "usdt" "$P is not built (make test-build)"
	done_testing
	exit 0
fi

# ---- listing -----------------------------------------------------------------------------
out=$("$BPFKIT" trace -l "usdt:$P:*" 2>&1); rc=$?
check "-l usdt:FILE:*: every probe once, by provider then name" eval '[ "$rc" -eq 0 ] && equals "$out" "usdt:$P:other_prov:noarg
usdt:$P:usdt_prog:args
usdt:$P:usdt_prog:consts
usdt:$P:usdt_prog:dup
usdt:$P:usdt_prog:guarded
usdt:$P:usdt_prog:mem"'
out=$("$BPFKIT" trace -l "usdt:$P:usdt_prog:*u*" "usdt:$P:noarg" "usdt:$L" 2>&1); rc=$?
check "-l: provider and name globs, FILE:NAME, a library's probes" eval '[ "$rc" -eq 0 ] && equals "$out" "usdt:$L:usdt_lib:lib_probe
usdt:$P:other_prov:noarg
usdt:$P:usdt_prog:dup
usdt:$P:usdt_prog:guarded"'
out=$("$BPFKIT" trace -lv "usdt:$P:usdt_prog:a*" "U:$P:consts" "usdt:$P:dup" 2>&1); rc=$?
check "-lv: the arguments' types from their specs (sizes and signs)" eval '[ "$rc" -eq 0 ] && equals "$out" "usdt:$P:usdt_prog:args
    int8 arg0
    uint8 arg1
    int16 arg2
    uint16 arg3
    int32 arg4
    uint32 arg5
    int64 arg6
    uint64 arg7
usdt:$P:usdt_prog:consts
    int32 arg0
    int32 arg1
usdt:$P:usdt_prog:dup
    int64 arg0"'
out=$("$BPFKIT" trace -j -lv "usdt:$L:*" 2>&1); rc=$?
check "-j -lv: the arguments with their specs" eval '[ "$rc" -eq 0 ] && equals "$out" "[{\"probe\":\"usdt:$L:usdt_lib:lib_probe\",\"type\":\"usdt\",\"args\":[{\"name\":\"arg0\",\"type\":\"int32\",\"spec\":\"-4@%edi\"},{\"name\":\"arg1\",\"type\":\"int64\",\"spec\":\"-8@%rsi\"}]}]"'
err=$("$BPFKIT" trace -l 'usdt:/etc/passwd:*' 2>&1); rc=$?
check "-l of a file that is no ELF file: the reason, exit 1" eval '[ "$rc" -eq 1 ] &&
	equals "$err" "bpfkit: error: usdt target file '\''/etc/passwd'\'': /etc/passwd: not an ELF file"'
err=$("$BPFKIT" trace -l "usdt:$tmp/none:*" 2>&1); rc=$?
check "-l of a missing file: exit 1" eval '[ "$rc" -eq 1 ] && contains "$err" "usdt target file '\''$tmp/none'\'' does not exist"'
err=$("$BPFKIT" trace -l "usdt:$BUILD/tests/workload:*" 2>&1); rc=$?
check "-l of a binary without notes: nothing matches" eval '[ "$rc" -eq 1 ] &&
	equals "$err" "bpfkit: error: no probe matches '\''usdt:$BUILD/tests/workload:*'\''"'
err=$("$BPFKIT" trace -l -c true 2>&1); rc=$?
check "-l with -c: not implemented, name the file" eval '[ "$rc" -eq 1 ] && contains "$err" "name its file"'

# ---- compile errors (-d: no kernel needed) ---------------------------------------------------
err=$("$BPFKIT" trace -d -e "usdt:$P:usdt_prog:argz { }" 2>&1); rc=$?
check "a wrong USDT name: the closest one" eval '[ "$rc" -eq 1 ] &&
	contains "$err" "error: no USDT probe usdt_prog:argz in $P; did you mean '\''args'\''?"'
err=$("$BPFKIT" trace -d -e 'usdt:/etc/passwd:a:b { }' 2>&1); rc=$?
check "a file that is no ELF file" eval '[ "$rc" -eq 1 ] &&
	contains "$err" "stdin:1:6: error: usdt target file '\''/etc/passwd'\'': /etc/passwd: not an ELF file"'
err=$("$BPFKIT" trace -d -e "usdt:$BUILD/tests/workload:a:b { }" 2>&1); rc=$?
check "a binary with no notes" eval '[ "$rc" -eq 1 ] && contains "$err" "error: $BUILD/tests/workload has no USDT probes"'
err=$("$BPFKIT" trace -d -e "usdt:$tmp/none:a:b { }" 2>&1); rc=$?
check "a missing file" eval '[ "$rc" -eq 1 ] && contains "$err" "error: usdt target file '\''$tmp/none'\'' does not exist"'
err=$("$BPFKIT" trace -d -e "usdt:$P:consts { print(arg2); }" 2>&1); rc=$?
check "an argument the site does not have" eval '[ "$rc" -eq 1 ] &&
	contains "$err" "error: usdt:$P:usdt_prog:consts has 2 arguments (\"-4@\$-7 -4@\$42\"): there is no arg2"'
err=$("$BPFKIT" trace -d -e "usdt:$P:a:b:c { }" 2>&1); rc=$?
check "too many parts" eval '[ "$rc" -eq 1 ] && contains "$err" "error: usdt probes are written usdt:FILE:PROVIDER:NAME or usdt:FILE:NAME"'
out=$("$BPFKIT" trace -d -e "usdt:$P:dup { @[arg0] = count(); } U:$P:\"usdt_prog\":\"consts\" { }" 2>&1); rc=$?
check "-d: a program per site of a duplicated marker; quoted names" eval '[ "$rc" -eq 0 ] &&
	[ "$(echo "$out" | grep -c "^prog usdt:$P:usdt_prog:dup type=usdt target=\"$P\"")" -eq 2 ] &&
	[ "$(echo "$out" | grep -c "^prog usdt:$P:usdt_prog:consts ")" -eq 1 ]'

# ---- the kernel ------------------------------------------------------------------------------
why=$(kernel_why "$BUILD/tests/workload" "$OBJS")
if [ -n "$why" ]; then
	for name in counts args consts-mem-lib semaphore-off semaphore-on semaphore-other -l-p -l-p-all -p \
		file-activation uaddr leaks uprobe_events; do
		skip "kernel: $name" "$why"
	done
	done_testing
	exit 0
fi
uev=/sys/kernel/tracing/uprobe_events
[ -r "$uev" ] || uev=/sys/kernel/debug/tracing/uprobe_events
uprobes_before=$(grep -c . "$uev" 2>/dev/null)
bpf_objs_baseline "$OBJS"

# counts per probe: 3 rounds, the duplicated marker twice per round
out=$("$BPFKIT" trace -e "usdt:$P:* /pid == cpid/ { @[probe] = count(); }
	usdt:$L:usdt_lib:* /pid == cpid/ { @[probe] = count(); }" -c "$P 3" 2>&1); rc=$?
check "counts per probe (the duplicated marker at both its sites)" eval '[ "$rc" -eq 0 ] &&
	equals "$(echo "$out" | grep -v "^guarded:")" "Attaching 8 probes...


@[usdt:$L:usdt_lib:lib_probe]: 3
@[usdt:$P:other_prov:noarg]: 3
@[usdt:$P:usdt_prog:args]: 3
@[usdt:$P:usdt_prog:consts]: 3
@[usdt:$P:usdt_prog:guarded]: 3
@[usdt:$P:usdt_prog:mem]: 3
@[usdt:$P:usdt_prog:dup]: 6"'

# arguments of each size and sign: sign- or zero-extended from the spec's size
out=$("$BPFKIT" trace -q -e "usdt:$P:usdt_prog:args /pid == cpid/ {
	printf(\"%ld %lu %ld %lu %ld %lu %ld %lx\n\", arg0, arg1, arg2, arg3, arg4, arg5, arg6, arg7); }" \
	-c "$P 1" 2>&1); rc=$?
check "arguments of 1, 2, 4 and 8 bytes, signed and not" eval '[ "$rc" -eq 0 ] &&
	equals "$(echo "$out" | grep -v "^guarded:")" "-1 255 -2 65535 -3 4000000000 -5 1122334455667788"'

# constants ($N), memory at a global (sym(%rip)) and on the stack, a
# marker at two sites with its own value at each, a library's registers
out=$("$BPFKIT" trace -q -e "usdt:$P:usdt_prog:consts /pid == cpid/ { printf(\"consts %d %d\n\", arg0, arg1); }
	usdt:$P:usdt_prog:mem /pid == cpid/ { printf(\"mem %d %d\n\", arg0, arg1); }
	usdt:$P:usdt_prog:dup /pid == cpid/ { printf(\"dup %d\n\", arg0); }
	usdt:$L:lib_probe /pid == cpid/ { printf(\"lib %d %d\n\", arg0, arg1); }" -c "$P 2" 2>&1); rc=$?
check "constants, memory operands, both sites of a marker, a library's probe" eval '[ "$rc" -eq 0 ] &&
	equals "$(echo "$out" | grep -v "^guarded:")" "consts -7 42
mem 1 10
dup 2
dup 3
lib 1 100
consts -7 42
mem 2 20
dup 4
dup 5
lib 2 200"'

# semaphores: off when nobody traces the probe, on (and the guarded probe
# firing) while it is traced, off for a probe traced without one
out=$("$P" 2 2>&1)
check "semaphore: off when not traced" equals "$out" "guarded: off
guarded: off"
out=$("$BPFKIT" trace -q -e "usdt:$P:usdt_prog:guarded /pid == cpid/ { printf(\"fired %d\n\", arg0); }" \
	-c "$P 2" 2>&1); rc=$?
check "semaphore: on while its probe is traced, and the guarded probe fires" eval '[ "$rc" -eq 0 ] &&
	equals "$(echo "$out" | grep -c "^guarded: on")" 2 && equals "$(echo "$out" | grep "^fired" | tr "\n" " ")" "fired 1 fired 2 "'
out=$("$BPFKIT" trace -q -e "usdt:$P:usdt_prog:consts /pid == cpid/ { @ = count(); }" -c "$P 2" 2>&1); rc=$?
check "semaphore: another probe traced leaves it off" eval '[ "$rc" -eq 0 ] && equals "$(echo "$out" | grep -c "^guarded: off")" 2'

# -p on a running process: the semaphore goes on while traced and off again
# after the tracer detaches; a second process is left alone
wait_lines() { # FILE N: until FILE has N lines (5 s at most)
	_i=0
	while [ "$(grep -c . "$1" 2>/dev/null)" -lt "$2" ] && [ $_i -lt 50 ]; do sleep 0.1; _i=$((_i + 1)); done
}
mkfifo "$tmp/a" "$tmp/b"
"$P" wait <"$tmp/a" >"$tmp/a.out" 2>&1 &
pa=$!
"$P" wait <"$tmp/b" >"$tmp/b.out" 2>&1 &
pb=$!
echo "$pa $pb" >"$tmp/pids"
exec 7>"$tmp/a" 8>"$tmp/b"
wait_lines "$tmp/a.out" 1
wait_lines "$tmp/b.out" 1
case "$P" in /*) ap=$P ;; *) ap=$PWD/$P ;; esac
case "$L" in /*) al=$L ;; *) al=$PWD/$L ;; esac
out=$("$BPFKIT" trace -l 'usdt:*' -p "$pa" 2>&1); rc=$?
check "-l -p PID: the USDT probes of every file the process maps, through /proc/PID/root" eval '[ "$rc" -eq 0 ] &&
	equals "$out" "usdt:/proc/$pa/root$al:usdt_lib:lib_probe
usdt:/proc/$pa/root$ap:other_prov:noarg
usdt:/proc/$pa/root$ap:usdt_prog:args
usdt:/proc/$pa/root$ap:usdt_prog:consts
usdt:/proc/$pa/root$ap:usdt_prog:dup
usdt:/proc/$pa/root$ap:usdt_prog:guarded
usdt:/proc/$pa/root$ap:usdt_prog:mem"'
out=$("$BPFKIT" trace -l -p "$pa" 2>&1); rc=$?
check "-l -p PID without a pattern: its uprobes and its USDT probes" eval '[ "$rc" -eq 0 ] &&
	[ "$(echo "$out" | grep -c "^usdt:/proc/$pa/root")" -eq 7 ] &&
	[ "$(echo "$out" | grep -c "^uprobe:/proc/$pa/root$ap:round_once\$")" -eq 1 ] &&
	[ "$(echo "$out" | grep -vc "^u[a-z]*:/proc/$pa/root/")" -eq 0 ]'
trace_p() { # OUT FLAGS...: trace process $pa until told to stop
	_out=$1; shift
	__BPFTRACE_NOTIFY_PROBES_ATTACHED=1 "$BPFKIT" trace -q "$@" -p "$pa" \
		-e "usdt:$P:usdt_prog:guarded { @[pid == $pa] = count(); } usdt:$L:lib_probe { @lib[pid == $pa] = count(); }" \
		>"$_out" 2>"$_out.err" &
	_tp=$!
	_i=0
	while ! grep -q __BPFTRACE_NOTIFY_PROBES_ATTACHED "$_out.err" && [ $_i -lt 50 ]; do sleep 0.1; _i=$((_i + 1)); done
}
trace_p "$tmp/p1"
echo >&7; echo >&8
wait_lines "$tmp/a.out" 2
wait_lines "$tmp/b.out" 2
sleep 0.2
kill -INT "$_tp"; wait "$_tp"; rc=$?
echo >&7; echo >&8
wait_lines "$tmp/a.out" 3
wait_lines "$tmp/b.out" 3
check "-p PID: the probes fire in that process only, its semaphore on while traced, off after" eval '[ "$rc" -eq 0 ] &&
	equals "$(cat "$tmp/p1")" "

@[1]: 1
@lib[1]: 1" && equals "$(cat "$tmp/a.out")" "ready
guarded: on
guarded: off" && equals "$(cat "$tmp/b.out")" "ready
guarded: off
guarded: off"'
trace_p "$tmp/p2" --usdt-file-activation
echo >&8
wait_lines "$tmp/b.out" 4
sleep 0.2
kill -INT "$_tp"; wait "$_tp"; rc=$?
check "--usdt-file-activation: semaphores in every process mapping the file" eval '[ "$rc" -eq 0 ] &&
	equals "$(tail -n 1 "$tmp/b.out")" "guarded: on" && contains "$(cat "$tmp/p2")" "@[0]: 1"'
# uaddr() in a usdt probe of a PIE: the global's address in the process
# (the site's ip + the distance between the two in the file)
__BPFTRACE_NOTIFY_PROBES_ATTACHED=1 "$BPFKIT" trace -q -p "$pa" \
	-e "usdt:$P:usdt_prog:mem { printf(\"%lx\n\", uaddr(\"usdt_global\")); exit(); }" >"$tmp/ua" 2>"$tmp/ua.err" &
_tp=$!
_i=0
while ! grep -q __BPFTRACE_NOTIFY_PROBES_ATTACHED "$tmp/ua.err" && [ $_i -lt 50 ]; do sleep 0.1; _i=$((_i + 1)); done
echo >&7
wait "$_tp"; rc=$?
base=$(grep -m 1 "$ap\$" "/proc/$pa/maps" | cut -d- -f1)
sym=$(nm "$P" | awk '$3 == "usdt_global" { print $1 }')
want=$(printf '%x' $((0x$base + 0x$sym)))
check "uaddr() in a usdt probe: the global's address in the process" eval '[ "$rc" -eq 0 ] && equals "$(cat "$tmp/ua")" "$want"'
exec 7>&- 8>&-
wait "$pa" "$pb" 2>/dev/null

check "no BPF program, map or link left" bpf_objs_same
check "no uprobe left in uprobe_events" equals "$(grep -c . "$uev" 2>/dev/null)" "$uprobes_before"
done_testing
