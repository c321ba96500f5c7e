// SPDX-License-Identifier: MIT
/*
 * The kernel dialect: C-like statements as the verifier log
 * (kernel/bpf/disasm.c), bpftool and llvm-objdump print them.
 *
 *   w0 = 1            r0 += r1          r0 = -r0          r0 = (s8)r1
 *   r0 = be16 r0      r1 = 0x1122334455667788 ll          r1 = map[id:3]
 *   r0 = *(u64 *)(r1 + 8)               *(u32 *)(r10 -4) = r1
 *   lock *(u64 *)(r10 -8) += r1         r1 = atomic64_fetch_add((u64 *)(r10 -8), r1)
 *   r1 = xchg_64(r10 - 8, r1)           r0 = cmpxchg_64(r10 - 8, r0, r1)
 *   if r1 s> r2 goto -2                 goto pc+3         gotol +5
 *   r0 = *(u16 *)skb[r1 + 14]
 *
 * A 'w' register selects the 32-bit class (ALU, JMP32). Operators, access
 * sizes and atomic function names are tables; the instruction they build
 * is checked against the opcode table when it is emitted.
 */
#include <stdio.h>
#include <string.h>

#include "asm_int.h"

/* dst OP= src */
static const struct kern_alu {
	const char *op;
	uint8_t code;
	int16_t off; /* 1: signed division / modulo */
} kern_alu_ops[] = {
	{ "+=", BPFKIT_ADD, 0 },  { "-=", BPFKIT_SUB, 0 },  { "*=", BPFKIT_MUL, 0 },
	{ "/=", BPFKIT_DIV, 0 },  { "s/=", BPFKIT_DIV, 1 }, { "%=", BPFKIT_MOD, 0 },
	{ "s%=", BPFKIT_MOD, 1 }, { "|=", BPFKIT_OR, 0 },   { "&=", BPFKIT_AND, 0 },
	{ "<<=", BPFKIT_LSH, 0 }, { ">>=", BPFKIT_RSH, 0 }, { "s>>=", BPFKIT_ARSH, 0 },
	{ "^=", BPFKIT_XOR, 0 },
};

/* if dst OP src goto target */
static const struct kern_jmp {
	const char *op;
	uint8_t code;
} kern_jmp_ops[] = {
	{ "==", BPFKIT_JEQ },  { "!=", BPFKIT_JNE },   { ">", BPFKIT_JGT },   { ">=", BPFKIT_JGE },
	{ "<", BPFKIT_JLT },   { "<=", BPFKIT_JLE },   { "&", BPFKIT_JSET },  { "s>", BPFKIT_JSGT },
	{ "s>=", BPFKIT_JSGE }, { "s<", BPFKIT_JSLT }, { "s<=", BPFKIT_JSLE },
};

/* *(u32 *) and friends: size field, mode (MEM or sign-extending MEMSX) */
static const struct kern_size {
	const char *name;
	uint8_t size;
	uint8_t mode;
	uint8_t bytes;
} kern_sizes[] = {
	{ "u8", BPFKIT_B, BPFKIT_MEM, 1 },    { "u16", BPFKIT_H, BPFKIT_MEM, 2 },
	{ "u32", BPFKIT_W, BPFKIT_MEM, 4 },   { "u64", BPFKIT_DW, BPFKIT_MEM, 8 },
	{ "s8", BPFKIT_B, BPFKIT_MEMSX, 1 },  { "s16", BPFKIT_H, BPFKIT_MEMSX, 2 },
	{ "s32", BPFKIT_W, BPFKIT_MEMSX, 4 },
};

/* lock *(u64 *)(dst + off) OP= src */
static const struct kern_alu kern_lock_ops[] = {
	{ "+=", BPFKIT_ADD, 0 }, { "|=", BPFKIT_OR, 0 }, { "&=", BPFKIT_AND, 0 }, { "^=", BPFKIT_XOR, 0 },
};

/*
 * dst = NAME(addr, [r0,] src): the kernel log's atomic64_fetch_add((u64 *)..)
 * and llvm's atomic_fetch_add((u64 *)..), xchg_64(r1 + 0, ..), cmpxchg_64(..).
 * size 0: the cast decides; cast: the address is written "(u64 *)(r1 + 0)".
 */
static const struct kern_atomic {
	const char *name;
	int32_t op;
	uint8_t size;
	bool cast;
} kern_atomics[] = {
	{ "atomic_fetch_add", BPFKIT_ADD | BPFKIT_FETCH, 0, true },
	{ "atomic_fetch_and", BPFKIT_AND | BPFKIT_FETCH, 0, true },
	{ "atomic_fetch_or", BPFKIT_OR | BPFKIT_FETCH, 0, true },
	{ "atomic_fetch_xor", BPFKIT_XOR | BPFKIT_FETCH, 0, true },
	{ "atomic_xchg", BPFKIT_XCHG, 0, true },
	{ "atomic_cmpxchg", BPFKIT_CMPXCHG, 0, true },
	{ "atomic64_fetch_add", BPFKIT_ADD | BPFKIT_FETCH, 8, true },
	{ "atomic64_fetch_and", BPFKIT_AND | BPFKIT_FETCH, 8, true },
	{ "atomic64_fetch_or", BPFKIT_OR | BPFKIT_FETCH, 8, true },
	{ "atomic64_fetch_xor", BPFKIT_XOR | BPFKIT_FETCH, 8, true },
	{ "atomic64_xchg", BPFKIT_XCHG, 8, true },
	{ "atomic64_cmpxchg", BPFKIT_CMPXCHG, 8, true },
	{ "xchg_64", BPFKIT_XCHG, 8, false },
	{ "xchg32_32", BPFKIT_XCHG, 4, false },
	{ "cmpxchg_64", BPFKIT_CMPXCHG, 8, false },
	{ "cmpxchg32_32", BPFKIT_CMPXCHG, 4, false },
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static uint8_t alu_class(const struct asm_reg *r)
{
	return r->kind == 'w' ? BPFKIT_ALU : BPFKIT_ALU64;
}

/* Both sides of an ALU or compare must be 32-bit (w) or 64-bit (r). */
static int same_width(struct asm_ctx *c, const struct asm_reg *a, const struct asm_reg *b)
{
	if (a->kind == b->kind)
		return 0;
	return asm_err_tok(c, b->tok, "'%.*s' and '%.*s' mix 32-bit (w) and 64-bit (r) registers",
			   a->tok->len, a->tok->p, b->tok->len, b->tok->p);
}

static int want_r(struct asm_ctx *c, const struct asm_reg *r, const char *what)
{
	if (r->kind == 'r')
		return 0;
	return asm_err_tok(c, r->tok, "%s needs a 64-bit register (r%u, not w%u)", what, r->num,
			   r->num);
}

/* "(u64 *)" -> its size row */
static int kern_cast(struct asm_ctx *c, const struct kern_size **sz)
{
	const struct asm_tok *t;
	int err = asm_expect(c, "(");

	if (err)
		return err;
	t = asm_cur(c);
	*sz = NULL;
	for (size_t i = 0; i < ARRAY_LEN(kern_sizes); i++)
		if (asm_tok_is(t, kern_sizes[i].name))
			*sz = &kern_sizes[i];
	if (!*sz)
		return asm_err_got(c, "an access size (u8, u16, u32, u64, s8, s16, s32)");
	asm_next(c);
	err = asm_expect(c, "*");
	return err ? err : asm_expect(c, ")");
}

/* addr -> REG [ ('+'|'-') NUMBER ]; the register must be a 64-bit one */
static int kern_addr(struct asm_ctx *c, struct asm_reg *base, int16_t *off)
{
	struct asm_num n;
	int err = asm_reg(c, base);

	*off = 0;
	err = err ? err : want_r(c, base, "an address");
	if (err || !(asm_tok_is(asm_cur(c), "+") || asm_tok_is(asm_cur(c), "-")))
		return err;
	err = asm_num(c, &n);
	return err ? err : asm_fit_off16(c, &n, off);
}

/* mem -> '(' addr ')' */
static int kern_mem(struct asm_ctx *c, struct asm_reg *base, int16_t *off)
{
	const struct asm_tok *open = asm_cur(c);
	int err = asm_expect(c, "(");

	err = err ? err : kern_addr(c, base, off);
	if (err)
		return err;
	if (asm_cur(c)->kind == TOK_END)
		return asm_err_tok(c, open, "unterminated '(' (expected ')')");
	return asm_expect(c, ")");
}

static int finish(struct asm_ctx *c, const struct bpfkit_insn *insn, int nslots,
		  const struct asm_tok *at)
{
	int err = asm_expect_end(c);

	return err ? err : asm_emit(c, insn, nslots, at);
}

/* alu -> REG OP= ( REG | NUMBER ) */
static int kern_alu(struct asm_ctx *c, const struct asm_reg *dst, const struct kern_alu *a)
{
	struct bpfkit_insn insn = { .dst = dst->num, .off = a->off };
	struct asm_reg src;
	struct asm_num n;
	int err;

	insn.code = alu_class(dst) | a->code;
	if (asm_cur(c)->kind == TOK_REG) {
		err = asm_reg(c, &src);
		err = err ? err : same_width(c, dst, &src);
		insn.code |= BPFKIT_X;
		insn.src = src.num;
	} else {
		err = asm_num(c, &n);
		err = err ? err : asm_fit_imm32(c, &n, &insn.imm);
	}
	return err ? err : finish(c, &insn, 1, dst->tok);
}

/* Fill an LDDW pair with a 64-bit value. */
static void lddw_value(struct bpfkit_insn *insn, uint64_t v)
{
	insn[0].imm = (int32_t)(uint32_t)v;
	insn[1].imm = (int32_t)(uint32_t)(v >> 32);
}

/* REG = NUMBER [ll]: a move, or with "ll" (or the log's "(18)") an LDDW. */
static int kern_mov_imm(struct asm_ctx *c, const struct asm_reg *dst)
{
	struct bpfkit_insn insn[2] = { { .dst = dst->num } };
	struct asm_num n;
	uint64_t v;
	int err = asm_num(c, &n);

	if (err)
		return err;
	if (asm_accept(c, "ll") || c->ln->hint == BPFKIT_OP_LDDW) {
		err = want_r(c, dst, "a 64-bit load");
		v = err ? 0 : asm_num_u64(&n, c, &err);
		if (err)
			return err;
		insn[0].code = BPFKIT_OP_LDDW;
		lddw_value(insn, v);
		return finish(c, insn, 2, dst->tok);
	}
	insn[0].code = alu_class(dst) | BPFKIT_MOV | BPFKIT_K;
	err = asm_fit_imm32(c, &n, &insn[0].imm);
	return err ? err : finish(c, insn, 1, dst->tok);
}

/* REG = REG */
static int kern_mov_reg(struct asm_ctx *c, const struct asm_reg *dst)
{
	struct bpfkit_insn insn = { .dst = dst->num, .code = alu_class(dst) | BPFKIT_MOV | BPFKIT_X };
	struct asm_reg src;
	int err = asm_reg(c, &src);

	err = err ? err : same_width(c, dst, &src);
	insn.src = src.num;
	return err ? err : finish(c, &insn, 1, dst->tok);
}

/* REG = -REG: negation names the same register twice */
static int kern_neg(struct asm_ctx *c, const struct asm_reg *dst)
{
	struct bpfkit_insn insn = { .dst = dst->num, .code = alu_class(dst) | BPFKIT_NEG };
	struct asm_reg src;
	int err;

	asm_next(c); /* '-' */
	err = asm_reg(c, &src);
	if (err)
		return err;
	if (src.num != dst->num || src.kind != dst->kind)
		return asm_err_tok(c, src.tok, "negation works in place: write '%.*s = -%.*s'",
				   dst->tok->len, dst->tok->p, dst->tok->len, dst->tok->p);
	return finish(c, &insn, 1, dst->tok);
}

/* REG = (s8)REG: sign-extending move, off = source width */
static int kern_movsx(struct asm_ctx *c, const struct asm_reg *dst)
{
	struct bpfkit_insn insn = { .dst = dst->num, .code = alu_class(dst) | BPFKIT_MOV | BPFKIT_X };
	const struct asm_tok *t;
	struct asm_reg src;
	int err;

	asm_next(c); /* '(' */
	t = asm_cur(c);
	if (asm_tok_is(t, "s8"))
		insn.off = 8;
	else if (asm_tok_is(t, "s16"))
		insn.off = 16;
	else if (asm_tok_is(t, "s32") && dst->kind == 'r')
		insn.off = 32;
	else
		return asm_err_got(c, dst->kind == 'r' ? "(s8), (s16) or (s32)" : "(s8) or (s16)");
	asm_next(c);
	err = asm_expect(c, ")");
	err = err ? err : asm_reg(c, &src);
	err = err ? err : same_width(c, dst, &src);
	insn.src = src.num;
	return err ? err : finish(c, &insn, 1, dst->tok);
}

/* REG = be16 REG, le32, bswap64 ...: the table names them; one register */
static int kern_end(struct asm_ctx *c, const struct asm_reg *dst, const struct bpfkit_opinfo *row)
{
	struct bpfkit_insn insn = { .dst = dst->num, .code = row->code, .imm = row->imm };
	struct asm_reg src;
	int err;

	asm_next(c);
	err = asm_reg(c, &src);
	if (err)
		return err;
	if (src.num != dst->num)
		return asm_err_tok(c, src.tok, "byte swaps work in place: write '%.*s = %s %.*s'",
				   dst->tok->len, dst->tok->p, row->name, dst->tok->len, dst->tok->p);
	return finish(c, &insn, 1, dst->tok);
}

/* REG = *(u8 *)skb[NUMBER] | *(u8 *)skb[REG + NUMBER]: legacy packet loads */
static int kern_skb(struct asm_ctx *c, const struct asm_reg *dst, const struct kern_size *sz)
{
	struct bpfkit_insn insn = { .code = BPFKIT_LD | sz->size | BPFKIT_ABS };
	struct asm_reg idx;
	struct asm_num n = { 0 };
	int err;

	if (dst->num != 0)
		return asm_err_tok(c, dst->tok, "legacy packet loads always load into r0");
	if (sz->mode != BPFKIT_MEM || sz->bytes == 8)
		return asm_err_tok(c, asm_cur(c), "legacy packet loads take u8, u16 or u32");
	asm_next(c); /* skb */
	err = asm_expect(c, "[");
	if (!err && asm_cur(c)->kind == TOK_REG) {
		insn.code = BPFKIT_LD | sz->size | BPFKIT_IND;
		err = asm_reg(c, &idx);
		insn.src = idx.num;
		if (!err && asm_accept(c, "+"))
			err = asm_num(c, &n);
	} else if (!err) {
		err = asm_num(c, &n);
	}
	err = err ? err : asm_fit_imm32(c, &n, &insn.imm);
	err = err ? err : asm_expect(c, "]");
	return err ? err : finish(c, &insn, 1, dst->tok);
}

/* REG = *(SIZE *)(REG + OFF), or a legacy skb[] load */
static int kern_load(struct asm_ctx *c, const struct asm_reg *dst)
{
	const struct kern_size *sz = NULL;
	struct bpfkit_insn insn = { .dst = dst->num };
	struct asm_reg base;
	int err;

	asm_next(c); /* '*' */
	err = kern_cast(c, &sz);
	if (err)
		return err;
	if (asm_tok_is(asm_cur(c), "skb"))
		return kern_skb(c, dst, sz);
	if (sz->bytes == 8)
		err = want_r(c, dst, "a 64-bit load");
	err = err ? err : kern_mem(c, &base, &insn.off);
	insn.code = BPFKIT_LDX | sz->size | sz->mode;
	insn.src = base.num;
	return err ? err : finish(c, &insn, 1, dst->tok);
}

/*
 * map_ref -> 'map' '[' ( 'id' ':' NUMBER | NAME ) ']' [ '[' 0 ']' [ '+' NUMBER ] ] ['ll']
 * As bpftool and the verifier print map pointers: map[id:3] is an LDDW with
 * src MAP_FD and imm 3, map[id:3][0]+16 has src MAP_VALUE and 16 in the
 * second slot. A NAME instead of "id:N" is a symbolic reference: src 0, a
 * relocation, and the value offset in imm (as an ELF object has it).
 */
int asm_map_ref(struct asm_ctx *c, struct bpfkit_insn *insn)
{
	const struct asm_tok *name = NULL;
	struct asm_num n;
	int32_t id = 0, off = 0;
	bool value = false;
	int err;

	asm_next(c); /* map */
	err = asm_expect(c, "[");
	if (!err && asm_tok_is(asm_cur(c), "id") && asm_tok_is(asm_peek(c, 1), ":")) {
		c->pos += 2;
		err = asm_num(c, &n);
		err = err ? err : asm_fit_imm32(c, &n, &id);
	} else if (!err && asm_cur(c)->kind == TOK_IDENT) {
		name = asm_next(c);
	} else if (!err) {
		err = asm_err_got(c, "'id:N' or a map name");
	}
	err = err ? err : asm_expect(c, "]");
	if (!err && asm_accept(c, "[")) {
		value = true;
		err = asm_num(c, &n);
		if (!err && (n.mag || n.neg))
			err = asm_err(c, n.col, n.len, "a map value reference is written [0]");
		err = err ? err : asm_expect(c, "]");
		if (!err && asm_accept(c, "+")) {
			err = asm_num(c, &n);
			err = err ? err : asm_fit_imm32(c, &n, &off);
		}
	}
	if (err)
		return err;
	asm_accept(c, "ll");
	if (name) {
		insn[0].imm = off;
		return asm_reloc(c, c->n, value ? BPFKIT_RELOC_MAP_VALUE : BPFKIT_RELOC_MAP, name->p,
				 name->len);
	}
	insn[0].src = value ? BPFKIT_PSEUDO_MAP_VALUE : BPFKIT_PSEUDO_MAP_FD;
	insn[0].imm = id;
	insn[1].imm = off;
	return 0;
}

/* REG = map[...] or REG = NAME ll: LDDW of a map address */
static int kern_lddw_sym(struct asm_ctx *c, const struct asm_reg *dst)
{
	struct bpfkit_insn insn[2] = { { .code = BPFKIT_OP_LDDW, .dst = dst->num } };
	const struct asm_tok *t = asm_cur(c);
	int err = want_r(c, dst, "a 64-bit load");

	if (err)
		return err;
	if (asm_tok_is(t, "map") && asm_tok_is(asm_peek(c, 1), "[")) {
		err = asm_map_ref(c, insn);
	} else {
		c->pos += 2; /* NAME ll */
		err = asm_reloc(c, c->n, t->p[0] == '.' ? BPFKIT_RELOC_MAP_VALUE : BPFKIT_RELOC_MAP,
				t->p, t->len);
	}
	return err ? err : finish(c, insn, 2, dst->tok);
}

/* The address of an atomic function: "(u64 *)(r1 + 0)" or plain "r1 + 0". */
static int atomic_addr(struct asm_ctx *c, const struct kern_atomic *fn, struct bpfkit_insn *insn,
		       uint8_t *size)
{
	const struct kern_size *sz = NULL;
	struct asm_reg base;
	int err = 0;

	*size = fn->size;
	if (asm_tok_is(asm_cur(c), "(") && asm_peek(c, 1)->kind == TOK_IDENT) {
		const struct asm_tok *cast = asm_peek(c, 1);
		err = kern_cast(c, &sz);
		if (!err && (sz->mode != BPFKIT_MEM || sz->bytes < 4 || (fn->size && fn->size != sz->bytes)))
			err = asm_err_tok(c, cast, "'%s' works on %s", fn->name,
					  fn->size == 8 ? "(u64 *)" : fn->size ? "(u32 *)"
									    : "(u32 *) or (u64 *)");
		*size = sz ? sz->bytes : 0;
		err = err ? err : kern_mem(c, &base, &insn->off);
	} else if (fn->cast) {
		return asm_err_got(c, "a cast like (u64 *)");
	} else if (asm_tok_is(asm_cur(c), "(")) {
		err = kern_mem(c, &base, &insn->off);
	} else {
		err = kern_addr(c, &base, &insn->off);
	}
	insn->dst = base.num;
	return err;
}

/*
 * REG = fn(addr, src) and REG = fn(addr, r0, src) for cmpxchg: the result
 * register is the operand register (fetch, xchg) or r0 (cmpxchg), since
 * the instruction has no separate destination.
 */
static int kern_atomic(struct asm_ctx *c, const struct asm_reg *dst, const struct kern_atomic *fn)
{
	struct bpfkit_insn insn = { .imm = fn->op };
	struct asm_reg cmp, src;
	uint8_t size = 0;
	int err;

	asm_next(c); /* the name */
	err = asm_expect(c, "(");
	err = err ? err : atomic_addr(c, fn, &insn, &size);
	err = err ? err : asm_expect(c, ",");
	if (!err && fn->op == BPFKIT_CMPXCHG) {
		err = asm_reg(c, &cmp);
		if (!err && (cmp.num != 0 || dst->num != 0))
			err = asm_err_tok(c, cmp.num ? cmp.tok : dst->tok,
					  "cmpxchg compares with r0 and returns the old value in r0");
		err = err ? err : asm_expect(c, ",");
	}
	err = err ? err : asm_reg(c, &src);
	if (!err && fn->op != BPFKIT_CMPXCHG && src.num != dst->num)
		err = asm_err_tok(c, dst->tok, "'%s' returns the old value in its operand register "
					       "'%.*s'", fn->name, src.tok->len, src.tok->p);
	if (!err && size == 8)
		err = want_r(c, &src, "a 64-bit atomic operation");
	err = err ? err : asm_expect(c, ")");
	insn.code = BPFKIT_STX | BPFKIT_ATOMIC | (size == 8 ? BPFKIT_DW : BPFKIT_W);
	insn.src = src.num;
	return err ? err : finish(c, &insn, 1, dst->tok);
}

/* The identifier after "REG =": a byte swap, a map, an atomic, "NAME ll". */
static int kern_rhs_name(struct asm_ctx *c, const struct asm_reg *dst)
{
	const struct asm_tok *t = asm_cur(c);
	char name[24];

	if (asm_tok_is(asm_peek(c, 1), "ll")) /* any name, even "le32" or "map" */
		return kern_lddw_sym(c, dst);
	if (t->len < (int)sizeof(name)) {
		const struct bpfkit_opinfo *row;
		snprintf(name, sizeof(name), "%.*s", t->len, t->p);
		row = bpfkit_opinfo__by_name(name);
		if (row && row->shape == BPFKIT_SHAPE_END)
			return kern_end(c, dst, row);
	}
	for (size_t i = 0; i < ARRAY_LEN(kern_atomics); i++)
		if (asm_tok_is(t, kern_atomics[i].name))
			return kern_atomic(c, dst, &kern_atomics[i]);
	if (asm_tok_is(t, "map") && asm_tok_is(asm_peek(c, 1), "["))
		return kern_lddw_sym(c, dst);
	return asm_err_tok(c, t, "unexpected '%.*s' after '=' (a map is loaded with "
				 "'%.*s = %.*s ll')", t->len, t->p, dst->tok->len, dst->tok->p, t->len,
			   t->p);
}

/* assign -> REG '=' rhs, where rhs picks the instruction by its first token */
static int kern_rhs(struct asm_ctx *c, const struct asm_reg *dst)
{
	const struct asm_tok *t = asm_cur(c);

	if (asm_tok_is(t, "-") && asm_peek(c, 1)->kind == TOK_REG)
		return kern_neg(c, dst);
	if (asm_at_num(c))
		return kern_mov_imm(c, dst);
	if (t->kind == TOK_REG)
		return kern_mov_reg(c, dst);
	if (asm_tok_is(t, "("))
		return kern_movsx(c, dst);
	if (asm_tok_is(t, "*"))
		return kern_load(c, dst);
	if (t->kind == TOK_IDENT)
		return kern_rhs_name(c, dst);
	return asm_err_got(c, "a register, a number, a load or a byte swap after '='");
}

/* REG '=' rhs | REG OP= operand */
static int kern_assign(struct asm_ctx *c)
{
	struct asm_reg dst;
	int err = asm_reg(c, &dst);

	if (err)
		return err;
	if (asm_accept(c, "="))
		return kern_rhs(c, &dst);
	for (size_t i = 0; i < ARRAY_LEN(kern_alu_ops); i++)
		if (asm_accept(c, kern_alu_ops[i].op))
			return kern_alu(c, &dst, &kern_alu_ops[i]);
	return asm_err_got(c, "'=' or an operator such as '+='");
}

/* store -> '*' '(' SIZE '*' ')' mem '=' ( REG | NUMBER ) */
static int kern_store(struct asm_ctx *c)
{
	const struct asm_tok *star = asm_next(c);
	const struct kern_size *sz = NULL;
	struct bpfkit_insn insn = { 0 };
	struct asm_reg base, src;
	struct asm_num n;
	int err = kern_cast(c, &sz);

	if (!err && sz->mode != BPFKIT_MEM)
		return asm_err_tok(c, star, "stores take an unsigned size (u8, u16, u32, u64)");
	err = err ? err : kern_mem(c, &base, &insn.off);
	err = err ? err : asm_expect(c, "=");
	if (err)
		return err;
	insn.dst = base.num;
	if (asm_cur(c)->kind == TOK_REG) {
		err = asm_reg(c, &src);
		if (!err && sz->bytes == 8)
			err = want_r(c, &src, "a 64-bit store");
		insn.code = BPFKIT_STX | BPFKIT_MEM | sz->size;
		insn.src = src.num;
	} else {
		err = asm_num(c, &n);
		err = err ? err : asm_fit_imm32(c, &n, &insn.imm);
		insn.code = BPFKIT_ST | BPFKIT_MEM | sz->size;
	}
	return err ? err : finish(c, &insn, 1, star);
}

/* lock -> 'lock' '*' '(' SIZE '*' ')' mem OP= REG */
static int kern_lock(struct asm_ctx *c)
{
	const struct asm_tok *lock = asm_next(c), *cast;
	const struct kern_alu *op = NULL;
	const struct kern_size *sz = NULL;
	struct bpfkit_insn insn = { 0 };
	struct asm_reg base, src;
	int err;

	asm_next(c); /* '*' */
	cast = asm_peek(c, 1);
	err = kern_cast(c, &sz);
	if (!err && (sz->mode != BPFKIT_MEM || sz->bytes < 4))
		return asm_err_tok(c, cast, "atomic operations work on (u32 *) or (u64 *)");
	err = err ? err : kern_mem(c, &base, &insn.off);
	if (err)
		return err;
	for (size_t i = 0; i < ARRAY_LEN(kern_lock_ops) && !op; i++)
		if (asm_accept(c, kern_lock_ops[i].op))
			op = &kern_lock_ops[i];
	if (!op)
		return asm_err_got(c, "'+=', '|=', '&=' or '^='");
	err = asm_reg(c, &src);
	if (!err && sz->bytes == 8)
		err = want_r(c, &src, "a 64-bit atomic operation");
	insn.code = BPFKIT_STX | BPFKIT_ATOMIC | sz->size;
	insn.dst = base.num;
	insn.src = src.num;
	insn.imm = op->code;
	return err ? err : finish(c, &insn, 1, lock);
}

/* jcond -> 'if' REG CMP ( REG | NUMBER ) 'goto' target */
static int kern_jcond(struct asm_ctx *c)
{
	const struct asm_tok *word = asm_next(c);
	const struct kern_jmp *op = NULL;
	struct bpfkit_insn insn = { 0 };
	struct asm_reg dst, src;
	struct asm_num n;
	int err = asm_reg(c, &dst);

	if (err)
		return err;
	for (size_t i = 0; i < ARRAY_LEN(kern_jmp_ops) && !op; i++)
		if (asm_accept(c, kern_jmp_ops[i].op))
			op = &kern_jmp_ops[i];
	if (!op)
		return asm_err_got(c, "a comparison (==, !=, >, >=, <, <=, &, s>, s>=, s<, s<=)");
	insn.code = (dst.kind == 'w' ? BPFKIT_JMP32 : BPFKIT_JMP) | op->code;
	insn.dst = dst.num;
	if (asm_cur(c)->kind == TOK_REG) {
		err = asm_reg(c, &src);
		err = err ? err : same_width(c, &dst, &src);
		insn.code |= BPFKIT_X;
		insn.src = src.num;
	} else {
		err = asm_num(c, &n);
		err = err ? err : asm_fit_imm32(c, &n, &insn.imm);
	}
	err = err ? err : asm_expect(c, "goto");
	err = err ? err : asm_target(c, false, &insn);
	return err ? err : finish(c, &insn, 1, word);
}

/* goto -> 'goto' target | 'gotol' target (32-bit offset in imm) */
static int kern_goto(struct asm_ctx *c)
{
	const struct asm_tok *word = asm_next(c);
	bool wide = asm_tok_is(word, "gotol");
	struct bpfkit_insn insn = { .code = (wide ? BPFKIT_JMP32 : BPFKIT_JMP) | BPFKIT_JA };
	int err = asm_target(c, wide, &insn);

	return err ? err : finish(c, &insn, 1, word);
}

bool asm_kern_starts(struct asm_ctx *c)
{
	const struct asm_tok *t = asm_cur(c);

	return t->kind == TOK_REG || asm_tok_is(t, "*") || asm_tok_is(t, "if") ||
	       asm_tok_is(t, "goto") || asm_tok_is(t, "gotol") ||
	       (asm_tok_is(t, "lock") && asm_tok_is(asm_peek(c, 1), "*"));
}

int asm_kern_stmt(struct asm_ctx *c)
{
	const struct asm_tok *t = asm_cur(c);

	if (t->kind == TOK_REG)
		return kern_assign(c);
	if (asm_tok_is(t, "*"))
		return kern_store(c);
	if (asm_tok_is(t, "lock"))
		return kern_lock(c);
	if (asm_tok_is(t, "if"))
		return kern_jcond(c);
	return kern_goto(c);
}
