/* SPDX-License-Identifier: MIT */
/*
 * Private to src/vm/: the map object and the operations each map type
 * implements (module prefix vm_map_). map.c holds the common part (the
 * public API, validation shared by every type, the lock); map_array.c,
 * map_hash.c and map_queue.c one family of types each.
 *
 * Storage: the values of a map live in one block, @c values, apart from
 * keys and links, so that granting a program that block (map_lookup_elem's
 * pointer) can never let it corrupt the map's structure: a program can
 * change values, nothing else. Every value slot is @c stride bytes
 * (value_size rounded up to 8, so values are 8-byte aligned for atomics);
 * element e of CPU c is at values + (e * nvals + c) * stride, nvals being
 * ncpus for per-CPU maps and 1 otherwise.
 */
#ifndef BPFKIT_VM_MAP_INT_H
#define BPFKIT_VM_MAP_INT_H

#include <pthread.h>
#include <stdint.h>

#include <bpfkit/vm.h>

/* The kernel's limits on map sizes (KMALLOC_MAX_SIZE on x86-64, MAX_BPF_STACK,
 * PCPU_MIN_UNIT_SIZE), and ours on the total (the kernel's is memory). */
#define VM_MAP_KMALLOC_MAX (1u << 22)
#define VM_MAP_MAX_KEY 512u
#define VM_MAP_PCPU_MAX 32768u
#define VM_MAP_MAX_BYTES (1ull << 32)
#define VM_MAP_NIL UINT32_MAX

struct bpfkit_vm_map;

/*
 * One map type. Called with the map's lock held, except check (before the
 * map exists) and alloc/free (no other user yet / any more). @p cpu is the
 * CPU of a program's call; -1 is the syscall view (every CPU's value, in
 * the stride layout).
 */
struct vm_map_ops {
	/* validate attributes: 0 or the kernel's -errno */
	int (*check)(const struct bpfkit_map_attr *attr);
	int (*alloc)(struct bpfkit_vm_map *m);
	void (*free)(struct bpfkit_vm_map *m);
	/* element index of @p key, or -1; @p touch marks it used (LRU) */
	long (*find)(struct bpfkit_vm_map *m, const void *key, bool touch);
	int (*update)(struct bpfkit_vm_map *m, const void *key, const void *value, uint64_t flags,
		      int cpu);
	int (*delete)(struct bpfkit_vm_map *m, const void *key);
	int (*next_key)(struct bpfkit_vm_map *m, const void *key, void *next);
	/* queue and stack: push, and take (pop when @p del, else peek) */
	int (*push)(struct bpfkit_vm_map *m, const void *value, uint64_t flags);
	int (*take)(struct bpfkit_vm_map *m, void *value, bool del);
	int (*peek_nth)(struct bpfkit_vm_map *m, uint32_t n, void *value);
	bool no_values; /* keeps no values (bloom filter): no values block */
	/* find and a program's update touch nothing but the values (arrays):
	 * programs call them without the lock, as the kernel's arrays are */
	bool lockless;
	bool peek_reads; /* take(peek) reads the value it is given (bloom filter) */
};

struct bpfkit_vm_map {
	struct bpfkit_map_attr attr; /* attr.name points to name */
	char *name;
	const struct vm_map_ops *ops;
	pthread_mutex_t lock;
	bool percpu;
	unsigned nvals; /* values per element: ncpus for per-CPU maps, else 1 */
	uint32_t stride; /* bytes of one value slot: round_up(value_size, 8) */
	uint8_t *values; /* max_entries * nvals slots */
	size_t values_len;
	void *priv; /* the type's own state */
};

/* Slot of element @p e, CPU @p cpu. */
static inline uint8_t *vm_map_slot(const struct bpfkit_vm_map *m, size_t e, unsigned cpu)
{
	return m->values + (e * m->nvals + cpu) * (size_t)m->stride;
}

/* map.c: write element @p e's value from @p value: one CPU's (cpu >= 0;
 * the other CPUs' are zeroed when @p fresh), or every CPU's from a
 * syscall-view buffer (cpu < 0). */
void vm_map_store(struct bpfkit_vm_map *m, size_t e, const void *value, int cpu, bool fresh);
/* map.c: the update flags every type accepts: 0 or -EINVAL */
int vm_map_check_flags(uint64_t flags);
/* map.c: access flags that make sense together (bpf_map_flags_access_ok) */
bool vm_map_access_ok(uint32_t flags);

/* The program's view, for the helpers (helpers_kern.c): each takes the lock. */
void *vm_map_lookup_prog(struct bpfkit_vm_map *m, const void *key, unsigned cpu);
int vm_map_update_prog(struct bpfkit_vm_map *m, const void *key, const void *value,
		       uint64_t flags, unsigned cpu);
int vm_map_delete_prog(struct bpfkit_vm_map *m, const void *key);
int vm_map_push_prog(struct bpfkit_vm_map *m, const void *value, uint64_t flags);
int vm_map_take_prog(struct bpfkit_vm_map *m, void *value, bool del);

extern const struct vm_map_ops vm_map_array_ops;
extern const struct vm_map_ops vm_map_hash_ops;
extern const struct vm_map_ops vm_map_queue_ops;
extern const struct vm_map_ops vm_map_lpm_ops;
extern const struct vm_map_ops vm_map_bloom_ops;
extern const struct vm_map_ops vm_map_ringbuf_ops;

/* map_ringbuf.c, with the map's lock held: reserve a record (NULL when
 * full), submit or discard one (-EINVAL for a pointer that is not a busy
 * record's data), and bpf_ringbuf_query's answers. */
void *vm_ringbuf_reserve(struct bpfkit_vm_map *m, uint64_t size);
int vm_ringbuf_commit(struct bpfkit_vm_map *m, void *data, bool discard);
uint64_t vm_ringbuf_query(struct bpfkit_vm_map *m, uint64_t flags);

#endif
