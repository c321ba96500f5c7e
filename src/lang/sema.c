// SPDX-License-Identifier: MIT
/*
 * Semantic pass of the compiler: value types, maps, variables and events.
 *
 * The pass walks one probe body for one concrete target (a wildcard probe is
 * checked once per target, since `args->x` may differ between them) and
 * hangs a struct sx on every expression. Maps are global: their key and
 * value types are unified over every use in the script. bpfkit_lang__compile
 * (sema_run.c) runs this pass in rounds; see docs/lang-compiler.md.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/compile_int.h"

const struct bpfkit_lang_vtype ty_u64 = { .kind = BPFKIT_LANG_V_INT, .size = 8 };
const struct bpfkit_lang_vtype ty_s64 = { .kind = BPFKIT_LANG_V_INT, .size = 8, .is_signed = true };
const struct bpfkit_lang_vtype ty_probe = { .kind = BPFKIT_LANG_V_PROBE, .size = 8 };

/* ---- Types ------------------------------------------------------------------------- */

const struct bpfkit_lang_vtype *ty_str(struct cctx *c, uint32_t size)
{
	struct bpfkit_lang_vtype *t = arena_alloc(c->oa, sizeof(*t));

	t->kind = BPFKIT_LANG_V_STR;
	t->size = size ? size : 1;
	return t;
}

/*
 * A tuple of stored element types: every element starts on an 8-byte
 * boundary (eBPF stack accesses must be aligned, and this lets every store be
 * a whole word), the whole padded to 8 bytes; padding is zero.
 */
const struct bpfkit_lang_vtype *ty_tuple(struct cctx *c, const struct bpfkit_lang_vtype **elems, size_t n)
{
	struct bpfkit_lang_vtype *t = arena_alloc(c->oa, sizeof(*t));
	struct bpfkit_lang_velem *ev = arena_alloc(c->oa, sizeof(*ev) * (n ? n : 1));
	uint32_t off = 0;

	for (size_t i = 0; i < n; i++) {
		uint32_t al = 8;

		off = (off + al - 1) & ~(al - 1);
		ev[i].offset = off;
		ev[i].type = elems[i];
		off += elems[i]->size;
	}
	t->kind = BPFKIT_LANG_V_TUPLE;
	t->size = (off + 7) & ~7u;
	t->elems = ev;
	t->nelems = n;
	return t;
}

bool ty_same(const struct bpfkit_lang_vtype *a, const struct bpfkit_lang_vtype *b)
{
	if (a->kind != b->kind)
		return false;
	if (a->kind == BPFKIT_LANG_V_INT)
		return true;
	if (a->size != b->size)
		return false;
	if (a->kind == BPFKIT_LANG_V_STACK) /* one stack map and one print form per type */
		return a->stack_depth == b->stack_depth && a->stack_mode == b->stack_mode &&
		       a->stack_user == b->stack_user && a->stack_dwarf == b->stack_dwarf;
	if (a->kind == BPFKIT_LANG_V_TUPLE) {
		if (a->nelems != b->nelems)
			return false;
		for (size_t i = 0; i < a->nelems; i++)
			if (!ty_same(a->elems[i].type, b->elems[i].type))
				return false;
	}
	return true;
}

const struct bpfkit_lang_vtype *ty_stored(struct cctx *c, const struct bpfkit_lang_vtype *t)
{
	const struct bpfkit_lang_vtype *el[64];

	if (t == &ty_ptr)
		return &ty_s64; /* bpftrace prints stored pointers as signed numbers */
	if (t->kind == BPFKIT_LANG_V_INT)
		return t->is_signed ? &ty_s64 : &ty_u64;
	if (t->kind != BPFKIT_LANG_V_TUPLE || t->nelems > 64)
		return t;
	for (size_t i = 0; i < t->nelems; i++)
		el[i] = ty_stored(c, t->elems[i].type);
	return ty_tuple(c, el, t->nelems);
}

/* Unify two stored types: ints keep the first's sign, strings take the
 * longer size, tuples unify element-wise; NULL when the kinds differ. */
const struct bpfkit_lang_vtype *ty_unify(struct cctx *c, const struct bpfkit_lang_vtype *a,
					 const struct bpfkit_lang_vtype *b)
{
	const struct bpfkit_lang_vtype *el[64];

	if (a->kind != b->kind)
		return NULL;
	if (a->kind == BPFKIT_LANG_V_INT)
		return a;
	if (a->kind == BPFKIT_LANG_V_STR || a->kind == BPFKIT_LANG_V_BUF)
		return a->size >= b->size ? a : b;
	if (a->kind == BPFKIT_LANG_V_ARRAY)
		return a->size == b->size ? a : NULL;
	if (a->kind == BPFKIT_LANG_V_STACK || a->kind == BPFKIT_LANG_V_KSYM || a->kind == BPFKIT_LANG_V_USYM ||
	    a->kind == BPFKIT_LANG_V_PROBE || a->kind == BPFKIT_LANG_V_TIMESTAMP)
		return ty_same(a, b) ? a : NULL;
	if (a->nelems != b->nelems || a->nelems > 64)
		return NULL;
	for (size_t i = 0; i < a->nelems; i++) {
		el[i] = ty_unify(c, a->elems[i].type, b->elems[i].type);
		if (!el[i])
			return NULL;
	}
	if (ty_same(a, b))
		return a;
	return ty_tuple(c, el, a->nelems);
}

static void ty_name_into(char *buf, size_t size, const struct bpfkit_lang_vtype *t)
{
	size_t n = strlen(buf);

	if (n + 1 >= size)
		return;
	switch (t->kind) {
	case BPFKIT_LANG_V_INT:
		snprintf(buf + n, size - n, "%sint%u", t->is_signed ? "" : "u", t->size * 8);
		break;
	case BPFKIT_LANG_V_STR:
		snprintf(buf + n, size - n, "string[%u]", t->size);
		break;
	case BPFKIT_LANG_V_TIMESTAMP:
		snprintf(buf + n, size - n, "timestamp");
		break;
	case BPFKIT_LANG_V_PROBE:
		snprintf(buf + n, size - n, "probe");
		break;
	case BPFKIT_LANG_V_KSYM:
		snprintf(buf + n, size - n, "ksym");
		break;
	case BPFKIT_LANG_V_USYM:
		snprintf(buf + n, size - n, "usym");
		break;
	case BPFKIT_LANG_V_STACK:
		snprintf(buf + n, size - n, "%s(%s, %u)", t->stack_user ? "ustack" : "kstack",
			 t->stack_mode == 1 ? "perf" : t->stack_mode == 2 ? "raw" : "bpftrace", t->stack_depth);
		break;
	case BPFKIT_LANG_V_INET:
		snprintf(buf + n, size - n, "inet");
		break;
	case BPFKIT_LANG_V_MAC:
		snprintf(buf + n, size - n, "mac_address");
		break;
	case BPFKIT_LANG_V_ERRNO:
		snprintf(buf + n, size - n, "strerror");
		break;
	case BPFKIT_LANG_V_USER:
		snprintf(buf + n, size - n, "username");
		break;
	case BPFKIT_LANG_V_BUF:
		snprintf(buf + n, size - n, "buffer[%u]", t->size - 8);
		break;
	case BPFKIT_LANG_V_ARRAY:
		snprintf(buf + n, size - n, "uint8[%u]", t->size);
		break;
	case BPFKIT_LANG_V_TUPLE:
		snprintf(buf + n, size - n, "(");
		for (size_t i = 0; i < t->nelems; i++) {
			if (i)
				strncat(buf, ", ", size - strlen(buf) - 1);
			ty_name_into(buf, size, t->elems[i].type);
		}
		strncat(buf, ")", size - strlen(buf) - 1);
		break;
	}
}

const char *ty_name(struct cctx *c, const struct bpfkit_lang_vtype *t)
{
	char buf[256] = "";

	if (!t)
		return "none";
	ty_name_into(buf, sizeof(buf), t);
	return arena_strndup(c->a, buf, strlen(buf));
}

/* ---- Diagnostics, maps, events -------------------------------------------------------- */

int sema_error(struct cctx *c, struct bpfkit_loc loc, const char *hint, const char *fmt, ...)
{
	va_list ap;

	c->errors++;
	if (c->quiet)
		return -EINVAL;
	va_start(ap, fmt);
	lang_vdiag(c->l, BPFKIT_LANG_ERROR, loc, hint, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

const char *env_why(struct cctx *c, int err)
{
	const char *why = c->env && c->env->why ? c->env->why(c->env->user) : NULL;

	return why && *why ? why : strerror(err < 0 ? -err : err);
}

/* A warning, reported once per place and text: a probe's body is checked
 * for each of its targets, and twice (types, then code). */
void sema_warning(struct cctx *c, struct bpfkit_loc loc, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (c->quiet || c->codegen)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (const struct bpfkit_lang_diag *d = bpfkit_lang__diags(c->l); d; d = d->next)
		if (d->severity == BPFKIT_LANG_WARNING && d->loc.line == loc.line && d->loc.col == loc.col &&
		    !strcmp(d->msg, msg))
			return;
	lang_diag(c->l, BPFKIT_LANG_WARNING, loc, NULL, "%s", msg);
}

void sema_note(struct cctx *c, struct bpfkit_loc loc, const char *fmt, ...)
{
	va_list ap;

	if (c->quiet)
		return;
	va_start(ap, fmt);
	lang_vdiag(c->l, BPFKIT_LANG_NOTE, loc, NULL, fmt, ap);
	va_end(ap);
}

struct sx *sema_annot(struct cctx *c, struct bpfkit_ast_expr *e)
{
	struct sx *s = arena_alloc(c->a, sizeof(*s));

	e->sema = s;
	return s;
}

struct mapinfo *sema_map(struct cctx *c, const char *name, struct bpfkit_loc loc)
{
	struct mapinfo *m;

	for (size_t i = 0; i < c->maps.n; i++) {
		m = c->maps.items[i];
		if (!strcmp(m->d.name, name))
			return m;
	}
	m = arena_alloc(c->a, sizeof(*m));
	m->d.name = arena_strndup(c->oa, name, strlen(name));
	m->d.max_entries = c->env && c->env->map_keys ? c->env->map_keys : BPFKIT_LANG_MAP_KEYS;
	m->loc = loc;
	m->id = c->maps.n;
	ptrvec_push(c->a, &c->maps, m);
	return m;
}

/* The key type a MAP expression's keys make: NULL for no key. */
static const struct bpfkit_lang_vtype *map_key_type(struct cctx *c, struct bpfkit_ast_expr *e)
{
	const struct bpfkit_lang_vtype *el[64];

	if (e->u.map.nkeys == 0)
		return NULL;
	if (e->u.map.nkeys == 1)
		return ty_stored(c, sx_of(e->u.map.keys[0])->t);
	for (size_t i = 0; i < e->u.map.nkeys && i < 64; i++)
		el[i] = ty_stored(c, sx_of(e->u.map.keys[i])->t);
	return ty_tuple(c, el, e->u.map.nkeys);
}

/* Whether a key of type @p t holds a ustack unwound in user space. */
bool ty_has_dwarf_stack(const struct bpfkit_lang_vtype *t)
{
	if (!t)
		return false;
	if (t->kind == BPFKIT_LANG_V_STACK)
		return t->stack_dwarf;
	for (size_t i = 0; t->kind == BPFKIT_LANG_V_TUPLE && i < t->nelems; i++)
		if (ty_has_dwarf_stack(t->elems[i].type))
			return true;
	return false;
}

/*
 * With --ustack-unwind dwarf, a ustack's value is one sample's tag: only
 * aggregations, which user space applies by the unwound stack
 * (builtins/agg.c), can take it as a key; a plain value or @m[k]++ would
 * get a key per sample.
 */
static int dwarf_key_check(struct cctx *c, const struct mapinfo *m, struct bpfkit_loc loc)
{
	if (m->typed && m->d.agg == BPFKIT_LANG_AGG_PLAIN && ty_has_dwarf_stack(m->d.key))
		return sema_error(c, loc, NULL,
				  "map %s: with --ustack-unwind dwarf, a ustack key takes an aggregation "
				  "(count(), sum(), min(), max(), avg(), stats(), hist(), lhist()), not a value",
				  m->d.name);
	return 0;
}

int sema_map_keys(struct cctx *c, struct mapinfo *m, struct bpfkit_ast_expr *e)
{
	const struct bpfkit_lang_vtype *k, *u;

	if (e->u.map.nkeys > 64)
		return sema_error(c, e->loc, NULL, "too many keys for map %s", m->d.name);
	for (size_t i = 0; i < e->u.map.nkeys; i++) {
		const struct bpfkit_lang_vtype *t = sx_of(e->u.map.keys[i])->t;

		if (!t)
			return sema_error(c, e->u.map.keys[i]->loc, NULL, "map key has no value");
		if (t->kind == BPFKIT_LANG_V_TUPLE)
			return sema_error(c, e->u.map.keys[i]->loc, NULL,
					  "a tuple as a map key is not yet supported by bpfkit");
	}
	k = map_key_type(c, e);
	if (!m->key_typed) {
		m->key_typed = true;
		m->d.key = k;
		m->d.nkeys = e->u.map.nkeys;
		return dwarf_key_check(c, m, e->loc);
	}
	if ((k == NULL) != (m->d.key == NULL) || m->d.nkeys != e->u.map.nkeys ||
	    (k && !(u = ty_unify(c, m->d.key, k))))
		return sema_error(c, e->loc, NULL,
				  "map %s used with different key types: %s here, %s before", m->d.name,
				  ty_name(c, k), ty_name(c, m->d.key));
	if (k)
		m->d.key = u;
	return dwarf_key_check(c, m, e->loc);
}

static const char *const agg_names[] = {
	[BPFKIT_LANG_AGG_PLAIN] = "a value",
	[BPFKIT_LANG_AGG_COUNT] = "count()",
	[BPFKIT_LANG_AGG_SUM] = "sum()",
	[BPFKIT_LANG_AGG_MIN] = "min()",
	[BPFKIT_LANG_AGG_MAX] = "max()",
	[BPFKIT_LANG_AGG_AVG] = "avg()",
	[BPFKIT_LANG_AGG_STATS] = "stats()",
	[BPFKIT_LANG_AGG_HIST] = "hist()",
	[BPFKIT_LANG_AGG_LHIST] = "lhist()",
};

int sema_map_value(struct cctx *c, struct mapinfo *m, enum bpfkit_lang_agg agg,
		   const struct bpfkit_lang_vtype *value, struct bpfkit_loc loc)
{
	const struct bpfkit_lang_vtype *u;

	if (!m->typed) {
		m->typed = true;
		m->d.agg = agg;
		m->d.value = value;
		return dwarf_key_check(c, m, loc);
	}
	if (m->d.agg != agg)
		return sema_error(c, loc, NULL, "map %s holds %s elsewhere, %s here", m->d.name,
				  agg_names[m->d.agg], agg_names[agg]);
	u = ty_unify(c, m->d.value, value);
	if (!u)
		return sema_error(c, loc, NULL, "map %s holds %s elsewhere, %s here", m->d.name,
				  ty_name(c, m->d.value), ty_name(c, value));
	m->d.value = u;
	return dwarf_key_check(c, m, loc);
}

struct bpfkit_lang_event *sema_event(struct cctx *c, enum bpfkit_lang_event_kind kind, int line)
{
	struct bpfkit_lang_event *ev;

	if (c->codegen && c->event_cursor < c->nsema_events) {
		ev = c->events.items[c->event_cursor++];
		return ev;
	}
	ev = arena_alloc(c->oa, sizeof(*ev));
	ev->kind = kind;
	ev->line = line;
	ev->size = 8;
	ptrvec_push(c->a, &c->events, ev);
	if (c->codegen)
		c->event_cursor++;
	return ev;
}

int sema_const_int(struct cctx *c, const struct bpfkit_ast_expr *e, int64_t *v)
{
	(void)c;
	if (e->kind != BPFKIT_EXPR_INT)
		return -EINVAL;
	*v = (int64_t)e->u.num.value;
	return 0;
}

/* ---- Expressions ------------------------------------------------------------------------ */

static bool is_int(const struct bpfkit_ast_expr *e)
{
	return sx_of(e)->t && sx_of(e)->t->kind == BPFKIT_LANG_V_INT;
}

static int need_int(struct cctx *c, const struct bpfkit_ast_expr *e, const char *what)
{
	if (is_int(e))
		return 0;
	return sema_error(c, e->loc, NULL, "%s expects an integer, got %s", what,
			  ty_name(c, sx_of(e)->t));
}

/*
 * A literal shift amount must lie in 0..63: the kernel verifier refuses a
 * shift by an immediate outside that range ("invalid shift 64"), so say so
 * here, at the amount, rather than at load time. Amounts computed at run
 * time go through a register, where eBPF masks them.
 */
static int check_shift(struct cctx *c, enum bpfkit_ast_op op, const struct bpfkit_ast_expr *amount)
{
	if ((op != BPFKIT_OP_SHL && op != BPFKIT_OP_SHR) || amount->kind != BPFKIT_EXPR_INT)
		return 0;
	if (!amount->u.num.negative && amount->u.num.value <= 63)
		return 0;
	if (amount->u.num.negative)
		return sema_error(c, amount->loc, NULL, "shift amount %lld is out of range (0..63)",
				  (long long)(int64_t)amount->u.num.value);
	return sema_error(c, amount->loc, NULL, "shift amount %llu is out of range (0..63)",
			  (unsigned long long)amount->u.num.value);
}

/* Signedness of an operation: a literal takes the other side's. */
static bool op_signed(const struct bpfkit_ast_expr *a, const struct bpfkit_ast_expr *b)
{
	if (sx_of(a)->lit)
		return sx_of(b)->t->is_signed;
	if (sx_of(b)->lit)
		return sx_of(a)->t->is_signed;
	return sx_of(a)->t->is_signed && sx_of(b)->t->is_signed;
}

static struct var *var_find(struct cctx *c, const char *name)
{
	for (size_t i = 0; i < c->vars.n; i++) {
		struct var *v = c->vars.items[i];

		if (!strcmp(v->name, name))
			return v;
	}
	return NULL;
}

/* `args->name` (or `args.name`): a field of the target's record. */
static int sema_field(struct cctx *c, struct bpfkit_ast_expr *e, struct sx *s)
{
	struct bpfkit_ast_expr *b = e->u.field.base;
	struct target *t = c->t;
	const struct bpfkit_lang_field *f = NULL;
	const char *cands[256];
	size_t nc = 0;
	char list[512] = "";

	if (!t->prov->args)
		return sema_error(c, b->loc, NULL, "'args' is not available in %s probes",
				  bpfkit_probe_type_name(t->prov->type));
	if (t->prov->args(c, t, b->loc))
		return -EINVAL;
	for (size_t i = 0; i < t->nfields; i++) {
		if (t->fields[i].common)
			continue;
		if (!strcmp(t->fields[i].name, e->u.field.name))
			f = &t->fields[i];
		if (nc < 256)
			cands[nc++] = t->fields[i].name;
		if (strlen(list) + strlen(t->fields[i].name) + 3 < sizeof(list)) {
			if (list[0])
				strcat(list, ", ");
			strcat(list, t->fields[i].name);
		}
	}
	if (!f) {
		sema_error(c, e->loc, bpfkit_lang_suggest(e->u.field.name, cands, nc),
			   "%s has no field '%s'", t->name, e->u.field.name);
		sema_note(c, e->loc, "its fields are: %s", list[0] ? list : "(none)");
		return -EINVAL;
	}
	s->field = f;
	t->reads_fields = true; /* for as_raw_tracepoint() */
	if (strcmp(f->name, "id") || f->offset != 8 || f->size != 8)
		t->reads_not_id = true;
	if (f->is_data_loc) {
		if (!f->is_string)
			return sema_error(c, e->loc, NULL, "field '%s' (__data_loc %s[]) is not yet supported by bpfkit",
					  f->name, f->type);
		s->t = ty_str(c, sema_strlen(c));
	} else if (f->array_len) {
		if (f->is_string)
			s->t = ty_str(c, f->array_len);
		/* other arrays have no value: args->f[N] reads an element (types_sema.c) */
	} else if (f->is_ptr) {
		s->t = &ty_u64;
	} else if (f->size == 1 || f->size == 2 || f->size == 4 || f->size == 8) {
		struct bpfkit_lang_vtype *it = arena_alloc(c->oa, sizeof(*it));

		it->kind = BPFKIT_LANG_V_INT;
		it->size = f->size;
		it->is_signed = f->is_signed;
		s->t = it;
	} else {
		return sema_error(c, e->loc, NULL, "field '%s' of type '%s' is not yet supported by bpfkit",
				  f->name, f->type);
	}
	return 0;
}

/* Every name a call may have, for suggestions. */
static size_t func_names(const char **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < funcs_agg_n && n < max; i++)
		out[n++] = funcs_agg[i].name;
	for (size_t i = 0; i < funcs_out_n && n < max; i++)
		out[n++] = funcs_out[i].name;
	for (size_t i = 0; i < funcs_str_n && n < max; i++)
		out[n++] = funcs_str[i].name;
	for (size_t i = 0; i < funcs_stack_n && n < max; i++)
		out[n++] = funcs_stack[i].name;
	return n;
}

/* A call used as a value or a statement (not as a map aggregation). */
static int sema_call(struct cctx *c, struct bpfkit_ast_expr *e, struct sx *s)
{
	const struct func *f = func_find(e->u.call.name);
	const char *names[128];
	int n = (int)e->u.call.nargs;

	if (!f && todo_find(e->u.call.name, TODO_FUNC))
		return sema_error(c, e->loc, NULL, "%s() is not yet supported by bpfkit", e->u.call.name);
	if (!f)
		return sema_error(c, e->u.call.name_loc, bpfkit_lang_suggest(e->u.call.name, names,
									 func_names(names, 128)),
				  "unknown function '%s'", e->u.call.name);
	s->fn = f;
	if (n < f->min_args || n > f->max_args) {
		if (f->min_args == f->max_args)
			return sema_error(c, e->loc, NULL, "%s() takes %d argument%s, %d given", f->name,
					  f->min_args, f->min_args == 1 ? "" : "s", n);
		return sema_error(c, e->loc, NULL, "%s() takes %d to %d arguments, %d given", f->name,
				  f->min_args, f->max_args, n);
	}
	if (f->flags & FN_AGG)
		return sema_error(c, e->loc, NULL, "%s() must be assigned to a map: @x = %s(...)", f->name,
				  f->name);
	return f->check(c, e, NULL);
}

/* Type binary operator @p e, whose operands are typed. */
static int sema_binop_node(struct cctx *c, struct bpfkit_ast_expr *e, struct sx *s)
{
	struct bpfkit_ast_expr *a = e->u.binop.lhs, *b = e->u.binop.rhs;
	enum bpfkit_ast_op op = e->u.binop.op;

	if (!sx_of(a)->t || !sx_of(b)->t)
		return sema_error(c, e->loc, NULL, "operand has no value");
	/* strings with strings; probes with probes (ids: equal when the names are), arrays
	 * (pton()) with arrays of their size, as bpftrace */
	if ((op == BPFKIT_OP_EQ || op == BPFKIT_OP_NE) &&
	    (sx_of(a)->t->kind == BPFKIT_LANG_V_STR || sx_of(a)->t->kind == BPFKIT_LANG_V_PROBE ||
	     sx_of(b)->t->kind == BPFKIT_LANG_V_PROBE || sx_of(a)->t->kind == BPFKIT_LANG_V_ARRAY ||
	     sx_of(b)->t->kind == BPFKIT_LANG_V_ARRAY)) {
		if (sx_of(b)->t->kind != sx_of(a)->t->kind)
			return sema_error(c, e->u.binop.op_loc, NULL, "cannot compare %s with %s",
					  ty_name(c, sx_of(a)->t), ty_name(c, sx_of(b)->t));
		if (sx_of(a)->t->kind == BPFKIT_LANG_V_ARRAY && sx_of(a)->t->size != sx_of(b)->t->size)
			return sema_error(c, e->u.binop.op_loc, NULL,
					  "Only arrays of same size support comparison operators.");
		s->t = &ty_u64;
		return 0;
	}
	if (!is_int(a) || !is_int(b))
		return sema_error(c, e->u.binop.op_loc, NULL, "operator '%s' expects integers, got %s and %s",
				  bpfkit_ast_op_str(op), ty_name(c, sx_of(a)->t), ty_name(c, sx_of(b)->t));
	if (check_shift(c, op, b))
		return -EINVAL;
	if (op >= BPFKIT_OP_EQ && op <= BPFKIT_OP_LOR)
		s->t = &ty_u64;
	else
		s->t = op_signed(a, b) ? &ty_s64 : &ty_u64;
	s->lit = sx_of(a)->lit && sx_of(b)->lit;
	if (sema_ptr_arith(c, e, s) < 0)
		return -EINVAL;
	return 0;
}

const struct bpfkit_ast_expr **sema_spine(struct cctx *c, const struct bpfkit_ast_expr *e,
					  bool (*in_chain)(const struct bpfkit_ast_expr *),
					  const struct bpfkit_ast_expr *buf[SPINE_BUF], size_t *n)
{
	const struct bpfkit_ast_expr **spine = buf;

	*n = ast_binop_spine(e, in_chain, buf, SPINE_BUF);
	if (*n > SPINE_BUF) {
		spine = arena_alloc(c->a, *n * sizeof(*spine));
		ast_binop_spine(e, in_chain, spine, *n);
	}
	return spine;
}

/*
 * A binary operator and the chain it heads (1 + 2 + ... + n, see
 * ast_binop_spine()): the innermost left operand first, then up the spine,
 * each right operand and then its operator. An operand in error is still
 * followed by the others, for their errors, but no operator above it is
 * checked.
 */
/*
 * An operand of binary operator @p op. For == and !=, a tracepoint field
 * that is an array of 4 or 16 bytes (u8 saddr[4], daddr_v6[16]) is a value
 * of its bytes (BPFKIT_LANG_V_ARRAY), so that `args->saddr ==
 * pton("127.0.0.1")` compares addresses, as bpftrace does; anything else
 * as sema_expr().
 */
static int sema_operand(struct cctx *c, struct bpfkit_ast_expr *x, enum bpfkit_ast_op op)
{
	const struct bpfkit_lang_field *f;
	struct bpfkit_lang_vtype *t;

	if (op != BPFKIT_OP_EQ && op != BPFKIT_OP_NE)
		return sema_expr(c, x);
	if (sema_place(c, x))
		return -EINVAL;
	f = sx_of(x)->field;
	if (sx_of(x)->t || !f || !f->array_len || f->is_data_loc || f->is_string || f->size != f->array_len ||
	    (f->size != 4 && f->size != 16))
		return sema_expr(c, x);
	t = arena_alloc(c->oa, sizeof(*t));
	t->kind = BPFKIT_LANG_V_ARRAY;
	t->size = f->size;
	sx_of(x)->t = t;
	return 0;
}

static int sema_binop(struct cctx *c, struct bpfkit_ast_expr *e, struct sx *s)
{
	const struct bpfkit_ast_expr *buf[SPINE_BUF], **spine;
	size_t n;
	int err;

	spine = sema_spine(c, e, NULL, buf, &n);
	err = sema_operand(c, spine[n - 1]->u.binop.lhs, spine[n - 1]->u.binop.op);
	for (size_t i = n; i-- > 0;) {
		struct bpfkit_ast_expr *x = (struct bpfkit_ast_expr *)spine[i];
		struct sx *xs = i ? sema_annot(c, x) : s;

		err = sema_operand(c, x->u.binop.rhs, x->u.binop.op) ?: err;
		if (!err)
			err = sema_binop_node(c, x, xs);
	}
	return err;
}

static const struct {
	const char *name;
	uint32_t size;
	bool sign;
} cast_types[] = {
	{ "int8", 1, true },   { "int16", 2, true },   { "int32", 4, true },   { "int64", 8, true },
	{ "uint8", 1, false }, { "uint16", 2, false }, { "uint32", 4, false }, { "uint64", 8, false },
	{ "s8", 1, true },     { "s16", 2, true },     { "s32", 4, true },     { "s64", 8, true },
	{ "u8", 1, false },    { "u16", 2, false },    { "u32", 4, false },    { "u64", 8, false },
	{ "bool", 1, false },
};

static int sema_cast(struct cctx *c, struct bpfkit_ast_expr *e, struct sx *s)
{
	const struct bpfkit_ast_type *to = e->u.cast.to;
	int err = sema_expr(c, e->u.cast.operand);

	if (err)
		return err;
	if (to->kind == BPFKIT_TYPE_NAME) {
		for (size_t i = 0; i < sizeof(cast_types) / sizeof(cast_types[0]); i++) {
			if (strcmp(to->name, cast_types[i].name))
				continue;
			struct bpfkit_lang_vtype *t = arena_alloc(c->oa, sizeof(*t));

			if (need_int(c, e->u.cast.operand, "a cast"))
				return -EINVAL;
			t->kind = BPFKIT_LANG_V_INT;
			t->size = cast_types[i].size;
			t->is_signed = cast_types[i].sign;
			s->t = t;
			return 0;
		}
	}
	return sema_cast_ctype(c, e, s);
}

static int sema_ident(struct cctx *c, struct bpfkit_ast_expr *e, struct sx *s)
{
	const char *name = e->u.ident.name;
	const struct builtin *bi = builtin_find(name);
	int err = c->t->usdt ? usdt_check_arg(c, e, s) : 1; /* arg0..arg11 of a usdt site */

	if (err <= 0)
		return err;
	if (bi) {
		if (bi->check && bi->check(c, e))
			return -EINVAL;
		s->bi = bi;
		s->t = bi->type ? bi->type(c, e) : bi->t ? bi->t : ty_str(c, bi->str_size);
		if (!strcmp(name, "elapsed"))
			c->uses_elapsed = true;
		return 0;
	}
	if (!strncmp(name, "arg", 3) && name[3] >= '0' && name[3] <= '9' && !name[4] && c->t->prov->pt_regs) {
		if (c->t->prov->retval) /* a return probe: the argument registers are gone */
			return sema_error(c, e->loc, NULL,
					  "The %s builtin can only be used with 'kprobes', 'uprobes' and 'usdt' probes",
					  name);
		s->argn = name[3] - '0';
		s->t = &ty_u64;
		return 0;
	}
	if (!strncmp(name, "arg", 3) && name[3] >= '0' && name[3] <= '9' && !name[4]) {
		if (name[3] - '0' >= c->t->prov->nargs)
			return sema_error(c, e->loc, NULL, "'%s' is not available in %s probes", name,
					  bpfkit_probe_type_name(c->t->prov->type));
		s->argn = name[3] - '0';
		s->t = &ty_u64;
		return 0;
	}
	if (!strcmp(name, "args"))
		return sema_error(c, e->loc, NULL, "'args' must be used as args->field");
	if (todo_find(name, TODO_BUILTIN))
		return sema_error(c, e->loc, NULL, "'%s' is not yet supported by bpfkit", name);
	if (ctype_enum_value(c, name, &s->pval) == 0) {
		/* an enumerator (or a well-known header constant): a literal */
		s->konst = true;
		s->lit = true;
		s->t = &ty_s64;
		return 0;
	}
	return sema_error(c, e->loc, bpfkit_lang_suggest(name, (const char *const *)builtin_names,
							 builtin_nnames),
			  "unknown identifier '%s'", name);
}

static int sema_map_read(struct cctx *c, struct bpfkit_ast_expr *e, struct sx *s)
{
	int err = 0;
	struct mapinfo *m;

	for (size_t i = 0; i < e->u.map.nkeys; i++)
		err = sema_expr(c, e->u.map.keys[i]) ?: err;
	if (err)
		return err;
	m = sema_map(c, e->u.map.name, e->loc);
	s->map = m;
	if (sema_map_keys(c, m, e))
		return -EINVAL;
	if (!m->typed && c->guess_maps) {
		s->t = &ty_s64; /* only to type the assignment that reads it: @x = @x + 1 */
		return 0;
	}
	if (!m->typed)
		return sema_error(c, e->loc, NULL, "map %s is used but never assigned", m->d.name);
	if (m->d.agg != BPFKIT_LANG_AGG_PLAIN)
		return sema_error(c, e->loc, NULL,
				  "reading an aggregation (%s) in a probe is not yet supported by bpfkit",
				  agg_names[m->d.agg]);
	s->t = m->vct ? &ty_ptr : m->d.value;
	s->ct = m->vct;
	return 0;
}

static int sema_tuple(struct cctx *c, struct bpfkit_ast_expr *e, struct sx *s)
{
	const struct bpfkit_lang_vtype *el[64];
	int err = 0;

	if (e->u.tuple.n > 64)
		return sema_error(c, e->loc, NULL, "tuple too long");
	for (size_t i = 0; i < e->u.tuple.n; i++) {
		err = sema_expr(c, e->u.tuple.items[i]) ?: err;
		if (!err && !sx_of(e->u.tuple.items[i])->t)
			err = sema_error(c, e->u.tuple.items[i]->loc, NULL, "tuple element has no value");
		if (!err)
			el[i] = ty_stored(c, sx_of(e->u.tuple.items[i])->t);
	}
	if (err)
		return err;
	s->t = ty_tuple(c, el, e->u.tuple.n);
	return 0;
}

static int sema_ternary(struct cctx *c, struct bpfkit_ast_expr *e, struct sx *s)
{
	const struct bpfkit_lang_vtype *a, *b;
	int err = sema_expr(c, e->u.ternary.cond);

	err = sema_expr(c, e->u.ternary.yes) ?: err;
	err = sema_expr(c, e->u.ternary.no) ?: err;
	if (err)
		return err;
	if (need_int(c, e->u.ternary.cond, "a condition"))
		return -EINVAL;
	a = sx_of(e->u.ternary.yes)->t;
	b = sx_of(e->u.ternary.no)->t;
	if (!a && !b)
		return 0; /* cond ? printf("a") : printf("b"): a statement, as bpftrace allows */
	if (a && b && a->kind == BPFKIT_LANG_V_PROBE && b->kind == BPFKIT_LANG_V_PROBE)
		return sema_error(c, e->loc, NULL, "Ternary return type unsupported probe"); /* bpftrace's words */
	if (!a || !b || a->kind != b->kind || a->kind == BPFKIT_LANG_V_TUPLE)
		return sema_error(c, e->loc, NULL, "branches of ?: must both be integers or both strings (%s, %s)",
				  ty_name(c, a), ty_name(c, b));
	if (a->kind == BPFKIT_LANG_V_INT)
		s->t = op_signed(e->u.ternary.yes, e->u.ternary.no) ? &ty_s64 : &ty_u64;
	else
		s->t = a->size >= b->size ? a : b;
	return 0;
}

uint32_t sema_strlen(const struct cctx *c)
{
	return c->env && c->env->str_size ? c->env->str_size : BPFKIT_LANG_STRLEN;
}

const char *sema_param(struct cctx *c, long n)
{
	if (!c->env || n < 1 || (size_t)n > c->env->nparams || !c->env->params)
		return NULL;
	return c->env->params[n - 1];
}

/*
 * $N used as an integer, and $#: constants of the compilation, as in
 * bpftrace (a missing parameter is 0; text that is no integer is an error
 * pointing to str($N)). They type as integer literals.
 */
static int sema_param_int(struct cctx *c, struct bpfkit_ast_expr *e, struct sx *s)
{
	long n = e->u.param.n;
	const char *p = n ? sema_param(c, n) : NULL;

	s->t = &ty_s64;
	s->lit = true;
	if (n == 0) {
		s->pval = c->env ? (int64_t)c->env->nparams : 0;
		return 0;
	}
	if (p && *p) {
		char *end;

		errno = 0;
		s->pval = strtoll(p, &end, 0);
		if (errno || *end)
			return sema_error(c, e->loc, NULL, "$%ld used numerically but given \"%s\". Try using str($%ld).",
					  n, p, n);
	}
	return 0;
}

static bool is_args(const struct bpfkit_ast_expr *e)
{
	return e->kind == BPFKIT_EXPR_IDENT && !strcmp(e->u.ident.name, "args");
}

/*
 * The map an assignment, ++ or -- writes (@m[k]): its keys typed, the map
 * created on first use and its key type set or checked. NULL when a key is
 * wrong (reported).
 */
static struct mapinfo *sema_map_target(struct cctx *c, struct bpfkit_ast_expr *tg)
{
	struct mapinfo *m;
	int err = 0;

	for (size_t i = 0; i < tg->u.map.nkeys; i++)
		err = sema_expr(c, tg->u.map.keys[i]) ?: err;
	if (err)
		return NULL;
	m = sema_map(c, tg->u.map.name, tg->loc);
	sema_annot(c, tg)->map = m;
	return sema_map_keys(c, m, tg) ? NULL : m;
}

/*
 * @m[k]++, @m[k]--, ++@m[k], --@m[k] (statement or value): the map holds
 * plain integers (s64), created at 0 when the key is missing.
 */
static int sema_map_incdec(struct cctx *c, struct bpfkit_ast_expr *e)
{
	struct mapinfo *m = sema_map_target(c, e->u.unop.operand);

	if (!m)
		return -EINVAL;
	if (m->typed && (m->d.agg != BPFKIT_LANG_AGG_PLAIN || m->d.value->kind != BPFKIT_LANG_V_INT))
		return sema_error(c, e->loc, NULL, "map %s does not hold integers", m->d.name);
	return sema_map_value(c, m, BPFKIT_LANG_AGG_PLAIN, &ty_s64, e->loc);
}

/* The step of $p += n, $p -= n, $p++ and $p-- for variable @p var: the
 * size of what it points to when it holds a C pointer (C's scaled
 * arithmetic, as in $p + n), else 1. 0 on an error already reported. */
static int64_t var_step(struct cctx *c, const struct var *var, struct bpfkit_loc loc)
{
	struct ctype *to;

	if (!var || !var->ct || var->ct->kind != BPFKIT_LANG_C_PTR)
		return 1;
	to = ctype_ref(c, var->ct, loc);
	if (!to)
		return 0;
	if (to->size > INT32_MAX)
		return sema_error(c, loc, NULL, "pointer arithmetic on %s: its target is over 2 GiB",
				  ctype_name(c, var->ct)), 0;
	return to->complete && to->size ? (int64_t)to->size : 1; /* void *: bytes, as GNU C */
}

/* Type @p e and everything under it; places (structs, arrays) allowed. */
static int sema_any(struct cctx *c, struct bpfkit_ast_expr *e)
{
	struct sx *s = sema_annot(c, e);
	int err;

	switch (e->kind) {
	case BPFKIT_EXPR_INT:
		s->t = &ty_s64;
		s->lit = true;
		return 0;
	case BPFKIT_EXPR_STR:
		if (e->u.str.len + 1 > 200)
			return sema_error(c, e->loc, NULL, "string literal longer than 199 bytes");
		s->t = ty_str(c, (uint32_t)e->u.str.len + 1);
		return 0;
	case BPFKIT_EXPR_IDENT:
		return sema_ident(c, e, s);
	case BPFKIT_EXPR_VAR:
		s->var = var_find(c, e->u.ident.name);
		if (!s->var)
			return sema_error(c, e->loc, NULL, "variable %s is used before it is assigned",
					  e->u.ident.name);
		s->t = s->var->ct ? &ty_ptr : s->var->t;
		s->ct = s->var->ct;
		return 0;
	case BPFKIT_EXPR_MAP:
		return sema_map_read(c, e, s);
	case BPFKIT_EXPR_CALL:
		return sema_call(c, e, s);
	case BPFKIT_EXPR_BINOP:
		return sema_binop(c, e, s);
	case BPFKIT_EXPR_UNOP:
		if (e->u.unop.op == BPFKIT_OP_DEREF)
			return sema_deref(c, e, s);
		if (e->u.unop.op == BPFKIT_OP_ADDR)
			return sema_addr_of(c, e, s);
		err = sema_expr(c, e->u.unop.operand);
		if (err || need_int(c, e->u.unop.operand, "this operator"))
			return -EINVAL;
		s->t = e->u.unop.op == BPFKIT_OP_LNOT ? &ty_u64 :
		       e->u.unop.op == BPFKIT_OP_NEG ? &ty_s64 : ty_stored(c, sx_of(e->u.unop.operand)->t);
		s->lit = sx_of(e->u.unop.operand)->lit;
		return 0;
	case BPFKIT_EXPR_INCDEC:
		if (e->u.unop.operand->kind == BPFKIT_EXPR_MAP) {
			s->t = &ty_s64; /* the map's value after (++@m) or before (@m++) */
			return sema_map_incdec(c, e);
		}
		if (e->u.unop.operand->kind != BPFKIT_EXPR_VAR)
			return sema_error(c, e->loc, NULL, "%s needs a variable or a map",
					  bpfkit_ast_op_str(e->u.unop.op));
		err = sema_expr(c, e->u.unop.operand);
		if (err || need_int(c, e->u.unop.operand, bpfkit_ast_op_str(e->u.unop.op)))
			return -EINVAL;
		s->t = sx_of(e->u.unop.operand)->t;
		s->scale = var_step(c, sx_of(e->u.unop.operand)->var, e->loc);
		return s->scale ? 0 : -EINVAL;
	case BPFKIT_EXPR_TERNARY:
		return sema_ternary(c, e, s);
	case BPFKIT_EXPR_CAST:
		return sema_cast(c, e, s);
	case BPFKIT_EXPR_FIELD:
		if (is_args(e->u.field.base))
			return sema_field(c, e, s);
		return sema_member(c, e, s);
	case BPFKIT_EXPR_TUPLE:
		return sema_tuple(c, e, s);
	case BPFKIT_EXPR_TUPLE_GET:
		err = sema_expr(c, e->u.tuple_get.base);
		if (err)
			return err;
		if (!sx_of(e->u.tuple_get.base)->t || sx_of(e->u.tuple_get.base)->t->kind != BPFKIT_LANG_V_TUPLE)
			return sema_error(c, e->loc, NULL, ".%ld of something that is not a tuple",
					  e->u.tuple_get.index);
		if (e->u.tuple_get.index < 0 ||
		    (size_t)e->u.tuple_get.index >= sx_of(e->u.tuple_get.base)->t->nelems)
			return sema_error(c, e->loc, NULL, "tuple index %ld out of range", e->u.tuple_get.index);
		s->t = sx_of(e->u.tuple_get.base)->t->elems[e->u.tuple_get.index].type;
		return 0;
	case BPFKIT_EXPR_PARAM:
		return sema_param_int(c, e, s);
	case BPFKIT_EXPR_INDEX:
		return sema_index(c, e, s);
	case BPFKIT_EXPR_SIZEOF:
		return sema_sizeof(c, e, s);
	case BPFKIT_EXPR_OFFSETOF:
		return sema_offsetof(c, e, s);
	}
	return sema_error(c, e->loc, NULL, "unknown expression");
}

int sema_place(struct cctx *c, struct bpfkit_ast_expr *e)
{
	return sema_any(c, e);
}

/* Type @p e, which must have a value: a struct or an array is refused here,
 * where something would have to hold or print it. */
int sema_expr(struct cctx *c, struct bpfkit_ast_expr *e)
{
	struct sx *s;

	if (sema_any(c, e))
		return -EINVAL;
	s = sx_of(e);
	if (s->t)
		return 0;
	if (s->ct && (s->ct->kind == BPFKIT_LANG_C_STRUCT || s->ct->kind == BPFKIT_LANG_C_UNION))
		return sema_error(c, e->loc, NULL,
				  "a whole %s cannot be used as a value (printing or storing structs is not yet "
				  "supported by bpfkit): read one of its members", ctype_name(c, s->ct));
	if (s->ct && s->ct->kind == BPFKIT_LANG_C_ARRAY)
		return sema_error(c, e->loc, NULL, "an array (%s) cannot be used as a value: read an element, x[0]",
				  ctype_name(c, s->ct));
	if (s->field && s->field->array_len)
		return sema_error(c, e->loc, NULL, "args->%s is an array (%s[%u]): read an element, args->%s[0]",
				  s->field->name, s->field->type, s->field->array_len, s->field->name);
	return 0;
}

/* ---- Statements ---------------------------------------------------------------------------- */

static int sema_block(struct cctx *c, struct bpfkit_ast_block *b);

/* @m[k] = agg(...): the aggregation defines the map's kind. */
static int sema_agg_assign(struct cctx *c, struct bpfkit_ast_stmt *st, struct mapinfo *m)
{
	struct bpfkit_ast_expr *call = st->u.assign.value;
	const struct func *f = func_find(call->u.call.name);
	int n = (int)call->u.call.nargs;
	struct sx *s = sema_annot(c, call);

	s->fn = f;
	if (st->u.assign.op != BPFKIT_OP_NONE)
		return sema_error(c, st->u.assign.op_loc, NULL, "use '=' with %s()", f->name);
	if (n < f->min_args || n > f->max_args)
		return sema_error(c, call->loc, NULL, "%s() takes %d argument%s, %d given", f->name,
				  f->max_args, f->max_args == 1 ? "" : "s", n);
	return f->check(c, call, m);
}

/* The pointer type a value carries into a variable or a map, or NULL. */
static struct ctype *value_ptr(const struct bpfkit_ast_expr *v)
{
	struct ctype *ct = sx_of(v)->ct;

	return ct && ct->kind == BPFKIT_LANG_C_PTR ? ct : NULL;
}

/* A variable or map that holds pointers keeps their C type, so `$t->pid`
 * works after `$t = (struct task_struct *)curtask`; two pointer types is an
 * error. */
static int keep_ptr(struct cctx *c, struct ctype **held, const struct bpfkit_ast_expr *v, const char *name)
{
	struct ctype *p = value_ptr(v);

	if (!p)
		return 0;
	if (*held && !ctype_same(*held, p))
		return sema_error(c, v->loc, NULL, "%s holds %s, cannot assign %s", name, ctype_name(c, *held),
				  ctype_name(c, p));
	if (!*held)
		*held = p;
	return 0;
}

static int sema_assign(struct cctx *c, struct bpfkit_ast_stmt *st)
{
	struct bpfkit_ast_expr *tg = st->u.assign.target, *v = st->u.assign.value;
	const struct bpfkit_lang_vtype *t;
	int err = 0;

	if (check_shift(c, st->u.assign.op, v))
		return -EINVAL;
	if (tg->kind == BPFKIT_EXPR_MAP) {
		struct mapinfo *m = sema_map_target(c, tg);

		if (!m)
			return -EINVAL;
		if (v->kind == BPFKIT_EXPR_CALL && func_find(v->u.call.name) &&
		    (func_find(v->u.call.name)->flags & FN_AGG))
			return sema_agg_assign(c, st, m);
		if (sema_expr(c, v))
			return -EINVAL;
		t = sx_of(v)->t;
		if (!t)
			return sema_error(c, v->loc, NULL, "the value has no type");
		if (st->u.assign.op != BPFKIT_OP_NONE && t->kind != BPFKIT_LANG_V_INT)
			return sema_error(c, st->u.assign.op_loc, NULL, "'%s=' expects an integer",
					  bpfkit_ast_op_str(st->u.assign.op));
		if (m->typed && m->d.agg == BPFKIT_LANG_AGG_PLAIN && st->u.assign.op != BPFKIT_OP_NONE &&
		    m->d.value->kind != BPFKIT_LANG_V_INT)
			return sema_error(c, st->u.assign.op_loc, NULL, "map %s does not hold integers",
					  m->d.name);
		err = sema_map_value(c, m, BPFKIT_LANG_AGG_PLAIN, ty_stored(c, t), v->loc);
		sx_of(tg)->t = m->d.value;
		if (!err && st->u.assign.op == BPFKIT_OP_NONE)
			err = keep_ptr(c, &m->vct, v, m->d.name);
		return err;
	}
	/* $var */
	if (sema_expr(c, v))
		return -EINVAL;
	t = sx_of(v)->t;
	if (!t)
		return sema_error(c, v->loc, NULL, "the value has no type");
	struct var *var = var_find(c, tg->u.ident.name);

	if (st->u.assign.op != BPFKIT_OP_NONE && (!var || t->kind != BPFKIT_LANG_V_INT ||
						  var->t->kind != BPFKIT_LANG_V_INT))
		return sema_error(c, st->u.assign.op_loc, NULL, "'%s=' expects an assigned integer variable",
				  bpfkit_ast_op_str(st->u.assign.op));
	if (!var) {
		var = arena_alloc(c->a, sizeof(*var));
		var->name = tg->u.ident.name;
		var->t = ty_stored(c, t);
		var->loc = tg->loc;
		if (v->kind == BPFKIT_EXPR_FIELD && sx_of(v)->field && sx_of(v)->field->is_ptr && !value_ptr(v))
			var->pfield = sx_of(v)->field; /* typed from its format text when dereferenced */
		ptrvec_push(c->a, &c->vars, var);
	} else {
		const struct bpfkit_lang_vtype *u = ty_unify(c, var->t, ty_stored(c, t));

		if (!u)
			return sema_error(c, v->loc, NULL, "variable %s holds %s, cannot assign %s", var->name,
					  ty_name(c, var->t), ty_name(c, t));
		var->t = u;
	}
	if (st->u.assign.op == BPFKIT_OP_NONE && keep_ptr(c, &var->ct, v, var->name))
		return -EINVAL;
	sema_annot(c, tg)->var = var;
	if (st->u.assign.op == BPFKIT_OP_ADD || st->u.assign.op == BPFKIT_OP_SUB) {
		sx_of(tg)->scale = var_step(c, var, tg->loc);
		if (!sx_of(tg)->scale)
			return -EINVAL;
	}
	sx_of(tg)->t = var->t;
	return 0;
}

/*
 * unroll(N) { body }: N copies of the body, N an integer literal or a
 * positional parameter from 1 to 100 (bpftrace's limits and messages).
 * break and continue inside refer to an enclosing while, as in bpftrace,
 * where unroll is no loop of its own.
 */
static int sema_unroll(struct cctx *c, struct bpfkit_ast_stmt *st)
{
	struct bpfkit_ast_expr *n = st->u.unroll.count;
	int64_t v;
	int err = sema_expr(c, n);

	if (err)
		return err;
	if (n->kind == BPFKIT_EXPR_PARAM)
		v = sx_of(n)->pval;
	else if (sema_const_int(c, n, &v))
		return sema_error(c, n->loc, NULL, "unroll needs an integer literal or a positional parameter");
	if (v > 100)
		return sema_error(c, st->loc, NULL, "unroll maximum value is 100");
	if (v < 1)
		return sema_error(c, st->loc, NULL, "unroll minimum value is 1");
	return sema_block(c, st->u.unroll.body);
}

static int sema_stmt(struct cctx *c, struct bpfkit_ast_stmt *st)
{
	struct bpfkit_ast_expr *e;
	int err;

	switch (st->kind) {
	case BPFKIT_STMT_EXPR:
		e = st->u.expr;
		if (e->kind == BPFKIT_EXPR_INCDEC && e->u.unop.operand->kind == BPFKIT_EXPR_MAP) {
			sema_annot(c, e);
			return sema_map_incdec(c, e);
		}
		if (e->kind == BPFKIT_EXPR_CALL && func_find(e->u.call.name) &&
		    (func_find(e->u.call.name)->flags & FN_AGG))
			return sema_error(c, e->loc, NULL, "%s() must be assigned to a map: @x = %s(...)",
					  e->u.call.name, e->u.call.name);
		return sema_expr(c, e);
	case BPFKIT_STMT_ASSIGN:
		return sema_assign(c, st);
	case BPFKIT_STMT_IF:
		err = sema_expr(c, st->u.if_.cond);
		if (!err)
			err = need_int(c, st->u.if_.cond, "a condition");
		err = sema_block(c, st->u.if_.then) ?: err;
		if (st->u.if_.otherwise)
			err = sema_stmt(c, st->u.if_.otherwise) ?: err;
		return err;
	case BPFKIT_STMT_BLOCK:
		return sema_block(c, st->u.block);
	case BPFKIT_STMT_WHILE:
		err = sema_expr(c, st->u.while_.cond);
		if (!err)
			err = need_int(c, st->u.while_.cond, "a condition");
		c->loop_depth++;
		err = sema_block(c, st->u.while_.body) ?: err;
		c->loop_depth--;
		return err;
	case BPFKIT_STMT_UNROLL:
		return sema_unroll(c, st);
	case BPFKIT_STMT_FOR:
		return sema_error(c, st->loc, NULL, "for loops are not yet supported by bpfkit");
	case BPFKIT_STMT_RETURN:
		if (st->u.expr)
			return sema_error(c, st->loc, NULL, "return with a value is not yet supported by bpfkit");
		return 0;
	case BPFKIT_STMT_BREAK:
	case BPFKIT_STMT_CONTINUE:
		if (c->loop_depth)
			return 0;
		return sema_error(c, st->loc, NULL, "%s used outside of a loop",
				  st->kind == BPFKIT_STMT_BREAK ? "break" : "continue");
	}
	return 0;
}

/* What ends the run of a block here: exit(), return, break, continue. */
static const char *stmt_jumps(const struct bpfkit_ast_stmt *st)
{
	switch (st->kind) {
	case BPFKIT_STMT_RETURN: return "return";
	case BPFKIT_STMT_BREAK: return "break";
	case BPFKIT_STMT_CONTINUE: return "continue";
	case BPFKIT_STMT_EXPR:
		if (st->u.expr->kind == BPFKIT_EXPR_CALL && !strcmp(st->u.expr->u.call.name, "exit"))
			return "exit()";
		return NULL;
	default: return NULL;
	}
}

/* Statements after exit(), return, break or continue are checked, then
 * left out of the code (codegen.c): a warning, as they never run. */
static int sema_block(struct cctx *c, struct bpfkit_ast_block *b)
{
	int err = 0;

	for (size_t i = 0; i < b->n; i++) {
		const char *jump = i ? stmt_jumps(b->stmts[i - 1]) : NULL;

		if (jump)
			sema_warning(c, b->stmts[i]->loc, "statements after %s are never run", jump);
		err = sema_stmt(c, b->stmts[i]) ?: err;
	}
	return err;
}

/* Check one probe body for one target (variables start empty). */
int sema_probe(struct cctx *c, struct target *t)
{
	int err = 0;

	c->t = t;
	c->vars.n = 0;
	if (t->probe->pred) {
		err = sema_expr(c, t->probe->pred);
		if (!err)
			err = need_int(c, t->probe->pred, "a predicate");
	}
	return sema_block(c, t->probe->body) ?: err;
}
