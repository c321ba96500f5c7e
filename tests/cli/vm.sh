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
out=$("$BPFKIT" vm run -e 'mov %r0, 1; call 999; exit' 2>&1); rc=$?
check "unknown helper refused (exit 1)" [ "$rc" -eq 1 ]
check "with insn and reason" contains "$out" "insn 1: error: call to unknown helper 999"
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

# helpers: the default set is the kernel helpers the VM implements, under
# their kernel numbers; the conformance suite's test helpers only on request
out=$("$BPFKIT" vm run -e 'mov %r1, 0; call 5; mov %r0, 2; exit'); rc=$?
check "helper 5 is bpf_ktime_get_ns, not the suite's unwind" equals "$rc:$out" "0:0x2"
check "--test-helpers: 5 unwinds" \
	equals "$("$BPFKIT" vm run --test-helpers -e 'mov %r1, 0; call 5; mov %r0, 2; exit')" "0x0"
check "-T: 0 is gather_bytes" \
	equals "$("$BPFKIT" vm run -T -e 'mov %r1, 1; mov %r2, 2; mov %r3, 3; mov %r4, 4; mov %r5, 5; call 0; exit')" \
	"0x102030405"
check "bpf_ktime_get_ns: positive and monotonic" \
	equals "$("$BPFKIT" vm run -e 'call 5; mov %r6, %r0; call 5; mov %r7, %r0; mov %r0, 0
		jeq %r6, 0, +2; jlt %r7, %r6, +1; mov %r0, 1; exit')" "0x1"
out=$("$BPFKIT" vm run -e 'mov %r1, 0; mov %r2, 0; call 14; exit' 2>&1); rc=$?
check "a kernel helper the VM lacks is refused at load (exit 1)" [ "$rc" -eq 1 ]
check "by name and instruction" \
	contains "$out" "insn 2: error: helper bpf_get_current_pid_tgid (14) is not implemented by the VM"
# (r1 is the memory when memfrob runs)
check "memfrob only with --test-helpers" \
	equals "$("$BPFKIT" vm run -T --mem '00' -e 'mov %r6, %r1; mov %r2, 1; call 1; ldxb %r0, [%r6]; exit' 2>&1)" \
	"0x2a"
out=$("$BPFKIT" vm run -e 'r1 = map[counts] ll; r0 = 0; exit' 2>&1); rc=$?
check "a map reference is refused at load (exit 1)" [ "$rc" -eq 1 ]
check "naming the map and the instruction" \
	contains "$out" "insn 0: error: lddw refers to map 'counts', which the VM does not have"

out=$("$BPFKIT" vm run -P xdp "$tmp/p.asm" 2>&1); rc=$?
check "-P on a one-program input says what it is for (exit 1)" \
	equals "$rc:$out" "1:bpfkit: error: $tmp/p.asm: -P chooses a program of an ELF object; this asm input is one program"

# ELF objects from clang, when clang can target bpf: programs named by
# function and by section; .text functions are subprograms, not programs
cat >"$tmp/p.c" <<'EOF'
__attribute__((section("xdp"), used)) int sum(unsigned char *d) { return d[0] + d[1] + d[2]; }
__attribute__((section("tc"), used)) int seven(void *ctx) { return 7; }
char _license[] __attribute__((section("license"), used)) = "GPL";
EOF
cat >"$tmp/sub.c" <<'EOF'
#define SEC(n) __attribute__((section(n), used))
static __attribute__((noinline)) int twice(int x) { return x * 2; }
static __attribute__((noinline)) int quad(int x) { return twice(twice(x)); }
SEC("xdp") int first(unsigned char *d) { return quad(d[0]) + 1; }
SEC("xdp") int second(unsigned char *d) { return twice(d[0]); }
char _license[] SEC("license") = "GPL";
EOF
cat >"$tmp/one.c" <<'EOF'
#define SEC(n) __attribute__((section(n), used))
static __attribute__((noinline)) int helper(int x) { return x + 40; }
SEC("xdp") int prog(unsigned char *d) { return helper(d[0]); }
char _license[] SEC("license") = "GPL";
EOF
cat >"$tmp/kt.c" <<'EOF'
#define SEC(n) __attribute__((section(n), used))
static unsigned long long (*bpf_ktime_get_ns)(void) = (void *)5;
SEC("tracepoint/syscalls/sys_enter_write") int ktime(void *ctx)
{ unsigned long long a = bpf_ktime_get_ns(), b = bpf_ktime_get_ns(); return a > 0 && b >= a ? 7 : 3; }
char _license[] SEC("license") = "GPL";
EOF
cat >"$tmp/pr.c" <<'EOF'
#define SEC(n) __attribute__((section(n), used))
static long (*bpf_probe_read)(void *dst, unsigned size, const void *src) = (void *)4;
SEC("kprobe/x") int rd(unsigned long *ctx) { unsigned long v = 0; bpf_probe_read(&v, 8, ctx); return v == 1; }
char _license[] SEC("license") = "GPL";
EOF
cat >"$tmp/map.c" <<'EOF'
#define SEC(n) __attribute__((section(n), used))
struct { int (*type)[2]; int (*max_entries)[1]; int *key; long *value; } counts SEC(".maps");
static void *(*bpf_map_lookup_elem)(void *map, const void *key) = (void *)1;
SEC("xdp") int lookup(void *ctx) { int k = 0; long *v = bpf_map_lookup_elem(&counts, &k); return v ? *v : 5; }
char _license[] SEC("license") = "GPL";
EOF
cc_bpf() { clang -target bpf -O2 -g -c "$tmp/$1.c" -o "$tmp/$1.o" 2>/dev/null; }
if command -v clang >/dev/null 2>&1 && cc_bpf p && cc_bpf sub && cc_bpf one && cc_bpf kt && cc_bpf pr &&
	cc_bpf map; then
	out=$("$BPFKIT" vm run "$tmp/p.o" 2>&1); rc=$?
	check "ELF: two programs and no -P is an error (exit 1)" [ "$rc" -eq 1 ]
	check "ELF: ... listing what -P takes" \
		contains "$out" "p.o has 2 programs; choose one with -P NAME: sum (section xdp), seven (section tc)"
	check "ELF: -P SECTION" equals "$("$BPFKIT" vm run --mem '01 02 03' -P xdp "$tmp/p.o")" "0x6"
	check "ELF: -P FUNCTION" equals "$("$BPFKIT" vm run --mem '01 02 03' -P sum "$tmp/p.o")" "0x6"
	check "ELF: --prog tc" equals "$("$BPFKIT" vm run --prog tc "$tmp/p.o")" "0x7"
	out=$("$BPFKIT" vm run --prog nope "$tmp/p.o" 2>&1)
	check "ELF: unknown -P lists the programs" \
		contains "$out" "no program named 'nope'; the programs are: sum (section xdp), seven (section tc)"
	check "ELF: the one program, not its .text subprogram" \
		equals "$("$BPFKIT" vm run --mem '02' "$tmp/one.o")" "0x2a"
	check "ELF: subprograms calling subprograms, linked" \
		equals "$("$BPFKIT" vm run --mem '05' -P first "$tmp/sub.o")" "0x15"
	check "ELF: a second program in the same section" \
		equals "$("$BPFKIT" vm run --mem '05' -P second "$tmp/sub.o")" "0xa"
	out=$("$BPFKIT" vm run -P xdp "$tmp/sub.o" 2>&1); rc=$?
	check "ELF: -P SECTION with two programs in it (exit 1)" [ "$rc" -eq 1 ]
	check "ELF: ... names them" contains "$out" \
		"-P xdp names 2 programs; choose one by its function name: first (section xdp), second (section xdp)"
	out=$("$BPFKIT" vm run -P twice "$tmp/sub.o" 2>&1); rc=$?
	check "ELF: a subprogram is not a program (exit 1)" [ "$rc" -eq 1 ]
	check "ELF: ... and the error says so" \
		contains "$out" "no program named 'twice' (it is a subprogram or label inside a program)"
	check "ELF: bpf_ktime_get_ns() runs (not the suite's unwind)" \
		equals "$("$BPFKIT" vm run "$tmp/kt.o")" "0x7"
	out=$("$BPFKIT" vm run --mem '01 00 00 00 00 00 00 00' "$tmp/pr.o" 2>&1); rc=$?
	check "ELF: bpf_probe_read (4) is refused, not run as strcmp_ext (exit 1)" [ "$rc" -eq 1 ]
	check "ELF: ... by name and instruction" \
		contains "$out" "error: helper bpf_probe_read (4) is not implemented by the VM"
	check "ELF: a map lookup is bpf_map_lookup_elem on the object's map, not memfrob" \
		equals "$("$BPFKIT" vm run "$tmp/map.o" 2>&1)" "0x0"
	if [ "$(uname -m)" = x86_64 ]; then
		check "ELF: --jit of a linked program" \
			equals "$("$BPFKIT" vm run --jit --mem '05' -P first "$tmp/sub.o")" "0x15"
		check "ELF: jit-dump -P FUNCTION shows the subprograms" \
			contains "$("$BPFKIT" vm jit-dump --hex -P second "$tmp/sub.o")" "; insn 4: lsh %r0, 1"
	fi
	check "ELF: disasm shows the section and the function -P takes" \
		contains "$("$BPFKIT" disasm "$tmp/sub.o")" "Disassembly of section xdp:
first:"
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
	check "jit-dump says why" \
		contains "$out" "insn 0: error: helper bpf_skc_lookup_tcp (99) is not implemented by the VM"
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
