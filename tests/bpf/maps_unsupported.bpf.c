// SPDX-License-Identifier: MIT
/* A prog_array (tail calls), which the VM does not have yet: `vm run`
 * refuses the object, naming the map (tests/cli/vm_maps.sh). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__uint(key_size, 4);
	__uint(value_size, 4);
} jumps SEC(".maps");

SEC("xdp")
int entry(void *ctx)
{
	bpf_tail_call(ctx, &jumps, 0);
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
