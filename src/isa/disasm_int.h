/* SPDX-License-Identifier: MIT */
/*
 * Private to the disassembler (disasm.c, disasm_fmt.c): a
 * growable text buffer and one decoded instruction with the names the
 * whole-program pass resolved for it. disasm_fmt.c only formats;
 * decoding, labels and relocations are decided once, in disasm.c.
 */
#ifndef BPFKIT_DISASM_INT_H
#define BPFKIT_DISASM_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <bpfkit/isa.h>

#include "buf_int.h"

/* How an LDDW with a relocation prints its symbol (the assembler reads each
 * back to the same bytes and relocation kind). */
enum dis_sym_form {
	SYM_PLAIN, /* r1 = NAME ll / lddw %r1, NAME (map; data when NAME starts with '.') */
	SYM_MAP, /* r1 = map[NAME]: a map whose name starts with '.' */
	SYM_VALUE, /* r1 = map[NAME][0]+OFF: data at offset OFF (the low imm) */
};

/*
 * One instruction ready to print. target, when set, replaces the numeric
 * jump/call offset (a label name); sym, when set, replaces the 64-bit
 * immediate of an LDDW (a map or data symbol from a relocation).
 */
struct dis_insn {
	const struct bpfkit_insn *insn; /* first slot; insn[1] is valid for LDDW */
	const struct bpfkit_opinfo *info;
	uint64_t imm64; /* LDDW: both immediate halves */
	const char *target;
	const char *sym;
	uint8_t sym_form; /* enum dis_sym_form */
};

/* The symbol part of an LDDW with a relocation, without " ll". */
void disasm_sym(const struct dis_insn *d, struct dbuf *b);

/*
 * Decode the instruction at @p insns[0] (@p avail slots available) into
 * @p d. Returns the number of slots (1 or 2), or -EINVAL with the reason in
 * @p why; then the slot is printed as `.8byte` and decoding resumes at the
 * next slot.
 */
int disasm_decode(const struct bpfkit_insn *insns, size_t avail, struct dis_insn *d, char *why,
		  size_t why_size);

/* Format @p d in one dialect (no trailing newline). */
void disasm_conf(const struct dis_insn *d, struct dbuf *b);
void disasm_kern(const struct dis_insn *d, struct dbuf *b);

#endif
