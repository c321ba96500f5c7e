// SPDX-License-Identifier: MIT
/*
 * hist() and lhist(): which bucket a value falls in, and how bpftrace 0.17
 * draws a histogram: the empty buckets before the first and after the last
 * non-empty one are left out, each line is the bucket's label left-aligned
 * in 16 columns, the count right-aligned in 8, and a bar of '@' scaled to
 * the largest count in 52 columns:
 *
 *   [4, 8)                 2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|
 *
 * In JSON each bucket is {"min": lo, "max": hi, "count": n}, the open-ended
 * ones without "min" (below) or "max" (above).
 */
#include <inttypes.h>
#include <stdio.h>

#include "out/out_int.h"

#define BAR_WIDTH 52

/* ---- Bucket math --------------------------------------------------------------- */

/*
 * bpftrace 0.17's log2 in the BPF program: negative -> 0, zero -> 1, else 2
 * plus the shifts by 16, 8, 4, 2 and 1 that keep the value non-zero, which
 * add up to 31 at most: every value from 2^31 up lands in bucket 33.
 */
int bpfkit_hist__index(int64_t v)
{
	static const unsigned shifts[] = { 16, 8, 4, 2, 1 };
	uint64_t n = (uint64_t)v;
	int r = 0;
	size_t i;

	if (v < 0)
		return 0;
	if (v == 0)
		return 1;
	for (i = 0; i < sizeof(shifts) / sizeof(shifts[0]); i++) {
		if (n >= UINT64_C(1) << shifts[i]) {
			n >>= shifts[i];
			r += (int)shifts[i];
		}
	}
	return r + 2;
}

static bool lhist_params_ok(int64_t min, int64_t max, int64_t step)
{
	return step > 0 && max > min && min >= INT32_MIN && max <= INT32_MAX && step <= INT32_MAX;
}

size_t bpfkit_lhist__nbuckets(int64_t min, int64_t max, int64_t step)
{
	if (!lhist_params_ok(min, max, step))
		return 0;
	return (size_t)((max - min) / step) + 2;
}

long bpfkit_lhist__index(int64_t v, int64_t min, int64_t max, int64_t step)
{
	int64_t last;

	if (!lhist_params_ok(min, max, step))
		return -1;
	last = (max - min) / step + 1;
	if (v < min)
		return 0;
	if (v >= max)
		return (long)last;
	/* v - min < max - min <= 2^32: no overflow */
	return (long)((v - min) / step + 1 < last ? (v - min) / step + 1 : last);
}

uint64_t out_hist_total(const struct bpfkit_out_entry *e)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < e->nbuckets; i++)
		sum += e->buckets[i];
	return sum;
}

/* ---- Shared layout --------------------------------------------------------------- */

/* First and last non-empty bucket and the largest count; false if all empty. */
static bool hist_range(const uint64_t *b, size_t n, size_t *first, size_t *last, uint64_t *max)
{
	bool any = false;
	size_t i;

	*first = *last = 0;
	*max = 0;
	for (i = 0; i < n; i++) {
		if (!b[i])
			continue;
		if (!any)
			*first = i;
		any = true;
		*last = i;
		if (b[i] > *max)
			*max = b[i];
	}
	return any;
}

/*
 * One text line. The bar length is computed in float exactly as bpftrace
 * does (count / (float)max * 52, truncated), so rounding matches; @shown is
 * the count printed (hist divides it by print()'s div, the bar does not).
 */
static void hist_line(struct out_sb *sb, const char *label, uint64_t count, uint64_t shown,
		      uint64_t max)
{
	float f = (float)count / (float)max;
	int bar;

	f = f * (float)BAR_WIDTH;
	bar = (int)f;
	if (bar < 0)
		bar = 0;
	if (bar > BAR_WIDTH)
		bar = BAR_WIDTH;
	out_sb_printf(sb, "%-16s%8" PRIu64 " |", label, shown);
	out_sb_repeat(sb, '@', (size_t)bar);
	out_sb_repeat(sb, ' ', (size_t)(BAR_WIDTH - bar));
	out_sb_puts(sb, "|\n");
}

/* ---- hist() ------------------------------------------------------------------------ */

/* bpftrace's hist_index_label(): 2^power with a K/M/G/T suffix. */
static void pow2_label(char *buf, size_t size, int power)
{
	static const char suffix[] = { 'T', 'G', 'M', 'K' };
	static const int at[] = { 40, 30, 20, 10 };
	size_t i;

	for (i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		if (power >= at[i]) {
			snprintf(buf, size, "%" PRIu64 "%c", UINT64_C(1) << (power - at[i]),
				 suffix[i]);
			return;
		}
	}
	snprintf(buf, size, "%" PRIu64, UINT64_C(1) << power);
}

/* The label of hist bucket i: (..., 0), [0], [1], then [2^k, 2^(k+1)). */
static void hist_label(char *buf, size_t size, size_t i)
{
	char lo[32], hi[32];

	if (i == 0) {
		snprintf(buf, size, "(..., 0)");
	} else if (i == 1) {
		snprintf(buf, size, "[0]");
	} else if (i == 2) {
		snprintf(buf, size, "[1]");
	} else {
		pow2_label(lo, sizeof(lo), (int)i - 2);
		pow2_label(hi, sizeof(hi), (int)i - 1);
		snprintf(buf, size, "[%s, %s)", lo, hi);
	}
}

void out_hist_text(struct out_sb *sb, const uint64_t *b, size_t n, uint32_t div)
{
	size_t first, last, i;
	uint64_t max;
	char label[80];

	if (!div)
		div = 1;
	if (!hist_range(b, n, &first, &last, &max))
		return;
	for (i = first; i <= last; i++) {
		hist_label(label, sizeof(label), i);
		hist_line(sb, label, b[i], b[i] / div, max);
	}
}

/*
 * JSON bounds of bucket i >= 3. bpftrace 0.17 computes them in int:
 * min = 1 << (i - 2), max = (1 << (i - 1)) - 1, so the last bucket it can
 * fill, 33, reads {"min": -2147483648, "max": 0}. We print the same; buckets
 * past 33, which 0.17 never fills, get their true 64-bit bounds.
 */
static void hist_json_bounds(struct out_sb *sb, size_t i)
{
	if (i <= 33) {
		int32_t lo = (int32_t)(UINT32_C(1) << ((i - 2) & 31));
		int32_t hi = (int32_t)((UINT32_C(1) << ((i - 1) & 31)) - 1u);

		out_sb_printf(sb, "\"min\": %" PRId32 ", \"max\": %" PRId32 ", ", lo, hi);
	} else {
		uint64_t lo = UINT64_C(1) << (i - 2);

		out_sb_printf(sb, "\"min\": %" PRIu64 ", \"max\": %" PRIu64 ", ", lo, lo * 2 - 1);
	}
}

/* The JSON array of a hist: the non-empty range, counts divided by @div. */
void out_hist_json(struct out_sb *sb, const uint64_t *b, size_t n, uint32_t div)
{
	size_t first, last, i;
	uint64_t max;

	if (!div)
		div = 1;
	if (!hist_range(b, n, &first, &last, &max)) {
		out_sb_puts(sb, "[]");
		return;
	}
	out_sb_putc(sb, '[');
	for (i = first; i <= last; i++) {
		if (i > first)
			out_sb_puts(sb, ", ");
		out_sb_putc(sb, '{');
		if (i == 0)
			out_sb_puts(sb, "\"max\": -1, ");
		else if (i == 1)
			out_sb_puts(sb, "\"min\": 0, \"max\": 0, ");
		else if (i == 2)
			out_sb_puts(sb, "\"min\": 1, \"max\": 1, ");
		else
			hist_json_bounds(sb, i);
		out_sb_printf(sb, "\"count\": %" PRIu64 "}", b[i] / div);
	}
	out_sb_putc(sb, ']');
}

/* ---- lhist() ----------------------------------------------------------------------- */

/* bpftrace's lhist_index_label(): 0, or a multiple of 1M or 1K with M/K. */
static void lin_label(char *buf, size_t size, int64_t x)
{
	if (x == 0)
		snprintf(buf, size, "0");
	else if (x % 1048576 == 0)
		snprintf(buf, size, "%" PRId64 "M", x / 1048576);
	else if (x % 1024 == 0)
		snprintf(buf, size, "%" PRId64 "K", x / 1024);
	else
		snprintf(buf, size, "%" PRId64, x);
}

/* The label of lhist bucket i: (..., min), [lo, hi), or [max, ...). */
static void lhist_label(char *buf, size_t size, size_t i, int64_t min, int64_t max,
			int64_t step, size_t nsteps)
{
	char lo[32], hi[32];

	if (i == 0) {
		lin_label(lo, sizeof(lo), min);
		snprintf(buf, size, "(..., %s)", lo);
	} else if (i == nsteps + 1) {
		lin_label(lo, sizeof(lo), max);
		snprintf(buf, size, "[%s, ...)", lo);
	} else {
		lin_label(lo, sizeof(lo), (int64_t)(i - 1) * step + min);
		lin_label(hi, sizeof(hi), (int64_t)i * step + min);
		snprintf(buf, size, "[%s, %s)", lo, hi);
	}
}

/* lhist ignores print()'s div, as bpftrace does. */
void out_lhist_text(struct out_sb *sb, const uint64_t *b, size_t n, int64_t min, int64_t max,
		    int64_t step)
{
	size_t first, last, i, nsteps;
	uint64_t top;
	char label[96];

	if (!lhist_params_ok(min, max, step) || !hist_range(b, n, &first, &last, &top))
		return;
	nsteps = (size_t)((max - min) / step);
	for (i = first; i <= last; i++) {
		lhist_label(label, sizeof(label), i, min, max, step, nsteps);
		hist_line(sb, label, b[i], b[i], top);
	}
}

/* The JSON array of an lhist: {"max": min - 1} below, {"min": max} above. */
void out_lhist_json(struct out_sb *sb, const uint64_t *b, size_t n, int64_t min, int64_t max,
		    int64_t step)
{
	size_t first, last, i, nsteps;
	uint64_t top;

	if (!lhist_params_ok(min, max, step) || !hist_range(b, n, &first, &last, &top)) {
		out_sb_puts(sb, "[]");
		return;
	}
	nsteps = (size_t)((max - min) / step);
	out_sb_putc(sb, '[');
	for (i = first; i <= last; i++) {
		if (i > first)
			out_sb_puts(sb, ", ");
		out_sb_putc(sb, '{');
		if (i == 0)
			out_sb_printf(sb, "\"max\": %" PRId64 ", ", min - 1);
		else if (i == nsteps + 1)
			out_sb_printf(sb, "\"min\": %" PRId64 ", ", max);
		else
			out_sb_printf(sb, "\"min\": %" PRId64 ", \"max\": %" PRId64 ", ",
				      (int64_t)(i - 1) * step + min, (int64_t)i * step + min - 1);
		out_sb_printf(sb, "\"count\": %" PRIu64 "}", b[i]);
	}
	out_sb_putc(sb, ']');
}
