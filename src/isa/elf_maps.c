// SPDX-License-Identifier: MIT
/*
 * The maps an ELF object defines (bpfkit_elf_maps()), as libbpf reads them:
 *   - `.maps`: BTF-defined maps. Each variable of the BTF DATASEC ".maps"
 *     is a struct whose members say what the map is: `__uint(type, X)` is
 *     a member `int (*type)[X]` (a pointer to an array of X elements: the
 *     value is the array's length), `__type(key, T)` a member `T *key`
 *     (the key size is T's size); libbpf's parse_btf_map_def is the
 *     reference. The BTF is read with libbpf's btf__new() from .BTF.
 *   - `maps` (and `maps/...`): legacy struct bpf_map_def records, one per
 *     symbol of the section, each section size / number of symbols bytes.
 *   - global data: every `.data*`, `.rodata*`, `.bss*` section is an array
 *     of one element whose value is the section; `.rodata*` is read-only
 *     to programs (BPFKIT_F_RDONLY_PROG); named symbols in it are its
 *     variables.
 * Input is untrusted: BTF is parsed and checked by libbpf, every type id
 * and size we follow is checked again, and symbols must lie inside their
 * sections.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "elf_int.h"

/* The maps being collected. */
struct maps {
	struct rd *r;
	struct bpfkit_map_desc *v;
	size_t n, cap;
};

static bool has_prefix(const char *s, const char *pfx)
{
	return !strncmp(s, pfx, strlen(pfx));
}

/* A new zeroed description named @p name from section @p sec in *@p out:
 * 0, -EINVAL (a second map of that name), -ENOMEM. */
static int add_map(struct maps *ms, const char *name, const char *sec,
		   struct bpfkit_map_desc **out)
{
	struct bpfkit_map_desc *d;

	for (size_t i = 0; i < ms->n; i++)
		if (!strcmp(ms->v[i].name, name))
			return bpfkit_diag__set(ms->r->diag, -EINVAL,
						"section %s: map '%s' is defined twice (also in %s)",
						sec, name, ms->v[i].section);
	if (ms->n == ms->cap) {
		size_t cap = ms->cap ? ms->cap * 2 : 8;
		d = reallocarray(ms->v, cap, sizeof(*d));
		if (!d)
			return bpfkit_diag__set(ms->r->diag, -ENOMEM, "out of memory");
		ms->v = d;
		ms->cap = cap;
	}
	d = &ms->v[ms->n++];
	memset(d, 0, sizeof(*d));
	d->name = strdup(name);
	d->section = strdup(sec);
	if (!d->name || !d->section)
		return bpfkit_diag__set(ms->r->diag, -ENOMEM, "out of memory");
	*out = d;
	return 0;
}

/* ---- BTF-defined maps ---------------------------------------------------------- */

/* The type @p id refers to once modifiers and typedefs are skipped, or NULL. */
static const struct btf_type *skip_mods(const struct btf *btf, __u32 id, __u32 *res_id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);

	for (int depth = 0; t && depth < 32; depth++) {
		if (!btf_is_mod(t) && !btf_is_typedef(t)) {
			if (res_id)
				*res_id = id;
			return t;
		}
		id = t->type;
		t = btf__type_by_id(btf, id);
	}
	return NULL;
}

/* __uint(name, N): a pointer to an array of N elements. */
static int field_int(struct rd *r, const struct btf *btf, const struct btf_member *m,
		     const char *map, const char *field, __u32 *out)
{
	const struct btf_type *t = skip_mods(btf, m->type, NULL), *arr;

	if (!t || !btf_is_ptr(t) || !(arr = btf__type_by_id(btf, t->type)) || !btf_is_array(arr))
		return bpfkit_diag__set(r->diag, -EINVAL,
					"section .maps: map '%s': '%s' is not written as __uint(%s, N) "
					"(a pointer to an array)",
					map, field, field);
	*out = btf_array(arr)->nelems;
	return 0;
}

/* __type(name, T): a pointer to T; its size. */
static int field_type_size(struct rd *r, const struct btf *btf, const struct btf_member *m,
			   const char *map, const char *field, __u32 *out)
{
	const struct btf_type *t = skip_mods(btf, m->type, NULL);
	__s64 sz;

	if (!t || !btf_is_ptr(t))
		return bpfkit_diag__set(r->diag, -EINVAL,
					"section .maps: map '%s': '%s' is not written as __type(%s, T) "
					"(a pointer to the type)",
					map, field, field);
	sz = btf__resolve_size(btf, t->type);
	if (sz < 0 || sz > UINT32_MAX)
		return bpfkit_diag__set(r->diag, -EINVAL,
					"section .maps: map '%s': the size of the %s type cannot be "
					"resolved",
					map, field);
	*out = (__u32)sz;
	return 0;
}

/* A size given both ways must agree (libbpf: "conflicting key size"). */
static int set_size(struct rd *r, const char *map, const char *what, __u32 *have, __u32 v)
{
	if (*have && *have != v)
		return bpfkit_diag__set(r->diag, -EINVAL,
					"section .maps: map '%s': conflicting %s size %u != %u", map,
					what, *have, v);
	*have = v;
	return 0;
}

/* One map: the members of the struct variable @p var. */
static int btf_map(struct maps *ms, const struct btf *btf, const struct btf_type *var)
{
	struct rd *r = ms->r;
	const char *name = btf__name_by_offset(btf, var->name_off);
	const struct btf_type *def;
	struct bpfkit_map_desc *d;
	int err = 0;

	if (!name || !*name)
		return bpfkit_diag__set(r->diag, -EINVAL, "section .maps: a map variable has no name");
	def = skip_mods(btf, var->type, NULL);
	if (!def || !btf_is_struct(def))
		return bpfkit_diag__set(r->diag, -EINVAL,
					"section .maps: map '%s' is not a struct (define it with "
					"__uint/__type members)",
					name);
	if ((err = add_map(ms, name, ".maps", &d)))
		return err;
	const struct btf_member *m = btf_members(def);
	for (__u16 i = 0; !err && i < btf_vlen(def); i++, m++) {
		const char *f = btf__name_by_offset(btf, m->name_off);
		__u32 v = 0;

		if (!f)
			f = "";
		if (!strcmp(f, "type")) {
			err = field_int(r, btf, m, name, f, &d->type);
		} else if (!strcmp(f, "max_entries")) {
			err = field_int(r, btf, m, name, f, &d->max_entries);
		} else if (!strcmp(f, "map_flags")) {
			err = field_int(r, btf, m, name, f, &d->flags);
		} else if (!strcmp(f, "map_extra")) {
			err = field_int(r, btf, m, name, f, &v);
			d->map_extra = v;
		} else if (!strcmp(f, "numa_node") || !strcmp(f, "pinning")) {
			err = field_int(r, btf, m, name, f, &v); /* nothing for the VM to do */
		} else if (!strcmp(f, "key_size") || !strcmp(f, "value_size")) {
			err = field_int(r, btf, m, name, f, &v);
			if (!err)
				err = set_size(r, name, f[0] == 'k' ? "key" : "value",
					       f[0] == 'k' ? &d->key_size : &d->value_size, v);
		} else if (!strcmp(f, "key") || !strcmp(f, "value")) {
			err = field_type_size(r, btf, m, name, f, &v);
			if (!err)
				err = set_size(r, name, f, f[0] == 'k' ? &d->key_size : &d->value_size, v);
		} else if (!strcmp(f, "values")) {
			err = bpfkit_diag__set(r->diag, -ENOTSUP,
					       "section .maps: map '%s': initial values ('values', "
					       "map-in-map and prog_array initialisers) are not supported",
					       name);
		} else {
			err = bpfkit_diag__set(r->diag, -ENOTSUP,
					       "section .maps: map '%s': unknown attribute '%s'", name, f);
		}
	}
	return err;
}

/* libbpf's print callback while it parses untrusted BTF: nothing below the
 * CLI prints, and malformed BTF makes libbpf warn. */
static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level, (void)fmt, (void)ap;
	return 0;
}

/* btf__new() with libbpf silent. libbpf has one global print callback, so
 * it is swapped for the call and put back: a libbpf warning another thread
 * prints in that moment is lost (bpfkit's CLI uses libbpf from one thread). */
static struct btf *btf_parse(const void *data, __u32 size)
{
	libbpf_print_fn_t old = libbpf_set_print(quiet);
	struct btf *btf = btf__new(data, size);
	int err = errno;

	libbpf_set_print(old);
	errno = err;
	return btf;
}

/* Every variable of the DATASEC ".maps" in the object's .BTF. */
static int btf_maps(struct maps *ms, size_t maps_sec)
{
	struct rd *r = ms->r;
	struct btf *btf = NULL;
	Elf_Data *d;
	size_t btf_sec = 0;
	__s32 id;
	int err;

	for (size_t i = 1; i < r->shnum && !btf_sec; i++)
		if (!strcmp(r->name[i], ".BTF"))
			btf_sec = i;
	if (!btf_sec)
		return bpfkit_diag__set(r->diag, -EINVAL,
					"section .maps: BTF-defined maps need the object's .BTF "
					"(compile with -g)");
	err = elf_section_data(r, btf_sec, &d);
	if (err)
		return err;
	if (d->d_size > UINT32_MAX || !(btf = btf_parse(d->d_buf, (__u32)d->d_size)))
		return bpfkit_diag__set(r->diag, -EINVAL, "section .BTF: not valid BTF (%s)",
					strerror(errno));
	id = btf__find_by_name_kind(btf, ".maps", BTF_KIND_DATASEC);
	if (id < 0) {
		btf__free(btf);
		if (!r->shdr[maps_sec].sh_size)
			return 0;
		return bpfkit_diag__set(r->diag, -EINVAL,
					"section .maps: .BTF does not describe it (no DATASEC .maps)");
	}
	const struct btf_type *sec = btf__type_by_id(btf, (__u32)id);
	const struct btf_var_secinfo *vi = btf_var_secinfos(sec);
	for (__u16 i = 0; !err && i < btf_vlen(sec); i++, vi++) {
		const struct btf_type *var = btf__type_by_id(btf, vi->type);
		if (!var || !btf_is_var(var))
			err = bpfkit_diag__set(r->diag, -EINVAL,
					       "section .maps: DATASEC entry %u is not a variable", i);
		else
			err = btf_map(ms, btf, var);
	}
	btf__free(btf);
	return err;
}

/* ---- legacy maps: struct bpf_map_def ------------------------------------------ */

#define MAP_DEF_MIN 16 /* type, key_size, value_size, max_entries */

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* One map per named symbol of section @p sec, each sh_size / nsyms bytes,
 * as libbpf's bpf_object__init_user_maps. */
static int legacy_maps(struct maps *ms, size_t sec)
{
	struct rd *r = ms->r;
	size_t nsyms = 0, def_sz;
	Elf_Data *d;
	int err = elf_section_data(r, sec, &d);

	if (err)
		return err;
	for (size_t i = 1; i < r->nsyms; i++) {
		GElf_Sym s;
		const char *nm;
		if ((err = elf_get_sym(r, i, &s, &nm)))
			return err;
		if (s.st_shndx == sec && *nm && GELF_ST_TYPE(s.st_info) != STT_SECTION)
			nsyms++;
	}
	if (!nsyms)
		return 0;
	def_sz = r->shdr[sec].sh_size / nsyms;
	if (def_sz < MAP_DEF_MIN || r->shdr[sec].sh_type == SHT_NOBITS)
		return bpfkit_diag__set(r->diag, -EINVAL,
					"section %s: %zu maps in %llu bytes: a struct bpf_map_def is at "
					"least %d bytes",
					r->name[sec], nsyms, (unsigned long long)r->shdr[sec].sh_size,
					MAP_DEF_MIN);
	for (size_t i = 1; i < r->nsyms; i++) {
		struct bpfkit_map_desc *m;
		const uint8_t *p;
		const char *nm;
		GElf_Sym s;

		elf_get_sym(r, i, &s, &nm);
		if (s.st_shndx != sec || !*nm || GELF_ST_TYPE(s.st_info) == STT_SECTION)
			continue;
		if (s.st_value > r->shdr[sec].sh_size || r->shdr[sec].sh_size - s.st_value < def_sz)
			return bpfkit_diag__set(r->diag, -EINVAL,
						"section %s: map '%s' at offset %llu runs past the "
						"section's end",
						r->name[sec], nm, (unsigned long long)s.st_value);
		if ((err = add_map(ms, nm, r->name[sec], &m)))
			return err;
		p = (const uint8_t *)d->d_buf + s.st_value;
		m->type = le32(p);
		m->key_size = le32(p + 4);
		m->value_size = le32(p + 8);
		m->max_entries = le32(p + 12);
		m->flags = def_sz >= 20 ? le32(p + 16) : 0;
	}
	return 0;
}

/* ---- global data ------------------------------------------------------------- */

/* Section @p sec as an array of one element, its named symbols as variables. */
static int data_map(struct maps *ms, size_t sec)
{
	struct rd *r = ms->r;
	const GElf_Shdr *sh = &r->shdr[sec];
	struct bpfkit_map_desc *m;
	size_t cap = 0;
	Elf_Data *d;
	int err;

	if (!sh->sh_size)
		return 0; /* nothing to address; libbpf makes no map either */
	if (sh->sh_size > UINT32_MAX)
		return bpfkit_diag__set(r->diag, -E2BIG, "section %s: %llu bytes is too large for a "
					"map value", r->name[sec], (unsigned long long)sh->sh_size);
	if ((err = add_map(ms, r->name[sec], r->name[sec], &m)))
		return err;
	m->type = BPFKIT_MAP_ARRAY;
	m->key_size = 4;
	m->value_size = (uint32_t)sh->sh_size;
	m->max_entries = 1;
	if (has_prefix(r->name[sec], ".rodata"))
		m->flags = BPFKIT_F_RDONLY_PROG;
	if (sh->sh_type != SHT_NOBITS) {
		if ((err = elf_section_data(r, sec, &d)))
			return err;
		if (!(m->init = malloc(sh->sh_size)))
			return bpfkit_diag__set(r->diag, -ENOMEM, "out of memory");
		memcpy(m->init, d->d_buf, sh->sh_size);
		m->init_len = sh->sh_size;
	}
	for (size_t i = 1; i < r->nsyms; i++) {
		const char *nm;
		GElf_Sym s;
		if ((err = elf_get_sym(r, i, &s, &nm)))
			return err;
		if (s.st_shndx != sec || !*nm || GELF_ST_TYPE(s.st_info) == STT_SECTION)
			continue;
		if (s.st_value > sh->sh_size)
			return bpfkit_diag__set(r->diag, -EINVAL,
						"section %s: variable '%s' at offset %llu is past the "
						"section's end",
						r->name[sec], nm, (unsigned long long)s.st_value);
		if (m->nvars == cap) {
			struct bpfkit_map_var *v;
			cap = cap ? cap * 2 : 8;
			if (!(v = reallocarray(m->vars, cap, sizeof(*v))))
				return bpfkit_diag__set(r->diag, -ENOMEM, "out of memory");
			m->vars = v;
		}
		m->vars[m->nvars] = (struct bpfkit_map_var){ .name = strdup(nm), .off = s.st_value };
		if (!m->vars[m->nvars++].name)
			return bpfkit_diag__set(r->diag, -ENOMEM, "out of memory");
	}
	return 0;
}

static bool is_data_section(const struct rd *r, size_t i)
{
	const char *n = r->name[i];

	if (r->shdr[i].sh_type != SHT_PROGBITS && r->shdr[i].sh_type != SHT_NOBITS)
		return false;
	if (r->shdr[i].sh_flags & SHF_EXECINSTR)
		return false;
	return !strcmp(n, ".data") || has_prefix(n, ".data.") || !strcmp(n, ".rodata") ||
	       has_prefix(n, ".rodata.") || !strcmp(n, ".bss") || has_prefix(n, ".bss.");
}

int bpfkit_elf_maps(const void *buf, size_t len, struct bpfkit_map_desc **out, size_t *nout,
		    struct bpfkit_diag *diag)
{
	struct rd r = { .raw = buf, .len = len, .diag = diag };
	struct maps ms = { .r = &r };
	int err;

	if (!out || !nout || (!buf && len))
		return bpfkit_diag__set(diag, -EINVAL, "bpfkit_elf_maps: bad arguments");
	*out = NULL;
	*nout = 0;
	err = elf_check_layout(&r);
	err = err ? err : elf_open_elf(&r);
	err = err ? err : elf_open_symtab(&r);
	/* libbpf's order: legacy maps, BTF-defined maps, global data */
	for (size_t i = 1; !err && i < r.shnum; i++)
		if ((!strcmp(r.name[i], "maps") || has_prefix(r.name[i], "maps/")) && r.symtab)
			err = legacy_maps(&ms, i);
	for (size_t i = 1; !err && i < r.shnum; i++)
		if (!strcmp(r.name[i], ".maps"))
			err = btf_maps(&ms, i);
	for (size_t i = 1; !err && i < r.shnum; i++)
		if (is_data_section(&r, i))
			err = data_map(&ms, i);
	elf_rd_free(&r, false);
	if (err) {
		bpfkit_map_descs__free(ms.v, ms.n);
		return err;
	}
	*out = ms.v;
	*nout = ms.n;
	return 0;
}
