#!/bin/sh
# CLI: bpfkit disasm -- input formats (raw, hex, asm, .data, ELF), both
# dialects, labels, columns, sections, JSON, damaged input, exit codes
# (0 ok, 1 bad input, 2 usage), and disasm -> asm giving the same bytes.
. "$(dirname "$0")/lib.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# r0 = 1; if r0 == 0x1 goto +1; r0 = 2; exit  (raw little-endian slots)
printf '\267\000\000\000\001\000\000\000\025\000\001\000\001\000\000\000\267\000\000\000\002\000\000\000\225\000\000\000\000\000\000\000' >"$tmp/p.bin"
hex='b7 00 00 00 01 00 00 00
15 00 01 00 01 00 00 00
b7 00 00 00 02 00 00 00
95 00 00 00 00 00 00 00'
kern='r0 = 1
if r0 == 0x1 goto L3
r0 = 2
L3:
exit'
conf='mov %r0, 1
jeq %r0, 1, L3
mov %r0, 2
L3:
exit'

out=$("$BPFKIT" disasm "$tmp/p.bin" 2>&1); rc=$?
if contains "$out" "not built yet" >/dev/null; then
	skip "disasm" "program loading (progio.c) is not built yet"
	done_testing
	exit 0
fi
check "raw input disassembles (exit 0)" [ "$rc" -eq 0 ]
check "the kernel dialect is the default, with labels" equals "$out" "$kern"

out=$("$BPFKIT" disasm -D conf "$tmp/p.bin")
check "-D conf prints the conformance dialect" equals "$out" "$conf"

out=$(echo "$hex" | "$BPFKIT" disasm -)
check "hex on stdin" equals "$out" "$kern"

out=$("$BPFKIT" disasm --no-labels "$tmp/p.bin")
check "--no-labels prints offsets" equals "$out" 'r0 = 1
if r0 == 0x1 goto +1
r0 = 2
exit'

out=$("$BPFKIT" disasm --offsets -D conf "$tmp/p.bin")
check "--offsets prefixes slot numbers" contains "$out" '   1: jeq %r0, 1, L3'
out=$("$BPFKIT" disasm --offsets --bytes "$tmp/p.bin")
check "--bytes shows the slot bytes, llvm-objdump style" \
	contains "$out" "$(printf '   0:\tb7 00 00 00 01 00 00 00\tr0 = 1')"

# the output reads back to the same bytes, in both dialects
"$BPFKIT" disasm "$tmp/p.bin" >"$tmp/k.s"
"$BPFKIT" disasm -D conf "$tmp/p.bin" >"$tmp/c.s"
check "kernel text reassembles to the same bytes" equals "$("$BPFKIT" asm -D kern "$tmp/k.s")" "$hex"
check "conformance text reassembles to the same bytes" equals "$("$BPFKIT" asm -D conf "$tmp/c.s")" "$hex"

out=$("$BPFKIT" disasm -F asm -e 2>&1); rc=$?
check "an unknown option is a usage error (exit 2)" [ "$rc" -eq 2 ]

# ELF: one block per section, -s to pick one
printf 'r0 = 0\nexit\n' | "$BPFKIT" asm -D kern -O elf -s xdp -o "$tmp/a.o" -
out=$("$BPFKIT" disasm "$tmp/a.o"); rc=$?
check "an ELF object disassembles (exit 0)" [ "$rc" -eq 0 ]
check "with a header per section" contains "$out" "Disassembly of section xdp:"
check "and the program's symbol" contains "$out" "xdp:
r0 = 0"
out=$("$BPFKIT" disasm -s xdp "$tmp/a.o"); rc=$?
check "-s picks a section" [ "$rc" -eq 0 ]
out=$("$BPFKIT" disasm -s nope "$tmp/a.o" 2>&1); rc=$?
check "-s with an unknown section fails (exit 1)" [ "$rc" -eq 1 ]
check "naming the section" contains "$out" "no section 'nope'"
check "and listing the sections there are" contains "$out" "no section 'nope'; the sections are: xdp"

if command -v clang >/dev/null 2>&1; then
	cat >"$tmp/m.c" <<'EOF'
#define SEC(n) __attribute__((section(n), used))
struct { int (*type)[1]; int (*max_entries)[4]; int *key; long *value; } counts SEC(".maps");
static void *(*bpf_map_lookup_elem)(void *map, const void *key) = (void *)1;
SEC("tracepoint/syscalls/sys_enter_openat") int on_open(void *ctx)
{ int k = 0; long *v = bpf_map_lookup_elem(&counts, &k); return v ? 1 : 0; }
char LICENSE[] SEC("license") = "GPL";
EOF
	if clang -target bpf -O2 -g -c "$tmp/m.c" -o "$tmp/m.o" 2>/dev/null; then
		out=$("$BPFKIT" disasm "$tmp/m.o")
		check "clang's object: section header" \
			contains "$out" "Disassembly of section tracepoint/syscalls/sys_enter_openat:"
		check "clang's object: function, map and helper by name" \
			contains "$out" "on_open:"
		check "clang's object: the map relocation by name" contains "$out" "r1 = counts ll"
		check "clang's object: the helper by name" contains "$out" "call bpf_map_lookup_elem"
		out=$("$BPFKIT" disasm -s on_open "$tmp/m.o" 2>&1)
		check "clang's object: -s FUNCTION names the section to give" contains "$out" \
			"no section 'on_open'; 'on_open' is in section tracepoint/syscalls/sys_enter_openat: -s tracepoint/syscalls/sys_enter_openat"
	else
		for i in 1 2 3 4 5; do skip "clang object $i" "clang -target bpf failed"; done
	fi
else
	for i in 1 2 3 4 5; do skip "clang object $i" "clang is not installed"; done
fi

# The README's clang command for examples/xdp_count.bpf.c, as written there
# but for the output file, then bpfkit disasm on what it made.
readme=$(dirname "$0")/../../README.md
cmd=$(grep '^clang -target bpf .*examples/xdp_count.bpf.c' "$readme")
check "the README has the clang command for examples/xdp_count.bpf.c" [ -n "$cmd" ]
if ! command -v clang >/dev/null 2>&1 || ! command -v gcc >/dev/null 2>&1; then
	for i in 1 2 3 4 5; do skip "README clang example $i" "clang or gcc is not installed"; done
else
	cmd=$(echo "$cmd" | sed "s|-o xdp_count.o\$|-o $tmp/xdp_count.o|")
	(cd "$(dirname "$0")/../.." && sh -c "$cmd") >"$tmp/clang.log" 2>&1
	check "the README's clang command compiles examples/xdp_count.bpf.c" [ -s "$tmp/xdp_count.o" ]
	[ -s "$tmp/xdp_count.o" ] || sed 's/^/# /' "$tmp/clang.log" | head -n 10
	out=$("$BPFKIT" disasm "$tmp/xdp_count.o" 2>&1)
	check "README example: disasm shows its section" contains "$out" "Disassembly of section xdp:
xdp_count:"
	check "README example: the map relocation by name" contains "$out" "r1 = proto_count ll"
	check "README example: the helper by name" contains "$out" "call bpf_map_lookup_elem"
	check "README example: the atomic add" contains "$out" "lock *(u64 *)(r0 + 0) += r1"
fi

# JSON
out=$("$BPFKIT" disasm -j "$tmp/p.bin")
check "-j lists instructions with their text" \
	contains "$out" '{"slot":0,"code":"0xb7","dst":0,"src":0,"off":0,"imm":1,"text":"r0 = 1","label":null}'
check "-j gives labels" contains "$out" '"text":"exit","label":"L3"'
out=$("$BPFKIT" -j disasm -D conf "$tmp/p.bin")
check "global -j, conformance text" contains "$out" '"text":"jeq %r0, 1, L3"'
out=$("$BPFKIT" disasm -j "$tmp/a.o")
check "-j names ELF sections" contains "$out" '[{"section":"xdp","insns":['
out=$("$BPFKIT" disasm -p "$tmp/p.bin")
check "-p indents" contains "$out" '
  {'

# damaged and non-program input
printf '\377\000\000\000\000\000\000\000\225\000\000\000\000\000\000\000' >"$tmp/bad.bin"
out=$("$BPFKIT" disasm "$tmp/bad.bin"); rc=$?
check "an undecodable slot is shown, not refused (exit 0)" [ "$rc" -eq 0 ]
check "as .8byte with the reason" contains "$out" '.8byte 0x00000000000000ff  # invalid: unknown opcode 0xff'
printf '\030\001\000\000\001\000\000\000' >"$tmp/trunc.bin"
out=$("$BPFKIT" disasm "$tmp/trunc.bin")
check "a truncated lddw is shown" contains "$out" "truncated lddw"

printf 'hello, this is not a program\n' >"$tmp/text.txt"
out=$("$BPFKIT" disasm "$tmp/text.txt" 2>&1); rc=$?
check "text that is not a program fails (exit 1)" [ "$rc" -eq 1 ]
check "with a message naming the file" contains "$out" "$tmp/text.txt"
printf '\177ELF\002\001\001\000' >"$tmp/short.o"
out=$("$BPFKIT" disasm "$tmp/short.o" 2>&1); rc=$?
check "a truncated ELF file fails (exit 1)" [ "$rc" -eq 1 ]
check "saying it is truncated" contains "$out" "truncated"
out=$("$BPFKIT" disasm "$tmp/missing" 2>&1); rc=$?
check "a missing file fails (exit 1)" [ "$rc" -eq 1 ]
out=$("$BPFKIT" -j disasm "$tmp/text.txt" 2>/dev/null)
check "errors are JSON on stdout in JSON mode" contains "$out" '{"error":'

# .data files of the conformance suite
if [ -n "${CONF_DIR:-}" ] && [ -f "$CONF_DIR/call_local.data" ]; then
	out=$("$BPFKIT" disasm -D conf "$CONF_DIR/call_local.data"); rc=$?
	check "a .data file disassembles" [ "$rc" -eq 0 ]
	check "labels keep the names of the source" contains "$out" "call local func1"
else
	skip "a .data file" "CONF_DIR is not set"
	skip "local call label" "CONF_DIR is not set"
fi

# usage
out=$("$BPFKIT" disasm 2>&1); rc=$?
check "no FILE is a usage error (exit 2)" [ "$rc" -eq 2 ]
out=$("$BPFKIT" disasm -D klingon "$tmp/p.bin" 2>&1); rc=$?
check "an unknown dialect is a usage error (exit 2)" [ "$rc" -eq 2 ]
out=$("$BPFKIT" disasm -F nope "$tmp/p.bin" 2>&1); rc=$?
check "an unknown format is a usage error (exit 2)" [ "$rc" -eq 2 ]
out=$("$BPFKIT" disasm --help); rc=$?
check "--help exits 0" [ "$rc" -eq 0 ]
check "--help prints usage on stdout" contains "$out" "Usage: bpfkit disasm"
out=$("$BPFKIT" disasm help); rc=$?
check "'disasm help' too" [ "$rc" -eq 0 ]

done_testing
