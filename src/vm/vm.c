// SPDX-License-Identifier: MIT
/* STUB: replaced by the VM. */
#include <errno.h>
#include <stdlib.h>
#include <bpfkit/vm.h>

const char *bpfkit_fault_name(enum bpfkit_fault f) { (void)f; return "?"; }
struct bpfkit_vm *bpfkit_vm__new(void) { errno = ENOSYS; return NULL; }
void bpfkit_vm__free(struct bpfkit_vm *vm) { (void)vm; }
int bpfkit_vm__register_helper(struct bpfkit_vm *vm, uint32_t id, const char *name, bpfkit_helper_fn fn)
{ (void)vm; (void)id; (void)name; (void)fn; return -ENOSYS; }
void bpfkit_vm__set_unwind_helper(struct bpfkit_vm *vm, int64_t id) { (void)vm; (void)id; }
int bpfkit_vm__register_default_helpers(struct bpfkit_vm *vm) { (void)vm; return -ENOSYS; }
int bpfkit_vm__load(struct bpfkit_vm *vm, const struct bpfkit_insn *insns, size_t len, struct bpfkit_diag *diag)
{ (void)vm; (void)insns; (void)len; return bpfkit_diag__set(diag, -ENOSYS, "not built yet"); }
void bpfkit_vm__set_budget(struct bpfkit_vm *vm, uint64_t max) { (void)vm; (void)max; }
int bpfkit_vm__run(struct bpfkit_vm *vm, void *mem, size_t mem_len, uint64_t *ret, enum bpfkit_fault *fault, struct bpfkit_diag *diag)
{ (void)vm; (void)mem; (void)mem_len; (void)ret; (void)fault; return bpfkit_diag__set(diag, -ENOSYS, "not built yet"); }
uint64_t bpfkit_vm__insn_count(const struct bpfkit_vm *vm) { (void)vm; return 0; }
void bpfkit_vm__set_user(struct bpfkit_vm *vm, void *user) { (void)vm; (void)user; }
int bpfkit_vm_ctx__grant(struct bpfkit_vm_ctx *ctx, void *p, size_t len, bool writable) { (void)ctx; (void)p; (void)len; (void)writable; return -ENOSYS; }
bool bpfkit_vm_ctx__check(struct bpfkit_vm_ctx *ctx, uint64_t p, size_t len, bool write) { (void)ctx; (void)p; (void)len; (void)write; return false; }
void *bpfkit_vm_ctx__user(struct bpfkit_vm_ctx *ctx) { (void)ctx; return NULL; }
