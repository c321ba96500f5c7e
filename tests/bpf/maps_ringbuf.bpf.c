// SPDX-License-Identifier: MIT
/* A ring buffer, which the VM does not have yet: `vm run` refuses the
 * object, naming the map (tests/cli/vm_maps.sh). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

SEC("xdp")
int out(void *ctx)
{
	__u32 v = 1;

	return bpf_ringbuf_output(&events, &v, sizeof(v), 0);
}

char LICENSE[] SEC("license") = "GPL";
