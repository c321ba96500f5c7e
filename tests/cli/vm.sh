#!/bin/sh
# CLI: bpfkit vm run -- every input format, memory, JSON, stats, budgets,
# the fault message with its source line, exit codes (0 ok, 1 load error
# or fault, 2 usage) -- and bpfkit vm plugin, the bpf_conformance protocol.
. "$(dirname "$0")/lib.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
CONF=${CONF_DIR:-}

# mov32 r0, 42; exit -- as hex, raw and a .data file
hex='b4 00 00 00 2a 00 00 00
95 00 00 00 00 00 00 00'
printf '%s\n' "$hex" >"$tmp/p.hex"
printf '\264\000\000\000\052\000\000\000\225\000\000\000\000\000\000\000' >"$tmp/p.bin"
printf '# test\n-- raw\n0x0000002a000000b4\n0x0000000000000095\n-- result\n0x2b\n' >"$tmp/p.data"
printf 'mov32 %%r0, 42\nexit\n' >"$tmp/p.asm"

out=$("$BPFKIT" vm run "$tmp/p.asm"); rc=$?
check "asm runs (exit 0)" [ "$rc" -eq 0 ]
check "r0 printed in hex" equals "$out" "0x2a"
check "hex input" equals "$("$BPFKIT" vm run "$tmp/p.hex")" "0x2a"
check "raw input" equals "$("$BPFKIT" vm run "$tmp/p.bin")" "0x2a"
check "-F raw forces the format" equals "$("$BPFKIT" vm run -F raw "$tmp/p.bin")" "0x2a"
check ".data input (its result is not checked)" equals "$("$BPFKIT" vm run "$tmp/p.data")" "0x2a"
check "stdin" equals "$("$BPFKIT" vm run - <"$tmp/p.asm")" "0x2a"
check "-e TEXT" equals "$("$BPFKIT" vm run -e 'mov %r0, -1; exit')" "0xffffffffffffffff"
check "prefix 'vm r'" equals "$("$BPFKIT" vm r "$tmp/p.asm")" "0x2a"

# memory: --mem, --mem-file, and a .data file's own -- mem
prog='ldxw %r0, [%r1]; be32 %r0; add %r0, %r2; exit'
check "--mem HEX (r1 = memory, r2 = length)" \
	equals "$("$BPFKIT" vm run -e "$prog" --mem 'de ad be ef')" "0xdeadbef3"
printf '\001\002\003\004\005' >"$tmp/mem.bin"
check "--mem-file" equals "$("$BPFKIT" vm run -e "$prog" --mem-file "$tmp/mem.bin")" "0x1020309"
printf -- '-- asm\nldxb %%r0, [%%r1+2]\nexit\n-- mem\n00 11\n22 33\n' >"$tmp/m.data"
check ".data brings its memory" equals "$("$BPFKIT" vm run "$tmp/m.data")" "0x22"
check "--mem overrides it" equals "$("$BPFKIT" vm run --mem '00 00 77' "$tmp/m.data")" "0x77"

# JSON and stats
out=$("$BPFKIT" vm run -j "$tmp/p.asm")
check "-j" equals "$out" '{"r0":42,"r0_hex":"0x2a","insns":2}'
out=$("$BPFKIT" -j vm run "$tmp/p.asm")
check "global -j" equals "$out" '{"r0":42,"r0_hex":"0x2a","insns":2}'
out=$("$BPFKIT" vm run -p "$tmp/p.asm")
check "-p indents" contains "$out" '
  "r0": 42,'
out=$("$BPFKIT" vm run --stats "$tmp/p.asm" 2>"$tmp/err")
check "--stats keeps stdout clean" equals "$out" "0x2a"
check "--stats on stderr" contains "$(cat "$tmp/err")" "2 instructions in"
check "-j --stats adds time_ns" contains "$("$BPFKIT" vm run -j -s "$tmp/p.asm")" '"time_ns":'

# faults: file, insn, message, then the source line
printf 'mov %%r0, 0\n\n  ldxdw %%r0, [%%r1+8]   # past the end\nexit\n' >"$tmp/oob.asm"
out=$("$BPFKIT" vm run --mem '01 02 03 04' "$tmp/oob.asm" 2>&1); rc=$?
check "a fault exits 1" [ "$rc" -eq 1 ]
check "fault names file, insn and access" \
	contains "$out" "$tmp/oob.asm: insn 1: error: out-of-bounds load of 8 bytes at 0x"
check "fault says how far out" contains "$out" "(r1+8); 4 bytes past the end of the input (4 bytes)"
check "fault shows the source line" contains "$out" "$tmp/oob.asm:3: ldxdw %r0, [%r1+8]   # past the end"
out=$("$BPFKIT" vm run -j --mem '01' "$tmp/oob.asm" 2>/dev/null)
check "JSON fault has insn and line" contains "$out" '"line":3,"col":0,"insn":1}'
out=$("$BPFKIT" vm run -e 'mov %r1, 5; stxdw [%r10+0], %r1; exit' 2>&1)
check "store above the stack" contains "$out" "insn 1: error: out-of-bounds store of 8 bytes"

# budgets
loop='mov %r0, 0; l: add %r0, 1; ja l'
out=$("$BPFKIT" vm run --budget 1000 -e "$loop" 2>&1); rc=$?
check "budget exhausted exits 1" [ "$rc" -eq 1 ]
check "budget message" contains "$out" "error: instruction budget of 1000 exhausted"
out=$("$BPFKIT" vm run -e "$loop" 2>&1)
check "default budget of 10 million" contains "$out" "instruction budget of 10000000 exhausted"
check "--budget 0 is unlimited" \
	equals "$("$BPFKIT" vm run --budget 0 -e 'mov %r0, 0; l: add %r0, 1; jlt %r0, 20000000, l; exit')" \
	"0x1312d00"

# load-time errors
out=$("$BPFKIT" vm run -e 'mov %r0, 1; call 99; exit' 2>&1); rc=$?
check "unknown helper refused (exit 1)" [ "$rc" -eq 1 ]
check "with insn and reason" contains "$out" "insn 1: error: call to unknown helper 99"
out=$("$BPFKIT" vm run -e 'mov %r0, 1' 2>&1)
check "falling off the end refused" contains "$out" "insn 0: error: the program can run past its last instruction"
printf '95 00 00\n' >"$tmp/short.hex"
out=$("$BPFKIT" vm run "$tmp/short.hex" 2>&1); rc=$?
check "hex of a bad length (exit 1)" [ "$rc" -eq 1 ]
check "says so" contains "$out" "hex input is 3 bytes, not a multiple of 8"
printf '95 00 zz\n' >"$tmp/bad.hex"
out=$("$BPFKIT" vm run -F hex "$tmp/bad.hex" 2>&1)
check "bad hex has line:col" contains "$out" "bad.hex:1:7: error: invalid hex digit"
out=$("$BPFKIT" vm run "$tmp/missing.asm" 2>&1); rc=$?
check "missing file exits 1" [ "$rc" -eq 1 ]

# usage
"$BPFKIT" vm run >/dev/null 2>&1; rc=$?
check "no input is a usage error (2)" [ "$rc" -eq 2 ]
"$BPFKIT" vm run --budget x "$tmp/p.asm" >/dev/null 2>&1; rc=$?
check "bad --budget (2)" [ "$rc" -eq 2 ]
"$BPFKIT" vm run -F pdf "$tmp/p.asm" >/dev/null 2>&1; rc=$?
check "bad -F (2)" [ "$rc" -eq 2 ]
"$BPFKIT" vm run --mem zz "$tmp/p.asm" >/dev/null 2>&1; rc=$?
check "bad --mem (2)" [ "$rc" -eq 2 ]
out=$("$BPFKIT" vm run --help); rc=$?
check "--help on stdout, exit 0" [ "$rc" -eq 0 ]
check "--help text" contains "$out" "Usage: bpfkit vm run"
out=$("$BPFKIT" vm help)
check "vm help lists run and plugin" contains "$out" "plugin"

# an ELF object from clang, when clang can target bpf
cat >"$tmp/p.c" <<'EOF'
__attribute__((section("xdp"), used)) int sum(unsigned char *d) { return d[0] + d[1] + d[2]; }
__attribute__((section("tc"), used)) int seven(void *ctx) { return 7; }
char _license[] __attribute__((section("license"), used)) = "GPL";
EOF
if command -v clang >/dev/null 2>&1 && clang -target bpf -O2 -c "$tmp/p.c" -o "$tmp/p.o" 2>/dev/null; then
	check "ELF: the first program" equals "$("$BPFKIT" vm run --mem '01 02 03' "$tmp/p.o")" "0x6"
	check "ELF: --prog NAME" equals "$("$BPFKIT" vm run --prog tc "$tmp/p.o")" "0x7"
	out=$("$BPFKIT" vm run --prog nope "$tmp/p.o" 2>&1)
	check "ELF: unknown --prog lists the programs" contains "$out" "no program named 'nope' (it has: xdp, tc)"
else
	skip "ELF input" "clang -target bpf not available"
fi

# the examples
if [ -f examples/sieve.asm ]; then
	check "examples/sieve.asm counts 564 primes" equals "$("$BPFKIT" vm run examples/sieve.asm)" "0x234"
else
	skip "examples/sieve.asm" "not run from the source tree"
fi

# the JIT: the same results, faults, messages and budget as the interpreter
if [ "$(uname -m)" = x86_64 ]; then
	check "--jit" equals "$("$BPFKIT" vm run --jit "$tmp/p.asm")" "0x2a"
	check "--jit with memory" equals "$("$BPFKIT" vm run --jit -e "$prog" --mem 'de ad be ef')" "0xdeadbef3"
	check "--jit=blind,retpoline" \
		equals "$("$BPFKIT" vm run --jit=blind,retpoline -e "$prog" --mem 'de ad be ef')" "0xdeadbef3"
	check "--jit -j counts instructions" equals "$("$BPFKIT" vm run --jit -j "$tmp/p.asm")" \
		'{"r0":42,"r0_hex":"0x2a","insns":2}'
	"$BPFKIT" vm run --jit=fast "$tmp/p.asm" >/dev/null 2>&1; rc=$?
	check "--jit=unknown is a usage error (2)" [ "$rc" -eq 2 ]
	"$BPFKIT" vm run --mem '01 02 03 04' "$tmp/oob.asm" >"$tmp/i.out" 2>&1
	"$BPFKIT" vm run --jit --mem '01 02 03 04' "$tmp/oob.asm" >"$tmp/j.out" 2>&1; rc=$?
	check "--jit fault exits 1" [ "$rc" -eq 1 ]
	# (two processes: the heap address differs, the rest must not)
	check "--jit fault: the interpreter's message" \
		equals "$(sed 's/ at 0x[0-9a-f]*/ at ADDR/' "$tmp/j.out")" "$(sed 's/ at 0x[0-9a-f]*/ at ADDR/' "$tmp/i.out")"
	check "--jit fault names insn and access" contains "$(cat "$tmp/j.out")" "insn 1: error: out-of-bounds load of 8 bytes"
	out=$("$BPFKIT" vm run --jit --budget 1000 -e "$loop" 2>&1); rc=$?
	check "--jit budget exhausted exits 1" [ "$rc" -eq 1 ]
	check "--jit budget message and insn" equals "$out" "$("$BPFKIT" vm run --budget 1000 -e "$loop" 2>&1)"
	check "--jit --budget 0 is unlimited" \
		equals "$("$BPFKIT" vm run --jit --budget 0 -e 'mov %r0, 0; l: add %r0, 1; jlt %r0, 20000000, l; exit')" \
		"0x1312d00"
	"$BPFKIT" vm run --jit --stats "$tmp/p.asm" 2>"$tmp/err" >/dev/null
	check "--jit --stats: compile time" contains "$(cat "$tmp/err")" "compiled to native code in"

	# jit-dump: markers, objdump or hex, JSON, blinding
	dprog='mov %r0, 0x12345678; ldxdw %r1, [%r1+8]; exit'
	out=$("$BPFKIT" vm jit-dump -e "$dprog"); rc=$?
	check "jit-dump exits 0" [ "$rc" -eq 0 ]
	check "jit-dump header" contains "$out" "; 3 instruction slots, "
	check "jit-dump marks instructions" contains "$out" "; insn 1: ldxdw %r1, [%r1+8]"
	check "jit-dump marks the entry" contains "$out" "; entry: prologue"
	check "jit-dump marks the stubs" contains "$out" "; stubs: slow paths"
	if command -v objdump >/dev/null 2>&1; then
		check "jit-dump disassembles (objdump)" contains "$out" "push   %rbx"
		check "jit-dump: the constant in a mov" contains "$out" "mov    \$0x12345678,%eax"
	else
		skip "jit-dump disassembly" "objdump (binutils) not installed"
	fi
	out=$("$BPFKIT" vm jit-dump --hex -e "$dprog")
	check "jit-dump --hex" contains "$out" "; insn 0: mov %r0, 305419896
   "
	check "jit-dump --hex bytes: mov eax, imm32" contains "$out" "b8 78 56 34 12"
	out=$("$BPFKIT" vm jit-dump -j -e "$dprog")
	check "jit-dump -j lists offsets" contains "$out" '"insns":[{"insn":0,"offset":'
	check "jit-dump -j has the code" contains "$out" 'b878563412'
	out=$("$BPFKIT" vm jit-dump -j --blind -e "$dprog")
	case $out in *78563412*) blinded=no ;; *) blinded=yes ;; esac
	check "jit-dump --blind: the constant is not in the code" equals "$blinded" yes
	out=$("$BPFKIT" vm jit-dump --retpoline -e 'mov %r1, 4; callx %r1; exit')
	check "jit-dump --retpoline header" contains "$out" ", retpolines"
	out=$("$BPFKIT" vm jit-dump -e 'call 99; exit' 2>&1); rc=$?
	check "jit-dump of a bad program exits 1" [ "$rc" -eq 1 ]
	check "jit-dump says why" contains "$out" "insn 0: error: call to unknown helper 99"
	"$BPFKIT" vm jit-dump --mem '00' "$tmp/p.asm" >/dev/null 2>&1; rc=$?
	check "jit-dump refuses run options (2)" [ "$rc" -eq 2 ]
	out=$("$BPFKIT" vm jit-dump --help); rc=$?
	check "jit-dump --help" contains "$out" "Usage: bpfkit vm jit-dump"
else
	skip "the JIT" "not an x86-64 host"
fi

# the plugin protocol: memory as the first argument, program hex on stdin
out=$(printf '%s\n' "$hex" | "$BPFKIT" vm plugin); rc=$?
check "plugin runs (exit 0)" [ "$rc" -eq 0 ]
check "plugin prints r0 in bare hex" equals "$out" "2a"
out=$(echo 'b4  00  00  00  2a  00  00  00  95  00  00  00  00  00  00  00  ' | "$BPFKIT" vm plugin "" "")
check "runner-style spacing and empty arguments" equals "$out" "2a"
# ldxh r0, [r1+2]; exit over memory 11 22 33 44
ldx='69 10 02 00 00 00 00 00 95 00 00 00 00 00 00 00'
check "memory argument" equals "$(echo "$ldx" | "$BPFKIT" vm plugin '11  22  33  44  ')" "4433"
check "--program HEX" equals "$("$BPFKIT" vm plugin '11 22 33 44' --program "$ldx" </dev/null)" "4433"
check "--interpret accepted" equals "$(echo "$ldx" | "$BPFKIT" vm plugin '11 22 33 44' --interpret)" "4433"
# unwind: mov r1, 0; call 5; mov r0, 2; exit -> 0
unwind='b7 01 00 00 00 00 00 00 85 00 00 00 05 00 00 00 b7 00 00 00 02 00 00 00 95 00 00 00 00 00 00 00'
check "helper 5 unwinds" equals "$(echo "$unwind" | "$BPFKIT" vm plugin)" "0"
out=$(echo "$ldx" | "$BPFKIT" vm plugin '11' 2>"$tmp/err"); rc=$?
check "plugin fault exits 1" [ "$rc" -eq 1 ]
check "plugin fault on stderr, stdout empty" equals "$out" ""
check "plugin fault message" contains "$(cat "$tmp/err")" "insn 0: out-of-bounds load of 2 bytes"
echo '95 00 00' | "$BPFKIT" vm plugin >/dev/null 2>"$tmp/err"; rc=$?
check "plugin bad length exits 1" [ "$rc" -eq 1 ]
check "plugin says why" contains "$(cat "$tmp/err")" "length 3 is not a multiple of 8"
check "plugin --jit" equals "$(echo "$ldx" | "$BPFKIT" vm plugin '11 22 33 44' --jit)" "4433"
check "plugin --jit unwinds" equals "$(echo "$unwind" | "$BPFKIT" vm plugin --jit)" "0"
out=$(echo "$ldx" | "$BPFKIT" vm plugin '11' --jit 2>&1); rc=$?
check "plugin --jit fault exits 1" [ "$rc" -eq 1 ]
check "plugin --jit fault message" contains "$out" "insn 0: out-of-bounds load of 2 bytes"
echo "$hex" | "$BPFKIT" vm plugin --bogus >/dev/null 2>&1; rc=$?
check "plugin refuses unknown options" [ "$rc" -eq 1 ]

# the plugin against suite files, when the suite is here: assemble with
# bpfkit asm, feed as the runner would, compare with -- result
if [ -n "$CONF" ] && [ -d "$CONF" ]; then
	for t in subnet ldxh-same-reg lock_cmpxchg call_unwind_fail; do
		f="$CONF/$t.data"
		want=$(sed -n '/^-- result/{n;p;}' "$f" | tr 'A-F' 'a-f' | sed 's/^0x0*//;s/^$/0/')
		mem=$(sed -n '/^-- mem/,/^--/{/^--/d;p;}' "$f" | tr '\n' ' ')
		prog=$(sed -n '/^-- asm/,/^--/{/^--/d;p;}' "$f" | "$BPFKIT" asm - 2>/dev/null | tr '\n' ' ')
		if [ -z "$prog" ]; then
			skip "plugin runs $t.data" "bpfkit asm cannot assemble it"
			continue
		fi
		got=$(echo "$prog" | "$BPFKIT" vm plugin "$mem")
		check "plugin runs $t.data" equals "$got" "$want"
	done
else
	skip "plugin runs suite files" "conformance suite not found"
fi

done_testing
