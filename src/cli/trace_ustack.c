// SPDX-License-Identifier: MIT
/*
 * bpfkit trace: ustacks unwound in user space (--ustack-unwind dwarf; lang.h's
 * BPFKIT_LANG_EV_USTACK and BPFKIT_LANG_EV_AGG).
 *
 * Each EV_USTACK record (registers and the top of the user stack at a
 * sample) is unwound at once (bpfkit_usyms__unwind(), libdwfl) and its
 * frames interned: one entry per distinct (process, frames), found again
 * through a hash, so a profile of many samples keeps each stack once. The
 * sample's tag (tgid << 32 | tag, the value the program got for ustack)
 * maps to the entry, for the printf/print records and map values that
 * carry the tag and follow it in the ring buffer.
 *
 * Aggregations keyed by such a stack (EV_AGG) are applied here rather than
 * in the kernel, where each sample's tag would make a key of its own: the
 * ustack parts of the key become 0x80000000 | the entry's index, then the
 * kernel map's CPU 0 value is read, updated as the program would, and
 * written back, so print(), clear() and the exit printing see an ordinary
 * map. The key decodes through trace_ustack_frames() like a tag.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpfkit/kern.h>
#include <bpfkit/sym.h>

#include "cli.h"
#include "cli/trace_int.h"

struct ustack_ent {
	uint32_t pid;
	uint32_t n;
	uint64_t *ips;
};

struct trace_ustacks {
	struct ustack_ent *ents;
	size_t n, cap;
	uint32_t *byframes; /* open addressing over ents by (pid, ips): index + 1, 0 empty */
	size_t fcap;
	uint64_t *tags; /* open addressing: tag values, ... */
	uint32_t *tagent; /* ... and their entries + 1 (0: empty slot) */
	size_t tcap, ntags;
	uint64_t unwind_ns, unwinds, frames; /* for --stats and benches */
};

static uint64_t hash64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	return x;
}

static uint64_t frames_hash(uint32_t pid, const uint64_t *ips, size_t n)
{
	uint64_t h = hash64(pid + 1);

	for (size_t i = 0; i < n; i++)
		h = hash64(h ^ ips[i]);
	return h;
}

/* Grow the (pid, frames) index to twice @p cap slots. */
static int frames_grow(struct trace_ustacks *u)
{
	size_t cap = u->fcap ? u->fcap * 2 : 256;
	uint32_t *t = calloc(cap, sizeof(*t));

	if (!t)
		return -ENOMEM;
	for (size_t i = 0; i < u->n; i++) {
		size_t k = frames_hash(u->ents[i].pid, u->ents[i].ips, u->ents[i].n) & (cap - 1);

		while (t[k])
			k = (k + 1) & (cap - 1);
		t[k] = (uint32_t)i + 1;
	}
	free(u->byframes);
	u->byframes = t;
	u->fcap = cap;
	return 0;
}

/* The entry of (pid, frames), added when new: its index, or -ENOMEM. */
static long intern(struct trace_ustacks *u, uint32_t pid, const uint64_t *ips, size_t n)
{
	size_t k;

	if ((u->n + 1) * 2 > u->fcap && frames_grow(u))
		return -ENOMEM;
	for (k = frames_hash(pid, ips, n) & (u->fcap - 1); u->byframes[k]; k = (k + 1) & (u->fcap - 1)) {
		const struct ustack_ent *e = &u->ents[u->byframes[k] - 1];

		if (e->pid == pid && e->n == n && !memcmp(e->ips, ips, n * sizeof(*ips)))
			return (long)u->byframes[k] - 1;
	}
	if (u->n == u->cap) {
		size_t cap = u->cap ? u->cap * 2 : 256;
		struct ustack_ent *t = realloc(u->ents, cap * sizeof(*t));

		if (!t)
			return -ENOMEM;
		u->ents = t;
		u->cap = cap;
	}
	u->ents[u->n] = (struct ustack_ent){ pid, (uint32_t)n, malloc((n ? n : 1) * sizeof(*ips)) };
	if (!u->ents[u->n].ips)
		return -ENOMEM;
	memcpy(u->ents[u->n].ips, ips, n * sizeof(*ips));
	u->byframes[k] = (uint32_t)u->n + 1;
	return (long)u->n++;
}

/* The tag table's slot of @p tag (its own, or the empty one it would take). */
static size_t tag_slot(const struct trace_ustacks *u, uint64_t tag)
{
	size_t k = hash64(tag) & (u->tcap - 1);

	while (u->tagent[k] && u->tags[k] != tag)
		k = (k + 1) & (u->tcap - 1);
	return k;
}

/* Note that sample @p tag unwound to entry @p ent (a tag seen again, once
 * a CPU's 20-bit count wrapped, takes the new entry). */
static int tag_put(struct trace_ustacks *u, uint64_t tag, size_t ent)
{
	size_t k;

	if ((u->ntags + 1) * 2 > u->tcap) {
		size_t ocap = u->tcap;
		uint64_t *otags = u->tags;
		uint32_t *oent = u->tagent;

		u->tcap = ocap ? ocap * 2 : 1024;
		u->tags = calloc(u->tcap, sizeof(*u->tags));
		u->tagent = calloc(u->tcap, sizeof(*u->tagent));
		if (!u->tags || !u->tagent) {
			free(u->tags);
			free(u->tagent);
			u->tags = otags;
			u->tagent = oent;
			u->tcap = ocap;
			return -ENOMEM;
		}
		for (size_t i = 0; i < ocap; i++)
			if (oent[i]) {
				k = tag_slot(u, otags[i]);
				u->tags[k] = otags[i];
				u->tagent[k] = oent[i];
			}
		free(otags);
		free(oent);
	}
	k = tag_slot(u, tag);
	u->ntags += !u->tagent[k];
	u->tags[k] = tag;
	u->tagent[k] = (uint32_t)ent + 1;
	return 0;
}

void trace_ustacks_free(struct trace_ustacks *u)
{
	if (!u)
		return;
	for (size_t i = 0; i < u->n; i++)
		free(u->ents[i].ips);
	free(u->ents);
	free(u->byframes);
	free(u->tags);
	free(u->tagent);
	free(u);
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int trace_ustack_record(struct trace_ctx *t, const unsigned char *rec, size_t len)
{
	uint64_t tag, pid_tgid, size, regs[BPFKIT_USYMS_NREGS], ips[BPFKIT_LANG_STACK_MAX_DEPTH], t0;
	size_t n = 0;
	long ent;

	if (len < BPFKIT_LANG_USTACK_DATA_OFF)
		return -EINVAL;
	if (!t->ustacks && !(t->ustacks = calloc(1, sizeof(*t->ustacks))))
		return -ENOMEM;
	memcpy(&tag, rec + 8, 8);
	memcpy(&pid_tgid, rec + 16, 8);
	memcpy(regs, rec + BPFKIT_LANG_USTACK_REGS_OFF, sizeof(regs));
	memcpy(&size, rec + BPFKIT_LANG_USTACK_SIZE_OFF, 8);
	if (size > len - BPFKIT_LANG_USTACK_DATA_OFF)
		size = len - BPFKIT_LANG_USTACK_DATA_OFF;
	t0 = mono_ns();
	bpfkit_usyms__unwind(t->usyms, (uint32_t)(tag >> 32), (uint32_t)pid_tgid, regs,
			     rec + BPFKIT_LANG_USTACK_DATA_OFF, size, ips, BPFKIT_LANG_STACK_MAX_DEPTH, &n);
	t->ustacks->unwind_ns += mono_ns() - t0;
	t->ustacks->unwinds++;
	t->ustacks->frames += n;
	ent = intern(t->ustacks, (uint32_t)(tag >> 32), ips, n);
	if (ent < 0)
		return (int)ent;
	return tag_put(t->ustacks, tag, (size_t)ent);
}

int trace_ustack_frames(struct trace_ctx *t, uint64_t val, const uint64_t **ips, size_t *n)
{
	const struct trace_ustacks *u = t->ustacks;
	uint32_t low = (uint32_t)val;
	size_t ent;

	*n = 0;
	if (!u || low == BPFKIT_LANG_USTACK_NONE)
		return -ENOENT;
	if (low & BPFKIT_LANG_USTACK_INTERNED) {
		ent = low & ~BPFKIT_LANG_USTACK_INTERNED;
	} else {
		size_t k;

		if (!u->tcap || !u->tagent[k = tag_slot(u, val)])
			return -ENOENT;
		ent = u->tagent[k] - 1;
	}
	if (ent >= u->n)
		return -ENOENT;
	*ips = u->ents[ent].ips;
	*n = u->ents[ent].n;
	return 0;
}

void trace_ustack_stats(const struct trace_ctx *t, uint64_t *unwinds, uint64_t *ns, uint64_t *frames,
			size_t *distinct)
{
	const struct trace_ustacks *u = t->ustacks;

	*unwinds = u ? u->unwinds : 0;
	*ns = u ? u->unwind_ns : 0;
	*frames = u ? u->frames : 0;
	*distinct = u ? u->n : 0;
}

/* Put the entry index in place of the tag in each dwarf ustack of key type
 * @p ty at @p key. */
static void key_intern(struct trace_ctx *t, const struct bpfkit_lang_vtype *ty, unsigned char *key)
{
	if (!ty)
		return;
	if (ty->kind == BPFKIT_LANG_V_TUPLE) {
		for (size_t i = 0; i < ty->nelems; i++)
			key_intern(t, ty->elems[i].type, key + ty->elems[i].offset);
		return;
	}
	if (ty->kind == BPFKIT_LANG_V_STACK && ty->stack_dwarf && t->ustacks) {
		const struct trace_ustacks *u = t->ustacks;
		uint64_t v;
		uint32_t low;
		size_t k;

		memcpy(&v, key, 8);
		low = BPFKIT_LANG_USTACK_NONE;
		if (!((uint32_t)v & BPFKIT_LANG_USTACK_INTERNED) && u->tcap && u->tagent[k = tag_slot(u, v)])
			low = BPFKIT_LANG_USTACK_INTERNED | (u->tagent[k] - 1);
		v = (v >> 32 << 32) | low;
		memcpy(key, &v, 8);
	}
}

/* Apply aggregation @p agg of @p x to one CPU's value @p val, as agg.c's
 * agg_apply()/agg_init() do in the kernel (a zeroed value is a new one). */
static void agg_apply(enum bpfkit_lang_agg agg, int64_t *val, int64_t x)
{
	switch (agg) {
	case BPFKIT_LANG_AGG_SUM: val[0] += x; break;
	case BPFKIT_LANG_AGG_MIN:
	case BPFKIT_LANG_AGG_MAX:
		if (!val[1] || (agg == BPFKIT_LANG_AGG_MIN ? x < val[0] : x > val[0]))
			val[0] = x;
		val[1] = 1;
		break;
	case BPFKIT_LANG_AGG_AVG:
	case BPFKIT_LANG_AGG_STATS:
		val[0] += 1;
		val[1] += x;
		break;
	default: val[0] += 1; break; /* count, hist, lhist */
	}
}

int trace_agg_record(struct trace_ctx *t, const struct bpfkit_lang_event *ev, const unsigned char *rec,
		     size_t len)
{
	int cm = trace_map_by_name(t, ev->map);
	const struct bpfkit_lang_map *m;
	unsigned char *key;
	int64_t x, *vals;
	size_t size;
	int sm, err;

	if (cm < 0 || (sm = t->map_idx[cm]) < 0)
		return -ENOENT;
	m = &t->c->maps[cm];
	if (len < 16 + m->key_size)
		return -EINVAL;
	size = bpfkit_kern_map__value_buf_size(t->s, (size_t)sm, NULL);
	key = malloc(m->key_size);
	vals = calloc(1, size);
	if (!key || !vals) {
		free(key);
		free(vals);
		return -ENOMEM;
	}
	memcpy(&x, rec + 8, 8);
	memcpy(key, rec + 16, m->key_size);
	key_intern(t, m->nkeys ? m->key : NULL, key);
	err = bpfkit_kern_map__lookup(t->s, (size_t)sm, key, vals);
	if (err == -ENOENT) {
		memset(vals, 0, size);
		err = 0;
	}
	if (!err) {
		agg_apply(m->agg, vals, x);
		err = bpfkit_kern_map__update(t->s, (size_t)sm, key, vals, 0);
	}
	free(key);
	free(vals);
	return err;
}
