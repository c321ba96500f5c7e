/* SPDX-License-Identifier: MIT */
/*
 * Reading event records: one libbpf ring_buffer reader (one epoll set) over
 * every BPF_MAP_TYPE_RINGBUF map of the session, or, for kernels before 5.8
 * (no ring buffers), a perf_buffer reader over the session's
 * BPF_MAP_TYPE_PERF_EVENT_ARRAY map (one per session). The caller's callback
 * is stored in the session for the length of one poll, since libbpf fixes
 * its context when the reader is made. Programs count failed outputs
 * themselves in the BPFKIT_KERN_LOST_MAP map (see
 * bpfkit_kern_session__lost()); the perf buffer's own lost-sample records
 * count the same records again, so they are ignored.
 */
#include <errno.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "kern/load_int.h"

/* libbpf's callback: forward to the caller's; a non-zero return stops the poll. */
static int on_record(void *ctx, void *data, size_t size)
{
	struct bpfkit_kern_session *s = ctx;
	int ret = s->fn ? s->fn(s->fn_ctx, data, size) : 0;

	if (ret < 0)
		s->fn_ret = ret;
	return ret;
}

/* libbpf's perf buffer callback: the same, but it cannot stop the poll, so
 * after a failure the remaining records of this poll are skipped. The record
 * may carry up to 4 bytes of perf's padding after the data. */
static void on_sample(void *ctx, int cpu, void *data, __u32 size)
{
	struct bpfkit_kern_session *s = ctx;

	(void)cpu;
	if (!s->fn_ret)
		on_record(ctx, data, size);
}

/* A perf buffer reader over perf event array @p i: 256 KiB per CPU, as the ring buffer. */
static int open_perf(struct bpfkit_kern_session *s, size_t i, struct bpfkit_diag *d)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t pages = 1;

	if (s->pb)
		return kload_error(d, -EINVAL, "map '%s': one perf event array per session", s->maps[i].name);
	while (page > 0 && pages * (size_t)page < 256 * 1024)
		pages <<= 1;
	s->pb = perf_buffer__new(s->maps[i].fd, pages, on_sample, NULL, s, NULL);
	if (!s->pb) {
		int err = -errno;

		return kload_error(d, err, "cannot read perf event array '%s'", s->maps[i].name);
	}
	return 0;
}

int kringbuf_open(struct bpfkit_kern_session *s, struct bpfkit_diag *d)
{
	for (size_t i = 0; i < s->nmaps; i++) {
		int err = 0;

		if (s->maps[i].type == BPFKIT_KERN_MAP_PERF_EVENT_ARRAY) {
			err = open_perf(s, i, d);
			if (err)
				return err;
			continue;
		}
		if (s->maps[i].type != BPFKIT_KERN_MAP_RINGBUF)
			continue;
		if (!s->rb) {
			s->rb = ring_buffer__new(s->maps[i].fd, on_record, s, NULL);
			if (!s->rb)
				err = -errno;
		} else {
			err = ring_buffer__add(s->rb, s->maps[i].fd, on_record, s);
		}
		if (err)
			return kload_error(d, err, "cannot read ring buffer '%s'", s->maps[i].name);
	}
	return 0;
}

void kringbuf_close(struct bpfkit_kern_session *s)
{
	ring_buffer__free(s->rb);
	s->rb = NULL;
	perf_buffer__free(s->pb);
	s->pb = NULL;
}

int bpfkit_kern_session__poll(struct bpfkit_kern_session *s, int timeout_ms, bpfkit_kern_record_fn fn,
			      void *ctx)
{
	int n;

	if (!s || s->closed)
		return -EBADF;
	if (!s->rb && !s->pb)
		return -ENOENT;
	s->fn = fn;
	s->fn_ctx = ctx;
	s->fn_ret = 0;
	n = s->rb ? ring_buffer__poll(s->rb, timeout_ms) : perf_buffer__poll(s->pb, timeout_ms);
	s->fn = NULL;
	s->fn_ctx = NULL;
	if (s->fn_ret)
		return s->fn_ret;
	return n;
}
