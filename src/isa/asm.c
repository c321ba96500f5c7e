// SPDX-License-Identifier: MIT
/*
 * The assembler's driver: split the text into lines, strip what pasted
 * llvm-objdump or verifier-log output adds around instructions, define
 * labels, hand each statement to its dialect's parser (chosen per line in
 * BPFKIT_DIALECT_AUTO), then resolve jump and call targets and build the
 * program with its line table, symbols and relocations.
 *
 * The first error stops assembly; it is reported with line, column and the
 * length of the offending token in struct bpfkit_diag.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "asm_int.h"

static bool grow(void **arr, size_t *cap, size_t need, size_t elem)
{
	size_t ncap = *cap ? *cap : 16;
	void *na;

	if (need <= *cap)
		return true;
	while (ncap < need)
		ncap *= 2;
	if (ncap > SIZE_MAX / elem)
		return false;
	na = realloc(*arr, ncap * elem);
	if (!na)
		return false;
	*arr = na;
	*cap = ncap;
	return true;
}

static int nomem(struct asm_ctx *c)
{
	return bpfkit_diag__set(c->diag, -ENOMEM, "out of memory");
}

/*
 * Append @p nslots slots (2 for LDDW) after checking them against the
 * opcode table, so no dialect can produce an instruction bpfkit would not
 * decode. @p at is the token an error points at.
 */
/* Append @p nslots slots as they are, growing the instruction and line
 * arrays together (lines[] always has insns[]'s capacity). */
static int append_slots(struct asm_ctx *c, const struct bpfkit_insn *insn, int nslots,
			const struct asm_tok *at)
{
	if (c->n + (size_t)nslots > ASM_MAX_SLOTS)
		return asm_err_tok(c, at, "program too large (more than %u instruction slots)",
				   ASM_MAX_SLOTS);
	if (c->n + (size_t)nslots > c->cap) {
		size_t cap = c->cap;
		int *nl;
		if (!grow((void **)&c->insns, &cap, c->n + (size_t)nslots, sizeof(*c->insns)))
			return nomem(c);
		nl = realloc(c->lines, cap * sizeof(*nl));
		if (!nl)
			return nomem(c);
		c->lines = nl;
		c->cap = cap;
	}
	for (int i = 0; i < nslots; i++) {
		c->insns[c->n] = insn[i];
		c->lines[c->n++] = c->ln->lineno;
	}
	return 0;
}

/*
 * Append @p nslots slots (2 for LDDW) after checking them against the
 * opcode table, so no dialect can produce an instruction bpfkit would not
 * decode. @p at is the token an error points at.
 */
int asm_emit(struct asm_ctx *c, const struct bpfkit_insn *insn, int nslots,
	     const struct asm_tok *at)
{
	const struct bpfkit_opinfo *info = bpfkit_insn__info(insn);
	struct bpfkit_diag d;

	if (!info)
		return asm_err_tok(c, at, "no such instruction (opcode 0x%02x, off %d, imm %d)",
				   insn->code, insn->off, insn->imm);
	bpfkit_diag__clear(&d);
	if (bpfkit_insn__check_fields(insn, info, &d))
		return asm_err_tok(c, at, "%s", d.msg);
	return append_slots(c, insn, nslots, at);
}

/* .8byte WORD: one slot given as its 64-bit little-endian word, unchecked.
 * It is how the disassembler prints slots that do not decode, so damaged
 * programs survive a round trip, and how tests write invalid instructions
 * for the VM's validator in text form. */
static int stmt_8byte(struct asm_ctx *c)
{
	const struct asm_tok *dir = asm_next(c), *t = asm_cur(c);
	struct bpfkit_insn insn;
	int err;

	if (t->kind != TOK_NUM)
		return asm_err_got(c, "a 64-bit word after '.8byte'");
	insn = bpfkit_insn__from_word(t->num);
	asm_next(c);
	err = asm_expect_end(c);
	return err ? err : append_slots(c, &insn, 1, dir);
}

/* Remember a symbolic target of the instruction at @p slot; resolved once
 * every label is known, so labels may be used before they are defined. */
int asm_fixup(struct asm_ctx *c, size_t slot, enum asm_fix_kind kind, const struct asm_tok *name)
{
	struct asm_fixup *f;

	if (!grow((void **)&c->fixups, &c->fixup_cap, c->nfixups + 1, sizeof(*f)))
		return nomem(c);
	f = &c->fixups[c->nfixups++];
	f->slot = slot;
	f->kind = (uint8_t)kind;
	f->name = name->p;
	f->len = name->len;
	f->line = c->ln->lineno;
	f->col = name->col;
	return 0;
}

/* A relocation of the program: a copy of the name, added in slot order. */
int asm_reloc(struct asm_ctx *c, size_t slot, enum bpfkit_reloc_kind kind, const char *name, int len)
{
	struct bpfkit_reloc *r;
	char *s = strndup(name, (size_t)len);

	if (!s || !grow((void **)&c->relocs, &c->reloc_cap, c->nrelocs + 1, sizeof(*r))) {
		free(s);
		return nomem(c);
	}
	r = &c->relocs[c->nrelocs++];
	r->insn = slot;
	r->kind = kind;
	r->name = s;
	return 0;
}

/* ---- labels: an array in definition order plus an open-addressing index */

static uint32_t hash_name(const char *s, int len)
{
	uint32_t h = 2166136261u;

	for (int i = 0; i < len; i++)
		h = (h ^ (uint8_t)s[i]) * 16777619u;
	return h;
}

static const struct asm_label *find_label(const struct asm_ctx *c, const char *name, int len)
{
	if (!c->index_cap)
		return NULL;
	for (size_t i = hash_name(name, len) & (c->index_cap - 1);; i = (i + 1) & (c->index_cap - 1)) {
		const struct asm_label *l;
		if (!c->label_index[i])
			return NULL;
		l = &c->labels[c->label_index[i] - 1];
		if (l->len == len && !memcmp(l->name, name, (size_t)len))
			return l;
	}
}

/* Keep the index at most half full; rebuilt from the array when it grows. */
static int index_label(struct asm_ctx *c)
{
	size_t i;

	if (c->nlabels * 2 > c->index_cap) {
		size_t ncap = c->index_cap ? c->index_cap * 2 : 64;
		uint32_t *ni = calloc(ncap, sizeof(*ni));
		if (!ni)
			return nomem(c);
		free(c->label_index);
		c->label_index = ni;
		c->index_cap = ncap;
		for (size_t k = 0; k + 1 < c->nlabels; k++) {
			const struct asm_label *l = &c->labels[k];
			for (i = hash_name(l->name, l->len) & (ncap - 1); ni[i]; i = (i + 1) & (ncap - 1))
				;
			ni[i] = (uint32_t)(k + 1);
		}
	}
	const struct asm_label *l = &c->labels[c->nlabels - 1];
	for (i = hash_name(l->name, l->len) & (c->index_cap - 1); c->label_index[i];
	     i = (i + 1) & (c->index_cap - 1))
		;
	c->label_index[i] = (uint32_t)c->nlabels;
	return 0;
}

/* A label at the next slot; a second definition is an error that points
 * at it and names the line of the first. */
static int define_label(struct asm_ctx *c, const char *name, int len, int col)
{
	const struct asm_label *old = find_label(c, name, len);
	struct asm_label *l;

	if (old)
		return asm_err(c, col, len, "duplicate label '%.*s' (first defined on line %d)", len,
			       name, old->line);
	if (!grow((void **)&c->labels, &c->label_cap, c->nlabels + 1, sizeof(*l)))
		return nomem(c);
	l = &c->labels[c->nlabels++];
	l->name = name;
	l->len = len;
	l->slot = c->n;
	l->line = c->ln->lineno;
	l->col = col;
	return index_label(c);
}

/* "name:" at the start of a line, possibly several, possibly followed by an
 * instruction on the same line. */
static int line_labels(struct asm_ctx *c)
{
	for (;;) {
		const struct asm_tok *t = asm_cur(c);
		int err;

		if (!asm_tok_is(asm_peek(c, 1), ":") || (t->kind != TOK_IDENT && t->kind != TOK_REG))
			return 0;
		if (t->kind == TOK_REG)
			return asm_err_tok(c, t, "'%.*s' is a register, not a label name", t->len, t->p);
		err = define_label(c, t->p, t->len, t->col);
		if (err)
			return err;
		c->pos += 2;
	}
}

/* A relocation line of llvm-objdump -r names the map (or global data
 * section) an LDDW just above loads; other relocations are not needed to
 * rebuild the instructions. */
static int line_reloc(struct asm_ctx *c, const struct asm_line *ln)
{
	size_t s;

	if (!ln->reloc_64 || c->n < 2 || !asm_lex_is_name(ln->name, ln->name_len))
		return 0;
	s = c->n - 2;
	if (c->insns[s].code != BPFKIT_OP_LDDW || (c->nrelocs && c->relocs[c->nrelocs - 1].insn == s))
		return 0;
	return asm_reloc(c, s, ln->name[0] == '.' ? BPFKIT_RELOC_MAP_VALUE : BPFKIT_RELOC_MAP,
			 ln->name, ln->name_len);
}

/* llvm-objdump prints "<unknown>" for what it cannot decode (llvm 14 does
 * so for 32-bit atomics): take the bytes it showed. */
static int line_raw_bytes(struct asm_ctx *c, const struct asm_line *ln)
{
	struct bpfkit_insn insn[2];
	int nslots = ln->nbytes / 8;

	memcpy(insn, ln->bytes, (size_t)ln->nbytes);
	if (bpfkit_insn__slots(insn) != nslots)
		return asm_err_tok(c, asm_cur(c), "llvm-objdump could not decode these bytes, "
						   "and they are not an instruction either");
	c->pos = c->ntoks;
	return asm_emit(c, insn, nslots, asm_cur(c));
}

/* Pick the dialect of one statement and parse it. In AUTO mode the first
 * token decides; a forced dialect refuses the other one's syntax. */
static int line_stmt(struct asm_ctx *c)
{
	const struct asm_tok *t = asm_cur(c);
	bool kern, conf;

	if (asm_is_shared(t))
		return asm_tok_is(t, "exit") ? asm_stmt_exit(c) : asm_stmt_call(c);
	if (asm_tok_is(t, ".8byte"))
		return stmt_8byte(c);
	kern = asm_kern_starts(c);
	conf = !kern && asm_conf_knows(t);
	if (!kern && !conf)
		return asm_unknown(c, t, "instruction");
	if (kern && c->dialect == BPFKIT_DIALECT_CONF)
		return asm_err_tok(c, t, "'%.*s' starts a kernel-dialect instruction, but the "
					 "conformance dialect was requested", t->len, t->p);
	if (conf && c->dialect == BPFKIT_DIALECT_KERN)
		return asm_err_tok(c, t, "'%.*s' is a conformance-dialect mnemonic, but the kernel "
					 "dialect was requested", t->len, t->p);
	return kern ? asm_kern_stmt(c) : asm_conf_stmt(c);
}

/* What pasted output says about the instruction just assembled must agree
 * with it: the verifier's "(b7)" opcode, llvm-objdump's first byte. llvm
 * prints local calls as "call -1"; their bytes tell them from helpers. */
static int line_crosscheck(struct asm_ctx *c, const struct asm_line *ln, size_t slot)
{
	struct bpfkit_insn *insn = &c->insns[slot];

	if (ln->hint >= 0 && ln->hint != insn->code)
		return asm_err(c, ln->hint_col, 4, "the log shows opcode 0x%02x here, but the text "
						  "assembles to 0x%02x", ln->hint, insn->code);
	if (!ln->nbytes)
		return 0;
	if (ln->bytes[0] != insn->code)
		return asm_err(c, (int)ln->text_off + 1, 1, "llvm-objdump shows opcode 0x%02x here, "
				   "but the text assembles to 0x%02x", ln->bytes[0], insn->code);
	if (insn->code == BPFKIT_OP_CALL && !insn->src && ln->bytes[1] >> 4 == BPFKIT_CALL_LOCAL)
		insn->src = BPFKIT_CALL_LOCAL;
	c->lddw_cont = insn->code == BPFKIT_OP_LDDW && ln->nbytes == 8;
	return 0;
}

/* One line of text: prefix, labels, at most one statement. */
static int asm_line(struct asm_ctx *c, struct asm_line *ln)
{
	bool cont = c->lddw_cont;
	size_t slot = c->n;
	int err;

	c->ln = ln;
	c->lddw_cont = false;
	err = asm_lex_prefix(c, ln);
	if (err || ln->kind == LINE_SKIP)
		return err;
	if (ln->kind == LINE_SYMBOL) /* names we could not write back are left out */
		return asm_lex_is_name(ln->name, ln->name_len)
			       ? define_label(c, ln->name, ln->name_len, ln->name_col)
			       : 0;
	if (ln->kind == LINE_RELOC) {
		c->lddw_cont = cont;
		return line_reloc(c, ln);
	}
	err = asm_lex_line(c, ln);
	if (err)
		return err;
	if (ln->nbytes && !c->ntoks) {
		/* newer llvm-objdump prints LDDW's second slot on a line of its own */
		if (cont && ln->nbytes == 8)
			return 0;
		return asm_err(c, (int)ln->text_off + 1, 1, "instruction bytes without an instruction");
	}
	err = line_labels(c);
	if (err || asm_cur(c)->kind == TOK_END)
		return err;
	if (ln->nbytes && c->ntoks == 3 && asm_tok_is(asm_cur(c), "<") &&
	    asm_tok_is(asm_peek(c, 1), "unknown"))
		return line_raw_bytes(c, ln);
	err = line_stmt(c);
	if (!err && c->n > slot)
		err = line_crosscheck(c, ln, slot);
	return err;
}

/* ---- fix-ups and the finished program ---- */

/* "call NAME": a label of this program makes it a local call (imm is the
 * distance, as for jumps), otherwise NAME must be a helper. */
static int resolve_call(struct asm_ctx *c, const struct asm_fixup *f, const struct asm_label *l)
{
	struct bpfkit_insn *insn = &c->insns[f->slot];
	char name[64];
	int32_t id = -1;

	if (l) {
		insn->src = BPFKIT_CALL_LOCAL;
		insn->imm = (int32_t)((int64_t)l->slot - (int64_t)f->slot - 1);
		return 0;
	}
	if (f->len < (int)sizeof(name)) {
		memcpy(name, f->name, (size_t)f->len);
		name[f->len] = '\0';
		id = bpfkit_helper_id(name);
	}
	if (id < 0)
		return asm_err(c, f->col, f->len, "unknown function '%.*s' (not a label of this "
						  "program, nor a helper name)", f->len, f->name);
	insn->src = BPFKIT_CALL_HELPER;
	insn->imm = id;
	return 0;
}

/*
 * Resolve every symbolic target now that all labels are known. "exit" is
 * also the first exit instruction when no label has that name, as in the
 * conformance suite's assembler ("jne %r0, 0, exit").
 */
static int resolve_fixups(struct asm_ctx *c)
{
	for (size_t i = 0; i < c->nfixups; i++) {
		const struct asm_fixup *f = &c->fixups[i];
		const struct asm_label *l = find_label(c, f->name, f->len);
		struct asm_line where = { .lineno = f->line };
		int64_t target, diff;

		c->ln = &where;
		if (f->kind == FIX_CALL) {
			int err = resolve_call(c, f, l);
			if (err)
				return err;
			continue;
		}
		if (l)
			target = (int64_t)l->slot;
		else if (f->len == 4 && !memcmp(f->name, "exit", 4) && c->first_exit >= 0)
			target = c->first_exit;
		else
			return asm_err(c, f->col, f->len, "undefined label '%.*s'", f->len, f->name);
		diff = target - (int64_t)f->slot - 1;
		if (f->kind == FIX_OFF && (diff < INT16_MIN || diff > INT16_MAX))
			return asm_err(c, f->col, f->len, "jump to '%.*s' is out of range (offset %lld "
							  "does not fit in 16 bits; use gotol)", f->len, f->name,
				       (long long)diff);
		if (f->kind == FIX_OFF)
			c->insns[f->slot].off = (int16_t)diff;
		else
			c->insns[f->slot].imm = (int32_t)diff;
	}
	return 0;
}

/* Move the arrays into a new program; labels become its symbols (already
 * in slot order, since labels are defined as the text goes forward). */
static int build_prog(struct asm_ctx *c, struct bpfkit_prog **out)
{
	struct bpfkit_prog *p = calloc(1, sizeof(*p));

	if (!p || (c->nlabels && !(p->syms = calloc(c->nlabels, sizeof(*p->syms))))) {
		free(p);
		return nomem(c);
	}
	for (size_t i = 0; i < c->nlabels; i++) {
		p->syms[i].name = strndup(c->labels[i].name, (size_t)c->labels[i].len);
		p->syms[i].insn = c->labels[i].slot;
		p->nsyms++;
		if (!p->syms[i].name) {
			bpfkit_prog__free(p);
			return nomem(c);
		}
	}
	p->insns = c->insns;
	p->lines = c->lines;
	p->len = c->n;
	p->relocs = c->relocs;
	p->nrelocs = c->nrelocs;
	c->insns = NULL;
	c->lines = NULL;
	c->relocs = NULL;
	c->nrelocs = 0;
	*out = p;
	return 0;
}

static void ctx_free(struct asm_ctx *c)
{
	for (size_t i = 0; i < c->nrelocs; i++)
		free(c->relocs[i].name);
	free(c->relocs);
	free(c->insns);
	free(c->lines);
	free(c->labels);
	free(c->label_index);
	free(c->fixups);
	free(c->toks);
}

/* Line by line (a final line may lack its newline, a CR before the newline
 * is dropped), then fix-ups, then the program; the first error wins. */
int bpfkit_asm(const char *text, size_t len, enum bpfkit_dialect dialect, struct bpfkit_prog **out,
	       struct bpfkit_diag *diag)
{
	struct asm_ctx c = { .text = text, .len = len, .dialect = dialect, .diag = diag,
			     .first_exit = -1 };
	struct asm_line ln = { 0 };
	size_t off = 0;
	int err = 0, lineno = 1;

	bpfkit_diag__clear(diag);
	if (!out || (!text && len) || (unsigned)dialect > BPFKIT_DIALECT_KERN)
		return bpfkit_diag__set(diag, -EINVAL, "invalid arguments");
	*out = NULL;
	if (len > ASM_MAX_TEXT)
		return bpfkit_diag__set(diag, -E2BIG, "input too large (%zu bytes)", len);
	while (!err && off < len) {
		const char *p = text + off, *eol = memchr(p, '\n', len - off);
		size_t l = eol ? (size_t)(eol - p) : len - off;

		memset(&ln, 0, sizeof(ln));
		ln.lineno = lineno++;
		ln.p = p;
		ln.len = l && p[l - 1] == '\r' ? l - 1 : l;
		err = asm_line(&c, &ln);
		off += l + 1;
	}
	if (!err)
		err = resolve_fixups(&c);
	if (!err && !c.n) {
		c.ln = NULL;
		err = bpfkit_diag__set(diag, -EINVAL, "no instructions");
	}
	if (!err)
		err = build_prog(&c, out);
	ctx_free(&c);
	return err;
}
