// SPDX-License-Identifier: MIT
/*
 * The preamble of a script: preprocessor lines and C definitions.
 *
 * bpftrace hands these to clang. We do not embed a C compiler, so:
 *  - #include is recorded (a later pass resolves types through BTF);
 *  - #define of an object-like macro is expanded by our lexer, which covers
 *    what scripts do with it (constants, colour strings); function-like
 *    macros are recorded and reported if used;
 *  - #if/#ifdef/#ifndef/#elif/#else/#endif are recorded, not evaluated:
 *    everything between them is kept (scripts use them around #include
 *    and struct definitions that BTF makes unnecessary);
 *  - struct, union and enum definitions are parsed into fields with their
 *    types (pointers, arrays, bit-fields, nested and anonymous members,
 *    function pointers), enough for a later pass to lay them out.
 */
#include <string.h>

#include "lang/lang_int.h"

static bool word_in(const char *s, size_t n, const char *const *list)
{
	for (; *list; list++)
		if (strlen(*list) == n && !memcmp(*list, s, n))
			return true;
	return false;
}

static bool is_ident_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static const char *skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\f' || *s == '\v')
		s++;
	return s;
}

/* Cut comments out of a directive's text (outside string and character
 * literals) and trailing blanks; in place. */
static void strip_comments(char *s)
{
	char *o = s, quote = 0;

	for (char *q = s; *q; q++) {
		if (quote) {
			if (*q == '\\' && q[1])
				*o++ = *q++;
			else if (*q == quote)
				quote = 0;
		} else if (*q == '"' || *q == '\'') {
			quote = *q;
		} else if (q[0] == '/' && q[1] == '/') {
			break;
		} else if (q[0] == '/' && q[1] == '*') {
			char *e = strstr(q + 2, "*/");

			if (!e)
				break;
			q = e + 1;
			*o++ = ' ';
			continue;
		}
		*o++ = *q;
	}
	while (o > s && (o[-1] == ' ' || o[-1] == '\t' || o[-1] == '\r'))
		o--;
	*o = 0;
}

/* #include <file> or "file" */
static void directive_include(struct parser *p, struct bpfkit_ast_directive *d, char *rest)
{
	char close = *rest == '<' ? '>' : *rest == '"' ? '"' : 0;
	char *end = close ? strchr(rest + 1, close) : NULL;

	if (!end || *skip_blanks(end + 1)) {
		parser_error(p, d->loc, NULL, "expected <file> or \"file\" after #include");
		return;
	}
	d->name = arena_strndup(p->a, rest, (size_t)(end + 1 - rest));
}

/* #define NAME [value] and #define NAME(params) value */
static void directive_define(struct parser *p, struct bpfkit_ast_directive *d, char *rest)
{
	size_t n = 0;
	bool func_like;

	while (is_ident_char((unsigned char)rest[n]))
		n++;
	if (!n || (rest[0] >= '0' && rest[0] <= '9')) {
		parser_error(p, d->loc, NULL, "expected a macro name after #%s", d->word);
		return;
	}
	d->name = arena_strndup(p->a, rest, n);
	if (d->kind == BPFKIT_DIRECTIVE_UNDEF) {
		lex_undef(&p->lx, d->name);
		return;
	}
	func_like = rest[n] == '(';
	d->value = skip_blanks(rest + n);
	if (!func_like && rest[n] && rest[n] != ' ' && rest[n] != '\t') {
		parser_error(p, d->loc, NULL, "expected a blank after the macro name '%s'", d->name);
		return;
	}
	lex_define(&p->lx, d->name, d->value, strlen(d->value), func_like);
}

/*
 * directive -> '#' WORD text-to-end-of-line
 * Records the line; acts on #define and #undef.
 */
void parse_directive(struct parser *p, struct ptrvec *dirs)
{
	static const char *const cond[] = { "if", "ifdef", "ifndef", "elif", "else", "endif", NULL };
	static const char *const other[] = { "pragma", "error", "warning", "line", "", NULL };
	struct bpfkit_ast_directive *d = arena_alloc(p->a, sizeof(*d));
	const char *line = lex_line(&p->lx, &d->loc);
	char *text, *rest;
	size_t n = 0;

	text = arena_strndup(p->a, line + 1, strlen(line + 1));
	strip_comments(text);
	d->text = skip_blanks(text);
	while (is_ident_char((unsigned char)d->text[n]))
		n++;
	d->word = arena_strndup(p->a, d->text, n);
	rest = (char *)skip_blanks(d->text + n);
	d->name = "";
	d->value = "";
	ptrvec_push(p->a, dirs, d);
	if (!strcmp(d->word, "include")) {
		d->kind = BPFKIT_DIRECTIVE_INCLUDE;
		directive_include(p, d, rest);
	} else if (!strcmp(d->word, "define") || !strcmp(d->word, "undef")) {
		d->kind = d->word[0] == 'd' ? BPFKIT_DIRECTIVE_DEFINE : BPFKIT_DIRECTIVE_UNDEF;
		directive_define(p, d, rest);
	} else if (word_in(d->word, n, cond)) {
		d->kind = BPFKIT_DIRECTIVE_COND;
	} else {
		d->kind = BPFKIT_DIRECTIVE_OTHER;
		if (!word_in(d->word, n, other) || (!n && *rest)) {
			struct bpfkit_loc at = d->loc;

			at.len = (int)n + 1;
			parser_error(p, at, NULL, "unknown preprocessor directive '#%s'", n ? d->word : rest);
		}
	}
}

/* ---- C declarations ---------------------------------------------------------------- */

static struct bpfkit_ast_type *parse_tagged(struct parser *p);

static bool is_qualifier(const struct token *t)
{
	static const char *const quals[] = {
		"const", "volatile", "restrict", "__restrict", "__restrict__", "__volatile__",
		"__const", "__const__", "static", "extern", "register", "inline", "__extension__",
		"__user", "__kernel", "__rcu", "__percpu", "__iomem", "__force", "__bitwise",
		"__must_check", "__packed", "__aligned_largest", NULL,
	};

	return t->kind == TK_IDENT && word_in(t->text, t->len, quals);
}

static bool is_attribute(const struct token *t)
{
	static const char *const attrs[] = { "__attribute__", "__attribute", "__aligned", "__randomize_layout", NULL };

	return t->kind == TK_IDENT && word_in(t->text, t->len, attrs);
}

static bool is_c_type_word(const struct token *t)
{
	static const char *const words[] = {
		"void", "char", "short", "int", "long", "signed", "unsigned", "float", "double",
		"_Bool", "__int128", "__signed__", "__signed", NULL,
	};

	return t->kind == TK_IDENT && word_in(t->text, t->len, words);
}

/* One more level of type nesting ('*' or '[]'), counted in *levels. */
static bool nest(struct parser *p, struct bpfkit_loc loc, int *levels)
{
	if (!parser_enter(p, loc))
		return false;
	(*levels)++;
	return true;
}

/* Skip a parenthesised group if one follows (attribute arguments,
 * function pointer parameters). */
static bool skip_parens(struct parser *p)
{
	int depth = 0;

	if (parser_peek(p, 0)->kind != TK_LPAREN)
		return true;
	do {
		struct token t = parser_next(p);

		if (t.kind == TK_EOF) {
			parser_unexpected(p, &t, "')'");
			return false;
		}
		depth += t.kind == TK_LPAREN;
		depth -= t.kind == TK_RPAREN;
	} while (depth > 0);
	return true;
}

/* Skip qualifiers and attributes. */
static bool skip_qualifiers(struct parser *p)
{
	for (;;) {
		const struct token *t = parser_peek(p, 0);

		if (is_qualifier(t)) {
			parser_next(p);
		} else if (is_attribute(t)) {
			parser_next(p);
			if (!skip_parens(p))
				return false;
		} else {
			return true;
		}
	}
}

/*
 * specs -> { qualifier | attribute | c_type_word | tagged | typedef_name }
 * "unsigned long int" becomes one NAME type with the words joined.
 */
static struct bpfkit_ast_type *parse_specs(struct parser *p)
{
	struct bpfkit_ast_type *base = NULL;
	struct bpfkit_loc start = parser_peek(p, 0)->loc;
	char words[96];
	size_t wl = 0;

	for (;;) {
		const struct token *t;

		if (!skip_qualifiers(p))
			return NULL;
		t = parser_peek(p, 0);
		if ((t->kind == TK_STRUCT || t->kind == TK_UNION || t->kind == TK_ENUM) && !base && !wl) {
			base = parse_tagged(p);
			if (!base)
				return NULL;
		} else if (is_c_type_word(t) && !base) {
			if (wl + t->len + 2 > sizeof(words)) {
				parser_error(p, t->loc, NULL, "type name is too long");
				return NULL;
			}
			if (wl)
				words[wl++] = ' ';
			memcpy(words + wl, t->text, t->len);
			wl += t->len;
			parser_next(p);
		} else if (t->kind == TK_IDENT && !base && !wl) {
			struct token name = parser_next(p);

			base = type_new(p, BPFKIT_TYPE_NAME, name.loc);
			base->name = arena_strndup(p->a, name.text, name.len);
		} else {
			break;
		}
	}
	if (wl) {
		base = type_new(p, BPFKIT_TYPE_NAME, start);
		base->name = arena_strndup(p->a, words, wl);
		base->loc = parser_span(p, start);
	}
	if (!base)
		parser_unexpected(p, parser_peek(p, 0), "a type");
	return base;
}

/* Wrap @p t in arrays: int a[2][3] is an array of 2 arrays of 3 ints. */
static struct bpfkit_ast_type *apply_dims(struct parser *p, struct bpfkit_ast_type *t, struct ptrvec *dims,
					  struct ptrvec *locs)
{
	for (size_t i = dims->n; i-- > 0;) {
		struct bpfkit_ast_type *arr = type_new(p, BPFKIT_TYPE_ARRAY, *(struct bpfkit_loc *)locs->items[i]);

		arr->elem = t;
		arr->len = dims->items[i];
		t = arr;
	}
	return t;
}

/* The function-pointer part of a declarator: '(' '*' {'*'} [IDENT] ')' '(' params ')' */
static bool parse_fn_declarator(struct parser *p, struct bpfkit_ast_field *f, struct bpfkit_ast_type **t)
{
	struct token open = parser_next(p);
	int nptr = 0;

	while (parser_accept(p, TK_STAR)) {
		if (!nest(p, open.loc, &nptr) || !skip_qualifiers(p)) {
			p->depth -= nptr;
			return false;
		}
	}
	p->depth -= nptr;
	if (!nptr) {
		parser_unexpected(p, parser_peek(p, 0), "'*' in a function pointer");
		return false;
	}
	if (parser_peek(p, 0)->kind == TK_IDENT) {
		struct token name = parser_next(p);

		f->name = arena_strndup(p->a, name.text, name.len);
	}
	if (!parser_expect(p, TK_RPAREN, "')' after the function pointer name"))
		return false;
	if (parser_peek(p, 0)->kind != TK_LPAREN) {
		parser_unexpected(p, parser_peek(p, 0), "'(' and the parameters of the function pointer");
		return false;
	}
	if (!skip_parens(p))
		return false;
	*t = type_new(p, BPFKIT_TYPE_FUNC, open.loc);
	(*t)->elem = f->type;
	while (nptr--) {
		struct bpfkit_ast_type *ptr = type_new(p, BPFKIT_TYPE_PTR, open.loc);

		ptr->elem = *t;
		*t = ptr;
	}
	return true;
}

/*
 * declarator -> {'*' {qualifier}} (IDENT | fn_declarator | ) {'[' [expr] ']'} [':' expr]
 * (no name only for an unnamed bit-field: "int : 3;")
 */
static struct bpfkit_ast_field *parse_declarator(struct parser *p, struct bpfkit_ast_type *base)
{
	struct bpfkit_ast_field *f = arena_alloc(p->a, sizeof(*f));
	struct bpfkit_loc start = parser_peek(p, 0)->loc;
	struct ptrvec dims = { 0 }, locs = { 0 };
	struct bpfkit_ast_type *t = base;
	const struct token *tok;
	int levels = 0;

	f->bits = -1;
	while (parser_peek(p, 0)->kind == TK_STAR) {
		struct token star = parser_next(p);
		struct bpfkit_ast_type *ptr = type_new(p, BPFKIT_TYPE_PTR, star.loc);

		if (!nest(p, star.loc, &levels) || !skip_qualifiers(p))
			goto fail;
		ptr->elem = t;
		t = ptr;
	}
	tok = parser_peek(p, 0);
	if (tok->kind == TK_LPAREN) {
		f->type = t;
		if (!parse_fn_declarator(p, f, &t))
			goto fail;
	} else if (tok_is_name(tok)) {
		struct token name = parser_next(p);

		f->name = arena_strndup(p->a, name.text, name.len);
	} else if (tok->kind != TK_COLON) {
		parser_unexpected(p, tok, "a field name");
		goto fail;
	}
	while (parser_peek(p, 0)->kind == TK_LBRACKET) {
		struct bpfkit_loc *at = arena_alloc(p->a, sizeof(*at));
		struct bpfkit_ast_expr *len = NULL;

		*at = parser_next(p).loc;
		if (!nest(p, *at, &levels))
			goto fail;
		if (parser_peek(p, 0)->kind != TK_RBRACKET && !(len = parse_expr(p)))
			goto fail;
		if (!parser_expect(p, TK_RBRACKET, "']' after the array length"))
			goto fail;
		*at = parser_span(p, *at);
		ptrvec_push(p->a, &dims, len);
		ptrvec_push(p->a, &locs, at);
	}
	f->type = apply_dims(p, t, &dims, &locs);
	if (parser_accept(p, TK_COLON)) {
		struct bpfkit_ast_expr *w = parse_expr(p);

		if (!w)
			goto fail;
		if (w->kind != BPFKIT_EXPR_INT || w->u.num.negative || w->u.num.value > 128) {
			parser_error(p, w->loc, NULL, "bit-field width must be an integer from 0 to 128");
			goto fail;
		}
		f->bits = (int)w->u.num.value;
	} else if (!f->name) {
		parser_unexpected(p, parser_peek(p, 0), "':' and the width of the unnamed bit-field");
		goto fail;
	}
	p->depth -= levels;
	f->loc = parser_span(p, start);
	return f;
fail:
	p->depth -= levels;
	return NULL;
}

/* field_decl -> specs [declarator {',' declarator}] (';' | before '}')
 * The last member's ';' may be left out, as bpftrace accepts it
 * (struct a { int x; int y }). */
static bool parse_field_decl(struct parser *p, struct ptrvec *fields)
{
	struct bpfkit_loc start = parser_peek(p, 0)->loc;
	struct bpfkit_ast_type *base = parse_specs(p);

	if (!base)
		return false;
	if (parser_peek(p, 0)->kind == TK_SEMI) {
		struct token semi = parser_next(p);

		if (base->def && !base->def->name) {
			/* anonymous struct/union member */
			struct bpfkit_ast_field *f = arena_alloc(p->a, sizeof(*f));

			f->type = base;
			f->bits = -1;
			f->loc = parser_span(p, start);
			ptrvec_push(p->a, fields, f);
		} else if (!base->def) {
			parser_error(p, semi.loc, NULL, "expected a field name before ';'");
			return false;
		}
		return true;
	}
	do {
		struct bpfkit_ast_field *f = parse_declarator(p, base);

		if (!f)
			return false;
		ptrvec_push(p->a, fields, f);
	} while (parser_accept(p, TK_COMMA));
	if (parser_peek(p, 0)->kind == TK_RBRACE)
		return true;
	return parser_expect(p, TK_SEMI, "';' after the struct member");
}

/* An end of input inside a definition ends the parse. */
static void cdef_eof(struct parser *p, const struct token *t, struct bpfkit_loc open)
{
	if (!p->fatal && !p->lx.fatal) {
		parser_error(p, t->loc, NULL, "unexpected end of input: the definition is missing '}'");
		lang_diag(p->l, BPFKIT_LANG_NOTE, open, NULL, "the definition starts here");
	}
	p->fatal = true;
}

/* fields -> { field_decl | ';' } '}' */
static bool parse_fields(struct parser *p, struct bpfkit_ast_cdef *def, struct bpfkit_loc open)
{
	struct ptrvec fields = { 0 };

	for (;;) {
		const struct token *t = parser_peek(p, 0);

		if (t->kind == TK_RBRACE) {
			parser_next(p);
			break;
		}
		if (t->kind == TK_EOF) {
			cdef_eof(p, t, open);
			return false;
		}
		if (t->kind == TK_SEMI) {
			parser_next(p);
			continue;
		}
		if (!parse_field_decl(p, &fields))
			parser_sync(p);
	}
	def->fields = (struct bpfkit_ast_field **)fields.items;
	def->nfields = fields.n;
	return true;
}

/* enumerators -> [enumerator {',' enumerator} [',']] '}'
 * enumerator  -> IDENT ['=' expr] */
static bool parse_enumerators(struct parser *p, struct bpfkit_ast_cdef *def, struct bpfkit_loc open)
{
	struct ptrvec list = { 0 };

	for (;;) {
		const struct token *t = parser_peek(p, 0);
		struct bpfkit_ast_enumerator *en;
		struct token name;

		if (parser_accept(p, TK_RBRACE))
			break;
		if (t->kind == TK_EOF) {
			cdef_eof(p, t, open);
			return false;
		}
		if (t->kind != TK_IDENT) {
			parser_unexpected(p, t, "an enumerator name");
			return false;
		}
		name = parser_next(p);
		en = arena_alloc(p->a, sizeof(*en));
		en->name = arena_strndup(p->a, name.text, name.len);
		if (parser_accept(p, TK_ASSIGN) && !(en->value = parse_expr(p)))
			return false;
		en->loc = parser_span(p, name.loc);
		ptrvec_push(p->a, &list, en);
		if (parser_accept(p, TK_COMMA))
			continue;
		if (!parser_expect(p, TK_RBRACE, "',' or '}' after the enumerator"))
			return false;
		break;
	}
	def->enumerators = (struct bpfkit_ast_enumerator **)list.items;
	def->nenumerators = list.n;
	return true;
}

/* tagged -> (STRUCT | UNION | ENUM) [IDENT] ['{' (fields | enumerators) '}'] */
static struct bpfkit_ast_type *parse_tagged(struct parser *p)
{
	struct token kw = parser_next(p);
	enum bpfkit_ast_type_kind kind = kw.kind == TK_STRUCT ? BPFKIT_TYPE_STRUCT
					 : kw.kind == TK_UNION ? BPFKIT_TYPE_UNION
								: BPFKIT_TYPE_ENUM;
	struct bpfkit_ast_type *ty = type_new(p, kind, kw.loc);
	struct bpfkit_ast_cdef *def;
	struct token open;
	bool ok;

	if (!skip_qualifiers(p))
		return NULL;
	if (parser_peek(p, 0)->kind == TK_IDENT) {
		struct token name = parser_next(p);

		ty->name = arena_strndup(p->a, name.text, name.len);
	}
	if (parser_peek(p, 0)->kind != TK_LBRACE) {
		if (!ty->name) {
			parser_unexpected(p, parser_peek(p, 0), "a name or '{'");
			return NULL;
		}
		ty->loc = parser_span(p, kw.loc);
		return ty;
	}
	open = parser_next(p);
	if (!parser_enter(p, open.loc))
		return NULL;
	def = arena_alloc(p->a, sizeof(*def));
	def->kind = kind;
	def->name = ty->name;
	def->complete = true;
	ok = kind == BPFKIT_TYPE_ENUM ? parse_enumerators(p, def, open.loc) : parse_fields(p, def, open.loc);
	parser_leave(p);
	if (!ok)
		return NULL;
	def->loc = parser_span(p, kw.loc);
	ty->def = def;
	ty->loc = def->loc;
	return ty;
}

/* Skip the rest of a broken top-level definition: to a ';' or past the
 * '}' that closes it. */
static void skip_definition(struct parser *p)
{
	bool quiet = p->l->quiet;
	int depth = 0;

	p->l->quiet = true; /* what follows may be top-level text, not tokens */
	for (;;) {
		struct token t = parser_next(p);

		if (t.kind == TK_EOF || (t.kind == TK_SEMI && depth == 0))
			break;
		if (t.kind == TK_LBRACE)
			depth++;
		if (t.kind == TK_RBRACE && --depth <= 0) {
			parser_accept(p, TK_SEMI);
			break;
		}
	}
	p->l->quiet = quiet;
}

/*
 * cdef -> (STRUCT | UNION) [IDENT] '{' fields '}' [';']
 *       | ENUM [IDENT] '{' enumerators '}' [';']
 *       | (STRUCT | UNION | ENUM) IDENT ';'
 * The ';' after '}' is optional, as in bpftrace's preamble.
 */
void parse_top_cdef(struct parser *p, struct ptrvec *cdefs)
{
	struct bpfkit_ast_type *ty = parse_tagged(p);

	if (!ty) {
		if (!p->fatal)
			skip_definition(p);
		return;
	}
	if (ty->def) {
		ptrvec_push(p->a, cdefs, ty->def);
		parser_flush(p);
		lex_skip_space(&p->lx);
		if (lex_peek_char(&p->lx) == ';')
			lex_advance(&p->lx);
		return;
	}
	if (parser_peek(p, 0)->kind == TK_SEMI) {
		struct bpfkit_ast_cdef *def = arena_alloc(p->a, sizeof(*def));

		parser_next(p);
		def->kind = ty->kind;
		def->name = ty->name;
		def->loc = parser_span(p, ty->loc);
		ptrvec_push(p->a, cdefs, def);
		return;
	}
	parser_unexpected(p, parser_peek(p, 0), "'{' or ';' after the struct name");
	skip_definition(p);
}

/* typedef: not supported (write the type itself, or rely on BTF). */
void parse_typedef(struct parser *p)
{
	struct token t = parser_next(p);

	parser_error(p, t.loc, NULL, "typedef is not supported in scripts; use the type itself");
	skip_definition(p);
}
