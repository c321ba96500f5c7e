// SPDX-License-Identifier: MIT
/*
 * A ring buffer, for tests/cli/vm_maps.sh: each run writes a record with
 * bpf_ringbuf_output (the run's number, u32), reserves a second (u64:
 * number * 1000) and submits it, reserves a third and discards it, and
 * returns the data waiting (bpf_ringbuf_query BPF_RB_AVAIL_DATA).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

__u32 runs;

SEC("xdp")
int out(void *ctx)
{
	__u64 *p;
	__u32 n = ++runs;

	bpf_ringbuf_output(&events, &n, sizeof(n), 0);
	p = bpf_ringbuf_reserve(&events, sizeof(*p), 0);
	if (p) {
		*p = n * 1000;
		bpf_ringbuf_submit(p, 0);
	}
	p = bpf_ringbuf_reserve(&events, sizeof(*p), 0);
	if (p)
		bpf_ringbuf_discard(p, 0);
	return bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);
}

char LICENSE[] SEC("license") = "GPL";
