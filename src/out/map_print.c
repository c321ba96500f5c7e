// SPDX-License-Identifier: MIT
/*
 * Printing maps, values and the small messages, as bpftrace 0.17 does in
 * its text output (src/output.cpp, TextOutput), and dispatching to json.c
 * in JSON mode. The work common to both formats is here: checking the
 * caller's description of a map, sorting its entries the way bpftrace's
 * print_map(), print_map_hist() and print_map_stats() do, and print()'s top.
 *
 * Text layout of one map (bpftrace's map_to_str & co.):
 *   plain, count, sum, min, max:  "@m[k]: v" lines, then "\n"
 *   avg, stats:                    "@m[k]: v" lines, then "\n\n"
 *   hist, lhist:                   "@m[k]: \n" + bucket lines, entries
 *                                  separated by "\n", then "\n"
 * so an empty map prints a bare newline (two for avg and stats).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "out/out_int.h"

/* ---- Checking a map -------------------------------------------------------------- */

static bool agg_is_int(enum bpfkit_out_agg agg)
{
	return agg == BPFKIT_OUT_COUNT || agg == BPFKIT_OUT_SUM || agg == BPFKIT_OUT_MIN ||
	       agg == BPFKIT_OUT_MAX;
}

static bool agg_is_stats(enum bpfkit_out_agg agg)
{
	return agg == BPFKIT_OUT_AVG || agg == BPFKIT_OUT_STATS;
}

static bool agg_is_hist(enum bpfkit_out_agg agg)
{
	return agg == BPFKIT_OUT_HIST || agg == BPFKIT_OUT_LHIST;
}

/* What one entry must hold for the map's aggregation. */
static int entry_check(const struct bpfkit_out_map *m, const struct bpfkit_out_entry *e, size_t idx,
		       size_t nlbuckets, struct bpfkit_diag *diag)
{
	size_t k;
	int err;

	if (m->nkeys && !e->key)
		return bpfkit_diag__set(diag, -EINVAL, "%s: entry %zu has no key", m->name, idx);
	for (k = 0; k < m->nkeys; k++) {
		err = out_val_check(&e->key[k], diag);
		if (err)
			return err;
	}
	if (m->agg == BPFKIT_OUT_PLAIN || agg_is_int(m->agg)) {
		err = out_val_check(&e->value, diag);
		if (err)
			return err;
		if (agg_is_int(m->agg) && e->value.kind != BPFKIT_OUT_INT)
			return bpfkit_diag__set(diag, -EINVAL, "%s: entry %zu: not an integer",
						m->name, idx);
	} else if (agg_is_hist(m->agg)) {
		if (e->nbuckets && !e->buckets)
			return bpfkit_diag__set(diag, -EINVAL, "%s: entry %zu has no buckets",
						m->name, idx);
		if (m->agg == BPFKIT_OUT_HIST && e->nbuckets > BPFKIT_OUT_HIST_BUCKETS)
			return bpfkit_diag__set(diag, -EINVAL, "%s: %zu hist buckets (max %d)",
						m->name, e->nbuckets, BPFKIT_OUT_HIST_BUCKETS);
		if (m->agg == BPFKIT_OUT_LHIST && e->nbuckets != nlbuckets)
			return bpfkit_diag__set(diag, -EINVAL, "%s: %zu lhist buckets, expected %zu",
						m->name, e->nbuckets, nlbuckets);
	}
	return 0;
}

/* Everything the printers rely on: a name, a known aggregation, entries
 * present, one entry at most without keys, valid lhist parameters. */
static int map_check(const struct bpfkit_out_map *m, struct bpfkit_diag *diag)
{
	size_t i, nlb = 0;
	int err;

	if (!m || !m->name)
		return bpfkit_diag__set(diag, -EINVAL, "map without a name");
	if ((int)m->agg < (int)BPFKIT_OUT_PLAIN || (int)m->agg > (int)BPFKIT_OUT_LHIST)
		return bpfkit_diag__set(diag, -EINVAL, "%s: unknown aggregation %d", m->name,
					(int)m->agg);
	if (m->nentries && !m->entries)
		return bpfkit_diag__set(diag, -EINVAL, "%s: entries missing", m->name);
	if (!m->nkeys && m->nentries > 1)
		return bpfkit_diag__set(diag, -EINVAL, "%s: %zu entries but no keys", m->name,
					m->nentries);
	if (m->agg == BPFKIT_OUT_LHIST) {
		nlb = bpfkit_lhist__nbuckets(m->lmin, m->lmax, m->lstep);
		if (!nlb)
			return bpfkit_diag__set(diag, -EINVAL,
						"%s: bad lhist parameters (%" PRId64 ", %" PRId64
						", %" PRId64 ")",
						m->name, m->lmin, m->lmax, m->lstep);
	}
	for (i = 0; i < m->nentries; i++) {
		err = entry_check(m, &m->entries[i], i, nlb, diag);
		if (err)
			return err;
	}
	return 0;
}

/* ---- Sorting ------------------------------------------------------------------------- */

int64_t out_entry_avg(const struct bpfkit_out_entry *e)
{
	if (e->count == 0)
		return 0;
	if (e->count == -1 && e->total == INT64_MIN)
		return INT64_MIN; /* the one quotient that overflows */
	return e->total / e->count;
}

static int cmp_i64(int64_t a, int64_t b)
{
	return a < b ? -1 : a > b;
}

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

/*
 * Compare the values of two entries of a map sorted by value: numerically,
 * signed or not as the map's first value is (one rule for all entries keeps
 * the order total whatever the caller passes), non-integers last.
 */
static int int_val_cmp(const struct bpfkit_out_map *m, const struct bpfkit_out_val *a,
		       const struct bpfkit_out_val *b)
{
	bool ia = a->kind == BPFKIT_OUT_INT, ib = b->kind == BPFKIT_OUT_INT;
	uint64_t x, y;

	if (!ia || !ib)
		return ia == ib ? 0 : ia ? -1 : 1;
	x = out_int_bits(a);
	y = out_int_bits(b);
	if (m->entries[0].value.is_signed)
		return cmp_i64((int64_t)x, (int64_t)y);
	return cmp_u64(x, y);
}

static bool sorts_by_value(const struct bpfkit_out_map *m)
{
	if (agg_is_int(m->agg))
		return true;
	return m->agg == BPFKIT_OUT_PLAIN && m->nentries && m->entries[0].value.kind == BPFKIT_OUT_INT;
}

/*
 * The order of two entries. bpftrace sorts integer-valued maps by value with
 * std::sort over hash-table order, so its ties come out in no set order; we
 * break them by key (sort_by_key order, but probes compare by name where they
 * stand: any order is bpftrace's there). Hist, lhist, avg and stats maps it
 * sorts by total or average starting from a std::map over raw key bytes, and
 * for the small maps people print std::sort keeps that order, so ties go by
 * raw bytes, as there. Last, the caller's order, to make the sort total.
 */
static int entry_cmp(const void *pa, const void *pb, void *arg)
{
	const struct bpfkit_out_map *m = arg;
	size_t ia = *(const size_t *)pa, ib = *(const size_t *)pb;
	const struct bpfkit_out_entry *a = &m->entries[ia], *b = &m->entries[ib];
	int c = 0;

	if (agg_is_hist(m->agg)) {
		c = cmp_u64(out_hist_total(a), out_hist_total(b));
		if (!c)
			c = out_key_cmp_raw(a->key, b->key, m->nkeys);
	} else if (agg_is_stats(m->agg)) {
		c = cmp_i64(out_entry_avg(a), out_entry_avg(b));
		if (!c)
			c = out_key_cmp_raw(a->key, b->key, m->nkeys);
	} else {
		if (sorts_by_value(m))
			c = int_val_cmp(m, &a->value, &b->value);
		if (!c) /* probe names where they stand when only ties are left to order */
			c = out_key_cmp(a->key, b->key, m->nkeys, sorts_by_value(m));
	}
	return c ? c : cmp_u64(ia, ib);
}

/* The entries' indexes in print order, or NULL (-ENOMEM). */
static size_t *map_order(const struct bpfkit_out_map *m)
{
	size_t *order, i;

	order = malloc((m->nentries ? m->nentries : 1) * sizeof(*order));
	if (!order)
		return NULL;
	for (i = 0; i < m->nentries; i++)
		order[i] = i;
	if (m->nentries > 1)
		qsort_r(order, m->nentries, sizeof(*order), entry_cmp, (void *)m);
	return order;
}

/* ---- Text --------------------------------------------------------------------------- */

/* One entry's "key: value" (without a line end for non-hist maps). */
static void entry_text(struct out_sb *sb, const struct bpfkit_out_map *m,
		       const struct bpfkit_out_entry *e, uint32_t div)
{
	out_key_text(sb, m, e);
	out_sb_puts(sb, ": ");
	switch (m->agg) {
	case BPFKIT_OUT_HIST:
		out_sb_putc(sb, '\n');
		out_hist_text(sb, e->buckets, e->nbuckets, div);
		break;
	case BPFKIT_OUT_LHIST:
		out_sb_putc(sb, '\n');
		out_lhist_text(sb, e->buckets, e->nbuckets, m->lmin, m->lmax, m->lstep);
		break;
	case BPFKIT_OUT_AVG:
		out_sb_printf(sb, "%" PRId64, out_entry_avg(e) / (int64_t)div);
		break;
	case BPFKIT_OUT_STATS:
		out_sb_printf(sb, "count %" PRId64 ", average %" PRId64 ", total %" PRId64,
			      e->count, out_entry_avg(e), e->total);
		break;
	default:
		out_val_text(sb, &e->value, div);
	}
}

/* bpftrace's map_elem_delim_to_str(): nothing between entries whose values
 * are stacks (they end with a newline) or ksym() names, else a newline. */
static bool no_delim(const struct bpfkit_out_map *m, const struct bpfkit_out_entry *e)
{
	return m->agg == BPFKIT_OUT_PLAIN &&
	       (e->value.kind == BPFKIT_OUT_STACK || e->value.kind == BPFKIT_OUT_KSYM);
}

static void map_text(struct out_sb *sb, const struct bpfkit_out_map *m, const size_t *order,
		     size_t n, uint32_t div)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i && !no_delim(m, &m->entries[order[i - 1]]))
			out_sb_putc(sb, '\n');
		entry_text(sb, m, &m->entries[order[i]], div);
	}
	out_sb_puts(sb, agg_is_stats(m->agg) ? "\n\n" : "\n");
}

/* ---- Public: maps ---------------------------------------------------------------------- */

/* Render one checked map into @sb with print()'s top and div applied. */
static int map_render(struct out_sb *sb, const struct bpfkit_out *o, const struct bpfkit_out_map *m,
		      uint32_t top, uint32_t div)
{
	size_t *order, skip = 0;

	if (!div)
		div = 1;
	if (m->agg == BPFKIT_OUT_STATS)
		top = 0, div = 1; /* bpftrace ignores both for stats() (with a warning) */
	order = map_order(m);
	if (!order)
		return -ENOMEM;
	if (top && m->nentries > top)
		skip = m->nentries - top;
	if (o->format == BPFKIT_OUT_JSON)
		out_map_json(sb, m, order + skip, m->nentries - skip, div);
	else if (o->format == BPFKIT_OUT_FOLDED && out_map_foldable(m))
		out_map_folded(sb, m, order + skip, m->nentries - skip, div);
	else
		map_text(sb, m, order + skip, m->nentries - skip, div);
	free(order);
	return 0;
}

static int out_check(const struct bpfkit_out *o)
{
	if (!o || !o->f ||
	    (o->format != BPFKIT_OUT_TEXT && o->format != BPFKIT_OUT_JSON && o->format != BPFKIT_OUT_FOLDED))
		return -EINVAL;
	return 0;
}

int bpfkit_out__map(const struct bpfkit_out *o, const struct bpfkit_out_map *m, uint32_t top,
		    uint32_t div, struct bpfkit_diag *diag)
{
	struct out_sb sb = OUT_SB_INIT;
	int err;

	if (out_check(o))
		return bpfkit_diag__set(diag, -EINVAL, "no output stream");
	err = map_check(m, diag);
	if (err)
		return err;
	err = map_render(&sb, o, m, top, div);
	if (err) {
		out_sb_free(&sb);
		return err;
	}
	return out_sb_flush(&sb, o->f);
}

static int name_cmp(const void *pa, const void *pb)
{
	const struct bpfkit_out_map *a = *(const struct bpfkit_out_map *const *)pa;
	const struct bpfkit_out_map *b = *(const struct bpfkit_out_map *const *)pb;
	int c = strcmp(a->name, b->name);

	if (c)
		return c;
	return a < b ? -1 : a > b; /* same name twice: keep a stable order */
}

/*
 * The end of a run: bpftrace writes "\n\n" to stdout (in both formats), then
 * prints every map in the order of its std::map of names.
 */
int bpfkit_out__exit_maps(const struct bpfkit_out *o, const struct bpfkit_out_map *const *maps,
			  size_t n, struct bpfkit_diag *diag)
{
	struct out_sb sb = OUT_SB_INIT;
	const struct bpfkit_out_map **sorted;
	size_t i;
	int err = 0;

	if (out_check(o))
		return bpfkit_diag__set(diag, -EINVAL, "no output stream");
	if (n && !maps)
		return bpfkit_diag__set(diag, -EINVAL, "maps missing");
	for (i = 0; i < n; i++) {
		err = map_check(maps[i], diag);
		if (err)
			return err;
	}
	sorted = malloc((n ? n : 1) * sizeof(*sorted));
	if (!sorted)
		return -ENOMEM;
	if (n)
		memcpy(sorted, maps, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), name_cmp);
	if (o->format != BPFKIT_OUT_FOLDED) /* folded output is lines a flame-graph tool reads */
		out_sb_puts(&sb, "\n\n");
	for (i = 0; i < n && !err; i++)
		err = map_render(&sb, o, sorted[i], 0, 0);
	free(sorted);
	if (err) {
		out_sb_free(&sb);
		return err;
	}
	return out_sb_flush(&sb, o->f);
}

/* ---- Public: values and messages ------------------------------------------------------- */

int bpfkit_out__value(const struct bpfkit_out *o, const struct bpfkit_out_val *v,
		      struct bpfkit_diag *diag)
{
	struct out_sb sb = OUT_SB_INIT;
	int err;

	if (out_check(o))
		return bpfkit_diag__set(diag, -EINVAL, "no output stream");
	err = out_val_check(v, diag);
	if (err)
		return err;
	if (o->format == BPFKIT_OUT_JSON) {
		out_json_value(&sb, v);
	} else {
		out_val_text(&sb, v, 1);
		out_sb_putc(&sb, '\n');
	}
	return out_sb_flush(&sb, o->f);
}

int bpfkit_out__message(const struct bpfkit_out *o, enum bpfkit_out_msg type, const char *text,
			size_t len, bool nl)
{
	struct out_sb sb = OUT_SB_INIT;

	if (out_check(o) || (len && !text) || (int)type < (int)BPFKIT_OUT_MSG_PRINTF ||
	    (int)type > (int)BPFKIT_OUT_MSG_SYSCALL)
		return -EINVAL;
	if (o->format == BPFKIT_OUT_JSON) {
		out_json_message(&sb, type, text, len);
	} else {
		out_sb_putn(&sb, text, len);
		if (nl)
			out_sb_putc(&sb, '\n');
	}
	return out_sb_flush(&sb, o->f);
}

int bpfkit_out__attached(const struct bpfkit_out *o, uint64_t nprobes)
{
	struct out_sb sb = OUT_SB_INIT;

	if (out_check(o))
		return -EINVAL;
	if (o->format == BPFKIT_OUT_JSON)
		out_json_counter(&sb, "attached_probes", "probes", nprobes);
	else if (o->format != BPFKIT_OUT_FOLDED)
		out_sb_printf(&sb, "Attaching %" PRIu64 " %s...\n", nprobes,
			      nprobes == 1 ? "probe" : "probes");
	return out_sb_flush(&sb, o->f);
}

int bpfkit_out__lost(const struct bpfkit_out *o, uint64_t nevents)
{
	struct out_sb sb = OUT_SB_INIT;

	if (out_check(o))
		return -EINVAL;
	if (o->format == BPFKIT_OUT_JSON)
		out_json_counter(&sb, "lost_events", "events", nevents);
	else
		out_sb_printf(&sb, "Lost %" PRIu64 " events\n", nevents);
	return out_sb_flush(&sb, o->f);
}
