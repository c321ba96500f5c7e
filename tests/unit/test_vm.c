// SPDX-License-Identifier: MIT
/*
 * Interpreter semantics, one RFC 9669 corner at a time: every ALU operation
 * in 32 and 64 bits (division and modulo by zero, INT_MIN / -1, shift
 * masking, zero extension), sign-extending moves and loads, byte order,
 * atomics, signed/unsigned and 32-bit jumps, local calls and their frames,
 * callx, legacy packet loads, helpers and region grants, budgets.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "vm_test.h"

#define INT64_MIN_U 0x8000000000000000ull

static void test_alu64(void **state)
{
	(void)state;
	assert_int_equal(RUN(MOV64_IMM(R0, 7), ALU64_IMM(BPFKIT_ADD, R0, 5), EXIT()), 12);
	assert_int_equal(RUN(MOV64_IMM(R0, 7), MOV64_IMM(R1, 9), ALU64_REG(BPFKIT_SUB, R0, R1), EXIT()),
			 (uint64_t)-2);
	assert_int_equal(RUN(MOV64_IMM(R0, 7), ALU64_IMM(BPFKIT_MUL, R0, -3), EXIT()), (uint64_t)-21);
	assert_int_equal(RUN(MOV64_IMM(R0, 0xf0), ALU64_IMM(BPFKIT_OR, R0, 0x0f), EXIT()), 0xff);
	assert_int_equal(RUN(MOV64_IMM(R0, 0xff), ALU64_IMM(BPFKIT_AND, R0, 0x3c), EXIT()), 0x3c);
	assert_int_equal(RUN(MOV64_IMM(R0, 0xff), ALU64_IMM(BPFKIT_XOR, R0, 0x0f), EXIT()), 0xf0);
	/* imm is sign-extended to 64 bits */
	assert_int_equal(RUN(MOV64_IMM(R0, -1), EXIT()), UINT64_MAX);
	assert_int_equal(RUN(MOV64_IMM(R0, 0), ALU64_IMM(BPFKIT_ADD, R0, -1), EXIT()), UINT64_MAX);
	assert_int_equal(RUN(MOV64_IMM(R0, 0), ALU64_IMM(BPFKIT_OR, R0, INT32_MIN), EXIT()),
			 0xffffffff80000000ull);
	assert_int_equal(RUN(MOV64_IMM(R0, 5), NEG64(R0), EXIT()), (uint64_t)-5);
	/* INT64_MIN * -1 wraps to INT64_MIN, INT64_MIN negated is itself */
	assert_int_equal(RUN(LD_IMM64(R0, INT64_MIN_U), ALU64_IMM(BPFKIT_MUL, R0, -1), EXIT()),
			 INT64_MIN_U);
	assert_int_equal(RUN(LD_IMM64(R0, INT64_MIN_U), NEG64(R0), EXIT()), INT64_MIN_U);
	assert_int_equal(RUN(LD_IMM64(R0, 0x1122334455667788ull), EXIT()), 0x1122334455667788ull);
}

static void test_alu32_zero_extends(void **state)
{
	(void)state;
	/* every 32-bit result clears the upper half */
	assert_int_equal(RUN(MOV64_IMM(R0, -1), ALU32_IMM(BPFKIT_ADD, R0, 1), EXIT()), 0);
	assert_int_equal(RUN(MOV32_IMM(R0, -1), EXIT()), 0xffffffffull);
	assert_int_equal(RUN(MOV64_IMM(R1, -2), MOV32_REG(R0, R1), EXIT()), 0xfffffffeull);
	assert_int_equal(RUN(MOV64_IMM(R0, -1), ALU32_IMM(BPFKIT_AND, R0, -1), EXIT()), 0xffffffffull);
	assert_int_equal(RUN(MOV64_IMM(R0, -1), ALU32_IMM(BPFKIT_OR, R0, 0), EXIT()), 0xffffffffull);
	assert_int_equal(RUN(MOV64_IMM(R0, -1), ALU32_IMM(BPFKIT_XOR, R0, 1), EXIT()), 0xfffffffeull);
	assert_int_equal(RUN(MOV64_IMM(R0, 1), ALU32_IMM(BPFKIT_SUB, R0, 2), EXIT()), 0xffffffffull);
	assert_int_equal(RUN(MOV64_IMM(R0, 0x10000), ALU32_IMM(BPFKIT_MUL, R0, 0x10000), EXIT()), 0);
	assert_int_equal(RUN(LD_IMM64(R0, 0x100000005ull), ALU32_IMM(BPFKIT_MUL, R0, 3), EXIT()), 15);
	/* INT32_MIN * -1 wraps in 32 bits; neg32 of INT32_MIN is itself */
	assert_int_equal(RUN(MOV32_IMM(R0, INT32_MIN), ALU32_IMM(BPFKIT_MUL, R0, -1), EXIT()),
			 0x80000000ull);
	assert_int_equal(RUN(MOV32_IMM(R0, INT32_MIN), NEG32(R0), EXIT()), 0x80000000ull);
	assert_int_equal(RUN(MOV64_IMM(R0, 1), NEG32(R0), EXIT()), 0xffffffffull);
	assert_int_equal(RUN(LD_IMM64(R0, 0xdeadbeef00000001ull), ALU32_IMM(BPFKIT_ADD, R0, 0), EXIT()),
			 1);
}

static void test_div_mod_unsigned(void **state)
{
	(void)state;
	assert_int_equal(RUN(MOV64_IMM(R0, 100), ALU64_IMM(BPFKIT_DIV, R0, 7), EXIT()), 14);
	assert_int_equal(RUN(MOV64_IMM(R0, 100), ALU64_IMM(BPFKIT_MOD, R0, 7), EXIT()), 2);
	/* division by zero gives 0, modulo by zero leaves dst */
	assert_int_equal(RUN(MOV64_IMM(R0, 100), MOV64_IMM(R1, 0), ALU64_REG(BPFKIT_DIV, R0, R1), EXIT()),
			 0);
	assert_int_equal(RUN(MOV64_IMM(R0, 100), ALU64_IMM(BPFKIT_DIV, R0, 0), EXIT()), 0);
	assert_int_equal(RUN(MOV64_IMM(R0, -3), MOV64_IMM(R1, 0), ALU64_REG(BPFKIT_MOD, R0, R1), EXIT()),
			 (uint64_t)-3);
	assert_int_equal(RUN(MOV64_IMM(R0, -3), ALU64_IMM(BPFKIT_MOD, R0, 0), EXIT()), (uint64_t)-3);
	/* 32-bit: modulo by zero keeps the low half, zero-extended */
	assert_int_equal(RUN(MOV64_IMM(R0, -3), MOV64_IMM(R1, 0), ALU32_REG(BPFKIT_MOD, R0, R1), EXIT()),
			 0xfffffffdull);
	assert_int_equal(RUN(MOV64_IMM(R0, -3), ALU32_IMM(BPFKIT_DIV, R0, 0), EXIT()), 0);
	/* only the low half of the divisor counts in 32-bit division */
	assert_int_equal(RUN(MOV64_IMM(R0, 10), LD_IMM64(R1, 0x100000000ull), ALU32_REG(BPFKIT_DIV, R0, R1),
			     EXIT()),
			 0);
	assert_int_equal(RUN(MOV64_IMM(R0, 10), LD_IMM64(R1, 0x100000002ull), ALU32_REG(BPFKIT_DIV, R0, R1),
			     EXIT()),
			 5);
	/* unsigned: -1 / 2 is huge; imm is sign-extended before dividing */
	assert_int_equal(RUN(MOV64_IMM(R0, -1), ALU64_IMM(BPFKIT_DIV, R0, 2), EXIT()), UINT64_MAX / 2);
	assert_int_equal(RUN(MOV64_IMM(R0, -1), ALU64_IMM(BPFKIT_DIV, R0, -1), EXIT()), 1);
	assert_int_equal(RUN(MOV64_IMM(R0, -1), ALU32_IMM(BPFKIT_DIV, R0, -1), EXIT()), 1);
	assert_int_equal(RUN(MOV64_IMM(R0, 5), ALU64_IMM(BPFKIT_MOD, R0, -1), EXIT()), 5);
}

static void test_div_mod_signed(void **state)
{
	(void)state;
	assert_int_equal(RUN(MOV64_IMM(R0, -7), ALU64_IMM_OFF(BPFKIT_DIV, R0, 2, 1), EXIT()), (uint64_t)-3);
	assert_int_equal(RUN(MOV64_IMM(R0, -7), ALU64_IMM_OFF(BPFKIT_MOD, R0, 2, 1), EXIT()), (uint64_t)-1);
	assert_int_equal(RUN(MOV64_IMM(R0, 7), ALU64_IMM_OFF(BPFKIT_MOD, R0, -2, 1), EXIT()), 1);
	assert_int_equal(RUN(MOV64_IMM(R0, -7), MOV64_IMM(R1, -2), ALU64_REG_OFF(BPFKIT_MOD, R0, R1, 1),
			     EXIT()),
			 (uint64_t)-1);
	/* INT64_MIN / -1 = INT64_MIN, INT64_MIN % -1 = 0, no trap */
	assert_int_equal(RUN(LD_IMM64(R0, INT64_MIN_U), ALU64_IMM_OFF(BPFKIT_DIV, R0, -1, 1), EXIT()),
			 INT64_MIN_U);
	assert_int_equal(RUN(LD_IMM64(R0, INT64_MIN_U), MOV64_IMM(R1, -1),
			     ALU64_REG_OFF(BPFKIT_MOD, R0, R1, 1), EXIT()),
			 0);
	/* by zero as unsigned: quotient 0, remainder dst */
	assert_int_equal(RUN(MOV64_IMM(R0, -7), ALU64_IMM_OFF(BPFKIT_DIV, R0, 0, 1), EXIT()), 0);
	assert_int_equal(RUN(MOV64_IMM(R0, -7), MOV64_IMM(R1, 0), ALU64_REG_OFF(BPFKIT_MOD, R0, R1, 1),
			     EXIT()),
			 (uint64_t)-7);
	/* 32-bit signed forms work on the low halves and zero-extend */
	assert_int_equal(RUN(MOV32_IMM(R0, -7), ALU32_IMM_OFF(BPFKIT_DIV, R0, 2, 1), EXIT()), 0xfffffffdull);
	assert_int_equal(RUN(MOV32_IMM(R0, INT32_MIN), ALU32_IMM_OFF(BPFKIT_DIV, R0, -1, 1), EXIT()),
			 0x80000000ull);
	assert_int_equal(RUN(MOV32_IMM(R0, INT32_MIN), MOV32_IMM(R1, -1),
			     ALU32_REG_OFF(BPFKIT_MOD, R0, R1, 1), EXIT()),
			 0);
	assert_int_equal(RUN(MOV64_IMM(R0, -7), ALU32_IMM_OFF(BPFKIT_MOD, R0, 0, 1), EXIT()), 0xfffffff9ull);
	assert_int_equal(RUN(MOV64_IMM(R0, -7), ALU32_IMM_OFF(BPFKIT_DIV, R0, 0, 1), EXIT()), 0);
	/* upper bits of a 64-bit register do not take part in sdiv32 */
	assert_int_equal(RUN(LD_IMM64(R0, 0x12345678fffffff9ull), ALU32_IMM_OFF(BPFKIT_MOD, R0, 4, 1),
			     EXIT()),
			 0xfffffffdull);
}

static void test_shifts(void **state)
{
	(void)state;
	/* the amount is masked to 63 / 31 */
	assert_int_equal(RUN(MOV64_IMM(R0, 1), MOV64_IMM(R1, 65), ALU64_REG(BPFKIT_LSH, R0, R1), EXIT()), 2);
	assert_int_equal(RUN(MOV64_IMM(R0, 1), MOV64_IMM(R1, 33), ALU32_REG(BPFKIT_LSH, R0, R1), EXIT()), 2);
	assert_int_equal(RUN(MOV64_IMM(R0, 0x11), ALU32_IMM(BPFKIT_LSH, R0, 60), EXIT()), 0x10000000);
	assert_int_equal(RUN(MOV64_IMM(R0, 0x11), ALU32_IMM(BPFKIT_LSH, R0, -4), EXIT()), 0x10000000);
	assert_int_equal(RUN(MOV64_IMM(R0, 1), ALU64_IMM(BPFKIT_LSH, R0, 63), EXIT()), INT64_MIN_U);
	assert_int_equal(RUN(MOV64_IMM(R0, -1), ALU64_IMM(BPFKIT_RSH, R0, 60), EXIT()), 0xf);
	assert_int_equal(RUN(MOV64_IMM(R0, -1), ALU32_IMM(BPFKIT_RSH, R0, 28), EXIT()), 0xf);
	assert_int_equal(RUN(MOV64_IMM(R0, -16), ALU64_IMM(BPFKIT_ARSH, R0, 2), EXIT()), (uint64_t)-4);
	assert_int_equal(RUN(MOV64_IMM(R0, -16), MOV64_IMM(R1, 66), ALU64_REG(BPFKIT_ARSH, R0, R1), EXIT()),
			 (uint64_t)-4);
	/* arsh32 fills with bit 31 and zero-extends */
	assert_int_equal(RUN(MOV32_IMM(R0, 0xf8), ALU32_IMM(BPFKIT_LSH, R0, 28), ALU32_IMM(BPFKIT_ARSH, R0, 48),
			     EXIT()),
			 0xffff8000ull);
	assert_int_equal(RUN(LD_IMM64(R0, 0x7fffffff00000000ull), ALU32_IMM(BPFKIT_ARSH, R0, 4), EXIT()), 0);
	assert_int_equal(RUN(MOV64_IMM(R0, 0x80), LD_IMM64(R1, 0xffffffff00000004ull),
			     ALU64_REG(BPFKIT_RSH, R0, R1), EXIT()),
			 8);
}

static void test_movsx(void **state)
{
	(void)state;
	assert_int_equal(RUN(MOV64_IMM(R1, 0x180), MOVSX64(R0, R1, 8), EXIT()), (uint64_t)-128);
	assert_int_equal(RUN(MOV64_IMM(R1, 0x17f), MOVSX64(R0, R1, 8), EXIT()), 0x7f);
	assert_int_equal(RUN(MOV64_IMM(R1, 0x18000), MOVSX64(R0, R1, 16), EXIT()), (uint64_t)-32768);
	assert_int_equal(RUN(LD_IMM64(R1, 0x180000000ull), MOVSX64(R0, R1, 32), EXIT()),
			 0xffffffff80000000ull);
	/* into 32 bits: sign-extend to 32, then zero-extend */
	assert_int_equal(RUN(MOV64_IMM(R1, 0x80), MOVSX32(R0, R1, 8), EXIT()), 0xffffff80ull);
	assert_int_equal(RUN(MOV64_IMM(R1, 0x8000), MOVSX32(R0, R1, 16), EXIT()), 0xffff8000ull);
	assert_int_equal(RUN(MOV64_IMM(R1, 0x7fff), MOVSX32(R0, R1, 16), EXIT()), 0x7fff);
}

static void test_byte_order(void **state)
{
	(void)state;
	/* le on a little-endian host truncates; be swaps and truncates */
	assert_int_equal(RUN(LD_IMM64(R0, 0x1122334455667788ull), LE(R0, 16), EXIT()), 0x7788);
	assert_int_equal(RUN(LD_IMM64(R0, 0x1122334455667788ull), LE(R0, 32), EXIT()), 0x55667788);
	assert_int_equal(RUN(LD_IMM64(R0, 0x1122334455667788ull), LE(R0, 64), EXIT()), 0x1122334455667788ull);
	assert_int_equal(RUN(LD_IMM64(R0, 0x1122334455667788ull), BE(R0, 16), EXIT()), 0x8877);
	assert_int_equal(RUN(LD_IMM64(R0, 0x1122334455667788ull), BE(R0, 32), EXIT()), 0x88776655);
	assert_int_equal(RUN(LD_IMM64(R0, 0x1122334455667788ull), BE(R0, 64), EXIT()), 0x8877665544332211ull);
	/* ALU64 bswap swaps unconditionally */
	assert_int_equal(RUN(LD_IMM64(R0, 0x1122334455667788ull), BSWAP(R0, 16), EXIT()), 0x8877);
	assert_int_equal(RUN(LD_IMM64(R0, 0x1122334455667788ull), BSWAP(R0, 32), EXIT()), 0x88776655);
	assert_int_equal(RUN(LD_IMM64(R0, 0x1122334455667788ull), BSWAP(R0, 64), EXIT()),
			 0x8877665544332211ull);
}

static void test_loads_stores(void **state)
{
	uint8_t mem[16] = { 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x91, 0xaa, 0xbb, 0xcc, 0xdd };

	(void)state;
	assert_int_equal(RUN_MEM(mem, sizeof(mem), LDX_MEM(BPFKIT_B, R0, R1, 0), EXIT()), 0x88);
	assert_int_equal(RUN_MEM(mem, sizeof(mem), LDX_MEM(BPFKIT_H, R0, R1, 0), EXIT()), 0x7788);
	assert_int_equal(RUN_MEM(mem, sizeof(mem), LDX_MEM(BPFKIT_W, R0, R1, 0), EXIT()), 0x55667788);
	assert_int_equal(RUN_MEM(mem, sizeof(mem), LDX_MEM(BPFKIT_DW, R0, R1, 0), EXIT()),
			 0x9122334455667788ull);
	/* sign-extending loads */
	assert_int_equal(RUN_MEM(mem, sizeof(mem), LDX_MEMSX(BPFKIT_B, R0, R1, 0), EXIT()), (uint64_t)(int8_t)0x88);
	assert_int_equal(RUN_MEM(mem, sizeof(mem), LDX_MEMSX(BPFKIT_H, R0, R1, 6), EXIT()), 0xffffffffffff9122ull);
	assert_int_equal(RUN_MEM(mem, sizeof(mem), LDX_MEMSX(BPFKIT_W, R0, R1, 4), EXIT()), 0xffffffff91223344ull);
	assert_int_equal(RUN_MEM(mem, sizeof(mem), LDX_MEMSX(BPFKIT_W, R0, R1, 0), EXIT()), 0x55667788);
	/* unaligned access is allowed; the last byte is reachable */
	assert_int_equal(RUN_MEM(mem, sizeof(mem), LDX_MEM(BPFKIT_W, R0, R1, 7), EXIT()), 0xccbbaa91ull);
	assert_int_equal(RUN_MEM(mem, sizeof(mem), LDX_MEM(BPFKIT_DW, R0, R1, 8), EXIT()), 0xddccbbaaull);
	/* r2 holds the length */
	assert_int_equal(RUN_MEM(mem, sizeof(mem), MOV64_REG(R0, R2), EXIT()), 16);
	/* stores: truncated immediates and registers, stdw sign-extends imm */
	assert_int_equal(RUN_MEM(mem, sizeof(mem), ST_MEM(BPFKIT_DW, R1, 0, -2), LDX_MEM(BPFKIT_DW, R0, R1, 0),
				 EXIT()),
			 (uint64_t)-2);
	assert_int_equal(RUN_MEM(mem, sizeof(mem), ST_MEM(BPFKIT_DW, R1, 0, 0), ST_MEM(BPFKIT_H, R1, 1, 0x12345),
				 LDX_MEM(BPFKIT_DW, R0, R1, 0), EXIT()),
			 0x234500);
	assert_int_equal(RUN_MEM(mem, sizeof(mem), LD_IMM64(R3, 0x1122334455667788ull), ST_MEM(BPFKIT_DW, R1, 8, 0),
				 STX_MEM(BPFKIT_W, R1, R3, 9), STX_MEM(BPFKIT_B, R1, R3, 8),
				 LDX_MEM(BPFKIT_DW, R0, R1, 8), EXIT()),
			 0x5566778888ull);
	assert_int_equal(mem[8], 0x88);
	/* the stack: r10 is the top of frame 0 */
	assert_int_equal(RUN(MOV64_IMM(R1, 42), STX_MEM(BPFKIT_DW, R10, R1, -8), LDX_MEM(BPFKIT_DW, R0, R10, -8),
			     EXIT()),
			 42);
	assert_int_equal(RUN(ST_MEM(BPFKIT_B, R10, -512, 7), LDX_MEM(BPFKIT_B, R0, R10, -512), EXIT()), 7);
}

static void test_stack_cleared_between_runs(void **state)
{
	const struct bpfkit_insn p[] = {
		LDX_MEM(BPFKIT_DW, R0, R10, -8),
		ST_MEM(BPFKIT_DW, R10, -8, 99),
		EXIT(),
	};
	struct bpfkit_vm *vm = bpfkit_vm__new();
	uint64_t r0 = 1;

	(void)state;
	assert_non_null(vm);
	assert_int_equal(bpfkit_vm__load(vm, p, NINSNS(p), NULL), 0);
	assert_int_equal(bpfkit_vm__run(vm, NULL, 0, &r0, NULL, NULL), 0);
	assert_int_equal(r0, 0);
	assert_int_equal(bpfkit_vm__run(vm, NULL, 0, &r0, NULL, NULL), 0);
	assert_int_equal(r0, 0);
	bpfkit_vm__free(vm);
}

static void test_atomics64(void **state)
{
	(void)state;
#define AT64(op, init, val, ...)                                                                   \
	RUN(LD_IMM64(R1, init), STX_MEM(BPFKIT_DW, R10, R1, -8), LD_IMM64(R2, val),                \
	    ATOMIC(BPFKIT_DW, op, R10, R2, -8), __VA_ARGS__, EXIT())
	assert_int_equal(AT64(BPFKIT_ADD, 10, 5, LDX_MEM(BPFKIT_DW, R0, R10, -8)), 15);
	assert_int_equal(AT64(BPFKIT_OR, 0xf0, 0x0f, LDX_MEM(BPFKIT_DW, R0, R10, -8)), 0xff);
	assert_int_equal(AT64(BPFKIT_AND, 0xf0, 0x3c, LDX_MEM(BPFKIT_DW, R0, R10, -8)), 0x30);
	assert_int_equal(AT64(BPFKIT_XOR, 0xf0, 0xff, LDX_MEM(BPFKIT_DW, R0, R10, -8)), 0x0f);
	/* without FETCH the source register is untouched */
	assert_int_equal(AT64(BPFKIT_ADD, 10, 5, MOV64_REG(R0, R2)), 5);
	/* FETCH: the old value lands in src */
	assert_int_equal(AT64(BPFKIT_ADD | BPFKIT_FETCH, 10, 5, MOV64_REG(R0, R2)), 10);
	assert_int_equal(AT64(BPFKIT_OR | BPFKIT_FETCH, 0x1ffffffffull, 2, MOV64_REG(R0, R2)), 0x1ffffffffull);
	assert_int_equal(AT64(BPFKIT_AND | BPFKIT_FETCH, 7, 1, LDX_MEM(BPFKIT_DW, R0, R10, -8)), 1);
	assert_int_equal(AT64(BPFKIT_XOR | BPFKIT_FETCH, 7, 1, MOV64_REG(R0, R2)), 7);
	assert_int_equal(AT64(BPFKIT_XCHG, 7, 9, MOV64_REG(R0, R2)), 7);
	assert_int_equal(AT64(BPFKIT_XCHG, 7, 9, LDX_MEM(BPFKIT_DW, R0, R10, -8)), 9);
	/* cmpxchg: stores src when *p == r0; r0 gets the old value either way */
	assert_int_equal(RUN(ST_MEM(BPFKIT_DW, R10, -8, 3), MOV64_IMM(R0, 3), MOV64_IMM(R2, 4),
			     ATOMIC(BPFKIT_DW, BPFKIT_CMPXCHG, R10, R2, -8), LDX_MEM(BPFKIT_DW, R1, R10, -8),
			     ALU64_IMM(BPFKIT_LSH, R0, 8), ALU64_REG(BPFKIT_OR, R0, R1), EXIT()),
			 0x304);
	assert_int_equal(RUN(ST_MEM(BPFKIT_DW, R10, -8, 3), MOV64_IMM(R0, 5), MOV64_IMM(R2, 4),
			     ATOMIC(BPFKIT_DW, BPFKIT_CMPXCHG, R10, R2, -8), LDX_MEM(BPFKIT_DW, R1, R10, -8),
			     ALU64_IMM(BPFKIT_LSH, R0, 8), ALU64_REG(BPFKIT_OR, R0, R1), EXIT()),
			 0x303);
#undef AT64
}

static void test_atomics32(void **state)
{
	(void)state;
	/* 32-bit atomics touch only their word, fetch zero-extends */
	assert_int_equal(RUN(ST_MEM(BPFKIT_DW, R10, -8, -1), MOV64_IMM(R2, 1),
			     ATOMIC(BPFKIT_W, BPFKIT_ADD, R10, R2, -8), LDX_MEM(BPFKIT_DW, R0, R10, -8), EXIT()),
			 0xffffffff00000000ull);
	assert_int_equal(RUN(ST_MEM(BPFKIT_W, R10, -4, -1), MOV64_IMM(R2, -1),
			     ATOMIC(BPFKIT_W, BPFKIT_ADD | BPFKIT_FETCH, R10, R2, -4), MOV64_REG(R0, R2), EXIT()),
			 0xffffffffull);
	assert_int_equal(RUN(ST_MEM(BPFKIT_W, R10, -4, 0x10), LD_IMM64(R2, 0xffffffff00000001ull),
			     ATOMIC(BPFKIT_W, BPFKIT_OR, R10, R2, -4), LDX_MEM(BPFKIT_W, R0, R10, -4), EXIT()),
			 0x11);
	assert_int_equal(RUN(ST_MEM(BPFKIT_W, R10, -4, 0x13), MOV64_IMM(R2, 0x6),
			     ATOMIC(BPFKIT_W, BPFKIT_AND | BPFKIT_FETCH, R10, R2, -4), LDX_MEM(BPFKIT_W, R0, R10, -4),
			     ALU64_IMM(BPFKIT_LSH, R0, 8), ALU64_REG(BPFKIT_OR, R0, R2), EXIT()),
			 0x213);
	assert_int_equal(RUN(ST_MEM(BPFKIT_W, R10, -4, 0x13), MOV64_IMM(R2, 0x6),
			     ATOMIC(BPFKIT_W, BPFKIT_XOR, R10, R2, -4), LDX_MEM(BPFKIT_W, R0, R10, -4), EXIT()),
			 0x15);
	assert_int_equal(RUN(ST_MEM(BPFKIT_W, R10, -4, -2), MOV64_IMM(R2, 5),
			     ATOMIC(BPFKIT_W, BPFKIT_XCHG, R10, R2, -4), MOV64_REG(R0, R2), EXIT()),
			 0xfffffffeull);
	/* cmpxchg32 compares the low half of r0 only */
	assert_int_equal(RUN(ST_MEM(BPFKIT_W, R10, -4, 3), LD_IMM64(R0, 0x700000003ull), MOV64_IMM(R2, 4),
			     ATOMIC(BPFKIT_W, BPFKIT_CMPXCHG, R10, R2, -4), LDX_MEM(BPFKIT_W, R1, R10, -4),
			     ALU64_IMM(BPFKIT_LSH, R0, 8), ALU64_REG(BPFKIT_OR, R0, R1), EXIT()),
			 0x304);
	assert_int_equal(RUN(ST_MEM(BPFKIT_W, R10, -4, -1), MOV64_IMM(R0, 0), MOV64_IMM(R2, 4),
			     ATOMIC(BPFKIT_W, BPFKIT_CMPXCHG, R10, R2, -4), EXIT()),
			 0xffffffffull);
}

/* r0 = 1 when the jump is taken, 0 when not */
#define TAKEN(...) RUN(MOV64_IMM(R0, 0), __VA_ARGS__, EXIT(), MOV64_IMM(R0, 1), EXIT())

static void test_jumps(void **state)
{
	(void)state;
	assert_int_equal(TAKEN(MOV64_IMM(R1, 5), JMP_IMM(BPFKIT_JEQ, R1, 5, 1)), 1);
	assert_int_equal(TAKEN(MOV64_IMM(R1, 5), JMP_IMM(BPFKIT_JNE, R1, 5, 1)), 0);
	/* unsigned: -1 > 1; signed: -1 < 1 */
	assert_int_equal(TAKEN(MOV64_IMM(R1, -1), JMP_IMM(BPFKIT_JGT, R1, 1, 1)), 1);
	assert_int_equal(TAKEN(MOV64_IMM(R1, -1), JMP_IMM(BPFKIT_JSGT, R1, 1, 1)), 0);
	assert_int_equal(TAKEN(MOV64_IMM(R1, -1), JMP_IMM(BPFKIT_JSLT, R1, 1, 1)), 1);
	assert_int_equal(TAKEN(MOV64_IMM(R1, -1), JMP_IMM(BPFKIT_JLT, R1, 1, 1)), 0);
	assert_int_equal(TAKEN(MOV64_IMM(R1, 1), JMP_IMM(BPFKIT_JGE, R1, 1, 1)), 1);
	assert_int_equal(TAKEN(MOV64_IMM(R1, 1), JMP_IMM(BPFKIT_JLE, R1, 0, 1)), 0);
	assert_int_equal(TAKEN(MOV64_IMM(R1, -2), JMP_IMM(BPFKIT_JSGE, R1, -2, 1)), 1);
	assert_int_equal(TAKEN(MOV64_IMM(R1, -2), JMP_IMM(BPFKIT_JSLE, R1, -3, 1)), 0);
	assert_int_equal(TAKEN(MOV64_IMM(R1, 6), JMP_IMM(BPFKIT_JSET, R1, 9, 1)), 0);
	assert_int_equal(TAKEN(MOV64_IMM(R1, 6), MOV64_IMM(R2, 12), JMP_REG(BPFKIT_JSET, R1, R2, 1)), 1);
	assert_int_equal(TAKEN(MOV64_IMM(R1, 6), MOV64_IMM(R2, 6), JMP_REG(BPFKIT_JEQ, R1, R2, 1)), 1);
	assert_int_equal(TAKEN(MOV64_IMM(R1, -6), MOV64_IMM(R2, 6), JMP_REG(BPFKIT_JSLT, R1, R2, 1)), 1);
	assert_int_equal(TAKEN(MOV64_IMM(R1, -6), MOV64_IMM(R2, 6), JMP_REG(BPFKIT_JLT, R1, R2, 1)), 0);
	/* jmp64 imm is sign-extended: 0x80000000 means 0xffffffff80000000 */
	assert_int_equal(TAKEN(LD_IMM64(R1, 0xffffffff80000000ull), JMP_IMM(BPFKIT_JEQ, R1, INT32_MIN, 1)), 1);
	assert_int_equal(TAKEN(LD_IMM64(R1, 0x80000000ull), JMP_IMM(BPFKIT_JEQ, R1, INT32_MIN, 1)), 0);
	/* jmp32 compares the low halves only */
	assert_int_equal(TAKEN(LD_IMM64(R1, 0x100000005ull), JMP32_IMM(BPFKIT_JEQ, R1, 5, 1)), 1);
	assert_int_equal(TAKEN(LD_IMM64(R1, 0x100000005ull), JMP_IMM(BPFKIT_JEQ, R1, 5, 1)), 0);
	assert_int_equal(TAKEN(LD_IMM64(R1, 0x80000000ull), JMP32_IMM(BPFKIT_JSLT, R1, 0, 1)), 1);
	assert_int_equal(TAKEN(LD_IMM64(R1, 0x80000000ull), JMP_IMM(BPFKIT_JSLT, R1, 0, 1)), 0);
	assert_int_equal(TAKEN(LD_IMM64(R1, 0x1ffffffffull), MOV64_IMM(R2, 1), JMP32_REG(BPFKIT_JGT, R1, R2, 1)), 1);
	assert_int_equal(TAKEN(LD_IMM64(R1, 0x1ffffffffull), MOV64_IMM(R2, -1), JMP32_REG(BPFKIT_JSLT, R1, R2, 1)),
			 0);
	assert_int_equal(TAKEN(LD_IMM64(R1, 0x100000000ull), JMP32_IMM(BPFKIT_JSET, R1, -1, 1)), 0);
	assert_int_equal(TAKEN(MOV64_IMM(R1, 3), JMP32_IMM(BPFKIT_JNE, R1, 4, 1)), 1);
	assert_int_equal(TAKEN(MOV64_IMM(R1, 3), JMP32_IMM(BPFKIT_JGE, R1, 4, 1)), 0);
	assert_int_equal(TAKEN(MOV64_IMM(R1, 3), JMP32_IMM(BPFKIT_JLE, R1, 3, 1)), 1);
	assert_int_equal(TAKEN(MOV64_IMM(R1, 3), JMP32_IMM(BPFKIT_JLT, R1, 3, 1)), 0);
	assert_int_equal(TAKEN(MOV64_IMM(R1, -3), JMP32_IMM(BPFKIT_JSGE, R1, -3, 1)), 1);
	assert_int_equal(TAKEN(MOV64_IMM(R1, -3), JMP32_IMM(BPFKIT_JSGT, R1, -3, 1)), 0);
	assert_int_equal(TAKEN(MOV64_IMM(R1, -3), JMP32_IMM(BPFKIT_JSLE, R1, -4, 1)), 0);
	/* ja and ja32 (gotol), forward and backward */
	assert_int_equal(TAKEN(JA(1)), 1);
	assert_int_equal(TAKEN(JA32(1)), 1);
	assert_int_equal(RUN(MOV64_IMM(R0, 0), JA32(2), ALU64_IMM(BPFKIT_ADD, R0, 1), EXIT(),
			     ALU64_IMM(BPFKIT_ADD, R0, 10), JMP_IMM(BPFKIT_JLT, R0, 30, -2), JA32(-5)),
			 31);
}

static void test_counting_loop(void **state)
{
	const struct bpfkit_insn p[] = {
		MOV64_IMM(R0, 0),
		ALU64_IMM(BPFKIT_ADD, R0, 1),
		JMP_IMM(BPFKIT_JLT, R0, 1000, -2),
		EXIT(),
	};
	struct vm_result r = vm_try_new(p, NINSNS(p), NULL, 0);

	(void)state;
	assert_int_equal(r.run_err, 0);
	assert_int_equal(r.r0, 1000);
	assert_int_equal(r.insns, 1 + 2 * 1000 + 1);
}

static void test_local_calls(void **state)
{
	(void)state;
	/* r6-r9 and r10 survive a call that clobbers them; r1-r5 pass args */
	const struct bpfkit_insn p[] = {
		MOV64_IMM(R6, 6), MOV64_IMM(R7, 7), MOV64_IMM(R8, 8), MOV64_IMM(R9, 9),
		MOV64_REG(R5, R10), MOV64_IMM(R1, 100), ST_MEM(BPFKIT_DW, R10, -8, 1),
		CALL_LOCAL(14),
		/* back in main: check r6-r9, r10 and the frame contents */
		JMP_IMM(BPFKIT_JNE, R6, 6, 11), JMP_IMM(BPFKIT_JNE, R7, 7, 10),
		JMP_IMM(BPFKIT_JNE, R8, 8, 9), JMP_IMM(BPFKIT_JNE, R9, 9, 8),
		JMP_REG(BPFKIT_JNE, R5, R10, 7),
		LDX_MEM(BPFKIT_DW, R1, R10, -8), JMP_IMM(BPFKIT_JNE, R1, 1, 5),
		JMP_IMM(BPFKIT_JNE, R0, 101, 4),
		MOV64_IMM(R0, 1), EXIT(),
		MOV64_IMM(R0, -1), EXIT(),
		MOV64_IMM(R0, -2), EXIT(),
		/* callee (slot 22): a frame of its own, 512 bytes below */
		MOV64_REG(R0, R1), ALU64_IMM(BPFKIT_ADD, R0, 1),
		MOV64_REG(R2, R5), ALU64_REG(BPFKIT_SUB, R2, R10),
		JMP_IMM(BPFKIT_JNE, R2, 512, 6),
		ST_MEM(BPFKIT_DW, R10, -8, 2),
		MOV64_IMM(R6, 0), MOV64_IMM(R7, 0), MOV64_IMM(R8, 0), MOV64_IMM(R9, 0),
		EXIT(),
		MOV64_IMM(R0, -3), EXIT(),
	};
	struct vm_result r = vm_try_new(p, NINSNS(p), NULL, 0);

	if (r.load_err || r.run_err)
		print_error("insn %ld: %s\n", r.diag.insn, r.diag.msg);
	assert_int_equal(r.load_err, 0);
	assert_int_equal(r.run_err, 0);
	assert_int_equal(r.r0, 1);

	/* nested and recursive: f(n) = n ? n + f(n - 1) : 0; f(6) uses all 8 frames */
	assert_int_equal(RUN(MOV64_IMM(R1, 6), CALL_LOCAL(1), EXIT(),
			     JMP_IMM(BPFKIT_JNE, R1, 0, 2), MOV64_IMM(R0, 0), EXIT(),
			     MOV64_REG(R6, R1), ALU64_IMM(BPFKIT_SUB, R1, 1), CALL_LOCAL(-6),
			     ALU64_REG(BPFKIT_ADD, R0, R6), EXIT()),
			 21);
}

static uint64_t h_add3(struct bpfkit_vm_ctx *ctx, uint64_t a, uint64_t b, uint64_t c, uint64_t d,
		       uint64_t e)
{
	(void)ctx, (void)d, (void)e;
	return a + b + c;
}

static uint64_t h_args(struct bpfkit_vm_ctx *ctx, uint64_t a, uint64_t b, uint64_t c, uint64_t d,
		       uint64_t e)
{
	(void)ctx;
	return a << 32 | b << 24 | c << 16 | d << 8 | e;
}

static void test_callx(void **state)
{
	struct bpfkit_vm *vm = bpfkit_vm__new();
	const struct bpfkit_insn p[] = {
		MOV64_IMM(R1, 1), MOV64_IMM(R2, 2), MOV64_IMM(R3, 3),
		MOV64_IMM(R7, 40), CALLX(R7), EXIT(),
	};
	struct vm_result r;

	(void)state;
	/* the suite's callx.data: helper 5 (unwind) through a register, r1 = -1 */
	assert_int_equal(RUN(MOV64_IMM(R1, -1), MOV64_IMM(R2, 5), CALLX(R2), MOV64_IMM(R0, 2), EXIT()), 2);
	/* ... and unwinding through callx when the helper returns 0 */
	assert_int_equal(RUN(MOV64_IMM(R1, 0), MOV64_IMM(R2, 5), CALLX(R2), MOV64_IMM(R0, 2), EXIT()), 0);
	assert_non_null(vm);
	assert_int_equal(bpfkit_vm__register_helper(vm, 40, "add3", h_add3), 0);
	r = vm_try(vm, p, NINSNS(p), NULL, 0);
	assert_int_equal(r.run_err, 0);
	assert_int_equal(r.r0, 6);
	/* re-registering replaces the function for the loaded program */
	assert_int_equal(bpfkit_vm__register_helper(vm, 40, "args", h_args), 0);
	assert_int_equal(bpfkit_vm__run(vm, NULL, 0, &r.r0, NULL, NULL), 0);
	assert_int_equal(r.r0, 0x0102030000ull);
	bpfkit_vm__free(vm);
}

static void test_ld_abs_ind(void **state)
{
	uint8_t pkt[8] = { 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0 };

	(void)state;
	/* big-endian loads from the input */
	assert_int_equal(RUN_MEM(pkt, sizeof(pkt), LD_ABS(BPFKIT_B, 1), EXIT()), 0x34);
	assert_int_equal(RUN_MEM(pkt, sizeof(pkt), LD_ABS(BPFKIT_H, 2), EXIT()), 0x5678);
	assert_int_equal(RUN_MEM(pkt, sizeof(pkt), LD_ABS(BPFKIT_W, 4), EXIT()), 0x9abcdef0);
	assert_int_equal(RUN_MEM(pkt, sizeof(pkt), MOV64_IMM(R3, 3), LD_IND(BPFKIT_W, R3, 1), EXIT()),
			 0x9abcdef0);
	assert_int_equal(RUN_MEM(pkt, sizeof(pkt), MOV64_IMM(R3, 9), LD_IND(BPFKIT_B, R3, -2), EXIT()), 0xf0);
	/* out of bounds ends the program with r0 = 0; nothing after runs */
	assert_int_equal(RUN_MEM(pkt, sizeof(pkt), MOV64_IMM(R0, 5), LD_ABS(BPFKIT_W, 5), MOV64_IMM(R0, 9),
				 EXIT()),
			 0);
	assert_int_equal(RUN_MEM(pkt, sizeof(pkt), MOV64_IMM(R3, -1), LD_IND(BPFKIT_B, R3, 0), MOV64_IMM(R0, 9),
				 EXIT()),
			 0);
	assert_int_equal(RUN_MEM(pkt, sizeof(pkt), LD_IMM64(R3, 0x100000000ull), LD_IND(BPFKIT_B, R3, 7),
				 EXIT()),
			 0xf0);
	assert_int_equal(RUN(MOV64_IMM(R0, 5), LD_ABS(BPFKIT_B, 0), MOV64_IMM(R0, 9), EXIT()), 0);
	/* ... even from inside a function */
	assert_int_equal(RUN_MEM(pkt, sizeof(pkt), CALL_LOCAL(2), MOV64_IMM(R0, 9), EXIT(),
				 LD_ABS(BPFKIT_H, 7), EXIT()),
			 0);
}

static uint8_t granted[16];

static uint64_t h_grant(struct bpfkit_vm_ctx *ctx, uint64_t writable, uint64_t b, uint64_t c,
			uint64_t d, uint64_t e)
{
	(void)b, (void)c, (void)d, (void)e;
	if (bpfkit_vm_ctx__grant(ctx, granted, sizeof(granted), writable))
		return 0;
	return (uint64_t)(uintptr_t)granted;
}

static uint64_t h_stop(struct bpfkit_vm_ctx *ctx, uint64_t a, uint64_t b, uint64_t c, uint64_t d,
		       uint64_t e)
{
	(void)b, (void)c, (void)d, (void)e;
	bpfkit_vm_ctx__stop(ctx, a);
	return 0;
}

static uint64_t h_user(struct bpfkit_vm_ctx *ctx, uint64_t a, uint64_t b, uint64_t c, uint64_t d,
		       uint64_t e)
{
	(void)a, (void)b, (void)c, (void)d, (void)e;
	return *(uint64_t *)bpfkit_vm_ctx__user(ctx);
}

static void test_helpers_and_grants(void **state)
{
	struct bpfkit_vm *vm = bpfkit_vm__new();
	uint64_t user = 77;
	struct vm_result r;

	(void)state;
	assert_non_null(vm);
	assert_int_equal(bpfkit_vm__register_helper(vm, 100, "grant", h_grant), 0);
	assert_int_equal(bpfkit_vm__register_helper(vm, 101, "stop", h_stop), 0);
	assert_int_equal(bpfkit_vm__register_helper(vm, 102, "user", h_user), 0);
	assert_int_equal(bpfkit_vm__register_helper(vm, 103, NULL, h_args), 0);
	assert_int_equal(bpfkit_vm__register_helper(vm, 104, "null", NULL), -EINVAL);
	bpfkit_vm__set_user(vm, &user);

	/* the helper's memory becomes readable and writable for this run */
	memset(granted, 0, sizeof(granted));
	granted[15] = 0x5a;
	{
		const struct bpfkit_insn p[] = {
			MOV64_IMM(R1, 1), CALL_HELPER(100), ST_MEM(BPFKIT_B, R0, 3, 0x11),
			LDX_MEM(BPFKIT_B, R0, R0, 15), EXIT(),
		};
		r = vm_try(vm, p, NINSNS(p), NULL, 0);
		assert_int_equal(r.run_err, 0);
		assert_int_equal(r.r0, 0x5a);
		assert_int_equal(granted[3], 0x11);
	}
	/* arguments arrive in r1-r5 */
	{
		const struct bpfkit_insn p[] = {
			MOV64_IMM(R1, 1), MOV64_IMM(R2, 2), MOV64_IMM(R3, 3), MOV64_IMM(R4, 4),
			MOV64_IMM(R5, 5), CALL_HELPER(103), EXIT(),
		};
		r = vm_try(vm, p, NINSNS(p), NULL, 0);
		assert_int_equal(r.r0, 0x0102030405ull);
	}
	/* a helper can stop the program with a value */
	{
		const struct bpfkit_insn p[] = {
			MOV64_IMM(R1, 33), CALL_HELPER(101), MOV64_IMM(R0, 1), EXIT(),
		};
		r = vm_try(vm, p, NINSNS(p), NULL, 0);
		assert_int_equal(r.run_err, 0);
		assert_int_equal(r.r0, 33);
		assert_int_equal(r.insns, 2);
	}
	{
		const struct bpfkit_insn p[] = { CALL_HELPER(102), EXIT() };
		r = vm_try(vm, p, NINSNS(p), NULL, 0);
		assert_int_equal(r.r0, 77);
	}
	bpfkit_vm__free(vm);
}

static void test_test_helpers(void **state)
{
	uint8_t mem[8] = { 'a', 'b', 'c', 0, 'a', 'b', 'd', 0 };

	(void)state;
	assert_int_equal(RUN(MOV64_IMM(R1, 0x11), MOV64_IMM(R2, 0x22), MOV64_IMM(R3, 0x33), MOV64_IMM(R4, 0x44),
			     MOV64_IMM(R5, 0x155), CALL_HELPER(0), EXIT()),
			 0x1122334455ull);
	assert_int_equal(RUN(MOV64_IMM(R1, 1000000), CALL_HELPER(3), EXIT()), 1000);
	assert_int_equal(RUN(MOV64_IMM(R1, 99), CALL_HELPER(3), EXIT()), 9);
	assert_int_equal(RUN(MOV64_IMM(R1, -1), CALL_HELPER(3), EXIT()), 0xffffffffull);
	assert_int_equal(RUN(MOV64_IMM(R1, 7), CALL_HELPER(2), EXIT()), 0);
	/* unwind (5): returns r1; 0 ends the program at once */
	assert_int_equal(RUN(MOV64_IMM(R1, -1), CALL_HELPER(5), MOV64_IMM(R0, 2), EXIT()), 2);
	assert_int_equal(RUN(MOV64_IMM(R1, 0), CALL_HELPER(5), MOV64_IMM(R0, 2), EXIT()), 0);
	assert_int_equal(RUN(MOV64_IMM(R1, 0), CALL_LOCAL(2), MOV64_IMM(R0, 2), EXIT(), CALL_HELPER(5),
			     MOV64_IMM(R0, 3), EXIT()),
			 0);
	/* memfrob and strcmp_ext on checked program memory */
	assert_int_equal(RUN_MEM(mem, sizeof(mem), MOV64_REG(R6, R1), MOV64_IMM(R2, 2), CALL_HELPER(1),
				 LDX_MEM(BPFKIT_H, R0, R6, 0), EXIT()),
			 ('b' ^ 42) << 8 | ('a' ^ 42));
	mem[0] = 'a', mem[1] = 'b';
	assert_true((int64_t)RUN_MEM(mem, sizeof(mem), MOV64_REG(R2, R1), ALU64_IMM(BPFKIT_ADD, R2, 4),
				     CALL_HELPER(4), EXIT()) < 0);
	assert_int_equal(RUN_MEM(mem, sizeof(mem), MOV64_REG(R2, R1), CALL_HELPER(4), EXIT()), 0);
	/* helpers refuse pointers outside the program's memory */
	assert_int_equal(RUN_MEM(mem, sizeof(mem), MOV64_IMM(R2, 9), CALL_HELPER(1), EXIT()),
			 (uint64_t)-EFAULT);
	mem[7] = 'x';
	assert_int_equal(RUN_MEM(mem, sizeof(mem), MOV64_REG(R2, R1), ALU64_IMM(BPFKIT_ADD, R2, 4),
				 CALL_HELPER(4), EXIT()),
			 (uint64_t)-EFAULT);
	/* prandom (7) is deterministic per VM */
	assert_int_equal(RUN(CALL_HELPER(7), EXIT()), RUN(CALL_HELPER(7), EXIT()));
	assert_true(RUN(CALL_HELPER(7), MOV64_REG(R6, R0), CALL_HELPER(7), ALU64_REG(BPFKIT_SUB, R0, R6),
			EXIT()) != 0);
}

static uint64_t now_on(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Load @p insns into a fresh VM with the kernel helpers and run it. */
static struct vm_result run_kernel(const struct bpfkit_insn *insns, size_t n)
{
	struct bpfkit_vm *vm = bpfkit_vm__new();
	struct vm_result r;

	assert_int_equal(bpfkit_vm__register_kernel_helpers(vm), 0);
	r = vm_try(vm, insns, n, NULL, 0);
	bpfkit_vm__free(vm);
	return r;
}

/* The kernel set: helpers under their kernel numbers doing what the kernel's
 * do, and every other kernel helper refused at load, by name. */
static void test_kernel_helpers(void **state)
{
	static const struct {
		int32_t id;
		clockid_t clock;
	} clocks[] = { { 5, CLOCK_MONOTONIC }, { 125, CLOCK_BOOTTIME }, { 208, CLOCK_TAI } };
	const struct bpfkit_insn unwind[] = { MOV64_IMM(R1, 0), CALL_HELPER(5), MOV64_IMM(R0, 2), EXIT() };
	const struct bpfkit_insn cpu[] = { CALL_HELPER(8), EXIT() };
	const struct bpfkit_insn coarse[] = { CALL_HELPER(160), EXIT() };
	const struct bpfkit_insn pidtgid[] = { CALL_HELPER(14), EXIT() };
	const struct bpfkit_insn gather[] = { CALL_HELPER(0), EXIT() };
	struct vm_result r;

	(void)state;
	for (size_t i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
		const struct bpfkit_insn p[] = { CALL_HELPER(clocks[i].id), EXIT() };
		uint64_t t0 = now_on(clocks[i].clock), t1;
		r = run_kernel(p, NINSNS(p));
		t1 = now_on(clocks[i].clock);
		assert_int_equal(r.load_err, 0);
		assert_int_equal(r.run_err, 0);
		assert_true(t0 <= r.r0 && r.r0 <= t1);
	}
	r = run_kernel(coarse, NINSNS(coarse));
	assert_true(r.r0 > 0 && r.r0 <= now_on(CLOCK_MONOTONIC_COARSE));
	/* 5 is bpf_ktime_get_ns here, not the suite's unwind: r1 = 0 does not end the program */
	r = run_kernel(unwind, NINSNS(unwind));
	assert_int_equal(r.run_err, 0);
	assert_int_equal(r.r0, 2);
	assert_int_equal(r.insns, 4);
	/* the VM's CPU: 0 unless bpfkit_vm__set_cpu() says otherwise */
	r = run_kernel(cpu, NINSNS(cpu));
	assert_int_equal(r.r0, 0);
	/* get_current_pid_tgid has no context to answer from: refused at load, by name */
	r = run_kernel(pidtgid, NINSNS(pidtgid));
	assert_int_equal(r.load_err, -EINVAL);
	assert_int_equal(r.diag.insn, 0);
	assert_string_equal(r.diag.msg, "helper bpf_get_current_pid_tgid (14) is not implemented by the VM");
	r = run_kernel(gather, NINSNS(gather));
	assert_int_equal(r.load_err, -EINVAL);
	assert_string_equal(r.diag.msg, "call to unknown helper 0");
}

/* bpfkit_vm__load_prog: a relocation the VM cannot resolve is refused with
 * its instruction and symbol, and the VM keeps its earlier program. */
static void test_load_prog_relocs(void **state)
{
	struct bpfkit_insn insns[] = { LD_IMM64(R1, 0), MOV64_IMM(R0, 3), EXIT() };
	const struct bpfkit_insn two[] = { MOV64_IMM(R0, 2), EXIT() };
	struct bpfkit_reloc rel = { .insn = 0, .kind = BPFKIT_RELOC_MAP, .name = "counts" };
	struct bpfkit_prog p = { .insns = insns, .len = NINSNS(insns), .relocs = &rel, .nrelocs = 1 };
	struct bpfkit_vm *vm = bpfkit_vm__new();
	struct bpfkit_diag d;
	uint64_t r0 = 0;

	(void)state;
	assert_int_equal(bpfkit_vm__load(vm, two, NINSNS(two), NULL), 0);
	assert_int_equal(bpfkit_vm__load_prog(vm, &p, &d), -EINVAL);
	assert_int_equal(d.insn, 0);
	assert_string_equal(d.msg, "lddw refers to map 'counts', which the VM does not have");
	rel.kind = BPFKIT_RELOC_MAP_VALUE;
	rel.name = ".rodata";
	assert_int_equal(bpfkit_vm__load_prog(vm, &p, &d), -EINVAL);
	assert_non_null(strstr(d.msg, "global data in '.rodata'"));
	assert_int_equal(bpfkit_vm__run(vm, NULL, 0, &r0, NULL, NULL), 0);
	assert_int_equal(r0, 2);
	/* without relocations it is bpfkit_vm__load() */
	p.nrelocs = 0;
	assert_int_equal(bpfkit_vm__load_prog(vm, &p, &d), 0);
	assert_int_equal(bpfkit_vm__run(vm, NULL, 0, &r0, NULL, NULL), 0);
	assert_int_equal(r0, 3);
	bpfkit_vm__free(vm);
}

static void test_budget_and_reload(void **state)
{
	struct bpfkit_vm *vm = bpfkit_vm__new();
	const struct bpfkit_insn loop[] = {
		MOV64_IMM(R0, 0), ALU64_IMM(BPFKIT_ADD, R0, 1), JMP_IMM(BPFKIT_JLT, R0, 10, -2), EXIT(),
	};
	const struct bpfkit_insn bad[] = { MOV64_IMM(R0, 1) };
	const struct bpfkit_insn two[] = { MOV64_IMM(R0, 2), EXIT() };
	struct bpfkit_diag d;
	uint64_t r0 = 0;

	(void)state;
	assert_non_null(vm);
	assert_int_equal(bpfkit_vm__load(vm, loop, NINSNS(loop), NULL), 0);
	/* exactly enough budget passes */
	bpfkit_vm__set_budget(vm, 22);
	assert_int_equal(bpfkit_vm__run(vm, NULL, 0, &r0, NULL, NULL), 0);
	assert_int_equal(r0, 10);
	assert_int_equal(bpfkit_vm__insn_count(vm), 22);
	bpfkit_vm__set_budget(vm, 21);
	assert_int_equal(bpfkit_vm__run(vm, NULL, 0, &r0, NULL, NULL), -E2BIG);
	bpfkit_vm__set_budget(vm, 0);
	assert_int_equal(bpfkit_vm__run(vm, NULL, 0, &r0, NULL, NULL), 0);
	/* a failed load keeps the old program; a good one replaces it */
	assert_int_equal(bpfkit_vm__load(vm, bad, NINSNS(bad), &d), -EINVAL);
	assert_int_equal(bpfkit_vm__run(vm, NULL, 0, &r0, NULL, NULL), 0);
	assert_int_equal(r0, 10);
	assert_int_equal(bpfkit_vm__load(vm, two, NINSNS(two), &d), 0);
	assert_int_equal(bpfkit_vm__run(vm, NULL, 0, &r0, NULL, NULL), 0);
	assert_int_equal(r0, 2);
	bpfkit_vm__free(vm);
	bpfkit_vm__free(NULL);
	assert_string_equal(bpfkit_fault_name(BPFKIT_FAULT_LOAD), "out-of-bounds load");
	assert_string_equal(bpfkit_fault_name(BPFKIT_FAULT_BUDGET), "instruction budget exhausted");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alu64),
		cmocka_unit_test(test_alu32_zero_extends),
		cmocka_unit_test(test_div_mod_unsigned),
		cmocka_unit_test(test_div_mod_signed),
		cmocka_unit_test(test_shifts),
		cmocka_unit_test(test_movsx),
		cmocka_unit_test(test_byte_order),
		cmocka_unit_test(test_loads_stores),
		cmocka_unit_test(test_stack_cleared_between_runs),
		cmocka_unit_test(test_atomics64),
		cmocka_unit_test(test_atomics32),
		cmocka_unit_test(test_jumps),
		cmocka_unit_test(test_counting_loop),
		cmocka_unit_test(test_local_calls),
		cmocka_unit_test(test_callx),
		cmocka_unit_test(test_ld_abs_ind),
		cmocka_unit_test(test_helpers_and_grants),
		cmocka_unit_test(test_test_helpers),
		cmocka_unit_test(test_kernel_helpers),
		cmocka_unit_test(test_load_prog_relocs),
		cmocka_unit_test(test_budget_and_reload),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
