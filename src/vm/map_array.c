// SPDX-License-Identifier: MIT
/*
 * array and percpu_array (kernel/bpf/arraymap.c): max_entries values
 * indexed by a u32 key, all present from creation and zeroed; elements
 * cannot be deleted; iteration goes by index.
 */
#include <errno.h>
#include <string.h>

#include "map_int.h"

#define ARRAY_FLAGS                                                                               \
	(BPFKIT_F_NUMA_NODE | BPFKIT_F_MMAPABLE | BPFKIT_F_RDONLY | BPFKIT_F_WRONLY |              \
	 BPFKIT_F_RDONLY_PROG | BPFKIT_F_WRONLY_PROG | BPFKIT_F_PRESERVE_ELEMS | BPFKIT_F_INNER_MAP)

/* array_map_alloc_check */
static int array_check(const struct bpfkit_map_attr *a)
{
	bool percpu = a->type == BPFKIT_MAP_PERCPU_ARRAY;

	if (a->max_entries == 0 || a->key_size != 4 || a->value_size == 0 ||
	    (a->flags & ~ARRAY_FLAGS) || !vm_map_access_ok(a->flags) ||
	    (percpu && (a->flags & BPFKIT_F_MMAPABLE)))
		return -EINVAL;
	if (a->value_size > VM_MAP_KMALLOC_MAX)
		return -E2BIG;
	if (percpu && a->value_size > VM_MAP_PCPU_MAX)
		return -E2BIG;
	return 0;
}

static int array_alloc(struct bpfkit_vm_map *m)
{
	(void)m;
	return 0;
}

static void array_free(struct bpfkit_vm_map *m)
{
	(void)m;
}

static uint32_t key_index(const void *key)
{
	uint32_t i;

	memcpy(&i, key, sizeof(i));
	return i;
}

static long array_find(struct bpfkit_vm_map *m, const void *key, bool touch)
{
	uint32_t i = key_index(key);

	(void)touch;
	return i < m->attr.max_entries ? (long)i : -1;
}

/* array_map_update_elem: every element exists, so NOEXIST is EEXIST */
static int array_update(struct bpfkit_vm_map *m, const void *key, const void *value,
			uint64_t flags, int cpu)
{
	uint32_t i = key_index(key);
	int err = vm_map_check_flags(flags);

	if (err)
		return err;
	if (i >= m->attr.max_entries)
		return -E2BIG;
	if (flags == BPFKIT_NOEXIST)
		return -EEXIST;
	vm_map_store(m, i, value, cpu, false);
	return 0;
}

/* array_map_get_next_key */
static int array_next_key(struct bpfkit_vm_map *m, const void *key, void *next)
{
	uint32_t i = key ? key_index(key) : UINT32_MAX, n;

	if (i >= m->attr.max_entries)
		n = 0;
	else if (i == m->attr.max_entries - 1)
		return -ENOENT;
	else
		n = i + 1;
	memcpy(next, &n, sizeof(n));
	return 0;
}

const struct vm_map_ops vm_map_array_ops = {
	.check = array_check,
	.alloc = array_alloc,
	.free = array_free,
	.find = array_find,
	.update = array_update,
	.next_key = array_next_key,
	.lockless = true,
};
