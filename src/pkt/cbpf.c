// SPDX-License-Identifier: MIT
/*
 * Classic BPF on its own terms: the checks the kernel's sk_chk_filter()
 * makes before it takes a socket filter, and an interpreter with libpcap's
 * bpf_filter() semantics. The interpreter is the reference the eBPF
 * translation (xlate.c) is tested against, and the "cbpf" engine of
 * `bpfkit filter`.
 */
#include <errno.h>
#include <string.h>

#include "pkt_int.h"

/* Is @p code an instruction the kernel accepts in a socket filter (its
 * codes[] table, ancillary loads aside: those are plain loads here)? */
static bool cbpf_known(uint16_t code)
{
	if (code > 0xff)
		return false;
	switch (CBPF_CLASS(code)) {
	case CBPF_LD:
		switch (code & ~CBPF_CLASS(0xff)) {
		case CBPF_W | CBPF_ABS: case CBPF_H | CBPF_ABS: case CBPF_B | CBPF_ABS:
		case CBPF_W | CBPF_IND: case CBPF_H | CBPF_IND: case CBPF_B | CBPF_IND:
		case CBPF_W | CBPF_LEN: case CBPF_W | CBPF_IMM: case CBPF_W | CBPF_MEM:
			return true;
		}
		return false;
	case CBPF_LDX:
		switch (code & ~CBPF_CLASS(0xff)) {
		case CBPF_W | CBPF_IMM: case CBPF_W | CBPF_LEN: case CBPF_W | CBPF_MEM:
		case CBPF_B | CBPF_MSH:
			return true;
		}
		return false;
	case CBPF_ST:
	case CBPF_STX:
		return code == CBPF_ST || code == CBPF_STX;
	case CBPF_ALU:
		if (CBPF_OP(code) == 0x80) /* neg */
			return code == (CBPF_ALU | 0x80);
		return CBPF_OP(code) <= 0xa0;
	case CBPF_JMP:
		if (CBPF_OP(code) == 0x00) /* ja */
			return code == CBPF_JMP;
		return CBPF_OP(code) <= 0x40;
	case CBPF_RET:
		return code == (CBPF_RET | CBPF_K) || code == (CBPF_RET | CBPF_A);
	default: /* CBPF_MISC */
		return code == (CBPF_MISC | CBPF_TAX) || code == (CBPF_MISC | CBPF_TXA);
	}
}

/*
 * sk_chk_filter(): the length, each opcode, what each one's k may be (a
 * scratch index, a divisor, a shift), jumps forward inside the program
 * (classic jumps cannot go backward, so every program ends), and a return
 * at the end. Errors name the instruction.
 */
int bpfkit_cbpf_check(const struct bpfkit_cbpf_insn *insns, size_t len, struct bpfkit_diag *diag)
{
	bpfkit_diag__clear(diag);
	if (len == 0 || len > BPFKIT_CBPF_MAXINSNS)
		return bpfkit_diag__set(diag, -EINVAL, "a classic program has 1 to %d instructions, not %zu",
					BPFKIT_CBPF_MAXINSNS, len);
	for (size_t pc = 0; pc < len; pc++) {
		const struct bpfkit_cbpf_insn *in = &insns[pc];
		uint16_t c = in->code;

		if (diag)
			diag->insn = (long)pc;
		if (!cbpf_known(c))
			return bpfkit_diag__set(diag, -EINVAL, "unknown classic opcode 0x%02x", c);
		switch (CBPF_CLASS(c)) {
		case CBPF_LD:
		case CBPF_LDX:
			if (CBPF_MODE(c) == CBPF_MEM && in->k >= BPFKIT_CBPF_MEMWORDS)
				return bpfkit_diag__set(diag, -EINVAL, "M[%u]: scratch index out of range (0-15)",
							in->k);
			break;
		case CBPF_ST:
		case CBPF_STX:
			if (in->k >= BPFKIT_CBPF_MEMWORDS)
				return bpfkit_diag__set(diag, -EINVAL, "M[%u]: scratch index out of range (0-15)",
							in->k);
			break;
		case CBPF_ALU:
			if (CBPF_SRC(c) != CBPF_K)
				break;
			if ((CBPF_OP(c) == 0x30 || CBPF_OP(c) == 0x90) && in->k == 0)
				return bpfkit_diag__set(diag, -EINVAL, "division by the constant 0");
			if ((CBPF_OP(c) == 0x60 || CBPF_OP(c) == 0x70) && in->k >= 32)
				return bpfkit_diag__set(diag, -EINVAL, "shift by %u (constant shifts are 0-31)", in->k);
			break;
		case CBPF_JMP:
			if (CBPF_OP(c) == 0x00) {
				if (in->k >= len - pc - 1)
					return bpfkit_diag__set(diag, -EINVAL, "ja +%u jumps past the end", in->k);
			} else if ((size_t)in->jt + 1 >= len - pc || (size_t)in->jf + 1 >= len - pc) {
				return bpfkit_diag__set(diag, -EINVAL, "jt %u / jf %u jumps past the end", in->jt,
							in->jf);
			}
			break;
		}
	}
	if (diag)
		diag->insn = (long)len - 1;
	if (CBPF_CLASS(insns[len - 1].code) != CBPF_RET)
		return bpfkit_diag__set(diag, -EINVAL, "the last instruction must be a ret");
	if (diag)
		diag->insn = -1;
	return 0;
}

/* Load @p size bytes at @p off (big-endian), or false when they are not all
 * inside the captured bytes. 64-bit sums, so no offset wraps around. */
static inline bool cbpf_load(const uint8_t *pkt, uint32_t caplen, uint64_t off, unsigned size, uint32_t *v)
{
	if (off + size > caplen)
		return false;
	pkt += off;
	*v = size == 4 ? (uint32_t)pkt[0] << 24 | (uint32_t)pkt[1] << 16 | (uint32_t)pkt[2] << 8 | pkt[3]
	     : size == 2 ? (uint32_t)pkt[0] << 8 | pkt[1]
			 : pkt[0];
	return true;
}

/*
 * The interpreter: libpcap's bpf_filter() semantics. A and X start at 0 and
 * so does M[]; 32-bit unsigned arithmetic; a load outside the captured bytes
 * or a division (modulo) by X = 0 returns 0; a shift by X >= 32 gives 0
 * (libpcap's choice; the kernel masks the count). The program must have
 * passed bpfkit_cbpf_check(): jumps are not checked again here.
 */
uint32_t bpfkit_cbpf_run(const struct bpfkit_cbpf_insn *insns, size_t len, const uint8_t *pkt,
			 uint32_t caplen, uint32_t wirelen)
{
	uint32_t A = 0, X = 0, M[BPFKIT_CBPF_MEMWORDS] = { 0 }, v;

	for (size_t pc = 0; pc < len; pc++) {
		const struct bpfkit_cbpf_insn *in = &insns[pc];
		uint32_t k = in->k, src = CBPF_SRC(in->code) == CBPF_X ? X : k;

		switch (CBPF_CLASS(in->code)) {
		case CBPF_LD:
			switch (CBPF_MODE(in->code)) {
			case CBPF_ABS: /* A = P[k:size] */
				if (!cbpf_load(pkt, caplen, k, cbpf_load_size(in->code), &A))
					return 0;
				break;
			case CBPF_IND: /* A = P[X+k:size] */
				if (!cbpf_load(pkt, caplen, (uint64_t)X + k, cbpf_load_size(in->code), &A))
					return 0;
				break;
			case CBPF_LEN: /* A = the length on the wire */
				A = wirelen;
				break;
			case CBPF_MEM:
				A = M[k];
				break;
			default: /* IMM */
				A = k;
			}
			break;
		case CBPF_LDX:
			switch (CBPF_MODE(in->code)) {
			case CBPF_MSH: /* X = 4 * (P[k] & 0xf), an IPv4 header length */
				if (!cbpf_load(pkt, caplen, k, 1, &v))
					return 0;
				X = (v & 0xf) << 2;
				break;
			case CBPF_LEN:
				X = wirelen;
				break;
			case CBPF_MEM:
				X = M[k];
				break;
			default:
				X = k;
			}
			break;
		case CBPF_ST:
			M[k] = A;
			break;
		case CBPF_STX:
			M[k] = X;
			break;
		case CBPF_ALU:
			switch (CBPF_OP(in->code)) {
			case 0x00: A += src; break;
			case 0x10: A -= src; break;
			case 0x20: A *= src; break;
			case 0x30: /* div: by X = 0 the program returns 0 */
				if (!src)
					return 0;
				A /= src;
				break;
			case 0x40: A |= src; break;
			case 0x50: A &= src; break;
			case 0x60: A = src < 32 ? A << src : 0; break;
			case 0x70: A = src < 32 ? A >> src : 0; break;
			case 0x80: A = -A; break;
			case 0x90:
				if (!src)
					return 0;
				A %= src;
				break;
			default: A ^= src; break;
			}
			break;
		case CBPF_JMP:
			switch (CBPF_OP(in->code)) {
			case 0x00: pc += k; break;
			case 0x10: pc += A == src ? in->jt : in->jf; break;
			case 0x20: pc += A > src ? in->jt : in->jf; break;
			case 0x30: pc += A >= src ? in->jt : in->jf; break;
			default: pc += (A & src) ? in->jt : in->jf; break;
			}
			break;
		case CBPF_RET:
			return CBPF_RVAL(in->code) == CBPF_A ? A : k;
		default: /* MISC */
			if (CBPF_MISCOP(in->code) == CBPF_TXA)
				A = X;
			else
				X = A;
		}
	}
	return 0; /* not reached for a checked program */
}
