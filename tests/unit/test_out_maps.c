// SPDX-License-Identifier: MIT
/*
 * Unit tests of the output layer's map printing (src/out/map_print.c,
 * value.c, hist.c, json.c): each golden test feeds the printers the values
 * the bpftrace script tests/data/out/NAME.bt produces and compares the text
 * and JSON with what bpftrace 0.17 printed for that script (NAME.txt,
 * NAME.json). Then edge cases bpftrace cannot be made to produce, and
 * malformed input.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "out_test.h"

#define MAP(nm, ag, nk, arr)                                                                   \
	{ .name = (nm), .agg = (ag), .nkeys = (nk), .entries = (arr), .nentries = NELEM(arr) }
#define EMPTY(nm, ag, nk) { .name = (nm), .agg = (ag), .nkeys = (nk) }

static void hist_add(uint64_t *b, int64_t v)
{
	b[bpfkit_hist__index(v)]++;
}

static void lhist_add(uint64_t *b, size_t n, int64_t v, int64_t min, int64_t max, int64_t step)
{
	long i = bpfkit_lhist__index(v, min, max, step);

	assert_true(i >= 0 && (size_t)i < n);
	b[i]++;
}

/* Run @scen in text and in JSON and compare with @base.txt and @base.json. */
static void run_golden(void (*scen)(const struct bpfkit_out *), const char *base)
{
	static const enum bpfkit_out_format fmts[] = { BPFKIT_OUT_TEXT, BPFKIT_OUT_JSON };
	char name[64];
	struct cap c;
	size_t i;
	char *got;

	for (i = 0; i < NELEM(fmts); i++) {
		cap_open(&c, fmts[i]);
		scen(&c.o);
		got = cap_close(&c);
		snprintf(name, sizeof(name), "%s.%s", base, i ? "json" : "txt");
		golden_check(name, got);
		free(got);
	}
}

static void exit_with(const struct bpfkit_out *o, const struct bpfkit_out_map *const *maps, size_t n)
{
	struct bpfkit_diag d;

	bpfkit_diag__clear(&d);
	if (bpfkit_out__exit_maps(o, maps, n, &d))
		fail_msg("exit_maps: %s", d.msg);
}

/* ---- basic.bt ------------------------------------------------------------------- */

static void scen_basic(const struct bpfkit_out *o)
{
	uint64_t hx[BPFKIT_OUT_HIST_BUCKETS] = { 0 }, hy[12] = { 0 };

	hist_add(hx, 5);
	lhist_add(hy, NELEM(hy), 3, 0, 10, 1);
	struct bpfkit_out_entry anon[] = { { .key = KEYS(V_U64(1)), .value = V_U64(1) } };
	struct bpfkit_out_entry x[] = { { .buckets = hx, .nbuckets = NELEM(hx) } };
	struct bpfkit_out_entry y[] = { { .buckets = hy, .nbuckets = NELEM(hy) } };
	struct bpfkit_out_entry s[] = { { .count = 1, .total = 10 } };
	struct bpfkit_out_entry a[] = { { .count = 1, .total = 4 } };
	struct bpfkit_out_entry m[] = { { .value = V_S64(3) } };
	struct bpfkit_out_entry str[] = { { .key = KEYS(V_STR("a"), V_STR("b")), .value = V_S64(2) } };
	struct bpfkit_out_map maps[] = {
		MAP("@y", BPFKIT_OUT_LHIST, 0, y),   MAP("@x", BPFKIT_OUT_HIST, 0, x),
		MAP("@str", BPFKIT_OUT_SUM, 2, str), MAP("@s", BPFKIT_OUT_STATS, 0, s),
		MAP("@m", BPFKIT_OUT_MIN, 0, m),     MAP("@a", BPFKIT_OUT_AVG, 0, a),
		MAP("@", BPFKIT_OUT_COUNT, 1, anon),
	};
	const struct bpfkit_out_map *p[NELEM(maps)];

	maps[0].lmin = 0, maps[0].lmax = 10, maps[0].lstep = 1;
	for (size_t i = 0; i < NELEM(maps); i++)
		p[i] = &maps[i];
	assert_int_equal(bpfkit_out__attached(o, 1), 0);
	exit_with(o, p, NELEM(p));
}

static void test_golden_basic(void **state)
{
	(void)state;
	run_golden(scen_basic, "basic");
}

/* ---- keys.bt ---------------------------------------------------------------------- */

#define S63 "123456789012345678901234567890123456789012345678901234567890123"

static void scen_keys(const struct bpfkit_out *o)
{
	const struct bpfkit_out_val tf[] = { V_S64(1), V_STR("two words"), V_S64(-3) };
	const struct bpfkit_out_val tg[] = { V_S64(5), V_STR("s") };
	const struct bpfkit_out_val tr_in[] = { V_S64(2), V_STR("nested") };
	const struct bpfkit_out_val tr[] = { V_S64(1), V_TUP(tr_in), V_STR("x") };
	struct bpfkit_out_entry anon[] = { { .key = KEYS(V_S64(1), V_S64(2)), .value = V_S64(7) } };
	struct bpfkit_out_entry a[] = { { .key = KEYS(V_INT(255, 1, false)), .value = V_S64(1) } };
	struct bpfkit_out_entry b[] = { { .key = KEYS(V_INT(-1, 1, true)), .value = V_S64(2) } };
	struct bpfkit_out_entry c[] = { { .key = KEYS(V_U64(UINT64_MAX)), .value = V_S64(3) } };
	struct bpfkit_out_entry d[] = { { .key = KEYS(V_INT(-5, 4, true), V_STR("x y")),
					  .value = V_S64(4) } };
	struct bpfkit_out_entry e[] = { { .key = KEYS(V_STR("q\"uo\\te")), .value = V_S64(5) } };
	struct bpfkit_out_entry f[] = { { .key = KEYS(V_S64(1), V_STR("a"), V_S64(2)),
					  .value = V_TUP(tf) } };
	struct bpfkit_out_entry g[] = { { .value = V_TUP(tg) } };
	struct bpfkit_out_entry h[] = { { .key = KEYS(V_STR("k")), .value = V_STR("val\"ue") } };
	struct bpfkit_out_entry i[] = { { .value = V_STR("plain") } };
	struct bpfkit_out_entry j[] = { { .key = KEYS(V_INT(65535, 2, false), V_INT(-2, 2, true)),
					  .value = V_S64(8) } };
	struct bpfkit_out_entry k[] = { { .value = V_INT(-3, 1, true) } };
	struct bpfkit_out_entry l[] = { { .value = V_INT(4000000000u, 4, false) } };
	struct bpfkit_out_entry m[] = { { .key = KEYS(V_S64(-7)), .value = V_S64(-100) } };
	struct bpfkit_out_entry n[] = { { .value = V_U64(UINT64_MAX) } };
	struct bpfkit_out_entry oo[] = { { .value = V_U64(UINT64_MAX) } };
	struct bpfkit_out_entry p[] = { { .value = V_S64(-1) } };
	struct bpfkit_out_entry q[] = { { .key = KEYS(V_INT(4000000000u, 4, false)), .value = V_S64(1) } };
	struct bpfkit_out_entry r[] = { { .value = V_TUP(tr) } };
	struct bpfkit_out_entry s[] = { { .key = KEYS(V_STR("a\tb\x01"
							 "c")),
					  .value = V_STR("d\ne") } };
	struct bpfkit_out_entry t[] = { { .key = KEYS(V_STR(S63)), .value = V_STR(S63) } };
	const struct bpfkit_out_map maps[] = {
		MAP("@t", BPFKIT_OUT_PLAIN, 1, t), MAP("@s", BPFKIT_OUT_PLAIN, 1, s),
		MAP("@r", BPFKIT_OUT_PLAIN, 0, r), MAP("@q", BPFKIT_OUT_PLAIN, 1, q),
		MAP("@p", BPFKIT_OUT_PLAIN, 0, p), MAP("@o", BPFKIT_OUT_SUM, 0, oo),
		MAP("@n", BPFKIT_OUT_PLAIN, 0, n), MAP("@m", BPFKIT_OUT_SUM, 1, m),
		MAP("@l", BPFKIT_OUT_PLAIN, 0, l), MAP("@k", BPFKIT_OUT_PLAIN, 0, k),
		MAP("@j", BPFKIT_OUT_PLAIN, 2, j), MAP("@i", BPFKIT_OUT_PLAIN, 0, i),
		MAP("@h", BPFKIT_OUT_PLAIN, 1, h), MAP("@g", BPFKIT_OUT_PLAIN, 0, g),
		MAP("@f", BPFKIT_OUT_PLAIN, 3, f), MAP("@e", BPFKIT_OUT_PLAIN, 1, e),
		MAP("@d", BPFKIT_OUT_PLAIN, 2, d), MAP("@c", BPFKIT_OUT_PLAIN, 1, c),
		MAP("@b", BPFKIT_OUT_PLAIN, 1, b), MAP("@a", BPFKIT_OUT_PLAIN, 1, a),
		MAP("@", BPFKIT_OUT_PLAIN, 2, anon),
	};
	const struct bpfkit_out_map *ptr[NELEM(maps)];

	for (size_t x = 0; x < NELEM(maps); x++)
		ptr[x] = &maps[x];
	assert_int_equal(bpfkit_out__attached(o, 1), 0);
	exit_with(o, ptr, NELEM(ptr));
}

static void test_golden_keys(void **state)
{
	(void)state;
	run_golden(scen_keys, "keys");
}

/* ---- stacks.bt: kstack and ksym() as keys and values (kallsyms: stacks.kallsyms) ---- */

static struct bpfkit_ksyms *stack_syms(void)
{
	char path[512];
	struct bpfkit_ksyms *k;

	snprintf(path, sizeof(path), "%s/out/stacks.kallsyms", out_data_dir());
	k = bpfkit_ksyms__new(path);
	assert_non_null(k);
	return k;
}

/* The stack bpftrace saw at sys_enter_getpgid, innermost first. */
static const uint64_t getpgid_ips[] = { 0xffffffff814c44ebull, 0xffffffff81425010ull,
					0xffffffff8223caefull, 0xffffffff81000130ull };

static void scen_stacks(const struct bpfkit_out *o)
{
	struct bpfkit_ksyms *ks = stack_syms();
	const struct bpfkit_out_val full = bpfkit_out_kstack(getpgid_ips, 4, BPFKIT_OUT_STACK_BPFTRACE, ks);
	const struct bpfkit_out_val three = bpfkit_out_kstack(getpgid_ips, 3, BPFKIT_OUT_STACK_BPFTRACE, ks);
	const struct bpfkit_out_val two = bpfkit_out_kstack(getpgid_ips, 2, BPFKIT_OUT_STACK_BPFTRACE, ks);
	const struct bpfkit_out_val perf = bpfkit_out_kstack(getpgid_ips, 4, BPFKIT_OUT_STACK_PERF, ks);
	const struct bpfkit_out_val perf2 = bpfkit_out_kstack(getpgid_ips, 2, BPFKIT_OUT_STACK_PERF, ks);
	const struct bpfkit_out_val sym = bpfkit_out_ksym(0xffffffff814c44ebull, ks);
	struct bpfkit_out_entry anon[] = { { .key = KEYS(full), .value = V_U64(2) } };
	struct bpfkit_out_entry a[] = { { .key = KEYS(three), .value = V_U64(2) } };
	struct bpfkit_out_entry c[] = { { .key = KEYS(V_STR("python3\0\0\0\0\0\0\0\0"), two),
					  .value = V_U64(2) } };
	struct bpfkit_out_entry p[] = { { .key = KEYS(perf), .value = V_U64(2) } };
	struct bpfkit_out_entry sm[] = { { .key = KEYS(V_S64(2)), .value = sym },
					 { .key = KEYS(V_S64(1)), .value = sym } };
	struct bpfkit_out_entry u[] = { { .value = bpfkit_out_ksym(1, ks) } };
	struct bpfkit_out_entry v[] = { { .value = two } };
	struct bpfkit_out_entry w[] = { { .key = KEYS(V_S64(2)), .value = perf2 },
					{ .key = KEYS(V_S64(1)), .value = perf2 } };
	struct bpfkit_out_entry x[] = { { .key = KEYS(sym), .value = V_U64(2) } };
	const struct bpfkit_out_map maps[] = {
		MAP("@x", BPFKIT_OUT_COUNT, 1, x), MAP("@w", BPFKIT_OUT_PLAIN, 1, w),
		MAP("@v", BPFKIT_OUT_PLAIN, 0, v), MAP("@u", BPFKIT_OUT_PLAIN, 0, u),
		MAP("@s", BPFKIT_OUT_PLAIN, 1, sm), MAP("@p", BPFKIT_OUT_COUNT, 1, p),
		MAP("@c", BPFKIT_OUT_COUNT, 2, c), MAP("@a", BPFKIT_OUT_COUNT, 1, a),
		MAP("@", BPFKIT_OUT_COUNT, 1, anon),
	};
	const struct bpfkit_out_map *ptr[NELEM(maps)];

	for (size_t i = 0; i < NELEM(maps); i++)
		ptr[i] = &maps[i];
	assert_int_equal(bpfkit_out__attached(o, 1), 0);
	exit_with(o, ptr, NELEM(ptr));
	bpfkit_ksyms__free(ks);
}

static void test_golden_stacks(void **state)
{
	(void)state;
	run_golden(scen_stacks, "stacks");
}

/*
 * Stacks in printf() and print(): as values, frames indented by 8 (bpftrace's
 * output for printf("X%sY\n", kstack(2)) and print(kstack(2))), raw mode's
 * bare addresses, and an address below every symbol as 0x....
 */
static void test_stack_values(void **state)
{
	struct bpfkit_ksyms *ks = stack_syms();
	struct bpfkit_out_val args[] = { bpfkit_out_kstack(getpgid_ips, 2, BPFKIT_OUT_STACK_BPFTRACE, ks),
					 bpfkit_out_kstack(getpgid_ips, 2, BPFKIT_OUT_STACK_PERF, ks),
					 bpfkit_out_kstack(getpgid_ips, 2, BPFKIT_OUT_STACK_RAW, ks),
					 bpfkit_out_ksym(0x10, ks), bpfkit_out_ksym(0xffffffff81000085ull, ks) };
	struct bpfkit_diag d;
	struct cap c;
	char *got;

	(void)state;
	cap_open(&c, BPFKIT_OUT_TEXT);
	assert_int_equal(bpfkit_out__printf(&c.o, "X%sY|%s|%s|%s %s\n", args, 5, &d), 0);
	assert_int_equal(bpfkit_out__value(&c.o, &args[0], &d), 0);
	got = cap_close(&c);
	assert_string_equal(got, "X\n        perf_syscall_enter+475\n        syscall_trace_enter+384\nY|"
				 "\n\tffffffff814c44eb perf_syscall_enter+475\n"
				 "\tffffffff81425010 syscall_trace_enter+384\n|"
				 "\nffffffff814c44eb\nffffffff81425010\n|0x10 entry_SYSCALL_64\n"
				 "\n        perf_syscall_enter+475\n        syscall_trace_enter+384\n\n");
	free(got);
	/* no symbol table: addresses in hex */
	args[0].st.ksyms = NULL;
	cap_open(&c, BPFKIT_OUT_TEXT);
	assert_int_equal(bpfkit_out__value(&c.o, &args[0], &d), 0);
	got = cap_close(&c);
	assert_string_equal(got, "\n        0xffffffff814c44eb\n        0xffffffff81425010\n\n");
	free(got);
	/* no frames (no kernel stack where the probe fired): nothing, as bpftrace's "" */
	args[0].st.n = 0;
	cap_open(&c, BPFKIT_OUT_TEXT);
	assert_int_equal(bpfkit_out__printf(&c.o, "<%s>\n", args, 1, &d), 0);
	got = cap_close(&c);
	assert_string_equal(got, "<>\n");
	free(got);
	bpfkit_ksyms__free(ks);
}

/* A stack the stack map could not take. */
static struct bpfkit_out_val lost_stack(struct bpfkit_ksyms *ks)
{
	struct bpfkit_out_val v = bpfkit_out_kstack(NULL, 0, BPFKIT_OUT_STACK_BPFTRACE, ks);

	v.st.lost = true;
	return v;
}

/*
 * -f folded: a stack-keyed count map as "other;keys;root;...;leaf N" lines
 * (the frames root first, without offsets), ordered as the map prints, an
 * empty stack as [lost] or [no_kernel_stack]; a map
 * without a stack key prints as text; no "Attaching" line, no blank lines
 * before the maps.
 */
static void test_folded(void **state)
{
	struct bpfkit_ksyms *ks = stack_syms();
	static const uint64_t other[] = { 0xffffffff814c44ebull, 0xffffffff8223caefull };
	const struct bpfkit_out_val full = bpfkit_out_kstack(getpgid_ips, 4, BPFKIT_OUT_STACK_BPFTRACE, ks);
	const struct bpfkit_out_val two = bpfkit_out_kstack(other, 2, BPFKIT_OUT_STACK_PERF, ks);
	const struct bpfkit_out_val raw = bpfkit_out_kstack(other, 2, BPFKIT_OUT_STACK_RAW, ks);
	const struct bpfkit_out_val lost = lost_stack(ks);
	const struct bpfkit_out_val none = bpfkit_out_kstack(NULL, 0, BPFKIT_OUT_STACK_BPFTRACE, ks);
	struct bpfkit_out_entry s[] = { { .key = KEYS(full), .value = V_U64(7) },
					{ .key = KEYS(two), .value = V_U64(3) },
					{ .key = KEYS(lost), .value = V_U64(1) },
					{ .key = KEYS(none), .value = V_U64(2) } };
	struct bpfkit_out_entry cs[] = { { .key = KEYS(V_STR("a;b"), V_S64(42), raw), .value = V_U64(5) } };
	struct bpfkit_out_entry n[] = { { .value = V_U64(9) } };
	const struct bpfkit_out_map maps[] = { MAP("@s", BPFKIT_OUT_COUNT, 1, s),
					       MAP("@cs", BPFKIT_OUT_SUM, 3, cs), MAP("@n", BPFKIT_OUT_COUNT, 0, n) };
	const struct bpfkit_out_map *ptr[] = { &maps[0], &maps[1], &maps[2] };
	struct cap c;
	char *got;

	(void)state;
	cap_open(&c, BPFKIT_OUT_FOLDED);
	assert_int_equal(bpfkit_out__attached(&c.o, 1), 0);
	exit_with(&c.o, ptr, NELEM(ptr));
	got = cap_close(&c);
	assert_string_equal(got, "a_b;42;0xffffffff8223caef;0xffffffff814c44eb 5\n"
				 "@n: 9\n"
				 "[lost] 1\n"
				 "[no_kernel_stack] 2\n"
				 "do_syscall_64;perf_syscall_enter 3\n"
				 "entry_SYSCALL_64_after_hwframe;do_syscall_64;syscall_trace_enter;"
				 "perf_syscall_enter 7\n");
	free(got);
	bpfkit_ksyms__free(ks);
}

/* ---- sort.bt ------------------------------------------------------------------------ */

/* Entries in a different order from bpftrace's output, so sorting shows. */
static void scen_sort(const struct bpfkit_out *o)
{
	uint64_t h1[BPFKIT_OUT_HIST_BUCKETS] = { 0 }, h7[BPFKIT_OUT_HIST_BUCKETS] = { 0 };
	const struct bpfkit_out_val t1[] = { V_S64(1), V_STR("x") };
	const struct bpfkit_out_val t2[] = { V_S64(2), V_STR("y") };
	const struct bpfkit_out_val t3[] = { V_S64(3), V_STR("z") };

	hist_add(h1, 5);
	hist_add(h7, 5);
	hist_add(h7, 6);
	struct bpfkit_out_entry i[] = {
		{ .key = KEYS(V_S64(1)), .value = V_S64(5) },
		{ .key = KEYS(V_S64(2)), .value = V_S64(-3) },
		{ .key = KEYS(V_S64(3)), .value = V_S64(1) },
	};
	struct bpfkit_out_entry u[] = {
		{ .key = KEYS(V_S64(2)), .value = V_U64(-3) },
		{ .key = KEYS(V_S64(3)), .value = V_U64(7) },
		{ .key = KEYS(V_S64(1)), .value = V_U64(5) },
	};
	struct bpfkit_out_entry c[] = {
		{ .key = KEYS(V_STR("z")), .value = V_U64(3) },
		{ .key = KEYS(V_STR("x")), .value = V_U64(1) },
		{ .key = KEYS(V_STR("y")), .value = V_U64(2) },
	};
	struct bpfkit_out_entry str[] = {
		{ .key = KEYS(V_STR("c")), .value = V_STR("a") },
		{ .key = KEYS(V_STR("b")), .value = V_STR("x") },
		{ .key = KEYS(V_STR("ab")), .value = V_STR("b") },
		{ .key = KEYS(V_STR("a")), .value = V_STR("y") },
	};
	struct bpfkit_out_entry n[] = {
		{ .key = KEYS(V_S64(-1)), .value = V_STR("y") },
		{ .key = KEYS(V_S64(3)), .value = V_STR("x") },
		{ .key = KEYS(V_S64(0)), .value = V_STR("w") },
		{ .key = KEYS(V_S64(2)), .value = V_STR("z") },
	};
	struct bpfkit_out_entry t[] = {
		{ .key = KEYS(V_S64(1), V_STR("b")), .value = V_TUP(t1) },
		{ .key = KEYS(V_S64(1), V_STR("a")), .value = V_TUP(t2) },
		{ .key = KEYS(V_S64(0), V_STR("z")), .value = V_TUP(t3) },
	};
	struct bpfkit_out_entry h[] = {
		{ .key = KEYS(V_S64(7)), .buckets = h7, .nbuckets = NELEM(h7) },
		{ .key = KEYS(V_S64(-1)), .buckets = h1, .nbuckets = NELEM(h1) },
		{ .key = KEYS(V_S64(2)), .buckets = h1, .nbuckets = NELEM(h1) },
		{ .key = KEYS(V_S64(1)), .buckets = h1, .nbuckets = NELEM(h1) },
		{ .key = KEYS(V_S64(256)), .buckets = h1, .nbuckets = NELEM(h1) },
	};
	struct bpfkit_out_entry a[] = {
		{ .key = KEYS(V_S64(2)), .count = 1, .total = 5 },
		{ .key = KEYS(V_S64(1)), .count = 1, .total = 5 },
		{ .key = KEYS(V_S64(256)), .count = 1, .total = 5 },
		{ .key = KEYS(V_S64(3)), .count = 1, .total = -1 },
	};
	struct bpfkit_out_entry st[] = {
		{ .key = KEYS(V_STR("b")), .count = 1, .total = 1 },
		{ .key = KEYS(V_STR("ab")), .count = 1, .total = 1 },
		{ .key = KEYS(V_STR("a")), .count = 1, .total = 1 },
		{ .key = KEYS(V_STR("c")), .count = 1, .total = 0 },
	};
	const struct bpfkit_out_map maps[] = {
		MAP("@u", BPFKIT_OUT_PLAIN, 1, u),    MAP("@t", BPFKIT_OUT_PLAIN, 2, t),
		MAP("@str", BPFKIT_OUT_PLAIN, 1, str), MAP("@st", BPFKIT_OUT_STATS, 1, st),
		MAP("@s", BPFKIT_OUT_SUM, 1, i),      MAP("@n", BPFKIT_OUT_PLAIN, 1, n),
		MAP("@m", BPFKIT_OUT_MIN, 1, i),      MAP("@i", BPFKIT_OUT_PLAIN, 1, i),
		MAP("@h", BPFKIT_OUT_HIST, 1, h),     MAP("@c", BPFKIT_OUT_COUNT, 1, c),
		MAP("@a", BPFKIT_OUT_AVG, 1, a),
	};
	const struct bpfkit_out_map *ptr[NELEM(maps)];

	for (size_t x = 0; x < NELEM(maps); x++)
		ptr[x] = &maps[x];
	assert_int_equal(bpfkit_out__attached(o, 1), 0);
	exit_with(o, ptr, NELEM(ptr));
}

static void test_golden_sort(void **state)
{
	(void)state;
	run_golden(scen_sort, "sort");
}

/* ---- hist.bt ---------------------------------------------------------------------- */

static void scen_hist(const struct bpfkit_out *o)
{
	static const int64_t hv[] = { -5, 0, 0, 1, 3, 1000000 };
	static const int64_t gv[] = { 1073741824, 1099511627776, 4611686018427387904,
				      INT64_MAX };
	static const int64_t fv[] = { 1048576, 2097157, 1125899906842624 };
	static const int64_t bxv[] = { 1, 2, 2, 4, 4, 4 };
	static const int64_t zv[] = { 2, 2, 2, 2, 2, 2, 2, 16, 16, 16, 512 };
	uint64_t hh[65] = { 0 }, hg[65] = { 0 }, hf[65] = { 0 }, hbx[65] = { 0 }, hby[65] = { 0 };
	uint64_t hz[65] = { 0 }, hl[7] = { 0 }, hk[32] = { 0 }, hj[6] = { 0 }, hq[6] = { 0 };
	size_t x;

	for (x = 0; x < NELEM(hv); x++)
		hist_add(hh, hv[x]);
	for (x = 0; x < NELEM(gv); x++)
		hist_add(hg, gv[x]);
	for (x = 0; x < NELEM(fv); x++)
		hist_add(hf, fv[x]);
	for (x = 0; x < NELEM(bxv); x++)
		hist_add(hbx, bxv[x]);
	for (x = 0; x < NELEM(zv); x++)
		hist_add(hz, zv[x]);
	hist_add(hby, 100);
	lhist_add(hl, NELEM(hl), -1, 0, 10, 2);
	lhist_add(hl, NELEM(hl), 10, 0, 10, 2);
	lhist_add(hl, NELEM(hl), 11, 0, 10, 2);
	lhist_add(hl, NELEM(hl), 4, 0, 10, 2);
	lhist_add(hk, NELEM(hk), 5000, 1024, 3145728, 102400);
	lhist_add(hk, NELEM(hk), 3145728, 1024, 3145728, 102400);
	lhist_add(hk, NELEM(hk), 2048, 1024, 3145728, 102400);
	lhist_add(hj, NELEM(hj), 7, 5, 9, 1);
	lhist_add(hj, NELEM(hj), 7, 5, 9, 1);
	lhist_add(hj, NELEM(hj), 8, 5, 9, 1);
	lhist_add(hq, NELEM(hq), 9, 0, 9, 2);
	lhist_add(hq, NELEM(hq), 8, 0, 9, 2);
	lhist_add(hq, NELEM(hq), 3, 0, 9, 2);

#define ONE(arr) { { .buckets = arr, .nbuckets = NELEM(arr) } }
	struct bpfkit_out_entry eh[] = ONE(hh), eg[] = ONE(hg), ef[] = ONE(hf), ez[] = ONE(hz);
	struct bpfkit_out_entry el[] = ONE(hl), ek[] = ONE(hk), ej[] = ONE(hj), eq[] = ONE(hq);
#undef ONE
	struct bpfkit_out_entry eb[] = {
		{ .key = KEYS(V_S64(1), V_STR("x")), .buckets = hbx, .nbuckets = NELEM(hbx) },
		{ .key = KEYS(V_S64(2), V_STR("y")), .buckets = hby, .nbuckets = NELEM(hby) },
	};
	struct bpfkit_out_map maps[] = {
		MAP("@h", BPFKIT_OUT_HIST, 0, eh),  MAP("@g", BPFKIT_OUT_HIST, 0, eg),
		MAP("@f", BPFKIT_OUT_HIST, 0, ef),  MAP("@l", BPFKIT_OUT_LHIST, 0, el),
		MAP("@k", BPFKIT_OUT_LHIST, 0, ek), MAP("@j", BPFKIT_OUT_LHIST, 0, ej),
		MAP("@b", BPFKIT_OUT_HIST, 2, eb),  MAP("@q", BPFKIT_OUT_LHIST, 0, eq),
		MAP("@z", BPFKIT_OUT_HIST, 0, ez),
	};
	const struct bpfkit_out_map *ptr[NELEM(maps)];

	maps[3].lmin = 0, maps[3].lmax = 10, maps[3].lstep = 2;
	maps[4].lmin = 1024, maps[4].lmax = 3145728, maps[4].lstep = 102400;
	maps[5].lmin = 5, maps[5].lmax = 9, maps[5].lstep = 1;
	maps[7].lmin = 0, maps[7].lmax = 9, maps[7].lstep = 2;
	for (x = 0; x < NELEM(maps); x++)
		ptr[x] = &maps[x];
	assert_int_equal(bpfkit_out__attached(o, 1), 0);
	exit_with(o, ptr, NELEM(ptr));
}

static void test_golden_hist(void **state)
{
	(void)state;
	run_golden(scen_hist, "hist");
}

/* ---- print.bt ---------------------------------------------------------------------- */

static void print_map(const struct bpfkit_out *o, const struct bpfkit_out_map *m, uint32_t top,
		      uint32_t div)
{
	struct bpfkit_diag d;

	bpfkit_diag__clear(&d);
	if (bpfkit_out__map(o, m, top, div, &d))
		fail_msg("print %s: %s", m->name, d.msg);
}

static void scen_print(const struct bpfkit_out *o)
{
	uint64_t h1[65] = { 0 }, h2[65] = { 0 }, h3[65] = { 0 }, l1[12] = { 0 }, l2[12] = { 0 };
	const struct bpfkit_out_val tab[] = { V_S64(1), V_STR("a b") };
	const struct bpfkit_out_val in[] = { V_S64(2), V_STR("x") };
	const struct bpfkit_out_val nest[] = { V_S64(1), V_TUP(in) };
	const struct bpfkit_out_val vals[] = {
		V_S64(5),	     V_STR("str"), V_TUP(tab), V_S64(-3), V_INT(255, 1, false),
		V_TUP(nest),	     V_INT(-2, 2, true),
		V_BUF("q\x02w"),
	};
	size_t x;

	hist_add(h1, 10);
	hist_add(h2, 100);
	hist_add(h2, 100);
	for (x = 0; x < 3; x++)
		hist_add(h3, 1000);
	lhist_add(l1, 12, 5, 0, 100, 10);
	lhist_add(l2, 12, 15, 0, 100, 10);
	lhist_add(l2, 12, 15, 0, 100, 10);
	struct bpfkit_out_entry c[] = {
		{ .key = KEYS(V_S64(3)), .value = V_U64(3) },
		{ .key = KEYS(V_S64(1)), .value = V_U64(1) },
		{ .key = KEYS(V_S64(2)), .value = V_U64(2) },
	};
	struct bpfkit_out_entry a[] = {
		{ .key = KEYS(V_S64(1)), .count = 1, .total = 10 },
		{ .key = KEYS(V_S64(2)), .count = 1, .total = 20 },
		{ .key = KEYS(V_S64(3)), .count = 1, .total = 30 },
	};
	struct bpfkit_out_entry h[] = {
		{ .key = KEYS(V_S64(1)), .buckets = h1, .nbuckets = 65 },
		{ .key = KEYS(V_S64(2)), .buckets = h2, .nbuckets = 65 },
		{ .key = KEYS(V_S64(3)), .buckets = h3, .nbuckets = 65 },
	};
	struct bpfkit_out_entry l[] = {
		{ .key = KEYS(V_S64(1)), .buckets = l1, .nbuckets = 12 },
		{ .key = KEYS(V_S64(2)), .buckets = l2, .nbuckets = 12 },
	};
	struct bpfkit_out_entry v[] = { { .value = V_S64(-7) } };
	struct bpfkit_out_entry w[] = {
		{ .key = KEYS(V_S64(1)), .value = V_INT(-9, 4, true) },
		{ .key = KEYS(V_S64(2)), .value = V_INT(-4, 4, true) },
	};
	struct bpfkit_out_map mc = MAP("@c", BPFKIT_OUT_COUNT, 1, c);
	struct bpfkit_out_map ma = MAP("@a", BPFKIT_OUT_AVG, 1, a);
	struct bpfkit_out_map mh = MAP("@h", BPFKIT_OUT_HIST, 1, h);
	struct bpfkit_out_map ml = MAP("@l", BPFKIT_OUT_LHIST, 1, l);
	struct bpfkit_out_map mv = MAP("@v", BPFKIT_OUT_PLAIN, 0, v);
	struct bpfkit_out_map mw = MAP("@w", BPFKIT_OUT_PLAIN, 1, w);
	ml.lmin = 0, ml.lmax = 100, ml.lstep = 10;

	assert_int_equal(bpfkit_out__attached(o, 1), 0);
	print_map(o, &mc, 2, 2);
	print_map(o, &ma, 2, 3);
	print_map(o, &mh, 2, 2);
	print_map(o, &ml, 1, 2);
	print_map(o, &mc, 0, 0);
	print_map(o, &mv, 0, 2);
	print_map(o, &mw, 1, 2);
	for (x = 0; x < NELEM(vals); x++)
		assert_int_equal(bpfkit_out__value(o, &vals[x], NULL), 0);

	/* clear() everything, then the end of the run */
	struct bpfkit_out_map cleared[] = {
		EMPTY("@w", BPFKIT_OUT_PLAIN, 1), EMPTY("@v", BPFKIT_OUT_PLAIN, 0),
		EMPTY("@l", BPFKIT_OUT_LHIST, 1), EMPTY("@h", BPFKIT_OUT_HIST, 1),
		EMPTY("@c", BPFKIT_OUT_COUNT, 1), EMPTY("@a", BPFKIT_OUT_AVG, 1),
	};
	const struct bpfkit_out_map *ptr[NELEM(cleared)];

	cleared[2].lmin = 0, cleared[2].lmax = 100, cleared[2].lstep = 10;
	for (x = 0; x < NELEM(cleared); x++)
		ptr[x] = &cleared[x];
	exit_with(o, ptr, NELEM(ptr));
}

static void test_golden_print(void **state)
{
	(void)state;
	run_golden(scen_print, "print");
}

/* ---- empty.bt ---------------------------------------------------------------------- */

static void scen_empty(const struct bpfkit_out *o)
{
	uint64_t zh[65] = { 0 }, zl[12] = { 0 };
	struct bpfkit_out_entry ezh[] = { { .buckets = zh, .nbuckets = 65 } };
	struct bpfkit_out_entry ezl[] = { { .key = KEYS(V_S64(1)), .buckets = zl, .nbuckets = 12 } };
	struct bpfkit_out_entry ezs[] = { { .count = 0, .total = 0 } };
	struct bpfkit_out_entry ezc[] = { { .key = KEYS(V_S64(1)), .value = V_U64(0) } };
	struct bpfkit_out_entry eza[] = { { .count = 0, .total = 0 } };
	struct bpfkit_out_entry en[] = { { .value = V_S64(1) } };
	struct bpfkit_out_map maps[] = {
		EMPTY("@x", BPFKIT_OUT_PLAIN, 1),     EMPTY("@h", BPFKIT_OUT_HIST, 0),
		EMPTY("@s", BPFKIT_OUT_STATS, 0),     EMPTY("@a", BPFKIT_OUT_AVG, 0),
		MAP("@zh", BPFKIT_OUT_HIST, 0, ezh),  MAP("@zl", BPFKIT_OUT_LHIST, 1, ezl),
		MAP("@zs", BPFKIT_OUT_STATS, 0, ezs), MAP("@zc", BPFKIT_OUT_COUNT, 1, ezc),
		MAP("@za", BPFKIT_OUT_AVG, 0, eza),   MAP("@n", BPFKIT_OUT_PLAIN, 0, en),
	};
	const struct bpfkit_out_map *ptr[NELEM(maps)];
	size_t x;

	maps[5].lmin = 0, maps[5].lmax = 10, maps[5].lstep = 1;
	for (x = 0; x < NELEM(maps); x++)
		ptr[x] = &maps[x];
	assert_int_equal(bpfkit_out__attached(o, 1), 0);
	exit_with(o, ptr, NELEM(ptr));
}

static void test_golden_empty(void **state)
{
	(void)state;
	run_golden(scen_empty, "empty");
}

/* ---- Cases bpftrace cannot be made to print -------------------------------------- */

/* Render one map with print(@m, top, div) and return the text (free it). */
static char *render(const struct bpfkit_out_map *m, enum bpfkit_out_format fmt, uint32_t top,
		    uint32_t div)
{
	struct cap c;
	struct bpfkit_diag d;

	bpfkit_diag__clear(&d);
	cap_open(&c, fmt);
	if (bpfkit_out__map(&c.o, m, top, div, &d))
		fail_msg("%s", d.msg);
	return cap_close(&c);
}

/* Counts past 2^32 (bpftrace 0.17 reads them as int and misdraws them). */
static void test_hist_huge_counts(void **state)
{
	uint64_t b[65] = { 0 };
	struct bpfkit_out_entry e[] = { { .buckets = b, .nbuckets = 65 } };
	struct bpfkit_out_map m = MAP("@h", BPFKIT_OUT_HIST, 0, e);
	char *got;

	(void)state;
	b[3] = UINT64_C(10000000000);
	b[4] = UINT64_C(5000000000);
	got = render(&m, BPFKIT_OUT_TEXT, 0, 0);
	assert_string_equal(got,
			    "@h: \n"
			    "[2, 4)          10000000000 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
			    "[4, 8)          5000000000 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n"
			    "\n");
	free(got);
	got = render(&m, BPFKIT_OUT_JSON, 0, 1000);
	assert_string_equal(got, "{\"type\": \"hist\", \"data\": {\"@h\": [{\"min\": 2, \"max\": 3, "
				 "\"count\": 10000000}, {\"min\": 4, \"max\": 7, \"count\": 5000000}]}}\n");
	free(got);
}

/* Buckets 0.17 never fills: labels with T, true 64-bit JSON bounds. */
static void test_hist_high_buckets(void **state)
{
	uint64_t b[65] = { 0 };
	struct bpfkit_out_entry e[] = { { .buckets = b, .nbuckets = 65 } };
	struct bpfkit_out_map m = MAP("@h", BPFKIT_OUT_HIST, 0, e);
	char *got;

	(void)state;
	b[42] = 1;
	b[64] = 2;
	got = render(&m, BPFKIT_OUT_TEXT, 0, 0);
	assert_non_null(strstr(got, "[1T, 2T)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@    "));
	assert_non_null(strstr(got, "[4194304T, 8388608T)       2 |@@@@"));
	free(got);
	got = render(&m, BPFKIT_OUT_JSON, 0, 0);
	assert_non_null(strstr(got, "{\"min\": 1099511627776, \"max\": 2199023255551, \"count\": 1}"));
	assert_non_null(strstr(got, "{\"min\": 4611686018427387904, \"max\": 9223372036854775807, "
				    "\"count\": 2}]"));
	free(got);
}

/* count() at u64 max, sum() at s64 min, top larger than the map, div on both. */
static void test_int_limits_top_div(void **state)
{
	struct bpfkit_out_entry c[] = {
		{ .key = KEYS(V_STR("big")), .value = V_U64(UINT64_MAX) },
		{ .key = KEYS(V_STR("small")), .value = V_U64(1) },
	};
	struct bpfkit_out_entry s[] = { { .value = V_S64(INT64_MIN) } };
	struct bpfkit_out_map mc = MAP("@c", BPFKIT_OUT_COUNT, 1, c);
	struct bpfkit_out_map ms = MAP("@s", BPFKIT_OUT_SUM, 0, s);
	char *got;

	(void)state;
	got = render(&mc, BPFKIT_OUT_TEXT, 10, 0);
	assert_string_equal(got, "@c[small]: 1\n@c[big]: 18446744073709551615\n");
	free(got);
	got = render(&mc, BPFKIT_OUT_JSON, 1, 3);
	assert_string_equal(got, "{\"type\": \"map\", \"data\": {\"@c\": {\"big\": 6148914691236517205}}}\n");
	free(got);
	got = render(&ms, BPFKIT_OUT_TEXT, 0, 2);
	assert_string_equal(got, "@s: -4611686018427387904\n");
	free(got);
}

/* Stats maps ignore top and div; avg maps honour both. */
static void test_stats_ignore_top_div(void **state)
{
	struct bpfkit_out_entry e[] = {
		{ .key = KEYS(V_S64(1)), .count = 2, .total = 9 },
		{ .key = KEYS(V_S64(2)), .count = 4, .total = -10 },
	};
	struct bpfkit_out_map ms = MAP("@s", BPFKIT_OUT_STATS, 1, e);
	struct bpfkit_out_map ma = MAP("@a", BPFKIT_OUT_AVG, 1, e);
	char *got;

	(void)state;
	got = render(&ms, BPFKIT_OUT_TEXT, 1, 2);
	assert_string_equal(got, "@s[2]: count 4, average -2, total -10\n"
				 "@s[1]: count 2, average 4, total 9\n\n");
	free(got);
	got = render(&ma, BPFKIT_OUT_TEXT, 1, 2);
	assert_string_equal(got, "@a[1]: 2\n\n");
	free(got);
}

/* Strings stop at the NUL of their array, or at its end without one. */
static void test_string_array_bounds(void **state)
{
	static const char raw[4] = { 'a', 'b', 'c', 'd' };
	static const char nul[8] = { 'x', 0, 'y', 'z' };
	struct bpfkit_out_entry e[] = { { .key = KEYS(bpfkit_out_strn(raw, sizeof(raw))),
					  .value = bpfkit_out_strn(nul, sizeof(nul)) } };
	struct bpfkit_out_map m = MAP("@m", BPFKIT_OUT_PLAIN, 1, e);
	char *got;

	(void)state;
	got = render(&m, BPFKIT_OUT_TEXT, 0, 0);
	assert_string_equal(got, "@m[abcd]: x\n");
	free(got);
}

/* Values of mixed kinds in one plain map (bpftrace cannot make one): the
 * first entry makes it an integer map, so integers come first by value, the
 * rest after them by key; no crash, a stable order. */
static void test_mixed_plain(void **state)
{
	struct bpfkit_out_entry e[] = {
		{ .key = KEYS(V_S64(2)), .value = V_S64(-5) },
		{ .key = KEYS(V_S64(1)), .value = V_STR("s") },
		{ .key = KEYS(V_S64(0)), .value = V_INT(3, 1, false) },
		{ .key = KEYS(V_S64(3)), .value = V_S64(9) },
	};
	struct bpfkit_out_map m = MAP("@m", BPFKIT_OUT_PLAIN, 1, e);
	char *got;

	(void)state;
	got = render(&m, BPFKIT_OUT_TEXT, 0, 0);
	assert_string_equal(got, "@m[2]: -5\n@m[0]: 3\n@m[3]: 9\n@m[1]: s\n");
	free(got);
}

#define V_PROBE(name, id) { .kind = BPFKIT_OUT_PROBE, .s = { name, sizeof(name) - 1, id } }

/*
 * Probe keys, ordered as bpftrace 0.17 orders them: its sort_by_key() does not
 * sort probe parts (they stay in hash-table order, no set order: we take the
 * name), so a plain map goes by the other parts first; the ties of a map
 * sorted by value may come in any order there (we compare names in place);
 * hist and stats ties follow the raw key bytes, the probe ids (bpftrace prints
 * END before BEGIN when END's id is 0).
 */
static void test_probe_order(void **state)
{
	static const uint64_t b2[] = { 0, 0, 0, 1 };
	struct bpfkit_out_entry plain[] = {
		{ .key = KEYS(V_PROBE("b", 0), V_S64(2)), .value = V_STR("x") },
		{ .key = KEYS(V_PROBE("a", 1), V_S64(1)), .value = V_STR("y") },
		{ .key = KEYS(V_PROBE("c", 2), V_S64(1)), .value = V_STR("z") },
		{ .key = KEYS(V_PROBE("a", 1), V_S64(2)), .value = V_STR("w") },
	};
	struct bpfkit_out_entry counts[] = {
		{ .key = KEYS(V_PROBE("b", 0), V_S64(2)), .value = V_U64(1) },
		{ .key = KEYS(V_PROBE("c", 2), V_S64(1)), .value = V_U64(1) },
		{ .key = KEYS(V_PROBE("a", 1), V_S64(2)), .value = V_U64(1) },
		{ .key = KEYS(V_PROBE("a", 1), V_S64(1)), .value = V_U64(5) },
	};
	struct bpfkit_out_entry hists[] = {
		{ .key = KEYS(V_PROBE("BEGIN", 1)), .buckets = b2, .nbuckets = NELEM(b2) },
		{ .key = KEYS(V_PROBE("END", 0)), .buckets = b2, .nbuckets = NELEM(b2) },
	};
	struct bpfkit_out_entry stats[] = {
		{ .key = KEYS(V_PROBE("BEGIN", 1)), .count = 1, .total = 3 },
		{ .key = KEYS(V_PROBE("END", 256)), .count = 1, .total = 3 },
		{ .key = KEYS(V_PROBE("X", 2)), .count = 1, .total = 3 },
	};
	struct bpfkit_out_map mp = MAP("@p", BPFKIT_OUT_PLAIN, 2, plain);
	struct bpfkit_out_map mc = MAP("@c", BPFKIT_OUT_COUNT, 2, counts);
	struct bpfkit_out_map mh = MAP("@h", BPFKIT_OUT_HIST, 1, hists);
	struct bpfkit_out_map ms = MAP("@s", BPFKIT_OUT_STATS, 1, stats);
	char *got;

	(void)state;
	got = render(&mp, BPFKIT_OUT_TEXT, 0, 0);
	assert_string_equal(got, "@p[a, 1]: y\n@p[c, 1]: z\n@p[a, 2]: w\n@p[b, 2]: x\n");
	free(got);
	got = render(&mc, BPFKIT_OUT_TEXT, 0, 0);
	assert_string_equal(got, "@c[a, 2]: 1\n@c[b, 2]: 1\n@c[c, 1]: 1\n@c[a, 1]: 5\n");
	free(got);
	got = render(&mh, BPFKIT_OUT_TEXT, 0, 0);
	assert_non_null(strstr(got, "@h[END]: \n"));
	assert_true(strstr(got, "@h[END]") < strstr(got, "@h[BEGIN]"));
	free(got);
	/* ids compare by their little-endian bytes: 256 (00 01 ...) before 1 and 2 */
	got = render(&ms, BPFKIT_OUT_TEXT, 0, 0);
	assert_string_equal(got, "@s[END]: count 1, average 3, total 3\n"
				 "@s[BEGIN]: count 1, average 3, total 3\n"
				 "@s[X]: count 1, average 3, total 3\n\n");
	free(got);
}

static void test_messages(void **state)
{
	struct cap c;
	char *got;

	(void)state;
	cap_open(&c, BPFKIT_OUT_TEXT);
	assert_int_equal(bpfkit_out__attached(&c.o, 0), 0);
	assert_int_equal(bpfkit_out__attached(&c.o, 2), 0);
	assert_int_equal(bpfkit_out__lost(&c.o, 7), 0);
	assert_int_equal(bpfkit_out__message(&c.o, BPFKIT_OUT_MSG_JOIN, "a b", 3, true), 0);
	assert_int_equal(bpfkit_out__message(&c.o, BPFKIT_OUT_MSG_CAT, "x\"y", 3, false), 0);
	assert_int_equal(bpfkit_out__exit_maps(&c.o, NULL, 0, NULL), 0);
	got = cap_close(&c);
	assert_string_equal(got, "Attaching 0 probes...\nAttaching 2 probes...\nLost 7 events\n"
				 "a b\nx\"y\n\n");
	free(got);

	cap_open(&c, BPFKIT_OUT_JSON);
	assert_int_equal(bpfkit_out__attached(&c.o, 3), 0);
	assert_int_equal(bpfkit_out__lost(&c.o, 7), 0);
	assert_int_equal(bpfkit_out__message(&c.o, BPFKIT_OUT_MSG_JOIN, "a b", 3, true), 0);
	assert_int_equal(bpfkit_out__message(&c.o, BPFKIT_OUT_MSG_SYSCALL, "x\"y\r", 4, false), 0);
	got = cap_close(&c);
	assert_string_equal(got, "{\"type\": \"attached_probes\", \"data\": {\"probes\": 3}}\n"
				 "{\"type\": \"lost_events\", \"data\": {\"events\": 7}}\n"
				 "{\"type\": \"join\", \"data\": \"a b\"}\n"
				 "{\"type\": \"syscall\", \"data\": \"x\\\"y\\r\"}\n");
	free(got);
}

/* Malformed descriptions are refused with a reason, and nothing is written. */
static void test_malformed(void **state)
{
	uint64_t b[70] = { 0 };
	struct bpfkit_out_val loop[1];
	struct bpfkit_out_entry two[] = { { .value = V_S64(1) }, { .value = V_S64(2) } };
	struct bpfkit_out_entry hist[] = { { .buckets = b, .nbuckets = 70 } };
	struct bpfkit_out_entry lh[] = { { .buckets = b, .nbuckets = 11 } };
	struct bpfkit_out_entry odd[] = { { .value = V_INT(1, 3, true) } };
	struct bpfkit_out_entry cyc[] = { { .value = V_TUP(loop) } };
	struct bpfkit_out_entry strc[] = { { .value = V_STR("x") } };
	struct bpfkit_out_entry nokey[] = { { .value = V_S64(1) } };
	struct bpfkit_out_map bad[] = {
		MAP("@two", BPFKIT_OUT_PLAIN, 0, two),	MAP("@hist", BPFKIT_OUT_HIST, 0, hist),
		MAP("@lh", BPFKIT_OUT_LHIST, 0, lh),	MAP("@odd", BPFKIT_OUT_PLAIN, 0, odd),
		MAP("@cyc", BPFKIT_OUT_PLAIN, 0, cyc),	MAP("@cnt", BPFKIT_OUT_COUNT, 0, strc),
		MAP("@nokey", BPFKIT_OUT_PLAIN, 1, nokey), MAP(NULL, BPFKIT_OUT_PLAIN, 0, nokey),
		MAP("@agg", (enum bpfkit_out_agg)99, 0, nokey),
	};
	const struct bpfkit_out_map *ptr[] = { &bad[0] };
	struct bpfkit_out_val badstr = bpfkit_out_strn(NULL, 4);
	struct bpfkit_diag d;
	struct cap c;
	size_t i;
	char *got;

	(void)state;
	loop[0] = bpfkit_out_tuple(loop, 1);
	bad[2].lmin = 0, bad[2].lmax = 10, bad[2].lstep = 1;
	cap_open(&c, BPFKIT_OUT_TEXT);
	for (i = 0; i < NELEM(bad); i++) {
		bpfkit_diag__clear(&d);
		assert_int_equal(bpfkit_out__map(&c.o, &bad[i], 0, 0, &d), -EINVAL);
		assert_true(d.msg[0] != '\0');
	}
	bad[2].lstep = 0;
	assert_int_equal(bpfkit_out__map(&c.o, &bad[2], 0, 0, NULL), -EINVAL);
	assert_int_equal(bpfkit_out__exit_maps(&c.o, ptr, 1, NULL), -EINVAL);
	assert_int_equal(bpfkit_out__value(&c.o, &badstr, NULL), -EINVAL);
	assert_int_equal(bpfkit_out__value(&c.o, NULL, NULL), -EINVAL);
	assert_int_equal(bpfkit_out__map(NULL, &bad[0], 0, 0, NULL), -EINVAL);
	got = cap_close(&c);
	assert_int_equal(c.len, 0);
	free(got);
}

/* A stream that refuses writes gives -EIO. */
static void test_write_error(void **state)
{
	struct bpfkit_out o = { .format = BPFKIT_OUT_TEXT };
	struct bpfkit_out_val v = bpfkit_out_s64(5);

	(void)state;
	o.f = fopen("/dev/null", "r");
	assert_non_null(o.f);
	assert_int_equal(bpfkit_out__value(&o, &v, NULL), -EIO);
	assert_int_equal(bpfkit_out__attached(&o, 1), -EIO);
	fclose(o.f);
}

/* Bucket math against bpftrace 0.17's BPF code (the hist golden checks it too). */
static void test_bucket_math(void **state)
{
	(void)state;
	assert_int_equal(bpfkit_hist__index(INT64_MIN), 0);
	assert_int_equal(bpfkit_hist__index(-1), 0);
	assert_int_equal(bpfkit_hist__index(0), 1);
	assert_int_equal(bpfkit_hist__index(1), 2);
	assert_int_equal(bpfkit_hist__index(2), 3);
	assert_int_equal(bpfkit_hist__index(3), 3);
	assert_int_equal(bpfkit_hist__index(4), 4);
	assert_int_equal(bpfkit_hist__index(1023), 11);
	assert_int_equal(bpfkit_hist__index(1024), 12);
	assert_int_equal(bpfkit_hist__index(INT64_C(0x7fffffff)), 32);
	assert_int_equal(bpfkit_hist__index(INT64_C(0x80000000)), 33);
	assert_int_equal(bpfkit_hist__index(INT64_MAX), 33);

	assert_int_equal(bpfkit_lhist__nbuckets(0, 10, 1), 12);
	assert_int_equal(bpfkit_lhist__nbuckets(0, 9, 2), 6);
	assert_int_equal(bpfkit_lhist__nbuckets(0, 0, 1), 0);
	assert_int_equal(bpfkit_lhist__nbuckets(0, 10, 0), 0);
	assert_int_equal(bpfkit_lhist__nbuckets(0, INT64_C(1) << 40, 1), 0);
	assert_int_equal(bpfkit_lhist__index(-1, 0, 10, 2), 0);
	assert_int_equal(bpfkit_lhist__index(0, 0, 10, 2), 1);
	assert_int_equal(bpfkit_lhist__index(9, 0, 10, 2), 5);
	assert_int_equal(bpfkit_lhist__index(10, 0, 10, 2), 6);
	assert_int_equal(bpfkit_lhist__index(INT64_MAX, 0, 10, 2), 6);
	assert_int_equal(bpfkit_lhist__index(INT64_MIN, -5, 10, 2), 0);
	assert_int_equal(bpfkit_lhist__index(8, 0, 9, 2), 5);
	assert_int_equal(bpfkit_lhist__index(1, 0, 9, -2), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_basic),	   cmocka_unit_test(test_golden_keys),
		cmocka_unit_test(test_golden_sort),	   cmocka_unit_test(test_golden_hist),
		cmocka_unit_test(test_golden_print),	   cmocka_unit_test(test_golden_empty),
		cmocka_unit_test(test_hist_huge_counts),   cmocka_unit_test(test_hist_high_buckets),
		cmocka_unit_test(test_int_limits_top_div), cmocka_unit_test(test_stats_ignore_top_div),
		cmocka_unit_test(test_string_array_bounds), cmocka_unit_test(test_mixed_plain),
		cmocka_unit_test(test_probe_order),
		cmocka_unit_test(test_golden_stacks),	   cmocka_unit_test(test_stack_values),
		cmocka_unit_test(test_folded),
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_malformed),	   cmocka_unit_test(test_write_error),
		cmocka_unit_test(test_bucket_math),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
