// SPDX-License-Identifier: MIT
/*
 * Functions that talk to user space or act on whole maps: printf, print,
 * exit, clear, zero, time, system, cat, join (events in the ring buffer),
 * strftime (a value user space formats), and delete (a map_delete_elem in
 * the program). Also the bpftrace functions bpfkit does not have yet
 * (ksym, usym, kstack, ustack), so they get a clear message.
 *
 * An event record is built in the frame: the event id (its index in the
 * event table) as a u64, then the arguments, each at an 8-byte aligned
 * offset, then sent with ringbuf_output(). The format string stays in user
 * space, in the event table. join()'s record (16 KiB) is built in a per-CPU
 * array instead, BPFKIT_LANG_JOIN_MAP.
 */
#include <errno.h>
#include <string.h>

#include <bpfkit/out.h>

#include "lang/compile_int.h"

/* Lay out the record of @p ev for arguments args[first..]. */
static void event_args(struct cctx *c, struct bpfkit_lang_event *ev, struct bpfkit_ast_expr *const *args,
		       size_t n)
{
	struct bpfkit_lang_velem *el = arena_alloc(c->oa, sizeof(*el) * (n ? n : 1));
	uint32_t off = 8;

	for (size_t i = 0; i < n; i++) {
		el[i].offset = off;
		el[i].type = ty_stored(c, sx_of(args[i])->t);
		off += (el[i].type->size + 7) & ~7u;
	}
	ev->args = el;
	ev->nargs = n;
	ev->size = off;
}

/* The kind of value printf() sees (an out.h kind), or 0 for none it prints. */
static enum bpfkit_out_kind out_kind(const struct bpfkit_lang_vtype *t)
{
	if (!t)
		return 0;
	switch (t->kind) {
	case BPFKIT_LANG_V_INT: return BPFKIT_OUT_INT;
	case BPFKIT_LANG_V_STR: return BPFKIT_OUT_STR;
	case BPFKIT_LANG_V_TIMESTAMP: return BPFKIT_OUT_TIMESTAMP;
	case BPFKIT_LANG_V_PROBE: return BPFKIT_OUT_PROBE;
	case BPFKIT_LANG_V_KSYM:
	case BPFKIT_LANG_V_USYM: return BPFKIT_OUT_KSYM;
	case BPFKIT_LANG_V_STACK: return BPFKIT_OUT_STACK;
	case BPFKIT_LANG_V_INET:
	case BPFKIT_LANG_V_MAC:
	case BPFKIT_LANG_V_ERRNO:
	case BPFKIT_LANG_V_USER:
	case BPFKIT_LANG_V_ARRAY: return BPFKIT_OUT_STR; /* text made in user space */
	case BPFKIT_LANG_V_BUF: return BPFKIT_OUT_BUF;
	default: return 0;
	}
}

/*
 * printf(fmt, args...), and system() and cat(), which take the same: a
 * literal format checked against the arguments as bpftrace checks it (its
 * messages, named after the function), an event of @p kind with the format
 * and the arguments' layout.
 */
static int check_fmt_call(struct cctx *c, struct bpfkit_ast_expr *call, enum bpfkit_lang_event_kind kind)
{
	const char *fn = call->u.call.name;
	struct bpfkit_ast_expr *fmt = call->u.call.args[0];
	size_t n = call->u.call.nargs - 1;
	enum bpfkit_out_kind kinds[64];
	struct bpfkit_diag d = { 0 };
	struct bpfkit_lang_event *ev;
	int err = 0;

	if (fmt->kind != BPFKIT_EXPR_STR)
		return sema_error(c, fmt->loc, NULL, "%s() needs a string literal as its format", fn);
	sema_annot(c, fmt);
	for (size_t i = 0; i < n; i++) {
		struct bpfkit_ast_expr *a = call->u.call.args[i + 1];

		err = sema_expr(c, a) ?: err;
		if (err)
			continue;
		kinds[i] = out_kind(sx_of(a)->t);
		if (!kinds[i])
			err = sema_error(c, a->loc, NULL, "%s() cannot print %s", fn, ty_name(c, sx_of(a)->t));
	}
	if (err)
		return err;
	if (strlen(fmt->u.str.data) != fmt->u.str.len)
		return sema_error(c, fmt->loc, NULL, "%s(): the format holds a NUL byte", fn);
	if (bpfkit_fmt__check_for(fn, fmt->u.str.data, kinds, n, &d)) {
		struct bpfkit_loc loc = fmt->loc;

		if (d.col > 0 && loc.len >= 2 && fmt->u.str.len + 2 == (size_t)loc.len) {
			/* no escapes: point at the conversion itself */
			loc.col += d.col;
			loc.len = d.len > 0 ? d.len : 1;
		}
		return sema_error(c, loc, NULL, "%s", d.msg);
	}
	ev = sema_event(c, kind, call->loc.line);
	if (!c->codegen) {
		ev->fmt = arena_strndup(c->oa, fmt->u.str.data, fmt->u.str.len);
		event_args(c, ev, call->u.call.args + 1, n);
	}
	sx_of(call)->ev = ev;
	return 0;
}

static int check_printf(struct cctx *c, struct bpfkit_ast_expr *call, struct mapinfo *m)
{
	(void)m;
	return check_fmt_call(c, call, BPFKIT_LANG_EV_PRINTF);
}

static int check_cat(struct cctx *c, struct bpfkit_ast_expr *call, struct mapinfo *m)
{
	(void)m;
	return check_fmt_call(c, call, BPFKIT_LANG_EV_CAT);
}

/* system(): only with --unsafe (env->unsafe), as in bpftrace, which checks that first. */
static int check_system(struct cctx *c, struct bpfkit_ast_expr *call, struct mapinfo *m)
{
	(void)m;
	if (!c->env || !c->env->unsafe)
		return sema_error(c, call->loc, NULL, "system() is an unsafe function being used in safe mode");
	return check_fmt_call(c, call, BPFKIT_LANG_EV_SYSTEM);
}

/* The id of event @p ev: its index in the event table. */
static int32_t event_id(const struct cg *g, const struct bpfkit_lang_event *ev)
{
	for (size_t i = 0; i < g->c->events.n; i++)
		if (g->c->events.items[i] == ev)
			return (int32_t)i;
	return -1;
}

/* Build and send the record of the call's event from args[first..]. */
static void emit_record(struct cg *g, const struct bpfkit_ast_expr *call, size_t first)
{
	const struct bpfkit_lang_event *ev = sx_of(call)->ev;
	int off;

	off = cg_stack(g, ev->size);
	cg_emit(g, BPFKIT_ST | BPFKIT_MEM | BPFKIT_DW, BPFKIT_REG_FP, 0, (int16_t)off, event_id(g, ev));
	for (size_t i = 0; i < ev->nargs; i++)
		cg_store(g, call->u.call.args[first + i], off + (int)ev->args[i].offset, ev->args[i].type);
	cg_output(g, off, ev->size);
}

static void gen_printf(struct cg *g, const struct bpfkit_ast_expr *call)
{
	emit_record(g, call, 1);
}

static void gen_print(struct cg *g, const struct bpfkit_ast_expr *call)
{
	emit_record(g, call, sx_of(call)->ev->kind == BPFKIT_LANG_EV_PRINT_VALUE ? 0 : 1);
}

static int check_exit(struct cctx *c, struct bpfkit_ast_expr *call, struct mapinfo *m)
{
	(void)m;
	sx_of(call)->ev = sema_event(c, BPFKIT_LANG_EV_EXIT, call->loc.line);
	return 0;
}

/* exit(): tell user space, then leave this program at once. */
static void gen_exit(struct cg *g, const struct bpfkit_ast_expr *call)
{
	emit_record(g, call, 0);
	cg_exit(g);
}

static int check_time(struct cctx *c, struct bpfkit_ast_expr *call, struct mapinfo *m)
{
	struct bpfkit_lang_event *ev;

	(void)m;
	if (call->u.call.nargs && call->u.call.args[0]->kind != BPFKIT_EXPR_STR)
		return sema_error(c, call->u.call.args[0]->loc, NULL, "time() takes a string literal");
	if (call->u.call.nargs)
		sema_annot(c, call->u.call.args[0]);
	ev = sema_event(c, BPFKIT_LANG_EV_TIME, call->loc.line);
	if (!c->codegen && call->u.call.nargs)
		ev->fmt = arena_strndup(c->oa, call->u.call.args[0]->u.str.data, call->u.call.args[0]->u.str.len);
	sx_of(call)->ev = ev;
	return 0;
}

static void gen_event(struct cg *g, const struct bpfkit_ast_expr *call)
{
	emit_record(g, call, 0);
}

/* The whole-map argument of print/clear/zero: a map without keys. */
static struct mapinfo *map_arg(struct cctx *c, struct bpfkit_ast_expr *call)
{
	struct bpfkit_ast_expr *a = call->u.call.args[0];

	if (a->kind != BPFKIT_EXPR_MAP || a->u.map.nkeys) {
		sema_error(c, a->loc, NULL, "%s() expects a map without a key (@name)", call->u.call.name);
		return NULL;
	}
	sema_annot(c, a)->map = sema_map(c, a->u.map.name, a->loc);
	return sx_of(a)->map;
}

static int check_mapev(struct cctx *c, struct bpfkit_ast_expr *call, struct mapinfo *m)
{
	struct bpfkit_lang_event *ev;
	enum bpfkit_lang_event_kind kind = !strcmp(call->u.call.name, "clear") ? BPFKIT_LANG_EV_CLEAR :
					   BPFKIT_LANG_EV_ZERO;

	(void)m;
	m = map_arg(c, call);
	if (!m)
		return -EINVAL;
	ev = sema_event(c, kind, call->loc.line);
	ev->map = m->d.name;
	sx_of(call)->ev = ev;
	return 0;
}

static int check_print(struct cctx *c, struct bpfkit_ast_expr *call, struct mapinfo *m)
{
	struct bpfkit_ast_expr *a = call->u.call.args[0];
	struct bpfkit_lang_event *ev;
	int64_t p[2] = { 0, 0 };

	(void)m;
	if (a->kind != BPFKIT_EXPR_MAP || a->u.map.nkeys) {
		if (call->u.call.nargs > 1)
			return sema_error(c, call->loc, NULL, "print(value) takes one argument");
		if (sema_expr(c, a))
			return -EINVAL;
		if (!sx_of(a)->t)
			return sema_error(c, a->loc, NULL, "print() of something without a value");
		ev = sema_event(c, BPFKIT_LANG_EV_PRINT_VALUE, call->loc.line);
		if (!c->codegen)
			event_args(c, ev, call->u.call.args, 1);
		sx_of(call)->ev = ev;
		return 0;
	}
	m = map_arg(c, call);
	for (size_t i = 1; i < call->u.call.nargs; i++)
		if (sema_const_int(c, call->u.call.args[i], &p[i - 1]) || p[i - 1] < 0 || p[i - 1] > UINT32_MAX)
			return sema_error(c, call->u.call.args[i]->loc, NULL,
					  "print(): top and div must be non-negative integer literals");
	for (size_t i = 1; i < call->u.call.nargs; i++)
		sema_annot(c, call->u.call.args[i]);
	ev = sema_event(c, BPFKIT_LANG_EV_PRINT, call->loc.line);
	ev->map = m->d.name;
	ev->top = (uint32_t)p[0];
	ev->div = (uint32_t)p[1];
	sx_of(call)->ev = ev;
	return 0;
}

static int check_delete(struct cctx *c, struct bpfkit_ast_expr *call, struct mapinfo *m)
{
	struct bpfkit_ast_expr *a = call->u.call.args[0];
	int err = 0;

	(void)m;
	if (a->kind != BPFKIT_EXPR_MAP)
		return sema_error(c, a->loc, NULL, "delete() expects a map element: delete(@m[key])");
	for (size_t i = 0; i < a->u.map.nkeys; i++)
		err = sema_expr(c, a->u.map.keys[i]) ?: err;
	if (err)
		return err;
	m = sema_map(c, a->u.map.name, a->loc);
	sema_annot(c, a)->map = m;
	m->keep_hash = true; /* a per-CPU array cannot delete: see layout_maps() */
	if (sema_map_keys(c, m, a))
		return -EINVAL;
	if (m->typed && (m->d.agg == BPFKIT_LANG_AGG_HIST || m->d.agg == BPFKIT_LANG_AGG_LHIST))
		return sema_error(c, a->loc, NULL, "delete() of a hist/lhist element is not yet supported by bpfkit");
	return 0;
}

static void gen_delete(struct cg *g, const struct bpfkit_ast_expr *call)
{
	const struct bpfkit_ast_expr *a = call->u.call.args[0];
	struct mapinfo *m = sx_of(a)->map;
	int koff = cg_map_key(g, m, a, 0);

	cg_ld_map(g, 1, m->d.name);
	cg_fp_addr(g, 2, koff);
	cg_call(g, "map_delete_elem");
}

/* ---- join() ------------------------------------------------------------------ */

/*
 * join(arr [, sep]): arr is an integer or a pointer (bpftrace 0.17 takes
 * either), the address of an array of string pointers, NULL-terminated
 * like argv; sep a string literal. The record holds BPFKIT_LANG_JOIN_ARGS
 * strings of BPFKIT_LANG_JOIN_ARGSIZE bytes; user space prints those before
 * the first empty one (a NULL element reads as empty).
 */
static int check_join(struct cctx *c, struct bpfkit_ast_expr *call, struct mapinfo *m)
{
	struct bpfkit_ast_expr *a = call->u.call.args[0];
	struct bpfkit_ast_expr *sep = call->u.call.nargs > 1 ? call->u.call.args[1] : NULL;
	struct bpfkit_lang_velem *el;
	struct bpfkit_lang_event *ev;

	(void)m;
	if (sema_expr(c, a))
		return -EINVAL;
	if (!sx_of(a)->t || sx_of(a)->t->kind != BPFKIT_LANG_V_INT)
		return sema_error(c, a->loc, NULL, "join() only supports int or pointer arguments (%s provided)",
				  ty_name(c, sx_of(a)->t));
	if (sep && sep->kind != BPFKIT_EXPR_STR)
		return sema_error(c, sep->loc, NULL, "join() needs a string literal as its separator");
	if (sep)
		sema_annot(c, sep);
	ev = sema_event(c, BPFKIT_LANG_EV_JOIN, call->loc.line);
	if (!c->codegen) {
		ev->fmt = sep ? arena_strndup(c->oa, sep->u.str.data, strlen(sep->u.str.data)) : NULL;
		el = arena_alloc(c->oa, sizeof(*el) * BPFKIT_LANG_JOIN_ARGS);
		el[0].type = ty_str(c, BPFKIT_LANG_JOIN_ARGSIZE);
		for (uint32_t i = 0; i < BPFKIT_LANG_JOIN_ARGS; i++) {
			el[i].offset = 8 + i * BPFKIT_LANG_JOIN_ARGSIZE;
			el[i].type = el[0].type;
		}
		ev->args = el;
		ev->nargs = BPFKIT_LANG_JOIN_ARGS;
		ev->size = 8 + BPFKIT_LANG_JOIN_ARGS * BPFKIT_LANG_JOIN_ARGSIZE;
	}
	sx_of(call)->ev = ev;
	return 0;
}

/*
 * The record is built in slot 0 of the per-CPU BPFKIT_LANG_JOIN_MAP (16 KiB
 * is far over the 512-byte stack): for each element, probe_read the pointer
 * into an 8-byte frame slot, then probe_read_str the string it points to
 * straight into the record. Both helpers zero their destination when they
 * fail, so the element after the last (NULL) reads as "". Memory is user
 * memory as str() decides it (builtin_user_ptr()). join() is a statement,
 * so the register pool is free: arr takes one register, rec another.
 */
static void gen_join(struct cg *g, const struct bpfkit_ast_expr *call)
{
	const struct bpfkit_lang_event *ev = sx_of(call)->ev;
	bool user = builtin_user_ptr(g, call->u.call.args[0]);
	int sp = g->sp, key = cg_stack(g, 8), slot = cg_stack(g, 8), skip = cg_label(g);
	int arr = cg_int(g, call->u.call.args[0]), rec = cg_reg(g);

	cg_zero(g, key, 8);
	cg_ld_map(g, 1, BPFKIT_LANG_JOIN_MAP);
	cg_fp_addr(g, 2, key);
	cg_call_unchecked(g, "map_lookup_elem"); /* a per-CPU slot: never misses */
	cg_jmp(g, BPFKIT_JEQ, 0, -1, 0, skip);
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, rec, 0, 0, 0);
	cg_emit(g, BPFKIT_ST | BPFKIT_MEM | BPFKIT_DW, rec, 0, 0, event_id(g, ev));
	for (int i = 0; i < BPFKIT_LANG_JOIN_ARGS; i++) {
		cg_fp_addr(g, 1, slot);
		cg_mov_imm(g, 2, 8);
		cg_emit(g, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, 3, arr, 0, 0);
		if (i)
			cg_emit(g, BPFKIT_ALU64 | BPFKIT_ADD | BPFKIT_K, 3, 0, 0, 8 * i);
		cg_call(g, user ? "probe_read_user" : "probe_read_kernel");
		cg_emit(g, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, 1, rec, 0, 0);
		cg_emit(g, BPFKIT_ALU64 | BPFKIT_ADD | BPFKIT_K, 1, 0, 0, 8 + i * BPFKIT_LANG_JOIN_ARGSIZE);
		cg_mov_imm(g, 2, BPFKIT_LANG_JOIN_ARGSIZE);
		cg_load(g, 3, BPFKIT_REG_FP, slot, 8, false);
		cg_call(g, user ? "probe_read_user_str" : "probe_read_kernel_str");
	}
	cg_output_at(g, rec, 0, ev->size);
	cg_place(g, skip);
	cg_free(g, rec);
	cg_free(g, arr);
	g->sp = sp;
}

/* ---- strftime() ------------------------------------------------------------------- */

static const struct bpfkit_lang_vtype ty_timestamp = { .kind = BPFKIT_LANG_V_TIMESTAMP, .size = 16 };

/*
 * strftime(fmt, nsecs): a value of 16 bytes, the id of an EV_STRFTIME
 * event holding the format and the nanoseconds since boot; user space turns
 * it into text (bpfkit_fmt__strftime()) wherever it is printed: printf %s,
 * print(), a map key or value. As in bpftrace, nothing about the time is
 * computed in the program.
 */
static int check_strftime(struct cctx *c, struct bpfkit_ast_expr *call, struct mapinfo *m)
{
	struct bpfkit_ast_expr *fmt = call->u.call.args[0], *ns = call->u.call.args[1];
	struct bpfkit_lang_event *ev;

	(void)m;
	if (fmt->kind != BPFKIT_EXPR_STR)
		return sema_error(c, fmt->loc, NULL, "strftime() needs a string literal as its format");
	sema_annot(c, fmt);
	if (sema_expr(c, ns))
		return -EINVAL;
	if (!sx_of(ns)->t || sx_of(ns)->t->kind != BPFKIT_LANG_V_INT)
		return sema_error(c, ns->loc, NULL, "strftime() only supports integer arguments (%s provided)",
				  ty_name(c, sx_of(ns)->t));
	ev = sema_event(c, BPFKIT_LANG_EV_STRFTIME, call->loc.line);
	if (!c->codegen)
		ev->fmt = arena_strndup(c->oa, fmt->u.str.data, strlen(fmt->u.str.data));
	sx_of(call)->ev = ev;
	sx_of(call)->t = &ty_timestamp;
	return 0;
}

static void gen_strftime(struct cg *g, const struct bpfkit_ast_expr *call, int off, uint32_t size)
{
	int r = cg_int(g, call->u.call.args[1]);

	cg_emit(g, BPFKIT_ST | BPFKIT_MEM | BPFKIT_DW, BPFKIT_REG_FP, 0, (int16_t)off, event_id(g, sx_of(call)->ev));
	cg_emit(g, BPFKIT_STX | BPFKIT_MEM | BPFKIT_DW, BPFKIT_REG_FP, r, (int16_t)(off + 8), 0);
	cg_free(g, r);
	if (size > 16)
		cg_zero(g, off + 16, ((size + 7) & ~7u) - 16);
}

#define VOIDFN(n, lo, hi, chk, gen) \
	{ .name = n, .min_args = lo, .max_args = hi, .flags = FN_VOID, .check = chk, .gen_stmt = gen }

const struct func funcs_out[] = {
	VOIDFN("printf", 1, 65, check_printf, gen_printf),
	VOIDFN("system", 1, 65, check_system, gen_printf),
	VOIDFN("cat", 1, 65, check_cat, gen_printf),
	VOIDFN("join", 1, 2, check_join, gen_join),
	{ .name = "strftime", .min_args = 2, .max_args = 2, .check = check_strftime, .gen_store = gen_strftime },
	VOIDFN("exit", 0, 0, check_exit, gen_exit),
	VOIDFN("print", 1, 3, check_print, gen_print),
	VOIDFN("clear", 1, 1, check_mapev, gen_event),
	VOIDFN("zero", 1, 1, check_mapev, gen_event),
	VOIDFN("time", 0, 1, check_time, gen_event),
	VOIDFN("delete", 1, 1, check_delete, gen_delete),
};
const size_t funcs_out_n = sizeof(funcs_out) / sizeof(funcs_out[0]);
