// SPDX-License-Identifier: MIT
/*
 * bpfkit trace: reading the script's maps out of the kernel and handing them
 * to the printers (src/out/). A map is walked key by key; per-CPU values are
 * combined as the aggregation says (count/sum add, min/max reduce over the
 * CPUs that set a value, avg/stats add count and total, hist/lhist add the
 * bucket counts, grouped by the user's key); keys and plain values are
 * decoded with the compiler's layouts (struct bpfkit_lang_vtype).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpfkit/sym.h>

#include "cli.h"
#include "cli/trace_int.h"

_Static_assert((int)BPFKIT_LANG_AGG_PLAIN == (int)BPFKIT_OUT_PLAIN, "agg numbering");
_Static_assert((int)BPFKIT_LANG_AGG_LHIST == (int)BPFKIT_OUT_LHIST, "agg numbering");

void *tpool_alloc(struct tpool *p, size_t size)
{
	void *m;

	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		void **ptrs = realloc(p->ptrs, cap * sizeof(*ptrs));

		if (!ptrs)
			return NULL;
		p->ptrs = ptrs;
		p->cap = cap;
	}
	m = calloc(1, size ? size : 1);
	if (m)
		p->ptrs[p->n++] = m;
	return m;
}

void tpool_release(struct tpool *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->ptrs[i]);
	free(p->ptrs);
	p->ptrs = NULL;
	p->n = p->cap = 0;
}

/*
 * A stack id as its frames: the stack map of its type (one per kind and
 * depth) holds them under the id, zero after the last. A negative id is
 * bpf_get_stackid()'s error: -EFAULT when there was no stack (a kernel stack
 * asked for where the probe interrupted user space, a user stack of a kernel
 * thread), else the stack map could not take it (counted and reported at
 * exit); either is a stack without frames. A user stack's id is the low 32
 * bits (signed), its process the high 32.
 */
static int decode_stack(struct trace_ctx *t, const struct bpfkit_lang_vtype *ty, const unsigned char *b,
			size_t avail, struct bpfkit_out_val *v, struct tpool *pool)
{
	char name[32];
	int64_t id;
	uint32_t key;
	uint64_t *ips;
	uint32_t pid = 0;
	size_t n = 0;
	int map;

	if (avail < 8 || !ty->stack_depth)
		return -EINVAL;
	memcpy(&id, b, 8);
	if (ty->stack_dwarf) { /* unwound in user space: trace_ustack.c holds the frames */
		const uint64_t *frames = NULL;

		ips = NULL;

		if (trace_ustack_frames(t, (uint64_t)id, &frames, &n) || !(ips = tpool_alloc(pool, (n ? n : 1) * 8)))
			n = 0;
		else
			memcpy(ips, frames, n * 8);
		if (n > ty->stack_depth)
			n = ty->stack_depth;
		*v = bpfkit_out_ustack(ips, n, (uint32_t)((uint64_t)id >> 32), (enum bpfkit_out_stack_mode)ty->stack_mode,
				       t->usyms);
		return 0;
	}
	if (ty->stack_user) {
		pid = (uint32_t)((uint64_t)id >> 32);
		id = (int32_t)(uint32_t)id;
	}
	map = bpfkit_kern_map__find(t->s, bpfkit_lang_stack_map(name, sizeof(name), ty));
	if (map < 0)
		return -EINVAL;
	ips = tpool_alloc(pool, bpfkit_kern_map__value_buf_size(t->s, (size_t)map, NULL));
	if (!ips)
		return -ENOMEM;
	key = (uint32_t)id;
	if (id >= 0 && id <= UINT32_MAX && !bpfkit_kern_map__lookup(t->s, (size_t)map, &key, ips))
		while (n < ty->stack_depth && ips[n])
			n++;
	if (ty->stack_user)
		*v = bpfkit_out_ustack(ips, n, pid, (enum bpfkit_out_stack_mode)ty->stack_mode, t->usyms);
	else
		*v = bpfkit_out_kstack(ips, n, (enum bpfkit_out_stack_mode)ty->stack_mode, t->ksyms);
	v->st.lost = id < 0 && id != -EFAULT;
	return 0;
}

/*
 * The text of a value user space resolves (lang.h's BPFKIT_LANG_V_INET, _MAC,
 * _ERRNO, _USER), into @p buf of @p size bytes, as bpftrace 0.17 prints
 * it: inet_ntop() ("" for a family it does not know), "1A:2B:...",
 * strerror(), the user's name or else the uid.
 */
static void value_text(const struct bpfkit_lang_vtype *ty, const unsigned char *b, char *buf, size_t size)
{
	uint64_t x;

	memcpy(&x, b, 8);
	buf[0] = 0;
	switch (ty->kind) {
	case BPFKIT_LANG_V_INET:
		if (!inet_ntop(x == AF_INET6 ? AF_INET6 : AF_INET, b + 8, buf, (socklen_t)size) ||
		    (x != AF_INET && x != AF_INET6))
			buf[0] = 0;
		break;
	case BPFKIT_LANG_V_MAC:
		snprintf(buf, size, "%02X:%02X:%02X:%02X:%02X:%02X", b[0], b[1], b[2], b[3], b[4], b[5]);
		break;
	case BPFKIT_LANG_V_ARRAY: /* pton(): [127,0,0,1] */
		for (uint32_t i = 0, n = 0; i < ty->size && n < size; i++)
			n += (size_t)snprintf(buf + n, size - n, "%s%u%s", i ? "," : "[", b[i],
					      i + 1 == ty->size ? "]" : "");
		break;
	case BPFKIT_LANG_V_ERRNO:
		snprintf(buf, size, "%s", strerror((int)x));
		break;
	case BPFKIT_LANG_V_USER: {
		struct passwd pw, *res = NULL;
		char pwbuf[1024];

		if (!getpwuid_r((uid_t)x, &pw, pwbuf, sizeof(pwbuf), &res) && res)
			snprintf(buf, size, "%s", pw.pw_name);
		else
			snprintf(buf, size, "%u", (unsigned)x);
		break;
	}
	default:
		break;
	}
}

/*
 * Decode a value laid out as @p ty. Integers are stored widened to 8 bytes;
 * the printers truncate them back to the type's size. Tuples decode each
 * element at its offset; elements come from @p pool. Timestamps become
 * their text (trace_timestamp()), probe ids their names.
 */
int trace_decode(struct trace_ctx *t, const struct bpfkit_lang_vtype *ty, const void *p, size_t avail,
		 struct bpfkit_out_val *v, struct tpool *pool)
{
	const unsigned char *b = p;

	if (!ty)
		return -EINVAL;
	switch (ty->kind) {
	case BPFKIT_LANG_V_INT: {
		uint64_t x = 0;
		size_t n = ty->size && ty->size < 8 ? ty->size : 8;

		if (n > avail)
			return -EINVAL;
		memcpy(&x, b, n); /* little-endian hosts: the low bytes come first */
		*v = bpfkit_out_int(x, (unsigned)n, ty->is_signed);
		return 0;
	}
	case BPFKIT_LANG_V_STR:
		if (ty->size > avail)
			return -EINVAL;
		*v = bpfkit_out_strn((const char *)b, ty->size);
		return 0;
	case BPFKIT_LANG_V_TUPLE: {
		struct bpfkit_out_val *elems = tpool_alloc(pool, ty->nelems * sizeof(*elems));

		if (!elems)
			return -ENOMEM;
		for (size_t i = 0; i < ty->nelems; i++) {
			uint32_t off = ty->elems[i].offset;
			int err;

			if (off > avail)
				return -EINVAL;
			err = trace_decode(t, ty->elems[i].type, b + off, avail - off, &elems[i], pool);
			if (err)
				return err;
		}
		*v = bpfkit_out_tuple(elems, ty->nelems);
		return 0;
	}
	case BPFKIT_LANG_V_TIMESTAMP: {
		uint64_t id, nsecs;

		if (avail < 16)
			return -EINVAL;
		memcpy(&id, b, 8);
		memcpy(&nsecs, b + 8, 8);
		return trace_timestamp(t, id, nsecs, v, pool);
	}
	case BPFKIT_LANG_V_KSYM: {
		uint64_t addr;

		if (avail < 8)
			return -EINVAL;
		memcpy(&addr, b, 8);
		*v = bpfkit_out_ksym(addr, t->ksyms);
		return 0;
	}
	case BPFKIT_LANG_V_USYM: {
		uint64_t addr, pid;

		if (avail < 16)
			return -EINVAL;
		memcpy(&addr, b, 8);
		memcpy(&pid, b + 8, 8);
		*v = bpfkit_out_usym(addr, (uint32_t)pid, t->usyms);
		return 0;
	}
	case BPFKIT_LANG_V_STACK:
		return decode_stack(t, ty, b, avail, v, pool);
	case BPFKIT_LANG_V_INET:
	case BPFKIT_LANG_V_MAC:
	case BPFKIT_LANG_V_ERRNO:
	case BPFKIT_LANG_V_USER:
	case BPFKIT_LANG_V_ARRAY: {
		char *text;

		if (avail < ty->size || !(text = tpool_alloc(pool, 256)))
			return avail < ty->size ? -EINVAL : -ENOMEM;
		value_text(ty, b, text, 256);
		*v = bpfkit_out_strn(text, strlen(text) + 1);
		return 0;
	}
	case BPFKIT_LANG_V_BUF: {
		uint64_t len;

		if (avail < ty->size)
			return -EINVAL;
		memcpy(&len, b, 8);
		*v = bpfkit_out_buf(b + 8, len < ty->size - 8 ? len : ty->size - 8);
		return 0;
	}
	case BPFKIT_LANG_V_PROBE: {
		uint64_t id;

		if (avail < 8)
			return -EINVAL;
		memcpy(&id, b, 8);
		if (id >= t->c->nprobe_names)
			return -EINVAL;
		*v = bpfkit_out_probe(t->c->probe_names[id], strlen(t->c->probe_names[id]), id);
		return 0;
	}
	}
	return -EINVAL;
}

int trace_map_by_name(const struct trace_ctx *t, const char *name)
{
	for (size_t i = 0; i < t->c->nmaps; i++)
		if (t->c->maps[i].agg != BPFKIT_LANG_AGG_NONE && !strcmp(t->c->maps[i].name, name))
			return (int)i;
	return -1;
}

/* The parts of a user key: none, one value, or the elements of its tuple. */
static int decode_key(struct trace_ctx *t, const struct bpfkit_lang_map *m, const void *key, size_t len,
		      const struct bpfkit_out_val **out, struct tpool *pool)
{
	struct bpfkit_out_val *parts, whole;
	int err;

	*out = NULL;
	if (!m->key || !m->nkeys)
		return 0;
	err = trace_decode(t, m->key, key, len, &whole, pool);
	if (err)
		return err;
	if (m->nkeys == 1) {
		parts = tpool_alloc(pool, sizeof(*parts));
		if (!parts)
			return -ENOMEM;
		parts[0] = whole;
		*out = parts;
		return 0;
	}
	if (whole.kind != BPFKIT_OUT_TUPLE || whole.t.n != m->nkeys)
		return -EINVAL;
	*out = whole.t.elems;
	return 0;
}

/* A map being read: its entries and, for hist/lhist, the user-key bytes of each. */
struct map_read {
	struct trace_ctx *t;
	struct bpfkit_out_map om;
	struct bpfkit_out_entry *entries;
	size_t n, cap;
	unsigned char **keys; /* hist/lhist: user key bytes of entry i */
	size_t nbuckets; /* hist/lhist: buckets per entry */
	struct tpool pool;
};

static struct bpfkit_out_entry *entry_new(struct map_read *r)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		struct bpfkit_out_entry *e = realloc(r->entries, cap * sizeof(*e));
		unsigned char **k = realloc(r->keys, cap * sizeof(*k));

		if (e)
			r->entries = e;
		if (k)
			r->keys = k;
		if (!e || !k)
			return NULL;
		r->cap = cap;
	}
	memset(&r->entries[r->n], 0, sizeof(r->entries[0]));
	r->keys[r->n] = NULL;
	return &r->entries[r->n++];
}

/* Add one hist/lhist key (user key + bucket) into the entry of its user key. */
static int add_bucket(struct map_read *r, const struct bpfkit_lang_map *m, const unsigned char *key, uint64_t count)
{
	size_t ulen = m->key_size - 8;
	uint64_t bucket;
	struct bpfkit_out_entry *e = NULL;
	size_t i;
	int err;

	memcpy(&bucket, key + ulen, 8);
	if (bucket >= r->nbuckets)
		return 0; /* cannot happen with our programs; ignore rather than crash */
	for (i = 0; i < r->n; i++)
		if (!memcmp(r->keys[i], key, ulen))
			break;
	if (i < r->n) {
		e = &r->entries[i];
	} else {
		uint64_t *b = tpool_alloc(&r->pool, r->nbuckets * sizeof(*b));
		unsigned char *k = tpool_alloc(&r->pool, ulen);

		if (!b || !k || !(e = entry_new(r)))
			return -ENOMEM;
		memcpy(k, key, ulen);
		r->keys[r->n - 1] = k;
		e->buckets = b;
		e->nbuckets = r->nbuckets;
		err = decode_key(r->t, m, k, ulen, &e->key, &r->pool);
		if (err)
			return err;
	}
	((uint64_t *)e->buckets)[bucket] += count;
	return 0;
}

/* Combine one key's per-CPU values into an entry, as the aggregation says. */
static int add_entry(struct map_read *r, const struct bpfkit_lang_map *m, const unsigned char *key,
		     const unsigned char *vals, size_t ncpu, size_t stride)
{
	struct bpfkit_out_entry *e;
	unsigned char *kcopy;
	uint64_t a = 0, b = 0;
	bool set = false;
	int64_t best = 0;

	for (size_t c = 0; c < ncpu; c++) {
		uint64_t x, y = 0;

		memcpy(&x, vals + c * stride, 8);
		if (m->value_size >= 16)
			memcpy(&y, vals + c * stride + 8, 8);
		a += x;
		b += y;
		if ((m->agg == BPFKIT_LANG_AGG_MIN || m->agg == BPFKIT_LANG_AGG_MAX) && y) {
			if (!set || (m->agg == BPFKIT_LANG_AGG_MIN ? (int64_t)x < best : (int64_t)x > best))
				best = (int64_t)x;
			set = true;
		}
	}
	if (m->agg == BPFKIT_LANG_AGG_HIST || m->agg == BPFKIT_LANG_AGG_LHIST)
		return add_bucket(r, m, key, a);
	if ((m->agg == BPFKIT_LANG_AGG_MIN || m->agg == BPFKIT_LANG_AGG_MAX) && !set)
		return 0; /* created, but no CPU has stored a value yet */
	/* decoded strings point into the bytes: keep copies as long as the read */
	kcopy = tpool_alloc(&r->pool, m->key_size);
	e = kcopy ? entry_new(r) : NULL;
	if (!e)
		return -ENOMEM;
	memcpy(kcopy, key, m->key_size);
	if (decode_key(r->t, m, kcopy, m->key_size, &e->key, &r->pool))
		return -EINVAL;
	switch (m->agg) {
	case BPFKIT_LANG_AGG_PLAIN: {
		unsigned char *vcopy = tpool_alloc(&r->pool, m->value_size);

		if (!vcopy)
			return -ENOMEM;
		memcpy(vcopy, vals, m->value_size);
		return trace_decode(r->t, m->value, vcopy, m->value_size, &e->value, &r->pool);
	}
	case BPFKIT_LANG_AGG_COUNT: e->value = bpfkit_out_u64(a); break;
	case BPFKIT_LANG_AGG_SUM:
		e->value = bpfkit_out_int(a, 8, !m->value || m->value->kind != BPFKIT_LANG_V_INT || m->value->is_signed);
		break;
	case BPFKIT_LANG_AGG_MIN:
	case BPFKIT_LANG_AGG_MAX: e->value = bpfkit_out_s64(best); break;
	default: /* AVG, STATS */
		e->count = (int64_t)a;
		e->total = (int64_t)b;
		break;
	}
	return 0;
}

static void map_read_free(struct map_read *r)
{
	free(r->entries);
	free(r->keys);
	tpool_release(&r->pool);
}

/*
 * Read compiled map @p cmap into @p r. Keys are walked with next_key; a key
 * that vanished between next_key and lookup is skipped, and the walk is
 * bounded (a hash walk restarts when its key is deleted under it).
 */
static int map_read(struct trace_ctx *t, size_t cmap, struct map_read *r)
{
	const struct bpfkit_lang_map *m = &t->c->maps[cmap];
	int mi = t->map_idx[cmap];
	size_t stride = 0, vsize, ncpu, limit = (size_t)m->max_entries * 4 + 64;
	unsigned char *cur = NULL, *next = NULL, *vals = NULL;
	bool percpu = m->kind == BPFKIT_LANG_MAP_PERCPU_HASH || m->kind == BPFKIT_LANG_MAP_PERCPU_ARRAY;
	int err = 0;

	memset(r, 0, sizeof(*r));
	r->t = t;
	r->om.name = m->name;
	r->om.agg = (enum bpfkit_out_agg)m->agg;
	r->om.nkeys = m->key ? m->nkeys : 0;
	r->om.lmin = m->lmin;
	r->om.lmax = m->lmax;
	r->om.lstep = m->lstep;
	if (m->agg == BPFKIT_LANG_AGG_HIST)
		r->nbuckets = BPFKIT_OUT_HIST_BUCKETS;
	else if (m->agg == BPFKIT_LANG_AGG_LHIST)
		r->nbuckets = bpfkit_lhist__nbuckets(m->lmin, m->lmax, m->lstep);
	if (mi < 0)
		return -ENOENT;
	if ((m->agg == BPFKIT_LANG_AGG_HIST || m->agg == BPFKIT_LANG_AGG_LHIST) && (m->key_size < 8 || !r->nbuckets))
		return -EINVAL;
	vsize = bpfkit_kern_map__value_buf_size(t->s, (size_t)mi, &stride);
	if (!stride)
		stride = m->value_size;
	ncpu = percpu && stride ? vsize / stride : 1;
	cur = calloc(1, m->key_size + 8);
	next = calloc(1, m->key_size + 8);
	vals = calloc(1, vsize + 16);
	if (!cur || !next || !vals) {
		err = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < limit; i++) {
		unsigned char *tmp;

		err = bpfkit_kern_map__next_key(t->s, (size_t)mi, i ? cur : NULL, next);
		if (err == -ENOENT) {
			err = 0;
			break;
		}
		if (err)
			break;
		err = bpfkit_kern_map__lookup(t->s, (size_t)mi, next, vals);
		if (!err)
			err = add_entry(r, m, next, vals, ncpu, stride);
		else if (err == -ENOENT)
			err = 0;
		if (err)
			break;
		tmp = cur, cur = next, next = tmp;
	}
out:
	free(cur);
	free(next);
	free(vals);
	r->om.entries = r->entries;
	r->om.nentries = r->n;
	return err;
}

int trace_map_print(struct trace_ctx *t, size_t cmap, uint32_t top, uint32_t div)
{
	struct map_read r;
	struct bpfkit_diag d = { 0 };
	int err = map_read(t, cmap, &r);

	if (!err)
		err = bpfkit_out__map(&t->out, &r.om, top, div, &d);
	if (err)
		cli_warn("cannot print %s: %s", t->c->maps[cmap].name, d.msg[0] ? d.msg : strerror(-err));
	map_read_free(&r);
	return err;
}

int trace_map_clear(struct trace_ctx *t, size_t cmap)
{
	int mi = t->map_idx[cmap];

	return mi < 0 ? -ENOENT : bpfkit_kern_map__clear(t->s, (size_t)mi);
}

/* zero(@m): every key stays, every value (on every CPU) becomes zeroes. */
int trace_map_zero(struct trace_ctx *t, size_t cmap)
{
	const struct bpfkit_lang_map *m = &t->c->maps[cmap];
	int mi = t->map_idx[cmap], err = 0;
	size_t vsize, limit = (size_t)m->max_entries * 4 + 64;
	unsigned char *cur, *next, *zero;

	if (mi < 0)
		return -ENOENT;
	vsize = bpfkit_kern_map__value_buf_size(t->s, (size_t)mi, NULL);
	cur = calloc(1, m->key_size + 8);
	next = calloc(1, m->key_size + 8);
	zero = calloc(1, vsize + 16);
	for (size_t i = 0; cur && next && zero && i < limit; i++) {
		unsigned char *tmp;

		err = bpfkit_kern_map__next_key(t->s, (size_t)mi, i ? cur : NULL, next);
		if (err) {
			if (err == -ENOENT)
				err = 0;
			break;
		}
		err = bpfkit_kern_map__update(t->s, (size_t)mi, next, zero, 0 /* BPF_ANY */);
		if (err && err != -ENOENT)
			break;
		err = 0;
		tmp = cur, cur = next, next = tmp;
	}
	if (!cur || !next || !zero)
		err = -ENOMEM;
	free(cur);
	free(next);
	free(zero);
	return err;
}

/* Every user map, sorted by name by the printer, after bpftrace's two newlines. */
int trace_maps_print_exit(struct trace_ctx *t)
{
	size_t n = t->c->nmaps, k = 0;
	struct map_read *r = calloc(n ? n : 1, sizeof(*r));
	const struct bpfkit_out_map **ptrs = calloc(n ? n : 1, sizeof(*ptrs));
	struct bpfkit_diag d = { 0 };
	int err = 0;

	if (!r || !ptrs) {
		free(r);
		free(ptrs);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		int e;

		if (t->c->maps[i].agg == BPFKIT_LANG_AGG_NONE || t->c->maps[i].name[0] != '@')
			continue;
		e = map_read(t, i, &r[k]);
		if (e) {
			cli_warn("cannot read %s: %s", t->c->maps[i].name, strerror(-e));
			err = e;
		}
		ptrs[k] = &r[k].om;
		k++;
	}
	{
		int e = bpfkit_out__exit_maps(&t->out, ptrs, k, &d);

		if (e) {
			cli_warn("cannot print the maps: %s", d.msg[0] ? d.msg : strerror(-e));
			err = e;
		}
	}
	for (size_t i = 0; i < k; i++)
		map_read_free(&r[i]);
	free(r);
	free(ptrs);
	return err;
}
