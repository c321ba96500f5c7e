// SPDX-License-Identifier: MIT
/*
 * Expressions and types, by recursive descent with C precedence:
 *
 *   ?:  ||  &&  |  ^  &  == !=  < <= > >=  << >>  + -  * / %  casts  unary  postfix
 *
 * which is also bpftrace's (its grammar spells the same ladder out rule by
 * rule). Binary levels are one table-driven function. Each rule is quoted
 * above the function that implements it.
 *
 * Two places need more than one token of lookahead:
 *  - '(' starts a cast when a type follows: a type keyword (uint32, string),
 *    struct/union/enum, "IDENT *...)" or "IDENT )" followed by something that
 *    can start an operand. The last one is bpftrace's typedef cast; a
 *    builtin such as pid never counts as a type there, so "(pid) - 1" is a
 *    subtraction while "(u64) -1" is a cast, as in bpftrace.
 *  - '/' followed by '{' (or the end) never divides: it closes a predicate.
 *
 * Every function returns NULL after reporting an error; the statement
 * parser then skips to the next ';' or '}'.
 */
#include <limits.h>
#include <string.h>

#include "lang/lang_int.h"

struct bpfkit_ast_expr *expr_new(struct parser *p, enum bpfkit_ast_expr_kind kind, struct bpfkit_loc loc)
{
	struct bpfkit_ast_expr *e = arena_alloc(p->a, sizeof(*e));

	e->kind = kind;
	e->loc = loc;
	return e;
}

struct bpfkit_ast_type *type_new(struct parser *p, enum bpfkit_ast_type_kind kind, struct bpfkit_loc loc)
{
	struct bpfkit_ast_type *t = arena_alloc(p->a, sizeof(*t));

	t->kind = kind;
	t->loc = loc;
	return t;
}

static char *tok_strdup(struct parser *p, const struct token *t)
{
	return arena_strndup(p->a, t->text, t->len);
}

static bool word_in(const char *s, size_t n, const char *const *list)
{
	for (; *list; list++)
		if (strlen(*list) == n && !memcmp(*list, s, n))
			return true;
	return false;
}

bool is_type_keyword(const char *s, size_t n)
{
	static const char *const types[] = {
		"bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
		"string", "inet", "buffer", "void", "min_t", "max_t", "sum_t", "count_t", "avg_t",
		"stats_t", "umin_t", "umax_t", "usum_t", "ucount_t", "uavg_t", "ustats_t",
		"timestamp", "macaddr_t", "cgroup_path_t", "strerror_t", NULL,
	};

	return word_in(s, n, types);
}

/* bpftrace lexes these as builtins, never as type names. */
static bool is_builtin(const char *s, size_t n)
{
	static const char *const builtins[] = {
		"pid", "tid", "uid", "gid", "nsecs", "elapsed", "numaid", "cpu", "curtask", "rand",
		"ctx", "comm", "kstack", "ustack", "retval", "func", "probe", "username", "cgroup",
		"cpid", "args", "jiffies", "usermode", NULL,
	};

	if ((n == 4 && !memcmp(s, "arg", 3) && s[3] >= '0' && s[3] <= '9') ||
	    (n == 5 && !memcmp(s, "sarg", 4) && s[4] >= '0' && s[4] <= '9'))
		return true;
	return word_in(s, n, builtins);
}

bool tok_is_name(const struct token *t)
{
	return t->kind == TK_IDENT || (t->kind >= TK_IF && t->kind <= TK_ENUM);
}

/* Can this token begin the operand of a cast? (bpftrace's cast_expr) */
static bool starts_cast_operand(enum tok_kind k)
{
	switch (k) {
	case TK_IDENT:
	case TK_INT:
	case TK_STRING:
	case TK_VAR:
	case TK_MAP:
	case TK_PARAM:
	case TK_PARAMCOUNT:
	case TK_LPAREN:
	case TK_BANG:
	case TK_TILDE:
	case TK_MINUS:
	case TK_STAR:
	case TK_SIZEOF:
	case TK_OFFSETOF:
	case TK_INC:
	case TK_DEC:
		return true;
	default:
		return false;
	}
}

/* Does a type start @p k tokens ahead (sizeof, offsetof, and casts)? */
static bool looks_like_type(struct parser *p, unsigned k)
{
	const struct token *t = parser_peek(p, k);
	unsigned j = k + 1;

	if (t->kind == TK_STRUCT || t->kind == TK_UNION || t->kind == TK_ENUM)
		return true;
	if (t->kind != TK_IDENT)
		return false;
	if (is_type_keyword(t->text, t->len))
		return true;
	/* typedef pointer: IDENT '*'... ')' */
	while (j < PARSER_LOOKAHEAD - 1 && parser_peek(p, j)->kind == TK_STAR)
		j++;
	return j > k + 1 && parser_peek(p, j)->kind == TK_RPAREN;
}

/* Is the '(' ahead the start of a cast? */
static bool looks_like_cast(struct parser *p)
{
	const struct token *t = parser_peek(p, 1);

	if (looks_like_type(p, 1))
		return true;
	/* (IDENT) operand: bpftrace's cast to a typedef name */
	return t->kind == TK_IDENT && !is_builtin(t->text, t->len) &&
	       parser_peek(p, 2)->kind == TK_RPAREN && starts_cast_operand(parser_peek(p, 3)->kind);
}

/* type -> (STRUCT | UNION | ENUM) IDENT | IDENT, then ['[' [expr] ']'] {'*'} */
struct bpfkit_ast_type *parse_type(struct parser *p)
{
	struct token t = parser_next(p);
	struct bpfkit_ast_type *ty;
	int levels = 0;

	if (t.kind == TK_STRUCT || t.kind == TK_UNION || t.kind == TK_ENUM) {
		const struct token *n = parser_peek(p, 0);

		if (n->kind != TK_IDENT) {
			parser_unexpected(p, n, t.kind == TK_STRUCT ? "a struct name after 'struct'"
						: t.kind == TK_UNION ? "a union name after 'union'"
									: "an enum name after 'enum'");
			return NULL;
		}
		ty = type_new(p, t.kind == TK_STRUCT ? BPFKIT_TYPE_STRUCT
				 : t.kind == TK_UNION ? BPFKIT_TYPE_UNION
							 : BPFKIT_TYPE_ENUM,
			      t.loc);
		t = parser_next(p);
		ty->name = tok_strdup(p, &t);
	} else if (t.kind == TK_IDENT) {
		ty = type_new(p, BPFKIT_TYPE_NAME, t.loc);
		ty->name = tok_strdup(p, &t);
	} else {
		parser_unexpected(p, &t, "a type");
		return NULL;
	}
	ty->loc = parser_span(p, ty->loc);
	if (parser_accept(p, TK_LBRACKET)) {
		struct bpfkit_ast_type *arr = type_new(p, BPFKIT_TYPE_ARRAY, ty->loc);

		arr->elem = ty;
		if (parser_peek(p, 0)->kind != TK_RBRACKET) {
			arr->len = parse_expr(p);
			if (!arr->len)
				return NULL;
		}
		if (!parser_expect(p, TK_RBRACKET, "']' after the array length"))
			return NULL;
		arr->loc = parser_span(p, arr->loc);
		ty = arr;
	}
	while (parser_peek(p, 0)->kind == TK_STAR) {
		struct bpfkit_ast_type *ptr = type_new(p, BPFKIT_TYPE_PTR, ty->loc);
		struct token star = parser_next(p);

		if (!parser_enter(p, star.loc)) { /* each '*' nests the type */
			ty = NULL;
			break;
		}
		levels++;
		ptr->elem = ty;
		ptr->loc = parser_span(p, ptr->loc);
		ty = ptr;
	}
	p->depth -= levels;
	return ty;
}

/* args -> expr {',' expr}, up to (and consuming) @p close */
static bool parse_list(struct parser *p, struct ptrvec *v, enum tok_kind close, const char *what)
{
	if (parser_accept(p, close))
		return true;
	for (;;) {
		struct bpfkit_ast_expr *e = parse_expr(p);

		if (!e)
			return false;
		ptrvec_push(p->a, v, e);
		if (parser_accept(p, TK_COMMA))
			continue;
		return parser_expect(p, close, what);
	}
}

/* call -> IDENT '(' [expr {',' expr}] ')' */
static struct bpfkit_ast_expr *parse_call(struct parser *p)
{
	struct token name = parser_next(p);
	struct bpfkit_ast_expr *e = expr_new(p, BPFKIT_EXPR_CALL, name.loc);
	struct ptrvec args = { 0 };

	e->u.call.name = tok_strdup(p, &name);
	e->u.call.name_loc = name.loc;
	parser_next(p); /* '(' */
	if (!parse_list(p, &args, TK_RPAREN, "',' or ')' in the argument list"))
		return NULL;
	e->u.call.args = (struct bpfkit_ast_expr **)args.items;
	e->u.call.nargs = args.n;
	e->loc = parser_span(p, e->loc);
	return e;
}

/* map -> MAP ['[' expr {',' expr} ']'] */
static struct bpfkit_ast_expr *parse_map(struct parser *p)
{
	struct token name = parser_next(p);
	struct bpfkit_ast_expr *e = expr_new(p, BPFKIT_EXPR_MAP, name.loc);
	struct ptrvec keys = { 0 };

	e->u.map.name = tok_strdup(p, &name);
	if (parser_accept(p, TK_LBRACKET)) {
		const struct token *t = parser_peek(p, 0);

		if (t->kind == TK_RBRACKET) {
			parser_error(p, t->loc, NULL, "expected a key between '[' and ']'");
			return NULL;
		}
		if (!parse_list(p, &keys, TK_RBRACKET, "',' or ']' after the map key"))
			return NULL;
		e->u.map.keys = (struct bpfkit_ast_expr **)keys.items;
		e->u.map.nkeys = keys.n;
		e->loc = parser_span(p, e->loc);
	}
	return e;
}

/* sizeof -> SIZEOF '(' (type | expr) ')' */
static struct bpfkit_ast_expr *parse_sizeof(struct parser *p)
{
	struct token kw = parser_next(p);
	struct bpfkit_ast_expr *e = expr_new(p, BPFKIT_EXPR_SIZEOF, kw.loc);

	if (!parser_expect(p, TK_LPAREN, "'(' after 'sizeof'"))
		return NULL;
	if (looks_like_type(p, 0)) {
		if (!(e->u.size_of.type = parse_type(p)))
			return NULL;
	} else if (!(e->u.size_of.expr = parse_expr(p))) {
		return NULL;
	}
	if (!parser_expect(p, TK_RPAREN, "')' after the sizeof operand"))
		return NULL;
	e->loc = parser_span(p, e->loc);
	return e;
}

/* offsetof -> OFFSETOF '(' (type | expr) ',' NAME {'.' NAME} ')' */
static struct bpfkit_ast_expr *parse_offsetof(struct parser *p)
{
	struct token kw = parser_next(p);
	struct bpfkit_ast_expr *e = expr_new(p, BPFKIT_EXPR_OFFSETOF, kw.loc);
	struct ptrvec path = { 0 };

	if (!parser_expect(p, TK_LPAREN, "'(' after 'offsetof'"))
		return NULL;
	if (looks_like_type(p, 0)) {
		if (!(e->u.offset_of.type = parse_type(p)))
			return NULL;
	} else if (!(e->u.offset_of.expr = parse_expr(p))) {
		return NULL;
	}
	if (!parser_expect(p, TK_COMMA, "',' and a field name in offsetof"))
		return NULL;
	do {
		const struct token *t = parser_peek(p, 0);
		struct token n;

		if (!tok_is_name(t)) {
			parser_unexpected(p, t, "a field name");
			return NULL;
		}
		n = parser_next(p);
		ptrvec_push(p->a, &path, tok_strdup(p, &n));
	} while (parser_accept(p, TK_DOT));
	if (!parser_expect(p, TK_RPAREN, "')' after the field name"))
		return NULL;
	e->u.offset_of.path = (const char **)path.items;
	e->u.offset_of.npath = path.n;
	e->loc = parser_span(p, e->loc);
	return e;
}

/* '(' expr ')' | '(' expr ',' expr {',' expr} ')' */
static struct bpfkit_ast_expr *parse_paren(struct parser *p)
{
	struct token open = parser_next(p);
	struct bpfkit_ast_expr *e, *tuple;
	struct ptrvec items = { 0 };

	e = parse_expr(p);
	if (e && parser_peek(p, 0)->kind == TK_COMMA) {
		ptrvec_push(p->a, &items, e);
		while (e && parser_accept(p, TK_COMMA)) {
			e = parse_expr(p);
			if (e)
				ptrvec_push(p->a, &items, e);
		}
		if (e) {
			tuple = expr_new(p, BPFKIT_EXPR_TUPLE, open.loc);
			tuple->u.tuple.items = (struct bpfkit_ast_expr **)items.items;
			tuple->u.tuple.n = items.n;
			e = tuple;
		}
	}
	if (!e || !parser_expect(p, TK_RPAREN, "')'"))
		return NULL;
	if (e->kind == BPFKIT_EXPR_TUPLE)
		e->loc = parser_span(p, open.loc);
	return e;
}

/*
 * primary -> INT | STRING | IDENT | VAR | PARAM | '$#' | map | call
 *          | sizeof | offsetof | '(' expr ')' | '(' expr ',' expr {',' expr} ')'
 */
static struct bpfkit_ast_expr *parse_primary(struct parser *p)
{
	const struct token *t = parser_peek(p, 0);
	struct bpfkit_ast_expr *e;
	struct token tok;

	switch (t->kind) {
	case TK_INT:
		tok = parser_next(p);
		e = expr_new(p, BPFKIT_EXPR_INT, tok.loc);
		e->u.num.value = tok.ival;
		return e;
	case TK_STRING:
		tok = parser_next(p);
		e = expr_new(p, BPFKIT_EXPR_STR, tok.loc);
		e->u.str.data = tok.str;
		e->u.str.len = tok.slen;
		return e;
	case TK_IDENT:
		if (parser_peek(p, 1)->kind == TK_LPAREN)
			return parse_call(p);
		tok = parser_next(p);
		e = expr_new(p, BPFKIT_EXPR_IDENT, tok.loc);
		e->u.ident.name = tok_strdup(p, &tok);
		return e;
	case TK_VAR:
		tok = parser_next(p);
		e = expr_new(p, BPFKIT_EXPR_VAR, tok.loc);
		e->u.ident.name = tok_strdup(p, &tok);
		return e;
	case TK_PARAM:
	case TK_PARAMCOUNT:
		tok = parser_next(p);
		e = expr_new(p, BPFKIT_EXPR_PARAM, tok.loc);
		e->u.param.n = tok.kind == TK_PARAM ? (long)tok.ival : 0;
		return e;
	case TK_MAP:
		return parse_map(p);
	case TK_SIZEOF:
		return parse_sizeof(p);
	case TK_OFFSETOF:
		return parse_offsetof(p);
	case TK_LPAREN:
		return parse_paren(p);
	default:
		parser_unexpected(p, t, "an expression");
		return NULL;
	}
}

static bool is_map_or_var(const struct bpfkit_ast_expr *e)
{
	return e->kind == BPFKIT_EXPR_VAR || e->kind == BPFKIT_EXPR_MAP;
}

/* postfix -> primary { '.' (NAME | INT) | '->' NAME | '[' expr ']' } ['++' | '--'] */
static struct bpfkit_ast_expr *parse_postfix(struct parser *p)
{
	struct bpfkit_ast_expr *e = parse_primary(p), *n;
	int levels = 0;

	while (e) {
		enum tok_kind k = parser_peek(p, 0)->kind;
		struct token op, name;

		if (k != TK_DOT && k != TK_ARROW && k != TK_LBRACKET)
			break;
		op = parser_next(p);
		if (!parser_enter(p, op.loc)) {
			e = NULL;
			break;
		}
		levels++;
		if (k == TK_LBRACKET) {
			n = expr_new(p, BPFKIT_EXPR_INDEX, e->loc);
			n->u.index.base = e;
			n->u.index.index = parse_expr(p);
			if (!n->u.index.index || !parser_expect(p, TK_RBRACKET, "']'")) {
				e = NULL;
				break;
			}
		} else if (k == TK_DOT && parser_peek(p, 0)->kind == TK_INT) {
			name = parser_next(p);
			if (e->kind == BPFKIT_EXPR_INT && e->loc.line == name.loc.line &&
			    e->loc.col + e->loc.len == op.loc.col && op.loc.col + 1 == name.loc.col) {
				parser_error(p, parser_span(p, e->loc), NULL,
					     "floating-point literals are not supported (BPF has no floating point)");
				e = NULL;
				break;
			}
			n = expr_new(p, BPFKIT_EXPR_TUPLE_GET, e->loc);
			n->u.tuple_get.base = e;
			n->u.tuple_get.index = name.ival > (uint64_t)LONG_MAX ? LONG_MAX : (long)name.ival;
		} else if (tok_is_name(parser_peek(p, 0))) {
			name = parser_next(p);
			n = expr_new(p, BPFKIT_EXPR_FIELD, e->loc);
			n->u.field.base = e;
			n->u.field.name = tok_strdup(p, &name);
			n->u.field.arrow = k == TK_ARROW;
		} else {
			parser_unexpected(p, parser_peek(p, 0),
					  k == TK_DOT ? "a field name or tuple index after '.'"
						      : "a field name after '->'");
			e = NULL;
			break;
		}
		n->loc = parser_span(p, n->loc);
		e = n;
	}
	p->depth -= levels;
	if (e && (parser_peek(p, 0)->kind == TK_INC || parser_peek(p, 0)->kind == TK_DEC)) {
		struct token op = parser_next(p);

		if (!is_map_or_var(e)) {
			parser_error(p, op.loc, NULL, "the %s operator must be applied to a map or a variable",
				     op.kind == TK_INC ? "++" : "--");
			return NULL;
		}
		n = expr_new(p, BPFKIT_EXPR_INCDEC, e->loc);
		n->u.unop.op = op.kind == TK_INC ? BPFKIT_OP_INC : BPFKIT_OP_DEC;
		n->u.unop.post = true;
		n->u.unop.operand = e;
		n->loc = parser_span(p, n->loc);
		e = n;
	}
	return e;
}

static struct bpfkit_ast_expr *parse_cast(struct parser *p);

/* A '-' right before an integer literal makes a negative literal, as in
 * bpftrace (int -> '-' INT), unless a postfix operator follows it. */
static bool negative_literal_ahead(struct parser *p)
{
	enum tok_kind after = parser_peek(p, 2)->kind;

	return parser_peek(p, 1)->kind == TK_INT && after != TK_DOT && after != TK_ARROW &&
	       after != TK_LBRACKET && after != TK_INC && after != TK_DEC;
}

/* unary -> ('!' | '~' | '-' | '+' | '*' | '&') cast | ('++' | '--') (VAR | map) | postfix */
static struct bpfkit_ast_expr *parse_unary(struct parser *p)
{
	struct bpfkit_ast_expr *e, *operand;
	enum bpfkit_ast_op op;
	struct token t;

	switch (parser_peek(p, 0)->kind) {
	case TK_BANG:
		op = BPFKIT_OP_LNOT;
		break;
	case TK_TILDE:
		op = BPFKIT_OP_BNOT;
		break;
	case TK_MINUS:
		op = BPFKIT_OP_NEG;
		if (negative_literal_ahead(p)) {
			struct token num;

			t = parser_next(p);
			num = parser_next(p);
			e = expr_new(p, BPFKIT_EXPR_INT, parser_span(p, t.loc));
			if (num.ival > (uint64_t)1 << 63) {
				parser_error(p, e->loc, NULL, "integer literal '-%.*s' is below the int64 minimum",
					     (int)(num.len > 40 ? 40 : num.len), num.text);
				return NULL;
			}
			e->u.num.value = (uint64_t)0 - num.ival;
			e->u.num.negative = true;
			return e;
		}
		break;
	case TK_PLUS:
		op = BPFKIT_OP_PLUS;
		break;
	case TK_STAR:
		op = BPFKIT_OP_DEREF;
		break;
	case TK_AMP:
		op = BPFKIT_OP_ADDR;
		break;
	case TK_INC:
	case TK_DEC:
		t = parser_next(p);
		operand = parse_postfix(p);
		if (!operand)
			return NULL;
		if (!is_map_or_var(operand)) {
			parser_error(p, t.loc, NULL, "the %s operator must be applied to a map or a variable",
				     t.kind == TK_INC ? "++" : "--");
			return NULL;
		}
		e = expr_new(p, BPFKIT_EXPR_INCDEC, t.loc);
		e->u.unop.op = t.kind == TK_INC ? BPFKIT_OP_INC : BPFKIT_OP_DEC;
		e->u.unop.operand = operand;
		e->loc = parser_span(p, t.loc);
		return e;
	default:
		return parse_postfix(p);
	}
	t = parser_next(p);
	if (!parser_enter(p, t.loc))
		return NULL;
	operand = parse_cast(p);
	parser_leave(p);
	if (!operand)
		return NULL;
	e = expr_new(p, BPFKIT_EXPR_UNOP, t.loc);
	e->u.unop.op = op;
	e->u.unop.operand = operand;
	e->loc = parser_span(p, t.loc);
	return e;
}

/* cast -> '(' type ')' cast | unary */
static struct bpfkit_ast_expr *parse_cast(struct parser *p)
{
	struct bpfkit_ast_expr *e;
	struct bpfkit_ast_type *ty;
	struct token open;

	if (parser_peek(p, 0)->kind != TK_LPAREN || !looks_like_cast(p))
		return parse_unary(p);
	open = parser_next(p);
	ty = parse_type(p);
	if (!ty || !parser_expect(p, TK_RPAREN, "')' after the type of the cast"))
		return NULL;
	if (!parser_enter(p, open.loc))
		return NULL;
	e = expr_new(p, BPFKIT_EXPR_CAST, open.loc);
	e->u.cast.to = ty;
	e->u.cast.operand = parse_cast(p);
	parser_leave(p);
	if (!e->u.cast.operand)
		return NULL;
	e->loc = parser_span(p, open.loc);
	return e;
}

/* The binary operators by level, loosest first. */
static const struct {
	enum tok_kind tok;
	enum bpfkit_ast_op op;
	int level;
} binops[] = {
	{ TK_LOR, BPFKIT_OP_LOR, 0 },   { TK_LAND, BPFKIT_OP_LAND, 1 }, { TK_PIPE, BPFKIT_OP_BOR, 2 },
	{ TK_CARET, BPFKIT_OP_BXOR, 3 }, { TK_AMP, BPFKIT_OP_BAND, 4 },  { TK_EQ, BPFKIT_OP_EQ, 5 },
	{ TK_NE, BPFKIT_OP_NE, 5 },     { TK_LT, BPFKIT_OP_LT, 6 },     { TK_LE, BPFKIT_OP_LE, 6 },
	{ TK_GT, BPFKIT_OP_GT, 6 },     { TK_GE, BPFKIT_OP_GE, 6 },     { TK_SHL, BPFKIT_OP_SHL, 7 },
	{ TK_SHR, BPFKIT_OP_SHR, 7 },   { TK_PLUS, BPFKIT_OP_ADD, 8 },  { TK_MINUS, BPFKIT_OP_SUB, 8 },
	{ TK_STAR, BPFKIT_OP_MUL, 9 },  { TK_SLASH, BPFKIT_OP_DIV, 9 }, { TK_PERCENT, BPFKIT_OP_MOD, 9 },
};

#define BINARY_LEVELS 10

/* The operator of @p level at the head of the input, or NONE. A '/' before
 * '{' or the end is the end of a predicate, not a division. */
static enum bpfkit_ast_op binop_ahead(struct parser *p, int level)
{
	enum tok_kind k = parser_peek(p, 0)->kind;

	for (size_t i = 0; i < sizeof(binops) / sizeof(binops[0]); i++) {
		if (binops[i].tok != k || binops[i].level != level)
			continue;
		if (k == TK_SLASH && (parser_peek(p, 1)->kind == TK_LBRACE || parser_peek(p, 1)->kind == TK_EOF))
			return BPFKIT_OP_NONE;
		return binops[i].op;
	}
	return BPFKIT_OP_NONE;
}

/*
 * lor   -> land {'||' land}        land -> bor {'&&' bor}
 * bor   -> bxor {'|' bxor}         bxor -> band {'^' band}
 * band  -> eq {'&' eq}             eq   -> rel {('==' | '!=') rel}
 * rel   -> shift {('<' | '<=' | '>' | '>=') shift}
 * shift -> add {('<<' | '>>') add} add  -> mul {('+' | '-') mul}
 * mul   -> cast {('*' | '/' | '%') cast}
 *
 * All left-associative: a chain (1 + 2 + ... + n) is a loop here and a tree
 * that leans left, which every later pass walks with a loop too (see
 * ast_binop_spine()), so a chain of any length is no nesting; parentheses
 * and right operands are.
 */
static struct bpfkit_ast_expr *parse_binary(struct parser *p, int level)
{
	struct bpfkit_ast_expr *lhs, *rhs, *e;
	enum bpfkit_ast_op op;

	if (level == BINARY_LEVELS)
		return parse_cast(p);
	lhs = parse_binary(p, level + 1);
	while (lhs && (op = binop_ahead(p, level)) != BPFKIT_OP_NONE) {
		struct token t = parser_next(p);

		rhs = parse_binary(p, level + 1);
		if (!rhs) {
			lhs = NULL;
			break;
		}
		e = expr_new(p, BPFKIT_EXPR_BINOP, lhs->loc);
		e->u.binop.op = op;
		e->u.binop.op_loc = t.loc;
		e->u.binop.lhs = lhs;
		e->u.binop.rhs = rhs;
		e->loc = parser_span(p, lhs->loc);
		lhs = e;
	}
	return lhs;
}

/* ternary -> lor ['?' expr ':' ternary] */
static struct bpfkit_ast_expr *parse_ternary(struct parser *p)
{
	struct bpfkit_ast_expr *cond = parse_binary(p, 0), *e;
	struct token q;

	if (!cond || parser_peek(p, 0)->kind != TK_QUESTION)
		return cond;
	q = parser_next(p);
	if (!parser_enter(p, q.loc))
		return NULL;
	e = expr_new(p, BPFKIT_EXPR_TERNARY, cond->loc);
	e->u.ternary.cond = cond;
	e->u.ternary.yes = parse_expr(p);
	if (e->u.ternary.yes && parser_expect(p, TK_COLON, "':' in the conditional expression"))
		e->u.ternary.no = parse_ternary(p);
	parser_leave(p);
	if (!e->u.ternary.yes || !e->u.ternary.no)
		return NULL;
	e->loc = parser_span(p, cond->loc);
	return e;
}

/* expr -> ternary
 * Every expression nested in another (arguments, keys, parentheses, ...)
 * comes through here and counts as a level of nesting. */
struct bpfkit_ast_expr *parse_expr(struct parser *p)
{
	struct bpfkit_ast_expr *e;

	if (!parser_enter(p, parser_peek(p, 0)->loc))
		return NULL;
	e = parse_ternary(p);
	parser_leave(p);
	return e;
}
