// SPDX-License-Identifier: MIT
/*
 * Kernel stacks and symbols: kstack, kstack(N), kstack(mode[, N]) and
 * ksym(addr), as in bpftrace 0.17 (plus its later `raw` mode).
 *
 * A stack is an s64 id that bpf_get_stackid() returns for the frames it
 * stored in a BPF_MAP_TYPE_STACK_TRACE map, one map per depth used (kstack(3)
 * and kstack must not share one: stacks equal in their first 3 frames would
 * get different ids, and print as several keys with the same text). The
 * mode only changes how user space prints the frames, so it is in the type,
 * not in the map. The flags are 0, as bpftrace passes them: no
 * BPF_F_REUSE_STACKID, which would let a new stack overwrite the frames of
 * an old id that a map key still holds; so when a hash bucket of the stack
 * map is taken (-EEXIST) or the map is full (-ENOMEM), the call fails, the
 * negative id is kept (it prints as an empty stack), and the failure is
 * counted in BPFKIT_LANG_STACK_LOST_MAP for the runner to report. -EFAULT
 * is no failure: there was no stack to take (kstack where a timer
 * interrupted user space); bpftrace prints it as an empty stack too.
 *
 * ksym(addr) is the address with a type that user space prints as the
 * name of the kernel symbol holding it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lang/compile_int.h"

const struct bpfkit_lang_vtype ty_kstack = { .kind = BPFKIT_LANG_V_STACK, .size = 8,
					     .stack_depth = BPFKIT_LANG_STACK_DEPTH };
static const struct bpfkit_lang_vtype ty_ksym = { .kind = BPFKIT_LANG_V_KSYM, .size = 8 };

const char *bpfkit_lang_stack_map(char *buf, size_t size, const struct bpfkit_lang_vtype *t)
{
	snprintf(buf, size, ".%cstack%u", t->stack_user ? 'u' : 'k', t->stack_depth);
	return buf;
}

/* Note that a kernel stack of @p depth frames is used (its map is needed). */
static int stack_use(struct cctx *c, uint32_t depth, struct bpfkit_loc loc)
{
	for (size_t i = 0; i < c->nkstack_depths; i++)
		if (c->kstack_depths[i] == depth)
			return 0;
	if (c->nkstack_depths == sizeof(c->kstack_depths) / sizeof(c->kstack_depths[0]))
		return sema_error(c, loc, NULL, "too many different kstack depths (at most %zu)",
				  sizeof(c->kstack_depths) / sizeof(c->kstack_depths[0]));
	c->kstack_depths[c->nkstack_depths++] = depth;
	return 0;
}

/* Stacks come from bpf_get_stackid(ctx): a probe with a context. */
static int stack_where(struct cctx *c, struct bpfkit_loc loc, const char *what)
{
	switch (c->t->prov->type) {
	case BPFKIT_PROBE_BEGIN:
	case BPFKIT_PROBE_END:
		return sema_error(c, loc, NULL, "%s cannot be used in %s probes", what,
				  bpfkit_probe_type_name(c->t->prov->type));
	default:
		return 0;
	}
}

int stack_check_builtin(struct cctx *c, const struct bpfkit_ast_expr *e)
{
	return stack_where(c, e->loc, "kstack") ?: stack_use(c, BPFKIT_LANG_STACK_DEPTH, e->loc);
}

/*
 * kstack(N), kstack(mode), kstack(mode, N): the mode an identifier (bpftrace,
 * perf, raw), N an integer literal from 1 to BPFKIT_LANG_STACK_MAX_DEPTH;
 * bpftrace 0.17's messages.
 */
static int check_kstack(struct cctx *c, struct bpfkit_ast_expr *call, struct mapinfo *assigned)
{
	struct bpfkit_lang_vtype *t;
	size_t n = call->u.call.nargs, i = 0;
	int mode = 0;
	int64_t depth = BPFKIT_LANG_STACK_DEPTH;

	(void)assigned;
	if (stack_where(c, call->loc, "kstack"))
		return -EINVAL;
	if (n && call->u.call.args[0]->kind == BPFKIT_EXPR_IDENT) {
		const struct bpfkit_ast_expr *m = call->u.call.args[0];
		const char *name = m->u.ident.name;

		if (!strcmp(name, "bpftrace"))
			mode = 0;
		else if (!strcmp(name, "perf"))
			mode = 1;
		else if (!strcmp(name, "raw"))
			mode = 2;
		else
			return sema_error(c, m->loc, NULL, "Unknown stack mode: '%s' (bpftrace, perf or raw)",
					  name);
		i = 1;
	} else if (n == 2) {
		return sema_error(c, call->u.call.args[0]->loc, NULL,
				  "kstack() expects a stack mode literal (bpftrace, perf or raw)");
	}
	if (i < n) {
		const struct bpfkit_ast_expr *a = call->u.call.args[i];

		if (a->kind != BPFKIT_EXPR_INT)
			return sema_error(c, a->loc, NULL, "kstack() expects an integer literal as its limit");
		depth = (int64_t)a->u.num.value;
		if (depth < 1 || depth > BPFKIT_LANG_STACK_MAX_DEPTH)
			return sema_error(c, a->loc, NULL, "kstack() limit must be between 1 and %d",
					  BPFKIT_LANG_STACK_MAX_DEPTH);
	}
	if (stack_use(c, (uint32_t)depth, call->loc))
		return -EINVAL;
	t = arena_alloc(c->oa, sizeof(*t));
	*t = ty_kstack;
	t->stack_depth = (uint32_t)depth;
	t->stack_mode = (uint8_t)mode;
	sx_of(call)->t = t;
	return 0;
}

/*
 * dst = get_stackid(ctx, stack map, 0); when it fails (negative) other than
 * with -EFAULT (no stack here), add one to this CPU's slot of
 * BPFKIT_LANG_STACK_LOST_MAP. dst is a pool register (r6-r8), which the
 * helper calls keep.
 */
static void gen_stackid(struct cg *g, const struct bpfkit_lang_vtype *t, int dst)
{
	char name[32];
	int sp = g->sp, key = cg_stack(g, 8), done = cg_label(g);

	bpfkit_lang_stack_map(name, sizeof(name), t);
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, 1, CG_CTX, 0, 0);
	cg_ld_map(g, 2, arena_strndup(g->c->oa, name, strlen(name)));
	cg_mov_imm(g, 3, 0);
	cg_call(g, "get_stackid");
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, dst, 0, 0, 0);
	cg_jmp(g, BPFKIT_JSGE, 0, -1, 0, done);
	cg_jmp(g, BPFKIT_JEQ, 0, -1, -EFAULT, done);
	cg_zero(g, key, 8);
	cg_count_lost(g, BPFKIT_LANG_STACK_LOST_MAP, BPFKIT_REG_FP, key, done);
	cg_place(g, done);
	g->sp = sp;
}

void stack_gen_builtin(struct cg *g, const struct bpfkit_ast_expr *e, int dst)
{
	(void)e;
	gen_stackid(g, &ty_kstack, dst);
}

static void gen_kstack(struct cg *g, const struct bpfkit_ast_expr *call, int dst)
{
	gen_stackid(g, sx_of(call)->t, dst);
}

/* ksym(addr): any integer; user space names it. */
static int check_ksym(struct cctx *c, struct bpfkit_ast_expr *call, struct mapinfo *assigned)
{
	struct bpfkit_ast_expr *a = call->u.call.args[0];

	(void)assigned;
	if (sema_expr(c, a))
		return -EINVAL;
	if (!sx_of(a)->t || sx_of(a)->t->kind != BPFKIT_LANG_V_INT)
		return sema_error(c, a->loc, NULL, "ksym() expects an integer or a pointer, got %s",
				  ty_name(c, sx_of(a)->t));
	sx_of(call)->t = &ty_ksym;
	return 0;
}

static void gen_ksym(struct cg *g, const struct bpfkit_ast_expr *call, int dst)
{
	int r = cg_int(g, call->u.call.args[0]);

	cg_emit(g, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, dst, r, 0, 0);
	cg_free(g, r);
}

const struct func funcs_stack[] = {
	{ .name = "kstack", .min_args = 0, .max_args = 2, .check = check_kstack, .gen_int = gen_kstack },
	{ .name = "ksym", .min_args = 1, .max_args = 1, .check = check_ksym, .gen_int = gen_ksym },
};
const size_t funcs_stack_n = sizeof(funcs_stack) / sizeof(funcs_stack[0]);
