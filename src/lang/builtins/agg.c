// SPDX-License-Identifier: MIT
/*
 * Aggregations: count, sum, min, max, avg, stats, hist, lhist.
 *
 * Each lives in a per-CPU hash, so the update is a plain read-modify-write
 * through the pointer map_lookup_elem returns:
 *
 *     r0 = lookup(key); if r0 == 0 goto miss; APPLY; goto done
 *     miss: value = INIT; r0 = update(key, value, BPF_NOEXIST)
 *           if r0 == 0 goto done          (created)
 *           r0 = lookup(key); if r0 == 0 goto done; APPLY   (lost a race)
 *     done:
 *
 * A keyless count() is a per-CPU array of one slot instead (layout_maps()
 * in sema_compile.c): its lookup never misses, so only the first line
 * remains (the null check stays for the verifier).
 *
 * Value layouts are in include/bpfkit/lang.h and docs/lang-compiler.md;
 * hist and lhist append a u64 bucket index to the key.
 */
#include <string.h>

#include "lang/compile_int.h"

#define BPF_NOEXIST 1

static const struct bpfkit_lang_vtype *pair(struct cctx *c, const struct bpfkit_lang_vtype *a,
					    const struct bpfkit_lang_vtype *b)
{
	const struct bpfkit_lang_vtype *el[2] = { a, b };

	return ty_tuple(c, el, 2);
}

/* Type-check the arguments and define the map's value. */
static int check_agg(struct cctx *c, struct bpfkit_ast_expr *call, struct mapinfo *m)
{
	const struct func *f = sx_of(call)->fn;
	const struct bpfkit_lang_vtype *v;
	int err = 0;

	for (size_t i = 0; i < call->u.call.nargs; i++)
		err = sema_expr(c, call->u.call.args[i]) ?: err;
	if (err)
		return err;
	for (size_t i = 0; i < call->u.call.nargs; i++)
		if (!sx_of(call->u.call.args[i])->t || sx_of(call->u.call.args[i])->t->kind != BPFKIT_LANG_V_INT)
			return sema_error(c, call->u.call.args[i]->loc, NULL, "%s() expects an integer, got %s",
					  f->name, ty_name(c, sx_of(call->u.call.args[i])->t));
	switch (f->agg) {
	case BPFKIT_LANG_AGG_COUNT:
	case BPFKIT_LANG_AGG_HIST:
	case BPFKIT_LANG_AGG_LHIST:
		v = &ty_u64;
		break;
	case BPFKIT_LANG_AGG_SUM:
		v = &ty_s64;
		break;
	case BPFKIT_LANG_AGG_MIN:
	case BPFKIT_LANG_AGG_MAX:
		v = pair(c, &ty_s64, &ty_u64);
		break;
	default:
		v = pair(c, &ty_s64, &ty_s64);
		break;
	}
	if (f->agg == BPFKIT_LANG_AGG_LHIST) {
		int64_t p[3];

		for (int i = 0; i < 3; i++)
			if (sema_const_int(c, call->u.call.args[i + 1], &p[i]) || p[i] < INT32_MIN ||
			    p[i] > INT32_MAX)
				return sema_error(c, call->u.call.args[i + 1]->loc, NULL,
						  "lhist(): min, max and step must be integer literals within int32");
		if (p[2] <= 0 || p[1] <= p[0] || (p[1] - p[0]) / p[2] > 1000)
			return sema_error(c, call->loc, NULL,
					  "lhist(): need min < max, step > 0 and at most 1000 buckets");
		if (m->typed && m->d.agg == BPFKIT_LANG_AGG_LHIST &&
		    (m->d.lmin != p[0] || m->d.lmax != p[1] || m->d.lstep != p[2]))
			return sema_error(c, call->loc, NULL, "lhist(): map %s is used with other parameters",
					  m->d.name);
		m->d.lmin = p[0];
		m->d.lmax = p[1];
		m->d.lstep = p[2];
	}
	if (c->env && c->env->ustack_dwarf) { /* its key may hold a ustack to unwind: gen_agg() decides */
		struct bpfkit_lang_event *ev = sema_event(c, BPFKIT_LANG_EV_AGG, call->loc.line);

		ev->map = m->d.name;
		sx_of(call)->ev = ev;
	}
	return sema_map_value(c, m, f->agg, v, call->loc);
}

/* The id of event @p ev: its index in the event table. */
static int32_t agg_event_id(const struct cg *g, const struct bpfkit_lang_event *ev)
{
	for (size_t i = 0; i < g->c->events.n; i++)
		if (g->c->events.items[i] == ev)
			return (int32_t)i;
	return -1;
}

/*
 * @m[k] = agg(v) where k holds a ustack unwound in user space: its value is
 * a sample's tag, so the kernel map would get one key per sample. User
 * space aggregates instead (lang.h's BPFKIT_LANG_EV_AGG): the record
 * { id, v, key } is built on the stack after the key and sent; user space
 * puts the unwound stack's index in the key and applies the aggregation.
 */
static void gen_agg_event(struct cg *g, const struct bpfkit_lang_event *ev, int v, int koff, uint32_t ksize)
{
	int rec = cg_stack(g, 16 + ksize);

	cg_emit(g, BPFKIT_ST | BPFKIT_MEM | BPFKIT_DW, BPFKIT_REG_FP, 0, (int16_t)rec, agg_event_id(g, ev));
	if (v >= 0)
		cg_emit(g, BPFKIT_STX | BPFKIT_MEM | BPFKIT_DW, BPFKIT_REG_FP, v, (int16_t)(rec + 8), 0);
	else
		cg_emit(g, BPFKIT_ST | BPFKIT_MEM | BPFKIT_DW, BPFKIT_REG_FP, 0, (int16_t)(rec + 8), 0);
	for (uint32_t i = 0; i < ksize; i += 8) {
		cg_emit(g, BPFKIT_LDX | BPFKIT_MEM | BPFKIT_DW, 1, BPFKIT_REG_FP, (int16_t)(koff + (int)i), 0);
		cg_emit(g, BPFKIT_STX | BPFKIT_MEM | BPFKIT_DW, BPFKIT_REG_FP, 1, (int16_t)(rec + 16 + (int)i), 0);
	}
	cg_output(g, rec, 16 + ksize);
}

/* Update the value at r0 with the argument in register @p v. */
static void agg_apply(struct cg *g, enum bpfkit_lang_agg agg, int v)
{
	int assign, skip;

	switch (agg) {
	case BPFKIT_LANG_AGG_SUM:
		cg_load(g, 1, 0, 0, 8, false);
		cg_emit(g, BPFKIT_ALU64 | BPFKIT_ADD | BPFKIT_X, 1, v, 0, 0);
		cg_emit(g, BPFKIT_STX | BPFKIT_MEM | BPFKIT_DW, 0, 1, 0, 0);
		return;
	case BPFKIT_LANG_AGG_MIN:
	case BPFKIT_LANG_AGG_MAX:
		/* a CPU whose slot was zeroed when another CPU created the key
		 * has set == 0: take the value as it is */
		assign = cg_label(g);
		skip = cg_label(g);
		cg_load(g, 1, 0, 8, 8, false);
		cg_jmp(g, BPFKIT_JEQ, 1, -1, 0, assign);
		cg_load(g, 1, 0, 0, 8, false);
		cg_jmp(g, agg == BPFKIT_LANG_AGG_MIN ? BPFKIT_JSGE : BPFKIT_JSLE, v, 1, 0, skip);
		cg_place(g, assign);
		cg_emit(g, BPFKIT_STX | BPFKIT_MEM | BPFKIT_DW, 0, v, 0, 0);
		cg_emit(g, BPFKIT_ST | BPFKIT_MEM | BPFKIT_DW, 0, 0, 8, 1);
		cg_place(g, skip);
		return;
	case BPFKIT_LANG_AGG_AVG:
	case BPFKIT_LANG_AGG_STATS:
		cg_load(g, 1, 0, 0, 8, false);
		cg_emit(g, BPFKIT_ALU64 | BPFKIT_ADD | BPFKIT_K, 1, 0, 0, 1);
		cg_emit(g, BPFKIT_STX | BPFKIT_MEM | BPFKIT_DW, 0, 1, 0, 0);
		cg_load(g, 1, 0, 8, 8, false);
		cg_emit(g, BPFKIT_ALU64 | BPFKIT_ADD | BPFKIT_X, 1, v, 0, 0);
		cg_emit(g, BPFKIT_STX | BPFKIT_MEM | BPFKIT_DW, 0, 1, 8, 0);
		return;
	default: /* count, hist, lhist: one more */
		cg_load(g, 1, 0, 0, 8, false);
		cg_emit(g, BPFKIT_ALU64 | BPFKIT_ADD | BPFKIT_K, 1, 0, 0, 1);
		cg_emit(g, BPFKIT_STX | BPFKIT_MEM | BPFKIT_DW, 0, 1, 0, 0);
		return;
	}
}

/* The first value of a key: written to the frame at @p voff. */
static void agg_init(struct cg *g, enum bpfkit_lang_agg agg, int v, int voff)
{
	switch (agg) {
	case BPFKIT_LANG_AGG_SUM:
		cg_emit(g, BPFKIT_STX | BPFKIT_MEM | BPFKIT_DW, BPFKIT_REG_FP, v, (int16_t)voff, 0);
		return;
	case BPFKIT_LANG_AGG_MIN:
	case BPFKIT_LANG_AGG_MAX:
		cg_emit(g, BPFKIT_STX | BPFKIT_MEM | BPFKIT_DW, BPFKIT_REG_FP, v, (int16_t)voff, 0);
		cg_emit(g, BPFKIT_ST | BPFKIT_MEM | BPFKIT_DW, BPFKIT_REG_FP, 0, (int16_t)(voff + 8), 1);
		return;
	case BPFKIT_LANG_AGG_AVG:
	case BPFKIT_LANG_AGG_STATS:
		cg_emit(g, BPFKIT_ST | BPFKIT_MEM | BPFKIT_DW, BPFKIT_REG_FP, 0, (int16_t)voff, 1);
		cg_emit(g, BPFKIT_STX | BPFKIT_MEM | BPFKIT_DW, BPFKIT_REG_FP, v, (int16_t)(voff + 8), 0);
		return;
	default:
		cg_emit(g, BPFKIT_ST | BPFKIT_MEM | BPFKIT_DW, BPFKIT_REG_FP, 0, (int16_t)voff, 1);
		return;
	}
}

/* hist(): bucket of v as bpftrace 0.17 computes it (0 negative, 1 zero,
 * 2 + floor(log2 v) with at most 31 from shifting), into the key's last word. */
static void hist_bucket(struct cg *g, int v, int at)
{
	int store = cg_label(g);

	cg_emit(g, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, 1, v, 0, 0);
	cg_mov_imm(g, 2, 0);
	cg_jmp(g, BPFKIT_JSLT, 1, -1, 0, store);
	cg_mov_imm(g, 2, 1);
	cg_jmp(g, BPFKIT_JEQ, 1, -1, 0, store);
	cg_mov_imm(g, 2, 2);
	for (int s = 16; s >= 1; s /= 2) {
		cg_emit(g, BPFKIT_JMP | BPFKIT_JLT | BPFKIT_K, 1, 0, 2, 1 << s);
		cg_emit(g, BPFKIT_ALU64 | BPFKIT_RSH | BPFKIT_K, 1, 0, 0, s);
		cg_emit(g, BPFKIT_ALU64 | BPFKIT_ADD | BPFKIT_K, 2, 0, 0, s);
	}
	cg_place(g, store);
	cg_emit(g, BPFKIT_STX | BPFKIT_MEM | BPFKIT_DW, BPFKIT_REG_FP, 2, (int16_t)at, 0);
}

/* lhist(): 0 below min, 1 + (v - min) / step, clamped to the last bucket. */
static void lhist_bucket(struct cg *g, const struct mapinfo *m, int v, int at)
{
	int store = cg_label(g);
	int64_t last = (m->d.lmax - m->d.lmin) / m->d.lstep + 1;

	cg_mov_imm(g, 2, 0);
	cg_jmp(g, BPFKIT_JSLT, v, -1, (int32_t)m->d.lmin, store);
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, 2, v, 0, 0);
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_SUB | BPFKIT_K, 2, 0, 0, (int32_t)m->d.lmin);
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_DIV | BPFKIT_K, 2, 0, 0, (int32_t)m->d.lstep);
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_ADD | BPFKIT_K, 2, 0, 0, 1);
	cg_jmp(g, BPFKIT_JLE, 2, -1, (int32_t)last, store);
	cg_mov_imm(g, 2, last);
	cg_place(g, store);
	cg_emit(g, BPFKIT_STX | BPFKIT_MEM | BPFKIT_DW, BPFKIT_REG_FP, 2, (int16_t)at, 0);
}

/* @m[k] = agg(args): see the comment at the top of the file. */
static void gen_agg(struct cg *g, const struct bpfkit_ast_expr *call, struct mapinfo *m,
		    const struct bpfkit_ast_expr *target)
{
	enum bpfkit_lang_agg agg = m->d.agg;
	bool hist = agg == BPFKIT_LANG_AGG_HIST || agg == BPFKIT_LANG_AGG_LHIST;
	int v = call->u.call.nargs ? cg_int(g, call->u.call.args[0]) : -1;
	int koff = cg_map_key(g, m, target, hist ? 8 : 0);
	int done = cg_label(g);

	if (hist) {
		int at = koff + (int)(m->d.key ? m->d.key->size : 8);

		if (agg == BPFKIT_LANG_AGG_HIST)
			hist_bucket(g, v, at);
		else
			lhist_bucket(g, m, v, at);
	}
	if (sx_of(call)->ev && ty_has_dwarf_stack(m->d.key)) {
		gen_agg_event(g, sx_of(call)->ev, v, koff, m->d.key_size);
		if (v >= 0)
			cg_free(g, v);
		return;
	}
	cg_lookup(g, m, koff);
	if (m->d.kind == BPFKIT_LANG_MAP_PERCPU_ARRAY) {
		cg_jmp(g, BPFKIT_JEQ, 0, -1, 0, done);
		agg_apply(g, agg, v);
	} else {
		int voff = cg_stack(g, m->d.value->size), miss = cg_label(g);

		cg_jmp(g, BPFKIT_JEQ, 0, -1, 0, miss);
		agg_apply(g, agg, v);
		cg_goto(g, done);
		cg_place(g, miss);
		agg_init(g, agg, v, voff);
		cg_update(g, m, koff, voff, BPF_NOEXIST);
		cg_jmp(g, BPFKIT_JEQ, 0, -1, 0, done);
		cg_lookup(g, m, koff);
		cg_jmp(g, BPFKIT_JEQ, 0, -1, 0, done);
		agg_apply(g, agg, v);
	}
	cg_place(g, done);
	if (v >= 0)
		cg_free(g, v);
}

#define AGG(n, lo, hi, kind)                                                                       \
	{ .name = n, .min_args = lo, .max_args = hi, .flags = FN_AGG, .agg = kind, .check = check_agg, \
	  .gen_agg = gen_agg }

const struct func funcs_agg[] = {
	AGG("count", 0, 0, BPFKIT_LANG_AGG_COUNT), AGG("sum", 1, 1, BPFKIT_LANG_AGG_SUM),
	AGG("min", 1, 1, BPFKIT_LANG_AGG_MIN),     AGG("max", 1, 1, BPFKIT_LANG_AGG_MAX),
	AGG("avg", 1, 1, BPFKIT_LANG_AGG_AVG),     AGG("stats", 1, 1, BPFKIT_LANG_AGG_STATS),
	AGG("hist", 1, 1, BPFKIT_LANG_AGG_HIST),   AGG("lhist", 4, 4, BPFKIT_LANG_AGG_LHIST),
};
const size_t funcs_agg_n = sizeof(funcs_agg) / sizeof(funcs_agg[0]);
