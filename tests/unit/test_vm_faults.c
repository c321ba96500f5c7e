// SPDX-License-Identifier: MIT
/*
 * Everything that stops a program: each run-time fault class with its kind,
 * errno, instruction index and message, and each load-time validation error
 * with the index it names. A VM without a verifier is only as safe as these
 * checks, so each one is exercised here.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vm_test.h"

/* Run a program that must load and then fault. */
#define FAULT_MEM(mem, len, ...)                                                                   \
	({                                                                                         \
		const struct bpfkit_insn p_[] = { __VA_ARGS__ };                                   \
		struct vm_result r_ = vm_try_new(p_, NINSNS(p_), mem, len);                        \
		assert_int_equal(r_.load_err, 0);                                                  \
		assert_int_not_equal(r_.run_err, 0);                                               \
		r_;                                                                                \
	})
#define FAULT(...) FAULT_MEM(NULL, 0, __VA_ARGS__)

/* Load a program that must be refused. */
#define REJECT(...)                                                                                \
	({                                                                                         \
		const struct bpfkit_insn p_[] = { __VA_ARGS__ };                                   \
		struct vm_result r_ = vm_try_new(p_, NINSNS(p_), NULL, 0);                         \
		assert_int_equal(r_.load_err, -EINVAL);                                            \
		r_;                                                                                \
	})

static void assert_msg(const struct vm_result *r, long insn, const char *part)
{
	if (!strstr(r->diag.msg, part) || r->diag.insn != insn)
		print_error("insn %ld: '%s' (want insn %ld, '%s')\n", r->diag.insn, r->diag.msg, insn,
			    part);
	assert_int_equal(r->diag.insn, insn);
	assert_non_null(strstr(r->diag.msg, part));
}

static void test_out_of_bounds_load(void **state)
{
	uint8_t mem[8] = { 0 };
	struct vm_result r;
	char want[64];

	(void)state;
	r = FAULT_MEM(mem, sizeof(mem), MOV64_IMM(R0, 0), LDX_MEM(BPFKIT_DW, R0, R1, 8), EXIT());
	assert_int_equal(r.run_err, -EFAULT);
	assert_int_equal(r.fault, BPFKIT_FAULT_LOAD);
	snprintf(want, sizeof(want), "out-of-bounds load of 8 bytes at 0x%llx (r1+8)",
		 (unsigned long long)(uintptr_t)(mem + 8));
	assert_msg(&r, 1, want);
	assert_non_null(strstr(r.diag.msg, "0 bytes past the end of the input (8 bytes)"));
	/* one byte too far, straddling the end */
	r = FAULT_MEM(mem, sizeof(mem), LDX_MEM(BPFKIT_W, R0, R1, 5), EXIT());
	assert_msg(&r, 0, "out-of-bounds load of 4 bytes");
	assert_non_null(strstr(r.diag.msg, "(r1+5); the access runs 1 byte past the end of the input (8 bytes)"));
	r = FAULT(ST_MEM(BPFKIT_B, R10, 3, 1), EXIT());
	assert_msg(&r, 0, "out-of-bounds store of 1 byte at");
	assert_non_null(strstr(r.diag.msg, "(r10+3); 3 bytes above the top of the stack"));
	/* before the start */
	r = FAULT_MEM(mem, sizeof(mem), LDX_MEM(BPFKIT_B, R0, R1, -1), EXIT());
	assert_msg(&r, 0, "(r1-1)");
	assert_non_null(strstr(r.diag.msg, "1 byte before the start of the input"));
	/* no input at all: r1 is 0 */
	r = FAULT(LDX_MEM(BPFKIT_B, R0, R1, 0), EXIT());
	assert_msg(&r, 0, "out-of-bounds load of 1 byte at 0x0 (r1)");
	/* above the top of the stack */
	r = FAULT(LDX_MEM(BPFKIT_DW, R0, R10, -4), EXIT());
	assert_msg(&r, 0, "(r10-4); the access runs past the top of the stack");
	assert_int_equal(r.fault, BPFKIT_FAULT_LOAD);
	/* the instruction count includes the faulting instruction */
	assert_int_equal(r.insns, 1);
}

static void test_out_of_bounds_store(void **state)
{
	uint8_t mem[8] = { 0 };
	struct vm_result r;

	(void)state;
	r = FAULT_MEM(mem, sizeof(mem), MOV64_IMM(R0, 1), STX_MEM(BPFKIT_W, R1, R0, 6), EXIT());
	assert_int_equal(r.run_err, -EFAULT);
	assert_int_equal(r.fault, BPFKIT_FAULT_STORE);
	assert_msg(&r, 1, "out-of-bounds store of 4 bytes at 0x");
	assert_non_null(strstr(r.diag.msg, "(r1+6)"));
	assert_int_equal(mem[6], 0);
	/* below the 8 frames of stack */
	r = FAULT(ST_MEM(BPFKIT_DW, R10, -(BPFKIT_MAX_FRAMES * BPFKIT_STACK_SIZE) - 8, 1), EXIT());
	assert_msg(&r, 0, "out-of-bounds store of 8 bytes");
	assert_non_null(strstr(r.diag.msg, "8 bytes below the stack (8 frames of 512 bytes)"));
	/* the whole stack region is usable: the bottom of the last frame */
	r = vm_try_new((const struct bpfkit_insn[]){ ST_MEM(BPFKIT_DW, R10, -4096, 5),
						      LDX_MEM(BPFKIT_DW, R0, R10, -4096), EXIT() },
		       3, NULL, 0);
	assert_int_equal(r.run_err, 0);
	assert_int_equal(r.r0, 5);
}

static void test_wrap_around(void **state)
{
	struct bpfkit_vm *vm = bpfkit_vm__new();
	struct vm_result r;

	(void)state;
	/* [addr, addr + 8) wraps past 2^64: never inside a region */
	r = FAULT(LD_IMM64(R1, 0xfffffffffffffffcull), LDX_MEM(BPFKIT_DW, R0, R1, 0), EXIT());
	assert_int_equal(r.fault, BPFKIT_FAULT_LOAD);
	assert_msg(&r, 2, "at 0xfffffffffffffffc (r1)");
	/* a huge offset from a valid base wraps back below it */
	r = FAULT(MOV64_REG(R1, R10), LD_IMM64(R2, 0xfffffffffffffff8ull), ALU64_REG(BPFKIT_ADD, R1, R2),
		  ALU64_IMM(BPFKIT_ADD, R1, -4096), STX_MEM(BPFKIT_DW, R1, R1, 0), EXIT());
	assert_int_equal(r.fault, BPFKIT_FAULT_STORE);
	/* helpers see the same check */
	assert_non_null(vm);
	assert_false(bpfkit_vm_ctx__check(NULL, 0, 1, false));
	bpfkit_vm__free(vm);
}

static uint8_t ro_buf[16] __attribute__((aligned(8))) = { 1, 2,  3,  4,  5,  6,  7,  8,
							  9, 10, 11, 12, 13, 14, 15, 16 };
static uint64_t grant_checks;

static uint64_t h_grant_ro(struct bpfkit_vm_ctx *ctx, uint64_t a, uint64_t b, uint64_t c,
			   uint64_t d, uint64_t e)
{
	(void)a, (void)b, (void)c, (void)d, (void)e;
	if (bpfkit_vm_ctx__grant(ctx, ro_buf, sizeof(ro_buf), false))
		return 0;
	/* the helper's view of the grant: readable, not writable, bounded */
	grant_checks = bpfkit_vm_ctx__check(ctx, (uintptr_t)ro_buf, 16, false) |
		       bpfkit_vm_ctx__check(ctx, (uintptr_t)ro_buf, 16, true) << 1 |
		       bpfkit_vm_ctx__check(ctx, (uintptr_t)ro_buf + 1, 16, false) << 2 |
		       bpfkit_vm_ctx__check(ctx, UINT64_MAX - 3, 8, false) << 3 |
		       bpfkit_vm_ctx__check(ctx, (uintptr_t)ro_buf, 0, true) << 4;
	return (uint64_t)(uintptr_t)ro_buf;
}

static uint64_t h_grant_many(struct bpfkit_vm_ctx *ctx, uint64_t a, uint64_t b, uint64_t c,
			     uint64_t d, uint64_t e)
{
	static uint8_t blocks[100][4];
	int err = 0, n = 0;

	(void)a, (void)b, (void)c, (void)d, (void)e;
	while (n < 100 && !(err = bpfkit_vm_ctx__grant(ctx, blocks[n], 4, true)))
		n++;
	if (bpfkit_vm_ctx__grant(ctx, (void *)(uintptr_t)(UINT64_MAX - 2), 8, true) != -EINVAL)
		return 0;
	return err == -ENOSPC ? (uint64_t)n : 0;
}

static void test_read_only_grant(void **state)
{
	struct bpfkit_vm *vm = bpfkit_vm__new();
	struct vm_result r;

	(void)state;
	assert_non_null(vm);
	assert_int_equal(bpfkit_vm__register_helper(vm, 50, "ro", h_grant_ro), 0);
	assert_int_equal(bpfkit_vm__register_helper(vm, 51, "many", h_grant_many), 0);
	{
		/* loads from the grant work; stores fault as read-only */
		const struct bpfkit_insn p[] = {
			CALL_HELPER(50), LDX_MEM(BPFKIT_B, R1, R0, 15), ST_MEM(BPFKIT_B, R0, 0, 9), EXIT(),
		};
		r = vm_try(vm, p, NINSNS(p), NULL, 0);
		assert_int_equal(r.run_err, -EFAULT);
		assert_int_equal(r.fault, BPFKIT_FAULT_STORE);
		assert_msg(&r, 2, "store of 1 byte to read-only memory at 0x");
		assert_int_equal(ro_buf[0], 1);
		assert_int_equal(grant_checks, 0x1 | 0x10);
	}
	{
		/* atomics need write access too */
		const struct bpfkit_insn p[] = {
			CALL_HELPER(50), MOV64_IMM(R1, 1), ATOMIC(BPFKIT_W, BPFKIT_ADD, R0, R1, 4), EXIT(),
		};
		r = vm_try(vm, p, NINSNS(p), NULL, 0);
		assert_int_equal(r.fault, BPFKIT_FAULT_STORE);
		assert_msg(&r, 2, "atomic access of 4 bytes to read-only memory");
	}
	{
		/* grants do not outlive their run */
		const struct bpfkit_insn p[] = { LD_IMM64(R1, (uintptr_t)ro_buf), LDX_MEM(BPFKIT_B, R0, R1, 0),
						 EXIT() };
		r = vm_try(vm, p, NINSNS(p), NULL, 0);
		assert_int_equal(r.fault, BPFKIT_FAULT_LOAD);
	}
	{
		/* the region table is bounded */
		const struct bpfkit_insn p[] = { CALL_HELPER(51), EXIT() };
		r = vm_try(vm, p, NINSNS(p), NULL, 0);
		assert_int_equal(r.run_err, 0);
		assert_true(r.r0 > 16 && r.r0 < 100);
	}
	bpfkit_vm__free(vm);
}

static void test_atomic_faults(void **state)
{
	uint8_t mem[16] __attribute__((aligned(8))) = { 0 };
	struct vm_result r;

	(void)state;
	r = FAULT_MEM(mem, sizeof(mem), MOV64_IMM(R2, 1), ATOMIC(BPFKIT_DW, BPFKIT_ADD, R1, R2, 16), EXIT());
	assert_int_equal(r.run_err, -EFAULT);
	assert_int_equal(r.fault, BPFKIT_FAULT_STORE);
	assert_msg(&r, 1, "out-of-bounds atomic access of 8 bytes");
	assert_non_null(strstr(r.diag.msg, "(r1+16)"));
	/* misaligned atomics fault even inside memory (the kernel refuses them) */
	r = FAULT_MEM(mem, sizeof(mem), MOV64_IMM(R2, 1), ATOMIC(BPFKIT_DW, BPFKIT_XCHG, R1, R2, 4), EXIT());
	assert_msg(&r, 1, "misaligned atomic access of 8 bytes");
	assert_non_null(strstr(r.diag.msg, "8-byte alignment"));
	r = FAULT(MOV64_IMM(R2, 1), ATOMIC(BPFKIT_W, BPFKIT_CMPXCHG, R10, R2, -6), EXIT());
	assert_msg(&r, 1, "misaligned atomic access of 4 bytes");
	/* an aligned 32-bit atomic at offset 4 is fine */
	r = vm_try_new((const struct bpfkit_insn[]){ MOV64_IMM(R2, 1),
						      ATOMIC(BPFKIT_W, BPFKIT_ADD, R1, R2, 4), EXIT() },
		       3, mem, sizeof(mem));
	assert_int_equal(r.run_err, 0);
	assert_int_equal(mem[4], 1);
}

static void test_call_depth(void **state)
{
	struct vm_result r;

	(void)state;
	/* f(n) recursing n + 1 deep: f(7) needs 9 frames, one too many */
	r = FAULT(MOV64_IMM(R1, 7), CALL_LOCAL(1), EXIT(),
		  JMP_IMM(BPFKIT_JNE, R1, 0, 2), MOV64_IMM(R0, 0), EXIT(),
		  MOV64_REG(R6, R1), ALU64_IMM(BPFKIT_SUB, R1, 1), CALL_LOCAL(-6),
		  ALU64_REG(BPFKIT_ADD, R0, R6), EXIT());
	assert_int_equal(r.run_err, -ELOOP);
	assert_int_equal(r.fault, BPFKIT_FAULT_CALL_DEPTH);
	assert_msg(&r, 8, "call depth exceeds 8 frames");
	/* unbounded self-recursion is the same fault, not a crash */
	r = FAULT(CALL_LOCAL(-1), EXIT());
	assert_int_equal(r.fault, BPFKIT_FAULT_CALL_DEPTH);
}

static void test_budget(void **state)
{
	const struct bpfkit_insn p[] = { MOV64_IMM(R0, 0), ALU64_IMM(BPFKIT_ADD, R0, 1), JA(-2), EXIT() };
	struct bpfkit_vm *vm = bpfkit_vm__new();
	struct vm_result r;

	(void)state;
	assert_non_null(vm);
	bpfkit_vm__set_budget(vm, 1001);
	r = vm_try(vm, p, NINSNS(p), NULL, 0);
	assert_int_equal(r.run_err, -E2BIG);
	assert_int_equal(r.fault, BPFKIT_FAULT_BUDGET);
	/* 1 + 500 * 2 = 1001 executed; the next is slot 1 */
	assert_msg(&r, 1, "instruction budget of 1001 exhausted");
	assert_int_equal(r.insns, 1001);
	bpfkit_vm__free(vm);
}

static void test_callx_bad_target(void **state)
{
	struct vm_result r;

	(void)state;
	r = FAULT(MOV64_IMM(R3, 99), CALLX(R3), EXIT());
	assert_int_equal(r.run_err, -ENOSYS);
	assert_int_equal(r.fault, BPFKIT_FAULT_CALLX);
	assert_msg(&r, 1, "callx through r3 = 0x63: no helper with that number");
	/* a value that only matches in its low 32 bits is not a helper number */
	r = FAULT(LD_IMM64(R3, 0x100000005ull), CALLX(R3), EXIT());
	assert_int_equal(r.fault, BPFKIT_FAULT_CALLX);
}

static void test_no_program(void **state)
{
	struct bpfkit_vm *vm = bpfkit_vm__new();
	struct bpfkit_diag d;
	enum bpfkit_fault f;
	uint64_t r0;

	(void)state;
	assert_non_null(vm);
	assert_int_equal(bpfkit_vm__run(vm, NULL, 0, &r0, &f, &d), -EINVAL);
	assert_int_equal(f, BPFKIT_FAULT_NO_PROGRAM);
	assert_string_equal(d.msg, "no program loaded");
	assert_int_equal(bpfkit_vm__run(NULL, NULL, 0, &r0, &f, NULL), -EINVAL);
	bpfkit_vm__free(vm);
}

static void test_reject_decoding(void **state)
{
	struct vm_result r;
	struct bpfkit_diag d;
	struct bpfkit_vm *vm = bpfkit_vm__new();

	(void)state;
	assert_int_equal(bpfkit_vm__load(vm, NULL, 0, &d), -EINVAL);
	assert_string_equal(d.msg, "program is empty");
	bpfkit_vm__free(vm);

	r = REJECT(MOV64_IMM(R0, 0), INSN(0xe7, 0, 0, 0, 0), EXIT());
	assert_msg(&r, 1, "unknown opcode 0xe7");
	r = REJECT(MOV64_IMM(R0, 0), INSN(0x3f, 0, 1, 2, 0), EXIT());
	assert_msg(&r, 1, "invalid off 2 for opcode 0x3f");
	r = REJECT(INSN(0xd4, 0, 0, 0, 8), EXIT());
	assert_msg(&r, 0, "invalid imm 8 for opcode 0xd4");
	r = REJECT(MOV64_IMM(R0, 0), INSN(0xdb, 0, 1, 0, 0x20), EXIT());
	assert_msg(&r, 1, "invalid imm 32 for opcode 0xdb");
	/* field checks come from the opcode table */
	r = REJECT(INSN(BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_K, 0, 1, 0, 1), EXIT());
	assert_msg(&r, 0, "reserved src field is 1");
	r = REJECT(MOV64_IMM(R0, 0), MOV64_REG(R0, 11), EXIT());
	assert_msg(&r, 1, "invalid source register r11");
	r = REJECT(MOV64_IMM(R0, 0), EXIT(), INSN(BPFKIT_OP_EXIT, 0, 0, 0, 1));
	assert_msg(&r, 2, "reserved imm field");
}

static void test_reject_lddw(void **state)
{
	struct vm_result r;

	(void)state;
	r = REJECT(MOV64_IMM(R0, 0), EXIT(), INSN(BPFKIT_OP_LDDW, 0, 0, 0, 1));
	assert_msg(&r, 2, "lddw is missing its second slot");
	r = REJECT(INSN(BPFKIT_OP_LDDW, 0, 0, 0, 1), INSN(0, 1, 0, 0, 0), EXIT());
	assert_msg(&r, 1, "second slot of lddw must be zero except imm");
	r = REJECT(INSN(BPFKIT_OP_LDDW, 0, 0, 0, 1), INSN(0, 0, 0, 3, 0), EXIT());
	assert_msg(&r, 1, "second slot of lddw");
	r = REJECT(INSN(BPFKIT_OP_LDDW, 1, BPFKIT_PSEUDO_MAP_FD, 0, 3), INSN(0, 0, 0, 0, 0), EXIT());
	assert_msg(&r, 0, "lddw with map fd 3: no map with that fd is bound to the VM (0 are)");
	/* a stray second half (code 0) where an instruction should be */
	r = REJECT(INSN(0, 0, 0, 0, 0), EXIT());
	assert_msg(&r, 0, "unknown opcode 0x00 (the second slot of an lddw");
}

static void test_reject_targets(void **state)
{
	struct vm_result r;

	(void)state;
	r = REJECT(JA(1), EXIT());
	assert_msg(&r, 0, "jump target 2 is outside the program (0..1)");
	r = REJECT(MOV64_IMM(R0, 0), JMP_IMM(BPFKIT_JEQ, R0, 0, -3), EXIT());
	assert_msg(&r, 1, "jump target -1 is outside the program");
	r = REJECT(JA32(INT32_MAX), EXIT());
	assert_msg(&r, 0, "jump target 2147483648 is outside the program");
	r = REJECT(JA(1), LD_IMM64(R0, 1), EXIT());
	assert_msg(&r, 0, "jump target 2 is the second half of an lddw");
	r = REJECT(CALL_LOCAL(5), EXIT());
	assert_msg(&r, 0, "call target 6 is outside the program");
	r = REJECT(CALL_LOCAL(2), EXIT(), LD_IMM64(R0, 1), EXIT());
	assert_msg(&r, 0, "call target 3 is the second half of an lddw");
	/* jumps stay inside their function */
	r = REJECT(CALL_LOCAL(1), JA(1), EXIT(), MOV64_IMM(R0, 0), EXIT());
	assert_msg(&r, 1, "jump target 3 is in another function");
}

static void test_reject_r10_writes(void **state)
{
	struct vm_result r;

	(void)state;
	r = REJECT(MOV64_IMM(R10, 0), EXIT());
	assert_msg(&r, 0, "writes r10, the read-only frame pointer");
	r = REJECT(MOV64_IMM(R0, 0), ALU32_IMM(BPFKIT_ADD, R10, 8), EXIT());
	assert_msg(&r, 1, "add32 writes r10");
	r = REJECT(NEG64(R10), EXIT());
	assert_msg(&r, 0, "neg writes r10");
	r = REJECT(BE(R10, 16), EXIT());
	assert_msg(&r, 0, "writes r10");
	r = REJECT(LDX_MEM(BPFKIT_DW, R10, R10, -8), EXIT());
	assert_msg(&r, 0, "ldxdw writes r10");
	r = REJECT(LD_IMM64(R10, 0), EXIT());
	assert_msg(&r, 0, "lddw writes r10");
	r = REJECT(ATOMIC(BPFKIT_DW, BPFKIT_ADD | BPFKIT_FETCH, R1, R10, 0), EXIT());
	assert_msg(&r, 0, "writes r10");
	/* reading r10, storing through it and atomics without fetch are fine */
	r = vm_try_new((const struct bpfkit_insn[]){ MOV64_REG(R1, R10), STX_MEM(BPFKIT_DW, R10, R10, -8),
						      ATOMIC(BPFKIT_DW, BPFKIT_ADD, R10, R10, -8),
						      MOV64_IMM(R0, 0), EXIT() },
		       5, NULL, 0);
	assert_int_equal(r.load_err, 0);
	assert_int_equal(r.run_err, 0);
}

static void test_reject_flow(void **state)
{
	struct vm_result r;

	(void)state;
	r = REJECT(MOV64_IMM(R0, 0));
	assert_msg(&r, 0, "the program can run past its last instruction");
	r = REJECT(MOV64_IMM(R0, 0), JMP_IMM(BPFKIT_JEQ, R0, 0, -2));
	assert_msg(&r, 1, "can run past its last instruction");
	r = REJECT(MOV64_IMM(R0, 0), EXIT(), LD_IMM64(R0, 1));
	assert_msg(&r, 2, "can run past its last instruction");
	/* every function, not just the last, must end in exit or ja */
	r = REJECT(CALL_LOCAL(2), EXIT(), EXIT(), MOV64_IMM(R0, 1), CALL_LOCAL(-3), MOV64_IMM(R0, 2));
	assert_msg(&r, 5, "can run past its last instruction");
	r = REJECT(CALL_LOCAL(1), MOV64_IMM(R0, 1), MOV64_IMM(R0, 2), EXIT());
	assert_msg(&r, 1, "the function can run past its last instruction");
	/* a function may end in ja */
	r = vm_try_new((const struct bpfkit_insn[]){ MOV64_IMM(R0, 0), JA(1), EXIT(), JA(-2) }, 4, NULL, 0);
	assert_int_equal(r.load_err, 0);
	assert_int_equal(r.run_err, 0);
}

static void test_reject_calls(void **state)
{
	struct vm_result r;
	struct bpfkit_vm *vm = bpfkit_vm__new();
	const struct bpfkit_insn p[] = { CALL_HELPER(5), EXIT() };
	struct bpfkit_diag d;

	(void)state;
	r = REJECT(MOV64_IMM(R0, 0), CALL_HELPER(999), EXIT());
	assert_msg(&r, 1, "call to unknown helper 999");
	/* a kernel helper the VM does not register is named */
	r = REJECT(MOV64_IMM(R0, 0), CALL_HELPER(99), EXIT());
	assert_msg(&r, 1, "helper bpf_skc_lookup_tcp (99) is not implemented by the VM");
	r = REJECT(CALL_HELPER(-1), EXIT());
	assert_msg(&r, 0, "call to unknown helper -1");
	r = REJECT(INSN(BPFKIT_OP_CALL, 0, BPFKIT_CALL_KFUNC, 0, 1234), EXIT());
	assert_msg(&r, 0, "kfunc calls are not supported by the VM");
	r = REJECT(INSN(BPFKIT_OP_CALL, 0, 3, 0, 1), EXIT());
	assert_msg(&r, 0, "unknown call kind");
	/* a VM without helpers knows none */
	assert_non_null(vm);
	assert_int_equal(bpfkit_vm__load(vm, p, NINSNS(p), &d), -EINVAL);
	assert_int_equal(d.insn, 0);
	bpfkit_vm__free(vm);
}

static void test_reject_too_long(void **state)
{
	size_t n = 1000001;
	struct bpfkit_insn *p = calloc(n, sizeof(*p));
	struct bpfkit_vm *vm = bpfkit_vm__new();
	struct bpfkit_diag d;

	(void)state;
	assert_non_null(p);
	for (size_t i = 0; i < n; i++)
		p[i] = EXIT();
	assert_int_equal(bpfkit_vm__load(vm, p, n, &d), -EINVAL);
	assert_non_null(strstr(d.msg, "too long: 1000001 slots"));
	/* the limit itself is fine */
	assert_int_equal(bpfkit_vm__load(vm, p, n - 1, &d), 0);
	free(p);
	bpfkit_vm__free(vm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_out_of_bounds_load),
		cmocka_unit_test(test_out_of_bounds_store),
		cmocka_unit_test(test_wrap_around),
		cmocka_unit_test(test_read_only_grant),
		cmocka_unit_test(test_atomic_faults),
		cmocka_unit_test(test_call_depth),
		cmocka_unit_test(test_budget),
		cmocka_unit_test(test_callx_bad_target),
		cmocka_unit_test(test_no_program),
		cmocka_unit_test(test_reject_decoding),
		cmocka_unit_test(test_reject_lddw),
		cmocka_unit_test(test_reject_targets),
		cmocka_unit_test(test_reject_r10_writes),
		cmocka_unit_test(test_reject_flow),
		cmocka_unit_test(test_reject_calls),
		cmocka_unit_test(test_reject_too_long),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
