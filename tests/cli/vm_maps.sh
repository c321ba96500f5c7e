#!/bin/sh
# CLI: clang objects with maps in bpfkit vm run -- BTF-defined .maps, a legacy
# maps section, .data/.rodata/.bss, every map type the VM has -- run N times
# with --repeat (map state kept), dumped with --maps as bpftool map dump
# prints them (and -j), in the interpreter and the JIT; a map type the VM
# lacks is an error naming the map. The objects are tests/bpf/*.bpf.c,
# compiled by make test-build. As root, maps.o also runs in the kernel
# (bpftool prog run: BPF_PROG_TEST_RUN) and its maps must dump the same.
. "$(dirname "$0")/lib.sh"

BUILD=${BUILD:-build}
OBJ=$BUILD/tests/bpf
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ ! -f "$OBJ/maps.o" ] || [ ! -f "$OBJ/maps_more.o" ] || [ ! -f "$OBJ/maps_lpm.o" ] ||
	[ ! -f "$OBJ/maps_ringbuf.o" ] || [ ! -f "$OBJ/maps_unsupported.o" ]; then
	skip "vm maps" "the BPF test objects are not built ($OBJ; make test-build needs clang)"
	done_testing
	exit 0
fi

want_maps='0xe
map counts: hash  key 4B  value 8B  max_entries 8
key: 07 00 00 00  value: 03 00 00 00 00 00 00 00
Found 1 element

map hist: array  key 4B  value 8B  max_entries 4
key: 00 00 00 00  value: 00 00 00 00 00 00 00 00
key: 01 00 00 00  value: 01 00 00 00 00 00 00 00
key: 02 00 00 00  value: 02 00 00 00 00 00 00 00
key: 03 00 00 00  value: 03 00 00 00 00 00 00 00
Found 4 elements

map pcpu: percpu_array  key 4B  value 4B  max_entries 1
key:
00 00 00 00
value (CPU 00): 03 00 00 00
value (CPU 01): 00 00 00 00
Found 1 element

map recent: lru_hash  key 4B  value 4B  max_entries 2
key: 03 00 00 00  value: 03 00 00 00
key: 02 00 00 00  value: 02 00 00 00
Found 2 elements

map events: queue  key 0B  value 4B  max_entries 4
value: 01 00 00 00
value: 02 00 00 00
value: 03 00 00 00
Found 3 elements

map .data: array  key 4B  value 8B  max_entries 1
key: 00 00 00 00  value: 0e 00 00 00 00 00 00 00
Found 1 element

map .rodata: array  key 4B  value 4B  max_entries 1
key: 00 00 00 00  value: 03 00 00 00
Found 1 element

map .bss: array  key 4B  value 8B  max_entries 1
key: 00 00 00 00  value: 03 00 00 00 00 00 00 00
Found 1 element'

check "one run: r0 is total = 5 + step 3" equals "$("$BPFKIT" vm run "$OBJ/maps.o" 2>&1)" "0x8"
check "--repeat 3 keeps the maps between runs: r0 0xe" \
	equals "$("$BPFKIT" vm run --repeat 3 "$OBJ/maps.o" 2>&1)" "0xe"
check "--repeat 3 --maps: every map after 3 runs (hash, array, percpu_array, lru_hash, queue, globals)" \
	equals "$("$BPFKIT" vm run --repeat 3 --maps --cpus 2 "$OBJ/maps.o" 2>&1)" "$want_maps"
check "--cpu 1: the per-CPU value of CPU 01" \
	contains "$("$BPFKIT" vm run --repeat 2 --maps --cpus 2 --cpu 1 "$OBJ/maps.o" 2>&1)" \
	"value (CPU 00): 00 00 00 00
value (CPU 01): 04 00 00 00"
check "LRU: 5 runs leave the last 2 keys; the queue (BPF_EXIST) the last 4 values" \
	contains "$("$BPFKIT" vm run --repeat 5 --maps --cpus 1 "$OBJ/maps.o" 2>&1)" \
	"map recent: lru_hash  key 4B  value 4B  max_entries 2
key: 05 00 00 00  value: 05 00 00 00
key: 04 00 00 00  value: 04 00 00 00
Found 2 elements

map events: queue  key 0B  value 4B  max_entries 4
value: 02 00 00 00
value: 03 00 00 00
value: 04 00 00 00
value: 05 00 00 00
Found 4 elements"

want_more='0xfffffffffffffff9
map legacy: hash  key 4B  value 4B  max_entries 2
key: 00 00 00 00  value: 04 00 00 00
Found 1 element

map per: percpu_hash  key 8B  value 8B  max_entries 4
key:
01 00 00 00 00 00 00 00
value (CPU 00): 00 00 00 00 00 00 00 00
value (CPU 01): 90 01 00 00 00 00 00 00
Found 1 element

map lru: lru_percpu_hash  key 4B  value 2B  max_entries 4
key:
01 00 00 00
value (CPU 00): 00 00
value (CPU 01): 01 00
key:
04 00 00 00
value (CPU 00): 00 00
value (CPU 01): 04 00
key:
03 00 00 00
value (CPU 00): 00 00
value (CPU 01): 03 00
key:
02 00 00 00
value (CPU 00): 00 00
value (CPU 01): 02 00
Found 4 elements

map stk: stack  key 0B  value 8B  max_entries 3
value: 2c 01 00 00 00 00 00 00
value: c8 00 00 00 00 00 00 00
value: 64 00 00 00 00 00 00 00
Found 3 elements

map .bss: array  key 4B  value 4B  max_entries 1
key: 00 00 00 00  value: 04 00 00 00
Found 1 element'
check "legacy maps, percpu_hash, lru_percpu_hash, stack; the 4th push to a full stack is -E2BIG" \
	equals "$("$BPFKIT" vm run -P push --repeat 4 --maps --cpus 2 --cpu 1 "$OBJ/maps_more.o" 2>&1)" \
	"$want_more"
check "pop of an empty stack: -ENOENT, so the program returns 0" \
	equals "$("$BPFKIT" vm run -P pop "$OBJ/maps_more.o" 2>&1)" "0x0"

check "-j: r0 and the maps as bpftool -j map dump entries" \
	equals "$("$BPFKIT" vm run -j --maps --cpus 1 -P push "$OBJ/maps_more.o" 2>&1)" \
	'{"r0":0,"r0_hex":"0x0","insns":39,"maps":[{"name":"legacy","type":"hash","key_size":4,"value_size":4,"max_entries":2,"elements":[{"key":["0x00","0x00","0x00","0x00"],"value":["0x01","0x00","0x00","0x00"]}]},{"name":"per","type":"percpu_hash","key_size":8,"value_size":8,"max_entries":4,"elements":[{"key":["0x01","0x00","0x00","0x00","0x00","0x00","0x00","0x00"],"values":[{"cpu":0,"value":["0x64","0x00","0x00","0x00","0x00","0x00","0x00","0x00"]}]}]},{"name":"lru","type":"lru_percpu_hash","key_size":4,"value_size":2,"max_entries":4,"elements":[{"key":["0x01","0x00","0x00","0x00"],"values":[{"cpu":0,"value":["0x01","0x00"]}]}]},{"name":"stk","type":"stack","key_size":0,"value_size":8,"max_entries":3,"elements":[{"value":["0x64","0x00","0x00","0x00","0x00","0x00","0x00","0x00"]}]},{"name":".bss","type":"array","key_size":4,"value_size":4,"max_entries":1,"elements":[{"key":["0x00","0x00","0x00","0x00"],"value":["0x01","0x00","0x00","0x00"]}]}]}'

if [ "$(uname -m)" = x86_64 ]; then
	check "--jit: the same r0 and maps after 3 runs" \
		equals "$("$BPFKIT" vm run --jit --repeat 3 --maps --cpus 2 "$OBJ/maps.o" 2>&1)" "$want_maps"
	check "--jit=blind,retpoline: the same" \
		equals "$("$BPFKIT" vm run --jit=blind,retpoline --repeat 3 --maps --cpus 2 "$OBJ/maps.o" 2>&1)" \
		"$want_maps"
	check "--jit: legacy maps, per-CPU hashes and the stack" \
		equals "$("$BPFKIT" vm run --jit -P push --repeat 4 --maps --cpus 2 --cpu 1 "$OBJ/maps_more.o" 2>&1)" \
		"$want_more"
	check "jit-dump of an object with maps" \
		contains "$("$BPFKIT" vm jit-dump --hex "$OBJ/maps.o" 2>&1)" "; insn 0:"
else
	skip "--jit with maps" "the JIT is x86-64 only"
fi

check "lpm_trie: the longest prefix (10.1/16 -> 2), the trie in the kernel's post-order; bloom filter" \
	equals "$("$BPFKIT" vm run --mem '0a 01 02 03' --maps "$OBJ/maps_lpm.o" 2>&1)" '0x14
map routes: lpm_trie  key 8B  value 4B  max_entries 16
key: 10 00 00 00 0a 01 00 00  value: 02 00 00 00
key: 08 00 00 00 0a 00 00 00  value: 01 00 00 00
key: 00 00 00 00 00 00 00 00  value: 09 00 00 00
Found 3 elements

map seen: bloom_filter  key 0B  value 4B  max_entries 64
(a bloom filter cannot list its values)'
check "lpm_trie: 10.7.2.3 takes 10/8; the bloom filter has the address on the 2nd run" \
	equals "$("$BPFKIT" vm run --mem '0a 07 02 03' --repeat 2 "$OBJ/maps_lpm.o" 2>&1)" "0xb"
check "lpm_trie: 11.7.2.3 takes the default route 0/0" \
	equals "$("$BPFKIT" vm run --mem '0b 07 02 03' "$OBJ/maps_lpm.o" 2>&1)" "0x5a"
if [ "$(uname -m)" = x86_64 ]; then
	check "lpm_trie and bloom filter in the JIT" \
		equals "$("$BPFKIT" vm run --jit --mem '0a 01 02 03' --repeat 2 "$OBJ/maps_lpm.o" 2>&1)" "0x15"
fi

check "ringbuf: output, reserve+submit, reserve+discard; the records in order after 2 runs" \
	equals "$("$BPFKIT" vm run --repeat 2 --maps "$OBJ/maps_ringbuf.o" 2>&1)" '0x60
map events: ringbuf  key 0B  value 0B  max_entries 4096
value: 01 00 00 00
value: e8 03 00 00 00 00 00 00
value: 02 00 00 00
value: d0 07 00 00 00 00 00 00
Found 4 elements

map .bss: array  key 4B  value 4B  max_entries 1
key: 00 00 00 00  value: 02 00 00 00
Found 1 element'
out=$("$BPFKIT" vm run --repeat 100 --maps "$OBJ/maps_ringbuf.o" 2>&1)
check "ringbuf: full after 255 records of 16 bytes (4,080 of 4,096: one byte stays free), as the kernel's" \
	equals "$(echo "$out" | sed -n '1p;/^Found/p')" "0xff0
Found 170 elements
Found 1 element"
if [ "$(uname -m)" = x86_64 ]; then
	check "ringbuf in the JIT" \
		equals "$("$BPFKIT" vm run --jit --repeat 2 --maps "$OBJ/maps_ringbuf.o" 2>&1)" \
		"$("$BPFKIT" vm run --repeat 2 --maps "$OBJ/maps_ringbuf.o" 2>&1)"
fi

out=$("$BPFKIT" vm run "$OBJ/maps_unsupported.o" 2>&1); rc=$?
check "a map type the VM lacks: exit 1" [ "$rc" -eq 1 ]
check "... naming the map, its section and the type" equals "$out" \
	"$OBJ/maps_unsupported.o: error: map 'jumps' (section .maps): type prog_array (3) is not supported by the VM"
out=$("$BPFKIT" vm run -j "$OBJ/maps_unsupported.o" 2>&1)
check "... as JSON with -j" contains "$out" '"error":'

out=$("$BPFKIT" vm run --repeat 0 "$OBJ/maps.o" 2>&1); rc=$?
check "--repeat 0 is a usage error (exit 2)" equals "$rc:$out" \
	"2:bpfkit: usage error: --repeat: the number of runs must be at least 1"
out=$("$BPFKIT" vm run --cpus 2 --cpu 2 "$OBJ/maps.o" 2>&1); rc=$?
check "--cpu past --cpus is a usage error (exit 2)" equals "$rc:$out" \
	"2:bpfkit: usage error: --cpu 2: the CPUs are 0 to 1 (--cpus)"
out=$("$BPFKIT" vm jit-dump --maps "$OBJ/maps.o" 2>&1); rc=$?
check "--maps is not a jit-dump option (exit 2)" [ "$rc" -eq 2 ]

# The README's example, as written there
readme=$(dirname "$0")/../../README.md
cmd=$(grep '^clang -target bpf .*examples/count.bpf.c' "$readme")
run=$(grep "^build/bpfkit vm run --mem '2a' --repeat 3 --maps count.o" "$readme")
both=$([ -n "$cmd" ] && [ -n "$run" ] && echo yes)
check "the README has the clang and vm run commands for examples/count.bpf.c" [ "$both" = yes ]
if [ -n "$cmd" ] && command -v clang >/dev/null 2>&1; then
	(cd "$(dirname "$0")/../.." && eval "$(echo "$cmd" | sed "s|-o count.o\$|-o $tmp/count.o|")") \
		>"$tmp/clang.log" 2>&1
	check "the README's example prints what the README shows" \
		equals "$("$BPFKIT" vm run --mem '2a' --repeat 3 --maps "$tmp/count.o" 2>&1)" '0x3
map by_byte: hash  key 4B  value 8B  max_entries 256
key: 2a 00 00 00  value: 03 00 00 00 00 00 00 00
Found 1 element

map .bss: array  key 4B  value 8B  max_entries 1
key: 00 00 00 00  value: 03 00 00 00 00 00 00 00
Found 1 element'
	check "... and the README shows it" \
		contains "$(cat "$readme")" 'map by_byte: hash  key 4B  value 8B  max_entries 256
key: 2a 00 00 00  value: 03 00 00 00 00 00 00 00'
else
	skip "the README's example" "no clang"
fi

# The kernel: load maps.o, run it 3 times with BPF_PROG_TEST_RUN, dump its
# maps with bpftool -j; the maps the CPU does not decide (counts, hist,
# recent, and the queue events, popped) must hold what the VM's hold.
# entries FILE: one line per "key":[..],"value":[..] of a JSON dump
entries() {
	grep -o '"key":\[[^]]*\],"value":\[[^]]*\]' "$1" | sort
}
kernel_maps() {
	pin=/sys/fs/bpf/bpfkit_vm_maps_$$
	bpftool prog load "$OBJ/maps.o" "$pin" type xdp 2>"$tmp/kerr" || return 1
	printf '%64s' '' >"$tmp/pkt"
	bpftool prog run pinned "$pin" data_in "$tmp/pkt" repeat 3 >"$tmp/krun" 2>&1
	ids=$(bpftool -j prog show pinned "$pin" | sed -n 's/.*"map_ids":\[\([0-9,]*\)\].*/\1/p')
	for m in $(echo "$ids" | tr ',' ' '); do
		name=$(bpftool -j map show id "$m" | sed -n 's/.*"name":"\([^"]*\)".*/\1/p')
		case $name in
		counts | hist | recent) bpftool -j map dump id "$m" >"$tmp/k.$name" ;;
		events) # a queue: bpftool pops it (no dump), oldest first
			while bpftool map dequeue id "$m" 2>/dev/null; do :; done | grep "^value:" >"$tmp/k.events" ;;
		esac
	done
	rm -f "$pin" # the program and its maps go with their last reference
	return 0
}
if [ "$(id -u)" != 0 ]; then
	skip "kernel comparison" "needs root (BPF_PROG_TEST_RUN)"
elif ! command -v bpftool >/dev/null 2>&1; then
	skip "kernel comparison" "no bpftool"
elif ! kernel_maps; then
	skip "kernel comparison" "the kernel refused maps.o: $(head -n 1 "$tmp/kerr")"
else
	"$BPFKIT" vm run -j --repeat 3 --maps --cpus 2 "$OBJ/maps.o" >"$tmp/vm.json"
	for name in counts hist recent; do
		sed 's/},{"name"/}\n{"name"/g' "$tmp/vm.json" | grep "\"name\":\"$name\"" >"$tmp/v.$name"
		# the kernel's hash order is its own (a random seed): compare sorted
		check "kernel: map $name after 3 BPF_PROG_TEST_RUN runs equals the VM's" \
			equals "$(entries "$tmp/k.$name" 2>&1)" "$(entries "$tmp/v.$name")"
	done
	check "kernel: the queue events holds the same values in the same order" \
		equals "$(cat "$tmp/k.events" 2>&1)" \
		"$("$BPFKIT" vm run --repeat 3 --maps --cpus 2 "$OBJ/maps.o" | sed -n '/^map events/,/^Found/p' |
			grep '^value:')"
fi

done_testing
