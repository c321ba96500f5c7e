// SPDX-License-Identifier: MIT
/*
 * An LPM trie and a bloom filter, for tests/cli/vm_maps.sh: the program
 * adds three routes (10/8 -> 1, 10.1/16 -> 2, 0/0 -> 9), looks up the
 * address in the input's first 4 bytes, adds the address to a bloom filter
 * and returns route * 10 + (the address was in the filter before: 1).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct key4 {
	__u32 prefixlen;
	__u8 addr[4];
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 16);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct key4);
	__type(value, __u32);
} routes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
	__uint(max_entries, 64);
	__uint(map_extra, 3);
	__type(value, __u32);
} seen SEC(".maps");

static void route(__u32 plen, __u8 a, __u8 b, __u32 v)
{
	struct key4 k = { plen, { a, b, 0, 0 } };

	bpf_map_update_elem(&routes, &k, &v, BPF_ANY);
}

SEC("xdp")
int lookup(unsigned char *d)
{
	struct key4 k = { 32, { d[0], d[1], d[2], d[3] } };
	__u32 addr, *v, r, before;

	route(8, 10, 0, 1);
	route(16, 10, 1, 2);
	route(0, 0, 0, 9);
	v = bpf_map_lookup_elem(&routes, &k);
	r = v ? *v : 0;
	__builtin_memcpy(&addr, d, 4);
	before = bpf_map_peek_elem(&seen, &addr) == 0;
	bpf_map_push_elem(&seen, &addr, BPF_ANY);
	return r * 10 + before;
}

char LICENSE[] SEC("license") = "GPL";
