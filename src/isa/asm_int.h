/* SPDX-License-Identifier: MIT */
/*
 * Internals of the assembler, shared by its files:
 *   asm_lex.c   line prefixes (llvm-objdump, verifier log) and the tokenizer
 *   asm.c       the driver: lines, labels, fix-ups, relocations, the program
 *   asm_util.c  operand helpers both dialects use, call/exit, diagnostics
 *   asm_conf.c  the conformance dialect (mov32 %r0, 1)
 *   asm_kern.c  the kernel / llvm dialect (w0 = 1)
 *
 * Parsing works on one line at a time: the line is cut into tokens that
 * remember their column, a dialect parser walks them and emits slots, and
 * symbolic jump targets become fix-ups resolved once every label is known.
 */
#ifndef BPFKIT_ASM_INT_H
#define BPFKIT_ASM_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <bpfkit/isa.h>

/* Limits that keep hostile input bounded. */
#define ASM_MAX_SLOTS (1u << 20) /* the kernel's own cap is 1M instructions */
#define ASM_MAX_TEXT ((size_t)1 << 30)

enum asm_tok_kind {
	TOK_END, /* end of the line (or start of a comment) */
	TOK_IDENT, /* mnemonic, label, keyword, size name: [A-Za-z_.$][A-Za-z0-9_.$]* */
	TOK_REG, /* r0..r15, w0.., %r0..: the number may be out of range */
	TOK_NUM, /* unsigned decimal or 0x hex; a sign is a separate token */
	TOK_PUNCT, /* operators, brackets, commas: longest match */
};

struct asm_tok {
	uint8_t kind; /* enum asm_tok_kind */
	bool space_before; /* whitespace (or line start) precedes it */
	bool percent; /* TOK_REG written as %rN */
	char reg_kind; /* TOK_REG: 'r' or 'w' */
	int reg; /* TOK_REG: register number, saturated at 99 */
	int col; /* 1-based column of the first byte */
	int len; /* bytes, 0 for TOK_END */
	const char *p; /* into the source text */
	uint64_t num; /* TOK_NUM value */
};

/* What a line prefix said about the line (asm_lex.c). */
enum asm_line_kind {
	LINE_TEXT, /* assembler text, possibly after a stripped prefix */
	LINE_SKIP, /* a header llvm-objdump prints ("Disassembly of section") */
	LINE_SYMBOL, /* llvm-objdump "0000000000000000 <name>:" */
	LINE_RELOC, /* llvm-objdump -r "0000000000000028:  R_BPF_64_64  name" */
};

struct asm_line {
	int lineno; /* 1-based */
	const char *p; /* the line, without its newline */
	size_t len;
	enum asm_line_kind kind;
	size_t text_off; /* where assembler text starts, after any prefix */
	int hint; /* opcode the verifier log printed as "(b7)", or -1 */
	int hint_col; /* its column */
	uint8_t bytes[16]; /* instruction bytes llvm-objdump printed */
	int nbytes; /* 0, 8 or 16 */
	const char *name; /* LINE_SYMBOL / LINE_RELOC: the symbol */
	int name_len;
	int name_col;
	bool reloc_64; /* LINE_RELOC: R_BPF_64_64 (an lddw) */
};

struct asm_label {
	const char *name;
	int len;
	size_t slot;
	int line, col;
};

enum asm_fix_kind {
	FIX_OFF, /* jump: off = target - (slot + 1) */
	FIX_IMM, /* gotol, call local: imm = target - (slot + 1) */
	FIX_CALL, /* call NAME: a label here (local call) or a helper name */
};

struct asm_fixup {
	size_t slot;
	uint8_t kind; /* enum asm_fix_kind */
	const char *name;
	int len;
	int line, col;
};

/* A signed number as written: magnitude, sign and where it was. */
struct asm_num {
	uint64_t mag;
	bool neg;
	int col, len; /* span, sign included */
};

/* A register operand after range checking. */
struct asm_reg {
	uint8_t num;
	char kind; /* 'r' or 'w' */
	const struct asm_tok *tok;
};

struct asm_ctx {
	const char *text;
	size_t len;
	enum bpfkit_dialect dialect;
	struct bpfkit_diag *diag;

	/* the current line and its tokens (toks[ntoks] is TOK_END) */
	struct asm_line *ln;
	struct asm_tok *toks;
	size_t ntoks, tok_cap;
	size_t pos;

	/* output */
	struct bpfkit_insn *insns;
	int *lines;
	size_t n, cap;
	struct bpfkit_reloc *relocs;
	size_t nrelocs, reloc_cap;

	/* labels (with an open-addressing index) and pending fix-ups */
	struct asm_label *labels;
	size_t nlabels, label_cap;
	uint32_t *label_index; /* slot + 1 into labels, 0 = empty */
	size_t index_cap; /* power of two */
	struct asm_fixup *fixups;
	size_t nfixups, fixup_cap;

	long first_exit; /* slot of the first exit, -1: the implicit "exit" label */
	bool lddw_cont; /* llvm-objdump may print the second LDDW slot next */
};

/* ---- asm_lex.c ---- */
/* Recognise the llvm-objdump / verifier-log decorations of @p ln. */
int asm_lex_prefix(struct asm_ctx *c, struct asm_line *ln);
/* Cut ln's text (from text_off) into c->toks; comments end the line. */
int asm_lex_line(struct asm_ctx *c, struct asm_line *ln);
bool asm_lex_is_name(const char *p, int len);

/* ---- asm.c ---- */
int asm_emit(struct asm_ctx *c, const struct bpfkit_insn *insn, int nslots,
	     const struct asm_tok *at);
int asm_fixup(struct asm_ctx *c, size_t slot, enum asm_fix_kind kind, const struct asm_tok *name);
int asm_reloc(struct asm_ctx *c, size_t slot, enum bpfkit_reloc_kind kind, const char *name,
	      int len);

/* ---- asm_util.c: tokens, operands, diagnostics ---- */
const struct asm_tok *asm_cur(struct asm_ctx *c);
const struct asm_tok *asm_peek(struct asm_ctx *c, size_t ahead);
const struct asm_tok *asm_next(struct asm_ctx *c);
bool asm_tok_is(const struct asm_tok *t, const char *s);
bool asm_accept(struct asm_ctx *c, const char *s);
int asm_expect(struct asm_ctx *c, const char *s);
int asm_expect_end(struct asm_ctx *c);

int asm_err(struct asm_ctx *c, int col, int len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int asm_err_tok(struct asm_ctx *c, const struct asm_tok *t, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int asm_err_got(struct asm_ctx *c, const char *want);

int asm_reg(struct asm_ctx *c, struct asm_reg *r);
int asm_reg_check(struct asm_ctx *c, const struct asm_tok *t, struct asm_reg *r);
bool asm_at_num(struct asm_ctx *c);
int asm_num(struct asm_ctx *c, struct asm_num *n);
int asm_fit_imm32(struct asm_ctx *c, const struct asm_num *n, int32_t *out);
int asm_fit_off16(struct asm_ctx *c, const struct asm_num *n, int16_t *out);
int asm_fit_simm32(struct asm_ctx *c, const struct asm_num *n, int32_t *out);
uint64_t asm_num_u64(const struct asm_num *n, struct asm_ctx *c, int *err);
int asm_target(struct asm_ctx *c, bool wide, struct bpfkit_insn *insn);

int asm_stmt_call(struct asm_ctx *c);
int asm_stmt_exit(struct asm_ctx *c);
bool asm_is_shared(const struct asm_tok *t);
int asm_unknown(struct asm_ctx *c, const struct asm_tok *t, const char *what);

/* ---- asm_conf.c / asm_kern.c ---- */
bool asm_conf_knows(const struct asm_tok *t);
int asm_conf_stmt(struct asm_ctx *c);
bool asm_kern_starts(struct asm_ctx *c);
int asm_map_ref(struct asm_ctx *c, struct bpfkit_insn *insn);
int asm_kern_stmt(struct asm_ctx *c);

#endif
