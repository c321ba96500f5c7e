// SPDX-License-Identifier: MIT
/*
 * C types for the compiler: struct/union/enum types named in casts, member
 * access, sizeof and offsetof, and enumerators used as constants.
 *
 * They come from two places. The environment's type provider (the kernel's
 * BTF in `bpfkit trace`, a table in the tests) is asked only for the names
 * a script uses; a type it describes is converted once and cached by id,
 * and the types of its members and pointees are converted when something is
 * read through them. Definitions written in the script (types_layout.c)
 * come first: a script's `struct X` hides the kernel's.
 *
 * Everything here lives in the front end's arena; value types handed to the
 * output (ctype_vtype) are static or in the output arena.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lang/compile_int.h"
#include "lang/types_int.h"

struct ctype ct_void = { .kind = BPFKIT_LANG_C_VOID, .name = "void", .align = 1 };
const struct bpfkit_lang_vtype ty_ptr = { .kind = BPFKIT_LANG_V_INT, .size = 8 };

/* The cache of one compilation, created on first use. */
struct types *types_of(struct cctx *c)
{
	if (!c->types)
		c->types = arena_alloc(c->a, sizeof(*c->types));
	return c->types;
}

static const char *kind_word(enum bpfkit_lang_ckind k)
{
	switch (k) {
	case BPFKIT_LANG_C_STRUCT: return "struct";
	case BPFKIT_LANG_C_UNION: return "union";
	case BPFKIT_LANG_C_ENUM: return "enum";
	default: return "type";
	}
}

/* ---- Types from the environment -------------------------------------------------------- */

static struct ctype *cache_get(struct types *ts, uint32_t id)
{
	if (!ts->cap)
		return NULL;
	for (size_t i = (id * 2654435761u) & (ts->cap - 1);; i = (i + 1) & (ts->cap - 1)) {
		if (!ts->slots[i].t)
			return NULL;
		if (ts->slots[i].id == id)
			return ts->slots[i].t;
	}
}

/* Open addressing, kept at most half full. */
static void cache_put(struct cctx *c, struct types *ts, uint32_t id, struct ctype *t)
{
	if (2 * (ts->n + 1) > ts->cap) {
		size_t cap = ts->cap ? ts->cap * 2 : 64;
		struct types_slot *old = ts->slots;
		size_t ocap = ts->cap;

		ts->slots = arena_alloc(c->a, cap * sizeof(*ts->slots));
		ts->cap = cap;
		ts->n = 0;
		for (size_t i = 0; i < ocap; i++)
			if (old[i].t)
				cache_put(c, ts, old[i].id, old[i].t);
	}
	for (size_t i = (id * 2654435761u) & (ts->cap - 1);; i = (i + 1) & (ts->cap - 1)) {
		if (!ts->slots[i].t) {
			ts->slots[i].id = id;
			ts->slots[i].t = t;
			ts->n++;
			return;
		}
	}
}

static const char *dup_name(struct cctx *c, const char *s)
{
	return s && *s ? arena_strndup(c->a, s, strlen(s)) : NULL;
}

/*
 * Type @p id of the environment, converted on first use. Member and pointee
 * types stay ids until asked for. NULL after reporting at @p loc.
 */
struct ctype *ctype_env(struct cctx *c, uint32_t id, struct bpfkit_loc loc)
{
	struct types *ts = types_of(c);
	struct bpfkit_lang_ctype d = { 0 };
	struct ctype *t;
	int err;

	if (id == 0)
		return &ct_void;
	t = cache_get(ts, id);
	if (t)
		return t;
	if (!c->env || !c->env->ctype_get)
		return sema_error(c, loc, NULL, "no C type information here"), NULL;
	err = c->env->ctype_get(c->env->user, id, &d);
	if (err || d.kind < BPFKIT_LANG_C_VOID || d.kind > BPFKIT_LANG_C_OTHER) {
		sema_error(c, loc, NULL, "cannot read C type %u from the type provider: %s", id,
			   strerror(err < 0 ? -err : EINVAL));
		return NULL;
	}
	t = arena_alloc(c->a, sizeof(*t));
	t->kind = d.kind;
	t->name = dup_name(c, d.name);
	t->size = d.size;
	t->sign = d.is_signed;
	t->complete = d.complete || (d.kind != BPFKIT_LANG_C_STRUCT && d.kind != BPFKIT_LANG_C_UNION);
	t->user = d.user;
	t->ref_id = d.ref;
	t->nelems = d.nelems;
	t->env_id = id;
	t->is_char = d.kind == BPFKIT_LANG_C_INT && d.size == 1 && t->name && !strcmp(t->name, "char");
	if (d.kind == BPFKIT_LANG_C_PTR) {
		t->size = 8;
		t->align = 8;
	} else if (d.kind == BPFKIT_LANG_C_INT || d.kind == BPFKIT_LANG_C_ENUM || d.kind == BPFKIT_LANG_C_OTHER) {
		t->align = d.size >= 8 ? 8 : d.size ? d.size : 1;
	}
	if ((d.kind == BPFKIT_LANG_C_STRUCT || d.kind == BPFKIT_LANG_C_UNION) && d.nmembers && d.members) {
		t->members = arena_alloc(c->a, d.nmembers * sizeof(*t->members));
		t->nmembers = d.nmembers;
		for (size_t i = 0; i < d.nmembers; i++) {
			t->members[i].name = d.members[i].name ? arena_strndup(c->a, d.members[i].name,
									      strlen(d.members[i].name)) : "";
			t->members[i].bit_offset = d.members[i].bit_offset;
			t->members[i].bit_size = d.members[i].bit_size;
			t->members[i].env_id = d.members[i].type;
		}
	}
	if (d.kind == BPFKIT_LANG_C_ENUM && d.nvalues && d.values) {
		struct bpfkit_lang_cenum *v = arena_alloc(c->a, d.nvalues * sizeof(*v));

		for (size_t i = 0; i < d.nvalues; i++) {
			v[i].name = dup_name(c, d.values[i].name);
			v[i].value = d.values[i].value;
		}
		t->values = v;
		t->nvalues = d.nvalues;
	}
	cache_put(c, ts, id, t);
	return t;
}

/* ---- Names and suggestions -------------------------------------------------------- */

struct names_arg {
	struct cctx *c;
	struct ptrvec *v;
};

static int names_add(void *arg, const char *name)
{
	struct names_arg *a = arg;

	if (name && *name && a->v->n < 200000)
		ptrvec_push(a->c->a, a->v, arena_strndup(a->c->a, name, strlen(name)));
	return 0;
}

/* The name closest to @p name among the types of @p kind the script and
 * the environment know, or NULL. */
static const char *suggest_tag(struct cctx *c, enum bpfkit_lang_ckind kind, const char *name)
{
	struct ptrvec v = { 0 };
	struct names_arg a = { c, &v };
	struct types *ts = types_of(c);

	static const char *const base[] = { "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
					    "uint64", "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "bool" };

	types_index_defs(c);
	for (size_t i = 0; i < ts->defs.n; i++) {
		const struct bpfkit_ast_cdef *d = ts->defs.items[i];

		if (d->name && types_kind_of(d->kind) == kind)
			names_add(&a, d->name);
	}
	for (size_t i = 0; kind == BPFKIT_LANG_C_TYPEDEF && i < sizeof(base) / sizeof(base[0]); i++)
		names_add(&a, base[i]);
	if (c->env && c->env->ctype_names)
		c->env->ctype_names(c->env->user, kind, names_add, &a);
	return bpfkit_lang_suggest(name, (const char *const *)v.items, v.n);
}

/*
 * struct/union/enum @p tag: the script's definition if it has one (laid out
 * once, types_layout() caches it), else the environment's. The
 * environment's answers, misses included, are cached, so every sema round
 * sees the same; a miss is reported again each time it is asked.
 */
struct ctype *ctype_tag(struct cctx *c, enum bpfkit_lang_ckind kind, const char *tag, struct bpfkit_loc loc)
{
	struct types *ts = types_of(c);
	const struct bpfkit_ast_cdef *decl = NULL;
	struct tag_entry *te;
	uint32_t id = 0;
	int err = -ENOENT;

	types_index_defs(c);
	for (size_t i = 0; i < ts->defs.n; i++) {
		const struct bpfkit_ast_cdef *d = ts->defs.items[i];

		if (!d->name || strcmp(d->name, tag) || types_kind_of(d->kind) != kind)
			continue;
		if (d->complete)
			return types_layout(c, d, loc);
		decl = d;
	}
	for (te = ts->tags; te; te = te->next)
		if (te->kind == kind && !strcmp(te->name, tag))
			break;
	if (!te) {
		te = arena_alloc(c->a, sizeof(*te));
		te->kind = kind;
		te->name = arena_strndup(c->a, tag, strlen(tag));
		te->next = ts->tags;
		ts->tags = te;
		if (c->env && c->env->ctype_find) {
			err = c->env->ctype_find(c->env->user, kind, tag, &id);
			if (!err)
				te->t = ctype_env(c, id, loc);
			if (te->t && te->t->kind != kind) {
				te->t = NULL;
				err = -ENOENT;
			}
		}
		if (!te->t && decl && err == -ENOENT) {
			/* declared in the script, defined nowhere: an incomplete type */
			te->t = arena_alloc(c->a, sizeof(*te->t));
			te->t->kind = kind;
			te->t->name = te->name;
			te->t->align = 1;
		}
		te->err = err;
	}
	if (te->t)
		return te->t;
	if (te->err != -ENOENT) {
		const char *why = c->env && c->env->ctype_why ? c->env->ctype_why(c->env->user) : NULL;

		sema_error(c, loc, NULL, "no type information for %s %s: %s", kind_word(kind), tag,
			   why ? why : strerror(-te->err));
		return NULL;
	}
	if (!c->env || !c->env->ctype_find)
		sema_error(c, loc, suggest_tag(c, kind, tag), "unknown %s '%s' (no kernel types here: define it in the script)",
			   kind_word(kind), tag);
	else
		sema_error(c, loc, suggest_tag(c, kind, tag), "unknown %s '%s'", kind_word(kind), tag);
	return NULL;
}

/* ---- Making types ----------------------------------------------------------------------- */

struct ctype *ctype_ptr(struct cctx *c, struct ctype *to, bool user)
{
	struct ctype *t = arena_alloc(c->a, sizeof(*t));

	t->kind = BPFKIT_LANG_C_PTR;
	t->size = t->align = 8;
	t->complete = true;
	t->ref = to;
	t->user = user;
	return t;
}

/* A pointer to struct/union/enum @p tag, looked up when first dereferenced. */
static struct ctype *ctype_ptr_tag(struct cctx *c, enum bpfkit_lang_ckind kind, const char *tag, bool user)
{
	struct ctype *t = ctype_ptr(c, NULL, user);

	t->ref_kind = kind;
	t->ref_tag = tag;
	return t;
}

struct ctype *ctype_ref(struct cctx *c, struct ctype *t, struct bpfkit_loc loc)
{
	if (t->ref)
		return t->ref;
	if (t->ref_tag)
		t->ref = ctype_tag(c, t->ref_kind, t->ref_tag, loc);
	else
		t->ref = ctype_env(c, t->ref_id, loc);
	return t->ref;
}

struct ctype *ctype_member_type(struct cctx *c, struct cmember *m, struct bpfkit_loc loc)
{
	if (!m->type)
		m->type = ctype_env(c, m->env_id, loc);
	return m->type;
}

/* Member @p name of @p t; the members of an anonymous struct or union member
 * count as @p t's own, as in C11 (the kernel's structs are full of them). */
struct cmember *ctype_member(struct cctx *c, struct ctype *t, const char *name, uint32_t *bit_offset)
{
	for (size_t i = 0; i < t->nmembers; i++) {
		struct cmember *m = &t->members[i];
		struct ctype *mt;
		struct cmember *in;
		uint32_t off = 0;

		if (!strcmp(m->name, name)) {
			*bit_offset = m->bit_offset;
			return m;
		}
		if (m->name[0])
			continue;
		/* an anonymous struct/union: its members are the parent's */
		mt = ctype_member_type(c, m, (struct bpfkit_loc){ 0 });
		if (!mt || (mt->kind != BPFKIT_LANG_C_STRUCT && mt->kind != BPFKIT_LANG_C_UNION) || mt->busy)
			continue;
		mt->busy = true;
		in = ctype_member(c, mt, name, &off);
		mt->busy = false;
		if (in) {
			*bit_offset = m->bit_offset + off;
			return in;
		}
	}
	return NULL;
}

/* Every member name of @p t (anonymous members' included) into @p v. */
static void member_names(struct cctx *c, struct ctype *t, struct ptrvec *v)
{
	for (size_t i = 0; i < t->nmembers && v->n < 4096; i++) {
		struct cmember *m = &t->members[i];
		struct ctype *mt;

		if (m->name[0]) {
			ptrvec_push(c->a, v, (void *)m->name);
			continue;
		}
		mt = ctype_member_type(c, m, (struct bpfkit_loc){ 0 });
		if (mt && (mt->kind == BPFKIT_LANG_C_STRUCT || mt->kind == BPFKIT_LANG_C_UNION) && !mt->busy) {
			mt->busy = true;
			member_names(c, mt, v);
			mt->busy = false;
		}
	}
}

/* "struct X has no member 'y'; did you mean 'z'?" and a note listing them
 * (cut at a few hundred characters: task_struct has over 200). */
int ctype_no_member(struct cctx *c, struct ctype *t, const char *name, struct bpfkit_loc loc)
{
	struct ptrvec v = { 0 };
	char list[400] = "";
	size_t i;

	if (!t->complete)
		return sema_error(c, loc, NULL, "%s is declared but not defined: it has no members to read",
				  ctype_name(c, t));
	member_names(c, t, &v);
	sema_error(c, loc, bpfkit_lang_suggest(name, (const char *const *)v.items, v.n), "%s has no member '%s'",
		   ctype_name(c, t), name);
	for (i = 0; i < v.n; i++) {
		const char *n = v.items[i];

		if (strlen(list) + strlen(n) + 8 >= sizeof(list)) {
			strcat(list, ", ...");
			break;
		}
		if (list[0])
			strcat(list, ", ");
		strcat(list, n);
	}
	if (!c->quiet)
		lang_diag(c->l, BPFKIT_LANG_NOTE, loc, NULL, "its members are: %s (%zu)", list[0] ? list : "(none)",
			  v.n);
	return -EINVAL;
}

/* ---- Describing types ------------------------------------------------------------------- */

/* Append the C spelling of @p t to @p buf ("struct x *", "char[16]"). */
static void name_into(struct cctx *c, const struct ctype *t, char *buf, size_t size, int depth)
{
	size_t n = strlen(buf);

	if (n + 1 >= size)
		return;
	if (depth > 8) {
		snprintf(buf + n, size - n, "...");
		return;
	}
	switch (t->kind) {
	case BPFKIT_LANG_C_PTR:
		if (t->ref_tag && !t->ref)
			snprintf(buf + n, size - n, "%s %s", kind_word(t->ref_kind), t->ref_tag);
		else if (t->ref || !t->ref_id || ctype_ref(c, (struct ctype *)t, (struct bpfkit_loc){ 0 }))
			name_into(c, t->ref ? t->ref : &ct_void, buf, size, depth + 1);
		else
			snprintf(buf + n, size - n, "type#%u", t->ref_id);
		n = strlen(buf);
		snprintf(buf + n, size - n, " *");
		return;
	case BPFKIT_LANG_C_ARRAY:
		if (t->ref || ctype_ref(c, (struct ctype *)t, (struct bpfkit_loc){ 0 }))
			name_into(c, t->ref, buf, size, depth + 1);
		else
			snprintf(buf + n, size - n, "type#%u", t->ref_id);
		n = strlen(buf);
		snprintf(buf + n, size - n, "[%u]", t->nelems);
		return;
	case BPFKIT_LANG_C_STRUCT:
	case BPFKIT_LANG_C_UNION:
	case BPFKIT_LANG_C_ENUM:
		snprintf(buf + n, size - n, "%s %s", kind_word(t->kind), t->name ? t->name : "(anonymous)");
		return;
	case BPFKIT_LANG_C_FUNC:
		snprintf(buf + n, size - n, "function");
		return;
	default:
		if (t->name)
			snprintf(buf + n, size - n, "%s", t->name);
		else
			snprintf(buf + n, size - n, "%sint%u", t->sign ? "" : "u", t->size * 8);
		return;
	}
}

const char *ctype_name(struct cctx *c, const struct ctype *t)
{
	char buf[256] = "";

	name_into(c, t, buf, sizeof(buf), 0);
	return arena_strndup(c->a, buf, strlen(buf));
}

/* Structurally equal: same kind and size, same pointee (by tag when one side
 * is not loaded yet), struct/union/enum by name. */
bool ctype_same(const struct ctype *a, const struct ctype *b)
{
	for (int depth = 0; depth < 16; depth++) {
		if (a == b)
			return true;
		if (!a || !b || a->kind != b->kind)
			return false;
		switch (a->kind) {
		case BPFKIT_LANG_C_INT:
		case BPFKIT_LANG_C_OTHER:
			return a->size == b->size && a->sign == b->sign;
		case BPFKIT_LANG_C_VOID:
		case BPFKIT_LANG_C_FUNC:
			return true;
		case BPFKIT_LANG_C_PTR:
		case BPFKIT_LANG_C_ARRAY:
			if (a->nelems != b->nelems)
				return false;
			if (a->ref_tag && b->ref_tag && !a->ref && !b->ref)
				return a->ref_kind == b->ref_kind && !strcmp(a->ref_tag, b->ref_tag);
			if (a->ref_tag && !a->ref && b->ref)
				return b->ref->kind == a->ref_kind && b->ref->name && !strcmp(b->ref->name, a->ref_tag);
			if (b->ref_tag && !b->ref && a->ref)
				return a->ref->kind == b->ref_kind && a->ref->name && !strcmp(a->ref->name, b->ref_tag);
			if (!a->ref || !b->ref)
				return !a->ref && !b->ref && a->ref_id == b->ref_id;
			a = a->ref;
			b = b->ref;
			continue;
		default: /* struct, union, enum: the same name */
			return a->name && b->name && !strcmp(a->name, b->name);
		}
	}
	return false;
}

bool ctype_is_aggregate(const struct ctype *t)
{
	if (t->kind == BPFKIT_LANG_C_STRUCT || t->kind == BPFKIT_LANG_C_UNION)
		return true;
	return t->kind == BPFKIT_LANG_C_ARRAY && !(t->ref && t->ref->is_char && t->nelems);
}

/* The value type of a scalar C type: ints and enums of 1, 2, 4 or 8 bytes,
 * pointers (ty_ptr), char arrays (strings); NULL for anything else. */
const struct bpfkit_lang_vtype *ctype_vtype(struct cctx *c, struct ctype *t)
{
	static const struct bpfkit_lang_vtype ints[2][4] = {
		{ { BPFKIT_LANG_V_INT, 1, false, NULL, 0 }, { BPFKIT_LANG_V_INT, 2, false, NULL, 0 },
		  { BPFKIT_LANG_V_INT, 4, false, NULL, 0 }, { BPFKIT_LANG_V_INT, 8, false, NULL, 0 } },
		{ { BPFKIT_LANG_V_INT, 1, true, NULL, 0 }, { BPFKIT_LANG_V_INT, 2, true, NULL, 0 },
		  { BPFKIT_LANG_V_INT, 4, true, NULL, 0 }, { BPFKIT_LANG_V_INT, 8, true, NULL, 0 } },
	};

	switch (t->kind) {
	case BPFKIT_LANG_C_INT:
	case BPFKIT_LANG_C_ENUM:
		switch (t->size) {
		case 1: return &ints[t->sign][0];
		case 2: return &ints[t->sign][1];
		case 4: return &ints[t->sign][2];
		case 8: return &ints[t->sign][3];
		default: return NULL;
		}
	case BPFKIT_LANG_C_PTR:
		return &ty_ptr;
	case BPFKIT_LANG_C_ARRAY:
		if (t->ref && t->ref->is_char && t->nelems && t->nelems <= 4096)
			return ty_str(c, t->nelems);
		return NULL;
	default:
		return NULL;
	}
}

/* ---- Base type names -------------------------------------------------------------------- */

static struct ctype *ctype_int(struct cctx *c, const char *name, uint32_t size, bool sign, bool is_char)
{
	struct ctype *t = arena_alloc(c->a, sizeof(*t));

	t->kind = BPFKIT_LANG_C_INT;
	t->name = name;
	t->size = size;
	t->align = size >= 8 ? 8 : size;
	t->sign = sign;
	t->complete = true;
	t->is_char = is_char;
	return t;
}

/*
 * A base type by name: bpftrace's (int8 .. uint64, u8 .., s8 .., bool), the
 * kernel's fixed-width ones (__u32, u32, uint32_t), and C's words in any
 * order ("unsigned long int", "long unsigned", "char"). NULL if the name is
 * none of these (a typedef, perhaps).
 */
static struct ctype *base_type(struct cctx *c, const char *name)
{
	static const struct {
		const char *name;
		uint8_t size;
		bool sign;
	} fixed[] = {
		{ "int8", 1, true },    { "int16", 2, true },    { "int32", 4, true },    { "int64", 8, true },
		{ "uint8", 1, false },  { "uint16", 2, false },  { "uint32", 4, false },  { "uint64", 8, false },
		{ "s8", 1, true },      { "s16", 2, true },      { "s32", 4, true },      { "s64", 8, true },
		{ "u8", 1, false },     { "u16", 2, false },     { "u32", 4, false },     { "u64", 8, false },
		{ "__s8", 1, true },    { "__s16", 2, true },    { "__s32", 4, true },    { "__s64", 8, true },
		{ "__u8", 1, false },   { "__u16", 2, false },   { "__u32", 4, false },   { "__u64", 8, false },
		{ "int8_t", 1, true },  { "int16_t", 2, true },  { "int32_t", 4, true },  { "int64_t", 8, true },
		{ "uint8_t", 1, false }, { "uint16_t", 2, false }, { "uint32_t", 4, false }, { "uint64_t", 8, false },
		{ "bool", 1, false },   { "_Bool", 1, false },   { "size_t", 8, false },  { "ssize_t", 8, true },
	};
	int nunsigned = 0, nsigned = 0, nchar = 0, nshort = 0, nint = 0, nlong = 0, other = 0;
	const char *p = name;

	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (!strcmp(name, fixed[i].name))
			return ctype_int(c, fixed[i].name, fixed[i].size, fixed[i].sign, false);
	if (!strcmp(name, "void"))
		return &ct_void;
	while (*p) {
		size_t n = strcspn(p, " ");

		if (n == 8 && !memcmp(p, "unsigned", 8))
			nunsigned++;
		else if ((n == 6 && !memcmp(p, "signed", 6)) || (n == 10 && !memcmp(p, "__signed__", 10)))
			nsigned++;
		else if (n == 4 && !memcmp(p, "char", 4))
			nchar++;
		else if (n == 5 && !memcmp(p, "short", 5))
			nshort++;
		else if (n == 3 && !memcmp(p, "int", 3))
			nint++;
		else if (n == 4 && !memcmp(p, "long", 4))
			nlong++;
		else if ((n == 5 && !memcmp(p, "float", 5)) || (n == 6 && !memcmp(p, "double", 6)) ||
			 (n == 8 && !memcmp(p, "__int128", 8)))
			other++;
		else
			return NULL;
		p += n;
		while (*p == ' ')
			p++;
	}
	if (other) { /* float, double, long double, __int128: sizes, no values */
		struct ctype *t = ctype_int(c, arena_strndup(c->a, name, strlen(name)), 8, !nunsigned, false);

		if (strstr(name, "__int128")) {
			t->size = 16;
		} else {
			t->kind = BPFKIT_LANG_C_OTHER;
			t->size = strstr(name, "float") ? 4 : nlong ? 16 : 8;
		}
		t->align = t->size >= 8 ? 8 : t->size;
		return t;
	}
	if (nunsigned + nsigned > 1 || nchar + nshort + (nlong ? 1 : 0) > 1 || nlong > 2 || nint > 1 ||
	    (nunsigned + nsigned + nchar + nshort + nint + nlong) == 0)
		return NULL;
	name = arena_strndup(c->a, name, strlen(name));
	if (nchar)
		return ctype_int(c, name, 1, !nunsigned, !nunsigned && !nsigned);
	if (nshort)
		return ctype_int(c, name, 2, !nunsigned, false);
	if (nlong)
		return ctype_int(c, name, 8, !nunsigned, false);
	return ctype_int(c, name, 4, !nunsigned, false);
}

/* A type name that is no base type: a typedef of the environment. */
static struct ctype *typedef_type(struct cctx *c, const char *name, struct bpfkit_loc loc)
{
	uint32_t id = 0;
	int err;

	err = c->env && c->env->ctype_find ? c->env->ctype_find(c->env->user, BPFKIT_LANG_C_TYPEDEF, name, &id)
					     : -ENOENT;
	if (err == -ENOENT) {
		sema_error(c, loc, suggest_tag(c, BPFKIT_LANG_C_TYPEDEF, name), "unknown type '%s'", name);
		return NULL;
	}
	if (err) {
		const char *why = c->env->ctype_why ? c->env->ctype_why(c->env->user) : NULL;

		sema_error(c, loc, NULL, "no type information for '%s': %s", name, why ? why : strerror(-err));
		return NULL;
	}
	return ctype_env(c, id, loc);
}

struct ctype *ctype_named(struct cctx *c, const char *name)
{
	struct ctype *t = base_type(c, name);
	uint32_t id = 0;

	if (t)
		return t;
	if (c->env && c->env->ctype_find && !c->env->ctype_find(c->env->user, BPFKIT_LANG_C_TYPEDEF, name, &id))
		return ctype_env(c, id, (struct bpfkit_loc){ 0 });
	return NULL;
}

/* An array of @p n elements of @p elem (size checked against overflow). */
static struct ctype *ctype_array(struct cctx *c, struct ctype *elem, uint64_t n, struct bpfkit_loc loc)
{
	struct ctype *t;

	if (n > (1u << 24) || (uint64_t)elem->size * n > (1u << 24)) {
		sema_error(c, loc, NULL, "array too large (%llu elements of %u bytes)", (unsigned long long)n,
			   elem->size);
		return NULL;
	}
	t = arena_alloc(c->a, sizeof(*t));
	t->kind = BPFKIT_LANG_C_ARRAY;
	t->ref = elem;
	t->nelems = (uint32_t)n;
	t->size = elem->size * (uint32_t)n;
	t->align = elem->align ? elem->align : 1;
	t->complete = true;
	return t;
}

/* A type as the parser wrote it down. A pointer to a struct by tag stays
 * lazy (C lets a struct point to one defined later or only in the kernel). */
struct ctype *ctype_from_ast(struct cctx *c, const struct bpfkit_ast_type *t)
{
	struct ctype *r;
	int64_t n = 0;

	switch (t->kind) {
	case BPFKIT_TYPE_NAME:
		r = base_type(c, t->name);
		if (r)
			return r;
		if (!strcmp(t->name, "string") || is_type_keyword(t->name, strlen(t->name))) {
			sema_error(c, t->loc, NULL, "'%s' is not a C type", t->name);
			return NULL;
		}
		return typedef_type(c, t->name, t->loc);
	case BPFKIT_TYPE_STRUCT:
	case BPFKIT_TYPE_UNION:
	case BPFKIT_TYPE_ENUM:
		if (t->def)
			return types_layout(c, t->def, t->loc);
		return ctype_tag(c, types_kind_of(t->kind), t->name, t->loc);
	case BPFKIT_TYPE_PTR:
		if ((t->elem->kind == BPFKIT_TYPE_STRUCT || t->elem->kind == BPFKIT_TYPE_UNION ||
		     t->elem->kind == BPFKIT_TYPE_ENUM) && !t->elem->def && t->elem->name)
			return ctype_ptr_tag(c, types_kind_of(t->elem->kind), t->elem->name, false);
		r = ctype_from_ast(c, t->elem);
		return r ? ctype_ptr(c, r, false) : NULL;
	case BPFKIT_TYPE_ARRAY:
		r = ctype_from_ast(c, t->elem);
		if (!r)
			return NULL;
		if (!r->complete || r->kind == BPFKIT_LANG_C_VOID || r->kind == BPFKIT_LANG_C_FUNC) {
			sema_error(c, t->loc, NULL, "array of %s, which has no size", ctype_name(c, r));
			return NULL;
		}
		if (t->len && const_eval(c, t->len, &n))
			return NULL;
		if (n < 0) {
			sema_error(c, t->len->loc, NULL, "negative array length %lld", (long long)n);
			return NULL;
		}
		return ctype_array(c, r, (uint64_t)n, t->loc);
	case BPFKIT_TYPE_FUNC:
		r = arena_alloc(c->a, sizeof(*r));
		r->kind = BPFKIT_LANG_C_FUNC;
		r->align = 1;
		r->complete = true;
		return r;
	}
	return NULL;
}

/*
 * The type text of a tracepoint field ("struct __kernel_timespec *",
 * "const char *", "int"): qualifiers dropped, '*'s counted, the rest a tag
 * or a base/typedef name. @p user: the pointer points to user memory.
 */
struct ctype *ctype_from_text(struct cctx *c, const char *text, bool user, struct bpfkit_loc loc)
{
	static const char *const skip[] = { "const", "volatile", "__user", "__rcu", "__percpu", "__iomem",
					    "restrict", NULL };
	char words[256] = "";
	enum bpfkit_lang_ckind tag = 0;
	int stars = 0;
	struct ctype *t;
	const char *p = text;

	while (*p) {
		size_t n;

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '*') {
			stars++;
			p++;
			continue;
		}
		n = strcspn(p, " \t*");
		if (!n)
			break;
		bool skipped = false;

		for (const char *const *s = skip; *s; s++)
			if (strlen(*s) == n && !memcmp(*s, p, n))
				skipped = true;
		if (!skipped && !tag && !words[0] && n == 6 && !memcmp(p, "struct", 6))
			tag = BPFKIT_LANG_C_STRUCT;
		else if (!skipped && !tag && !words[0] && n == 5 && !memcmp(p, "union", 5))
			tag = BPFKIT_LANG_C_UNION;
		else if (!skipped && !tag && !words[0] && n == 4 && !memcmp(p, "enum", 4))
			tag = BPFKIT_LANG_C_ENUM;
		else if (!skipped && strlen(words) + n + 2 < sizeof(words)) {
			if (words[0])
				strcat(words, " ");
			strncat(words, p, n);
		}
		p += n;
	}
	if (!words[0]) {
		sema_error(c, loc, NULL, "cannot read the C type '%s'", text);
		return NULL;
	}
	if (tag && stars)
		t = ctype_ptr_tag(c, tag, arena_strndup(c->a, words, strlen(words)), user);
	else if (tag)
		t = ctype_tag(c, tag, words, loc);
	else
		t = base_type(c, words) ?: typedef_type(c, arena_strndup(c->a, words, strlen(words)), loc);
	if (!t)
		return NULL;
	for (int i = tag ? 1 : 0; i < stars; i++)
		t = ctype_ptr(c, t, user);
	return t;
}
