// SPDX-License-Identifier: MIT
/*
 * The VM's side of maps: binding maps and global variables to a VM, and
 * resolving a program's references to them at load time, as the kernel's
 * loader does (libbpf's relocations, then the verifier's
 * resolve_pseudo_ldimm64):
 *   - a relocation against map NAME makes its lddw `src 1, imm fd`
 *     (BPF_PSEUDO_MAP_FD); against global data (a section or a variable
 *     bound with bpfkit_vm__bind_var) `src 2, imm fd, imm2 offset`
 *     (BPF_PSEUDO_MAP_VALUE);
 *   - then every such lddw becomes a plain 64-bit immediate: the map's
 *     address (a handle the program cannot dereference: it is no memory
 *     of the run; the map helpers accept it) or the address of the value.
 * The program keeps pointers into value memory of maps only through
 * regions: the maps it addresses directly are granted at the start of
 * each run (read-only for BPFKIT_F_RDONLY_PROG, as .rodata), and a map
 * whose element a helper returns is granted on that first lookup.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "map_int.h"
#include "vm_int.h"

int bpfkit_vm__bind_map(struct bpfkit_vm *vm, const char *name, struct bpfkit_vm_map *map)
{
	struct vm_bound_map *b;

	if (!vm || !name || !map)
		return -EINVAL;
	for (size_t i = 0; i < vm->nmaps; i++)
		if (!strcmp(vm->maps[i].name, name))
			return -EEXIST;
	if (vm->nmaps > INT32_MAX - 1)
		return -ENOMEM;
	if (vm->nmaps == vm->maps_cap) {
		size_t cap = vm->maps_cap ? vm->maps_cap * 2 : 8;
		b = reallocarray(vm->maps, cap, sizeof(*b));
		if (!b)
			return -ENOMEM;
		vm->maps = b;
		vm->maps_cap = cap;
	}
	b = &vm->maps[vm->nmaps];
	*b = (struct vm_bound_map){ .name = strdup(name), .map = map };
	if (!b->name)
		return -ENOMEM;
	return (int)vm->nmaps++;
}

int bpfkit_vm__bind_var(struct bpfkit_vm *vm, const char *name, int fd, uint64_t off)
{
	struct vm_var *v;

	if (!vm || !name || fd < 0 || (size_t)fd >= vm->nmaps)
		return -EINVAL;
	if (vm->nvars == vm->vars_cap) {
		size_t cap = vm->vars_cap ? vm->vars_cap * 2 : 8;
		v = reallocarray(vm->vars, cap, sizeof(*v));
		if (!v)
			return -ENOMEM;
		vm->vars = v;
		vm->vars_cap = cap;
	}
	v = &vm->vars[vm->nvars];
	*v = (struct vm_var){ .name = strdup(name), .fd = fd, .off = off };
	if (!v->name)
		return -ENOMEM;
	vm->nvars++;
	return 0;
}

size_t bpfkit_vm__nmaps(const struct bpfkit_vm *vm)
{
	return vm ? vm->nmaps : 0;
}

struct bpfkit_vm_map *bpfkit_vm__map(const struct bpfkit_vm *vm, int fd, const char **name)
{
	if (!vm || fd < 0 || (size_t)fd >= vm->nmaps)
		return NULL;
	if (name)
		*name = vm->maps[fd].name;
	return vm->maps[fd].map;
}

/* Create one described map, set its global data, bind it and its
 * variables. */
static int create_map(struct bpfkit_vm *vm, const struct bpfkit_map_desc *d, unsigned ncpus,
		      struct bpfkit_diag *diag)
{
	struct bpfkit_map_attr a = { .type = d->type, .key_size = d->key_size,
				     .value_size = d->value_size, .max_entries = d->max_entries,
				     .flags = d->flags, .map_extra = d->map_extra, .name = d->name,
				     .ncpus = ncpus };
	const char *tn = bpfkit_map_type_name(d->type);
	struct bpfkit_vm_map *m = bpfkit_vm_map__new(&a);
	int fd, err;

	if (!m && errno == EOPNOTSUPP && d->type != BPFKIT_MAP_LRU_HASH &&
	    d->type != BPFKIT_MAP_LRU_PERCPU_HASH)
		return bpfkit_diag__set(diag, -EOPNOTSUPP,
					"map '%s' (section %s): type %s (%u) is not supported by the VM",
					d->name, d->section, tn ? tn : "unknown", d->type);
	if (!m)
		return bpfkit_diag__set(diag, -errno,
					"map '%s' (section %s): cannot create a %s map of key %u, value "
					"%u, max_entries %u, flags 0x%x: %s",
					d->name, d->section, tn ? tn : "?", d->key_size, d->value_size,
					d->max_entries, d->flags, strerror(errno));
	fd = bpfkit_vm__bind_map(vm, d->name, m);
	if (fd < 0) {
		bpfkit_vm_map__free(m);
		return bpfkit_diag__set(diag, fd, "map '%s' (section %s): %s", d->name, d->section,
					fd == -EEXIST ? "a map of that name exists" : strerror(-fd));
	}
	vm->maps[fd].owned = true;
	if (d->init && d->init_len == d->value_size && d->max_entries == 1) {
		/* m->values directly: .rodata is read-only to the syscall view too */
		memcpy(m->values, d->init, d->init_len);
	}
	for (size_t k = 0; k < d->nvars; k++) {
		err = bpfkit_vm__bind_var(vm, d->vars[k].name, fd, d->vars[k].off);
		if (err)
			return bpfkit_diag__set(diag, err, "map '%s': variable '%s': %s", d->name,
						d->vars[k].name, strerror(-err));
	}
	return 0;
}

int bpfkit_vm__create_maps(struct bpfkit_vm *vm, const struct bpfkit_map_desc *maps, size_t n,
			   unsigned ncpus, struct bpfkit_diag *diag)
{
	bpfkit_diag__clear(diag);
	if (!vm || (!maps && n))
		return bpfkit_diag__set(diag, -EINVAL, "bpfkit_vm__create_maps: bad arguments");
	for (size_t i = 0; i < n; i++) {
		int err = create_map(vm, &maps[i], ncpus, diag);
		if (err)
			return err;
	}
	return 0;
}

void bpfkit_vm__set_cpu(struct bpfkit_vm *vm, unsigned cpu)
{
	if (vm)
		vm->cpu = cpu;
}

void vm_maps_free(struct bpfkit_vm *vm)
{
	for (size_t i = 0; i < vm->nmaps; i++) {
		free(vm->maps[i].name);
		if (vm->maps[i].owned)
			bpfkit_vm_map__free(vm->maps[i].map);
	}
	for (size_t i = 0; i < vm->nvars; i++)
		free(vm->vars[i].name);
	free(vm->maps);
	free(vm->vars);
}

static long find_map(const struct bpfkit_vm *vm, const char *name)
{
	for (size_t i = 0; i < vm->nmaps; i++)
		if (!strcmp(vm->maps[i].name, name))
			return (long)i;
	return -1;
}

static const struct vm_var *find_var(const struct bpfkit_vm *vm, const char *name)
{
	for (size_t i = 0; i < vm->nvars; i++)
		if (!strcmp(vm->vars[i].name, name))
			return &vm->vars[i];
	return NULL;
}

/* Why the VM cannot run an instruction that carries relocation @p r. */
static int reloc_refused(const struct bpfkit_reloc *r, struct bpfkit_diag *diag)
{
	const char *n = r->name ? r->name : "?";

	switch (r->kind) {
	case BPFKIT_RELOC_MAP:
		bpfkit_diag__set(diag, -EINVAL, "lddw refers to map '%s', which the VM does not have",
				 n);
		break;
	case BPFKIT_RELOC_MAP_VALUE:
		bpfkit_diag__set(diag, -EINVAL,
				 "lddw refers to global data in '%s' (a map value), which the VM "
				 "does not have",
				 n);
		break;
	case BPFKIT_RELOC_CALL:
		bpfkit_diag__set(diag, -EINVAL, "call to function '%s', which is not in the program",
				 n);
		break;
	case BPFKIT_RELOC_FUNC:
		bpfkit_diag__set(diag, -EINVAL,
				 "lddw takes the address of function '%s' (a callback); the VM cannot "
				 "resolve it",
				 n);
		break;
	default:
		bpfkit_diag__set(diag, -EINVAL, "relocation against '%s' that the VM cannot resolve", n);
		break;
	}
	if (diag)
		diag->insn = (long)r->insn;
	return -EINVAL;
}

/* Turn relocation @p r into the lddw's pseudo form (src 1 or 2, fd, off). */
static int apply_reloc(struct bpfkit_vm *vm, struct bpfkit_insn *insns, size_t len,
		       const struct bpfkit_reloc *r, struct bpfkit_diag *diag)
{
	struct bpfkit_insn *in = &insns[r->insn];
	const struct vm_var *v;
	long fd;

	if ((r->kind != BPFKIT_RELOC_MAP && r->kind != BPFKIT_RELOC_MAP_VALUE) || !r->name)
		return reloc_refused(r, diag);
	if (r->insn + 1 >= len || in->code != BPFKIT_OP_LDDW) {
		bpfkit_diag__set(diag, -EINVAL, "the reference to '%s' is at an instruction that is "
				 "not an lddw", r->name);
		if (diag)
			diag->insn = (long)r->insn;
		return -EINVAL;
	}
	fd = find_map(vm, r->name);
	if (r->kind == BPFKIT_RELOC_MAP) {
		if (fd < 0)
			return reloc_refused(r, diag);
		in->src = BPFKIT_PSEUDO_MAP_FD;
		in->imm = (int32_t)fd;
		in[1].imm = 0;
		return 0;
	}
	/* global data: the section's map, offset imm; or a variable in one */
	if (fd >= 0) {
		in[1].imm = in->imm;
	} else if ((v = find_var(vm, r->name))) {
		fd = v->fd;
		in[1].imm = (int32_t)(v->off + (uint64_t)(int64_t)in->imm);
	} else {
		return reloc_refused(r, diag);
	}
	in->src = BPFKIT_PSEUDO_MAP_VALUE;
	in->imm = (int32_t)fd;
	return 0;
}

/* An lddw with src 1 or 2 becomes the plain immediate it stands for. */
static int resolve_pseudo(struct bpfkit_vm *vm, struct bpfkit_insn *in, size_t i,
			  struct bpfkit_diag *diag)
{
	struct vm_bound_map *b;
	const struct bpfkit_vm_map *m;
	uint64_t v, off = (uint32_t)in[1].imm;

	if (in->imm < 0 || (size_t)in->imm >= vm->nmaps) {
		bpfkit_diag__set(diag, -EINVAL, "lddw with map fd %d: no map with that fd is bound "
				 "to the VM (%zu are)", in->imm, vm->nmaps);
		goto err;
	}
	b = &vm->maps[in->imm];
	m = b->map;
	if (in->src == BPFKIT_PSEUDO_MAP_FD) {
		if (in[1].imm) {
			bpfkit_diag__set(diag, -EINVAL, "lddw of map '%s' (src 1): its second imm "
					 "must be 0", b->name);
			goto err;
		}
		v = (uint64_t)(uintptr_t)m;
	} else {
		/* array_map_direct_value_addr: one element, offset inside it */
		if (m->ops != &vm_map_array_ops || m->percpu || m->attr.max_entries != 1) {
			bpfkit_diag__set(diag, -EINVAL, "lddw addresses the value of map '%s' (src 2), "
					 "which is not an array of one element", b->name);
			goto err;
		}
		if (off >= m->attr.value_size) {
			bpfkit_diag__set(diag, -EINVAL, "lddw addresses offset %llu of map '%s', "
					 "whose value is %u bytes", (unsigned long long)off, b->name,
					 m->attr.value_size);
			goto err;
		}
		v = (uint64_t)(uintptr_t)m->values + off;
		b->direct = true;
	}
	in->src = BPFKIT_PSEUDO_IMM64;
	in->imm = (int32_t)(uint32_t)v;
	in[1].imm = (int32_t)(uint32_t)(v >> 32);
	return 0;
err:
	if (diag)
		diag->insn = (long)i;
	return -EINVAL;
}

/*
 * A copy of @p insns with every map reference resolved: relocations first
 * (relocs sorted by instruction), then lddw src 1/2. *out is NULL when the
 * program has no map reference (load the original), else the caller
 * frees it. Which maps the program addresses directly is recorded for
 * vm_maps_begin_run().
 */
int vm_maps_resolve(struct bpfkit_vm *vm, const struct bpfkit_insn *insns, size_t len,
		    const struct bpfkit_reloc *relocs, size_t nrelocs, struct bpfkit_insn **out,
		    struct bpfkit_diag *diag)
{
	struct bpfkit_insn *c = NULL;
	bool any = nrelocs > 0;
	int err = 0;

	*out = NULL;
	for (size_t i = 0; i < vm->nmaps; i++)
		vm->maps[i].direct = false;
	for (size_t i = 0; !any && i + 1 < len; i++)
		any = insns[i].code == BPFKIT_OP_LDDW &&
		      (insns[i].src == BPFKIT_PSEUDO_MAP_FD || insns[i].src == BPFKIT_PSEUDO_MAP_VALUE);
	if (!any)
		return 0;
	c = malloc(len * sizeof(*c));
	if (!c)
		return bpfkit_diag__set(diag, -ENOMEM, "out of memory");
	memcpy(c, insns, len * sizeof(*c));
	for (size_t k = 0; !err && k < nrelocs; k++)
		err = apply_reloc(vm, c, len, &relocs[k], diag);
	for (size_t i = 0; !err && i + 1 < len; i++) {
		if (c[i].code != BPFKIT_OP_LDDW)
			continue;
		if (c[i].src == BPFKIT_PSEUDO_MAP_FD || c[i].src == BPFKIT_PSEUDO_MAP_VALUE)
			err = resolve_pseudo(vm, &c[i], i, diag);
		i++; /* the second slot */
	}
	if (err) {
		free(c);
		return err;
	}
	*out = c;
	return 0;
}

/* At the start of a run: no map is granted yet but those the program
 * addresses directly, which are granted now. */
int vm_maps_begin_run(struct bpfkit_vm *vm)
{
	for (size_t i = 0; i < vm->nmaps; i++) {
		struct vm_bound_map *b = &vm->maps[i];
		b->granted = false;
		if (!b->direct)
			continue;
		int err = bpfkit_vm_ctx__grant(&vm->ctx, b->map->values, b->map->values_len,
					       !(b->map->attr.flags & BPFKIT_F_RDONLY_PROG));
		if (err)
			return err;
		b->granted = true;
	}
	return 0;
}

/* The bound map whose handle a program passed to a helper, or NULL. */
struct vm_bound_map *vm_maps_arg(struct bpfkit_vm *vm, uint64_t arg)
{
	for (size_t i = 0; i < vm->nmaps; i++)
		if ((uint64_t)(uintptr_t)vm->maps[i].map == arg)
			return &vm->maps[i];
	return NULL;
}
