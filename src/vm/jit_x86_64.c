// SPDX-License-Identifier: MIT
/*
 * The x86-64 back end of the JIT: vm->code (the pre-decoded program that
 * validation proved well formed) in, machine code out. jit.c maps and runs
 * the result; x86_enc.c does the byte-level encoding.
 *
 * Registers. eBPF r0-r10 live in the registers the kernel's JIT uses:
 *   r0 rax  r1 rdi  r2 rsi  r3 rdx  r4 rcx  r5 r8
 *   r6 rbx  r7 r13  r8 r14  r9 r15  r10 rbp
 * r9 (x86) holds the instructions left in the budget, r12 points to the
 * run state (struct vm_jit_run), r10 and r11 are scratch within one eBPF
 * instruction. r6-r10 map to callee-saved registers, so they survive helper
 * calls for free.
 *
 * Layout of the image:
 *   thunks     shared code: retpoline, epilogue, fault exits, the slow
 *              memory check, the hand-over to the interpreter
 *   prologue   the entry point: save callee-saved registers, load r1, r2, r10
 *   program    one block of code per eBPF instruction, in order
 *   stubs      one out-of-line slow path per check that can fail
 *
 * Budget. The program is cut into blocks (superblocks): runs of
 * instructions along the fall-through path, from a jump target, a call
 * target or the start, to an unconditional jump, a local call, an exit, or
 * the instruction before the next jump target. Forward conditional jumps
 * do not end a block (backward ones, loops' back edges, do). Each block
 * starts with `sub r9, N; jb stub`: the N instructions of its fall-through
 * path are paid for at once, so a loop pays once per iteration (one more
 * branch, and a one-cycle dependency chain). A
 * conditional jump that leaves the block early takes its branch through a
 * stub that refunds the instructions it skipped. When fewer than N are
 * left, the stub hands the run over to the interpreter at the block's first
 * instruction with the exact count left and the calls in progress, and the
 * interpreter stops where it would have stopped running alone. Faults and
 * program ends inside a block refund the instructions not reached, so
 * insn_count is exact too. With no budget to enforce (see jit.c) blocks
 * only count: no branch; with bpfkit_jit_opts.no_count as well, not even
 * that (r9 is then dead: the stubs' refunds are harmless).
 *
 * Memory. Every load, store and atomic is checked inline: one lea puts the
 * address minus the input's base in r10, one compare with the input's
 * length (less the access size) and one branch; r10-based accesses are
 * compared with the stack instead. The access itself then uses the eBPF
 * base register and offset directly. On a miss the stub tries the other
 * region, then mem.c's full check through a thunk that saves every
 * caller-saved register. An r10-based access with a constant offset inside
 * the current frame needs no check at all: r10 is never written by the
 * program and is always 512 * depth below the top of the stack, depth < 8.
 *
 * Jumps. Code size depends on jump sizes (2 or 5/6 bytes) and vice versa,
 * so the program is emitted repeatedly, each pass choosing sizes from the
 * offsets of the one before, until two passes agree (sizes only shrink, so
 * this converges); the last pass's bytes are then exact.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "jit.h"

static const uint8_t reg_map[BPFKIT_NREGS] = {
	X86_RAX, X86_RDI, X86_RSI, X86_RDX, X86_RCX, X86_R8,
	X86_RBX, X86_R13, X86_R14, X86_R15, X86_RBP,
};

#define T1 X86_R10 /* scratch */
#define T2 X86_R11 /* scratch: addresses, call targets */
#define LEFT X86_R9 /* budget left */
#define RUN X86_R12 /* struct vm_jit_run * */
#define RUNOFF(f) ((int32_t)offsetof(struct vm_jit_run, f))
#define B (&jc->b)
#define MAX_PASSES 20
#define MAX_CODE (1u << 30)

/* Slow paths, emitted after the program. */
enum stub_kind {
	STUB_BUDGET, /* fewer instructions left than the block has: hand over */
	STUB_MEM, /* inline memory check failed: other region, then mem.c */
	STUB_ALIGN, /* misaligned atomic */
	STUB_DEPTH, /* local call too deep */
	STUB_CALLX, /* callx value names no helper */
	STUB_STOP, /* a helper called bpfkit_vm_ctx__stop() */
	STUB_UNWIND, /* the unwind helper returned 0 */
	STUB_PKT, /* LD_ABS/LD_IND out of bounds: end with r0 = 0 */
	STUB_EDGE, /* a conditional jump leaving its block early: refund, go on */
};

#define STUB_WRITE 0x1
#define STUB_THEN_INPUT 0x2 /* the inline check tried the stack */

struct jstub {
	uint8_t kind;
	uint8_t size; /* STUB_MEM: access size */
	uint8_t flags;
	uint8_t base; /* STUB_MEM: x86 base register of the access, or r11 if computed */
	int32_t off; /* STUB_MEM: its displacement */
	uint32_t pc;
	uint32_t n; /* STUB_BUDGET: block length; else instructions after pc in its block */
	uint32_t back; /* STUB_MEM: where the access resumes; STUB_EDGE: target slot */
};

/* Per-slot facts. */
#define SLOT_LEADER 0x1 /* starts a block */
#define SLOT_HI 0x2 /* second half of an lddw */

/* How an exit leaves: it returns from the program, from a local call, or
 * either (main program that is also called), decided by r10 at run time. */
enum { EXIT_MAIN, EXIT_RET, EXIT_EITHER };

struct jc {
	const struct bpfkit_vm *vm;
	const struct vm_insn *code;
	size_t len;
	bool blind, retpoline;
	bool check_budget; /* else blocks only count */
	bool count; /* blocks count (always when check_budget) */
	uint64_t seed, rng; /* blinding keys: the same sequence in every pass */
	struct x86_buf b;
	uint32_t *start, *end; /* this pass: native offsets of each slot's code */
	uint32_t *pstart, *pend; /* the previous pass */
	bool have_prev;
	struct jstub *stubs;
	size_t nstubs, stubs_cap;
	uint32_t *stub_at, *pstub_at; /* stub offsets, this pass and the previous */
	size_t stub_at_cap;
	uint8_t *flags;
	uint32_t *seg_n; /* at a block's first slot: its instruction count */
	uint32_t *after; /* instructions after this one in its block */
	uint8_t *exit_kind;
	struct {
		uint32_t retpo, epilogue, exit, fault, depth, callx, mem, handover;
	} t;
	size_t entry_off, stubs_off;
};

static bool fits8(int64_t v)
{
	return v >= -128 && v <= 127;
}

/* ---- analysis ------------------------------------------------------------ */

static bool is_jump(uint8_t op)
{
	return op == VM_JA || (op >= VM_JEQ_K && op <= VM_JSLE32_X);
}

/* Does the instruction at @p i end its block? Unconditional transfers do,
 * and so do backward conditional jumps: those are loops' back edges, taken
 * on every iteration but the last, and must not go through a refund stub. */
static bool ends_block(const struct vm_insn *in, size_t i)
{
	return in->op == VM_JA || in->op == VM_CALL_LOCAL || in->op == VM_EXIT ||
	       (is_jump(in->op) && (size_t)(uint32_t)in->off <= i);
}

static size_t next_slot(const struct jc *jc, size_t i)
{
	return i + (jc->code[i].op == VM_LDDW ? 2 : 1);
}

/*
 * Blocks (see the top of the file) and how each exit leaves. Leaders are
 * slot 0, jump and call targets, and the slot after an unconditional jump,
 * a backward conditional jump, a call or an exit. after[i] counts the
 * instructions that follow i in its block; a leader's block has after[i] + 1
 * instructions. Functions start at slot 0 and at call targets; validation
 * proved that no jump crosses into another
 * function, so an exit outside function 0 always returns from a call.
 */
static void analyse(struct jc *jc)
{
	const struct vm_insn *code = jc->code;
	size_t len = jc->len, fn_start = 0;
	bool main_called = false;

	jc->flags[0] |= SLOT_LEADER;
	for (size_t i = 0; i < len; i++) {
		uint8_t op = code[i].op;
		size_t nx;

		if (jc->flags[i] & SLOT_HI)
			continue;
		nx = next_slot(jc, i);
		if (op == VM_LDDW && i + 1 < len)
			jc->flags[i + 1] |= SLOT_HI;
		if (is_jump(op) || op == VM_CALL_LOCAL)
			jc->flags[(uint32_t)code[i].off] |= SLOT_LEADER;
		if (op == VM_CALL_LOCAL && code[i].off == 0)
			main_called = true;
		if (ends_block(&code[i], i) && nx < len)
			jc->flags[nx] |= SLOT_LEADER;
	}
	for (size_t k = len; k-- > 0;) {
		size_t nx;

		if (jc->flags[k] & SLOT_HI)
			continue;
		nx = next_slot(jc, k);
		if (ends_block(&code[k], k) || nx >= len || (jc->flags[nx] & SLOT_LEADER))
			jc->after[k] = 0;
		else
			jc->after[k] = jc->after[nx] + 1;
		if (jc->flags[k] & SLOT_LEADER)
			jc->seg_n[k] = jc->after[k] + 1;
	}
	/* function starts: slot 0 and call targets (marked in a second sweep,
	 * since a call may target a later slot) */
	for (size_t i = 0; i < len; i++)
		if (!(jc->flags[i] & SLOT_HI) && code[i].op == VM_CALL_LOCAL)
			jc->exit_kind[(uint32_t)code[i].off] = 0xff; /* mark; replaced below */
	for (size_t i = 0; i < len; i++) {
		if (i && jc->exit_kind[i] == 0xff)
			fn_start = i;
		jc->exit_kind[i] = fn_start ? EXIT_RET : main_called ? EXIT_EITHER : EXIT_MAIN;
	}
}

/* Registers r1..r5 (bits 1..5) an instruction reads and writes; false for
 * a jump, call or exit, after which everything counts as read. */
static bool reads_writes(const struct vm_insn *in, unsigned *rd, unsigned *wr)
{
	unsigned d = 1u << in->dst, s = 1u << in->src;
	uint8_t op = in->op;

	*rd = *wr = 0;
	if ((op >= VM_ADD64_K && op <= VM_XOR64_X) || (op >= VM_ADD32_K && op <= VM_XOR32_X)) {
		bool x = (op - ((op <= VM_XOR64_X) ? VM_ADD64_K : VM_ADD32_K)) & 1;
		*rd = d | (x ? s : 0);
		*wr = d;
		return true;
	}
	switch (op) {
	case VM_MOV64_K: case VM_MOV32_K: case VM_LDDW:
		*wr = d;
		return true;
	case VM_MOV64_X: case VM_MOV32_X: case VM_MOVSX64_8: case VM_MOVSX64_16:
	case VM_MOVSX64_32: case VM_MOVSX32_8: case VM_MOVSX32_16:
	case VM_LDXB: case VM_LDXH: case VM_LDXW: case VM_LDXDW:
	case VM_LDXSB: case VM_LDXSH: case VM_LDXSW:
		*rd = s;
		*wr = d;
		return true;
	case VM_NEG64: case VM_NEG32: case VM_ZEXT16: case VM_ZEXT32: case VM_NOP:
	case VM_BSWAP16: case VM_BSWAP32: case VM_BSWAP64:
		*rd = *wr = d;
		return true;
	case VM_STB: case VM_STH: case VM_STW: case VM_STDW:
		*rd = d;
		return true;
	case VM_STXB: case VM_STXH: case VM_STXW: case VM_STXDW: case VM_ATOMIC32: case VM_ATOMIC64:
		*rd = d | s | 1;
		return true;
	case VM_LD_ABS:
		return true;
	case VM_LD_IND:
		*rd = s;
		return true;
	case VM_CALL_HELPER:
		*rd = 0x3e; /* its arguments */
		return true;
	default:
		return false;
	}
}

/* Which of r1..r5 may be read after the helper call at @p i before being
 * written: those must be saved around the call (the interpreter keeps
 * them; the C ABI does not). A short forward scan along the fall-through
 * path; anything unresolved at a jump, call or exit counts as read. */
static unsigned live_after_call(const struct jc *jc, size_t i)
{
	unsigned open = 0x3e, live = 0, rd, wr;
	size_t k = next_slot(jc, i);

	for (int steps = 0; open && k < jc->len && steps < 64; steps++) {
		if (!reads_writes(&jc->code[k], &rd, &wr))
			break;
		live |= rd & open;
		open &= ~rd & ~wr;
		k = next_slot(jc, k);
	}
	return live | open;
}

/* ---- emission helpers ------------------------------------------------------ */

/* The next blinding key (xorshift64*). */
static int32_t next_key(struct jc *jc)
{
	jc->rng ^= jc->rng >> 12;
	jc->rng ^= jc->rng << 25;
	jc->rng ^= jc->rng >> 27;
	return (int32_t)(uint32_t)((jc->rng * 0x2545f4914f6cdd1dull) >> 32);
}

/* reg = imm sign-extended to 64 bits; blinded, the code holds imm ^ key and
 * key, never imm. */
static void load_simm(struct jc *jc, unsigned reg, int32_t imm)
{
	if (jc->blind) {
		int32_t k = next_key(jc);
		x86_mov_simm32(B, reg, imm ^ k);
		x86_alu_ri(B, X86_W, X86_EXT_XOR, reg, k);
	} else {
		x86_mov_imm(B, true, reg, (uint64_t)(int64_t)imm);
	}
}

static void load_imm64(struct jc *jc, unsigned reg, uint64_t v)
{
	if (jc->blind) {
		int32_t k = next_key(jc);
		x86_mov_imm(B, true, reg, v ^ (uint64_t)(int64_t)k);
		x86_alu_ri(B, X86_W, X86_EXT_XOR, reg, k);
	} else {
		x86_mov_imm(B, true, reg, v);
	}
}

/* Queue a slow path; its index, or SIZE_MAX when out of memory. */
static size_t add_stub(struct jc *jc, enum stub_kind kind, size_t pc, uint32_t n)
{
	if (jc->nstubs == jc->stubs_cap) {
		size_t cap = jc->stubs_cap ? jc->stubs_cap * 2 : 256;
		struct jstub *s = realloc(jc->stubs, cap * sizeof(*s));
		if (!s) {
			jc->b.oom = true;
			return SIZE_MAX;
		}
		jc->stubs = s;
		jc->stubs_cap = cap;
	}
	jc->stubs[jc->nstubs] = (struct jstub){ .kind = (uint8_t)kind, .pc = (uint32_t)pc, .n = n };
	return jc->nstubs++;
}

/* Branch to a new stub when @p cc holds. The stub's offset comes from the
 * previous pass; the branch is always the 32-bit form. */
static size_t jump_stub(struct jc *jc, enum x86_cc cc, enum stub_kind kind, size_t pc, uint32_t n)
{
	size_t s = add_stub(jc, kind, pc, n);
	int64_t target = jc->have_prev && s < jc->stub_at_cap ? jc->pstub_at[s] : 0;

	x86_jcc32(B, cc, (int32_t)(target - (int64_t)(jc->b.len + 6)));
	return s;
}

/* Jump to instruction @p target; the jump ends instruction @p i's code.
 * The short form when the previous pass's layout says it reaches. */
static void jump_insn(struct jc *jc, int cc, size_t i, uint32_t target)
{
	unsigned long_len = cc < 0 ? 5 : 6;
	int64_t rel;

	if (jc->have_prev && fits8((int64_t)jc->pstart[target] - (int64_t)jc->pend[i])) {
		rel = (int64_t)jc->pstart[target] - (int64_t)(jc->b.len + 2);
		if (!fits8(rel))
			rel = 0; /* not the final pass: only the size matters */
		if (cc < 0)
			x86_jmp8(B, (int8_t)rel);
		else
			x86_jcc8(B, (enum x86_cc)cc, (int8_t)rel);
		return;
	}
	rel = jc->have_prev ? (int64_t)jc->pstart[target] - (int64_t)(jc->b.len + long_len) : 0;
	if (cc < 0)
		x86_jmp32(B, (int32_t)rel);
	else
		x86_jcc32(B, (enum x86_cc)cc, (int32_t)rel);
}

/* A conditional jump to @p target: direct when it ends its block or
 * nothing is counted, else through a stub refunding the instructions of
 * the block it skips. */
static void cond_jump(struct jc *jc, enum x86_cc cc, size_t pc, uint32_t target)
{
	size_t s;

	if (!jc->after[pc] || !jc->count) {
		jump_insn(jc, cc, pc, target);
		return;
	}
	s = jump_stub(jc, cc, STUB_EDGE, pc, jc->after[pc]);
	if (s != SIZE_MAX)
		jc->stubs[s].back = target;
}

/* Jump or call to a thunk (emitted earlier in this pass: exact). */
static void jmp_thunk(struct jc *jc, uint32_t at)
{
	x86_jmp32(B, (int32_t)((int64_t)at - (int64_t)(jc->b.len + 5)));
}

static void call_thunk(struct jc *jc, uint32_t at)
{
	x86_call32(B, (int32_t)((int64_t)at - (int64_t)(jc->b.len + 5)));
}

/* Indirect call through r11, or through the retpoline. */
static void call_t2(struct jc *jc)
{
	if (jc->retpoline)
		call_thunk(jc, jc->t.retpo);
	else
		x86_call_r(B, T2);
}

/* Call C function @p fn (64-bit absolute address). Clobbers r11. */
static void call_c(struct jc *jc, uint64_t fn)
{
	x86_mov_imm(B, true, T2, fn);
	call_t2(jc);
}

/* mov [run + off], reg (64-bit) and the reverse. */
static void run_store(struct jc *jc, int32_t off, unsigned reg)
{
	x86_rm(B, X86_W, X86_OP_MOV, reg, RUN, off);
}

static void run_load(struct jc *jc, unsigned reg, int32_t off)
{
	x86_rm(B, X86_W, X86_OP_MOV_LOAD, reg, RUN, off);
}

/* ---- thunks and prologue ---------------------------------------------------- */

/* The stop-with-status exits: record pc (r10d), left, the status; leave. */
static void emit_status_thunk(struct jc *jc, enum vm_jit_status st, bool with_addr)
{
	x86_rm(B, 0, X86_OP_MOV, T1, RUN, RUNOFF(pc));
	if (with_addr)
		run_store(jc, RUNOFF(addr), T2);
	run_store(jc, RUNOFF(left), LEFT);
	x86_store_imm(B, 4, RUN, RUNOFF(status), (int32_t)st);
	jmp_thunk(jc, jc->t.epilogue);
}

/*
 * The shared thunks, first in the image so every later reference to them
 * is backwards and exact within a pass.
 */
static void emit_thunks(struct jc *jc)
{
	static const uint8_t tsaved[8] = { X86_RAX, X86_RCX, X86_RDX, X86_RSI,
					   X86_RDI, X86_R8,  X86_R9,  X86_R11 };
	size_t at;

	/* retpoline for r11: the call's return address is replaced by r11,
	 * so the ret goes there while any speculation spins in the trap */
	jc->t.retpo = (uint32_t)jc->b.len;
	if (jc->retpoline) {
		x86_call32(B, 7);
		at = jc->b.len;
		x86_byte(B, 0xf3); /* pause */
		x86_byte(B, 0x90);
		x86_byte(B, 0x0f); /* lfence */
		x86_byte(B, 0xae);
		x86_byte(B, 0xe8);
		x86_jmp8(B, (int8_t)((int64_t)at - (int64_t)(jc->b.len + 2)));
		x86_rm(B, X86_W, X86_OP_MOV, T2, X86_RSP, 0);
		x86_ret(B);
	}

	/* epilogue: back to the main program's native frame from any depth */
	jc->t.epilogue = (uint32_t)jc->b.len;
	run_load(jc, X86_RSP, RUNOFF(entry_rsp));
	x86_alu_ri(B, X86_W, X86_EXT_ADD, X86_RSP, 8);
	x86_pop(B, X86_R15);
	x86_pop(B, X86_R14);
	x86_pop(B, X86_R13);
	x86_pop(B, X86_R12);
	x86_pop(B, X86_RBP);
	x86_pop(B, X86_RBX);
	x86_ret(B);

	/* the program ends normally: rax is r0 */
	jc->t.exit = (uint32_t)jc->b.len;
	run_store(jc, RUNOFF(left), LEFT);
	jmp_thunk(jc, jc->t.epilogue);

	jc->t.fault = (uint32_t)jc->b.len;
	emit_status_thunk(jc, VM_JIT_MEM, true);
	jc->t.depth = (uint32_t)jc->b.len;
	emit_status_thunk(jc, VM_JIT_DEPTH, false);
	jc->t.callx = (uint32_t)jc->b.len;
	emit_status_thunk(jc, VM_JIT_CALLX, false);

	/* the slow memory check: r11 = address, r10d = size | write << 8;
	 * returns vm_mem_check_slow()'s answer in r10d (vm_jit_mem_check, which
	 * also caches the grant it found), every other register as it was */
	jc->t.mem = (uint32_t)jc->b.len;
	for (int k = 0; k < 8; k++)
		run_store(jc, RUNOFF(tsave) + 8 * k, tsaved[k]);
	x86_rr(B, X86_W, X86_OP_MOV, RUN, X86_RDI);
	x86_rr(B, X86_W, X86_OP_MOV, T2, X86_RSI);
	x86_rr(B, X86_BRM, X86_OP_MOVZX8, X86_RDX, T1);
	x86_rr(B, 0, X86_OP_MOV, T1, X86_RCX);
	x86_shift_ri(B, 0, X86_EXT_SHR, X86_RCX, 8);
	x86_alu_ri(B, X86_W, X86_EXT_SUB, X86_RSP, 8); /* called: realign to 16 */
	call_c(jc, (uint64_t)(uintptr_t)vm_jit_mem_check);
	x86_alu_ri(B, X86_W, X86_EXT_ADD, X86_RSP, 8);
	x86_rr(B, 0, X86_OP_MOV, X86_RAX, T1);
	for (int k = 0; k < 8; k++)
		run_load(jc, tsaved[k], RUNOFF(tsave) + 8 * k);
	x86_ret(B);

	/* hand-over: every register to run->regs, then the interpreter
	 * finishes from instruction r10d with the budget left in r9 */
	jc->t.handover = (uint32_t)jc->b.len;
	for (int r = 0; r < BPFKIT_NREGS; r++)
		run_store(jc, RUNOFF(regs) + 8 * r, reg_map[r]);
	run_store(jc, RUNOFF(sp), X86_RSP);
	run_store(jc, RUNOFF(left), LEFT);
	x86_rm(B, 0, X86_OP_MOV, T1, RUN, RUNOFF(pc));
	x86_rr(B, X86_W, X86_OP_MOV, RUN, X86_RDI);
	call_c(jc, (uint64_t)(uintptr_t)vm_jit_handover);
	jmp_thunk(jc, jc->t.epilogue);
}

/* Entry: uint64_t fn(struct vm_jit_run *run, uint64_t r1, uint64_t r2).
 * Registers start as in the interpreter: zero but for r1, r2 and r10. */
static void emit_prologue(struct jc *jc)
{
	static const uint8_t zeroed[] = { X86_RAX, X86_RDX, X86_RCX, X86_R8,
					  X86_RBX, X86_R13, X86_R14, X86_R15 };

	x86_push(B, X86_RBX);
	x86_push(B, X86_RBP);
	x86_push(B, X86_R12);
	x86_push(B, X86_R13);
	x86_push(B, X86_R14);
	x86_push(B, X86_R15);
	x86_alu_ri(B, X86_W, X86_EXT_SUB, X86_RSP, 8); /* rsp 16-byte aligned from here on */
	x86_rr(B, X86_W, X86_OP_MOV, X86_RDI, RUN);
	run_store(jc, RUNOFF(entry_rsp), X86_RSP);
	x86_rr(B, X86_W, X86_OP_MOV, X86_RSI, X86_RDI);
	x86_rr(B, X86_W, X86_OP_MOV, X86_RDX, X86_RSI);
	for (size_t k = 0; k < sizeof(zeroed); k++)
		x86_rr(B, 0, X86_OP_XOR, zeroed[k], zeroed[k]);
	run_load(jc, X86_RBP, RUNOFF(stack_top));
	run_load(jc, LEFT, RUNOFF(left));
}

/* ---- ALU ------------------------------------------------------------------------ */

/* Which operand form: 64-bit or not, register source or not. The binary
 * ALU handlers come in K/X pairs, ADD to XOR then MOV, in VM_OPS order. */
static void alu_form(uint8_t op, bool *is64, bool *x)
{
	*is64 = op <= VM_MOVSX64_32;
	*x = (op - (*is64 ? VM_ADD64_K : VM_ADD32_K)) & 1;
}

_Static_assert(VM_ADD64_X == VM_ADD64_K + 1 && VM_MOV64_X == VM_ADD64_K + 27 &&
		       VM_ADD32_X == VM_ADD32_K + 1 && VM_MOV32_X == VM_ADD32_K + 27 &&
		       VM_ADD32_K > VM_MOVSX64_32,
	       "ALU handlers are K/X pairs in VM_OPS order");

/* add/sub/or/and/xor dst, src|imm: the 32-bit forms zero-extend. */
static void alu_binary(struct jc *jc, const struct vm_insn *in, uint32_t opc, unsigned ext)
{
	bool is64, x;
	unsigned w, dst = reg_map[in->dst];

	alu_form(in->op, &is64, &x);
	w = is64 ? X86_W : 0;
	if (x) {
		x86_rr(B, w, opc, reg_map[in->src], dst);
	} else if (jc->blind) {
		load_simm(jc, T1, (int32_t)in->imm);
		x86_rr(B, w, opc, T1, dst);
	} else {
		x86_alu_ri(B, w, ext, dst, (int32_t)in->imm);
	}
}

static void alu_mul(struct jc *jc, const struct vm_insn *in)
{
	bool is64, x;
	unsigned w, dst = reg_map[in->dst];
	int32_t imm = (int32_t)in->imm;

	alu_form(in->op, &is64, &x);
	w = is64 ? X86_W : 0;
	if (x) {
		x86_rr(B, w, X86_OP_IMUL, dst, reg_map[in->src]);
	} else if (jc->blind) {
		load_simm(jc, T1, imm);
		x86_rr(B, w, X86_OP_IMUL, dst, T1);
	} else if (fits8(imm)) {
		x86_rr(B, w, 0x6b, dst, dst); /* imul dst, dst, imm8 */
		x86_byte(B, (uint8_t)(int8_t)imm);
	} else {
		x86_rr(B, w, 0x69, dst, dst); /* imul dst, dst, imm32 */
		x86_u32(B, (uint32_t)imm);
	}
}

static void alu_mov(struct jc *jc, const struct vm_insn *in)
{
	bool is64, x;
	unsigned dst = reg_map[in->dst];

	alu_form(in->op, &is64, &x);
	if (x) {
		/* mov32 r, r is not a no-op: it clears the upper half */
		if (!is64 || in->dst != in->src)
			x86_rr(B, is64 ? X86_W : 0, X86_OP_MOV, reg_map[in->src], dst);
	} else if (jc->blind) {
		int32_t k = next_key(jc);
		if (is64) {
			x86_mov_simm32(B, dst, (int32_t)in->imm ^ k);
			x86_alu_ri(B, X86_W, X86_EXT_XOR, dst, k);
		} else {
			x86_mov_imm(B, false, dst, (uint32_t)((int32_t)in->imm ^ k));
			x86_alu_ri(B, 0, X86_EXT_XOR, dst, k);
		}
	} else {
		x86_mov_imm(B, is64, dst, is64 ? in->imm : (uint32_t)in->imm);
	}
}

/*
 * Shifts. By a constant: one instruction (32-bit by 0 still zero-extends).
 * By a register: x86 shifts only by cl, and cl is r4's register, so r4 is
 * parked in r11 around the shift; when r4 is the destination the shift
 * happens on the parked copy.
 */
static void alu_shift(struct jc *jc, const struct vm_insn *in, unsigned ext)
{
	bool is64, x;
	unsigned w, dst = reg_map[in->dst], src;

	alu_form(in->op, &is64, &x);
	w = is64 ? X86_W : 0;
	if (!x) {
		uint8_t count = (uint8_t)in->imm;
		if (count)
			x86_shift_ri(B, w, ext, dst, count);
		else if (!is64)
			x86_rr(B, 0, X86_OP_MOV, dst, dst);
		return;
	}
	src = reg_map[in->src];
	if (src == X86_RCX && dst != X86_RCX) {
		x86_rr(B, w, X86_GRP_SHIFT_CL, ext, dst);
		return;
	}
	x86_rr(B, X86_W, X86_OP_MOV, X86_RCX, T2);
	if (src != X86_RCX)
		x86_rr(B, X86_W, X86_OP_MOV, src, X86_RCX);
	if (dst == X86_RCX) {
		x86_rr(B, w, X86_GRP_SHIFT_CL, ext, T2);
		x86_rr(B, X86_W, X86_OP_MOV, T2, X86_RCX);
	} else {
		x86_rr(B, w, X86_GRP_SHIFT_CL, ext, dst);
		x86_rr(B, X86_W, X86_OP_MOV, T2, X86_RCX);
	}
}

/* The x86 division proper: dst = dst / r11 or dst % r11 (unsigned or
 * signed), the divisor known to be neither 0 nor (signed) -1. div uses
 * rdx:rax, which are r3 and r0: the one that is not dst is saved (rax in
 * r10, rdx in run->scratch) and restored. */
static void divide(struct jc *jc, unsigned w, unsigned dst, bool is_signed, bool is_mod)
{
	unsigned result = is_mod ? X86_RDX : X86_RAX;

	if (dst != X86_RAX)
		x86_rr(B, X86_W, X86_OP_MOV, X86_RAX, T1);
	if (dst != X86_RDX)
		run_store(jc, RUNOFF(scratch), X86_RDX);
	if (dst != X86_RAX)
		x86_rr(B, w, X86_OP_MOV, dst, X86_RAX);
	if (is_signed) {
		if (w)
			x86_byte(B, 0x48); /* cqo */
		x86_byte(B, 0x99); /* cdq */
	} else {
		x86_rr(B, 0, X86_OP_XOR, X86_RDX, X86_RDX);
	}
	x86_rr(B, w, X86_GRP_UNARY, is_signed ? X86_EXT_IDIV : X86_EXT_DIV, T2);
	if (dst != result)
		x86_rr(B, w, X86_OP_MOV, result, dst);
	if (dst != X86_RAX)
		x86_rr(B, X86_W, X86_OP_MOV, T1, X86_RAX);
	if (dst != X86_RDX)
		run_load(jc, X86_RDX, RUNOFF(scratch));
}

/* What division by zero (and signed division by -1) leaves in dst. */
static void div_special(struct jc *jc, unsigned w, unsigned dst, bool is_mod, bool minus_one)
{
	if (minus_one) {
		if (is_mod) /* x % -1 = 0 */
			x86_rr(B, 0, X86_OP_XOR, dst, dst);
		else /* x / -1 = -x, wrapping (INT_MIN / -1 = INT_MIN) */
			x86_rr(B, w, X86_GRP_UNARY, X86_EXT_NEG, dst);
	} else if (!is_mod) { /* x / 0 = 0 */
		x86_rr(B, 0, X86_OP_XOR, dst, dst);
	} else if (!w) { /* x % 0 = x, zero-extended for the 32-bit form */
		x86_rr(B, 0, X86_OP_MOV, dst, dst);
	}
}

/*
 * div, mod, sdiv, smod in both widths. A constant divisor decides the
 * special cases at compile time; a register divisor is tested first
 * (x86's div traps on 0, idiv on INT_MIN / -1).
 */
static void alu_div(struct jc *jc, const struct vm_insn *in, bool is_signed, bool is_mod)
{
	bool is64, x;
	unsigned w, dst = reg_map[in->dst];
	size_t j_nonzero, j_done1, j_normal = 0, j_done2 = 0, at;

	alu_form(in->op, &is64, &x);
	w = is64 ? X86_W : 0;
	if (!x) {
		uint64_t v = is64 ? in->imm : (uint32_t)in->imm;
		bool minus_one = is_signed && (is64 ? v == UINT64_MAX : v == UINT32_MAX);
		if (!v || minus_one) {
			div_special(jc, w, dst, is_mod, minus_one);
			return;
		}
		if (jc->blind)
			load_simm(jc, T2, (int32_t)in->imm);
		else
			x86_mov_imm(B, is64, T2, v);
		divide(jc, w, dst, is_signed, is_mod);
		return;
	}
	x86_rr(B, w, X86_OP_MOV, reg_map[in->src], T2);
	x86_rr(B, w, X86_OP_TEST, T2, T2);
	j_nonzero = x86_jcc8(B, X86_CC_NE, 0);
	at = jc->b.len;
	div_special(jc, w, dst, is_mod, false);
	j_done1 = x86_jmp8(B, 0);
	x86_patch8(B, j_nonzero, (int8_t)(jc->b.len - at));
	if (is_signed) {
		x86_alu_ri(B, w, X86_EXT_CMP, T2, -1);
		j_normal = x86_jcc8(B, X86_CC_NE, 0);
		at = jc->b.len;
		div_special(jc, w, dst, is_mod, true);
		j_done2 = x86_jmp8(B, 0);
		x86_patch8(B, j_normal, (int8_t)(jc->b.len - at));
	}
	divide(jc, w, dst, is_signed, is_mod);
	x86_patch8(B, j_done1, (int8_t)(jc->b.len - (j_done1 + 1)));
	if (is_signed)
		x86_patch8(B, j_done2, (int8_t)(jc->b.len - (j_done2 + 1)));
}

/* ---- memory ------------------------------------------------------------------------ */

/* Where a checked access goes. */
struct maddr {
	unsigned base;
	int32_t disp;
};

static unsigned log2_size(unsigned size)
{
	return size == 1 ? 0 : size == 2 ? 1 : size == 4 ? 2 : 3;
}

/*
 * The run-time check of [base + off, +size) for instruction @p pc, against
 * the input (or, for r10, the stack) inline; a miss branches to a stub that
 * tries the other region and then mem.c. Atomics check alignment first, as
 * the interpreter does, so they compute the address into r11 up front.
 * Returns the operand for the access itself.
 */
static struct maddr mem_check(struct jc *jc, size_t pc, unsigned bpf_base, int32_t off,
			      unsigned size, bool write, bool atomic)
{
	struct maddr m = { reg_map[bpf_base], off };
	uint8_t flags = write ? STUB_WRITE : 0;
	uint32_t after = jc->after[pc];
	size_t s;

	if (bpf_base == BPFKIT_REG_FP && off >= -BPFKIT_STACK_SIZE && off <= -(int32_t)size &&
	    (!atomic || !(off & (int32_t)(size - 1))))
		return m;
	if (atomic) {
		x86_rm(B, X86_W, X86_OP_LEA, T2, m.base, off);
		x86_rr(B, 0, X86_GRP_UNARY, X86_EXT_TEST, T2);
		x86_u32(B, size - 1);
		jump_stub(jc, X86_CC_NE, STUB_ALIGN, pc, after);
		m = (struct maddr){ T2, 0 };
	}
	x86_rm(B, X86_W, X86_OP_LEA, T1, m.base, m.disp); /* the address, less the region's base: */
	if (bpf_base == BPFKIT_REG_FP) {
		x86_rm(B, X86_W, X86_OP_SUB_LOAD, T1, RUN, RUNOFF(stack_base));
		x86_alu_ri(B, X86_W, X86_EXT_CMP, T1, (int32_t)(VM_STACK_TOTAL - size));
		s = jump_stub(jc, X86_CC_A, STUB_MEM, pc, after);
		flags |= STUB_THEN_INPUT;
	} else {
		x86_rm(B, X86_W, X86_OP_SUB_LOAD, T1, RUN, RUNOFF(in_base));
		x86_rm(B, X86_W, X86_OP_CMP_LOAD, T1, RUN,
		       RUNOFF(in_lim) + 8 * (int32_t)log2_size(size));
		s = jump_stub(jc, X86_CC_AE, STUB_MEM, pc, after);
	}
	if (s != SIZE_MAX) {
		jc->stubs[s].size = (uint8_t)size;
		jc->stubs[s].flags = flags;
		jc->stubs[s].base = (uint8_t)m.base;
		jc->stubs[s].off = m.disp;
		jc->stubs[s].back = (uint32_t)jc->b.len;
	}
	return m;
}

/* mov [m], reg of @p size bytes. */
static void store_reg(struct jc *jc, unsigned size, unsigned reg, struct maddr m)
{
	switch (size) {
	case 1:
		x86_rm(B, X86_BREG, X86_OP_MOV_STORE, reg, m.base, m.disp);
		break;
	case 2:
		x86_rm(B, X86_66, X86_OP_MOV, reg, m.base, m.disp);
		break;
	case 4:
		x86_rm(B, 0, X86_OP_MOV, reg, m.base, m.disp);
		break;
	default:
		x86_rm(B, X86_W, X86_OP_MOV, reg, m.base, m.disp);
		break;
	}
}

/* LDX and LDXS: zero- or sign-extending loads. */
static void emit_load(struct jc *jc, size_t pc, const struct vm_insn *in)
{
	struct maddr m = mem_check(jc, pc, in->src, in->off, in->size, false, false);
	unsigned dst = reg_map[in->dst];

	switch (in->op) {
	case VM_LDXB: x86_rm(B, 0, X86_OP_MOVZX8, dst, m.base, m.disp); break;
	case VM_LDXH: x86_rm(B, 0, X86_OP_MOVZX16, dst, m.base, m.disp); break;
	case VM_LDXW: x86_rm(B, 0, X86_OP_MOV_LOAD, dst, m.base, m.disp); break;
	case VM_LDXDW: x86_rm(B, X86_W, X86_OP_MOV_LOAD, dst, m.base, m.disp); break;
	case VM_LDXSB: x86_rm(B, X86_W, X86_OP_MOVSX8, dst, m.base, m.disp); break;
	case VM_LDXSH: x86_rm(B, X86_W, X86_OP_MOVSX16, dst, m.base, m.disp); break;
	default: x86_rm(B, X86_W, X86_OP_MOVSXD, dst, m.base, m.disp); break;
	}
}

/* ST (immediate) and STX (register). */
static void emit_store(struct jc *jc, size_t pc, const struct vm_insn *in, bool x)
{
	struct maddr m = mem_check(jc, pc, in->dst, in->off, in->size, true, false);

	if (x) {
		store_reg(jc, in->size, reg_map[in->src], m);
	} else if (jc->blind) {
		load_simm(jc, T1, (int32_t)in->imm);
		store_reg(jc, in->size, T1, m);
	} else {
		x86_store_imm(B, in->size, m.base, m.disp, (int32_t)in->imm);
	}
}

/*
 * Atomics. add/or/and/xor without fetch are one locked instruction, fetch-
 * add is lock xadd, xchg is xchg, cmpxchg is lock cmpxchg on rax (= r0).
 * Fetching or/and/xor have no x86 instruction: a cmpxchg loop, with r0
 * saved in run->scratch because cmpxchg needs rax.
 */
static void emit_atomic(struct jc *jc, size_t pc, const struct vm_insn *in)
{
	unsigned size = in->op == VM_ATOMIC64 ? 8 : 4, w = size == 8 ? X86_W : 0;
	unsigned src = reg_map[in->src];
	struct maddr m = mem_check(jc, pc, in->dst, in->off, size, true, true);
	uint32_t opc = X86_OP_OR, opc_load = 0x0b;
	size_t loop;

	switch ((uint32_t)in->imm) {
	case BPFKIT_ADD: x86_rm(B, w | X86_LOCK, X86_OP_ADD, src, m.base, m.disp); return;
	case BPFKIT_OR: x86_rm(B, w | X86_LOCK, X86_OP_OR, src, m.base, m.disp); return;
	case BPFKIT_AND: x86_rm(B, w | X86_LOCK, X86_OP_AND, src, m.base, m.disp); return;
	case BPFKIT_XOR: x86_rm(B, w | X86_LOCK, X86_OP_XOR, src, m.base, m.disp); return;
	case BPFKIT_ADD | BPFKIT_FETCH:
		x86_rm(B, w | X86_LOCK, X86_OP_XADD, src, m.base, m.disp);
		return;
	case BPFKIT_XCHG: x86_rm(B, w, X86_OP_XCHG, src, m.base, m.disp); return;
	case BPFKIT_CMPXCHG:
		x86_rm(B, w | X86_LOCK, X86_OP_CMPXCHG, src, m.base, m.disp);
		if (!w) /* success leaves rax's upper half; r0 gets the zero-extended old value */
			x86_rr(B, 0, X86_OP_MOV, X86_RAX, X86_RAX);
		return;
	case BPFKIT_AND | BPFKIT_FETCH: opc = X86_OP_AND; opc_load = 0x23; break;
	case BPFKIT_XOR | BPFKIT_FETCH: opc = X86_OP_XOR; opc_load = 0x33; break;
	default: break; /* BPFKIT_OR | BPFKIT_FETCH */
	}
	run_store(jc, RUNOFF(scratch), X86_RAX);
	x86_rm(B, w, X86_OP_MOV_LOAD, X86_RAX, m.base, m.disp);
	loop = jc->b.len;
	x86_rr(B, w, X86_OP_MOV, X86_RAX, T1);
	if (src == X86_RAX)
		x86_rm(B, w, opc_load, T1, RUN, RUNOFF(scratch));
	else
		x86_rr(B, w, opc, src, T1);
	x86_rm(B, w | X86_LOCK, X86_OP_CMPXCHG, T1, m.base, m.disp);
	x86_jcc8(B, X86_CC_NE, (int8_t)((int64_t)loop - (int64_t)(jc->b.len + 2)));
	if (src != X86_RAX) {
		x86_rr(B, w, X86_OP_MOV, X86_RAX, src);
		run_load(jc, X86_RAX, RUNOFF(scratch));
	}
}

/* LD_ABS / LD_IND: r0 = big-endian value at input[off]; off < 0 or past
 * the end ends the program with r0 = 0. */
static void emit_ld_pkt(struct jc *jc, size_t pc, const struct vm_insn *in)
{
	unsigned size = in->size;

	if (in->op == VM_LD_IND) {
		x86_rr(B, 0, X86_OP_MOV, reg_map[in->src], T2); /* (u32)src */
		if (jc->blind) {
			load_simm(jc, T1, (int32_t)in->imm);
			x86_rr(B, 0, X86_OP_ADD, T1, T2);
		} else {
			x86_alu_ri(B, 0, X86_EXT_ADD, T2, (int32_t)in->imm);
		}
		x86_rr(B, X86_W, X86_OP_MOVSXD, T2, T2); /* (s32)(src + imm) */
	} else {
		load_simm(jc, T2, (int32_t)in->imm);
	}
	x86_rr(B, X86_W, X86_OP_TEST, T2, T2);
	jump_stub(jc, X86_CC_S, STUB_PKT, pc, jc->after[pc]);
	x86_rm(B, X86_W, X86_OP_LEA, T1, T2, (int32_t)size);
	x86_rm(B, X86_W, X86_OP_CMP_LOAD, T1, RUN, RUNOFF(in_len));
	jump_stub(jc, X86_CC_A, STUB_PKT, pc, jc->after[pc]);
	x86_rm(B, X86_W, 0x03, T2, RUN, RUNOFF(in_base)); /* add r11, [in_base] */
	switch (size) {
	case 1:
		x86_rm(B, 0, X86_OP_MOVZX8, X86_RAX, T2, 0);
		break;
	case 2:
		x86_rm(B, 0, X86_OP_MOVZX16, X86_RAX, T2, 0);
		x86_bswap(B, false, X86_RAX);
		x86_shift_ri(B, 0, X86_EXT_SHR, X86_RAX, 16);
		break;
	case 4:
		x86_rm(B, 0, X86_OP_MOV_LOAD, X86_RAX, T2, 0);
		x86_bswap(B, false, X86_RAX);
		break;
	default:
		x86_rm(B, X86_W, X86_OP_MOV_LOAD, X86_RAX, T2, 0);
		x86_bswap(B, true, X86_RAX);
		break;
	}
}

/* ---- jumps and calls ------------------------------------------------------------------ */

/* Conditional jumps: the 22 conditions of each width in VM_OPS order (K
 * then X), mapped to x86 condition codes. */
static const uint8_t jcc_of[11] = {
	X86_CC_E, X86_CC_NE, X86_CC_A, X86_CC_AE, X86_CC_B, X86_CC_BE, /* eq ne gt ge lt le */
	X86_CC_NE, /* set: test, then nonzero */
	X86_CC_G, X86_CC_GE, X86_CC_L, X86_CC_LE, /* sgt sge slt sle */
};

_Static_assert(VM_JSLE_X == VM_JEQ_K + 21 && VM_JEQ32_K == VM_JEQ_K + 22 &&
		       VM_JSLE32_X == VM_JEQ_K + 43 && VM_JSET_K == VM_JEQ_K + 12,
	       "conditional jumps in VM_OPS order");

static void emit_cond_jump(struct jc *jc, size_t pc, const struct vm_insn *in)
{
	unsigned idx = in->op - VM_JEQ_K, w = idx >= 22 ? 0 : X86_W;
	bool x = idx & 1, test;
	unsigned dst = reg_map[in->dst];
	int32_t imm = (int32_t)in->imm;

	idx = (idx % 22) / 2;
	test = idx == 6;
	if (x) {
		x86_rr(B, w, test ? X86_OP_TEST : X86_OP_CMP, reg_map[in->src], dst);
	} else if (jc->blind) {
		load_simm(jc, T1, imm);
		x86_rr(B, w, test ? X86_OP_TEST : X86_OP_CMP, T1, dst);
	} else if (!imm && test) {
		/* x & 0 is never true: xor sets ZF, so the jne is never taken */
		x86_rr(B, 0, X86_OP_XOR, T1, T1);
	} else if (!imm) {
		/* cmp x, 0 and test x, x set the same flags */
		x86_rr(B, w, X86_OP_TEST, dst, dst);
	} else if (test) {
		x86_rr(B, w, X86_GRP_UNARY, X86_EXT_TEST, dst);
		x86_u32(B, (uint32_t)imm);
	} else {
		x86_alu_ri(B, w, X86_EXT_CMP, dst, imm);
	}
	cond_jump(jc, jcc_of[idx], pc, (uint32_t)in->off);
}

/*
 * A helper call (callx: the helper whose number is in dst, looked up at
 * run time). eBPF passes r1..r5; the C helper takes (ctx, r1..r5), so the
 * arguments shift one ABI register to the right. The interpreter leaves
 * r1..r5 untouched by a call, so those read afterwards are saved and
 * restored. Then the checks the interpreter makes: stopped by the helper,
 * or the unwind helper returning 0.
 */
static void emit_helper_call(struct jc *jc, size_t pc, const struct vm_insn *in, bool callx)
{
	static const uint8_t shifted[5] = { X86_RSI, X86_RDX, X86_RCX, X86_R8, X86_R9 };
	unsigned live = live_after_call(jc, pc), save = callx ? 0x3e : live;
	size_t at, skip;

	if (callx)
		run_store(jc, RUNOFF(callx_val), reg_map[in->dst]);
	for (int r = 1; r <= 5; r++)
		if (save & 1u << r)
			run_store(jc, RUNOFF(args) + 8 * (r - 1), reg_map[r]);
	run_store(jc, RUNOFF(left), LEFT);
	if (callx) {
		x86_rr(B, X86_W, X86_OP_MOV, RUN, X86_RDI);
		call_c(jc, (uint64_t)(uintptr_t)vm_jit_callx_find);
		run_load(jc, LEFT, RUNOFF(left));
		x86_rr(B, X86_W, X86_OP_TEST, X86_RAX, X86_RAX);
		jump_stub(jc, X86_CC_E, STUB_CALLX, pc, jc->after[pc]);
		x86_rr(B, X86_W, X86_OP_MOV, X86_RAX, T2);
		for (int r = 0; r < 5; r++)
			run_load(jc, shifted[r], RUNOFF(args) + 8 * r);
	} else {
		for (int r = 4; r >= 0; r--)
			x86_rr(B, X86_W, X86_OP_MOV, reg_map[r + 1], shifted[r]);
		run_load(jc, T2, RUNOFF(helpers));
		x86_rm(B, X86_W, X86_OP_MOV_LOAD, T2, T2, 0);
		x86_rm(B, X86_W, X86_OP_MOV_LOAD, T2, T2,
		       (int32_t)(in->imm * sizeof(struct vm_helper) + offsetof(struct vm_helper, fn)));
	}
	run_load(jc, X86_RDI, RUNOFF(ctx));
	call_t2(jc);
	run_load(jc, LEFT, RUNOFF(left));
	for (int r = 1; r <= 5; r++)
		if (live & 1u << r)
			run_load(jc, reg_map[r], RUNOFF(args) + 8 * (r - 1));
	/* stopped by the helper? */
	run_load(jc, T1, RUNOFF(ctx));
	x86_rm(B, 0, 0x80, X86_EXT_CMP, T1, (int32_t)offsetof(struct bpfkit_vm_ctx, stopped));
	x86_byte(B, 0);
	jump_stub(jc, X86_CC_NE, STUB_STOP, pc, jc->after[pc]);
	/* the unwind helper returning 0 ends the program */
	if (callx) {
		run_load(jc, T1, RUNOFF(callx_val));
		x86_rm(B, X86_W, X86_OP_CMP_LOAD, T1, RUN, RUNOFF(unwind_id));
	} else {
		x86_alu_mi(B, X86_W, X86_EXT_CMP, RUN, RUNOFF(unwind_id), in->off);
	}
	skip = x86_jcc8(B, X86_CC_NE, 0);
	at = jc->b.len;
	x86_rr(B, X86_W, X86_OP_TEST, X86_RAX, X86_RAX);
	jump_stub(jc, X86_CC_E, STUB_UNWIND, pc, jc->after[pc]);
	x86_patch8(B, skip, (int8_t)(jc->b.len - at));
}

/* A local call: a native call, with r6-r9 and r10 pushed (5 pushes and
 * the return address keep rsp 16-byte aligned) and the next 512-byte
 * frame. The depth check compares r10 with the lowest frame allowed. */
static void emit_local_call(struct jc *jc, size_t pc, const struct vm_insn *in)
{
	static const uint8_t saved[5] = { X86_RBX, X86_R13, X86_R14, X86_R15, X86_RBP };
	uint32_t target = (uint32_t)in->off;

	_Static_assert(VM_JIT_FRAME_BYTES == 8 * (5 + 1), "5 pushes and a return address");
	x86_rm(B, X86_W, X86_OP_CMP_LOAD, X86_RBP, RUN, RUNOFF(depth_lim));
	jump_stub(jc, X86_CC_BE, STUB_DEPTH, pc, jc->after[pc]);
	for (int k = 0; k < 5; k++)
		x86_push(B, saved[k]);
	x86_alu_ri(B, X86_W, X86_EXT_SUB, X86_RBP, BPFKIT_STACK_SIZE);
	x86_call32(B, jc->have_prev ? (int32_t)((int64_t)jc->pstart[target] - (int64_t)(jc->b.len + 5))
				    : 0);
	for (int k = 4; k >= 0; k--)
		x86_pop(B, saved[k]);
}

static void emit_exit(struct jc *jc, size_t pc)
{
	size_t skip, at;

	switch (jc->exit_kind[pc]) {
	case EXIT_MAIN:
		jmp_thunk(jc, jc->t.exit);
		break;
	case EXIT_RET:
		x86_ret(B);
		break;
	default:
		x86_rm(B, X86_W, X86_OP_CMP_LOAD, X86_RBP, RUN, RUNOFF(stack_top));
		skip = x86_jcc8(B, X86_CC_NE, 0);
		at = jc->b.len;
		jmp_thunk(jc, jc->t.exit);
		x86_patch8(B, skip, (int8_t)(jc->b.len - at));
		x86_ret(B);
		break;
	}
}

/* ---- one instruction ----------------------------------------------------------------- */

/* Emit slot @p pc. -EINVAL for a handler the JIT does not know (never
 * reached for a validated program: refusing beats guessing). */
static int emit_insn(struct jc *jc, size_t pc, struct bpfkit_diag *diag)
{
	const struct vm_insn *in = &jc->code[pc];
	unsigned dst = reg_map[in->dst], src = reg_map[in->src];

	/* the block's budget: N instructions paid at its first (only counted
	 * when the budget cannot run out: no branch; not even that with
	 * no_count) */
	if (jc->seg_n[pc] && jc->count) {
		x86_alu_ri(B, X86_W, X86_EXT_SUB, LEFT, (int32_t)jc->seg_n[pc]);
		if (jc->check_budget)
			jump_stub(jc, X86_CC_B, STUB_BUDGET, pc, jc->seg_n[pc]);
	}
	switch (in->op) {
	/* ADD, SUB, OR, AND, XOR: dst op= src|imm; 32-bit forms zero-extend */
	case VM_ADD64_K: case VM_ADD64_X: case VM_ADD32_K: case VM_ADD32_X:
		alu_binary(jc, in, X86_OP_ADD, X86_EXT_ADD);
		break;
	case VM_SUB64_K: case VM_SUB64_X: case VM_SUB32_K: case VM_SUB32_X:
		alu_binary(jc, in, X86_OP_SUB, X86_EXT_SUB);
		break;
	case VM_OR64_K: case VM_OR64_X: case VM_OR32_K: case VM_OR32_X:
		alu_binary(jc, in, X86_OP_OR, X86_EXT_OR);
		break;
	case VM_AND64_K: case VM_AND64_X: case VM_AND32_K: case VM_AND32_X:
		alu_binary(jc, in, X86_OP_AND, X86_EXT_AND);
		break;
	case VM_XOR64_K: case VM_XOR64_X: case VM_XOR32_K: case VM_XOR32_X:
		alu_binary(jc, in, X86_OP_XOR, X86_EXT_XOR);
		break;
	/* MUL: dst *= src|imm, wrapping (imul: the low half is the same signed or not) */
	case VM_MUL64_K: case VM_MUL64_X: case VM_MUL32_K: case VM_MUL32_X:
		alu_mul(jc, in);
		break;
	/* DIV/MOD: unsigned; by zero dst = 0 / dst unchanged (zero-extended if 32-bit) */
	case VM_DIV64_K: case VM_DIV64_X: case VM_DIV32_K: case VM_DIV32_X:
		alu_div(jc, in, false, false);
		break;
	case VM_MOD64_K: case VM_MOD64_X: case VM_MOD32_K: case VM_MOD32_X:
		alu_div(jc, in, false, true);
		break;
	/* SDIV/SMOD: signed, truncating; INT_MIN / -1 = INT_MIN, INT_MIN % -1 = 0 */
	case VM_SDIV64_K: case VM_SDIV64_X: case VM_SDIV32_K: case VM_SDIV32_X:
		alu_div(jc, in, true, false);
		break;
	case VM_SMOD64_K: case VM_SMOD64_X: case VM_SMOD32_K: case VM_SMOD32_X:
		alu_div(jc, in, true, true);
		break;
	/* LSH, RSH, ARSH: amounts masked to the width (x86 masks the same way) */
	case VM_LSH64_K: case VM_LSH64_X: case VM_LSH32_K: case VM_LSH32_X:
		alu_shift(jc, in, X86_EXT_SHL);
		break;
	case VM_RSH64_K: case VM_RSH64_X: case VM_RSH32_K: case VM_RSH32_X:
		alu_shift(jc, in, X86_EXT_SHR);
		break;
	case VM_ARSH64_K: case VM_ARSH64_X: case VM_ARSH32_K: case VM_ARSH32_X:
		alu_shift(jc, in, X86_EXT_SAR);
		break;
	/* MOV: dst = src|imm (64: imm sign-extended; 32: zero-extended) */
	case VM_MOV64_K: case VM_MOV64_X: case VM_MOV32_K: case VM_MOV32_X:
		alu_mov(jc, in);
		break;
	/* NEG: dst = -dst */
	case VM_NEG64: x86_rr(B, X86_W, X86_GRP_UNARY, X86_EXT_NEG, dst); break;
	case VM_NEG32: x86_rr(B, 0, X86_GRP_UNARY, X86_EXT_NEG, dst); break;
	/* MOVSX: sign-extend the low 8/16/32 bits of src (32-bit forms then zero-extend) */
	case VM_MOVSX64_8: x86_rr(B, X86_W | X86_BRM, X86_OP_MOVSX8, dst, src); break;
	case VM_MOVSX64_16: x86_rr(B, X86_W, X86_OP_MOVSX16, dst, src); break;
	case VM_MOVSX64_32: x86_rr(B, X86_W, X86_OP_MOVSXD, dst, src); break;
	case VM_MOVSX32_8: x86_rr(B, X86_BRM, X86_OP_MOVSX8, dst, src); break;
	case VM_MOVSX32_16: x86_rr(B, 0, X86_OP_MOVSX16, dst, src); break;
	/* byte order: le16/le32 truncate, le64 nothing, the swaps bswap (zero-extended) */
	case VM_ZEXT16: x86_rr(B, 0, X86_OP_MOVZX16, dst, dst); break;
	case VM_ZEXT32: x86_rr(B, 0, X86_OP_MOV, dst, dst); break;
	case VM_NOP: break;
	case VM_BSWAP16:
		x86_bswap(B, false, dst);
		x86_shift_ri(B, 0, X86_EXT_SHR, dst, 16);
		break;
	case VM_BSWAP32: x86_bswap(B, false, dst); break;
	case VM_BSWAP64: x86_bswap(B, true, dst); break;
	/* LDDW: dst = imm64 */
	case VM_LDDW: load_imm64(jc, dst, in->imm); break;
	/* LDX/LDXS: dst = *(size *)(src + off), zero/sign-extended; checked */
	case VM_LDXB: case VM_LDXH: case VM_LDXW: case VM_LDXDW:
	case VM_LDXSB: case VM_LDXSH: case VM_LDXSW:
		emit_load(jc, pc, in);
		break;
	/* ST/STX: *(size *)(dst + off) = imm|src; checked */
	case VM_STB: case VM_STH: case VM_STW: case VM_STDW:
		emit_store(jc, pc, in, false);
		break;
	case VM_STXB: case VM_STXH: case VM_STXW: case VM_STXDW:
		emit_store(jc, pc, in, true);
		break;
	/* ATOMIC: read-modify-write of an aligned word; checked */
	case VM_ATOMIC32: case VM_ATOMIC64:
		emit_atomic(jc, pc, in);
		break;
	/* LD_ABS/LD_IND: legacy packet loads, big-endian into r0 */
	case VM_LD_ABS: case VM_LD_IND:
		emit_ld_pkt(jc, pc, in);
		break;
	/* JA: unconditional */
	case VM_JA:
		jump_insn(jc, -1, pc, (uint32_t)in->off);
		break;
	/* calls: helper, helper by register, bpf-to-bpf */
	case VM_CALL_HELPER: emit_helper_call(jc, pc, in, false); break;
	case VM_CALLX: emit_helper_call(jc, pc, in, true); break;
	case VM_CALL_LOCAL: emit_local_call(jc, pc, in); break;
	/* EXIT: end the program, or return to the caller */
	case VM_EXIT: emit_exit(jc, pc); break;
	default:
		if (is_jump(in->op)) {
			emit_cond_jump(jc, pc, in);
			break;
		}
		if (diag) {
			bpfkit_diag__set(diag, 0, "the JIT cannot compile this instruction (handler %u)",
					 in->op);
			diag->insn = (long)pc;
		}
		return -EINVAL;
	}
	return 0;
}

/* ---- stubs ------------------------------------------------------------------------ */

static void emit_stub(struct jc *jc, const struct jstub *s)
{
	int32_t lim_off = RUNOFF(in_lim) + 8 * (int32_t)log2_size(s->size);

	switch (s->kind) {
	case STUB_BUDGET:
		x86_alu_ri(B, X86_W, X86_EXT_ADD, LEFT, (int32_t)s->n);
		x86_mov_imm(B, false, T1, s->pc);
		jmp_thunk(jc, jc->t.handover);
		return;
	case STUB_MEM:
		/* the fault path and mem.c want the address in r11 */
		if (s->base != T2)
			x86_rm(B, X86_W, X86_OP_LEA, T2, s->base, s->off);
		x86_rr(B, X86_W, X86_OP_MOV, T2, T1);
		if (s->flags & STUB_THEN_INPUT) {
			x86_rm(B, X86_W, X86_OP_SUB_LOAD, T1, RUN, RUNOFF(in_base));
			x86_rm(B, X86_W, X86_OP_CMP_LOAD, T1, RUN, lim_off);
			x86_jcc32(B, X86_CC_B, (int32_t)((int64_t)s->back - (int64_t)(jc->b.len + 6)));
		} else {
			x86_rm(B, X86_W, X86_OP_SUB_LOAD, T1, RUN, RUNOFF(stack_base));
			x86_alu_ri(B, X86_W, X86_EXT_CMP, T1, (int32_t)(VM_STACK_TOTAL - s->size));
			x86_jcc32(B, X86_CC_BE, (int32_t)((int64_t)s->back - (int64_t)(jc->b.len + 6)));
		}
		/* the grant the last slow check found (a map's values) */
		x86_rr(B, X86_W, X86_OP_MOV, T2, T1);
		x86_rm(B, X86_W, X86_OP_SUB_LOAD, T1, RUN, RUNOFF(g_base));
		x86_rm(B, X86_W, X86_OP_CMP_LOAD, T1, RUN,
		       ((s->flags & STUB_WRITE) ? RUNOFF(g_wlim) : RUNOFF(g_lim)) +
			       8 * (int32_t)log2_size(s->size));
		x86_jcc32(B, X86_CC_B, (int32_t)((int64_t)s->back - (int64_t)(jc->b.len + 6)));
		x86_mov_imm(B, false, T1, s->size | (s->flags & STUB_WRITE) << 8);
		call_thunk(jc, jc->t.mem);
		x86_rr(B, 0, X86_OP_TEST, T1, T1);
		x86_jcc32(B, X86_CC_E, (int32_t)((int64_t)s->back - (int64_t)(jc->b.len + 6)));
		/* fall through */
	case STUB_ALIGN:
	case STUB_DEPTH:
	case STUB_CALLX:
		x86_mov_imm(B, false, T1, s->pc);
		if (s->n)
			x86_alu_ri(B, X86_W, X86_EXT_ADD, LEFT, (int32_t)s->n);
		jmp_thunk(jc, s->kind == STUB_DEPTH ? jc->t.depth
			  : s->kind == STUB_CALLX   ? jc->t.callx
						    : jc->t.fault);
		return;
	case STUB_STOP:
		run_load(jc, T1, RUNOFF(ctx));
		x86_rm(B, X86_W, X86_OP_MOV_LOAD, X86_RAX, T1,
		       (int32_t)offsetof(struct bpfkit_vm_ctx, stop_r0));
		break;
	case STUB_EDGE:
		x86_alu_ri(B, X86_W, X86_EXT_ADD, LEFT, (int32_t)s->n);
		x86_jmp32(B, (int32_t)((int64_t)jc->start[s->back] - (int64_t)(jc->b.len + 5)));
		return;
	default: /* STUB_UNWIND, STUB_PKT: r0 = 0 */
		x86_rr(B, 0, X86_OP_XOR, X86_RAX, X86_RAX);
		break;
	}
	if (s->n)
		x86_alu_ri(B, X86_W, X86_EXT_ADD, LEFT, (int32_t)s->n);
	jmp_thunk(jc, jc->t.exit);
}

/* ---- passes ------------------------------------------------------------------------- */

/* One emission of the whole image into jc->b. */
static int emit_pass(struct jc *jc, struct bpfkit_diag *diag)
{
	int err;

	jc->b.len = 0;
	jc->nstubs = 0;
	jc->rng = jc->seed;
	emit_thunks(jc);
	jc->entry_off = jc->b.len;
	emit_prologue(jc);
	for (size_t i = 0; i < jc->len; i++) {
		jc->start[i] = (uint32_t)jc->b.len;
		if (!(jc->flags[i] & SLOT_HI) && (err = emit_insn(jc, i, diag)))
			return err;
		jc->end[i] = (uint32_t)jc->b.len;
		if (jc->b.len > MAX_CODE) {
			bpfkit_diag__set(diag, 0, "native code would exceed %u MiB", MAX_CODE >> 20);
			if (diag)
				diag->insn = (long)i;
			return -EINVAL;
		}
	}
	jc->start[jc->len] = jc->end[jc->len] = (uint32_t)jc->b.len;
	jc->stubs_off = jc->b.len;
	if (jc->nstubs > jc->stub_at_cap) {
		uint32_t *a = realloc(jc->stub_at, jc->nstubs * sizeof(*a));
		uint32_t *p = a ? realloc(jc->pstub_at, jc->nstubs * sizeof(*p)) : NULL;
		if (a)
			jc->stub_at = a;
		if (!a || !p)
			return -ENOMEM;
		jc->pstub_at = p;
		if (!jc->have_prev)
			memset(jc->pstub_at, 0, jc->nstubs * sizeof(*p));
		jc->stub_at_cap = jc->nstubs;
	}
	for (size_t s = 0; s < jc->nstubs; s++) {
		jc->stub_at[s] = (uint32_t)jc->b.len;
		emit_stub(jc, &jc->stubs[s]);
	}
	if (jc->b.len > MAX_CODE) {
		bpfkit_diag__set(diag, 0, "native code would exceed %u MiB", MAX_CODE >> 20);
		return -EINVAL;
	}
	return jc->b.oom ? -ENOMEM : 0;
}

static void swap_u32p(uint32_t **a, uint32_t **b)
{
	uint32_t *t = *a;
	*a = *b;
	*b = t;
}

/*
 * Compile: analyse, then emit until a pass reproduces the previous pass's
 * layout (every instruction and stub at the same offset), which makes that
 * pass's relative offsets exact.
 */
int vm_jit_x86_emit(const struct bpfkit_vm *vm, const struct bpfkit_jit_opts *opts,
		    bool check_budget, struct vm_jit_out *out, struct bpfkit_diag *diag)
{
	struct jc jc = { .vm = vm, .code = vm->code, .len = vm->len, .check_budget = check_budget };
	size_t n = vm->len + 1;
	int err = -ENOMEM, pass;

	jc.blind = opts && opts->blind;
	jc.retpoline = opts && opts->retpoline;
	jc.count = check_budget || !(opts && opts->no_count);
	if (jc.blind && getrandom(&jc.seed, sizeof(jc.seed), 0) != sizeof(jc.seed))
		jc.seed = (uint64_t)(uintptr_t)&jc ^ 0x9e3779b97f4a7c15ull;
	jc.seed |= 1; /* xorshift must not start at 0 */
	jc.start = calloc(n, sizeof(uint32_t));
	jc.end = calloc(n, sizeof(uint32_t));
	jc.pstart = calloc(n, sizeof(uint32_t));
	jc.pend = calloc(n, sizeof(uint32_t));
	jc.seg_n = calloc(n, sizeof(uint32_t));
	jc.after = calloc(n, sizeof(uint32_t));
	jc.flags = calloc(n, 1);
	jc.exit_kind = calloc(n, 1);
	if (!jc.start || !jc.end || !jc.pstart || !jc.pend || !jc.seg_n || !jc.after || !jc.flags ||
	    !jc.exit_kind)
		goto out;
	analyse(&jc);
	for (pass = 0; pass < MAX_PASSES; pass++) {
		err = emit_pass(&jc, diag);
		if (err)
			goto out;
		if (jc.have_prev && !memcmp(jc.start, jc.pstart, n * sizeof(uint32_t)) &&
		    (!jc.nstubs || !memcmp(jc.stub_at, jc.pstub_at, jc.nstubs * sizeof(uint32_t))))
			break;
		swap_u32p(&jc.start, &jc.pstart);
		swap_u32p(&jc.end, &jc.pend);
		swap_u32p(&jc.stub_at, &jc.pstub_at);
		jc.have_prev = true;
	}
	if (pass == MAX_PASSES) {
		err = bpfkit_diag__set(diag, -EINVAL, "jump layout did not settle in %d passes",
				       MAX_PASSES);
		goto out;
	}
	memcpy(out->insn_off, jc.start, n * sizeof(uint32_t));
	out->entry_off = jc.entry_off;
	out->stubs_off = jc.stubs_off;
	out->code = jc.b;
	jc.b = (struct x86_buf){ 0 };
	err = 0;
out:
	if (err == -ENOMEM)
		bpfkit_diag__set(diag, err, "out of memory while compiling");
	x86_buf_free(&jc.b);
	free(jc.start);
	free(jc.end);
	free(jc.pstart);
	free(jc.pend);
	free(jc.seg_n);
	free(jc.after);
	free(jc.flags);
	free(jc.exit_kind);
	free(jc.stubs);
	free(jc.stub_at);
	free(jc.pstub_at);
	return err;
}
