#!/bin/sh
# CLI: uprobe and uretprobe probes (issue 11) on the programs the Makefile
# builds in $BUILD/tests/uprobe (tests/uprobe/*.c: a PIE and a fixed-address
# build of one program, its shared library, a C++ program), and kprobes'
# compilation: listing (-l, -l -p), compile errors (anywhere), then in the
# kernel (root): counts, arguments, return values, func with wildcards,
# offsets, addresses, -p on a running process, a library by its bare name,
# C++ names, exact outputs; no BPF object and no uprobe left behind.
. "$(dirname "$0")/lib.sh"

: "${BUILD:=build}"
U="$BUILD/tests/uprobe"
case "$U" in /*) ;; *) U="$PWD/$U" ;; esac
case "$BPFKIT" in /*) ;; */*) BPFKIT="$PWD/$BPFKIT" ;; esac # some cases run in another directory
OBJS="$BUILD/tests/bpf_objects"
W="$BUILD/tests/workload"
tmp=$(mktemp -d /tmp/bpfkit-tup-XXXXXX)
loop_pid=
trap '[ -n "$loop_pid" ] && kill $loop_pid 2>/dev/null; rm -rf "$tmp"' EXIT

if [ ! -x "$U/target" ] || [ ! -x "$U/target_nopie" ] || [ ! -x "$U/target_cpp" ]; then
	skip "uprobe tests" "$U/target* are not built (make test-build)"
	done_testing
	exit 0
fi

# ---- anywhere: listing -------------------------------------------------------------------
out=$("$BPFKIT" trace -l "uprobe:$U/target:uf_*" 2>&1); rc=$?
check "-l uprobe:FILE:uf_*: the file's functions, as written" eval '[ "$rc" -eq 0 ] && equals "$out" "uprobe:$U/target:uf_add
uprobe:$U/target:uf_args8
uprobe:$U/target:uf_str
uprobe:$U/target:uf_tick"'
out=$(cd "$U/.." && "$BPFKIT" trace -l 'ur:uprobe/target:uf_a*' 2>&1); rc=$?
check "-l ur:DIR/FILE:...: a relative path without ./, shown as written" eval '[ "$rc" -eq 0 ] &&
	equals "$out" "uretprobe:uprobe/target:uf_add
uretprobe:uprobe/target:uf_args8"'
out=$("$BPFKIT" trace -l 'uprobe:libc:malloc' 2>&1); rc=$?
check "-l uprobe:libc:malloc: the library by its bare name, shown as found" eval '[ "$rc" -eq 0 ] &&
	contains "$out" "/libc.so.6:malloc" && [ "$(echo "$out" | wc -l)" -eq 1 ]'
out=$("$BPFKIT" trace -l "uprobe:$U/target_cpp:*Counter*" 2>&1)
check "-l of a C++ program: mangled names" equals "$out" "uprobe:$U/target_cpp:_ZN2ns7Counter4bumpEi"
if [ "$(id -u)" = 0 ] && [ -x /usr/bin/bpftrace ] && [ -x /bin/bash ]; then
	/usr/bin/bpftrace -l 'uprobe:/bin/bash:*' >"$tmp/bt.list" 2>/dev/null
	"$BPFKIT" trace -l 'uprobe:/bin/bash:*' >"$tmp/bk.list" 2>&1
	check "-l 'uprobe:/bin/bash:*': what bpftrace 0.17 lists" eval 'cmp -s "$tmp/bt.list" "$tmp/bk.list" &&
		[ "$(wc -l <"$tmp/bk.list")" -gt 100 ]'
else
	skip "-l 'uprobe:/bin/bash:*' against bpftrace" "needs root and /usr/bin/bpftrace"
fi
"$U/target" loop &
loop_pid=$!
i=0 # until its libraries are mapped
while [ $i -lt 50 ] && ! grep -q libuptarget "/proc/$loop_pid/maps" 2>/dev/null; do sleep 0.05; i=$((i + 1)); done
out=$("$BPFKIT" trace -l -p "$loop_pid" 2>&1); rc=$?
check "-l -p PID: the functions of every file the process maps, through /proc/PID/root" eval '[ "$rc" -eq 0 ] &&
	contains "$out" "uprobe:/proc/$loop_pid/root$U/target:uf_tick" &&
	contains "$out" "uprobe:/proc/$loop_pid/root$U/libuptarget.so:ul_mul" && contains "$out" "/libc.so.6:malloc"'
out=$("$BPFKIT" trace -l -p "$loop_pid" 'uprobe:libuptarget:ul_*' 2>&1); rc=$?
check "-l -p PID with a library's bare name: found among the process's mappings" eval '[ "$rc" -eq 0 ] &&
	equals "$out" "uprobe:/proc/$loop_pid/root$U/libuptarget.so:ul_mul"'
out=$("$BPFKIT" trace -l 'uprobe:*:malloc' 2>&1); rc=$?
check "-l with a wildcard file: an error that says what to give" eval '[ "$rc" -eq 1 ] &&
	contains "$out" "listing uprobes needs a file: uprobe:FILE:FUNCTION"'

# ---- anywhere: compile errors --------------------------------------------------------------
err() { # err SCRIPT: the compiler's answer (-d: nothing runs)
	out=$("$BPFKIT" trace -d -e "$1" 2>&1)
	rc=$?
}
err 'uprobe:/nonexistent/x:f { }'
check "a missing file: bpftrace's error, at the file" eval '[ "$rc" -eq 1 ] &&
	contains "$out" "stdin:1:8: error: uprobe target file '\''/nonexistent/x'\'' does not exist or is not executable"'
err "uprobe:$U/target:uf_nope { }"
check "a missing function: named, with the file" eval '[ "$rc" -eq 1 ] &&
	contains "$out" "error: no function '\''uf_nope'\'' in $U/target"'
err "uprobe:$U/target:nope* { }"
check "a wildcard matching nothing" eval '[ "$rc" -eq 1 ] && contains "$out" "error: no function matches '\''nope*'\'' in $U/target"'
size=$(nm -S "$U/target" | awk '$4 == "uf_args8" { print $2 }')
size=$((0x$size))
err "uprobe:$U/target:uf_args8+$size { }"
check "an offset at the function's size: outside its bounds" eval '[ "$rc" -eq 1 ] &&
	contains "$out" "error: offset $size is outside the function bounds ('\''uf_args8'\'' size is $size)"'
err "uprobe:$U/target:0x1 { }"
check "an address no function holds" eval '[ "$rc" -eq 1 ] &&
	contains "$out" "error: could not resolve address 0x1 in $U/target: no function holds it"'
printf 'not an ELF file\n' >"$tmp/text"
err "uprobe:$tmp/text:f { }"
check "a file that is no ELF file" eval '[ "$rc" -eq 1 ] &&
	contains "$out" "error: uprobe target file '\''$tmp/text'\'': $tmp/text: not an ELF file"'
head -c 100 "$U/target" >"$tmp/cut"
err "uprobe:$tmp/cut:f { }"
check "a truncated ELF file" eval '[ "$rc" -eq 1 ] && contains "$out" "$tmp/cut: truncated ELF file"'
if strip -o "$tmp/stripped" "$U/target" 2>/dev/null; then
	err "uprobe:$tmp/stripped:uf_add { }"
	check "a stripped copy: its static symbols are gone (.dynsym only)" eval '[ "$rc" -eq 1 ] &&
		contains "$out" "error: no function '\''uf_add'\'' in $tmp/stripped"'
else
	skip "a stripped copy" "no strip(1)"
fi
err "uprobe:$U/target:uf_add { print(retval); }"
check "retval in a uprobe: bpftrace's error" eval '[ "$rc" -eq 1 ] &&
	contains "$out" "error: The retval builtin can only be used with '\''kretprobe'\'' and '\''uretprobe'\'' and '\''kfunc'\'' probes"'
err "uretprobe:$U/target:uf_add { print(arg0); }"
check "arg0 in a uretprobe: bpftrace's error" eval '[ "$rc" -eq 1 ] &&
	contains "$out" "error: The arg0 builtin can only be used with '\''kprobes'\'', '\''uprobes'\'' and '\''usdt'\'' probes"'
err "uprobe:$U/target:uf_add { print(reg(\"rip\")); }"
check "reg() of an unknown register, with the nearest name" eval '[ "$rc" -eq 1 ] &&
	contains "$out" "error: '\''rip'\'' is not a valid register; did you mean '\''ip'\''?"'
err 'tracepoint:syscalls:sys_enter_read { print(func); }'
check "func in a tracepoint: bpftrace's error" eval '[ "$rc" -eq 1 ] &&
	contains "$out" "error: The func builtin can not be used with '\''tracepoint'\'' probes"'
err 'kprobe:vfs_read { @[func] = count(); @a = arg0; @s = arg7; } kprobe:vfs_write+4 { @o = reg("ip"); }
	kretprobe:vfs_read { @r = retval; }'
check "kprobes compile: pt_regs arguments, func, retval, an offset" eval '[ "$rc" -eq 0 ] &&
	contains "$out" "prog kprobe:vfs_read type=kprobe target=\"vfs_read\"" &&
	contains "$out" "prog kprobe:vfs_write+4 type=kprobe target=\"vfs_write\"" &&
	contains "$out" "prog kretprobe:vfs_read type=kretprobe target=\"vfs_read\"" &&
	contains "$out" "call bpf_probe_read_kernel"'
# a stripped file's symbols from its separate debug file (.gnu_debuglink beside it, then in .debug/)
if command -v objcopy >/dev/null 2>&1 && command -v strip >/dev/null 2>&1; then
	mkdir -p "$tmp/dbg/.debug"
	cp "$U/target" "$tmp/dbg/t" && objcopy --only-keep-debug "$tmp/dbg/t" "$tmp/dbg/t.debug" &&
		strip --strip-all "$tmp/dbg/t" && objcopy --add-gnu-debuglink="$tmp/dbg/t.debug" "$tmp/dbg/t"
	out1=$("$BPFKIT" trace -l "uprobe:$tmp/dbg/t:uf_a*" 2>&1)
	mv "$tmp/dbg/t.debug" "$tmp/dbg/.debug/t.debug"
	out2=$("$BPFKIT" trace -l "uprobe:$tmp/dbg/t:uf_a*" 2>&1)
	rm "$tmp/dbg/.debug/t.debug"
	out3=$("$BPFKIT" trace -l "uprobe:$tmp/dbg/t:uf_a*" 2>&1); rc=$?
	check "a stripped file's functions from its debug file (.gnu_debuglink: beside it, in .debug/; none without it)" eval '
		equals "$out1" "uprobe:$tmp/dbg/t:uf_add
uprobe:$tmp/dbg/t:uf_args8" && equals "$out2" "$out1" && [ "$rc" -eq 1 ] &&
		contains "$out3" "no probe matches"'
else
	skip "a stripped file's debug file" "no objcopy(1) or strip(1)"
fi

# args from DWARF (the test programs are built with -g)
out=$("$BPFKIT" trace -lv "uprobe:$U/target:uf_*" 2>&1); rc=$?
check "-lv uprobe:FILE:FUNC: the parameters from DWARF, spelled as bpftrace 0.17 spells them" eval '[ "$rc" -eq 0 ] &&
	equals "$out" "uprobe:$U/target:uf_add
    int a
    int b
uprobe:$U/target:uf_args8
    long int a
    long int b
    long int c
    long int d
    long int e
    long int f
    long int g
    long int h
uprobe:$U/target:uf_str
    const char* s
uprobe:$U/target:uf_tick"'
out=$("$BPFKIT" trace -lv -j "uprobe:$U/target:uf_str" 2>&1); rc=$?
check "-lv -j: the parameters as objects" eval '[ "$rc" -eq 0 ] &&
	contains "$out" "\"args\":[{\"name\":\"s\",\"type\":\"const char*\",\"size\":8}]"'
err "uprobe:$U/target:uf_add { @ = args->c; }"
check "args->x of a parameter the function lacks: its parameters named" eval '[ "$rc" -eq 1 ] &&
	contains "$out" "error: uprobe:$U/target:uf_add has no field '\''c'\''" && contains "$out" "note: its fields are: a, b"'
err "uprobe:$U/target:uf_args8 { @ = args->g; }"
check "args->x passed on the stack: refused, naming argN" eval '[ "$rc" -eq 1 ] &&
	contains "$out" "passed on the stack (read it as arg6)"'
err "uretprobe:$U/target:uf_add { @ = args->a; }"
check "args in a uretprobe: refused with the reason" eval '[ "$rc" -eq 1 ] &&
	contains "$out" "error: '\''args'\'' is not available in uretprobe probes"'
cp "$U/target" "$tmp/nodebug" && strip --strip-debug "$tmp/nodebug" 2>/dev/null
err "uprobe:$tmp/nodebug:uf_add { @ = args->a; }"
check "args without debug info: says so" eval '[ "$rc" -eq 1 ] &&
	contains "$out" "error: cannot read the arguments of uf_add: $tmp/nodebug has no DWARF debug info"'
err 'kretprobe:vfs_read+4 { }'
check "a kretprobe with an offset" eval '[ "$rc" -eq 1 ] && contains "$out" "error: a kretprobe takes no offset"'

# ---- the kernel ------------------------------------------------------------------------------
why=$(kernel_why "$W" "$OBJS")
if [ -n "$why" ]; then
	for name in counts pie nopie wildcards offset address library-path library-name relative pid cpp reg \
		dwarf-args demangle kprobe-attach leaks; do
		skip "kernel: $name" "$why"
	done
	done_testing
	exit 0
fi
UPEV=/sys/kernel/tracing/uprobe_events
uprobe_events() { cat "$UPEV" 2>/dev/null; }
events_before=$(uprobe_events)
bpf_objs_baseline "$OBJS"
leaks_ok=true
leakcheck() { bpf_objs_same || leaks_ok=false; }

# counts, arguments (stack ones too), return values, strings, func
script() { # script FILE: the same script on a PIE or fixed-address build
	cat <<EOF
uprobe:$1:uf_add /pid == cpid/ { @c = count(); @s = sum(arg1); }
uretprobe:$1:uf_add /pid == cpid/ { @r = sum(retval); }
uprobe:$1:uf_args8 /pid == cpid/ { printf("%d %d %d %d %d %d %d %d\\n", arg0, arg1, arg2, arg3, arg4, arg5,
	arg6, arg7); }
uretprobe:$1:uf_args8 /pid == cpid/ { printf("args8 returned %d\\n", retval); }
uprobe:$1:uf_str /pid == cpid/ { printf("%s %s %s\\n", str(arg0), func, probe); }
EOF
}
want_counts() {
	echo "Attaching 5 probes...
1 2 3 4 5 6 7 8
args8 returned 36
hello uf_str uprobe:$1:uf_str


@c: 10
@r: 135
@s: 90"
}
out=$(timeout 30 "$BPFKIT" trace -e "$(script "$U/target")" -c "$U/target 10" 2>&1); rc=$?
leakcheck
check "PIE: counts, arg0..arg7, retval, str(arg0), func, probe" eval '[ "$rc" -eq 0 ] &&
	equals "$out" "$(want_counts "$U/target")"'
out=$(timeout 30 "$BPFKIT" trace -e "$(script "$U/target_nopie")" -c "$U/target_nopie 10" 2>&1); rc=$?
leakcheck
check "non-PIE: the same" eval '[ "$rc" -eq 0 ] && equals "$out" "$(want_counts "$U/target_nopie")"'

out=$(timeout 30 "$BPFKIT" trace -e "uprobe:$U/target:uf_* /pid == cpid/ { @[func] = count(); }
	u:$U/target:uf_a* /pid == cpid/ { @p[probe] = count(); }" -c "$U/target 3" 2>&1); rc=$?
leakcheck
check "wildcards: a program per function, func names the one that fired (u: alias)" eval '[ "$rc" -eq 0 ] &&
	equals "$out" "Attaching 6 probes...


@[uf_args8]: 1
@[uf_str]: 1
@[uf_add]: 3
@p[uprobe:$U/target:uf_args8]: 1
@p[uprobe:$U/target:uf_add]: 3"'

# FUNC+OFF: the third instruction of uf_args8 (push %rbp; mov %rsp,%rbp; then
# the first add), where the argument registers are still untouched
off=$(objdump -d --no-show-raw-insn "$U/target" 2>/dev/null | awk '/<uf_args8>:/ { f = 1; next }
	f && /^ *[0-9a-f]+:/ { n++; a[n] = $1; if (n == 3) { print a[1], a[3]; exit } }' | tr -d :)
[ -n "$off" ] && off=$(( 0x${off#* } - 0x${off% *} ))
if [ -n "$off" ]; then
	out=$(timeout 30 "$BPFKIT" trace --no-warnings -e "uprobe:$U/target:uf_args8+$off /pid == cpid/ {
		printf(\"%s %s %d %d\n\", probe, func, arg0, arg1); }" -c "$U/target 1" 2>&1); rc=$?
	leakcheck
	check "FUNC+OFF: fires there, named as written" eval '[ "$rc" -eq 0 ] && equals "$out" "Attaching 1 probe...
uprobe:$U/target:uf_args8+$off uf_args8 1 2"'
	out=$("$BPFKIT" trace -d -e "uprobe:$U/target:uf_args8+$off { }" 2>&1)
	check "FUNC+OFF: a warning that the offset is unchecked" \
		contains "$out" "warning: bpfkit cannot check that an instruction starts at 'uf_args8+$off'"
else
	skip "kernel: offset" "no objdump(1)"
	skip "kernel: offset warning" "no objdump(1)"
fi

# an address (of the fixed-address build), and reg("ip") there
addr=$(nm "$U/target_nopie" | awk '$3 == "uf_add" { print "0x" $1 }')
out=$(timeout 30 "$BPFKIT" trace -e "uprobe:$U/target_nopie:$addr /pid == cpid/ {
	@[func, reg(\"ip\") == $addr] = count(); }" -c "$U/target_nopie 4" 2>&1); rc=$?
leakcheck
check "an address: the function holding it, reg(\"ip\") is that address" eval '[ "$rc" -eq 0 ] &&
	equals "$out" "Attaching 1 probe...


@[uf_add, 1]: 4"'

# libraries: by path, by bare name (libc), and a path relative to the current directory
out=$(timeout 30 "$BPFKIT" trace -e "uprobe:$U/libuptarget.so:ul_mul /pid == cpid/ { printf(\"%d * %d\n\", arg0, arg1); }
	uretprobe:$U/libuptarget.so:ul_mul /pid == cpid/ { printf(\"= %d\n\", retval); }" -c "$U/target 1" 2>&1); rc=$?
leakcheck
check "a shared library by path: arguments and return value" eval '[ "$rc" -eq 0 ] &&
	equals "$out" "Attaching 2 probes...
6 * 7
= 42"'
out=$(timeout 30 "$BPFKIT" trace -e 'uprobe:libc:exit /pid == cpid/ { printf("%s %d\n", func, arg0); }' \
	-c "$U/target 1" 2>&1); rc=$?
leakcheck
check "a library by its bare name (libc)" eval '[ "$rc" -eq 0 ] && equals "$out" "Attaching 1 probe...
exit 0"'
out=$(cd "$U/.." && timeout 30 "$BPFKIT" trace -e 'uprobe:uprobe/target:uf_add/pid == cpid/ { @ = count(); }' \
	-c "$U/target 2" 2>&1); rc=$?
leakcheck
check "a relative path without ./, a predicate right after it" eval '[ "$rc" -eq 0 ] && equals "$out" "Attaching 1 probe...


@: 2"'

# -p: only that process, through its own mapping; a second copy runs beside it
"$U/target" loop &
other=$!
out=$(timeout 30 "$BPFKIT" trace -p "$loop_pid" -e "uprobe:$U/target:uf_tick { @[pid == $loop_pid] = count(); }
	uprobe:libuptarget:ul_mul { } interval:ms:400 { exit(); }" 2>&1); rc=$?
kill "$other" 2>/dev/null
leakcheck
n=$(echo "$out" | sed -n 's/^@\[1\]: //p')
check "-p PID: fires in that process only (about every 20 ms), a library among its mappings" eval '[ "$rc" -eq 0 ] &&
	contains "$out" "Attaching 3 probes..." && [ -n "$n" ] && [ "$n" -ge 5 ] && ! echo "$out" | grep -q "^@\[0\]"'

out=$(timeout 30 "$BPFKIT" trace -e "uprobe:$U/target_cpp:_ZN2ns7Counter4bumpEi /pid == cpid/ { @[func] = count(); }
	uretprobe:$U/target_cpp:_Z7cpp_sum* /pid == cpid/ { @r = sum(retval); }" -c "$U/target_cpp 5" 2>&1); rc=$?
leakcheck
check "C++: mangled names, a wildcard over them" eval '[ "$rc" -eq 0 ] && equals "$out" "Attaching 2 probes...


@[_ZN2ns7Counter4bumpEi]: 5
@r: 15"'

# C++ names of user frames print demangled, unless BPFTRACE_NO_CPP_DEMANGLE=1
cpp_prog="uprobe:$U/target_cpp:_ZN2ns7Counter4bumpEi /pid == cpid/ { @[usym(reg(\"ip\")), ustack(1)] = count(); }"
out=$(timeout 30 "$BPFKIT" trace -e "$cpp_prog" -c "$U/target_cpp 2000" 2>&1); rc=$?
out2=$(BPFTRACE_NO_CPP_DEMANGLE=1 timeout 30 "$BPFKIT" trace -e "$cpp_prog" -c "$U/target_cpp 2000" 2>&1); rc2=$?
leakcheck
check "C++: usym() and ustack demangled (ns::Counter::bump(int)); mangled with BPFTRACE_NO_CPP_DEMANGLE=1" eval '
	[ "$rc" -eq 0 ] && [ "$rc2" -eq 0 ] &&
	contains "$out" "@[ns::Counter::bump(int), " && contains "$out" "    ns::Counter::bump(int)+0" &&
	contains "$out2" "@[_ZN2ns7Counter4bumpEi, " && contains "$out2" "    _ZN2ns7Counter4bumpEi+0"'

out=$(timeout 30 "$BPFKIT" trace -e "uprobe:$U/target:uf_add /pid == cpid/ { @[reg(\"di\") == arg0, reg(\"si\") == arg1] = count(); }" \
	-c "$U/target 3" 2>&1); rc=$?
leakcheck
check "reg(\"di\"), reg(\"si\") are arg0 and arg1" eval '[ "$rc" -eq 0 ] && equals "$out" "Attaching 1 probe...


@[1, 1]: 3"'

out=$(timeout 30 "$BPFKIT" trace -e "uprobe:$U/target:uf_add /pid == cpid/ { printf(\"%d %d\\n\", args->a, args.b); }
	uprobe:$U/target:uf_str /pid == cpid/ { printf(\"%s\\n\", str(args->s)); }
	uprobe:$U/target:uf_args8 /pid == cpid/ { printf(\"%ld %ld\\n\", args->a, args->f); }" -c "$U/target 3" 2>&1); rc=$?
leakcheck
check "args->x and args.x from DWARF: int, long and char* parameters by name" eval '[ "$rc" -eq 0 ] &&
	equals "$out" "Attaching 3 probes...
0 0
1 2
2 4
1 6
hello"'

# kprobes: attached where the kernel has them; here, the reason when it has not
if "$BPFKIT" trace --info 2>/dev/null | grep -q '^  kprobe  *yes'; then
	out=$(timeout 30 "$BPFKIT" trace -e 'kprobe:do_nanosleep { @ = count(); } interval:ms:100 { exit(); }' 2>&1); rc=$?
	check "kprobe attaches" eval '[ "$rc" -eq 0 ]'
else
	out=$(timeout 30 "$BPFKIT" trace -e 'kprobe:do_nanosleep { @ = count(); }' 2>&1); rc=$?
	check "kprobe on a kernel without kprobes: fails at attach with the reason" eval '[ "$rc" -eq 1 ] &&
		contains "$out" "kprobes are not available"'
fi
leakcheck

check "kernel: no BPF program, map or link left behind" $leaks_ok
check "kernel: uprobe_events unchanged (the uprobe PMU leaves none)" equals "$(uprobe_events)" "$events_before"
done_testing
