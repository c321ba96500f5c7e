// SPDX-License-Identifier: MIT
/* An LPM trie, which the VM does not have: `vm run` refuses the object,
 * naming the map (tests/cli/vm_maps.sh). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct key4 {
	__u32 prefixlen;
	__u32 addr;
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 16);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct key4);
	__type(value, __u32);
} routes SEC(".maps");

SEC("xdp")
int route(void *ctx)
{
	struct key4 k = { 32, 0x0100007f };
	__u32 *v = bpf_map_lookup_elem(&routes, &k);

	return v ? *v : 0;
}

char LICENSE[] SEC("license") = "GPL";
