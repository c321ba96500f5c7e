// SPDX-License-Identifier: MIT
/*
 * The lexer: script text to tokens, with precise locations.
 *
 * It has two faces. Inside probe bodies, predicates and C definitions the
 * parser pulls ordinary tokens with lex_next(). At the top level the text is
 * not made of tokens at all ("uprobe:/bin/bash:readline" is one attach point,
 * "#include <linux/sched.h>" one line), so the parser reads it raw with
 * lex_attach_point() and lex_line(), looking at characters with
 * lex_peek_char(). bpftrace does the same with a PATH token and a
 * preprocessor-line token; reading raw text keeps ':' and '/' out of the
 * expression grammar, which is why "a ? b :c" works here and not there.
 *
 * Object-like macros from #define are expanded here: an identifier naming
 * one is replaced by the tokens of its body, which take the location of the
 * identifier so diagnostics point at the use.
 *
 * Lexical errors are reported at once; the token is then TK_ERROR (the
 * parser skips it silently) or, when its shape is still clear, a normal
 * token with a harmless value (a bad integer becomes 0).
 */
#include <stdio.h>
#include <string.h>

#include "lang/lang_int.h"

static bool is_ident_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_ident_char(int c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Location of the byte at @p off, by binary search in the line table. */
static struct bpfkit_loc off_loc(const struct bpfkit_lang *l, size_t off, int len)
{
	struct bpfkit_loc loc = { 1, 1, len };
	size_t lo = 0, hi = l->nlines;

	if (!l->line_off || !l->nlines)
		return loc;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (l->line_off[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	loc.line = (int)lo + 1;
	loc.col = (int)(off - l->line_off[lo]) + 1;
	return loc;
}

/* Location of @p s, which lies in the current frame (macro body or the
 * current line of the main text). */
static struct bpfkit_loc loc_of(const struct lexer *lx, const char *s, size_t len)
{
	struct bpfkit_loc loc;

	if (lx->nframes)
		return lx->use.loc;
	loc.line = lx->line;
	loc.col = (int)(s - lx->line_start) + 1;
	loc.len = (int)len;
	return loc;
}

static void error_at(struct lexer *lx, const char *s, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void error_at(struct lexer *lx, const char *s, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	lang_vdiag(lx->l, BPFKIT_LANG_ERROR, loc_of(lx, s, len), NULL, fmt, ap);
	va_end(ap);
}

void lex_init(struct lexer *lx, struct bpfkit_lang *l)
{
	memset(lx, 0, sizeof(*lx));
	lx->l = l;
	lx->src = l->src;
	lx->p = l->src;
	lx->end = l->src + l->len;
	lx->line = 1;
	lx->line_start = l->src;
	/* #! on the first line is for the shell */
	if (l->len >= 2 && l->src[0] == '#' && l->src[1] == '!')
		while (lx->p < lx->end && *lx->p != '\n')
			lx->p++;
}

int lex_peek_char(const struct lexer *lx)
{
	if (lx->fatal || lx->p >= lx->end)
		return -1;
	return (unsigned char)*lx->p;
}

void lex_advance(struct lexer *lx)
{
	if (lx->p >= lx->end)
		return;
	if (*lx->p++ == '\n') {
		lx->line++;
		lx->line_start = lx->p;
	}
}

struct bpfkit_loc lex_here(const struct lexer *lx, int len)
{
	struct bpfkit_loc loc = { lx->line, (int)(lx->p - lx->line_start) + 1, len };

	return loc;
}

/*
 * Skip blanks and comments of the main text, counting lines. An
 * unterminated block comment swallows the rest of the script, so it is
 * reported and the lexer stops there.
 */
void lex_skip_space(struct lexer *lx)
{
	while (!lx->fatal && lx->p < lx->end) {
		int c = (unsigned char)*lx->p;

		if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') {
			lex_advance(lx);
		} else if (c == '/' && lx->p + 1 < lx->end && lx->p[1] == '/') {
			while (lx->p < lx->end && *lx->p != '\n')
				lx->p++;
		} else if (c == '/' && lx->p + 1 < lx->end && lx->p[1] == '*') {
			struct bpfkit_loc start = lex_here(lx, 2);

			lx->p += 2;
			for (;;) {
				if (lx->p + 1 >= lx->end) {
					lang_diag(lx->l, BPFKIT_LANG_ERROR, start, NULL, "unterminated comment");
					lx->p = lx->end;
					lx->fatal = true;
					return;
				}
				if (lx->p[0] == '*' && lx->p[1] == '/') {
					lx->p += 2;
					break;
				}
				lex_advance(lx);
			}
		} else {
			return;
		}
	}
}

/* The same inside a macro body (no lines to count; an unterminated comment
 * just ends the body). */
static const char *skip_space_in(const char *p, const char *end)
{
	while (p < end) {
		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n' || *p == '\f' || *p == '\v') {
			p++;
		} else if (*p == '/' && p + 1 < end && p[1] == '/') {
			return end;
		} else if (*p == '/' && p + 1 < end && p[1] == '*') {
			const char *q = p + 2;

			while (q + 1 < end && !(q[0] == '*' && q[1] == '/'))
				q++;
			p = q + 1 < end ? q + 2 : end;
		} else {
			break;
		}
	}
	return p;
}

static const struct {
	const char *word;
	enum tok_kind kind;
} keywords[] = {
	{ "if", TK_IF },
	{ "else", TK_ELSE },
	{ "while", TK_WHILE },
	{ "unroll", TK_UNROLL },
	{ "for", TK_FOR },
	{ "return", TK_RETURN },
	{ "break", TK_BREAK },
	{ "continue", TK_CONTINUE },
	{ "sizeof", TK_SIZEOF },
	{ "offsetof", TK_OFFSETOF },
	{ "struct", TK_STRUCT },
	{ "union", TK_UNION },
	{ "enum", TK_ENUM },
};

static enum tok_kind keyword_kind(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (strlen(keywords[i].word) == n && !memcmp(keywords[i].word, s, n))
			return keywords[i].kind;
	return TK_IDENT;
}

/* Is @p s (length @p n) a C integer suffix bpftrace accepts (u, l, ul, ll,
 * ull, and lu/llu as C does), in either case? */
static bool int_suffix_ok(const char *s, size_t n)
{
	static const char *const ok[] = { "", "u", "l", "ul", "lu", "ll", "ull", "llu" };
	char low[4];

	if (n > 3)
		return false;
	for (size_t i = 0; i < n; i++)
		low[i] = (char)(s[i] | 0x20);
	low[n] = 0;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (!strcmp(low, ok[i]))
			return true;
	return false;
}

/* Multiply-add with overflow detection: *v = *v * base + digit. */
static bool mul_add(uint64_t *v, unsigned base, unsigned digit)
{
	if (*v > (UINT64_MAX - digit) / base)
		return false;
	*v = *v * base + digit;
	return true;
}

/* Digits of @p base from @p q, with runs of '_' allowed between digits. */
static const char *scan_digits(const char *q, const char *end, unsigned base)
{
	const char *start = q;

	while (q < end) {
		int c = (unsigned char)*q;

		if (base == 16 ? hex_value(c) >= 0 : is_digit(c)) {
			q++;
		} else if (c == '_' && q > start) {
			const char *r = q;

			while (r < end && *r == '_')
				r++;
			if (r >= end || !(base == 16 ? hex_value((unsigned char)*r) >= 0 : is_digit((unsigned char)*r)))
				break;
			q = r;
		} else {
			break;
		}
	}
	return q;
}

/*
 * Integer literals, as bpftrace reads them: decimal, octal with a leading 0,
 * hexadecimal with 0x, '_' between digits, a decimal exponent (2e3 is 2000:
 * integers only) and C suffixes (u, l, ul, ll, ull), which are ignored. The
 * whole run of letters and digits is taken first, so "10ms" is one bad
 * literal rather than 10 followed by an identifier.
 */
static void scan_number(struct lexer *lx, const char *p, const char *end, struct token *t)
{
	const char *s = p, *q, *mant, *mant_end, *exp = NULL, *exp_end = NULL;
	uint64_t v = 0;
	unsigned base = 10;
	size_t n;

	while (p < end && is_ident_char((unsigned char)*p))
		p++;
	n = (size_t)(p - s);
	t->kind = TK_INT;
	t->len = n;
	q = s;
	if (n >= 2 && s[0] == '0' && (s[1] | 0x20) == 'x') {
		base = 16;
		q += 2;
	}
	mant = q;
	q = scan_digits(q, p, base);
	mant_end = q;
	if (mant_end == mant)
		goto bad;
	if (base == 10 && q < p && (*q | 0x20) == 'e' && q + 1 < p && is_digit((unsigned char)q[1])) {
		exp = q + 1;
		q = scan_digits(exp, p, 10);
		exp_end = q;
	}
	if (!int_suffix_ok(q, (size_t)(p - q)))
		goto bad;
	if (base == 10 && !exp && mant[0] == '0' && mant_end - mant > 1)
		base = 8;
	for (q = mant; q < mant_end; q++) {
		unsigned d;

		if (*q == '_')
			continue;
		d = (unsigned)hex_value((unsigned char)*q);
		if (d >= base) {
			error_at(lx, s, n, "invalid digit '%c' in octal literal '%.*s'", *q, (int)n, s);
			t->ival = 0;
			return;
		}
		if (!mul_add(&v, base, d))
			goto big;
	}
	if (exp) {
		uint64_t e = 0;

		for (q = exp; q < exp_end; q++)
			if (*q != '_' && !mul_add(&e, 10, (unsigned)(*q - '0')))
				goto big;
		for (; e && v; e--)
			if (!mul_add(&v, 10, 0))
				goto big;
	}
	t->ival = v;
	return;
big:
	error_at(lx, s, n, "integer literal '%.*s' is too large (the largest is 18446744073709551615)",
		 (int)(n > 40 ? 40 : n), s);
	t->ival = 0;
	return;
bad:
	error_at(lx, s, n, "invalid integer literal '%.*s'", (int)(n > 40 ? 40 : n), s);
	t->ival = 0;
}

/*
 * Decode one escape sequence at @p p (just after the backslash). Returns
 * the byte value, or -1 after reporting a bad escape; *pp moves past it.
 */
static int scan_escape(struct lexer *lx, const char **pp, const char *end)
{
	const char *p = *pp, *bs = p - 1;
	int c = (unsigned char)*p++, v;

	switch (c) {
	case 'n':
		v = '\n';
		break;
	case 't':
		v = '\t';
		break;
	case 'r':
		v = '\r';
		break;
	case '"':
	case '\'':
	case '\\':
		v = c;
		break;
	case 'x':
		if (p >= end || hex_value((unsigned char)*p) < 0) {
			error_at(lx, bs, 2, "\\x used with no following hex digits");
			v = -1;
			break;
		}
		v = hex_value((unsigned char)*p++);
		if (p < end && hex_value((unsigned char)*p) >= 0)
			v = v * 16 + hex_value((unsigned char)*p++);
		break;
	default:
		if (c >= '0' && c <= '7') {
			v = c - '0';
			for (int i = 0; i < 2 && p < end && *p >= '0' && *p <= '7'; i++)
				v = v * 8 + (*p++ - '0');
			if (v > 255) {
				error_at(lx, bs, (size_t)(p - bs), "octal escape sequence out of range");
				v = -1;
			}
			break;
		}
		if (c >= 0x20 && c < 0x7f)
			error_at(lx, bs, 2, "invalid escape sequence '\\%c'", c);
		else
			error_at(lx, bs, 2, "invalid escape sequence '\\\\x%02x'", (unsigned)c);
		v = -1;
	}
	*pp = p;
	return v;
}

/*
 * A string ("...") or character ('c') literal starting at @p p. Both end on
 * the same line; a missing closing quote is reported at the opening one and
 * the rest of the line is dropped. A character literal becomes an integer.
 */
static void scan_quoted(struct lexer *lx, const char *p, const char *end, struct token *t)
{
	const char *s = p, *q;
	char quote = *p++;
	size_t max = 0;
	char *buf;

	for (q = p; q < end && *q != quote && *q != '\n'; q++, max++)
		if (*q == '\\' && q + 1 < end && q[1] != '\n')
			q++;
	if (q >= end || *q != quote) {
		const char *eol = q > s && q[-1] == '\r' ? q - 1 : q;

		error_at(lx, s, (size_t)(eol - s), quote == '"' ? "unterminated string literal"
							  : "unterminated character literal");
		t->kind = TK_ERROR;
		t->len = (size_t)(q - s);
		return;
	}
	t->len = (size_t)(q + 1 - s);
	buf = arena_alloc(&lx->l->arena, max + 1);
	if (!buf) {
		t->kind = TK_ERROR;
		return;
	}
	t->slen = 0;
	while (p < q) {
		int c = (unsigned char)*p++;

		if (c == '\\')
			c = scan_escape(lx, &p, q);
		if (c >= 0)
			buf[t->slen++] = (char)c;
	}
	buf[t->slen] = 0;
	if (quote == '"') {
		t->kind = TK_STRING;
		t->str = buf;
		return;
	}
	t->kind = TK_INT;
	t->ival = t->slen ? (unsigned char)buf[0] : 0;
	if (t->slen != 1)
		error_at(lx, s, t->len, t->slen ? "a character literal holds one character; use a string"
						 : "empty character literal");
}

/* The operator or punctuation at @p p; sets kind and length, or TK_ERROR. */
static void scan_punct(struct lexer *lx, const char *p, const char *end, struct token *t)
{
	static const struct {
		const char *s;
		enum tok_kind k;
	} ops[] = {
		/* longest first within each first character */
		{ "<<=", TK_SHL_ASSIGN }, { ">>=", TK_SHR_ASSIGN }, { "<<", TK_SHL }, { ">>", TK_SHR },
		{ "<=", TK_LE }, { ">=", TK_GE }, { "==", TK_EQ }, { "!=", TK_NE }, { "&&", TK_LAND },
		{ "||", TK_LOR }, { "++", TK_INC }, { "--", TK_DEC }, { "->", TK_ARROW },
		{ "+=", TK_ADD_ASSIGN }, { "-=", TK_SUB_ASSIGN }, { "*=", TK_MUL_ASSIGN },
		{ "/=", TK_DIV_ASSIGN }, { "%=", TK_MOD_ASSIGN }, { "&=", TK_AND_ASSIGN },
		{ "|=", TK_OR_ASSIGN }, { "^=", TK_XOR_ASSIGN }, { "(", TK_LPAREN }, { ")", TK_RPAREN },
		{ "{", TK_LBRACE }, { "}", TK_RBRACE }, { "[", TK_LBRACKET }, { "]", TK_RBRACKET },
		{ ";", TK_SEMI }, { ",", TK_COMMA }, { ":", TK_COLON }, { "?", TK_QUESTION },
		{ ".", TK_DOT }, { "=", TK_ASSIGN }, { "+", TK_PLUS }, { "-", TK_MINUS },
		{ "*", TK_STAR }, { "/", TK_SLASH }, { "%", TK_PERCENT }, { "&", TK_AMP },
		{ "|", TK_PIPE }, { "^", TK_CARET }, { "!", TK_BANG }, { "~", TK_TILDE },
		{ "<", TK_LT }, { ">", TK_GT },
	};
	size_t avail = (size_t)(end - p);
	unsigned char c = (unsigned char)*p;

	if (c == '*' && avail >= 2 && p[1] == '/') {
		error_at(lx, p, 2, "'*/' outside of a comment");
		t->kind = TK_ERROR;
		t->len = 2;
		return;
	}
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		size_t n = strlen(ops[i].s);

		if (n <= avail && !memcmp(ops[i].s, p, n)) {
			t->kind = ops[i].k;
			t->len = n;
			return;
		}
	}
	t->kind = TK_ERROR;
	if (c == '#') {
		/* a directive inside a probe: drop the line */
		const char *q = p;

		while (q < end && *q != '\n')
			q++;
		t->len = (size_t)(q - p);
		error_at(lx, p, 1, "preprocessor lines ('#...') are only allowed at the top level, outside probes");
	} else if (c >= 0x80) {
		const char *q = p;
		char buf[64];
		size_t k = 0;

		while (q < end && (unsigned char)*q >= 0x80 && k + 5 < sizeof(buf))
			k += (size_t)snprintf(buf + k, sizeof(buf) - k, "\\x%02x", (unsigned char)*q++);
		t->len = (size_t)(q - p);
		error_at(lx, p, t->len, "invalid character '%s' (only ASCII is allowed outside strings)", buf);
	} else {
		t->len = 1;
		if (c >= 0x20 && c < 0x7f)
			error_at(lx, p, 1, "invalid character '%c'", c);
		else
			error_at(lx, p, 1, "invalid character '\\x%02x'", c);
	}
}

/* $name, $N or $#. */
static void scan_dollar(struct lexer *lx, const char *p, const char *end, struct token *t)
{
	const char *q = p + 1;

	if (q < end && is_ident_start((unsigned char)*q)) {
		while (q < end && is_ident_char((unsigned char)*q))
			q++;
		t->kind = TK_VAR;
	} else if (q < end && *q == '#') {
		t->kind = TK_PARAMCOUNT;
		q++;
	} else if (q < end && is_digit((unsigned char)*q)) {
		const char *digits_end;
		uint64_t v = 0;
		bool big = false;

		while (q < end && is_digit((unsigned char)*q))
			big |= !mul_add(&v, 10, (unsigned)(*q++ - '0'));
		digits_end = q;
		while (q < end && is_ident_char((unsigned char)*q))
			q++;
		t->len = (size_t)(q - p);
		t->kind = TK_ERROR;
		if (q != digits_end)
			error_at(lx, p, t->len, "invalid positional parameter '%.*s'", (int)t->len, p);
		else if (big || v > INT32_MAX)
			error_at(lx, p, t->len, "positional parameter '%.*s' is out of range", (int)t->len, p);
		else if (v == 0)
			error_at(lx, p, t->len, "there is no positional parameter $0; they start at $1");
		else {
			t->kind = TK_PARAM;
			t->ival = v;
		}
		return;
	} else {
		t->kind = TK_ERROR;
		t->len = 1;
		error_at(lx, p, 1, "expected a variable name, a number or '#' after '$'");
		return;
	}
	t->len = (size_t)(q - p);
}

/* Scan one token at @p p (not a blank) up to @p end. */
static void scan_token(struct lexer *lx, const char *p, const char *end, struct token *t)
{
	unsigned char c = (unsigned char)*p;

	t->text = p;
	if (is_ident_start(c)) {
		const char *q = p;

		while (q < end && is_ident_char((unsigned char)*q))
			q++;
		t->len = (size_t)(q - p);
		t->kind = keyword_kind(p, t->len);
	} else if (is_digit(c)) {
		scan_number(lx, p, end, t);
	} else if (c == '$') {
		scan_dollar(lx, p, end, t);
	} else if (c == '@') {
		const char *q = p + 1;

		while (q < end && is_ident_char((unsigned char)*q))
			q++;
		if (q > p + 1 && !is_ident_start((unsigned char)p[1])) {
			t->kind = TK_ERROR;
			t->len = (size_t)(q - p);
			error_at(lx, p, t->len, "invalid map name '%.*s'", (int)t->len, p);
			return;
		}
		t->kind = TK_MAP;
		t->len = (size_t)(q - p);
	} else if (c == '"' || c == '\'') {
		scan_quoted(lx, p, end, t);
	} else {
		scan_punct(lx, p, end, t);
	}
}

static struct macro *find_macro(struct lexer *lx, const char *s, size_t n)
{
	for (struct macro *m = lx->macros; m; m = m->next)
		if (m->name[0] == s[0] && strlen(m->name) == n && !memcmp(m->name, s, n))
			return m;
	return NULL;
}

/* The end-of-input token points just past the last non-blank character. */
static void eof_token(struct lexer *lx, struct token *t)
{
	size_t off = lx->l->len;

	while (off > 0 && strchr(" \t\r\n\f\v", lx->src[off - 1]))
		off--;
	memset(t, 0, sizeof(*t));
	t->kind = TK_EOF;
	t->off = t->end = off;
	t->loc = off_loc(lx->l, off, 1);
	t->text = "";
}

/*
 * Next token in expression context. Macro bodies are read before the main
 * text; an identifier naming a macro that is not already being expanded
 * opens a new frame instead of being returned.
 */
void lex_next(struct lexer *lx, struct token *t)
{
	for (;;) {
		memset(t, 0, sizeof(*t));
		if (lx->nframes) {
			struct lex_frame *f = &lx->frames[lx->nframes - 1];

			f->p = skip_space_in(f->p, f->end);
			if (f->p >= f->end) {
				f->m->active = false;
				lx->nframes--;
				continue;
			}
			if (++lx->macro_tokens > LEX_MAX_MACRO_TOKENS) {
				lang_diag(lx->l, BPFKIT_LANG_ERROR, lx->use.loc, NULL,
					  "macro expansion produces more than %d tokens", LEX_MAX_MACRO_TOKENS);
				while (lx->nframes)
					lx->frames[--lx->nframes].m->active = false;
				lx->no_expand = true;
				continue;
			}
			scan_token(lx, f->p, f->end, t);
			f->p += t->len ? t->len : 1;
			t->loc = lx->use.loc;
			t->off = lx->use.off;
			t->end = lx->use.end;
			t->from_macro = true;
		} else {
			lex_skip_space(lx);
			if (lx->fatal || lx->p >= lx->end) {
				eof_token(lx, t);
				return;
			}
			scan_token(lx, lx->p, lx->end, t);
			if (!t->len)
				t->len = 1;
			t->loc = loc_of(lx, lx->p, t->len);
			t->off = (size_t)(lx->p - lx->src);
			t->end = t->off + t->len;
			lx->p += t->len;
		}
		if (t->kind == TK_IDENT && !lx->no_expand) {
			struct macro *m = find_macro(lx, t->text, t->len);

			if (m && !m->active && m->func_like) {
				lang_diag(lx->l, BPFKIT_LANG_ERROR, t->loc, NULL,
					  "function-like macro '%s' is not supported; only object-like #define works",
					  m->name);
			} else if (m && !m->active && lx->nframes < LEX_MAX_EXPANSION) {
				if (!lx->nframes)
					lx->use = *t;
				lx->frames[lx->nframes].p = m->body;
				lx->frames[lx->nframes].end = m->body + m->blen;
				lx->frames[lx->nframes].m = m;
				lx->nframes++;
				m->active = true;
				continue;
			}
		}
		return;
	}
}

void lex_rewind(struct lexer *lx, const struct token *t)
{
	struct bpfkit_loc loc;

	while (lx->nframes)
		lx->frames[--lx->nframes].m->active = false;
	if (t->kind == TK_EOF || t->off > lx->l->len)
		return;
	loc = off_loc(lx->l, t->off, 0);
	lx->p = lx->src + t->off;
	lx->line = loc.line;
	lx->line_start = lx->p - (loc.col - 1);
}

size_t lex_word_at(const struct lexer *lx, const char **word)
{
	const char *q = lx->p;

	*word = lx->p;
	if (q >= lx->end || !is_ident_start((unsigned char)*q))
		return 0;
	while (q < lx->end && is_ident_char((unsigned char)*q))
		q++;
	return (size_t)(q - lx->p);
}

/*
 * A preprocessor line from the cursor (at '#') to the end of the line,
 * with backslash-newline continuations removed. The text is copied to the
 * arena; the cursor ends before the newline.
 */
const char *lex_line(struct lexer *lx, struct bpfkit_loc *loc)
{
	const char *s = lx->p;
	char *buf, *o;

	*loc = lex_here(lx, 0);
	while (lx->p < lx->end && *lx->p != '\n')
		lex_advance(lx);
	while (lx->p < lx->end && lx->p[-1] == '\\') {
		lex_advance(lx); /* the newline */
		while (lx->p < lx->end && *lx->p != '\n')
			lex_advance(lx);
	}
	{
		const char *nl = memchr(s, '\n', (size_t)(lx->p - s));

		loc->len = (int)((nl ? nl : lx->p) - s);
	}
	buf = arena_alloc(&lx->l->arena, (size_t)(lx->p - s) + 1);
	if (!buf)
		return NULL;
	o = buf;
	for (const char *q = s; q < lx->p; q++) {
		if (*q == '\\' && q + 1 < lx->p && q[1] == '\n') {
			q++;
			*o++ = ' ';
		} else if (*q == '\\' && q + 2 < lx->p && q[1] == '\r' && q[2] == '\n') {
			q += 2;
			*o++ = ' ';
		} else if (*q != '\r' || q + 1 < lx->p) {
			*o++ = *q;
		}
	}
	*o = 0;
	return buf;
}

static bool attach_char(int c)
{
	return is_ident_char(c) || (c && strchr(".*?+-[]$@~:", c));
}

/* Whether the '/' at @p p is inside a relative path: attach point
 * characters and '/' up to a ':' that starts the next part (x/y:func). */
static bool path_goes_on(const char *p, const char *end)
{
	while (++p < end && *p != ':' && (*p == '/' || attach_char((unsigned char)*p)))
		;
	return p < end && *p == ':';
}

/*
 * One attach point as raw text: letters, digits and ._*?+-[]$@~, parts
 * separated by ':', "quoted" parts taken whole. A '/' belongs to the attach
 * point inside a part that starts with '/' or '.' (a path such as
 * uprobe:/bin/bash:readline), or after the provider in a part that another
 * part follows (a relative path: uprobe:bin/app:main); anywhere else it
 * starts the predicate. The text ends at a blank, ',', '{' or any other
 * character.
 */
size_t lex_attach_point(struct lexer *lx, const char **text, struct bpfkit_loc *loc)
{
	const char *s = lx->p, *part = lx->p;

	*text = s;
	while (lx->p < lx->end) {
		int c = (unsigned char)*lx->p;

		if (c == '"') {
			const char *q = lx->p + 1;

			while (q < lx->end && *q != '"' && *q != '\n')
				q += (*q == '\\' && q + 1 < lx->end && q[1] != '\n') ? 2 : 1;
			if (q >= lx->end || *q != '"') {
				error_at(lx, lx->p, (size_t)(q - lx->p), "unterminated string in attach point");
				lx->p = q;
				break;
			}
			lx->p = q + 1;
			continue;
		}
		if (c == '/' && !(part < lx->end && (*part == '/' || *part == '.')) &&
		    !(part != s && path_goes_on(lx->p, lx->end)))
			break;
		if (c != '/' && !attach_char(c))
			break;
		lx->p++;
		if (c == ':')
			part = lx->p;
	}
	*loc = loc_of(lx, s, (size_t)(lx->p - s));
	return (size_t)(lx->p - s);
}

void lex_define(struct lexer *lx, const char *name, const char *body, size_t blen, bool func_like)
{
	struct macro *m = find_macro(lx, name, strlen(name));

	if (!m) {
		m = arena_alloc(&lx->l->arena, sizeof(*m));
		if (!m)
			return;
		m->name = name;
		m->next = lx->macros;
		lx->macros = m;
	}
	m->body = body;
	m->blen = blen;
	m->func_like = func_like;
}

void lex_undef(struct lexer *lx, const char *name)
{
	for (struct macro **pm = &lx->macros; *pm; pm = &(*pm)->next) {
		if (!strcmp((*pm)->name, name)) {
			*pm = (*pm)->next;
			return;
		}
	}
}

/* How a token kind reads in a message. */
const char *tok_kind_str(enum tok_kind k)
{
	static const char *const names[TK__COUNT] = {
		[TK_EOF] = "end of input", [TK_ERROR] = "invalid token", [TK_IDENT] = "identifier",
		[TK_VAR] = "variable", [TK_MAP] = "map", [TK_PARAM] = "positional parameter",
		[TK_PARAMCOUNT] = "'$#'", [TK_INT] = "integer", [TK_STRING] = "string",
		[TK_IF] = "'if'", [TK_ELSE] = "'else'", [TK_WHILE] = "'while'", [TK_UNROLL] = "'unroll'",
		[TK_FOR] = "'for'", [TK_RETURN] = "'return'", [TK_BREAK] = "'break'",
		[TK_CONTINUE] = "'continue'", [TK_SIZEOF] = "'sizeof'", [TK_OFFSETOF] = "'offsetof'",
		[TK_STRUCT] = "'struct'", [TK_UNION] = "'union'", [TK_ENUM] = "'enum'",
		[TK_LPAREN] = "'('", [TK_RPAREN] = "')'", [TK_LBRACE] = "'{'", [TK_RBRACE] = "'}'",
		[TK_LBRACKET] = "'['", [TK_RBRACKET] = "']'", [TK_SEMI] = "';'", [TK_COMMA] = "','",
		[TK_COLON] = "':'", [TK_QUESTION] = "'?'", [TK_DOT] = "'.'", [TK_ARROW] = "'->'",
		[TK_ASSIGN] = "'='", [TK_PLUS] = "'+'", [TK_MINUS] = "'-'", [TK_STAR] = "'*'",
		[TK_SLASH] = "'/'", [TK_PERCENT] = "'%'", [TK_AMP] = "'&'", [TK_PIPE] = "'|'",
		[TK_CARET] = "'^'", [TK_BANG] = "'!'", [TK_TILDE] = "'~'", [TK_LT] = "'<'",
		[TK_GT] = "'>'", [TK_LE] = "'<='", [TK_GE] = "'>='", [TK_EQ] = "'=='", [TK_NE] = "'!='",
		[TK_SHL] = "'<<'", [TK_SHR] = "'>>'", [TK_LAND] = "'&&'", [TK_LOR] = "'||'",
		[TK_INC] = "'++'", [TK_DEC] = "'--'", [TK_ADD_ASSIGN] = "'+='", [TK_SUB_ASSIGN] = "'-='",
		[TK_MUL_ASSIGN] = "'*='", [TK_DIV_ASSIGN] = "'/='", [TK_MOD_ASSIGN] = "'%='",
		[TK_AND_ASSIGN] = "'&='", [TK_OR_ASSIGN] = "'|='", [TK_XOR_ASSIGN] = "'^='",
		[TK_SHL_ASSIGN] = "'<<='", [TK_SHR_ASSIGN] = "'>>='",
	};

	return (unsigned)k < TK__COUNT && names[k] ? names[k] : "token";
}
