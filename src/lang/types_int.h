/* SPDX-License-Identifier: MIT */
/*
 * Internals of the C type model (types.c, types_layout.c): the caches of one
 * compilation. Everything is in the front end's arena.
 */
#ifndef BPFKIT_LANG_TYPES_INT_H
#define BPFKIT_LANG_TYPES_INT_H

#include "lang/compile_int.h"

struct types_slot {
	uint32_t id;
	struct ctype *t;
};

/* A struct/union/enum looked up by tag; t NULL: not found (err). */
struct tag_entry {
	struct tag_entry *next;
	enum bpfkit_lang_ckind kind;
	const char *name;
	struct ctype *t;
	int err;
};

/* An enumerator looked up by name (found or not). */
struct enum_entry {
	struct enum_entry *next;
	const char *name;
	int64_t value;
	bool found;
};

/* A definition of the script and its layout (once laid out). */
struct def_entry {
	const struct bpfkit_ast_cdef *def;
	struct ctype *t;
};

struct types {
	struct types_slot *slots; /* environment types by id */
	size_t n, cap;
	struct tag_entry *tags;
	struct enum_entry *enums;
	struct ptrvec defs; /* every struct/union/enum definition of the script, nested ones too */
	struct ptrvec layouts; /* struct def_entry * */
	bool indexed;
};

struct types *types_of(struct cctx *c);
/* Environment type @p id, converted on first use; NULL after reporting. */
struct ctype *ctype_env(struct cctx *c, uint32_t id, struct bpfkit_loc loc);
/* Collect the script's definitions into types_of(c)->defs (once). */
void types_index_defs(struct cctx *c);
/* BPFKIT_TYPE_STRUCT/UNION/ENUM as a C type kind. */
enum bpfkit_lang_ckind types_kind_of(enum bpfkit_ast_type_kind k);
/* The layout of a script definition (C's rules, x86-64); NULL after reporting. */
struct ctype *types_layout(struct cctx *c, const struct bpfkit_ast_cdef *def, struct bpfkit_loc loc);

#endif /* BPFKIT_LANG_TYPES_INT_H */
