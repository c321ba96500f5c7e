// SPDX-License-Identifier: MIT
/*
 * The VM object: construction, the helper table, the budget, and the two
 * entry points that tie validation (validate.c) to the interpreter
 * (interp.c). No global state: everything a run needs hangs off the vm.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vm_int.h"

const char *bpfkit_fault_name(enum bpfkit_fault f)
{
	switch (f) {
	case BPFKIT_FAULT_NONE:
		return "none";
	case BPFKIT_FAULT_LOAD:
		return "out-of-bounds load";
	case BPFKIT_FAULT_STORE:
		return "out-of-bounds store";
	case BPFKIT_FAULT_BUDGET:
		return "instruction budget exhausted";
	case BPFKIT_FAULT_CALL_DEPTH:
		return "call depth exceeded";
	case BPFKIT_FAULT_HELPER:
		return "unknown helper";
	case BPFKIT_FAULT_CALLX:
		return "bad callx target";
	case BPFKIT_FAULT_NO_PROGRAM:
		return "no program loaded";
	}
	return "unknown fault";
}

struct bpfkit_vm *bpfkit_vm__new(void)
{
	struct bpfkit_vm *vm;

	/* aligned_alloc keeps the stack's 16-byte alignment promise. */
	vm = aligned_alloc(16, (sizeof(*vm) + 15) & ~(size_t)15);
	if (!vm) {
		errno = ENOMEM;
		return NULL;
	}
	memset(vm, 0, sizeof(*vm));
	vm->unwind_id = -1;
	vm->prng = 0x9e3779b97f4a7c15ull;
	return vm;
}

void bpfkit_vm__free(struct bpfkit_vm *vm)
{
	if (!vm)
		return;
	for (size_t i = 0; i < vm->nhelpers; i++)
		free(vm->helpers[i].name);
	free(vm->helpers);
	free(vm->code);
	vm_maps_free(vm);
	vm_jit_free(vm->jit);
	free(vm);
}

long vm_helper_find(const struct bpfkit_vm *vm, uint64_t id)
{
	for (size_t i = 0; i < vm->nhelpers; i++)
		if (vm->helpers[i].id == id)
			return (long)i;
	return -1;
}

/* Add or replace helper @p id. Replacing keeps the slot, so programs
 * already loaded (which hold the slot index) call the new function. */
int bpfkit_vm__register_helper(struct bpfkit_vm *vm, uint32_t id, const char *name,
			       bpfkit_helper_fn fn)
{
	struct vm_helper *h;
	char *copy = NULL;
	long i;

	if (!vm || !fn)
		return -EINVAL;
	if (name && !(copy = strdup(name)))
		return -ENOMEM;
	i = vm_helper_find(vm, id);
	if (i >= 0) {
		h = &vm->helpers[i];
		free(h->name);
	} else {
		if (vm->nhelpers == vm->helpers_cap) {
			size_t cap = vm->helpers_cap ? vm->helpers_cap * 2 : 16;
			struct vm_helper *nh = realloc(vm->helpers, cap * sizeof(*nh));
			if (!nh) {
				free(copy);
				return -ENOMEM;
			}
			vm->helpers = nh;
			vm->helpers_cap = cap;
		}
		h = &vm->helpers[vm->nhelpers++];
		h->id = id;
	}
	h->name = copy;
	h->fn = fn;
	return 0;
}

int vm_register_helpers(struct bpfkit_vm *vm, const struct vm_helper_def *defs, size_t n)
{
	if (!vm)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		int err = bpfkit_vm__register_helper(vm, defs[i].id, defs[i].name, defs[i].fn);
		if (err)
			return err;
	}
	return 0;
}

void bpfkit_vm__set_unwind_helper(struct bpfkit_vm *vm, int64_t id)
{
	if (vm)
		vm->unwind_id = id < 0 ? -1 : id;
}

void bpfkit_vm__set_budget(struct bpfkit_vm *vm, uint64_t max)
{
	if (!vm)
		return;
	vm->budget = max;
	vm_jit_budget_changed(vm); /* the native code may have to (stop) check(ing) it */
}

uint64_t bpfkit_vm__insn_count(const struct bpfkit_vm *vm)
{
	return vm ? vm->insn_count : 0;
}

void bpfkit_vm__set_user(struct bpfkit_vm *vm, void *user)
{
	if (vm)
		vm->user = user;
}

void *bpfkit_vm_ctx__user(struct bpfkit_vm_ctx *ctx)
{
	return ctx ? ctx->vm->user : NULL;
}

void bpfkit_vm_ctx__stop(struct bpfkit_vm_ctx *ctx, uint64_t r0)
{
	if (!ctx)
		return;
	ctx->stopped = true;
	ctx->stop_r0 = r0;
}

/*
 * Resolve map references (vm_maps.c), then validate into a fresh code
 * array, and only replace the loaded program when the new one is good: a
 * failed load leaves the VM as it was (but for which maps count as
 * addressed directly, which only the next run reads).
 */
static int load_insns(struct bpfkit_vm *vm, const struct bpfkit_insn *insns, size_t len,
		      const struct bpfkit_reloc *relocs, size_t nrelocs, struct bpfkit_diag *diag)
{
	struct bpfkit_insn *resolved = NULL;
	int err;

	if (!vm)
		return bpfkit_diag__set(diag, -EINVAL, "no vm");
	if (!insns && len)
		return bpfkit_diag__set(diag, -EINVAL, "no instructions");
	err = vm_maps_resolve(vm, insns, len, relocs, nrelocs, &resolved, diag);
	if (!err)
		err = vm_validate(vm, resolved ? resolved : insns, len, diag);
	free(resolved);
	if (!err) { /* native code of the old program is stale */
		bpfkit_vm__jit_off(vm);
		vm->stack_bound = vm_stack_bound(vm);
	}
	return err;
}

int bpfkit_vm__load(struct bpfkit_vm *vm, const struct bpfkit_insn *insns, size_t len,
		    struct bpfkit_diag *diag)
{
	bpfkit_diag__clear(diag);
	return load_insns(vm, insns, len, NULL, 0, diag);
}

int bpfkit_vm__load_prog(struct bpfkit_vm *vm, const struct bpfkit_prog *prog,
			 struct bpfkit_diag *diag)
{
	bpfkit_diag__clear(diag);
	if (!prog)
		return bpfkit_diag__set(diag, -EINVAL, "no program");
	return load_insns(vm, prog->insns, prog->len, prog->relocs, prog->relocs ? prog->nrelocs : 0,
			  diag);
}

static int fault_errno(enum bpfkit_fault kind)
{
	switch (kind) {
	case BPFKIT_FAULT_LOAD:
	case BPFKIT_FAULT_STORE:
		return -EFAULT;
	case BPFKIT_FAULT_BUDGET:
		return -E2BIG;
	case BPFKIT_FAULT_CALL_DEPTH:
		return -ELOOP;
	case BPFKIT_FAULT_HELPER:
	case BPFKIT_FAULT_CALLX:
		return -ENOSYS;
	default:
		return -EINVAL;
	}
}

/* Run the loaded program once over @p mem; see vm.h for the contract. */
int bpfkit_vm__run(struct bpfkit_vm *vm, void *mem, size_t mem_len, uint64_t *ret,
		   enum bpfkit_fault *fault, struct bpfkit_diag *diag)
{
	struct vm_fault_info fi;
	uint64_t r0 = 0;
	int err;

	bpfkit_diag__clear(diag);
	if (fault)
		*fault = BPFKIT_FAULT_NONE;
	if (!vm || !vm->code) {
		if (fault)
			*fault = BPFKIT_FAULT_NO_PROGRAM;
		if (vm)
			vm->insn_count = 0;
		return bpfkit_diag__set(diag, -EINVAL, "no program loaded");
	}
	if (!mem)
		mem_len = 0;
	vm_mem_begin(&vm->ctx, vm, mem, mem_len);
	if (vm_maps_begin_run(vm)) {
		vm->insn_count = 0;
		return bpfkit_diag__set(diag, -ENOSPC, "the program addresses the values of more "
					"maps than a run can grant (%d regions)", VM_MAX_REGIONS);
	}
	if (vm->jit)
		err = vm_jit_exec(vm, (uint64_t)(uintptr_t)mem, mem_len, &r0, &fi);
	else
		err = vm_interp(vm, (uint64_t)(uintptr_t)mem, mem_len, &r0, &fi);
	if (err) {
		if (fault)
			*fault = fi.kind;
		vm_fault_describe(vm, &fi, diag);
		return fault_errno(fi.kind);
	}
	if (ret)
		*ret = r0;
	return 0;
}
