// SPDX-License-Identifier: MIT
/*
 * The assembler: every form of both dialects against known encodings
 * (checked against llvm-mc where llvm 14 can assemble the form, and
 * against bpf_conformance's assembler for the conformance dialect),
 * labels and fix-ups, symbols, the line table, relocations, pasted
 * llvm-objdump and verifier-log text, every error class with its exact
 * place and message, the whole conformance suite, and the round trip
 * through the disassembler.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <bpfkit/isa.h>

#define AUTO BPFKIT_DIALECT_AUTO
#define CONF BPFKIT_DIALECT_CONF
#define KERN BPFKIT_DIALECT_KERN

/* One statement and the single slot it must give. */
struct form {
	int dialect;
	const char *text;
	uint8_t code, dst, src;
	int16_t off;
	int32_t imm;
};

static struct bpfkit_prog *assemble(int dialect, const char *text, struct bpfkit_diag *d)
{
	struct bpfkit_prog *p = NULL;
	int err = bpfkit_asm(text, strlen(text), dialect, &p, d);

	if (err)
		fail_msg("'%s' did not assemble: %d:%d: %s", text, d->line, d->col, d->msg);
	return p;
}

static void check_insn(const char *text, const struct bpfkit_insn *got, uint8_t code, uint8_t dst,
		       uint8_t src, int16_t off, int32_t imm)
{
	if (got->code != code || got->dst != dst || got->src != src || got->off != off ||
	    got->imm != imm)
		fail_msg("'%s': got code 0x%02x dst %u src %u off %d imm %d, want 0x%02x %u %u %d %d",
			 text, got->code, got->dst, got->src, got->off, got->imm, code, dst, src, off,
			 imm);
}

static void check_forms(const struct form *forms, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct form *f = &forms[i];
		struct bpfkit_diag d;
		struct bpfkit_prog *p = assemble(f->dialect, f->text, &d);

		if (p->len != 1)
			fail_msg("'%s': %zu slots", f->text, p->len);
		check_insn(f->text, &p->insns[0], f->code, f->dst, f->src, f->off, f->imm);
		/* and AUTO recognises the line on its own */
		bpfkit_prog__free(p);
		p = assemble(AUTO, f->text, &d);
		check_insn(f->text, &p->insns[0], f->code, f->dst, f->src, f->off, f->imm);
		bpfkit_prog__free(p);
	}
}

static const struct form conf_forms[] = {
	{ CONF, "mov32 %r0, 1", 0xb4, 0, 0, 0, 1 },
	{ CONF, "mov %r0, -1", 0xb7, 0, 0, 0, -1 },
	{ CONF, "mov %r1, %r2", 0xbf, 1, 2, 0, 0 },
	{ CONF, "mov32 %r0, 0xffffffff", 0xb4, 0, 0, 0, -1 },
	{ CONF, "mov %r0, 0x80000000", 0xb7, 0, 0, 0, INT32_MIN },
	{ CONF, "mov %r0, -2147483648", 0xb7, 0, 0, 0, INT32_MIN },
	{ CONF, "mov r3, r4", 0xbf, 3, 4, 0, 0 },
	{ CONF, "add32 %r1, %r2", 0x0c, 1, 2, 0, 0 },
	{ CONF, "add %r1, 3", 0x07, 1, 0, 0, 3 },
	{ CONF, "sub %r1, 3", 0x17, 1, 0, 0, 3 },
	{ CONF, "mul %r1, %r2", 0x2f, 1, 2, 0, 0 },
	{ CONF, "div32 %r1, 3", 0x34, 1, 0, 0, 3 },
	{ CONF, "sdiv32 %r1, %r2", 0x3c, 1, 2, 1, 0 },
	{ CONF, "sdiv %r1, -3", 0x37, 1, 0, 1, -3 },
	{ CONF, "mod %r1, %r2", 0x9f, 1, 2, 0, 0 },
	{ CONF, "smod %r1, 3", 0x97, 1, 0, 1, 3 },
	{ CONF, "smod32 %r1, %r2", 0x9c, 1, 2, 1, 0 },
	{ CONF, "or %r1, 0x10", 0x47, 1, 0, 0, 16 },
	{ CONF, "and32 %r1, 3", 0x54, 1, 0, 0, 3 },
	{ CONF, "lsh %r1, 60", 0x67, 1, 0, 0, 60 },
	{ CONF, "rsh32 %r1, %r2", 0x7c, 1, 2, 0, 0 },
	{ CONF, "arsh %r1, 3", 0xc7, 1, 0, 0, 3 },
	{ CONF, "arsh32 %r1, %r9", 0xcc, 1, 9, 0, 0 },
	{ CONF, "xor %r1, %r2", 0xaf, 1, 2, 0, 0 },
	{ CONF, "neg %r0", 0x87, 0, 0, 0, 0 },
	{ CONF, "neg32 %r7", 0x84, 7, 0, 0, 0 },
	{ CONF, "movsx832 %r0, %r1", 0xbc, 0, 1, 8, 0 },
	{ CONF, "movsx1632 %r0, %r1", 0xbc, 0, 1, 16, 0 },
	{ CONF, "movsx864 %r0, %r1", 0xbf, 0, 1, 8, 0 },
	{ CONF, "movsx1664 %r0, %r1", 0xbf, 0, 1, 16, 0 },
	{ CONF, "movsx3264 %r0, %r1", 0xbf, 0, 1, 32, 0 },
	{ CONF, "be16 %r0", 0xdc, 0, 0, 0, 16 },
	{ CONF, "be32 %r1", 0xdc, 1, 0, 0, 32 },
	{ CONF, "be64 %r2", 0xdc, 2, 0, 0, 64 },
	{ CONF, "le16 %r0", 0xd4, 0, 0, 0, 16 },
	{ CONF, "le32 %r0", 0xd4, 0, 0, 0, 32 },
	{ CONF, "le64 %r0", 0xd4, 0, 0, 0, 64 },
	{ CONF, "bswap16 %r0", 0xd7, 0, 0, 0, 16 },
	{ CONF, "bswap64 %r3", 0xd7, 3, 0, 0, 64 },
	{ CONF, "swap16 %r0", 0xd7, 0, 0, 0, 16 },
	{ CONF, "swap32 %r0", 0xd7, 0, 0, 0, 32 },
	{ CONF, "swap64 %r0", 0xd7, 0, 0, 0, 64 },
	{ CONF, "ldxb %r0, [%r1]", 0x71, 0, 1, 0, 0 },
	{ CONF, "ldxh %r0, [%r1+2]", 0x69, 0, 1, 2, 0 },
	{ CONF, "ldxw %r0, [%r1+0x4]", 0x61, 0, 1, 4, 0 },
	{ CONF, "ldxdw %r0, [%r1+8]", 0x79, 0, 1, 8, 0 },
	{ CONF, "ldxsb %r0, [%r1-1]", 0x91, 0, 1, -1, 0 },
	{ CONF, "ldxsh %r0, [%r1+2]", 0x89, 0, 1, 2, 0 },
	{ CONF, "ldxsw %r0, [%r1+4]", 0x81, 0, 1, 4, 0 },
	{ CONF, "ldxdw %r0, [%r10-32768]", 0x79, 0, 10, -32768, 0 },
	{ CONF, "stb [%r10-1], 0x11", 0x72, 10, 0, -1, 0x11 },
	{ CONF, "sth [%r10-2], 2", 0x6a, 10, 0, -2, 2 },
	{ CONF, "stw [%r10-4], 0xaa", 0x62, 10, 0, -4, 0xaa },
	{ CONF, "stdw [%r10-8], -1", 0x7a, 10, 0, -8, -1 },
	{ CONF, "stxb [%r10-1], %r1", 0x73, 10, 1, -1, 0 },
	{ CONF, "stxh [%r10-2], %r1", 0x6b, 10, 1, -2, 0 },
	{ CONF, "stxw [%r10-4], %r1", 0x63, 10, 1, -4, 0 },
	{ CONF, "stxdw [%r10-8], %r0", 0x7b, 10, 0, -8, 0 },
	{ CONF, "lock add [%r10-8], %r1", 0xdb, 10, 1, -8, 0x00 },
	{ CONF, "lock add32 [%r10-4], %r1", 0xc3, 10, 1, -4, 0x00 },
	{ CONF, "lock or [%r10-8], %r1", 0xdb, 10, 1, -8, 0x40 },
	{ CONF, "lock and32 [%r10-4], %r1", 0xc3, 10, 1, -4, 0x50 },
	{ CONF, "lock xor [%r10-8], %r1", 0xdb, 10, 1, -8, 0xa0 },
	{ CONF, "lock fetch add32 [%r10-4], %r1", 0xc3, 10, 1, -4, 0x01 },
	{ CONF, "lock fetch or [%r10-8], %r3", 0xdb, 10, 3, -8, 0x41 },
	{ CONF, "lock fetch and [%r10-8], %r1", 0xdb, 10, 1, -8, 0x51 },
	{ CONF, "lock fetch xor32 [%r10-4], %r3", 0xc3, 10, 3, -4, 0xa1 },
	{ CONF, "lock xchg [%r10-8], %r1", 0xdb, 10, 1, -8, 0xe1 },
	{ CONF, "lock xchg32 [%r10-8], %r1", 0xc3, 10, 1, -8, 0xe1 },
	{ CONF, "lock fetch xchg [%r10-8], %r1", 0xdb, 10, 1, -8, 0xe1 },
	{ CONF, "lock cmpxchg [%r10-8], %r1", 0xdb, 10, 1, -8, 0xf1 },
	{ CONF, "lock cmpxchg32 [%r10-8], %r1", 0xc3, 10, 1, -8, 0xf1 },
	{ CONF, "ja +3", 0x05, 0, 0, 3, 0 },
	{ CONF, "ja -1", 0x05, 0, 0, -1, 0 },
	{ CONF, "ja32 +5", 0x06, 0, 0, 0, 5 },
	{ CONF, "ja32 -70000", 0x06, 0, 0, 0, -70000 },
	{ CONF, "jeq %r1, 5, +2", 0x15, 1, 0, 2, 5 },
	{ CONF, "jeq32 %r1, %r2, +2", 0x1e, 1, 2, 2, 0 },
	{ CONF, "jgt %r1, 0x80000000, +1", 0x25, 1, 0, 1, INT32_MIN },
	{ CONF, "jge %r1, %r2, +1", 0x3d, 1, 2, 1, 0 },
	{ CONF, "jset %r1, 8, +1", 0x45, 1, 0, 1, 8 },
	{ CONF, "jne %r0, 15, +1", 0x55, 0, 0, 1, 15 },
	{ CONF, "jne32 %r0, %r1, -1", 0x5e, 0, 1, -1, 0 },
	{ CONF, "jsgt %r1, -2, +1", 0x65, 1, 0, 1, -2 },
	{ CONF, "jsge32 %r4, -1, +1", 0x76, 4, 0, 1, -1 },
	{ CONF, "jlt %r1, %r2, +1", 0xad, 1, 2, 1, 0 },
	{ CONF, "jle32 %r1, 3, +1", 0xb6, 1, 0, 1, 3 },
	{ CONF, "jslt %r1, -1, +1", 0xc5, 1, 0, 1, -1 },
	{ CONF, "jsle32 %r1, %r2, -3", 0xde, 1, 2, -3, 0 },
	{ CONF, "call 5", 0x85, 0, 0, 0, 5 },
	{ CONF, "call helper 6", 0x85, 0, 0, 0, 6 },
	{ CONF, "call %r2", 0x8d, 2, 0, 0, 0 },
	{ CONF, "call helper %r4", 0x8d, 4, 0, 0, 0 },
	{ CONF, "callx %r3", 0x8d, 3, 0, 0, 0 },
	{ CONF, "call runtime 1234", 0x85, 0, 2, 0, 1234 },
	{ CONF, "call local +2", 0x85, 0, 1, 0, 2 },
	{ CONF, "exit", 0x95, 0, 0, 0, 0 },
	{ CONF, "ldabsw 12", 0x20, 0, 0, 0, 12 },
	{ CONF, "ldabsh 2", 0x28, 0, 0, 0, 2 },
	{ CONF, "ldabsb 1", 0x30, 0, 0, 0, 1 },
	{ CONF, "ldindw %r1, 14", 0x40, 0, 1, 0, 14 },
	{ CONF, "ldindh %r1, 14", 0x48, 0, 1, 0, 14 },
	{ CONF, "ldindb %r2, 0", 0x50, 0, 2, 0, 0 },
	{ CONF, "mov %r10, 1", 0xb7, 10, 0, 0, 1 }, /* the VM refuses it, not the assembler */
};

static const struct form kern_forms[] = {
	{ KERN, "r0 = 1", 0xb7, 0, 0, 0, 1 },
	{ KERN, "w0 = 1", 0xb4, 0, 0, 0, 1 },
	{ KERN, "r0 = -5", 0xb7, 0, 0, 0, -5 },
	{ KERN, "r0 = r1", 0xbf, 0, 1, 0, 0 },
	{ KERN, "w0 = w1", 0xbc, 0, 1, 0, 0 },
	{ KERN, "r0 += r1", 0x0f, 0, 1, 0, 0 },
	{ KERN, "w1 -= 3", 0x14, 1, 0, 0, 3 },
	{ KERN, "r0 *= 2", 0x27, 0, 0, 0, 2 },
	{ KERN, "r0 /= r1", 0x3f, 0, 1, 0, 0 },
	{ KERN, "w0 %= 3", 0x94, 0, 0, 0, 3 },
	{ KERN, "r0 s/= r1", 0x3f, 0, 1, 1, 0 },
	{ KERN, "w0 s/= w1", 0x3c, 0, 1, 1, 0 },
	{ KERN, "r0 s%= 3", 0x97, 0, 0, 1, 3 },
	{ KERN, "r0 |= 7", 0x47, 0, 0, 0, 7 },
	{ KERN, "r0 &= r1", 0x5f, 0, 1, 0, 0 },
	{ KERN, "r0 <<= 3", 0x67, 0, 0, 0, 3 },
	{ KERN, "w0 >>= w1", 0x7c, 0, 1, 0, 0 },
	{ KERN, "r0 s>>= 2", 0xc7, 0, 0, 0, 2 },
	{ KERN, "r0 ^= -1", 0xa7, 0, 0, 0, -1 },
	{ KERN, "r0 = -r0", 0x87, 0, 0, 0, 0 },
	{ KERN, "w3 = -w3", 0x84, 3, 0, 0, 0 },
	{ KERN, "r0 = (s8)r1", 0xbf, 0, 1, 8, 0 },
	{ KERN, "r0 = (s16)r1", 0xbf, 0, 1, 16, 0 },
	{ KERN, "r0 = (s32)r1", 0xbf, 0, 1, 32, 0 },
	{ KERN, "w0 = (s8)w1", 0xbc, 0, 1, 8, 0 },
	{ KERN, "w0 = (s16)w1", 0xbc, 0, 1, 16, 0 },
	{ KERN, "r0 = be16 r0", 0xdc, 0, 0, 0, 16 },
	{ KERN, "r0 = le64 r0", 0xd4, 0, 0, 0, 64 },
	{ KERN, "r0 = bswap32 r0", 0xd7, 0, 0, 0, 32 },
	{ KERN, "r0 = *(u64 *)(r1 + 8)", 0x79, 0, 1, 8, 0 },
	{ KERN, "w0 = *(u32 *)(r1 +8)", 0x61, 0, 1, 8, 0 },
	{ KERN, "r0 = *(u32 *)(r1 - 4)", 0x61, 0, 1, -4, 0 },
	{ KERN, "r0 = *(u32 *)(r1 -4)", 0x61, 0, 1, -4, 0 },
	{ KERN, "r0 = *(u8 *)(r1 + 0)", 0x71, 0, 1, 0, 0 },
	{ KERN, "r0 = *(u16 *)(r1 +2)", 0x69, 0, 1, 2, 0 },
	{ KERN, "r0 = *(u8 *)(r1)", 0x71, 0, 1, 0, 0 },
	{ KERN, "r0 = *(s8 *)(r1 + 0)", 0x91, 0, 1, 0, 0 },
	{ KERN, "r0 = *(s16 *)(r1 + 2)", 0x89, 0, 1, 2, 0 },
	{ KERN, "r0 = *(s32 *)(r1 + 4)", 0x81, 0, 1, 4, 0 },
	{ KERN, "*(u32 *)(r10 - 4) = r1", 0x63, 10, 1, -4, 0 },
	{ KERN, "*(u64 *)(r10 -8) = r1", 0x7b, 10, 1, -8, 0 },
	{ KERN, "*(u16 *)(r10 -2) = w3", 0x6b, 10, 3, -2, 0 },
	{ KERN, "*(u64 *)(r10 -8) = 5", 0x7a, 10, 0, -8, 5 },
	{ KERN, "*(u8 *)(r10 -1) = -1", 0x72, 10, 0, -1, -1 },
	{ KERN, "lock *(u64 *)(r10 - 8) += r1", 0xdb, 10, 1, -8, 0x00 },
	{ KERN, "lock *(u32 *)(r10 -4) |= w1", 0xc3, 10, 1, -4, 0x40 },
	{ KERN, "lock *(u64 *)(r10 -8) &= r1", 0xdb, 10, 1, -8, 0x50 },
	{ KERN, "lock *(u32 *)(r10 -4) ^= r1", 0xc3, 10, 1, -4, 0xa0 },
	{ KERN, "r1 = atomic64_fetch_add((u64 *)(r10 -8), r1)", 0xdb, 10, 1, -8, 0x01 },
	{ KERN, "w1 = atomic_fetch_xor((u32 *)(r10 - 4), w1)", 0xc3, 10, 1, -4, 0xa1 },
	{ KERN, "r1 = atomic_fetch_or((u32 *)(r10 -4), r1)", 0xc3, 10, 1, -4, 0x41 },
	{ KERN, "r7 = atomic_fetch_and((u64 *)(r1 + 0), r7)", 0xdb, 1, 7, 0, 0x51 },
	{ KERN, "r1 = atomic64_xchg((u64 *)(r10 -8), r1)", 0xdb, 10, 1, -8, 0xe1 },
	{ KERN, "r1 = xchg_64(r10 - 8, r1)", 0xdb, 10, 1, -8, 0xe1 },
	{ KERN, "w2 = xchg32_32(r1 + 0, w2)", 0xc3, 1, 2, 0, 0xe1 },
	{ KERN, "r0 = atomic64_cmpxchg((u64 *)(r10 -8), r0, r1)", 0xdb, 10, 1, -8, 0xf1 },
	{ KERN, "r0 = atomic_cmpxchg((u32 *)(r10 -4), r0, r1)", 0xc3, 10, 1, -4, 0xf1 },
	{ KERN, "r0 = cmpxchg_64(r10 - 8, r0, r1)", 0xdb, 10, 1, -8, 0xf1 },
	{ KERN, "w0 = cmpxchg32_32(r10 - 4, w0, w1)", 0xc3, 10, 1, -4, 0xf1 },
	{ KERN, "goto +3", 0x05, 0, 0, 3, 0 },
	{ KERN, "goto -1", 0x05, 0, 0, -1, 0 },
	{ KERN, "goto pc+3", 0x05, 0, 0, 3, 0 },
	{ KERN, "goto pc-2", 0x05, 0, 0, -2, 0 },
	{ KERN, "gotol +5", 0x06, 0, 0, 0, 5 },
	{ KERN, "gotol pc-70000", 0x06, 0, 0, 0, -70000 },
	{ KERN, "if r1 > 0x5 goto +3", 0x25, 1, 0, 3, 5 },
	{ KERN, "if r1 > 0xffffffff goto pc+1", 0x25, 1, 0, 1, -1 },
	{ KERN, "if r1 s> r2 goto -2", 0x6d, 1, 2, -2, 0 },
	{ KERN, "if w1 == 5 goto +1", 0x16, 1, 0, 1, 5 },
	{ KERN, "if r1 & 0x8 goto +1", 0x45, 1, 0, 1, 8 },
	{ KERN, "if r1 s<= -1 goto +1", 0xd5, 1, 0, 1, -1 },
	{ KERN, "if r1 != r2 goto pc+2", 0x5d, 1, 2, 2, 0 },
	{ KERN, "if w1 s< -3 goto +2", 0xc6, 1, 0, 2, -3 },
	{ KERN, "if r1 >= 1 goto +2", 0x35, 1, 0, 2, 1 },
	{ KERN, "if r1 <= 1 goto +2", 0xb5, 1, 0, 2, 1 },
	{ KERN, "if r1 < r2 goto +2", 0xad, 1, 2, 2, 0 },
	{ KERN, "if w1 s>= w2 goto +1", 0x7e, 1, 2, 1, 0 },
	{ KERN, "if r1 s< r2 goto +1", 0xcd, 1, 2, 1, 0 },
	{ KERN, "call 1", 0x85, 0, 0, 0, 1 },
	{ KERN, "call bpf_map_lookup_elem", 0x85, 0, 0, 0, 1 },
	{ KERN, "call map_lookup_elem", 0x85, 0, 0, 0, 1 },
	{ KERN, "call bpf_trace_printk#6", 0x85, 0, 0, 0, 6 },
	{ KERN, "call pc+3", 0x85, 0, 1, 0, 3 },
	{ KERN, "call pc-1", 0x85, 0, 1, 0, -1 },
	{ KERN, "callx r2", 0x8d, 2, 0, 0, 0 },
	{ KERN, "call kfunc 1234", 0x85, 0, 2, 0, 1234 },
	{ KERN, "exit", 0x95, 0, 0, 0, 0 },
	{ KERN, "r0 = *(u8 *)skb[23]", 0x30, 0, 0, 0, 23 },
	{ KERN, "r0 = *(u32 *)skb[0x10]", 0x20, 0, 0, 0, 16 },
	{ KERN, "r0 = *(u16 *)skb[r1 + 14]", 0x48, 0, 1, 0, 14 },
	{ KERN, "r0 = *(u32 *)skb[r1]", 0x40, 0, 1, 0, 0 },
};

static void test_conf_forms(void **state)
{
	(void)state;
	check_forms(conf_forms, sizeof(conf_forms) / sizeof(conf_forms[0]));
}

static void test_kern_forms(void **state)
{
	(void)state;
	check_forms(kern_forms, sizeof(kern_forms) / sizeof(kern_forms[0]));
}

/* Every row of the opcode table assembles from its own name, with the
 * operands its shape takes, back into that row. */
static void test_every_row_assembles(void **state)
{
	static const char *const fmt[] = {
		[BPFKIT_SHAPE_ALU_K] = "%s %%r1, 7",		[BPFKIT_SHAPE_ALU_X] = "%s %%r1, %%r2",
		[BPFKIT_SHAPE_NEG] = "%s %%r1",			[BPFKIT_SHAPE_END] = "%s %%r1",
		[BPFKIT_SHAPE_LDDW] = "%s %%r1, 7",		[BPFKIT_SHAPE_LD_ABS] = "%s 7",
		[BPFKIT_SHAPE_LD_IND] = "%s %%r2, 7",		[BPFKIT_SHAPE_LDX] = "%s %%r1, [%%r2-8]",
		[BPFKIT_SHAPE_ST] = "%s [%%r1-8], 7",		[BPFKIT_SHAPE_STX] = "%s [%%r1-8], %%r2",
		[BPFKIT_SHAPE_ATOMIC] = "%s [%%r1-8], %%r2",	[BPFKIT_SHAPE_JA] = "%s +7",
		[BPFKIT_SHAPE_JA32] = "%s +7",			[BPFKIT_SHAPE_JMP_K] = "%s %%r1, 7, -8",
		[BPFKIT_SHAPE_JMP_X] = "%s %%r1, %%r2, -8",	[BPFKIT_SHAPE_CALL] = "%s 7",
		[BPFKIT_SHAPE_CALLX] = "%s %%r1",		[BPFKIT_SHAPE_EXIT] = "%s",
	};

	(void)state;
	for (size_t i = 0; i < bpfkit_opinfo__count(); i++) {
		const struct bpfkit_opinfo *row = bpfkit_opinfo__at(i);
		struct bpfkit_diag d;
		struct bpfkit_prog *p;
		char text[64];

		snprintf(text, sizeof(text), fmt[row->shape], row->name);
		p = assemble(CONF, text, &d);
		if (bpfkit_insn__info(&p->insns[0]) != row)
			fail_msg("'%s' assembled to 0x%02x (off %d imm %d), not row %zu", text,
				 p->insns[0].code, p->insns[0].off, p->insns[0].imm, i);
		if (row->shape == BPFKIT_SHAPE_ALU_K || row->shape == BPFKIT_SHAPE_JMP_K ||
		    row->shape == BPFKIT_SHAPE_ST || row->shape == BPFKIT_SHAPE_LD_ABS ||
		    row->shape == BPFKIT_SHAPE_LD_IND || row->shape == BPFKIT_SHAPE_CALL ||
		    row->shape == BPFKIT_SHAPE_JA32 || row->shape == BPFKIT_SHAPE_LDDW)
			assert_int_equal(p->insns[0].imm, 7);
		bpfkit_prog__free(p);
	}
}

/* LDDW: two slots, both with the statement's line; map forms. */
struct lddw_form {
	int dialect;
	const char *text;
	uint8_t dst, src;
	int32_t lo, hi;
	const char *reloc; /* expected relocation name, or NULL */
	enum bpfkit_reloc_kind kind;
};

static const struct lddw_form lddw_forms[] = {
	{ CONF, "lddw %r1, 0x1122334455667788", 1, 0, 0x55667788, 0x11223344, NULL, 0 },
	{ CONF, "lddw %r0, -1", 0, 0, -1, -1, NULL, 0 },
	{ CONF, "lddw %r0, 0xFFFFFFFF80000000", 0, 0, INT32_MIN, -1, NULL, 0 },
	{ CONF, "lddw %r2, 2147483648", 2, 0, INT32_MIN, 0, NULL, 0 },
	{ CONF, "lddw %r1, map[id:3]", 1, 1, 3, 0, NULL, 0 },
	{ CONF, "lddw %r1, my_map", 1, 0, 0, 0, "my_map", BPFKIT_RELOC_MAP },
	{ KERN, "r0 = 0x1122334455667788 ll", 0, 0, 0x55667788, 0x11223344, NULL, 0 },
	{ KERN, "r1 = -1 ll", 1, 0, -1, -1, NULL, 0 },
	{ KERN, "r1 = map[id:3]", 1, 1, 3, 0, NULL, 0 },
	{ KERN, "r1 = map[id:3][0]+16", 1, 2, 3, 16, NULL, 0 },
	{ KERN, "r1 = map_name ll", 1, 0, 0, 0, "map_name", BPFKIT_RELOC_MAP },
	{ KERN, "r2 = map[counts] ll", 2, 0, 0, 0, "counts", BPFKIT_RELOC_MAP },
	{ KERN, "r2 = map[.data][0]+8", 2, 0, 8, 0, ".data", BPFKIT_RELOC_MAP_VALUE },
	{ KERN, "r3 = .rodata ll", 3, 0, 0, 0, ".rodata", BPFKIT_RELOC_MAP_VALUE },
};

static void test_lddw_forms(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(lddw_forms) / sizeof(lddw_forms[0]); i++) {
		const struct lddw_form *f = &lddw_forms[i];
		struct bpfkit_diag d;
		struct bpfkit_prog *p = assemble(f->dialect, f->text, &d);

		assert_int_equal(p->len, 2);
		check_insn(f->text, &p->insns[0], 0x18, f->dst, f->src, 0, f->lo);
		check_insn(f->text, &p->insns[1], 0, 0, 0, 0, f->hi);
		assert_int_equal(p->lines[0], 1);
		assert_int_equal(p->lines[1], 1);
		if (f->reloc) {
			assert_int_equal(p->nrelocs, 1);
			assert_int_equal(p->relocs[0].insn, 0);
			assert_int_equal(p->relocs[0].kind, f->kind);
			assert_string_equal(p->relocs[0].name, f->reloc);
		} else {
			assert_int_equal(p->nrelocs, 0);
		}
		bpfkit_prog__free(p);
	}
}

/* The verifier log prints an LDDW without "ll"; its "(18)" says which. */
static void test_verifier_log(void **state)
{
	static const char log[] = "0: (b7) r0 = 1\n"
				  "1: (18) r1 = 0xffff888012345678\n"
				  "3: (85) call bpf_map_lookup_elem#1\n"
				  "4: (55) if r0 != 0x0 goto pc+1    ; R0_w=map_value_or_null\n"
				  "5: (95) exit\n"
				  "6: (95) exit\n";
	struct bpfkit_diag d;
	struct bpfkit_prog *p;

	(void)state;
	p = assemble(AUTO, log, &d);
	assert_int_equal(p->len, 7);
	check_insn("lddw", &p->insns[1], 0x18, 1, 0, 0, 0x12345678);
	check_insn("lddw hi", &p->insns[2], 0, 0, 0, 0, (int32_t)0xffff8880);
	check_insn("call", &p->insns[3], 0x85, 0, 0, 0, 1);
	check_insn("jne", &p->insns[4], 0x55, 0, 0, 1, 0);
	assert_int_equal(p->lines[2], 2);
	assert_int_equal(p->lines[6], 6);
	bpfkit_prog__free(p);
}

/*
 * llvm-objdump -d -r output as llvm 14 prints it (one 16-byte line for
 * LDDW), then as newer llvm prints it (LDDW's second slot on a line of
 * its own), with symbols, jump annotations, relocations and <unknown>.
 */
static const char objdump14[] =
	"\n"
	"t.o:\tfile format elf64-bpf\n"
	"\n"
	"Disassembly of section .text:\n"
	"\n"
	"0000000000000000 <f>:\n"
	"       0:\tbc 10 00 00 00 00 00 00\tw0 = w1\n"
	"       1:\t95 00 00 00 00 00 00 00\texit\n"
	"\n"
	"Disassembly of section xdp:\n"
	"\n"
	"0000000000000000 <prog>:\n"
	"       0:\t18 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00\tr1 = 0 ll\n"
	"\t\t0000000000000000:  R_BPF_64_64\tmy_map\n"
	"       2:\t15 01 02 00 00 00 00 00\tif r1 == 0 goto +2 <LBB0_2>\n"
	"       3:\t85 10 00 00 ff ff ff ff\tcall -1\n"
	"\t\t0000000000000018:  R_BPF_64_32\t.text\n"
	"       4:\tc3 41 00 00 40 00 00 00\t<unknown>\n"
	"\n"
	"0000000000000028 <LBB0_2>:\n"
	"       5:\t95 00 00 00 00 00 00 00\texit\n";

static const char objdump_new[] =
	"0000000000000000 <prog>:\n"
	"       0:\t18 01 00 00 2a 00 00 00\tr1 = 0x2a ll\n"
	"\t\t0000000000000000:  R_BPF_64_64\tcounts\n"
	"       1:\t00 00 00 00 00 00 00 00\n"
	"       2:\t95 00 00 00 00 00 00 00\texit\n";

static const char objdump_stray[] = "       0:\t95 00 00 00 00 00 00 00\texit\n"
				    "       1:\t00 00 00 00 00 00 00 00\n";
static const char objdump_wrong[] = "       0:\tb4 00 00 00 01 00 00 00\tr0 = 1\n";

static void test_objdump_paste(void **state)
{
	struct bpfkit_diag d;
	struct bpfkit_prog *p = assemble(AUTO, objdump14, &d);

	(void)state;
	assert_int_equal(p->len, 8);
	check_insn("w0 = w1", &p->insns[0], 0xbc, 0, 1, 0, 0);
	check_insn("lddw", &p->insns[2], 0x18, 1, 0, 0, 0);
	check_insn("if", &p->insns[4], 0x15, 1, 0, 2, 0);
	check_insn("call -1 (local, from the bytes)", &p->insns[5], 0x85, 0, 1, 0, -1);
	check_insn("<unknown>", &p->insns[6], 0xc3, 1, 4, 0, 0x40);
	assert_int_equal(p->nsyms, 3);
	assert_string_equal(p->syms[0].name, "f");
	assert_int_equal(p->syms[0].insn, 0);
	assert_string_equal(p->syms[1].name, "prog");
	assert_int_equal(p->syms[1].insn, 2);
	assert_string_equal(p->syms[2].name, "LBB0_2");
	assert_int_equal(p->syms[2].insn, 7);
	assert_int_equal(p->nrelocs, 1);
	assert_string_equal(p->relocs[0].name, "my_map");
	assert_int_equal(p->relocs[0].insn, 2);
	assert_int_equal(p->relocs[0].kind, BPFKIT_RELOC_MAP);
	assert_int_equal(p->lines[2], 13);
	assert_int_equal(p->lines[3], 13);
	bpfkit_prog__free(p);

	p = assemble(AUTO, objdump_new, &d);
	assert_int_equal(p->len, 3);
	check_insn("lddw", &p->insns[0], 0x18, 1, 0, 0, 42);
	check_insn("exit", &p->insns[2], 0x95, 0, 0, 0, 0);
	assert_int_equal(p->nrelocs, 1);
	assert_string_equal(p->relocs[0].name, "counts");
	bpfkit_prog__free(p);

	/* bytes without text are only the second half of an LDDW */
	assert_int_equal(bpfkit_asm(objdump_stray, strlen(objdump_stray), AUTO, &p, &d), -EINVAL);
	assert_int_equal(d.line, 2);
	assert_string_equal(d.msg, "instruction bytes without an instruction");
	/* and the bytes must agree with the text */
	assert_int_equal(bpfkit_asm(objdump_wrong, strlen(objdump_wrong), AUTO, &p, &d), -EINVAL);
	assert_int_equal(d.col, 35);
	assert_string_equal(d.msg, "llvm-objdump shows opcode 0xb4 here, but the text assembles "
				   "to 0xb7");
}

/* Labels: forward, backward, several per line, before an instruction;
 * symbols in slot order; the implicit "exit" label of the suite. */
/* .8byte writes a slot as its word, unchecked: the way back for the
 * disassembler's lines for slots that do not decode. */
static void test_8byte(void **state)
{
	static const char text[] = ".8byte 0x00000000000000ff  # invalid: unknown opcode 0xff\n"
				   "r0 = 1\n"
				   ".8byte 0x0000000100000118\n";
	struct bpfkit_diag d;
	struct bpfkit_prog *p = assemble(AUTO, text, &d);

	(void)state;
	assert_int_equal(p->len, 3);
	check_insn(".8byte 0xff", &p->insns[0], 0xff, 0, 0, 0, 0);
	check_insn("r0 = 1", &p->insns[1], 0xb7, 0, 0, 0, 1);
	check_insn(".8byte lddw", &p->insns[2], 0x18, 1, 0, 0, 1);
	assert_int_equal(bpfkit_insn__word(&p->insns[2]), 0x0000000100000118ull);
	assert_int_equal(p->lines[2], 3);
	bpfkit_prog__free(p);

	assert_int_not_equal(bpfkit_asm(".8byte\n", 7, AUTO, &p, &d), 0);
	assert_int_equal(d.line, 1);
	assert_int_equal(d.col, 7);
	assert_int_not_equal(bpfkit_asm(".8byte 0x1 2\n", 13, AUTO, &p, &d), 0);
	assert_int_equal(d.col, 12);
}

static void test_labels(void **state)
{
	static const char text[] = "start:\n"
				   "  ja fwd             # forward\n"
				   "back: lddw %r1, 1\n"
				   "fwd: L2:  jne %r1, 0, back\n"
				   "\tjeq %r1, 1, exit\n"
				   "  ja32 start\n"
				   "  call local fn\n"
				   "  exit\n"
				   "fn:\n"
				   "  r0 = 2\n"
				   "  if r0 > 1 goto fn\n"
				   "  call fn\n"
				   "  exit\n";
	struct bpfkit_diag d;
	struct bpfkit_prog *p = assemble(AUTO, text, &d);

	(void)state;
	assert_int_equal(p->len, 12);
	assert_int_equal(p->insns[0].off, 2); /* ja fwd: slot 0 -> 3 */
	assert_int_equal(p->insns[3].off, -3); /* jne back: slot 3 -> 1 */
	assert_int_equal(p->insns[4].off, 2); /* jeq exit: first exit is slot 7 */
	assert_int_equal(p->insns[5].imm, -6); /* ja32 start: slot 5 -> 0 */
	check_insn("call local fn", &p->insns[6], 0x85, 0, 1, 0, 1);
	assert_int_equal(p->insns[9].off, -2); /* if ... goto fn: slot 9 -> 8 */
	check_insn("call fn", &p->insns[10], 0x85, 0, 1, 0, -3);
	assert_int_equal(p->nsyms, 5);
	static const char *const names[] = { "start", "back", "fwd", "L2", "fn" };
	static const size_t slots[] = { 0, 1, 3, 3, 8 };
	for (int i = 0; i < 5; i++) {
		assert_string_equal(p->syms[i].name, names[i]);
		assert_int_equal(p->syms[i].insn, slots[i]);
	}
	static const int lines[] = { 2, 3, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13 };
	for (int i = 0; i < 12; i++)
		assert_int_equal(p->lines[i], lines[i]);
	bpfkit_prog__free(p);
}

/* A label named like a helper wins: "call map_lookup_elem" is then local. */
static void test_label_beats_helper(void **state)
{
	static const char text[] = "call map_lookup_elem\nexit\nmap_lookup_elem:\nexit\n";
	struct bpfkit_diag d;
	struct bpfkit_prog *p = assemble(AUTO, text, &d);

	(void)state;
	check_insn("call", &p->insns[0], 0x85, 0, 1, 0, 1);
	bpfkit_prog__free(p);
}

/* Both dialects in one text, comments of every kind, CRLF, tabs, no
 * trailing newline, and a length shorter than the string. */
static void test_auto_mixing(void **state)
{
	static const char text[] = "mov32 %r0, 1 # conformance\r\n"
				   "\tw0 += 2 ; kernel\n"
				   "// a comment line\n"
				   "lock add [%r10-8], %r1\n"
				   "lock *(u64 *)(r10 - 8) += r1\n"
				   "call bpf_map_lookup_elem#1 # '#' glued to a name is not a comment\n"
				   "exit\n"
				   "this is never read";
	struct bpfkit_prog *p = NULL;
	struct bpfkit_diag d;

	(void)state;
	assert_int_equal(bpfkit_asm(text, strlen(text) - 18, AUTO, &p, &d), 0);
	assert_int_equal(p->len, 6);
	check_insn("mov32", &p->insns[0], 0xb4, 0, 0, 0, 1);
	check_insn("w0 += 2", &p->insns[1], 0x04, 0, 0, 0, 2);
	assert_memory_equal(&p->insns[2], &p->insns[3], sizeof(p->insns[0]));
	check_insn("call", &p->insns[4], 0x85, 0, 0, 0, 1);
	assert_int_equal(p->lines[4], 6);
	bpfkit_prog__free(p);
}

/* An error: the dialect, the text, and exactly where and what. */
struct err_case {
	int dialect;
	const char *text;
	int line, col, len;
	const char *msg;
};

static const struct err_case errors[] = {
	{ AUTO, "ldxdq %r0, [%r1]", 1, 1, 5, "unknown instruction 'ldxdq'; did you mean 'ldxdw'?" },
	{ AUTO, "gotto +1", 1, 1, 5, "unknown instruction 'gotto'; did you mean 'goto'?" },
	{ AUTO, "frobnicate", 1, 1, 10, "unknown instruction 'frobnicate'" },
	{ AUTO, "MOV32 %r0, 1", 1, 1, 5, "unknown instruction 'MOV32'; did you mean 'mov32'?" },
	{ AUTO, "lock *(u64 *)(r1 + 0) -= r2", 1, 23, 2, "expected '+=', '|=', '&=' or '^=', got '-='" },
	{ AUTO, "mov %r0", 1, 1, 3, "'mov' takes 2 operands, got 1" },
	{ AUTO, "mov %r0, 1, 2", 1, 13, 1, "'mov' takes 2 operands, got 3" },
	{ AUTO, "jne %r0, 1", 1, 1, 3, "'jne' takes 3 operands, got 2" },
	{ AUTO, "mov 5, %r0", 1, 5, 1, "expected a register, got '5'" },
	{ AUTO, "mov %r0, foo", 1, 10, 3, "expected a register or an immediate, got 'foo'" },
	{ AUTO, "stxdw [%r10-8], 5", 1, 17, 1, "expected a register, got '5'" },
	{ AUTO, "ldxdw %r0, %r1", 1, 12, 3, "expected a memory operand like [%r1+8], got '%r1'" },
	{ AUTO, "exit 1", 1, 6, 1, "'exit' takes no operands" },
	{ AUTO, "mov %r11, 1", 1, 5, 4, "invalid register '%r11' (registers are %r0..%r10)" },
	{ AUTO, "r11 = 1", 1, 1, 3, "invalid register 'r11' (registers are r0..r10)" },
	{ AUTO, "mov %w1, 1", 1, 5, 3, "invalid register '%w1' (registers are %r0..%r10)" },
	{ AUTO, "mov32 %r0, 0x1ffffffff", 1, 12, 11, "immediate 0x1ffffffff does not fit in 32 bits" },
	{ AUTO, "r0 = -2147483649", 1, 6, 11, "immediate -2147483649 does not fit in 32 bits" },
	{ AUTO, "ldxdw %r0, [%r1+40000]", 1, 16, 6,
	  "offset +40000 does not fit in 16 bits (-32768..32767)" },
	{ AUTO, "ja +40000", 1, 4, 6, "offset +40000 does not fit in 16 bits (-32768..32767)" },
	{ AUTO, "lddw %r0, 0x1ffffffffffffffff", 1, 11, 19,
	  "number '0x1ffffffffffffffff' does not fit in 64 bits" },
	{ AUTO, "exit\nja foo", 2, 4, 3, "undefined label 'foo'" },
	{ AUTO, "exit\n  goto nowhere", 2, 8, 7, "undefined label 'nowhere'" },
	{ AUTO, "a:\nexit\n  a:", 3, 3, 1, "duplicate label 'a' (first defined on line 1)" },
	{ AUTO, "r1: exit", 1, 1, 2, "'r1' is a register, not a label name" },
	{ AUTO, "mov %r0, 1 garbage", 1, 12, 7, "expected ',' or end of line, got 'garbage'" },
	{ AUTO, "r0 = 1 junk here", 1, 8, 9, "unexpected 'junk' after the instruction" },
	{ AUTO, "ldxdw %r0, [%r1+8", 1, 12, 1, "unterminated '[' (expected ']')" },
	{ AUTO, "r0 = *(u64 *)(r1 + 8", 1, 14, 1, "unterminated '(' (expected ')')" },
	{ AUTO, "ldxdw %r0,", 1, 11, 1, "expected an operand, got end of line" },
	{ AUTO, "goto", 1, 5, 1, "expected a jump target (a label or +N), got end of line" },
	{ AUTO, "mov %r0, @", 1, 10, 1, "unexpected character '@'" },
	{ AUTO, "mov %r0, 12ab", 1, 10, 4, "invalid number '12ab'" },
	{ AUTO, "# only a comment\n\n", 0, 0, 0, "no instructions" },
	{ AUTO, "", 0, 0, 0, "no instructions" },
	{ AUTO, "r0 += w1", 1, 7, 2, "'r0' and 'w1' mix 32-bit (w) and 64-bit (r) registers" },
	{ AUTO, "w0 = (s32)w1", 1, 7, 3, "expected (s8) or (s16), got 's32'" },
	{ AUTO, "w1 = 5 ll", 1, 1, 2, "a 64-bit load needs a 64-bit register (r1, not w1)" },
	{ AUTO, "if r1 >> 3 goto +1", 1, 7, 2,
	  "expected a comparison (==, !=, >, >=, <, <=, &, s>, s>=, s<, s<=), got '>>'" },
	{ AUTO, "r0 = -r1", 1, 7, 2, "negation works in place: write 'r0 = -r0'" },
	{ AUTO, "r0 = be16 r1", 1, 11, 2, "byte swaps work in place: write 'r0 = be16 r0'" },
	{ AUTO, "r1 = *(u8 *)skb[3]", 1, 1, 2, "legacy packet loads always load into r0" },
	{ AUTO, "r1 = atomic64_fetch_add((u64 *)(r10 -8), r2)", 1, 1, 2,
	  "'atomic64_fetch_add' returns the old value in its operand register 'r2'" },
	{ AUTO, "r1 = cmpxchg_64(r10 - 8, r0, r2)", 1, 1, 2,
	  "cmpxchg compares with r0 and returns the old value in r0" },
	{ AUTO, "lock *(u8 *)(r10 - 8) += r1", 1, 8, 2, "atomic operations work on (u32 *) or (u64 *)" },
	{ AUTO, "lock foo [%r10-8], %r1", 1, 1, 8, "unknown atomic operation 'lock foo'" },
	{ AUTO, "call nosuchfn", 1, 6, 8,
	  "unknown function 'nosuchfn' (not a label of this program, nor a helper name)" },
	{ AUTO, "r1 = foo", 1, 6, 3, "unexpected 'foo' after '=' (a map is loaded with 'r1 = foo ll')" },
	{ AUTO, "0: (b4) r0 = 1", 1, 4, 4,
	  "the log shows opcode 0xb4 here, but the text assembles to 0xb7" },
	{ KERN, "mov32 %r0, 1", 1, 1, 5,
	  "'mov32' is a conformance-dialect mnemonic, but the kernel dialect was requested" },
	{ CONF, "r0 = 1", 1, 1, 2,
	  "'r0' starts a kernel-dialect instruction, but the conformance dialect was requested" },
};

static void test_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
		const struct err_case *e = &errors[i];
		struct bpfkit_prog *p = (struct bpfkit_prog *)&p; /* must be reset to NULL */
		struct bpfkit_diag d;
		int err = bpfkit_asm(e->text, strlen(e->text), e->dialect, &p, &d);

		if (err != -EINVAL)
			fail_msg("'%s': returned %d, want -EINVAL", e->text, err);
		assert_null(p);
		if (d.line != e->line || d.col != e->col || (e->line && d.len != e->len) ||
		    strcmp(d.msg, e->msg))
			fail_msg("'%s':\n got  %d:%d+%d: %s\n want %d:%d+%d: %s", e->text, d.line, d.col,
				 d.len, d.msg, e->line, e->col, e->len, e->msg);
	}
}

/* Errors that need more than a literal: a NUL byte, a jump too far. */
static void test_errors_built(void **state)
{
	static const char nul[] = "exit\nmov %r0, 1\0";
	size_t n = 40000;
	char *text = malloc(n * 5 + 32), *q = text;
	struct bpfkit_prog *p = NULL;
	struct bpfkit_diag d;

	(void)state;
	assert_int_equal(bpfkit_asm(nul, sizeof(nul) - 1, AUTO, &p, &d), -EINVAL);
	assert_int_equal(d.line, 2);
	assert_int_equal(d.col, 11);
	assert_string_equal(d.msg, "unexpected byte 0x00");

	assert_non_null(text);
	q += sprintf(q, "ja far\n");
	for (size_t i = 0; i < n; i++)
		q += sprintf(q, "exit\n");
	q += sprintf(q, "far: exit\n");
	assert_int_equal(bpfkit_asm(text, strlen(text), AUTO, &p, &d), -EINVAL);
	assert_int_equal(d.line, 1);
	assert_int_equal(d.col, 4);
	assert_string_equal(d.msg, "jump to 'far' is out of range (offset 40000 does not fit in 16 "
				   "bits; use gotol)");
	/* the same distance is fine for gotol */
	q = malloc(strlen(text) + 8);
	assert_non_null(q);
	sprintf(q, "gotol%s", text + 2); /* "ja far" -> "gotol far" */
	assert_int_equal(bpfkit_asm(q, strlen(q), AUTO, &p, &d), 0);
	assert_int_equal(p->insns[0].imm, 40000);
	bpfkit_prog__free(p);
	free(q);
	free(text);

	/* bad arguments */
	assert_int_equal(bpfkit_asm(NULL, 4, AUTO, &p, &d), -EINVAL);
	assert_int_equal(bpfkit_asm("exit", 4, AUTO, NULL, &d), -EINVAL);
	assert_int_equal(bpfkit_asm("exit", 4, 7, &p, NULL), -EINVAL);
	assert_int_equal(bpfkit_asm("exit", 4, AUTO, &p, NULL), 0); /* diag is optional */
	bpfkit_prog__free(p);
}

/* Many labels: the label index must cope (and stay fast). */
static void test_many_labels(void **state)
{
	size_t n = 20000;
	char *text = malloc(n * 32), *q = text;
	struct bpfkit_prog *p = NULL;
	struct bpfkit_diag d;

	(void)state;
	assert_non_null(text);
	for (size_t i = 0; i < n; i++)
		q += sprintf(q, "L%zu: ja L%zu\n", i, (i * 7919) % n);
	q += sprintf(q, "exit\n");
	assert_int_equal(bpfkit_asm(text, strlen(text), AUTO, &p, &d), 0);
	assert_int_equal(p->nsyms, n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(p->insns[i].off, (int)((i * 7919) % n) - (int)i - 1);
	bpfkit_prog__free(p);
	free(text);
}

/* ---- the conformance suite ---- */

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) >= 0 && !fseek(f, 0, SEEK_SET) &&
	    (buf = malloc((size_t)n + 1))) {
		*len = fread(buf, 1, (size_t)n, f);
		buf[*len] = '\0';
	}
	fclose(f);
	return buf;
}

/* The text of section @p name ("-- asm") of a .data file, or NULL. */
static const char *data_section(const char *buf, const char *name, size_t *len)
{
	const char *s = strstr(buf, name), *e;

	if (!s || (s != buf && s[-1] != '\n'))
		return NULL;
	s = strchr(s, '\n');
	if (!s)
		return NULL;
	s++;
	e = strstr(s, "\n-- ");
	*len = e ? (size_t)(e - s) + 1 : strlen(s);
	return s;
}

/* "0x5566778800000018" words, one per line, into slots. */
static size_t parse_raw(const char *s, size_t len, uint64_t *words, size_t max)
{
	size_t n = 0;
	const char *end = s + len;

	while (s < end && n < max) {
		char *next;
		words[n++] = strtoull(s, &next, 16);
		if (next == s)
			return 0;
		s = next;
		while (s < end && (*s == '\n' || *s == ' ' || *s == '\r'))
			s++;
	}
	return n;
}

static void round_trip(const char *what, const struct bpfkit_prog *p)
{
	for (int dialect = CONF; dialect <= KERN; dialect++) {
		struct bpfkit_disasm_opts o = { .dialect = dialect };
		struct bpfkit_prog *q = NULL;
		struct bpfkit_diag d;
		char *text = bpfkit_disasm(p, &o);

		if (!text)
			fail_msg("%s: disassembly failed: %s", what, strerror(errno));
		if (bpfkit_asm(text, strlen(text), dialect, &q, &d))
			fail_msg("%s: dialect %d output does not reassemble: %d:%d: %s\n%s", what,
				 dialect, d.line, d.col, d.msg, text);
		if (q->len != p->len || memcmp(q->insns, p->insns, p->len * sizeof(*p->insns)))
			fail_msg("%s: dialect %d round trip changed the bytes:\n%s", what, dialect, text);
		bpfkit_prog__free(q);
		free(text);
	}
}

/*
 * Every -- asm section of the suite assembles (bpf_conformance's own
 * assembler was the reference while writing this one), the file with
 * a -- raw section matches it word for word, and every program survives
 * disassembly and reassembly in both dialects.
 */
static void test_conformance_suite(void **state)
{
	const char *dir = getenv("CONF_DIR");
	struct dirent *e;
	int files = 0, raws = 0;
	DIR *dp = NULL;

	(void)state;
	if (!dir || !(dp = opendir(dir))) {
		print_message("# SKIP CONF_DIR unset or unreadable (tests/run.sh sets it)\n");
		skip();
	}
	while ((e = readdir(dp))) {
		char path[4096], what[512];
		size_t len = 0, alen, rlen;
		char *buf;
		const char *asm_text, *raw;
		struct bpfkit_prog *p = NULL;
		struct bpfkit_diag d;

		if (strlen(e->d_name) < 6 || strcmp(e->d_name + strlen(e->d_name) - 5, ".data"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		snprintf(what, sizeof(what), "%s", e->d_name);
		buf = read_file(path, &len);
		assert_non_null(buf);
		asm_text = data_section(buf, "-- asm", &alen);
		if (!asm_text)
			fail_msg("%s: no -- asm section", what);
		if (bpfkit_asm(asm_text, alen, CONF, &p, &d))
			fail_msg("%s:%d:%d: %s", what, d.line + 3, d.col, d.msg);
		raw = data_section(buf, "-- raw", &rlen);
		if (raw) {
			uint64_t words[64];
			size_t nw = parse_raw(raw, rlen, words, 64);
			assert_int_equal(nw, p->len);
			for (size_t i = 0; i < nw; i++)
				assert_memory_equal(&words[i], &p->insns[i], 8);
			raws++;
		}
		round_trip(what, p);
		bpfkit_prog__free(p);
		free(buf);
		files++;
	}
	closedir(dp);
	print_message("# %d conformance programs assembled, %d checked against -- raw\n", files, raws);
	assert_true(files >= 300);
	assert_int_equal(raws, 1);
}

/* Both dialect tables survive the disassembler too. */
static void test_round_trip_forms(void **state)
{
	const struct form *sets[] = { conf_forms, kern_forms };
	size_t lens[] = { sizeof(conf_forms) / sizeof(conf_forms[0]),
			  sizeof(kern_forms) / sizeof(kern_forms[0]) };

	(void)state;
	for (int s = 0; s < 2; s++) {
		for (size_t i = 0; i < lens[s]; i++) {
			struct bpfkit_diag d;
			struct bpfkit_prog *p = assemble(AUTO, sets[s][i].text, &d);

			round_trip(sets[s][i].text, p);
			bpfkit_prog__free(p);
		}
	}
	for (size_t i = 0; i < sizeof(lddw_forms) / sizeof(lddw_forms[0]); i++) {
		struct bpfkit_diag d;
		struct bpfkit_prog *p = assemble(AUTO, lddw_forms[i].text, &d);
		round_trip(lddw_forms[i].text, p);
		bpfkit_prog__free(p);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conf_forms),
		cmocka_unit_test(test_kern_forms),
		cmocka_unit_test(test_every_row_assembles),
		cmocka_unit_test(test_lddw_forms),
		cmocka_unit_test(test_verifier_log),
		cmocka_unit_test(test_objdump_paste),
		cmocka_unit_test(test_8byte),
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_label_beats_helper),
		cmocka_unit_test(test_auto_mixing),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_errors_built),
		cmocka_unit_test(test_many_labels),
		cmocka_unit_test(test_conformance_suite),
		cmocka_unit_test(test_round_trip_forms),
	};

	return cmocka_run_group_tests_name("asm", tests, NULL, NULL);
}
