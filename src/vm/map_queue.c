// SPDX-License-Identifier: MIT
/*
 * queue and stack (kernel/bpf/queue_stack_maps.c): no keys; push adds a
 * value, pop takes the oldest (queue) or the newest (stack), peek reads it
 * without taking it. A ring of max_entries value slots.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "map_int.h"

#define QS_FLAGS                                                                                  \
	(BPFKIT_F_NUMA_NODE | BPFKIT_F_RDONLY | BPFKIT_F_WRONLY | BPFKIT_F_RDONLY_PROG |           \
	 BPFKIT_F_WRONLY_PROG)

struct qs {
	uint32_t head; /* slot of the oldest value */
	uint32_t count;
};

/* queue_stack_map_alloc_check */
static int qs_check(const struct bpfkit_map_attr *a)
{
	if (a->max_entries == 0 || a->key_size != 0 || a->value_size == 0 ||
	    (a->flags & ~QS_FLAGS) || !vm_map_access_ok(a->flags))
		return -EINVAL;
	if (a->value_size > VM_MAP_KMALLOC_MAX)
		return -E2BIG;
	return 0;
}

static int qs_alloc(struct bpfkit_vm_map *m)
{
	m->priv = calloc(1, sizeof(struct qs));
	return m->priv ? 0 : -ENOMEM;
}

static void qs_free(struct bpfkit_vm_map *m)
{
	free(m->priv);
	m->priv = NULL;
}

/* queue_stack_map_push_elem: NOEXIST is invalid; when full, EXIST drops the
 * oldest value to make room, anything else is E2BIG */
static int qs_push(struct bpfkit_vm_map *m, const void *value, uint64_t flags)
{
	struct qs *q = m->priv;
	uint32_t max = m->attr.max_entries;

	if ((flags & BPFKIT_NOEXIST) || flags > BPFKIT_EXIST)
		return -EINVAL;
	if (q->count == max) {
		if (!(flags & BPFKIT_EXIST))
			return -E2BIG;
		q->head = (q->head + 1) % max;
		q->count--;
	}
	memmove(vm_map_slot(m, (q->head + q->count) % max, 0), value, m->attr.value_size);
	q->count++;
	return 0;
}

/* pop (del) or peek: the oldest value for a queue, the newest for a stack */
static int qs_take(struct bpfkit_vm_map *m, void *value, bool del)
{
	struct qs *q = m->priv;
	uint32_t max = m->attr.max_entries, slot;
	bool stack = m->attr.type == BPFKIT_MAP_STACK;

	if (!q->count)
		return -ENOENT;
	slot = stack ? (q->head + q->count - 1) % max : q->head;
	memmove(value, vm_map_slot(m, slot, 0), m->attr.value_size);
	if (del) {
		if (!stack)
			q->head = (q->head + 1) % max;
		q->count--;
	}
	return 0;
}

/* The @p n-th value pops would take, without taking anything. */
static int qs_peek_nth(struct bpfkit_vm_map *m, uint32_t n, void *value)
{
	struct qs *q = m->priv;
	uint32_t max = m->attr.max_entries, slot;

	if (n >= q->count)
		return -ENOENT;
	slot = m->attr.type == BPFKIT_MAP_STACK ? (q->head + q->count - 1 - n) % max
						: (q->head + n) % max;
	memcpy(value, vm_map_slot(m, slot, 0), m->attr.value_size);
	return 0;
}

const struct vm_map_ops vm_map_queue_ops = {
	.peek_nth = qs_peek_nth,
	.check = qs_check,
	.alloc = qs_alloc,
	.free = qs_free,
	.push = qs_push,
	.take = qs_take,
};
