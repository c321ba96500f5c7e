// SPDX-License-Identifier: MIT
/*
 * The other map types and a legacy `maps` section (struct bpf_map_def,
 * which libbpf 1.x no longer reads but older objects carry), for
 * tests/cli/vm_maps.sh. Two programs: `push` adds the run's number to a
 * per-CPU hash, an LRU per-CPU hash and a stack; `pop` pops the stack.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct bpf_map_def {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
};

struct bpf_map_def SEC("maps") legacy = {
	.type = BPF_MAP_TYPE_HASH,
	.key_size = 4,
	.value_size = 4,
	.max_entries = 2,
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 4);
	__type(key, __u64);
	__type(value, __u64);
} per SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u16);
} lru SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK);
	__uint(max_entries, 3);
	__uint(value_size, 8);
} stk SEC(".maps");

static __u32 n;

SEC("xdp")
int push(void *ctx)
{
	__u64 k = 1, v;
	__u32 key = 0;
	__u16 s;

	n++;
	v = n * 100;
	bpf_map_update_elem(&per, &k, &v, BPF_ANY);
	s = (__u16)n;
	bpf_map_update_elem(&lru, &n, &s, BPF_ANY);
	bpf_map_update_elem(&legacy, &key, &n, BPF_ANY);
	return bpf_map_push_elem(&stk, &v, 0);
}

SEC("xdp")
int pop(void *ctx)
{
	__u64 v = 0;

	if (bpf_map_pop_elem(&stk, &v))
		return 0;
	return v;
}

char LICENSE[] SEC("license") = "GPL";
