// SPDX-License-Identifier: MIT
/*
 * ringbuf (kernel/bpf/ringbuf.c): a power-of-two, page-aligned byte ring
 * that programs write records into (bpf_ringbuf_output, or reserve, fill,
 * submit/discard) and a consumer reads in order. Each record is an 8-byte
 * header (u32 length with a busy bit 31 and a discard bit 30, u32 page
 * offset) and the data, rounded up to 8 bytes. As in the kernel, the data
 * pages are mapped twice in a row, so a record that wraps around the end
 * is still contiguous for the program and the consumer.
 *
 * A reserved record's data is granted to the program for the run; its
 * header never is, so a program cannot corrupt the ring's structure.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "map_int.h"

#define RB_BUSY (1u << 31)
#define RB_DISCARD (1u << 30)
#define RB_HDR 8u
#define RB_PAGE 4096u
#define RB_MAX (1u << 30)

struct ringbuf {
	uint8_t *data; /* size bytes, mapped twice: [data, data + 2 * size) */
	uint64_t size;
	uint64_t prod, cons; /* positions, only ever growing */
};

/* ringbuf_map_alloc's checks */
static int rb_check(const struct bpfkit_map_attr *a)
{
	if ((a->flags & ~BPFKIT_F_NUMA_NODE) || a->key_size || a->value_size ||
	    a->max_entries < RB_PAGE || (a->max_entries & (a->max_entries - 1)) ||
	    a->max_entries % RB_PAGE)
		return -EINVAL;
	if (a->max_entries > RB_MAX)
		return -E2BIG;
	return 0;
}

/* The data pages, twice in a row: a memfd mapped at [p, p + size) and at
 * [p + size, p + 2 * size) inside one reserved range. */
static int rb_alloc(struct bpfkit_vm_map *m)
{
	struct ringbuf *rb = calloc(1, sizeof(*rb));
	void *p = MAP_FAILED;
	int fd = -1, err = -ENOMEM;

	if (!rb)
		return -ENOMEM;
	rb->size = m->attr.max_entries;
	fd = memfd_create("bpfkit-ringbuf", MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, (off_t)rb->size))
		goto fail;
	p = mmap(NULL, 2 * rb->size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		goto fail;
	if (mmap(p, rb->size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0) == MAP_FAILED ||
	    mmap((uint8_t *)p + rb->size, rb->size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd,
		 0) == MAP_FAILED)
		goto fail;
	close(fd);
	rb->data = p;
	m->priv = rb;
	return 0;
fail:
	err = errno ? -errno : -ENOMEM;
	if (p != MAP_FAILED)
		munmap(p, 2 * rb->size);
	if (fd >= 0)
		close(fd);
	free(rb);
	return err;
}

static void rb_free(struct bpfkit_vm_map *m)
{
	struct ringbuf *rb = m->priv;

	if (rb)
		munmap(rb->data, 2 * rb->size);
	free(rb);
	m->priv = NULL;
}

const struct vm_map_ops vm_map_ringbuf_ops = {
	.check = rb_check,
	.alloc = rb_alloc,
	.free = rb_free,
	.no_values = true,
};

static uint32_t *hdr_at(struct ringbuf *rb, uint64_t pos)
{
	return (uint32_t *)(void *)(rb->data + (pos & (rb->size - 1)));
}

/* __bpf_ringbuf_reserve: room for the header and the data rounded up to 8,
 * leaving at least one byte free as the kernel does; NULL when full. The
 * header says busy until the record is submitted or discarded. Lock held. */
void *vm_ringbuf_reserve(struct bpfkit_vm_map *m, uint64_t size)
{
	struct ringbuf *rb = m->priv;
	uint64_t total = (size + RB_HDR + 7) & ~7ull;
	uint32_t *h;

	if (size > rb->size - RB_HDR || rb->prod + total - rb->cons > rb->size - 1)
		return NULL;
	h = hdr_at(rb, rb->prod);
	h[0] = (uint32_t)size | RB_BUSY;
	h[1] = (uint32_t)((rb->prod & (rb->size - 1)) / RB_PAGE);
	rb->prod += total;
	return h + 2;
}

/* bpf_ringbuf_submit/discard: @p data must be the data of a busy record of
 * this ring (checked: inside the mapping, 8-byte aligned, busy); -EINVAL
 * otherwise. Lock held. */
int vm_ringbuf_commit(struct bpfkit_vm_map *m, void *data, bool discard)
{
	struct ringbuf *rb = m->priv;
	uint8_t *p = data;
	uint32_t *h;

	if (p < rb->data + RB_HDR || p >= rb->data + 2 * rb->size || (p - rb->data) % 8)
		return -EINVAL;
	h = (uint32_t *)(void *)(p - RB_HDR);
	if (!(h[0] & RB_BUSY))
		return -EINVAL;
	h[0] = (h[0] & ~RB_BUSY) | (discard ? RB_DISCARD : 0);
	return 0;
}

/* bpf_ringbuf_query: available data, ring size, consumer and producer
 * positions (BPF_RB_AVAIL_DATA .. BPF_RB_PROD_POS); 0 for other flags. */
uint64_t vm_ringbuf_query(struct bpfkit_vm_map *m, uint64_t flags)
{
	struct ringbuf *rb = m->priv;

	switch (flags) {
	case 0:
		return rb->prod - rb->cons;
	case 1:
		return rb->size;
	case 2:
		return rb->cons;
	case 3:
		return rb->prod;
	default:
		return 0;
	}
}

int bpfkit_vm_map__ringbuf_consume(struct bpfkit_vm_map *m,
				   int (*fn)(void *ctx, const void *data, size_t len), void *ctx)
{
	struct ringbuf *rb;
	int n = 0;

	if (!m || !fn || m->ops != &vm_map_ringbuf_ops)
		return -EINVAL;
	rb = m->priv;
	pthread_mutex_lock(&m->lock);
	while (rb->cons < rb->prod) {
		uint32_t len = *hdr_at(rb, rb->cons);
		if (len & RB_BUSY)
			break;
		if (!(len & RB_DISCARD)) {
			int err = fn(ctx, hdr_at(rb, rb->cons) + 2, len & ~(RB_BUSY | RB_DISCARD));
			n++;
			if (err) {
				rb->cons += ((len & ~(RB_BUSY | RB_DISCARD)) + RB_HDR + 7) & ~7ull;
				break;
			}
		}
		rb->cons += ((len & ~(RB_BUSY | RB_DISCARD)) + RB_HDR + 7) & ~7ull;
	}
	pthread_mutex_unlock(&m->lock);
	return n;
}
