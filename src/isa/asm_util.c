// SPDX-License-Identifier: MIT
/*
 * Pieces both assembler dialects use: walking tokens, diagnostics with a
 * column and a span, registers, numbers with range checks, jump targets,
 * the call/exit statements (spelled the same in both), and the "did you
 * mean" suggestion for an unknown mnemonic.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "asm_int.h"

const struct asm_tok *asm_cur(struct asm_ctx *c)
{
	return &c->toks[c->pos];
}

const struct asm_tok *asm_peek(struct asm_ctx *c, size_t ahead)
{
	size_t i = c->pos + ahead;

	return &c->toks[i < c->ntoks ? i : c->ntoks];
}

const struct asm_tok *asm_next(struct asm_ctx *c)
{
	const struct asm_tok *t = asm_cur(c);

	if (c->pos < c->ntoks)
		c->pos++;
	return t;
}

/* A token spelled exactly @p s (identifier, register or punctuation). */
bool asm_tok_is(const struct asm_tok *t, const char *s)
{
	size_t l = strlen(s);

	return t->kind != TOK_END && (size_t)t->len == l && !memcmp(t->p, s, l);
}

bool asm_accept(struct asm_ctx *c, const char *s)
{
	if (!asm_tok_is(asm_cur(c), s))
		return false;
	asm_next(c);
	return true;
}

static void vset(struct asm_ctx *c, int col, int len, const char *fmt, va_list ap)
{
	if (!c->diag)
		return;
	c->diag->line = c->ln ? c->ln->lineno : 0;
	c->diag->col = col;
	c->diag->len = len > 0 ? len : 1;
	vsnprintf(c->diag->msg, sizeof(c->diag->msg), fmt, ap);
}

int asm_err(struct asm_ctx *c, int col, int len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vset(c, col, len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

int asm_err_tok(struct asm_ctx *c, const struct asm_tok *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vset(c, t->col, t->len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* "expected WANT, got 'TOKEN'" at the current token. */
int asm_err_got(struct asm_ctx *c, const char *want)
{
	const struct asm_tok *t = asm_cur(c);

	if (t->kind == TOK_END)
		return asm_err_tok(c, t, "expected %s, got end of line", want);
	return asm_err_tok(c, t, "expected %s, got '%.*s'", want, t->len, t->p);
}

int asm_expect(struct asm_ctx *c, const char *s)
{
	char want[16];

	if (asm_accept(c, s))
		return 0;
	snprintf(want, sizeof(want), "'%s'", s);
	return asm_err_got(c, want);
}

/*
 * The statement must end here. llvm-objdump follows jump targets with the
 * label it resolved ("goto +3 <LBB0_2>"); that annotation is skipped.
 */
int asm_expect_end(struct asm_ctx *c)
{
	const struct asm_tok *t = asm_cur(c), *last;

	if (asm_tok_is(t, "<") && asm_tok_is(&c->toks[c->ntoks - 1], ">")) {
		c->pos = c->ntoks;
		return 0;
	}
	if (t->kind == TOK_END)
		return 0;
	last = &c->toks[c->ntoks - 1];
	return asm_err(c, t->col, last->col + last->len - t->col,
		       "unexpected '%.*s' after the instruction", t->len, t->p);
}

/* Range-check a register token: r0..r10 exist, r11..r15 fit the field but
 * are not registers (bpf_conformance's negative tests use them). */
int asm_reg_check(struct asm_ctx *c, const struct asm_tok *t, struct asm_reg *r)
{
	if (t->kind != TOK_REG)
		return asm_err_tok(c, t, "expected a register, got '%.*s'", t->len, t->p);
	if (t->reg >= BPFKIT_NREGS || (t->percent && t->reg_kind != 'r'))
		return asm_err_tok(c, t, "invalid register '%.*s' (registers are %s0..%s10)", t->len,
				   t->p, t->percent ? "%r" : "r", t->percent ? "%r" : "r");
	r->num = (uint8_t)t->reg;
	r->kind = t->reg_kind;
	r->tok = t;
	return 0;
}

int asm_reg(struct asm_ctx *c, struct asm_reg *r)
{
	const struct asm_tok *t = asm_cur(c);

	if (t->kind != TOK_REG)
		return asm_err_got(c, "a register");
	asm_next(c);
	return asm_reg_check(c, t, r);
}

bool asm_at_num(struct asm_ctx *c)
{
	const struct asm_tok *t = asm_cur(c);

	if (t->kind == TOK_NUM)
		return true;
	return (asm_tok_is(t, "-") || asm_tok_is(t, "+")) && asm_peek(c, 1)->kind == TOK_NUM;
}

/* [+|-] NUMBER, remembering the span for range errors. */
int asm_num(struct asm_ctx *c, struct asm_num *n)
{
	const struct asm_tok *t = asm_cur(c), *v;

	memset(n, 0, sizeof(*n));
	n->col = t->col;
	if (asm_tok_is(t, "-") || asm_tok_is(t, "+")) {
		n->neg = t->p[0] == '-';
		asm_next(c);
	}
	v = asm_cur(c);
	if (v->kind != TOK_NUM)
		return asm_err_got(c, "a number");
	asm_next(c);
	n->mag = v->num;
	n->len = v->col + v->len - n->col;
	return 0;
}

static const char *num_text(struct asm_ctx *c, const struct asm_num *n)
{
	return c->ln->p + n->col - 1;
}

/* A 32-bit immediate: -2^31..2^32-1. Values above INT32_MAX keep their bit
 * pattern (0xffffffff is -1), as the conformance suite's assembler and the
 * kernel's "(u32)imm" printing both expect. */
int asm_fit_imm32(struct asm_ctx *c, const struct asm_num *n, int32_t *out)
{
	if (n->neg ? n->mag > (uint64_t)1 << 31 : n->mag > UINT32_MAX)
		return asm_err(c, n->col, n->len, "immediate %.*s does not fit in 32 bits", n->len,
			       num_text(c, n));
	*out = n->neg ? (int32_t)(0 - (uint32_t)n->mag) : (int32_t)(uint32_t)n->mag;
	return 0;
}

int asm_fit_off16(struct asm_ctx *c, const struct asm_num *n, int16_t *out)
{
	if (n->neg ? n->mag > 32768 : n->mag > 32767)
		return asm_err(c, n->col, n->len,
			       "offset %.*s does not fit in 16 bits (-32768..32767)", n->len,
			       num_text(c, n));
	*out = n->neg ? (int16_t)(0 - (uint16_t)n->mag) : (int16_t)n->mag;
	return 0;
}

/* A signed 32-bit value with no wrap-around (gotol and call offsets). */
int asm_fit_simm32(struct asm_ctx *c, const struct asm_num *n, int32_t *out)
{
	if (n->neg ? n->mag > (uint64_t)1 << 31 : n->mag > INT32_MAX)
		return asm_err(c, n->col, n->len, "offset %.*s does not fit in 32 bits", n->len,
			       num_text(c, n));
	*out = n->neg ? (int32_t)(0 - (uint32_t)n->mag) : (int32_t)n->mag;
	return 0;
}

/* A 64-bit immediate (lddw): -2^63..2^64-1. */
uint64_t asm_num_u64(const struct asm_num *n, struct asm_ctx *c, int *err)
{
	*err = 0;
	if (n->neg && n->mag > (uint64_t)1 << 63) {
		*err = asm_err(c, n->col, n->len, "immediate %.*s does not fit in 64 bits", n->len,
			       num_text(c, n));
		return 0;
	}
	return n->neg ? 0 - n->mag : n->mag;
}

/*
 * A jump target: a label (resolved later), +N / -N / N, or the kernel's
 * "pc+N". @p wide puts it in imm (gotol, call) instead of off.
 */
int asm_target(struct asm_ctx *c, bool wide, struct bpfkit_insn *insn)
{
	const struct asm_tok *t = asm_cur(c);
	struct asm_num n;
	int err;

	if (asm_tok_is(t, "pc") && (asm_tok_is(asm_peek(c, 1), "+") || asm_tok_is(asm_peek(c, 1), "-")))
		t = asm_next(c);
	if (asm_at_num(c)) {
		err = asm_num(c, &n);
		if (!err)
			err = wide ? asm_fit_simm32(c, &n, &insn->imm) : asm_fit_off16(c, &n, &insn->off);
		return err;
	}
	if (t->kind == TOK_IDENT) {
		asm_next(c);
		return asm_fixup(c, c->n, wide ? FIX_IMM : FIX_OFF, t);
	}
	return asm_err_got(c, "a jump target (a label or +N)");
}

bool asm_is_shared(const struct asm_tok *t)
{
	return asm_tok_is(t, "call") || asm_tok_is(t, "callx") || asm_tok_is(t, "exit");
}

/* call kind words of the conformance dialect, and their CALL src values */
static int call_kind(const struct asm_tok *t)
{
	if (asm_tok_is(t, "helper"))
		return BPFKIT_CALL_HELPER;
	if (asm_tok_is(t, "local"))
		return BPFKIT_CALL_LOCAL;
	if (asm_tok_is(t, "runtime") || asm_tok_is(t, "kfunc"))
		return BPFKIT_CALL_KFUNC;
	return -1;
}

/* The operand after "call": a number (helper id), "pc+N" (local), or a name
 * that is a label of this file (local call) or a helper ("name#N" too). */
static int call_operand(struct asm_ctx *c, struct bpfkit_insn *insn)
{
	const struct asm_tok *t = asm_cur(c);
	struct asm_num n;
	int err;

	if (asm_tok_is(t, "pc") && (asm_tok_is(asm_peek(c, 1), "+") || asm_tok_is(asm_peek(c, 1), "-"))) {
		insn->src = BPFKIT_CALL_LOCAL;
		return asm_target(c, true, insn);
	}
	if (asm_at_num(c)) {
		err = asm_num(c, &n);
		return err ? err : asm_fit_imm32(c, &n, &insn->imm);
	}
	if (t->kind != TOK_IDENT)
		return asm_err_got(c, "a helper id, a helper name or a label");
	asm_next(c);
	if (asm_tok_is(asm_cur(c), "#") && !asm_cur(c)->space_before) {
		/* the verifier log's "call bpf_map_lookup_elem#1": the id decides */
		asm_next(c);
		err = asm_num(c, &n);
		return err ? err : asm_fit_imm32(c, &n, &insn->imm);
	}
	return asm_fixup(c, c->n, FIX_CALL, t);
}

/*
 * call_stmt -> 'callx' REG
 *            | 'call' REG                      (callx)
 *            | 'call' ('local'|'helper'|'runtime'|'kfunc') OPERAND
 *            | 'call' OPERAND
 * The register of callx goes in dst, as bpf_conformance and the opcode
 * table have it.
 */
int asm_stmt_call(struct asm_ctx *c)
{
	const struct asm_tok *word = asm_next(c), *t = asm_cur(c);
	struct bpfkit_insn insn = { .code = BPFKIT_OP_CALL };
	struct asm_reg r;
	int kind, err;

	if (asm_tok_is(word, "callx") || t->kind == TOK_REG ||
	    (asm_tok_is(t, "helper") && asm_peek(c, 1)->kind == TOK_REG)) {
		if (t->kind != TOK_REG)
			asm_next(c);
		err = asm_reg(c, &r);
		if (err)
			return err;
		insn.code = BPFKIT_OP_CALLX;
		insn.dst = r.num;
	} else if ((kind = call_kind(t)) >= 0 && asm_peek(c, 1)->kind != TOK_END) {
		asm_next(c);
		insn.src = (uint8_t)kind;
		if (kind == BPFKIT_CALL_LOCAL) {
			err = asm_target(c, true, &insn);
		} else {
			struct asm_num n;
			err = asm_num(c, &n);
			err = err ? err : asm_fit_imm32(c, &n, &insn.imm);
		}
	} else {
		err = call_operand(c, &insn);
	}
	err = err ? err : asm_expect_end(c);
	return err ? err : asm_emit(c, &insn, 1, word);
}

int asm_stmt_exit(struct asm_ctx *c)
{
	const struct asm_tok *word = asm_next(c);
	struct bpfkit_insn insn = { .code = BPFKIT_OP_EXIT };
	int err;

	if (asm_cur(c)->kind != TOK_END && !asm_tok_is(asm_cur(c), "<"))
		return asm_err_tok(c, asm_cur(c), "'exit' takes no operands");
	err = asm_expect_end(c);
	if (err)
		return err;
	if (c->first_exit < 0)
		c->first_exit = (long)c->n;
	return asm_emit(c, &insn, 1, word);
}

/* Levenshtein distance of two short words (both at most 31 bytes); @p a
 * is compared in lower case, so "MOV" is near "mov". */
static int edit_distance(const char *a, int la, const char *b, int lb)
{
	int row[32], prev, tmp;

	for (int j = 0; j <= lb; j++)
		row[j] = j;
	for (int i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (int j = 1; j <= lb; j++) {
			int best = prev + (tolower((unsigned char)a[i - 1]) != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			tmp = row[j];
			row[j] = best;
			prev = tmp;
		}
	}
	return row[lb];
}

static const char *const extra_words[] = {
	"swap16", "swap32", "swap64", "lock", "if", "goto", "gotol", "call", "callx", "exit",
};

static void consider(const char *cand, const struct asm_tok *t, const char **best, int *bestd)
{
	int l = (int)strlen(cand), d;

	if (l > 31 || t->len > 31 || strchr(cand, ' '))
		return;
	d = edit_distance(t->p, t->len, cand, l);
	if (d < *bestd) {
		*bestd = d;
		*best = cand;
	}
}

/* "unknown instruction 'ldxdq'; did you mean 'ldxdw'?" -- the nearest
 * mnemonic or keyword of either dialect, if it is close enough. */
int asm_unknown(struct asm_ctx *c, const struct asm_tok *t, const char *what)
{
	const char *best = NULL;
	int bestd = 3;

	if (t->kind != TOK_IDENT)
		return asm_err_got(c, "an instruction");
	for (size_t i = 0; i < bpfkit_opinfo__count(); i++)
		consider(bpfkit_opinfo__at(i)->name, t, &best, &bestd);
	for (size_t i = 0; i < sizeof(extra_words) / sizeof(*extra_words); i++)
		consider(extra_words[i], t, &best, &bestd);
	if (best && bestd < t->len)
		return asm_err_tok(c, t, "unknown %s '%.*s'; did you mean '%s'?", what, t->len, t->p,
				   best);
	return asm_err_tok(c, t, "unknown %s '%.*s'", what, t->len, t->p);
}
