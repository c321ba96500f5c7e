// SPDX-License-Identifier: MIT
/*
 * AST helpers: the probe-type table, operator spellings and the dump.
 *
 * The dump is the contract of the golden tests (tests/data/lang, .ast files) and
 * of `bpfkit trace --dump-ast`, so it is meant to stay stable: indented
 * S-expressions, one top-level item or statement per line, expressions on
 * one line, Lisp-style closing parentheses. Leaves print bare (42, "s",
 * pid, $x, @m, $1); inner nodes print as (head child ...).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/lang_int.h"

/* ---- Probe types --------------------------------------------------------------- */

static const struct {
	const char *name;
	enum bpfkit_probe_type type;
} probe_types[] = {
	{ "BEGIN", BPFKIT_PROBE_BEGIN },
	{ "END", BPFKIT_PROBE_END },
	{ "kprobe", BPFKIT_PROBE_KPROBE },
	{ "k", BPFKIT_PROBE_KPROBE },
	{ "kretprobe", BPFKIT_PROBE_KRETPROBE },
	{ "kr", BPFKIT_PROBE_KRETPROBE },
	{ "uprobe", BPFKIT_PROBE_UPROBE },
	{ "u", BPFKIT_PROBE_UPROBE },
	{ "uretprobe", BPFKIT_PROBE_URETPROBE },
	{ "ur", BPFKIT_PROBE_URETPROBE },
	{ "usdt", BPFKIT_PROBE_USDT },
	{ "U", BPFKIT_PROBE_USDT },
	{ "tracepoint", BPFKIT_PROBE_TRACEPOINT },
	{ "t", BPFKIT_PROBE_TRACEPOINT },
	{ "rawtracepoint", BPFKIT_PROBE_RAWTRACEPOINT },
	{ "rt", BPFKIT_PROBE_RAWTRACEPOINT },
	{ "profile", BPFKIT_PROBE_PROFILE },
	{ "p", BPFKIT_PROBE_PROFILE },
	{ "interval", BPFKIT_PROBE_INTERVAL },
	{ "i", BPFKIT_PROBE_INTERVAL },
	{ "software", BPFKIT_PROBE_SOFTWARE },
	{ "s", BPFKIT_PROBE_SOFTWARE },
	{ "hardware", BPFKIT_PROBE_HARDWARE },
	{ "h", BPFKIT_PROBE_HARDWARE },
	{ "watchpoint", BPFKIT_PROBE_WATCHPOINT },
	{ "w", BPFKIT_PROBE_WATCHPOINT },
	{ "asyncwatchpoint", BPFKIT_PROBE_ASYNCWATCHPOINT },
	{ "aw", BPFKIT_PROBE_ASYNCWATCHPOINT },
	{ "fentry", BPFKIT_PROBE_FENTRY },
	{ "kfunc", BPFKIT_PROBE_FENTRY },
	{ "f", BPFKIT_PROBE_FENTRY },
	{ "fexit", BPFKIT_PROBE_FEXIT },
	{ "kretfunc", BPFKIT_PROBE_FEXIT },
	{ "fr", BPFKIT_PROBE_FEXIT },
	{ "iter", BPFKIT_PROBE_ITER },
	{ "it", BPFKIT_PROBE_ITER },
};

#define NPROBE_TYPES (sizeof(probe_types) / sizeof(probe_types[0]))

const char *const probe_type_names[] = {
	"BEGIN", "END", "kprobe", "kretprobe", "uprobe", "uretprobe", "usdt", "tracepoint",
	"rawtracepoint", "profile", "interval", "software", "hardware", "watchpoint",
	"asyncwatchpoint", "fentry", "kfunc", "fexit", "kretfunc", "iter",
};
const size_t probe_type_nnames = sizeof(probe_type_names) / sizeof(probe_type_names[0]);

int probe_type_lookup(const char *name, size_t len)
{
	for (size_t i = 0; i < NPROBE_TYPES; i++)
		if (strlen(probe_types[i].name) == len && !memcmp(probe_types[i].name, name, len))
			return (int)probe_types[i].type;
	return -1;
}

int bpfkit_probe_type_lookup(const char *name)
{
	return name ? probe_type_lookup(name, strlen(name)) : -1;
}

const char *bpfkit_probe_type_spelling(size_t i)
{
	return i < NPROBE_TYPES ? probe_types[i].name : NULL;
}

const char *bpfkit_probe_type_name(enum bpfkit_probe_type t)
{
	/* the first entry of each type in the table is its canonical name */
	for (size_t i = 0; i < NPROBE_TYPES; i++)
		if (probe_types[i].type == t)
			return probe_types[i].name;
	return "unknown";
}

/* ---- Operators ------------------------------------------------------------------- */

const char *bpfkit_ast_op_str(enum bpfkit_ast_op op)
{
	static const char *const s[] = {
		[BPFKIT_OP_NONE] = "", [BPFKIT_OP_ADD] = "+", [BPFKIT_OP_SUB] = "-",
		[BPFKIT_OP_MUL] = "*", [BPFKIT_OP_DIV] = "/", [BPFKIT_OP_MOD] = "%",
		[BPFKIT_OP_BAND] = "&", [BPFKIT_OP_BOR] = "|", [BPFKIT_OP_BXOR] = "^",
		[BPFKIT_OP_SHL] = "<<", [BPFKIT_OP_SHR] = ">>", [BPFKIT_OP_EQ] = "==",
		[BPFKIT_OP_NE] = "!=", [BPFKIT_OP_LT] = "<", [BPFKIT_OP_LE] = "<=",
		[BPFKIT_OP_GT] = ">", [BPFKIT_OP_GE] = ">=", [BPFKIT_OP_LAND] = "&&",
		[BPFKIT_OP_LOR] = "||", [BPFKIT_OP_LNOT] = "!", [BPFKIT_OP_BNOT] = "~",
		[BPFKIT_OP_NEG] = "-", [BPFKIT_OP_PLUS] = "+", [BPFKIT_OP_DEREF] = "*",
		[BPFKIT_OP_ADDR] = "&", [BPFKIT_OP_INC] = "++", [BPFKIT_OP_DEC] = "--",
	};

	return (unsigned)op < sizeof(s) / sizeof(s[0]) && s[op] ? s[op] : "?";
}

/* Head of a unary node in the dump: named where the symbol would read as
 * the binary operator. */
static const char *unop_head(enum bpfkit_ast_op op)
{
	switch (op) {
	case BPFKIT_OP_NEG:
		return "neg";
	case BPFKIT_OP_PLUS:
		return "plus";
	case BPFKIT_OP_DEREF:
		return "deref";
	case BPFKIT_OP_ADDR:
		return "addr";
	default:
		return bpfkit_ast_op_str(op);
	}
}

/* ---- Escaping -------------------------------------------------------------------- */

/* Escape byte by byte; when the buffer fills up, end with "...". */
void str_escape(char *buf, size_t size, const char *s, size_t len, bool quotes)
{
	size_t o = 0;

	if (!size)
		return;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		char tmp[8];
		const char *e = tmp;

		switch (c) {
		case '\n':
			e = "\\n";
			break;
		case '\t':
			e = "\\t";
			break;
		case '\r':
			e = "\\r";
			break;
		case '"':
			e = quotes ? "\\\"" : "\"";
			break;
		case '\\':
			e = quotes ? "\\\\" : "\\";
			break;
		default:
			if (c < 0x20 || c >= 0x7f)
				snprintf(tmp, sizeof(tmp), "\\x%02x", c);
			else
				tmp[0] = (char)c, tmp[1] = 0;
		}
		if (o + strlen(e) + 4 > size) {
			if (size >= 4)
				o = size - 4 < o ? size - 4 : o;
			memcpy(buf + o, "...", size - o >= 4 ? 4 : size - o);
			buf[size - 1] = 0;
			return;
		}
		memcpy(buf + o, e, strlen(e));
		o += strlen(e);
	}
	buf[o] = 0;
}

/* ---- The dump -------------------------------------------------------------------- */

struct dumper {
	FILE *f;
	unsigned flags;
	int err; /* -ENOMEM when a chain could not be dumped */
};

size_t ast_binop_spine(const struct bpfkit_ast_expr *e, bool (*in_chain)(const struct bpfkit_ast_expr *),
		       const struct bpfkit_ast_expr **out, size_t max)
{
	size_t n = 0;

	for (; e && e->kind == BPFKIT_EXPR_BINOP && (!in_chain || in_chain(e)); e = e->u.binop.lhs) {
		if (n < max)
			out[n] = e;
		n++;
	}
	return n;
}

static void put_loc(struct dumper *d, struct bpfkit_loc loc)
{
	if (d->flags & BPFKIT_AST_DUMP_LOC)
		fprintf(d->f, "@%d:%d+%d", loc.line, loc.col, loc.len);
}

/* "(head" plus, with locations, " @l:c+n". */
static void open_node(struct dumper *d, const char *head, struct bpfkit_loc loc)
{
	fprintf(d->f, "(%s", head);
	if (d->flags & BPFKIT_AST_DUMP_LOC) {
		fputc(' ', d->f);
		put_loc(d, loc);
	}
}

static void indent(struct dumper *d, int depth)
{
	fputc('\n', d->f);
	for (int i = 0; i < depth; i++)
		fputs("  ", d->f);
}

static void put_quoted(struct dumper *d, const char *s, size_t len)
{
	fputc('"', d->f);
	for (size_t i = 0; i < len; i++) {
		char buf[8];

		str_escape(buf, sizeof(buf), s + i, 1, true);
		fputs(buf, d->f);
	}
	fputc('"', d->f);
}

/* A name that may contain blanks ("unsigned long") is quoted. */
static void put_name(struct dumper *d, const char *s)
{
	if (!s)
		fputs("_", d->f);
	else if (strpbrk(s, " \t\"()"))
		put_quoted(d, s, strlen(s));
	else
		fputs(s, d->f);
}

static void dump_expr(struct dumper *d, const struct bpfkit_ast_expr *e);
static void dump_cdef_inline(struct dumper *d, const struct bpfkit_ast_cdef *c);

/* A type on one line: uint32, (struct x), (* T), ([] T len), (fn T), or the
 * definition itself when it is written in place. */
static void dump_type(struct dumper *d, const struct bpfkit_ast_type *t)
{
	if (!t) {
		fputs("?", d->f);
		return;
	}
	switch (t->kind) {
	case BPFKIT_TYPE_NAME:
		put_name(d, t->name);
		put_loc(d, t->loc);
		return;
	case BPFKIT_TYPE_STRUCT:
	case BPFKIT_TYPE_UNION:
	case BPFKIT_TYPE_ENUM:
		if (t->def) {
			dump_cdef_inline(d, t->def);
			return;
		}
		open_node(d, t->kind == BPFKIT_TYPE_STRUCT ? "struct" : t->kind == BPFKIT_TYPE_UNION ? "union" : "enum",
			  t->loc);
		fputc(' ', d->f);
		put_name(d, t->name);
		break;
	case BPFKIT_TYPE_PTR:
		open_node(d, "*", t->loc);
		fputc(' ', d->f);
		dump_type(d, t->elem);
		break;
	case BPFKIT_TYPE_ARRAY:
		open_node(d, "[]", t->loc);
		fputc(' ', d->f);
		dump_type(d, t->elem);
		if (t->len) {
			fputc(' ', d->f);
			dump_expr(d, t->len);
		}
		break;
	case BPFKIT_TYPE_FUNC:
		open_node(d, "fn", t->loc);
		fputc(' ', d->f);
		dump_type(d, t->elem);
		break;
	}
	fputc(')', d->f);
}

static void dump_field(struct dumper *d, const struct bpfkit_ast_field *f)
{
	open_node(d, "field", f->loc);
	fputc(' ', d->f);
	put_name(d, f->name);
	fputc(' ', d->f);
	dump_type(d, f->type);
	if (f->bits >= 0)
		fprintf(d->f, " (bits %d)", f->bits);
	fputc(')', d->f);
}

static void dump_enumerator(struct dumper *d, const struct bpfkit_ast_enumerator *en)
{
	open_node(d, en->name, en->loc);
	if (en->value) {
		fputc(' ', d->f);
		dump_expr(d, en->value);
	}
	fputc(')', d->f);
}

static const char *cdef_head(const struct bpfkit_ast_cdef *c)
{
	return c->kind == BPFKIT_TYPE_UNION ? "union" : c->kind == BPFKIT_TYPE_ENUM ? "enum" : "struct";
}

/* A definition on one line: anonymous members and definitions inside fields. */
static void dump_cdef_inline(struct dumper *d, const struct bpfkit_ast_cdef *c)
{
	if (!c)
		return;
	open_node(d, cdef_head(c), c->loc);
	fputc(' ', d->f);
	put_name(d, c->name);
	for (size_t i = 0; i < c->nfields; i++) {
		fputc(' ', d->f);
		dump_field(d, c->fields[i]);
	}
	for (size_t i = 0; i < c->nenumerators; i++) {
		fputc(' ', d->f);
		dump_enumerator(d, c->enumerators[i]);
	}
	fputc(')', d->f);
}

/* A top-level definition: one member per line. */
static void dump_cdef(struct dumper *d, const struct bpfkit_ast_cdef *c, int depth)
{
	open_node(d, cdef_head(c), c->loc);
	fputc(' ', d->f);
	put_name(d, c->name);
	if (!c->complete)
		fputs(" (declared)", d->f);
	for (size_t i = 0; i < c->nfields; i++) {
		indent(d, depth + 1);
		dump_field(d, c->fields[i]);
	}
	for (size_t i = 0; i < c->nenumerators; i++) {
		indent(d, depth + 1);
		dump_enumerator(d, c->enumerators[i]);
	}
	fputc(')', d->f);
}

static void dump_exprs(struct dumper *d, struct bpfkit_ast_expr *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		fputc(' ', d->f);
		dump_expr(d, v[i]);
	}
}

/* (op lhs rhs), a chain of them (see ast_binop_spine()) with a loop: the
 * heads top down, the innermost left operand, then the right operands and
 * closing parentheses bottom up. */
static void dump_binop(struct dumper *d, const struct bpfkit_ast_expr *e)
{
	size_t n = ast_binop_spine(e, NULL, NULL, 0);
	const struct bpfkit_ast_expr **spine = malloc(n * sizeof(*spine));

	if (!spine) {
		d->err = -ENOMEM;
		fputc('?', d->f);
		return;
	}
	ast_binop_spine(e, NULL, spine, n);
	for (size_t i = 0; i < n; i++) {
		open_node(d, bpfkit_ast_op_str(spine[i]->u.binop.op), spine[i]->loc);
		fputc(' ', d->f);
	}
	dump_expr(d, spine[n - 1]->u.binop.lhs);
	for (size_t i = n; i-- > 0;) {
		fputc(' ', d->f);
		dump_expr(d, spine[i]->u.binop.rhs);
		fputc(')', d->f);
	}
	free(spine);
}

/* One expression, on one line. Leaves print bare. */
static void dump_expr(struct dumper *d, const struct bpfkit_ast_expr *e)
{
	if (!e) {
		fputs("?", d->f);
		return;
	}
	switch (e->kind) {
	case BPFKIT_EXPR_INT:
		if (e->u.num.negative)
			fprintf(d->f, "%" PRId64, (int64_t)e->u.num.value);
		else
			fprintf(d->f, "%" PRIu64, e->u.num.value);
		put_loc(d, e->loc);
		return;
	case BPFKIT_EXPR_STR:
		put_quoted(d, e->u.str.data, e->u.str.len);
		put_loc(d, e->loc);
		return;
	case BPFKIT_EXPR_IDENT:
	case BPFKIT_EXPR_VAR:
		fputs(e->u.ident.name, d->f);
		put_loc(d, e->loc);
		return;
	case BPFKIT_EXPR_PARAM:
		if (e->u.param.n)
			fprintf(d->f, "$%ld", e->u.param.n);
		else
			fputs("$#", d->f);
		put_loc(d, e->loc);
		return;
	case BPFKIT_EXPR_MAP:
		if (!e->u.map.nkeys) {
			fputs(e->u.map.name, d->f);
			put_loc(d, e->loc);
			return;
		}
		open_node(d, "map", e->loc);
		fprintf(d->f, " %s", e->u.map.name);
		dump_exprs(d, e->u.map.keys, e->u.map.nkeys);
		break;
	case BPFKIT_EXPR_CALL:
		open_node(d, "call", e->loc);
		fprintf(d->f, " %s", e->u.call.name);
		dump_exprs(d, e->u.call.args, e->u.call.nargs);
		break;
	case BPFKIT_EXPR_BINOP:
		dump_binop(d, e);
		return;
	case BPFKIT_EXPR_UNOP:
		open_node(d, unop_head(e->u.unop.op), e->loc);
		fputc(' ', d->f);
		dump_expr(d, e->u.unop.operand);
		break;
	case BPFKIT_EXPR_INCDEC:
		open_node(d,
			  e->u.unop.post ? (e->u.unop.op == BPFKIT_OP_INC ? "post++" : "post--")
					 : (e->u.unop.op == BPFKIT_OP_INC ? "pre++" : "pre--"),
			  e->loc);
		fputc(' ', d->f);
		dump_expr(d, e->u.unop.operand);
		break;
	case BPFKIT_EXPR_TERNARY:
		open_node(d, "?:", e->loc);
		fputc(' ', d->f);
		dump_expr(d, e->u.ternary.cond);
		fputc(' ', d->f);
		dump_expr(d, e->u.ternary.yes);
		fputc(' ', d->f);
		dump_expr(d, e->u.ternary.no);
		break;
	case BPFKIT_EXPR_CAST:
		open_node(d, "cast", e->loc);
		fputc(' ', d->f);
		dump_type(d, e->u.cast.to);
		fputc(' ', d->f);
		dump_expr(d, e->u.cast.operand);
		break;
	case BPFKIT_EXPR_FIELD:
		open_node(d, e->u.field.arrow ? "->" : ".", e->loc);
		fputc(' ', d->f);
		dump_expr(d, e->u.field.base);
		fprintf(d->f, " %s", e->u.field.name);
		break;
	case BPFKIT_EXPR_TUPLE_GET:
		open_node(d, ".", e->loc);
		fputc(' ', d->f);
		dump_expr(d, e->u.tuple_get.base);
		fprintf(d->f, " %ld", e->u.tuple_get.index);
		break;
	case BPFKIT_EXPR_INDEX:
		open_node(d, "[]", e->loc);
		fputc(' ', d->f);
		dump_expr(d, e->u.index.base);
		fputc(' ', d->f);
		dump_expr(d, e->u.index.index);
		break;
	case BPFKIT_EXPR_TUPLE:
		open_node(d, "tuple", e->loc);
		dump_exprs(d, e->u.tuple.items, e->u.tuple.n);
		break;
	case BPFKIT_EXPR_SIZEOF:
		open_node(d, "sizeof", e->loc);
		fputc(' ', d->f);
		if (e->u.size_of.type) {
			fputs("(type ", d->f);
			dump_type(d, e->u.size_of.type);
			fputc(')', d->f);
		} else {
			dump_expr(d, e->u.size_of.expr);
		}
		break;
	case BPFKIT_EXPR_OFFSETOF:
		open_node(d, "offsetof", e->loc);
		fputc(' ', d->f);
		if (e->u.offset_of.type) {
			fputs("(type ", d->f);
			dump_type(d, e->u.offset_of.type);
			fputc(')', d->f);
		} else {
			dump_expr(d, e->u.offset_of.expr);
		}
		fputc(' ', d->f);
		for (size_t i = 0; i < e->u.offset_of.npath; i++)
			fprintf(d->f, "%s%s", i ? "." : "", e->u.offset_of.path[i]);
		break;
	}
	fputc(')', d->f);
}

static void dump_stmt(struct dumper *d, const struct bpfkit_ast_stmt *s, int depth);

static void dump_block(struct dumper *d, const struct bpfkit_ast_block *b, int depth)
{
	open_node(d, "block", b->loc);
	for (size_t i = 0; i < b->n; i++) {
		indent(d, depth + 1);
		dump_stmt(d, b->stmts[i], depth + 1);
	}
	fputc(')', d->f);
}

/* One statement; nested blocks go on the following lines, one level deeper. */
static void dump_stmt(struct dumper *d, const struct bpfkit_ast_stmt *s, int depth)
{
	switch (s->kind) {
	case BPFKIT_STMT_EXPR:
		dump_expr(d, s->u.expr);
		return;
	case BPFKIT_STMT_ASSIGN: {
		char head[8];

		snprintf(head, sizeof(head), "%s=", bpfkit_ast_op_str(s->u.assign.op));
		open_node(d, head, s->loc);
		fputc(' ', d->f);
		dump_expr(d, s->u.assign.target);
		fputc(' ', d->f);
		dump_expr(d, s->u.assign.value);
		break;
	}
	case BPFKIT_STMT_IF:
		open_node(d, "if", s->loc);
		fputc(' ', d->f);
		dump_expr(d, s->u.if_.cond);
		indent(d, depth + 1);
		dump_block(d, s->u.if_.then, depth + 1);
		if (s->u.if_.otherwise) {
			indent(d, depth + 1);
			fputs("(else", d->f);
			indent(d, depth + 2);
			dump_stmt(d, s->u.if_.otherwise, depth + 2);
			fputc(')', d->f);
		}
		break;
	case BPFKIT_STMT_WHILE:
		open_node(d, "while", s->loc);
		fputc(' ', d->f);
		dump_expr(d, s->u.while_.cond);
		indent(d, depth + 1);
		dump_block(d, s->u.while_.body, depth + 1);
		break;
	case BPFKIT_STMT_UNROLL:
		open_node(d, "unroll", s->loc);
		fputc(' ', d->f);
		dump_expr(d, s->u.unroll.count);
		indent(d, depth + 1);
		dump_block(d, s->u.unroll.body, depth + 1);
		break;
	case BPFKIT_STMT_FOR:
		open_node(d, "for", s->loc);
		fputc(' ', d->f);
		dump_expr(d, s->u.for_.var);
		fputc(' ', d->f);
		dump_expr(d, s->u.for_.iterable);
		indent(d, depth + 1);
		dump_block(d, s->u.for_.body, depth + 1);
		break;
	case BPFKIT_STMT_RETURN:
		open_node(d, "return", s->loc);
		if (s->u.expr) {
			fputc(' ', d->f);
			dump_expr(d, s->u.expr);
		}
		break;
	case BPFKIT_STMT_BREAK:
		open_node(d, "break", s->loc);
		break;
	case BPFKIT_STMT_CONTINUE:
		open_node(d, "continue", s->loc);
		break;
	case BPFKIT_STMT_BLOCK:
		dump_block(d, s->u.block, depth);
		return;
	}
	fputc(')', d->f);
}

static void dump_attach(struct dumper *d, const struct bpfkit_ast_attach *a)
{
	open_node(d, "attach", a->loc);
	fprintf(d->f, " %s", a->provider);
	for (size_t i = 0; i < a->nparts; i++) {
		fputc(' ', d->f);
		put_quoted(d, a->parts[i], strlen(a->parts[i]));
	}
	if (a->wildcard)
		fputs(" (wildcard)", d->f);
	fputc(')', d->f);
}

static void dump_probe(struct dumper *d, const struct bpfkit_ast_probe *p, int depth)
{
	open_node(d, "probe", p->loc);
	for (size_t i = 0; i < p->nattach; i++) {
		indent(d, depth + 1);
		dump_attach(d, p->attach[i]);
	}
	if (p->pred) {
		indent(d, depth + 1);
		fputs("(pred ", d->f);
		dump_expr(d, p->pred);
		fputc(')', d->f);
	}
	indent(d, depth + 1);
	dump_block(d, p->body, depth + 1);
	fputc(')', d->f);
}

/* (include "<f.h>"), (define NAME "value"), (undef NAME), or the whole line. */
static void dump_directive(struct dumper *d, const struct bpfkit_ast_directive *dir)
{
	switch (dir->kind) {
	case BPFKIT_DIRECTIVE_INCLUDE:
		open_node(d, "include", dir->loc);
		fputc(' ', d->f);
		put_quoted(d, dir->name, strlen(dir->name));
		break;
	case BPFKIT_DIRECTIVE_DEFINE:
		open_node(d, "define", dir->loc);
		fprintf(d->f, " %s ", dir->name);
		put_quoted(d, dir->value, strlen(dir->value));
		break;
	case BPFKIT_DIRECTIVE_UNDEF:
		open_node(d, "undef", dir->loc);
		fprintf(d->f, " %s", dir->name);
		break;
	default:
		open_node(d, "directive", dir->loc);
		fputc(' ', d->f);
		put_quoted(d, dir->text, strlen(dir->text));
	}
	fputc(')', d->f);
}

/* Directives, then definitions, then probes: grouped, each in source order. */
int bpfkit_ast_dump(const struct bpfkit_ast_program *prog, unsigned flags, FILE *out)
{
	struct dumper d = { out, flags };

	if (!prog || !out)
		return -EINVAL;
	fputs("(program", out);
	for (size_t i = 0; i < prog->ndirectives; i++) {
		indent(&d, 1);
		dump_directive(&d, prog->directives[i]);
	}
	for (size_t i = 0; i < prog->ncdefs; i++) {
		indent(&d, 1);
		dump_cdef(&d, prog->cdefs[i], 1);
	}
	for (size_t i = 0; i < prog->nprobes; i++) {
		indent(&d, 1);
		dump_probe(&d, prog->probes[i], 1);
	}
	fputs(")\n", out);
	return d.err ? d.err : ferror(out) ? -EIO : 0;
}

int bpfkit_ast_dump_expr(const struct bpfkit_ast_expr *e, unsigned flags, FILE *out)
{
	struct dumper d = { out, flags };

	if (!e || !out)
		return -EINVAL;
	dump_expr(&d, e);
	return d.err ? d.err : ferror(out) ? -EIO : 0;
}
