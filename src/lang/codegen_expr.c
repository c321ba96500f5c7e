// SPDX-License-Identifier: MIT
/*
 * Code for expressions, conditions, stores and map access.
 *
 * Integers are computed into pool registers (r6-r8; cg_int returns one the
 * caller frees). A binary operator keeps its left value in a register while
 * the right one is computed, and spills it to the frame when that would
 * leave the pool empty, so any depth works with three registers. Strings and
 * tuples never live in registers: cg_store() writes them straight where they
 * are needed (a map key, a record, a variable), always defining every byte
 * of the 8-byte-rounded region, so keys compare equal byte for byte.
 */
#include <errno.h>
#include <string.h>

#include "lang/compile_int.h"

static uint32_t round8(uint32_t n)
{
	return (n + 7) & ~7u;
}

int cg_pool_free(const struct cg *g)
{
	int n = 0;

	for (int i = 0; i < CG_NPOOL; i++)
		n += !g->pool[i];
	return n;
}

/* A pool register, or a reported error and r6 when the pool is empty
 * (the spilling in cg_binop makes that unreachable in practice). */
int cg_need_reg(struct cg *g, const struct bpfkit_ast_expr *e)
{
	int r = cg_reg(g);

	if (r < 0) {
		sema_error(g->c, e->loc, NULL, "expression too complex (out of registers)");
		return 6;
	}
	return r;
}

static bool small_lit(const struct bpfkit_ast_expr *e, int32_t *imm)
{
	int64_t v;

	if (e->kind == BPFKIT_EXPR_INT)
		v = (int64_t)e->u.num.value;
	else if (e->sema && sx_of(e)->konst) /* enumerators, sizeof, offsetof */
		v = sx_of(e)->pval;
	else
		return false;
	if (v < INT32_MIN || v > INT32_MAX)
		return false;
	*imm = (int32_t)v;
	return true;
}

static bool expr_signed(const struct bpfkit_ast_expr *a, const struct bpfkit_ast_expr *b)
{
	if (sx_of(a)->lit)
		return sx_of(b)->t->is_signed;
	if (sx_of(b)->lit)
		return sx_of(a)->t->is_signed;
	return sx_of(a)->t->is_signed && sx_of(b)->t->is_signed;
}

/* ALU code for an arithmetic operator (0 when it is not one). */
static uint8_t alu_op(enum bpfkit_ast_op op, bool sign)
{
	switch (op) {
	case BPFKIT_OP_ADD: return BPFKIT_ADD;
	case BPFKIT_OP_SUB: return BPFKIT_SUB;
	case BPFKIT_OP_MUL: return BPFKIT_MUL;
	case BPFKIT_OP_DIV: return BPFKIT_DIV;
	case BPFKIT_OP_MOD: return BPFKIT_MOD;
	case BPFKIT_OP_BAND: return BPFKIT_AND;
	case BPFKIT_OP_BOR: return BPFKIT_OR;
	case BPFKIT_OP_BXOR: return BPFKIT_XOR;
	case BPFKIT_OP_SHL: return BPFKIT_LSH;
	case BPFKIT_OP_SHR: return sign ? BPFKIT_ARSH : BPFKIT_RSH;
	default: return 0xff;
	}
}

/*
 * Signed division or modulo without cpu v4's sdiv/smod: divide the
 * magnitudes unsigned, then give the quotient the sign of a ^ b and the
 * remainder the sign of a (C's truncation toward zero). Works in r1-r3
 * (never r0, which may hold a spilled operand). By zero it gives what
 * sdiv/smod give: x / 0 = 0, x % 0 = x; INT64_MIN / -1 = INT64_MIN.
 */
static void cg_sdiv_seq(struct cg *g, enum bpfkit_ast_op op, int dst, int src, int32_t imm)
{
	bool div = op == BPFKIT_OP_DIV;
	int a_pos = cg_label(g), done = cg_label(g);

	if (dst != 1)
		cg_emit(g, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, 1, dst, 0, 0);
	if (src >= 0) {
		int b_pos = cg_label(g);

		cg_emit(g, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, 2, src, 0, 0);
		cg_mov_imm(g, 3, 0);
		cg_jmp(g, BPFKIT_JSGE, 2, -1, 0, b_pos);
		cg_emit(g, BPFKIT_ALU64 | BPFKIT_NEG, 2, 0, 0, 0);
		if (div)
			cg_mov_imm(g, 3, 1);
		cg_place(g, b_pos);
	} else {
		cg_mov_imm(g, 2, imm < 0 ? -(int64_t)imm : imm);
		cg_mov_imm(g, 3, div && imm < 0);
	}
	cg_jmp(g, BPFKIT_JSGE, 1, -1, 0, a_pos);
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_NEG, 1, 0, 0, 0);
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_XOR | BPFKIT_K, 3, 0, 0, 1);
	cg_place(g, a_pos);
	cg_emit(g, BPFKIT_ALU64 | (div ? BPFKIT_DIV : BPFKIT_MOD) | BPFKIT_X, 1, 2, 0, 0);
	cg_jmp(g, BPFKIT_JEQ, 3, -1, 0, done);
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_NEG, 1, 0, 0, 0);
	cg_place(g, done);
	if (dst != 1)
		cg_emit(g, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, dst, 1, 0, 0);
}

/*
 * dst = dst OP src (or OP imm when src < 0). Division and modulo by a
 * literal 0 are written out with eBPF's run-time meaning (x / 0 = 0,
 * x % 0 = x), because the kernel verifier refuses a DIV or MOD by an
 * immediate 0 although the same operation through a register is defined.
 * Signed operands divide signed: cpu v4's sdiv/smod (off = 1) where the
 * target has them (env->features), else cg_sdiv_seq().
 */
void cg_alu(struct cg *g, enum bpfkit_ast_op op, bool sign, int dst, int src, int32_t imm)
{
	bool div = op == BPFKIT_OP_DIV || op == BPFKIT_OP_MOD;
	const struct bpfkit_lang_env *env = g->c->env;

	if (src < 0 && imm == 0 && op == BPFKIT_OP_DIV) {
		cg_mov_imm(g, dst, 0);
		return;
	}
	if (src < 0 && imm == 0 && op == BPFKIT_OP_MOD)
		return;
	if (div && sign && !(env && (env->features & BPFKIT_LANG_FEAT_SDIV))) {
		cg_sdiv_seq(g, op, dst, src, imm);
		return;
	}
	if (src < 0)
		cg_emit(g, BPFKIT_ALU64 | alu_op(op, sign) | BPFKIT_K, dst, 0, div && sign, imm);
	else
		cg_emit(g, BPFKIT_ALU64 | alu_op(op, sign) | BPFKIT_X, dst, src, div && sign, 0);
}

/* Jump code taken when `a op b` is true (0xff when op is no comparison). */
static uint8_t cmp_op(enum bpfkit_ast_op op, bool sign)
{
	switch (op) {
	case BPFKIT_OP_EQ: return BPFKIT_JEQ;
	case BPFKIT_OP_NE: return BPFKIT_JNE;
	case BPFKIT_OP_LT: return sign ? BPFKIT_JSLT : BPFKIT_JLT;
	case BPFKIT_OP_LE: return sign ? BPFKIT_JSLE : BPFKIT_JLE;
	case BPFKIT_OP_GT: return sign ? BPFKIT_JSGT : BPFKIT_JGT;
	case BPFKIT_OP_GE: return sign ? BPFKIT_JSGE : BPFKIT_JGE;
	default: return 0xff;
	}
}

static uint8_t cmp_negate(uint8_t j)
{
	switch (j) {
	case BPFKIT_JEQ: return BPFKIT_JNE;
	case BPFKIT_JNE: return BPFKIT_JEQ;
	case BPFKIT_JLT: return BPFKIT_JGE;
	case BPFKIT_JGE: return BPFKIT_JLT;
	case BPFKIT_JLE: return BPFKIT_JGT;
	case BPFKIT_JGT: return BPFKIT_JLE;
	case BPFKIT_JSLT: return BPFKIT_JSGE;
	case BPFKIT_JSGE: return BPFKIT_JSLT;
	case BPFKIT_JSLE: return BPFKIT_JSGT;
	default: return BPFKIT_JSLE; /* JSGT */
	}
}

/* Operands of a binary operator whose left value is in @p ra: left in *la
 * (a pool register, or r0 when it was spilled), right in *rb (a pool
 * register) or an immediate (*rb < 0). */
static void cg_operands(struct cg *g, const struct bpfkit_ast_expr *e, int ra, int *la, int *rb, int32_t *imm)
{
	const struct bpfkit_ast_expr *b = e->u.binop.rhs;
	int slot = 0;

	if (small_lit(b, imm)) {
		*la = ra;
		*rb = -1;
		return;
	}
	if (cg_pool_free(g) == 0) {
		slot = cg_stack(g, 8);
		cg_emit(g, BPFKIT_STX | BPFKIT_MEM | BPFKIT_DW, BPFKIT_REG_FP, ra, (int16_t)slot, 0);
		cg_free(g, ra);
		ra = -1;
	}
	*rb = cg_int(g, b);
	if (ra < 0) {
		cg_emit(g, BPFKIT_LDX | BPFKIT_MEM | BPFKIT_DW, 0, BPFKIT_REG_FP, (int16_t)slot, 0);
		ra = 0;
	}
	*la = ra;
}

/* Put the result left in @p la into a pool register, freeing the other. */
static int cg_result(struct cg *g, int la, int rb)
{
	if (la == 0) {
		cg_emit(g, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, rb, 0, 0, 0);
		return rb;
	}
	if (rb >= 0)
		cg_free(g, rb);
	return la;
}

/*
 * Pointer arithmetic: multiply the integer side by the pointee's size. An
 * immediate is scaled at compile time, into r1 when it outgrows 32 bits
 * (*rb = 1 then; returns 1). The left side may be r0 (spilled).
 */
static int cg_scale(struct cg *g, const struct sx *s, int la, int *rb, int32_t *imm)
{
	if (s->scale_lhs) {
		cg_emit(g, BPFKIT_ALU64 | BPFKIT_MUL | BPFKIT_K, la, 0, 0, (int32_t)s->scale);
		return 0;
	}
	if (*rb >= 0) {
		cg_emit(g, BPFKIT_ALU64 | BPFKIT_MUL | BPFKIT_K, *rb, 0, 0, (int32_t)s->scale);
		return 0;
	}
	if ((int64_t)*imm * s->scale >= INT32_MIN && (int64_t)*imm * s->scale <= INT32_MAX) {
		*imm = (int32_t)(*imm * s->scale);
		return 0;
	}
	cg_mov_imm(g, 1, (int64_t)*imm * s->scale);
	*rb = 1;
	return 1;
}

/* Whether == and != of @p a (a string or a pton() array) compare its bytes. */
static bool cg_bytes_cmp(const struct bpfkit_ast_expr *a)
{
	return sx_of(a)->t->kind == BPFKIT_LANG_V_STR || sx_of(a)->t->kind == BPFKIT_LANG_V_ARRAY;
}

/* Whether binary operator @p e computes its value from its operands'
 * values in registers (not &&, ||, string comparisons, constants). */
static bool cg_arith(const struct bpfkit_ast_expr *e)
{
	enum bpfkit_ast_op op = e->u.binop.op;

	return op != BPFKIT_OP_LAND && op != BPFKIT_OP_LOR &&
	       !((op == BPFKIT_OP_EQ || op == BPFKIT_OP_NE) && cg_bytes_cmp(e->u.binop.lhs)) &&
	       !sx_of(e)->konst && !sx_of(e)->mem;
}

/* The value of arithmetic operator @p e, its left value in @p ra. */
static int cg_binop_apply(struct cg *g, const struct bpfkit_ast_expr *e, int ra)
{
	enum bpfkit_ast_op op = e->u.binop.op;
	bool sign = expr_signed(e->u.binop.lhs, e->u.binop.rhs);
	int la, rb;
	int32_t imm = 0;

	cg_operands(g, e, ra, &la, &rb, &imm);
	if (cmp_op(op, sign) != 0xff) {
		int tmp = la == 0 ? 1 : 0;

		cg_mov_imm(g, tmp, 1);
		if (rb < 0)
			cg_emit(g, BPFKIT_JMP | cmp_op(op, sign) | BPFKIT_K, la, 0, 1, imm);
		else
			cg_emit(g, BPFKIT_JMP | cmp_op(op, sign) | BPFKIT_X, la, rb, 1, 0);
		cg_mov_imm(g, tmp, 0);
		cg_emit(g, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, la, tmp, 0, 0);
		return cg_result(g, la, rb);
	}
	if (sx_of(e)->scale > 1 && cg_scale(g, sx_of(e), la, &rb, &imm)) {
		cg_alu(g, op, sign, la, rb, imm); /* rb is r1: the scaled immediate */
		return cg_result(g, la, -1);
	}
	cg_alu(g, op, sign, la, rb, imm);
	return cg_result(g, la, rb);
}

/*
 * A binary operator's value. An arithmetic chain (1 + 2 + ... + n) goes up
 * its spine in a loop (ast_binop_spine()), holding one register: the
 * innermost left value, then each operator applied to it. &&, || and string
 * comparisons are conditions made a 0 or 1.
 */
static int cg_binop(struct cg *g, const struct bpfkit_ast_expr *e)
{
	const struct bpfkit_ast_expr *buf[SPINE_BUF], **spine;
	size_t n;
	int r;

	if (!cg_arith(e)) {
		int no = cg_label(g), end = cg_label(g);

		cg_cond_false(g, e, no);
		cg_mov_imm(g, 0, 1);
		cg_goto(g, end);
		cg_place(g, no);
		cg_mov_imm(g, 0, 0);
		cg_place(g, end);
		r = cg_need_reg(g, e);
		cg_emit(g, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, r, 0, 0, 0);
		return r;
	}
	spine = sema_spine(g->c, e, cg_arith, buf, &n);
	r = cg_int(g, spine[n - 1]->u.binop.lhs);
	for (size_t i = n; i-- > 0;)
		r = cg_binop_apply(g, spine[i], r);
	return r;
}

/* r0 = map[key] as an integer, 0 when the key is missing. */
static int cg_map_read_int(struct cg *g, const struct bpfkit_ast_expr *e)
{
	struct mapinfo *m = sx_of(e)->map;
	int sp = g->sp, koff = cg_map_key(g, m, e, 0), r, miss = cg_label(g);

	cg_lookup(g, m, koff);
	r = cg_need_reg(g, e);
	cg_mov_imm(g, r, 0);
	cg_jmp(g, BPFKIT_JEQ, 0, -1, 0, miss);
	cg_load(g, r, 0, 0, 8, false);
	cg_place(g, miss);
	g->sp = sp;
	return r;
}

/* Truncate a register to an integer type narrower than 64 bits. */
static void cg_narrow(struct cg *g, int r, const struct bpfkit_lang_vtype *t)
{
	if (t->size >= 8)
		return;
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_LSH | BPFKIT_K, r, 0, 0, 64 - 8 * (int)t->size);
	cg_emit(g, BPFKIT_ALU64 | (t->is_signed ? BPFKIT_ARSH : BPFKIT_RSH) | BPFKIT_K, r, 0, 0,
		64 - 8 * (int)t->size);
}

static int cg_map_rmw(struct cg *g, const struct bpfkit_ast_expr *tg, enum bpfkit_ast_op op,
		      const struct bpfkit_ast_expr *v, int32_t imm);

/* The integer value of @p e in a new pool register. */
static int int_expr(struct cg *g, const struct bpfkit_ast_expr *e);

/* cg_int() and cg_store() keep g->loc at the expression they emit (restored
 * after it), for -k's reports of the helpers it calls. */
int cg_int(struct cg *g, const struct bpfkit_ast_expr *e)
{
	struct bpfkit_loc saved = g->loc;
	int r;

	g->loc = e->loc;
	r = int_expr(g, e);
	g->loc = saved;
	return r;
}

static int int_expr(struct cg *g, const struct bpfkit_ast_expr *e)
{
	struct sx *s = sx_of(e);
	int r, sp;

	if (s->konst) { /* enumerators, sizeof, offsetof */
		r = cg_need_reg(g, e);
		cg_mov_imm(g, r, s->pval);
		return r;
	}
	if (s->mem)
		return cg_mem_int(g, e);
	switch (e->kind) {
	case BPFKIT_EXPR_INT:
		r = cg_need_reg(g, e);
		cg_mov_imm(g, r, (int64_t)e->u.num.value);
		return r;
	case BPFKIT_EXPR_IDENT:
		r = cg_need_reg(g, e);
		if (s->bi)
			s->bi->gen_int(g, e, r);
		else if (g->c->t->prov->pt_regs)
			ptregs_gen_arg(g, s->argn, r);
		else
			cg_load(g, r, CG_CTX, 8 * s->argn, 8, false);
		return r;
	case BPFKIT_EXPR_VAR:
		r = cg_need_reg(g, e);
		cg_load(g, r, BPFKIT_REG_FP, s->var->off, 8, false);
		return r;
	case BPFKIT_EXPR_MAP:
		return cg_map_read_int(g, e);
	case BPFKIT_EXPR_CALL:
		r = cg_need_reg(g, e);
		s->fn->gen_int(g, e, r);
		return r;
	case BPFKIT_EXPR_BINOP:
		return cg_binop(g, e);
	case BPFKIT_EXPR_INDEX: /* args->arr[N], pton()'s array[N] (others are s->mem) */
		if (!s->ctx) {
			const struct bpfkit_ast_expr *b = e->u.index.base;

			sp = g->sp;
			int slot = cg_stack(g, sx_of(b)->t->size);

			cg_store(g, b, slot, sx_of(b)->t);
			r = cg_need_reg(g, e);
			cg_load(g, r, BPFKIT_REG_FP, slot + (int)s->off, 1, false);
			g->sp = sp;
			return r;
		}
		r = cg_need_reg(g, e);
		cg_load(g, r, CG_CTX, (int)s->off, s->t->size, s->t->is_signed);
		return r;
	case BPFKIT_EXPR_UNOP:
		if (e->u.unop.op == BPFKIT_OP_ADDR)
			return cg_addr(g, e->u.unop.operand);
		if (e->u.unop.op == BPFKIT_OP_LNOT) {
			int no = cg_label(g);

			r = cg_int(g, e->u.unop.operand);
			cg_mov_imm(g, 0, 1);
			cg_jmp(g, BPFKIT_JEQ, r, -1, 0, no);
			cg_mov_imm(g, 0, 0);
			cg_place(g, no);
			cg_emit(g, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, r, 0, 0, 0);
			return r;
		}
		r = cg_int(g, e->u.unop.operand);
		if (e->u.unop.op == BPFKIT_OP_NEG)
			cg_emit(g, BPFKIT_ALU64 | BPFKIT_NEG, r, 0, 0, 0);
		else if (e->u.unop.op == BPFKIT_OP_BNOT)
			cg_emit(g, BPFKIT_ALU64 | BPFKIT_XOR | BPFKIT_K, r, 0, 0, -1);
		return r;
	case BPFKIT_EXPR_INCDEC: {
		int32_t d = e->u.unop.op == BPFKIT_OP_INC ? 1 : -1;
		int off;

		if (e->u.unop.operand->kind == BPFKIT_EXPR_MAP) {
			/* the new value stays in the update's value slot until the statement ends */
			off = cg_map_rmw(g, e->u.unop.operand, BPFKIT_OP_ADD, NULL, d);
			r = cg_need_reg(g, e);
			cg_load(g, r, BPFKIT_REG_FP, off, 8, false);
			if (e->u.unop.post)
				cg_emit(g, BPFKIT_ALU64 | BPFKIT_ADD | BPFKIT_K, r, 0, 0, -d);
			return r;
		}
		off = sx_of(e->u.unop.operand)->var->off;
		d *= (int32_t)sx_of(e)->scale; /* a pointer steps by its target's size */
		r = cg_need_reg(g, e);
		cg_load(g, r, BPFKIT_REG_FP, off, 8, false);
		cg_emit(g, BPFKIT_ALU64 | BPFKIT_ADD | BPFKIT_K, r, 0, 0, d);
		cg_emit(g, BPFKIT_STX | BPFKIT_MEM | BPFKIT_DW, BPFKIT_REG_FP, r, (int16_t)off, 0);
		if (e->u.unop.post)
			cg_emit(g, BPFKIT_ALU64 | BPFKIT_ADD | BPFKIT_K, r, 0, 0, -d);
		return r;
	}
	case BPFKIT_EXPR_TERNARY: {
		int no = cg_label(g), end = cg_label(g), a, b;

		cg_cond_false(g, e->u.ternary.cond, no);
		a = cg_int(g, e->u.ternary.yes);
		cg_goto(g, end);
		cg_free(g, a);
		cg_place(g, no);
		b = cg_int(g, e->u.ternary.no);
		if (b != a)
			cg_emit(g, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, a, b, 0, 0);
		cg_free(g, b);
		cg_place(g, end);
		g->pool[a - 6] = true;
		return a;
	}
	case BPFKIT_EXPR_CAST:
		r = cg_int(g, e->u.cast.operand);
		cg_narrow(g, r, s->t);
		return r;
	case BPFKIT_EXPR_PARAM:
		r = cg_need_reg(g, e);
		cg_mov_imm(g, r, s->pval);
		return r;
	case BPFKIT_EXPR_FIELD:
		r = cg_need_reg(g, e);
		cg_load(g, r, CG_CTX, (int)s->field->offset, s->field->is_ptr ? 8 : s->field->size,
			s->field->is_signed && !s->field->is_ptr);
		return r;
	case BPFKIT_EXPR_TUPLE_GET: {
		const struct bpfkit_lang_vtype *tt = sx_of(e->u.tuple_get.base)->t;
		int off;

		sp = g->sp;
		off = cg_stack(g, tt->size);
		cg_store(g, e->u.tuple_get.base, off, tt);
		r = cg_need_reg(g, e);
		cg_load(g, r, BPFKIT_REG_FP, off + (int)tt->elems[e->u.tuple_get.index].offset, 8, false);
		g->sp = sp;
		return r;
	}
	default:
		r = cg_need_reg(g, e);
		cg_mov_imm(g, r, 0);
		return r;
	}
}

/* ---- Conditions ----------------------------------------------------------------------------- */

static void cg_cond_true(struct cg *g, const struct bpfkit_ast_expr *e, int label)
{
	int no = cg_label(g);

	cg_cond_false(g, e, no);
	cg_goto(g, label);
	cg_place(g, no);
}

/* Jump to @p label when strings a and b differ (eq) / are equal (!eq):
 * both are stored zero padded to the longer size, then compared a word at
 * a time. */
static void cg_str_cmp_false(struct cg *g, const struct bpfkit_ast_expr *e, bool eq, int label)
{
	const struct bpfkit_lang_vtype *ta = sx_of(e->u.binop.lhs)->t, *tb = sx_of(e->u.binop.rhs)->t;
	const struct bpfkit_lang_vtype *t = ta->size >= tb->size ? ta : tb;
	int sp = g->sp, a = cg_stack(g, t->size), b = cg_stack(g, t->size), differ = cg_label(g);

	cg_store(g, e->u.binop.lhs, a, t);
	cg_store(g, e->u.binop.rhs, b, t);
	for (uint32_t i = 0; i < round8(t->size); i += 8) {
		cg_load(g, 1, BPFKIT_REG_FP, a + (int)i, 8, false);
		cg_load(g, 2, BPFKIT_REG_FP, b + (int)i, 8, false);
		cg_jmp(g, BPFKIT_JNE, 1, 2, 0, eq ? label : differ);
	}
	if (!eq) {
		cg_goto(g, label);
		cg_place(g, differ);
	} else {
		cg_place(g, differ); /* never jumped to */
	}
	g->sp = sp;
}

static bool is_land(const struct bpfkit_ast_expr *e)
{
	return e->u.binop.op == BPFKIT_OP_LAND;
}

static bool is_lor(const struct bpfkit_ast_expr *e)
{
	return e->u.binop.op == BPFKIT_OP_LOR;
}

/*
 * Jump to @p label when a chain of && (or of ||) is false, in a loop up its
 * spine (ast_binop_spine()): a && b && c jumps as soon as one is false;
 * a || b || c goes past as soon as one is true, and jumps when the last is
 * false.
 */
static void cg_logic_false(struct cg *g, const struct bpfkit_ast_expr *e, int label)
{
	const struct bpfkit_ast_expr *buf[SPINE_BUF], **spine;
	enum bpfkit_ast_op op = e->u.binop.op;
	int yes = op == BPFKIT_OP_LOR ? cg_label(g) : -1;
	size_t n;

	spine = sema_spine(g->c, e, op == BPFKIT_OP_LAND ? is_land : is_lor, buf, &n);
	for (size_t i = n; i-- > 0;) {
		const struct bpfkit_ast_expr *x = spine[i]->u.binop.lhs;

		if (i == n - 1 && op == BPFKIT_OP_LAND)
			cg_cond_false(g, x, label);
		else if (i == n - 1)
			cg_cond_true(g, x, yes);
		x = spine[i]->u.binop.rhs;
		if (op == BPFKIT_OP_LAND || i == 0)
			cg_cond_false(g, x, label);
		else
			cg_cond_true(g, x, yes);
	}
	if (op == BPFKIT_OP_LOR)
		cg_place(g, yes);
}

void cg_cond_false(struct cg *g, const struct bpfkit_ast_expr *e, int label)
{
	if (e->kind == BPFKIT_EXPR_BINOP) {
		enum bpfkit_ast_op op = e->u.binop.op;
		const struct bpfkit_ast_expr *a = e->u.binop.lhs, *b = e->u.binop.rhs;

		if (op == BPFKIT_OP_LAND || op == BPFKIT_OP_LOR) {
			cg_logic_false(g, e, label);
			return;
		}
		if ((op == BPFKIT_OP_EQ || op == BPFKIT_OP_NE) && cg_bytes_cmp(a)) {
			cg_str_cmp_false(g, e, op == BPFKIT_OP_EQ, label);
			return;
		}
		uint8_t j = cmp_op(op, expr_signed(a, b));

		if (j != 0xff) {
			int la, rb;
			int32_t imm = 0;

			cg_operands(g, e, cg_int(g, a), &la, &rb, &imm);
			cg_jmp(g, cmp_negate(j), la, rb, imm, label);
			cg_free(g, la);
			if (rb >= 0)
				cg_free(g, rb);
			return;
		}
	}
	if (e->kind == BPFKIT_EXPR_UNOP && e->u.unop.op == BPFKIT_OP_LNOT) {
		cg_cond_true(g, e->u.unop.operand, label);
		return;
	}
	int r = cg_int(g, e);

	cg_jmp(g, BPFKIT_JEQ, r, -1, 0, label);
	cg_free(g, r);
}

/* ---- Stores ---------------------------------------------------------------------------------- */

/* A string literal, zero padded to @p size (rounded to 8), truncated with a
 * final NUL when longer. */
static void cg_store_lit(struct cg *g, const struct bpfkit_ast_expr *e, int off, uint32_t size)
{
	cg_store_bytes(g, e->u.str.data, e->u.str.len, off, size);
}

void cg_store_bytes(struct cg *g, const char *data, size_t len, int off, uint32_t size)
{
	cg_store_raw(g, data, len < size ? len : size ? size - 1 : 0, off, size);
}

void cg_store_raw(struct cg *g, const char *data, size_t len, int off, uint32_t size)
{
	for (uint32_t i = 0; i < round8(size); i += 8) {
		uint64_t w = 0;

		for (uint32_t k = 0; k < 8; k++) {
			uint32_t at = i + k;
			uint8_t byte = at < len && at < size ? (uint8_t)data[at] : 0;

			w |= (uint64_t)byte << (8 * k);
		}
		if ((int64_t)w >= INT32_MIN && (int64_t)w <= INT32_MAX) {
			cg_emit(g, BPFKIT_ST | BPFKIT_MEM | BPFKIT_DW, BPFKIT_REG_FP, 0, (int16_t)(off + (int)i),
				(int32_t)(int64_t)w);
		} else {
			cg_mov_imm(g, 1, (int64_t)w);
			cg_emit(g, BPFKIT_STX | BPFKIT_MEM | BPFKIT_DW, BPFKIT_REG_FP, 1, (int16_t)(off + (int)i), 0);
		}
	}
}

/* Copy a value of @p have bytes from [reg + 0] into @p want bytes at off. */
static void cg_copy_fit(struct cg *g, int off, int reg, int roff, uint32_t have, uint32_t want)
{
	uint32_t n = round8(have) < round8(want) ? round8(have) : round8(want);

	cg_copy(g, off, reg, roff, n);
	if (n < round8(want))
		cg_zero(g, off + (int)n, round8(want) - n);
}

/* A string-valued field of the tracepoint record. */
/* A tracepoint field's bytes at off: a string (NUL kept within size), or
 * with @p raw all of an array's bytes (an array compared with pton()'s). */
static void cg_store_field(struct cg *g, const struct bpfkit_lang_field *f, int off, uint32_t size, bool raw)
{
	cg_zero(g, off, round8(size));
	cg_fp_addr(g, 1, off);
	if (f->is_data_loc) {
		cg_mov_imm(g, 2, size);
		cg_load(g, 3, CG_CTX, (int)f->offset, 4, false);
		cg_emit(g, BPFKIT_ALU64 | BPFKIT_AND | BPFKIT_K, 3, 0, 0, 0xffff);
		cg_emit(g, BPFKIT_ALU64 | BPFKIT_ADD | BPFKIT_X, 3, CG_CTX, 0, 0);
		cg_call(g, "probe_read_kernel_str");
		return;
	}
	if (raw)
		cg_mov_imm(g, 2, f->size < size ? f->size : size);
	else
		cg_mov_imm(g, 2, f->array_len < size ? f->array_len : size - 1);
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, 3, CG_CTX, 0, 0);
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_ADD | BPFKIT_K, 3, 0, 0, (int32_t)f->offset);
	cg_call(g, "probe_read_kernel");
}

/* A string into [off, off + round8(size)). */
static void cg_store_str(struct cg *g, const struct bpfkit_ast_expr *e, int off, uint32_t size)
{
	struct sx *s = sx_of(e);

	if (s->mem) { /* a char array of a struct */
		cg_mem_str(g, e, off, size);
		return;
	}
	switch (e->kind) {
	case BPFKIT_EXPR_STR:
		cg_store_lit(g, e, off, size);
		return;
	case BPFKIT_EXPR_IDENT:
		s->bi->gen_store(g, e, off, size);
		return;
	case BPFKIT_EXPR_CALL:
		s->fn->gen_store(g, e, off, size);
		return;
	case BPFKIT_EXPR_FIELD:
		cg_store_field(g, s->field, off, size, s->t && s->t->kind == BPFKIT_LANG_V_ARRAY);
		return;
	case BPFKIT_EXPR_VAR:
		cg_copy_fit(g, off, BPFKIT_REG_FP, s->var->off, s->t->size, size);
		return;
	default:
		break;
	}
	/* maps, ternaries and tuple elements were handled by cg_store() */
	cg_zero(g, off, round8(size));
}

static void store_expr(struct cg *g, const struct bpfkit_ast_expr *e, int off, const struct bpfkit_lang_vtype *t);

void cg_store(struct cg *g, const struct bpfkit_ast_expr *e, int off, const struct bpfkit_lang_vtype *t)
{
	struct bpfkit_loc saved = g->loc;

	g->loc = e->loc;
	store_expr(g, e, off, t);
	g->loc = saved;
}

static void store_expr(struct cg *g, const struct bpfkit_ast_expr *e, int off, const struct bpfkit_lang_vtype *t)
{
	struct sx *s = sx_of(e);
	int r, sp = g->sp;

	if (ty_is_word(t)) { /* a probe id, a stack id, an address: a u64 */
		r = cg_int(g, e);
		cg_emit(g, BPFKIT_STX | BPFKIT_MEM | BPFKIT_DW, BPFKIT_REG_FP, r, (int16_t)off, 0);
		cg_free(g, r);
		return;
	}
	if (e->kind == BPFKIT_EXPR_TERNARY) {
		int no = cg_label(g), end = cg_label(g);

		cg_cond_false(g, e->u.ternary.cond, no);
		cg_store(g, e->u.ternary.yes, off, t);
		cg_goto(g, end);
		cg_place(g, no);
		cg_store(g, e->u.ternary.no, off, t);
		cg_place(g, end);
		return;
	}
	if (e->kind == BPFKIT_EXPR_MAP) {
		struct mapinfo *m = s->map;
		int koff = cg_map_key(g, m, e, 0), miss = cg_label(g), end = cg_label(g);

		cg_lookup(g, m, koff);
		cg_jmp(g, BPFKIT_JEQ, 0, -1, 0, miss);
		cg_copy_fit(g, off, 0, 0, m->d.value->size, t->size);
		cg_goto(g, end);
		cg_place(g, miss);
		cg_zero(g, off, round8(t->size));
		cg_place(g, end);
		g->sp = sp;
		return;
	}
	if (e->kind == BPFKIT_EXPR_TUPLE_GET) {
		const struct bpfkit_lang_vtype *tt = s->t, *bt = sx_of(e->u.tuple_get.base)->t;
		int tmp = cg_stack(g, bt->size);

		cg_store(g, e->u.tuple_get.base, tmp, bt);
		cg_copy_fit(g, off, BPFKIT_REG_FP, tmp + (int)bt->elems[e->u.tuple_get.index].offset,
			    tt->size, t->size);
		g->sp = sp;
		return;
	}
	if (t->kind != BPFKIT_LANG_V_TUPLE) {
		/* strings, and values in bytes: a timestamp (strftime() or a copy),
		 * ntop(), macaddr(), buf(), strerror(), username */
		cg_store_str(g, e, off, t->size);
		return;
	}
	/* tuples */
	if (e->kind == BPFKIT_EXPR_TUPLE) {
		for (size_t i = 0; i < t->nelems; i++)
			cg_store(g, e->u.tuple.items[i], off + (int)t->elems[i].offset, t->elems[i].type);
		/* the gaps between elements */
		for (size_t i = 0; i < t->nelems; i++) {
			uint32_t end = t->elems[i].offset + round8(t->elems[i].type->size);
			uint32_t next = i + 1 < t->nelems ? t->elems[i + 1].offset : t->size;

			if (next > end)
				cg_zero(g, off + (int)end, next - end);
		}
		return;
	}
	if (e->kind == BPFKIT_EXPR_VAR) {
		cg_copy_fit(g, off, BPFKIT_REG_FP, s->var->off, s->t->size, t->size);
		return;
	}
	cg_zero(g, off, round8(t->size));
}

/* ---- Maps ---------------------------------------------------------------------------------------- */

/* The key of @p m for the keys of MAP expression @p e, @p extra bytes (a
 * hist bucket) appended; returns its frame offset. */
int cg_map_key(struct cg *g, struct mapinfo *m, const struct bpfkit_ast_expr *e, uint32_t extra)
{
	const struct bpfkit_lang_vtype *k = m->d.key;
	int off;

	if (!k) {
		off = cg_stack(g, 8 + extra);
		cg_zero(g, off, 8);
		return off;
	}
	off = cg_stack(g, k->size + extra);
	if (e->u.map.nkeys == 1) {
		cg_store(g, e->u.map.keys[0], off, k);
		return off;
	}
	cg_zero(g, off, round8(k->size));
	for (size_t i = 0; i < k->nelems; i++)
		cg_store(g, e->u.map.keys[i], off + (int)k->elems[i].offset, k->elems[i].type);
	return off;
}

void cg_lookup(struct cg *g, struct mapinfo *m, int koff)
{
	cg_ld_map(g, 1, m->d.name);
	cg_fp_addr(g, 2, koff);
	cg_call(g, "map_lookup_elem");
}

void cg_update(struct cg *g, struct mapinfo *m, int koff, int voff, int flags)
{
	cg_ld_map(g, 1, m->d.name);
	cg_fp_addr(g, 2, koff);
	cg_fp_addr(g, 3, voff);
	cg_mov_imm(g, 4, flags);
	cg_call(g, "map_update_elem");
}

/*
 * ringbuf_output(events, r10 + off, size, 0) (or, with env->perf_events,
 * perf_event_output(ctx, events, BPF_F_CURRENT_CPU, r10 + off, size)), and
 * when it fails (the ring is full) count the lost record in this CPU's slot
 * of BPFKIT_LANG_LOST_MAP, so user space can say "Lost N events". The
 * record's first word is dead once sent, so the u32 key 0 goes there: no
 * extra stack.
 */
/* reg = base + off (base r10, or a register holding a pointer) */
static void cg_base_addr(struct cg *g, int reg, int base, int off)
{
	if (base == BPFKIT_REG_FP) {
		cg_fp_addr(g, reg, off);
		return;
	}
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, reg, base, 0, 0);
	if (off)
		cg_emit(g, BPFKIT_ALU64 | BPFKIT_ADD | BPFKIT_K, reg, 0, 0, off);
}

void cg_output(struct cg *g, int off, uint32_t size)
{
	cg_output_at(g, BPFKIT_REG_FP, off, size);
}

void cg_output_at(struct cg *g, int base, int off, uint32_t size)
{
	cg_output_flags(g, base, off, size, 0);
}

void cg_output_sized(struct cg *g, int base, int off, int size_off, uint32_t fixed, uint32_t max_var)
{
	int done = cg_label(g), bounded = cg_label(g);
	int sz = g->c->env->perf_events ? 5 : 3;

	cg_load(g, sz, base, size_off, 8, false);
	cg_jmp(g, BPFKIT_JLE, sz, -1, (int32_t)max_var, bounded); /* the verifier learns the bound here */
	cg_mov_imm(g, sz, max_var);
	cg_place(g, bounded);
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_ADD | BPFKIT_K, sz, 0, 0, (int32_t)fixed);
	if (g->c->env->perf_events) {
		cg_emit(g, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, 1, CG_CTX, 0, 0);
		cg_ld_map(g, 2, "events");
		cg_emit(g, BPFKIT_ALU | BPFKIT_MOV | BPFKIT_K, 3, 0, 0, -1); /* BPF_F_CURRENT_CPU */
		cg_base_addr(g, 4, base, off);
		cg_call(g, "perf_event_output");
	} else {
		cg_ld_map(g, 1, "events");
		cg_base_addr(g, 2, base, off);
		cg_mov_imm(g, 4, 0);
		cg_call(g, "ringbuf_output");
	}
	cg_jmp(g, BPFKIT_JEQ, 0, -1, 0, done);
	cg_emit(g, BPFKIT_ST | BPFKIT_MEM | BPFKIT_W, base, 0, (int16_t)off, 0);
	cg_count_lost(g, BPFKIT_LANG_LOST_MAP, base, off, done);
	cg_place(g, done);
}

void cg_output_flags(struct cg *g, int base, int off, uint32_t size, int32_t flags)
{
	int done = cg_label(g);

	if (g->c->env->perf_events) {
		cg_emit(g, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, 1, CG_CTX, 0, 0);
		cg_ld_map(g, 2, "events");
		cg_emit(g, BPFKIT_ALU | BPFKIT_MOV | BPFKIT_K, 3, 0, 0, -1); /* BPF_F_CURRENT_CPU */
		cg_base_addr(g, 4, base, off);
		cg_mov_imm(g, 5, size);
		cg_call_unchecked(g, "perf_event_output");
	} else {
		cg_ld_map(g, 1, "events");
		cg_base_addr(g, 2, base, off);
		cg_mov_imm(g, 3, size);
		cg_mov_imm(g, 4, flags);
		cg_call_unchecked(g, "ringbuf_output");
	}
	cg_jmp(g, BPFKIT_JEQ, 0, -1, 0, done);
	cg_emit(g, BPFKIT_ST | BPFKIT_MEM | BPFKIT_W, base, 0, (int16_t)off, 0);
	cg_count_lost(g, BPFKIT_LANG_LOST_MAP, base, off, done);
	cg_place(g, done);
}

/*
 * -k (env->helper_checks 1) checks helpers whose failure loses what the
 * script asked for: map_update_elem (a full map), map_delete_elem (a key
 * that is not there), send_signal; -kk (2) also map_lookup_elem (NULL: the
 * key is not there) and the probe_read helpers (a fault: the value reads as
 * zeroes), as bpftrace's -k and -kk. On failure, a HELPER_ERROR record
 * { id, r0 } goes out (its event names the helper and where the script
 * called it) and r0 is restored, so the code after the call goes on as it
 * would. Costs nothing when the helper succeeds but a compare.
 */
void cg_helper_check(struct cg *g, const char *helper)
{
	static const char *const k1[] = { "map_update_elem", "map_delete_elem", "send_signal" };
	int level = g->c->env->helper_checks, ok, off;
	bool lookup = !strcmp(helper, "map_lookup_elem"), checked = false;
	struct bpfkit_lang_event *ev;

	for (size_t i = 0; i < sizeof(k1) / sizeof(k1[0]); i++)
		checked |= !strcmp(helper, k1[i]);
	if (level >= 2)
		checked |= lookup || !strncmp(helper, "probe_read", 10);
	if (!checked || g->dead)
		return;
	ev = arena_alloc(g->c->oa, sizeof(*ev));
	ev->kind = BPFKIT_LANG_EV_HELPER_ERROR;
	ev->fmt = helper;
	ev->line = g->loc.line;
	ev->col = g->loc.col;
	ev->len = g->loc.len;
	ev->size = 16;
	ptrvec_push(g->c->a, &g->c->events, ev);
	ok = cg_label(g);
	off = cg_stack(g, 16);
	if (lookup)
		cg_jmp(g, BPFKIT_JNE, 0, -1, 0, ok);
	else
		cg_jmp(g, BPFKIT_JSGE, 0, -1, 0, ok);
	cg_emit(g, BPFKIT_ST | BPFKIT_MEM | BPFKIT_DW, BPFKIT_REG_FP, 0, (int16_t)off, (int32_t)(g->c->events.n - 1));
	cg_emit(g, BPFKIT_STX | BPFKIT_MEM | BPFKIT_DW, BPFKIT_REG_FP, 0, (int16_t)(off + 8), 0);
	cg_output(g, off, 16);
	cg_emit(g, BPFKIT_LDX | BPFKIT_MEM | BPFKIT_DW, 0, BPFKIT_REG_FP, (int16_t)(off + 8), 0);
	cg_place(g, ok);
}

void cg_count_lost(struct cg *g, const char *map, int base, int off, int done)
{
	cg_ld_map(g, 1, map);
	cg_base_addr(g, 2, base, off);
	cg_call_unchecked(g, "map_lookup_elem");
	cg_jmp(g, BPFKIT_JEQ, 0, -1, 0, done);
	cg_emit(g, BPFKIT_LDX | BPFKIT_MEM | BPFKIT_DW, 1, 0, 0, 0);
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_ADD | BPFKIT_K, 1, 0, 0, 1);
	cg_emit(g, BPFKIT_STX | BPFKIT_MEM | BPFKIT_DW, 0, 1, 0, 0);
}

/* @m[k] op= v, @m[k]++: read (0 when missing), apply, write back. Not
 * atomic, as in bpftrace; plain maps are shared between CPUs. Returns the
 * frame offset of the new value (valid until the statement ends). */
static int cg_map_rmw(struct cg *g, const struct bpfkit_ast_expr *tg, enum bpfkit_ast_op op,
		      const struct bpfkit_ast_expr *v, int32_t imm)
{
	struct mapinfo *m = sx_of(tg)->map;
	bool sign = m->d.value->is_signed;
	int r = v ? cg_int(g, v) : -1, koff = cg_map_key(g, m, tg, 0), voff = cg_stack(g, 8), miss = cg_label(g);

	cg_lookup(g, m, koff);
	cg_mov_imm(g, 1, 0);
	cg_jmp(g, BPFKIT_JEQ, 0, -1, 0, miss);
	cg_load(g, 1, 0, 0, 8, false);
	cg_place(g, miss);
	cg_alu(g, op, sign, 1, r, imm);
	cg_emit(g, BPFKIT_STX | BPFKIT_MEM | BPFKIT_DW, BPFKIT_REG_FP, 1, (int16_t)voff, 0);
	cg_update(g, m, koff, voff, 0);
	if (r >= 0)
		cg_free(g, r);
	return voff;
}

void cg_stmt_assign(struct cg *g, const struct bpfkit_ast_stmt *st);
void cg_stmt_assign(struct cg *g, const struct bpfkit_ast_stmt *st)
{
	const struct bpfkit_ast_expr *tg = st->u.assign.target, *v = st->u.assign.value;
	enum bpfkit_ast_op op = st->u.assign.op;

	if (tg->kind == BPFKIT_EXPR_MAP) {
		struct mapinfo *m = sx_of(tg)->map;

		if (v->kind == BPFKIT_EXPR_CALL && (sx_of(v)->fn->flags & FN_AGG)) {
			g->loc = v->loc; /* -k: count()'s lookup and update */
			sx_of(v)->fn->gen_agg(g, v, m, tg);
			return;
		}
		if (op != BPFKIT_OP_NONE) {
			cg_map_rmw(g, tg, op, v, 0);
			return;
		}
		int voff = cg_stack(g, m->d.value->size), koff;

		cg_store(g, v, voff, m->d.value);
		koff = cg_map_key(g, m, tg, 0);
		g->loc = st->u.assign.op_loc; /* -k: a failed update is reported at its '=', as bpftrace */
		cg_update(g, m, koff, voff, 0);
		return;
	}
	struct var *var = sx_of(tg)->var;

	if (op == BPFKIT_OP_NONE) {
		cg_store(g, v, var->off, var->t);
		return;
	}
	int r = cg_int(g, v);

	if (sx_of(tg)->scale > 1) /* $p += n on a pointer: n elements */
		cg_emit(g, BPFKIT_ALU64 | BPFKIT_MUL | BPFKIT_K, r, 0, 0, (int32_t)sx_of(tg)->scale);
	cg_load(g, 0, BPFKIT_REG_FP, var->off, 8, false);
	cg_alu(g, op, var->t->is_signed, 0, r, 0);
	cg_emit(g, BPFKIT_STX | BPFKIT_MEM | BPFKIT_DW, BPFKIT_REG_FP, 0, (int16_t)var->off, 0);
	cg_free(g, r);
}

void cg_stmt_expr(struct cg *g, const struct bpfkit_ast_expr *e);
void cg_stmt_expr(struct cg *g, const struct bpfkit_ast_expr *e)
{
	g->loc = e->loc;
	if (e->kind == BPFKIT_EXPR_INCDEC && e->u.unop.operand->kind == BPFKIT_EXPR_MAP) {
		cg_map_rmw(g, e->u.unop.operand, BPFKIT_OP_ADD, NULL, e->u.unop.op == BPFKIT_OP_INC ? 1 : -1);
		return;
	}
	if (e->kind == BPFKIT_EXPR_CALL && (sx_of(e)->fn->flags & FN_VOID)) {
		sx_of(e)->fn->gen_stmt(g, e);
		return;
	}
	if (e->kind == BPFKIT_EXPR_TERNARY && !sx_of(e)->t) { /* branches that are statements */
		int no = cg_label(g), end = cg_label(g);

		cg_cond_false(g, e->u.ternary.cond, no);
		cg_stmt_expr(g, e->u.ternary.yes);
		cg_goto(g, end);
		cg_place(g, no);
		cg_stmt_expr(g, e->u.ternary.no);
		cg_place(g, end);
		return;
	}
	if (!sx_of(e)->t)
		return;
	if (ty_is_word(sx_of(e)->t)) {
		cg_free(g, cg_int(g, e));
		return;
	}
	cg_store(g, e, cg_stack(g, sx_of(e)->t->size), sx_of(e)->t);
}
