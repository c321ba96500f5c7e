// SPDX-License-Identifier: MIT
/*
 * The compiler's C types from the kernel's BTF (/sys/kernel/btf/vmlinux),
 * through libbpf's btf API: the type provider behind struct bpfkit_lang_env's
 * ctype_* callbacks (lang_env.c).
 *
 * Everything is lazy. The BTF is parsed the first time a script names a C
 * type or an unknown identifier (a ~5 MB blob, tens of milliseconds); a type
 * is described when the compiler asks for its id, and the description (with
 * its member and enumerator arrays) is kept until the environment is freed,
 * as the compiler may hold it until compile returns. Ids are BTF ids;
 * typedefs, const/volatile/restrict and type tags are looked through, and a
 * `__user` type tag behind a pointer marks it as pointing to user memory.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "kern/kern_int.h"

#define VMLINUX_BTF "/sys/kernel/btf/vmlinux"

struct kern_types {
	struct btf *btf;
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
	btf__free(kt->btf);
	free(kt);
}

/* Parse the kernel's BTF once; -ENODATA (with a reason) when it cannot be. */
static int kt_load(struct kern_types *kt)
{
	struct btf *btf;
	int err;

	if (kt->btf)
		return 0;
	if (kt->err)
		return kt->err;
	klog_install();
	errno = 0;
	btf = btf__load_vmlinux_btf();
	err = btf ? 0 : (errno ? -errno : -ENOENT);
	if (!btf || libbpf_get_error(btf)) {
		if (btf)
			err = (int)libbpf_get_error(btf);
		snprintf(kt->why, sizeof(kt->why),
			 "the kernel's BTF (" VMLINUX_BTF ") cannot be read (%s); kernel types need "
			 "CONFIG_DEBUG_INFO_BTF, or define the struct in the script", strerror(-err));
		kt->err = -ENODATA;
		return kt->err;
	}
	kt->btf = btf;
	kt->ncache = btf__type_cnt(btf);
	kt->cache = calloc(kt->ncache ? kt->ncache : 1, sizeof(*kt->cache));
	if (!kt->cache) {
		btf__free(btf);
		kt->btf = NULL;
		kt->ncache = 0;
		return -ENOMEM;
	}
	return 0;
}

const char *kern_types_why(const struct kern_types *kt)
{
	return kt->why[0] ? kt->why : NULL;
}

/* Through typedefs, qualifiers and type tags; *user set on a "user" tag. */
static uint32_t kt_skip(const struct btf *btf, uint32_t id, bool *user)
{
	for (int depth = 0; depth < 32 && id; depth++) {
		const struct btf_type *t = btf__type_by_id(btf, id);

		if (!t)
			return id;
		switch (btf_kind(t)) {
		case BTF_KIND_TYPE_TAG:
			if (user && !strcmp(btf__name_by_offset(btf, t->name_off), "user"))
				*user = true;
			/* fall through */
		case BTF_KIND_TYPEDEF:
		case BTF_KIND_VOLATILE:
		case BTF_KIND_CONST:
		case BTF_KIND_RESTRICT:
			id = t->type;
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
		{ BPFKIT_LANG_C_STRUCT, { BTF_KIND_STRUCT, BTF_KIND_FWD, -1 } },
		{ BPFKIT_LANG_C_UNION, { BTF_KIND_UNION, BTF_KIND_FWD, -1 } },
		{ BPFKIT_LANG_C_ENUM, { BTF_KIND_ENUM, BTF_KIND_ENUM64, -1 } },
		{ BPFKIT_LANG_C_TYPEDEF, { BTF_KIND_TYPEDEF, BTF_KIND_INT, -1 } },
	};
	int err = kt_load(kt);

	if (err)
		return err;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		if (order[i].kind != kind)
			continue;
		for (int k = 0; k < 3 && order[i].btf[k] >= 0; k++) {
			int r = btf__find_by_name_kind(kt->btf, name, (uint32_t)order[i].btf[k]);

			if (r <= 0)
				continue;
			if (order[i].btf[k] == BTF_KIND_FWD) {
				/* a forward declaration: struct or union as its flag says */
				const struct btf_type *t = btf__type_by_id(kt->btf, (uint32_t)r);

				if (!t || btf_kflag(t) != (kind == BPFKIT_LANG_C_UNION))
					continue;
			}
			*id = (uint32_t)r;
			return 0;
		}
	}
	return -ENOENT;
}

/* Members of a struct or union, in the compiler's terms (malloc'd). */
static int kt_members(const struct btf *btf, const struct btf_type *t, struct bpfkit_lang_ctype *d)
{
	const struct btf_member *m = btf_members(t);
	struct bpfkit_lang_cmember *out;
	uint16_t n = btf_vlen(t);

	if (!n)
		return 0;
	out = calloc(n, sizeof(*out));
	if (!out)
		return -ENOMEM;
	for (uint16_t i = 0; i < n; i++) {
		out[i].name = btf__name_by_offset(btf, m[i].name_off);
		out[i].type = m[i].type;
		out[i].bit_offset = btf_member_bit_offset(t, i);
		out[i].bit_size = btf_member_bitfield_size(t, i);
	}
	d->members = out;
	d->nmembers = n;
	return 0;
}

/* Enumerators of an ENUM or ENUM64 (malloc'd). */
static int kt_values(const struct btf *btf, const struct btf_type *t, struct bpfkit_lang_ctype *d)
{
	struct bpfkit_lang_cenum *out;
	uint16_t n = btf_vlen(t);

	if (!n)
		return 0;
	out = calloc(n, sizeof(*out));
	if (!out)
		return -ENOMEM;
	for (uint16_t i = 0; i < n; i++) {
		if (btf_is_enum(t)) {
			const struct btf_enum *e = btf_enum(t) + i;

			out[i].name = btf__name_by_offset(btf, e->name_off);
			out[i].value = d->is_signed ? (int64_t)e->val : (int64_t)(uint32_t)e->val;
		} else {
			const struct btf_enum64 *e = btf_enum64(t) + i;

			out[i].name = btf__name_by_offset(btf, e->name_off);
			out[i].value = (int64_t)btf_enum64_value(e);
		}
	}
	d->values = out;
	d->nvalues = n;
	return 0;
}

/* Describe BTF type @p id (already past typedefs) into @p d. */
static int kt_describe(struct kern_types *kt, uint32_t id, struct bpfkit_lang_ctype *d)
{
	const struct btf_type *t = btf__type_by_id(kt->btf, id);
	long size;

	if (!t)
		return -ENOENT;
	d->name = btf__name_by_offset(kt->btf, t->name_off);
	d->complete = true;
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
		d->kind = BPFKIT_LANG_C_INT;
		d->size = t->size;
		d->is_signed = (btf_int_encoding(t) & BTF_INT_SIGNED) != 0;
		return 0;
	case BTF_KIND_PTR:
		d->kind = BPFKIT_LANG_C_PTR;
		d->size = 8;
		d->ref = t->type;
		kt_skip(kt->btf, t->type, &d->user);
		return 0;
	case BTF_KIND_ARRAY:
		d->kind = BPFKIT_LANG_C_ARRAY;
		d->ref = btf_array(t)->type;
		d->nelems = btf_array(t)->nelems;
		size = btf__resolve_size(kt->btf, id);
		d->size = size > 0 && size <= UINT32_MAX ? (uint32_t)size : 0;
		return 0;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		d->kind = btf_is_struct(t) ? BPFKIT_LANG_C_STRUCT : BPFKIT_LANG_C_UNION;
		d->size = t->size;
		return kt_members(kt->btf, t, d);
	case BTF_KIND_FWD:
		d->kind = btf_kflag(t) ? BPFKIT_LANG_C_UNION : BPFKIT_LANG_C_STRUCT;
		d->complete = false;
		return 0;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		d->kind = BPFKIT_LANG_C_ENUM;
		d->size = t->size;
		d->is_signed = btf_kflag(t);
		return kt_values(kt->btf, t, d);
	case BTF_KIND_FUNC:
	case BTF_KIND_FUNC_PROTO:
		d->kind = BPFKIT_LANG_C_FUNC;
		return 0;
	case BTF_KIND_FLOAT:
		d->kind = BPFKIT_LANG_C_OTHER;
		d->size = t->size;
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
		err = kt_describe(kt, kt_skip(kt->btf, id, NULL), d);
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

/* Every enumerator of every enum is searched: enums are a few thousand of
 * the ~150k types, and this runs only for identifiers nothing else knows. */
int kern_types_enum(struct kern_types *kt, const char *name, int64_t *value)
{
	int err = kt_load(kt);

	if (err)
		return err;
	for (uint32_t id = 1; id < kt->ncache; id++) {
		const struct btf_type *t = btf__type_by_id(kt->btf, id);
		uint16_t n;

		if (!t || (!btf_is_enum(t) && !btf_is_enum64(t)))
			continue;
		n = btf_vlen(t);
		for (uint16_t i = 0; i < n; i++) {
			if (btf_is_enum(t)) {
				const struct btf_enum *e = btf_enum(t) + i;

				if (strcmp(btf__name_by_offset(kt->btf, e->name_off), name))
					continue;
				*value = btf_kflag(t) ? (int64_t)e->val : (int64_t)(uint32_t)e->val;
			} else {
				const struct btf_enum64 *e = btf_enum64(t) + i;

				if (strcmp(btf__name_by_offset(kt->btf, e->name_off), name))
					continue;
				*value = (int64_t)btf_enum64_value(e);
			}
			return 0;
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
		const struct btf_type *t = btf__type_by_id(kt->btf, id);
		const char *name;
		bool match;

		if (!t || !t->name_off)
			continue;
		switch (kind) {
		case BPFKIT_LANG_C_STRUCT: match = btf_is_struct(t); break;
		case BPFKIT_LANG_C_UNION: match = btf_is_union(t); break;
		case BPFKIT_LANG_C_ENUM: match = btf_is_enum(t) || btf_is_enum64(t); break;
		case BPFKIT_LANG_C_TYPEDEF: match = btf_is_typedef(t); break;
		default: match = false; break;
		}
		name = match ? btf__name_by_offset(kt->btf, t->name_off) : NULL;
		if (name && *name && (err = add(arg, name)))
			return err;
	}
	return 0;
}
