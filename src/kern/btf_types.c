// SPDX-License-Identifier: MIT
/*
 * The compiler's C types from the kernel's BTF (/sys/kernel/btf/vmlinux),
 * read in place by btf_scan.c: the type provider behind struct
 * bpfkit_lang_env's ctype_* callbacks (lang_env.c).
 *
 * Everything is lazy. The BTF is read the first time a script names a C
 * type or an unknown identifier (a ~5 MB blob: one walk to check it, one to
 * index it, a few ms); a type is described when the compiler asks for its
 * id, and the description (with its member and enumerator arrays) is kept
 * until the environment is freed, as the compiler may hold it until compile
 * returns. Ids are BTF ids; typedefs, const/volatile/restrict and type tags
 * are looked through, and a `__user` type tag behind a pointer marks it as
 * pointing to user memory.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kern/kern_int.h"

#define VMLINUX_BTF "/sys/kernel/btf/vmlinux"

struct kern_types {
	struct kbtf btf;
	bool loaded;
	int err; /* the load's error, once it was tried and failed */
	char why[256];
	struct bpfkit_lang_ctype **cache; /* by id, described on first use */
	uint32_t ncache;
};

struct kern_types *kern_types_new(void)
{
	return calloc(1, sizeof(struct kern_types));
}

void kern_types_free(struct kern_types *kt)
{
	if (!kt)
		return;
	for (uint32_t i = 0; i < kt->ncache; i++) {
		if (!kt->cache[i])
			continue;
		free((void *)kt->cache[i]->members);
		free((void *)kt->cache[i]->values);
		free(kt->cache[i]);
	}
	free(kt->cache);
	kbtf_release(&kt->btf);
	free(kt);
}

/* Read the kernel's BTF once; -ENODATA (with a reason) when it cannot be. */
static int kt_load(struct kern_types *kt)
{
	int err;

	if (kt->loaded)
		return 0;
	if (kt->err)
		return kt->err;
	err = kbtf_load(&kt->btf, VMLINUX_BTF, NULL);
	if (err == -ENOMEM)
		return err;
	if (err) {
		snprintf(kt->why, sizeof(kt->why),
			 "the kernel's BTF (" VMLINUX_BTF ") cannot be read (%s); kernel types need "
			 "CONFIG_DEBUG_INFO_BTF, or define the struct in the script",
			 err == -EINVAL ? "not valid BTF" : strerror(-err));
		kt->err = -ENODATA;
		return kt->err;
	}
	kt->ncache = kbtf_end_id(&kt->btf);
	kt->cache = calloc(kt->ncache ? kt->ncache : 1, sizeof(*kt->cache));
	if (!kt->cache || kbtf_index(&kt->btf)) {
		free(kt->cache);
		kt->cache = NULL;
		kt->ncache = 0;
		kbtf_release(&kt->btf);
		return -ENOMEM;
	}
	kt->loaded = true;
	return 0;
}

const char *kern_types_why(const struct kern_types *kt)
{
	return kt->why[0] ? kt->why : NULL;
}

/* Through typedefs, qualifiers and type tags; *user set on a "user" tag. */
static uint32_t kt_skip(const struct kbtf *btf, uint32_t id, bool *user)
{
	for (int depth = 0; depth < 32 && id; depth++) {
		struct kbtf_type t;

		if (kbtf_type(btf, id, &t))
			return id;
		switch (t.kind) {
		case KBTF_KIND_TYPE_TAG:
			if (user && !strcmp(t.name, "user"))
				*user = true;
			/* fall through */
		case KBTF_KIND_TYPEDEF:
		case KBTF_KIND_VOLATILE:
		case KBTF_KIND_CONST:
		case KBTF_KIND_RESTRICT:
			id = t.size_type;
			break;
		default:
			return id;
		}
	}
	return id;
}

/* A named type: a struct/union/enum by tag (a forward declaration when that
 * is all there is), or a typedef or base type ("pid_t", "unsigned int"). */
int kern_types_find(struct kern_types *kt, enum bpfkit_lang_ckind kind, const char *name, uint32_t *id)
{
	static const struct {
		enum bpfkit_lang_ckind kind;
		int btf[3]; /* BTF kinds to try, in order; -1 ends */
	} order[] = {
		{ BPFKIT_LANG_C_STRUCT, { KBTF_KIND_STRUCT, KBTF_KIND_FWD, -1 } },
		{ BPFKIT_LANG_C_UNION, { KBTF_KIND_UNION, KBTF_KIND_FWD, -1 } },
		{ BPFKIT_LANG_C_ENUM, { KBTF_KIND_ENUM, KBTF_KIND_ENUM64, -1 } },
		{ BPFKIT_LANG_C_TYPEDEF, { KBTF_KIND_TYPEDEF, KBTF_KIND_INT, -1 } },
	};
	int err = kt_load(kt);

	if (err)
		return err;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		if (order[i].kind != kind)
			continue;
		for (int k = 0; k < 3 && order[i].btf[k] >= 0; k++) {
			int r = kbtf_find(&kt->btf, (unsigned)order[i].btf[k], name);

			if (r <= 0)
				continue;
			if (order[i].btf[k] == KBTF_KIND_FWD) {
				/* a forward declaration: struct or union as its flag says */
				struct kbtf_type t;

				if (kbtf_type(&kt->btf, (uint32_t)r, &t) ||
				    t.kflag != (kind == BPFKIT_LANG_C_UNION))
					continue;
			}
			*id = (uint32_t)r;
			return 0;
		}
	}
	return -ENOENT;
}

/* Members of a struct or union, in the compiler's terms (malloc'd). */
static int kt_members(const struct kbtf_type *t, struct bpfkit_lang_ctype *d)
{
	struct bpfkit_lang_cmember *out;

	if (!t->vlen)
		return 0;
	out = calloc(t->vlen, sizeof(*out));
	if (!out)
		return -ENOMEM;
	for (uint32_t i = 0; i < t->vlen; i++) {
		struct kbtf_memb m;

		kbtf_memb(t, i, &m);
		out[i].name = m.name;
		out[i].type = m.type;
		out[i].bit_offset = m.bit_offset;
		out[i].bit_size = m.bit_size;
	}
	d->members = out;
	d->nmembers = t->vlen;
	return 0;
}

/* Enumerators of an ENUM or ENUM64 (malloc'd). */
static int kt_values(const struct kbtf_type *t, struct bpfkit_lang_ctype *d)
{
	struct bpfkit_lang_cenum *out;

	if (!t->vlen)
		return 0;
	out = calloc(t->vlen, sizeof(*out));
	if (!out)
		return -ENOMEM;
	for (uint32_t i = 0; i < t->vlen; i++)
		kbtf_enumerator(t, i, &out[i].name, &out[i].value);
	d->values = out;
	d->nvalues = t->vlen;
	return 0;
}

/* Describe BTF type @p id (already past typedefs) into @p d. */
static int kt_describe(struct kern_types *kt, uint32_t id, struct bpfkit_lang_ctype *d)
{
	struct kbtf_type t;
	uint32_t elem, n;

	if (kbtf_type(&kt->btf, id, &t))
		return -ENOENT;
	d->name = t.name;
	d->complete = true;
	switch (t.kind) {
	case KBTF_KIND_INT:
		d->kind = BPFKIT_LANG_C_INT;
		d->size = t.size_type;
		d->is_signed = kbtf_int_signed(&t);
		return 0;
	case KBTF_KIND_PTR:
		d->kind = BPFKIT_LANG_C_PTR;
		d->size = 8;
		d->ref = t.size_type;
		kt_skip(&kt->btf, t.size_type, &d->user);
		return 0;
	case KBTF_KIND_ARRAY:
		kbtf_array(&t, &elem, &n);
		d->kind = BPFKIT_LANG_C_ARRAY;
		d->ref = elem;
		d->nelems = n;
		d->size = kbtf_size(&kt->btf, id);
		return 0;
	case KBTF_KIND_STRUCT:
	case KBTF_KIND_UNION:
		d->kind = t.kind == KBTF_KIND_STRUCT ? BPFKIT_LANG_C_STRUCT : BPFKIT_LANG_C_UNION;
		d->size = t.size_type;
		return kt_members(&t, d);
	case KBTF_KIND_FWD:
		d->kind = t.kflag ? BPFKIT_LANG_C_UNION : BPFKIT_LANG_C_STRUCT;
		d->complete = false;
		return 0;
	case KBTF_KIND_ENUM:
	case KBTF_KIND_ENUM64:
		d->kind = BPFKIT_LANG_C_ENUM;
		d->size = t.size_type;
		d->is_signed = t.kflag;
		return kt_values(&t, d);
	case KBTF_KIND_FUNC:
	case KBTF_KIND_FUNC_PROTO:
		d->kind = BPFKIT_LANG_C_FUNC;
		return 0;
	case KBTF_KIND_FLOAT:
		d->kind = BPFKIT_LANG_C_OTHER;
		d->size = t.size_type;
		return 0;
	default:
		d->kind = BPFKIT_LANG_C_OTHER;
		return 0;
	}
}

/* Describe type @p id (once; the description is kept until kern_types_free()). */
int kern_types_get(struct kern_types *kt, uint32_t id, struct bpfkit_lang_ctype *out)
{
	struct bpfkit_lang_ctype *d;
	int err = kt_load(kt);

	if (err)
		return err;
	if (id == 0) {
		*out = (struct bpfkit_lang_ctype){ .kind = BPFKIT_LANG_C_VOID, .name = "void" };
		return 0;
	}
	if (id >= kt->ncache)
		return -ENOENT;
	if (!kt->cache[id]) {
		d = calloc(1, sizeof(*d));
		if (!d)
			return -ENOMEM;
		err = kt_describe(kt, kt_skip(&kt->btf, id, NULL), d);
		if (err) {
			free((void *)d->members);
			free((void *)d->values);
			free(d);
			return err;
		}
		kt->cache[id] = d;
	}
	*out = *kt->cache[id];
	return 0;
}

/* Every enumerator of every enum is searched, in id order: enums are a few
 * thousand of the ~150k types, and this runs only for identifiers nothing
 * else knows. */
int kern_types_enum(struct kern_types *kt, const char *name, int64_t *value)
{
	int err = kt_load(kt);

	if (err)
		return err;
	for (uint32_t id = 1; id < kt->ncache; id++) {
		struct kbtf_type t;

		if (kbtf_type(&kt->btf, id, &t) ||
		    (t.kind != KBTF_KIND_ENUM && t.kind != KBTF_KIND_ENUM64))
			continue;
		for (uint32_t i = 0; i < t.vlen; i++) {
			const char *n;
			int64_t v;

			kbtf_enumerator(&t, i, &n, &v);
			if (!strcmp(n, name)) {
				*value = v;
				return 0;
			}
		}
	}
	return -ENOENT;
}

/* Every named type of @p kind, for "did you mean" (only on errors). */
int kern_types_names(struct kern_types *kt, enum bpfkit_lang_ckind kind, bpfkit_lang_add_fn add, void *arg)
{
	int err = kt_load(kt);

	if (err)
		return err;
	for (uint32_t id = 1; id < kt->ncache; id++) {
		struct kbtf_type t;
		bool match;

		if (kbtf_type(&kt->btf, id, &t) || !*t.name)
			continue;
		switch (kind) {
		case BPFKIT_LANG_C_STRUCT: match = t.kind == KBTF_KIND_STRUCT; break;
		case BPFKIT_LANG_C_UNION: match = t.kind == KBTF_KIND_UNION; break;
		case BPFKIT_LANG_C_ENUM: match = t.kind == KBTF_KIND_ENUM || t.kind == KBTF_KIND_ENUM64; break;
		case BPFKIT_LANG_C_TYPEDEF: match = t.kind == KBTF_KIND_TYPEDEF; break;
		default: match = false; break;
		}
		if (match && (err = add(arg, t.name)))
			return err;
	}
	return 0;
}
