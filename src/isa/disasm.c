// SPDX-License-Identifier: MIT
/*
 * The disassembler: one instruction per line, in the conformance dialect
 * or the kernel dialect (both formatted in disasm_fmt.c).
 *
 * This file does what is common to both: decoding through the opcode table,
 * the whole-program pass that turns jump and call offsets into labels
 * (`L<slot>` for jump targets, `fn_<slot>` for functions, or the program's
 * own symbols), relocations shown by symbol name, the optional slot-index
 * and byte columns, and `.8byte` lines for slots that do not decode, so that
 * damaged input can still be read. The default output (labels, no columns)
 * of either dialect reassembles to the same bytes with bpfkit_asm().
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "disasm_int.h"

/* ---- decoding --------------------------------------------------------------- */

/* Say why an opcode byte has no table row: unknown altogether, or known but
 * not with this off/imm (sdiv's off, an endian width, an atomic operation). */
static void why_no_row(const struct bpfkit_insn *in, char *why, size_t size)
{
	for (size_t i = 0; i < bpfkit_opinfo__count(); i++) {
		const struct bpfkit_opinfo *row = bpfkit_opinfo__at(i);
		if (row->code != in->code)
			continue;
		if (row->match & BPFKIT_MATCH_IMM)
			snprintf(why, size, "opcode 0x%02x: no operation with imm %" PRId32, in->code,
				 in->imm);
		else
			snprintf(why, size, "opcode 0x%02x: no operation with off %d", in->code,
				 in->off);
		return;
	}
	snprintf(why, size, "unknown opcode 0x%02x", in->code);
}

/*
 * Decode one instruction: its table row, its fields, and for LDDW the second
 * slot, which must be all zero but for its imm (the kernel rejects anything
 * else), and the pseudo sources whose upper half must be zero.
 */
int disasm_decode(const struct bpfkit_insn *insns, size_t avail, struct dis_insn *d, char *why,
		  size_t why_size)
{
	const struct bpfkit_insn *in = insns, *hi;
	struct bpfkit_diag diag;

	memset(d, 0, sizeof(*d));
	d->insn = in;
	d->info = bpfkit_insn__info(in);
	if (!d->info) {
		why_no_row(in, why, why_size);
		return -EINVAL;
	}
	bpfkit_diag__clear(&diag);
	if (bpfkit_insn__check_fields(in, d->info, &diag)) {
		snprintf(why, why_size, "%s", diag.msg);
		return -EINVAL;
	}
	if (d->info->shape != BPFKIT_SHAPE_LDDW)
		return 1;
	if (avail < 2) {
		snprintf(why, why_size, "truncated lddw: the second slot is missing");
		return -EINVAL;
	}
	hi = &insns[1];
	if (hi->code || hi->dst || hi->src || hi->off) {
		snprintf(why, why_size, "lddw: second slot is not a continuation (word 0x%016" PRIx64 ")",
			 bpfkit_insn__word(hi));
		return -EINVAL;
	}
	if (hi->imm && in->src != BPFKIT_PSEUDO_IMM64 && in->src != BPFKIT_PSEUDO_MAP_VALUE &&
	    in->src != BPFKIT_PSEUDO_MAP_IDX_VALUE) {
		snprintf(why, why_size, "lddw: pseudo source %u needs a zero upper immediate", in->src);
		return -EINVAL;
	}
	d->imm64 = (uint64_t)(uint32_t)in->imm | (uint64_t)(uint32_t)hi->imm << 32;
	return 2;
}

void disasm_sym(const struct dis_insn *d, struct dbuf *b)
{
	switch ((enum dis_sym_form)d->sym_form) {
	case SYM_PLAIN:
		dbuf_puts(b, d->sym);
		break;
	case SYM_MAP:
		dbuf_printf(b, "map[%s]", d->sym);
		break;
	case SYM_VALUE:
		dbuf_printf(b, "map[%s][0]+%" PRIu32, d->sym, (uint32_t)d->imm64);
		break;
	}
}

static void format_one(const struct dis_insn *d, enum bpfkit_dialect dialect, struct dbuf *b)
{
	if (dialect == BPFKIT_DIALECT_KERN)
		disasm_kern(d, b);
	else
		disasm_conf(d, b);
}

static void format_invalid(const struct bpfkit_insn *in, const char *why, struct dbuf *b)
{
	dbuf_printf(b, ".8byte 0x%016" PRIx64 "  # invalid: %s", bpfkit_insn__word(in), why);
}

int bpfkit_disasm_insn(const struct bpfkit_insn *insns, size_t avail, enum bpfkit_dialect dialect,
		       char *buf, size_t size)
{
	struct dbuf b = { 0 };
	struct dis_insn d;
	char why[160];
	int n;

	if (!insns || !avail || !buf || !size)
		return -EINVAL;
	n = disasm_decode(insns, avail, &d, why, sizeof(why));
	if (n < 0)
		format_invalid(insns, why, &b);
	else
		format_one(&d, dialect, &b);
	if (b.oom) {
		free(b.s);
		buf[0] = '\0';
		return -ENOMEM;
	}
	snprintf(buf, size, "%s", b.s);
	if (n >= 0 && b.len >= size)
		n = -ENOSPC;
	free(b.s);
	return n;
}

/* ---- the whole-program pass --------------------------------------------------- */

/* Per-slot facts: where instructions start, and which are jump/call targets. */
#define SLOT_START 0x1 /* an instruction (or an undecodable slot) starts here */
#define SLOT_VALID 0x2 /* ... and it decodes */
#define SLOT_JUMP 0x4 /* a jump lands here */
#define SLOT_FUNC 0x8 /* a local call or a function address points here */

struct dis_prog {
	const struct bpfkit_prog *prog;
	const struct bpfkit_disasm_opts *opts;
	uint8_t *flags; /* [len] */
	const char **label; /* [len + 1]: the name a jump to this slot prints */
	const struct bpfkit_reloc **reloc; /* [len]: first relocation at a slot */
	const char **names; /* valid symbol names, sorted, for clash checks */
	size_t nnames;
	size_t *order; /* symbol indices sorted by slot, then table order */
	char **made; /* generated label names, owned */
	size_t nmade, made_cap;
};

/* Whether @p s can be printed as a label and read back: an identifier, with
 * dots allowed (".text", "LBB0_2", "tracepoint__sys_enter"). */
static bool name_ok(const char *s)
{
	if (!s || !*s || (*s >= '0' && *s <= '9'))
		return false;
	for (; *s; s++) {
		char c = *s;
		if (!(c == '_' || c == '.' || (c >= '0' && c <= '9') ||
		      ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')))
			return false;
	}
	return true;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool name_taken(const struct dis_prog *p, const char *s)
{
	return p->nnames && bsearch(&s, p->names, p->nnames, sizeof(*p->names), cmp_str);
}

/* The jump/call target of a decoded instruction as a slot index in *@p t;
 * false when it has none. 64-bit arithmetic: pc + imm + 1 cannot overflow. */
static bool insn_target(const struct dis_insn *d, size_t pc, int64_t *t)
{
	const struct bpfkit_insn *in = d->insn;

	switch ((enum bpfkit_shape)d->info->shape) {
	case BPFKIT_SHAPE_JA:
	case BPFKIT_SHAPE_JMP_K:
	case BPFKIT_SHAPE_JMP_X:
		*t = (int64_t)pc + in->off + 1;
		return true;
	case BPFKIT_SHAPE_JA32:
		*t = (int64_t)pc + in->imm + 1;
		return true;
	case BPFKIT_SHAPE_CALL:
		*t = (int64_t)pc + in->imm + 1;
		return in->src == BPFKIT_CALL_LOCAL;
	case BPFKIT_SHAPE_LDDW:
		*t = (int64_t)pc + in->imm + 1;
		return in->src == BPFKIT_PSEUDO_FUNC;
	default:
		return false;
	}
}

static bool calls_out(const struct dis_prog *p, const struct dis_insn *d, size_t pc);

static bool is_func_ref(const struct dis_insn *d)
{
	return d->info->shape == BPFKIT_SHAPE_CALL || d->info->shape == BPFKIT_SHAPE_LDDW;
}

/* Mark instruction starts and targets (first pass over the slots). */
static void mark_slots(struct dis_prog *p)
{
	const struct bpfkit_prog *prog = p->prog;
	struct dis_insn d;
	char why[160];

	for (size_t i = 0; i < prog->len;) {
		int n = disasm_decode(&prog->insns[i], prog->len - i, &d, why, sizeof(why));
		p->flags[i] |= SLOT_START;
		if (n < 0) {
			i++;
			continue;
		}
		p->flags[i] |= SLOT_VALID;
		i += (size_t)n;
	}
	for (size_t i = 0; i < prog->len; i++) {
		int64_t t;
		if (!(p->flags[i] & SLOT_VALID))
			continue;
		disasm_decode(&prog->insns[i], prog->len - i, &d, why, sizeof(why));
		if (insn_target(&d, i, &t) && !calls_out(p, &d, i) && t >= 0 && (uint64_t)t < prog->len &&
		    (p->flags[t] & SLOT_START))
			p->flags[t] |= is_func_ref(&d) ? SLOT_FUNC : SLOT_JUMP;
	}
}

/* Make a label "L12" / "fn_12" that no symbol of the program already uses. */
static const char *make_label(struct dis_prog *p, size_t slot, bool func)
{
	char *s, **made;
	size_t n;

	if (p->nmade == p->made_cap) {
		size_t cap = p->made_cap ? p->made_cap * 2 : 64;
		made = reallocarray(p->made, cap, sizeof(*made));
		if (!made)
			return NULL;
		p->made = made;
		p->made_cap = cap;
	}
	if (asprintf(&s, "%s%zu", func ? "fn_" : "L", slot) < 0)
		return NULL;
	while (name_taken(p, s)) {
		char *t;
		n = strlen(s);
		t = realloc(s, n + 2);
		if (!t) {
			free(s);
			return NULL;
		}
		s = t;
		s[n] = '_';
		s[n + 1] = '\0';
	}
	p->made[p->nmade++] = s;
	return s;
}

/* Symbol indices by slot, ties in table order (qsort_r: glibc, _GNU_SOURCE). */
static int cmp_order(const void *a, const void *b, void *arg)
{
	const struct bpfkit_prog *prog = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	size_t xi = prog->syms[x].insn, yi = prog->syms[y].insn;

	if (xi != yi)
		return xi < yi ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* Index the program's valid symbol names (sorted, for clash checks), the
 * first symbol at each slot, and the first relocation at each slot. */
static int index_syms(struct dis_prog *p)
{
	const struct bpfkit_prog *prog = p->prog;

	p->names = calloc(prog->nsyms + 1, sizeof(*p->names));
	if (!p->names)
		return -ENOMEM;
	for (size_t i = 0; i < prog->nsyms; i++) {
		const struct bpfkit_sym *s = &prog->syms[i];
		if (!name_ok(s->name))
			continue;
		p->names[p->nnames++] = s->name;
		if (s->insn <= prog->len && !p->label[s->insn])
			p->label[s->insn] = s->name;
	}
	qsort(p->names, p->nnames, sizeof(*p->names), cmp_str);
	p->order = malloc((prog->nsyms + 1) * sizeof(*p->order));
	if (!p->order)
		return -ENOMEM;
	for (size_t i = 0; i < prog->nsyms; i++)
		p->order[i] = i;
	qsort_r(p->order, prog->nsyms, sizeof(*p->order), cmp_order, (void *)prog);
	for (size_t i = 0; i < prog->nrelocs; i++) {
		const struct bpfkit_reloc *r = &prog->relocs[i];
		if (r->insn < prog->len && !p->reloc[r->insn])
			p->reloc[r->insn] = r;
	}
	return 0;
}

/* Give every target slot without a symbol a generated label. */
static int make_labels(struct dis_prog *p)
{
	for (size_t i = 0; i < p->prog->len; i++) {
		if (p->label[i] || !(p->flags[i] & (SLOT_JUMP | SLOT_FUNC)))
			continue;
		p->label[i] = make_label(p, i, p->flags[i] & SLOT_FUNC);
		if (!p->label[i])
			return -ENOMEM;
	}
	return 0;
}

/* Whether @p name is a symbol of this program at slot @p slot (binary
 * search over the slot-sorted order, then a scan of that slot's symbols). */
static bool sym_at(const struct dis_prog *p, const char *name, size_t slot)
{
	const struct bpfkit_prog *prog = p->prog;
	size_t lo = 0, hi = prog->nsyms;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (prog->syms[p->order[mid]].insn < slot)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < prog->nsyms && prog->syms[p->order[lo]].insn == slot; lo++)
		if (prog->syms[p->order[lo]].name && !strcmp(prog->syms[p->order[lo]].name, name))
			return true;
	return false;
}

/* A local call whose relocation names a function outside this program (a
 * call between ELF sections). Its offset is relative to that symbol (or to
 * its section), not to the call, so it makes no label here and prints as
 * `call NAME`, which is what it means once linked. */
static bool calls_out(const struct dis_prog *p, const struct dis_insn *d, size_t pc)
{
	const struct bpfkit_reloc *r = p->reloc[pc];

	return r && d->info->shape == BPFKIT_SHAPE_CALL && d->insn->src == BPFKIT_CALL_LOCAL &&
	       r->kind == BPFKIT_RELOC_CALL && name_ok(r->name) && !name_taken(p, r->name);
}

/*
 * Show an LDDW's relocation by name when the name reads back to the same
 * bytes and kind: `NAME ll` for a map (or, for a name starting with '.', a
 * data section), `map[NAME]` for a map named like a section, and
 * `map[NAME][0]+OFF` for data at an offset. Returns false to fall back to
 * the number with the name in a comment.
 */
static bool lddw_sym(struct dis_insn *d, const struct bpfkit_reloc *r)
{
	uint32_t lo = (uint32_t)d->imm64;
	bool dotted = r->name[0] == '.';

	if (d->insn->src != BPFKIT_PSEUDO_IMM64 || d->imm64 >> 32 || r->kind == BPFKIT_RELOC_CALL)
		return false;
	if (r->kind == BPFKIT_RELOC_MAP_VALUE)
		d->sym_form = !lo && dotted ? SYM_PLAIN : SYM_VALUE;
	else if (lo)
		return false;
	else
		d->sym_form = r->kind == BPFKIT_RELOC_MAP && dotted ? SYM_MAP : SYM_PLAIN;
	d->sym = r->name;
	return true;
}

/*
 * Resolve the names one instruction prints with: its jump/call target label
 * and the symbol of its relocation. A relocation is shown by name only where
 * reading the name back gives the same bytes (an LDDW whose immediate is
 * still zero; a local call whose offset already points at that symbol, or
 * that leaves the program); otherwise it becomes a trailing comment.
 */
static void resolve_names(struct dis_prog *p, struct dis_insn *d, size_t pc, const char **comment)
{
	const struct bpfkit_prog *prog = p->prog;
	const struct bpfkit_reloc *r = p->reloc[pc];
	bool in_prog = false;
	int64_t t = -1;

	*comment = NULL;
	if (insn_target(d, pc, &t) && !calls_out(p, d, pc)) {
		bool inside = t >= 0 && (uint64_t)t < prog->len;
		in_prog = inside && (p->flags[t] & SLOT_START);
		if (in_prog && !p->opts->no_labels)
			d->target = p->label[t];
		else if (!in_prog)
			*comment = inside ? "target inside an lddw" : "target outside the program";
	}
	if (!r || !r->name)
		return;
	if (!name_ok(r->name)) {
		*comment = "relocation against a symbol with an unprintable name";
		return;
	}
	if (d->info->shape == BPFKIT_SHAPE_LDDW && lddw_sym(d, r))
		return;
	if (calls_out(p, d, pc) || (d->info->shape == BPFKIT_SHAPE_CALL &&
				    r->kind == BPFKIT_RELOC_CALL && in_prog &&
				    sym_at(p, r->name, (size_t)t))) {
		d->target = r->name;
		*comment = NULL;
		return;
	}
	*comment = r->name;
}

/* The slot-index and byte columns, when asked for. */
static void print_columns(const struct dis_prog *p, size_t pc, int slots, struct dbuf *b)
{
	const struct bpfkit_disasm_opts *o = p->opts;

	if (o->offsets)
		dbuf_printf(b, "%4zu:%s", pc, o->bytes ? "\t" : " ");
	if (!o->bytes)
		return;
	for (int s = 0; s < slots; s++) {
		uint64_t w = bpfkit_insn__word(&p->prog->insns[pc + (size_t)s]);
		for (int i = 0; i < 8; i++)
			dbuf_printf(b, "%s%02x", s || i ? " " : "", (unsigned)(w >> (8 * i)) & 0xff);
	}
	dbuf_puts(b, "\t");
}

/*
 * Label lines for slot @p pc: every valid symbol there, in table order, then
 * the generated label when no symbol names a target. Symbols of slots the
 * cursor passed without stopping point into an LDDW and become comments.
 */
static void print_labels(const struct dis_prog *p, size_t pc, size_t *cur, struct dbuf *b)
{
	const struct bpfkit_prog *prog = p->prog;
	bool any = false;

	for (; *cur < prog->nsyms && prog->syms[p->order[*cur]].insn <= pc; (*cur)++) {
		const char *nm = prog->syms[p->order[*cur]].name;
		if (prog->syms[p->order[*cur]].insn < pc)
			dbuf_puts(b, "# a symbol points into the lddw above\n");
		else if (name_ok(nm) && (any = true))
			dbuf_printf(b, "%s:\n", nm);
		else
			dbuf_puts(b, "# a symbol with an unprintable name is here\n");
	}
	if (!any && pc < prog->len && p->label[pc] && !p->opts->no_labels)
		dbuf_printf(b, "%s:\n", p->label[pc]);
}

/* Print every slot (the third pass). */
static void print_prog(struct dis_prog *p, struct dbuf *b)
{
	const struct bpfkit_prog *prog = p->prog;
	enum bpfkit_dialect dialect = p->opts->dialect;
	struct dis_insn d;
	const char *comment;
	size_t cur = 0;
	char why[160];

	for (size_t pc = 0; pc < prog->len && !b->oom;) {
		int n = disasm_decode(&prog->insns[pc], prog->len - pc, &d, why, sizeof(why));
		print_labels(p, pc, &cur, b);
		print_columns(p, pc, n < 0 ? 1 : n, b);
		if (n < 0) {
			format_invalid(&prog->insns[pc], why, b);
			dbuf_puts(b, "\n");
			pc++;
			continue;
		}
		resolve_names(p, &d, pc, &comment);
		format_one(&d, dialect, b);
		if (comment)
			dbuf_printf(b, "  # %s", comment);
		dbuf_puts(b, "\n");
		pc += (size_t)n;
	}
	print_labels(p, prog->len, &cur, b);
}

static void dis_prog_free(struct dis_prog *p)
{
	for (size_t i = 0; i < p->nmade; i++)
		free(p->made[i]);
	free(p->made);
	free(p->names);
	free(p->order);
	free(p->reloc);
	free(p->label);
	free(p->flags);
}

/* The three passes over a program: mark instruction starts and targets,
 * name the targets, print; everything is freed on every path. */
char *bpfkit_disasm(const struct bpfkit_prog *prog, const struct bpfkit_disasm_opts *opts)
{
	struct bpfkit_disasm_opts o = { .dialect = BPFKIT_DIALECT_CONF };
	struct dis_prog p = { .prog = prog, .opts = &o };
	struct dbuf b = { 0 };
	size_t n;

	if (!prog || (prog->len && !prog->insns) || (prog->nsyms && !prog->syms) ||
	    (prog->nrelocs && !prog->relocs)) {
		errno = EINVAL;
		return NULL;
	}
	if (opts)
		o = *opts;
	if (o.dialect != BPFKIT_DIALECT_KERN)
		o.dialect = BPFKIT_DIALECT_CONF;
	n = prog->len;
	p.flags = calloc(n + 1, 1);
	p.label = calloc(n + 1, sizeof(*p.label));
	p.reloc = calloc(n + 1, sizeof(*p.reloc));
	if (!p.flags || !p.label || !p.reloc)
		goto err;
	if (index_syms(&p))
		goto err;
	mark_slots(&p);
	if (make_labels(&p))
		goto err;
	dbuf_puts(&b, "");
	print_prog(&p, &b);
	if (b.oom)
		goto err;
	dis_prog_free(&p);
	return b.s;
err:
	dis_prog_free(&p);
	free(b.s);
	errno = ENOMEM;
	return NULL;
}
