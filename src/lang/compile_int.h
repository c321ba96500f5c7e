/* SPDX-License-Identifier: MIT */
/*
 * Internals of the compiler (sema*.c, codegen*.c, builtins/, providers/):
 * the compilation state, the semantic annotations hung on AST nodes, the
 * instruction emitter, and the hook tables of providers and builtins.
 *
 * Memory: everything comes from two arenas with the same OOM jmp_buf: the
 * front end's (scratch: annotations, code buffers) and the output's (what
 * struct bpfkit_compiled points to). Only the final bpfkit_prog copies are
 * malloc'd, after the last arena allocation, so unwinding is safe.
 */
#ifndef BPFKIT_LANG_COMPILE_INT_H
#define BPFKIT_LANG_COMPILE_INT_H

#include <bpfkit/isa.h>
#include <bpfkit/lang.h>

#include "lang/lang_int.h"

struct cctx;
struct cg;

/* ---- Types (sema.c) -------------------------------------------------------------- */

extern const struct bpfkit_lang_vtype ty_u64, ty_s64;
const struct bpfkit_lang_vtype *ty_str(struct cctx *c, uint32_t size);
/* A tuple of @p n types laid out with natural alignment, padded to 8. */
const struct bpfkit_lang_vtype *ty_tuple(struct cctx *c, const struct bpfkit_lang_vtype **elems, size_t n);
/* Same layout kind, size and element types (ints compare by kind only). */
bool ty_same(const struct bpfkit_lang_vtype *a, const struct bpfkit_lang_vtype *b);
/* The type ints take when stored (u64/s64); strings and tuples unchanged. */
const struct bpfkit_lang_vtype *ty_stored(struct cctx *c, const struct bpfkit_lang_vtype *t);
/* Unify for map keys/values: ints any width, strings the longer; NULL if incompatible. */
const struct bpfkit_lang_vtype *ty_unify(struct cctx *c, const struct bpfkit_lang_vtype *a,
					 const struct bpfkit_lang_vtype *b);
/* "int64", "string[16]", "(int64, string[16])" */
const char *ty_name(struct cctx *c, const struct bpfkit_lang_vtype *t);

/* ---- Targets and providers (providers/) ----------------------------------------- */

struct target {
	const struct provider *prov;
	const struct bpfkit_ast_probe *probe;
	size_t probe_index;
	const struct bpfkit_ast_attach *attach;
	const char *name; /* "tracepoint:syscalls:sys_enter_openat" */
	const char *target; /* "syscalls:sys_enter_openat" */
	const char *system, *event; /* tracepoints */
	uint64_t period_ns;
	const struct bpfkit_lang_field *fields; /* copied into the scratch arena */
	size_t nfields;
	bool fields_loaded;
	bool user_strings; /* str() of a pointer field reads user memory */
};

struct provider {
	enum bpfkit_probe_type type;
	/* Check the attach point and append its concrete targets (struct target *)
	 * to @p out; report and return -EINVAL when it is wrong. */
	int (*expand)(struct cctx *c, const struct bpfkit_ast_attach *a, struct ptrvec *out);
	/* Fields `args->x` may name, loaded on demand; NULL: no args here. */
	int (*args)(struct cctx *c, struct target *t, struct bpfkit_loc loc);
	/* How many argN builtins the context has (raw tracepoints), else 0. */
	int nargs;
};

const struct provider *provider_find(enum bpfkit_probe_type type);
extern const struct provider provider_tracepoint, provider_rawtracepoint, provider_begin,
	provider_end, provider_interval;
/* Helper for providers: a new target with name "provider:target". */
struct target *target_new(struct cctx *c, const struct provider *p, const struct bpfkit_ast_attach *a,
			  const char *target);
/* Expand a wildcard through env->expand, pushing targets. */
int target_expand_env(struct cctx *c, const struct provider *p, const struct bpfkit_ast_attach *a,
		      const char *pattern, struct ptrvec *out);

/* ---- Maps, variables, annotations (sema.c) --------------------------------------------- */

struct mapinfo {
	struct bpfkit_lang_map d; /* output description (strings in the output arena) */
	struct bpfkit_loc loc; /* first use */
	bool typed; /* key/value types known */
	bool key_typed;
	size_t id;
};

struct var {
	const char *name;
	const struct bpfkit_lang_vtype *t;
	int off; /* frame offset (negative, from r10) */
	struct bpfkit_loc loc;
};

/* expr->sema */
struct sx {
	const struct bpfkit_lang_vtype *t; /* NULL: no value (void call) */
	bool lit; /* an integer literal: takes the other side's signedness */
	const struct builtin *bi; /* IDENT */
	const struct func *fn; /* CALL */
	const struct bpfkit_lang_field *field; /* args->field */
	struct mapinfo *map; /* MAP, and a map argument of a call */
	struct var *var; /* VAR */
	int argn; /* argN builtins */
	int64_t pval; /* PARAM: the constant ($# or an integer parameter) */
	struct bpfkit_lang_event *ev; /* printf, exit, print, ... */
};

static inline struct sx *sx_of(const struct bpfkit_ast_expr *e)
{
	return (struct sx *)e->sema;
}

/* ---- Builtins and functions (builtins/) --------------------------------------------- */

struct builtin {
	const char *name;
	const struct bpfkit_lang_vtype *t; /* NULL: string of str_size */
	uint32_t str_size;
	/* int value into register @p dst (a pool register); NULL for strings */
	void (*gen_int)(struct cg *g, const struct bpfkit_ast_expr *e, int dst);
	/* string into the frame at [off, off + size), zero padded */
	void (*gen_store)(struct cg *g, const struct bpfkit_ast_expr *e, int off, uint32_t size);
};

const struct builtin *builtin_find(const char *name);
extern const char *const builtin_names[];
extern const size_t builtin_nnames;

#define FN_AGG 0x1 /* only as the value of a map assignment */
#define FN_VOID 0x2 /* no value: a statement */

struct func {
	const char *name;
	int min_args, max_args;
	unsigned flags;
	enum bpfkit_lang_agg agg;
	/* Type the call (args are typed first unless FN takes maps); set sx->t. */
	int (*check)(struct cctx *c, struct bpfkit_ast_expr *call, struct mapinfo *assigned);
	void (*gen_stmt)(struct cg *g, const struct bpfkit_ast_expr *call);
	void (*gen_int)(struct cg *g, const struct bpfkit_ast_expr *call, int dst);
	void (*gen_store)(struct cg *g, const struct bpfkit_ast_expr *call, int off, uint32_t size);
	/* aggregation: update @m[keys of target] with the call's arguments */
	void (*gen_agg)(struct cg *g, const struct bpfkit_ast_expr *call, struct mapinfo *m,
			const struct bpfkit_ast_expr *target);
};

const struct func *func_find(const char *name);
extern const struct func funcs_agg[], funcs_out[], funcs_str[];
extern const size_t funcs_agg_n, funcs_out_n, funcs_str_n;

/* ---- The compilation ----------------------------------------------------------------- */

struct cctx {
	struct bpfkit_lang *l;
	struct arena *a; /* scratch (the front end's arena) */
	struct arena *oa; /* output */
	const struct bpfkit_lang_env *env;
	struct ptrvec maps; /* struct mapinfo * */
	struct ptrvec events; /* struct bpfkit_lang_event * (output arena) */
	struct ptrvec progs; /* struct bpfkit_lang_prog * under construction */
	/* per (probe, target) */
	struct target *t;
	struct ptrvec vars; /* struct var * */
	bool quiet; /* first round: types only, no diagnostics */
	bool codegen; /* second sema run before codegen: no new events, no diags expected */
	size_t event_cursor; /* codegen: events are re-created in the same order */
	unsigned errors;
	int loop_depth; /* while loops around the statement being checked (break/continue) */
	bool uses_elapsed; /* some probe reads `elapsed`: BPFKIT_LANG_START_MAP is needed */
};

int sema_error(struct cctx *c, struct bpfkit_loc loc, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Type an expression (and its children). 0 or -EINVAL (reported). */
int sema_expr(struct cctx *c, struct bpfkit_ast_expr *e);
struct sx *sema_annot(struct cctx *c, struct bpfkit_ast_expr *e);
/* The map named by a MAP expression, created on first use. */
struct mapinfo *sema_map(struct cctx *c, const char *name, struct bpfkit_loc loc);
/* Set (or check) the key type of a map from a MAP expression's keys. */
int sema_map_keys(struct cctx *c, struct mapinfo *m, struct bpfkit_ast_expr *e);
/* Set (or check) the aggregation/value type of a map. */
int sema_map_value(struct cctx *c, struct mapinfo *m, enum bpfkit_lang_agg agg,
		   const struct bpfkit_lang_vtype *value, struct bpfkit_loc loc);
/* Register an event (sema) or fetch the same one again (codegen run). */
struct bpfkit_lang_event *sema_event(struct cctx *c, enum bpfkit_lang_event_kind kind, int line);
/* An int literal argument's value (for lhist, print top/div); -EINVAL if not one. */
int sema_const_int(struct cctx *c, const struct bpfkit_ast_expr *e, int64_t *v);
/* Check one probe body for target @p t (sets c->t, resets variables). */
int sema_probe(struct cctx *c, struct target *t);

/* ---- The emitter (codegen.c) ----------------------------------------------------------- */

#define CG_CTX 9 /* r9 holds the context for the whole program */
#define CG_NPOOL 3 /* r6, r7, r8: expression registers (survive helper calls) */

struct cg {
	struct cctx *c;
	struct bpfkit_insn *insns;
	int *lines;
	size_t n, cap;
	struct bpfkit_reloc *relocs;
	size_t nrelocs, capr;
	int *labels; /* slot of each label, -1 until placed */
	size_t nlabels, caplabels;
	struct { size_t insn; int label; } *fix;
	size_t nfix, capfix;
	int line; /* script line of what is being emitted */
	int sp; /* bytes of frame in use */
	int max_sp;
	bool pool[CG_NPOOL];
	bool overflow; /* the frame ran out (reported once) */
	int exit_label;
	int break_label, continue_label; /* of the innermost while loop, -1 outside */
	struct bpfkit_loc stmt_loc; /* for stack overflow messages */
};

void cg_emit(struct cg *g, uint8_t code, int dst, int src, int16_t off, int32_t imm);
void cg_mov_imm(struct cg *g, int dst, int64_t v); /* mov or lddw */
void cg_ld_map(struct cg *g, int dst, const char *name);
void cg_call(struct cg *g, const char *helper);
int cg_label(struct cg *g);
void cg_place(struct cg *g, int label);
/* Conditional jump to a label: op is BPFKIT_JEQ..; src < 0 uses imm. */
void cg_jmp(struct cg *g, uint8_t op, int dst, int src, int32_t imm, int label);
void cg_goto(struct cg *g, int label);
int cg_stack(struct cg *g, uint32_t size); /* 8-aligned slot, frame offset (negative) */
void cg_zero(struct cg *g, int off, uint32_t size); /* size multiple of 8 */
void cg_copy(struct cg *g, int dst_off, int src_reg, int src_off, uint32_t size); /* from memory */
int cg_reg(struct cg *g); /* a free pool register */
void cg_free(struct cg *g, int reg);
/* r1 = r10 + off */
void cg_fp_addr(struct cg *g, int reg, int off);
/* Load a u64/s64 of @p size at [src + off] into dst with sign extension. */
void cg_load(struct cg *g, int dst, int src, int off, uint32_t size, bool sign);

/* ---- Expressions and statements (codegen_expr.c) ---------------------------------------- */

/* Integer value into a new pool register. */
int cg_int(struct cg *g, const struct bpfkit_ast_expr *e);
/* The bytes @p data (@p len) as a string of @p size at off, zero padded, NUL kept. */
void cg_store_bytes(struct cg *g, const char *data, size_t len, int off, uint32_t size);
/* Positional parameter @p n (1-based) as text: NULL when it is missing. */
const char *sema_param(struct cctx *c, long n);
/* Evaluate @p e into the frame at [off, off + t->size) as type @p t. */
void cg_store(struct cg *g, const struct bpfkit_ast_expr *e, int off, const struct bpfkit_lang_vtype *t);
/* Jump to @p label when @p e is false. */
void cg_cond_false(struct cg *g, const struct bpfkit_ast_expr *e, int label);
/* Build the key of @p m for map expression @p e (keys may be none) in the frame. */
int cg_map_key(struct cg *g, struct mapinfo *m, const struct bpfkit_ast_expr *e, uint32_t extra);
/* r0 = map_lookup_elem(m, r10 + koff) */
void cg_lookup(struct cg *g, struct mapinfo *m, int koff);
/* map_update_elem(m, r10 + koff, r10 + voff, flags) */
void cg_update(struct cg *g, struct mapinfo *m, int koff, int voff, int flags);
/* Emit a whole ringbuf record from [off, off + size). */
void cg_output(struct cg *g, int off, uint32_t size);
void cg_stmt_block(struct cg *g, const struct bpfkit_ast_block *b);
/* Exit the program now (r0 = 0). */
void cg_exit(struct cg *g);

/* Program of one target: 0, -EINVAL (reported), -ENOMEM via the arena. */
int codegen_program(struct cctx *c, struct target *t, struct bpfkit_lang_prog *out);

#endif /* BPFKIT_LANG_COMPILE_INT_H */
