/* SPDX-License-Identifier: MIT */
/*
 * Maps of a session: creating them from specs, and reading them back. Per-CPU
 * maps return one value per possible CPU, each padded to 8 bytes (the
 * kernel's layout); __lookup_sum_u64 adds those up, which is what counts,
 * sums and histograms want.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "kern/load_int.h"


int bpfkit_kern_ncpus(void)
{
	int n = libbpf_num_possible_cpus();
	return n > 0 ? n : 1;
}

static bool type_percpu(enum bpfkit_kern_map_type t)
{
	return t == BPFKIT_KERN_MAP_PERCPU_HASH || t == BPFKIT_KERN_MAP_PERCPU_ARRAY;
}

static int kernel_type(enum bpfkit_kern_map_type t)
{
	switch (t) {
	case BPFKIT_KERN_MAP_HASH: return BPF_MAP_TYPE_HASH;
	case BPFKIT_KERN_MAP_PERCPU_HASH: return BPF_MAP_TYPE_PERCPU_HASH;
	case BPFKIT_KERN_MAP_ARRAY: return BPF_MAP_TYPE_ARRAY;
	case BPFKIT_KERN_MAP_PERCPU_ARRAY: return BPF_MAP_TYPE_PERCPU_ARRAY;
	case BPFKIT_KERN_MAP_RINGBUF: return BPF_MAP_TYPE_RINGBUF;
	case BPFKIT_KERN_MAP_PERF_EVENT_ARRAY: return BPF_MAP_TYPE_PERF_EVENT_ARRAY;
	case BPFKIT_KERN_MAP_STACK_TRACE: return BPF_MAP_TYPE_STACK_TRACE;
	}
	return -1;
}

/* The name the kernel gets: at most 15 characters of [A-Za-z0-9_.]. */
static void kernel_name(const char *name, char out[16])
{
	size_t j = 0;
	for (const char *p = name; *p && j < 15; p++) {
		char c = *p;
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			  c == '_' || c == '.';
		out[j++] = ok ? c : '_';
	}
	out[j] = 0;
}

/* Ring buffer size: a power of two, at least one page. 0 when it overflows. */
static uint32_t ringbuf_size(uint32_t want)
{
	uint32_t page = (uint32_t)sysconf(_SC_PAGESIZE), sz = page;
	while (sz < want) {
		if (sz > UINT32_MAX / 2)
			return 0;
		sz *= 2;
	}
	return sz;
}

/*
 * Check one spec and create its map into s->maps[i]. Sizes the kind fixes
 * (ring buffer and perf event array keys and values) are filled in here so
 * the compiler need not know them.
 */
static int map_create(struct bpfkit_kern_session *s, size_t i, const struct bpfkit_kern_map_spec *spec,
		      struct bpfkit_diag *d)
{
	struct kmap *m = &s->maps[i];
	LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = spec->flags);
	char kname[16];
	int type = kernel_type(spec->type), fd;

	if (!spec->name || !spec->name[0])
		return bpfkit_diag__set(d, -EINVAL, "map #%zu has no name", i);
	for (size_t j = 0; j < i; j++)
		if (!strcmp(s->maps[j].name, spec->name))
			return bpfkit_diag__set(d, -EINVAL, "map '%s' is defined twice", spec->name);
	if (type < 0)
		return bpfkit_diag__set(d, -EINVAL, "map '%s': unknown map type %d", spec->name, (int)spec->type);
	m->name = strdup(spec->name);
	if (!m->name)
		return bpfkit_diag__set(d, -ENOMEM, "out of memory");
	m->type = spec->type;
	m->key_size = spec->key_size;
	m->value_size = spec->value_size;
	m->max_entries = spec->max_entries;
	m->percpu = type_percpu(spec->type);
	if (spec->type == BPFKIT_KERN_MAP_RINGBUF) {
		m->key_size = m->value_size = 0;
		m->max_entries = ringbuf_size(spec->max_entries);
		if (!m->max_entries)
			return bpfkit_diag__set(d, -EINVAL, "map '%s': ring buffer of %u bytes is too big",
						spec->name, spec->max_entries);
	} else if (spec->type == BPFKIT_KERN_MAP_PERF_EVENT_ARRAY) {
		m->key_size = m->value_size = 4;
		if (!m->max_entries)
			m->max_entries = (uint32_t)bpfkit_kern_ncpus();
	} else if (!m->key_size || !m->value_size || !m->max_entries) {
		return bpfkit_diag__set(d, -EINVAL, "map '%s': key size, value size and entries must not be 0",
					spec->name);
	}
	kernel_name(spec->name, kname);
	fd = bpf_map_create(type, kname, m->key_size, m->value_size, m->max_entries, &opts);
	if (fd < 0)
		return kload_error(d, fd, "cannot create map '%s' (key %u, value %u, %u entries)", spec->name,
				   m->key_size, m->value_size, m->max_entries);
	m->fd = fd;
	return 0;
}

int kmaps_create(struct bpfkit_kern_session *s, const struct bpfkit_kern_map_spec *specs, size_t n,
		 struct bpfkit_diag *d)
{
	int err = 0;
	for (size_t i = 0; !err && i < n; i++)
		err = map_create(s, i, &specs[i], d);
	return err;
}

int bpfkit_kern_map__find(const struct bpfkit_kern_session *s, const char *name)
{
	for (size_t i = 0; s && name && i < s->nmaps; i++)
		if (s->maps[i].name && !strcmp(s->maps[i].name, name))
			return (int)i;
	return -ENOENT;
}

int bpfkit_kern_map__fd(const struct bpfkit_kern_session *s, size_t map)
{
	return s && map < s->nmaps ? s->maps[map].fd : -1;
}

size_t bpfkit_kern_map__value_buf_size(const struct bpfkit_kern_session *s, size_t map, size_t *stride)
{
	const struct kmap *m;
	size_t st;

	if (!s || map >= s->nmaps)
		return 0;
	m = &s->maps[map];
	if (!m->percpu) {
		if (stride)
			*stride = m->value_size;
		return m->value_size;
	}
	st = ((size_t)m->value_size + 7) & ~(size_t)7;
	if (stride)
		*stride = st;
	return st * (size_t)bpfkit_kern_ncpus();
}

/* The map, or NULL when the index is bad or the session is closed. */
static const struct kmap *map_get(const struct bpfkit_kern_session *s, size_t map)
{
	return s && map < s->nmaps && s->maps[map].fd >= 0 ? &s->maps[map] : NULL;
}

int bpfkit_kern_map__next_key(const struct bpfkit_kern_session *s, size_t map, const void *key, void *next)
{
	const struct kmap *m = map_get(s, map);
	if (!m)
		return -EBADF;
	return bpf_map_get_next_key(m->fd, key, next);
}

int bpfkit_kern_map__lookup(const struct bpfkit_kern_session *s, size_t map, const void *key, void *values)
{
	const struct kmap *m = map_get(s, map);
	if (!m)
		return -EBADF;
	return bpf_map_lookup_elem(m->fd, key, values);
}

/* Read @p key and add each CPU's u64 slots into @p sums. */
int bpfkit_kern_map__lookup_sum_u64(const struct bpfkit_kern_session *s, size_t map, const void *key,
				    uint64_t *sums, size_t nslots)
{
	const struct kmap *m = map_get(s, map);
	size_t stride, size, ncpu;
	unsigned char *buf;
	int err;

	if (!m)
		return -EBADF;
	if (nslots > m->value_size / 8)
		return -EINVAL;
	size = bpfkit_kern_map__value_buf_size(s, map, &stride);
	buf = malloc(size ? size : 1);
	if (!buf)
		return -ENOMEM;
	err = bpf_map_lookup_elem(m->fd, key, buf);
	ncpu = m->percpu ? size / stride : 1;
	for (size_t j = 0; !err && j < nslots; j++) {
		uint64_t sum = 0, v;
		for (size_t c = 0; c < ncpu; c++) {
			memcpy(&v, buf + c * stride + j * 8, 8);
			sum += v;
		}
		sums[j] = sum;
	}
	free(buf);
	return err;
}

int bpfkit_kern_map__update(const struct bpfkit_kern_session *s, size_t map, const void *key,
			    const void *values, uint64_t flags)
{
	const struct kmap *m = map_get(s, map);
	if (!m)
		return -EBADF;
	return bpf_map_update_elem(m->fd, key, values, flags);
}

int bpfkit_kern_map__delete(const struct bpfkit_kern_session *s, size_t map, const void *key)
{
	const struct kmap *m = map_get(s, map);
	if (!m)
		return -EBADF;
	return bpf_map_delete_elem(m->fd, key);
}

/*
 * Empty a map. Hash maps: delete keys until none is left, always asking for
 * the first key, because deleting under an iterator restarts it anyway.
 * Arrays: write zeros to every index.
 */
int bpfkit_kern_map__clear(const struct bpfkit_kern_session *s, size_t map)
{
	const struct kmap *m = map_get(s, map);
	size_t size;
	void *key, *zero;
	int err = 0;

	if (!m)
		return -EBADF;
	if (m->type == BPFKIT_KERN_MAP_RINGBUF || m->type == BPFKIT_KERN_MAP_PERF_EVENT_ARRAY)
		return -EINVAL;
	size = bpfkit_kern_map__value_buf_size(s, map, NULL);
	key = calloc(1, m->key_size);
	zero = calloc(1, size ? size : 1);
	if (!key || !zero) {
		err = -ENOMEM;
	} else if (m->type == BPFKIT_KERN_MAP_ARRAY || m->type == BPFKIT_KERN_MAP_PERCPU_ARRAY) {
		for (uint32_t i = 0; !err && i < m->max_entries; i++) {
			memcpy(key, &i, 4);
			err = bpf_map_update_elem(m->fd, key, zero, BPF_ANY);
		}
	} else {
		/* a bound: a map cannot hold more than max_entries keys, plus racing inserts */
		for (uint64_t n = 0; !err && n <= (uint64_t)m->max_entries * 2; n++) {
			err = bpf_map_get_next_key(m->fd, NULL, key);
			if (err == -ENOENT) {
				err = 0;
				break;
			}
			err = err ? err : bpf_map_delete_elem(m->fd, key);
			if (err == -ENOENT) /* deleted by someone else meanwhile */
				err = 0;
		}
	}
	free(key);
	free(zero);
	return err;
}

uint64_t bpfkit_kern_session__lost(struct bpfkit_kern_session *s)
{
	int i = bpfkit_kern_map__find(s, BPFKIT_KERN_LOST_MAP);
	uint32_t zero = 0;
	uint64_t sum = 0;

	if (i < 0 || s->maps[i].value_size < 8 || s->maps[i].key_size != 4)
		return 0;
	if (bpfkit_kern_map__lookup_sum_u64(s, (size_t)i, &zero, &sum, 1))
		return 0;
	return sum;
}
