/* SPDX-License-Identifier: MIT */
/**
 * @file lang.h
 * @brief The front end of the tracing language (bpftrace's language, 0.17 to
 *        0.20): lexer, parser, abstract syntax tree and diagnostics.
 *
 * One struct bpfkit_lang is one compilation. It copies the script, owns an
 * arena from which every AST node, string and diagnostic is allocated, and
 * frees them all at once in bpfkit_lang__free(). Nothing here prints or exits:
 * problems become struct bpfkit_lang_diag entries in a list, and the caller
 * formats them with bpfkit_lang_diag_format() into a FILE * of its choosing.
 *
 * The parser checks syntax only. Whether a probe type is supported, whether a
 * function exists, what a builtin means: all that belongs to later passes,
 * which walk the tree defined below, may annotate it (the `sema` fields), and
 * report through bpfkit_lang__report() so every message looks the same.
 *
 * Ownership: every pointer reachable from a struct bpfkit_ast_program or a
 * diagnostic belongs to the struct bpfkit_lang it came from.
 */
#ifndef BPFKIT_LANG_H
#define BPFKIT_LANG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef BPFKIT_API
#define BPFKIT_API __attribute__((visibility("default")))
#endif

/** Deepest nesting of blocks and expressions the parser accepts. */
#define BPFKIT_LANG_MAX_DEPTH 256
/** After this many errors the parser stops. */
#define BPFKIT_LANG_MAX_ERRORS 20

/**
 * A place in the script: 1-based line and column (in bytes, a tab counts as
 * one) and the length in bytes of the text it covers. A node's location
 * covers the whole node; when that spans lines, printers stop the underline
 * at the end of the first line. line == 0 means "no location".
 */
struct bpfkit_loc {
	int line;
	int col;
	int len;
};

/* ---- Diagnostics ----------------------------------------------------------- */

enum bpfkit_lang_severity {
	BPFKIT_LANG_ERROR,
	BPFKIT_LANG_WARNING,
	BPFKIT_LANG_NOTE, /* more about the diagnostic before it */
};

/** One diagnostic; they form a list in the order they were reported. */
struct bpfkit_lang_diag {
	struct bpfkit_lang_diag *next;
	enum bpfkit_lang_severity severity;
	const char *file; /* the name given to bpfkit_lang__new() */
	struct bpfkit_loc loc;
	const char *msg; /* no trailing newline, no "error:" prefix */
	const char *hint; /* a suggested name ("did you mean 'hint'?"), or NULL */
};

/* ---- Types as written in casts, sizeof, offsetof and struct definitions ---- */

enum bpfkit_ast_type_kind {
	BPFKIT_TYPE_NAME, /* uint32, string, u64, "unsigned long", ... */
	BPFKIT_TYPE_STRUCT,
	BPFKIT_TYPE_UNION,
	BPFKIT_TYPE_ENUM,
	BPFKIT_TYPE_PTR, /* elem * */
	BPFKIT_TYPE_ARRAY, /* elem[len] */
	BPFKIT_TYPE_FUNC, /* a function returning elem (only behind a pointer) */
};

struct bpfkit_ast_expr;
struct bpfkit_ast_cdef;

struct bpfkit_ast_type {
	enum bpfkit_ast_type_kind kind;
	struct bpfkit_loc loc;
	/* NAME: the type words joined by one space ("unsigned long");
	 * STRUCT/UNION/ENUM: the tag, NULL when anonymous */
	const char *name;
	struct bpfkit_ast_type *elem; /* PTR, ARRAY, FUNC */
	struct bpfkit_ast_expr *len; /* ARRAY: length as written, NULL for [] */
	struct bpfkit_ast_cdef *def; /* STRUCT/UNION/ENUM defined in place */
};

/** One member of a struct or union definition. */
struct bpfkit_ast_field {
	const char *name; /* NULL for an anonymous struct/union member */
	struct bpfkit_ast_type *type;
	int bits; /* bit-field width, -1 when not a bit-field */
	struct bpfkit_loc loc;
};

struct bpfkit_ast_enumerator {
	const char *name;
	struct bpfkit_ast_expr *value; /* NULL: previous + 1 */
	struct bpfkit_loc loc;
};

/** A C definition: struct X { ... }, union X { ... }, enum X { ... }. */
struct bpfkit_ast_cdef {
	enum bpfkit_ast_type_kind kind; /* STRUCT, UNION or ENUM */
	const char *name; /* NULL when anonymous */
	bool complete; /* false for a declaration without a body (struct X;) */
	struct bpfkit_ast_field **fields;
	size_t nfields;
	struct bpfkit_ast_enumerator **enumerators;
	size_t nenumerators;
	struct bpfkit_loc loc;
};

/* ---- Preprocessor lines ------------------------------------------------------ */

enum bpfkit_ast_directive_kind {
	BPFKIT_DIRECTIVE_INCLUDE, /* recorded and otherwise ignored */
	BPFKIT_DIRECTIVE_DEFINE, /* object-like macros are expanded by the lexer */
	BPFKIT_DIRECTIVE_UNDEF,
	BPFKIT_DIRECTIVE_COND, /* #if #ifdef #ifndef #elif #else #endif: recorded, not evaluated */
	BPFKIT_DIRECTIVE_OTHER, /* #pragma, #error, ...: recorded */
};

struct bpfkit_ast_directive {
	enum bpfkit_ast_directive_kind kind;
	const char *word; /* "include", "define", "ifndef", ... */
	const char *name; /* INCLUDE: "<linux/sched.h>"; DEFINE/UNDEF: the macro */
	const char *value; /* DEFINE: the replacement text ("" if none) */
	const char *text; /* the whole line after '#', continuations joined */
	struct bpfkit_loc loc;
};

/* ---- Expressions ------------------------------------------------------------- */

enum bpfkit_ast_op {
	BPFKIT_OP_NONE,
	/* binary */
	BPFKIT_OP_ADD,
	BPFKIT_OP_SUB,
	BPFKIT_OP_MUL,
	BPFKIT_OP_DIV,
	BPFKIT_OP_MOD,
	BPFKIT_OP_BAND,
	BPFKIT_OP_BOR,
	BPFKIT_OP_BXOR,
	BPFKIT_OP_SHL,
	BPFKIT_OP_SHR,
	BPFKIT_OP_EQ,
	BPFKIT_OP_NE,
	BPFKIT_OP_LT,
	BPFKIT_OP_LE,
	BPFKIT_OP_GT,
	BPFKIT_OP_GE,
	BPFKIT_OP_LAND,
	BPFKIT_OP_LOR,
	/* unary */
	BPFKIT_OP_LNOT, /* ! */
	BPFKIT_OP_BNOT, /* ~ */
	BPFKIT_OP_NEG, /* - */
	BPFKIT_OP_PLUS, /* + (an extension: bpftrace has no unary plus) */
	BPFKIT_OP_DEREF, /* * */
	BPFKIT_OP_ADDR, /* & */
	/* increment and decrement (BPFKIT_EXPR_INCDEC) */
	BPFKIT_OP_INC,
	BPFKIT_OP_DEC,
};

enum bpfkit_ast_expr_kind {
	BPFKIT_EXPR_INT, /* 42, 0x2a, 052, 1_000, 1e6, 'c' */
	BPFKIT_EXPR_STR, /* "text" */
	BPFKIT_EXPR_IDENT, /* pid, comm, args, AF_INET, perf, ... */
	BPFKIT_EXPR_VAR, /* $x */
	BPFKIT_EXPR_MAP, /* @m, @m[k1, k2], @ */
	BPFKIT_EXPR_PARAM, /* $1 .. $N, $# */
	BPFKIT_EXPR_CALL, /* name(args) */
	BPFKIT_EXPR_BINOP,
	BPFKIT_EXPR_UNOP,
	BPFKIT_EXPR_INCDEC, /* ++$x, $x--, @m[k]++ */
	BPFKIT_EXPR_TERNARY,
	BPFKIT_EXPR_CAST, /* (type) e */
	BPFKIT_EXPR_FIELD, /* e.name, e->name */
	BPFKIT_EXPR_TUPLE_GET, /* e.0 */
	BPFKIT_EXPR_INDEX, /* e[i] */
	BPFKIT_EXPR_TUPLE, /* (a, b, ...) */
	BPFKIT_EXPR_SIZEOF, /* sizeof(type), sizeof(e) */
	BPFKIT_EXPR_OFFSETOF, /* offsetof(struct X, a.b), offsetof(e, a) */
};

struct bpfkit_ast_expr {
	enum bpfkit_ast_expr_kind kind;
	struct bpfkit_loc loc; /* the whole expression */
	void *sema; /* for later passes (the type, ...); NULL after parsing */
	union {
		struct {
			uint64_t value; /* two's complement when negative */
			bool negative; /* written with a leading '-': value is an int64 < 0 */
		} num;
		struct {
			const char *data; /* escapes decoded; NUL-terminated as well */
			size_t len; /* may include NUL bytes from \0 or \x00 */
		} str;
		struct {
			const char *name; /* IDENT: "pid"; VAR: "$x" (with the sigil) */
		} ident;
		struct {
			const char *name; /* "@m", or "@" for the anonymous map */
			struct bpfkit_ast_expr **keys;
			size_t nkeys; /* 0: a map used without [] */
		} map;
		struct {
			long n; /* $n: n >= 1; $#: 0 */
		} param;
		struct {
			const char *name;
			struct bpfkit_loc name_loc;
			struct bpfkit_ast_expr **args;
			size_t nargs;
		} call;
		struct {
			enum bpfkit_ast_op op;
			struct bpfkit_loc op_loc;
			struct bpfkit_ast_expr *lhs, *rhs;
		} binop;
		struct {
			enum bpfkit_ast_op op; /* UNOP: LNOT..ADDR; INCDEC: INC or DEC */
			bool post; /* INCDEC: $x++ rather than ++$x */
			struct bpfkit_ast_expr *operand;
		} unop;
		struct {
			struct bpfkit_ast_expr *cond, *yes, *no;
		} ternary;
		struct {
			struct bpfkit_ast_type *to;
			struct bpfkit_ast_expr *operand;
		} cast;
		struct {
			struct bpfkit_ast_expr *base;
			const char *name;
			bool arrow; /* -> rather than . */
		} field;
		struct {
			struct bpfkit_ast_expr *base;
			long index;
		} tuple_get;
		struct {
			struct bpfkit_ast_expr *base, *index;
		} index;
		struct {
			struct bpfkit_ast_expr **items;
			size_t n; /* >= 2 */
		} tuple;
		struct {
			struct bpfkit_ast_type *type; /* exactly one of type, expr */
			struct bpfkit_ast_expr *expr;
		} size_of;
		struct {
			struct bpfkit_ast_type *type; /* exactly one of type, expr */
			struct bpfkit_ast_expr *expr;
			const char **path; /* field names: a.b.c */
			size_t npath;
		} offset_of;
	} u;
};

/* ---- Statements ---------------------------------------------------------------- */

enum bpfkit_ast_stmt_kind {
	BPFKIT_STMT_EXPR,
	BPFKIT_STMT_ASSIGN, /* $x = e, @m[k] = e, @m += e, ... */
	BPFKIT_STMT_IF,
	BPFKIT_STMT_WHILE,
	BPFKIT_STMT_UNROLL,
	BPFKIT_STMT_FOR, /* for ($kv : @map) */
	BPFKIT_STMT_RETURN,
	BPFKIT_STMT_BREAK,
	BPFKIT_STMT_CONTINUE,
	BPFKIT_STMT_BLOCK,
};

struct bpfkit_ast_stmt;

struct bpfkit_ast_block {
	struct bpfkit_ast_stmt **stmts;
	size_t n;
	struct bpfkit_loc loc; /* from '{' to '}' */
};

struct bpfkit_ast_stmt {
	enum bpfkit_ast_stmt_kind kind;
	struct bpfkit_loc loc;
	union {
		struct bpfkit_ast_expr *expr; /* EXPR; RETURN: the value or NULL */
		struct {
			struct bpfkit_ast_expr *target; /* a VAR or a MAP */
			enum bpfkit_ast_op op; /* NONE for '=', ADD for '+=', ... */
			struct bpfkit_loc op_loc;
			struct bpfkit_ast_expr *value;
		} assign;
		struct {
			struct bpfkit_ast_expr *cond;
			struct bpfkit_ast_block *then;
			struct bpfkit_ast_stmt *otherwise; /* NULL, a BLOCK or an IF */
		} if_;
		struct {
			struct bpfkit_ast_expr *cond;
			struct bpfkit_ast_block *body;
		} while_;
		struct {
			struct bpfkit_ast_expr *count;
			struct bpfkit_ast_block *body;
		} unroll;
		struct {
			struct bpfkit_ast_expr *var; /* a VAR */
			struct bpfkit_ast_expr *iterable; /* a MAP in bpftrace 0.19+ */
			struct bpfkit_ast_block *body;
		} for_;
		struct bpfkit_ast_block *block;
	} u;
};

/* ---- Probes and the program ------------------------------------------------------ */

enum bpfkit_probe_type {
	BPFKIT_PROBE_BEGIN,
	BPFKIT_PROBE_END,
	BPFKIT_PROBE_KPROBE,
	BPFKIT_PROBE_KRETPROBE,
	BPFKIT_PROBE_UPROBE,
	BPFKIT_PROBE_URETPROBE,
	BPFKIT_PROBE_USDT,
	BPFKIT_PROBE_TRACEPOINT,
	BPFKIT_PROBE_RAWTRACEPOINT,
	BPFKIT_PROBE_PROFILE,
	BPFKIT_PROBE_INTERVAL,
	BPFKIT_PROBE_SOFTWARE,
	BPFKIT_PROBE_HARDWARE,
	BPFKIT_PROBE_WATCHPOINT,
	BPFKIT_PROBE_ASYNCWATCHPOINT,
	BPFKIT_PROBE_FENTRY, /* also written kfunc, f */
	BPFKIT_PROBE_FEXIT, /* also written kretfunc, fr */
	BPFKIT_PROBE_ITER,
};

/** One attach point: "tracepoint:syscalls:sys_enter_*" is
 *  { TRACEPOINT, "tracepoint", parts = { "syscalls", "sys_enter_*" } }. */
struct bpfkit_ast_attach {
	enum bpfkit_probe_type type;
	const char *provider; /* canonical name: "tracepoint" for "t" */
	const char *raw; /* as written */
	const char **parts; /* after the provider, split at ':', quotes removed */
	size_t nparts;
	bool wildcard; /* some part has an unquoted '*' or '?' */
	struct bpfkit_loc loc;
};

struct bpfkit_ast_probe {
	struct bpfkit_ast_attach **attach;
	size_t nattach; /* >= 1 */
	struct bpfkit_ast_expr *pred; /* NULL without a predicate */
	struct bpfkit_ast_block *body;
	struct bpfkit_loc loc; /* the attach points */
};

struct bpfkit_ast_program {
	const char *file;
	struct bpfkit_ast_directive **directives;
	size_t ndirectives;
	struct bpfkit_ast_cdef **cdefs; /* top-level struct/union/enum definitions */
	size_t ncdefs;
	struct bpfkit_ast_probe **probes;
	size_t nprobes;
};

/* ---- The compilation ------------------------------------------------------------------ */

struct bpfkit_lang;

/**
 * @brief Start a compilation of one script.
 * @param file name used in diagnostics ("script.bt", "stdin"); copied; NULL = "<input>"
 * @param src the script text (need not be NUL-terminated); copied
 * @param len its length in bytes
 * @return a new compilation, or NULL with errno set (ENOMEM, EINVAL)
 */
BPFKIT_API struct bpfkit_lang *bpfkit_lang__new(const char *file, const char *src, size_t len);

/** @brief Free a compilation, its AST and its diagnostics. Accepts NULL. */
BPFKIT_API void bpfkit_lang__free(struct bpfkit_lang *l);

/**
 * @brief Parse the script. Call once per compilation.
 * @param prog on success, the program (owned by @p l); NULL on failure
 * @return 0; -EINVAL if the script has errors (see bpfkit_lang__diags());
 *         -ENOMEM; -EALREADY on a second call
 */
BPFKIT_API int bpfkit_lang__parse(struct bpfkit_lang *l, struct bpfkit_ast_program **prog);

/** @brief First diagnostic of the list (NULL if none); follow ->next. */
BPFKIT_API const struct bpfkit_lang_diag *bpfkit_lang__diags(const struct bpfkit_lang *l);

/** @brief How many diagnostics of severity BPFKIT_LANG_ERROR were reported. */
BPFKIT_API unsigned bpfkit_lang__nerrors(const struct bpfkit_lang *l);

/** @brief The script text (NUL-terminated copy) and its length. */
BPFKIT_API const char *bpfkit_lang__source(const struct bpfkit_lang *l, size_t *len);

/** @brief Zeroed memory owned by @p l (for later passes); NULL on failure. */
BPFKIT_API void *bpfkit_lang__alloc(struct bpfkit_lang *l, size_t size);

/**
 * @brief Add a diagnostic (for later passes: same list, same look).
 * @param hint a name to suggest ("did you mean 'hint'?"), or NULL
 * @return -EINVAL for an error, 0 for a warning or note, -ENOMEM
 */
BPFKIT_API int bpfkit_lang__report(struct bpfkit_lang *l, enum bpfkit_lang_severity sev,
				   struct bpfkit_loc loc, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/** Colour the severity and the caret with ANSI escapes. */
#define BPFKIT_LANG_FMT_COLOR 0x1u

/**
 * @brief Format one diagnostic the way compilers do:
 * @code
 * script.bt:1:47: error: unknown function 'cont'; did you mean 'count'?
 * tracepoint:raw_syscalls:sys_enter { @[comm] = cont(); }
 *                                               ^~~~
 * @endcode
 * The source line and the caret are printed when @p src is given and the
 * diagnostic has a location.
 * @param src, len the script (bpfkit_lang__source()), or NULL
 * @param flags BPFKIT_LANG_FMT_*
 * @return 0, or -EIO if writing to @p out failed
 */
BPFKIT_API int bpfkit_lang_diag_format(const struct bpfkit_lang_diag *d, const char *src, size_t len,
				       unsigned flags, FILE *out);

/**
 * @brief The candidate closest to @p name (small edit distance, case
 *        insensitive ties broken by order), or NULL if none is close enough.
 */
BPFKIT_API const char *bpfkit_lang_suggest(const char *name, const char *const *cands, size_t n);

/* ---- Dumping the tree ----------------------------------------------------------------- */

/** Append "@line:col+len" to every node. */
#define BPFKIT_AST_DUMP_LOC 0x1u

/**
 * @brief Write @p prog as indented S-expressions, one statement per line
 *        (the format of the golden tests and of `bpfkit trace --dump-ast`).
 * @return 0, or -EIO if writing failed
 */
BPFKIT_API int bpfkit_ast_dump(const struct bpfkit_ast_program *prog, unsigned flags, FILE *out);

/** @brief Write one expression as an S-expression on one line. */
BPFKIT_API int bpfkit_ast_dump_expr(const struct bpfkit_ast_expr *e, unsigned flags, FILE *out);

/** @brief Spelling of an operator: "+", "==", "!", "++" ("" for NONE). */
BPFKIT_API const char *bpfkit_ast_op_str(enum bpfkit_ast_op op);

/** @brief Canonical name of a probe type: "tracepoint", "BEGIN", ... */
BPFKIT_API const char *bpfkit_probe_type_name(enum bpfkit_probe_type t);

#ifdef __cplusplus
}
#endif

#endif /* BPFKIT_LANG_H */
