/* SPDX-License-Identifier: MIT */
/*
 * Shared by the VM's unit tests: instructions written in C (the kernel's
 * BPF_* macro style, so tests do not depend on the assembler) and helpers
 * to load and run a program in one call.
 */
#ifndef BPFKIT_TEST_VM_TEST_H
#define BPFKIT_TEST_VM_TEST_H

#include <bpfkit/isa.h>
#include <bpfkit/vm.h>

#define INSN(c, d, s, o, i)                                                                        \
	((struct bpfkit_insn){ .code = (uint8_t)(c), .dst = (d), .src = (s), .off = (int16_t)(o),  \
			       .imm = (int32_t)(i) })

#define R0 0
#define R1 1
#define R2 2
#define R3 3
#define R4 4
#define R5 5
#define R6 6
#define R7 7
#define R8 8
#define R9 9
#define R10 10

#define ALU64_IMM(op, d, i) INSN(BPFKIT_ALU64 | (op) | BPFKIT_K, d, 0, 0, i)
#define ALU64_REG(op, d, s) INSN(BPFKIT_ALU64 | (op) | BPFKIT_X, d, s, 0, 0)
#define ALU32_IMM(op, d, i) INSN(BPFKIT_ALU | (op) | BPFKIT_K, d, 0, 0, i)
#define ALU32_REG(op, d, s) INSN(BPFKIT_ALU | (op) | BPFKIT_X, d, s, 0, 0)
/* sdiv/smod (off = 1) */
#define ALU64_IMM_OFF(op, d, i, o) INSN(BPFKIT_ALU64 | (op) | BPFKIT_K, d, 0, o, i)
#define ALU64_REG_OFF(op, d, s, o) INSN(BPFKIT_ALU64 | (op) | BPFKIT_X, d, s, o, 0)
#define ALU32_IMM_OFF(op, d, i, o) INSN(BPFKIT_ALU | (op) | BPFKIT_K, d, 0, o, i)
#define ALU32_REG_OFF(op, d, s, o) INSN(BPFKIT_ALU | (op) | BPFKIT_X, d, s, o, 0)
#define MOV64_IMM(d, i) ALU64_IMM(BPFKIT_MOV, d, i)
#define MOV64_REG(d, s) ALU64_REG(BPFKIT_MOV, d, s)
#define MOV32_IMM(d, i) ALU32_IMM(BPFKIT_MOV, d, i)
#define MOV32_REG(d, s) ALU32_REG(BPFKIT_MOV, d, s)
#define MOVSX64(d, s, bits) INSN(BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, d, s, bits, 0)
#define MOVSX32(d, s, bits) INSN(BPFKIT_ALU | BPFKIT_MOV | BPFKIT_X, d, s, bits, 0)
#define NEG64(d) INSN(BPFKIT_ALU64 | BPFKIT_NEG, d, 0, 0, 0)
#define NEG32(d) INSN(BPFKIT_ALU | BPFKIT_NEG, d, 0, 0, 0)
#define ENDIAN(cls, dir, d, bits) INSN((cls) | BPFKIT_END | (dir), d, 0, 0, bits)
#define LE(d, bits) ENDIAN(BPFKIT_ALU, BPFKIT_TO_LE, d, bits)
#define BE(d, bits) ENDIAN(BPFKIT_ALU, BPFKIT_TO_BE, d, bits)
#define BSWAP(d, bits) ENDIAN(BPFKIT_ALU64, BPFKIT_TO_LE, d, bits)

#define LD_IMM64(d, v)                                                                             \
	INSN(BPFKIT_OP_LDDW, d, 0, 0, (uint32_t)(uint64_t)(v)),                                    \
		INSN(0, 0, 0, 0, (uint32_t)((uint64_t)(v) >> 32))
#define LDX_MEM(sz, d, s, o) INSN(BPFKIT_LDX | BPFKIT_MEM | (sz), d, s, o, 0)
#define LDX_MEMSX(sz, d, s, o) INSN(BPFKIT_LDX | BPFKIT_MEMSX | (sz), d, s, o, 0)
#define ST_MEM(sz, d, o, i) INSN(BPFKIT_ST | BPFKIT_MEM | (sz), d, 0, o, i)
#define STX_MEM(sz, d, s, o) INSN(BPFKIT_STX | BPFKIT_MEM | (sz), d, s, o, 0)
#define ATOMIC(sz, op, d, s, o) INSN(BPFKIT_STX | BPFKIT_ATOMIC | (sz), d, s, o, op)
#define LD_ABS(sz, i) INSN(BPFKIT_LD | BPFKIT_ABS | (sz), 0, 0, 0, i)
#define LD_IND(sz, s, i) INSN(BPFKIT_LD | BPFKIT_IND | (sz), 0, s, 0, i)

#define JMP_IMM(op, d, i, o) INSN(BPFKIT_JMP | (op) | BPFKIT_K, d, 0, o, i)
#define JMP_REG(op, d, s, o) INSN(BPFKIT_JMP | (op) | BPFKIT_X, d, s, o, 0)
#define JMP32_IMM(op, d, i, o) INSN(BPFKIT_JMP32 | (op) | BPFKIT_K, d, 0, o, i)
#define JMP32_REG(op, d, s, o) INSN(BPFKIT_JMP32 | (op) | BPFKIT_X, d, s, o, 0)
#define JA(o) INSN(BPFKIT_JMP | BPFKIT_JA, 0, 0, o, 0)
#define JA32(i) INSN(BPFKIT_JMP32 | BPFKIT_JA, 0, 0, 0, i)
#define CALL_HELPER(id) INSN(BPFKIT_OP_CALL, 0, BPFKIT_CALL_HELPER, 0, id)
#define CALL_LOCAL(rel) INSN(BPFKIT_OP_CALL, 0, BPFKIT_CALL_LOCAL, 0, rel)
#define CALLX(r) INSN(BPFKIT_OP_CALLX, r, 0, 0, 0)
#define EXIT() INSN(BPFKIT_OP_EXIT, 0, 0, 0, 0)

#define NINSNS(a) (sizeof(a) / sizeof((a)[0]))

/* Outcome of one load + run. */
struct vm_result {
	int load_err; /* bpfkit_vm__load() */
	int run_err; /* bpfkit_vm__run(), when the load succeeded */
	uint64_t r0;
	enum bpfkit_fault fault;
	struct bpfkit_diag diag; /* of whichever step failed */
	uint64_t insns; /* executed */
};

/* Load @p insns into @p vm and run it over @p mem. */
static inline struct vm_result vm_try(struct bpfkit_vm *vm, const struct bpfkit_insn *insns,
				      size_t n, void *mem, size_t mem_len)
{
	struct vm_result r = { 0 };

	r.load_err = bpfkit_vm__load(vm, insns, n, &r.diag);
	if (!r.load_err)
		r.run_err = bpfkit_vm__run(vm, mem, mem_len, &r.r0, &r.fault, &r.diag);
	r.insns = bpfkit_vm__insn_count(vm);
	return r;
}

/* Same, with a fresh VM that has the test helpers (the conformance set). */
static inline struct vm_result vm_try_new(const struct bpfkit_insn *insns, size_t n, void *mem,
					  size_t mem_len)
{
	struct bpfkit_vm *vm = bpfkit_vm__new();
	struct vm_result r;

	bpfkit_vm__register_test_helpers(vm);
	r = vm_try(vm, insns, n, mem, mem_len);
	bpfkit_vm__free(vm);
	return r;
}

/* Run a program that must load and run cleanly; r0. GNU statement
 * expression so the instructions can be written inline. */
#define RUN_MEM(mem, len, ...)                                                                     \
	({                                                                                         \
		const struct bpfkit_insn p_[] = { __VA_ARGS__ };                                   \
		struct vm_result r_ = vm_try_new(p_, NINSNS(p_), mem, len);                        \
		if (r_.load_err || r_.run_err)                                                     \
			print_error("%s:%d: load %d run %d insn %ld: %s\n", __FILE__, __LINE__,    \
				    r_.load_err, r_.run_err, r_.diag.insn, r_.diag.msg);           \
		assert_int_equal(r_.load_err, 0);                                                  \
		assert_int_equal(r_.run_err, 0);                                                   \
		r_.r0;                                                                             \
	})
#define RUN(...) RUN_MEM(NULL, 0, __VA_ARGS__)

#endif
