// SPDX-License-Identifier: MIT
/*
 * Struct, union and enum definitions written in the script, laid out the
 * way a C compiler lays them out for x86-64 (System V ABI): each member at
 * the next multiple of its alignment, a bit-field in the current unit of its
 * type when it fits there and at the next unit otherwise, a zero-width
 * bit-field closing the unit, the size rounded up to the largest alignment.
 * Also the constants of the language that come from C: enumerators (the
 * script's, the kernel's through the environment, and a few well-known
 * #define constants of kernel headers) and constant expressions (array
 * lengths, enumerator values).
 */
#include <errno.h>
#include <string.h>

#include "lang/compile_int.h"
#include "lang/types_int.h"

#define MAX_TYPE_SIZE (1u << 24)

enum bpfkit_lang_ckind types_kind_of(enum bpfkit_ast_type_kind k)
{
	return k == BPFKIT_TYPE_STRUCT ? BPFKIT_LANG_C_STRUCT
	       : k == BPFKIT_TYPE_UNION ? BPFKIT_LANG_C_UNION
					: BPFKIT_LANG_C_ENUM;
}

/* Definitions nested in @p t (struct a { struct b { ... } x; }) define b too. */
static void index_type(struct cctx *c, const struct bpfkit_ast_type *t, int depth);

static void index_def(struct cctx *c, const struct bpfkit_ast_cdef *d, int depth)
{
	struct types *ts = types_of(c);

	if (depth > BPFKIT_LANG_MAX_DEPTH)
		return;
	ptrvec_push(c->a, &ts->defs, (void *)d);
	for (size_t i = 0; i < d->nfields; i++)
		index_type(c, d->fields[i]->type, depth + 1);
}

static void index_type(struct cctx *c, const struct bpfkit_ast_type *t, int depth)
{
	for (; t && depth <= BPFKIT_LANG_MAX_DEPTH; t = t->elem, depth++)
		if (t->def)
			index_def(c, t->def, depth + 1);
}

void types_index_defs(struct cctx *c)
{
	struct types *ts = types_of(c);

	if (ts->indexed || !c->prog)
		return;
	ts->indexed = true;
	for (size_t i = 0; i < c->prog->ncdefs; i++)
		index_def(c, c->prog->cdefs[i], 0);
}

/* ---- Layout ---------------------------------------------------------------------------- */

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return a ? (v + a - 1) / a * a : v;
}

/* The alignment of @p t (members of kernel structs are loaded to find it). */
static uint32_t ctype_align(struct cctx *c, struct ctype *t, struct bpfkit_loc loc)
{
	uint32_t al = 1;

	if (t->align)
		return t->align;
	if (t->kind == BPFKIT_LANG_C_ARRAY) {
		struct ctype *e = ctype_ref(c, t, loc);

		al = e ? ctype_align(c, e, loc) : 1;
	} else if ((t->kind == BPFKIT_LANG_C_STRUCT || t->kind == BPFKIT_LANG_C_UNION) && !t->busy) {
		t->busy = true;
		for (size_t i = 0; i < t->nmembers; i++) {
			struct ctype *mt = ctype_member_type(c, &t->members[i], loc);
			uint32_t m = mt ? ctype_align(c, mt, loc) : 1;

			al = m > al ? m : al;
		}
		t->busy = false;
	}
	t->align = al;
	return al;
}

/* One member of a struct being laid out: bit offset and width. */
static bool add_member(struct cctx *c, struct ctype *t, const struct bpfkit_ast_field *f, struct ctype *mt,
		       uint64_t bit_offset, uint32_t bits)
{
	struct cmember *m = &t->members[t->nmembers++];

	if (bit_offset > (uint64_t)MAX_TYPE_SIZE * 8) {
		sema_error(c, f->loc, NULL, "%s is too large", ctype_name(c, t));
		return false;
	}
	m->name = f->name ? f->name : "";
	m->bit_offset = (uint32_t)bit_offset;
	m->bit_size = bits;
	m->type = mt;
	return true;
}

/*
 * Members of a struct or union definition, placed with the x86-64 ABI's
 * rules. Returns false after reporting.
 */
static bool layout_record(struct cctx *c, struct ctype *t, const struct bpfkit_ast_cdef *def)
{
	bool is_union = t->kind == BPFKIT_LANG_C_UNION;
	uint64_t bitpos = 0, maxbits = 0;
	uint32_t align = 1;

	t->members = arena_alloc(c->a, sizeof(*t->members) * (def->nfields ? def->nfields : 1));
	for (size_t i = 0; i < def->nfields; i++) {
		const struct bpfkit_ast_field *f = def->fields[i];
		const char *fname = f->name ? f->name : "(anonymous)";
		struct ctype *mt = ctype_from_ast(c, f->type);
		uint64_t unit, off;
		uint32_t al;

		if (!mt)
			return false;
		if (mt->kind == BPFKIT_LANG_C_VOID || mt->kind == BPFKIT_LANG_C_FUNC || !mt->complete) {
			sema_error(c, f->loc, NULL, "member '%s' has incomplete type %s", fname, ctype_name(c, mt));
			return false;
		}
		al = ctype_align(c, mt, f->loc);
		if (f->bits < 0) {
			off = is_union ? 0 : align_up(bitpos, 8ull * al);
			if (!add_member(c, t, f, mt, off, 0))
				return false;
			bitpos = off + 8ull * mt->size;
			maxbits = bitpos > maxbits ? bitpos : maxbits;
			align = al > align ? al : align;
			continue;
		}
		if (mt->kind != BPFKIT_LANG_C_INT && mt->kind != BPFKIT_LANG_C_ENUM) {
			sema_error(c, f->loc, NULL, "bit-field '%s' must have an integer type, not %s", fname,
				   ctype_name(c, mt));
			return false;
		}
		unit = 8ull * mt->size;
		if ((uint64_t)f->bits > unit || unit > 64) {
			sema_error(c, f->loc, NULL, "bit-field '%s' is %d bits wide, more than its type %s has", fname,
				   f->bits, ctype_name(c, mt));
			return false;
		}
		if (f->bits == 0) {
			if (f->name) {
				sema_error(c, f->loc, NULL, "named bit-field '%s' has zero width", fname);
				return false;
			}
			if (!is_union)
				bitpos = align_up(bitpos, unit);
			continue;
		}
		off = is_union ? 0 : bitpos;
		if (!is_union && off / unit != (off + (uint64_t)f->bits - 1) / unit)
			off = align_up(off, unit); /* it would straddle a unit of its type */
		if (f->name) {
			if (!add_member(c, t, f, mt, off, (uint32_t)f->bits))
				return false;
			align = al > align ? al : align;
		}
		bitpos = off + (uint64_t)f->bits;
		maxbits = bitpos > maxbits ? bitpos : maxbits;
	}
	t->align = align;
	maxbits = align_up(align_up(maxbits, 8) / 8, align);
	if (maxbits > MAX_TYPE_SIZE) {
		sema_error(c, def->loc, NULL, "%s is too large", ctype_name(c, t));
		return false;
	}
	t->size = (uint32_t)maxbits;
	return true;
}

/* Enumerator values: as written, or one more than the previous (0 first). */
static bool layout_enum(struct cctx *c, struct ctype *t, const struct bpfkit_ast_cdef *def)
{
	struct bpfkit_lang_cenum *v = arena_alloc(c->a, sizeof(*v) * (def->nenumerators ? def->nenumerators : 1));
	int64_t prev = -1;
	bool neg = false, wide = false;

	t->values = v;
	for (size_t i = 0; i < def->nenumerators; i++) {
		const struct bpfkit_ast_enumerator *en = def->enumerators[i];
		int64_t val = (int64_t)((uint64_t)prev + 1);

		if (en->value && const_eval(c, en->value, &val))
			return false;
		v[i].name = en->name;
		v[i].value = val;
		t->nvalues = i + 1; /* later enumerators may name this one */
		prev = val;
		neg |= val < 0;
		wide |= val < INT32_MIN || val > (int64_t)UINT32_MAX || (neg && val > INT32_MAX);
	}
	t->size = t->align = wide ? 8 : 4;
	t->sign = neg;
	return true;
}

struct ctype *types_layout(struct cctx *c, const struct bpfkit_ast_cdef *def, struct bpfkit_loc loc)
{
	struct types *ts = types_of(c);
	struct def_entry *e = NULL;
	struct ctype *t;
	bool ok;

	for (size_t i = 0; i < ts->layouts.n; i++) {
		struct def_entry *x = ts->layouts.items[i];

		if (x->def != def)
			continue;
		if (x->t->busy && x->t->kind != BPFKIT_LANG_C_ENUM) {
			sema_error(c, loc, NULL, "%s contains itself", ctype_name(c, x->t));
			return NULL;
		}
		return x->t; /* an enum being evaluated: the values so far */
	}
	t = arena_alloc(c->a, sizeof(*t));
	t->kind = types_kind_of(def->kind);
	t->name = def->name;
	if (!def->complete) /* struct X; written inside a definition: look the tag up */
		return ctype_tag(c, t->kind, def->name ? def->name : "", loc);
	e = arena_alloc(c->a, sizeof(*e));
	e->def = def;
	e->t = t;
	ptrvec_push(c->a, &ts->layouts, e);
	t->busy = true;
	ok = t->kind == BPFKIT_LANG_C_ENUM ? layout_enum(c, t, def) : layout_record(c, t, def);
	t->busy = false;
	if (!ok) {
		e->def = NULL; /* not cached: the next use reports again */
		return NULL;
	}
	t->complete = true;
	return t;
}

/* ---- Constants -------------------------------------------------------------------------------- */

/*
 * #define constants of kernel headers that bpftrace's own tools use without
 * defining them (runqlat.bt: TASK_RUNNING; tcp*.bt: AF_INET). bpftrace gets
 * them by running the headers through clang; bpfkit reads no headers, and
 * the kernel's BTF has no macros. These values are ABI (the AF_* numbers)
 * or have not changed since Linux 2.6 (the three task states), so a table
 * is exact. They are visible only when the script #includes a header that
 * defines them, as with bpftrace, and a #define of the script wins.
 */
static const struct {
	const char *header, *name;
	int64_t value;
} header_consts[] = {
	{ "linux/sched.h", "TASK_RUNNING", 0 },
	{ "linux/sched.h", "TASK_INTERRUPTIBLE", 1 },
	{ "linux/sched.h", "TASK_UNINTERRUPTIBLE", 2 },
	{ "socket", "AF_UNSPEC", 0 },
	{ "socket", "AF_UNIX", 1 },
	{ "socket", "AF_LOCAL", 1 },
	{ "socket", "AF_INET", 2 },
	{ "socket", "AF_INET6", 10 },
	{ "socket", "AF_NETLINK", 16 },
	{ "socket", "AF_PACKET", 17 },
};

/* Headers that bring the AF_* constants ("socket" in the table above). */
static const char *const socket_headers[] = { "sys/socket.h", "linux/socket.h", "net/sock.h", "bits/socket.h",
					      NULL };

static bool included(const struct cctx *c, const char *header)
{
	for (size_t i = 0; c->prog && i < c->prog->ndirectives; i++) {
		const struct bpfkit_ast_directive *d = c->prog->directives[i];
		size_t n;

		if (d->kind != BPFKIT_DIRECTIVE_INCLUDE || !d->name || strlen(d->name) < 2)
			continue;
		n = strlen(d->name) - 2; /* <...> or "..." */
		if (!strcmp(header, "socket")) {
			for (const char *const *h = socket_headers; *h; h++)
				if (strlen(*h) == n && !memcmp(d->name + 1, *h, n))
					return true;
		} else if (strlen(header) == n && !memcmp(d->name + 1, header, n)) {
			return true;
		}
	}
	return false;
}

/* An enumerator's value: the script's enums, then the environment's, then
 * header_consts[]; see compile_int.h. */
int ctype_enum_value(struct cctx *c, const char *name, int64_t *v)
{
	struct types *ts = types_of(c);
	struct enum_entry *e;

	/* the script's enums first (not cached: one may be half evaluated) */
	types_index_defs(c);
	for (size_t i = 0; i < ts->defs.n; i++) {
		const struct bpfkit_ast_cdef *d = ts->defs.items[i];
		struct ctype *t;
		bool has = false;

		if (d->kind != BPFKIT_TYPE_ENUM || !d->complete)
			continue;
		for (size_t k = 0; k < d->nenumerators && !has; k++)
			has = !strcmp(d->enumerators[k]->name, name);
		if (!has || !(t = types_layout(c, d, d->loc)))
			continue;
		for (size_t k = 0; k < t->nvalues; k++) {
			if (!strcmp(t->values[k].name, name)) {
				*v = t->values[k].value;
				return 0;
			}
		}
	}
	for (e = ts->enums; e; e = e->next)
		if (!strcmp(e->name, name))
			break;
	if (!e) {
		e = arena_alloc(c->a, sizeof(*e));
		e->name = arena_strndup(c->a, name, strlen(name));
		e->next = ts->enums;
		ts->enums = e;
		if (c->env && c->env->ctype_enum)
			e->found = c->env->ctype_enum(c->env->user, name, &e->value) == 0;
		for (size_t i = 0; !e->found && i < sizeof(header_consts) / sizeof(header_consts[0]); i++) {
			if (!strcmp(header_consts[i].name, name) && included(c, header_consts[i].header)) {
				e->found = true;
				e->value = header_consts[i].value;
			}
		}
	}
	if (!e->found)
		return -ENOENT;
	*v = e->value;
	return 0;
}

/* a OP b on 64-bit two's complement values (no undefined behaviour);
 * -EINVAL after reporting for a division by zero or a bad shift. */
static int const_binop(struct cctx *c, const struct bpfkit_ast_expr *e, int64_t a, int64_t b, int64_t *v)
{
	uint64_t ua = (uint64_t)a, ub = (uint64_t)b;

	switch (e->u.binop.op) {
	case BPFKIT_OP_ADD: *v = (int64_t)(ua + ub); return 0;
	case BPFKIT_OP_SUB: *v = (int64_t)(ua - ub); return 0;
	case BPFKIT_OP_MUL: *v = (int64_t)(ua * ub); return 0;
	case BPFKIT_OP_DIV:
	case BPFKIT_OP_MOD:
		if (b == 0)
			return sema_error(c, e->loc, NULL, "division by zero in a constant");
		if (a == INT64_MIN && b == -1)
			*v = e->u.binop.op == BPFKIT_OP_DIV ? INT64_MIN : 0;
		else
			*v = e->u.binop.op == BPFKIT_OP_DIV ? a / b : a % b;
		return 0;
	case BPFKIT_OP_SHL:
	case BPFKIT_OP_SHR:
		if (b < 0 || b > 63)
			return sema_error(c, e->loc, NULL, "shift amount %lld is out of range (0..63)", (long long)b);
		*v = e->u.binop.op == BPFKIT_OP_SHL ? (int64_t)(ua << b) : (int64_t)(ua >> b);
		return 0;
	case BPFKIT_OP_BAND: *v = a & b; return 0;
	case BPFKIT_OP_BOR: *v = a | b; return 0;
	case BPFKIT_OP_BXOR: *v = a ^ b; return 0;
	case BPFKIT_OP_EQ: *v = a == b; return 0;
	case BPFKIT_OP_NE: *v = a != b; return 0;
	case BPFKIT_OP_LT: *v = a < b; return 0;
	case BPFKIT_OP_LE: *v = a <= b; return 0;
	case BPFKIT_OP_GT: *v = a > b; return 0;
	case BPFKIT_OP_GE: *v = a >= b; return 0;
	case BPFKIT_OP_LAND: *v = a && b; return 0;
	case BPFKIT_OP_LOR: *v = a || b; return 0;
	default: return sema_error(c, e->loc, NULL, "expected a constant expression");
	}
}

/* A constant expression of a C definition (array length, enumerator value),
 * computed in 64-bit two's complement. */
int const_eval(struct cctx *c, const struct bpfkit_ast_expr *e, int64_t *v)
{
	int64_t a, b;

	switch (e->kind) {
	case BPFKIT_EXPR_INT:
		*v = (int64_t)e->u.num.value;
		return 0;
	case BPFKIT_EXPR_IDENT:
		if (ctype_enum_value(c, e->u.ident.name, v))
			return sema_error(c, e->loc, NULL, "unknown constant '%s'", e->u.ident.name);
		return 0;
	case BPFKIT_EXPR_UNOP:
		if (const_eval(c, e->u.unop.operand, &a))
			return -EINVAL;
		switch (e->u.unop.op) {
		case BPFKIT_OP_NEG: *v = (int64_t)(0 - (uint64_t)a); return 0;
		case BPFKIT_OP_PLUS: *v = a; return 0;
		case BPFKIT_OP_BNOT: *v = ~a; return 0;
		case BPFKIT_OP_LNOT: *v = !a; return 0;
		default: break;
		}
		break;
	case BPFKIT_EXPR_BINOP: { /* a chain in a loop up its spine (ast_binop_spine()) */
		const struct bpfkit_ast_expr *buf[SPINE_BUF], **spine;
		size_t n;

		spine = sema_spine(c, e, NULL, buf, &n);
		if (const_eval(c, spine[n - 1]->u.binop.lhs, &a))
			return -EINVAL;
		for (size_t i = n; i-- > 0;)
			if (const_eval(c, spine[i]->u.binop.rhs, &b) || const_binop(c, spine[i], a, b, &a))
				return -EINVAL;
		*v = a;
		return 0;
	}
	case BPFKIT_EXPR_TERNARY:
		if (const_eval(c, e->u.ternary.cond, &a))
			return -EINVAL;
		return const_eval(c, a ? e->u.ternary.yes : e->u.ternary.no, v);
	case BPFKIT_EXPR_SIZEOF:
		if (e->u.size_of.type) {
			struct ctype *t = ctype_from_ast(c, e->u.size_of.type);

			if (!t)
				return -EINVAL;
			*v = t->size;
			return 0;
		}
		break;
	default:
		break;
	}
	return sema_error(c, e->loc, NULL, "expected a constant expression");
}
