// SPDX-License-Identifier: MIT
/*
 * The x86-64 encoder behind the JIT: prefixes, REX, ModRM/SIB and
 * displacements in one place (x86_modrm), so the special cases listed in
 * x86_enc.h are handled once. Layout of an instruction as emitted here:
 *
 *   [F0 lock] [66 opsize] [REX 0100WR0B] opcode(1-3 bytes) ModRM [SIB] [disp] [imm]
 *
 * Index registers are never used (the JIT computes addresses into a
 * scratch register first), so REX.X is always 0 and the SIB byte, when
 * present, is 0x24 ("no index, base from ModRM.rm").
 */
#include <stdlib.h>
#include <string.h>

#include "x86_enc.h"

void x86_buf_free(struct x86_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

/* Room for @p n more bytes; false (and oom set) when it cannot grow. */
static bool reserve(struct x86_buf *b, size_t n)
{
	size_t cap;
	uint8_t *p;

	if (b->oom)
		return false;
	if (b->len + n <= b->cap)
		return true;
	cap = b->cap ? b->cap : 4096;
	while (cap < b->len + n) {
		if (cap > SIZE_MAX / 2) {
			b->oom = true;
			return false;
		}
		cap *= 2;
	}
	p = realloc(b->p, cap);
	if (!p) {
		b->oom = true;
		return false;
	}
	b->p = p;
	b->cap = cap;
	return true;
}

void x86_byte(struct x86_buf *b, uint8_t v)
{
	if (reserve(b, 1))
		b->p[b->len++] = v;
}

void x86_u32(struct x86_buf *b, uint32_t v)
{
	if (!reserve(b, 4))
		return;
	for (int i = 0; i < 4; i++)
		b->p[b->len++] = (uint8_t)(v >> (8 * i));
}

void x86_u64(struct x86_buf *b, uint64_t v)
{
	x86_u32(b, (uint32_t)v);
	x86_u32(b, (uint32_t)(v >> 32));
}

void x86_patch32(struct x86_buf *b, size_t at, int32_t v)
{
	if (b->oom || at + 4 > b->len)
		return;
	for (int i = 0; i < 4; i++)
		b->p[at + i] = (uint8_t)((uint32_t)v >> (8 * i));
}

void x86_patch8(struct x86_buf *b, size_t at, int8_t v)
{
	if (!b->oom && at < b->len)
		b->p[at] = (uint8_t)v;
}

static bool fits8(int64_t v)
{
	return v >= -128 && v <= 127;
}

/* Prefixes, REX and the opcode bytes. @p reg and @p rm are full register
 * numbers (0..15); a REX prefix is emitted when any of W, R, B is needed or
 * a byte operand is spl/bpl/sil/dil. */
static void prefix_opcode(struct x86_buf *b, unsigned flags, uint32_t opcode, unsigned reg,
			  unsigned rm)
{
	uint8_t rex = 0x40;

	if (flags & X86_LOCK)
		x86_byte(b, 0xf0);
	if (flags & X86_66)
		x86_byte(b, 0x66);
	if (flags & X86_W)
		rex |= 0x08;
	if (reg & 8)
		rex |= 0x04;
	if (rm & 8)
		rex |= 0x01;
	if (rex != 0x40 || ((flags & X86_BREG) && reg >= 4 && reg <= 7) ||
	    ((flags & X86_BRM) && rm >= 4 && rm <= 7))
		x86_byte(b, rex);
	if (opcode > 0xffff)
		x86_byte(b, (uint8_t)(opcode >> 16));
	if (opcode > 0xff)
		x86_byte(b, (uint8_t)(opcode >> 8));
	x86_byte(b, (uint8_t)opcode);
}

/* ModRM (+ SIB + displacement) for [base + disp]. */
static void modrm_mem(struct x86_buf *b, unsigned reg, unsigned base, int32_t disp)
{
	uint8_t mod;

	if (disp == 0 && (base & 7) != X86_RBP)
		mod = 0x00; /* rbp/r13 with mod 00 would mean RIP-relative */
	else if (fits8(disp))
		mod = 0x40;
	else
		mod = 0x80;
	x86_byte(b, (uint8_t)(mod | (reg & 7) << 3 | (base & 7)));
	if ((base & 7) == X86_RSP) /* rsp/r12: rm = 100 means "SIB follows" */
		x86_byte(b, 0x24);
	if (mod == 0x40)
		x86_byte(b, (uint8_t)(int8_t)disp);
	else if (mod == 0x80)
		x86_u32(b, (uint32_t)disp);
}

void x86_rr(struct x86_buf *b, unsigned flags, uint32_t opcode, unsigned reg, unsigned rm)
{
	prefix_opcode(b, flags, opcode, reg, rm);
	x86_byte(b, (uint8_t)(0xc0 | (reg & 7) << 3 | (rm & 7)));
}

void x86_rm(struct x86_buf *b, unsigned flags, uint32_t opcode, unsigned reg, unsigned base,
	    int32_t disp)
{
	prefix_opcode(b, flags, opcode, reg, base);
	modrm_mem(b, reg, base, disp);
}

void x86_alu_ri(struct x86_buf *b, unsigned flags, unsigned ext, unsigned rm, int32_t imm)
{
	if (fits8(imm)) {
		x86_rr(b, flags, X86_GRP_ALU_I8, ext, rm);
		x86_byte(b, (uint8_t)(int8_t)imm);
	} else {
		x86_rr(b, flags, X86_GRP_ALU_I32, ext, rm);
		x86_u32(b, (uint32_t)imm);
	}
}

void x86_alu_mi(struct x86_buf *b, unsigned flags, unsigned ext, unsigned base, int32_t disp,
		int32_t imm)
{
	if (fits8(imm)) {
		x86_rm(b, flags, X86_GRP_ALU_I8, ext, base, disp);
		x86_byte(b, (uint8_t)(int8_t)imm);
	} else {
		x86_rm(b, flags, X86_GRP_ALU_I32, ext, base, disp);
		x86_u32(b, (uint32_t)imm);
	}
}

void x86_shift_ri(struct x86_buf *b, unsigned flags, unsigned ext, unsigned rm, uint8_t count)
{
	x86_rr(b, flags, X86_GRP_SHIFT_I, ext, rm);
	x86_byte(b, count);
}

void x86_mov_imm(struct x86_buf *b, bool is64, unsigned dst, uint64_t v)
{
	if (!is64 || v <= UINT32_MAX) {
		/* mov r32, imm32 (B8+r): zero-extends into the full register */
		prefix_opcode(b, 0, 0xb8 + (dst & 7), 0, dst);
		x86_u32(b, (uint32_t)v);
	} else if ((int64_t)v >= INT32_MIN && (int64_t)v <= INT32_MAX) {
		x86_mov_simm32(b, dst, (int32_t)v);
	} else {
		prefix_opcode(b, X86_W, 0xb8 + (dst & 7), 0, dst);
		x86_u64(b, v);
	}
}

void x86_mov_simm32(struct x86_buf *b, unsigned dst, int32_t v)
{
	x86_rr(b, X86_W, 0xc7, 0, dst);
	x86_u32(b, (uint32_t)v);
}

void x86_store_imm(struct x86_buf *b, unsigned size, unsigned base, int32_t disp, int32_t imm)
{
	switch (size) {
	case 1:
		x86_rm(b, 0, 0xc6, 0, base, disp);
		x86_byte(b, (uint8_t)imm);
		break;
	case 2:
		x86_rm(b, X86_66, 0xc7, 0, base, disp);
		x86_byte(b, (uint8_t)imm);
		x86_byte(b, (uint8_t)(imm >> 8));
		break;
	case 4:
		x86_rm(b, 0, 0xc7, 0, base, disp);
		x86_u32(b, (uint32_t)imm);
		break;
	default:
		x86_rm(b, X86_W, 0xc7, 0, base, disp);
		x86_u32(b, (uint32_t)imm);
		break;
	}
}

void x86_push(struct x86_buf *b, unsigned reg)
{
	prefix_opcode(b, 0, 0x50 + (reg & 7), 0, reg);
}

void x86_pop(struct x86_buf *b, unsigned reg)
{
	prefix_opcode(b, 0, 0x58 + (reg & 7), 0, reg);
}

void x86_ret(struct x86_buf *b)
{
	x86_byte(b, 0xc3);
}

void x86_call_r(struct x86_buf *b, unsigned reg)
{
	x86_rr(b, 0, 0xff, 2, reg);
}

void x86_jmp_r(struct x86_buf *b, unsigned reg)
{
	x86_rr(b, 0, 0xff, 4, reg);
}

void x86_bswap(struct x86_buf *b, bool is64, unsigned reg)
{
	prefix_opcode(b, is64 ? X86_W : 0, 0x0fc8 + (reg & 7), 0, reg);
}

size_t x86_jcc32(struct x86_buf *b, enum x86_cc cc, int32_t rel)
{
	size_t at;

	x86_byte(b, 0x0f);
	x86_byte(b, (uint8_t)(0x80 | cc));
	at = b->len;
	x86_u32(b, (uint32_t)rel);
	return at;
}

size_t x86_jcc8(struct x86_buf *b, enum x86_cc cc, int8_t rel)
{
	x86_byte(b, (uint8_t)(0x70 | cc));
	x86_byte(b, (uint8_t)rel);
	return b->len - 1;
}

size_t x86_jmp32(struct x86_buf *b, int32_t rel)
{
	size_t at;

	x86_byte(b, 0xe9);
	at = b->len;
	x86_u32(b, (uint32_t)rel);
	return at;
}

size_t x86_jmp8(struct x86_buf *b, int8_t rel)
{
	x86_byte(b, 0xeb);
	x86_byte(b, (uint8_t)rel);
	return b->len - 1;
}

size_t x86_call32(struct x86_buf *b, int32_t rel)
{
	size_t at;

	x86_byte(b, 0xe8);
	at = b->len;
	x86_u32(b, (uint32_t)rel);
	return at;
}
