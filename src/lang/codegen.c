// SPDX-License-Identifier: MIT
/*
 * The instruction emitter and the shape of a program.
 *
 * A program is: r9 = ctx; zero the variables' slots; the predicate (a jump
 * to the exit when false); the body; exit with r0 = 0. The emitter keeps a
 * line table (the script line of every slot), labels fixed up at the end,
 * map relocations by name, a frame allocator (8-byte slots below r10, 512
 * bytes at most) and a pool of three callee-saved registers (r6-r8) for
 * expression values, so they survive helper calls. See docs/lang-compiler.md.
 *
 * Code no jump reaches is not emitted: after an unconditional jump (exit(),
 * return, break, continue, the jump over an else) the emitter drops what
 * follows until a label some jump targets is placed. The kernel's verifier
 * rejects unreachable instructions, and bpftrace accepts statements after
 * exit() (sema warns about them).
 */
#include <errno.h>
#include <string.h>

#include "lang/compile_int.h"

/* Grow an arena array to hold one more element (old storage is abandoned). */
static void *grow(struct arena *a, void *p, size_t n, size_t *cap, size_t elem)
{
	void *q;

	if (n < *cap)
		return p;
	*cap = *cap ? *cap * 2 : 64;
	q = arena_alloc(a, *cap * elem);
	if (n)
		memcpy(q, p, n * elem);
	return q;
}

void cg_emit(struct cg *g, uint8_t code, int dst, int src, int16_t off, int32_t imm)
{
	size_t cap = g->cap;

	if (g->dead)
		return;
	g->insns = grow(g->c->a, g->insns, g->n, &cap, sizeof(*g->insns));
	if (cap != g->cap) {
		size_t lcap = g->cap;

		g->lines = grow(g->c->a, g->lines, g->n, &lcap, sizeof(*g->lines));
		g->cap = cap;
	}
	g->insns[g->n] = (struct bpfkit_insn){ .code = code, .dst = (uint8_t)dst, .src = (uint8_t)src,
					       .off = off, .imm = imm };
	g->lines[g->n] = g->line;
	g->n++;
}

/* Load a 64-bit constant: one mov when it fits in a sign-extended imm32. */
void cg_mov_imm(struct cg *g, int dst, int64_t v)
{
	if (v >= INT32_MIN && v <= INT32_MAX) {
		cg_emit(g, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_K, dst, 0, 0, (int32_t)v);
		return;
	}
	cg_emit(g, BPFKIT_OP_LDDW, dst, BPFKIT_PSEUDO_IMM64, 0, (int32_t)(uint32_t)(uint64_t)v);
	cg_emit(g, 0, 0, 0, 0, (int32_t)(uint32_t)((uint64_t)v >> 32));
}

/* dst = the map called @p name: an LDDW the loader patches (reloc by name). */
void cg_ld_map(struct cg *g, int dst, const char *name)
{
	if (g->dead)
		return;
	g->relocs = grow(g->c->a, g->relocs, g->nrelocs, &g->capr, sizeof(*g->relocs));
	g->relocs[g->nrelocs++] = (struct bpfkit_reloc){ .insn = g->n, .kind = BPFKIT_RELOC_MAP,
							 .name = (char *)name };
	cg_emit(g, BPFKIT_OP_LDDW, dst, BPFKIT_PSEUDO_MAP_FD, 0, 0);
	cg_emit(g, 0, 0, 0, 0, 0);
}

void cg_call_unchecked(struct cg *g, const char *helper)
{
	int32_t id = bpfkit_helper_id(helper);

	cg_emit(g, BPFKIT_OP_CALL, 0, BPFKIT_CALL_HELPER, 0, id);
}

void cg_call(struct cg *g, const char *helper)
{
	cg_call_unchecked(g, helper);
	if (g->c->env && g->c->env->helper_checks)
		cg_helper_check(g, helper);
}

int cg_label(struct cg *g)
{
	g->labels = grow(g->c->a, g->labels, g->nlabels, &g->caplabels, sizeof(*g->labels));
	g->labels[g->nlabels] = -1;
	g->label_refs = grow(g->c->a, g->label_refs, g->nlabels, &g->caprefs, sizeof(*g->label_refs));
	g->label_refs[g->nlabels] = 0;
	return (int)g->nlabels++;
}

/* A label some emitted jump targets makes the code after it reachable again. */
void cg_place(struct cg *g, int label)
{
	g->labels[label] = (int)g->n;
	if (g->label_refs[label])
		g->dead = false;
}

static void cg_fixup(struct cg *g, int label)
{
	g->label_refs[label]++;
	g->fix = grow(g->c->a, g->fix, g->nfix, &g->capfix, sizeof(*g->fix));
	g->fix[g->nfix].insn = g->n;
	g->fix[g->nfix].label = label;
	g->nfix++;
}

void cg_jmp(struct cg *g, uint8_t op, int dst, int src, int32_t imm, int label)
{
	if (g->dead)
		return;
	cg_fixup(g, label);
	if (src < 0)
		cg_emit(g, BPFKIT_JMP | op | BPFKIT_K, dst, 0, 0, imm);
	else
		cg_emit(g, BPFKIT_JMP | op | BPFKIT_X, dst, src, 0, 0);
}

void cg_goto(struct cg *g, int label)
{
	if (g->dead)
		return;
	cg_fixup(g, label);
	cg_emit(g, BPFKIT_JMP | BPFKIT_JA, 0, 0, 0, 0);
	g->dead = true;
}

/* A frame slot of @p size bytes rounded up to 8; reports once per program
 * when the 512-byte frame is exhausted (then hands out a harmless slot). */
int cg_stack(struct cg *g, uint32_t size)
{
	uint32_t sz = (size + 7) & ~7u;

	if (sz > BPFKIT_STACK_SIZE || g->sp + (int)sz > BPFKIT_STACK_SIZE) {
		if (!g->overflow) {
			g->overflow = true;
			sema_error(g->c, g->stmt_loc, NULL,
				   "this statement needs more than the %d bytes of stack eBPF allows "
				   "(%d in use, %u more wanted)", BPFKIT_STACK_SIZE, g->sp, sz);
		}
		return -8;
	}
	g->sp += (int)sz;
	if (g->sp > g->max_sp)
		g->max_sp = g->sp;
	return -g->sp;
}

void cg_zero(struct cg *g, int off, uint32_t size)
{
	for (uint32_t i = 0; i + 8 <= size; i += 8)
		cg_emit(g, BPFKIT_ST | BPFKIT_MEM | BPFKIT_DW, BPFKIT_REG_FP, 0, (int16_t)(off + (int)i), 0);
}

/* Copy @p size bytes (a multiple of 8) from [src_reg + src_off] to the frame,
 * through r1 (so src_reg may be r0, and must not be r1). */
void cg_copy(struct cg *g, int dst_off, int src_reg, int src_off, uint32_t size)
{
	for (uint32_t i = 0; i + 8 <= size; i += 8) {
		cg_emit(g, BPFKIT_LDX | BPFKIT_MEM | BPFKIT_DW, 1, src_reg, (int16_t)(src_off + (int)i), 0);
		cg_emit(g, BPFKIT_STX | BPFKIT_MEM | BPFKIT_DW, BPFKIT_REG_FP, 1, (int16_t)(dst_off + (int)i), 0);
	}
}

int cg_reg(struct cg *g)
{
	for (int i = 0; i < CG_NPOOL; i++) {
		if (!g->pool[i]) {
			g->pool[i] = true;
			return 6 + i;
		}
	}
	return -1;
}

void cg_free(struct cg *g, int reg)
{
	if (reg >= 6 && reg < 6 + CG_NPOOL)
		g->pool[reg - 6] = false;
}

void cg_fp_addr(struct cg *g, int reg, int off)
{
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, reg, BPFKIT_REG_FP, 0, 0);
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_ADD | BPFKIT_K, reg, 0, 0, off);
}

/* Loads of 1, 2 and 4 bytes zero-extend; signed ones are then sign-extended
 * with a shift pair (no MEMSX: older kernels reject cpu v4 loads). */
void cg_load(struct cg *g, int dst, int src, int off, uint32_t size, bool sign)
{
	static const uint8_t sz[9] = { [1] = BPFKIT_B, [2] = BPFKIT_H, [4] = BPFKIT_W, [8] = BPFKIT_DW };

	cg_emit(g, BPFKIT_LDX | BPFKIT_MEM | sz[size], dst, src, (int16_t)off, 0);
	if (sign && size < 8) {
		cg_emit(g, BPFKIT_ALU64 | BPFKIT_LSH | BPFKIT_K, dst, 0, 0, 64 - 8 * (int)size);
		cg_emit(g, BPFKIT_ALU64 | BPFKIT_ARSH | BPFKIT_K, dst, 0, 0, 64 - 8 * (int)size);
	}
}

void cg_exit(struct cg *g)
{
	cg_goto(g, g->exit_label);
}

/* ---- Statements --------------------------------------------------------------------------- */

void cg_stmt(struct cg *g, const struct bpfkit_ast_stmt *st);

static void cg_if(struct cg *g, const struct bpfkit_ast_stmt *st)
{
	int no = cg_label(g), end = cg_label(g);

	cg_cond_false(g, st->u.if_.cond, no);
	cg_stmt_block(g, st->u.if_.then);
	if (st->u.if_.otherwise) {
		cg_goto(g, end);
		cg_place(g, no);
		cg_stmt(g, st->u.if_.otherwise);
		cg_place(g, end);
	} else {
		cg_place(g, no);
	}
}

/*
 * while (cond) { body }:
 *   top: if !(cond) goto end; body; goto top; end:
 * The back edge is a plain backward jump: kernels since 5.3 accept it when
 * the verifier can see the loop end (a bounded counter), as bpftrace relies
 * on. break jumps to end, continue to top.
 */
static void cg_while(struct cg *g, const struct bpfkit_ast_stmt *st)
{
	int top = cg_label(g), end = cg_label(g);
	int brk = g->break_label, cont = g->continue_label;

	cg_place(g, top);
	cg_cond_false(g, st->u.while_.cond, end);
	g->break_label = end;
	g->continue_label = top;
	cg_stmt_block(g, st->u.while_.body);
	g->line = st->loc.line;
	cg_goto(g, top);
	cg_place(g, end);
	g->break_label = brk;
	g->continue_label = cont;
}

/* unroll(N) { body }: N copies of the body (sema checked 1 <= N <= 100). */
static void cg_unroll(struct cg *g, const struct bpfkit_ast_stmt *st)
{
	const struct bpfkit_ast_expr *n = st->u.unroll.count;
	int64_t count = n->kind == BPFKIT_EXPR_PARAM ? sx_of(n)->pval : (int64_t)n->u.num.value;

	for (int64_t i = 0; i < count && i < 100; i++)
		cg_stmt_block(g, st->u.unroll.body);
}

void cg_stmt_assign(struct cg *g, const struct bpfkit_ast_stmt *st);
void cg_stmt_expr(struct cg *g, const struct bpfkit_ast_expr *e);

/* One statement. Frame slots taken by its temporaries are given back after
 * it; slots of variables were taken in the prologue. */
void cg_stmt(struct cg *g, const struct bpfkit_ast_stmt *st)
{
	int sp = g->sp;

	g->line = st->loc.line;
	g->stmt_loc = st->loc;
	g->loc = st->loc;
	switch (st->kind) {
	case BPFKIT_STMT_EXPR:
		cg_stmt_expr(g, st->u.expr);
		break;
	case BPFKIT_STMT_ASSIGN:
		cg_stmt_assign(g, st);
		break;
	case BPFKIT_STMT_IF:
		cg_if(g, st);
		break;
	case BPFKIT_STMT_BLOCK:
		cg_stmt_block(g, st->u.block);
		break;
	case BPFKIT_STMT_RETURN:
		cg_exit(g);
		break;
	case BPFKIT_STMT_WHILE:
		cg_while(g, st);
		break;
	case BPFKIT_STMT_UNROLL:
		cg_unroll(g, st);
		break;
	case BPFKIT_STMT_BREAK:
		cg_goto(g, g->break_label);
		break;
	case BPFKIT_STMT_CONTINUE:
		cg_goto(g, g->continue_label);
		break;
	default:
		break; /* refused by sema */
	}
	g->sp = sp;
}

void cg_stmt_block(struct cg *g, const struct bpfkit_ast_block *b)
{
	for (size_t i = 0; i < b->n; i++)
		cg_stmt(g, b->stmts[i]);
}

/* Copy the arena-built code into @p out->prog (arena too; the caller copies
 * to malloc'd memory at the end) with labels resolved. */
static void cg_finish(struct cg *g, struct bpfkit_lang_prog *out)
{
	struct bpfkit_prog *p = arena_alloc(g->c->a, sizeof(*p));

	for (size_t i = 0; i < g->nfix; i++) {
		struct bpfkit_insn *in = &g->insns[g->fix[i].insn];
		int off = g->labels[g->fix[i].label] - (int)g->fix[i].insn - 1;

		/* a large unroll() can make a jump too long for its 16-bit offset */
		if (off < INT16_MIN || off > INT16_MAX) {
			sema_error(g->c, g->c->t->probe->loc, NULL, "the program is too large (a jump spans %d instructions)",
				   off);
			break;
		}
		in->off = (int16_t)off;
	}
	p->insns = g->insns;
	p->lines = g->lines;
	p->len = g->n;
	p->relocs = g->relocs;
	p->nrelocs = g->nrelocs;
	out->prog = p;
}

/* Generate the program of target @p t (sema already annotated its probe). */
int codegen_program(struct cctx *c, struct target *t, struct bpfkit_lang_prog *out)
{
	struct cg g = { .c = c };
	const struct bpfkit_ast_probe *pr = t->probe;
	unsigned errors = c->errors;

	g.line = pr->loc.line;
	g.stmt_loc = pr->loc;
	g.exit_label = cg_label(&g);
	g.break_label = g.continue_label = -1;
	cg_emit(&g, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, CG_CTX, 1, 0, 0);
	for (size_t i = 0; i < c->vars.n; i++) {
		struct var *v = c->vars.items[i];

		v->off = cg_stack(&g, v->t->size);
		cg_zero(&g, v->off, (v->t->size + 7) & ~7u);
	}
	if (pr->pred) {
		g.line = pr->pred->loc.line;
		g.stmt_loc = pr->pred->loc;
		cg_cond_false(&g, pr->pred, g.exit_label);
	}
	cg_stmt_block(&g, pr->body);
	g.line = pr->body->loc.line + 0;
	{
		/* the closing brace's line: where the body ends */
		const char *src = c->l->src;
		size_t off = lang_loc_off(c->l, pr->body->loc) + (size_t)pr->body->loc.len;
		int line = pr->body->loc.line;

		for (size_t i = lang_loc_off(c->l, pr->body->loc); i + 1 < off && src[i]; i++)
			if (src[i] == '\n')
				line++;
		g.line = line;
	}
	cg_place(&g, g.exit_label);
	cg_emit(&g, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_K, 0, 0, 0, 0);
	cg_emit(&g, BPFKIT_OP_EXIT, 0, 0, 0, 0);
	cg_finish(&g, out);
	return c->errors != errors ? -EINVAL : 0;
}
