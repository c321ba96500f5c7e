// SPDX-License-Identifier: MIT
/*
 * Builtin variables: pid, tid, uid, gid, nsecs, cpu, comm, cgroup, numaid,
 * rand, curtask. Each is one helper call (kernel numbers, looked up by name
 * in the instruction layer's table) and perhaps a shift or a 32-bit move.
 * Also elapsed (nsecs minus the start time the runner stores in
 * BPFKIT_LANG_START_MAP), probe (the target's probe id, a constant) and
 * cpid (the -c child's pid, from the environment, a constant); func (a
 * kprobe's or uprobe's function) and retval (a return probe's return
 * value, providers/ptregs.c). kstack is in builtins/stack.c; ustack and the other names bpfkit lacks
 * are in builtins/todo.c.
 */
#include <string.h>

#include "lang/compile_int.h"

static void mov_r0(struct cg *g, int dst)
{
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, dst, 0, 0, 0);
}

/* dst = low 32 bits of r0 (a 32-bit move zero-extends) */
static void low32(struct cg *g, int dst)
{
	cg_emit(g, BPFKIT_ALU | BPFKIT_MOV | BPFKIT_X, dst, 0, 0, 0);
}

static void high32(struct cg *g, int dst)
{
	mov_r0(g, dst);
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_RSH | BPFKIT_K, dst, 0, 0, 32);
}

static void gen_pid(struct cg *g, const struct bpfkit_ast_expr *e, int dst)
{
	(void)e;
	cg_call(g, "get_current_pid_tgid");
	high32(g, dst);
}

static void gen_tid(struct cg *g, const struct bpfkit_ast_expr *e, int dst)
{
	(void)e;
	cg_call(g, "get_current_pid_tgid");
	low32(g, dst);
}

static void gen_uid(struct cg *g, const struct bpfkit_ast_expr *e, int dst)
{
	(void)e;
	cg_call(g, "get_current_uid_gid");
	low32(g, dst);
}

static void gen_gid(struct cg *g, const struct bpfkit_ast_expr *e, int dst)
{
	(void)e;
	cg_call(g, "get_current_uid_gid");
	high32(g, dst);
}

#define SIMPLE(fn, helper)                                                          \
	static void fn(struct cg *g, const struct bpfkit_ast_expr *e, int dst)      \
	{                                                                           \
		(void)e;                                                            \
		cg_call(g, helper);                                                 \
		mov_r0(g, dst);                                                     \
	}

SIMPLE(gen_nsecs, "ktime_get_ns")
SIMPLE(gen_cgroup, "get_current_cgroup_id")
SIMPLE(gen_curtask, "get_current_task")

static void gen_cpu(struct cg *g, const struct bpfkit_ast_expr *e, int dst)
{
	(void)e;
	cg_call(g, "get_smp_processor_id");
	low32(g, dst);
}

static void gen_numaid(struct cg *g, const struct bpfkit_ast_expr *e, int dst)
{
	(void)e;
	cg_call(g, "get_numa_node_id");
	low32(g, dst);
}

static void gen_rand(struct cg *g, const struct bpfkit_ast_expr *e, int dst)
{
	(void)e;
	cg_call(g, "get_prandom_u32");
	low32(g, dst);
}

/* cpid: the -c child's pid, a constant (the runner forks it before compiling). */
static void gen_cpid(struct cg *g, const struct bpfkit_ast_expr *e, int dst)
{
	(void)e;
	cg_mov_imm(g, dst, g->c->env->cpid);
}

/* cpid without -c: bpftrace 0.17's message, and the option that gives it. */
static int check_cpid(struct cctx *c, const struct bpfkit_ast_expr *e)
{
	if (c->env && c->env->cpid)
		return 0;
	return sema_error(c, e->loc, NULL, "cpid cannot be used without child command (-c CMD)");
}

/* comm: get_current_comm() into a zeroed buffer (the kernel pads too, but a
 * smaller destination must still be fully defined). */
static void gen_comm(struct cg *g, const struct bpfkit_ast_expr *e, int off, uint32_t size)
{
	(void)e;
	cg_zero(g, off, (size + 7) & ~7u);
	cg_fp_addr(g, 1, off);
	cg_mov_imm(g, 2, size < 16 ? size : 16);
	cg_call(g, "get_current_comm");
}

/*
 * elapsed: ktime_get_ns() - start, start being slot 0 of
 * BPFKIT_LANG_START_MAP (written by the runner before BEGIN, as bpftrace
 * does). 0 while the slot is still 0, so a probe firing before the runner
 * wrote it does not see the whole uptime.
 */
static void gen_elapsed(struct cg *g, const struct bpfkit_ast_expr *e, int dst)
{
	int sp = g->sp, key = cg_stack(g, 8), zero = cg_label(g), end = cg_label(g);

	(void)e;
	cg_call(g, "ktime_get_ns");
	mov_r0(g, dst);
	cg_zero(g, key, 8);
	cg_ld_map(g, 1, BPFKIT_LANG_START_MAP);
	cg_fp_addr(g, 2, key);
	cg_call_unchecked(g, "map_lookup_elem"); /* an array's slot: never misses */
	cg_jmp(g, BPFKIT_JEQ, 0, -1, 0, zero);
	cg_load(g, 1, 0, 0, 8, false);
	cg_jmp(g, BPFKIT_JEQ, 1, -1, 0, zero);
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_SUB | BPFKIT_X, dst, 1, 0, 0);
	cg_goto(g, end);
	cg_place(g, zero);
	cg_mov_imm(g, dst, 0);
	cg_place(g, end);
	g->sp = sp;
}

/*
 * probe: the id of this program's target, a constant: its name's index in
 * bpfkit_compiled.probe_names, added on first use, so ids follow the order
 * of code generation and one name has one id, as bpftrace 0.17 numbers
 * them (and as it does, user space prints the name). Eight bytes where the
 * name took up to 64 make map keys and records smaller and cheaper to hash.
 */
static void gen_probe(struct cg *g, const struct bpfkit_ast_expr *e, int dst)
{
	struct cctx *c = g->c;
	size_t id;

	(void)e;
	for (id = 0; id < c->probe_names.n; id++)
		if (!strcmp(c->probe_names.items[id], c->t->name))
			break;
	if (id == c->probe_names.n)
		ptrvec_push(c->a, &c->probe_names, arena_strndup(c->oa, c->t->name, strlen(c->t->name)));
	cg_mov_imm(g, dst, (int64_t)id);
}

/*
 * func: the traced function, which only kprobes, uprobes and fentry probes
 * have. Each function a wildcard matches is its own program, so here it is
 * a constant, the function's name, written into the frame (bpftrace 0.17
 * looks the instruction pointer up in user space; a uprobe at FUNC+OFF or
 * an address names the function holding it all the same).
 */
static int check_func(struct cctx *c, const struct bpfkit_ast_expr *e)
{
	switch (c->t->prov->type) {
	case BPFKIT_PROBE_KPROBE:
	case BPFKIT_PROBE_KRETPROBE:
	case BPFKIT_PROBE_UPROBE:
	case BPFKIT_PROBE_URETPROBE:
		return 0;
	case BPFKIT_PROBE_FENTRY:
	case BPFKIT_PROBE_FEXIT:
		return sema_error(c, e->loc, NULL, "the func builtin is not yet supported by bpfkit");
	default:
		return sema_error(c, e->loc, NULL, "The func builtin can not be used with '%s' probes",
				  bpfkit_probe_type_name(c->t->prov->type));
	}
}

static void gen_func(struct cg *g, const struct bpfkit_ast_expr *e, int off, uint32_t size)
{
	const char *f = g->c->t->func ? g->c->t->func : "";

	(void)e;
	cg_store_bytes(g, f, strlen(f), off, size);
}

/* retval: the return value register of a return probe. */
static int check_retval(struct cctx *c, const struct bpfkit_ast_expr *e)
{
	if (c->t->prov->retval)
		return 0;
	return sema_error(c, e->loc, NULL, "The retval builtin can only be used with 'kretprobe' and 'uretprobe' "
			  "and 'kfunc' probes%s", c->t->prov->type == BPFKIT_PROBE_TRACEPOINT ?
			  " (try to use args->ret instead)" : "");
}

static void gen_retval(struct cg *g, const struct bpfkit_ast_expr *e, int dst)
{
	(void)e;
	ptregs_gen_retval(g, dst);
}

/* username: the uid, which user space prints as the user's name. */
static void gen_username(struct cg *g, const struct bpfkit_ast_expr *e, int off, uint32_t size)
{
	(void)size;
	gen_uid(g, e, 0);
	cg_emit(g, BPFKIT_STX | BPFKIT_MEM | BPFKIT_DW, BPFKIT_REG_FP, 0, (int16_t)off, 0);
}

static const struct bpfkit_lang_vtype ty_user = { .kind = BPFKIT_LANG_V_USER, .size = 8 };

static const struct builtin builtins[] = {
	{ "pid", &ty_u64, 0, gen_pid, NULL },
	{ "tid", &ty_u64, 0, gen_tid, NULL },
	{ "cpid", &ty_u64, 0, gen_cpid, NULL, check_cpid },
	{ "uid", &ty_u64, 0, gen_uid, NULL },
	{ "gid", &ty_u64, 0, gen_gid, NULL },
	{ "nsecs", &ty_u64, 0, gen_nsecs, NULL },
	{ "cpu", &ty_u64, 0, gen_cpu, NULL },
	{ "cgroup", &ty_u64, 0, gen_cgroup, NULL },
	{ "numaid", &ty_u64, 0, gen_numaid, NULL },
	{ "rand", &ty_u64, 0, gen_rand, NULL },
	{ "curtask", &ty_u64, 0, gen_curtask, NULL },
	{ "comm", NULL, 16, NULL, gen_comm },
	{ "username", &ty_user, 0, NULL, gen_username },
	{ "elapsed", &ty_u64, 0, gen_elapsed, NULL },
	{ "probe", &ty_probe, 0, gen_probe, NULL },
	{ "kstack", &ty_kstack, 0, stack_gen_builtin, NULL, stack_check_builtin, stack_builtin_type },
	{ "ustack", &ty_ustack, 0, stack_gen_builtin, NULL, stack_check_builtin, stack_builtin_type },
	{ "retval", &ty_u64, 0, gen_retval, NULL, check_retval },
	{ .name = "func", .str_size = BPFKIT_LANG_STRLEN, .gen_store = gen_func, .check = check_func },
};

const char *const builtin_names[] = {
	"pid", "tid", "cpid", "uid", "gid", "nsecs", "cpu", "cgroup", "numaid", "rand", "curtask", "comm",
	"username",
	"elapsed", "probe", "func", "retval", "kstack", "ustack",
	"args", "arg0", "arg1", "arg2", "arg3", "arg4", "arg5",
};
const size_t builtin_nnames = sizeof(builtin_names) / sizeof(builtin_names[0]);

const struct builtin *builtin_find(const char *name)
{
	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		if (!strcmp(builtins[i].name, name))
			return &builtins[i];
	return NULL;
}
