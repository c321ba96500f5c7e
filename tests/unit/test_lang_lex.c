// SPDX-License-Identifier: MIT
/*
 * Unit tests of the tracing-language lexer (src/lang/lexer.c): tokens,
 * values, locations, lexical errors, macros and the raw top-level readers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lang/lang_int.h"

/* A lexer over @p src, with its own compilation. */
struct lx_fixture {
	struct bpfkit_lang *l;
	struct lexer lx;
};

static void lx_open(struct lx_fixture *f, const char *src)
{
	f->l = bpfkit_lang__new("t.bt", src, strlen(src));
	assert_non_null(f->l);
	lang_index_lines(f->l);
	lex_init(&f->lx, f->l);
}

static void lx_close(struct lx_fixture *f)
{
	bpfkit_lang__free(f->l);
}

/* The kinds of all tokens of @p src up to the end, in @p kinds (max n). */
static size_t lex_kinds(const char *src, enum tok_kind *kinds, size_t n, unsigned *nerrors)
{
	struct lx_fixture f;
	struct token t;
	size_t i = 0;

	lx_open(&f, src);
	do {
		lex_next(&f.lx, &t);
		if (i < n)
			kinds[i] = t.kind;
		i++;
	} while (t.kind != TK_EOF && i < 1000);
	if (nerrors)
		*nerrors = bpfkit_lang__nerrors(f.l);
	lx_close(&f);
	return i;
}

/* The first diagnostic's message for @p src ("" if none). */
static void first_error(const char *src, char *buf, size_t size)
{
	struct lx_fixture f;
	struct token t;
	int guard = 0;

	lx_open(&f, src);
	do
		lex_next(&f.lx, &t);
	while (t.kind != TK_EOF && ++guard < 1000);
	snprintf(buf, size, "%s", bpfkit_lang__diags(f.l) ? bpfkit_lang__diags(f.l)->msg : "");
	lx_close(&f);
}

static void test_keywords_and_identifiers(void **state)
{
	enum tok_kind k[32];
	unsigned errs;
	size_t n;

	(void)state;
	n = lex_kinds("if else while unroll for return break continue sizeof offsetof struct union enum "
		      "foo _bar x1 iff",
		      k, 32, &errs);
	assert_int_equal(n, 18);
	assert_int_equal(errs, 0);
	assert_int_equal(k[0], TK_IF);
	assert_int_equal(k[1], TK_ELSE);
	assert_int_equal(k[2], TK_WHILE);
	assert_int_equal(k[3], TK_UNROLL);
	assert_int_equal(k[4], TK_FOR);
	assert_int_equal(k[5], TK_RETURN);
	assert_int_equal(k[6], TK_BREAK);
	assert_int_equal(k[7], TK_CONTINUE);
	assert_int_equal(k[8], TK_SIZEOF);
	assert_int_equal(k[9], TK_OFFSETOF);
	assert_int_equal(k[10], TK_STRUCT);
	assert_int_equal(k[11], TK_UNION);
	assert_int_equal(k[12], TK_ENUM);
	for (int i = 13; i < 17; i++)
		assert_int_equal(k[i], TK_IDENT);
	assert_int_equal(k[17], TK_EOF);
}

static void test_sigils(void **state)
{
	struct lx_fixture f;
	struct token t;

	(void)state;
	lx_open(&f, "$x @m @ $1 $# $42 @_a1");
	lex_next(&f.lx, &t);
	assert_int_equal(t.kind, TK_VAR);
	assert_int_equal(t.len, 2);
	assert_memory_equal(t.text, "$x", 2);
	lex_next(&f.lx, &t);
	assert_int_equal(t.kind, TK_MAP);
	assert_int_equal(t.len, 2);
	lex_next(&f.lx, &t);
	assert_int_equal(t.kind, TK_MAP);
	assert_int_equal(t.len, 1);
	lex_next(&f.lx, &t);
	assert_int_equal(t.kind, TK_PARAM);
	assert_int_equal(t.ival, 1);
	lex_next(&f.lx, &t);
	assert_int_equal(t.kind, TK_PARAMCOUNT);
	lex_next(&f.lx, &t);
	assert_int_equal(t.kind, TK_PARAM);
	assert_int_equal(t.ival, 42);
	lex_next(&f.lx, &t);
	assert_int_equal(t.kind, TK_MAP);
	assert_int_equal(t.len, 4);
	lex_next(&f.lx, &t);
	assert_int_equal(t.kind, TK_EOF);
	assert_int_equal(bpfkit_lang__nerrors(f.l), 0);
	lx_close(&f);
}

static void test_sigil_errors(void **state)
{
	char msg[256];

	(void)state;
	first_error("$0", msg, sizeof(msg));
	assert_string_equal(msg, "there is no positional parameter $0; they start at $1");
	first_error("$1x", msg, sizeof(msg));
	assert_string_equal(msg, "invalid positional parameter '$1x'");
	first_error("$99999999999", msg, sizeof(msg));
	assert_string_equal(msg, "positional parameter '$99999999999' is out of range");
	first_error("$ x", msg, sizeof(msg));
	assert_string_equal(msg, "expected a variable name, a number or '#' after '$'");
	first_error("@1", msg, sizeof(msg));
	assert_string_equal(msg, "invalid map name '@1'");
}

/* Value of the single integer literal @p src (asserting no error). */
static uint64_t int_value(const char *src)
{
	struct lx_fixture f;
	struct token t;
	uint64_t v;

	lx_open(&f, src);
	lex_next(&f.lx, &t);
	assert_int_equal(t.kind, TK_INT);
	assert_int_equal(t.len, strlen(src));
	if (bpfkit_lang__nerrors(f.l))
		fail_msg("unexpected error for %s: %s", src, bpfkit_lang__diags(f.l)->msg);
	v = t.ival;
	lex_next(&f.lx, &t);
	assert_int_equal(t.kind, TK_EOF);
	lx_close(&f);
	return v;
}

static void test_integers(void **state)
{
	(void)state;
	assert_int_equal(int_value("0"), 0);
	assert_int_equal(int_value("42"), 42);
	assert_int_equal(int_value("0x1F"), 31);
	assert_int_equal(int_value("0XfF"), 255);
	assert_int_equal(int_value("010"), 8); /* octal, as in bpftrace */
	assert_int_equal(int_value("00"), 0);
	assert_int_equal(int_value("1_000_000"), 1000000);
	assert_int_equal(int_value("1__0"), 10);
	assert_int_equal(int_value("0xff_ff"), 65535);
	assert_int_equal(int_value("1e6"), 1000000);
	assert_int_equal(int_value("2E3"), 2000);
	assert_int_equal(int_value("1e0_0"), 1);
	assert_int_equal(int_value("12e2"), 1200);
	assert_int_equal(int_value("0e99999999999999999"), 0);
	assert_int_equal(int_value("100u"), 100);
	assert_int_equal(int_value("100UL"), 100);
	assert_int_equal(int_value("100ull"), 100);
	assert_int_equal(int_value("100LL"), 100);
	assert_int_equal(int_value("100lu"), 100);
	assert_true(int_value("18446744073709551615") == UINT64_MAX);
	assert_true(int_value("0xffffffffffffffff") == UINT64_MAX);
	assert_true(int_value("1e19") == 10000000000000000000ull);
	assert_int_equal(int_value("'a'"), 97);
	assert_int_equal(int_value("'\\n'"), 10);
	assert_int_equal(int_value("'\\x41'"), 65);
	assert_int_equal(int_value("'\\''"), 39);
}

static void test_integer_errors(void **state)
{
	char msg[256];

	(void)state;
	first_error("09", msg, sizeof(msg));
	assert_string_equal(msg, "invalid digit '9' in octal literal '09'");
	first_error("0x", msg, sizeof(msg));
	assert_string_equal(msg, "invalid integer literal '0x'");
	first_error("1ms", msg, sizeof(msg));
	assert_string_equal(msg, "invalid integer literal '1ms'");
	first_error("1_", msg, sizeof(msg));
	assert_string_equal(msg, "invalid integer literal '1_'");
	first_error("1uu", msg, sizeof(msg));
	assert_string_equal(msg, "invalid integer literal '1uu'");
	first_error("0b101", msg, sizeof(msg));
	assert_string_equal(msg, "invalid integer literal '0b101'");
	first_error("18446744073709551616", msg, sizeof(msg));
	assert_string_equal(msg, "integer literal '18446744073709551616' is too large (the largest is 18446744073709551615)");
	first_error("0x10000000000000000", msg, sizeof(msg));
	assert_string_equal(msg, "integer literal '0x10000000000000000' is too large (the largest is 18446744073709551615)");
	first_error("1e20", msg, sizeof(msg));
	assert_string_equal(msg, "integer literal '1e20' is too large (the largest is 18446744073709551615)");
	first_error("''", msg, sizeof(msg));
	assert_string_equal(msg, "empty character literal");
	first_error("'ab'", msg, sizeof(msg));
	assert_string_equal(msg, "a character literal holds one character; use a string");
	first_error("'a", msg, sizeof(msg));
	assert_string_equal(msg, "unterminated character literal");
}

static void test_strings(void **state)
{
	static const char expect[] = "a\n\t\r\"\\AA\0z";
	struct lx_fixture f;
	struct token t;

	(void)state;
	lx_open(&f, "\"a\\n\\t\\r\\\"\\\\\\x41\\101\\0z\" \"\"");
	lex_next(&f.lx, &t);
	assert_int_equal(t.kind, TK_STRING);
	assert_int_equal(t.slen, sizeof(expect) - 1);
	assert_memory_equal(t.str, expect, sizeof(expect) - 1);
	assert_int_equal(t.str[t.slen], 0);
	assert_int_equal(t.loc.col, 1);
	assert_int_equal(t.loc.len, 24);
	lex_next(&f.lx, &t);
	assert_int_equal(t.kind, TK_STRING);
	assert_int_equal(t.slen, 0);
	assert_int_equal(t.loc.col, 26);
	assert_int_equal(bpfkit_lang__nerrors(f.l), 0);
	lx_close(&f);
}

static void test_string_errors(void **state)
{
	const struct bpfkit_lang_diag *d;
	struct lx_fixture f;
	struct token t;
	char msg[256];

	(void)state;
	first_error("\"\\e\"", msg, sizeof(msg));
	assert_string_equal(msg, "invalid escape sequence '\\e'");
	first_error("\"\\x\"", msg, sizeof(msg));
	assert_string_equal(msg, "\\x used with no following hex digits");
	first_error("\"\\777\"", msg, sizeof(msg));
	assert_string_equal(msg, "octal escape sequence out of range");
	/* unterminated: reported at the opening quote, up to the end of the line,
	 * and the next line lexes normally */
	lx_open(&f, "x = \"abc;\ny");
	lex_next(&f.lx, &t);
	lex_next(&f.lx, &t);
	lex_next(&f.lx, &t);
	assert_int_equal(t.kind, TK_ERROR);
	d = bpfkit_lang__diags(f.l);
	assert_non_null(d);
	assert_string_equal(d->msg, "unterminated string literal");
	assert_int_equal(d->loc.line, 1);
	assert_int_equal(d->loc.col, 5);
	assert_int_equal(d->loc.len, 5);
	lex_next(&f.lx, &t);
	assert_int_equal(t.kind, TK_IDENT);
	assert_int_equal(t.loc.line, 2);
	lx_close(&f);
}

static void test_operators_longest_match(void **state)
{
	static const enum tok_kind want[] = {
		TK_SHL_ASSIGN, TK_SHR_ASSIGN, TK_SHL, TK_SHR, TK_LE, TK_GE, TK_EQ, TK_NE,
		TK_LAND, TK_LOR, TK_INC, TK_DEC, TK_ARROW, TK_ADD_ASSIGN, TK_SUB_ASSIGN,
		TK_MUL_ASSIGN, TK_DIV_ASSIGN, TK_MOD_ASSIGN, TK_AND_ASSIGN, TK_OR_ASSIGN,
		TK_XOR_ASSIGN, TK_LPAREN, TK_RPAREN, TK_LBRACE, TK_RBRACE, TK_LBRACKET,
		TK_RBRACKET, TK_SEMI, TK_COMMA, TK_COLON, TK_QUESTION, TK_DOT, TK_ASSIGN,
		TK_PLUS, TK_MINUS, TK_STAR, TK_SLASH, TK_PERCENT, TK_AMP, TK_PIPE, TK_CARET,
		TK_BANG, TK_TILDE, TK_LT, TK_GT, TK_INC, TK_PLUS, TK_EOF,
	};
	enum tok_kind k[64];
	unsigned errs;
	size_t n;

	(void)state;
	n = lex_kinds("<<= >>= << >> <= >= == != && || ++ -- -> += -= *= /= %= &= |= ^= ( ) { } [ ] ; , : ? . = "
		      "+ - * / % & | ^ ! ~ < > +++",
		      k, 64, &errs);
	assert_int_equal(errs, 0);
	assert_int_equal(n, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < n; i++)
		assert_int_equal(k[i], want[i]);
}

static void test_comments_and_locations(void **state)
{
	struct lx_fixture f;
	struct token t;

	(void)state;
	lx_open(&f, "// line comment\n  a /* block\n comment */ b\n\tc//x\n/**/d");
	lex_next(&f.lx, &t);
	assert_int_equal(t.loc.line, 2);
	assert_int_equal(t.loc.col, 3);
	assert_int_equal(t.loc.len, 1);
	assert_int_equal(t.off, 18);
	lex_next(&f.lx, &t);
	assert_int_equal(t.loc.line, 3);
	assert_int_equal(t.loc.col, 13);
	lex_next(&f.lx, &t);
	assert_int_equal(t.loc.line, 4);
	assert_int_equal(t.loc.col, 2);
	lex_next(&f.lx, &t);
	assert_int_equal(t.loc.line, 5);
	assert_int_equal(t.loc.col, 5);
	lex_next(&f.lx, &t);
	assert_int_equal(t.kind, TK_EOF);
	/* the end points just past the last character */
	assert_int_equal(t.loc.line, 5);
	assert_int_equal(t.loc.col, 6);
	assert_int_equal(bpfkit_lang__nerrors(f.l), 0);
	lx_close(&f);
}

static void test_eof_location_skips_trailing_blanks(void **state)
{
	struct lx_fixture f;
	struct token t;

	(void)state;
	lx_open(&f, "a b;\n\n   \n");
	lex_next(&f.lx, &t);
	lex_next(&f.lx, &t);
	lex_next(&f.lx, &t);
	lex_next(&f.lx, &t);
	assert_int_equal(t.kind, TK_EOF);
	assert_int_equal(t.loc.line, 1);
	assert_int_equal(t.loc.col, 5);
	lx_close(&f);
}

static void test_bad_characters(void **state)
{
	enum tok_kind k[8];
	unsigned errs;
	char msg[256];

	(void)state;
	first_error("a ` b", msg, sizeof(msg));
	assert_string_equal(msg, "invalid character '`'");
	first_error("a \x01", msg, sizeof(msg));
	assert_string_equal(msg, "invalid character '\\x01'");
	first_error("\xe2\x80\x9chi", msg, sizeof(msg));
	assert_string_equal(msg, "invalid character '\\xe2\\x80\\x9c' (only ASCII is allowed outside strings)");
	first_error("a */ b", msg, sizeof(msg));
	assert_string_equal(msg, "'*/' outside of a comment");
	first_error("x #include <a.h>", msg, sizeof(msg));
	assert_string_equal(msg, "preprocessor lines ('#...') are only allowed at the top level, outside probes");
	/* a bad character is one TK_ERROR token and lexing goes on */
	assert_int_equal(lex_kinds("a ` b", k, 8, &errs), 4);
	assert_int_equal(k[1], TK_ERROR);
	assert_int_equal(k[2], TK_IDENT);
	assert_int_equal(errs, 1);
	/* embedded NUL */
	{
		struct bpfkit_lang *l = bpfkit_lang__new("t.bt", "a\0b", 3);
		struct lexer lx;
		struct token t;

		lang_index_lines(l);
		lex_init(&lx, l);
		lex_next(&lx, &t);
		lex_next(&lx, &t);
		assert_int_equal(t.kind, TK_ERROR);
		lex_next(&lx, &t);
		assert_int_equal(t.kind, TK_IDENT);
		assert_int_equal(t.loc.col, 3);
		bpfkit_lang__free(l);
	}
}

static void test_unterminated_comment(void **state)
{
	const struct bpfkit_lang_diag *d;
	struct lx_fixture f;
	struct token t;

	(void)state;
	lx_open(&f, "a\n  /* never closed\n b c");
	lex_next(&f.lx, &t);
	lex_next(&f.lx, &t);
	assert_int_equal(t.kind, TK_EOF);
	d = bpfkit_lang__diags(f.l);
	assert_non_null(d);
	assert_string_equal(d->msg, "unterminated comment");
	assert_int_equal(d->loc.line, 2);
	assert_int_equal(d->loc.col, 3);
	assert_null(d->next);
	lex_next(&f.lx, &t); /* stays at the end, no second report */
	assert_int_equal(t.kind, TK_EOF);
	assert_int_equal(bpfkit_lang__nerrors(f.l), 1);
	lx_close(&f);
}

static void test_macros(void **state)
{
	struct lx_fixture f;
	struct token t;

	(void)state;
	lx_open(&f, "x N y R z");
	lex_define(&f.lx, "N", "5 + 1", 5, false);
	lex_define(&f.lx, "R", "R N", 3, false); /* refers to itself: no loop */
	lex_next(&f.lx, &t);
	assert_int_equal(t.kind, TK_IDENT);
	lex_next(&f.lx, &t);
	assert_int_equal(t.kind, TK_INT);
	assert_int_equal(t.ival, 5);
	assert_true(t.from_macro);
	assert_int_equal(t.loc.col, 3); /* where N was written */
	assert_int_equal(t.loc.len, 1);
	lex_next(&f.lx, &t);
	assert_int_equal(t.kind, TK_PLUS);
	assert_int_equal(t.loc.col, 3);
	lex_next(&f.lx, &t);
	assert_int_equal(t.kind, TK_INT);
	assert_int_equal(t.ival, 1);
	lex_next(&f.lx, &t);
	assert_int_equal(t.kind, TK_IDENT); /* y */
	assert_false(t.from_macro);
	lex_next(&f.lx, &t);
	assert_int_equal(t.kind, TK_IDENT); /* R, not expanded again */
	assert_int_equal(t.len, 1);
	assert_memory_equal(t.text, "R", 1);
	assert_int_equal(t.loc.col, 7);
	lex_next(&f.lx, &t);
	assert_int_equal(t.kind, TK_INT); /* N inside R */
	assert_int_equal(t.loc.col, 7);
	lex_next(&f.lx, &t);
	lex_next(&f.lx, &t);
	lex_next(&f.lx, &t);
	assert_int_equal(t.kind, TK_IDENT); /* z */
	assert_int_equal(t.loc.col, 9);
	lex_undef(&f.lx, "N");
	lx_close(&f);
}

static void test_macro_budget(void **state)
{
	char names[12][16], body[200];
	struct lx_fixture f;
	struct token t;
	unsigned long n = 0;

	(void)state;
	/* M0 expands to ten M1, each to ten M2...: 10^11 tokens if unchecked */
	lx_open(&f, "M0 end");
	for (int i = 0; i < 12; i++)
		snprintf(names[i], sizeof(names[i]), "M%d", i);
	for (int i = 0; i < 11; i++) {
		char *b = malloc(200);

		snprintf(body, sizeof(body), "%s %s %s %s %s %s %s %s %s %s", names[i + 1], names[i + 1],
			 names[i + 1], names[i + 1], names[i + 1], names[i + 1], names[i + 1], names[i + 1],
			 names[i + 1], names[i + 1]);
		strcpy(b, body);
		lex_define(&f.lx, names[i], b, strlen(b), false);
		(void)b; /* freed below through the list */
	}
	do {
		lex_next(&f.lx, &t);
		n++;
	} while (t.kind != TK_EOF && n < 10000000);
	assert_true(n <= LEX_MAX_MACRO_TOKENS + 10);
	assert_non_null(bpfkit_lang__diags(f.l));
	assert_string_equal(bpfkit_lang__diags(f.l)->msg, "macro expansion produces more than 100000 tokens");
	for (struct macro *m = f.lx.macros; m; m = m->next)
		free((void *)m->body);
	lx_close(&f);
}

static void test_attach_point_text(void **state)
{
	static const struct {
		const char *src, *want;
		int stop; /* the character after, or 0 for the end */
	} cases[] = {
		{ "BEGIN{", "BEGIN", '{' },
		{ "tracepoint:syscalls:sys_enter_* /pid/", "tracepoint:syscalls:sys_enter_*", ' ' },
		{ "uprobe:/bin/bash:readline,", "uprobe:/bin/bash:readline", ',' },
		{ "kprobe:f/pid == 1/{", "kprobe:f", '/' },
		{ "uprobe:./a.out:main/1/", "uprobe:./a.out:main", '/' },
		{ "kprobe:vfs_read+0x10 {", "kprobe:vfs_read+0x10", ' ' },
		{ "uprobe:\"/a b:c\":\"f n\"{", "uprobe:\"/a b:c\":\"f n\"", '{' },
		{ "h:cache-misses:1000", "h:cache-misses:1000", 0 },
		{ "uprobe:$1:f?x", "uprobe:$1:f?x", 0 },
		{ "{", "", '{' },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct bpfkit_loc loc;
		struct lx_fixture f;
		const char *text;
		size_t n;

		lx_open(&f, cases[i].src);
		n = lex_attach_point(&f.lx, &text, &loc);
		assert_int_equal(n, strlen(cases[i].want));
		assert_memory_equal(text, cases[i].want, n);
		assert_int_equal(lex_peek_char(&f.lx), cases[i].stop ? cases[i].stop : -1);
		assert_int_equal(loc.col, 1);
		assert_int_equal(loc.len, (int)n);
		lx_close(&f);
	}
}

static void test_preprocessor_line(void **state)
{
	struct bpfkit_loc loc;
	struct lx_fixture f;
	const char *line;

	(void)state;
	lx_open(&f, "#define LONG 1 + \\\n  2\nnext");
	line = lex_line(&f.lx, &loc);
	assert_string_equal(line, "#define LONG 1 +    2");
	assert_int_equal(loc.line, 1);
	assert_int_equal(loc.col, 1);
	assert_int_equal(loc.len, 18);
	lex_skip_space(&f.lx);
	assert_int_equal(lex_here(&f.lx, 0).line, 3);
	lx_close(&f);
}

static void test_shebang_and_rewind(void **state)
{
	struct lx_fixture f;
	struct token a, b, c;

	(void)state;
	lx_open(&f, "#!/usr/bin/env bpftrace\nfoo bar");
	lex_next(&f.lx, &a);
	assert_int_equal(a.kind, TK_IDENT);
	assert_int_equal(a.loc.line, 2);
	lex_next(&f.lx, &b);
	lex_rewind(&f.lx, &a);
	lex_next(&f.lx, &c);
	assert_int_equal(c.off, a.off);
	assert_int_equal(c.loc.line, 2);
	assert_int_equal(c.loc.col, 1);
	lex_next(&f.lx, &c);
	assert_int_equal(c.off, b.off);
	lx_close(&f);
}

static void test_tok_kind_names(void **state)
{
	(void)state;
	assert_string_equal(tok_kind_str(TK_LPAREN), "'('");
	assert_string_equal(tok_kind_str(TK_EOF), "end of input");
	assert_string_equal(tok_kind_str(TK_SHR_ASSIGN), "'>>='");
	assert_string_equal(tok_kind_str(TK__COUNT), "token");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keywords_and_identifiers),
		cmocka_unit_test(test_sigils),
		cmocka_unit_test(test_sigil_errors),
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_integer_errors),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_string_errors),
		cmocka_unit_test(test_operators_longest_match),
		cmocka_unit_test(test_comments_and_locations),
		cmocka_unit_test(test_eof_location_skips_trailing_blanks),
		cmocka_unit_test(test_bad_characters),
		cmocka_unit_test(test_unterminated_comment),
		cmocka_unit_test(test_macros),
		cmocka_unit_test(test_macro_budget),
		cmocka_unit_test(test_attach_point_text),
		cmocka_unit_test(test_preprocessor_line),
		cmocka_unit_test(test_shebang_and_rewind),
		cmocka_unit_test(test_tok_kind_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
