// SPDX-License-Identifier: MIT
/*
 * lpm_trie (kernel/bpf/lpm_trie.c): keys are struct { u32 prefixlen;
 * u8 data[key_size - 4]; }, data in network order; a lookup finds the
 * element with the longest prefix that matches the key's first prefixlen
 * bits. The kernel keeps a bit trie; the VM keeps the max_entries elements
 * in a table and scans it (O(n) per operation: fine for the route tables
 * programs carry, slow for large ones), with the kernel's semantics and its
 * iteration order (post-order: longer prefixes before the prefixes they
 * extend, the 0 side before the 1 side).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "map_int.h"

#define LPM_FLAGS                                                                                 \
	(BPFKIT_F_NO_PREALLOC | BPFKIT_F_NUMA_NODE | BPFKIT_F_RDONLY | BPFKIT_F_WRONLY |           \
	 BPFKIT_F_RDONLY_PROG | BPFKIT_F_WRONLY_PROG)
#define LPM_DATA_MAX 256

struct lpm {
	uint8_t *keys; /* [max_entries * key_size] */
	uint8_t *used; /* [max_entries] */
	uint32_t n;
};

/* trie_alloc's checks: every failure is EINVAL; BPF_F_NO_PREALLOC is required */
static int lpm_check(const struct bpfkit_map_attr *a)
{
	if (a->max_entries == 0 || !(a->flags & BPFKIT_F_NO_PREALLOC) || (a->flags & ~LPM_FLAGS) ||
	    !vm_map_access_ok(a->flags) || a->key_size < 5 || a->key_size > 4 + LPM_DATA_MAX ||
	    a->value_size < 1 || a->value_size > VM_MAP_KMALLOC_MAX - LPM_DATA_MAX - 48)
		return -EINVAL;
	return 0;
}

static void lpm_free(struct bpfkit_vm_map *m)
{
	struct lpm *t = m->priv;

	if (t) {
		free(t->keys);
		free(t->used);
		free(t);
	}
	m->priv = NULL;
}

static int lpm_alloc(struct bpfkit_vm_map *m)
{
	struct lpm *t = calloc(1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	m->priv = t;
	t->keys = calloc(m->attr.max_entries, m->attr.key_size);
	t->used = calloc(m->attr.max_entries, 1);
	if (!t->keys || !t->used) {
		lpm_free(m);
		return -ENOMEM;
	}
	return 0;
}

static uint32_t plen_of(const uint8_t *key)
{
	uint32_t p;

	memcpy(&p, key, sizeof(p));
	return p;
}

static unsigned bit_at(const uint8_t *data, uint32_t i)
{
	return (data[i / 8] >> (7 - i % 8)) & 1;
}

/* Bits of @p a and @p b's data that agree from the start, up to @p max. */
static uint32_t match_len(const uint8_t *a, const uint8_t *b, uint32_t max)
{
	uint32_t i = 0;

	while (i < max && !(i % 8) && i + 8 <= max && a[i / 8] == b[i / 8])
		i += 8;
	while (i < max && bit_at(a, i) == bit_at(b, i))
		i++;
	return i;
}

static const uint8_t *key_of(const struct bpfkit_vm_map *m, uint32_t e)
{
	const struct lpm *t = m->priv;

	return t->keys + (size_t)e * m->attr.key_size;
}

/* The element whose prefix is exactly @p key's (same length, same bits), or -1. */
static long exact(const struct bpfkit_vm_map *m, const uint8_t *key)
{
	const struct lpm *t = m->priv;
	uint32_t plen = plen_of(key);

	for (uint32_t e = 0; e < m->attr.max_entries; e++) {
		const uint8_t *k = key_of(m, e);
		if (t->used[e] && plen_of(k) == plen && match_len(k + 4, key + 4, plen) == plen)
			return e;
	}
	return -1;
}

/* trie_lookup_elem: the longest prefix matching the key's first prefixlen bits. */
static long lpm_find(struct bpfkit_vm_map *m, const void *key, bool touch)
{
	const struct lpm *t = m->priv;
	const uint8_t *k = key;
	uint32_t max = (m->attr.key_size - 4) * 8, plen = plen_of(k);
	long best = -1;
	uint32_t best_len = 0;

	(void)touch;
	if (plen > max)
		plen = max;
	for (uint32_t e = 0; e < m->attr.max_entries; e++) {
		const uint8_t *c = key_of(m, e);
		uint32_t cl = plen_of(c);
		if (!t->used[e] || cl > plen || (best >= 0 && cl <= best_len))
			continue;
		if (match_len(c + 4, k + 4, cl) == cl) {
			best = e;
			best_len = cl;
		}
	}
	return best;
}

static int lpm_update(struct bpfkit_vm_map *m, const void *key, const void *value, uint64_t flags,
		      int cpu)
{
	struct lpm *t = m->priv;
	int err = vm_map_check_flags(flags);
	long e;

	if (err)
		return err;
	if (plen_of(key) > (m->attr.key_size - 4) * 8)
		return -EINVAL;
	e = exact(m, key);
	if (e >= 0 && flags == BPFKIT_NOEXIST)
		return -EEXIST;
	if (e < 0 && flags == BPFKIT_EXIST)
		return -ENOENT;
	if (e < 0) {
		if (t->n == m->attr.max_entries)
			return -ENOSPC;
		for (e = 0; t->used[e]; e++)
			;
		t->used[e] = 1;
		t->n++;
	}
	memcpy(t->keys + (size_t)e * m->attr.key_size, key, m->attr.key_size);
	vm_map_store(m, (size_t)e, value, cpu < 0 ? -1 : 0, false);
	return 0;
}

static int lpm_delete(struct bpfkit_vm_map *m, const void *key)
{
	struct lpm *t = m->priv;
	long e = plen_of(key) > (m->attr.key_size - 4) * 8 ? -1 : exact(m, key);

	if (e < 0)
		return -ENOENT;
	t->used[e] = 0;
	t->n--;
	return 0;
}

/* Post-order of the kernel's trie: does @p a come before @p b? At the first
 * bit where they differ, the 0 side first; when one extends the other,
 * the longer first (a child before its parent). */
static bool before(const uint8_t *a, const uint8_t *b)
{
	uint32_t la = plen_of(a), lb = plen_of(b), min = la < lb ? la : lb;
	uint32_t i = match_len(a + 4, b + 4, min);

	if (i < min)
		return bit_at(a + 4, i) == 0;
	return la > lb;
}

/* trie_get_next_key: the first element in post-order after @p key; the
 * first of all for NULL or a key not in the trie. */
static int lpm_next_key(struct bpfkit_vm_map *m, const void *key, void *next)
{
	const struct lpm *t = m->priv;
	long from = key && plen_of(key) <= (m->attr.key_size - 4) * 8 ? exact(m, key) : -1;
	long best = -1;

	for (uint32_t e = 0; e < m->attr.max_entries; e++) {
		if (!t->used[e] || (from >= 0 && !before(key_of(m, (uint32_t)from), key_of(m, e))))
			continue;
		if (best < 0 || before(key_of(m, e), key_of(m, (uint32_t)best)))
			best = e;
	}
	if (best < 0)
		return -ENOENT;
	memcpy(next, key_of(m, (uint32_t)best), m->attr.key_size);
	return 0;
}

const struct vm_map_ops vm_map_lpm_ops = {
	.check = lpm_check,
	.alloc = lpm_alloc,
	.free = lpm_free,
	.find = lpm_find,
	.update = lpm_update,
	.delete = lpm_delete,
	.next_key = lpm_next_key,
};
