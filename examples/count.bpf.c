// SPDX-License-Identifier: MIT
/*
 * Count runs by the first byte of the input in a hash map, and all runs in a
 * global: a clang object with maps for `bpfkit vm run` (no root, no kernel).
 * The VM passes the input memory as the program's argument.
 *
 *   clang -target bpf -I/usr/include/$(gcc -dumpmachine) -O2 -g \
 *         -c examples/count.bpf.c -o count.o
 *   build/bpfkit vm run --mem '2a' --repeat 3 --maps count.o
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} by_byte SEC(".maps");

__u64 runs; /* .bss: a one-element array map in the VM, as libbpf makes it */

SEC("socket")
int count(unsigned char *data)
{
	__u32 key = data[0];
	__u64 one = 1, *n;

	n = bpf_map_lookup_elem(&by_byte, &key);
	if (n)
		__sync_fetch_and_add(n, 1);
	else
		bpf_map_update_elem(&by_byte, &key, &one, BPF_NOEXIST);
	return ++runs;
}

char LICENSE[] SEC("license") = "GPL";
