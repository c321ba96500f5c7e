// SPDX-License-Identifier: MIT
/*
 * String functions: str(ptr [, n]), strncmp(a, b, n), strcontains(h, n),
 * strerror(errno) (a value user space prints as strerror(3) text) and
 * kaddr(name).
 *
 * str() reads a NUL-terminated string into a zeroed buffer of n bytes (64 by
 * default, bpftrace's BPFTRACE_STRLEN) with probe_read_user_str when the
 * pointer comes from user space (syscall tracepoint arguments), else with
 * probe_read_kernel_str. Given a string, it is that string.
 */
#include <errno.h>
#include <string.h>

#include "lang/compile_int.h"

static int check_str(struct cctx *c, struct bpfkit_ast_expr *call, struct mapinfo *m)
{
	struct bpfkit_ast_expr *a = call->u.call.args[0];
	uint32_t size = sema_strlen(c);
	int err;

	(void)m;
	if (a->kind == BPFKIT_EXPR_PARAM && a->u.param.n) {
		/* str($N): the parameter's text ("" when missing) */
		const char *p = sema_param(c, a->u.param.n);

		sema_annot(c, a);
		size = p ? (uint32_t)strnlen(p, 199) + 1 : 1;
		if (call->u.call.nargs == 2)
			return sema_error(c, call->u.call.args[1]->loc, NULL, "str($N) takes no length");
		sx_of(a)->t = ty_str(c, size);
		sx_of(call)->t = sx_of(a)->t;
		return 0;
	}
	err = sema_expr(c, a);
	if (call->u.call.nargs == 2) {
		int64_t n;

		err = sema_expr(c, call->u.call.args[1]) ?: err;
		if (!err && (sema_const_int(c, call->u.call.args[1], &n) || n < 1 || n > 200))
			return sema_error(c, call->u.call.args[1]->loc, NULL,
					  "str(): the length must be an integer literal from 1 to 200");
		if (!err)
			size = (uint32_t)n;
	}
	if (err)
		return err;
	if (!sx_of(a)->t || (sx_of(a)->t->kind != BPFKIT_LANG_V_INT && sx_of(a)->t->kind != BPFKIT_LANG_V_STR))
		return sema_error(c, a->loc, NULL, "str() expects a pointer or a string, got %s",
				  ty_name(c, sx_of(a)->t));
	if (sx_of(a)->t->kind == BPFKIT_LANG_V_STR && call->u.call.nargs == 1)
		size = sx_of(a)->t->size;
	sx_of(call)->t = ty_str(c, size);
	return 0;
}

/* A typed pointer knows where it points; else syscall arguments are user memory. */
bool builtin_user_ptr(const struct cg *g, const struct bpfkit_ast_expr *ptr)
{
	if (sx_of(ptr)->ct && sx_of(ptr)->ct->kind == BPFKIT_LANG_C_PTR)
		return sx_of(ptr)->ct->user;
	return g->c->t->user_strings;
}

static void gen_str(struct cg *g, const struct bpfkit_ast_expr *call, int off, uint32_t size)
{
	const struct bpfkit_ast_expr *a = call->u.call.args[0];
	uint32_t n = sx_of(call)->t->size < size ? sx_of(call)->t->size : size;
	int r;

	if (a->kind == BPFKIT_EXPR_PARAM) {
		const char *p = sema_param(g->c, a->u.param.n);

		cg_store_bytes(g, p ? p : "", p ? strnlen(p, 199) : 0, off, size);
		return;
	}
	if (sx_of(a)->t->kind == BPFKIT_LANG_V_STR) {
		cg_store(g, a, off, ty_str(g->c, size));
		return;
	}
	r = cg_int(g, a);
	cg_zero(g, off, (size + 7) & ~7u);
	cg_fp_addr(g, 1, off);
	cg_mov_imm(g, 2, n);
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, 3, r, 0, 0);
	cg_call(g, builtin_user_ptr(g, a) ? "probe_read_user_str" : "probe_read_kernel_str");
	cg_free(g, r);
}

static int check_strncmp(struct cctx *c, struct bpfkit_ast_expr *call, struct mapinfo *m)
{
	int64_t n;
	int err = 0;

	(void)m;
	for (size_t i = 0; i < 3; i++)
		err = sema_expr(c, call->u.call.args[i]) ?: err;
	if (err)
		return err;
	for (size_t i = 0; i < 2; i++)
		if (!sx_of(call->u.call.args[i])->t || sx_of(call->u.call.args[i])->t->kind != BPFKIT_LANG_V_STR)
			return sema_error(c, call->u.call.args[i]->loc, NULL, "strncmp() expects strings, got %s",
					  ty_name(c, sx_of(call->u.call.args[i])->t));
	if (sema_const_int(c, call->u.call.args[2], &n) || n < 0 || n > 200)
		return sema_error(c, call->u.call.args[2]->loc, NULL,
				  "strncmp(): the length must be an integer literal from 0 to 200");
	sx_of(call)->t = &ty_u64;
	return 0;
}

/* strncmp: 0 when the first n bytes are equal, else 1. Both strings are
 * stored zero padded, so bytes after a NUL are equal exactly when both
 * strings ended there: a plain byte compare is C's strncmp() == 0. */
static void gen_strncmp(struct cg *g, const struct bpfkit_ast_expr *call, int dst)
{
	const struct bpfkit_lang_vtype *ta = sx_of(call->u.call.args[0])->t;
	const struct bpfkit_lang_vtype *tb = sx_of(call->u.call.args[1])->t;
	const struct bpfkit_lang_vtype *t = ta->size >= tb->size ? ta : tb;
	int64_t n = (int64_t)call->u.call.args[2]->u.num.value;
	int sp = g->sp, a = cg_stack(g, t->size), b = cg_stack(g, t->size), differ = cg_label(g),
	    end = cg_label(g);

	if (n > (int64_t)t->size)
		n = t->size;
	cg_store(g, call->u.call.args[0], a, t);
	cg_store(g, call->u.call.args[1], b, t);
	for (int64_t i = 0; i < n; i++) {
		cg_load(g, 1, BPFKIT_REG_FP, a + (int)i, 1, false);
		cg_load(g, 2, BPFKIT_REG_FP, b + (int)i, 1, false);
		cg_jmp(g, BPFKIT_JNE, 1, 2, 0, differ);
	}
	cg_mov_imm(g, dst, 0);
	cg_goto(g, end);
	cg_place(g, differ);
	cg_mov_imm(g, dst, 1);
	cg_place(g, end);
	g->sp = sp;
}

/* strcontains(haystack, needle): both strings, as bpftrace requires. */
static int check_strcontains(struct cctx *c, struct bpfkit_ast_expr *call, struct mapinfo *m)
{
	int err = 0;

	(void)m;
	for (size_t i = 0; i < 2; i++)
		err = sema_expr(c, call->u.call.args[i]) ?: err;
	if (err)
		return err;
	for (size_t i = 0; i < 2; i++) {
		const struct bpfkit_lang_vtype *t = sx_of(call->u.call.args[i])->t;

		if (!t || t->kind != BPFKIT_LANG_V_STR)
			return sema_error(c, call->loc, NULL, "strcontains() only supports string arguments (%s provided)",
					  t && t->kind == BPFKIT_LANG_V_INT ? "integer" : ty_name(c, t));
	}
	sx_of(call)->t = &ty_u64;
	return 0;
}

/*
 * strcontains: 1 when the needle occurs in the haystack, else 0, unrolled
 * as bpftrace unrolls it (no loop for the verifier to bound): for each start
 * i of the haystack, compare needle[j] with haystack[i + j] until the
 * needle's NUL (found) or a difference (next i); the haystack's NUL at i
 * ends the search. A literal needle's bytes are immediates and its length
 * is known, so a search costs about 2 * |haystack| * |needle| instructions.
 */
static void gen_strcontains(struct cg *g, const struct bpfkit_ast_expr *call, int dst)
{
	const struct bpfkit_ast_expr *ha = call->u.call.args[0], *ne = call->u.call.args[1];
	const struct bpfkit_lang_vtype *th = sx_of(ha)->t, *tn = sx_of(ne)->t;
	bool lit = ne->kind == BPFKIT_EXPR_STR, any = false;
	uint32_t hn = th->size, nn = lit ? (uint32_t)strnlen(ne->u.str.data, ne->u.str.len) : tn->size;
	int sp = g->sp, h = cg_stack(g, hn), n = lit ? 0 : cg_stack(g, nn), found = cg_label(g),
	    none = cg_label(g), end = cg_label(g);

	if (lit && !nn) { /* "" is in every string */
		cg_mov_imm(g, dst, 1);
		return;
	}
	cg_store(g, ha, h, th);
	if (!lit)
		cg_store(g, ne, n, tn);
	/* a literal cannot start after hn - nn; another needle may be short */
	for (uint32_t i = 0; i < hn && (!lit || i + nn <= hn); i++) {
		uint32_t m = lit || i + nn <= hn ? nn : hn - i; /* needle bytes compared here */
		int next = cg_label(g);

		for (uint32_t j = 0; j < m; j++) {
			cg_load(g, 1, BPFKIT_REG_FP, h + (int)(i + j), 1, false);
			if (lit) {
				cg_jmp(g, BPFKIT_JNE, 1, -1, (uint8_t)ne->u.str.data[j], next);
				continue;
			}
			cg_load(g, 2, BPFKIT_REG_FP, n + (int)j, 1, false);
			cg_jmp(g, BPFKIT_JEQ, 2, -1, 0, found); /* the needle's NUL: all of it matched */
			cg_jmp(g, BPFKIT_JNE, 1, 2, 0, next);
		}
		if (m < nn) { /* the haystack ended: a match only if the needle ends here too */
			cg_load(g, 2, BPFKIT_REG_FP, n + (int)m, 1, false);
			cg_jmp(g, BPFKIT_JEQ, 2, -1, 0, found);
			cg_goto(g, none);
		} else {
			cg_goto(g, found);
		}
		any = true;
		cg_place(g, next);
		cg_load(g, 1, BPFKIT_REG_FP, h + (int)i, 1, false);
		cg_jmp(g, BPFKIT_JEQ, 1, -1, 0, none);
	}
	cg_place(g, none);
	cg_mov_imm(g, dst, 0);
	if (any) {
		cg_goto(g, end);
		cg_place(g, found);
		cg_mov_imm(g, dst, 1);
	}
	cg_place(g, end);
	g->sp = sp;
}

static const struct bpfkit_lang_vtype ty_errno = { .kind = BPFKIT_LANG_V_ERRNO, .size = 8 };

/* strerror(n): an integer, printed as strerror(3)'s text. */
static int check_strerror(struct cctx *c, struct bpfkit_ast_expr *call, struct mapinfo *m)
{
	struct bpfkit_ast_expr *a = call->u.call.args[0];
	int err = sema_expr(c, a);

	(void)m;
	if (err)
		return err;
	if (!sx_of(a)->t || sx_of(a)->t->kind != BPFKIT_LANG_V_INT)
		return sema_error(c, a->loc, NULL, "strerror() expects an integer, got %s", ty_name(c, sx_of(a)->t));
	sx_of(call)->t = &ty_errno;
	return 0;
}

static void gen_strerror(struct cg *g, const struct bpfkit_ast_expr *call, int off, uint32_t size)
{
	int r = cg_int(g, call->u.call.args[0]);

	(void)size;
	cg_emit(g, BPFKIT_STX | BPFKIT_MEM | BPFKIT_DW, BPFKIT_REG_FP, r, (int16_t)off, 0);
	cg_free(g, r);
}

/*
 * kaddr("name"): the kernel symbol's address, a constant looked up when the
 * program is compiled (env->ksym_addr; /proc/kallsyms for the kernel), as
 * bpftrace does. The value waits in the call's pval for gen_kaddr.
 */
static int check_kaddr(struct cctx *c, struct bpfkit_ast_expr *call, struct mapinfo *assigned)
{
	const struct bpfkit_ast_expr *a = call->u.call.args[0];
	uint64_t addr = 0;
	int err;

	(void)assigned;
	if (a->kind != BPFKIT_EXPR_STR)
		return sema_error(c, a->loc, NULL, "kaddr() expects a string literal");
	err = c->env && c->env->ksym_addr ? c->env->ksym_addr(c->env->user, a->u.str.data, &addr) : -ENOENT;
	if (err) {
		sema_error(c, a->loc, NULL, "Failed to resolve kernel symbol: %s", a->u.str.data);
		if (err == -EACCES || err == -EPERM)
			sema_note(c, a->loc, "the kernel hides symbol addresses from this user: run as root");
		else if (err == -ENOENT)
			sema_note(c, a->loc, "not in /proc/kallsyms (data symbols are listed only with "
					     "CONFIG_KALLSYMS_ALL)");
		return -EINVAL;
	}
	sx_of(call)->pval = (int64_t)addr;
	sx_of(call)->t = &ty_u64;
	return 0;
}

static void gen_kaddr(struct cg *g, const struct bpfkit_ast_expr *call, int dst)
{
	cg_mov_imm(g, dst, sx_of(call)->pval);
}

const struct func funcs_str[] = {
	{ .name = "str", .min_args = 1, .max_args = 2, .check = check_str, .gen_store = gen_str },
	{ .name = "strncmp", .min_args = 3, .max_args = 3, .check = check_strncmp, .gen_int = gen_strncmp },
	{ .name = "strcontains", .min_args = 2, .max_args = 2, .check = check_strcontains,
	  .gen_int = gen_strcontains },
	{ .name = "strerror", .min_args = 1, .max_args = 1, .check = check_strerror, .gen_store = gen_strerror },
	{ .name = "kaddr", .min_args = 1, .max_args = 1, .check = check_kaddr, .gen_int = gen_kaddr },
};
const size_t funcs_str_n = sizeof(funcs_str) / sizeof(funcs_str[0]);

const struct func *func_find(const char *name)
{
	static const struct {
		const struct func *tab;
		const size_t *n;
	} tabs[] = { { funcs_agg, &funcs_agg_n },
		     { funcs_out, &funcs_out_n },
		     { funcs_str, &funcs_str_n },
		     { funcs_stack, &funcs_stack_n },
		     { funcs_net, &funcs_net_n },
		     { funcs_sys, &funcs_sys_n } };

	for (size_t t = 0; t < sizeof(tabs) / sizeof(tabs[0]); t++)
		for (size_t i = 0; i < *tabs[t].n; i++)
			if (!strcmp(tabs[t].tab[i].name, name))
				return &tabs[t].tab[i];
	return NULL;
}
