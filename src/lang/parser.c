// SPDX-License-Identifier: MIT
/*
 * The parser: the program, probes and statements, by recursive descent
 * (expressions are in expr.c, C definitions and preprocessor lines in
 * cdef.c). Each function quotes the rule it implements above it.
 *
 * Errors: a function that fails reports why and returns NULL. A statement
 * that fails is skipped up to the next ';' or past its '}' (parser_sync),
 * so one run reports several independent errors; a probe whose header is
 * broken is skipped up to its body, which is still checked. Running out of
 * input inside a body, nesting deeper than BPFKIT_LANG_MAX_DEPTH and
 * BPFKIT_LANG_MAX_ERRORS errors are fatal: the parser stops there.
 *
 * The top level is read raw (see lexer.c); everything between '{' and '}',
 * and the predicate, as tokens. When the parser goes back to raw reading it
 * must not hold tokens it has peeked at: parser_flush() moves the lexer back
 * to the first of them.
 */
#include <errno.h>
#include <string.h>

#include "lang/lang_int.h"

/* ---- Tokens ---------------------------------------------------------------------- */

const struct token *parser_peek(struct parser *p, unsigned n)
{
	if (p->fatal)
		return &p->stop;
	if (n >= PARSER_LOOKAHEAD)
		n = PARSER_LOOKAHEAD - 1;
	while (p->count <= n) {
		lex_next(&p->lx, &p->buf[(p->head + p->count) % PARSER_LOOKAHEAD]);
		p->count++;
	}
	return &p->buf[(p->head + n) % PARSER_LOOKAHEAD];
}

struct token parser_next(struct parser *p)
{
	struct token t = *parser_peek(p, 0);

	if (p->fatal)
		return t;
	p->head = (p->head + 1) % PARSER_LOOKAHEAD;
	p->count--;
	if (t.kind != TK_EOF)
		p->prev_end = t.end;
	return t;
}

bool parser_accept(struct parser *p, enum tok_kind k)
{
	if (parser_peek(p, 0)->kind != k)
		return false;
	parser_next(p);
	return true;
}

bool parser_expect(struct parser *p, enum tok_kind k, const char *what)
{
	const struct token *t = parser_peek(p, 0);

	if (t->kind == k) {
		parser_next(p);
		return true;
	}
	parser_unexpected(p, t, what);
	return false;
}

void parser_flush(struct parser *p)
{
	if (p->count && !p->lx.fatal && !p->fatal)
		lex_rewind(&p->lx, &p->buf[p->head]);
	p->count = 0;
}

/* ---- Errors ---------------------------------------------------------------------- */

static void parser_verror(struct parser *p, struct bpfkit_loc loc, const char *hint, const char *fmt, va_list ap)
{
	if (p->fatal)
		return;
	lang_vdiag(p->l, BPFKIT_LANG_ERROR, loc, hint, fmt, ap);
	if (p->l->nerrors >= BPFKIT_LANG_MAX_ERRORS) {
		lang_diag(p->l, BPFKIT_LANG_NOTE, loc, NULL, "too many errors; stopping here");
		p->fatal = true;
	}
}

void parser_error(struct parser *p, struct bpfkit_loc loc, const char *hint, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	parser_verror(p, loc, hint, fmt, ap);
	va_end(ap);
}

const char *parser_tok_desc(const struct token *t, char *buf, size_t size)
{
	char esc[48];

	if (t->kind == TK_EOF)
		return "end of input";
	if (t->kind == TK_ERROR)
		return "an invalid token";
	str_escape(esc, sizeof(esc), t->text, t->len, false);
	snprintf(buf, size, "'%s'", esc);
	return buf;
}

void parser_unexpected(struct parser *p, const struct token *t, const char *what)
{
	char buf[64];

	if (t->kind == TK_ERROR)
		return; /* the lexer said why */
	parser_error(p, t->loc, NULL, "expected %s, got %s", what, parser_tok_desc(t, buf, sizeof(buf)));
}

struct bpfkit_loc parser_span(struct parser *p, struct bpfkit_loc start)
{
	size_t off = lang_loc_off(p->l, start);

	if (p->prev_end > off && p->prev_end - off < (size_t)INT32_MAX)
		start.len = (int)(p->prev_end - off);
	return start;
}

bool parser_enter(struct parser *p, struct bpfkit_loc loc)
{
	if (p->fatal)
		return false;
	if (++p->depth > BPFKIT_LANG_MAX_DEPTH) {
		parser_error(p, loc, NULL, "nesting is too deep (more than %d levels)", BPFKIT_LANG_MAX_DEPTH);
		p->fatal = true;
		p->depth--;
		return false;
	}
	return true;
}

void parser_leave(struct parser *p)
{
	p->depth--;
}

/*
 * Skip what is left of a broken statement: up to and including the next ';'
 * at this level, or a '{...}' group that closes at this level (and an
 * 'else' group after it), or up to (not including) the '}' that closes the
 * enclosing block.
 */
void parser_sync(struct parser *p)
{
	int depth = 0;

	for (;;) {
		const struct token *t = parser_peek(p, 0);

		switch (t->kind) {
		case TK_EOF:
			return;
		case TK_LBRACE:
			depth++;
			break;
		case TK_RBRACE:
			if (depth == 0)
				return;
			if (--depth == 0) {
				parser_next(p);
				if (parser_peek(p, 0)->kind != TK_ELSE)
					return;
				continue;
			}
			break;
		case TK_SEMI:
			if (depth == 0) {
				parser_next(p);
				return;
			}
			break;
		default:
			break;
		}
		parser_next(p);
	}
}

/* ---- Statements -------------------------------------------------------------------- */

static struct bpfkit_ast_stmt *stmt_new(struct parser *p, enum bpfkit_ast_stmt_kind kind, struct bpfkit_loc loc)
{
	struct bpfkit_ast_stmt *s = arena_alloc(p->a, sizeof(*s));

	s->kind = kind;
	s->loc = loc;
	return s;
}

static struct bpfkit_ast_stmt *parse_stmt(struct parser *p);

/*
 * block -> '{' { stmt | ';' } '}'
 * @p what names the block for the end-of-input message ("probe body").
 */
static struct bpfkit_ast_block *parse_block(struct parser *p, const char *what)
{
	struct token open = parser_next(p);
	struct bpfkit_ast_block *b = arena_alloc(p->a, sizeof(*b));
	struct ptrvec stmts = { 0 };

	if (!parser_enter(p, open.loc))
		return NULL;
	for (;;) {
		const struct token *t = parser_peek(p, 0);
		struct bpfkit_ast_stmt *s;

		if (t->kind == TK_RBRACE) {
			parser_next(p);
			break;
		}
		if (t->kind == TK_EOF) {
			if (!p->fatal && !p->lx.fatal) {
				parser_error(p, t->loc, NULL, "unexpected end of input: %s is missing '}'", what);
				lang_diag(p->l, BPFKIT_LANG_NOTE, open.loc, NULL, "the block starts here");
			}
			p->fatal = true;
			parser_leave(p);
			return NULL;
		}
		if (t->kind == TK_SEMI) {
			parser_next(p);
			continue;
		}
		s = parse_stmt(p);
		if (s)
			ptrvec_push(p->a, &stmts, s);
		else
			parser_sync(p);
	}
	parser_leave(p);
	b->stmts = (struct bpfkit_ast_stmt **)stmts.items;
	b->n = stmts.n;
	b->loc = parser_span(p, open.loc);
	return b;
}

/* '{' ... '}' after a compound statement's head; bpftrace requires braces. */
static struct bpfkit_ast_block *parse_body(struct parser *p, const char *after)
{
	const struct token *t = parser_peek(p, 0);
	char what[64];

	if (t->kind != TK_LBRACE) {
		snprintf(what, sizeof(what), "'{' after %s", after);
		parser_unexpected(p, t, what);
		return NULL;
	}
	return parse_block(p, "the block");
}

/* '(' expr ')' after if, while and unroll */
static struct bpfkit_ast_expr *parse_cond(struct parser *p, const char *kw)
{
	struct bpfkit_ast_expr *e;
	char what[48];

	snprintf(what, sizeof(what), "'(' after '%s'", kw);
	if (!parser_expect(p, TK_LPAREN, what))
		return NULL;
	e = parse_expr(p);
	if (!e || !parser_expect(p, TK_RPAREN, "')' after the condition"))
		return NULL;
	return e;
}

/* if_stmt -> IF '(' expr ')' block [ELSE (if_stmt | block)] */
static struct bpfkit_ast_stmt *parse_if(struct parser *p)
{
	struct token kw = parser_next(p);
	struct bpfkit_ast_stmt *s = stmt_new(p, BPFKIT_STMT_IF, kw.loc), *other = NULL;

	if (!parser_enter(p, kw.loc))
		return NULL;
	s->u.if_.cond = parse_cond(p, "if");
	if (s->u.if_.cond)
		s->u.if_.then = parse_body(p, "'if (...)'");
	if (s->u.if_.then && parser_accept(p, TK_ELSE)) {
		const struct token *t = parser_peek(p, 0);

		if (t->kind == TK_IF) {
			other = parse_if(p);
		} else if (t->kind == TK_LBRACE) {
			struct bpfkit_loc at = t->loc;
			struct bpfkit_ast_block *b = parse_block(p, "the else block");

			if (b) {
				other = stmt_new(p, BPFKIT_STMT_BLOCK, at);
				other->u.block = b;
				other->loc = b->loc;
			}
		} else {
			parser_unexpected(p, t, "'{' or 'if' after 'else'");
		}
		if (!other)
			s->u.if_.then = NULL;
		s->u.if_.otherwise = other;
	}
	parser_leave(p);
	if (!s->u.if_.then)
		return NULL;
	s->loc = parser_span(p, kw.loc);
	return s;
}

/*
 * while_stmt  -> WHILE '(' expr ')' block
 * unroll_stmt -> UNROLL '(' expr ')' block
 */
static struct bpfkit_ast_stmt *parse_loop(struct parser *p)
{
	struct token kw = parser_next(p);
	bool is_while = kw.kind == TK_WHILE;
	struct bpfkit_ast_stmt *s = stmt_new(p, is_while ? BPFKIT_STMT_WHILE : BPFKIT_STMT_UNROLL, kw.loc);
	struct bpfkit_ast_expr *e = parse_cond(p, is_while ? "while" : "unroll");
	struct bpfkit_ast_block *body;

	if (!e)
		return NULL;
	body = parse_body(p, is_while ? "'while (...)'" : "'unroll (...)'");
	if (!body)
		return NULL;
	if (is_while) {
		s->u.while_.cond = e;
		s->u.while_.body = body;
	} else {
		s->u.unroll.count = e;
		s->u.unroll.body = body;
	}
	s->loc = parser_span(p, kw.loc);
	return s;
}

/* for_stmt -> FOR '(' VAR ':' expr ')' block */
static struct bpfkit_ast_stmt *parse_for(struct parser *p)
{
	struct token kw = parser_next(p), var;
	struct bpfkit_ast_stmt *s = stmt_new(p, BPFKIT_STMT_FOR, kw.loc);
	const struct token *t;

	if (!parser_expect(p, TK_LPAREN, "'(' after 'for'"))
		return NULL;
	t = parser_peek(p, 0);
	if (t->kind != TK_VAR) {
		parser_unexpected(p, t, "a variable ($name) after 'for ('");
		return NULL;
	}
	var = parser_next(p);
	s->u.for_.var = expr_new(p, BPFKIT_EXPR_VAR, var.loc);
	s->u.for_.var->u.ident.name = arena_strndup(p->a, var.text, var.len);
	if (!parser_expect(p, TK_COLON, "':' after the loop variable"))
		return NULL;
	s->u.for_.iterable = parse_expr(p);
	if (!s->u.for_.iterable || !parser_expect(p, TK_RPAREN, "')' after the map"))
		return NULL;
	s->u.for_.body = parse_body(p, "'for (...)'");
	if (!s->u.for_.body)
		return NULL;
	s->loc = parser_span(p, kw.loc);
	return s;
}

/* The operator of an assignment token (NONE for '='); *is_assign false if
 * the token assigns nothing. */
static enum bpfkit_ast_op assign_op(enum tok_kind k, bool *is_assign)
{
	*is_assign = true;
	switch (k) {
	case TK_ASSIGN:
		return BPFKIT_OP_NONE;
	case TK_ADD_ASSIGN:
		return BPFKIT_OP_ADD;
	case TK_SUB_ASSIGN:
		return BPFKIT_OP_SUB;
	case TK_MUL_ASSIGN:
		return BPFKIT_OP_MUL;
	case TK_DIV_ASSIGN:
		return BPFKIT_OP_DIV;
	case TK_MOD_ASSIGN:
		return BPFKIT_OP_MOD;
	case TK_AND_ASSIGN:
		return BPFKIT_OP_BAND;
	case TK_OR_ASSIGN:
		return BPFKIT_OP_BOR;
	case TK_XOR_ASSIGN:
		return BPFKIT_OP_BXOR;
	case TK_SHL_ASSIGN:
		return BPFKIT_OP_SHL;
	case TK_SHR_ASSIGN:
		return BPFKIT_OP_SHR;
	default:
		*is_assign = false;
		return BPFKIT_OP_NONE;
	}
}

/*
 * simple_stmt -> RETURN [expr] | BREAK | CONTINUE | expr [assign_op expr]
 * assign_op   -> '=' | '+=' | '-=' | '*=' | '/=' | '%=' | '&=' | '|=' | '^=' | '<<=' | '>>='
 * Only a variable or a map may stand left of an assignment.
 */
static struct bpfkit_ast_stmt *parse_simple(struct parser *p)
{
	const struct token *t = parser_peek(p, 0);
	struct bpfkit_ast_stmt *s;
	struct bpfkit_ast_expr *e;
	enum bpfkit_ast_op op;
	bool is_assign;
	struct token tok;

	switch (t->kind) {
	case TK_BREAK:
	case TK_CONTINUE:
		tok = parser_next(p);
		return stmt_new(p, tok.kind == TK_BREAK ? BPFKIT_STMT_BREAK : BPFKIT_STMT_CONTINUE, tok.loc);
	case TK_RETURN:
		tok = parser_next(p);
		s = stmt_new(p, BPFKIT_STMT_RETURN, tok.loc);
		t = parser_peek(p, 0);
		if (t->kind != TK_SEMI && t->kind != TK_RBRACE && t->kind != TK_EOF) {
			s->u.expr = parse_expr(p);
			if (!s->u.expr)
				return NULL;
			s->loc = parser_span(p, tok.loc);
		}
		return s;
	default:
		break;
	}
	e = parse_expr(p);
	if (!e)
		return NULL;
	op = assign_op(parser_peek(p, 0)->kind, &is_assign);
	if (!is_assign) {
		s = stmt_new(p, BPFKIT_STMT_EXPR, e->loc);
		s->u.expr = e;
		return s;
	}
	tok = parser_next(p);
	if (e->kind == BPFKIT_EXPR_TUPLE_GET) {
		parser_error(p, e->loc, NULL, "tuples are immutable; build a new tuple and assign that instead");
		return NULL;
	}
	if (e->kind != BPFKIT_EXPR_VAR && e->kind != BPFKIT_EXPR_MAP) {
		parser_error(p, e->loc, NULL,
			     "cannot assign to this expression; only variables ($x) and maps (@m) can be assigned");
		return NULL;
	}
	s = stmt_new(p, BPFKIT_STMT_ASSIGN, e->loc);
	s->u.assign.target = e;
	s->u.assign.op = op;
	s->u.assign.op_loc = tok.loc;
	s->u.assign.value = parse_expr(p);
	if (!s->u.assign.value)
		return NULL;
	s->loc = parser_span(p, e->loc);
	return s;
}

/* For "whlie (x) { ... }" and "} esle {": a name (called or not) right
 * before '{' that is close to a keyword. Returns the keyword, and the name
 * and its location through the pointers. */
static const char *keyword_hint(const struct bpfkit_ast_stmt *s, const char **name, struct bpfkit_loc *loc)
{
	static const char *const kws[] = { "if", "else", "while", "unroll", "for" };
	const struct bpfkit_ast_expr *e = s->kind == BPFKIT_STMT_EXPR ? s->u.expr : NULL;

	if (e && e->kind == BPFKIT_EXPR_CALL) {
		*name = e->u.call.name;
		*loc = e->u.call.name_loc;
	} else if (e && e->kind == BPFKIT_EXPR_IDENT) {
		*name = e->u.ident.name;
		*loc = e->loc;
	} else {
		return NULL;
	}
	return bpfkit_lang_suggest(*name, kws, sizeof(kws) / sizeof(kws[0]));
}

/*
 * stmt -> if_stmt | while_stmt | unroll_stmt | for_stmt | block
 *       | simple_stmt (';' | before '}')
 * The last statement of a block needs no ';', as in bpftrace.
 */
static struct bpfkit_ast_stmt *parse_stmt(struct parser *p)
{
	const struct token *t = parser_peek(p, 0);
	const char *hint, *name;
	struct bpfkit_ast_stmt *s;
	struct bpfkit_loc loc;
	char buf[64];

	switch (t->kind) {
	case TK_IF:
		return parse_if(p);
	case TK_WHILE:
	case TK_UNROLL:
		return parse_loop(p);
	case TK_FOR:
		return parse_for(p);
	case TK_LBRACE: {
		struct bpfkit_loc at = t->loc;
		struct bpfkit_ast_block *b = parse_block(p, "the block");

		if (!b)
			return NULL;
		s = stmt_new(p, BPFKIT_STMT_BLOCK, at);
		s->u.block = b;
		s->loc = b->loc;
		return s;
	}
	case TK_ELSE:
		parser_error(p, t->loc, NULL, "'else' without a matching 'if'");
		return NULL;
	default:
		break;
	}
	s = parse_simple(p);
	if (!s)
		return NULL;
	t = parser_peek(p, 0);
	if (t->kind == TK_SEMI) {
		parser_next(p);
		return s;
	}
	if (t->kind == TK_RBRACE || t->kind == TK_EOF)
		return s;
	if (t->kind == TK_LBRACE && (hint = keyword_hint(s, &name, &loc)))
		parser_error(p, loc, hint, "'%s' is not a keyword", name);
	else if (t->kind != TK_ERROR)
		parser_error(p, t->loc, NULL, "expected ';' or '}' after statement, got %s",
			     parser_tok_desc(t, buf, sizeof(buf)));
	return NULL;
}

/* ---- Probes ---------------------------------------------------------------------------- */

/*
 * attach -> provider {':' part}   (raw text, see lex_attach_point)
 * Split at ':' outside quotes, drop the quotes, find the provider.
 */
static struct bpfkit_ast_attach *make_attach(struct parser *p, const char *text, size_t len,
					     struct bpfkit_loc loc)
{
	struct bpfkit_ast_attach *a = arena_alloc(p->a, sizeof(*a));
	char *buf = arena_alloc(p->a, len + 1), *piece = buf;
	struct ptrvec parts = { 0 };
	size_t o = 0, provider_len = len;
	bool inq = false;
	int type;

	a->raw = arena_strndup(p->a, text, len);
	a->loc = loc;
	for (size_t i = 0; i <= len; i++) {
		char c = i < len ? text[i] : 0;

		if (i == len || (c == ':' && !inq)) {
			buf[o++] = 0;
			if (!parts.n && provider_len == len)
				provider_len = i;
			ptrvec_push(p->a, &parts, piece);
			piece = buf + o;
		} else if (c == '"') {
			inq = !inq;
		} else if (inq && c == '\\' && i + 1 < len && (text[i + 1] == '"' || text[i + 1] == '\\')) {
			buf[o++] = text[++i];
		} else {
			if (!inq && (c == '*' || c == '?') && parts.n)
				a->wildcard = true;
			buf[o++] = c;
		}
	}
	type = probe_type_lookup(parts.items[0], strlen(parts.items[0]));
	if (type < 0) {
		struct bpfkit_loc at = { loc.line, loc.col, provider_len ? (int)provider_len : 1 };
		const char *name = parts.items[0];

		if (!*name)
			parser_error(p, at, NULL, "expected a probe type (such as 'kprobe') before ':'");
		else
			parser_error(p, at, bpfkit_lang_suggest(name, probe_type_names, probe_type_nnames),
				     "unknown probe type '%s'", name);
		return NULL;
	}
	a->type = (enum bpfkit_probe_type)type;
	a->provider = bpfkit_probe_type_name(a->type);
	a->parts = (const char **)parts.items + 1;
	a->nparts = parts.n - 1;
	return a;
}

/* After a broken probe header: skip (quietly) to the body, and check it. */
static void skip_to_body(struct parser *p)
{
	bool quiet = p->l->quiet;

	p->l->quiet = true;
	while (parser_peek(p, 0)->kind != TK_LBRACE && parser_peek(p, 0)->kind != TK_EOF)
		parser_next(p);
	p->l->quiet = quiet;
	if (parser_peek(p, 0)->kind == TK_LBRACE)
		parse_block(p, "the probe body");
}

/* The attach points of one probe, separated by ','. False after an error
 * that leaves nothing sensible to parse. */
static bool parse_attach_list(struct parser *p, struct ptrvec *attach, bool *bad)
{
	for (bool after_comma = false;; after_comma = true) {
		struct bpfkit_ast_attach *a;
		struct bpfkit_loc loc;
		const char *text;
		size_t len;
		int c;

		lex_skip_space(&p->lx);
		len = lex_attach_point(&p->lx, &text, &loc);
		if (!len) {
			c = lex_peek_char(&p->lx);
			loc = lex_here(&p->lx, 1);
			if (c == '{') {
				parser_error(p, loc, NULL,
					     after_comma ? "expected another attach point after ','"
							 : "expected an attach point (such as 'BEGIN' or 'kprobe:vfs_read') before '{'");
				*bad = true;
				return true;
			}
			if (c < 0) {
				if (!p->lx.fatal)
					parser_error(p, loc, NULL, "expected an attach point, got end of input");
				return false;
			}
			if (c >= 0x20 && c < 0x7f)
				parser_error(p, loc, NULL,
					     "expected an attach point (such as 'BEGIN' or 'kprobe:vfs_read'), got '%c'", c);
			else
				parser_error(p, loc, NULL, "expected an attach point, got byte 0x%02x", (unsigned)c);
			lex_advance(&p->lx);
			return false;
		}
		a = make_attach(p, text, len, loc);
		if (a)
			ptrvec_push(p->a, attach, a);
		else
			*bad = true;
		lex_skip_space(&p->lx);
		if (lex_peek_char(&p->lx) != ',')
			return true;
		lex_advance(&p->lx);
	}
}

/* probe -> attach {',' attach} ['/' expr '/'] block */
static void parse_probe(struct parser *p, struct ptrvec *probes)
{
	struct bpfkit_ast_probe *pr = arena_alloc(p->a, sizeof(*pr));
	struct ptrvec attach = { 0 };
	const struct token *t;
	bool bad = false;

	lex_skip_space(&p->lx);
	pr->loc = lex_here(&p->lx, 0);
	if (!parse_attach_list(p, &attach, &bad))
		return;
	if (attach.n) {
		struct bpfkit_ast_attach *last = attach.items[attach.n - 1];
		size_t from = lang_loc_off(p->l, pr->loc), to = lang_loc_off(p->l, last->loc) + (size_t)last->loc.len;

		pr->loc.len = (int)(to - from);
	}
	if (p->lx.fatal)
		return;
	if (!bad && lex_peek_char(&p->lx) == '/') {
		parser_next(p); /* '/' */
		pr->pred = parse_expr(p);
		if (!pr->pred) {
			bad = true;
		} else if (!parser_accept(p, TK_SLASH)) {
			parser_unexpected(p, parser_peek(p, 0), "'/' to end the predicate");
			bad = true;
		}
	}
	t = parser_peek(p, 0);
	if (t->kind == TK_EOF && !p->fatal && !bad) {
		parser_error(p, t->loc, NULL, "unexpected end of input: expected '{' and the probe body");
		p->fatal = true;
		return;
	}
	if (t->kind != TK_LBRACE) {
		if (!bad)
			parser_unexpected(p, t, t->kind == TK_IDENT ? "',' between attach points or '{' to start the probe body"
							    : "'{' to start the probe body");
		skip_to_body(p);
		return;
	}
	pr->body = parse_block(p, "the probe body");
	if (!pr->body || bad)
		return;
	pr->attach = (struct bpfkit_ast_attach **)attach.items;
	pr->nattach = attach.n;
	ptrvec_push(p->a, probes, pr);
}

/* ---- The program ------------------------------------------------------------------------- */

static bool word_is(const char *w, size_t n, const char *s)
{
	return strlen(s) == n && !memcmp(w, s, n);
}

/* program -> { directive | cdef | typedef | probe } */
static void parse_top(struct parser *p, struct bpfkit_ast_program *prog)
{
	struct ptrvec dirs = { 0 }, cdefs = { 0 }, probes = { 0 };

	for (;;) {
		const char *w;
		size_t n;

		parser_flush(p);
		lex_skip_space(&p->lx);
		if (p->fatal || lex_peek_char(&p->lx) < 0)
			break;
		n = lex_word_at(&p->lx, &w);
		if (lex_peek_char(&p->lx) == '#')
			parse_directive(p, &dirs);
		else if (word_is(w, n, "struct") || word_is(w, n, "union") || word_is(w, n, "enum"))
			parse_top_cdef(p, &cdefs);
		else if (word_is(w, n, "typedef"))
			parse_typedef(p);
		else
			parse_probe(p, &probes);
	}
	prog->directives = (struct bpfkit_ast_directive **)dirs.items;
	prog->ndirectives = dirs.n;
	prog->cdefs = (struct bpfkit_ast_cdef **)cdefs.items;
	prog->ncdefs = cdefs.n;
	prog->probes = (struct bpfkit_ast_probe **)probes.items;
	prog->nprobes = probes.n;
}

/* The part of parsing that may unwind on out-of-memory (see lang_int.h). */
static struct bpfkit_ast_program *parse_guarded(struct bpfkit_lang *l)
{
	struct bpfkit_ast_program *prog;
	struct parser *p;

	lang_index_lines(l);
	p = arena_alloc(&l->arena, sizeof(*p));
	prog = arena_alloc(&l->arena, sizeof(*prog));
	p->l = l;
	p->a = &l->arena;
	lex_init(&p->lx, l);
	p->stop.kind = TK_EOF;
	p->stop.text = "";
	prog->file = l->file;
	parse_top(p, prog);
	if (!l->nerrors && !prog->nprobes)
		lang_diag(l, BPFKIT_LANG_ERROR, (struct bpfkit_loc){ 0 }, NULL,
			  "the script has no probes (such as 'BEGIN { ... }')");
	return prog;
}

/* Parse with the arena set to unwind here on out-of-memory. */
int parse_program(struct bpfkit_lang *l, struct bpfkit_ast_program **out)
{
	struct bpfkit_ast_program *prog;
	jmp_buf oom;

	*out = NULL;
	if (setjmp(oom)) {
		l->arena.oom = NULL;
		return -ENOMEM;
	}
	l->arena.oom = &oom;
	prog = parse_guarded(l);
	l->arena.oom = NULL;
	if (l->nerrors)
		return -EINVAL;
	*out = prog;
	return 0;
}

int bpfkit_lang__parse(struct bpfkit_lang *l, struct bpfkit_ast_program **prog)
{
	struct bpfkit_ast_program *dummy;

	if (!l)
		return -EINVAL;
	if (!prog)
		prog = &dummy;
	*prog = NULL;
	if (l->parsed)
		return -EALREADY;
	l->parsed = true;
	return parse_program(l, prog);
}
