// SPDX-License-Identifier: MIT
/*
 * Classic BPF to eBPF, with the kernel's mapping (net/core/filter.c,
 * bpf_convert_filter()): A is r0, X is r7, the scratch words M[0..15] are
 * 32-bit stack slots at r10-64, and every operation is 32-bit, so A and X
 * stay zero-extended and `ret a` returns r0 as it is.
 *
 * The kernel turns LD_ABS/LD_IND into its special legacy instructions,
 * which reach the skb through hidden state. bpfkit's VM has no skb: its
 * input is a struct bpfkit_pkt_hdr followed by the captured bytes, so the
 * prologue keeps the packet's start in r6 and its captured length in r9,
 * and each packet load becomes what the legacy instruction does inside:
 * a bounds check that returns 0 (no match) when the bytes are not all
 * captured, a plain load, and a conversion from big-endian.
 *
 *   r6 = r1 + 8       packet bytes          r9 = r2 - 8    caplen
 *   w0 = 0, w7 = 0    A and X               M[k] at r10 - 64 + 4k
 *
 * For the kernel (BPFKIT_CBPF_TARGET_KERNEL, a tc program run with
 * BPF_PROG_TEST_RUN) r6 is the __sk_buff and packet loads are the legacy
 * LD_ABS/LD_IND instructions, as the kernel's conversion emits them, with
 * our checks kept where the kernel would read an offset classic BPF does
 * not (a negative one: the kernel's ancillary data).
 *
 * The translation is one pass: each classic instruction's first eBPF slot
 * is recorded, jumps are recorded as fixups and patched at the end, where
 * a shared "return 0" block serves every failed check.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pkt_int.h"

#define REG_A 0
#define REG_X 7
#define REG_PKT 6
#define REG_CAPLEN 9
#define REG_T1 1
#define REG_T2 2
#define MEM_OFF(k) ((int16_t)(-64 + 4 * (int)(k)))
#define DROP_TARGET SIZE_MAX /* fixup target: the shared return-0 block */

struct fixup {
	size_t at; /* slot of the jump */
	size_t target; /* classic pc, or DROP_TARGET */
};

struct xl {
	bool kernel; /* BPFKIT_CBPF_TARGET_KERNEL */
	struct bpfkit_insn *out;
	size_t n, cap;
	struct fixup *fix;
	size_t nfix, capfix;
	bool oom;
};

static void emit(struct xl *x, uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	if (x->n == x->cap) {
		size_t cap = x->cap ? 2 * x->cap : 64;
		struct bpfkit_insn *p = realloc(x->out, cap * sizeof(*p));

		if (!p) {
			x->oom = true;
			return;
		}
		x->out = p;
		x->cap = cap;
	}
	x->out[x->n++] = (struct bpfkit_insn){ .code = code, .dst = dst, .src = src, .off = off, .imm = imm };
}

/* A jump to classic instruction @p target (or DROP_TARGET), patched later. */
static void emit_jump(struct xl *x, uint8_t code, uint8_t dst, uint8_t src, int32_t imm, size_t target)
{
	if (x->nfix == x->capfix) {
		size_t cap = x->capfix ? 2 * x->capfix : 64;
		struct fixup *p = realloc(x->fix, cap * sizeof(*p));

		if (!p) {
			x->oom = true;
			return;
		}
		x->fix = p;
		x->capfix = cap;
	}
	x->fix[x->nfix++] = (struct fixup){ .at = x->n, .target = target };
	emit(x, code, dst, src, 0, imm);
}

static uint8_t ebpf_size(unsigned size)
{
	return size == 4 ? BPFKIT_W : size == 2 ? BPFKIT_H : BPFKIT_B;
}

/* dst = the @p size bytes at packet offset k, whose bounds were checked: a
 * plain load (through r1 when k does not fit the 16-bit offset), then the
 * conversion from network byte order. */
static void emit_pkt_load(struct xl *x, uint8_t dst, uint32_t k, unsigned size)
{
	if (k <= INT16_MAX) {
		emit(x, BPFKIT_LDX | BPFKIT_MEM | ebpf_size(size), dst, REG_PKT, (int16_t)k, 0);
	} else {
		emit(x, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, REG_T1, REG_PKT, 0, 0);
		emit(x, BPFKIT_ALU64 | BPFKIT_ADD | BPFKIT_K, REG_T1, 0, 0, (int32_t)k);
		emit(x, BPFKIT_LDX | BPFKIT_MEM | ebpf_size(size), dst, REG_T1, 0, 0);
	}
	if (size > 1)
		emit(x, BPFKIT_ALU | BPFKIT_END | BPFKIT_TO_BE, dst, 0, 0, (int32_t)(size * 8));
}

/* Return 0 unless bytes [k, k+size) were captured: caplen < k + size. An
 * offset no capture can reach (beyond 2 GiB) always returns 0. */
static bool emit_abs_check(struct xl *x, uint32_t k, unsigned size)
{
	uint64_t end = (uint64_t)k + size;

	if (end > INT32_MAX) {
		emit_jump(x, BPFKIT_JMP | BPFKIT_JA, 0, 0, 0, DROP_TARGET);
		return false;
	}
	emit_jump(x, BPFKIT_JMP | BPFKIT_JLT | BPFKIT_K, REG_CAPLEN, 0, (int32_t)end, DROP_TARGET);
	return true;
}

/* A = P[X + k : size], with libpcap's bounds: X + k + size <= caplen,
 * summed in 64 bits so no offset wraps. */
static void emit_ind_load(struct xl *x, uint32_t k, unsigned size)
{
	emit(x, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, REG_T1, REG_X, 0, 0);
	if (k <= INT32_MAX) {
		if (k)
			emit(x, BPFKIT_ALU64 | BPFKIT_ADD | BPFKIT_K, REG_T1, 0, 0, (int32_t)k);
	} else {
		emit(x, BPFKIT_ALU | BPFKIT_MOV | BPFKIT_K, REG_T2, 0, 0, (int32_t)k);
		emit(x, BPFKIT_ALU64 | BPFKIT_ADD | BPFKIT_X, REG_T1, REG_T2, 0, 0);
	}
	emit(x, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, REG_T2, REG_T1, 0, 0);
	emit(x, BPFKIT_ALU64 | BPFKIT_ADD | BPFKIT_K, REG_T2, 0, 0, (int32_t)size);
	emit_jump(x, BPFKIT_JMP | BPFKIT_JGT | BPFKIT_X, REG_T2, REG_CAPLEN, 0, DROP_TARGET);
	emit(x, BPFKIT_ALU64 | BPFKIT_ADD | BPFKIT_X, REG_T1, REG_PKT, 0, 0);
	emit(x, BPFKIT_LDX | BPFKIT_MEM | ebpf_size(size), REG_A, REG_T1, 0, 0);
	if (size > 1)
		emit(x, BPFKIT_ALU | BPFKIT_END | BPFKIT_TO_BE, REG_A, 0, 0, (int32_t)(size * 8));
}

/*
 * The kernel's form of the packet loads: LD_ABS/LD_IND (r0 = the bytes, in
 * host order; the program returns 0 when they are out of bounds). An
 * offset the kernel would take as negative (ancillary data) returns 0 as
 * classic BPF does; X + k is checked in 64 bits first for the same reason.
 * ldx msh goes through A, saved in r8, as in the kernel's conversion.
 */
static void xlate_load_kernel(struct xl *x, const struct bpfkit_cbpf_insn *in)
{
	unsigned size = cbpf_load_size(in->code);
	uint64_t end = (uint64_t)in->k + size;

	switch (CBPF_MODE(in->code)) {
	case CBPF_ABS:
		if (end > INT32_MAX)
			emit_jump(x, BPFKIT_JMP | BPFKIT_JA, 0, 0, 0, DROP_TARGET);
		else
			emit(x, BPFKIT_LD | BPFKIT_ABS | ebpf_size(size), 0, 0, 0, (int32_t)in->k);
		break;
	case CBPF_IND:
		emit(x, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, REG_T1, REG_X, 0, 0);
		emit(x, BPFKIT_ALU | BPFKIT_MOV | BPFKIT_K, REG_T2, 0, 0, (int32_t)in->k);
		emit(x, BPFKIT_ALU64 | BPFKIT_ADD | BPFKIT_X, REG_T1, REG_T2, 0, 0);
		emit_jump(x, BPFKIT_JMP | BPFKIT_JGT | BPFKIT_K, REG_T1, 0, INT32_MAX - (int32_t)size, DROP_TARGET);
		emit(x, BPFKIT_LD | BPFKIT_IND | ebpf_size(size), 0, REG_X, 0, (int32_t)in->k);
		break;
	default: /* MSH */
		if (end > INT32_MAX) {
			emit_jump(x, BPFKIT_JMP | BPFKIT_JA, 0, 0, 0, DROP_TARGET);
			break;
		}
		emit(x, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, 8, REG_A, 0, 0);
		emit(x, BPFKIT_LD | BPFKIT_ABS | BPFKIT_B, 0, 0, 0, (int32_t)in->k);
		emit(x, BPFKIT_ALU | BPFKIT_AND | BPFKIT_K, REG_A, 0, 0, 0xf);
		emit(x, BPFKIT_ALU | BPFKIT_LSH | BPFKIT_K, REG_A, 0, 0, 2);
		emit(x, BPFKIT_ALU | BPFKIT_MOV | BPFKIT_X, REG_X, REG_A, 0, 0);
		emit(x, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, REG_A, 8, 0, 0);
	}
}

/* The loads of A (LD) and X (LDX). */
static void xlate_load(struct xl *x, const struct bpfkit_cbpf_insn *in)
{
	bool ldx = CBPF_CLASS(in->code) == CBPF_LDX;
	uint8_t dst = ldx ? REG_X : REG_A;
	unsigned size = cbpf_load_size(in->code);
	uint8_t mode = CBPF_MODE(in->code);

	if (x->kernel && (mode == CBPF_ABS || mode == CBPF_IND || mode == CBPF_MSH)) {
		xlate_load_kernel(x, in);
		return;
	}
	if (x->kernel && mode == CBPF_LEN) { /* skb->len: __sk_buff's first field */
		emit(x, BPFKIT_LDX | BPFKIT_MEM | BPFKIT_W, dst, REG_PKT, 0, 0);
		return;
	}
	switch (mode) {
	case CBPF_ABS: /* A = P[k:size] */
		if (emit_abs_check(x, in->k, size))
			emit_pkt_load(x, REG_A, in->k, size);
		break;
	case CBPF_IND: /* A = P[X+k:size] */
		emit_ind_load(x, in->k, size);
		break;
	case CBPF_MSH: /* X = 4 * (P[k] & 0xf) */
		if (emit_abs_check(x, in->k, 1)) {
			emit_pkt_load(x, REG_X, in->k, 1);
			emit(x, BPFKIT_ALU | BPFKIT_AND | BPFKIT_K, REG_X, 0, 0, 0xf);
			emit(x, BPFKIT_ALU | BPFKIT_LSH | BPFKIT_K, REG_X, 0, 0, 2);
		}
		break;
	case CBPF_LEN: /* the wire length, from the header before the packet */
		emit(x, BPFKIT_LDX | BPFKIT_MEM | BPFKIT_W, dst, REG_PKT, -BPFKIT_PKT_HDR_LEN, 0);
		break;
	case CBPF_MEM:
		emit(x, BPFKIT_LDX | BPFKIT_MEM | BPFKIT_W, dst, BPFKIT_REG_FP, MEM_OFF(in->k), 0);
		break;
	default: /* IMM */
		emit(x, BPFKIT_ALU | BPFKIT_MOV | BPFKIT_K, dst, 0, 0, (int32_t)in->k);
	}
}

/* A op= K or X, in 32 bits. Division and modulo by X = 0 return 0 (the
 * check the kernel's conversion emits too); a shift by X >= 32 gives 0 as
 * in libpcap (eBPF would mask the count): A is zeroed first and the shift
 * of 0 stays 0. */
static void xlate_alu(struct xl *x, const struct bpfkit_cbpf_insn *in)
{
	uint8_t op = CBPF_OP(in->code);

	if (op == BPFKIT_NEG) {
		emit(x, BPFKIT_ALU | BPFKIT_NEG, REG_A, 0, 0, 0);
		return;
	}
	if (CBPF_SRC(in->code) == CBPF_K) {
		emit(x, BPFKIT_ALU | op | BPFKIT_K, REG_A, 0, 0, (int32_t)in->k);
		return;
	}
	if (op == BPFKIT_DIV || op == BPFKIT_MOD)
		emit_jump(x, BPFKIT_JMP | BPFKIT_JEQ | BPFKIT_K, REG_X, 0, 0, DROP_TARGET);
	if (op == BPFKIT_LSH || op == BPFKIT_RSH) {
		emit(x, BPFKIT_JMP | BPFKIT_JLT | BPFKIT_K, REG_X, 0, 1, 32);
		emit(x, BPFKIT_ALU | BPFKIT_MOV | BPFKIT_K, REG_A, 0, 0, 0);
	}
	emit(x, BPFKIT_ALU | op | BPFKIT_X, REG_A, REG_X, 0, 0);
}

/* jeq/jgt/jge/jset: a 32-bit compare of A with K or X to the true target,
 * and a jump to the false target unless it is the next instruction. When
 * only the false branch jumps, the inverse compare (jne/jle/jlt) jumps
 * there alone. */
static void xlate_jmp(struct xl *x, const struct bpfkit_cbpf_insn *in, size_t pc)
{
	uint8_t op = CBPF_OP(in->code), src = CBPF_SRC(in->code) == CBPF_X ? REG_X : 0;
	uint8_t cls = src ? BPFKIT_JMP32 | BPFKIT_X : BPFKIT_JMP32 | BPFKIT_K;
	size_t t = pc + 1 + in->jt, f = pc + 1 + in->jf;

	if (op == 0x00) { /* ja */
		emit_jump(x, BPFKIT_JMP | BPFKIT_JA, 0, 0, 0, pc + 1 + in->k);
		return;
	}
	if (t == f) {
		if (t != pc + 1)
			emit_jump(x, BPFKIT_JMP | BPFKIT_JA, 0, 0, 0, t);
		return;
	}
	if (t == pc + 1 && op != BPFKIT_JSET) {
		uint8_t inv = op == BPFKIT_JEQ ? BPFKIT_JNE : op == BPFKIT_JGT ? BPFKIT_JLE : BPFKIT_JLT;

		emit_jump(x, cls | inv, REG_A, src, src ? 0 : (int32_t)in->k, f);
		return;
	}
	emit_jump(x, cls | op, REG_A, src, src ? 0 : (int32_t)in->k, t);
	if (f != pc + 1)
		emit_jump(x, BPFKIT_JMP | BPFKIT_JA, 0, 0, 0, f);
}

/* One classic instruction. */
static void xlate_one(struct xl *x, const struct bpfkit_cbpf_insn *in, size_t pc)
{
	switch (CBPF_CLASS(in->code)) {
	case CBPF_LD:
	case CBPF_LDX:
		xlate_load(x, in);
		break;
	case CBPF_ST: /* M[k] = A */
		emit(x, BPFKIT_STX | BPFKIT_MEM | BPFKIT_W, BPFKIT_REG_FP, REG_A, MEM_OFF(in->k), 0);
		break;
	case CBPF_STX: /* M[k] = X */
		emit(x, BPFKIT_STX | BPFKIT_MEM | BPFKIT_W, BPFKIT_REG_FP, REG_X, MEM_OFF(in->k), 0);
		break;
	case CBPF_ALU:
		xlate_alu(x, in);
		break;
	case CBPF_JMP:
		xlate_jmp(x, in, pc);
		break;
	case CBPF_RET: /* r0 = k, or A (already in r0, zero-extended) */
		if (CBPF_RVAL(in->code) != CBPF_A)
			emit(x, BPFKIT_ALU | BPFKIT_MOV | BPFKIT_K, REG_A, 0, 0, (int32_t)in->k);
		emit(x, BPFKIT_OP_EXIT, 0, 0, 0, 0);
		break;
	default:
		if (CBPF_MISCOP(in->code) == CBPF_TXA)
			emit(x, BPFKIT_ALU | BPFKIT_MOV | BPFKIT_X, REG_A, REG_X, 0, 0);
		else
			emit(x, BPFKIT_ALU | BPFKIT_MOV | BPFKIT_X, REG_X, REG_A, 0, 0);
	}
}

/* The prologue: r6 and r9 from the input (r6 = the skb for the kernel), A = X = 0, and every scratch
 * word the program reads set to 0 (classic BPF starts with M[] zeroed in
 * libpcap; the kernel instead refuses reads before writes). */
static void xlate_prologue(struct xl *x, const struct bpfkit_cbpf_insn *insns, size_t len)
{
	uint32_t read = 0;

	emit(x, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, REG_PKT, 1, 0, 0);
	if (!x->kernel) {
		emit(x, BPFKIT_ALU64 | BPFKIT_ADD | BPFKIT_K, REG_PKT, 0, 0, BPFKIT_PKT_HDR_LEN);
		emit(x, BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, REG_CAPLEN, 2, 0, 0);
		emit(x, BPFKIT_ALU64 | BPFKIT_SUB | BPFKIT_K, REG_CAPLEN, 0, 0, BPFKIT_PKT_HDR_LEN);
	}
	emit(x, BPFKIT_ALU | BPFKIT_MOV | BPFKIT_K, REG_A, 0, 0, 0);
	emit(x, BPFKIT_ALU | BPFKIT_MOV | BPFKIT_K, REG_X, 0, 0, 0);
	for (size_t pc = 0; pc < len; pc++) {
		uint16_t c = insns[pc].code;

		if ((CBPF_CLASS(c) == CBPF_LD || CBPF_CLASS(c) == CBPF_LDX) && CBPF_MODE(c) == CBPF_MEM)
			read |= 1u << insns[pc].k;
	}
	for (unsigned k = 0; k < BPFKIT_CBPF_MEMWORDS; k++)
		if (read & (1u << k))
			emit(x, BPFKIT_ST | BPFKIT_MEM | BPFKIT_W, BPFKIT_REG_FP, 0, MEM_OFF(k), 0);
}

/* A packet load at an offset no capture reaches (past 2 GiB): translated
 * as a jump to the return-0 block, so nothing after it falls through. */
static bool cbpf_always_out(const struct bpfkit_cbpf_insn *in)
{
	uint16_t c = in->code;

	return ((CBPF_CLASS(c) == CBPF_LD && CBPF_MODE(c) == CBPF_ABS) ||
		(CBPF_CLASS(c) == CBPF_LDX && CBPF_MODE(c) == CBPF_MSH)) &&
	       (uint64_t)in->k + cbpf_load_size(c) > INT32_MAX;
}

/* Which instructions a run can reach (classic jumps only go forward, so one
 * pass in order does it). Unreachable ones are not translated: the
 * kernel's verifier refuses unreachable code, and it is dead weight. */
static void cbpf_reachable(const struct bpfkit_cbpf_insn *insns, size_t len, bool *reach)
{
	reach[0] = true;
	for (size_t pc = 0; pc < len; pc++) {
		uint16_t c = insns[pc].code;

		if (!reach[pc] || CBPF_CLASS(c) == CBPF_RET || cbpf_always_out(&insns[pc]))
			continue;
		if (CBPF_CLASS(c) != CBPF_JMP) {
			reach[pc + 1] = true;
		} else if (CBPF_OP(c) == 0x00) {
			reach[pc + 1 + insns[pc].k] = true;
		} else {
			reach[pc + 1 + insns[pc].jt] = true;
			reach[pc + 1 + insns[pc].jf] = true;
		}
	}
}

int bpfkit_cbpf_to_ebpf(const struct bpfkit_cbpf_insn *insns, size_t len, enum bpfkit_cbpf_target target,
			struct bpfkit_prog **out, struct bpfkit_diag *diag)
{
	struct xl x = { .kernel = target == BPFKIT_CBPF_TARGET_KERNEL };
	struct bpfkit_prog *prog = NULL;
	size_t *start = NULL, drop;
	bool *reach = NULL, dropped = false;
	int err;

	*out = NULL;
	err = bpfkit_cbpf_check(insns, len, diag);
	if (err)
		return err;
	start = calloc(len, sizeof(*start));
	reach = calloc(len, sizeof(*reach));
	if (!start || !reach)
		goto oom;
	cbpf_reachable(insns, len, reach);
	xlate_prologue(&x, insns, len);
	for (size_t pc = 0; pc < len; pc++) {
		start[pc] = x.n;
		if (reach[pc])
			xlate_one(&x, &insns[pc], pc);
	}
	/* the shared return-0 block, when a check jumps there */
	drop = x.n;
	for (size_t i = 0; i < x.nfix; i++)
		dropped |= x.fix[i].target == DROP_TARGET;
	if (dropped) {
		emit(&x, BPFKIT_ALU | BPFKIT_MOV | BPFKIT_K, REG_A, 0, 0, 0);
		emit(&x, BPFKIT_OP_EXIT, 0, 0, 0, 0);
	}
	if (x.oom)
		goto oom;
	if (x.n > INT16_MAX) {
		err = bpfkit_diag__set(diag, -E2BIG, "the translation has %zu instructions, more than 16-bit jumps reach",
				       x.n);
		goto out;
	}
	for (size_t i = 0; i < x.nfix; i++) {
		size_t to = x.fix[i].target == DROP_TARGET ? drop : start[x.fix[i].target];

		x.out[x.fix[i].at].off = (int16_t)((long)to - (long)x.fix[i].at - 1);
	}
	prog = calloc(1, sizeof(*prog));
	if (!prog || !(prog->name = strdup("filter")))
		goto oom;
	prog->insns = x.out;
	prog->len = x.n;
	x.out = NULL;
	*out = prog;
	prog = NULL;
	err = 0;
	goto out;
oom:
	err = bpfkit_diag__set(diag, -ENOMEM, "out of memory");
out:
	bpfkit_prog__free(prog);
	free(x.out);
	free(x.fix);
	free(start);
	free(reach);
	return err;
}
