// SPDX-License-Identifier: MIT
/*
 * The JIT's host side: the public entry points, the executable image, one
 * native run, and the C functions the generated code calls.
 *
 * W^X: the back end (jit_x86_64.c) emits into ordinary heap memory; the
 * bytes are copied into a fresh anonymous mapping that is read-write, then
 * mprotect'ed to read-execute before anything can run it. No page is ever
 * writable and executable at once, and a failure of either call is an
 * error, never a fallback.
 *
 * A native run reports through struct vm_jit_run; this file turns that into
 * the struct vm_fault_info the interpreter would have filled, so faults
 * print the same sentence (mem.c's vm_fault_describe) either way.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "jit.h"

void vm_jit_free(struct vm_jit *jit)
{
	if (!jit)
		return;
	if (jit->image)
		munmap(jit->image, jit->map_len);
	free(jit->insn_off);
	free(jit);
}

void bpfkit_vm__jit_off(struct bpfkit_vm *vm)
{
	if (!vm)
		return;
	vm_jit_free(vm->jit);
	vm->jit = NULL;
}

/*
 * Does the native code need to check the budget, or only count? Checking
 * costs a branch per block of code, the price of a tight loop doubling. It is
 * needed unless the budget cannot run out: no budget at all, or a program
 * with no back edge and no local call (so each instruction runs at most
 * once) that has fewer instructions than the budget.
 */
static bool budget_needed(const struct bpfkit_vm *vm)
{
	size_t ninsns = 0;

	if (!vm->budget)
		return false;
	for (size_t i = 0; i < vm->len; i += vm->code[i].op == VM_LDDW ? 2 : 1) {
		const struct vm_insn *in = &vm->code[i];
		bool jump = in->op == VM_JA || (in->op >= VM_JEQ_K && in->op <= VM_JSLE32_X);
		if (in->op == VM_CALL_LOCAL || (jump && (size_t)(uint32_t)in->off <= i))
			return true;
		ninsns++;
	}
	return vm->budget < ninsns;
}

/* The budget changed: recompile when the native code's choice to check it
 * (budget_needed) no longer holds. A failed recompile drops the native
 * code, so runs fall back to the interpreter, which is always right. */
void vm_jit_budget_changed(struct bpfkit_vm *vm)
{
	struct bpfkit_jit_opts opts;

	if (!vm->jit || vm->jit->checks_budget == budget_needed(vm))
		return;
	opts = vm->jit->opts;
	if (bpfkit_vm__jit_compile(vm, &opts, NULL))
		bpfkit_vm__jit_off(vm);
}

/* Copy @p code into a new mapping and make it read+execute. */
static int map_image(struct vm_jit *j, const struct x86_buf *code, struct bpfkit_diag *diag)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t ps = page > 0 ? (size_t)page : 4096;
	void *p;

	j->map_len = (code->len + ps - 1) / ps * ps;
	p = mmap(NULL, j->map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return bpfkit_diag__set(diag, -errno, "cannot map memory for the native code: %s",
					strerror(errno));
	memcpy(p, code->p, code->len);
	if (mprotect(p, j->map_len, PROT_READ | PROT_EXEC)) {
		int err = -errno;
		munmap(p, j->map_len);
		return bpfkit_diag__set(diag, err, "cannot make the native code executable: %s",
					strerror(-err));
	}
	j->image = p;
	j->code_len = code->len;
	return 0;
}

int bpfkit_vm__jit_compile(struct bpfkit_vm *vm, const struct bpfkit_jit_opts *opts,
			   struct bpfkit_diag *diag)
{
	struct vm_jit_out out = { 0 };
	struct vm_jit *j = NULL;
	int err;

	bpfkit_diag__clear(diag);
	if (!vm || !vm->code)
		return bpfkit_diag__set(diag, -EINVAL, "no program loaded");
#if !defined(__x86_64__)
	(void)opts;
	return bpfkit_diag__set(diag, -EOPNOTSUPP, "the JIT emits x86-64 code; this host is not x86-64");
#else
	j = calloc(1, sizeof(*j));
	out.insn_off = calloc(vm->len + 1, sizeof(uint32_t));
	if (!j || !out.insn_off) {
		err = bpfkit_diag__set(diag, -ENOMEM, "out of memory");
		goto err;
	}
	j->checks_budget = budget_needed(vm);
	if (opts)
		j->opts = *opts;
	j->counts = j->checks_budget || !j->opts.no_count;
	err = vm_jit_x86_emit(vm, opts, j->checks_budget, &out, diag);
	if (err)
		goto err;
	err = map_image(j, &out.code, diag);
	if (err)
		goto err;
	x86_buf_free(&out.code);
	j->insn_off = out.insn_off;
	j->len = vm->len;
	j->entry_off = out.entry_off;
	j->stubs_off = out.stubs_off;
	j->entry = (vm_jit_entry_fn)(uintptr_t)(j->image + out.entry_off);
	vm_jit_free(vm->jit);
	vm->jit = j;
	return 0;
err:
	x86_buf_free(&out.code);
	free(out.insn_off);
	vm_jit_free(j);
	return err;
#endif
}

int bpfkit_vm__jit_code(const struct bpfkit_vm *vm, struct bpfkit_jit_code *out)
{
	const struct vm_jit *j = vm ? vm->jit : NULL;

	if (!out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	if (!j)
		return -ENOENT;
	out->code = j->image;
	out->len = j->code_len;
	out->entry = j->entry_off;
	out->stubs = j->stubs_off;
	out->insn_off = j->insn_off;
	out->ninsns = j->len;
	return 0;
}

/* ---- called from generated code ------------------------------------------------- */

/* The slot a native return address returns to: the one after the local
 * call whose code holds the address (the last slot starting before it). */
static size_t return_slot(const struct vm_jit *j, uint64_t addr)
{
	uint64_t off = addr - (uint64_t)(uintptr_t)j->image;
	size_t lo = 0, hi = j->len; /* insn_off[lo] < off <= insn_off[hi] */

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (j->insn_off[mid] < off)
			lo = mid;
		else
			hi = mid;
	}
	return lo + 1;
}

/*
 * The budget cannot pay for the next block: the interpreter finishes the
 * run from run->pc with run->left instructions (so it ends the run within
 * them). The calls in progress come from the native stack, one
 * VM_JIT_FRAME_BYTES frame per call between run->sp and the main program's
 * stack pointer, innermost first.
 */
void vm_jit_handover(struct vm_jit_run *run)
{
	const struct vm_jit *j = run->vm->jit;
	struct vm_frame frames[BPFKIT_MAX_FRAMES];
	uint64_t n = (run->entry_rsp - run->sp) / VM_JIT_FRAME_BYTES;

	if (n >= BPFKIT_MAX_FRAMES) /* cannot happen: the depth check comes first */
		n = BPFKIT_MAX_FRAMES - 1;
	for (unsigned k = 0; k < n; k++) {
		const uint64_t *slot = (const uint64_t *)(uintptr_t)(run->sp + VM_JIT_FRAME_BYTES * k);
		struct vm_frame *fr = &frames[n - 1 - k];

		fr->ret = return_slot(j, slot[0]);
		for (unsigned r = 0; r < 5; r++)
			fr->saved[r] = slot[5 - r]; /* r6 (rbx) pushed first, r10 (rbp) last */
	}
	run->rc = vm_interp_at(run->vm, run->regs, run->pc, frames, (unsigned)n, run->left, &run->r0,
			       run->fault);
	run->status = VM_JIT_HANDOVER;
}

/* callx: the function of the helper whose number is in run->callx_val. */
bpfkit_helper_fn vm_jit_callx_find(struct vm_jit_run *run)
{
	long h = vm_helper_find(run->vm, run->callx_val);

	return h < 0 ? NULL : run->vm->helpers[h].fn;
}

/* The thunk's slow check. A grant that allows the access (helper memory:
 * most often a map's values, which a program then reads and writes in a
 * loop) becomes the one the stubs try inline next time; regions are only
 * ever added during a run, so the cache stays true until the run ends. */
int vm_jit_mem_check(struct vm_jit_run *run, uint64_t addr, uint64_t size, bool write)
{
	struct bpfkit_vm_ctx *ctx = run->ctx;
	int rc = vm_mem_check_slow(ctx, addr, size, write);
	const struct vm_region *r;

	if (rc || ctx->last_hit < VM_REGION_GRANTS || ctx->last_hit >= ctx->nregions)
		return rc;
	r = &ctx->regions[ctx->last_hit];
	if (!vm_region_has(r, addr, size))
		return rc;
	run->g_base = r->base;
	for (unsigned k = 0; k < 4; k++) {
		uint64_t sz = 1ull << k;
		run->g_lim[k] = r->len >= sz ? r->len - sz + 1 : 0;
		run->g_wlim[k] = r->writable ? run->g_lim[k] : 0;
	}
	return rc;
}

/* ---- one run -------------------------------------------------------------------- */

/* A memory fault at run->pc, described as the interpreter would have. */
static void mem_fault(struct bpfkit_vm *vm, const struct vm_jit_run *run, struct vm_fault_info *f)
{
	const struct vm_insn *in = &vm->code[run->pc];

	f->addr = run->addr;
	f->size = in->size;
	f->off = in->off;
	if (in->op >= VM_LDXB && in->op <= VM_LDXSW) {
		f->kind = BPFKIT_FAULT_LOAD;
		f->access = VM_ACCESS_LOAD;
		f->reg = in->src;
		return;
	}
	f->kind = BPFKIT_FAULT_STORE;
	f->reg = in->dst;
	if (in->op == VM_ATOMIC32 || in->op == VM_ATOMIC64) {
		f->access = VM_ACCESS_ATOMIC;
		f->misaligned = (run->addr & (in->size - 1)) != 0;
	} else {
		f->access = VM_ACCESS_STORE;
	}
	f->readonly = !f->misaligned && vm_mem_check_slow(&vm->ctx, run->addr, in->size, true) == 2;
}

_Static_assert(VM_LDXSW == VM_LDXB + 6, "loads are contiguous in VM_OPS");

/*
 * Run the native code once (vm_mem_begin() already set up the regions).
 * Same contract as vm_interp(): 0 with r0 in *ret, or -1 with *f filled;
 * vm->insn_count set either way.
 */
int vm_jit_exec(struct bpfkit_vm *vm, uint64_t r1, uint64_t r2, uint64_t *ret,
		struct vm_fault_info *f)
{
	struct vm_jit_run *run = &vm->jit->run;
	const struct vm_region *in = &vm->ctx.regions[VM_REGION_INPUT];
	uint64_t budget = vm->budget ? vm->budget : UINT64_MAX, r0;

	/* only what generated code reads before writing (no memset: this is
	 * per run, and short programs are dominated by it) */
	memset(f, 0, sizeof(*f));
	run->status = VM_JIT_EXIT;
	run->in_base = in->base;
	run->in_len = in->len;
	for (unsigned k = 0; k < 4; k++) {
		uint64_t size = 1ull << k;
		run->in_lim[k] = in->len >= size ? in->len - size + 1 : 0;
	}
	run->g_base = 0;
	memset(run->g_lim, 0, sizeof(run->g_lim));
	memset(run->g_wlim, 0, sizeof(run->g_wlim));
	run->stack_base = (uint64_t)(uintptr_t)vm->stack;
	run->stack_top = run->stack_base + VM_STACK_TOTAL;
	run->depth_lim = run->stack_base + BPFKIT_STACK_SIZE;
	run->left = budget;
	run->unwind_id = vm->unwind_id;
	run->ctx = &vm->ctx;
	run->helpers = &vm->helpers;
	run->vm = vm;
	run->fault = f;

	r0 = vm->jit->entry(run, r1, r2);

	switch (run->status) {
	case VM_JIT_EXIT:
		vm->insn_count = vm->jit->counts ? budget - run->left : 0;
		*ret = r0;
		return 0;
	case VM_JIT_HANDOVER: /* the interpreter set insn_count, *f and r0 */
		if (!run->rc)
			*ret = run->r0;
		return run->rc;
	case VM_JIT_MEM:
		mem_fault(vm, run, f);
		break;
	case VM_JIT_DEPTH:
		f->kind = BPFKIT_FAULT_CALL_DEPTH;
		break;
	default: /* VM_JIT_CALLX */
		f->kind = BPFKIT_FAULT_CALLX;
		f->reg = vm->code[run->pc].dst;
		f->value = run->callx_val;
		break;
	}
	f->pc = run->pc;
	vm->insn_count = vm->jit->counts ? budget - run->left : 0;
	return -1;
}
