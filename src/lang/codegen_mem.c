// SPDX-License-Identifier: MIT
/*
 * Code that reads memory through pointers: struct members, array elements,
 * *p. A program may not load from a kernel or user address itself, so every
 * read is a helper call into a frame slot:
 *
 *   r1 = r10 - slot; r2 = size; r3 = address; call probe_read_kernel (113)
 *   rX = *(uN *)(r10 - slot)      ; sign-extended for signed types
 *
 * with probe_read_user (112) when the pointer points to user memory
 * (types_sema.c decides). A failed read leaves zeroes, as the helpers
 * define. $t->mm->owner->pid is three reads, each address computed from the
 * value the previous one produced, as bpftrace does.
 */
#include "lang/compile_int.h"

void cg_probe_read(struct cg *g, int off, uint32_t size, int src, bool user)
{
	cg_fp_addr(g, 1, off);
	cg_mov_imm(g, 2, size);
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, 3, src, 0, 0);
	cg_call(g, user ? "probe_read_user" : "probe_read_kernel");
}

/*
 * The address of base[index] for an index known only at run time, into a
 * pool register: the base's address (an array in memory) or value (a
 * pointer), plus the index times the element size. It needs a second register while the base is held;
 * when the pool is empty, the base waits in a frame slot.
 */
static int cg_index_addr(struct cg *g, const struct bpfkit_ast_expr *e)
{
	const struct bpfkit_ast_expr *b = e->u.index.base;
	const struct sx *s = sx_of(e), *bs = sx_of(b);
	int r = bs->mem && bs->ct->kind == BPFKIT_LANG_C_ARRAY ? cg_addr(g, b) : cg_int(g, b);
	int ri, slot = 0, sp = g->sp;

	if (cg_pool_free(g) == 0) {
		slot = cg_stack(g, 8);
		cg_emit(g, BPFKIT_STX | BPFKIT_MEM | BPFKIT_DW, BPFKIT_REG_FP, r, (int16_t)slot, 0);
		cg_free(g, r);
		r = -1;
	}
	ri = cg_int(g, e->u.index.index);
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_MUL | BPFKIT_K, ri, 0, 0, (int32_t)s->scale);
	if (r < 0) {
		cg_emit(g, BPFKIT_LDX | BPFKIT_MEM | BPFKIT_DW, 0, BPFKIT_REG_FP, (int16_t)slot, 0);
		cg_emit(g, BPFKIT_ALU64 | BPFKIT_ADD | BPFKIT_X, ri, 0, 0, 0);
		g->sp = sp;
		return ri;
	}
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_ADD | BPFKIT_X, r, ri, 0, 0);
	cg_free(g, ri);
	g->sp = sp;
	return r;
}

/*
 * The address of @p e without its constant part, which goes to *off: a
 * chain of '.' and constant indexes ($t->se.vruntime, $t->stats[2]) is one
 * base plus one offset.
 */
static int cg_addr_base(struct cg *g, const struct bpfkit_ast_expr *e, int64_t *off)
{
	const struct sx *s = sx_of(e);
	const struct bpfkit_ast_expr *b;
	int r;

	switch (e->kind) {
	case BPFKIT_EXPR_FIELD: /* p->m: p's value; x.m: x's address; plus the offset */
		*off += s->off;
		b = e->u.field.base;
		return e->u.field.arrow ? cg_int(g, b) : cg_addr_base(g, b, off);
	case BPFKIT_EXPR_INDEX:
		b = e->u.index.base;
		if (s->scale)
			return cg_index_addr(g, e);
		*off += s->off;
		if (sx_of(b)->mem && sx_of(b)->ct->kind == BPFKIT_LANG_C_ARRAY)
			return cg_addr_base(g, b, off);
		return cg_int(g, b);
	case BPFKIT_EXPR_UNOP: /* *p: p's value */
		return cg_int(g, e->u.unop.operand);
	default: /* sema marks nothing else as in memory */
		r = cg_need_reg(g, e);
		cg_mov_imm(g, r, 0);
		return r;
	}
}

int cg_addr(struct cg *g, const struct bpfkit_ast_expr *e)
{
	int64_t off = 0;
	int r = cg_addr_base(g, e, &off);

	if (off && off <= INT32_MAX) {
		cg_emit(g, BPFKIT_ALU64 | BPFKIT_ADD | BPFKIT_K, r, 0, 0, (int32_t)off);
	} else if (off) {
		cg_mov_imm(g, 1, off);
		cg_emit(g, BPFKIT_ALU64 | BPFKIT_ADD | BPFKIT_X, r, 1, 0, 0);
	}
	return r;
}

/*
 * An integer (or pointer) in memory. A bit-field is read with the bytes
 * that hold it into a zeroed word, then shifted up to the top and back down
 * (arithmetically when its type is signed): x86-64 is little-endian, so bit
 * n of the word is bit n of the field's first byte onwards.
 */
int cg_mem_int(struct cg *g, const struct bpfkit_ast_expr *e)
{
	const struct sx *s = sx_of(e);
	int r = cg_addr(g, e), sp = g->sp, slot = cg_stack(g, 8);
	bool sign = s->t->is_signed && s->t != &ty_ptr;

	if (s->bit_size) {
		uint32_t nbytes = (s->bit_shift + s->bit_size + 7) / 8;

		cg_zero(g, slot, 8);
		cg_probe_read(g, slot, nbytes, r, s->user);
		cg_load(g, r, BPFKIT_REG_FP, slot, 8, false);
		if (64 - s->bit_shift - s->bit_size)
			cg_emit(g, BPFKIT_ALU64 | BPFKIT_LSH | BPFKIT_K, r, 0, 0, (int32_t)(64 - s->bit_shift - s->bit_size));
		if (s->bit_size < 64)
			cg_emit(g, BPFKIT_ALU64 | (sign ? BPFKIT_ARSH : BPFKIT_RSH) | BPFKIT_K, r, 0, 0,
				(int32_t)(64 - s->bit_size));
	} else {
		cg_probe_read(g, slot, s->t->size, r, s->user);
		cg_load(g, r, BPFKIT_REG_FP, slot, s->t->size, sign);
	}
	g->sp = sp;
	return r;
}

/* A char array in memory as a string: all its bytes (or as many as fit),
 * zero padded, as bpftrace copies char[N] members. */
void cg_mem_str(struct cg *g, const struct bpfkit_ast_expr *e, int off, uint32_t size)
{
	uint32_t n = sx_of(e)->ct->size < size ? sx_of(e)->ct->size : size;
	int r = cg_addr(g, e);

	cg_zero(g, off, (size + 7) & ~7u);
	cg_probe_read(g, off, n, r, sx_of(e)->user);
	cg_free(g, r);
}
