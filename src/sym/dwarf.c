// SPDX-License-Identifier: MIT
/*
 * The parameters of a user-space function from its DWARF debug info, for
 * `args.x` in uprobes and `bpfkit trace -lv uprobe:FILE:FUNC`, as bpftrace
 * reads them: each DW_TAG_formal_parameter of the function's
 * DW_TAG_subprogram, in order, with its name and type.
 *
 * libdwfl finds the debug info: in the file itself, or in a separate debug
 * file found by build-id (/usr/lib/debug/.build-id/xx/yyyy.debug) or by
 * .gnu_debuglink (dwfl_standard_find_debuginfo, what perf and systemtap
 * use), so an installed -dbgsym package is used. The file is untrusted:
 * libdw checks the DWARF it reads; type chains are followed at most
 * MAX_CHAIN links deep, so a cycle cannot hang us.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>

#include <bpfkit/sym.h>

#define MAX_CHAIN 32
#define TYPE_MAX 256

static char *debuginfo_path; /* libdwfl's default search path */

static const Dwfl_Callbacks offline_callbacks = {
	.find_elf = dwfl_build_id_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.section_address = dwfl_offline_section_address,
	.debuginfo_path = &debuginfo_path,
};

/* Append @p s to @p buf (cut at its size). */
static void cat(char *buf, size_t size, const char *s)
{
	size_t n = strlen(buf);

	if (n + 1 < size)
		snprintf(buf + n, size - n, "%s", s);
}

/*
 * C spelling of type DIE @p type into @p buf, as bpftrace 0.17 spells
 * parameter types in -lv ("int", "struct foo*",
 * "long int", with the stars against the name: "const char*",
 * "char**"), and the facts the compiler needs: the size in bytes
 * of the value (8 for a pointer), signedness, pointer, aggregate or float.
 */
static void describe(Dwarf_Die *type, struct bpfkit_dwarf_param *p, char *buf, size_t size)
{
	Dwarf_Die die = *type, next;
	char ptrs[MAX_CHAIN + 1] = "", quals[64] = "";
	const char *name = NULL;
	Dwarf_Word enc;
	Dwarf_Attribute attr;
	int depth = 0;
	bool top = true;

	buf[0] = 0;
	for (; depth < MAX_CHAIN; depth++) {
		int tag = dwarf_tag(&die);

		if (tag == DW_TAG_pointer_type || tag == DW_TAG_reference_type || tag == DW_TAG_rvalue_reference_type) {
			if (top) {
				p->is_ptr = true;
				p->size = 8;
				top = false;
			}
			cat(ptrs, sizeof(ptrs), "*");
		} else if (tag == DW_TAG_const_type || tag == DW_TAG_volatile_type || tag == DW_TAG_restrict_type ||
			   tag == DW_TAG_atomic_type) {
			if (tag == DW_TAG_const_type)
				cat(quals, sizeof(quals), "const ");
			else if (tag == DW_TAG_volatile_type)
				cat(quals, sizeof(quals), "volatile ");
		} else if (tag == DW_TAG_typedef && top) {
			/* a typedef keeps its name (size_t), but its size and sign come from below */
			if (!name)
				name = dwarf_diename(&die);
		} else {
			const char *kw = tag == DW_TAG_structure_type ? "struct " : tag == DW_TAG_union_type ? "union "
				       : tag == DW_TAG_enumeration_type ? "enum " : tag == DW_TAG_class_type ? "class " : "";
			const char *n = dwarf_diename(&die);

			if (top) {
				int sz = dwarf_bytesize(&die);

				p->size = sz > 0 ? (uint32_t)sz : 0;
				p->is_aggregate = tag == DW_TAG_structure_type || tag == DW_TAG_union_type ||
						  tag == DW_TAG_class_type || tag == DW_TAG_array_type;
				if (tag == DW_TAG_base_type && dwarf_attr(&die, DW_AT_encoding, &attr) &&
				    !dwarf_formudata(&attr, &enc)) {
					p->is_signed = enc == DW_ATE_signed || enc == DW_ATE_signed_char;
					p->is_float = enc == DW_ATE_float || enc == DW_ATE_complex_float;
				}
				if (tag == DW_TAG_enumeration_type)
					p->is_signed = false;
			}
			if (!name) {
				if (tag == DW_TAG_subroutine_type)
					n = "void (*)()";
				snprintf(buf, size, "%s%s%s", quals, n ? kw : "", n ? n : "void");
			} else {
				snprintf(buf, size, "%s%s", quals, name);
			}
			break;
		}
		if (!dwarf_attr(&die, DW_AT_type, &attr) || !dwarf_formref_die(&attr, &next)) {
			/* the end of the chain: void */
			snprintf(buf, size, "%s%s", quals, name ? name : "void");
			break;
		}
		die = next;
	}
	if (depth == MAX_CHAIN)
		snprintf(buf, size, "?");
	cat(buf, size, ptrs); /* "const char*", "char**": bpftrace's spelling */
}

/* The parameters of subprogram @p fn into @p out / @p n. */
static int read_params(Dwarf_Die *fn, struct bpfkit_dwarf_param **out, size_t *n)
{
	struct bpfkit_dwarf_param *v = NULL;
	size_t cnt = 0;
	Dwarf_Die child;
	char type[TYPE_MAX];

	if (dwarf_child(fn, &child) != 0)
		goto done;
	do {
		struct bpfkit_dwarf_param p = { 0 }, *nv;
		Dwarf_Attribute attr;
		Dwarf_Die tdie;
		const char *name;

		if (dwarf_tag(&child) != DW_TAG_formal_parameter)
			continue;
		name = dwarf_diename(&child);
		if (dwarf_attr_integrate(&child, DW_AT_type, &attr) && dwarf_formref_die(&attr, &tdie))
			describe(&tdie, &p, type, sizeof(type));
		else
			snprintf(type, sizeof(type), "void");
		nv = realloc(v, (cnt + 1) * sizeof(*v));
		if (!nv)
			goto nomem;
		v = nv;
		p.name = strdup(name ? name : "");
		p.type = strdup(type);
		v[cnt++] = p;
		if (!p.name || !p.type)
			goto nomem;
	} while (dwarf_siblingof(&child, &child) == 0);
done:
	*out = v;
	*n = cnt;
	return 0;
nomem:
	bpfkit_dwarf_params__free(v, cnt);
	return -ENOMEM;
}

/* One function definition of the index: a name it goes by and its DIE. */
struct dfunc {
	const char *name; /* in the debug info's string data: valid while the file is open */
	Dwarf_Off die;
	size_t order; /* position in the debug info: the first definition wins */
};

struct bpfkit_dwarf {
	Dwfl *dwfl;
	Dwarf *dw;
	Dwfl_Module *mod;
	struct dfunc *fns; /* sorted by name, then order; built at the first lookup */
	size_t nfns, cap;
	bool indexed;
	int err; /* -ENOMEM while indexing */
};

static void index_add(struct bpfkit_dwarf *d, const char *name, Dwarf_Die *die)
{
	if (!name || !*name || d->err)
		return;
	if (d->nfns == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 256;
		struct dfunc *v = realloc(d->fns, cap * sizeof(*v));

		if (!v) {
			d->err = -ENOMEM;
			return;
		}
		d->fns = v;
		d->cap = cap;
	}
	d->fns[d->nfns] = (struct dfunc){ name, dwarf_dieoffset(die), d->nfns };
	d->nfns++;
}

/* Index the function definitions among the children of @p parent (a
 * compile unit, or a C++ namespace or class inside one) by their name and,
 * for C++, their linkage name (what the symbol table and the probe say). */
static void index_in(struct bpfkit_dwarf *d, Dwarf_Die *parent, int depth)
{
	Dwarf_Attribute attr;
	Dwarf_Die die;

	if (depth > MAX_CHAIN || dwarf_child(parent, &die) != 0)
		return;
	do {
		int tag = dwarf_tag(&die);
		bool decl = false;

		if (tag == DW_TAG_namespace || tag == DW_TAG_structure_type || tag == DW_TAG_class_type) {
			index_in(d, &die, depth + 1);
			continue;
		}
		if (tag != DW_TAG_subprogram)
			continue;
		if (dwarf_attr(&die, DW_AT_declaration, &attr))
			dwarf_formflag(&attr, &decl);
		if (decl)
			continue;
		index_add(d, dwarf_diename(&die), &die);
		if (dwarf_attr_integrate(&die, DW_AT_linkage_name, &attr) ||
		    dwarf_attr_integrate(&die, DW_AT_MIPS_linkage_name, &attr))
			index_add(d, dwarf_formstring(&attr), &die);
	} while (dwarf_siblingof(&die, &die) == 0);
}

static int dfunc_cmp(const void *pa, const void *pb)
{
	const struct dfunc *a = pa, *b = pb;
	int c = strcmp(a->name, b->name);

	return c ? c : (a->order > b->order) - (a->order < b->order);
}

int bpfkit_dwarf__open(const char *path, struct bpfkit_dwarf **out)
{
	struct bpfkit_dwarf *d;
	Dwarf_Addr bias;
	int fd;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	d = calloc(1, sizeof(*d));
	if (!d || !(d->dwfl = dwfl_begin(&offline_callbacks))) {
		free(d);
		close(fd);
		return -ENOMEM;
	}
	/* dwfl owns fd from here */
	d->mod = dwfl_report_offline(d->dwfl, path, path, fd);
	dwfl_report_end(d->dwfl, NULL, NULL);
	d->dw = d->mod ? dwfl_module_getdwarf(d->mod, &bias) : NULL;
	if (!d->dw) {
		int err = d->mod ? -ENODATA : -ENOEXEC;

		bpfkit_dwarf__free(d);
		return err;
	}
	*out = d;
	return 0;
}

void bpfkit_dwarf__free(struct bpfkit_dwarf *d)
{
	if (!d)
		return;
	dwfl_end(d->dwfl);
	free(d->fns);
	free(d);
}

int bpfkit_dwarf__params(struct bpfkit_dwarf *d, const char *func, struct bpfkit_dwarf_param **out, size_t *n)
{
	struct dfunc key = { func, 0, 0 };
	size_t lo = 0, hi;
	Dwarf_Die die;

	*out = NULL;
	*n = 0;
	if (!d->indexed) {
		Dwarf_Die *cu = NULL;
		Dwarf_Addr bias;

		while ((cu = dwfl_module_nextcu(d->mod, cu, &bias)))
			index_in(d, cu, 0);
		if (d->err)
			return d->err;
		qsort(d->fns, d->nfns, sizeof(*d->fns), dfunc_cmp);
		d->indexed = true;
	}
	/* the first entry not below @p func, in name then debug-info order */
	hi = d->nfns;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (dfunc_cmp(&d->fns[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == d->nfns || strcmp(d->fns[lo].name, func) || !dwarf_offdie(d->dw, d->fns[lo].die, &die))
		return -ENOENT;
	return read_params(&die, out, n);
}

void bpfkit_dwarf_params__free(struct bpfkit_dwarf_param *p, size_t n)
{
	for (size_t i = 0; p && i < n; i++) {
		free(p[i].name);
		free(p[i].type);
	}
	free(p);
}
