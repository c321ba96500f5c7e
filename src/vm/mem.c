// SPDX-License-Identifier: MIT
/*
 * Memory regions of a run and the text of faults. The interpreter checks
 * the stack and the input itself (the fast path, inline in interp.c); this
 * file holds what is not hot: setting up the regions, the scan over helper
 * grants with its last-hit cache, the helpers' API, and turning a recorded
 * fault into "out-of-bounds load of 8 bytes at 0x... (r1+8)".
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "vm_int.h"

/* Start a run: the stack (zeroed, so nothing leaks from the last run) and
 * the input are the first two regions; grants from an earlier run are gone.
 * Only the part of the stack the last run's program could have written is
 * cleared (vm_stack_bound): the whole stack for most, a few bytes for short
 * programs, where clearing 4 KiB would cost more than running them. */
void vm_mem_begin(struct bpfkit_vm_ctx *ctx, struct bpfkit_vm *vm, void *mem, size_t mem_len)
{
	memset(vm->stack + sizeof(vm->stack) - vm->stack_dirty, 0, vm->stack_dirty);
	vm->stack_dirty = vm->stack_bound;
	ctx->vm = vm;
	ctx->regions[VM_REGION_STACK] = (struct vm_region){
		.base = (uint64_t)(uintptr_t)vm->stack,
		.len = sizeof(vm->stack),
		.writable = true,
	};
	ctx->regions[VM_REGION_INPUT] = (struct vm_region){
		.base = (uint64_t)(uintptr_t)mem,
		.len = mem ? mem_len : 0,
		.writable = true,
	};
	ctx->nregions = VM_REGION_GRANTS;
	ctx->last_hit = VM_REGION_GRANTS;
	ctx->stopped = false;
	ctx->stop_r0 = 0;
}

/*
 * How many bytes below the top of the stack the loaded program can write,
 * whichever engine runs it. Without a stack pointer in any register but
 * r10 the only stack writes are stores based on r10, and r10 stays at the
 * top unless a local call moves it: the bound is the lowest such store's
 * offset. Any use of r10's value other than as a base (copied, stored,
 * computed with: it may reach a helper or another base) or any local call
 * gives the whole stack.
 */
size_t vm_stack_bound(const struct bpfkit_vm *vm)
{
	int64_t low = 0;

	for (size_t i = 0; i < vm->len; i += vm->code[i].op == VM_LDDW ? 2 : 1) {
		const struct vm_insn *in = &vm->code[i];
		bool store = (in->op >= VM_STB && in->op <= VM_STXDW) || in->op == VM_ATOMIC32 ||
			     in->op == VM_ATOMIC64;
		bool jump = in->op == VM_JA || (in->op >= VM_JEQ_K && in->op <= VM_JSLE32_X);
		bool load = in->op >= VM_LDXB && in->op <= VM_LDXSW;

		if (in->op == VM_CALL_LOCAL || (in->src == BPFKIT_REG_FP && !jump && !load))
			return VM_STACK_TOTAL;
		if (store && in->dst == BPFKIT_REG_FP && in->off < low)
			low = in->off;
	}
	return low < -(int64_t)VM_STACK_TOTAL ? VM_STACK_TOTAL : (size_t)-low;
}

_Static_assert(VM_STXDW == VM_STB + 7 && VM_LDXSW == VM_LDXB + 6, "stores and loads are contiguous");

/*
 * The slow path: [addr, addr+size) against every region, the last grant
 * that matched first. An access must lie inside a single region; one that
 * straddles two adjacent regions is refused, as the kernel would.
 * Returns 0 (allowed), 1 (in no region) or 2 (in a read-only region).
 */
int vm_mem_check_slow(struct bpfkit_vm_ctx *ctx, uint64_t addr, uint64_t size, bool write)
{
	const struct vm_region *r;

	for (unsigned i = 0; i < VM_REGION_GRANTS; i++) {
		r = &ctx->regions[i];
		if (vm_region_has(r, addr, size))
			return write && !r->writable ? 2 : 0;
	}
	if (ctx->last_hit < ctx->nregions) {
		r = &ctx->regions[ctx->last_hit];
		if (vm_region_has(r, addr, size))
			return write && !r->writable ? 2 : 0;
	}
	for (unsigned i = VM_REGION_GRANTS; i < ctx->nregions; i++) {
		r = &ctx->regions[i];
		if (vm_region_has(r, addr, size)) {
			ctx->last_hit = i;
			return write && !r->writable ? 2 : 0;
		}
	}
	return 1;
}

int bpfkit_vm_ctx__grant(struct bpfkit_vm_ctx *ctx, void *p, size_t len, bool writable)
{
	uint64_t base = (uint64_t)(uintptr_t)p;

	if (!ctx || (!p && len))
		return -EINVAL;
	if (!len)
		return 0;
	if (base + len < base) /* wraps around the address space */
		return -EINVAL;
	if (ctx->nregions >= VM_MAX_REGIONS)
		return -ENOSPC;
	ctx->regions[ctx->nregions++] = (struct vm_region){
		.base = base,
		.len = len,
		.writable = writable,
	};
	return 0;
}

bool bpfkit_vm_ctx__check(struct bpfkit_vm_ctx *ctx, uint64_t p, size_t len, bool write)
{
	if (!ctx)
		return false;
	if (!len)
		return true;
	return vm_mem_check_slow(ctx, p, len, write) == 0;
}

/* "r1+8", "r10-16", "r3" */
static void fmt_operand(char *buf, size_t size, unsigned reg, int32_t off)
{
	if (off > 0)
		snprintf(buf, size, "r%u+%" PRId32, reg, off);
	else if (off < 0)
		snprintf(buf, size, "r%u-%" PRId64, reg, -(int64_t)off);
	else
		snprintf(buf, size, "r%u", reg);
}

static const char *plural(uint64_t n)
{
	return n == 1 ? "" : "s";
}

/*
 * Where a bad address lies relative to the stack or the input: "; 4 bytes
 * past the end of the input (8 bytes)". Most faults are off by a little
 * from a pointer into one of them, so the region is the one the base
 * register points into (or just past); failing that, the nearest one
 * within 64 KiB. Nothing is said about addresses far from both.
 */
static void fmt_hint(char *buf, size_t size, const struct bpfkit_vm_ctx *ctx, uint64_t addr,
		     uint64_t len, uint64_t base_reg)
{
	const uint64_t near = 1 << 16;
	const struct vm_region *r = NULL;
	uint64_t best = near + 1;
	int which = -1;

	buf[0] = '\0';
	for (int i = 0; i < VM_REGION_GRANTS; i++) {
		const struct vm_region *c = &ctx->regions[i];
		uint64_t end = c->base + c->len, dist;

		if (!c->len)
			continue;
		if (base_reg - c->base <= c->len) { /* base register inside or at the end */
			which = i;
			break;
		}
		dist = addr >= end ? addr - end : addr < c->base ? c->base - addr : 0;
		if (dist < best) {
			best = dist;
			which = i;
		}
	}
	if (which < 0)
		return;
	r = &ctx->regions[which];
	if (which == VM_REGION_STACK && addr >= r->base + r->len)
		snprintf(buf, size, "; %" PRIu64 " byte%s above the top of the stack", addr - (r->base + r->len),
			 plural(addr - (r->base + r->len)));
	else if (which == VM_REGION_STACK && addr < r->base)
		snprintf(buf, size, "; %" PRIu64 " byte%s below the stack (%d frames of %d bytes)",
			 r->base - addr, plural(r->base - addr), BPFKIT_MAX_FRAMES, BPFKIT_STACK_SIZE);
	else if (which == VM_REGION_STACK)
		snprintf(buf, size, "; the access runs past the top of the stack");
	else if (addr >= r->base && addr - r->base < r->len)
		snprintf(buf, size, "; the access runs %" PRIu64 " byte%s past the end of the input (%" PRIu64 " bytes)",
			 addr + len - (r->base + r->len), plural(addr + len - (r->base + r->len)), r->len);
	else if (addr >= r->base + r->len)
		snprintf(buf, size, "; %" PRIu64 " byte%s past the end of the input (%" PRIu64 " bytes)",
			 addr - (r->base + r->len), plural(addr - (r->base + r->len)), r->len);
	else
		snprintf(buf, size, "; %" PRIu64 " byte%s before the start of the input", r->base - addr,
			 plural(r->base - addr));
}

static const char *access_name(enum vm_access a)
{
	switch (a) {
	case VM_ACCESS_LOAD:
		return "load";
	case VM_ACCESS_STORE:
		return "store";
	default:
		return "atomic access";
	}
}

/* Turn a fault recorded by the interpreter into the diagnostic text. */
int vm_fault_describe(const struct bpfkit_vm *vm, const struct vm_fault_info *f,
		      struct bpfkit_diag *diag)
{
	char op[32], hint[128];

	if (!diag)
		return 0;
	diag->insn = (long)f->pc;
	switch (f->kind) {
	case BPFKIT_FAULT_LOAD:
	case BPFKIT_FAULT_STORE:
		fmt_operand(op, sizeof(op), f->reg, f->off);
		if (f->misaligned) {
			bpfkit_diag__set(diag, 0,
					 "misaligned atomic access of %u bytes at 0x%" PRIx64
					 " (%s): atomics need %u-byte alignment",
					 f->size, f->addr, op, f->size);
		} else if (f->readonly) {
			bpfkit_diag__set(diag, 0, "%s of %u byte%s to read-only memory at 0x%" PRIx64 " (%s)",
					 access_name(f->access), f->size, plural(f->size), f->addr, op);
		} else {
			fmt_hint(hint, sizeof(hint), &vm->ctx, f->addr, f->size,
				 f->addr - (uint64_t)(int64_t)f->off);
			bpfkit_diag__set(diag, 0, "out-of-bounds %s of %u byte%s at 0x%" PRIx64 " (%s)%s",
					 access_name(f->access), f->size, plural(f->size), f->addr, op, hint);
		}
		break;
	case BPFKIT_FAULT_BUDGET:
		bpfkit_diag__set(diag, 0, "instruction budget of %" PRIu64 " exhausted", vm->budget);
		break;
	case BPFKIT_FAULT_CALL_DEPTH:
		bpfkit_diag__set(diag, 0, "call depth exceeds %d frames", BPFKIT_MAX_FRAMES);
		break;
	case BPFKIT_FAULT_CALLX:
		bpfkit_diag__set(diag, 0, "callx through r%u = 0x%" PRIx64 ": no helper with that number",
				 f->reg, f->value);
		break;
	case BPFKIT_FAULT_HELPER:
		bpfkit_diag__set(diag, 0, "call to unknown helper %" PRIu64, f->value);
		break;
	default:
		bpfkit_diag__set(diag, 0, "internal error: invalid instruction slot executed");
		break;
	}
	return 0;
}
