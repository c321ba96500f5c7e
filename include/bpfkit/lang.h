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

/** Deepest nesting of blocks and expressions the parser accepts (a chain
 *  of binary operators, 1 + 2 + ... + n, is no nesting). */
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
 * @param src the script text (need not be NUL-terminated); copied, less a
 *            UTF-8 byte order mark at its start (bpfkit_lang__source() has none)
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

/** A perf software or hardware event as the software: and hardware: probes
 *  name them (bpftrace's names, aliases and default periods). */
struct bpfkit_perf_event_desc {
	const char *name; /* "cpu-clock" */
	const char *alias; /* "cpu", or NULL */
	uint32_t perf_type; /* PERF_TYPE_SOFTWARE or PERF_TYPE_HARDWARE */
	uint64_t config; /* PERF_COUNT_SW_* / PERF_COUNT_HW_* */
	uint64_t default_period; /* events between two firings when the spec gives no count */
};

/**
 * @brief Look up a software event (@p type BPFKIT_PROBE_SOFTWARE) or a
 *        hardware event (BPFKIT_PROBE_HARDWARE) by name or alias.
 * @return the event, or NULL
 */
BPFKIT_API const struct bpfkit_perf_event_desc *bpfkit_perf_event_lookup(enum bpfkit_probe_type type,
									 const char *name);

/**
 * @brief All the events of @p type (BPFKIT_PROBE_SOFTWARE or
 *        BPFKIT_PROBE_HARDWARE), sorted by name, for listing.
 * @return the table and its length in @p n; NULL and 0 for another type
 */
BPFKIT_API const struct bpfkit_perf_event_desc *bpfkit_perf_events(enum bpfkit_probe_type type, size_t *n);

/**
 * @brief The probe type a provider name stands for: "tracepoint" or "t",
 *        "kretprobe" or "kr", "BEGIN", ... (bpftrace's names and aliases).
 * @return the type, or -1 for a name that is none (or NULL)
 */
BPFKIT_API int bpfkit_probe_type_lookup(const char *name);

/** @brief The @p i-th accepted spelling of a probe type, canonical names and
 *  aliases alike (for suggestions), or NULL past the last one. */
BPFKIT_API const char *bpfkit_probe_type_spelling(size_t i);

/* ---- Compiled output ---------------------------------------------------------------- */
/*
 * bpfkit_lang__compile() turns a parsed program into eBPF programs, map
 * descriptions and an event table. Nothing in the output depends on who runs
 * it: the kernel loader and the user-space VM read the same struct. The
 * layouts are described in docs/lang-compiler.md.
 *
 * Ownership: a struct bpfkit_compiled owns everything it points to (it does
 * not point into the struct bpfkit_lang, which may be freed first); free it
 * with bpfkit_compiled__free().
 */

/** A field of a tracepoint record, as the environment describes it. */
struct bpfkit_lang_field {
	const char *name; /* "filename" */
	const char *type; /* C type text: "const char *", "long", "char" (element type for arrays) */
	uint32_t offset; /* from the start of the record (common fields included) */
	uint32_t size; /* bytes in the record (4 for __data_loc) */
	uint32_t array_len; /* elements of an array field, else 0 */
	bool is_signed;
	bool is_ptr; /* a pointer: read as u64, str() follows it */
	bool is_data_loc; /* __data_loc: u32 (len << 16 | offset from record start) */
	bool is_string; /* char arrays and __data_loc char[] */
	bool common; /* common_*: not reachable through args */
};

/* ---- USDT probe sites, as the environment describes them ------------------------------ */

enum bpfkit_lang_usdt_kind {
	BPFKIT_LANG_USDT_CONST = 1, /* 8@$5 */
	BPFKIT_LANG_USDT_REG, /* -4@%edi */
	BPFKIT_LANG_USDT_MEM, /* 8@-8(%rbp), 4@8(%rsp,%rbx,4), -4@sym(%rip) */
};

/**
 * One argument of a USDT probe site: how to read it at the site from the
 * uprobe's struct pt_regs (x86-64). Registers are byte offsets into
 * struct pt_regs, -1 for none. The value is @p size bytes, sign- or
 * zero-extended to 64 bits.
 */
struct bpfkit_lang_usdt_arg {
	enum bpfkit_lang_usdt_kind kind;
	uint8_t size; /* 1, 2, 4 or 8 */
	bool is_signed;
	int64_t value; /* CONST: the constant; MEM: the displacement */
	int reg; /* REG: the register; MEM: the base register or -1 (ip: 128, with value
		    relative to the site's address, for a symbol) */
	uint8_t reg_size, reg_shift; /* REG: bytes of the register as named, bits below it (%ah: 1, 8) */
	int index_reg; /* MEM: -1 or the index register, times scale */
	uint8_t scale;
};

/** One USDT probe site (a marker duplicated by the compiler has several). */
struct bpfkit_lang_usdt_site {
	const char *provider, *name;
	uint64_t offset; /* file offset of the site (the uprobe's) */
	uint64_t semaphore; /* file offset of its semaphore (the uprobe's ref_ctr_offset), 0: none */
	const struct bpfkit_lang_usdt_arg *args;
	size_t nargs;
	const char *args_text; /* the note's specs, for messages */
	const char *error; /* why its arguments cannot be read, or NULL */
};

/** Collects one USDT probe site; 0 or -errno. */
typedef int (*bpfkit_lang_usdt_fn)(void *arg, const struct bpfkit_lang_usdt_site *site);

/** Collects one concrete target of a wildcard expansion; 0 or -errno. */
typedef int (*bpfkit_lang_add_fn)(void *arg, const char *target);

/** A function of a user-space ELF file, for uprobes (bpfkit_lang_env.ufuncs). */
struct bpfkit_lang_ufunc {
	const char *name; /* as in the file's symbol table ("readline", "_Z7cpp_sumii") */
	uint64_t addr; /* its virtual address in the file */
	uint64_t size; /* bytes; 0 when the symbol table gives none */
	uint64_t offset; /* the file offset of addr: what the kernel's uprobe takes */
};

/** Collects one function of a uprobe target; 0 or -errno. */
typedef int (*bpfkit_lang_ufunc_fn)(void *arg, const struct bpfkit_lang_ufunc *f);

/* ---- C types, as a type provider (the kernel's BTF, a test table) describes them ---- */

/** Kinds of C types. Typedefs and qualifiers never appear: providers resolve them. */
enum bpfkit_lang_ckind {
	BPFKIT_LANG_C_VOID = 1,
	BPFKIT_LANG_C_INT, /* size 1, 2, 4, 8 (16 for __int128), signed or not; char and _Bool too */
	BPFKIT_LANG_C_PTR, /* ref = the pointee */
	BPFKIT_LANG_C_ARRAY, /* ref = the element, nelems of them */
	BPFKIT_LANG_C_STRUCT,
	BPFKIT_LANG_C_UNION,
	BPFKIT_LANG_C_ENUM, /* values; size and sign of the underlying integer */
	BPFKIT_LANG_C_FUNC, /* a function (only behind a pointer) */
	BPFKIT_LANG_C_OTHER, /* float and the like: a size, no value the language can use */
	BPFKIT_LANG_C_TYPEDEF, /* only as the kind asked of ctype_find(): a typedef or base type name */
};

/** A member of a struct or union. */
struct bpfkit_lang_cmember {
	const char *name; /* NULL or "" for an anonymous struct/union member */
	uint32_t type; /* a type id of the same provider */
	uint32_t bit_offset; /* from the start of the enclosing struct */
	uint32_t bit_size; /* width of a bit-field, 0 when it is none */
};

/** An enumerator. */
struct bpfkit_lang_cenum {
	const char *name;
	int64_t value;
};

/**
 * One C type. Other types are named by ids of the same provider (0 is void),
 * so a provider hands out only what the compiler asks for.
 */
struct bpfkit_lang_ctype {
	enum bpfkit_lang_ckind kind;
	const char *name; /* tag ("task_struct") or base name ("unsigned int"); NULL/"" if anonymous */
	uint32_t size; /* bytes (0 for void, functions and incomplete types) */
	bool is_signed; /* INT, ENUM */
	bool complete; /* STRUCT, UNION, ENUM: false for a declaration without a body */
	bool user; /* PTR: the pointee is user memory (a __user annotation) */
	uint32_t ref; /* PTR: pointee; ARRAY: element */
	uint32_t nelems; /* ARRAY */
	const struct bpfkit_lang_cmember *members; /* STRUCT, UNION */
	size_t nmembers;
	const struct bpfkit_lang_cenum *values; /* ENUM */
	size_t nvalues;
};

/** BPFKIT_LANG_FEAT_*: what the target of the programs accepts. */
#define BPFKIT_LANG_FEAT_SDIV 0x1u /* cpu v4 signed division and modulo (Linux 6.6+) */
/* raw tracepoint programs (Linux 4.17+): tracepoint:raw_syscalls:sys_enter
 * and sys_exit probes attach as the raw tracepoints when the record fields
 * they read are where a raw tracepoint has them (see docs/lang-compiler.md) */
#define BPFKIT_LANG_FEAT_RAW_TP 0x2u

/**
 * What the compiler needs to know about the system, supplied by the caller
 * (the CLI reads tracefs; tests supply fixed data). Any callback may be NULL:
 * the features needing it then fail with a diagnostic.
 */
struct bpfkit_lang_env {
	void *user; /* passed to every callback */
	/**
	 * Call @p add once per concrete target of @p type matching @p pattern
	 * ("syscalls:sys_enter_*" for tracepoints, "sched_*" for raw ones).
	 * @return 0 (no match is not an error: the compiler reports it), -errno
	 */
	int (*expand)(void *user, enum bpfkit_probe_type type, const char *pattern,
		      bpfkit_lang_add_fn add, void *arg);
	/**
	 * The fields of tracepoint @p system:@p event (common ones included), in
	 * record order. The array must stay valid until compile returns.
	 * @return 0, -ENOENT for an unknown tracepoint, -errno
	 */
	int (*tp_fields)(void *user, const char *system, const char *event,
			 const struct bpfkit_lang_field **fields, size_t *nfields);
	/**
	 * Why the last expand or tp_fields call failed with an error other than
	 * "no such tracepoint" ("tracefs is not mounted, and mounting it needs
	 * root (...)"), or NULL: the diagnostic then gives strerror() alone.
	 */
	const char *(*why)(void *user);
	/*
	 * C types (struct/union/enum in casts, member access, sizeof, enum
	 * constants), looked up lazily: only the names a script uses. Everything
	 * they return stays valid until compile returns. NULL callbacks: no
	 * types beyond those the script defines.
	 *
	 * ctype_find: the id of type @p name of @p kind (STRUCT, UNION, ENUM by
	 *   tag; TYPEDEF for a typedef or base type name such as "pid_t" or
	 *   "unsigned int"). 0, -ENOENT when there is none, or another -errno
	 *   when no type information is available at all (-ENODATA: no BTF).
	 * ctype_get: describe type @p id (typedefs and qualifiers resolved).
	 * ctype_enum: the value of enumerator @p name of any enum; -ENOENT.
	 * ctype_names: call @p add with every name of @p kind (for suggestions).
	 */
	int (*ctype_find)(void *user, enum bpfkit_lang_ckind kind, const char *name, uint32_t *id);
	int (*ctype_get)(void *user, uint32_t id, struct bpfkit_lang_ctype *out);
	int (*ctype_enum)(void *user, const char *name, int64_t *value);
	int (*ctype_names)(void *user, enum bpfkit_lang_ckind kind, bpfkit_lang_add_fn add, void *arg);
	/** Why ctype_find failed with an error other than -ENOENT ("no BTF at
	 *  /sys/kernel/btf/vmlinux"), or NULL. */
	const char *(*ctype_why)(void *user);
	/**
	 * The address of kernel symbol @p name (kaddr("avenrun")).
	 * @return 0, -ENOENT when the kernel does not list it, -EACCES when its
	 *         addresses are hidden from this user (kptr_restrict), -errno
	 */
	int (*ksym_addr)(void *user, const char *name, uint64_t *addr);
	/**
	 * The id of the cgroup at @p path (cgroupid("/sys/fs/cgroup/x")), as the
	 * kernel's bpf_get_current_cgroup_id() gives it.
	 * @return 0 or -errno (the path's)
	 */
	int (*cgroup_id)(void *user, const char *path, uint64_t *id);
	/**
	 * The functions of a uprobe target (uprobe:FILE:FUNC). Resolve @p file
	 * as written ("/bin/bash", "./a.out", "bash", "libc"; with `-p PID`, in
	 * that process's files) into the path to attach to (*@p path, valid
	 * until compile returns), then call @p add once per function whose name
	 * matches glob @p pattern ('*' and '?'; a name without them matches
	 * itself only), in name order.
	 * @return 0 (no match is not an error: the compiler says so), -ENOENT
	 *         for no such file, -ENOEXEC for a file that is no ELF file of
	 *         this machine (why() says more), -errno
	 */
	int (*ufuncs)(void *user, const char *file, const char *pattern, const char **path, bpfkit_lang_ufunc_fn add,
		      void *arg);
	/**
	 * The function of uprobe target @p file (as for ufuncs) that holds
	 * virtual address @p addr (uprobe:FILE:0xADDR), in *@p out.
	 * @return 0; -EADDRNOTAVAIL when no function holds it; the file's
	 *         errors as ufuncs
	 */
	int (*uaddr)(void *user, const char *file, uint64_t addr, const char **path, struct bpfkit_lang_ufunc *out);
	/**
	 * For uaddr("name") in a probe of uprobe target @p file (as for
	 * ufuncs): the virtual address of symbol @p name, a function or a
	 * variable, in *@p addr; the virtual address of file offset @p off (the
	 * probe's) in *@p off_vaddr; and whether the file is position
	 * independent (ET_DYN: a PIE or a library, loaded at a bias).
	 * @return 0; -ENOENT when the file has no such symbol; the file's
	 *         errors as ufuncs
	 */
	int (*usym_addr)(void *user, const char *file, const char *name, uint64_t off, uint64_t *addr,
			 uint64_t *off_vaddr, bool *pie);
	/**
	 * The USDT probe sites of @p file (usdt:FILE:PROVIDER:NAME). Resolve
	 * @p file as uprobe targets are resolved (a path, a program in $PATH, a
	 * library name; with `-p PID`, in that process's files) into the path
	 * to attach to (*@p path, valid until compile returns), then call
	 * @p add once per site whose provider matches glob @p provider (NULL:
	 * any) and name glob @p name, sorted by provider, name, then address.
	 * The sites stay valid until compile returns.
	 * @return 0 (no match is not an error: the compiler says so), -ENOENT
	 *         for no such file, -ENOEXEC for a file that is no ELF file of
	 *         this machine, -EINVAL for malformed notes (why() says more)
	 */
	int (*usdt)(void *user, const char *file, const char *provider, const char *name, const char **path,
		    bpfkit_lang_usdt_fn add, void *arg);
	/**
	 * The parameters of function @p func of uprobe target @p path (a path
	 * ufuncs gave), from the file's DWARF (args.x): one field each, in
	 * order, whose offset is the parameter's position (0, 1, ...) and size
	 * the parameter's (0 for an aggregate or a float, which cannot be
	 * read). Valid until compile returns.
	 * @return 0; -ENODATA when the file has no debug info, -ENOENT when it
	 *         does not describe @p func (why() says more); -errno
	 */
	int (*uargs)(void *user, const char *path, const char *func, const struct bpfkit_lang_field **fields,
		     size_t *n);
	unsigned features; /* BPFKIT_LANG_FEAT_* */
	unsigned ncpus; /* possible CPUs, 0 = unknown (informative only) */
	/**
	 * Positional parameters: $1 is params[0]. One that parses as an integer
	 * (strtoll base 0) is that constant; str($N) is its text; a missing one
	 * is 0 and str() of it ""; $# is nparams. Another text used as an
	 * integer is an error, as in bpftrace. NULL/0: no parameters.
	 */
	const char *const *params;
	size_t nparams;
	/**
	 * Send events with perf_event_output() into a perf event array named
	 * "events" instead of a BPF ring buffer: for kernels before 5.8, which
	 * have no ring buffers. Records and lost-record counting are the same.
	 */
	bool perf_events;
	/**
	 * Allow bpftrace's unsafe functions (system()), as `bpftrace --unsafe`
	 * does; without it they are errors ("system() is an unsafe function
	 * being used in safe mode").
	 */
	bool unsafe;
	/**
	 * Report failing helpers at run time, as bpftrace's -k (1) and -kk (2):
	 * after a call of map_update_elem, map_delete_elem or send_signal (1),
	 * and also of map_lookup_elem and the probe_read helpers (2), a result
	 * that says it failed (negative; NULL for a lookup) sends a
	 * BPFKIT_LANG_EV_HELPER_ERROR record. 0: no checks.
	 */
	int helper_checks;
	/**
	 * The pid of the child the runner started for `-c CMD` (forked before
	 * compiling and held until the probes are attached): the builtin
	 * `cpid`, a constant. 0: there is none, and `cpid` is an error.
	 */
	uint32_t cpid;
	/**
	 * Distinct stacks each stack map holds (kstack): bpftrace 0.17 sizes its
	 * stack maps by BPFTRACE_MAP_KEYS_MAX. 0: BPFKIT_LANG_STACK_ENTRIES.
	 */
	uint32_t stack_entries;
	/**
	 * How kstack and ustack print when the script names no mode
	 * (BPFTRACE_STACK_MODE): out.h's enum bpfkit_out_stack_mode, 0 is
	 * bpftrace's.
	 */
	uint8_t stack_mode;
	/**
	 * Sizes bpftrace takes from its environment (BPFTRACE_STRLEN,
	 * BPFTRACE_MAP_KEYS_MAX, BPFTRACE_PERF_RB_PAGES); 0 is the default:
	 * str() and buf() bytes (BPFKIT_LANG_STRLEN, at most 200), max_entries
	 * of user maps (BPFKIT_LANG_MAP_KEYS), bytes of the event ring buffer
	 * (BPFKIT_LANG_RINGBUF_SIZE; a power of two, as the kernel wants).
	 */
	uint32_t str_size, map_keys, ringbuf_size;
	/**
	 * Every ustack is unwound in user space from .eh_frame/DWARF
	 * (`--ustack-unwind dwarf`, BPFKIT_USTACK_UNWIND=dwarf) instead of by
	 * the kernel's frame-pointer walk: the program copies the user
	 * registers and the top of the user stack into a
	 * BPFKIT_LANG_EV_USTACK record (see BPFKIT_LANG_USTACK_MAP).
	 */
	bool ustack_dwarf;
};

/** Kinds of values in maps and event records. */
enum bpfkit_lang_vkind {
	BPFKIT_LANG_V_INT = 1, /* size 1, 2, 4 or 8 (always 8 in maps and records), signed or not */
	BPFKIT_LANG_V_STR, /* char[size], zero padded, NUL terminated unless full */
	BPFKIT_LANG_V_TUPLE, /* elems at their offsets; padding bytes are zero */
	/* strftime(): 16 bytes, { u64 id of the BPFKIT_LANG_EV_STRFTIME event
	 * holding the format; u64 nanoseconds since boot }, resolved in user space */
	BPFKIT_LANG_V_TIMESTAMP,
	/* `probe`: 8 bytes, a u64 index into bpfkit_compiled.probe_names (bpftrace
	 * 0.17's probe id), turned into the name in user space */
	BPFKIT_LANG_V_PROBE,
	/* ksym(addr): 8 bytes, a kernel address, named in user space */
	BPFKIT_LANG_V_KSYM,
	/* kstack: 8 bytes, an s64 id from bpf_get_stackid() into the stack map
	 * bpfkit_lang_stack_map() names (negative: the error, no stack); the
	 * frames are read from there and printed in stack_mode in user space.
	 * ustack (stack_user): the low 32 bits are the id (an s32), the high 32
	 * the process (tgid) whose address space the frames belong to, so the
	 * same frames in two processes are two keys, as in bpftrace */
	BPFKIT_LANG_V_STACK,
	/* Values user space turns into text, as bpftrace 0.17 does. ntop(): 24
	 * bytes, { u64 address family (AF_INET 2, AF_INET6 10); u8 addr[16] } */
	BPFKIT_LANG_V_INET,
	/* macaddr(): 8 bytes, the six of the address then two zero bytes */
	BPFKIT_LANG_V_MAC,
	/* strerror(): a u64 errno, printed as strerror(3) prints it */
	BPFKIT_LANG_V_ERRNO,
	/* username: a u64 uid, printed as the user's name (the number when
	 * /etc/passwd has none) */
	BPFKIT_LANG_V_USER,
	/* buf(): size 8 + n, { u64 length (at most n); u8 data[n] }, printed
	 * with \xNN escapes (printf's %r) */
	BPFKIT_LANG_V_BUF,
	/* usym(addr): 16 bytes, { u64 user address; u64 tgid of the process },
	 * named in user space from that process's mappings */
	BPFKIT_LANG_V_USYM,
	/* pton(): an array of size bytes (4 or 16, the address in network
	 * order), printed as bpftrace prints it: [127,0,0,1] */
	BPFKIT_LANG_V_ARRAY,
};

struct bpfkit_lang_vtype;

/** One element of a tuple (or of an event record). */
struct bpfkit_lang_velem {
	uint32_t offset; /* from the start of the enclosing value (or record) */
	const struct bpfkit_lang_vtype *type;
};

/** The layout of a value: enough to decode its bytes. */
struct bpfkit_lang_vtype {
	enum bpfkit_lang_vkind kind;
	uint32_t size; /* bytes; tuples are padded to a multiple of 8 */
	bool is_signed; /* INT */
	const struct bpfkit_lang_velem *elems; /* TUPLE */
	size_t nelems;
	uint32_t stack_depth; /* STACK: frames kept (kstack(N)), its stack map's depth */
	uint8_t stack_mode; /* STACK: out.h's enum bpfkit_out_stack_mode */
	bool stack_user; /* STACK: a user stack (ustack) */
	/* STACK (user): unwound in user space (env ustack_dwarf). The low 32
	 * bits are then no stack-map id but a sample tag (what the
	 * BPFKIT_LANG_EV_USTACK record with the copied stack carries), or, in
	 * keys user space aggregated, 0x80000000 | the index of the unwound
	 * stack in user space's table; 0x7fffffff: no stack was copied */
	bool stack_dwarf;
};

/** Kernel map kinds the compiler asks for (numbers are not BPF_MAP_TYPE_*). */
enum bpfkit_lang_map_kind {
	BPFKIT_LANG_MAP_HASH = 1,
	BPFKIT_LANG_MAP_PERCPU_HASH,
	BPFKIT_LANG_MAP_ARRAY,
	BPFKIT_LANG_MAP_PERCPU_ARRAY,
	BPFKIT_LANG_MAP_RINGBUF, /* key_size = value_size = 0, max_entries = bytes */
	BPFKIT_LANG_MAP_PERF_EVENT_ARRAY, /* key_size = value_size = 4, max_entries 0 = possible CPUs */
	BPFKIT_LANG_MAP_STACK_TRACE, /* key_size 4, value_size 8 * depth: bpf_get_stackid()'s */
};

/** What a map holds (same meaning as out.h's enum bpfkit_out_agg). */
enum bpfkit_lang_agg {
	BPFKIT_LANG_AGG_NONE = 0, /* not a user map (the event ring buffer) */
	BPFKIT_LANG_AGG_PLAIN, /* @m[k] = expr: value of type value */
	BPFKIT_LANG_AGG_COUNT, /* per-CPU u64: sum the CPUs */
	BPFKIT_LANG_AGG_SUM, /* per-CPU s64: sum the CPUs */
	BPFKIT_LANG_AGG_MIN, /* per-CPU {s64 value; u64 set}: min over CPUs with set != 0 */
	BPFKIT_LANG_AGG_MAX, /* per-CPU {s64 value; u64 set}: max over CPUs with set != 0 */
	BPFKIT_LANG_AGG_AVG, /* per-CPU {s64 count; s64 total}: sum both */
	BPFKIT_LANG_AGG_STATS, /* per-CPU {s64 count; s64 total}: sum both */
	BPFKIT_LANG_AGG_HIST, /* key = user key + u64 bucket; per-CPU u64 count */
	BPFKIT_LANG_AGG_LHIST, /* as HIST, buckets from lmin/lmax/lstep */
};

/** One map. Code refers to it by name: LDDW r, map (BPFKIT_RELOC_MAP, src = MAP_FD). */
struct bpfkit_lang_map {
	const char *name; /* "@x", "@" for the anonymous map, "events" for the ring buffer */
	enum bpfkit_lang_map_kind kind;
	enum bpfkit_lang_agg agg;
	uint32_t key_size, value_size, max_entries;
	/* The user's key: NULL when the map has no key (then the key is a u64 0);
	 * one part is that part's type; several parts are a TUPLE. HIST and LHIST
	 * maps append a u64 bucket index at offset key_size - 8. */
	const struct bpfkit_lang_vtype *key;
	size_t nkeys;
	const struct bpfkit_lang_vtype *value; /* one CPU's value as stored */
	int64_t lmin, lmax, lstep; /* LHIST */
};

/** What an event record asks user space to do. */
enum bpfkit_lang_event_kind {
	BPFKIT_LANG_EV_PRINTF = 1, /* fmt with the args of the record */
	BPFKIT_LANG_EV_EXIT, /* stop tracing (END then runs) */
	BPFKIT_LANG_EV_PRINT, /* print(@map, top, div) */
	BPFKIT_LANG_EV_CLEAR, /* clear(@map): delete every key */
	BPFKIT_LANG_EV_ZERO, /* zero(@map): set every value to 0 */
	BPFKIT_LANG_EV_TIME, /* time(fmt): strftime of the local time; fmt NULL = "%H:%M:%S\n" */
	BPFKIT_LANG_EV_PRINT_VALUE, /* print(expr): args[0] */
	BPFKIT_LANG_EV_SYSTEM, /* system(fmt, args): run the formatted command (sh -c) */
	BPFKIT_LANG_EV_CAT, /* cat(fmt, args): print the named file */
	/* join(arr, sep): args are BPFKIT_LANG_JOIN_ARGS strings of
	 * BPFKIT_LANG_JOIN_ARGSIZE bytes; print those before the first empty one
	 * separated by fmt (" " when NULL), then a newline */
	BPFKIT_LANG_EV_JOIN,
	/* Never sent: the format (fmt) of strftime() values, whose first word is
	 * this event's id (see BPFKIT_LANG_V_TIMESTAMP) */
	BPFKIT_LANG_EV_STRFTIME,
	/* A process whose user addresses the run will name (ustack, usym),
	 * sent the first time a program sees it, and again after an exec()
	 * that renamed it (BPFKIT_LANG_UPID_MAP): the
	 * record is { u64 id; u64 tgid }, and user space reads the process's
	 * mappings at once, while it is alive, so that it can still name its
	 * frames after it exits */
	BPFKIT_LANG_EV_UPID,
	/* A ustack to unwind in user space (env ustack_dwarf): the record is
	 * laid out as BPFKIT_LANG_USTACK_* say (tag, tid, the user pt_regs, the
	 * bytes copied from the user stack pointer up) */
	BPFKIT_LANG_EV_USTACK,
	/* An aggregation whose key holds a ustack unwound in user space
	 * (env ustack_dwarf): user space applies it to map `map` (a per-CPU
	 * hash: its CPU 0 value) once it has put the unwound stack's index in
	 * the key. The record is { u64 id; s64 value (the aggregation's
	 * argument, 0 for count); u8 key[the map's key_size] } */
	BPFKIT_LANG_EV_AGG,
	/* -k/-kk (env helper_checks): the helper named by fmt failed at line,
	 * col, len; the record is { u64 id; s64 the helper's return value } */
	BPFKIT_LANG_EV_HELPER_ERROR,
};

/**
 * One kind of record in the ring buffer. Every record starts with a u64
 * holding the event id (the index in bpfkit_compiled.events); its arguments
 * follow at the offsets given (from the start of the record).
 */
struct bpfkit_lang_event {
	enum bpfkit_lang_event_kind kind;
	const char *fmt; /* PRINTF, TIME, SYSTEM, CAT, STRFTIME; JOIN: the separator */
	const char *map; /* PRINT, CLEAR, ZERO: "@x" */
	uint32_t top, div; /* PRINT */
	const struct bpfkit_lang_velem *args; /* PRINTF, PRINT_VALUE */
	size_t nargs;
	uint32_t size; /* bytes of the whole record, id included */
	int line; /* where in the script */
	int col, len; /* HELPER_ERROR: the columns of the expression that called it */
};

/** One program to load: one per probe and concrete target. */
struct bpfkit_lang_prog {
	const char *name; /* "tracepoint:syscalls:sys_enter_openat", "BEGIN", "interval:s:1" */
	enum bpfkit_probe_type type;
	const char *target; /* "syscalls:sys_enter_openat", "sched_switch", "" for BEGIN/END;
			       uprobes: the file's path; kprobes: the function */
	uint64_t period_ns; /* INTERVAL: nanoseconds between two runs */
	/* PROFILE, SOFTWARE, HARDWARE: the perf event opened on every online
	 * CPU, firing every sample_period events, or sample_freq times a
	 * second (profile:hz:N; sample_period is then 0) */
	uint32_t perf_type; /* PERF_TYPE_SOFTWARE, PERF_TYPE_HARDWARE */
	uint64_t perf_config; /* PERF_COUNT_SW_CPU_CLOCK, ... */
	uint64_t sample_period, sample_freq;
	/* KPROBE, KRETPROBE: the offset into function target (kprobe:f+8);
	 * UPROBE, URETPROBE: the file offset of the probed instruction in
	 * target, a path (the kernel's uprobe PMU takes both) */
	uint64_t offset;
	size_t probe; /* index of the probe in the script */
	struct bpfkit_prog *prog; /* instructions, line table, map relocations */

	/* USDT: the file offset of the site's semaphore, 0 when it has none
	 * (target and offset are the file and the site's offset, as for
	 * uprobes); the kernel counts it up while the probe is attached */
	uint64_t ref_ctr_offset;
};

struct bpfkit_compiled {
	struct bpfkit_lang_prog *progs;
	size_t nprogs;
	struct bpfkit_lang_map *maps; /* user maps sorted by name, then "events" and
					 BPFKIT_LANG_LOST_MAP if any program emits events,
					 then BPFKIT_LANG_START_MAP if `elapsed` is used,
					 then BPFKIT_LANG_JOIN_MAP if join() is,
					 then a stack map per kstack and ustack
					 depth used and BPFKIT_LANG_STACK_LOST_MAP,
					 then BPFKIT_LANG_UPID_MAP if ustack or
					 usym() is used */
	size_t nmaps;
	struct bpfkit_lang_event *events;
	size_t nevents;
	const char *events_map; /* "events" when some program sends records, else NULL */
	/* What BPFKIT_LANG_V_PROBE values stand for: value i is the probe named
	 * probe_names[i] ("tracepoint:syscalls:sys_enter_openat", "BEGIN"), each
	 * name once, in the order the programs first use `probe` */
	const char *const *probe_names;
	size_t nprobe_names;
};

/** Default and largest sizes. */
#define BPFKIT_LANG_STRLEN 64 /* str() buffer, bpftrace's BPFTRACE_STRLEN */
#define BPFKIT_LANG_MAP_KEYS 4096 /* max_entries of user maps */
#define BPFKIT_LANG_RINGBUF_SIZE (256 * 1024)
/**
 * Per-CPU array (key u32 0, value u64) a program increments each time
 * ringbuf_output() fails, i.e. a record was lost. kern.h's
 * BPFKIT_KERN_LOST_MAP is this name; the loader sums the map for
 * bpfkit_kern_session__lost().
 */
#define BPFKIT_LANG_LOST_MAP ".lost"
/**
 * Array (key u32 0, value u64) present when the script uses `elapsed`: the
 * runner writes the start time there (CLOCK_MONOTONIC ns, bpf_ktime_get_ns's
 * clock) before BEGIN runs, as bpftrace does; elapsed = now - start (0 while
 * the slot is still 0).
 */
#define BPFKIT_LANG_START_MAP ".start"
/**
 * join(): how many elements of the array it reads, and how many bytes of
 * each (bpftrace 0.17's join_argnum and join_argsize). The record, 8 +
 * 16 * 1024 bytes, is built in slot 0 (u32 key) of a per-CPU array of that
 * value size, BPFKIT_LANG_JOIN_MAP, present when the script uses join(); the
 * ring buffer is then BPFKIT_LANG_RINGBUF_JOIN_SIZE bytes.
 */
#define BPFKIT_LANG_JOIN_ARGS 16
#define BPFKIT_LANG_JOIN_ARGSIZE 1024
#define BPFKIT_LANG_JOIN_MAP ".join"
#define BPFKIT_LANG_RINGBUF_JOIN_SIZE (1024 * 1024)

/**
 * Stacks: kstack is kstack(bpftrace, BPFKIT_LANG_STACK_DEPTH) (bpftrace's
 * default of 127 frames, the kernel's perf_event_max_stack); kstack(N)
 * takes 1 to BPFKIT_LANG_STACK_MAX_DEPTH; ustack the same for user stacks
 * (BPF_F_USER_STACK). Each depth used of each kind has its own
 * stack map (BPFKIT_LANG_MAP_STACK_TRACE, named by bpfkit_lang_stack_map())
 * of BPFKIT_LANG_STACK_ENTRIES distinct stacks (bpftrace's 4096); when it
 * is full, bpf_get_stackid() fails and the program counts the failure in
 * slot 0 of the per-CPU array BPFKIT_LANG_STACK_LOST_MAP (key u32, value
 * u64), which the runner reports.
 */
#define BPFKIT_LANG_STACK_DEPTH 127
#define BPFKIT_LANG_STACK_MAX_DEPTH 1024
#define BPFKIT_LANG_STACK_ENTRIES 4096
#define BPFKIT_LANG_STACK_LOST_MAP ".stacklost"
/**
 * Hash (key u32 tgid, value the first 8 bytes of its comm) of the processes
 * a program has taken a ustack or usym() of: the first time one is seen,
 * and when its name changed since (an exec()), the program sends a
 * BPFKIT_LANG_EV_UPID record. BPFKIT_LANG_UPID_ENTRIES processes; past
 * that, user space reads a process's mappings when it first prints it.
 */
#define BPFKIT_LANG_UPID_MAP ".upids"
#define BPFKIT_LANG_UPID_ENTRIES 16384
/**
 * ustack unwound in user space (env ustack_dwarf): the BPFKIT_LANG_EV_USTACK
 * record is built in slot 0 (u32 key) of this per-CPU array, whose value is
 * the record, 4 KiB of slack (the verifier cannot see that the three page
 * reads add up to 8 KiB), then at BPFKIT_LANG_USTACK_SEQ_OFF a u64 counter
 * of the CPU's samples (the tag's low 20 bits; the CPU number is the high
 * bits). Record layout: u64 id; u64 tgid << 32 | tag; u64 pid_tgid (the
 * thread, low 32 bits); u64 regs[21] (the task's user struct pt_regs as
 * x86-64 lays it out); u64 size (bytes copied, 0 when nothing could be
 * read); u8 stack[size] from the user sp up (at most
 * BPFKIT_LANG_USTACK_BYTES), read a page at a time up to the first page
 * that faults (the stack's top); the record sent ends there. The ring buffer is then at least BPFKIT_LANG_RINGBUF_USTACK_SIZE bytes.
 */
#define BPFKIT_LANG_USTACK_MAP ".ustackbuf"
#define BPFKIT_LANG_USTACK_BYTES 8192
#define BPFKIT_LANG_USTACK_REGS_OFF 24
#define BPFKIT_LANG_USTACK_NREGS 21
#define BPFKIT_LANG_USTACK_SIZE_OFF (BPFKIT_LANG_USTACK_REGS_OFF + 8 * BPFKIT_LANG_USTACK_NREGS)
#define BPFKIT_LANG_USTACK_DATA_OFF (BPFKIT_LANG_USTACK_SIZE_OFF + 8)
#define BPFKIT_LANG_USTACK_REC_SIZE (BPFKIT_LANG_USTACK_DATA_OFF + BPFKIT_LANG_USTACK_BYTES)
#define BPFKIT_LANG_USTACK_SEQ_OFF (BPFKIT_LANG_USTACK_REC_SIZE + 4096)
#define BPFKIT_LANG_USTACK_NONE 0x7fffffffu
#define BPFKIT_LANG_USTACK_INTERNED 0x80000000u
#define BPFKIT_LANG_RINGBUF_USTACK_SIZE (4 * 1024 * 1024)

/**
 * @brief The name of the stack map that holds stacks of type @p t (a STACK
 *        vtype): ".kstack127" for kernel stacks of depth 127, ".ustack127"
 *        for user stacks.
 * @return @p buf
 */
BPFKIT_API const char *bpfkit_lang_stack_map(char *buf, size_t size, const struct bpfkit_lang_vtype *t);

/**
 * @brief Check and compile a parsed program.
 *
 * Semantic errors become diagnostics of @p l (bpfkit_lang__diags()), with
 * locations and hints, as parse errors do.
 * @param env the system, as the caller sees it; NULL = no tracepoints
 * @param out on success the compiled program (free with bpfkit_compiled__free())
 * @return 0; -EINVAL when the script has errors; -ENOMEM
 */
BPFKIT_API int bpfkit_lang__compile(struct bpfkit_lang *l, const struct bpfkit_ast_program *prog,
				    const struct bpfkit_lang_env *env, struct bpfkit_compiled **out);

/** @brief Free a compiled program. Accepts NULL. */
BPFKIT_API void bpfkit_compiled__free(struct bpfkit_compiled *c);

/** @brief "hash", "percpu_hash", "array", "percpu_array", "ringbuf". */
BPFKIT_API const char *bpfkit_lang_map_kind_name(enum bpfkit_lang_map_kind k);

/** @brief "printf", "exit", "print", "clear", "zero", "time", "print_value",
 *  "system", "cat", "join", "strftime"; "?" for another number. */
BPFKIT_API const char *bpfkit_lang_event_kind_name(enum bpfkit_lang_event_kind k);

#ifdef __cplusplus
}
#endif

#endif /* BPFKIT_LANG_H */
