// SPDX-License-Identifier: MIT
/*
 * A program that uses maps of every kind the VM has and global data, for
 * tests/cli/vm_maps.sh: run it N times with `bpfkit vm run --repeat N
 * --maps` and the maps hold what N runs leave (see the test for the exact
 * dumps). r0 is `total` after the run.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} hist SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} pcpu SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} recent SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 4);
	__uint(value_size, 4);
} events SEC(".maps");

__u64 runs;			/* .bss */
__u64 total = 5;		/* .data */
const volatile __u32 step = 3;	/* .rodata */

SEC("xdp")
int count(void *ctx)
{
	__u32 key = 7, zero = 0, slot, r;
	__u64 one = 1, *v, *h;
	__u32 *p;

	runs++;
	total += step;
	v = bpf_map_lookup_elem(&counts, &key);
	if (v)
		__sync_fetch_and_add(v, 1);
	else
		bpf_map_update_elem(&counts, &key, &one, BPF_NOEXIST);
	slot = runs & 3;
	h = bpf_map_lookup_elem(&hist, &slot);
	if (h)
		*h += runs;
	p = bpf_map_lookup_elem(&pcpu, &zero);
	if (p)
		*p += bpf_get_smp_processor_id() + 1;
	r = runs;
	bpf_map_update_elem(&recent, &r, &r, BPF_ANY);
	bpf_map_push_elem(&events, &r, BPF_EXIST);
	return total;
}

char LICENSE[] SEC("license") = "GPL";
