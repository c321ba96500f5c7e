// SPDX-License-Identifier: MIT
/*
 * Maps, the common part: creation with the kernel's validation, the lock,
 * the syscall view (lookup/update/delete/next_key copying values in and out)
 * and the program's view the helpers use (a pointer into the value). Each
 * type's own work is in map_array.c, map_hash.c and map_queue.c, behind
 * struct vm_map_ops. See vm.h for the thread-safety guarantees.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "map_int.h"

static const struct vm_map_ops *ops_of(uint32_t type)
{
	switch (type) {
	case BPFKIT_MAP_ARRAY:
	case BPFKIT_MAP_PERCPU_ARRAY:
		return &vm_map_array_ops;
	case BPFKIT_MAP_HASH:
	case BPFKIT_MAP_PERCPU_HASH:
	case BPFKIT_MAP_LRU_HASH:
	case BPFKIT_MAP_LRU_PERCPU_HASH:
		return &vm_map_hash_ops;
	case BPFKIT_MAP_QUEUE:
	case BPFKIT_MAP_STACK:
		return &vm_map_queue_ops;
	case BPFKIT_MAP_LPM_TRIE:
		return &vm_map_lpm_ops;
	case BPFKIT_MAP_BLOOM_FILTER:
		return &vm_map_bloom_ops;
	case BPFKIT_MAP_RINGBUF:
		return &vm_map_ringbuf_ops;
	default:
		return NULL;
	}
}

static bool is_percpu(uint32_t type)
{
	return type == BPFKIT_MAP_PERCPU_ARRAY || type == BPFKIT_MAP_PERCPU_HASH ||
	       type == BPFKIT_MAP_LRU_PERCPU_HASH;
}

bool vm_map_access_ok(uint32_t flags)
{
	return !((flags & BPFKIT_F_RDONLY) && (flags & BPFKIT_F_WRONLY)) &&
	       !((flags & BPFKIT_F_RDONLY_PROG) && (flags & BPFKIT_F_WRONLY_PROG));
}

int vm_map_check_flags(uint64_t flags)
{
	/* BPF_F_LOCK needs a bpf_spin_lock in the value, which the VM has not */
	return flags > BPFKIT_EXIST ? -EINVAL : 0;
}

/* Validate, then allocate the values block (max_entries * nvals slots) and
 * let the type allocate the rest. */
struct bpfkit_vm_map *bpfkit_vm_map__new(const struct bpfkit_map_attr *attr)
{
	const struct vm_map_ops *ops = attr ? ops_of(attr->type) : NULL;
	struct bpfkit_vm_map *m = NULL;
	uint64_t bytes;
	int err;

	if (!attr) {
		errno = EINVAL;
		return NULL;
	}
	if (!ops) {
		errno = EOPNOTSUPP;
		return NULL;
	}
	err = ops->check(attr);
	if (err)
		goto fail;
	m = calloc(1, sizeof(*m));
	if (!m || !(m->name = strdup(attr->name ? attr->name : ""))) {
		err = -ENOMEM;
		goto fail;
	}
	m->attr = *attr;
	m->attr.name = m->name;
	m->ops = ops;
	m->percpu = is_percpu(attr->type);
	m->nvals = m->percpu ? (attr->ncpus ? attr->ncpus : 1) : 1;
	m->attr.ncpus = m->nvals;
	m->stride = (attr->value_size + 7) & ~7u;
	bytes = ops->no_values ? 0 : (uint64_t)attr->max_entries * m->nvals * m->stride;
	if (bytes > VM_MAP_MAX_BYTES) {
		err = -ENOMEM;
		goto fail;
	}
	m->values_len = (size_t)bytes;
	/* calloc is 16-byte aligned: values are 8-byte aligned for atomics */
	m->values = calloc(1, m->values_len ? m->values_len : 1);
	if (!m->values) {
		err = -ENOMEM;
		goto fail;
	}
	pthread_mutex_init(&m->lock, NULL);
	err = ops->alloc(m);
	if (err) {
		pthread_mutex_destroy(&m->lock);
		goto fail;
	}
	return m;
fail:
	if (m) {
		free(m->values);
		free(m->name);
		free(m);
	}
	errno = -err;
	return NULL;
}

void bpfkit_vm_map__free(struct bpfkit_vm_map *m)
{
	if (!m)
		return;
	m->ops->free(m);
	pthread_mutex_destroy(&m->lock);
	free(m->values);
	free(m->name);
	free(m);
}

const struct bpfkit_map_attr *bpfkit_vm_map__attr(const struct bpfkit_vm_map *m)
{
	return m ? &m->attr : NULL;
}

size_t bpfkit_vm_map__value_len(const struct bpfkit_vm_map *m)
{
	if (!m)
		return 0;
	return m->percpu ? (size_t)m->nvals * m->stride : m->attr.value_size;
}

void vm_map_store(struct bpfkit_vm_map *m, size_t e, const void *value, int cpu, bool fresh)
{
	uint32_t vs = m->attr.value_size;

	if (cpu >= 0) {
		if (fresh)
			memset(vm_map_slot(m, e, 0), 0, (size_t)m->nvals * m->stride);
		memmove(vm_map_slot(m, e, (unsigned)cpu), value, vs);
		return;
	}
	for (unsigned c = 0; c < m->nvals; c++) {
		const uint8_t *src = (const uint8_t *)value + (m->percpu ? (size_t)c * m->stride : 0);
		memmove(vm_map_slot(m, e, c), src, vs);
	}
}

/* Copy element @p e's value(s) out in the syscall layout: per-CPU values
 * are stride apart, their padding zeroed. */
static void copy_out(const struct bpfkit_vm_map *m, size_t e, void *value)
{
	uint8_t *out = value;

	if (!m->percpu) {
		memcpy(out, vm_map_slot(m, e, 0), m->attr.value_size);
		return;
	}
	for (unsigned c = 0; c < m->nvals; c++) {
		memcpy(out + (size_t)c * m->stride, vm_map_slot(m, e, c), m->attr.value_size);
		memset(out + (size_t)c * m->stride + m->attr.value_size, 0,
		       m->stride - m->attr.value_size);
	}
}

int bpfkit_vm_map__lookup(struct bpfkit_vm_map *m, const void *key, void *value)
{
	long e;
	int err = 0;

	if (!m || !value)
		return -EINVAL;
	pthread_mutex_lock(&m->lock);
	if (m->ops->take) {
		err = m->ops->take(m, value, false);
	} else if (!key) {
		err = -EINVAL;
	} else if ((e = m->ops->find(m, key, false)) < 0) {
		err = -ENOENT;
	} else {
		copy_out(m, (size_t)e, value);
	}
	pthread_mutex_unlock(&m->lock);
	return err;
}

int bpfkit_vm_map__update(struct bpfkit_vm_map *m, const void *key, const void *value,
			  uint64_t flags)
{
	int err;

	if (!m || !value || (!key && !m->ops->push))
		return -EINVAL;
	if (m->attr.flags & BPFKIT_F_RDONLY)
		return -EPERM;
	pthread_mutex_lock(&m->lock);
	err = m->ops->push ? m->ops->push(m, value, flags) : m->ops->update(m, key, value, flags, -1);
	pthread_mutex_unlock(&m->lock);
	return err;
}

int bpfkit_vm_map__delete(struct bpfkit_vm_map *m, const void *key)
{
	int err;

	if (!m)
		return -EINVAL;
	if (m->attr.flags & BPFKIT_F_RDONLY)
		return -EPERM;
	if (!m->ops->delete || (!key && !m->ops->push))
		return -EINVAL;
	pthread_mutex_lock(&m->lock);
	err = m->ops->delete(m, key);
	pthread_mutex_unlock(&m->lock);
	return err;
}

int bpfkit_vm_map__lookup_and_delete(struct bpfkit_vm_map *m, const void *key, void *value)
{
	long e;
	int err = 0;

	if (!m || !value)
		return -EINVAL;
	if (m->attr.flags & BPFKIT_F_RDONLY)
		return -EPERM;
	pthread_mutex_lock(&m->lock);
	if (m->ops->take) {
		err = m->ops->take(m, value, true);
	} else if (!key) {
		err = -EINVAL;
	} else if (m->ops != &vm_map_hash_ops) {
		err = -EOPNOTSUPP; /* the kernel's ENOTSUPP: hash maps, queues and stacks only */
	} else if ((e = m->ops->find(m, key, false)) < 0) {
		err = -ENOENT;
	} else {
		copy_out(m, (size_t)e, value);
		err = m->ops->delete(m, key);
	}
	pthread_mutex_unlock(&m->lock);
	return err;
}

int bpfkit_vm_map__next_key(struct bpfkit_vm_map *m, const void *key, void *next)
{
	int err;

	if (!m || !next)
		return -EINVAL;
	if (!m->ops->next_key)
		return -EINVAL;
	pthread_mutex_lock(&m->lock);
	err = m->ops->next_key(m, key, next);
	pthread_mutex_unlock(&m->lock);
	return err;
}

int bpfkit_vm_map__peek_nth(struct bpfkit_vm_map *m, uint32_t n, void *value)
{
	int err;

	if (!m || !value || !m->ops->peek_nth)
		return -EINVAL;
	pthread_mutex_lock(&m->lock);
	err = m->ops->peek_nth(m, n, value);
	pthread_mutex_unlock(&m->lock);
	return err;
}

/* ---- the program's view ----------------------------------------------------- */

void *vm_map_lookup_prog(struct bpfkit_vm_map *m, const void *key, unsigned cpu)
{
	void *p = NULL;
	long e;

	if (!m->percpu)
		cpu = 0; /* one value, whatever the CPU */
	if (!m->ops->find || cpu >= m->nvals)
		return NULL;
	if (m->ops->lockless) {
		e = m->ops->find(m, key, true);
		return e >= 0 ? vm_map_slot(m, (size_t)e, cpu) : NULL;
	}
	pthread_mutex_lock(&m->lock);
	e = m->ops->find(m, key, true);
	if (e >= 0)
		p = vm_map_slot(m, (size_t)e, cpu);
	pthread_mutex_unlock(&m->lock);
	return p;
}

int vm_map_update_prog(struct bpfkit_vm_map *m, const void *key, const void *value,
		       uint64_t flags, unsigned cpu)
{
	int err;

	if (m->attr.flags & BPFKIT_F_RDONLY_PROG)
		return -EPERM;
	if (!m->ops->update)
		return -EINVAL;
	if (!m->percpu)
		cpu = 0; /* one value, whatever the CPU */
	if (cpu >= m->nvals)
		return -EINVAL;
	if (m->ops->lockless)
		return m->ops->update(m, key, value, flags, (int)cpu);
	pthread_mutex_lock(&m->lock);
	err = m->ops->update(m, key, value, flags, (int)cpu);
	pthread_mutex_unlock(&m->lock);
	return err;
}

int vm_map_delete_prog(struct bpfkit_vm_map *m, const void *key)
{
	int err;

	if (m->attr.flags & BPFKIT_F_RDONLY_PROG)
		return -EPERM;
	if (!m->ops->delete || m->ops->push)
		return -EINVAL;
	pthread_mutex_lock(&m->lock);
	err = m->ops->delete(m, key);
	pthread_mutex_unlock(&m->lock);
	return err;
}

int vm_map_push_prog(struct bpfkit_vm_map *m, const void *value, uint64_t flags)
{
	int err;

	if (!m->ops->push)
		return -EINVAL;
	if (m->attr.flags & BPFKIT_F_RDONLY_PROG)
		return -EPERM;
	pthread_mutex_lock(&m->lock);
	err = m->ops->push(m, value, flags);
	pthread_mutex_unlock(&m->lock);
	return err;
}

int vm_map_take_prog(struct bpfkit_vm_map *m, void *value, bool del)
{
	int err;

	if (!m->ops->take)
		return -EINVAL;
	if (del && (m->attr.flags & BPFKIT_F_RDONLY_PROG))
		return -EPERM;
	pthread_mutex_lock(&m->lock);
	err = m->ops->take(m, value, del);
	pthread_mutex_unlock(&m->lock);
	return err;
}
