// SPDX-License-Identifier: MIT
/*
 * The VM's maps through their syscall view (bpfkit_vm_map__*): the
 * kernel's validation at creation, update flags and their errors, per-CPU
 * values in the syscall layout, iteration rules, LRU eviction, queue and
 * stack order, read-only maps, and concurrent updates under the lock.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <bpfkit/vm.h>

static struct bpfkit_vm_map *mk(uint32_t type, uint32_t ks, uint32_t vs, uint32_t max,
				uint32_t flags)
{
	struct bpfkit_map_attr a = { .type = type, .key_size = ks, .value_size = vs,
				     .max_entries = max, .flags = flags, .name = "m", .ncpus = 2 };
	return bpfkit_vm_map__new(&a);
}

/* errno of a creation that must fail */
static int mk_err(uint32_t type, uint32_t ks, uint32_t vs, uint32_t max, uint32_t flags)
{
	struct bpfkit_vm_map *m = mk(type, ks, vs, max, flags);

	if (m) {
		bpfkit_vm_map__free(m);
		return 0;
	}
	return errno;
}

static void test_create_validation(void **state)
{
	(void)state;
	/* arrays: key is a u32, value and entries non-zero */
	assert_int_equal(mk_err(BPFKIT_MAP_ARRAY, 8, 4, 1, 0), EINVAL);
	assert_int_equal(mk_err(BPFKIT_MAP_ARRAY, 4, 0, 1, 0), EINVAL);
	assert_int_equal(mk_err(BPFKIT_MAP_ARRAY, 4, 4, 0, 0), EINVAL);
	assert_int_equal(mk_err(BPFKIT_MAP_ARRAY, 4, 4, 1, BPFKIT_F_NO_PREALLOC), EINVAL);
	assert_int_equal(mk_err(BPFKIT_MAP_ARRAY, 4, 4, 1, BPFKIT_F_RDONLY | BPFKIT_F_WRONLY), EINVAL);
	assert_int_equal(mk_err(BPFKIT_MAP_ARRAY, 4, (1u << 22) + 1, 1, 0), E2BIG);
	assert_int_equal(mk_err(BPFKIT_MAP_PERCPU_ARRAY, 4, 4, 1, BPFKIT_F_MMAPABLE), EINVAL);
	assert_int_equal(mk_err(BPFKIT_MAP_PERCPU_ARRAY, 4, 32769, 1, 0), E2BIG);
	assert_int_equal(mk_err(BPFKIT_MAP_ARRAY, 4, 4, 1, BPFKIT_F_MMAPABLE), 0);
	/* hashes */
	assert_int_equal(mk_err(BPFKIT_MAP_HASH, 0, 4, 1, 0), EINVAL);
	assert_int_equal(mk_err(BPFKIT_MAP_HASH, 4, 0, 1, 0), EINVAL);
	assert_int_equal(mk_err(BPFKIT_MAP_HASH, 4, 4, 0, 0), EINVAL);
	assert_int_equal(mk_err(BPFKIT_MAP_HASH, 513, 4, 1, 0), E2BIG);
	assert_int_equal(mk_err(BPFKIT_MAP_HASH, 512, 4, 1, 0), 0);
	assert_int_equal(mk_err(BPFKIT_MAP_HASH, 4, 4, 1, BPFKIT_F_NO_COMMON_LRU), EINVAL);
	assert_int_equal(mk_err(BPFKIT_MAP_HASH, 4, 4, 1, BPFKIT_F_MMAPABLE), EINVAL);
	assert_int_equal(mk_err(BPFKIT_MAP_LRU_HASH, 4, 4, 1, BPFKIT_F_NO_PREALLOC), EOPNOTSUPP);
	assert_int_equal(mk_err(BPFKIT_MAP_LRU_HASH, 4, 4, 1, BPFKIT_F_NO_COMMON_LRU), 0);
	assert_int_equal(mk_err(BPFKIT_MAP_PERCPU_HASH, 4, 32769, 1, 0), E2BIG);
	/* queues and stacks have no key */
	assert_int_equal(mk_err(BPFKIT_MAP_QUEUE, 4, 4, 1, 0), EINVAL);
	assert_int_equal(mk_err(BPFKIT_MAP_STACK, 0, 0, 1, 0), EINVAL);
	assert_int_equal(mk_err(BPFKIT_MAP_STACK, 0, 4, 0, 0), EINVAL);
	/* LPM tries: NO_PREALLOC required, key = u32 prefixlen + 1..256 bytes */
	assert_int_equal(mk_err(BPFKIT_MAP_LPM_TRIE, 8, 4, 4, 0), EINVAL);
	assert_int_equal(mk_err(BPFKIT_MAP_LPM_TRIE, 4, 4, 4, BPFKIT_F_NO_PREALLOC), EINVAL);
	assert_int_equal(mk_err(BPFKIT_MAP_LPM_TRIE, 261, 4, 4, BPFKIT_F_NO_PREALLOC), EINVAL);
	assert_int_equal(mk_err(BPFKIT_MAP_LPM_TRIE, 8, 0, 4, BPFKIT_F_NO_PREALLOC), EINVAL);
	assert_int_equal(mk_err(BPFKIT_MAP_LPM_TRIE, 260, 4, 4, BPFKIT_F_NO_PREALLOC), 0);
	/* bloom filters: no key, a value */
	assert_int_equal(mk_err(BPFKIT_MAP_BLOOM_FILTER, 4, 4, 4, 0), EINVAL);
	assert_int_equal(mk_err(BPFKIT_MAP_BLOOM_FILTER, 0, 0, 4, 0), EINVAL);
	assert_int_equal(mk_err(BPFKIT_MAP_BLOOM_FILTER, 0, 4, 4, BPFKIT_F_NO_PREALLOC), EINVAL);
	/* types the VM does not have */
	assert_int_equal(mk_err(BPFKIT_MAP_PROG_ARRAY, 4, 4, 1, 0), EOPNOTSUPP);
	/* ring buffers: no key or value; a power of two of whole pages */
	assert_int_equal(mk_err(BPFKIT_MAP_RINGBUF, 0, 0, 4096, 0), 0);
	assert_int_equal(mk_err(BPFKIT_MAP_RINGBUF, 0, 0, 8192 + 4096, 0), EINVAL);
	assert_int_equal(mk_err(BPFKIT_MAP_RINGBUF, 0, 0, 2048, 0), EINVAL);
	assert_int_equal(mk_err(BPFKIT_MAP_RINGBUF, 4, 0, 4096, 0), EINVAL);
	assert_int_equal(mk_err(BPFKIT_MAP_RINGBUF, 0, 0, 4096, BPFKIT_F_NO_PREALLOC), EINVAL);
	assert_int_equal(mk_err(BPFKIT_MAP_STACK_TRACE, 4, 8, 4, 0), EOPNOTSUPP);
	assert_int_equal(mk_err(999, 4, 4, 1, 0), EOPNOTSUPP);
	assert_null(bpfkit_vm_map__new(NULL));
	bpfkit_vm_map__free(NULL);
}

static void test_array(void **state)
{
	struct bpfkit_vm_map *m = mk(BPFKIT_MAP_ARRAY, 4, 12, 3, 0);
	uint32_t k, next;
	uint8_t v[12], got[12];

	(void)state;
	assert_non_null(m);
	assert_int_equal(bpfkit_vm_map__value_len(m), 12);
	/* every element exists, zeroed */
	k = 2;
	memset(got, 0xaa, sizeof(got));
	assert_int_equal(bpfkit_vm_map__lookup(m, &k, got), 0);
	memset(v, 0, sizeof(v));
	assert_memory_equal(got, v, 12);
	k = 3;
	assert_int_equal(bpfkit_vm_map__lookup(m, &k, got), -ENOENT);
	/* flags: NOEXIST is EEXIST, an index out of range E2BIG, bad flags EINVAL */
	memset(v, 7, sizeof(v));
	k = 1;
	assert_int_equal(bpfkit_vm_map__update(m, &k, v, BPFKIT_NOEXIST), -EEXIST);
	assert_int_equal(bpfkit_vm_map__update(m, &k, v, 3), -EINVAL);
	assert_int_equal(bpfkit_vm_map__update(m, &k, v, BPFKIT_F_LOCK), -EINVAL);
	assert_int_equal(bpfkit_vm_map__update(m, &k, v, BPFKIT_EXIST), 0);
	assert_int_equal(bpfkit_vm_map__lookup(m, &k, got), 0);
	assert_memory_equal(got, v, 12);
	k = 3;
	assert_int_equal(bpfkit_vm_map__update(m, &k, v, BPFKIT_ANY), -E2BIG);
	assert_int_equal(bpfkit_vm_map__delete(m, &k), -EINVAL);
	k = 0;
	assert_int_equal(bpfkit_vm_map__delete(m, &k), -EINVAL);
	assert_int_equal(bpfkit_vm_map__lookup_and_delete(m, &k, got), -EOPNOTSUPP);
	/* iteration: NULL or out of range gives 0, the last gives ENOENT */
	assert_int_equal(bpfkit_vm_map__next_key(m, NULL, &next), 0);
	assert_int_equal(next, 0);
	k = 77;
	assert_int_equal(bpfkit_vm_map__next_key(m, &k, &next), 0);
	assert_int_equal(next, 0);
	k = 1;
	assert_int_equal(bpfkit_vm_map__next_key(m, &k, &next), 0);
	assert_int_equal(next, 2);
	k = 2;
	assert_int_equal(bpfkit_vm_map__next_key(m, &k, &next), -ENOENT);
	bpfkit_vm_map__free(m);
}

/* Per-CPU values in the syscall view: ncpus slots of round_up(value_size, 8). */
static void test_percpu_array(void **state)
{
	struct bpfkit_vm_map *m = mk(BPFKIT_MAP_PERCPU_ARRAY, 4, 4, 2, 0);
	uint8_t v[16] = { 1, 2, 3, 4, 0xee, 0xee, 0xee, 0xee, 5, 6, 7, 8, 0xee, 0xee, 0xee, 0xee };
	uint8_t want[16] = { 1, 2, 3, 4, 0, 0, 0, 0, 5, 6, 7, 8, 0, 0, 0, 0 };
	uint8_t got[16];
	uint32_t k = 1;

	(void)state;
	assert_non_null(m);
	assert_int_equal(bpfkit_vm_map__attr(m)->ncpus, 2);
	assert_int_equal(bpfkit_vm_map__value_len(m), 16);
	assert_int_equal(bpfkit_vm_map__update(m, &k, v, BPFKIT_ANY), 0);
	memset(got, 0xaa, sizeof(got));
	assert_int_equal(bpfkit_vm_map__lookup(m, &k, got), 0);
	assert_memory_equal(got, want, 16);
	bpfkit_vm_map__free(m);
}

static void test_hash(void **state)
{
	struct bpfkit_vm_map *m = mk(BPFKIT_MAP_HASH, 4, 8, 3, 0);
	uint64_t v, got;
	uint32_t k, next, seen = 0;
	int n = 0;

	(void)state;
	assert_non_null(m);
	k = 10;
	v = 100;
	assert_int_equal(bpfkit_vm_map__lookup(m, &k, &got), -ENOENT);
	assert_int_equal(bpfkit_vm_map__update(m, &k, &v, BPFKIT_EXIST), -ENOENT);
	assert_int_equal(bpfkit_vm_map__update(m, &k, &v, BPFKIT_NOEXIST), 0);
	assert_int_equal(bpfkit_vm_map__update(m, &k, &v, BPFKIT_NOEXIST), -EEXIST);
	v = 101;
	assert_int_equal(bpfkit_vm_map__update(m, &k, &v, BPFKIT_EXIST), 0);
	assert_int_equal(bpfkit_vm_map__lookup(m, &k, &got), 0);
	assert_int_equal(got, 101);
	assert_int_equal(bpfkit_vm_map__update(m, &k, &v, 4 | 8), -EINVAL);
	k = 11;
	assert_int_equal(bpfkit_vm_map__update(m, &k, &v, BPFKIT_ANY), 0);
	k = 12;
	assert_int_equal(bpfkit_vm_map__update(m, &k, &v, BPFKIT_ANY), 0);
	/* full: a new key is E2BIG, an existing one can still change */
	k = 13;
	assert_int_equal(bpfkit_vm_map__update(m, &k, &v, BPFKIT_ANY), -E2BIG);
	k = 12;
	assert_int_equal(bpfkit_vm_map__update(m, &k, &v, BPFKIT_ANY), 0);
	/* iteration visits each key once, from NULL or from a missing key */
	k = 999;
	assert_int_equal(bpfkit_vm_map__next_key(m, &k, &next), 0);
	for (int err = bpfkit_vm_map__next_key(m, NULL, &next); !err;
	     err = bpfkit_vm_map__next_key(m, &k, &next)) {
		assert_true(next >= 10 && next <= 12);
		assert_false(seen & (1u << (next - 10)));
		seen |= 1u << (next - 10);
		k = next;
		n++;
	}
	assert_int_equal(n, 3);
	/* delete, then the slot is free again */
	k = 11;
	assert_int_equal(bpfkit_vm_map__delete(m, &k), 0);
	assert_int_equal(bpfkit_vm_map__delete(m, &k), -ENOENT);
	k = 13;
	assert_int_equal(bpfkit_vm_map__update(m, &k, &v, BPFKIT_ANY), 0);
	/* lookup and delete */
	assert_int_equal(bpfkit_vm_map__lookup_and_delete(m, &k, &got), 0);
	assert_int_equal(got, 101);
	assert_int_equal(bpfkit_vm_map__lookup(m, &k, &got), -ENOENT);
	bpfkit_vm_map__free(m);
}

static void test_percpu_hash(void **state)
{
	struct bpfkit_vm_map *m = mk(BPFKIT_MAP_PERCPU_HASH, 8, 2, 4, 0);
	uint64_t k = 5;
	uint8_t v[16] = { 1, 2, 0, 0, 0, 0, 0, 0, 3, 4 }, got[16];

	(void)state;
	assert_non_null(m);
	assert_int_equal(bpfkit_vm_map__value_len(m), 16);
	assert_int_equal(bpfkit_vm_map__update(m, &k, v, BPFKIT_ANY), 0);
	assert_int_equal(bpfkit_vm_map__lookup(m, &k, got), 0);
	assert_memory_equal(got, v, 16);
	bpfkit_vm_map__free(m);
}

/* The least recently used element goes when an LRU map is full. */
static void test_lru(void **state)
{
	struct bpfkit_vm_map *m = mk(BPFKIT_MAP_LRU_HASH, 4, 4, 3, 0);
	uint32_t k, v = 1, got;

	(void)state;
	assert_non_null(m);
	for (k = 1; k <= 3; k++)
		assert_int_equal(bpfkit_vm_map__update(m, &k, &v, BPFKIT_ANY), 0);
	/* touch 1 by updating it: 2 is now the oldest */
	k = 1;
	assert_int_equal(bpfkit_vm_map__update(m, &k, &v, BPFKIT_EXIST), 0);
	k = 4;
	assert_int_equal(bpfkit_vm_map__update(m, &k, &v, BPFKIT_ANY), 0);
	k = 2;
	assert_int_equal(bpfkit_vm_map__lookup(m, &k, &got), -ENOENT);
	for (uint32_t want = 1; want <= 4; want++) {
		k = want;
		if (want != 2)
			assert_int_equal(bpfkit_vm_map__lookup(m, &k, &got), 0);
	}
	/* a syscall lookup does not count as use: 3 is the oldest now */
	k = 5;
	assert_int_equal(bpfkit_vm_map__update(m, &k, &v, BPFKIT_ANY), 0);
	k = 3;
	assert_int_equal(bpfkit_vm_map__lookup(m, &k, &got), -ENOENT);
	/* NOEXIST still refuses an existing key */
	k = 5;
	assert_int_equal(bpfkit_vm_map__update(m, &k, &v, BPFKIT_NOEXIST), -EEXIST);
	bpfkit_vm_map__free(m);

	m = mk(BPFKIT_MAP_LRU_PERCPU_HASH, 4, 4, 2, 0);
	assert_non_null(m);
	assert_int_equal(bpfkit_vm_map__value_len(m), 16);
	bpfkit_vm_map__free(m);
}

static void test_queue_stack(void **state)
{
	struct bpfkit_vm_map *q = mk(BPFKIT_MAP_QUEUE, 0, 4, 3, 0);
	struct bpfkit_vm_map *s = mk(BPFKIT_MAP_STACK, 0, 4, 3, 0);
	uint32_t v, got, k = 0;

	(void)state;
	assert_non_null(q);
	assert_non_null(s);
	assert_int_equal(bpfkit_vm_map__lookup(q, NULL, &got), -ENOENT);
	assert_int_equal(bpfkit_vm_map__lookup_and_delete(s, NULL, &got), -ENOENT);
	for (v = 1; v <= 3; v++) {
		assert_int_equal(bpfkit_vm_map__update(q, NULL, &v, BPFKIT_ANY), 0);
		assert_int_equal(bpfkit_vm_map__update(s, NULL, &v, BPFKIT_ANY), 0);
	}
	/* full: E2BIG, NOEXIST is invalid, EXIST drops the oldest */
	assert_int_equal(bpfkit_vm_map__update(q, NULL, &v, BPFKIT_ANY), -E2BIG);
	assert_int_equal(bpfkit_vm_map__update(q, NULL, &v, BPFKIT_NOEXIST), -EINVAL);
	assert_int_equal(bpfkit_vm_map__update(q, NULL, &v, BPFKIT_EXIST), 0);
	assert_int_equal(bpfkit_vm_map__update(s, NULL, &v, BPFKIT_EXIST), 0);
	/* queue: 2 3 4; stack (1 dropped): 2 3 4, popped 4 3 2; peek_nth in pop order */
	assert_int_equal(bpfkit_vm_map__peek_nth(q, 2, &got), 0);
	assert_int_equal(got, 4);
	assert_int_equal(bpfkit_vm_map__peek_nth(s, 0, &got), 0);
	assert_int_equal(got, 4);
	assert_int_equal(bpfkit_vm_map__peek_nth(s, 2, &got), 0);
	assert_int_equal(got, 2);
	assert_int_equal(bpfkit_vm_map__peek_nth(s, 3, &got), -ENOENT);
	assert_int_equal(bpfkit_vm_map__lookup(q, NULL, &got), 0);
	assert_int_equal(got, 2);
	for (uint32_t want = 2; want <= 4; want++) {
		assert_int_equal(bpfkit_vm_map__lookup_and_delete(q, NULL, &got), 0);
		assert_int_equal(got, want);
		assert_int_equal(bpfkit_vm_map__lookup_and_delete(s, NULL, &got), 0);
		assert_int_equal(got, 6 - want);
	}
	assert_int_equal(bpfkit_vm_map__lookup_and_delete(q, NULL, &got), -ENOENT);
	/* no keys: delete and next_key are invalid */
	assert_int_equal(bpfkit_vm_map__delete(q, NULL), -EINVAL);
	assert_int_equal(bpfkit_vm_map__next_key(q, NULL, &k), -EINVAL);
	bpfkit_vm_map__free(q);
	bpfkit_vm_map__free(s);
}

/* An IPv4 LPM key: prefix length, then the address in network order. */
struct lpm4 {
	uint32_t plen;
	uint8_t a[4];
};

static int lpm_set(struct bpfkit_vm_map *m, uint32_t plen, uint8_t a, uint8_t b, uint32_t v,
		   uint64_t flags)
{
	struct lpm4 k = { plen, { a, b, 0, 0 } };

	return bpfkit_vm_map__update(m, &k, &v, flags);
}

static uint32_t lpm_get(struct bpfkit_vm_map *m, uint8_t a, uint8_t b, uint8_t c)
{
	struct lpm4 k = { 32, { a, b, c, 1 } };
	uint32_t v = 0;

	return bpfkit_vm_map__lookup(m, &k, &v) ? 0 : v;
}

/* Longest prefix match, exact updates and deletes, ENOSPC when full, and
 * the kernel's post-order iteration. */
static void test_lpm(void **state)
{
	struct bpfkit_vm_map *m = mk(BPFKIT_MAP_LPM_TRIE, 8, 4, 4, BPFKIT_F_NO_PREALLOC);
	struct lpm4 k = { 0 }, next;
	uint32_t order[4][2], n = 0;

	(void)state;
	assert_non_null(m);
	assert_int_equal(lpm_set(m, 8, 10, 0, 1, BPFKIT_ANY), 0);	/* 10/8 */
	assert_int_equal(lpm_set(m, 16, 10, 1, 2, BPFKIT_NOEXIST), 0); /* 10.1/16 */
	assert_int_equal(lpm_set(m, 0, 0, 0, 9, BPFKIT_ANY), 0);	/* default */
	assert_int_equal(lpm_get(m, 10, 1, 7), 2);
	assert_int_equal(lpm_get(m, 10, 2, 7), 1);
	assert_int_equal(lpm_get(m, 11, 0, 0), 9);
	/* the key's own prefix length bounds the match */
	k = (struct lpm4){ 12, { 10, 1, 0, 0 } };
	uint32_t v = 0;
	assert_int_equal(bpfkit_vm_map__lookup(m, &k, &v), 0);
	assert_int_equal(v, 1);
	/* flags on the exact prefix; bits past the prefix do not matter */
	assert_int_equal(lpm_set(m, 16, 10, 1, 5, BPFKIT_NOEXIST), -EEXIST);
	assert_int_equal(lpm_set(m, 24, 10, 1, 5, BPFKIT_EXIST), -ENOENT);
	assert_int_equal(lpm_set(m, 8, 10, 99, 3, BPFKIT_EXIST), 0);
	assert_int_equal(lpm_get(m, 10, 2, 7), 3);
	assert_int_equal(lpm_set(m, 33, 10, 1, 5, BPFKIT_ANY), -EINVAL);
	assert_int_equal(lpm_set(m, 24, 10, 1, 4, BPFKIT_ANY), 0);
	assert_int_equal(lpm_set(m, 24, 10, 2, 4, BPFKIT_ANY), -ENOSPC);
	/* post-order: 10.1.0/24, 10.1/16, 10/8, then 0/0 */
	for (int err = bpfkit_vm_map__next_key(m, NULL, &next); !err;
	     err = bpfkit_vm_map__next_key(m, &k, &next)) {
		assert_true(n < 4);
		order[n][0] = next.plen;
		order[n++][1] = next.a[1];
		k = next;
	}
	assert_int_equal(n, 4);
	assert_int_equal(order[0][0], 24);
	assert_int_equal(order[1][0], 16);
	assert_int_equal(order[2][0], 8);
	assert_int_equal(order[3][0], 0);
	/* delete is exact */
	k = (struct lpm4){ 16, { 10, 1, 0, 0 } };
	assert_int_equal(bpfkit_vm_map__delete(m, &k), 0);
	assert_int_equal(bpfkit_vm_map__delete(m, &k), -ENOENT);
	assert_int_equal(lpm_get(m, 10, 1, 0), 4);
	assert_int_equal(lpm_get(m, 10, 1, 7), 3);
	assert_int_equal(lpm_get(m, 12, 5, 8), 9);
	bpfkit_vm_map__free(m);
}

/* What was added is always found; pop is not an operation of a bloom filter. */
static void test_bloom(void **state)
{
	struct bpfkit_map_attr a = { .type = BPFKIT_MAP_BLOOM_FILTER, .value_size = 8,
				     .max_entries = 100, .map_extra = 3 };
	struct bpfkit_vm_map *m = bpfkit_vm_map__new(&a);
	uint64_t v;
	int absent = 0;

	(void)state;
	assert_non_null(m);
	for (v = 0; v < 100; v += 2)
		assert_int_equal(bpfkit_vm_map__update(m, NULL, &v, BPFKIT_ANY), 0);
	for (v = 0; v < 100; v += 2)
		assert_int_equal(bpfkit_vm_map__lookup(m, NULL, &v), 0);
	for (v = 1; v < 100; v += 2)
		absent += bpfkit_vm_map__lookup(m, NULL, &v) == -ENOENT;
	assert_true(absent > 40); /* a few false positives at most */
	assert_int_equal(bpfkit_vm_map__update(m, NULL, &v, BPFKIT_EXIST), -EINVAL);
	assert_int_equal(bpfkit_vm_map__lookup_and_delete(m, NULL, &v), -EOPNOTSUPP);
	bpfkit_vm_map__free(m);
	a.map_extra = 16;
	assert_null(bpfkit_vm_map__new(&a));
	assert_int_equal(errno, EINVAL);
}

static void test_readonly(void **state)
{
	struct bpfkit_vm_map *m = mk(BPFKIT_MAP_HASH, 4, 4, 2, BPFKIT_F_RDONLY);
	uint32_t k = 1, v = 2;

	(void)state;
	assert_non_null(m);
	assert_int_equal(bpfkit_vm_map__update(m, &k, &v, BPFKIT_ANY), -EPERM);
	assert_int_equal(bpfkit_vm_map__delete(m, &k), -EPERM);
	bpfkit_vm_map__free(m);
}

struct thr {
	struct bpfkit_vm_map *m;
	uint32_t base;
};

static void *inserter(void *arg)
{
	struct thr *t = arg;

	for (uint32_t i = 0; i < 1000; i++) {
		uint32_t k = t->base + i, v = i;
		if (bpfkit_vm_map__update(t->m, &k, &v, BPFKIT_NOEXIST))
			return (void *)1;
		if (i % 2 && bpfkit_vm_map__delete(t->m, &k))
			return (void *)1;
	}
	return NULL;
}

/* Four threads insert and delete disjoint keys: every operation succeeds
 * and the map ends with exactly the keys left. */
static void test_threads(void **state)
{
	struct bpfkit_vm_map *m = mk(BPFKIT_MAP_HASH, 4, 4, 4000, 0);
	struct thr t[4];
	pthread_t th[4];
	uint32_t k, next;
	int n = 0;

	(void)state;
	assert_non_null(m);
	for (int i = 0; i < 4; i++) {
		t[i] = (struct thr){ m, (uint32_t)i * 10000 };
		assert_int_equal(pthread_create(&th[i], NULL, inserter, &t[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		void *ret;
		pthread_join(th[i], &ret);
		assert_null(ret);
	}
	for (int err = bpfkit_vm_map__next_key(m, NULL, &next); !err;
	     err = bpfkit_vm_map__next_key(m, &k, &next)) {
		assert_int_equal(next % 10000 % 2, 0);
		k = next;
		n++;
	}
	assert_int_equal(n, 2000);
	bpfkit_vm_map__free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_validation),
		cmocka_unit_test(test_array),
		cmocka_unit_test(test_percpu_array),
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_percpu_hash),
		cmocka_unit_test(test_lru),
		cmocka_unit_test(test_queue_stack),
		cmocka_unit_test(test_lpm),
		cmocka_unit_test(test_bloom),
		cmocka_unit_test(test_readonly),
		cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
