// SPDX-License-Identifier: MIT
/*
 * hash, percpu_hash, lru_hash and lru_percpu_hash (kernel/bpf/hashtab.c),
 * preallocated as the kernel's are by default: max_entries elements, kept
 * on a free list, chained from a power-of-two number of buckets (new
 * elements at the head of their chain, as the kernel adds them). The hash
 * is fixed, so iteration order is the same on every run; the kernel seeds
 * its hash at random, so it has no order to match.
 *
 * LRU maps evict when an update needs an element and none is free: the one
 * used least recently, where use is an update or a program's lookup (not
 * a syscall lookup, as in the kernel). The kernel's LRU is an approximation
 * of this (per-CPU free lists, reference bits); this one is exact.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "map_int.h"

#define HASH_FLAGS                                                                                \
	(BPFKIT_F_NO_PREALLOC | BPFKIT_F_NO_COMMON_LRU | BPFKIT_F_NUMA_NODE | BPFKIT_F_RDONLY |    \
	 BPFKIT_F_WRONLY | BPFKIT_F_RDONLY_PROG | BPFKIT_F_WRONLY_PROG | BPFKIT_F_ZERO_SEED)

struct hash {
	uint32_t nbuckets; /* a power of two */
	uint32_t *bucket; /* [nbuckets]: first element of the chain, or VM_MAP_NIL */
	uint32_t *next; /* [max_entries]: next in chain, or on the free list */
	uint32_t *hv; /* [max_entries]: hash of the element's key */
	uint8_t *keys; /* [max_entries * key_size] */
	uint32_t free; /* free list head */
	bool lru;
	uint32_t *lru_prev, *lru_next; /* most recent at lru_head */
	uint32_t lru_head, lru_tail;
};

static bool is_lru(uint32_t type)
{
	return type == BPFKIT_MAP_LRU_HASH || type == BPFKIT_MAP_LRU_PERCPU_HASH;
}

/* htab_map_alloc_check, in the kernel's order */
static int hash_check(const struct bpfkit_map_attr *a)
{
	bool lru = is_lru(a->type);
	bool percpu = a->type == BPFKIT_MAP_PERCPU_HASH || a->type == BPFKIT_MAP_LRU_PERCPU_HASH;

	if ((a->flags & ~HASH_FLAGS) || !vm_map_access_ok(a->flags))
		return -EINVAL;
	if (!lru && (a->flags & BPFKIT_F_NO_COMMON_LRU))
		return -EINVAL;
	if (lru && (a->flags & BPFKIT_F_NO_PREALLOC))
		return -EOPNOTSUPP; /* the kernel's ENOTSUPP */
	if (a->max_entries == 0 || a->key_size == 0 || a->value_size == 0)
		return -EINVAL;
	if (a->key_size > VM_MAP_MAX_KEY)
		return -E2BIG;
	if (a->value_size >= VM_MAP_KMALLOC_MAX - VM_MAP_MAX_KEY - 48)
		return -E2BIG;
	if (percpu && a->value_size > VM_MAP_PCPU_MAX)
		return -E2BIG;
	return 0;
}

static void hash_free(struct bpfkit_vm_map *m)
{
	struct hash *h = m->priv;

	if (!h)
		return;
	free(h->bucket);
	free(h->next);
	free(h->hv);
	free(h->keys);
	free(h->lru_prev);
	free(h->lru_next);
	free(h);
	m->priv = NULL;
}

static int hash_alloc(struct bpfkit_vm_map *m)
{
	uint32_t n = m->attr.max_entries, nb = 1;
	struct hash *h = calloc(1, sizeof(*h));

	if (!h)
		return -ENOMEM;
	m->priv = h;
	while (nb < n && nb < (1u << 31))
		nb <<= 1;
	h->nbuckets = nb;
	h->lru = is_lru(m->attr.type);
	h->bucket = malloc((size_t)nb * sizeof(*h->bucket));
	h->next = malloc((size_t)n * sizeof(*h->next));
	h->hv = calloc(n, sizeof(*h->hv));
	h->keys = calloc(n, m->attr.key_size);
	if (h->lru) {
		h->lru_prev = malloc((size_t)n * sizeof(*h->lru_prev));
		h->lru_next = malloc((size_t)n * sizeof(*h->lru_next));
	}
	if (!h->bucket || !h->next || !h->hv || !h->keys ||
	    (h->lru && (!h->lru_prev || !h->lru_next))) {
		hash_free(m);
		return -ENOMEM;
	}
	memset(h->bucket, 0xff, (size_t)nb * sizeof(*h->bucket));
	for (uint32_t i = 0; i < n; i++)
		h->next[i] = i + 1 < n ? i + 1 : VM_MAP_NIL;
	h->free = 0;
	h->lru_head = h->lru_tail = VM_MAP_NIL;
	return 0;
}

/* The key hashed eight bytes at a time (a multiply-rotate per word, then
 * a final mix so the low bits, the bucket, depend on every byte): keys are
 * mostly 4 or 8 bytes, and a byte-wise hash was a third of a lookup. */
static uint32_t hash_key(const void *key, uint32_t len)
{
	const uint8_t *p = key;
	uint64_t x = 0x9e3779b97f4a7c15ull ^ len, w;

	for (; len >= 8; p += 8, len -= 8) {
		memcpy(&w, p, 8);
		x = (x ^ w) * 0xff51afd7ed558ccdull;
		x = (x << 31) | (x >> 33);
	}
	if (len) { /* the last 1-7 bytes by 4, 2 and 1 (no byte loop, no stall) */
		uint32_t u32;
		uint16_t u16;
		w = 0;
		if (len & 4) {
			memcpy(&u32, p, 4);
			w = u32;
			p += 4;
		}
		if (len & 2) {
			memcpy(&u16, p, 2);
			w = w << 16 | u16;
			p += 2;
		}
		if (len & 1)
			w = w << 8 | *p;
		x = (x ^ w) * 0xff51afd7ed558ccdull;
	}
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	x ^= x >> 29;
	return (uint32_t)x;
}

/* Are two keys of @p len bytes equal? The common sizes without a call. */
static bool key_eq(const uint8_t *a, const uint8_t *b, uint32_t len)
{
	uint64_t x, y;
	uint32_t u, v;

	switch (len) {
	case 4:
		memcpy(&u, a, 4);
		memcpy(&v, b, 4);
		return u == v;
	case 8:
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		return x == y;
	default:
		return !memcmp(a, b, len);
	}
}

static uint8_t *key_at(const struct bpfkit_vm_map *m, uint32_t e)
{
	const struct hash *h = m->priv;

	return h->keys + (size_t)e * m->attr.key_size;
}

/* ---- the LRU list: most recently used at the head ---- */

static void lru_unlink(struct hash *h, uint32_t e)
{
	uint32_t p = h->lru_prev[e], n = h->lru_next[e];

	if (p != VM_MAP_NIL)
		h->lru_next[p] = n;
	else
		h->lru_head = n;
	if (n != VM_MAP_NIL)
		h->lru_prev[n] = p;
	else
		h->lru_tail = p;
}

static void lru_push_head(struct hash *h, uint32_t e)
{
	h->lru_prev[e] = VM_MAP_NIL;
	h->lru_next[e] = h->lru_head;
	if (h->lru_head != VM_MAP_NIL)
		h->lru_prev[h->lru_head] = e;
	h->lru_head = e;
	if (h->lru_tail == VM_MAP_NIL)
		h->lru_tail = e;
}

/* Element of @p key with hash @p hv, or VM_MAP_NIL; *prev_out its
 * predecessor in the chain (VM_MAP_NIL at the head). */
static uint32_t chain_find(struct bpfkit_vm_map *m, const void *key, uint32_t hv,
			   uint32_t *prev_out)
{
	struct hash *h = m->priv;
	uint32_t prev = VM_MAP_NIL;

	for (uint32_t e = h->bucket[hv & (h->nbuckets - 1)]; e != VM_MAP_NIL; prev = e, e = h->next[e])
		if (h->hv[e] == hv && key_eq(key_at(m, e), key, m->attr.key_size)) {
			if (prev_out)
				*prev_out = prev;
			return e;
		}
	return VM_MAP_NIL;
}

static long hash_find(struct bpfkit_vm_map *m, const void *key, bool touch)
{
	struct hash *h = m->priv;
	uint32_t e = chain_find(m, key, hash_key(key, m->attr.key_size), NULL);

	if (e == VM_MAP_NIL)
		return -1;
	if (touch && h->lru) {
		lru_unlink(h, e);
		lru_push_head(h, e);
	}
	return e;
}

/* Take element @p e out of its chain (and the LRU list) and free it. */
static void unlink_elem(struct bpfkit_vm_map *m, uint32_t e, uint32_t prev)
{
	struct hash *h = m->priv;

	if (prev == VM_MAP_NIL)
		h->bucket[h->hv[e] & (h->nbuckets - 1)] = h->next[e];
	else
		h->next[prev] = h->next[e];
	if (h->lru)
		lru_unlink(h, e);
	h->next[e] = h->free;
	h->free = e;
}

/* A free element, evicting the least recently used one of an LRU map when
 * none is free; VM_MAP_NIL when the map is full. */
static uint32_t alloc_elem(struct bpfkit_vm_map *m)
{
	struct hash *h = m->priv;
	uint32_t e, prev;

	if (h->free == VM_MAP_NIL && h->lru && h->lru_tail != VM_MAP_NIL) {
		e = h->lru_tail;
		chain_find(m, key_at(m, e), h->hv[e], &prev);
		unlink_elem(m, e, prev);
	}
	e = h->free;
	if (e != VM_MAP_NIL)
		h->free = h->next[e];
	return e;
}

/* htab_map_update_elem and its percpu/LRU variants. An existing element's
 * value is replaced in place (the kernel swaps in a new element for the
 * non-per-CPU types, so a program holding the old pointer keeps seeing the
 * old value there; here it sees the new one). */
static int hash_update(struct bpfkit_vm_map *m, const void *key, const void *value,
		       uint64_t flags, int cpu)
{
	struct hash *h = m->priv;
	uint32_t hv = hash_key(key, m->attr.key_size), e, b;
	int err = vm_map_check_flags(flags);

	if (err)
		return err;
	e = chain_find(m, key, hv, NULL);
	if (e != VM_MAP_NIL) {
		if (flags == BPFKIT_NOEXIST)
			return -EEXIST;
		vm_map_store(m, e, value, cpu, false);
		if (h->lru) {
			lru_unlink(h, e);
			lru_push_head(h, e);
		}
		return 0;
	}
	if (flags == BPFKIT_EXIST)
		return -ENOENT;
	e = alloc_elem(m);
	if (e == VM_MAP_NIL)
		return -E2BIG;
	memcpy(key_at(m, e), key, m->attr.key_size);
	h->hv[e] = hv;
	vm_map_store(m, e, value, cpu, true);
	b = hv & (h->nbuckets - 1);
	h->next[e] = h->bucket[b];
	h->bucket[b] = e;
	if (h->lru)
		lru_push_head(h, e);
	return 0;
}

static int hash_delete(struct bpfkit_vm_map *m, const void *key)
{
	uint32_t prev, e = chain_find(m, key, hash_key(key, m->attr.key_size), &prev);

	if (e == VM_MAP_NIL)
		return -ENOENT;
	unlink_elem(m, e, prev);
	return 0;
}

/* htab_map_get_next_key: the next element of the key's chain, else the
 * first of the next non-empty bucket; a key not in the map (or none)
 * starts from the first bucket. */
static int hash_next_key(struct bpfkit_vm_map *m, const void *key, void *next)
{
	struct hash *h = m->priv;
	uint32_t e = VM_MAP_NIL, b = 0;

	if (key) {
		uint32_t hv = hash_key(key, m->attr.key_size);
		e = chain_find(m, key, hv, NULL);
		if (e != VM_MAP_NIL) {
			if (h->next[e] != VM_MAP_NIL) {
				memcpy(next, key_at(m, h->next[e]), m->attr.key_size);
				return 0;
			}
			b = (hv & (h->nbuckets - 1)) + 1;
		}
	}
	for (; b < h->nbuckets; b++)
		if (h->bucket[b] != VM_MAP_NIL) {
			memcpy(next, key_at(m, h->bucket[b]), m->attr.key_size);
			return 0;
		}
	return -ENOENT;
}

const struct vm_map_ops vm_map_hash_ops = {
	.check = hash_check,
	.alloc = hash_alloc,
	.free = hash_free,
	.find = hash_find,
	.update = hash_update,
	.delete = hash_delete,
	.next_key = hash_next_key,
};
