/* SPDX-License-Identifier: MIT */
/*
 * Reading ring buffers: one libbpf ring_buffer reader (one epoll set) over
 * every BPF_MAP_TYPE_RINGBUF map of the session. The caller's callback is
 * stored in the session for the length of one poll, since libbpf fixes its
 * context when the reader is made. Lost records are not visible to user
 * space with ring buffers: programs count failed outputs themselves in the
 * BPFKIT_KERN_LOST_MAP map (see bpfkit_kern_session__lost()). A perf buffer
 * fallback for kernels before 5.8 is not written.
 */
#include <errno.h>

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

int kringbuf_open(struct bpfkit_kern_session *s, struct bpfkit_diag *d)
{
	for (size_t i = 0; i < s->nmaps; i++) {
		int err = 0;

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
}

int bpfkit_kern_session__poll(struct bpfkit_kern_session *s, int timeout_ms, bpfkit_kern_record_fn fn,
			      void *ctx)
{
	int n;

	if (!s || s->closed)
		return -EBADF;
	if (!s->rb)
		return -ENOENT;
	s->fn = fn;
	s->fn_ctx = ctx;
	s->fn_ret = 0;
	n = ring_buffer__poll(s->rb, timeout_ms);
	s->fn = NULL;
	s->fn_ctx = NULL;
	if (s->fn_ret)
		return s->fn_ret;
	return n;
}
