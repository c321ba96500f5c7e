// SPDX-License-Identifier: MIT
/*
 * The conformance dialect, as bpf_conformance's tests/NAME.data and ubpf write
 * it: "mnemonic op, op, op" with %rN registers, [%rN+off] memory operands,
 * labels or +N as jump targets. The mnemonic names rows of the opcode
 * table; the row's shape says which operands it takes (shape_operands), so
 * one parser covers every instruction, and "mov %r0, 1" / "mov %r0, %r1"
 * pick their row by the kind of the second operand.
 */
#include <stdio.h>
#include <string.h>

#include "asm_int.h"

/*
 * Operands by shape, one letter each:
 *   d dst register     s src register    i 32-bit immediate
 *   M [dst+off]        m [src+off]       j jump target in off   J in imm
 * NULL: the shape has its own parser (lddw, call).
 */
static const char *const shape_operands[] = {
	[BPFKIT_SHAPE_ALU_K] = "di",  [BPFKIT_SHAPE_ALU_X] = "ds",  [BPFKIT_SHAPE_NEG] = "d",
	[BPFKIT_SHAPE_END] = "d",     [BPFKIT_SHAPE_LDDW] = NULL,   [BPFKIT_SHAPE_LD_ABS] = "i",
	[BPFKIT_SHAPE_LD_IND] = "si", [BPFKIT_SHAPE_LDX] = "dm",    [BPFKIT_SHAPE_ST] = "Mi",
	[BPFKIT_SHAPE_STX] = "Ms",    [BPFKIT_SHAPE_ATOMIC] = "Ms", [BPFKIT_SHAPE_JA] = "j",
	[BPFKIT_SHAPE_JA32] = "J",    [BPFKIT_SHAPE_JMP_K] = "dij", [BPFKIT_SHAPE_JMP_X] = "dsj",
	[BPFKIT_SHAPE_CALL] = NULL,   [BPFKIT_SHAPE_CALLX] = "d",   [BPFKIT_SHAPE_EXIT] = "",
};

/* What an operand turned out to be. */
enum { OP_REG = 1, OP_NUM = 2, OP_MEM = 4, OP_NAME = 8 };

struct conf_op {
	int kind; /* OP_* */
	const struct asm_tok *tok; /* first token */
	int col, len; /* whole operand */
	struct asm_reg reg; /* OP_REG, or the base of OP_MEM */
	struct asm_num num; /* OP_NUM, or the offset of OP_MEM */
};

#define MAX_OPS 4
#define MAX_ROWS 4

static int op_kinds(char letter)
{
	switch (letter) {
	case 'd':
	case 's':
		return OP_REG;
	case 'i':
		return OP_NUM;
	case 'M':
	case 'm':
		return OP_MEM;
	default: /* j, J */
		return OP_NUM | OP_NAME;
	}
}

/* Registers in this dialect are %rN (plain rN is accepted too). */
static int conf_reg(struct asm_ctx *c, struct asm_reg *r)
{
	const struct asm_tok *t = asm_cur(c);

	if (t->kind == TOK_REG && t->reg_kind != 'r')
		return asm_err_tok(c, t, "invalid register '%.*s' (registers are %%r0..%%r10)", t->len,
				   t->p);
	return asm_reg(c, r);
}

/* mem -> '[' REG ( ']' | ('+'|'-') NUMBER ']' ) */
static int conf_mem(struct asm_ctx *c, struct conf_op *op)
{
	const struct asm_tok *open = asm_next(c);
	int err = conf_reg(c, &op->reg);

	if (err)
		return err;
	if (asm_accept(c, "]"))
		return 0;
	if (asm_tok_is(asm_cur(c), "+") || asm_tok_is(asm_cur(c), "-")) {
		err = asm_num(c, &op->num);
		if (err)
			return err;
		if (asm_accept(c, "]"))
			return 0;
	}
	if (asm_cur(c)->kind == TOK_END)
		return asm_err_tok(c, open, "unterminated '[' (expected ']')");
	return asm_err_got(c, op->num.len ? "']'" : "'+', '-' or ']'");
}

/* operand -> REG | [+|-] NUMBER | mem | NAME, with the span it covers for
 * messages about it. */
static int conf_operand(struct asm_ctx *c, struct conf_op *op)
{
	const struct asm_tok *t = asm_cur(c), *last;
	int err = 0;

	memset(op, 0, sizeof(*op));
	op->tok = t;
	op->col = t->col;
	if (t->kind == TOK_REG) {
		op->kind = OP_REG;
		err = conf_reg(c, &op->reg);
	} else if (asm_at_num(c)) {
		op->kind = OP_NUM;
		err = asm_num(c, &op->num);
	} else if (asm_tok_is(t, "[")) {
		op->kind = OP_MEM;
		err = conf_mem(c, op);
	} else if (t->kind == TOK_IDENT) {
		op->kind = OP_NAME;
		asm_next(c);
	} else {
		return asm_err_got(c, "an operand");
	}
	last = &c->toks[c->pos ? c->pos - 1 : 0];
	op->len = last->col + last->len - op->col;
	return err;
}

/* operands -> [ operand { ',' operand } ] END */
static int conf_operands(struct asm_ctx *c, struct conf_op *ops, int *nops)
{
	int err;

	*nops = 0;
	if (asm_cur(c)->kind == TOK_END)
		return 0;
	for (;;) {
		if (*nops == MAX_OPS)
			return asm_err_tok(c, asm_cur(c), "too many operands");
		err = conf_operand(c, &ops[(*nops)++]);
		if (err)
			return err;
		if (asm_cur(c)->kind == TOK_END)
			return 0;
		if (!asm_accept(c, ","))
			return asm_err_got(c, "',' or end of line");
	}
}

/* "a register or an immediate": what a set of OP_* kinds reads as. */
static void describe_kinds(int mask, char *buf, size_t size)
{
	static const struct {
		int kind;
		const char *text;
	} names[] = {
		{ OP_REG, "a register" },
		{ OP_NUM, "an immediate" },
		{ OP_MEM, "a memory operand like [%r1+8]" },
		{ OP_NAME, "a label" },
	};
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
		if (!(mask & names[i].kind))
			continue;
		used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? " or " : "",
					 names[i].text);
		if (used >= size)
			return;
	}
}

/* Operand counts differ from every row: say how many are wanted. */
static int count_error(struct asm_ctx *c, const struct asm_tok *mn, const char *name,
		       const struct conf_op *ops, int nops, int want)
{
	if (nops > want)
		return asm_err(c, ops[want].col, ops[nops - 1].col + ops[nops - 1].len - ops[want].col,
			       "'%s' takes %d operand%s, got %d", name, want, want == 1 ? "" : "s",
			       nops);
	return asm_err(c, mn->col, mn->len, "'%s' takes %d operand%s, got %d", name, want,
		       want == 1 ? "" : "s", nops);
}

/* Encode operands into the row's fields, letter by letter. */
static int conf_build(struct asm_ctx *c, const struct bpfkit_opinfo *row, const struct conf_op *ops,
		      const struct asm_tok *mn)
{
	const char *pat = shape_operands[row->shape];
	struct bpfkit_insn insn = { .code = row->code };
	int err = 0;

	if (row->match & BPFKIT_MATCH_OFF)
		insn.off = row->off;
	if (row->match & BPFKIT_MATCH_IMM)
		insn.imm = row->imm;
	for (int k = 0; !err && pat[k]; k++) {
		const struct conf_op *op = &ops[k];
		switch (pat[k]) {
		case 'd': insn.dst = op->reg.num; break;
		case 's': insn.src = op->reg.num; break;
		case 'i': err = asm_fit_imm32(c, &op->num, &insn.imm); break;
		case 'M':
			insn.dst = op->reg.num;
			err = asm_fit_off16(c, &op->num, &insn.off);
			break;
		case 'm':
			insn.src = op->reg.num;
			err = asm_fit_off16(c, &op->num, &insn.off);
			break;
		case 'j':
			err = op->kind == OP_NAME ? asm_fixup(c, c->n, FIX_OFF, op->tok)
						  : asm_fit_off16(c, &op->num, &insn.off);
			break;
		case 'J':
			err = op->kind == OP_NAME ? asm_fixup(c, c->n, FIX_IMM, op->tok)
						  : asm_fit_simm32(c, &op->num, &insn.imm);
			break;
		}
	}
	return err ? err : asm_emit(c, &insn, 1, mn);
}

/*
 * Parse the operands and pick the row (of up to MAX_ROWS sharing a name)
 * whose operand letters they fit. When none fits, report the operand
 * furthest along that every candidate stumbled on, with what would have
 * been accepted there.
 */
static int conf_match(struct asm_ctx *c, const struct bpfkit_opinfo *const *rows, int nrows,
		      const struct asm_tok *mn, const char *name)
{
	struct conf_op ops[MAX_OPS];
	int nops, err = conf_operands(c, ops, &nops), fail = -1, want = 0, nwant = -1;
	char buf[160];

	if (err)
		return err;
	for (int r = 0; r < nrows; r++) {
		const char *pat = shape_operands[rows[r]->shape];
		int k, np = pat ? (int)strlen(pat) : -1;

		if (!pat)
			continue;
		if (np != nops) {
			nwant = np;
			continue;
		}
		for (k = 0; k < np && (op_kinds(pat[k]) & ops[k].kind); k++)
			;
		if (k == np)
			return conf_build(c, rows[r], ops, mn);
		if (k > fail) {
			fail = k;
			want = 0;
		}
		if (k == fail)
			want |= op_kinds(pat[k]);
	}
	if (fail < 0)
		return count_error(c, mn, name, ops, nops, nwant);
	describe_kinds(want, buf, sizeof(buf));
	return asm_err(c, ops[fail].col, ops[fail].len, "expected %s, got '%.*s'", buf,
		       ops[fail].len, c->ln->p + ops[fail].col - 1);
}

/* Table rows named @p name (ALU and jump names have a K and an X row). */
static int rows_named(const char *name, const struct bpfkit_opinfo **rows)
{
	int n = 0;

	for (size_t i = 0; i < bpfkit_opinfo__count() && n < MAX_ROWS; i++)
		if (!strcmp(bpfkit_opinfo__at(i)->name, name))
			rows[n++] = bpfkit_opinfo__at(i);
	return n;
}

/* The table name of a mnemonic token; swap16/32/64 are bswap's old names. */
static bool mnemonic_name(const struct asm_tok *t, char *buf, size_t size)
{
	if (t->kind != TOK_IDENT || (size_t)t->len + 2 > size)
		return false;
	if (t->len == 6 && !memcmp(t->p, "swap", 4)) {
		snprintf(buf, size, "b%.*s", t->len, t->p);
		return true;
	}
	snprintf(buf, size, "%.*s", t->len, t->p);
	return true;
}

bool asm_conf_knows(const struct asm_tok *t)
{
	char name[40];

	if (asm_tok_is(t, "lock"))
		return true;
	return mnemonic_name(t, name, sizeof(name)) && bpfkit_opinfo__by_name(name);
}

/*
 * lddw_stmt -> 'lddw' REG ',' ( NUMBER | NAME | map_ref )
 * A NAME is a symbolic map reference (imm 0 and a relocation); map[id:N]
 * and map[id:N][0]+OFF set the pseudo source as the kernel dialect does.
 */
static int conf_lddw(struct asm_ctx *c, const struct asm_tok *mn)
{
	struct bpfkit_insn insn[2] = { { .code = BPFKIT_OP_LDDW } };
	const struct asm_tok *t;
	struct asm_reg dst;
	struct asm_num n;
	uint64_t v;
	int err = conf_reg(c, &dst);

	err = err ? err : asm_expect(c, ",");
	if (err)
		return err;
	insn[0].dst = dst.num;
	t = asm_cur(c);
	if (asm_tok_is(t, "map") && asm_tok_is(asm_peek(c, 1), "[")) {
		err = asm_map_ref(c, insn);
	} else if (t->kind == TOK_IDENT) {
		asm_next(c);
		err = asm_reloc(c, c->n, t->p[0] == '.' ? BPFKIT_RELOC_MAP_VALUE : BPFKIT_RELOC_MAP,
				t->p, t->len);
	} else {
		err = asm_num(c, &n);
		v = err ? 0 : asm_num_u64(&n, c, &err);
		insn[0].imm = (int32_t)(uint32_t)v;
		insn[1].imm = (int32_t)(uint32_t)(v >> 32);
	}
	err = err ? err : asm_expect_end(c);
	return err ? err : asm_emit(c, insn, 2, mn);
}

/* lock_stmt -> 'lock' ['fetch'] OP ... ("lock fetch xchg" = "lock xchg") */
static int conf_lock(struct asm_ctx *c, const struct asm_tok *mn)
{
	const struct bpfkit_opinfo *rows[MAX_ROWS];
	const struct asm_tok *op;
	bool fetch = asm_accept(c, "fetch");
	char name[48];
	int n;

	op = asm_cur(c);
	if (op->kind != TOK_IDENT || op->len > 16)
		return asm_err_got(c, "an atomic operation (add, or, and, xor, xchg, cmpxchg)");
	asm_next(c);
	snprintf(name, sizeof(name), "lock %s%.*s", fetch ? "fetch " : "", op->len, op->p);
	n = rows_named(name, rows);
	if (!n && fetch && strstr(name, "xchg")) {
		snprintf(name, sizeof(name), "lock %.*s", op->len, op->p);
		n = rows_named(name, rows);
	}
	if (!n)
		return asm_err(c, mn->col, op->col + op->len - mn->col,
			       "unknown atomic operation '%s'", name);
	return conf_match(c, rows, n, mn, name);
}

/* stmt -> lock_stmt | lddw_stmt | MNEMONIC operands; the rows named by the
 * mnemonic decide the operands. */
int asm_conf_stmt(struct asm_ctx *c)
{
	const struct bpfkit_opinfo *rows[MAX_ROWS];
	const struct asm_tok *mn = asm_next(c);
	char name[40];
	int n;

	if (asm_tok_is(mn, "lock"))
		return conf_lock(c, mn);
	if (!mnemonic_name(mn, name, sizeof(name)))
		return asm_unknown(c, mn, "instruction");
	if (!strcmp(name, "lddw"))
		return conf_lddw(c, mn);
	n = rows_named(name, rows);
	if (!n)
		return asm_unknown(c, mn, "instruction");
	return conf_match(c, rows, n, mn, name);
}
