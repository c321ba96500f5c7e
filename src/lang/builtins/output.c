// SPDX-License-Identifier: MIT
/*
 * Functions that talk to user space or act on whole maps: printf, print,
 * exit, clear, zero, time (events in the ring buffer), and delete (a
 * map_delete_elem in the program).
 *
 * An event record is built in the frame: the event id (its index in the
 * event table) as a u64, then the arguments, each at an 8-byte aligned
 * offset, then sent with ringbuf_output(). The format string stays in user
 * space, in the event table.
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

static int check_printf(struct cctx *c, struct bpfkit_ast_expr *call, struct mapinfo *m)
{
	struct bpfkit_ast_expr *fmt = call->u.call.args[0];
	size_t n = call->u.call.nargs - 1;
	enum bpfkit_out_kind kinds[64];
	struct bpfkit_diag d = { 0 };
	struct bpfkit_lang_event *ev;
	int err = 0;

	(void)m;
	if (fmt->kind != BPFKIT_EXPR_STR)
		return sema_error(c, fmt->loc, NULL, "printf() needs a string literal as its format");
	sema_annot(c, fmt);
	for (size_t i = 0; i < n; i++) {
		struct bpfkit_ast_expr *a = call->u.call.args[i + 1];

		err = sema_expr(c, a) ?: err;
		if (err)
			continue;
		if (!sx_of(a)->t || sx_of(a)->t->kind == BPFKIT_LANG_V_TUPLE)
			err = sema_error(c, a->loc, NULL, "printf() cannot print %s", ty_name(c, sx_of(a)->t));
		else
			kinds[i] = sx_of(a)->t->kind == BPFKIT_LANG_V_INT ? BPFKIT_OUT_INT : BPFKIT_OUT_STR;
	}
	if (err)
		return err;
	if (strlen(fmt->u.str.data) != fmt->u.str.len)
		return sema_error(c, fmt->loc, NULL, "printf(): the format holds a NUL byte");
	if (bpfkit_fmt__check(fmt->u.str.data, kinds, n, &d)) {
		struct bpfkit_loc loc = fmt->loc;

		if (d.col > 0 && loc.len >= 2 && fmt->u.str.len + 2 == (size_t)loc.len) {
			/* no escapes: point at the conversion itself */
			loc.col += d.col;
			loc.len = d.len > 0 ? d.len : 1;
		}
		return sema_error(c, loc, NULL, "%s", d.msg);
	}
	ev = sema_event(c, BPFKIT_LANG_EV_PRINTF, call->loc.line);
	if (!c->codegen) {
		ev->fmt = arena_strndup(c->oa, fmt->u.str.data, fmt->u.str.len);
		event_args(c, ev, call->u.call.args + 1, n);
	}
	sx_of(call)->ev = ev;
	return 0;
}

/* Build and send the record of the call's event from args[first..]. */
static void emit_record(struct cg *g, const struct bpfkit_ast_expr *call, size_t first)
{
	const struct bpfkit_lang_event *ev = sx_of(call)->ev;
	int64_t id = -1;
	int off;

	for (size_t i = 0; i < g->c->events.n; i++)
		if (g->c->events.items[i] == ev)
			id = (int64_t)i;
	off = cg_stack(g, ev->size);
	cg_emit(g, BPFKIT_ST | BPFKIT_MEM | BPFKIT_DW, BPFKIT_REG_FP, 0, (int16_t)off, (int32_t)id);
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

#define VOIDFN(n, lo, hi, chk, gen) \
	{ .name = n, .min_args = lo, .max_args = hi, .flags = FN_VOID, .check = chk, .gen_stmt = gen }

const struct func funcs_out[] = {
	VOIDFN("printf", 1, 65, check_printf, gen_printf),
	VOIDFN("exit", 0, 0, check_exit, gen_exit),
	VOIDFN("print", 1, 3, check_print, gen_print),
	VOIDFN("clear", 1, 1, check_mapev, gen_event),
	VOIDFN("zero", 1, 1, check_mapev, gen_event),
	VOIDFN("time", 0, 1, check_time, gen_event),
	VOIDFN("delete", 1, 1, check_delete, gen_delete),
};
const size_t funcs_out_n = sizeof(funcs_out) / sizeof(funcs_out[0]);
