// SPDX-License-Identifier: MIT
/*
 * Unit tests of probe listing (src/kern/probes.c), the BTF name scanner
 * (src/kern/btf_scan.c), tracefs lookup and feature detection.
 *
 * Listing runs against a fake kernel built in a temporary directory: a
 * tracefs tree (events/SUBSYS/EVENT/, kprobe_events,
 * available_filter_functions), a BTF directory with a hand-made vmlinux and
 * module BTF, and a PMU directory. That way every source, and every way a
 * source can be missing, is tested without root. Tests of the live kernel
 * SKIP with the reason when it cannot be read.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <linux/perf_event.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "kern/kern_int.h"
#include "btf_test.h"

/* ---- a fake kernel ------------------------------------------------------------------------ */

struct fake {
	char root[64];
	char tracefs[128], btf[128], pmu[128], empty[128];
};

static void put_file(const char *dir, const char *name, const void *data, size_t len)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static void put_dir(const char *dir, const char *name)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(mkdir(path, 0755), 0);
}

/*
 * vmlinux: 1 int, 2 void *, 3 proto(void *), 4 ptr to 3, 5 typedef
 * btf_trace_sched_switch, 6 typedef btf_trace_foo, 7 typedef not_a_trace,
 * 8 func vfs_read. Its string section is @p *base_strs bytes.
 */
static size_t make_vmlinux(uint8_t *out, uint32_t *base_strs)
{
	struct btfw w = { .slen = 1 };
	uint32_t foo;

	btfw_type(&w, btfw_str(&w, "int", 0), 1, 0, 4);
	w.words[w.nwords++] = 32; /* INT encoding */
	btfw_type(&w, 0, 2, 0, 0);
	btfw_type(&w, 0, 13, 1, 0);
	w.words[w.nwords++] = 0; /* param name */
	w.words[w.nwords++] = 2; /* param type */
	btfw_type(&w, 0, 2, 0, 3);
	btfw_type(&w, btfw_str(&w, "btf_trace_sched_switch", 0), 8, 0, 4);
	foo = btfw_str(&w, "btf_trace_foo", 0);
	btfw_type(&w, foo, 8, 0, 4);
	btfw_type(&w, btfw_str(&w, "not_a_trace", 0), 8, 0, 1);
	btfw_type(&w, btfw_str(&w, "vfs_read", 0), 12, 0, 3);
	*base_strs = (uint32_t)w.slen;
	return btfw_blob(&w, out);
}

/* A module: 9 typedef btf_trace_mod_event (its own string), 10 a typedef
 * named by a base string (btf_trace_foo again), 11 FUNC mod_func. */
static size_t make_module(uint8_t *out, uint32_t base_strs)
{
	struct btfw w = { .slen = 1 };

	btfw_type(&w, btfw_str(&w, "btf_trace_mod_event", base_strs), 8, 0, 4);
	btfw_type(&w, 1 + 4 + 23, 8, 0, 4); /* "btf_trace_foo" in vmlinux's strings */
	btfw_type(&w, btfw_str(&w, "mod_func", base_strs), 12, 0, 3);
	return btfw_blob(&w, out);
}

static const char sched_switch_format[] = "name: sched_switch\nID: 1\nformat:\n"
					  "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n\n"
					  "\tfield:char prev_comm[16];\toffset:8;\tsize:16;\tsigned:0;\n\n"
					  "print fmt: \"%s\", REC->prev_comm\n";

/* Build the fake kernel; see the top of the file. */
static int setup(void **state)
{
	static const char *const events[][2] = {
		{ "sched", "sched_switch" }, { "sched", "sched_wakeup" },   { "syscalls", "sys_enter_openat" },
		{ "syscalls", "sys_exit_openat" }, { "ftrace", "function" }, { "kprobes", "my_probe" },
	};
	static const char funcs[] = "vfs_read\nvfs_write [ext4]\n__ftrace_invalid_address___64\nvfs_read\n";
	struct fake *f = calloc(1, sizeof(*f));
	uint8_t blob[1024];
	uint32_t base_strs;
	char dir[256];
	size_t n;

	assert_non_null(f);
	snprintf(f->root, sizeof(f->root), "/tmp/bpfkit-probes-XXXXXX");
	assert_non_null(mkdtemp(f->root));
	snprintf(f->tracefs, sizeof(f->tracefs), "%s/tracing", f->root);
	snprintf(f->btf, sizeof(f->btf), "%s/btf", f->root);
	snprintf(f->pmu, sizeof(f->pmu), "%s/pmu", f->root);
	snprintf(f->empty, sizeof(f->empty), "%s/empty", f->root);
	put_dir(f->root, "tracing");
	put_dir(f->root, "btf");
	put_dir(f->root, "pmu");
	put_dir(f->root, "empty");
	put_dir(f->tracefs, "events");
	snprintf(dir, sizeof(dir), "%s/events", f->tracefs);
	put_file(dir, "enable", "0\n", 2);
	put_file(dir, "header_page", "x\n", 2);
	for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		char sys[300], ev[400];

		snprintf(sys, sizeof(sys), "%s/%s", dir, events[i][0]);
		mkdir(sys, 0755);
		put_dir(sys, events[i][1]);
		snprintf(ev, sizeof(ev), "%s/%s", sys, events[i][1]);
		put_file(ev, "format", sched_switch_format, sizeof(sched_switch_format) - 1);
	}
	put_file(f->tracefs, "kprobe_events", "", 0);
	put_file(f->tracefs, "available_filter_functions", funcs, sizeof(funcs) - 1);
	n = make_vmlinux(blob, &base_strs);
	put_file(f->btf, "vmlinux", blob, n);
	put_file(f->btf, "mymod", blob, make_module(blob, base_strs));
	put_file(f->btf, "broken", "garbage", 7);
	put_dir(f->pmu, "software");
	put_dir(f->pmu, "cpu");
	snprintf(dir, sizeof(dir), "%s/cpu", f->pmu);
	put_file(dir, "type", "4\n", 2);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fake *f = *state;
	char cmd[200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->root);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

/* ---- listing --------------------------------------------------------------------------- */

static struct bpfkit_probe_list *list_fake(const struct fake *f, const char *pmu, const char *const *pats,
					   size_t n, struct bpfkit_diag *d)
{
	struct bpfkit_probe_opts o = { .tracefs = f->tracefs, .btf_dir = f->btf, .pmu_dir = pmu ? pmu : f->pmu };

	return bpfkit_probes__list(pats, n, &o, d);
}

static bool has(const struct bpfkit_probe_list *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->probes[i].name, name))
			return true;
	return false;
}

/* The names of @p l, joined by ' ', into @p buf. */
static const char *names(const struct bpfkit_probe_list *l, char *buf, size_t size)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < l->n && o < size; i++)
		o += (size_t)snprintf(buf + o, size - o, "%s%s", i ? " " : "", l->probes[i].name);
	return buf;
}

static void expect_list(const struct fake *f, const char *pattern, const char *want)
{
	struct bpfkit_probe_list *l;
	struct bpfkit_diag d;
	char got[4096];

	l = list_fake(f, NULL, &pattern, 1, &d);
	if (!l)
		fail_msg("'%s': %s", pattern, d.msg);
	if (strcmp(names(l, got, sizeof(got)), want))
		fail_msg("'%s':\n got  %s\n want %s", pattern, got, want);
	bpfkit_probe_list__free(l);
}

/* Everything, sorted and unique, ret probes and ftrace's events left out. */
static void test_list_all(void **state)
{
	const struct fake *f = *state;
	struct bpfkit_probe_list *l;
	struct bpfkit_diag d;

	l = list_fake(f, NULL, NULL, 0, &d);
	if (!l)
		fail_msg("%s", d.msg);
	for (size_t i = 1; i < l->n; i++)
		assert_true(strcmp(l->probes[i - 1].name, l->probes[i].name) < 0);
	assert_true(has(l, "BEGIN"));
	assert_true(has(l, "END"));
	assert_true(has(l, "interval:s:"));
	assert_true(has(l, "profile:hz:"));
	assert_true(has(l, "software:cpu-clock:"));
	assert_true(has(l, "software:bpf-output:"));
	assert_true(has(l, "hardware:cpu-cycles:"));
	assert_true(has(l, "tracepoint:sched:sched_switch"));
	assert_true(has(l, "tracepoint:kprobes:my_probe"));
	assert_false(has(l, "tracepoint:ftrace:function"));
	assert_true(has(l, "rawtracepoint:sched_switch"));
	assert_true(has(l, "rawtracepoint:foo"));
	assert_true(has(l, "rawtracepoint:mod_event"));
	assert_false(has(l, "rawtracepoint:not_a_trace"));
	assert_true(has(l, "kprobe:vfs_read"));
	assert_true(has(l, "kprobe:vfs_write"));
	assert_false(has(l, "kprobe:__ftrace_invalid_address___64"));
	assert_false(has(l, "kretprobe:vfs_read"));
	assert_int_equal(l->n, 2 + 8 + 11 + 10 + 5 + 3 + 2);
	assert_int_equal(l->nwarnings, 0);
	bpfkit_probe_list__free(l);
}

static void test_list_patterns(void **state)
{
	const struct fake *f = *state;

	expect_list(f, "t:sched:*", "tracepoint:sched:sched_switch tracepoint:sched:sched_wakeup");
	expect_list(f, "tracepoint:syscalls:sys_enter_*", "tracepoint:syscalls:sys_enter_openat");
	expect_list(f, "tracepoint:*:*openat", "tracepoint:syscalls:sys_enter_openat tracepoint:syscalls:sys_exit_openat");
	expect_list(f, "t:sched:sched_switch,t:sched:sched_switch,t:syscalls:sys_exit_openat",
		    "tracepoint:sched:sched_switch tracepoint:syscalls:sys_exit_openat");
	expect_list(f, "t:ftrace:*", "");
	expect_list(f, "*sched_switch*", "rawtracepoint:sched_switch tracepoint:sched:sched_switch");
	expect_list(f, "rt:*", "rawtracepoint:foo rawtracepoint:mod_event rawtracepoint:sched_switch");
	/* one exact name: tracefs, then vmlinux's BTF, then a module's (find_raw_tracepoint) */
	expect_list(f, "rawtracepoint:sched_switch", "rawtracepoint:sched_switch");
	expect_list(f, "rawtracepoint:foo", "rawtracepoint:foo");
	expect_list(f, "rawtracepoint:mod_event", "rawtracepoint:mod_event");
	expect_list(f, "rawtracepoint:not_a_trace", "");
	expect_list(f, "rawtracepoint:sys_enter_openat", "");
	expect_list(f, "rawtracepoint:enable", "");
	expect_list(f, "rawtracepoint:function", "");
	expect_list(f, "kr:vfs_*", "kretprobe:vfs_read kretprobe:vfs_write");
	expect_list(f, "k*:vfs_read", "kprobe:vfs_read kretprobe:vfs_read");
	expect_list(f, "s:*faults*", "software:alignment-faults: software:emulation-faults: software:major-faults: "
				     "software:minor-faults: software:page-faults:");
	expect_list(f, "h:cache*", "hardware:cache-misses: hardware:cache-references:");
	expect_list(f, "i", "interval:hz: interval:ms: interval:s: interval:us:");
	expect_list(f, "BEGIN", "BEGIN");
	expect_list(f, "*:nothing:here", "");
}

static void test_list_targets(void **state)
{
	const struct fake *f = *state;
	const char *pats[] = { "t:sched:sched_switch", "BEGIN", "s:cpu-clock" };
	struct bpfkit_probe_list *l;
	struct bpfkit_diag d;

	l = list_fake(f, NULL, pats, 3, &d);
	assert_non_null(l);
	assert_int_equal(l->n, 3);
	assert_string_equal(l->probes[0].name, "BEGIN");
	assert_string_equal(l->probes[0].target, "");
	assert_int_equal(l->probes[0].type, BPFKIT_PROBE_BEGIN);
	assert_string_equal(l->probes[1].target, "cpu-clock:");
	assert_int_equal(l->probes[1].type, BPFKIT_PROBE_SOFTWARE);
	assert_string_equal(l->probes[2].target, "sched:sched_switch");
	assert_int_equal(l->probes[2].type, BPFKIT_PROBE_TRACEPOINT);
	bpfkit_probe_list__free(l);
}

/* Missing sources: an error when asked for by name, silence or a warning otherwise. */
static void test_list_missing_sources(void **state)
{
	const struct fake *f = *state;
	struct bpfkit_probe_opts o = { .tracefs = f->empty, .btf_dir = f->empty, .pmu_dir = f->empty };
	const char *hw = "hardware:*", *kp = "kprobe:*", *tp = "t:sched:*", *star = "*";
	struct bpfkit_probe_list *l;
	struct bpfkit_diag d;

	/* no CPU PMU */
	assert_null(bpfkit_probes__list(&hw, 1, &o, &d));
	assert_non_null(strstr(d.msg, "hardware events are not available"));
	/* no kprobe_events and no kprobe PMU */
	assert_null(bpfkit_probes__list(&kp, 1, &o, &d));
	assert_int_equal(errno, EOPNOTSUPP);
	assert_string_equal(d.msg, "kprobes are not available on this kernel (CONFIG_KPROBES off or kprobe_events missing)");
	/* tracefs without events/ */
	assert_null(bpfkit_probes__list(&tp, 1, &o, &d));
	assert_non_null(strstr(d.msg, "has no events/"));
	/* a wildcard type: what exists is listed, the rest noted */
	l = bpfkit_probes__list(&star, 1, &o, &d);
	assert_non_null(l);
	assert_true(has(l, "BEGIN"));
	assert_false(has(l, "software:cpu-clock:"));
	assert_true(l->nwarnings >= 1);
	bpfkit_probe_list__free(l);
	/* a whole-name glob that could only match kprobes: nothing, and why, for that pattern */
	{
		const char *pats[] = { "k*", "BEGIN", "zz*" };

		l = bpfkit_probes__list(pats, 3, &o, &d);
		assert_non_null(l);
		assert_int_equal(l->n, 1);
		assert_int_equal(l->npatterns, 3);
		assert_false(l->patterns[0].matched);
		assert_int_equal(l->patterns[0].unavailable_type, BPFKIT_PROBE_KPROBE);
		assert_string_equal(l->patterns[0].unavailable,
				    "kprobes are not available on this kernel (CONFIG_KPROBES off or kprobe_events missing)");
		assert_true(l->patterns[1].matched);
		assert_null(l->patterns[1].unavailable);
		assert_false(l->patterns[2].matched);
		assert_null(l->patterns[2].unavailable);
		assert_int_equal(l->nwarnings, 0);
		bpfkit_probe_list__free(l);
	}
	/* no BTF: raw tracepoints from tracefs, less syscalls and dynamic events, with a warning */
	o.tracefs = f->tracefs;
	l = bpfkit_probes__list(NULL, 0, &o, &d);
	assert_non_null(l);
	assert_true(has(l, "rawtracepoint:sched_wakeup"));
	assert_false(has(l, "rawtracepoint:sys_enter_openat"));
	assert_false(has(l, "rawtracepoint:my_probe"));
	assert_false(has(l, "rawtracepoint:function"));
	assert_int_equal(l->nwarnings, 1);
	assert_non_null(strstr(l->warnings[0], "raw tracepoints are taken from tracefs"));
	bpfkit_probe_list__free(l);
}

/* What the process lacks: a tracefs whose events/ opens, one without events/. */
static void test_missing_privileges(void **state)
{
	const struct fake *f = *state;
	char why[512];

	assert_int_equal(bpfkit_kern_missing_privileges(BPFKIT_PRIV_TRACEFS, f->tracefs, why, sizeof(why)), 0);
	assert_string_equal(why, "");
	assert_int_equal(bpfkit_kern_missing_privileges(BPFKIT_PRIV_TRACEFS, f->empty, why, sizeof(why)), 1);
	assert_non_null(strstr(why, "this process cannot read "));
	assert_non_null(strstr(why, "/events: No such file or directory"));
	assert_int_equal(bpfkit_kern_missing_privileges(0, NULL, why, sizeof(why)), 0);
	assert_int_equal(bpfkit_kern_missing_privileges(0, NULL, NULL, 0), -EINVAL);
}

static void test_list_bad_specs(void **state)
{
	const struct fake *f = *state;
	const char *bad[] = { "tracepont:sched:*", ",,", "t:sched:sched_switch,", "" };
	struct bpfkit_probe_list *l;
	struct bpfkit_diag d;

	assert_null(list_fake(f, NULL, &bad[0], 1, &d));
	assert_int_equal(errno, EINVAL);
	assert_string_equal(d.msg, "unknown probe type 'tracepont'; did you mean 'tracepoint'?");
	assert_null(list_fake(f, NULL, &bad[1], 1, &d));
	assert_string_equal(d.msg, "empty probe spec");
	assert_null(list_fake(f, NULL, &bad[3], 1, &d));
	assert_string_equal(d.msg, "empty probe spec");
	/* types with no source yet say so */
	assert_null(list_fake(f, NULL, (const char *[]){ "fentry:vfs_read" }, 1, &d));
	assert_int_equal(errno, EOPNOTSUPP);
	assert_string_equal(d.msg, "listing fentry probes is not implemented yet");
	/* a uprobe listing needs a file */
	assert_null(list_fake(f, NULL, (const char *[]){ "uprobe:*:malloc" }, 1, &d));
	assert_int_equal(errno, EINVAL);
	assert_string_equal(d.msg, "listing uprobes needs a file: uprobe:FILE:FUNCTION (FUNCTION may be a wildcard)");
	assert_null(list_fake(f, NULL, (const char *[]){ "w:0x1000:8:rw" }, 1, &d));
	assert_int_equal(errno, EINVAL);
	/* a trailing ',' is harmless */
	l = list_fake(f, NULL, &bad[2], 1, &d);
	assert_non_null(l);
	assert_int_equal(l->n, 1);
	bpfkit_probe_list__free(l);
}

/* ---- the BTF scanner ------------------------------------------------------------------------ */

static int collect(void *ctx, uint32_t id, const char *name)
{
	char *buf = ctx;

	snprintf(buf + strlen(buf), 256 - strlen(buf), "%u:%s ", id, name);
	return 0;
}

static void test_btf_scan(void **state)
{
	uint8_t blob[1024], mblob[1024];
	struct kbtf base, mod;
	uint32_t base_strs;
	char got[256] = "";
	size_t n, mn;

	(void)state;
	n = make_vmlinux(blob, &base_strs);
	mn = make_module(mblob, base_strs);
	assert_int_equal(kbtf_parse(&base, blob, n, NULL), 0);
	assert_int_equal(base.ntypes, 8);
	assert_int_equal(kbtf_for_each(&base, KBTF_KIND_TYPEDEF, "btf_trace_", collect, got), 0);
	assert_string_equal(got, "5:btf_trace_sched_switch 6:btf_trace_foo ");
	assert_int_equal(kbtf_find(&base, KBTF_KIND_FUNC, "vfs_read"), 8);
	assert_int_equal(kbtf_find(&base, KBTF_KIND_FUNC, "vfs_rea"), -ENOENT);
	assert_int_equal(kbtf_find(&base, KBTF_KIND_TYPEDEF, "vfs_read"), -ENOENT);
	assert_int_equal(kbtf_parse(&mod, mblob, mn, &base), 0);
	assert_int_equal(mod.first_id, 9);
	got[0] = '\0';
	kbtf_for_each(&mod, KBTF_KIND_TYPEDEF, "", collect, got);
	assert_string_equal(got, "9:btf_trace_mod_event 10:btf_trace_foo ");
	assert_int_equal(kbtf_find(&mod, KBTF_KIND_FUNC, "mod_func"), 11);
	kbtf_release(&mod);

	/* every truncation is refused, never read past */
	for (size_t len = 0; len < n; len++) {
		struct kbtf t;

		if (kbtf_parse(&t, blob, len, NULL) == 0)
			fail_msg("a BTF cut to %zu of %zu bytes parsed", len, n);
	}
	/* a wrong magic, an unknown kind */
	blob[0] ^= 1;
	assert_int_equal(kbtf_parse(&mod, blob, n, NULL), -EINVAL);
	blob[0] ^= 1;
	blob[24 + 7] = 31; /* kind of the first type */
	assert_int_equal(kbtf_parse(&mod, blob, n, NULL), -EINVAL);
	kbtf_release(&base);
	kbtf_release(&mod); /* released twice is fine */
}

/* The kernel's own BTF, when it has one: raw tracepoints include sched_switch. */
static void test_btf_live(void **state)
{
	struct kbtf btf;
	int err;

	(void)state;
	err = kbtf_load(&btf, "/sys/kernel/btf/vmlinux", NULL);
	if (err) {
		print_message("# SKIP /sys/kernel/btf/vmlinux: %s\n", strerror(-err));
		skip();
	}
	assert_true(btf.ntypes > 1000);
	assert_true(kbtf_find(&btf, KBTF_KIND_TYPEDEF, "btf_trace_sched_switch") > 0);
	kbtf_release(&btf);
}

/* ---- perf events, tracefs, features -------------------------------------------------------- */

static void test_perf_event_lookup(void **state)
{
	const struct bpfkit_perf_event_desc *e;

	(void)state;
	e = bpfkit_perf_event_lookup(BPFKIT_PROBE_SOFTWARE, "cpu");
	assert_non_null(e);
	assert_string_equal(e->name, "cpu-clock");
	assert_int_equal(e->default_period, 1000000);
	e = bpfkit_perf_event_lookup(BPFKIT_PROBE_SOFTWARE, "faults");
	assert_non_null(e);
	assert_string_equal(e->name, "page-faults");
	assert_non_null(bpfkit_perf_event_lookup(BPFKIT_PROBE_SOFTWARE, "bpf-output"));
	e = bpfkit_perf_event_lookup(BPFKIT_PROBE_HARDWARE, "cycles");
	assert_non_null(e);
	assert_string_equal(e->name, "cpu-cycles");
	assert_null(bpfkit_perf_event_lookup(BPFKIT_PROBE_HARDWARE, "cpu-clock"));
	assert_null(bpfkit_perf_event_lookup(BPFKIT_PROBE_TRACEPOINT, "cpu"));
	assert_null(bpfkit_perf_event_lookup(BPFKIT_PROBE_SOFTWARE, NULL));
}

/* The tables -l lists and the compiler checks names against: sorted (the
 * listing's order), every name and alias found, of the right perf type. */
static void test_perf_event_tables(void **state)
{
	static const enum bpfkit_probe_type types[] = { BPFKIT_PROBE_SOFTWARE, BPFKIT_PROBE_HARDWARE };
	const struct bpfkit_perf_event_desc *t;
	size_t n;

	(void)state;
	for (size_t k = 0; k < 2; k++) {
		t = bpfkit_perf_events(types[k], &n);
		assert_non_null(t);
		assert_int_equal(n, k == 0 ? 11 : 10);
		for (size_t i = 0; i < n; i++) {
			assert_true(i == 0 || strcmp(t[i - 1].name, t[i].name) < 0);
			assert_ptr_equal(bpfkit_perf_event_lookup(types[k], t[i].name), &t[i]);
			if (t[i].alias)
				assert_ptr_equal(bpfkit_perf_event_lookup(types[k], t[i].alias), &t[i]);
			assert_int_equal(t[i].perf_type, k == 0 ? PERF_TYPE_SOFTWARE : PERF_TYPE_HARDWARE);
			assert_true(t[i].default_period > 0);
		}
	}
	assert_null(bpfkit_perf_events(BPFKIT_PROBE_PROFILE, &n));
	assert_int_equal(n, 0);
}

static void test_tracefs_find(void **state)
{
	char buf[4096], tiny[4];
	struct bpfkit_diag d;
	int err;

	(void)state;
	assert_int_equal(bpfkit_tracefs_find(NULL, 0, 0, &d), -EINVAL);
	err = bpfkit_tracefs_find(buf, sizeof(buf), 0, &d);
	if (err) {
		/* the message says how to get one */
		assert_true(strstr(d.msg, "mount -t tracefs") || strstr(d.msg, "needs root"));
		print_message("# SKIP no tracefs here: %s\n", d.msg);
		skip();
	}
	assert_true(buf[0] == '/');
	assert_int_equal(bpfkit_tracefs_find(tiny, sizeof(tiny), 0, &d), -ENAMETOOLONG);
}

/* Every feature answers 0 or 1 with a reason when 0, and the answers agree with each other. */
static void test_features(void **state)
{
	int have[BPFKIT_FEATURE__COUNT];
	char why[512], kwhy[256], root[4096];

	(void)state;
	for (int f = 0; f < BPFKIT_FEATURE__COUNT; f++) {
		memset(why, 'x', sizeof(why));
		have[f] = bpfkit_feature_probe((enum bpfkit_feature)f, why, sizeof(why));
		assert_true(have[f] == 0 || have[f] == 1);
		if (have[f] == 0)
			assert_true(why[0] && why[0] != 'x' && strlen(why) < sizeof(why));
		else
			assert_string_equal(why, "");
		assert_string_not_equal(bpfkit_feature_name((enum bpfkit_feature)f), "unknown");
		print_message("# %-15s %s%s\n", bpfkit_feature_name((enum bpfkit_feature)f), have[f] ? "yes" : "no: ",
			      have[f] ? "" : why);
	}
	assert_int_equal(bpfkit_feature_probe(BPFKIT_FEATURE__COUNT, why, sizeof(why)), -EINVAL);
	assert_int_equal(bpfkit_feature_probe((enum bpfkit_feature)-1, NULL, 0), -EINVAL);
	assert_string_equal(bpfkit_feature_name(BPFKIT_FEATURE__COUNT), "unknown");
	/* programs need bpf(); typed ones need BTF too */
	if (!have[BPFKIT_FEATURE_BPF]) {
		assert_false(have[BPFKIT_FEATURE_RAW_TP]);
		assert_false(have[BPFKIT_FEATURE_TP_BTF]);
		assert_false(have[BPFKIT_FEATURE_FENTRY]);
	}
	if (!have[BPFKIT_FEATURE_BTF])
		assert_false(have[BPFKIT_FEATURE_TP_BTF]);
	if (!have[BPFKIT_FEATURE_TRACEFS])
		assert_false(have[BPFKIT_FEATURE_TRACEPOINT]);
	if (bpfkit_tracefs_find(root, sizeof(root), 0, NULL))
		root[0] = '\0';
	if (!feature_have_kprobes(NULL, root[0] ? root : NULL, kwhy, sizeof(kwhy))) {
		assert_false(have[BPFKIT_FEATURE_KPROBE]);
		assert_string_equal(kwhy, "kprobes are not available on this kernel (CONFIG_KPROBES off or kprobe_events missing)");
	}
}

/* The live kernel: tracepoints as available_events lists them (ftrace's aside). */
static void test_list_live(void **state)
{
	const char *pat = "t:sched:sched_switch", *all = "tracepoint:*";
	struct bpfkit_probe_list *l;
	struct bpfkit_diag d;
	char root[4096], path[4200], *text;
	size_t len, lines = 0;

	(void)state;
	if (bpfkit_tracefs_find(root, sizeof(root), 0, &d)) {
		print_message("# SKIP %s\n", d.msg);
		skip();
	}
	snprintf(path, sizeof(path), "%s/available_events", root);
	if (kern_read_file(AT_FDCWD, path, 1u << 24, &text, &len)) {
		print_message("# SKIP cannot read %s (not root?)\n", path);
		skip();
	}
	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	free(text);
	l = bpfkit_probes__list(&pat, 1, NULL, &d);
	if (!l)
		fail_msg("%s", d.msg);
	assert_int_equal(l->n, 1);
	bpfkit_probe_list__free(l);
	l = bpfkit_probes__list(&all, 1, NULL, &d);
	assert_non_null(l);
	print_message("# %zu tracepoints listed, %zu lines in available_events\n", l->n, lines);
	assert_int_equal(l->n, lines);
	bpfkit_probe_list__free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_list_all, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_patterns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_targets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_missing_sources, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_bad_specs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_privileges, setup, teardown),
		cmocka_unit_test(test_btf_scan),
		cmocka_unit_test(test_btf_live),
		cmocka_unit_test(test_perf_event_lookup),
		cmocka_unit_test(test_perf_event_tables),
		cmocka_unit_test(test_tracefs_find),
		cmocka_unit_test(test_features),
		cmocka_unit_test(test_list_live),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
