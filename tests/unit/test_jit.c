// SPDX-License-Identifier: MIT
/*
 * The x86-64 JIT. Two kinds of tests:
 *   - known answers for each encoding edge (sign extension of imm32,
 *     shifts by cl, division special cases, 32-bit zero extension,
 *     r10-relative and large offsets, atomics, byte swaps, faults);
 *   - register matrices: every ALU, memory and jump operation of the
 *     opcode table with every register in every operand position, run in
 *     the interpreter and as native code, comparing every register and the
 *     memory touched. That is where x86's irregular encodings (r12/rsp need
 *     a SIB byte, rbp/r13 as a base need a displacement, cl is r4's
 *     register, rax/rdx are r0/r3 and also div's operands) would show.
 * Every run goes through both engines; results must agree exactly (r0,
 * error, fault kind, instruction, message, instruction count, memory).
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "vm_test.h"

#define MAX_MEM 65536

struct both {
	struct vm_result interp, jit;
	uint8_t mem[MAX_MEM]; /* the memory after the JIT's run */
};

static struct both *both_buf;
static uint8_t *mem_copy;

/* Load @p insns into @p vm, run it in the interpreter, compile, run it
 * again on the same input natively; assert both runs agree in everything
 * observable. The results are in both_buf. */
static struct both *run_vm(struct bpfkit_vm *vm, const struct bpfkit_insn *insns, size_t n,
			   const void *mem, size_t mem_len, const struct bpfkit_jit_opts *opts)
{
	struct both *b = both_buf;
	struct bpfkit_diag d;
	uint8_t *m = mem_len ? b->mem : NULL;
	int err;

	assert_true(mem_len <= MAX_MEM);
	memset(&b->interp, 0, sizeof(b->interp));
	memset(&b->jit, 0, sizeof(b->jit));
	if (mem_len)
		memcpy(m, mem, mem_len);
	b->interp = vm_try(vm, insns, n, m, mem_len);
	if (b->interp.load_err)
		return b;
	memcpy(mem_copy, b->mem, mem_len);
	if (mem_len)
		memcpy(m, mem, mem_len);
	err = bpfkit_vm__jit_compile(vm, opts, &d);
	if (err)
		print_error("jit: insn %ld: %s\n", d.insn, d.msg);
	assert_int_equal(err, 0);
	b->jit.run_err = bpfkit_vm__run(vm, m, mem_len, &b->jit.r0, &b->jit.fault, &b->jit.diag);
	b->jit.insns = bpfkit_vm__insn_count(vm);
	if (b->interp.run_err != b->jit.run_err || b->interp.fault != b->jit.fault ||
	    b->interp.diag.insn != b->jit.diag.insn || strcmp(b->interp.diag.msg, b->jit.diag.msg) ||
	    (!b->interp.run_err && b->interp.r0 != b->jit.r0) || b->interp.insns != b->jit.insns)
		print_error("interp: err %d insn %ld r0 0x%llx insns %llu: %s\n"
			    "jit:    err %d insn %ld r0 0x%llx insns %llu: %s\n",
			    b->interp.run_err, b->interp.diag.insn, (unsigned long long)b->interp.r0,
			    (unsigned long long)b->interp.insns, b->interp.diag.msg, b->jit.run_err,
			    b->jit.diag.insn, (unsigned long long)b->jit.r0,
			    (unsigned long long)b->jit.insns, b->jit.diag.msg);
	assert_int_equal(b->interp.run_err, b->jit.run_err);
	assert_int_equal(b->interp.fault, b->jit.fault);
	assert_int_equal(b->interp.diag.insn, b->jit.diag.insn);
	assert_string_equal(b->interp.diag.msg, b->jit.diag.msg);
	if (!b->interp.run_err)
		assert_int_equal(b->interp.r0, b->jit.r0);
	assert_int_equal(b->interp.insns, b->jit.insns);
	assert_memory_equal(mem_copy, b->mem, mem_len ? mem_len : 1);
	return b;
}

static struct both *run_both_opts(const struct bpfkit_insn *insns, size_t n, const void *mem,
				  size_t mem_len, uint64_t budget,
				  const struct bpfkit_jit_opts *opts)
{
	struct bpfkit_vm *vm = bpfkit_vm__new();
	struct both *b;

	assert_non_null(vm);
	bpfkit_vm__register_test_helpers(vm);
	bpfkit_vm__set_budget(vm, budget);
	b = run_vm(vm, insns, n, mem, mem_len, opts);
	bpfkit_vm__free(vm);
	return b;
}

static struct both *run_both(const struct bpfkit_insn *insns, size_t n, const void *mem,
			     size_t mem_len)
{
	return run_both_opts(insns, n, mem, mem_len, 1000000, NULL);
}

/* r0 of a program that must run cleanly in both engines. */
#define JIT_MEM(mem, len, ...)                                                                     \
	({                                                                                         \
		const struct bpfkit_insn p_[] = { __VA_ARGS__ };                                   \
		struct both *b_ = run_both(p_, NINSNS(p_), mem, len);                              \
		if (b_->jit.load_err || b_->jit.run_err)                                           \
			print_error("%s:%d: load %d run %d insn %ld: %s\n", __FILE__, __LINE__,    \
				    b_->interp.load_err, b_->jit.run_err, b_->jit.diag.insn,       \
				    b_->jit.diag.msg);                                             \
		assert_int_equal(b_->interp.load_err, 0);                                          \
		assert_int_equal(b_->jit.run_err, 0);                                              \
		b_->jit.r0;                                                                        \
	})
#define JIT(...) JIT_MEM(NULL, 0, __VA_ARGS__)
/* A program that must fault, the same way in both. */
#define JIT_FAULT_MEM(mem, len, ...)                                                               \
	({                                                                                         \
		const struct bpfkit_insn p_[] = { __VA_ARGS__ };                                   \
		struct both *b_ = run_both(p_, NINSNS(p_), mem, len);                              \
		assert_int_equal(b_->interp.load_err, 0);                                          \
		assert_int_not_equal(b_->jit.run_err, 0);                                          \
		b_->jit;                                                                           \
	})
#define JIT_FAULT(...) JIT_FAULT_MEM(NULL, 0, __VA_ARGS__)

/* ---- known answers -------------------------------------------------------------- */

static void test_imm32_sign_extension(void **state)
{
	(void)state;
	assert_int_equal(JIT(MOV64_IMM(R0, -1), EXIT()), UINT64_MAX);
	assert_int_equal(JIT(MOV32_IMM(R0, -1), EXIT()), 0xffffffffull);
	assert_int_equal(JIT(MOV64_IMM(R0, INT32_MIN), EXIT()), 0xffffffff80000000ull);
	assert_int_equal(JIT(MOV64_IMM(R0, 0x7fffffff), EXIT()), 0x7fffffffull);
	/* add/and/or/xor/cmp with imm sign-extended to 64 bits */
	assert_int_equal(JIT(MOV64_IMM(R0, 5), ALU64_IMM(BPFKIT_ADD, R0, -6), EXIT()), UINT64_MAX);
	assert_int_equal(JIT(LD_IMM64(R0, 0x123456789abcdef0ull), ALU64_IMM(BPFKIT_AND, R0, -16), EXIT()),
			 0x123456789abcdef0ull);
	assert_int_equal(JIT(LD_IMM64(R0, 0x123456789abcdef0ull), ALU64_IMM(BPFKIT_AND, R0, 0x7fffffff),
			     EXIT()),
			 0x1abcdef0ull);
	assert_int_equal(JIT(MOV64_IMM(R0, 0), ALU64_IMM(BPFKIT_XOR, R0, -128), EXIT()),
			 (uint64_t)-128);
	assert_int_equal(JIT(MOV64_IMM(R0, 3), ALU64_IMM(BPFKIT_MUL, R0, -1000000), EXIT()),
			 (uint64_t)-3000000);
	/* 32-bit: the imm's low half only, then zero extension */
	assert_int_equal(JIT(MOV64_IMM(R0, -1), ALU32_IMM(BPFKIT_ADD, R0, 1), EXIT()), 0);
	/* jumps compare with the sign-extended imm: -1 is UINT64_MAX unsigned */
	assert_int_equal(JIT(MOV64_IMM(R0, -1), JMP_IMM(BPFKIT_JEQ, R0, -1, 1), MOV64_IMM(R0, 7), EXIT()),
			 UINT64_MAX);
	assert_int_equal(JIT(MOV32_IMM(R0, -1), JMP_IMM(BPFKIT_JEQ, R0, -1, 1), MOV64_IMM(R0, 7), EXIT()),
			 7);
	assert_int_equal(JIT(MOV32_IMM(R0, -1), JMP32_IMM(BPFKIT_JEQ, R0, -1, 1), MOV64_IMM(R0, 7),
			     EXIT()),
			 0xffffffffull);
	assert_int_equal(JIT(MOV64_IMM(R0, 1), JMP_IMM(BPFKIT_JSET, R0, 0, 1), MOV64_IMM(R0, 9), EXIT()),
			 9);
	/* lddw: values that fit 32 bits zero- or sign-extended, and not */
	assert_int_equal(JIT(LD_IMM64(R0, 0xffffffffull), EXIT()), 0xffffffffull);
	assert_int_equal(JIT(LD_IMM64(R0, 0xffffffff80000000ull), EXIT()), 0xffffffff80000000ull);
	assert_int_equal(JIT(LD_IMM64(R0, 0x8000000000000000ull), EXIT()), 0x8000000000000000ull);
	/* stdw stores the sign-extended imm */
	assert_int_equal(JIT(ST_MEM(BPFKIT_DW, R10, -8, -2), LDX_MEM(BPFKIT_DW, R0, R10, -8), EXIT()),
			 (uint64_t)-2);
}

static void test_shifts_by_cl(void **state)
{
	(void)state;
	/* r4 is rcx: source, destination, both, neither */
	assert_int_equal(JIT(MOV64_IMM(R1, 1), MOV64_IMM(R4, 40), ALU64_REG(BPFKIT_LSH, R1, R4),
			     MOV64_REG(R0, R1), EXIT()),
			 1ull << 40);
	assert_int_equal(JIT(MOV64_IMM(R4, 3), MOV64_IMM(R1, 5), ALU64_REG(BPFKIT_LSH, R4, R1), MOV64_REG(R0, R4),
			     EXIT()),
			 96);
	assert_int_equal(JIT(MOV64_IMM(R4, 3), ALU64_REG(BPFKIT_LSH, R4, R4), MOV64_REG(R0, R4), EXIT()), 24);
	assert_int_equal(JIT(MOV64_IMM(R4, 7), MOV64_IMM(R2, 1), MOV64_IMM(R3, 4), ALU64_REG(BPFKIT_LSH, R2, R3),
			     ALU64_REG(BPFKIT_ADD, R2, R4), MOV64_REG(R0, R2), EXIT()),
			 23); /* r4 intact after shifting r2 */
	/* amounts are masked: 64 -> 0, 65 -> 1; 32-bit: 33 -> 1 */
	assert_int_equal(JIT(MOV64_IMM(R0, 6), MOV64_IMM(R4, 65), ALU64_REG(BPFKIT_RSH, R0, R4), EXIT()), 3);
	assert_int_equal(JIT(MOV64_IMM(R0, 6), MOV64_IMM(R4, 64), ALU64_REG(BPFKIT_RSH, R0, R4), EXIT()), 6);
	assert_int_equal(JIT(MOV64_IMM(R0, 6), MOV64_IMM(R4, 33), ALU32_REG(BPFKIT_LSH, R0, R4), EXIT()), 12);
	/* arsh by register, dst is rcx */
	assert_int_equal(JIT(MOV64_IMM(R4, -64), MOV64_IMM(R1, 4), ALU64_REG(BPFKIT_ARSH, R4, R1),
			     MOV64_REG(R0, R4), EXIT()),
			 (uint64_t)-4);
	assert_int_equal(JIT(MOV64_IMM(R4, -64), MOV64_IMM(R1, 4), ALU32_REG(BPFKIT_ARSH, R4, R1),
			     MOV64_REG(R0, R4), EXIT()),
			 0xfffffffcull);
	/* 32-bit shift by 0 (register and constant) still clears the upper half */
	assert_int_equal(JIT(MOV64_IMM(R0, -1), MOV64_IMM(R4, 0), ALU32_REG(BPFKIT_LSH, R0, R4), EXIT()),
			 0xffffffffull);
	assert_int_equal(JIT(MOV64_IMM(R0, -1), MOV64_IMM(R1, 32), ALU32_REG(BPFKIT_RSH, R0, R1), EXIT()),
			 0xffffffffull);
	assert_int_equal(JIT(MOV64_IMM(R0, -1), ALU32_IMM(BPFKIT_ARSH, R0, 0), EXIT()), 0xffffffffull);
}

static void test_div_mod_by_zero(void **state)
{
	(void)state;
	/* by a zero register and by a zero constant, 64 and 32 bits */
	assert_int_equal(JIT(MOV64_IMM(R0, 7), MOV64_IMM(R1, 0), ALU64_REG(BPFKIT_DIV, R0, R1), EXIT()), 0);
	assert_int_equal(JIT(MOV64_IMM(R0, 7), ALU64_IMM(BPFKIT_DIV, R0, 0), EXIT()), 0);
	assert_int_equal(JIT(MOV64_IMM(R0, -7), MOV64_IMM(R1, 0), ALU64_REG(BPFKIT_MOD, R0, R1), EXIT()),
			 (uint64_t)-7);
	assert_int_equal(JIT(MOV64_IMM(R0, -7), ALU64_IMM(BPFKIT_MOD, R0, 0), EXIT()), (uint64_t)-7);
	/* mod32 by zero keeps the low half, zero-extended */
	assert_int_equal(JIT(MOV64_IMM(R0, -7), MOV64_IMM(R1, 0), ALU32_REG(BPFKIT_MOD, R0, R1), EXIT()),
			 0xfffffff9ull);
	assert_int_equal(JIT(MOV64_IMM(R0, -7), ALU32_IMM(BPFKIT_MOD, R0, 0), EXIT()), 0xfffffff9ull);
	/* a divisor whose low half is zero is zero for the 32-bit forms */
	assert_int_equal(JIT(MOV64_IMM(R0, 9), LD_IMM64(R1, 0x100000000ull), ALU32_REG(BPFKIT_DIV, R0, R1),
			     EXIT()),
			 0);
	assert_int_equal(JIT(MOV64_IMM(R0, 9), LD_IMM64(R1, 0x100000000ull), ALU64_REG(BPFKIT_DIV, R0, R1),
			     EXIT()),
			 0);
	/* signed forms */
	assert_int_equal(JIT(MOV64_IMM(R0, 7), MOV64_IMM(R1, 0), ALU64_REG_OFF(BPFKIT_DIV, R0, R1, 1), EXIT()), 0);
	assert_int_equal(JIT(MOV64_IMM(R0, -7), MOV64_IMM(R1, 0), ALU64_REG_OFF(BPFKIT_MOD, R0, R1, 1), EXIT()),
			 (uint64_t)-7);
	assert_int_equal(JIT(MOV64_IMM(R0, -7), ALU32_IMM_OFF(BPFKIT_MOD, R0, 0, 1), EXIT()), 0xfffffff9ull);
	/* r0 and r3 are div's own registers: each as dividend, divisor, bystander */
	assert_int_equal(JIT(MOV64_IMM(R3, 100), MOV64_IMM(R0, 7), ALU64_REG(BPFKIT_DIV, R3, R0),
			     ALU64_IMM(BPFKIT_LSH, R0, 8), ALU64_REG(BPFKIT_ADD, R0, R3), EXIT()),
			 (7 << 8) + 14);
	assert_int_equal(JIT(MOV64_IMM(R0, 100), MOV64_IMM(R3, 7), ALU64_REG(BPFKIT_MOD, R0, R3),
			     ALU64_IMM(BPFKIT_LSH, R3, 8), ALU64_REG(BPFKIT_ADD, R0, R3), EXIT()),
			 (7 << 8) + 2);
	assert_int_equal(JIT(MOV64_IMM(R0, 5), MOV64_IMM(R3, 9), MOV64_IMM(R6, 100), MOV64_IMM(R7, 6),
			     ALU64_REG(BPFKIT_DIV, R6, R7), ALU64_IMM(BPFKIT_MUL, R0, 1000),
			     ALU64_IMM(BPFKIT_MUL, R3, 100), ALU64_REG(BPFKIT_ADD, R0, R3),
			     ALU64_REG(BPFKIT_ADD, R0, R6), EXIT()),
			 5000 + 900 + 16);
	assert_int_equal(JIT(MOV64_IMM(R0, 100), ALU64_REG(BPFKIT_DIV, R0, R0), EXIT()), 1);
	assert_int_equal(JIT(MOV64_IMM(R3, 100), ALU64_REG(BPFKIT_MOD, R3, R3), MOV64_REG(R0, R3), EXIT()), 0);
}

static void test_sdiv_smod_overflow(void **state)
{
	(void)state;
	assert_int_equal(JIT(LD_IMM64(R0, 0x8000000000000000ull), MOV64_IMM(R1, -1),
			     ALU64_REG_OFF(BPFKIT_DIV, R0, R1, 1), EXIT()),
			 0x8000000000000000ull);
	assert_int_equal(JIT(LD_IMM64(R0, 0x8000000000000000ull), ALU64_IMM_OFF(BPFKIT_DIV, R0, -1, 1), EXIT()),
			 0x8000000000000000ull);
	assert_int_equal(JIT(LD_IMM64(R0, 0x8000000000000000ull), MOV64_IMM(R1, -1),
			     ALU64_REG_OFF(BPFKIT_MOD, R0, R1, 1), EXIT()),
			 0);
	assert_int_equal(JIT(MOV32_IMM(R0, INT32_MIN), MOV64_IMM(R1, -1), ALU32_REG_OFF(BPFKIT_DIV, R0, R1, 1),
			     EXIT()),
			 0x80000000ull);
	assert_int_equal(JIT(MOV32_IMM(R0, INT32_MIN), ALU32_IMM_OFF(BPFKIT_MOD, R0, -1, 1), EXIT()), 0);
	/* signed truncation toward zero; the remainder takes the dividend's sign */
	assert_int_equal(JIT(MOV64_IMM(R0, -7), MOV64_IMM(R1, 2), ALU64_REG_OFF(BPFKIT_DIV, R0, R1, 1), EXIT()),
			 (uint64_t)-3);
	assert_int_equal(JIT(MOV64_IMM(R0, -7), ALU64_IMM_OFF(BPFKIT_MOD, R0, 2, 1), EXIT()), (uint64_t)-1);
	assert_int_equal(JIT(MOV64_IMM(R0, 7), ALU32_IMM_OFF(BPFKIT_MOD, R0, -2, 1), EXIT()), 1);
	/* 32-bit low-half -1 divisor of a 64-bit register value */
	assert_int_equal(JIT(MOV32_IMM(R0, 10), LD_IMM64(R1, 0x00000005ffffffffull),
			     ALU32_REG_OFF(BPFKIT_DIV, R0, R1, 1), EXIT()),
			 (uint32_t)-10);
}

static void test_zero_extension(void **state)
{
	(void)state;
	assert_int_equal(JIT(MOV64_IMM(R0, -1), MOV32_REG(R0, R0), EXIT()), 0xffffffffull);
	assert_int_equal(JIT(MOV64_IMM(R1, -1), MOV32_REG(R0, R1), EXIT()), 0xffffffffull);
	assert_int_equal(JIT(MOV64_IMM(R0, -1), ALU32_IMM(BPFKIT_OR, R0, 0), EXIT()), 0xffffffffull);
	assert_int_equal(JIT(MOV64_IMM(R0, -1), ALU32_IMM(BPFKIT_MUL, R0, 1), EXIT()), 0xffffffffull);
	assert_int_equal(JIT(MOV64_IMM(R0, -1), NEG32(R0), EXIT()), 1);
	assert_int_equal(JIT(MOV64_IMM(R0, -1), LE(R0, 32), EXIT()), 0xffffffffull);
	assert_int_equal(JIT(MOV64_IMM(R0, -1), LE(R0, 16), EXIT()), 0xffffull);
	assert_int_equal(JIT(MOV64_IMM(R1, -1), MOVSX32(R0, R1, 8), EXIT()), 0xffffffffull);
	assert_int_equal(JIT(MOV64_IMM(R1, 0x80), MOVSX64(R0, R1, 8), EXIT()), (uint64_t)-128);
	assert_int_equal(JIT(LD_IMM64(R1, 0x180000000ull), MOVSX64(R0, R1, 32), EXIT()), 0xffffffff80000000ull);
	assert_int_equal(JIT(MOV64_IMM(R0, -1), MOV64_IMM(R1, 3), ALU32_REG(BPFKIT_DIV, R0, R1), EXIT()),
			 0x55555555ull);
	/* ldxw zero-extends, ldxsw sign-extends */
	assert_int_equal(JIT(ST_MEM(BPFKIT_W, R10, -4, -1), MOV64_IMM(R0, -1), LDX_MEM(BPFKIT_W, R0, R10, -4),
			     EXIT()),
			 0xffffffffull);
	assert_int_equal(JIT(ST_MEM(BPFKIT_W, R10, -4, -1), LDX_MEMSX(BPFKIT_W, R0, R10, -4), EXIT()), UINT64_MAX);
}

static void test_r10_and_large_offsets(void **state)
{
	static uint8_t big[MAX_MEM];
	struct vm_result f;

	(void)state;
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7);
	/* the whole frame: r10-512 .. r10-1, checked at compile time */
	assert_int_equal(JIT(ST_MEM(BPFKIT_DW, R10, -512, 11), ST_MEM(BPFKIT_B, R10, -1, 22),
			     LDX_MEM(BPFKIT_DW, R0, R10, -512), LDX_MEM(BPFKIT_B, R1, R10, -1),
			     ALU64_REG(BPFKIT_ADD, R0, R1), EXIT()),
			 33);
	/* below the frame: still the stack at depth 0 (frames below are unused) */
	assert_int_equal(JIT(ST_MEM(BPFKIT_DW, R10, -4096, 5), LDX_MEM(BPFKIT_DW, R0, R10, -4096), EXIT()), 5);
	f = JIT_FAULT(ST_MEM(BPFKIT_DW, R10, -4097, 5), EXIT());
	assert_int_equal(f.fault, BPFKIT_FAULT_STORE);
	f = JIT_FAULT(MOV64_IMM(R0, 0), LDX_MEM(BPFKIT_DW, R0, R10, -7), EXIT());
	assert_int_equal(f.fault, BPFKIT_FAULT_LOAD);
	assert_int_equal(f.diag.insn, 1);
	/* a pointer into the stack in another register */
	assert_int_equal(JIT(MOV64_REG(R6, R10), ALU64_IMM(BPFKIT_ADD, R6, -300), ST_MEM(BPFKIT_H, R6, 10, 0x1234),
			     LDX_MEM(BPFKIT_H, R0, R10, -290), EXIT()),
			 0x1234);
	/* offsets at the edges of the 16-bit field */
	assert_int_equal(JIT_MEM(big, sizeof(big), LDX_MEM(BPFKIT_B, R0, R1, 32767), EXIT()), (uint8_t)(32767 * 7));
	assert_int_equal(JIT_MEM(big, sizeof(big), MOV64_REG(R2, R1), ALU64_IMM(BPFKIT_ADD, R2, 40000),
				 LDX_MEM(BPFKIT_H, R0, R2, -32768), EXIT()),
			 (uint16_t)((7232 * 7 & 0xff) | ((7233 * 7 & 0xff) << 8)));
	assert_int_equal(JIT_MEM(big, sizeof(big), ST_MEM(BPFKIT_W, R1, 32000, 0x55aa), LDX_MEM(BPFKIT_W, R0, R1, 32000),
				 EXIT()),
			 0x55aa);
	f = JIT_FAULT_MEM(big, 100, LDX_MEM(BPFKIT_B, R0, R1, 32767), EXIT());
	assert_int_equal(f.fault, BPFKIT_FAULT_LOAD);
	f = JIT_FAULT_MEM(big, 100, LDX_MEM(BPFKIT_B, R0, R1, -32768), EXIT());
	assert_int_equal(f.fault, BPFKIT_FAULT_LOAD);
	/* the last byte of the input, and one past it */
	assert_int_equal(JIT_MEM(big, 100, LDX_MEM(BPFKIT_W, R0, R1, 96), EXIT()),
			 (uint32_t)(96 * 7 & 0xff) | (97 * 7 & 0xff) << 8 | (98 * 7 & 0xff) << 16 |
				 (uint32_t)(99 * 7 & 0xff) << 24);
	f = JIT_FAULT_MEM(big, 100, LDX_MEM(BPFKIT_W, R0, R1, 97), EXIT());
	assert_non_null(strstr(f.diag.msg, "runs 1 byte past the end of the input (100 bytes)"));
}

static void test_atomics(void **state)
{
	uint64_t m[2] = { 10, 0 };

	(void)state;
	assert_int_equal(JIT_MEM(m, sizeof(m), MOV64_IMM(R2, 5), ATOMIC(BPFKIT_DW, BPFKIT_ADD, R1, R2, 0),
				 LDX_MEM(BPFKIT_DW, R0, R1, 0), EXIT()),
			 15);
	assert_int_equal(JIT_MEM(m, sizeof(m), MOV64_IMM(R2, 5),
				 ATOMIC(BPFKIT_DW, BPFKIT_ADD | BPFKIT_FETCH, R1, R2, 0), MOV64_REG(R0, R2), EXIT()),
			 10);
	assert_int_equal(JIT_MEM(m, sizeof(m), MOV64_IMM(R2, 6),
				 ATOMIC(BPFKIT_DW, BPFKIT_OR | BPFKIT_FETCH, R1, R2, 0), LDX_MEM(BPFKIT_DW, R3, R1, 0),
				 ALU64_IMM(BPFKIT_LSH, R3, 8), ALU64_REG(BPFKIT_OR, R2, R3), MOV64_REG(R0, R2), EXIT()),
			 (14 << 8) | 10);
	assert_int_equal(JIT_MEM(m, sizeof(m), MOV64_IMM(R2, 6),
				 ATOMIC(BPFKIT_DW, BPFKIT_AND | BPFKIT_FETCH, R1, R2, 0), LDX_MEM(BPFKIT_DW, R0, R1, 0),
				 EXIT()),
			 2);
	assert_int_equal(JIT_MEM(m, sizeof(m), MOV64_IMM(R2, 6),
				 ATOMIC(BPFKIT_DW, BPFKIT_XOR | BPFKIT_FETCH, R1, R2, 0), LDX_MEM(BPFKIT_DW, R0, R1, 0),
				 ALU64_IMM(BPFKIT_LSH, R0, 8), ALU64_REG(BPFKIT_OR, R0, R2), EXIT()),
			 (12 << 8) | 10);
	/* fetch-or with r0 itself as the operand (the cmpxchg loop needs rax) */
	assert_int_equal(JIT_MEM(m, sizeof(m), MOV64_IMM(R0, 5), ATOMIC(BPFKIT_DW, BPFKIT_OR | BPFKIT_FETCH, R1, R0, 0),
				 LDX_MEM(BPFKIT_DW, R2, R1, 0), ALU64_IMM(BPFKIT_LSH, R2, 8), ALU64_REG(BPFKIT_OR, R0, R2),
				 EXIT()),
			 (15 << 8) | 10);
	assert_int_equal(JIT_MEM(m, sizeof(m), MOV64_IMM(R2, 99), ATOMIC(BPFKIT_DW, BPFKIT_XCHG, R1, R2, 0),
				 LDX_MEM(BPFKIT_DW, R0, R1, 0), ALU64_IMM(BPFKIT_LSH, R0, 8), ALU64_REG(BPFKIT_OR, R0, R2),
				 EXIT()),
			 (99 << 8) | 10);
	/* cmpxchg: equal stores, r0 = old either way */
	assert_int_equal(JIT_MEM(m, sizeof(m), MOV64_IMM(R0, 10), MOV64_IMM(R2, 42),
				 ATOMIC(BPFKIT_DW, BPFKIT_CMPXCHG, R1, R2, 0), LDX_MEM(BPFKIT_DW, R3, R1, 0),
				 ALU64_IMM(BPFKIT_LSH, R3, 8), ALU64_REG(BPFKIT_OR, R0, R3), EXIT()),
			 (42 << 8) | 10);
	assert_int_equal(JIT_MEM(m, sizeof(m), MOV64_IMM(R0, 11), MOV64_IMM(R2, 42),
				 ATOMIC(BPFKIT_DW, BPFKIT_CMPXCHG, R1, R2, 0), LDX_MEM(BPFKIT_DW, R3, R1, 0),
				 ALU64_IMM(BPFKIT_LSH, R3, 8), ALU64_REG(BPFKIT_OR, R0, R3), EXIT()),
			 (10 << 8) | 10);
	/* 32-bit cmpxchg success: r0 is the zero-extended old value */
	assert_int_equal(JIT_MEM(m, sizeof(m), LD_IMM64(R0, 0xffffffff0000000aull), MOV64_IMM(R2, 42),
				 ATOMIC(BPFKIT_W, BPFKIT_CMPXCHG, R1, R2, 0), EXIT()),
			 10);
	assert_int_equal(JIT_MEM(m, sizeof(m), MOV64_IMM(R2, -1), ATOMIC(BPFKIT_W, BPFKIT_ADD | BPFKIT_FETCH, R1, R2, 4),
				 MOV64_REG(R0, R2), EXIT()),
			 0);
	/* stack atomics through r10 */
	assert_int_equal(JIT(ST_MEM(BPFKIT_DW, R10, -16, 3), MOV64_IMM(R2, 4),
			     ATOMIC(BPFKIT_DW, BPFKIT_ADD, R10, R2, -16), LDX_MEM(BPFKIT_DW, R0, R10, -16), EXIT()),
			 7);
	/* misaligned: same fault, same message */
	{
		struct vm_result f = JIT_FAULT_MEM(m, sizeof(m), MOV64_IMM(R2, 1),
						   ATOMIC(BPFKIT_DW, BPFKIT_ADD, R1, R2, 4), EXIT());
		assert_int_equal(f.fault, BPFKIT_FAULT_STORE);
		assert_int_equal(f.diag.insn, 1);
		assert_non_null(strstr(f.diag.msg, "misaligned atomic access of 8 bytes"));
		f = JIT_FAULT(MOV64_IMM(R2, 1), ATOMIC(BPFKIT_W, BPFKIT_ADD, R10, R2, -6), EXIT());
		assert_non_null(strstr(f.diag.msg, "misaligned atomic access of 4 bytes"));
	}
}

static void test_bswap(void **state)
{
	(void)state;
	assert_int_equal(JIT(LD_IMM64(R0, 0x0102030405060708ull), BE(R0, 16), EXIT()), 0x0807);
	assert_int_equal(JIT(LD_IMM64(R0, 0x0102030405060708ull), BE(R0, 32), EXIT()), 0x08070605);
	assert_int_equal(JIT(LD_IMM64(R0, 0x0102030405060708ull), BE(R0, 64), EXIT()), 0x0807060504030201ull);
	assert_int_equal(JIT(LD_IMM64(R0, 0x0102030405060708ull), LE(R0, 64), EXIT()), 0x0102030405060708ull);
	assert_int_equal(JIT(LD_IMM64(R0, 0x0102030405060708ull), BSWAP(R0, 16), EXIT()), 0x0807);
	assert_int_equal(JIT(LD_IMM64(R0, 0x0102030405060708ull), BSWAP(R0, 32), EXIT()), 0x08070605);
	assert_int_equal(JIT(LD_IMM64(R7, 0x0102030405060708ull), BSWAP(R7, 64), MOV64_REG(R0, R7), EXIT()),
			 0x0807060504030201ull);
	/* registers 8..15 and the legacy byte-register ones */
	assert_int_equal(JIT(LD_IMM64(R9, 0xaabbccddull), BE(R9, 16), MOV64_REG(R0, R9), EXIT()), 0xddcc);
	assert_int_equal(JIT(LD_IMM64(R2, 0xaabbccddull), BE(R2, 32), MOV64_REG(R0, R2), EXIT()), 0xddccbbaa);
}

/* LD_ABS/LD_IND: big-endian, out of bounds ends with r0 = 0 */
static void test_packet_loads(void **state)
{
	uint8_t pkt[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

	(void)state;
	assert_int_equal(JIT_MEM(pkt, sizeof(pkt), LD_ABS(BPFKIT_H, 2), EXIT()), 0x0304);
	assert_int_equal(JIT_MEM(pkt, sizeof(pkt), LD_ABS(BPFKIT_W, 4), EXIT()), 0x05060708);
	assert_int_equal(JIT_MEM(pkt, sizeof(pkt), LD_ABS(BPFKIT_B, 7), EXIT()), 8);
	assert_int_equal(JIT_MEM(pkt, sizeof(pkt), LD_ABS(BPFKIT_W, 5), MOV64_IMM(R0, 9), EXIT()), 0);
	assert_int_equal(JIT_MEM(pkt, sizeof(pkt), MOV64_IMM(R3, 3), LD_IND(BPFKIT_H, R3, -1), EXIT()), 0x0304);
	assert_int_equal(JIT_MEM(pkt, sizeof(pkt), MOV64_IMM(R3, 3), LD_IND(BPFKIT_B, R3, -4), MOV64_IMM(R0, 9),
				 EXIT()),
			 0);
	/* (s32)(src + imm) wraps in 32 bits */
	assert_int_equal(JIT_MEM(pkt, sizeof(pkt), LD_IMM64(R3, 0x100000002ull), LD_IND(BPFKIT_B, R3, 0), EXIT()), 3);
}

/* Faults stop at the same instruction with the same message and count,
 * in the middle of a segment too. */
static void test_fault_index(void **state)
{
	uint8_t mem[16] = { 0 };
	struct vm_result f;

	(void)state;
	f = JIT_FAULT_MEM(mem, sizeof(mem), MOV64_IMM(R0, 1), MOV64_IMM(R2, 2), LDX_MEM(BPFKIT_DW, R3, R1, 12),
			  MOV64_IMM(R4, 3), EXIT());
	assert_int_equal(f.fault, BPFKIT_FAULT_LOAD);
	assert_int_equal(f.diag.insn, 2);
	assert_int_equal(f.insns, 3);
	f = JIT_FAULT_MEM(mem, sizeof(mem), MOV64_IMM(R0, 1), STX_MEM(BPFKIT_B, R1, R0, 16), EXIT());
	assert_int_equal(f.fault, BPFKIT_FAULT_STORE);
	assert_int_equal(f.diag.insn, 1);
	/* in a loop, after some iterations */
	f = JIT_FAULT_MEM(mem, sizeof(mem), MOV64_IMM(R2, 0), MOV64_REG(R3, R1), ALU64_REG(BPFKIT_ADD, R3, R2),
			  ST_MEM(BPFKIT_B, R3, 0, 7), ALU64_IMM(BPFKIT_ADD, R2, 1), JA(-5), EXIT());
	assert_int_equal(f.diag.insn, 3);
	assert_int_equal(f.insns, 2 + 16 * 5 + 2);
	/* no input at all */
	f = JIT_FAULT(LDX_MEM(BPFKIT_B, R0, R1, 0), EXIT());
	assert_string_equal(f.diag.msg, "out-of-bounds load of 1 byte at 0x0 (r1)");
}

/* Infinite loops end on the budget at the interpreter's instruction, with
 * its count, whatever the budget and the segment lengths. */
static void test_budget(void **state)
{
	const struct bpfkit_insn loop[] = {
		MOV64_IMM(R0, 0), ALU64_IMM(BPFKIT_ADD, R0, 1), ALU64_IMM(BPFKIT_ADD, R0, 1),
		ALU64_IMM(BPFKIT_ADD, R0, 1), JA(-4),
	};
	const struct bpfkit_insn done[] = {
		MOV64_IMM(R0, 0), ALU64_IMM(BPFKIT_ADD, R0, 1), JMP_IMM(BPFKIT_JLT, R0, 10, -2), EXIT(),
	};

	(void)state;
	for (uint64_t budget = 1; budget < 40; budget++) {
		struct both *b = run_both_opts(loop, NINSNS(loop), NULL, 0, budget, NULL);
		assert_int_equal(b->jit.run_err, -E2BIG);
		assert_int_equal(b->jit.fault, BPFKIT_FAULT_BUDGET);
		assert_int_equal(b->jit.insns, budget);
		assert_int_equal(b->jit.diag.insn, (long)(1 + (budget - 1) % 4));
		/* finishing exactly on the budget is not a fault */
		b = run_both_opts(done, NINSNS(done), NULL, 0, budget, NULL);
		assert_int_equal(b->jit.run_err, budget >= 22 ? 0 : -E2BIG);
	}
}

/* Code compiled without budget checks (no budget) gets them when a budget
 * is set later, and loses them again; the count stays exact either way. */
static void test_budget_set_after_compile(void **state)
{
	const struct bpfkit_insn loop[] = { MOV64_IMM(R0, 0), ALU64_IMM(BPFKIT_ADD, R0, 1), JA(-2) };
	const struct bpfkit_insn line[] = { MOV64_IMM(R0, 1), ALU64_IMM(BPFKIT_ADD, R0, 1),
					    ALU64_IMM(BPFKIT_ADD, R0, 1), EXIT() };
	const struct bpfkit_insn sum[] = { MOV64_IMM(R0, 0), ALU64_IMM(BPFKIT_ADD, R0, 1),
					   JMP_IMM(BPFKIT_JLT, R0, 1000, -2), EXIT() };
	struct bpfkit_vm *vm = bpfkit_vm__new();
	struct bpfkit_diag d;
	enum bpfkit_fault fault;
	uint64_t r0 = 0;

	(void)state;
	assert_int_equal(bpfkit_vm__load(vm, sum, NINSNS(sum), &d), 0);
	assert_int_equal(bpfkit_vm__jit_compile(vm, NULL, &d), 0);
	assert_int_equal(bpfkit_vm__run(vm, NULL, 0, &r0, &fault, &d), 0);
	assert_int_equal(r0, 1000);
	assert_int_equal(bpfkit_vm__insn_count(vm), 2002);
	assert_int_equal(bpfkit_vm__load(vm, loop, NINSNS(loop), &d), 0);
	assert_int_equal(bpfkit_vm__jit_compile(vm, NULL, &d), 0);
	bpfkit_vm__set_budget(vm, 1001);
	assert_int_equal(bpfkit_vm__run(vm, NULL, 0, &r0, &fault, &d), -E2BIG);
	assert_int_equal(fault, BPFKIT_FAULT_BUDGET);
	assert_int_equal(d.insn, 1);
	assert_int_equal(bpfkit_vm__insn_count(vm), 1001);
	assert_string_equal(d.msg, "instruction budget of 1001 exhausted");
	/* a loop-free program shorter than the budget needs no check... */
	assert_int_equal(bpfkit_vm__load(vm, line, NINSNS(line), &d), 0);
	assert_int_equal(bpfkit_vm__jit_compile(vm, NULL, &d), 0);
	assert_int_equal(bpfkit_vm__run(vm, NULL, 0, &r0, &fault, &d), 0);
	assert_int_equal(r0, 3);
	assert_int_equal(bpfkit_vm__insn_count(vm), 4);
	/* ...one longer than it does */
	bpfkit_vm__set_budget(vm, 3);
	assert_int_equal(bpfkit_vm__run(vm, NULL, 0, &r0, &fault, &d), -E2BIG);
	assert_int_equal(d.insn, 3);
	bpfkit_vm__set_budget(vm, 0);
	assert_int_equal(bpfkit_vm__run(vm, NULL, 0, &r0, &fault, &d), 0);
	assert_int_equal(r0, 3);
	bpfkit_vm__free(vm);
}

/* no_count: the same results and faults without counting where no budget
 * must be enforced (the count reads 0); where one must, it is still
 * enforced and the count exact. */
static void test_no_count(void **state)
{
	const struct bpfkit_jit_opts nc = { .no_count = true };
	/* a forward jump leaving its block early; then a fault */
	const struct bpfkit_insn skip[] = { MOV64_IMM(R0, 5), JMP_IMM(BPFKIT_JGT, R1, 0, 1),
					    MOV64_IMM(R0, 6), ALU64_IMM(BPFKIT_ADD, R0, 1), EXIT() };
	const struct bpfkit_insn bad[] = { MOV64_IMM(R0, 0), JMP_IMM(BPFKIT_JEQ, R0, 1, 1),
					   LDX_MEM(BPFKIT_DW, R2, R1, 64), EXIT() };
	const struct bpfkit_insn sum[] = { MOV64_IMM(R0, 0), ALU64_IMM(BPFKIT_ADD, R0, 1),
					   JMP_IMM(BPFKIT_JLT, R0, 1000, -2), EXIT() };
	const struct bpfkit_insn loop[] = { MOV64_IMM(R0, 0), ALU64_IMM(BPFKIT_ADD, R0, 1), JA(-2) };
	uint8_t mem[8] = { 0 };
	struct bpfkit_vm *vm = bpfkit_vm__new();
	struct bpfkit_diag d;
	enum bpfkit_fault fault;
	uint64_t r0 = 0;

	(void)state;
	assert_int_equal(bpfkit_vm__load(vm, sum, NINSNS(sum), &d), 0);
	assert_int_equal(bpfkit_vm__jit_compile(vm, &nc, &d), 0);
	assert_int_equal(bpfkit_vm__run(vm, NULL, 0, &r0, &fault, &d), 0);
	assert_int_equal(r0, 1000);
	assert_int_equal(bpfkit_vm__insn_count(vm), 0);
	assert_int_equal(bpfkit_vm__load(vm, skip, NINSNS(skip), &d), 0);
	assert_int_equal(bpfkit_vm__jit_compile(vm, &nc, &d), 0);
	assert_int_equal(bpfkit_vm__run(vm, mem, sizeof(mem), &r0, &fault, &d), 0);
	assert_int_equal(r0, 6);
	assert_int_equal(bpfkit_vm__run(vm, NULL, 0, &r0, &fault, &d), 0);
	assert_int_equal(r0, 7);
	assert_int_equal(bpfkit_vm__insn_count(vm), 0);
	assert_int_equal(bpfkit_vm__load(vm, bad, NINSNS(bad), &d), 0);
	assert_int_equal(bpfkit_vm__jit_compile(vm, &nc, &d), 0);
	assert_int_equal(bpfkit_vm__run(vm, mem, sizeof(mem), &r0, &fault, &d), -EFAULT);
	assert_int_equal(fault, BPFKIT_FAULT_LOAD);
	assert_int_equal(d.insn, 2);
	assert_int_equal(bpfkit_vm__insn_count(vm), 0);
	/* a budget that can run out is enforced, and counted, regardless */
	assert_int_equal(bpfkit_vm__load(vm, loop, NINSNS(loop), &d), 0);
	assert_int_equal(bpfkit_vm__jit_compile(vm, &nc, &d), 0);
	bpfkit_vm__set_budget(vm, 1001);
	assert_int_equal(bpfkit_vm__run(vm, NULL, 0, &r0, &fault, &d), -E2BIG);
	assert_int_equal(fault, BPFKIT_FAULT_BUDGET);
	assert_int_equal(d.insn, 1);
	assert_int_equal(bpfkit_vm__insn_count(vm), 1001);
	bpfkit_vm__free(vm);
}

static uint64_t h_stop(struct bpfkit_vm_ctx *ctx, uint64_t r1, uint64_t b, uint64_t c, uint64_t d,
		       uint64_t e)
{
	(void)b, (void)c, (void)d, (void)e;
	bpfkit_vm_ctx__stop(ctx, r1 + 1);
	return 0;
}

static uint8_t granted[32];

static uint64_t h_grant_ro(struct bpfkit_vm_ctx *ctx, uint64_t a, uint64_t b, uint64_t c,
			   uint64_t d, uint64_t e)
{
	(void)a, (void)b, (void)c, (void)d, (void)e;
	granted[3] = 0x77;
	bpfkit_vm_ctx__grant(ctx, granted, sizeof(granted), false);
	return (uint64_t)(uintptr_t)granted;
}

static void test_calls(void **state)
{
	const struct bpfkit_insn stop[] = { MOV64_IMM(R1, 41), CALL_HELPER(50), MOV64_IMM(R0, 0), EXIT() };
	const struct bpfkit_insn grant[] = {
		CALL_HELPER(51), LDX_MEM(BPFKIT_B, R1, R0, 3), ST_MEM(BPFKIT_B, R0, 3, 1), EXIT(),
	};
	struct bpfkit_vm *vm;
	struct both *b;
	struct vm_result f;

	(void)state;
	/* gather_bytes: arguments land in the helper's parameters */
	assert_int_equal(JIT(MOV64_IMM(R1, 1), MOV64_IMM(R2, 2), MOV64_IMM(R3, 3), MOV64_IMM(R4, 4),
			     MOV64_IMM(R5, 5), CALL_HELPER(0), EXIT()),
			 0x0102030405ull);
	/* r1..r5 and r6..r9 as the interpreter leaves them after a call */
	assert_int_equal(JIT(MOV64_IMM(R1, 1), MOV64_IMM(R2, 2), MOV64_IMM(R3, 3), MOV64_IMM(R4, 4),
			     MOV64_IMM(R5, 5), MOV64_IMM(R6, 6), MOV64_IMM(R9, 9), CALL_HELPER(2),
			     MOV64_REG(R0, R1), ALU64_REG(BPFKIT_ADD, R0, R2), ALU64_REG(BPFKIT_ADD, R0, R3),
			     ALU64_REG(BPFKIT_ADD, R0, R4), ALU64_REG(BPFKIT_ADD, R0, R5),
			     ALU64_REG(BPFKIT_ADD, R0, R6), ALU64_REG(BPFKIT_ADD, R0, R9), EXIT()),
			 30);
	/* callx by register, and an unknown number */
	assert_int_equal(JIT(MOV64_IMM(R6, 3), MOV64_IMM(R1, 1000000), CALLX(R6), EXIT()), 1000);
	f = JIT_FAULT(MOV64_IMM(R8, 77), CALLX(R8), EXIT());
	assert_int_equal(f.fault, BPFKIT_FAULT_CALLX);
	assert_int_equal(f.diag.insn, 1);
	assert_string_equal(f.diag.msg, "callx through r8 = 0x4d: no helper with that number");
	/* the unwind helper (5) returning 0 ends the program with r0 = 0 */
	assert_int_equal(JIT(MOV64_IMM(R1, 0), CALL_HELPER(5), MOV64_IMM(R0, 9), EXIT()), 0);
	assert_int_equal(JIT(MOV64_IMM(R1, 3), CALL_HELPER(5), ALU64_IMM(BPFKIT_ADD, R0, 9), EXIT()), 12);
	assert_int_equal(JIT(MOV64_IMM(R1, 0), MOV64_IMM(R7, 5), CALLX(R7), MOV64_IMM(R0, 9), EXIT()), 0);
	/* local calls: r6-r9 restored, r10 moves down a frame, a result in r0 */
	assert_int_equal(JIT(MOV64_IMM(R6, 100), ST_MEM(BPFKIT_DW, R10, -8, 5), MOV64_IMM(R1, 7), CALL_LOCAL(4),
			     ALU64_REG(BPFKIT_ADD, R0, R6), LDX_MEM(BPFKIT_DW, R1, R10, -8),
			     ALU64_REG(BPFKIT_ADD, R0, R1), EXIT(),
			     /* callee */
			     MOV64_IMM(R6, 1), ST_MEM(BPFKIT_DW, R10, -8, 50), MOV64_REG(R0, R1),
			     ALU64_IMM(BPFKIT_MUL, R0, 2), EXIT()),
			 14 + 100 + 5);
	/* a callee may reach its caller's frame above its own */
	assert_int_equal(JIT(ST_MEM(BPFKIT_DW, R10, -8, 66), CALL_LOCAL(1), EXIT(),
			     LDX_MEM(BPFKIT_DW, R0, R10, 504), EXIT()),
			 66);
	/* recursion past 8 frames */
	f = JIT_FAULT(CALL_LOCAL(-1), EXIT());
	assert_int_equal(f.fault, BPFKIT_FAULT_CALL_DEPTH);
	assert_int_equal(f.diag.insn, 0);
	assert_int_equal(f.insns, 8);
	/* the main function called as a function, returning at depth > 0 */
	assert_int_equal(JIT(ALU64_IMM(BPFKIT_ADD, R6, 1), JMP_IMM(BPFKIT_JGE, R6, 3, 1), CALL_LOCAL(-3),
			     MOV64_REG(R0, R6), EXIT()),
			 1); /* each return restores the caller's r6 */

	/* a helper that stops the program, and one that grants read-only memory */
	vm = bpfkit_vm__new();
	bpfkit_vm__register_helper(vm, 50, "stop", h_stop);
	bpfkit_vm__register_helper(vm, 51, "grant_ro", h_grant_ro);
	b = run_vm(vm, stop, NINSNS(stop), NULL, 0, NULL);
	assert_int_equal(b->jit.run_err, 0);
	assert_int_equal(b->jit.r0, 42);
	assert_int_equal(b->jit.insns, 2);
	b = run_vm(vm, grant, NINSNS(grant), NULL, 0, NULL);
	assert_int_equal(b->jit.fault, BPFKIT_FAULT_STORE);
	assert_int_equal(b->jit.diag.insn, 2);
	assert_non_null(strstr(b->jit.diag.msg, "store of 1 byte to read-only memory"));
	bpfkit_vm__free(vm);
}

/* Each run starts with a zero stack, whatever the last run (of this or
 * another program, in either engine) wrote: runs clear only what the last
 * program could write, so every way of writing the stack is tried. */
static void test_stack_cleared_between_runs(void **state)
{
	const struct bpfkit_insn reader[] = {
		/* r0 = OR of every qword of the stack */
		MOV64_REG(R1, R10), ALU64_IMM(BPFKIT_ADD, R1, -4096), MOV64_IMM(R0, 0),
		LDX_MEM(BPFKIT_DW, R2, R1, 0), ALU64_REG(BPFKIT_OR, R0, R2), ALU64_IMM(BPFKIT_ADD, R1, 8),
		JMP_REG(BPFKIT_JLT, R1, R10, -4), EXIT(),
	};
	const struct bpfkit_insn w_static[] = { ST_MEM(BPFKIT_DW, R10, -8, -1), ST_MEM(BPFKIT_B, R10, -600, 1),
						EXIT() };
	const struct bpfkit_insn w_pointer[] = { MOV64_REG(R1, R10), ST_MEM(BPFKIT_DW, R1, -4000, -1), EXIT() };
	const struct bpfkit_insn w_call[] = { CALL_LOCAL(1), EXIT(), ST_MEM(BPFKIT_DW, R10, -8, -1), EXIT() };
	const struct bpfkit_insn w_atomic[] = { MOV64_IMM(R1, 3), ATOMIC(BPFKIT_DW, BPFKIT_ADD, R10, R1, -2048),
						EXIT() };
	const struct bpfkit_insn w_helper[] = {
		/* memfrob of 100 bytes at r10-1000 (a helper writing through a pointer) */
		MOV64_REG(R1, R10), ALU64_IMM(BPFKIT_ADD, R1, -1000), MOV64_IMM(R2, 100), CALL_HELPER(1), EXIT(),
	};
	const struct { const struct bpfkit_insn *p; size_t n; } writers[] = {
		{ w_static, NINSNS(w_static) }, { w_pointer, NINSNS(w_pointer) }, { w_call, NINSNS(w_call) },
		{ w_atomic, NINSNS(w_atomic) }, { w_helper, NINSNS(w_helper) },
	};
	struct bpfkit_diag d;
	uint64_t r0;

	(void)state;
	for (size_t w = 0; w < NINSNS(writers); w++) {
		for (int mode = 0; mode < 4; mode++) { /* writer jit?, reader jit? */
			struct bpfkit_vm *vm = bpfkit_vm__new();
			bpfkit_vm__register_test_helpers(vm);
			assert_int_equal(bpfkit_vm__load(vm, writers[w].p, writers[w].n, &d), 0);
			if (mode & 1)
				assert_int_equal(bpfkit_vm__jit_compile(vm, NULL, &d), 0);
			assert_int_equal(bpfkit_vm__run(vm, NULL, 0, &r0, NULL, &d), 0);
			/* the writer's stack is dirty now: its next run starts clean too */
			assert_int_equal(bpfkit_vm__load(vm, reader, NINSNS(reader), &d), 0);
			if (mode & 2)
				assert_int_equal(bpfkit_vm__jit_compile(vm, NULL, &d), 0);
			assert_int_equal(bpfkit_vm__run(vm, NULL, 0, &r0, NULL, &d), 0);
			if (r0)
				print_error("writer %zu mode %d left 0x%llx\n", w, mode, (unsigned long long)r0);
			assert_int_equal(r0, 0);
			bpfkit_vm__free(vm);
		}
	}
}

/* ---- register matrices ----------------------------------------------------------- */

/* Distinct values with both halves and the sign bits in play. */
static uint64_t reg_value(unsigned r)
{
	static const uint64_t v[11] = {
		0x8000000000000007ull, 0x00000000ffffffffull, 0xfffffffffffffffdull, 0x0000000100000003ull,
		0x0000000000000021ull, 0x7fffffff80000001ull, 0x123456789abcdef0ull, 0xffffffff00000010ull,
		0x0000000000000005ull, 0x80000000ffffffffull, 0,
	};
	return v[r];
}

#define AREA (-256) /* test area: 16 qwords at r10-256 */
#define SPILL (-136) /* registers after the operation: r10-136 .. */
#define MPTR (-8) /* the memory pointer */
#define DUMP_LEN (11 * 8 + 16 * 8)

/* A program: save r1, fill the area, set every register, point @p base
 * (if any) at the area, run @p op, then copy every register and the area
 * into the memory. */
static size_t matrix_prog(struct bpfkit_insn *p, struct bpfkit_insn op, int base)
{
	size_t n = 0;

	p[n++] = STX_MEM(BPFKIT_DW, R10, R1, MPTR);
	for (int k = 0; k < 16; k++) {
		struct bpfkit_insn ld[2] = { LD_IMM64(R2, 0x0101010101010101ull * (uint64_t)(k + 1) ^ 0x8040201008040201ull) };
		p[n++] = ld[0];
		p[n++] = ld[1];
		p[n++] = STX_MEM(BPFKIT_DW, R10, R2, AREA + 8 * k);
	}
	for (unsigned r = 0; r < 10; r++) {
		struct bpfkit_insn ld[2] = { LD_IMM64(r, reg_value(r)) };
		p[n++] = ld[0];
		p[n++] = ld[1];
	}
	if (base >= 0 && base != R10) {
		p[n++] = MOV64_REG(base, R10);
		p[n++] = ALU64_IMM(BPFKIT_ADD, base, AREA);
	}
	p[n++] = op;
	if (op.code == BPFKIT_OP_LDDW)
		p[n++] = INSN(0, 0, 0, 0, 0x1234);
	/* a jump's target: over the next instruction, which marks "not taken" */
	p[n++] = ST_MEM(BPFKIT_DW, R10, SPILL - 8, 1);
	for (unsigned r = 0; r < 11; r++)
		p[n++] = STX_MEM(BPFKIT_DW, R10, r, SPILL + 8 * (int)r);
	p[n++] = LDX_MEM(BPFKIT_DW, R1, R10, MPTR);
	for (int k = 0; k < 11 + 16; k++) {
		p[n++] = LDX_MEM(BPFKIT_DW, R2, R10, k < 11 ? SPILL + 8 * k : AREA + 8 * (k - 11));
		p[n++] = STX_MEM(BPFKIT_DW, R1, R2, 8 * k);
	}
	p[n++] = LDX_MEM(BPFKIT_DW, R0, R10, SPILL - 8);
	p[n++] = EXIT();
	return n;
}

/* Run @p op with every register combination its shape allows. */
static unsigned matrix(const struct bpfkit_opinfo *row, const int32_t *imms, size_t nimm)
{
	struct bpfkit_insn prog[256], op;
	uint8_t mem[DUMP_LEN] = { 0 };
	unsigned runs = 0;
	bool mem_op = row->shape == BPFKIT_SHAPE_LDX || row->shape == BPFKIT_SHAPE_ST ||
		      row->shape == BPFKIT_SHAPE_STX || row->shape == BPFKIT_SHAPE_ATOMIC;
	bool writes_dst = !mem_op || row->shape == BPFKIT_SHAPE_LDX;
	bool has_src = row->shape == BPFKIT_SHAPE_ALU_X || row->shape == BPFKIT_SHAPE_JMP_X ||
		       row->shape == BPFKIT_SHAPE_LDX || row->shape == BPFKIT_SHAPE_STX ||
		       row->shape == BPFKIT_SHAPE_ATOMIC;
	bool has_imm = row->shape == BPFKIT_SHAPE_ALU_K || row->shape == BPFKIT_SHAPE_JMP_K ||
		       row->shape == BPFKIT_SHAPE_ST || row->shape == BPFKIT_SHAPE_LDDW;

	for (unsigned dst = 0; dst < 11; dst++) {
		if (writes_dst && dst == R10)
			continue;
		for (unsigned src = 0; src < (has_src ? 11u : 1u); src++) {
			for (size_t k = 0; k < (has_imm ? nimm : 1); k++) {
				int base = row->shape == BPFKIT_SHAPE_LDX ? (int)src : mem_op ? (int)dst : -1;
				int32_t off = base == R10 ? AREA + 16 : 16;
				struct both *b;
				size_t n;

				op = INSN(row->code, dst, src, 0, has_imm ? imms[k] : 0);
				if (mem_op)
					op.off = (int16_t)off;
				if (row->shape == BPFKIT_SHAPE_JMP_K || row->shape == BPFKIT_SHAPE_JMP_X)
					op.off = 1;
				if (row->match & BPFKIT_MATCH_OFF)
					op.off = row->off;
				if (row->match & BPFKIT_MATCH_IMM)
					op.imm = row->imm;
				if (row->shape == BPFKIT_SHAPE_ATOMIC && (op.imm & BPFKIT_FETCH) &&
				    op.imm != BPFKIT_CMPXCHG && src == R10)
					continue;
				n = matrix_prog(prog, op, base);
				b = run_both(prog, n, mem, sizeof(mem));
				if (b->interp.load_err)
					print_error("%s dst %u src %u: %s\n", row->name, dst, src,
						    b->interp.diag.msg);
				assert_int_equal(b->interp.load_err, 0);
				if (b->jit.run_err)
					print_error("%s dst %u src %u: %s\n", row->name, dst, src,
						    b->jit.diag.msg);
				assert_int_equal(b->jit.run_err, 0);
				runs++;
			}
		}
	}
	return runs;
}

static void test_register_matrix(void **state)
{
	static const int32_t imms[] = { 0, 1, -1, 3, 31, 63, 0x7fffffff, INT32_MIN, -200, 0x12345 };
	unsigned runs = 0, rows = 0;

	(void)state;
	for (size_t i = 0; i < bpfkit_opinfo__count(); i++) {
		const struct bpfkit_opinfo *row = bpfkit_opinfo__at(i);
		switch (row->shape) {
		case BPFKIT_SHAPE_ALU_K: case BPFKIT_SHAPE_ALU_X: case BPFKIT_SHAPE_NEG:
		case BPFKIT_SHAPE_END: case BPFKIT_SHAPE_LDX: case BPFKIT_SHAPE_ST:
		case BPFKIT_SHAPE_STX: case BPFKIT_SHAPE_ATOMIC: case BPFKIT_SHAPE_JMP_K:
		case BPFKIT_SHAPE_JMP_X:
			runs += matrix(row, imms, sizeof(imms) / sizeof(imms[0]));
			rows++;
			break;
		case BPFKIT_SHAPE_LDDW:
			if (!strcmp(row->name, "lddw")) {
				runs += matrix(row, imms, sizeof(imms) / sizeof(imms[0]));
				rows++;
			}
			break;
		default:
			break;
		}
	}
	print_message("# register matrix: %u operations, %u programs\n", rows, runs);
	assert_true(rows > 150);
}

/* ---- hardening, the image, the API ---------------------------------------------------- */

static bool contains(const uint8_t *hay, size_t n, const void *needle, size_t m)
{
	for (size_t i = 0; i + m <= n; i++)
		if (!memcmp(hay + i, needle, m))
			return true;
	return false;
}

/* Permissions of the mapping holding @p p, from /proc/self/maps. */
static void map_perms(const void *p, char perms[5])
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	uintptr_t a = (uintptr_t)p;

	strcpy(perms, "????");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		char pr[5];
		if (sscanf(line, "%lx-%lx %4s", &lo, &hi, pr) == 3 && a >= lo && a < hi) {
			memcpy(perms, pr, 5);
			break;
		}
	}
	fclose(f);
}

static void test_hardening_and_image(void **state)
{
	const struct bpfkit_insn prog[] = {
		MOV64_IMM(R0, 0x12345678), ALU64_IMM(BPFKIT_ADD, R0, 0x12345678),
		ST_MEM(BPFKIT_W, R10, -4, 0x12345678), LDX_MEM(BPFKIT_W, R1, R10, -4),
		ALU64_REG(BPFKIT_ADD, R0, R1), JMP_IMM(BPFKIT_JEQ, R0, 0x12345678, 1),
		CALL_HELPER(2), MOV64_IMM(R0, 7), EXIT(),
	};
	const uint8_t magic[4] = { 0x78, 0x56, 0x34, 0x12 };
	const uint8_t call_r11[3] = { 0x41, 0xff, 0xd3 }, trap[5] = { 0xf3, 0x90, 0x0f, 0xae, 0xe8 };
	struct bpfkit_jit_opts plain = { 0 }, blind = { .blind = true }, retpo = { .retpoline = true };
	struct bpfkit_vm *vm = bpfkit_vm__new();
	struct bpfkit_jit_code c;
	struct bpfkit_diag d;
	char perms[5];

	(void)state;
	bpfkit_vm__register_test_helpers(vm);
	assert_int_equal(bpfkit_vm__jit_code(vm, &c), -ENOENT);
	assert_int_equal(bpfkit_vm__jit_compile(vm, NULL, &d), -EINVAL); /* nothing loaded */
	run_vm(vm, prog, NINSNS(prog), NULL, 0, &plain);
	assert_int_equal(bpfkit_vm__jit_code(vm, &c), 0);
	assert_true(contains(c.code, c.len, magic, 4));
	assert_true(contains(c.code, c.len, call_r11, 3));
	/* the image: read+execute, not writable */
	map_perms(c.code, perms);
	assert_string_equal(perms, "r-xp");
	/* offsets: thunks, entry, instructions in order, stubs after */
	assert_int_equal(c.ninsns, NINSNS(prog));
	assert_true(c.entry > 0 && c.insn_off[0] > c.entry);
	for (size_t i = 0; i < c.ninsns; i++)
		assert_true(c.insn_off[i] < c.insn_off[i + 1]);
	assert_int_equal(c.insn_off[c.ninsns], c.stubs);
	assert_true(c.stubs < c.len);

	/* blinding: the program's constants never appear in the code */
	run_vm(vm, prog, NINSNS(prog), NULL, 0, &blind);
	assert_int_equal(bpfkit_vm__jit_code(vm, &c), 0);
	assert_false(contains(c.code, c.len, magic, 4));
	/* retpolines: no indirect call instruction, a speculation trap */
	run_vm(vm, prog, NINSNS(prog), NULL, 0, &retpo);
	assert_int_equal(bpfkit_vm__jit_code(vm, &c), 0);
	assert_false(contains(c.code, c.len, call_r11, 3));
	assert_true(contains(c.code, c.len, trap, 5));

	/* back to the interpreter; a new load drops the native code */
	bpfkit_vm__jit_off(vm);
	assert_int_equal(bpfkit_vm__jit_code(vm, &c), -ENOENT);
	assert_int_equal(bpfkit_vm__jit_compile(vm, NULL, &d), 0);
	assert_int_equal(bpfkit_vm__load(vm, prog, NINSNS(prog), &d), 0);
	assert_int_equal(bpfkit_vm__jit_code(vm, &c), -ENOENT);
	bpfkit_vm__jit_off(NULL);
	bpfkit_vm__free(vm);
}

/* Out of address space: compile fails with -ENOMEM and a reason, the VM
 * keeps running in the interpreter. In a child, under an address-space
 * limit (not meaningful under ASan, which reserves terabytes). */
static void test_out_of_memory(void **state)
{
#ifdef __SANITIZE_ADDRESS__
	(void)state;
	skip();
#else
	pid_t pid;
	int status;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct bpfkit_insn *p = calloc(20000, sizeof(*p));
		struct bpfkit_vm *vm = bpfkit_vm__new();
		struct bpfkit_diag d;
		struct rlimit rl;
		uint64_t r0 = 0;
		long pages = 0;
		FILE *f = fopen("/proc/self/statm", "r");
		int err;

		if (!p || !vm || !f || fscanf(f, "%ld", &pages) != 1)
			_exit(10);
		fclose(f);
		for (size_t i = 0; i + 1 < 20000; i++)
			p[i] = ALU64_IMM(BPFKIT_ADD, R0, 1);
		p[19999] = EXIT();
		if (bpfkit_vm__load(vm, p, 20000, &d))
			_exit(11);
		rl.rlim_cur = rl.rlim_max = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) + 64 * 1024;
		if (setrlimit(RLIMIT_AS, &rl))
			_exit(12);
		err = bpfkit_vm__jit_compile(vm, NULL, &d);
		if (err != -ENOMEM || !d.msg[0])
			_exit(13);
		if (bpfkit_vm__run(vm, NULL, 0, &r0, NULL, &d) || r0 != 19999)
			_exit(14);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
#endif
}

static int setup(void **state)
{
	(void)state;
	both_buf = malloc(sizeof(*both_buf));
	mem_copy = malloc(MAX_MEM);
	return both_buf && mem_copy ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(both_buf);
	free(mem_copy);
	return 0;
}

int main(void)
{
#if !defined(__x86_64__)
	printf("1..1\nok 1 # SKIP the JIT emits x86-64 code; this host is not x86-64\n");
	return 0;
#endif
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_imm32_sign_extension),
		cmocka_unit_test(test_shifts_by_cl),
		cmocka_unit_test(test_div_mod_by_zero),
		cmocka_unit_test(test_sdiv_smod_overflow),
		cmocka_unit_test(test_zero_extension),
		cmocka_unit_test(test_r10_and_large_offsets),
		cmocka_unit_test(test_atomics),
		cmocka_unit_test(test_bswap),
		cmocka_unit_test(test_packet_loads),
		cmocka_unit_test(test_fault_index),
		cmocka_unit_test(test_budget),
		cmocka_unit_test(test_budget_set_after_compile),
		cmocka_unit_test(test_no_count),
		cmocka_unit_test(test_calls),
		cmocka_unit_test(test_stack_cleared_between_runs),
		cmocka_unit_test(test_register_matrix),
		cmocka_unit_test(test_hardening_and_image),
		cmocka_unit_test(test_out_of_memory),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
