// SPDX-License-Identifier: MIT
/*
 * Folded stacks ("main;parse;malloc 12", one stack a line, root first) read
 * into a tree of frames: the input of flame graphs (flamegraph.c).
 *
 * Every frame is a node under its parent; a (parent, name) hash table finds
 * the node a frame of the next line merges into, so equal prefixes become
 * one frame and equal stacks add up, in one pass over the input. Once all
 * lines are in, each node's children are sorted by name and every node gets
 * its start: the samples of the siblings before it plus its parent's start,
 * which is the x of its rectangle.
 *
 * flamegraph.pl sorts whole lines and merges equal prefixes of neighbours.
 * Sorting children by name with ';' as the end of a name gives the same
 * order ("a-x;..." < "a;..." as '-' < ';'); unlike flamegraph.pl, a frame
 * never splits in two when a line that ends at it sorts away from its
 * children ("a 1", "a-x 1", "a;b 1" draws one "a" here, two there).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "out/out_int.h"

/* Node 0 is the root (the whole profile); 0 in child/next means none. */
struct folded_node {
	uint32_t name, len; /* offset of the name in text, its bytes */
	uint32_t parent, child, next;
	uint32_t depth;
	uint64_t start, count;
};

struct bpfkit_folded {
	char *text; /* a copy of the input: the names point into it */
	struct folded_node *nodes;
	size_t n, cap;
	uint32_t *ht; /* node ids + 1 by hash of (parent, name); 0 = free */
	size_t htcap; /* a power of two, at least twice n */
};

/* FNV-1a of the name, mixed with the parent's id. */
static size_t node_hash(uint32_t parent, const char *name, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull ^ ((uint64_t)parent * 0x9e3779b97f4a7c15ull);

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)name[i]) * 0x100000001b3ull;
	return (size_t)(h ^ (h >> 29));
}

/* Double the hash table and re-insert every node but the root. */
static int ht_grow(struct bpfkit_folded *f)
{
	size_t cap = f->htcap ? f->htcap * 2 : 1024;
	uint32_t *ht = calloc(cap, sizeof(*ht));

	if (!ht)
		return -ENOMEM;
	for (size_t id = 1; id < f->n; id++) {
		const struct folded_node *nd = &f->nodes[id];
		size_t i = node_hash(nd->parent, f->text + nd->name, nd->len) & (cap - 1);

		while (ht[i])
			i = (i + 1) & (cap - 1);
		ht[i] = (uint32_t)id + 1;
	}
	free(f->ht);
	f->ht = ht;
	f->htcap = cap;
	return 0;
}

/*
 * The child of @parent named by text[@name, @name + @len): found through the
 * hash table, or made. Returns its id, or 0 when out of memory (the root is
 * never anyone's child).
 */
static uint32_t child_of(struct bpfkit_folded *f, uint32_t parent, size_t name, size_t len)
{
	const char *s = f->text + name;
	struct folded_node *nd;
	size_t i;

	if ((f->n + 1) * 2 > f->htcap && ht_grow(f))
		return 0;
	for (i = node_hash(parent, s, len) & (f->htcap - 1); f->ht[i]; i = (i + 1) & (f->htcap - 1)) {
		nd = &f->nodes[f->ht[i] - 1];
		if (nd->parent == parent && nd->len == len && !memcmp(f->text + nd->name, s, len))
			return f->ht[i] - 1;
	}
	if (f->n == f->cap) {
		size_t cap = f->cap * 2;
		struct folded_node *p = f->n >= UINT32_MAX - 1 ? NULL : realloc(f->nodes, cap * sizeof(*p));

		if (!p)
			return 0;
		f->nodes = p;
		f->cap = cap;
	}
	nd = &f->nodes[f->n];
	*nd = (struct folded_node){ .name = (uint32_t)name, .len = (uint32_t)len, .parent = parent,
				    .next = f->nodes[parent].child, .depth = f->nodes[parent].depth + 1 };
	f->nodes[parent].child = (uint32_t)f->n;
	f->ht[i] = (uint32_t)f->n + 1;
	return (uint32_t)f->n++;
}

/* Add @count samples to the stack in text[@at, @at + @len): frames split at
 * ';', root first (leaf first with @reverse). */
static int add_stack(struct bpfkit_folded *f, size_t at, size_t len, uint64_t count, bool reverse)
{
	uint32_t id = 0;
	size_t end = at + len;

	f->nodes[0].count += count;
	while (true) {
		const char *p = f->text;
		size_t b, e;

		if (reverse) {
			e = end;
			for (b = e; b > at && p[b - 1] != ';'; b--)
				;
		} else {
			const char *semi = memchr(p + at, ';', end - at);

			b = at;
			e = semi ? (size_t)(semi - p) : end;
		}
		id = child_of(f, id, b, e - b);
		if (!id)
			return -ENOMEM;
		f->nodes[id].count += count;
		if (reverse ? b == at : e == end)
			return 0;
		if (reverse)
			end = b - 1;
		else
			at = e + 1;
	}
}

/* Byte order of two names, each read as if followed by ';' (see the top). */
static int name_cmp(const struct bpfkit_folded *f, uint32_t a, uint32_t b)
{
	const struct folded_node *x = &f->nodes[a], *y = &f->nodes[b];
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(f->text + x->name, f->text + y->name, n);

	if (c || x->len == y->len)
		return c;
	if (x->len < y->len)
		return ';' - (unsigned char)f->text[y->name + n];
	return (unsigned char)f->text[x->name + n] - ';';
}

static int child_cmp(const void *a, const void *b, void *f)
{
	return name_cmp(f, *(const uint32_t *)a, *(const uint32_t *)b);
}

/*
 * Sort every node's children by name and give each node its start. Nodes
 * are made after their parents, so walking ids upwards visits a parent
 * before its children.
 */
static int finish_tree(struct bpfkit_folded *f)
{
	uint32_t *ids = malloc(f->n * sizeof(*ids));

	if (!ids)
		return -ENOMEM;
	for (size_t p = 0; p < f->n; p++) {
		size_t k = 0;
		uint64_t start = f->nodes[p].start;

		for (uint32_t c = f->nodes[p].child; c; c = f->nodes[c].next)
			ids[k++] = c;
		qsort_r(ids, k, sizeof(*ids), child_cmp, f);
		f->nodes[p].child = k ? ids[0] : 0;
		for (size_t i = 0; i < k; i++) {
			f->nodes[ids[i]].next = i + 1 < k ? ids[i + 1] : 0;
			f->nodes[ids[i]].start = start;
			start += f->nodes[ids[i]].count;
		}
	}
	free(ids);
	return 0;
}

/*
 * One line, text[@at, @at + @len) without its newline: "STACK COUNT", the
 * count after the last run of blanks. Errors name the column.
 */
static int parse_line(struct bpfkit_folded *f, size_t at, size_t len, int line, unsigned flags,
		      struct bpfkit_diag *d)
{
	const char *s = f->text + at, *nul = memchr(s, '\0', len);
	size_t e = len, c, depth = 1;
	uint64_t count = 0;

	if (nul)
		goto bad_nul;
	while (e && (s[e - 1] == ' ' || s[e - 1] == '\t'))
		e--;
	for (c = e; c && s[c - 1] != ' ' && s[c - 1] != '\t'; c--)
		;
	d->line = line;
	d->col = (int)c + 1;
	d->len = (int)(e - c);
	if (!c)
		return bpfkit_diag__set(d, -EINVAL, "no sample count: expected 'frame;frame;... COUNT'");
	if (s[c] == '-')
		return bpfkit_diag__set(d, -EINVAL, "negative sample count '%.*s'", (int)(e - c > 40 ? 40 : e - c), s + c);
	for (size_t i = c; i < e; i++) {
		if (s[i] < '0' || s[i] > '9')
			return bpfkit_diag__set(d, -EINVAL, "'%.*s' is no sample count (a whole number of samples)",
						(int)(e - c > 40 ? 40 : e - c), s + c);
		if (count > (uint64_t)(INT64_MAX - (s[i] - '0')) / 10)
			goto too_many;
		count = count * 10 + (uint64_t)(s[i] - '0');
	}
	if (count > INT64_MAX - f->nodes[0].count)
		goto too_many;
	while (c && (s[c - 1] == ' ' || s[c - 1] == '\t'))
		c--;
	if (!c) {
		d->col = 1;
		return bpfkit_diag__set(d, -EINVAL, "no stack before the sample count");
	}
	for (size_t i = 0; i < c; i++) {
		if (s[i] == ';' && ++depth > BPFKIT_FOLDED_MAX_DEPTH) {
			d->col = (int)i + 1;
			d->len = 1;
			return bpfkit_diag__set(d, -EINVAL, "more than %d frames in one stack", BPFKIT_FOLDED_MAX_DEPTH);
		}
	}
	bpfkit_diag__clear(d);
	return count ? add_stack(f, at, c, count, flags & BPFKIT_FOLDED_REVERSE) : 0;
too_many:
	return bpfkit_diag__set(d, -EINVAL, "sample count too large: the total would pass %lld", (long long)INT64_MAX);
bad_nul:
	d->line = line;
	d->col = (int)(nul - s) + 1;
	d->len = 1;
	return bpfkit_diag__set(d, -EINVAL, "NUL byte in a line (is this a folded stack file?)");
}

int bpfkit_folded__parse(const char *buf, size_t len, unsigned flags, struct bpfkit_folded **out,
			 struct bpfkit_diag *diag)
{
	struct bpfkit_diag local;
	struct bpfkit_folded *f;
	size_t at = 0;
	int err = -ENOMEM, line = 0;

	if (!diag)
		diag = &local;
	bpfkit_diag__clear(diag);
	*out = NULL;
	if (!buf && len)
		return bpfkit_diag__set(diag, -EINVAL, "no input");
	if (len >= UINT32_MAX)
		return bpfkit_diag__set(diag, -EFBIG, "input of %zu bytes is too large (4 GiB at most)", len);
	f = calloc(1, sizeof(*f));
	if (!f)
		return bpfkit_diag__set(diag, -ENOMEM, "out of memory");
	f->text = malloc(len + 1);
	f->cap = 1024;
	f->nodes = calloc(f->cap, sizeof(*f->nodes));
	if (!f->text || !f->nodes)
		goto err;
	if (len)
		memcpy(f->text, buf, len);
	f->text[len] = '\0';
	f->n = 1;
	while (at < len) {
		const char *nl = memchr(f->text + at, '\n', len - at);
		size_t n = (nl ? (size_t)(nl - f->text) : len) - at, k;

		if (++line == INT32_MAX) {
			err = bpfkit_diag__set(diag, -EINVAL, "more than %d lines", INT32_MAX - 1);
			goto err;
		}
		if (n > BPFKIT_FOLDED_MAX_LINE) {
			diag->line = line;
			diag->col = BPFKIT_FOLDED_MAX_LINE + 1;
			err = bpfkit_diag__set(diag, -EINVAL, "line longer than %u bytes", BPFKIT_FOLDED_MAX_LINE);
			goto err;
		}
		if (n && f->text[at + n - 1] == '\r')
			n--;
		for (k = 0; k < n && (f->text[at + k] == ' ' || f->text[at + k] == '\t'); k++)
			;
		if (k < n) {
			err = parse_line(f, at, n, line, flags, diag);
			if (err == -ENOMEM)
				bpfkit_diag__set(diag, err, "out of memory");
			if (err)
				goto err;
		}
		at += (nl ? (size_t)(nl - (f->text + at)) : len - at) + 1;
	}
	if (!f->nodes[0].count) {
		err = bpfkit_diag__set(diag, -EINVAL, line ? "no samples in the input (every count is 0)"
							    : "no stacks in the input (it is empty)");
		goto err;
	}
	err = finish_tree(f);
	if (err)
		goto err;
	free(f->ht);
	f->ht = NULL;
	*out = f;
	return 0;
err:
	if (err == -ENOMEM && !diag->msg[0])
		bpfkit_diag__set(diag, err, "out of memory");
	bpfkit_folded__free(f);
	return err;
}

void bpfkit_folded__free(struct bpfkit_folded *f)
{
	if (!f)
		return;
	free(f->text);
	free(f->nodes);
	free(f->ht);
	free(f);
}

uint64_t bpfkit_folded__total(const struct bpfkit_folded *f)
{
	return f ? f->nodes[0].count : 0;
}

/* Pre-order without a stack: down to the first child, else to the next
 * sibling of the nearest node that has one. */
int bpfkit_folded__walk(const struct bpfkit_folded *f,
			int (*fn)(void *ctx, const struct bpfkit_folded_frame *fr), void *ctx)
{
	uint32_t id = f ? f->nodes[0].child : 0;

	while (id) {
		const struct folded_node *nd = &f->nodes[id];
		struct bpfkit_folded_frame fr = { f->text + nd->name, nd->len, nd->depth, nd->start,
						  nd->count };
		int rc = fn(ctx, &fr);

		if (rc)
			return rc;
		if (nd->child) {
			id = nd->child;
			continue;
		}
		while (id && !f->nodes[id].next)
			id = f->nodes[id].parent;
		id = id ? f->nodes[id].next : 0;
	}
	return 0;
}
