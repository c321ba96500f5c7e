#!/bin/sh
# CLI: bpfkit asm -- output formats, dialects, -e, JSON, diagnostics with a
# caret, exit codes (0 ok, 1 bad input, 2 usage).
. "$(dirname "$0")/lib.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

printf 'mov32 %%r0, 1\nlddw %%r1, 0x1122334455667788\nexit\n' >"$tmp/conf.s"
printf 'w0 = 1\nr1 = 0x1122334455667788 ll\nexit\n' >"$tmp/kern.s"
want='b4 00 00 00 01 00 00 00
18 01 00 00 88 77 66 55
00 00 00 00 44 33 22 11
95 00 00 00 00 00 00 00'

out=$("$BPFKIT" asm "$tmp/conf.s"); rc=$?
check "conformance text assembles (exit 0)" [ "$rc" -eq 0 ]
check "default output is hex, one slot per line" equals "$out" "$want"

out=$("$BPFKIT" asm -D kern "$tmp/kern.s")
check "kernel text gives the same bytes" equals "$out" "$want"

out=$("$BPFKIT" asm - <"$tmp/conf.s")
check "'-' reads stdin" equals "$out" "$want"

out=$("$BPFKIT" asm -e 'mov32 %r0, 1; lddw %r1, 0x1122334455667788; exit')
check "-e with ';' between lines" equals "$out" "$want"

out=$("$BPFKIT" asm -e 'mov32 %r0, 1 # a comment; not a line
exit')
check "';' inside a comment does not split" equals "$out" 'b4 00 00 00 01 00 00 00
95 00 00 00 00 00 00 00'

"$BPFKIT" asm -O raw -o "$tmp/p.bin" "$tmp/conf.s"; rc=$?
check "-O raw -o FILE exits 0" [ "$rc" -eq 0 ]
check "raw output is 8 bytes per slot" equals "$(wc -c <"$tmp/p.bin" | tr -d ' ')" 32
check "raw bytes are little-endian slots" \
	equals "$(od -An -tx1 -v "$tmp/p.bin" | tr -s ' \n' ' ' | sed 's/^ //;s/ $//')" \
	"$(echo "$want" | tr '\n' ' ' | sed 's/ $//')"

out=$("$BPFKIT" asm -O raw "$tmp/conf.s" | od -An -tx1 | head -n 1)
check "raw to a pipe is allowed" contains "$out" "b4 00 00 00 01 00 00 00"

if command -v script >/dev/null 2>&1; then
	script -qec "$BPFKIT asm -O raw $tmp/conf.s" /dev/null >"$tmp/tty.out" 2>&1; rc=$?
	check "raw to a terminal is refused (exit 2)" [ "$rc" -eq 2 ]
	check "and says why" contains "$(cat "$tmp/tty.out")" "refusing to write raw bytes to a terminal"
else
	skip "raw to a terminal" "script(1) not installed"
	skip "raw to a terminal message" "script(1) not installed"
fi

out=$("$BPFKIT" asm -j "$tmp/conf.s")
check "-j lists slots with hex and line" \
	contains "$out" '{"insns":[{"slot":0,"hex":"b400000001000000","line":1},{"slot":1,"hex":"1801000088776655","line":2},{"slot":2,"hex":"0000000044332211","line":2}'
out=$("$BPFKIT" -j asm -e 'top: exit')
check "global -j works too, with symbols" contains "$out" '"syms":[{"name":"top","insn":0}]'
out=$("$BPFKIT" asm -p -e 'exit')
check "-p indents" contains "$out" '
  "insns": ['

"$BPFKIT" asm -O elf -s xdp -o "$tmp/p.o" "$tmp/conf.s"; rc=$?
if [ "$rc" -eq 0 ] && command -v llvm-objdump >/dev/null 2>&1; then
	out=$(llvm-objdump -d "$tmp/p.o")
	check "-O elf writes an object llvm-objdump reads" contains "$out" "Disassembly of section xdp"
	out=$("$BPFKIT" asm -D kern "$tmp/kern.s" >/dev/null && llvm-objdump -d "$tmp/p.o" | "$BPFKIT" asm -)
	check "llvm-objdump output of it assembles back" equals "$out" "$want"
else
	check "-O elf exits 0" [ "$rc" -eq 0 ]
	skip "ELF through llvm-objdump" "llvm-objdump not installed"
fi

# diagnostics: file:line:col, the line, a caret under the token
printf 'mov %%r0, 1\n  ldxdq %%r0, [%%r1]\nexit\n' >"$tmp/bad.s"
err=$("$BPFKIT" asm "$tmp/bad.s" 2>&1 >/dev/null); rc=$?
check "bad input exits 1" [ "$rc" -eq 1 ]
check "error names file:line:col" \
	contains "$err" "$tmp/bad.s:2:3: error: unknown instruction 'ldxdq'; did you mean 'ldxdw'?"
check "error shows the line and a caret span" contains "$err" '  ldxdq %r0, [%r1]
  ^~~~~'
long=$(head -c 200000 /dev/zero | tr '\0' x)
printf 'exit\nmov %%r0, 1 # %s\n  ldxdq %%r0, [%%r1] # %s\n' "$long" "$long" >"$tmp/long.s"
err=$("$BPFKIT" asm "$tmp/long.s" 2>&1 >/dev/null)
check "a 200 KB line is echoed as a window around the caret" eval '[ ${#err} -lt 400 ] &&
	contains "$err" "  ldxdq %r0, [%r1] # xxxxxxxx" >/dev/null && contains "$err" "xxxx...
  ^~~~~" >/dev/null'
err=$(NO_COLOR=1 "$BPFKIT" asm -e 'exit; ja nowhere' 2>&1 >/dev/null)
check "-e errors name the command line" \
	contains "$err" "<command line>:2:5: error: undefined label 'nowhere'"
out=$("$BPFKIT" -j asm "$tmp/bad.s" 2>/dev/null)
check "errors are JSON on stdout with -j, with the span's length" \
	equals "$out" '{"error":"unknown instruction '"'ldxdq'"'; did you mean '"'ldxdw'"'?","file":"'"$tmp/bad.s"'","line":2,"col":3,"len":5}'
err=$(printf '# nothing\n' | "$BPFKIT" asm - 2>&1 >/dev/null); rc=$?
check "an empty program is an error" [ "$rc" -eq 1 ]
check "that says so" contains "$err" "<stdin>: error: no instructions"
err=$("$BPFKIT" asm -D conf "$tmp/kern.s" 2>&1 >/dev/null); rc=$?
check "-D conf refuses kernel syntax (exit 1)" [ "$rc" -eq 1 ]
check "and says which dialect it saw" contains "$err" "starts a kernel-dialect instruction"
err=$("$BPFKIT" asm "$tmp/missing.s" 2>&1 >/dev/null); rc=$?
check "missing file exits 1" [ "$rc" -eq 1 ]
check "missing file is named" contains "$err" "cannot read '$tmp/missing.s'"

# usage errors exit 2, help exits 0 on stdout
"$BPFKIT" asm >/dev/null 2>&1; rc=$?
check "no input is a usage error" [ "$rc" -eq 2 ]
"$BPFKIT" asm -D bogus "$tmp/conf.s" >/dev/null 2>&1; rc=$?
check "unknown dialect is a usage error" [ "$rc" -eq 2 ]
"$BPFKIT" asm -O pdf "$tmp/conf.s" >/dev/null 2>&1; rc=$?
check "unknown format is a usage error" [ "$rc" -eq 2 ]
"$BPFKIT" asm -e exit "$tmp/conf.s" >/dev/null 2>&1; rc=$?
check "-e and a file is a usage error" [ "$rc" -eq 2 ]
"$BPFKIT" asm -j -O raw "$tmp/conf.s" >/dev/null 2>&1; rc=$?
check "-j with -O raw is a usage error" [ "$rc" -eq 2 ]
"$BPFKIT" asm --bogus >/dev/null 2>&1; rc=$?
check "unknown option is a usage error" [ "$rc" -eq 2 ]
out=$("$BPFKIT" asm --help); rc=$?
check "--help exits 0" [ "$rc" -eq 0 ]
check "--help is on stdout" contains "$out" "Usage: bpfkit asm"
out=$("$BPFKIT" as -e exit)
check "prefix 'as' runs asm" equals "$out" "95 00 00 00 00 00 00 00"

done_testing
