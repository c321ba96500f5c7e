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
struct sx;

/* ---- Types (sema.c) -------------------------------------------------------------- */

extern const struct bpfkit_lang_vtype ty_u64, ty_s64;
/* `probe`: an id (BPFKIT_LANG_V_PROBE). Code keeps it in a register as it
 * keeps a u64; sema lets it be stored, printed and compared with == and !=. */
extern const struct bpfkit_lang_vtype ty_probe;
const struct bpfkit_lang_vtype *ty_str(struct cctx *c, uint32_t size);
/* Values code keeps in a register, 8 bytes when stored: ints, probe ids,
 * stack ids, ksym() addresses. */
static inline bool ty_is_word(const struct bpfkit_lang_vtype *t)
{
	return t->kind == BPFKIT_LANG_V_INT || t->kind == BPFKIT_LANG_V_PROBE ||
	       t->kind == BPFKIT_LANG_V_STACK || t->kind == BPFKIT_LANG_V_KSYM;
}
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

/* ---- C types (types.c, types_layout.c) --------------------------------------------- */

/*
 * A C type as the compiler sees it: from the environment (the kernel's BTF,
 * converted on first use and cached by id), from a definition in the script
 * (laid out with C's rules), or made on the spot (pointers of casts). Member
 * and pointee types load lazily: a member's type on first access, a
 * pointee when something is read through the pointer, so naming
 * `struct task_struct` does not pull in the kernel's whole type graph.
 */
struct ctype;

struct cmember {
	const char *name; /* "" for an anonymous struct/union member */
	uint32_t bit_offset, bit_size; /* bit_size 0: not a bit-field */
	struct ctype *type; /* NULL until loaded from env_id */
	uint32_t env_id;
};

struct ctype {
	enum bpfkit_lang_ckind kind;
	const char *name; /* tag, base type name, or NULL when anonymous */
	uint32_t size, align;
	bool sign; /* INT, ENUM */
	bool complete; /* STRUCT, UNION: members known */
	bool user; /* PTR: points to user memory */
	bool is_char; /* INT: plain char (arrays of it are strings) */
	bool busy; /* a script definition being laid out (catches recursion) */
	/* PTR, ARRAY: the pointee/element, loaded lazily from ref_id or the tag */
	struct ctype *ref;
	uint32_t ref_id;
	enum bpfkit_lang_ckind ref_kind; /* with ref_tag: STRUCT, UNION or ENUM by name */
	const char *ref_tag;
	uint32_t nelems; /* ARRAY */
	struct cmember *members; /* STRUCT, UNION */
	size_t nmembers;
	const struct bpfkit_lang_cenum *values; /* ENUM */
	size_t nvalues;
	uint32_t env_id; /* from the environment: its id; else 0 */
};

extern struct ctype ct_void;
/* The pointer-valued int type: unsigned in expressions, stored as int64 (bpftrace prints
 * pointers in maps as signed numbers). */
extern const struct bpfkit_lang_vtype ty_ptr;

/* struct/union/enum @p tag (script definitions first, then the environment);
 * NULL after reporting at @p loc. */
struct ctype *ctype_tag(struct cctx *c, enum bpfkit_lang_ckind kind, const char *tag, struct bpfkit_loc loc);
/* A base type or typedef by name ("pid_t", "u32"); NULL, not reported, if none. */
struct ctype *ctype_named(struct cctx *c, const char *name);
/* The C type of a type as written (casts, sizeof, offsetof, struct fields). */
struct ctype *ctype_from_ast(struct cctx *c, const struct bpfkit_ast_type *t);
/* The C type of a tracepoint field's type text ("struct __kernel_timespec *"). */
struct ctype *ctype_from_text(struct cctx *c, const char *text, bool user, struct bpfkit_loc loc);
/* A pointer to @p to (user memory when @p user). */
struct ctype *ctype_ptr(struct cctx *c, struct ctype *to, bool user);
/* The pointee (PTR) or element (ARRAY), loaded if needed; NULL after reporting. */
struct ctype *ctype_ref(struct cctx *c, struct ctype *t, struct bpfkit_loc loc);
/* Member @p name of struct/union @p t, through anonymous members: its type
 * and bit offset; NULL (not reported) when there is none. */
struct cmember *ctype_member(struct cctx *c, struct ctype *t, const char *name, uint32_t *bit_offset);
/* The type of member @p m, loaded if needed; NULL after reporting. */
struct ctype *ctype_member_type(struct cctx *c, struct cmember *m, struct bpfkit_loc loc);
/* Report "no member" with the nearest name and a note listing the members. */
int ctype_no_member(struct cctx *c, struct ctype *t, const char *name, struct bpfkit_loc loc);
/* "struct task_struct *", "unsigned int[4]" */
const char *ctype_name(struct cctx *c, const struct ctype *t);
bool ctype_same(const struct ctype *a, const struct ctype *b);
/* struct, union, or an array that is not a string: no value of its own. */
bool ctype_is_aggregate(const struct ctype *t);
/* The value type of a scalar C type (ints, enums, pointers, char arrays); NULL if none. */
const struct bpfkit_lang_vtype *ctype_vtype(struct cctx *c, struct ctype *t);
/* An enumerator (script enums, the environment, then well-known header
 * constants of the #included headers): 0 or -ENOENT. */
int ctype_enum_value(struct cctx *c, const char *name, int64_t *v);
/* The value of a constant expression (literals, enumerators, sizeof,
 * arithmetic); -EINVAL (reported at the expression) if it is none. */
int const_eval(struct cctx *c, const struct bpfkit_ast_expr *e, int64_t *v);

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
	const struct bpfkit_lang_usdt_site *usdt; /* usdt: the site (target is the file, offset the site's) */
	uint32_t perf_type; /* profile, software, hardware: see struct bpfkit_lang_prog */
	uint64_t perf_config, sample_period, sample_freq;
	const struct bpfkit_lang_field *fields; /* copied into the scratch arena */
	size_t nfields;
	bool fields_loaded;
	bool user_strings; /* str() of a pointer field reads user memory */
	bool reads_fields; /* reads some args->field (see as_raw_tracepoint()) */
	bool reads_not_id; /* reads a field other than raw_syscalls' id, 8 bytes at offset 8 */
	uint64_t offset; /* kprobes: into the function; uprobes: file offset (bpfkit_lang_prog.offset) */
	bool offset_in_func; /* uprobes: FUNC+N or an address past the function's first byte */
	const char *func; /* kprobes, uprobes: the function (the `func` builtin) */
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
	/* The context is a struct pt_regs (kprobes, uprobes): argN are the
	 * calling convention's registers, then the stack (providers/ptregs.c);
	 * user: the function runs in user space (uprobes). */
	bool pt_regs, user;
	/* retval (the return value register) is available */
	bool retval;
};

const struct provider *provider_find(enum bpfkit_probe_type type);
extern const struct provider provider_tracepoint, provider_rawtracepoint, provider_begin,
	provider_end, provider_interval, provider_profile, provider_software, provider_hardware, provider_uprobe,
	provider_uretprobe, provider_kprobe, provider_kretprobe;
/* struct pt_regs (x86-64) for kprobes and uprobes (providers/ptregs.c):
 * argument @p n (0-based: rdi, rsi, rdx, rcx, r8, r9, then the stack above
 * the return address, read from user memory for uprobes) into @p dst;
 * register @p name's offset in struct pt_regs (reg("sp")), -1 if none. */
#define PTREGS_MAX_ARGS 10
void ptregs_gen_arg(struct cg *g, int n, int dst);
void ptregs_gen_retval(struct cg *g, int dst);
int ptregs_offset(const char *name);
/* The pt_regs offset of register argument @p n (0..5), -1 for one on the stack. */
int ptregs_arg_offset(int n);
extern const char *const ptregs_names[];
extern const size_t ptregs_nnames;
/* usdt:FILE:[PROVIDER:]NAME (providers/usdt.c), and its arguments: arg0..arg11
 * read from pt_regs as each site's note says. */
extern const struct provider provider_usdt;
int usdt_check_arg(struct cctx *c, const struct bpfkit_ast_expr *e, struct sx *s);
/* UNIT:N of an interval or profile probe (providers/interval.c): a target of
 * @p p named "UNIT:N", pushed on @p out, with the period in ns in
 * @p rate_or_ns, or the rate when @p hz comes back set; NULL after
 * reporting when wrong. */
struct target *timer_target(struct cctx *c, const struct provider *p, const struct bpfkit_ast_attach *a,
			    struct ptrvec *out, uint64_t *rate_or_ns, bool *hz);
/* The environment's fields @p f (valid only while it runs) copied into the
 * scratch arena, names and types included. */
struct bpfkit_lang_field *fields_copy(struct cctx *c, const struct bpfkit_lang_field *f, size_t n);
/* Helper for providers: a new target with name "provider:target". */
struct target *target_new(struct cctx *c, const struct provider *p, const struct bpfkit_ast_attach *a,
			  const char *target);
/* Where part @p i (a->parts[i]) of an attach point is written, for a caret
 * under it; the whole attach point when it cannot be told. */
struct bpfkit_loc attach_part_loc(const struct bpfkit_ast_attach *a, size_t i);
/* Expand a wildcard through env->expand, pushing targets. */
int target_expand_env(struct cctx *c, const struct provider *p, const struct bpfkit_ast_attach *a,
		      const char *pattern, struct ptrvec *out);

/* ---- Maps, variables, annotations (sema.c) --------------------------------------------- */

struct mapinfo {
	struct bpfkit_lang_map d; /* output description (strings in the output arena) */
	struct bpfkit_loc loc; /* first use */
	bool typed; /* key/value types known */
	bool key_typed;
	bool keep_hash; /* a delete() target: its key must be able to go away on every CPU */
	size_t id;
	struct ctype *vct; /* values are pointers of this C type */
};

struct var {
	const char *name;
	const struct bpfkit_lang_vtype *t;
	struct ctype *ct; /* a pointer variable: its C type */
	const struct bpfkit_lang_field *pfield; /* assigned a tracepoint pointer field (typed on use) */
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
	int64_t pval; /* PARAM, and konst: the constant; uaddr(): the address, or its distance from ip */
	bool ip_rel; /* uaddr() in a uprobe of a PIE or library: pval is relative to the probe's ip */
	struct bpfkit_lang_event *ev; /* printf, exit, print, ... */
	/* C types (types_sema.c) */
	bool konst; /* a constant of the compilation (enumerator, sizeof, offsetof): pval */
	struct ctype *ct; /* pointer values: PTR; values and places in memory: their type */
	bool mem; /* lives in memory at cg_addr(): a member, an element, *p */
	bool user; /* mem: in user memory (probe_read_user) */
	uint32_t bit_size, bit_shift; /* mem bit-field: width, and bits below it in its word */
	int64_t scale; /* BINOP on a pointer: the int side is multiplied by this; INDEX: element
			  size for an index computed at run time, 0 for a constant one (in off) */
	bool scale_lhs; /* the int side is the left operand */
	bool ctx; /* INDEX: an element of an array field of the tracepoint record, at ctx + off */
	uint32_t off; /* FIELD: byte offset of the member from its base; INDEX: of the element */
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
	/* NULL, or whether it may be used here (func: not in tracepoints, ...):
	 * report and return -EINVAL when not */
	int (*check)(struct cctx *c, const struct bpfkit_ast_expr *e);
	/* NULL, or the type when it depends on the environment (kstack's mode) */
	const struct bpfkit_lang_vtype *(*type)(struct cctx *c, const struct bpfkit_ast_expr *e);
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

/* bpftrace 0.17's builtins and functions that bpfkit lacks (todo.c). */
#define TODO_BUILTIN 0x1 /* a builtin: name */
#define TODO_FUNC 0x2 /* a function: name(...) */
#define TODO_NUMBERED 0x4 /* name0 .. name9 */
struct todo {
	const char *name;
	unsigned kind; /* TODO_* */
};
extern const struct todo todo_names[];
extern const size_t todo_nnames;
/* The entry for @p name used as @p kind (TODO_BUILTIN or TODO_FUNC), or NULL. */
const struct todo *todo_find(const char *name, unsigned kind);
/* Whether the pointer @p ptr points to user memory (probe_read_user*): its C
 * type says so, else the target's syscall arguments do (str.c). */
bool builtin_user_ptr(const struct cg *g, const struct bpfkit_ast_expr *ptr);
extern const struct func funcs_agg[], funcs_out[], funcs_str[], funcs_stack[], funcs_net[], funcs_sys[];
extern const size_t funcs_agg_n, funcs_out_n, funcs_str_n, funcs_stack_n, funcs_net_n, funcs_sys_n;
/* kstack and ustack (the builtins): BPFTRACE_STACK_MODE's mode (bpftrace's
 * by default), BPFKIT_LANG_STACK_DEPTH frames. */
int stack_check_builtin(struct cctx *c, const struct bpfkit_ast_expr *e);
void stack_gen_builtin(struct cg *g, const struct bpfkit_ast_expr *e, int dst);
const struct bpfkit_lang_vtype *stack_builtin_type(struct cctx *c, const struct bpfkit_ast_expr *e);
extern const struct bpfkit_lang_vtype ty_kstack, ty_ustack;
/* Whether a (key) type holds a ustack unwound in user space (--ustack-unwind dwarf). */
bool ty_has_dwarf_stack(const struct bpfkit_lang_vtype *t);

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
	bool guess_maps; /* a quiet round: an untyped map reads as an integer (@x = @x + 1) */
	bool codegen; /* second sema run before codegen: no new events, no diags expected */
	size_t event_cursor; /* codegen: events are re-created in the same order */
	size_t nsema_events; /* codegen: the events sema made (cg_helper_check() adds more) */
	unsigned errors;
	int loop_depth; /* while loops around the statement being checked (break/continue) */
	bool uses_elapsed; /* some probe reads `elapsed`: BPFKIT_LANG_START_MAP is needed */
	struct ptrvec probe_names; /* const char * (output arena): bpfkit_compiled.probe_names */
	const struct bpfkit_ast_program *prog; /* directives and C definitions */
	struct types *types; /* C type caches (types.c) */
	/* the raw tracepoints env->expand lists, read once (rawtracepoint.c) */
	struct ptrvec rawtp_names; /* const char *, sorted */
	int rawtp_listed; /* 0 not yet, 1 listed, -1 the environment cannot list them */
	/* the stacks used, kernel or user, by depth: one stack map each (stack.c) */
	struct {
		uint32_t depth;
		bool user;
	} stacks[16];
	size_t nstacks;
	bool uses_upids; /* ustack or usym(): BPFKIT_LANG_UPID_MAP is needed */
	bool uses_ustack_dwarf; /* a ustack unwound in user space: BPFKIT_LANG_USTACK_MAP */
	/* and where the kernel keeps the main thread's stack top (its BTF):
	 * task_struct.mm, mm_struct.start_stack; -1 when unknown (pagewise reads) */
	int32_t ustack_mm_off, ustack_top_off;
};

int sema_error(struct cctx *c, struct bpfkit_loc loc, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The environment's reason for its last failure (env->why), else strerror(-err). */
const char *env_why(struct cctx *c, int err);
/* A warning (once per place and text, whatever the rounds and targets). */
void sema_warning(struct cctx *c, struct bpfkit_loc loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A note after an error (not in the quiet first round). */
void sema_note(struct cctx *c, struct bpfkit_loc loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The spine of the chain @p e heads (ast_binop_spine()), top first, in
 * @p buf when it fits, else in the arena; its length in *@p n (>= 1). */
#define SPINE_BUF 16
const struct bpfkit_ast_expr **sema_spine(struct cctx *c, const struct bpfkit_ast_expr *e,
					  bool (*in_chain)(const struct bpfkit_ast_expr *),
					  const struct bpfkit_ast_expr *buf[SPINE_BUF], size_t *n);
/* Type an expression (and its children). 0 or -EINVAL (reported). A struct
 * or a non-string array (a place without a value) is an error here. */
int sema_expr(struct cctx *c, struct bpfkit_ast_expr *e);
/* The same, but a struct/array place is fine (bases of '.', '[]', sizeof, &). */
int sema_place(struct cctx *c, struct bpfkit_ast_expr *e);
/* Typing of C-typed expressions (types_sema.c): '.' and '->' on structs,
 * '[]', unary '*' and '&', casts to pointers, sizeof, offsetof. */
int sema_member(struct cctx *c, struct bpfkit_ast_expr *e, struct sx *s);
int sema_index(struct cctx *c, struct bpfkit_ast_expr *e, struct sx *s);
int sema_deref(struct cctx *c, struct bpfkit_ast_expr *e, struct sx *s);
int sema_addr_of(struct cctx *c, struct bpfkit_ast_expr *e, struct sx *s);
int sema_cast_ctype(struct cctx *c, struct bpfkit_ast_expr *e, struct sx *s);
int sema_sizeof(struct cctx *c, struct bpfkit_ast_expr *e, struct sx *s);
int sema_offsetof(struct cctx *c, struct bpfkit_ast_expr *e, struct sx *s);
/* Pointer arithmetic (ptr + int, ptr - int): set s->t/ct/scale; 1 if it was one. */
int sema_ptr_arith(struct cctx *c, struct bpfkit_ast_expr *e, struct sx *s);
/* What pointer @p e is, NULL when it is none (tracepoint pointer fields are
 * typed from their format's text here, on first use). */
struct ctype *sema_ptr_ctype(struct cctx *c, const struct bpfkit_ast_expr *e);
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
	unsigned *label_refs; /* emitted jumps to each label */
	size_t caprefs;
	bool dead; /* after an unconditional jump: nothing reaches here, emit nothing */
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
	struct bpfkit_loc loc; /* the expression being emitted: where -k reports a helper failing */
};

void cg_emit(struct cg *g, uint8_t code, int dst, int src, int16_t off, int32_t imm);
void cg_mov_imm(struct cg *g, int dst, int64_t v); /* mov or lddw */
void cg_ld_map(struct cg *g, int dst, const char *name);
/* A helper call; with -k/-kk, then cg_helper_check(). */
void cg_call(struct cg *g, const char *helper);
/* A helper call never checked (the ring buffer, counters that cannot miss). */
void cg_call_unchecked(struct cg *g, const char *helper);
/* -k/-kk: report @p helper failing, its result in r0 (kept). */
void cg_helper_check(struct cg *g, const char *helper);
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
/* The first @p len bytes of @p data at off, zero padded to round8(@p size): no NUL kept. */
void cg_store_raw(struct cg *g, const char *data, size_t len, int off, uint32_t size);
/* Bytes of str() and buf() (env->str_size, BPFTRACE_STRLEN; 64 by default). */
uint32_t sema_strlen(const struct cctx *c);
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
/* The same for a record at [base + off], base r10 or a register holding a pointer
 * (a map value): the first word there is overwritten when the output fails. */
void cg_output_at(struct cg *g, int base, int off, uint32_t size);
/* The same with bpf_ringbuf_output() flags (BPF_RB_FORCE_WAKEUP: user space
 * is woken for this record at once; perf event arrays wake it anyway). */
void cg_output_flags(struct cg *g, int base, int off, uint32_t size, int32_t flags);
/* Send the record at base + off of fixed + min(the u64 at base + size_off,
 * max_var) bytes: a record whose tail is filled up to a size known at run
 * time (ustack's copied stack). base is a pool register (or r10). */
void cg_output_sized(struct cg *g, int base, int off, int size_off, uint32_t fixed, uint32_t max_var);
/* Add one to this CPU's slot of per-CPU lost-count @p map (.lost, .stacklost),
 * whose key (0) is at @p base + @p off; a failed lookup jumps to @p done. */
void cg_count_lost(struct cg *g, const char *map, int base, int off, int done);
void cg_stmt_block(struct cg *g, const struct bpfkit_ast_block *b);
/* Exit the program now (r0 = 0). */
void cg_exit(struct cg *g);

/* ---- Memory through pointers (codegen_mem.c) ------------------------------------------ */

/* Read @p size bytes at [src] into the frame at @p off (probe_read_user or _kernel). */
void cg_probe_read(struct cg *g, int off, uint32_t size, int src, bool user);
/* The address of a value in memory (sx->mem) in a new pool register. */
int cg_addr(struct cg *g, const struct bpfkit_ast_expr *e);
/* The integer in memory at cg_addr(e), bit-fields extracted. */
int cg_mem_int(struct cg *g, const struct bpfkit_ast_expr *e);
/* A char array in memory, as a string of @p size at off. */
void cg_mem_str(struct cg *g, const struct bpfkit_ast_expr *e, int off, uint32_t size);
/* A pool register, or a reported error and r6 when the pool is empty. */
int cg_need_reg(struct cg *g, const struct bpfkit_ast_expr *e);
/* How many pool registers are free. */
int cg_pool_free(const struct cg *g);
/* dst OP= src (a register, or the immediate @p imm when src < 0), signed
 * division and modulo included (cpu v4 sdiv/smod, or a sequence). */
void cg_alu(struct cg *g, enum bpfkit_ast_op op, bool sign, int dst, int src, int32_t imm);

/* Program of one target: 0, -EINVAL (reported), -ENOMEM via the arena. */
int codegen_program(struct cctx *c, struct target *t, struct bpfkit_lang_prog *out);

#endif /* BPFKIT_LANG_COMPILE_INT_H */
