// SPDX-License-Identifier: MIT
/*
 * The disassembler: the exact text of every operand shape in both dialects,
 * every opcode-table row formatted and reassembled to the same bytes, labels
 * (generated, from symbols, clashing), relocations by name, the offset and
 * byte columns, undecodable slots and a truncated LDDW, the helper table,
 * and the conformance suite's programs through asm -> disasm -> asm.
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <bpfkit/isa.h>

#define CONF BPFKIT_DIALECT_CONF
#define KERN BPFKIT_DIALECT_KERN

#define I(c, d, s, o, i) { .code = (c), .dst = (d), .src = (s), .off = (o), .imm = (i) }

/* Whether bpfkit_asm is built (the assembler is another file's job). */
static bool have_asm(void)
{
	struct bpfkit_prog *p = NULL;
	struct bpfkit_diag d;
	int err = bpfkit_asm("exit", 4, CONF, &p, &d);

	bpfkit_prog__free(p);
	return err != -ENOSYS;
}

/* ---- helpers ------------------------------------------------------------- */

static void test_helper_names(void **state)
{
	(void)state;
	assert_string_equal(bpfkit_helper_name(1), "map_lookup_elem");
	assert_string_equal(bpfkit_helper_name(5), "ktime_get_ns");
	assert_string_equal(bpfkit_helper_name(6), "trace_printk");
	assert_string_equal(bpfkit_helper_name(130), "ringbuf_output");
	assert_string_equal(bpfkit_helper_name(209), "user_ringbuf_drain");
	assert_string_equal(bpfkit_helper_name(211), "cgrp_storage_delete");
	assert_null(bpfkit_helper_name(0));
	assert_null(bpfkit_helper_name(212));
	assert_null(bpfkit_helper_name(-1));
	assert_null(bpfkit_helper_name(INT32_MIN));
	assert_int_equal(bpfkit_helper_id("map_lookup_elem"), 1);
	assert_int_equal(bpfkit_helper_id("bpf_map_lookup_elem"), 1);
	assert_int_equal(bpfkit_helper_id("bpf_cgrp_storage_delete"), 211);
	assert_int_equal(bpfkit_helper_id("unspec"), -1);
	assert_int_equal(bpfkit_helper_id("no_such_helper"), -1);
	assert_int_equal(bpfkit_helper_id("bpf_"), -1);
	assert_int_equal(bpfkit_helper_id(NULL), -1);
	/* every id names itself back, and every id 1..211 has a name */
	for (int32_t id = 1; id <= 211; id++) {
		assert_non_null(bpfkit_helper_name(id));
		assert_int_equal(bpfkit_helper_id(bpfkit_helper_name(id)), id);
	}
}

/* ---- exact text, one instruction ------------------------------------------ */

struct exact {
	struct bpfkit_insn in[2];
	const char *conf, *kern;
};

static const struct exact exact_cases[] = {
	{ { I(0xb4, 0, 0, 0, 1) }, "mov32 %r0, 1", "w0 = 1" },
	{ { I(0xb7, 0, 0, 0, -1) }, "mov %r0, -1", "r0 = -1" },
	{ { I(0xbf, 6, 1, 0, 0) }, "mov %r6, %r1", "r6 = r1" },
	{ { I(0x0f, 0, 1, 0, 0) }, "add %r0, %r1", "r0 += r1" },
	{ { I(0x0c, 7, 3, 0, 0) }, "add32 %r7, %r3", "w7 += w3" },
	{ { I(0x07, 2, 0, 0, -4) }, "add %r2, -4", "r2 += -4" },
	{ { I(0x1f, 1, 2, 0, 0) }, "sub %r1, %r2", "r1 -= r2" },
	{ { I(0x24, 0, 0, 0, 3) }, "mul32 %r0, 3", "w0 *= 3" },
	{ { I(0x37, 1, 0, 0, 10) }, "div %r1, 10", "r1 /= 10" },
	{ { I(0x3f, 0, 1, 1, 0) }, "sdiv %r0, %r1", "r0 s/= r1" },
	{ { I(0x94, 2, 0, 1, 7) }, "smod32 %r2, 7", "w2 s%= 7" },
	{ { I(0x97, 2, 0, 0, 7) }, "mod %r2, 7", "r2 %= 7" },
	{ { I(0x47, 1, 0, 0, 0xff) }, "or %r1, 255", "r1 |= 255" },
	{ { I(0x5c, 1, 2, 0, 0) }, "and32 %r1, %r2", "w1 &= w2" },
	{ { I(0x67, 1, 0, 0, 32) }, "lsh %r1, 32", "r1 <<= 32" },
	{ { I(0x74, 1, 0, 0, 3) }, "rsh32 %r1, 3", "w1 >>= 3" },
	{ { I(0xa7, 1, 0, 0, INT32_MIN) }, "xor %r1, -2147483648", "r1 ^= -2147483648" },
	{ { I(0xc7, 1, 0, 0, 3) }, "arsh %r1, 3", "r1 s>>= 3" },
	{ { I(0xcc, 1, 2, 0, 0) }, "arsh32 %r1, %r2", "w1 s>>= w2" },
	{ { I(0x87, 0, 0, 0, 0) }, "neg %r0", "r0 = -r0" },
	{ { I(0x84, 3, 0, 0, 0) }, "neg32 %r3", "w3 = -w3" },
	{ { I(0xbc, 0, 1, 8, 0) }, "movsx832 %r0, %r1", "w0 = (s8)w1" },
	{ { I(0xbc, 0, 1, 16, 0) }, "movsx1632 %r0, %r1", "w0 = (s16)w1" },
	{ { I(0xbf, 0, 1, 8, 0) }, "movsx864 %r0, %r1", "r0 = (s8)r1" },
	{ { I(0xbf, 0, 1, 32, 0) }, "movsx3264 %r0, %r1", "r0 = (s32)r1" },
	{ { I(0xdc, 0, 0, 0, 16) }, "be16 %r0", "r0 = be16 r0" },
	{ { I(0xdc, 2, 0, 0, 64) }, "be64 %r2", "r2 = be64 r2" },
	{ { I(0xd4, 1, 0, 0, 32) }, "le32 %r1", "r1 = le32 r1" },
	{ { I(0xd7, 0, 0, 0, 16) }, "bswap16 %r0", "r0 = bswap16 r0" },
	{ { I(0xd7, 0, 0, 0, 64) }, "bswap64 %r0", "r0 = bswap64 r0" },
	{ { I(0x18, 0, 0, 0, 0x55667788), I(0, 0, 0, 0, 0x11223344) },
	  "lddw %r0, 0x1122334455667788", "r0 = 0x1122334455667788 ll" },
	{ { I(0x18, 1, 0, 0, 0), I(0, 0, 0, 0, 0) }, "lddw %r1, 0x0", "r1 = 0x0 ll" },
	{ { I(0x18, 1, 0, 0, -1), I(0, 0, 0, 0, -1) }, "lddw %r1, 0xffffffffffffffff",
	  "r1 = 0xffffffffffffffff ll" },
	{ { I(0x18, 1, 1, 0, 3), I(0, 0, 0, 0, 0) }, "lddw %r1, map[id:3]", "r1 = map[id:3]" },
	{ { I(0x18, 1, 2, 0, 3), I(0, 0, 0, 0, 16) }, "lddw %r1, map[id:3][0]+16",
	  "r1 = map[id:3][0]+16" },
	{ { I(0x20, 0, 0, 0, 12) }, "ldabsw 12", "r0 = *(u32 *)skb[12]" },
	{ { I(0x30, 0, 0, 0, 23) }, "ldabsb 23", "r0 = *(u8 *)skb[23]" },
	{ { I(0x48, 0, 1, 0, 14) }, "ldindh %r1, 14", "r0 = *(u16 *)skb[r1 + 14]" },
	{ { I(0x40, 0, 3, 0, -4) }, "ldindw %r3, -4", "r0 = *(u32 *)skb[r3 + -4]" },
	{ { I(0x79, 0, 1, 8, 0) }, "ldxdw %r0, [%r1+8]", "r0 = *(u64 *)(r1 + 8)" },
	{ { I(0x71, 0, 1, 0, 0) }, "ldxb %r0, [%r1]", "r0 = *(u8 *)(r1 + 0)" },
	{ { I(0x69, 2, 10, -6, 0) }, "ldxh %r2, [%r10-6]", "r2 = *(u16 *)(r10 - 6)" },
	{ { I(0x91, 0, 1, 0, 0) }, "ldxsb %r0, [%r1]", "r0 = *(s8 *)(r1 + 0)" },
	{ { I(0x81, 0, 1, -2, 0) }, "ldxsw %r0, [%r1-2]", "r0 = *(s32 *)(r1 - 2)" },
	{ { I(0x7b, 10, 1, -8, 0) }, "stxdw [%r10-8], %r1", "*(u64 *)(r10 - 8) = r1" },
	{ { I(0x63, 10, 1, -4, 0) }, "stxw [%r10-4], %r1", "*(u32 *)(r10 - 4) = r1" },
	{ { I(0x73, 1, 2, 32767, 0) }, "stxb [%r1+32767], %r2", "*(u8 *)(r1 + 32767) = r2" },
	{ { I(0x7a, 10, 0, -8, 5) }, "stdw [%r10-8], 5", "*(u64 *)(r10 - 8) = 5" },
	{ { I(0x6a, 10, 0, -32768, -1) }, "sth [%r10-32768], -1", "*(u16 *)(r10 - 32768) = -1" },
	{ { I(0xdb, 10, 1, -8, 0x00) }, "lock add [%r10-8], %r1", "lock *(u64 *)(r10 - 8) += r1" },
	{ { I(0xc3, 1, 2, 4, 0x40) }, "lock or32 [%r1+4], %r2", "lock *(u32 *)(r1 + 4) |= r2" },
	{ { I(0xdb, 1, 2, 0, 0x50) }, "lock and [%r1], %r2", "lock *(u64 *)(r1 + 0) &= r2" },
	{ { I(0xc3, 1, 2, 0, 0xa0) }, "lock xor32 [%r1], %r2", "lock *(u32 *)(r1 + 0) ^= r2" },
	{ { I(0xc3, 10, 1, -4, 0x01) }, "lock fetch add32 [%r10-4], %r1",
	  "r1 = atomic_fetch_add((u32 *)(r10 - 4), r1)" },
	{ { I(0xdb, 10, 1, -8, 0x01) }, "lock fetch add [%r10-8], %r1",
	  "r1 = atomic64_fetch_add((u64 *)(r10 - 8), r1)" },
	{ { I(0xdb, 10, 1, -8, 0xa1) }, "lock fetch xor [%r10-8], %r1",
	  "r1 = atomic64_fetch_xor((u64 *)(r10 - 8), r1)" },
	{ { I(0xdb, 10, 1, -8, 0xe1) }, "lock xchg [%r10-8], %r1",
	  "r1 = atomic64_xchg((u64 *)(r10 - 8), r1)" },
	{ { I(0xc3, 10, 1, -8, 0xe1) }, "lock xchg32 [%r10-8], %r1",
	  "r1 = atomic_xchg((u32 *)(r10 - 8), r1)" },
	{ { I(0xdb, 10, 1, -8, 0xf1) }, "lock cmpxchg [%r10-8], %r1",
	  "r0 = atomic64_cmpxchg((u64 *)(r10 - 8), r0, r1)" },
	{ { I(0xc3, 10, 1, -8, 0xf1) }, "lock cmpxchg32 [%r10-8], %r1",
	  "r0 = atomic_cmpxchg((u32 *)(r10 - 8), r0, r1)" },
	{ { I(0x05, 0, 0, 3, 0) }, "ja +3", "goto +3" },
	{ { I(0x05, 0, 0, -1, 0) }, "ja -1", "goto -1" },
	{ { I(0x06, 0, 0, 0, 5) }, "ja32 +5", "gotol +5" },
	{ { I(0x55, 0, 0, 3, 15) }, "jne %r0, 15, +3", "if r0 != 0xf goto +3" },
	{ { I(0x25, 1, 0, 3, 5) }, "jgt %r1, 5, +3", "if r1 > 0x5 goto +3" },
	{ { I(0x16, 1, 0, -2, -1) }, "jeq32 %r1, -1, -2", "if w1 == 0xffffffff goto -2" },
	{ { I(0x45, 1, 0, 1, 8) }, "jset %r1, 8, +1", "if r1 & 0x8 goto +1" },
	{ { I(0x4d, 1, 2, 1, 0) }, "jset %r1, %r2, +1", "if r1 & r2 goto +1" },
	{ { I(0x6e, 1, 2, 0, 0) }, "jsgt32 %r1, %r2, +0", "if w1 s> w2 goto +0" },
	{ { I(0xdd, 3, 4, 7, 0) }, "jsle %r3, %r4, +7", "if r3 s<= r4 goto +7" },
	{ { I(0xa5, 3, 0, 7, 2) }, "jlt %r3, 2, +7", "if r3 < 0x2 goto +7" },
	{ { I(0x85, 0, 0, 0, 1) }, "call 1", "call bpf_map_lookup_elem" },
	{ { I(0x85, 0, 0, 0, 5) }, "call 5", "call bpf_ktime_get_ns" },
	{ { I(0x85, 0, 0, 0, 5000) }, "call 5000", "call 5000" },
	{ { I(0x85, 0, 0, 0, 0) }, "call 0", "call 0" },
	{ { I(0x85, 0, 1, 0, 3) }, "call local +3", "call pc+3" },
	{ { I(0x85, 0, 1, 0, -7) }, "call local -7", "call pc-7" },
	{ { I(0x85, 0, 2, 0, 77) }, "call runtime 77", "call kfunc 77" },
	{ { I(0x8d, 2, 0, 0, 0) }, "call %r2", "callx r2" },
	{ { I(0x95, 0, 0, 0, 0) }, "exit", "exit" },
};

static void test_exact_text(void **state)
{
	char buf[128];

	(void)state;
	for (size_t i = 0; i < sizeof(exact_cases) / sizeof(exact_cases[0]); i++) {
		const struct exact *e = &exact_cases[i];
		int want = e->in[0].code == BPFKIT_OP_LDDW ? 2 : 1;
		assert_int_equal(bpfkit_disasm_insn(e->in, 2, CONF, buf, sizeof(buf)), want);
		assert_string_equal(buf, e->conf);
		assert_int_equal(bpfkit_disasm_insn(e->in, 2, KERN, buf, sizeof(buf)), want);
		assert_string_equal(buf, e->kern);
		/* AUTO means the conformance dialect */
		assert_int_equal(bpfkit_disasm_insn(e->in, 2, BPFKIT_DIALECT_AUTO, buf, sizeof(buf)), want);
		assert_string_equal(buf, e->conf);
	}
}

/* The exact cases also reassemble to their own bytes, in both dialects. */
static void test_exact_reassemble(void **state)
{
	char buf[128];

	(void)state;
	if (!have_asm())
		skip();
	for (size_t i = 0; i < sizeof(exact_cases) / sizeof(exact_cases[0]); i++) {
		const struct exact *e = &exact_cases[i];
		int n = e->in[0].code == BPFKIT_OP_LDDW ? 2 : 1;
		for (int dl = CONF; dl <= KERN; dl++) {
			struct bpfkit_prog *p = NULL;
			struct bpfkit_diag d;
			bpfkit_disasm_insn(e->in, 2, dl, buf, sizeof(buf));
			if (bpfkit_asm(buf, strlen(buf), dl, &p, &d))
				fail_msg("'%s' does not reassemble: %s", buf, d.msg);
			assert_int_equal(p->len, n);
			if (memcmp(p->insns, e->in, (size_t)n * sizeof(e->in[0])))
				fail_msg("'%s' reassembles to different bytes", buf);
			bpfkit_prog__free(p);
		}
	}
}

static void test_insn_errors(void **state)
{
	struct bpfkit_insn in[2] = { I(0x07, 1, 0, 0, 12345), I(0xff, 0, 0, 0, 0) };
	char buf[128], small[6];

	(void)state;
	assert_int_equal(bpfkit_disasm_insn(NULL, 1, CONF, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(bpfkit_disasm_insn(in, 0, CONF, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(bpfkit_disasm_insn(in, 1, CONF, NULL, 10), -EINVAL);
	assert_int_equal(bpfkit_disasm_insn(in, 1, CONF, buf, 0), -EINVAL);
	/* too small: truncated, NUL-terminated, -ENOSPC */
	assert_int_equal(bpfkit_disasm_insn(in, 1, KERN, small, sizeof(small)), -ENOSPC);
	assert_string_equal(small, "r1 +=");
	/* undecodable: -EINVAL, but the buffer still shows the slot */
	assert_int_equal(bpfkit_disasm_insn(&in[1], 1, KERN, buf, sizeof(buf)), -EINVAL);
	assert_string_equal(buf, ".8byte 0x00000000000000ff  # invalid: unknown opcode 0xff");
}

/* ---- every table row ------------------------------------------------------- */

/* A valid instruction for a table row, with fields chosen by @p seed so that
 * different rows and trials see different registers, offsets, immediates. */
static int row_insn(const struct bpfkit_opinfo *row, unsigned seed, struct bpfkit_insn *in)
{
	static const int32_t imms[] = { 0, 1, -1, 7, 255, -4, INT32_MIN, INT32_MAX, 0x12345678 };
	static const int16_t offs[] = { 0, 1, -1, 8, -8, 3, -3, INT16_MAX, INT16_MIN };
	uint8_t dst = seed % 11, src = (seed / 11) % 11;
	int32_t imm = imms[seed % 9];
	int16_t off = offs[(seed / 3) % 9];

	memset(in, 0, (row->shape == BPFKIT_SHAPE_LDDW ? 2 : 1) * sizeof(*in));
	in->code = row->code;
	switch ((enum bpfkit_shape)row->shape) {
	case BPFKIT_SHAPE_ALU_K:
		in->dst = dst, in->imm = imm;
		break;
	case BPFKIT_SHAPE_ALU_X:
		in->dst = dst, in->src = src;
		break;
	case BPFKIT_SHAPE_NEG:
	case BPFKIT_SHAPE_END:
	case BPFKIT_SHAPE_CALLX:
		in->dst = dst;
		break;
	case BPFKIT_SHAPE_LDDW:
		/* the pseudo sources the assembler can write: plain, map fd, map value */
		in->dst = dst, in->src = seed % 3, in->imm = imm;
		in[1].imm = in->src == BPFKIT_PSEUDO_MAP_FD ? 0 : imms[(seed / 7) % 9];
		break;
	case BPFKIT_SHAPE_LD_ABS:
		in->imm = imm;
		break;
	case BPFKIT_SHAPE_LD_IND:
		in->src = src, in->imm = imm;
		break;
	case BPFKIT_SHAPE_LDX:
	case BPFKIT_SHAPE_STX:
	case BPFKIT_SHAPE_ATOMIC:
		in->dst = dst, in->src = src, in->off = off;
		break;
	case BPFKIT_SHAPE_ST:
		in->dst = dst, in->off = off, in->imm = imm;
		break;
	case BPFKIT_SHAPE_JA:
		in->off = off;
		break;
	case BPFKIT_SHAPE_JA32:
		in->imm = imm;
		break;
	case BPFKIT_SHAPE_JMP_K:
		in->dst = dst, in->off = off, in->imm = imm;
		break;
	case BPFKIT_SHAPE_JMP_X:
		in->dst = dst, in->src = src, in->off = off;
		break;
	case BPFKIT_SHAPE_CALL:
		in->src = seed % 3, in->imm = imm;
		break;
	case BPFKIT_SHAPE_EXIT:
		break;
	}
	if (row->match & BPFKIT_MATCH_OFF)
		in->off = row->off;
	if (row->match & BPFKIT_MATCH_IMM)
		in->imm = row->imm;
	return row->shape == BPFKIT_SHAPE_LDDW ? 2 : 1;
}

static void test_every_row_formats(void **state)
{
	struct bpfkit_insn in[2] = { 0 };
	struct bpfkit_diag d;
	char buf[160];

	(void)state;
	for (size_t r = 0; r < bpfkit_opinfo__count(); r++) {
		const struct bpfkit_opinfo *row = bpfkit_opinfo__at(r);
		for (unsigned seed = 0; seed < 60; seed++) {
			int n = row_insn(row, seed * 7 + (unsigned)r, in);
			assert_ptr_equal(bpfkit_insn__info(in), row);
			assert_int_equal(bpfkit_insn__check_fields(in, row, &d), 0);
			for (int dl = CONF; dl <= KERN; dl++) {
				assert_int_equal(bpfkit_disasm_insn(in, 2, dl, buf, sizeof(buf)), n);
				assert_true(strlen(buf) > 0);
				assert_null(strstr(buf, "invalid"));
			}
			/* the conformance text starts with the row's mnemonic */
			bpfkit_disasm_insn(in, 2, CONF, buf, sizeof(buf));
			if (row->shape != BPFKIT_SHAPE_CALL && row->shape != BPFKIT_SHAPE_CALLX)
				assert_memory_equal(buf, row->name, strlen(row->name));
		}
	}
}

/*
 * Each row, in the middle of a program of exits so that jumps land on
 * labels or outside the program, through disasm -> asm in both dialects,
 * with and without labels: the bytes must come back unchanged.
 */
static void test_every_row_reassembles(void **state)
{
	struct bpfkit_insn prog[41];
	size_t tried = 0;

	(void)state;
	if (!have_asm())
		skip();
	for (size_t r = 0; r < bpfkit_opinfo__count(); r++) {
		const struct bpfkit_opinfo *row = bpfkit_opinfo__at(r);
		for (unsigned seed = 0; seed < 40; seed++) {
			struct bpfkit_prog p = { .insns = prog, .len = 41 };
			for (int i = 0; i < 41; i++)
				prog[i] = (struct bpfkit_insn)I(BPFKIT_OP_EXIT, 0, 0, 0, 0);
			row_insn(row, seed * 13 + (unsigned)r, &prog[20]);
			if (row->shape == BPFKIT_SHAPE_JA || row->shape == BPFKIT_SHAPE_JMP_K ||
			    row->shape == BPFKIT_SHAPE_JMP_X)
				prog[20].off = (int16_t)((int)(seed % 41) - 20 - (seed & 1) * 2);
			for (int dl = CONF; dl <= KERN; dl++)
				for (int nl = 0; nl < 2; nl++) {
					struct bpfkit_disasm_opts o = { .dialect = dl, .no_labels = nl };
					struct bpfkit_prog *q = NULL;
					struct bpfkit_diag d;
					char *t = bpfkit_disasm(&p, &o);
					assert_non_null(t);
					if (bpfkit_asm(t, strlen(t), dl, &q, &d))
						fail_msg("row %s: line %d: %s\n%s", row->name, d.line, d.msg, t);
					assert_int_equal(q->len, p.len);
					if (memcmp(q->insns, p.insns, sizeof(prog)))
						fail_msg("row %s: bytes differ after\n%s", row->name, t);
					bpfkit_prog__free(q);
					free(t);
					tried++;
				}
		}
	}
	assert_true(tried > 4 * 40 * 150);
}

/* ---- labels ------------------------------------------------------------------ */

static const struct bpfkit_insn label_prog[] = {
	I(0xb7, 0, 0, 0, 0), /* 0 */
	I(0x15, 1, 0, 2, 0), /* 1: jeq r1, 0 -> 4 */
	I(0x85, 0, 1, 0, 2), /* 2: call local -> 5 */
	I(0x95, 0, 0, 0, 0), /* 3 */
	I(0x05, 0, 0, -2, 0), /* 4: ja -> 3 */
	I(0xb7, 0, 0, 0, 1), /* 5 */
	I(0x95, 0, 0, 0, 0), /* 6 */
};

static char *dis(const struct bpfkit_prog *p, enum bpfkit_dialect dl, bool nolabels, bool offsets,
		 bool bytes)
{
	struct bpfkit_disasm_opts o = { .dialect = dl, .no_labels = nolabels, .offsets = offsets,
					.bytes = bytes };
	char *t = bpfkit_disasm(p, &o);

	assert_non_null(t);
	return t;
}

static void test_labels(void **state)
{
	struct bpfkit_prog p = { .insns = (struct bpfkit_insn *)label_prog, .len = 7 };
	char *t;

	(void)state;
	t = dis(&p, CONF, false, false, false);
	assert_string_equal(t, "mov %r0, 0\n"
			       "jeq %r1, 0, L4\n"
			       "call local fn_5\n"
			       "L3:\n"
			       "exit\n"
			       "L4:\n"
			       "ja L3\n"
			       "fn_5:\n"
			       "mov %r0, 1\n"
			       "exit\n");
	free(t);
	t = dis(&p, KERN, false, false, false);
	assert_string_equal(t, "r0 = 0\n"
			       "if r1 == 0x0 goto L4\n"
			       "call fn_5\n"
			       "L3:\n"
			       "exit\n"
			       "L4:\n"
			       "goto L3\n"
			       "fn_5:\n"
			       "r0 = 1\n"
			       "exit\n");
	free(t);
	t = dis(&p, CONF, true, false, false);
	assert_string_equal(t, "mov %r0, 0\n"
			       "jeq %r1, 0, +2\n"
			       "call local +2\n"
			       "exit\n"
			       "ja -2\n"
			       "mov %r0, 1\n"
			       "exit\n");
	free(t);
	t = dis(&p, KERN, true, false, false);
	assert_string_equal(t, "r0 = 0\n"
			       "if r1 == 0x0 goto +2\n"
			       "call pc+2\n"
			       "exit\n"
			       "goto -2\n"
			       "r0 = 1\n"
			       "exit\n");
	free(t);
}

static void test_labels_from_syms(void **state)
{
	struct bpfkit_sym syms[] = { { "main", 0 }, { "L4", 3 }, { "helper", 5 }, { "also", 5 },
				     { "bad name", 6 }, { "end", 7 } };
	struct bpfkit_prog p = { .insns = (struct bpfkit_insn *)label_prog, .len = 7, .syms = syms,
				 .nsyms = 6 };
	char *t;

	(void)state;
	/* symbols name their slots; a generated L4 would clash with the symbol L4 */
	t = dis(&p, KERN, false, false, false);
	assert_string_equal(t, "main:\n"
			       "r0 = 0\n"
			       "if r1 == 0x0 goto L4_\n"
			       "call helper\n"
			       "L4:\n"
			       "exit\n"
			       "L4_:\n"
			       "goto L4\n"
			       "helper:\n"
			       "also:\n"
			       "r0 = 1\n"
			       "# a symbol with an unprintable name is here\n"
			       "exit\n"
			       "end:\n");
	free(t);
	if (!have_asm())
		return;
	/* and it all reads back */
	for (int dl = CONF; dl <= KERN; dl++) {
		struct bpfkit_prog *q = NULL;
		struct bpfkit_diag d;
		t = dis(&p, dl, false, false, false);
		if (bpfkit_asm(t, strlen(t), dl, &q, &d))
			fail_msg("line %d: %s\n%s", d.line, d.msg, t);
		assert_int_equal(q->len, 7);
		assert_memory_equal(q->insns, label_prog, sizeof(label_prog));
		bpfkit_prog__free(q);
		free(t);
	}
}

static void test_columns(void **state)
{
	struct bpfkit_insn in[] = { I(0xb7, 1, 0, 0, 5), I(0x18, 2, 0, 0, 1), I(0, 0, 0, 0, 2),
				    I(0x95, 0, 0, 0, 0) };
	struct bpfkit_prog p = { .insns = in, .len = 4 };
	char *t;

	(void)state;
	t = dis(&p, KERN, false, true, false);
	assert_string_equal(t, "   0: r1 = 5\n"
			       "   1: r2 = 0x200000001 ll\n"
			       "   3: exit\n");
	free(t);
	t = dis(&p, KERN, false, true, true);
	assert_string_equal(t, "   0:\tb7 01 00 00 05 00 00 00\tr1 = 5\n"
			       "   1:\t18 02 00 00 01 00 00 00 00 00 00 00 02 00 00 00\tr2 = 0x200000001 ll\n"
			       "   3:\t95 00 00 00 00 00 00 00\texit\n");
	free(t);
	t = dis(&p, CONF, false, false, true);
	assert_string_equal(t, "b7 01 00 00 05 00 00 00\tmov %r1, 5\n"
			       "18 02 00 00 01 00 00 00 00 00 00 00 02 00 00 00\tlddw %r2, 0x200000001\n"
			       "95 00 00 00 00 00 00 00\texit\n");
	free(t);
}

/* ---- relocations ------------------------------------------------------------- */

static void test_relocs(void **state)
{
	struct bpfkit_insn in[] = {
		I(0x18, 1, 0, 0, 0),  I(0, 0, 0, 0, 0), /* 0: map */
		I(0x18, 2, 0, 0, 16), I(0, 0, 0, 0, 0), /* 2: data + 16 */
		I(0x18, 3, 0, 0, 0),  I(0, 0, 0, 0, 0), /* 4: .bss */
		I(0x18, 4, 0, 0, 0),  I(0, 0, 0, 0, 0), /* 6: a map named like a section */
		I(0x18, 5, 0, 0, 5),  I(0, 0, 0, 0, 0), /* 8: map with a non-zero imm */
		I(0x85, 0, 1, 0, -1),			/* 10: call into another section */
		I(0x85, 0, 1, 0, 4),			/* 11: section-relative offset */
		I(0x95, 0, 0, 0, 0),
	};
	struct bpfkit_reloc rel[] = {
		{ 0, BPFKIT_RELOC_MAP, "my_map" },    { 2, BPFKIT_RELOC_MAP_VALUE, "counter" },
		{ 4, BPFKIT_RELOC_MAP_VALUE, ".bss" }, { 6, BPFKIT_RELOC_MAP, ".odd" },
		{ 8, BPFKIT_RELOC_MAP, "other" },     { 10, BPFKIT_RELOC_CALL, "ext_fn" },
		{ 11, BPFKIT_RELOC_CALL, "static_fn" },
	};
	struct bpfkit_prog p = { .insns = in, .len = 13, .relocs = rel, .nrelocs = 7 };
	char *t;

	(void)state;
	t = dis(&p, KERN, false, false, false);
	assert_string_equal(t, "r1 = my_map ll\n"
			       "r2 = map[counter][0]+16\n"
			       "r3 = .bss ll\n"
			       "r4 = map[.odd]\n"
			       "r5 = 0x5 ll  # other\n"
			       "call ext_fn\n"
			       "call static_fn\n"
			       "exit\n");
	free(t);
	t = dis(&p, CONF, false, false, false);
	assert_string_equal(t, "lddw %r1, my_map\n"
			       "lddw %r2, map[counter][0]+16\n"
			       "lddw %r3, .bss\n"
			       "lddw %r4, map[.odd]\n"
			       "lddw %r5, 0x5  # other\n"
			       "call local ext_fn\n"
			       "call local static_fn\n"
			       "exit\n");
	free(t);
}

/* A call relocation naming a symbol of the program that the offset does not
 * reach: the offset wins (it is what runs), the name becomes a comment. */
static void test_reloc_disagrees(void **state)
{
	struct bpfkit_insn in[] = { I(0x85, 0, 1, 0, 0), I(0x95, 0, 0, 0, 0), I(0xb7, 0, 0, 0, 0),
				    I(0x95, 0, 0, 0, 0) };
	struct bpfkit_sym syms[] = { { "f", 2 } };
	struct bpfkit_reloc rel[] = { { 0, BPFKIT_RELOC_CALL, "f" } };
	struct bpfkit_prog p = { .insns = in, .len = 4, .syms = syms, .nsyms = 1, .relocs = rel,
				 .nrelocs = 1 };
	char *t;

	(void)state;
	t = dis(&p, KERN, false, false, false);
	assert_string_equal(t, "call fn_1  # f\n"
			       "fn_1:\n"
			       "exit\n"
			       "f:\n"
			       "r0 = 0\n"
			       "exit\n");
	free(t);
}

/* Relocations written by name read back as the same relocations. */
static void test_relocs_reassemble(void **state)
{
	static const char src[] = "r1 = my_map ll\n"
				  "r2 = map[counter][0]+16\n"
				  "r3 = .bss ll\n"
				  "call f\n"
				  "exit\n"
				  "f:\n"
				  "r0 = 0\n"
				  "exit\n";
	struct bpfkit_prog *a = NULL;
	struct bpfkit_diag d;

	(void)state;
	if (!have_asm())
		skip();
	if (bpfkit_asm(src, sizeof(src) - 1, KERN, &a, &d))
		fail_msg("%d: %s", d.line, d.msg);
	for (int dl = CONF; dl <= KERN; dl++) {
		struct bpfkit_prog *b = NULL;
		char *t = dis(a, dl, false, false, false);
		if (bpfkit_asm(t, strlen(t), dl, &b, &d))
			fail_msg("%d: %s\n%s", d.line, d.msg, t);
		assert_int_equal(a->len, b->len);
		assert_memory_equal(a->insns, b->insns, a->len * sizeof(*a->insns));
		assert_int_equal(a->nrelocs, b->nrelocs);
		for (size_t i = 0; i < a->nrelocs; i++) {
			assert_int_equal(a->relocs[i].insn, b->relocs[i].insn);
			assert_int_equal(a->relocs[i].kind, b->relocs[i].kind);
			assert_string_equal(a->relocs[i].name, b->relocs[i].name);
		}
		bpfkit_prog__free(b);
		free(t);
	}
	bpfkit_prog__free(a);
}

/* ---- damaged input ------------------------------------------------------------- */

static void test_invalid_slots(void **state)
{
	struct bpfkit_insn in[] = {
		I(0xb7, 0, 0, 0, 1),
		I(0xff, 0, 0, 0, 0),		/* unknown opcode */
		I(0xb7, 0, 1, 0, 0),		/* K form with a src register */
		I(0xbf, 11, 1, 0, 0),		/* r11 */
		I(0x3f, 0, 1, 2, 0),		/* div with off 2 */
		I(0xd4, 0, 0, 0, 24),		/* le24 */
		I(0x18, 0, 0, 0, 1), I(0x95, 0, 0, 0, 0), /* lddw without its second slot */
		I(0x05, 0, 0, 100, 0),		/* jump out of the program */
		I(0x05, 0, 0, 1, 0),		/* jump into the lddw below */
		I(0x18, 1, 0, 0, 0), I(0, 0, 0, 0, 0),
		I(0x18, 1, 0, 0, 7),		/* truncated: last slot */
	};
	struct bpfkit_prog p = { .insns = in, .len = 13 };
	char *t;

	(void)state;
	t = dis(&p, KERN, false, false, false);
	assert_string_equal(
		t, "r0 = 1\n"
		   ".8byte 0x00000000000000ff  # invalid: unknown opcode 0xff\n"
		   ".8byte 0x00000000000010b7  # invalid: mov: reserved src field is 1, must be 0\n"
		   ".8byte 0x0000000000001bbf  # invalid: mov: invalid destination register r11\n"
		   ".8byte 0x000000000002103f  # invalid: opcode 0x3f: no operation with off 2\n"
		   ".8byte 0x00000018000000d4  # invalid: opcode 0xd4: no operation with imm 24\n"
		   ".8byte 0x0000000100000018  # invalid: lddw: second slot is not a continuation "
		   "(word 0x0000000000000095)\n"
		   "exit\n"
		   "goto +100  # target outside the program\n"
		   "goto +1  # target inside an lddw\n"
		   "r1 = 0x0 ll\n"
		   ".8byte 0x0000000700000118  # invalid: truncated lddw: the second slot is missing\n");
	free(t);
	/* the same in the conformance dialect, with offsets */
	t = dis(&p, CONF, false, true, false);
	assert_non_null(strstr(t, "  12: .8byte 0x0000000700000118  # invalid: truncated lddw"));
	assert_non_null(strstr(t, "   8: ja +100  # target outside the program\n"));
	free(t);
}

static void test_empty_and_bad_args(void **state)
{
	struct bpfkit_prog p = { 0 };
	char *t;

	(void)state;
	t = bpfkit_disasm(&p, NULL);
	assert_non_null(t);
	assert_string_equal(t, "");
	free(t);
	errno = 0;
	assert_null(bpfkit_disasm(NULL, NULL));
	assert_int_equal(errno, EINVAL);
	p.len = 3;
	assert_null(bpfkit_disasm(&p, NULL));
	assert_int_equal(errno, EINVAL);
}

/* Big programs with many labels stay linear: 200k slots, a jump in every
 * other slot and a symbol every 16. */
static void test_large_program(void **state)
{
	size_t n = 200000, ns = n / 16;
	struct bpfkit_insn *in = calloc(n, sizeof(*in));
	struct bpfkit_sym *syms = calloc(ns, sizeof(*syms));
	char (*names)[16] = calloc(ns, sizeof(*names));
	struct bpfkit_prog p = { .insns = in, .len = n, .syms = syms, .nsyms = ns };
	char *t;

	(void)state;
	assert_non_null(in);
	assert_non_null(syms);
	assert_non_null(names);
	for (size_t i = 0; i < n; i++)
		in[i] = (struct bpfkit_insn)(i % 2 ? (struct bpfkit_insn)I(0x05, 0, 0, -2, 0)
						   : (struct bpfkit_insn)I(0xb7, 0, 0, 0, (int32_t)i));
	for (size_t i = 0; i < ns; i++) {
		snprintf(names[i], sizeof(names[i]), "s%zu", i);
		syms[i].name = names[i];
		syms[i].insn = i * 16;
	}
	t = bpfkit_disasm(&p, NULL);
	assert_non_null(t);
	assert_non_null(strstr(t, "s0:\nmov %r0, 0\nja s0\nL2:\n"));
	free(t);
	free(names);
	free(syms);
	free(in);
}

/* ---- the conformance suite ------------------------------------------------------- */

static const char *conf_dir(void)
{
	const char *d = getenv("CONF_DIR");

	return d ? d : "../shared/bpf-conformance/tests";
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *b = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (b = malloc((size_t)n + 1)) && fread(b, 1, (size_t)n, f) == (size_t)n) {
		b[n] = '\0';
		*len = (size_t)n;
	} else {
		free(b);
		b = NULL;
	}
	fclose(f);
	return b;
}

/* Every program of the suite: asm -> disasm -> asm gives the same bytes,
 * in both dialects (the asm text is what the suite wrote). */
static void test_conformance_roundtrip(void **state)
{
	DIR *dir = opendir(conf_dir());
	struct dirent *e;
	size_t files = 0;

	(void)state;
	if (!dir || !have_asm()) {
		if (dir)
			closedir(dir);
		skip();
	}
	while ((e = readdir(dir))) {
		char path[4096];
		struct bpfkit_datafile *df = NULL;
		struct bpfkit_prog *p = NULL;
		struct bpfkit_diag d;
		size_t len = 0, nl = strlen(e->d_name);
		char *text;
		if (nl < 5 || strcmp(e->d_name + nl - 5, ".data"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", conf_dir(), e->d_name);
		text = slurp(path, &len);
		assert_non_null(text);
		if (bpfkit_datafile__parse(text, len, &df, &d))
			fail_msg("%s: %s", e->d_name, d.msg);
		if (df->asm_text && bpfkit_asm(df->asm_text, strlen(df->asm_text), CONF, &p, &d))
			p = NULL; /* programs the suite expects to be rejected */
		if (!p && df->raw) {
			p = df->raw;
			df->raw = NULL;
		}
		for (int dl = CONF; p && dl <= KERN; dl++) {
			struct bpfkit_prog *q = NULL;
			char *t = dis(p, dl, false, false, false);
			if (bpfkit_asm(t, strlen(t), dl, &q, &d))
				fail_msg("%s: line %d: %s\n%s", e->d_name, d.line, d.msg, t);
			assert_int_equal(q->len, p->len);
			if (memcmp(q->insns, p->insns, p->len * sizeof(*p->insns)))
				fail_msg("%s: bytes differ\n%s", e->d_name, t);
			bpfkit_prog__free(q);
			free(t);
		}
		files += p != NULL;
		bpfkit_prog__free(p);
		bpfkit_datafile__free(df);
		free(text);
	}
	closedir(dir);
	assert_true(files > 250);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_helper_names),
		cmocka_unit_test(test_exact_text),
		cmocka_unit_test(test_exact_reassemble),
		cmocka_unit_test(test_insn_errors),
		cmocka_unit_test(test_every_row_formats),
		cmocka_unit_test(test_every_row_reassembles),
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_labels_from_syms),
		cmocka_unit_test(test_columns),
		cmocka_unit_test(test_relocs),
		cmocka_unit_test(test_reloc_disagrees),
		cmocka_unit_test(test_relocs_reassemble),
		cmocka_unit_test(test_invalid_slots),
		cmocka_unit_test(test_empty_and_bad_args),
		cmocka_unit_test(test_large_program),
		cmocka_unit_test(test_conformance_roundtrip),
	};

	return cmocka_run_group_tests_name("disasm", tests, NULL, NULL);
}
