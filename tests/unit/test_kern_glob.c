// SPDX-License-Identifier: MIT
/*
 * Unit tests of bpftrace-style wildcards and probe specs (src/kern/glob.c):
 * the glob matcher, provider names and aliases, splitting specs into parts,
 * and matching specs against probe names part by part.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include <bpfkit/kern.h>

static void test_glob_basics(void **state)
{
	static const struct {
		const char *pattern, *text;
		bool match;
	} cases[] = {
		{ "", "", true },
		{ "", "a", false },
		{ "*", "", true },
		{ "*", "anything:at:all", true },
		{ "abc", "abc", true },
		{ "abc", "abcd", false },
		{ "abc", "ab", false },
		{ "a?c", "abc", true },
		{ "a?c", "ac", false },
		{ "?", "", false },
		{ "sys_enter_*", "sys_enter_openat", true },
		{ "sys_enter_*", "sys_exit_openat", false },
		{ "*openat", "sys_enter_openat", true },
		{ "*openat", "sys_enter_openat2", false },
		{ "*open*", "sys_enter_openat2", true },
		{ "*a*b*c*", "xxaxxbxxcxx", true },
		{ "*a*b*c*", "xxaxxcxxbxx", false },
		{ "a*a*a", "aaaa", true },
		{ "a*a*a", "aa", false },
		{ "**", "x", true },
		{ "*?", "", false },
		{ "*?", "x", true },
		{ "sched_sw*", "sched_switch", true },
		{ "sched_sw*", "sched_wakeup", false },
		{ "vfs_???d", "vfs_read", true },
		{ "[a]", "[a]", true }, /* brackets are not special in bpftrace */
		{ "\\*", "\\x", true }, /* nor is the backslash */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool got = bpfkit_glob_match(cases[i].pattern, cases[i].text);

		if (got != cases[i].match)
			fail_msg("glob '%s' on '%s': got %d", cases[i].pattern, cases[i].text, got);
	}
	assert_false(bpfkit_glob_match(NULL, "x"));
	assert_false(bpfkit_glob_match("x", NULL));
	assert_true(bpfkit_glob_has_wildcard("a*"));
	assert_true(bpfkit_glob_has_wildcard("?"));
	assert_false(bpfkit_glob_has_wildcard("sys_enter_openat"));
	assert_false(bpfkit_glob_has_wildcard(NULL));
}

/* The classic exponential case for backtracking matchers stays fast. */
static void test_glob_is_not_exponential(void **state)
{
	char pattern[200], text[4001];
	struct timespec t0, t1;
	size_t n = 0;

	(void)state;
	for (int i = 0; i < 60; i++) {
		pattern[n++] = 'a';
		pattern[n++] = '*';
	}
	pattern[n++] = 'b';
	pattern[n] = '\0';
	memset(text, 'a', 4000);
	text[4000] = '\0';
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_false(bpfkit_glob_match(pattern, text));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_true(t1.tv_sec - t0.tv_sec < 2);
}

static void test_type_lookup(void **state)
{
	static const struct {
		const char *name;
		int type;
	} cases[] = {
		{ "tracepoint", BPFKIT_PROBE_TRACEPOINT },
		{ "t", BPFKIT_PROBE_TRACEPOINT },
		{ "rawtracepoint", BPFKIT_PROBE_RAWTRACEPOINT },
		{ "rt", BPFKIT_PROBE_RAWTRACEPOINT },
		{ "kprobe", BPFKIT_PROBE_KPROBE },
		{ "k", BPFKIT_PROBE_KPROBE },
		{ "kretprobe", BPFKIT_PROBE_KRETPROBE },
		{ "kr", BPFKIT_PROBE_KRETPROBE },
		{ "u", BPFKIT_PROBE_UPROBE },
		{ "ur", BPFKIT_PROBE_URETPROBE },
		{ "s", BPFKIT_PROBE_SOFTWARE },
		{ "software", BPFKIT_PROBE_SOFTWARE },
		{ "h", BPFKIT_PROBE_HARDWARE },
		{ "i", BPFKIT_PROBE_INTERVAL },
		{ "p", BPFKIT_PROBE_PROFILE },
		{ "BEGIN", BPFKIT_PROBE_BEGIN },
		{ "END", BPFKIT_PROBE_END },
		{ "kfunc", BPFKIT_PROBE_FENTRY },
		{ "fr", BPFKIT_PROBE_FEXIT },
		{ "U", BPFKIT_PROBE_USDT },
		{ "begin", -1 },
		{ "tracepoints", -1 },
		{ "", -1 },
		{ "T", -1 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (bpfkit_probe_type_lookup(cases[i].name) != cases[i].type)
			fail_msg("'%s': got %d, want %d", cases[i].name, bpfkit_probe_type_lookup(cases[i].name),
				 cases[i].type);
	assert_int_equal(bpfkit_probe_type_lookup(NULL), -1);
}

static void test_spec_parse(void **state)
{
	struct bpfkit_probe_spec s;
	struct bpfkit_diag d;

	(void)state;
	assert_int_equal(bpfkit_probe_spec__parse(&s, "tracepoint:syscalls:sys_enter_*", &d), 0);
	assert_int_equal(s.type, BPFKIT_PROBE_TRACEPOINT);
	assert_string_equal(s.type_part, "tracepoint");
	assert_int_equal(s.nparts, 2);
	assert_string_equal(s.parts[0], "syscalls");
	assert_string_equal(s.parts[1], "sys_enter_*");
	assert_true(s.wildcard);
	assert_false(s.whole);
	assert_string_equal(s.text, "tracepoint:syscalls:sys_enter_*");
	bpfkit_probe_spec__release(&s);

	assert_int_equal(bpfkit_probe_spec__parse(&s, "t:sched:sched_switch", &d), 0);
	assert_int_equal(s.type, BPFKIT_PROBE_TRACEPOINT);
	assert_false(s.wildcard);
	bpfkit_probe_spec__release(&s);

	assert_int_equal(bpfkit_probe_spec__parse(&s, "tr*:sched:*", &d), 0);
	assert_int_equal(s.type, -1);
	assert_string_equal(s.type_part, "tr*");
	bpfkit_probe_spec__release(&s);

	assert_int_equal(bpfkit_probe_spec__parse(&s, "kprobe", &d), 0);
	assert_int_equal(s.type, BPFKIT_PROBE_KPROBE);
	assert_int_equal(s.nparts, 0);
	assert_false(s.whole);
	bpfkit_probe_spec__release(&s);

	assert_int_equal(bpfkit_probe_spec__parse(&s, "*sched_switch*", &d), 0);
	assert_true(s.whole);
	assert_null(s.type_part);
	assert_int_equal(s.nparts, 1);
	assert_string_equal(s.parts[0], "*sched_switch*");
	bpfkit_probe_spec__release(&s);

	assert_int_equal(bpfkit_probe_spec__parse(&s, "uprobe:\"/opt/a:b/lib.so\":malloc", &d), 0);
	assert_int_equal(s.type, BPFKIT_PROBE_UPROBE);
	assert_int_equal(s.nparts, 2);
	assert_string_equal(s.parts[0], "/opt/a:b/lib.so");
	assert_string_equal(s.parts[1], "malloc");
	bpfkit_probe_spec__release(&s);

	assert_int_equal(bpfkit_probe_spec__parse(&s, "software:cpu-clock:", &d), 0);
	assert_int_equal(s.nparts, 2);
	assert_string_equal(s.parts[1], "");
	bpfkit_probe_spec__release(&s);

	/* releasing twice, or a zeroed spec, is fine */
	bpfkit_probe_spec__release(&s);
}

static void test_spec_errors(void **state)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ "", "empty probe spec" },
		{ "trcepoint:sched:x", "unknown probe type 'trcepoint'; did you mean 'tracepoint'?" },
		{ "nosuchthing:x", "unknown probe type 'nosuchthing'" },
		{ ":sched:x", "probe spec ':sched:x' has no type before ':'" },
		{ "uprobe:\"/bin/bash:readline", "probe spec 'uprobe:\"/bin/bash:readline' has an unterminated '\"'" },
		{ "t:1:2:3:4:5:6:7:8:9", "probe spec 't:1:2:3:4:5:6:7:8:9' has more than 8 ':'-separated parts" },
	};
	struct bpfkit_probe_spec s;
	struct bpfkit_diag d;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(bpfkit_probe_spec__parse(&s, cases[i].text, &d), -EINVAL);
		if (strcmp(d.msg, cases[i].msg))
			fail_msg("'%s': got '%s', want '%s'", cases[i].text, d.msg, cases[i].msg);
		assert_null(s.buf_);
	}
	assert_int_equal(bpfkit_probe_spec__parse(&s, NULL, &d), -EINVAL);
	/* exactly the maximum number of parts is fine */
	assert_int_equal(bpfkit_probe_spec__parse(&s, "t:1:2:3:4:5:6:7:8", &d), 0);
	assert_int_equal(s.nparts, 8);
	bpfkit_probe_spec__release(&s);
}

/* Does @p spec match probe @p name of @p type? */
static bool spec_matches(const char *spec, enum bpfkit_probe_type type, const char *name)
{
	struct bpfkit_probe_spec s;
	struct bpfkit_diag d;
	bool r;

	if (bpfkit_probe_spec__parse(&s, spec, &d))
		fail_msg("'%s': %s", spec, d.msg);
	r = bpfkit_probe_spec__match(&s, type, name);
	bpfkit_probe_spec__release(&s);
	return r;
}

static void test_spec_match(void **state)
{
	const enum bpfkit_probe_type TP = BPFKIT_PROBE_TRACEPOINT, RT = BPFKIT_PROBE_RAWTRACEPOINT,
				     SW = BPFKIT_PROBE_SOFTWARE, KP = BPFKIT_PROBE_KPROBE, KR = BPFKIT_PROBE_KRETPROBE;
	const char *ss = "tracepoint:sched:sched_switch";

	(void)state;
	assert_true(spec_matches("tracepoint:sched:sched_switch", TP, ss));
	assert_true(spec_matches("t:sched:sched_switch", TP, ss));
	assert_true(spec_matches("t:sched:*", TP, ss));
	assert_true(spec_matches("t:*:sched_switch", TP, ss));
	assert_true(spec_matches("t:s*:s*", TP, ss));
	assert_true(spec_matches("t:sched", TP, ss)); /* missing parts match anything */
	assert_true(spec_matches("t", TP, ss));
	assert_true(spec_matches("tracepoint", TP, ss));
	assert_true(spec_matches("*:sched:sched_switch", TP, ss));
	assert_true(spec_matches("tr*:sched:sched_switch", TP, ss));
	assert_true(spec_matches("*sched_switch*", TP, ss));
	assert_true(spec_matches("tracepoint:sched:sched_switch:*", TP, ss)); /* "" matches '*' */
	assert_false(spec_matches("tracepoint:sched:sched_switch:x", TP, ss));
	assert_false(spec_matches("t:sched:sched_wakeup", TP, ss));
	assert_false(spec_matches("t:sched*:x*", TP, ss));
	assert_false(spec_matches("t:*:*", RT, "rawtracepoint:sched_switch"));
	assert_false(spec_matches("rt:sched:*", TP, ss));
	assert_false(spec_matches("sched_switch", TP, ss)); /* whole names need the type */
	assert_false(spec_matches("t:*switch", TP, ss)); /* '*' does not cross ':' here */
	assert_true(spec_matches("t:*sched*", TP, ss));
	assert_true(spec_matches("rt:sched_sw*", RT, "rawtracepoint:sched_switch"));
	assert_true(spec_matches("rawtracepoint:*", RT, "rawtracepoint:sched_switch"));
	assert_true(spec_matches("s:cpu*", SW, "software:cpu-clock:"));
	assert_true(spec_matches("software:cpu-clock:", SW, "software:cpu-clock:"));
	assert_false(spec_matches("software:cpu-clock:100", SW, "software:cpu-clock:"));
	assert_true(spec_matches("BEGIN", BPFKIT_PROBE_BEGIN, "BEGIN"));
	assert_false(spec_matches("BEGIN", BPFKIT_PROBE_END, "END"));
	assert_false(spec_matches("BEGIN:x", BPFKIT_PROBE_BEGIN, "BEGIN"));
	assert_true(spec_matches("k*:vfs_read", KP, "kprobe:vfs_read"));
	assert_true(spec_matches("k*:vfs_read", KR, "kretprobe:vfs_read"));
	assert_false(spec_matches("k:vfs_read", KR, "kretprobe:vfs_read"));
	assert_true(spec_matches("kr:vfs_*", KR, "kretprobe:vfs_read"));
	assert_true(spec_matches("i:*", BPFKIT_PROBE_INTERVAL, "interval:s:"));
	assert_true(spec_matches("*", BPFKIT_PROBE_INTERVAL, "interval:s:"));
	assert_false(bpfkit_probe_spec__match(NULL, TP, ss));
}

static void test_may_match_type(void **state)
{
	struct bpfkit_probe_spec s;
	struct bpfkit_diag d;

	(void)state;
	assert_int_equal(bpfkit_probe_spec__parse(&s, "k*:foo", &d), 0);
	assert_true(bpfkit_probe_spec__may_match_type(&s, BPFKIT_PROBE_KPROBE));
	assert_true(bpfkit_probe_spec__may_match_type(&s, BPFKIT_PROBE_KRETPROBE));
	assert_false(bpfkit_probe_spec__may_match_type(&s, BPFKIT_PROBE_TRACEPOINT));
	bpfkit_probe_spec__release(&s);
	assert_int_equal(bpfkit_probe_spec__parse(&s, "*foo*", &d), 0);
	assert_true(bpfkit_probe_spec__may_match_type(&s, BPFKIT_PROBE_TRACEPOINT));
	bpfkit_probe_spec__release(&s);
	/* a whole-name glob: the types whose names it can begin */
	assert_int_equal(bpfkit_probe_spec__parse(&s, "k*", &d), 0);
	assert_true(bpfkit_probe_spec__may_match_type(&s, BPFKIT_PROBE_KPROBE));
	assert_true(bpfkit_probe_spec__may_match_type(&s, BPFKIT_PROBE_KRETPROBE));
	assert_false(bpfkit_probe_spec__may_match_type(&s, BPFKIT_PROBE_TRACEPOINT));
	assert_false(bpfkit_probe_spec__may_match_type(&s, BPFKIT_PROBE_HARDWARE));
	bpfkit_probe_spec__release(&s);
	assert_int_equal(bpfkit_probe_spec__parse(&s, "?r*", &d), 0);
	assert_true(bpfkit_probe_spec__may_match_type(&s, BPFKIT_PROBE_TRACEPOINT));
	assert_true(bpfkit_probe_spec__may_match_type(&s, BPFKIT_PROBE_PROFILE));
	assert_false(bpfkit_probe_spec__may_match_type(&s, BPFKIT_PROBE_KPROBE));
	bpfkit_probe_spec__release(&s);
	assert_int_equal(bpfkit_probe_spec__parse(&s, "nothing*", &d), 0);
	for (int t = 0; t <= BPFKIT_PROBE_ITER; t++)
		assert_false(bpfkit_probe_spec__may_match_type(&s, (enum bpfkit_probe_type)t));
	bpfkit_probe_spec__release(&s);
	assert_int_equal(bpfkit_probe_spec__parse(&s, "t:x:y", &d), 0);
	assert_true(bpfkit_probe_spec__may_match_type(&s, BPFKIT_PROBE_TRACEPOINT));
	assert_false(bpfkit_probe_spec__may_match_type(&s, BPFKIT_PROBE_RAWTRACEPOINT));
	bpfkit_probe_spec__release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_glob_basics),	    cmocka_unit_test(test_glob_is_not_exponential),
		cmocka_unit_test(test_type_lookup),	    cmocka_unit_test(test_spec_parse),
		cmocka_unit_test(test_spec_errors),	    cmocka_unit_test(test_spec_match),
		cmocka_unit_test(test_may_match_type),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
