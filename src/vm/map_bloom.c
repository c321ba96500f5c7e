// SPDX-License-Identifier: MIT
/*
 * bloom_filter (kernel/bpf/bloom_filter.c): no keys; push adds a value,
 * peek says whether a value may be in the set (0) or surely is not
 * (-ENOENT). A bit array sized as the kernel sizes it (max_entries *
 * nr_hash_funcs / ln 2 bits, rounded up to a power of two, at least 64),
 * map_extra's low 4 bits the number of hash functions (0 = 5). The
 * kernel's hashes are seeded at random; these are fixed, so which values
 * collide differs, but never whether an added value is found.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "map_int.h"

#define BLOOM_FLAGS                                                                               \
	(BPFKIT_F_NUMA_NODE | BPFKIT_F_ZERO_SEED | BPFKIT_F_RDONLY | BPFKIT_F_WRONLY |             \
	 BPFKIT_F_RDONLY_PROG | BPFKIT_F_WRONLY_PROG)

struct bloom {
	uint64_t *bits;
	uint64_t mask; /* bits - 1 */
	unsigned nhash;
};

/* bloom_map_alloc's checks */
static int bloom_check(const struct bpfkit_map_attr *a)
{
	if (a->key_size != 0 || a->value_size == 0 || a->max_entries == 0 ||
	    (a->flags & ~BLOOM_FLAGS) || !vm_map_access_ok(a->flags) || (a->map_extra & ~0xfull))
		return -EINVAL;
	return 0;
}

static int bloom_alloc(struct bpfkit_vm_map *m)
{
	struct bloom *b = calloc(1, sizeof(*b));
	uint64_t nbits;

	if (!b)
		return -ENOMEM;
	b->nhash = (unsigned)(m->attr.map_extra & 0xf);
	if (!b->nhash)
		b->nhash = 5;
	nbits = (uint64_t)m->attr.max_entries * b->nhash / 5 * 7;
	if (nbits > (1ull << 31)) {
		nbits = 1ull << 32;
	} else if (nbits <= 64) {
		nbits = 64;
	} else {
		uint64_t p = 64;
		while (p < nbits)
			p <<= 1;
		nbits = p;
	}
	b->mask = nbits - 1;
	b->bits = calloc(nbits / 64, sizeof(*b->bits));
	if (!b->bits) {
		free(b);
		return -ENOMEM;
	}
	m->priv = b;
	return 0;
}

static void bloom_free(struct bpfkit_vm_map *m)
{
	struct bloom *b = m->priv;

	if (b)
		free(b->bits);
	free(b);
	m->priv = NULL;
}

/* Hash @p i of the value: FNV-1a with the index folded into the start. */
static uint64_t bloom_hash(const void *value, uint32_t len, unsigned i)
{
	const uint8_t *p = value;
	uint64_t x = 0xcbf29ce484222325ull ^ ((uint64_t)i * 0x9e3779b97f4a7c15ull);

	for (uint32_t k = 0; k < len; k++)
		x = (x ^ p[k]) * 0x100000001b3ull;
	x ^= x >> 31;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 29;
	return x;
}

/* bloom_map_push_elem: BPF_ANY only */
static int bloom_push(struct bpfkit_vm_map *m, const void *value, uint64_t flags)
{
	struct bloom *b = m->priv;

	if (flags != BPFKIT_ANY)
		return -EINVAL;
	for (unsigned i = 0; i < b->nhash; i++) {
		uint64_t h = bloom_hash(value, m->attr.value_size, i) & b->mask;
		b->bits[h / 64] |= 1ull << (h % 64);
	}
	return 0;
}

/* peek: may @p value be in the set? A bloom filter cannot pop. */
static int bloom_take(struct bpfkit_vm_map *m, void *value, bool del)
{
	struct bloom *b = m->priv;

	if (del)
		return -EOPNOTSUPP;
	for (unsigned i = 0; i < b->nhash; i++) {
		uint64_t h = bloom_hash(value, m->attr.value_size, i) & b->mask;
		if (!(b->bits[h / 64] & (1ull << (h % 64))))
			return -ENOENT;
	}
	return 0;
}

const struct vm_map_ops vm_map_bloom_ops = {
	.check = bloom_check,
	.alloc = bloom_alloc,
	.free = bloom_free,
	.push = bloom_push,
	.take = bloom_take,
	.no_values = true,
	.peek_reads = true,
};
