/* SPDX-License-Identifier: MIT */
/*
 * Private to src/vm/: what the JIT's two halves share. jit_x86_64.c turns
 * the pre-decoded program (vm->code) into machine code; jit.c owns the
 * executable image (mmap RW, copy, mprotect R+X), runs it, and provides the
 * C functions the generated code calls on its slow paths. Module prefix
 * vm_jit_.
 *
 * The generated code keeps a pointer to struct vm_jit_run in a callee-saved
 * register for the whole run and addresses every field with a constant
 * displacement (offsetof), so the layout below is part of the contract
 * between the two files and nothing else.
 */
#ifndef BPFKIT_VM_JIT_H
#define BPFKIT_VM_JIT_H

#include <stddef.h>
#include <stdint.h>

#include "vm_int.h"
#include "x86_enc.h"

/* How the native code stopped (vm_jit_run.status). */
enum vm_jit_status {
	VM_JIT_EXIT = 0, /* exit, or a helper ended the program: r0 is the return value */
	VM_JIT_MEM, /* memory fault at run.pc, address run.addr */
	VM_JIT_DEPTH, /* local call too deep at run.pc */
	VM_JIT_CALLX, /* callx at run.pc through a value (run.callx_val) naming no helper */
	VM_JIT_HANDOVER, /* budget ran short: the interpreter finished the run (run.rc) */
};

/* The state of one native run. */
struct vm_jit_run {
	/* read by the inline checks: keep first, for one-byte displacements */
	uint64_t in_base; /* the input region */
	uint64_t in_len;
	uint64_t in_lim[4]; /* by log2(size): in_len - size + 1, or 0 when nothing fits */
	uint64_t stack_base;
	uint64_t stack_top; /* r10 of the main program */
	uint64_t depth_lim; /* a local call with r10 at or below this is one too deep */
	uint64_t left; /* instructions left in the budget (spilled across calls) */
	uint64_t entry_rsp; /* native stack pointer of the main program */
	uint64_t callx_val; /* the register value of the current callx */
	uint64_t addr; /* faulting address */
	uint64_t scratch; /* r0 or r3, saved around div and fetch atomics */
	uint64_t sp; /* native stack pointer at a hand-over: the frames are above it */
	uint32_t pc; /* faulting instruction, or where the interpreter takes over */
	uint32_t status; /* enum vm_jit_status */
	int64_t unwind_id; /* copy of vm->unwind_id for this run */
	struct bpfkit_vm_ctx *ctx;
	struct vm_helper *const *helpers; /* &vm->helpers: re-read at each call, as the table may move */
	uint64_t args[5]; /* r1..r5 across a helper call */
	uint64_t tsave[8]; /* caller-saved registers around the slow memory check */
	uint64_t regs[BPFKIT_NREGS]; /* every register, for the hand-over */
	/* the helper grant the slow memory check found last (a map's values):
	 * the stubs try it before calling into C. By log2(size): len - size + 1,
	 * 0 when nothing fits (g_wlim: 0 too when the grant is read-only) */
	uint64_t g_base;
	uint64_t g_lim[4];
	uint64_t g_wlim[4];
	/* not touched by generated code */
	struct bpfkit_vm *vm;
	struct vm_fault_info *fault;
	uint64_t r0; /* the hand-over's result */
	int rc; /* the hand-over's return value */
};

typedef uint64_t (*vm_jit_entry_fn)(struct vm_jit_run *run, uint64_t r1, uint64_t r2);

/* jit.c: the slow memory check the thunk calls: vm_mem_check_slow()'s
 * answer, and the grant that allowed the access cached in run->g_*. */
int vm_jit_mem_check(struct vm_jit_run *run, uint64_t addr, uint64_t size, bool write);

/* A local call's native frame, from its stack pointer up: the return
 * address, then r10, r9, r8, r7, r6 of the caller (rbp, r15, r14, r13, rbx
 * pushed in the reverse order). */
#define VM_JIT_FRAME_BYTES 48

/* A compiled program. */
struct vm_jit {
	struct bpfkit_jit_opts opts; /* as compiled, for a recompile */
	bool checks_budget; /* blocks check the budget (else they only count) */
	bool counts; /* blocks count instructions (see bpfkit_jit_opts.no_count) */
	uint8_t *image; /* mmap'ed, read+execute */
	size_t map_len; /* bytes mapped */
	size_t code_len; /* bytes of code */
	size_t entry_off; /* the prologue; before it, the shared thunks */
	size_t stubs_off; /* out-of-line slow paths, after the last instruction */
	uint32_t *insn_off; /* native offset of each slot (len + 1 entries) */
	size_t len;
	vm_jit_entry_fn entry;
	struct vm_jit_run run;
};

/* What the back end produced. */
struct vm_jit_out {
	struct x86_buf code;
	uint32_t *insn_off; /* len + 1 entries, filled by the back end */
	size_t entry_off;
	size_t stubs_off;
};

/* jit_x86_64.c: compile vm->code; with @p check_budget false, blocks
 * count instructions without checking the budget (see jit.c). 0, or
 * -EINVAL / -ENOMEM with the instruction and reason in @p diag. */
int vm_jit_x86_emit(const struct bpfkit_vm *vm, const struct bpfkit_jit_opts *opts,
		    bool check_budget, struct vm_jit_out *out, struct bpfkit_diag *diag);

/* jit.c: called from generated code. */
void vm_jit_handover(struct vm_jit_run *run);
bpfkit_helper_fn vm_jit_callx_find(struct vm_jit_run *run);

#endif
