/* SPDX-License-Identifier: MIT */
/*
 * A fake environment for the compiler's tests: the real layouts (from
 * tracefs on Linux 6.1, x86-64) of a few tracepoints, and wildcard expansion
 * over that list. Included by test_lang_sema.c and test_lang_codegen.c.
 */
#ifndef BPFKIT_LANG_TEST_ENV_H
#define BPFKIT_LANG_TEST_ENV_H

#include <errno.h>
#include <fnmatch.h>
#include <string.h>

#include <bpfkit/lang.h>

#define TF_COMMON                                                                              \
	{ "common_type", "unsigned short", 0, 2, 0, false, false, false, false, true },         \
	{ "common_flags", "unsigned char", 2, 1, 0, false, false, false, false, true },         \
	{ "common_preempt_count", "unsigned char", 3, 1, 0, false, false, false, false, true }, \
	{ "common_pid", "int", 4, 4, 0, true, false, false, false, true }

static const struct bpfkit_lang_field tf_openat[] = {
	TF_COMMON,
	{ "__syscall_nr", "int", 8, 4, 0, true, false, false, false, false },
	{ "dfd", "int", 16, 8, 0, false, false, false, false, false },
	{ "filename", "const char *", 24, 8, 0, false, true, false, false, false },
	{ "flags", "int", 32, 8, 0, false, false, false, false, false },
	{ "mode", "umode_t", 40, 8, 0, false, false, false, false, false },
};

static const struct bpfkit_lang_field tf_enter_read[] = {
	TF_COMMON,
	{ "__syscall_nr", "int", 8, 4, 0, true, false, false, false, false },
	{ "fd", "unsigned int", 16, 8, 0, false, false, false, false, false },
	{ "buf", "char *", 24, 8, 0, false, true, false, false, false },
	{ "count", "size_t", 32, 8, 0, false, false, false, false, false },
};

static const struct bpfkit_lang_field tf_exit_read[] = {
	TF_COMMON,
	{ "__syscall_nr", "int", 8, 4, 0, true, false, false, false, false },
	{ "ret", "long", 16, 8, 0, true, false, false, false, false },
};

static const struct bpfkit_lang_field tf_raw_enter[] = {
	TF_COMMON,
	{ "id", "long", 8, 8, 0, true, false, false, false, false },
	{ "args", "unsigned long", 16, 48, 6, false, false, false, false, false },
};

static const struct bpfkit_lang_field tf_sched_switch[] = {
	TF_COMMON,
	{ "prev_comm", "char", 8, 16, 16, false, false, false, true, false },
	{ "prev_pid", "pid_t", 24, 4, 0, true, false, false, false, false },
	{ "prev_prio", "int", 28, 4, 0, true, false, false, false, false },
	{ "prev_state", "long", 32, 8, 0, true, false, false, false, false },
	{ "next_comm", "char", 40, 16, 16, false, false, false, true, false },
	{ "next_pid", "pid_t", 56, 4, 0, true, false, false, false, false },
	{ "next_prio", "int", 60, 4, 0, true, false, false, false, false },
};

static const struct bpfkit_lang_field tf_exec[] = {
	TF_COMMON,
	{ "filename", "char", 8, 4, 0, false, false, true, true, false },
	{ "pid", "pid_t", 12, 4, 0, true, false, false, false, false },
	{ "old_pid", "pid_t", 16, 4, 0, true, false, false, false, false },
};

#define TP(s, e, f) { s ":" e, s, e, f, sizeof(f) / sizeof(f[0]) }
static const struct {
	const char *full, *sys, *ev;
	const struct bpfkit_lang_field *f;
	size_t n;
} test_tps[] = {
	TP("syscalls", "sys_enter_openat", tf_openat),
	TP("syscalls", "sys_enter_read", tf_enter_read),
	TP("syscalls", "sys_exit_read", tf_exit_read),
	TP("raw_syscalls", "sys_enter", tf_raw_enter),
	TP("sched", "sched_switch", tf_sched_switch),
	TP("sched", "sched_process_exec", tf_exec),
};

static int test_expand(void *user, enum bpfkit_probe_type type, const char *pattern, bpfkit_lang_add_fn add,
		       void *arg)
{
	static const char *const raw[] = { "sched_switch", "sched_wakeup", "sys_enter" };

	(void)user;
	if (type == BPFKIT_PROBE_TRACEPOINT) {
		for (size_t i = 0; i < sizeof(test_tps) / sizeof(test_tps[0]); i++)
			if (!fnmatch(pattern, test_tps[i].full, 0) && add(arg, test_tps[i].full))
				return -ENOMEM;
		return 0;
	}
	for (size_t i = 0; i < 3; i++)
		if (!fnmatch(pattern, raw[i], 0) && add(arg, raw[i]))
			return -ENOMEM;
	return 0;
}

static int test_tp_fields(void *user, const char *sys, const char *ev, const struct bpfkit_lang_field **f,
			  size_t *n)
{
	(void)user;
	for (size_t i = 0; i < sizeof(test_tps) / sizeof(test_tps[0]); i++) {
		if (!strcmp(test_tps[i].sys, sys) && !strcmp(test_tps[i].ev, ev)) {
			*f = test_tps[i].f;
			*n = test_tps[i].n;
			return 0;
		}
	}
	return -ENOENT;
}

/* Positional parameters as from `bpfkit trace -e PROGRAM 42 hello`. */
static const char *const test_params[] = { "42", "hello" };

static const struct bpfkit_lang_env test_env = {
	.expand = test_expand,
	.tp_fields = test_tp_fields,
	.ncpus = 4,
	.params = test_params,
	.nparams = 2,
};

/* Parse and compile @p src; the compilation stays in *l for diagnostics. */
static int test_compile(const char *file, const char *src, size_t len, struct bpfkit_lang **l,
			struct bpfkit_compiled **out)
{
	struct bpfkit_ast_program *prog;
	int err;

	*out = NULL;
	*l = bpfkit_lang__new(file, src, len);
	if (!*l)
		return -ENOMEM;
	err = bpfkit_lang__parse(*l, &prog);
	if (err)
		return err;
	return bpfkit_lang__compile(*l, prog, &test_env, out);
}

#endif /* BPFKIT_LANG_TEST_ENV_H */
