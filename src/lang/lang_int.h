/* SPDX-License-Identifier: MIT */
/*
 * Internals of the language front end, shared by the src/lang files and the unit
 * tests: the arena, the compilation context, the lexer and its tokens.
 *
 * Memory: everything one compilation allocates comes from its arena. The
 * parser sets arena.oom to a jmp_buf while it runs, so an allocation failure
 * unwinds straight back to bpfkit_lang__parse(); that is safe precisely
 * because nothing the parser holds was obtained from malloc() directly.
 */
#ifndef BPFKIT_LANG_INT_H
#define BPFKIT_LANG_INT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <bpfkit/lang.h>

/* ---- Arena (context.c) ------------------------------------------------------ */

struct arena_chunk;

struct arena {
	struct arena_chunk *head;
	size_t total; /* bytes obtained from malloc, for a sanity cap */
	jmp_buf *oom; /* when set, failure longjmps here instead of returning NULL */
};

void *arena_alloc(struct arena *a, size_t size); /* zeroed, 16-byte aligned */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_vsprintf(struct arena *a, const char *fmt, va_list ap);
void arena_release(struct arena *a);

/* A growable array of pointers living in the arena (old storage is simply
 * abandoned when it grows; lists here are short). */
struct ptrvec {
	void **items;
	size_t n, cap;
};

void ptrvec_push(struct arena *a, struct ptrvec *v, void *item);

/* ---- The compilation (context.c) ---------------------------------------------- */

struct bpfkit_lang {
	struct arena arena;
	const char *file;
	char *src; /* NUL-terminated copy */
	size_t len;
	size_t *line_off; /* byte offset of the start of each line */
	size_t nlines;
	struct bpfkit_lang_diag *diags, *diags_tail;
	unsigned nerrors;
	bool parsed;
	bool quiet; /* drop diagnostics (error recovery re-reading text) */
};

/* Record a diagnostic; returns the new entry (NULL when quiet). */
struct bpfkit_lang_diag *lang_diag(struct bpfkit_lang *l, enum bpfkit_lang_severity sev,
				   struct bpfkit_loc loc, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
struct bpfkit_lang_diag *lang_vdiag(struct bpfkit_lang *l, enum bpfkit_lang_severity sev,
				    struct bpfkit_loc loc, const char *hint, const char *fmt, va_list ap);

/* Byte offset of a location's first byte (clamped to the source). */
size_t lang_loc_off(const struct bpfkit_lang *l, struct bpfkit_loc loc);
/* Build the line table; called once before lexing. */
void lang_index_lines(struct bpfkit_lang *l);

/* ---- Tokens and the lexer (lexer.c) -------------------------------------------- */

enum tok_kind {
	TK_EOF,
	TK_ERROR, /* already reported by the lexer */
	TK_IDENT,
	TK_VAR, /* $name */
	TK_MAP, /* @name or @ */
	TK_PARAM, /* $1 */
	TK_PARAMCOUNT, /* $# */
	TK_INT,
	TK_STRING,
	/* keywords */
	TK_IF,
	TK_ELSE,
	TK_WHILE,
	TK_UNROLL,
	TK_FOR,
	TK_RETURN,
	TK_BREAK,
	TK_CONTINUE,
	TK_SIZEOF,
	TK_OFFSETOF,
	TK_STRUCT,
	TK_UNION,
	TK_ENUM,
	/* punctuation */
	TK_LPAREN,
	TK_RPAREN,
	TK_LBRACE,
	TK_RBRACE,
	TK_LBRACKET,
	TK_RBRACKET,
	TK_SEMI,
	TK_COMMA,
	TK_COLON,
	TK_QUESTION,
	TK_DOT,
	TK_ARROW,
	TK_ASSIGN,
	TK_PLUS,
	TK_MINUS,
	TK_STAR,
	TK_SLASH,
	TK_PERCENT,
	TK_AMP,
	TK_PIPE,
	TK_CARET,
	TK_BANG,
	TK_TILDE,
	TK_LT,
	TK_GT,
	TK_LE,
	TK_GE,
	TK_EQ,
	TK_NE,
	TK_SHL,
	TK_SHR,
	TK_LAND,
	TK_LOR,
	TK_INC,
	TK_DEC,
	TK_ADD_ASSIGN,
	TK_SUB_ASSIGN,
	TK_MUL_ASSIGN,
	TK_DIV_ASSIGN,
	TK_MOD_ASSIGN,
	TK_AND_ASSIGN,
	TK_OR_ASSIGN,
	TK_XOR_ASSIGN,
	TK_SHL_ASSIGN,
	TK_SHR_ASSIGN,
	TK__COUNT
};

struct token {
	enum tok_kind kind;
	struct bpfkit_loc loc; /* for a token from a macro: where the macro was used */
	size_t off, end; /* byte range in the source (of the macro use, likewise) */
	const char *text; /* the spelling (in the source or a macro body) */
	size_t len;
	uint64_t ival; /* TK_INT, TK_PARAM */
	const char *str; /* TK_STRING: decoded, NUL-terminated (arena) */
	size_t slen;
	bool from_macro;
};

/* An object-like #define. */
struct macro {
	struct macro *next;
	const char *name;
	const char *body;
	size_t blen;
	bool active; /* being expanded: not expanded again inside itself */
	bool func_like;
};

#define LEX_MAX_EXPANSION 32 /* nested macro frames */
#define LEX_MAX_MACRO_TOKENS 100000 /* tokens produced by macros in one script */

struct lex_frame {
	const char *p, *end;
	struct macro *m;
};

struct lexer {
	struct bpfkit_lang *l;
	const char *src, *p, *end;
	int line;
	const char *line_start;
	struct macro *macros;
	struct lex_frame frames[LEX_MAX_EXPANSION];
	int nframes;
	struct token use; /* the identifier being expanded */
	unsigned long macro_tokens; /* produced so far, against LEX_MAX_MACRO_TOKENS */
	bool no_expand; /* the budget ran out: identifiers stay identifiers */
	bool fatal; /* unterminated comment: nothing more to read */
};

void lex_init(struct lexer *lx, struct bpfkit_lang *l);
/* Next token in expression context (bodies, predicates, C definitions). */
void lex_next(struct lexer *lx, struct token *t);
/* Go back to the start of @p t (a token this lexer produced). */
void lex_rewind(struct lexer *lx, const struct token *t);
/* Skip spaces and comments in the main text. */
void lex_skip_space(struct lexer *lx);
/* The character at the cursor, or -1 at the end. */
int lex_peek_char(const struct lexer *lx);
/* Advance over one character of the main text. */
void lex_advance(struct lexer *lx);
/* Location of the cursor with length @p len. */
struct bpfkit_loc lex_here(const struct lexer *lx, int len);
/* Length of the identifier at the cursor (0 if none). */
size_t lex_word_at(const struct lexer *lx, const char **word);
/* Read raw text up to the end of the line (joining '\' continuations):
 * used for preprocessor lines. Returns the text (arena) and its location. */
const char *lex_line(struct lexer *lx, struct bpfkit_loc *loc);
/* Read one attach point as raw text (see lexer.c for the rules). Returns its
 * length (0 if there is none at the cursor); *text points into the source. */
size_t lex_attach_point(struct lexer *lx, const char **text, struct bpfkit_loc *loc);
/* Macro table */
void lex_define(struct lexer *lx, const char *name, const char *body, size_t blen, bool func_like);
void lex_undef(struct lexer *lx, const char *name);

const char *tok_kind_str(enum tok_kind k); /* "'('", "identifier", ... */

/* ---- AST helpers (ast.c) --------------------------------------------------------- */

/* The provider table: canonical type for a name or alias; -1 if unknown. */
int probe_type_lookup(const char *name, size_t len);
/* All names and aliases, for suggestions. */
extern const char *const probe_type_names[];
extern const size_t probe_type_nnames;

/* Escape @p s into buf (truncating with "..."): control and non-ASCII bytes
 * always, '"' and '\\' too when @p quotes (for a dump, not a message). */
void str_escape(char *buf, size_t size, const char *s, size_t len, bool quotes);

/*
 * A chain such as 1 + 2 + ... + n parses into a tree that leans left, as
 * deep as the chain is long; every pass walks its left spine with a loop,
 * never recursing once per operator, so chains of any length compile in
 * constant stack. The spine: @p e and the binary operators down the left
 * operands while @p in_chain (NULL: any) accepts them, top first. It fills
 * @p out up to @p max entries and returns its length (call with max 0 to
 * size the array).
 */
size_t ast_binop_spine(const struct bpfkit_ast_expr *e, bool (*in_chain)(const struct bpfkit_ast_expr *),
		       const struct bpfkit_ast_expr **out, size_t max);

/* ---- The parser (parser.c: program, probes, statements, C definitions;
 *      expr.c: expressions and types) ------------------------------------------ */

#define PARSER_LOOKAHEAD 8 /* ring of peeked tokens (a power of two) */

struct parser {
	struct bpfkit_lang *l;
	struct arena *a;
	struct lexer lx;
	struct token buf[PARSER_LOOKAHEAD];
	unsigned head, count;
	size_t prev_end; /* end offset of the last token consumed */
	int depth; /* nesting, against BPFKIT_LANG_MAX_DEPTH */
	bool fatal; /* stop: end of input in a body, too deep, too many errors */
	struct token stop; /* what peeking returns once fatal: an end of input */
};

/* The token @p n places ahead (0 = the next one), lexed on demand. */
const struct token *parser_peek(struct parser *p, unsigned n);
/* Consume the next token and return a copy. */
struct token parser_next(struct parser *p);
/* Consume the next token if it is of kind @p k. */
bool parser_accept(struct parser *p, enum tok_kind k);
/* Consume a token of kind @p k or report "expected <what>, got <it>". */
bool parser_expect(struct parser *p, enum tok_kind k, const char *what);
/* Report an error (nothing if fatal; fatal after too many). */
void parser_error(struct parser *p, struct bpfkit_loc loc, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* "expected <what>, got <tok>", silent for a token the lexer already reported. */
void parser_unexpected(struct parser *p, const struct token *t, const char *what);
/* Describe a token for a message: 'foo', end of input, ... */
const char *parser_tok_desc(const struct token *t, char *buf, size_t size);
/* Location from @p start to the end of the last token consumed. */
struct bpfkit_loc parser_span(struct parser *p, struct bpfkit_loc start);
/* One more level of nesting at @p loc; false (and fatal) when too deep. */
bool parser_enter(struct parser *p, struct bpfkit_loc loc);
void parser_leave(struct parser *p);

struct bpfkit_ast_expr *expr_new(struct parser *p, enum bpfkit_ast_expr_kind kind, struct bpfkit_loc loc);
/* expr -> ternary (expr.c) */
struct bpfkit_ast_expr *parse_expr(struct parser *p);
/* type -> base ['[' [expr] ']'] {'*'} (expr.c) */
struct bpfkit_ast_type *parse_type(struct parser *p);
struct bpfkit_ast_type *type_new(struct parser *p, enum bpfkit_ast_type_kind kind, struct bpfkit_loc loc);
/* Is the name one of bpftrace's type keywords (uint32, string, ...)? */
bool is_type_keyword(const char *s, size_t n);
/* Can a field name follow '.' or '->' here (identifiers and keywords)? */
bool tok_is_name(const struct token *t);

/* Skip to the end of the broken statement (parser.c). */
void parser_sync(struct parser *p);
/* Forget peeked tokens, moving the lexer back to the first (top level). */
void parser_flush(struct parser *p);

/* Top-level items other than probes (cdef.c) */
void parse_directive(struct parser *p, struct ptrvec *dirs);
void parse_top_cdef(struct parser *p, struct ptrvec *cdefs);
void parse_typedef(struct parser *p);

int parse_program(struct bpfkit_lang *l, struct bpfkit_ast_program **out);

#endif /* BPFKIT_LANG_INT_H */
