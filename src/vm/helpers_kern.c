// SPDX-License-Identifier: MIT
/*
 * The kernel's helpers that the VM implements, under their kernel numbers
 * and names, so that a program compiled against bpf_helpers.h calls what
 * it means to call: the map and ring buffer helpers (over maps bound to the
 * VM, map.c, map_ringbuf.c),
 * the clocks, the CPU number and a pseudo-random number. Only helpers
 * whose result here is exactly what the kernel's contract gives are in
 * this set; every other kernel helper (output, the current task) is
 * refused at load by name (validate.c), never faked. Their prototypes are
 * in src/isa/helpers.c (bpfkit_helper_proto()).
 *
 * The kernel's verifier proves a helper's arguments before the program
 * runs; here each helper checks them when called: the map argument must be
 * a map bound to the VM, and key and value pointers must be memory of the
 * run of key_size / value_size bytes (writable where the helper writes).
 * A bad argument gives what a failed call gives (NULL, -EINVAL, -EFAULT),
 * never a host access outside the run's memory.
 * bpfkit_vm__register_kernel_helpers() registers them; `vm run` uses this
 * set unless --test-helpers asks for the conformance suite's.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "map_int.h"
#include "vm_int.h"

/* Nanoseconds on @p clock, as the kernel's ktime accessors return them
 * (0 if the clock cannot be read, which does not happen on Linux for the
 * clocks used here). */
static uint64_t clock_ns(clockid_t clock)
{
	struct timespec ts;

	if (clock_gettime(clock, &ts))
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* A helper that returns clock_ns(@p clock): the ktime family differs only
 * in the clock. */
#define CLOCK_HELPER(fn, clock)                                                         \
	static uint64_t fn(struct bpfkit_vm_ctx *ctx, uint64_t a, uint64_t b, uint64_t c,  \
			   uint64_t d, uint64_t e)                                         \
	{                                                                               \
		(void)ctx, (void)a, (void)b, (void)c, (void)d, (void)e;                   \
		return clock_ns(clock);                                                 \
	}

CLOCK_HELPER(h_ktime_get_ns, CLOCK_MONOTONIC) /* 5: time since boot, without suspend */
CLOCK_HELPER(h_ktime_get_boot_ns, CLOCK_BOOTTIME) /* 125: suspend included */
CLOCK_HELPER(h_ktime_get_coarse_ns, CLOCK_MONOTONIC_COARSE) /* 160 */
CLOCK_HELPER(h_ktime_get_tai_ns, CLOCK_TAI) /* 208 */

/* 8 bpf_get_smp_processor_id(): the VM's CPU (bpfkit_vm__set_cpu()). */
static uint64_t h_get_smp_processor_id(struct bpfkit_vm_ctx *ctx, uint64_t a, uint64_t b,
				       uint64_t c, uint64_t d, uint64_t e)
{
	(void)a, (void)b, (void)c, (void)d, (void)e;
	return ctx->vm->cpu;
}

/* The map a helper's first argument names, and its key (@p key_size
 * readable bytes at @p key): NULL when either is bad. */
static struct bpfkit_vm_map *map_and_key(struct bpfkit_vm_ctx *ctx, uint64_t map, uint64_t key,
					 struct vm_bound_map **bound)
{
	struct vm_bound_map *b = vm_maps_arg(ctx->vm, map);

	if (!b || !bpfkit_vm_ctx__check(ctx, key, b->map->attr.key_size, false))
		return NULL;
	if (bound)
		*bound = b;
	return b->map;
}

/* Grant the program the values of map @p b (once per run): the pointer a
 * lookup returns is then memory of the run. 0 when the region table is
 * full, so that the lookup fails as a NULL. */
static uint64_t grant_value(struct bpfkit_vm_ctx *ctx, struct vm_bound_map *b, void *p)
{
	if (!p)
		return 0;
	if (!b->granted) {
		if (bpfkit_vm_ctx__grant(ctx, b->map->values, b->map->values_len,
					 !(b->map->attr.flags & BPFKIT_F_RDONLY_PROG)))
			return 0;
		b->granted = true;
	}
	return (uint64_t)(uintptr_t)p;
}

/* 1 bpf_map_lookup_elem(map, key): a pointer to the value (this CPU's, for
 * per-CPU maps), or NULL. */
static uint64_t h_map_lookup_elem(struct bpfkit_vm_ctx *ctx, uint64_t map, uint64_t key,
				  uint64_t c, uint64_t d, uint64_t e)
{
	struct vm_bound_map *b;
	struct bpfkit_vm_map *m = map_and_key(ctx, map, key, &b);

	(void)c, (void)d, (void)e;
	if (!m)
		return 0;
	return grant_value(ctx, b, vm_map_lookup_prog(m, (const void *)(uintptr_t)key, ctx->vm->cpu));
}

/* 195 bpf_map_lookup_percpu_elem(map, key, cpu): CPU @p cpu's value of a
 * per-CPU map, or NULL (no such CPU, not a per-CPU map). */
static uint64_t h_map_lookup_percpu_elem(struct bpfkit_vm_ctx *ctx, uint64_t map, uint64_t key,
					 uint64_t cpu, uint64_t d, uint64_t e)
{
	struct vm_bound_map *b;
	struct bpfkit_vm_map *m = map_and_key(ctx, map, key, &b);

	(void)d, (void)e;
	if (!m || !m->percpu || cpu >= m->nvals)
		return 0;
	return grant_value(ctx, b, vm_map_lookup_prog(m, (const void *)(uintptr_t)key, (unsigned)cpu));
}

/* 2 bpf_map_update_elem(map, key, value, flags): 0 or -errno, as the
 * syscall (per-CPU maps: this CPU's value only). */
static uint64_t h_map_update_elem(struct bpfkit_vm_ctx *ctx, uint64_t map, uint64_t key,
				  uint64_t value, uint64_t flags, uint64_t e)
{
	struct bpfkit_vm_map *m = map_and_key(ctx, map, key, NULL);

	(void)e;
	if (!m)
		return (uint64_t)-EINVAL;
	if (!bpfkit_vm_ctx__check(ctx, value, m->attr.value_size, false))
		return (uint64_t)-EFAULT;
	return (uint64_t)(int64_t)vm_map_update_prog(m, (const void *)(uintptr_t)key,
						     (const void *)(uintptr_t)value, flags, ctx->vm->cpu);
}

/* 3 bpf_map_delete_elem(map, key): 0 or -errno. */
static uint64_t h_map_delete_elem(struct bpfkit_vm_ctx *ctx, uint64_t map, uint64_t key,
				  uint64_t c, uint64_t d, uint64_t e)
{
	struct bpfkit_vm_map *m = map_and_key(ctx, map, key, NULL);

	(void)c, (void)d, (void)e;
	if (!m)
		return (uint64_t)-EINVAL;
	return (uint64_t)(int64_t)vm_map_delete_prog(m, (const void *)(uintptr_t)key);
}

/* 87 bpf_map_push_elem(map, value, flags): queue and stack. */
static uint64_t h_map_push_elem(struct bpfkit_vm_ctx *ctx, uint64_t map, uint64_t value,
				uint64_t flags, uint64_t d, uint64_t e)
{
	struct vm_bound_map *b = vm_maps_arg(ctx->vm, map);

	(void)d, (void)e;
	if (!b)
		return (uint64_t)-EINVAL;
	if (!bpfkit_vm_ctx__check(ctx, value, b->map->attr.value_size, false))
		return (uint64_t)-EFAULT;
	return (uint64_t)(int64_t)vm_map_push_prog(b->map, (const void *)(uintptr_t)value, flags);
}

/* 88 bpf_map_pop_elem(map, value) and 89 bpf_map_peek_elem(map, value):
 * the value out into value_size writable bytes, checked before anything is
 * taken; a bloom filter's peek reads the value to look for instead. */
static uint64_t take_elem(struct bpfkit_vm_ctx *ctx, uint64_t map, uint64_t value, bool del)
{
	struct vm_bound_map *b = vm_maps_arg(ctx->vm, map);

	if (!b)
		return (uint64_t)-EINVAL;
	if (!bpfkit_vm_ctx__check(ctx, value, b->map->attr.value_size,
				  del || !b->map->ops->peek_reads))
		return (uint64_t)-EFAULT;
	return (uint64_t)(int64_t)vm_map_take_prog(b->map, (void *)(uintptr_t)value, del);
}

static uint64_t h_map_pop_elem(struct bpfkit_vm_ctx *ctx, uint64_t map, uint64_t value,
			       uint64_t c, uint64_t d, uint64_t e)
{
	(void)c, (void)d, (void)e;
	return take_elem(ctx, map, value, true);
}

static uint64_t h_map_peek_elem(struct bpfkit_vm_ctx *ctx, uint64_t map, uint64_t value,
				uint64_t c, uint64_t d, uint64_t e)
{
	(void)c, (void)d, (void)e;
	return take_elem(ctx, map, value, false);
}

/* The ring buffer a helper's map argument names, or NULL. */
static struct bpfkit_vm_map *ringbuf_arg(struct bpfkit_vm_ctx *ctx, uint64_t map)
{
	struct vm_bound_map *b = vm_maps_arg(ctx->vm, map);

	return b && b->map->ops == &vm_map_ringbuf_ops ? b->map : NULL;
}

/* 130 bpf_ringbuf_output(map, data, size, flags): copy @p size readable
 * bytes into a new record; -EAGAIN when the ring is full, -EINVAL for
 * flags other than BPF_RB_NO_WAKEUP / BPF_RB_FORCE_WAKEUP. */
static uint64_t h_ringbuf_output(struct bpfkit_vm_ctx *ctx, uint64_t map, uint64_t data,
				 uint64_t size, uint64_t flags, uint64_t e)
{
	struct bpfkit_vm_map *m = ringbuf_arg(ctx, map);
	void *rec;

	(void)e;
	if (!m || (flags & ~3ull))
		return (uint64_t)-EINVAL;
	if (!bpfkit_vm_ctx__check(ctx, data, size, false))
		return (uint64_t)-EFAULT;
	pthread_mutex_lock(&m->lock);
	rec = vm_ringbuf_reserve(m, size);
	if (rec) {
		memcpy(rec, (const void *)(uintptr_t)data, size);
		vm_ringbuf_commit(m, rec, false);
	}
	pthread_mutex_unlock(&m->lock);
	return rec ? 0 : (uint64_t)-EAGAIN;
}

/* 131 bpf_ringbuf_reserve(map, size, flags): a record of @p size bytes the
 * program may write until it submits or discards it, or NULL (full,
 * flags not 0, or no region left to grant it). */
static uint64_t h_ringbuf_reserve(struct bpfkit_vm_ctx *ctx, uint64_t map, uint64_t size,
				  uint64_t flags, uint64_t d, uint64_t e)
{
	struct bpfkit_vm_map *m = ringbuf_arg(ctx, map);
	void *rec = NULL;

	(void)d, (void)e;
	if (!m || flags)
		return 0;
	pthread_mutex_lock(&m->lock);
	rec = vm_ringbuf_reserve(m, size);
	if (rec && bpfkit_vm_ctx__grant(ctx, rec, size, true)) {
		vm_ringbuf_commit(m, rec, true);
		rec = NULL;
	}
	pthread_mutex_unlock(&m->lock);
	return (uint64_t)(uintptr_t)rec;
}

/* 132 bpf_ringbuf_submit(data, flags) and 133 bpf_ringbuf_discard: the
 * record is the one of whichever ring of the VM holds @p data. */
static uint64_t ringbuf_commit(struct bpfkit_vm_ctx *ctx, uint64_t data, bool discard)
{
	for (size_t i = 0; i < ctx->vm->nmaps; i++) {
		struct bpfkit_vm_map *m = ctx->vm->maps[i].map;
		int err;
		if (m->ops != &vm_map_ringbuf_ops)
			continue;
		pthread_mutex_lock(&m->lock);
		err = vm_ringbuf_commit(m, (void *)(uintptr_t)data, discard);
		pthread_mutex_unlock(&m->lock);
		if (!err)
			break;
	}
	return 0;
}

static uint64_t h_ringbuf_submit(struct bpfkit_vm_ctx *ctx, uint64_t data, uint64_t flags,
				 uint64_t c, uint64_t d, uint64_t e)
{
	(void)flags, (void)c, (void)d, (void)e;
	return ringbuf_commit(ctx, data, false);
}

static uint64_t h_ringbuf_discard(struct bpfkit_vm_ctx *ctx, uint64_t data, uint64_t flags,
				  uint64_t c, uint64_t d, uint64_t e)
{
	(void)flags, (void)c, (void)d, (void)e;
	return ringbuf_commit(ctx, data, true);
}

/* 134 bpf_ringbuf_query(map, flags) */
static uint64_t h_ringbuf_query(struct bpfkit_vm_ctx *ctx, uint64_t map, uint64_t flags,
				uint64_t c, uint64_t d, uint64_t e)
{
	struct bpfkit_vm_map *m = ringbuf_arg(ctx, map);
	uint64_t v;

	(void)c, (void)d, (void)e;
	if (!m)
		return 0;
	pthread_mutex_lock(&m->lock);
	v = vm_ringbuf_query(m, flags);
	pthread_mutex_unlock(&m->lock);
	return v;
}

static const struct vm_helper_def kernel_helpers[] = {
	{ 1, "map_lookup_elem", h_map_lookup_elem },
	{ 2, "map_update_elem", h_map_update_elem },
	{ 3, "map_delete_elem", h_map_delete_elem },
	{ 5, "ktime_get_ns", h_ktime_get_ns },
	{ 7, "get_prandom_u32", vm_h_prandom_u32 },
	{ 8, "get_smp_processor_id", h_get_smp_processor_id },
	{ 87, "map_push_elem", h_map_push_elem },
	{ 88, "map_pop_elem", h_map_pop_elem },
	{ 89, "map_peek_elem", h_map_peek_elem },
	{ 125, "ktime_get_boot_ns", h_ktime_get_boot_ns },
	{ 130, "ringbuf_output", h_ringbuf_output },
	{ 131, "ringbuf_reserve", h_ringbuf_reserve },
	{ 132, "ringbuf_submit", h_ringbuf_submit },
	{ 133, "ringbuf_discard", h_ringbuf_discard },
	{ 134, "ringbuf_query", h_ringbuf_query },
	{ 160, "ktime_get_coarse_ns", h_ktime_get_coarse_ns },
	{ 195, "map_lookup_percpu_elem", h_map_lookup_percpu_elem },
	{ 208, "ktime_get_tai_ns", h_ktime_get_tai_ns },
};

int bpfkit_vm__register_kernel_helpers(struct bpfkit_vm *vm)
{
	return vm_register_helpers(vm, kernel_helpers, sizeof(kernel_helpers) / sizeof(kernel_helpers[0]));
}
