// SPDX-License-Identifier: GPL-2.0
/*
 * Count packets by IP protocol in an array map, and pass every packet on: a
 * first XDP program to compile with clang and look at with bpfkit disasm
 * (sections, the map relocation, helper calls by name). On Debian:
 *
 *   clang -target bpf -I/usr/include/$(gcc -dumpmachine) -O2 -g \
 *         -c examples/xdp_count.bpf.c -o xdp_count.o
 *   build/bpfkit disasm xdp_count.o
 *
 * linux/bpf.h includes asm/types.h, which Debian keeps under the
 * multiarch directory (/usr/include/x86_64-linux-gnu); clang -target bpf
 * does not look there on its own, hence the -I. bpf/bpf_helpers.h comes
 * from libbpf-dev.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} proto_count SEC(".maps");

SEC("xdp")
int xdp_count(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	__u32 proto;
	__u64 *n;

	if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	proto = ip->protocol;
	n = bpf_map_lookup_elem(&proto_count, &proto);
	if (n)
		__sync_fetch_and_add(n, 1);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
