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

static const struct bpfkit_lang_field tf_execve[] = {
	TF_COMMON,
	{ "__syscall_nr", "int", 8, 4, 0, true, false, false, false, false },
	{ "filename", "const char *", 16, 8, 0, false, true, false, false, false },
	{ "argv", "const char *const *", 24, 8, 0, false, true, false, false, false },
	{ "envp", "const char *const *", 32, 8, 0, false, true, false, false, false },
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

static const struct bpfkit_lang_field tf_raw_exit[] = {
	TF_COMMON,
	{ "id", "long", 8, 8, 0, true, false, false, false, false },
	{ "ret", "long", 16, 8, 0, true, false, false, false, false },
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

static const struct bpfkit_lang_field tf_nanosleep[] = {
	TF_COMMON,
	{ "__syscall_nr", "int", 8, 4, 0, true, false, false, false, false },
	{ "rqtp", "struct __kernel_timespec *", 16, 8, 0, false, true, false, false, false },
	{ "rmtp", "struct __kernel_timespec *", 24, 8, 0, false, true, false, false, false },
};

static const struct bpfkit_lang_field tf_wakeup[] = {
	TF_COMMON,
	{ "comm", "char", 8, 16, 16, false, false, false, true, false },
	{ "pid", "pid_t", 24, 4, 0, true, false, false, false, false },
	{ "prio", "int", 28, 4, 0, true, false, false, false, false },
	{ "target_cpu", "int", 32, 4, 0, true, false, false, false, false },
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
	TP("syscalls", "sys_enter_execve", tf_execve),
	TP("raw_syscalls", "sys_enter", tf_raw_enter),
	TP("raw_syscalls", "sys_exit", tf_raw_exit),
	TP("sched", "sched_switch", tf_sched_switch),
	TP("sched", "sched_process_exec", tf_exec),
	TP("syscalls", "sys_enter_nanosleep", tf_nanosleep),
	TP("sched", "sched_wakeup", tf_wakeup),
	TP("sched", "sched_wakeup_new", tf_wakeup),
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

/*
 * A small C type provider, shaped like the kernel's BTF (ids, typedefs
 * resolved, members with bit offsets), so struct access compiles without
 * /sys/kernel/btf. task_struct here is not the kernel's: its layout is
 * TEST_TASK below, which the VM tests fill in host memory.
 */
enum {
	TT_INT = 1, TT_UINT, TT_LLONG, TT_ULONG, TT_CHAR, TT_COMM, TT_TASK, TT_SE, TT_TASK_PTR, TT_MM,
	TT_MM_PTR, TT_TIMESPEC, TT_UNION, TT_STATS, TT_ENUM, TT_OPAQUE, TT_OPAQUE_PTR, TT_UCHAR, TT_ADDR,
	TT_COUNT
};

/* The layout of the fake struct task_struct (120 bytes), for the VM tests. */
struct test_task {
	unsigned int state, flags;
	int pid, tgid;
	struct { unsigned long load, vruntime, sum; } se;
	void *real_parent, *mm;
	char comm[16];
	unsigned int in_execve : 1, in_iowait : 1;
	int prio_delta : 3;
	union { long long u_a; int u_b; };
	unsigned int stats[4];
	void *opaque;
	unsigned char addr[4];
};

static const struct bpfkit_lang_cmember tt_task_members[] = {
	{ "__state", TT_UINT, 0, 0 },
	{ "flags", TT_UINT, 32, 0 },
	{ "pid", TT_INT, 64, 0 },
	{ "tgid", TT_INT, 96, 0 },
	{ "se", TT_SE, 128, 0 },
	{ "real_parent", TT_TASK_PTR, 320, 0 },
	{ "mm", TT_MM_PTR, 384, 0 },
	{ "comm", TT_COMM, 448, 0 },
	{ "in_execve", TT_UINT, 576, 1 },
	{ "in_iowait", TT_UINT, 577, 1 },
	{ "prio_delta", TT_INT, 578, 3 },
	{ "", TT_UNION, 640, 0 },
	{ "stats", TT_STATS, 704, 0 },
	{ "opaque", TT_OPAQUE_PTR, 832, 0 },
	{ "addr", TT_ADDR, 896, 0 },
};
static const struct bpfkit_lang_cmember tt_se_members[] = {
	{ "load", TT_ULONG, 0, 0 }, { "vruntime", TT_ULONG, 64, 0 }, { "sum", TT_ULONG, 128, 0 },
};
static const struct bpfkit_lang_cmember tt_mm_members[] = {
	{ "owner", TT_TASK_PTR, 0, 0 }, { "total_vm", TT_ULONG, 64, 0 },
};
static const struct bpfkit_lang_cmember tt_ts_members[] = {
	{ "tv_sec", TT_LLONG, 0, 0 }, { "tv_nsec", TT_LLONG, 64, 0 },
};
static const struct bpfkit_lang_cmember tt_union_members[] = {
	{ "u_a", TT_LLONG, 0, 0 }, { "u_b", TT_INT, 0, 0 },
};
static const struct bpfkit_lang_cenum tt_enum_values[] = {
	{ "FAKE_A", 0 }, { "FAKE_B", 5 }, { "FAKE_NEG", -1 },
};

#define TT_MEMBERS(m) .members = m, .nmembers = sizeof(m) / sizeof(m[0])
static const struct bpfkit_lang_ctype test_types[TT_COUNT] = {
	[TT_INT] = { BPFKIT_LANG_C_INT, "int", 4, true, true },
	[TT_UINT] = { BPFKIT_LANG_C_INT, "unsigned int", 4, false, true },
	[TT_LLONG] = { BPFKIT_LANG_C_INT, "long long", 8, true, true },
	[TT_ULONG] = { BPFKIT_LANG_C_INT, "long unsigned int", 8, false, true },
	[TT_CHAR] = { BPFKIT_LANG_C_INT, "char", 1, true, true },
	[TT_COMM] = { BPFKIT_LANG_C_ARRAY, "", 16, false, true, .ref = TT_CHAR, .nelems = 16 },
	[TT_TASK] = { BPFKIT_LANG_C_STRUCT, "task_struct", 120, false, true, TT_MEMBERS(tt_task_members) },
	[TT_SE] = { BPFKIT_LANG_C_STRUCT, "sched_entity", 24, false, true, TT_MEMBERS(tt_se_members) },
	[TT_TASK_PTR] = { BPFKIT_LANG_C_PTR, "", 8, false, true, .ref = TT_TASK },
	[TT_MM] = { BPFKIT_LANG_C_STRUCT, "mm_struct", 16, false, true, TT_MEMBERS(tt_mm_members) },
	[TT_MM_PTR] = { BPFKIT_LANG_C_PTR, "", 8, false, true, .ref = TT_MM },
	[TT_TIMESPEC] = { BPFKIT_LANG_C_STRUCT, "__kernel_timespec", 16, false, true, TT_MEMBERS(tt_ts_members) },
	[TT_UNION] = { BPFKIT_LANG_C_UNION, "", 8, false, true, TT_MEMBERS(tt_union_members) },
	[TT_STATS] = { BPFKIT_LANG_C_ARRAY, "", 16, false, true, .ref = TT_UINT, .nelems = 4 },
	[TT_ENUM] = { BPFKIT_LANG_C_ENUM, "fake_state", 4, true, true, .values = tt_enum_values, .nvalues = 3 },
	[TT_OPAQUE] = { BPFKIT_LANG_C_STRUCT, "opaque", 0, false, false },
	[TT_OPAQUE_PTR] = { BPFKIT_LANG_C_PTR, "", 8, false, true, .ref = TT_OPAQUE },
	[TT_UCHAR] = { BPFKIT_LANG_C_INT, "unsigned char", 1, false, true },
	[TT_ADDR] = { BPFKIT_LANG_C_ARRAY, "", 4, false, true, .ref = TT_UCHAR, .nelems = 4 },
};

static int test_ctype_find(void *user, enum bpfkit_lang_ckind kind, const char *name, uint32_t *id)
{
	(void)user;
	if (kind == BPFKIT_LANG_C_TYPEDEF && !strcmp(name, "pid_t")) {
		*id = TT_INT;
		return 0;
	}
	for (uint32_t i = 1; i < TT_COUNT; i++) {
		if (!test_types[i].name || strcmp(test_types[i].name, name))
			continue;
		if (test_types[i].kind == kind ||
		    (kind == BPFKIT_LANG_C_TYPEDEF && test_types[i].kind == BPFKIT_LANG_C_INT)) {
			*id = i;
			return 0;
		}
	}
	return -ENOENT;
}

static int test_ctype_get(void *user, uint32_t id, struct bpfkit_lang_ctype *out)
{
	(void)user;
	if (id == 0) {
		*out = (struct bpfkit_lang_ctype){ .kind = BPFKIT_LANG_C_VOID };
		return 0;
	}
	if (id >= TT_COUNT)
		return -ENOENT;
	*out = test_types[id];
	return 0;
}

static int test_ctype_enum(void *user, const char *name, int64_t *value)
{
	(void)user;
	for (size_t i = 0; i < 3; i++) {
		if (!strcmp(tt_enum_values[i].name, name)) {
			*value = tt_enum_values[i].value;
			return 0;
		}
	}
	return -ENOENT;
}

static int test_ctype_names(void *user, enum bpfkit_lang_ckind kind, bpfkit_lang_add_fn add, void *arg)
{
	(void)user;
	if (kind == BPFKIT_LANG_C_TYPEDEF && add(arg, "pid_t"))
		return -ENOMEM;
	for (uint32_t i = 1; i < TT_COUNT; i++)
		if (test_types[i].kind == kind && test_types[i].name && test_types[i].name[0] &&
		    add(arg, test_types[i].name))
			return -ENOMEM;
	return 0;
}

/* kaddr(): "avenrun" at a fixed address, "hidden" as under kptr_restrict. */
static int test_ksym_addr(void *user, const char *name, uint64_t *addr)
{
	(void)user;
	if (!strcmp(name, "avenrun")) {
		*addr = 0xffffffff83a0c0c0ull;
		return 0;
	}
	return strcmp(name, "hidden") ? -ENOENT : -EACCES;
}

/* Uprobe targets: "/bin/app" (also "app", as found in PATH) with three
 * functions; "/bin/text" is no ELF file; anything else does not exist. */
static const struct bpfkit_lang_ufunc test_ufuncs[] = {
	{ "main", 0x401000, 64, 0x1000 },
	{ "read_line", 0x401040, 32, 0x1040 },
	{ "read_word", 0x401060, 0, 0x1060 },
};

static const char *test_ufile(const char *file)
{
	if (!strcmp(file, "/bin/app") || !strcmp(file, "app"))
		return "/bin/app";
	return NULL;
}

static int test_ufuncs_fn(void *user, const char *file, const char *pattern, const char **path,
			  bpfkit_lang_ufunc_fn add, void *arg)
{
	(void)user;
	if (!strcmp(file, "/bin/text"))
		return -ENOEXEC;
	*path = test_ufile(file);
	if (!*path)
		return -ENOENT;
	for (size_t i = 0; i < sizeof(test_ufuncs) / sizeof(test_ufuncs[0]); i++) {
		size_t n = strcspn(pattern, "*");

		if (pattern[n] ? !strncmp(test_ufuncs[i].name, pattern, n) : !strcmp(test_ufuncs[i].name, pattern)) {
			int err = add(arg, &test_ufuncs[i]);

			if (err)
				return err;
		}
	}
	return 0;
}

static int test_uaddr(void *user, const char *file, uint64_t addr, const char **path,
		      struct bpfkit_lang_ufunc *out)
{
	(void)user;
	*path = test_ufile(file);
	if (!*path)
		return -ENOENT;
	for (size_t i = 0; i < sizeof(test_ufuncs) / sizeof(test_ufuncs[0]); i++)
		if (addr >= test_ufuncs[i].addr && addr < test_ufuncs[i].addr + (test_ufuncs[i].size ? test_ufuncs[i].size : 1)) {
			*out = test_ufuncs[i];
			return 0;
		}
	return -EADDRNOTAVAIL;
}

/*
 * USDT sites of a pretend /bin/usdt_test (x86-64 struct pt_regs offsets:
 * bp 32, bx 40, ax 80, dx 96, si 104, di 112, ip 128, sp 152): registers
 * of several widths, constants, memory operands, a marker at two sites, a
 * name two providers share, a site whose arguments did not parse.
 */
static const struct bpfkit_lang_usdt_arg tu_regs[] = {
	{ BPFKIT_LANG_USDT_REG, 4, true, 0, 112, 4, 0, -1, 0 }, /* -4@%edi */
	{ BPFKIT_LANG_USDT_REG, 1, false, 0, 80, 1, 8, -1, 0 }, /* 1@%ah */
	{ BPFKIT_LANG_USDT_REG, 8, false, 0, 104, 8, 0, -1, 0 }, /* 8@%rsi */
	{ BPFKIT_LANG_USDT_REG, 2, true, 0, 96, 2, 0, -1, 0 }, /* -2@%dx */
};
static const struct bpfkit_lang_usdt_arg tu_consts[] = {
	{ BPFKIT_LANG_USDT_CONST, 4, true, -7, -1, 0, 0, -1, 0 }, /* -4@$-7 */
	{ BPFKIT_LANG_USDT_CONST, 2, true, 0xffff, -1, 0, 0, -1, 0 }, /* -2@$65535: -1 */
	{ BPFKIT_LANG_USDT_CONST, 1, false, 300, -1, 0, 0, -1, 0 }, /* 1@$300: 44 */
};
static const struct bpfkit_lang_usdt_arg tu_mem[] = {
	{ BPFKIT_LANG_USDT_MEM, 8, true, -8, 32, 0, 0, -1, 0 }, /* -8@-8(%rbp) */
	{ BPFKIT_LANG_USDT_MEM, 4, true, 4, 152, 0, 0, 40, 4 }, /* -4@4(%rsp,%rbx,4) */
	{ BPFKIT_LANG_USDT_MEM, 2, false, 16, 128, 0, 0, -1, 0 }, /* 2@sym(%rip), sym 16 past the site */
};
static const struct bpfkit_lang_usdt_arg tu_dup0[] = { { BPFKIT_LANG_USDT_REG, 8, true, 0, 112, 8, 0, -1, 0 } };
static const struct bpfkit_lang_usdt_arg tu_dup1[] = { { BPFKIT_LANG_USDT_CONST, 8, true, 5, -1, 0, 0, -1, 0 } };
static const struct bpfkit_lang_usdt_site test_usdt_sites[] = {
	{ "p", "bad", 0x1100, 0, NULL, 0, "%xmm0", "USDT argument '8@%xmm0': unknown register" },
	{ "p", "consts", 0x1200, 0, tu_consts, 3, "-4@$-7 -2@$65535 1@$300", NULL },
	{ "p", "dup", 0x1300, 0, tu_dup0, 1, "-8@%rdi", NULL },
	{ "p", "dup", 0x1310, 0, tu_dup1, 1, "-8@$5", NULL },
	{ "p", "mem", 0x1400, 0, tu_mem, 3, "-8@-8(%rbp) -4@4(%rsp,%rbx,4) 2@sym(%rip)", NULL },
	{ "p", "regs", 0x1234, 0x4050, tu_regs, 4, "-4@%edi 1@%ah 8@%rsi -2@%dx", NULL },
	{ "q", "dup", 0x1500, 0, NULL, 0, "", NULL },
};

/* The sites of /bin/usdt_test matching the globs (fnmatch's are bpftrace's for these names). */
static int test_usdt(void *user, const char *file, const char *provider, const char *name, const char **path,
		     bpfkit_lang_usdt_fn add, void *arg)
{
	(void)user;
	if (strcmp(file, "/bin/usdt_test"))
		return -ENOENT;
	*path = "/bin/usdt_test";
	for (size_t i = 0; i < sizeof(test_usdt_sites) / sizeof(test_usdt_sites[0]); i++) {
		const struct bpfkit_lang_usdt_site *s = &test_usdt_sites[i];

		if ((!provider || !fnmatch(provider, s->provider, 0)) && !fnmatch(name, s->name, 0) && add(arg, s))
			return -ENOMEM;
	}
	return 0;
}

/* Positional parameters as from `bpfkit trace -e PROGRAM 42 hello`. */
static const char *const test_params[] = { "42", "hello" };

static const struct bpfkit_lang_env test_env = {
	.expand = test_expand,
	.tp_fields = test_tp_fields,
	.ctype_find = test_ctype_find,
	.ctype_get = test_ctype_get,
	.ctype_enum = test_ctype_enum,
	.ctype_names = test_ctype_names,
	.ksym_addr = test_ksym_addr,
	.ufuncs = test_ufuncs_fn,
	.uaddr = test_uaddr,
	.usdt = test_usdt,
	.features = BPFKIT_LANG_FEAT_SDIV,
	.ncpus = 4,
	.params = test_params,
	.nparams = 2,
};

/* Parse and compile @p src in @p env; the compilation stays in *l for diagnostics. */
static int test_compile_env(const char *file, const char *src, size_t len, const struct bpfkit_lang_env *env,
			    struct bpfkit_lang **l, struct bpfkit_compiled **out)
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
	return bpfkit_lang__compile(*l, prog, env, out);
}

/* Parse and compile @p src in test_env. */
static inline int test_compile(const char *file, const char *src, size_t len, struct bpfkit_lang **l,
			       struct bpfkit_compiled **out)
{
	return test_compile_env(file, src, len, &test_env, l, out);
}

#endif /* BPFKIT_LANG_TEST_ENV_H */
