// SPDX-License-Identifier: MIT
/*
 * Typing of expressions with C types: casts to pointers, member access with
 * '.' and '->', '[]', unary '*' and '&', pointer arithmetic, sizeof and
 * offsetof.
 *
 * A pointer is an integer value (sx->t = ty_ptr) with a C type (sx->ct). A
 * member, an element or *p lives in memory (sx->mem): the code computes its
 * address and reads it with probe_read_kernel, or probe_read_user when the
 * pointer it came through points to user memory. That follows bpftrace:
 * pointer arguments of syscall tracepoints point to user memory, and so does
 * whatever is reached through them; a pointer made by a cast of an integer
 * (curtask, a field holding an address) points to kernel memory. A struct,
 * a union or a non-char array in memory is a place, not a value: it can be
 * read through ('.', '[]'), measured (sizeof) or have its address taken.
 */
#include <errno.h>
#include <string.h>

#include "lang/compile_int.h"

static bool is_record(const struct ctype *t)
{
	return t && (t->kind == BPFKIT_LANG_C_STRUCT || t->kind == BPFKIT_LANG_C_UNION);
}

static bool is_args_field(const struct bpfkit_ast_expr *e)
{
	return e->kind == BPFKIT_EXPR_FIELD && sx_of(e)->field;
}

/* @p t, pointing to user memory when @p user (a copy when it did not). */
static struct ctype *ptr_in(struct cctx *c, struct ctype *t, bool user)
{
	struct ctype *u;

	if (t->kind != BPFKIT_LANG_C_PTR || !user || t->user)
		return t;
	u = arena_alloc(c->a, sizeof(*u));
	*u = *t;
	u->user = true;
	return u;
}

/* The pointer type of @p e; a tracepoint pointer field (or a variable that
 * was assigned one) is typed from its format text only here, when something
 * is read through it, so an unknown type in a format hurts no other use. */
struct ctype *sema_ptr_ctype(struct cctx *c, const struct bpfkit_ast_expr *e)
{
	struct sx *s = sx_of(e);
	const struct bpfkit_lang_field *f = NULL;
	struct ctype *t;

	if (s->ct && s->ct->kind == BPFKIT_LANG_C_PTR)
		return s->ct; /* a pointer value, or one read from memory */
	if (is_args_field(e) && s->field->is_ptr)
		f = s->field;
	else if (e->kind == BPFKIT_EXPR_VAR && s->var && !s->var->ct && s->var->pfield)
		f = s->var->pfield;
	if (!f)
		return NULL;
	t = ctype_from_text(c, f->type, c->t->user_strings, e->loc);
	if (!t || t->kind != BPFKIT_LANG_C_PTR)
		return NULL;
	s->ct = t;
	if (e->kind == BPFKIT_EXPR_VAR)
		s->var->ct = t;
	return t;
}

/*
 * @p e is a value in memory of C type @p t: a place for structs and arrays,
 * else an integer, a pointer or a string read from there.
 */
static int set_mem(struct cctx *c, struct bpfkit_ast_expr *e, struct sx *s, struct ctype *t, bool user)
{
	s->mem = true;
	s->user = user;
	if (t->kind == BPFKIT_LANG_C_ARRAY && !ctype_ref(c, t, e->loc))
		return -EINVAL; /* char arrays are strings: the element decides */
	s->ct = ptr_in(c, t, user);
	if (ctype_is_aggregate(t))
		return 0;
	s->t = ctype_vtype(c, t);
	if (!s->t)
		return sema_error(c, e->loc, NULL, "a value of type %s cannot be read (not an integer, pointer or char array)",
				  ctype_name(c, t));
	return 0;
}

/* A short description of what @p e is, for messages: "uint64", "struct x *". */
static const char *what(struct cctx *c, const struct bpfkit_ast_expr *e)
{
	const struct sx *s = sx_of(e);

	if (s->ct)
		return ctype_name(c, s->ct);
	return ty_name(c, s->t);
}

/* e.name, e->name on a struct or union (not args: sema_field). */
int sema_member(struct cctx *c, struct bpfkit_ast_expr *e, struct sx *s)
{
	struct bpfkit_ast_expr *b = e->u.field.base;
	const char *name = e->u.field.name;
	struct ctype *st, *pt, *mt;
	struct cmember *m;
	uint32_t bits = 0;
	bool user;

	if (sema_place(c, b))
		return -EINVAL;
	pt = sema_ptr_ctype(c, b);
	if (e->u.field.arrow) {
		if (!pt && is_record(sx_of(b)->ct) && sx_of(b)->mem)
			return sema_error(c, e->loc, NULL, "%s is not a pointer: use '.' to read its member '%s'",
					  ctype_name(c, sx_of(b)->ct), name);
		if (!pt)
			return sema_error(c, e->loc, NULL,
					  "'->' needs a pointer to a struct or union, got %s; cast it first: "
					  "((struct NAME *)x)->%s", what(c, b), name);
		st = ctype_ref(c, pt, b->loc);
		if (!st)
			return -EINVAL;
		if (!is_record(st))
			return sema_error(c, e->loc, NULL, "'->%s' on a pointer to %s, which is not a struct or union",
					  name, ctype_name(c, st));
		user = pt->user;
	} else {
		if (pt)
			return sema_error(c, e->loc, NULL, "cannot read member '%s' of a pointer (%s) with '.': use '->'",
					  name, ctype_name(c, pt));
		if (!sx_of(b)->mem || !is_record(sx_of(b)->ct))
			return sema_error(c, e->loc, NULL, "cannot read member '%s' of %s: it is not a struct or union",
					  name, what(c, b));
		st = sx_of(b)->ct;
		user = sx_of(b)->user;
	}
	m = st->complete ? ctype_member(c, st, name, &bits) : NULL;
	if (!m)
		return ctype_no_member(c, st, name, e->loc);
	mt = ctype_member_type(c, m, e->loc);
	if (!mt)
		return -EINVAL;
	s->off = bits / 8;
	if (m->bit_size || bits % 8) {
		s->bit_size = m->bit_size ? m->bit_size : mt->size * 8;
		s->bit_shift = bits % 8;
		if (s->bit_shift + s->bit_size > 64 || (mt->kind != BPFKIT_LANG_C_INT && mt->kind != BPFKIT_LANG_C_ENUM))
			return sema_error(c, e->loc, NULL, "member '%s' (%u bits at bit %u) cannot be read", name,
					  s->bit_size, bits);
	}
	return set_mem(c, e, s, mt, user);
}

/* A constant index: a literal, a constant of the compilation, a parameter. */
static bool const_index(const struct bpfkit_ast_expr *i, int64_t *v)
{
	if (i->kind == BPFKIT_EXPR_INT) {
		*v = (int64_t)i->u.num.value;
		return true;
	}
	if (sx_of(i)->konst || i->kind == BPFKIT_EXPR_PARAM) {
		*v = sx_of(i)->pval;
		return true;
	}
	return false;
}

/* args->arr[N]: an element of an array field of the tracepoint record. */
static int sema_ctx_index(struct cctx *c, struct bpfkit_ast_expr *e, struct sx *s)
{
	const struct bpfkit_lang_field *f = sx_of(e->u.index.base)->field;
	uint32_t esize = f->array_len ? f->size / f->array_len : 0;
	int64_t i;

	if (!const_index(e->u.index.index, &i))
		return sema_error(c, e->u.index.index->loc, NULL,
				  "the index into args->%s must be a constant (a program reads the tracepoint record "
				  "only at fixed offsets)", f->name);
	if (i < 0 || (uint64_t)i >= f->array_len)
		return sema_error(c, e->u.index.index->loc, NULL, "index %lld is out of range for args->%s (%u elements)",
				  (long long)i, f->name, f->array_len);
	if (esize != 1 && esize != 2 && esize != 4 && esize != 8)
		return sema_error(c, e->loc, NULL, "elements of args->%s (%u bytes) cannot be read", f->name, esize);
	s->ctx = true;
	s->off = f->offset + (uint32_t)i * esize;
	s->t = ctype_vtype(c, &(struct ctype){ .kind = BPFKIT_LANG_C_INT, .size = esize, .sign = f->is_signed });
	return 0;
}

/* base[index]: an element of an array in memory, or through a pointer. */
int sema_index(struct cctx *c, struct bpfkit_ast_expr *e, struct sx *s)
{
	struct bpfkit_ast_expr *b = e->u.index.base, *ix = e->u.index.index;
	struct ctype *elem, *pt;
	int64_t i = 0;
	bool cidx, user;
	int err = sema_place(c, b);

	err = sema_expr(c, ix) ?: err;
	if (err)
		return err;
	if (sx_of(ix)->t->kind != BPFKIT_LANG_V_INT)
		return sema_error(c, ix->loc, NULL, "an index must be an integer, got %s", ty_name(c, sx_of(ix)->t));
	if (is_args_field(b) && sx_of(b)->field->array_len)
		return sema_ctx_index(c, e, s);
	cidx = const_index(ix, &i);
	if (sx_of(b)->t && sx_of(b)->t->kind == BPFKIT_LANG_V_ARRAY) { /* pton(): a u8, as bpftrace prints it */
		static const struct bpfkit_lang_vtype ty_u8 = { .kind = BPFKIT_LANG_V_INT, .size = 1 };

		if (!cidx)
			return sema_error(c, ix->loc, NULL, "an index of %s must be a constant",
					  ty_name(c, sx_of(b)->t));
		if (i < 0 || (uint64_t)i >= sx_of(b)->t->size)
			return sema_error(c, ix->loc, NULL, "index %lld is out of range for %s", (long long)i,
					  ty_name(c, sx_of(b)->t));
		s->off = (uint32_t)i;
		s->t = &ty_u8;
		return 0;
	}
	if (sx_of(b)->mem && sx_of(b)->ct && sx_of(b)->ct->kind == BPFKIT_LANG_C_ARRAY) {
		elem = ctype_ref(c, sx_of(b)->ct, b->loc);
		user = sx_of(b)->user;
		if (cidx && sx_of(b)->ct->nelems && (i < 0 || (uint64_t)i >= sx_of(b)->ct->nelems))
			return sema_error(c, ix->loc, NULL, "index %lld is out of range for %s", (long long)i,
					  ctype_name(c, sx_of(b)->ct));
	} else if ((pt = sema_ptr_ctype(c, b))) {
		elem = ctype_ref(c, pt, b->loc);
		user = pt->user;
	} else {
		return sema_error(c, e->loc, NULL, "'[]' needs an array or a pointer, got %s", what(c, b));
	}
	if (!elem)
		return -EINVAL;
	if (!elem->complete || !elem->size || elem->kind == BPFKIT_LANG_C_FUNC)
		return sema_error(c, e->loc, NULL, "cannot index %s: its elements (%s) have no size", what(c, b),
				  ctype_name(c, elem));
	if (cidx) {
		uint64_t off = (uint64_t)i * elem->size;

		if (i < 0 || i > INT32_MAX || off > INT32_MAX)
			return sema_error(c, ix->loc, NULL, "index %lld is out of range", (long long)i);
		s->off = (uint32_t)off;
	} else {
		s->scale = elem->size;
	}
	return set_mem(c, e, s, elem, user);
}

/* *p */
int sema_deref(struct cctx *c, struct bpfkit_ast_expr *e, struct sx *s)
{
	struct bpfkit_ast_expr *p = e->u.unop.operand;
	struct ctype *pt, *to;

	if (sema_expr(c, p))
		return -EINVAL;
	pt = sema_ptr_ctype(c, p);
	if (!pt && sx_of(p)->t && sx_of(p)->t->kind == BPFKIT_LANG_V_INT && !sx_of(p)->ct) {
		/* bpftrace: *x of an integer reads an integer of x's type at kernel address x
		 * (loads.bt: *kaddr("avenrun")) */
		static const char *const names[2][4] = { { "uint8", "uint16", "uint32", "uint64" },
							 { "int8", "int16", "int32", "int64" } };
		const struct bpfkit_lang_vtype *it = sx_of(p)->t;
		int k = it->size >= 8 ? 3 : it->size >= 4 ? 2 : it->size >= 2 ? 1 : 0;

		return set_mem(c, e, s, ctype_named(c, names[it->is_signed][k]), false);
	}
	if (!pt)
		return sema_error(c, e->loc, NULL, "cannot dereference %s: it is not a pointer (cast it first: *(uint64 *)x)",
				  what(c, p));
	to = ctype_ref(c, pt, p->loc);
	if (!to)
		return -EINVAL;
	if (to->kind == BPFKIT_LANG_C_VOID || to->kind == BPFKIT_LANG_C_FUNC || !to->complete)
		return sema_error(c, e->loc, NULL, "cannot dereference %s: %s has no value to read", ctype_name(c, pt),
				  ctype_name(c, to));
	return set_mem(c, e, s, to, pt->user);
}

/* &x: the address of something in memory. */
int sema_addr_of(struct cctx *c, struct bpfkit_ast_expr *e, struct sx *s)
{
	struct bpfkit_ast_expr *x = e->u.unop.operand;

	if (sema_place(c, x))
		return -EINVAL;
	if (!sx_of(x)->mem || sx_of(x)->bit_size)
		return sema_error(c, e->loc, NULL,
				  "'&' needs a struct member, an array element or *p; %s has no address here", what(c, x));
	s->t = &ty_ptr;
	s->ct = ctype_ptr(c, sx_of(x)->ct, sx_of(x)->user);
	return 0;
}

/*
 * (T)e where T is a C type rather than one of bpftrace's integer names: a
 * pointer (struct task_struct *, uint64 *, sock_t *), or an integer typedef
 * or enum. A pointer made from a pointer keeps its address space; one made
 * from an integer points to kernel memory.
 */
int sema_cast_ctype(struct cctx *c, struct bpfkit_ast_expr *e, struct sx *s)
{
	struct bpfkit_ast_expr *x = e->u.cast.operand;
	struct ctype *t = ctype_from_ast(c, e->u.cast.to), *from;
	bool user = false;

	if (!t)
		return -EINVAL;
	switch (t->kind) {
	case BPFKIT_LANG_C_PTR:
		if (!sx_of(x)->t || sx_of(x)->t->kind != BPFKIT_LANG_V_INT)
			return sema_error(c, x->loc, NULL, "cannot cast %s to a pointer", what(c, x));
		from = sema_ptr_ctype(c, x);
		if (from)
			user = from->user;
		else if (is_args_field(x) && sx_of(x)->field->is_ptr)
			user = c->t->user_strings;
		if (t->ref_tag && !ctype_ref(c, t, e->u.cast.to->loc))
			return -EINVAL; /* an unknown struct: say so at the cast */
		s->t = &ty_ptr;
		s->ct = user ? ptr_in(c, t, true) : t;
		return 0;
	case BPFKIT_LANG_C_INT:
	case BPFKIT_LANG_C_ENUM:
		s->t = ctype_vtype(c, t);
		if (!s->t)
			return sema_error(c, e->u.cast.to->loc, NULL, "casts to %s are not supported", ctype_name(c, t));
		if (!sx_of(x)->t || sx_of(x)->t->kind != BPFKIT_LANG_V_INT)
			return sema_error(c, x->loc, NULL, "a cast expects an integer, got %s", what(c, x));
		return 0;
	case BPFKIT_LANG_C_STRUCT:
	case BPFKIT_LANG_C_UNION:
		return sema_error(c, e->u.cast.to->loc, NULL, "cannot cast to %s, a struct value; cast to a pointer: (%s *)",
				  ctype_name(c, t), ctype_name(c, t));
	case BPFKIT_LANG_C_ARRAY:
		return sema_error(c, e->u.cast.to->loc, NULL, "casts to arrays are not yet supported by bpfkit");
	default:
		return sema_error(c, e->u.cast.to->loc, NULL, "cannot cast to %s", ctype_name(c, t));
	}
}

/* ptr + int, int + ptr, ptr - int: C's scaled arithmetic, as bpftrace does. */
int sema_ptr_arith(struct cctx *c, struct bpfkit_ast_expr *e, struct sx *s)
{
	struct ctype *pa, *pb, *pt, *to;
	enum bpfkit_ast_op op = e->u.binop.op;

	if (op != BPFKIT_OP_ADD && op != BPFKIT_OP_SUB)
		return 0;
	pa = sx_of(e->u.binop.lhs)->ct && sx_of(e->u.binop.lhs)->ct->kind == BPFKIT_LANG_C_PTR ?
		     sx_of(e->u.binop.lhs)->ct : NULL;
	pb = sx_of(e->u.binop.rhs)->ct && sx_of(e->u.binop.rhs)->ct->kind == BPFKIT_LANG_C_PTR ?
		     sx_of(e->u.binop.rhs)->ct : NULL;
	if ((pa && pb) || (!pa && !pb) || (pb && op == BPFKIT_OP_SUB))
		return 0; /* ptr - ptr, int - ptr: plain integers */
	pt = pa ? pa : pb;
	to = ctype_ref(c, pt, e->loc);
	if (!to)
		return -EINVAL;
	if (to->size > INT32_MAX)
		return sema_error(c, e->loc, NULL, "pointer arithmetic on %s: its target is over 2 GiB",
				  ctype_name(c, pt));
	s->t = &ty_ptr;
	s->ct = pt;
	s->scale = to->complete && to->size ? to->size : 1; /* void *: bytes, as GNU C */
	s->scale_lhs = !pa;
	return 1;
}

/* sizeof(type), sizeof(expr): a constant. */
int sema_sizeof(struct cctx *c, struct bpfkit_ast_expr *e, struct sx *s)
{
	struct bpfkit_ast_expr *x = e->u.size_of.expr;
	uint64_t size;

	if (e->u.size_of.type) {
		struct ctype *t;

		if (e->u.size_of.type->kind == BPFKIT_TYPE_NAME && !strcmp(e->u.size_of.type->name, "string"))
			return sema_error(c, e->u.size_of.type->loc, NULL, "sizeof(string) has no fixed value; use sizeof of a string expression");
		t = ctype_from_ast(c, e->u.size_of.type);
		if (!t)
			return -EINVAL;
		if (!t->complete || t->kind == BPFKIT_LANG_C_VOID || t->kind == BPFKIT_LANG_C_FUNC)
			return sema_error(c, e->loc, NULL, "sizeof of %s, which has no size", ctype_name(c, t));
		size = t->size;
	} else if (x->kind == BPFKIT_EXPR_IDENT && !builtin_find(x->u.ident.name) &&
		   ctype_named(c, x->u.ident.name)) {
		/* sizeof(pid_t): the parser cannot tell a typedef name from a value */
		size = ctype_named(c, x->u.ident.name)->size;
	} else {
		if (sema_place(c, x))
			return -EINVAL;
		if (sx_of(x)->ct && sx_of(x)->bit_size)
			return sema_error(c, e->loc, NULL, "sizeof of a bit-field");
		if (sx_of(x)->ct)
			size = sx_of(x)->ct->size;
		else if (is_args_field(x) && !sx_of(x)->field->is_data_loc)
			size = sx_of(x)->field->size; /* args->f: as the format says */
		else if (sx_of(x)->t)
			size = sx_of(x)->t->size;
		else
			return sema_error(c, x->loc, NULL, "sizeof of something without a value");
	}
	s->konst = true;
	s->pval = (int64_t)size;
	s->t = &ty_u64;
	s->lit = true;
	return 0;
}

/* offsetof(struct X, a.b), offsetof(expr, a): a constant, in bytes. */
int sema_offsetof(struct cctx *c, struct bpfkit_ast_expr *e, struct sx *s)
{
	struct bpfkit_ast_expr *x = e->u.offset_of.expr;
	struct ctype *t;
	uint64_t bits = 0;

	if (e->u.offset_of.type) {
		t = ctype_from_ast(c, e->u.offset_of.type);
		if (!t)
			return -EINVAL;
	} else {
		if (sema_place(c, x))
			return -EINVAL;
		t = sx_of(x)->mem ? sx_of(x)->ct : NULL;
		if (!t)
			return sema_error(c, x->loc, NULL, "offsetof needs a struct or union, got %s", what(c, x));
	}
	for (size_t i = 0; i < e->u.offset_of.npath; i++) {
		struct cmember *m;
		uint32_t b = 0;

		if (!is_record(t))
			return sema_error(c, e->loc, NULL, "offsetof: %s is not a struct or union", ctype_name(c, t));
		m = t->complete ? ctype_member(c, t, e->u.offset_of.path[i], &b) : NULL;
		if (!m)
			return ctype_no_member(c, t, e->u.offset_of.path[i], e->loc);
		if (m->bit_size)
			return sema_error(c, e->loc, NULL, "offsetof of bit-field '%s'", e->u.offset_of.path[i]);
		bits += b;
		t = ctype_member_type(c, m, e->loc);
		if (!t)
			return -EINVAL;
	}
	s->konst = true;
	s->pval = (int64_t)(bits / 8);
	s->t = &ty_u64;
	s->lit = true;
	return 0;
}
