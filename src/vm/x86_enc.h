/* SPDX-License-Identifier: MIT */
/*
 * Private to src/vm/: a small x86-64 instruction encoder for the JIT
 * (module prefix x86_). It knows the general shapes -- prefixes, REX,
 * ModRM, SIB, displacement, immediate -- and nothing about eBPF; the JIT
 * (jit_x86_64.c) picks opcodes. Every emitter appends to a growable
 * buffer; running out of memory sets a flag the caller checks once.
 *
 * Encoding rules that are easy to get wrong, handled here once:
 *   - rsp and r12 as a memory base need a SIB byte;
 *   - rbp and r13 as a base with no displacement need an explicit disp8 of 0
 *     (mod = 00 with that base means RIP-relative);
 *   - registers 8..15 need REX.R/REX.B;
 *   - spl, bpl, sil, dil as byte registers need a REX prefix (without one
 *     the same numbers mean ah, ch, dh, bh).
 */
#ifndef BPFKIT_VM_X86_ENC_H
#define BPFKIT_VM_X86_ENC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Register numbers as the encoding uses them. */
enum x86_reg {
	X86_RAX, X86_RCX, X86_RDX, X86_RBX, X86_RSP, X86_RBP, X86_RSI, X86_RDI,
	X86_R8, X86_R9, X86_R10, X86_R11, X86_R12, X86_R13, X86_R14, X86_R15,
};

/* Condition codes (the low nibble of Jcc/SETcc). */
enum x86_cc {
	X86_CC_B = 0x2, /* below (unsigned <) */
	X86_CC_AE = 0x3, /* above or equal (unsigned >=) */
	X86_CC_E = 0x4,
	X86_CC_NE = 0x5,
	X86_CC_BE = 0x6, /* below or equal (unsigned <=) */
	X86_CC_A = 0x7, /* above (unsigned >) */
	X86_CC_S = 0x8, /* sign */
	X86_CC_L = 0xc, /* less (signed <) */
	X86_CC_GE = 0xd,
	X86_CC_LE = 0xe,
	X86_CC_G = 0xf,
};

/* Flags of an encoding. */
#define X86_W 0x01 /* REX.W: 64-bit operand size */
#define X86_66 0x02 /* operand-size prefix: 16-bit */
#define X86_BREG 0x04 /* the ModRM reg field names a byte register */
#define X86_BRM 0x08 /* the ModRM r/m field names a byte register */
#define X86_LOCK 0x10 /* LOCK prefix */

/* Opcodes used with x86_rr/x86_rm ("reg" is the ModRM reg field). */
#define X86_OP_ADD 0x01 /* add r/m, reg */
#define X86_OP_OR 0x09
#define X86_OP_AND 0x21
#define X86_OP_SUB 0x29
#define X86_OP_XOR 0x31
#define X86_OP_CMP 0x39 /* cmp r/m, reg */
#define X86_OP_TEST 0x85
#define X86_OP_XCHG 0x87
#define X86_OP_MOV_STORE 0x88 /* mov r/m8, reg8 (0x89 for the wider sizes) */
#define X86_OP_MOV 0x89 /* mov r/m, reg */
#define X86_OP_MOV_LOAD 0x8b /* mov reg, r/m */
#define X86_OP_LEA 0x8d
#define X86_OP_MOVSXD 0x63 /* movsxd reg, r/m32 (with X86_W) */
#define X86_OP_SUB_LOAD 0x2b /* sub reg, r/m */
#define X86_OP_CMP_LOAD 0x3b /* cmp reg, r/m */
#define X86_OP_IMUL 0x0faf /* imul reg, r/m */
#define X86_OP_MOVZX8 0x0fb6
#define X86_OP_MOVZX16 0x0fb7
#define X86_OP_MOVSX8 0x0fbe
#define X86_OP_MOVSX16 0x0fbf
#define X86_OP_XADD 0x0fc1
#define X86_OP_CMPXCHG 0x0fb1

/* Group opcodes with a /digit extension in the reg field. */
#define X86_GRP_ALU_I32 0x81 /* /0 add /1 or /4 and /5 sub /6 xor /7 cmp, imm32 */
#define X86_GRP_ALU_I8 0x83 /* the same with a sign-extended imm8 */
#define X86_GRP_SHIFT_I 0xc1 /* /4 shl /5 shr /7 sar /1 ror, imm8 */
#define X86_GRP_SHIFT_CL 0xd3 /* the same by cl */
#define X86_GRP_UNARY 0xf7 /* /0 test imm32 /3 neg /6 div /7 idiv */
#define X86_EXT_ADD 0
#define X86_EXT_OR 1
#define X86_EXT_ROR 1
#define X86_EXT_AND 4
#define X86_EXT_SHL 4
#define X86_EXT_SUB 5
#define X86_EXT_SHR 5
#define X86_EXT_XOR 6
#define X86_EXT_DIV 6
#define X86_EXT_CMP 7
#define X86_EXT_SAR 7
#define X86_EXT_IDIV 7
#define X86_EXT_NEG 3
#define X86_EXT_TEST 0

struct x86_buf {
	uint8_t *p;
	size_t len, cap;
	bool oom; /* an append failed; the contents are incomplete */
};

void x86_buf_free(struct x86_buf *b);
void x86_byte(struct x86_buf *b, uint8_t v);
void x86_u32(struct x86_buf *b, uint32_t v);
void x86_u64(struct x86_buf *b, uint64_t v);
/* Overwrite 4 (or 1) already emitted bytes at @p at. */
void x86_patch32(struct x86_buf *b, size_t at, int32_t v);
void x86_patch8(struct x86_buf *b, size_t at, int8_t v);

/* opcode reg, rm (register direct). */
void x86_rr(struct x86_buf *b, unsigned flags, uint32_t opcode, unsigned reg, unsigned rm);
/* opcode reg, [base + disp]. */
void x86_rm(struct x86_buf *b, unsigned flags, uint32_t opcode, unsigned reg, unsigned base,
	    int32_t disp);
/* An ALU group operation with an immediate on a register: the imm8 form
 * when the value fits, else imm32 (sign-extended by the CPU under X86_W). */
void x86_alu_ri(struct x86_buf *b, unsigned flags, unsigned ext, unsigned rm, int32_t imm);
/* The same on [base + disp]. */
void x86_alu_mi(struct x86_buf *b, unsigned flags, unsigned ext, unsigned base, int32_t disp,
		int32_t imm);
/* Shift or rotate a register by a constant. */
void x86_shift_ri(struct x86_buf *b, unsigned flags, unsigned ext, unsigned rm, uint8_t count);
/* dst = @p v in the shortest form (mov r32, imm32 zero-extends; mov r64,
 * simm32; movabs). With @p is64 false only the low 32 bits are loaded and
 * the register is zero-extended. Never touches the flags. */
void x86_mov_imm(struct x86_buf *b, bool is64, unsigned dst, uint64_t v);
/* mov r64, imm32 sign-extended, always 7 bytes (a fixed-size form). */
void x86_mov_simm32(struct x86_buf *b, unsigned dst, int32_t v);
/* mov [base + disp], imm of @p size bytes (1, 2, 4, or 8 sign-extended from 32). */
void x86_store_imm(struct x86_buf *b, unsigned size, unsigned base, int32_t disp, int32_t imm);
void x86_push(struct x86_buf *b, unsigned reg);
void x86_pop(struct x86_buf *b, unsigned reg);
void x86_ret(struct x86_buf *b);
/* call/jmp through a register. */
void x86_call_r(struct x86_buf *b, unsigned reg);
void x86_jmp_r(struct x86_buf *b, unsigned reg);
/* bswap r32/r64. */
void x86_bswap(struct x86_buf *b, bool is64, unsigned reg);
/* Relative branches: rel is measured from the end of the instruction. The
 * *32 forms are always 5/6 bytes long, so their size never depends on the
 * target. Each returns the buffer offset of its displacement for patching. */
size_t x86_jcc32(struct x86_buf *b, enum x86_cc cc, int32_t rel);
size_t x86_jcc8(struct x86_buf *b, enum x86_cc cc, int8_t rel);
size_t x86_jmp32(struct x86_buf *b, int32_t rel);
size_t x86_jmp8(struct x86_buf *b, int8_t rel);
size_t x86_call32(struct x86_buf *b, int32_t rel);

#endif
