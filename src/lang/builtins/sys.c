// SPDX-License-Identifier: MIT
/*
 * Functions about the system around the program: cgroupid(path), a constant
 * of the compilation (env->cgroup_id), and signal(sig), which sends a signal
 * to the current process (bpf_send_signal) and, as in bpftrace, needs
 * --unsafe (env->unsafe) and a probe that runs in a process's context;
 * reg(name), a register of a kprobe's or uprobe's context.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lang/compile_int.h"

/* cgroupid("/sys/fs/cgroup/x"): the cgroup's id, looked up while compiling. */
static int check_cgroupid(struct cctx *c, struct bpfkit_ast_expr *call, struct mapinfo *m)
{
	const struct bpfkit_ast_expr *a = call->u.call.args[0];
	uint64_t id = 0;
	int err;

	(void)m;
	if (a->kind != BPFKIT_EXPR_STR)
		return sema_error(c, a->loc, NULL, "cgroupid() expects a string literal");
	err = c->env && c->env->cgroup_id ? c->env->cgroup_id(c->env->user, a->u.str.data, &id) : -ENOSYS;
	if (err)
		return sema_error(c, call->loc, NULL, "Failed to get `cgroupid` for path: \"%s\": %s", a->u.str.data,
				  strerror(-err));
	sx_of(call)->pval = (int64_t)id;
	sx_of(call)->t = &ty_u64;
	return 0;
}

static void gen_const(struct cg *g, const struct bpfkit_ast_expr *call, int dst)
{
	cg_mov_imm(g, dst, sx_of(call)->pval);
}

/* Linux's signal numbers (x86-64, arm64 and most others), bpftrace's names. */
static const char *const signames[] = {
	[1] = "SIGHUP",	   [2] = "SIGINT",     [3] = "SIGQUIT",	  [4] = "SIGILL",   [5] = "SIGTRAP",
	[6] = "SIGABRT",   [7] = "SIGBUS",     [8] = "SIGFPE",	  [9] = "SIGKILL",  [10] = "SIGUSR1",
	[11] = "SIGSEGV",  [12] = "SIGUSR2",   [13] = "SIGPIPE",  [14] = "SIGALRM", [15] = "SIGTERM",
	[16] = "SIGSTKFLT", [17] = "SIGCHLD",  [18] = "SIGCONT",  [19] = "SIGSTOP", [20] = "SIGTSTP",
	[21] = "SIGTTIN",  [22] = "SIGTTOU",   [23] = "SIGURG",	  [24] = "SIGXCPU", [25] = "SIGXFSZ",
	[26] = "SIGVTALRM", [27] = "SIGPROF",  [28] = "SIGWINCH", [29] = "SIGIO",   [30] = "SIGPWR",
	[31] = "SIGSYS",
};

/* The number of signal @p name ("SIGKILL" or "KILL"), 0 if none. */
static int signal_number(const char *name)
{
	const char *bare = strncmp(name, "SIG", 3) ? name : name + 3;

	for (int i = 1; i < (int)(sizeof(signames) / sizeof(signames[0])); i++)
		if (!strcmp(signames[i] + 3, bare))
			return i;
	return 0;
}

/*
 * signal(sig): a name or a number from 1 to 64 (a literal is checked, an
 * expression is sent as it is). bpftrace's errors, all of them: the unsafe
 * one, then the probe type (BEGIN and END run in bpfkit's own process),
 * then the signal.
 */
static int check_signal(struct cctx *c, struct bpfkit_ast_expr *call, struct mapinfo *m)
{
	struct bpfkit_ast_expr *a = call->u.call.args[0];
	enum bpfkit_probe_type type = c->t->prov->type;
	int err = 0;
	int64_t v;

	(void)m;
	if (!c->env || !c->env->unsafe)
		err = sema_error(c, call->loc, NULL, "signal() is an unsafe function being used in safe mode");
	if (type == BPFKIT_PROBE_BEGIN || type == BPFKIT_PROBE_END || type == BPFKIT_PROBE_INTERVAL)
		err = sema_error(c, call->loc, NULL, "signal can not be used with \"%s\" probes",
				 bpfkit_probe_type_name(type));
	if (a->kind == BPFKIT_EXPR_STR) {
		sema_annot(c, a);
		v = signal_number(a->u.str.data);
		if (!v)
			return sema_error(c, call->loc, NULL, "%s is not a valid signal", a->u.str.data);
		sx_of(call)->pval = v;
		return err;
	}
	if (sema_expr(c, a))
		return -EINVAL;
	if (sx_of(a)->t->kind != BPFKIT_LANG_V_INT)
		return sema_error(c, a->loc, NULL, "signal() only accepts a signal name or number, got %s",
				  ty_name(c, sx_of(a)->t));
	if (!sema_const_int(c, a, &v) && (v < 1 || v > 64))
		return sema_error(c, call->loc, NULL, "%lld is not a valid signal, allowed range: [1,64]", (long long)v);
	return err;
}

static void gen_signal(struct cg *g, const struct bpfkit_ast_expr *call)
{
	const struct bpfkit_ast_expr *a = call->u.call.args[0];

	if (a->kind == BPFKIT_EXPR_STR) {
		cg_mov_imm(g, 1, sx_of(call)->pval);
	} else {
		int r = cg_int(g, a);

		cg_emit(g, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, 1, r, 0, 0);
		cg_free(g, r);
	}
	cg_call(g, "send_signal");
}

/* reg("name"): a register of the probe's struct pt_regs (kprobes, uprobes),
 * by bpftrace's names ("ip", "sp", "ax", ...). */
static int check_reg(struct cctx *c, struct bpfkit_ast_expr *call, struct mapinfo *m)
{
	const struct bpfkit_ast_expr *a = call->u.call.args[0];

	(void)m;
	if (!c->t->prov->pt_regs)
		return sema_error(c, call->loc, NULL, "reg can not be used with \"%s\" probes",
				  bpfkit_probe_type_name(c->t->prov->type));
	if (a->kind != BPFKIT_EXPR_STR)
		return sema_error(c, a->loc, NULL, "reg() expects a string literal");
	sema_annot(c, (struct bpfkit_ast_expr *)a);
	sx_of(call)->pval = ptregs_offset(a->u.str.data);
	if (sx_of(call)->pval < 0)
		return sema_error(c, a->loc, bpfkit_lang_suggest(a->u.str.data, ptregs_names, ptregs_nnames),
				  "'%s' is not a valid register", a->u.str.data);
	sx_of(call)->t = &ty_u64;
	return 0;
}

static void gen_reg(struct cg *g, const struct bpfkit_ast_expr *call, int dst)
{
	cg_load(g, dst, CG_CTX, (int)sx_of(call)->pval, 8, false);
}

const struct func funcs_sys[] = {
	{ .name = "reg", .min_args = 1, .max_args = 1, .check = check_reg, .gen_int = gen_reg },
	{ .name = "cgroupid", .min_args = 1, .max_args = 1, .check = check_cgroupid, .gen_int = gen_const },
	{ .name = "signal", .min_args = 1, .max_args = 1, .flags = FN_VOID, .check = check_signal,
	  .gen_stmt = gen_signal },
};
const size_t funcs_sys_n = sizeof(funcs_sys) / sizeof(funcs_sys[0]);
