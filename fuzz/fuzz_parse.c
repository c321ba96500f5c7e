// SPDX-License-Identifier: MIT
/*
 * Fuzz the tracing-language front end with arbitrary script text.
 * Oracles beyond "no crash, leak or hang":
 *  - parsing succeeds exactly when no error was reported, and then there is
 *    at least one probe;
 *  - every diagnostic and every AST node has a location inside the script
 *    (line within the file, column within the line, span within the text);
 *  - the dump and the diagnostic formatter accept whatever the parser built.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpfkit/lang.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct src {
	const char *text;
	size_t len;
	size_t *lines; /* start offset of each line */
	size_t nlines;
};

/* Abort unless @p loc lies in the script (an end-of-line column allowed). */
static void check_loc(const struct src *s, struct bpfkit_loc loc)
{
	size_t start, end;

	if (loc.line < 1 || (size_t)loc.line > s->nlines || loc.col < 1 || loc.len < 0)
		abort();
	start = s->lines[loc.line - 1];
	end = (size_t)loc.line < s->nlines ? s->lines[loc.line] - 1 : s->len;
	if (start + (size_t)loc.col - 1 > end)
		abort();
	if (start + (size_t)loc.col - 1 + (size_t)loc.len > s->len + 1)
		abort();
}

static void check_expr(const struct src *s, const struct bpfkit_ast_expr *e);

static void check_type(const struct src *s, const struct bpfkit_ast_type *t)
{
	for (; t; t = t->elem) {
		check_loc(s, t->loc);
		if (t->len)
			check_expr(s, t->len);
		if (t->def) {
			for (size_t i = 0; i < t->def->nfields; i++)
				check_type(s, t->def->fields[i]->type);
			for (size_t i = 0; i < t->def->nenumerators; i++)
				if (t->def->enumerators[i]->value)
					check_expr(s, t->def->enumerators[i]->value);
		}
	}
}

static void check_exprs(const struct src *s, struct bpfkit_ast_expr *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		check_expr(s, v[i]);
}

/* Every node of an expression: a valid place, and the shape its kind promises. */
static void check_expr(const struct src *s, const struct bpfkit_ast_expr *e)
{
	if (!e)
		abort();
	check_loc(s, e->loc);
	switch (e->kind) {
	case BPFKIT_EXPR_MAP:
		check_exprs(s, e->u.map.keys, e->u.map.nkeys);
		break;
	case BPFKIT_EXPR_CALL:
		check_exprs(s, e->u.call.args, e->u.call.nargs);
		break;
	case BPFKIT_EXPR_BINOP: /* a chain with a loop, as the compiler walks it */
		for (; e->kind == BPFKIT_EXPR_BINOP; e = e->u.binop.lhs) {
			check_loc(s, e->loc);
			check_expr(s, e->u.binop.rhs);
		}
		check_expr(s, e);
		break;
	case BPFKIT_EXPR_UNOP:
	case BPFKIT_EXPR_INCDEC:
		check_expr(s, e->u.unop.operand);
		break;
	case BPFKIT_EXPR_TERNARY:
		check_expr(s, e->u.ternary.cond);
		check_expr(s, e->u.ternary.yes);
		check_expr(s, e->u.ternary.no);
		break;
	case BPFKIT_EXPR_CAST:
		check_type(s, e->u.cast.to);
		check_expr(s, e->u.cast.operand);
		break;
	case BPFKIT_EXPR_FIELD:
		check_expr(s, e->u.field.base);
		break;
	case BPFKIT_EXPR_TUPLE_GET:
		check_expr(s, e->u.tuple_get.base);
		break;
	case BPFKIT_EXPR_INDEX:
		check_expr(s, e->u.index.base);
		check_expr(s, e->u.index.index);
		break;
	case BPFKIT_EXPR_TUPLE:
		if (e->u.tuple.n < 2)
			abort();
		check_exprs(s, e->u.tuple.items, e->u.tuple.n);
		break;
	case BPFKIT_EXPR_SIZEOF:
		if (!e->u.size_of.type == !e->u.size_of.expr)
			abort();
		if (e->u.size_of.type)
			check_type(s, e->u.size_of.type);
		else
			check_expr(s, e->u.size_of.expr);
		break;
	case BPFKIT_EXPR_OFFSETOF:
		if (!e->u.offset_of.type == !e->u.offset_of.expr || !e->u.offset_of.npath)
			abort();
		if (e->u.offset_of.type)
			check_type(s, e->u.offset_of.type);
		else
			check_expr(s, e->u.offset_of.expr);
		break;
	default:
		break;
	}
}

static void check_block(const struct src *s, const struct bpfkit_ast_block *b);

/* Every statement; only variables and maps are ever assigned. */
static void check_stmt(const struct src *s, const struct bpfkit_ast_stmt *st)
{
	check_loc(s, st->loc);
	switch (st->kind) {
	case BPFKIT_STMT_EXPR:
		check_expr(s, st->u.expr);
		break;
	case BPFKIT_STMT_RETURN:
		if (st->u.expr)
			check_expr(s, st->u.expr);
		break;
	case BPFKIT_STMT_ASSIGN:
		if (st->u.assign.target->kind != BPFKIT_EXPR_VAR && st->u.assign.target->kind != BPFKIT_EXPR_MAP)
			abort();
		check_expr(s, st->u.assign.target);
		check_expr(s, st->u.assign.value);
		break;
	case BPFKIT_STMT_IF:
		check_expr(s, st->u.if_.cond);
		check_block(s, st->u.if_.then);
		if (st->u.if_.otherwise)
			check_stmt(s, st->u.if_.otherwise);
		break;
	case BPFKIT_STMT_WHILE:
		check_expr(s, st->u.while_.cond);
		check_block(s, st->u.while_.body);
		break;
	case BPFKIT_STMT_UNROLL:
		check_expr(s, st->u.unroll.count);
		check_block(s, st->u.unroll.body);
		break;
	case BPFKIT_STMT_FOR:
		check_expr(s, st->u.for_.var);
		check_expr(s, st->u.for_.iterable);
		check_block(s, st->u.for_.body);
		break;
	case BPFKIT_STMT_BLOCK:
		check_block(s, st->u.block);
		break;
	default:
		break;
	}
}

static void check_block(const struct src *s, const struct bpfkit_ast_block *b)
{
	if (!b)
		abort();
	check_loc(s, b->loc);
	for (size_t i = 0; i < b->n; i++)
		check_stmt(s, b->stmts[i]);
}

/* A parsed program has probes, each with attach points and a body. */
static void check_program(const struct src *s, const struct bpfkit_ast_program *prog)
{
	if (!prog->nprobes)
		abort();
	for (size_t i = 0; i < prog->ndirectives; i++)
		check_loc(s, prog->directives[i]->loc);
	for (size_t i = 0; i < prog->ncdefs; i++)
		for (size_t j = 0; j < prog->cdefs[i]->nfields; j++)
			check_type(s, prog->cdefs[i]->fields[j]->type);
	for (size_t i = 0; i < prog->nprobes; i++) {
		const struct bpfkit_ast_probe *p = prog->probes[i];

		if (!p->nattach)
			abort();
		for (size_t j = 0; j < p->nattach; j++)
			check_loc(s, p->attach[j]->loc);
		if (p->pred)
			check_expr(s, p->pred);
		check_block(s, p->body);
	}
}

/* Parse, check diagnostics and tree, format and dump them all. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	struct bpfkit_ast_program *prog = NULL;
	struct bpfkit_lang *l;
	struct src s;
	unsigned errors = 0;
	int err;

	if (size > 1 << 16)
		return 0;
	if (!sink)
		sink = fopen("/dev/null", "w");
	l = bpfkit_lang__new("fuzz.bt", (const char *)data, size);
	if (!l)
		return 0;
	s.text = bpfkit_lang__source(l, &s.len); /* locations are in this text: no byte order mark */
	s.lines = malloc((s.len + 1) * sizeof(size_t));
	if (!s.lines) {
		bpfkit_lang__free(l);
		return 0;
	}
	s.nlines = 1;
	s.lines[0] = 0;
	for (size_t i = 0; i < s.len; i++)
		if (s.text[i] == '\n')
			s.lines[s.nlines++] = i + 1;
	err = bpfkit_lang__parse(l, &prog);
	for (const struct bpfkit_lang_diag *d = bpfkit_lang__diags(l); d; d = d->next) {
		if (!d->msg || !*d->msg)
			abort();
		if (d->loc.line)
			check_loc(&s, d->loc);
		errors += d->severity == BPFKIT_LANG_ERROR;
		if (sink)
			bpfkit_lang_diag_format(d, s.text, s.len, BPFKIT_LANG_FMT_COLOR, sink);
	}
	if (errors != bpfkit_lang__nerrors(l) || (err == 0) != (errors == 0) || (err == 0) != (prog != NULL))
		abort();
	if (prog) {
		check_program(&s, prog);
		if (sink)
			bpfkit_ast_dump(prog, BPFKIT_AST_DUMP_LOC, sink);
	}
	if (bpfkit_lang__parse(l, &prog) != -EALREADY || prog)
		abort();
	free(s.lines);
	bpfkit_lang__free(l);
	return 0;
}
