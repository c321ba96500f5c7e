/* SPDX-License-Identifier: MIT */
/**
 * @file isa.h
 * @brief The eBPF instruction layer: RFC 9669 encoding (cpu v4 included), the
 *        opcode table, the assembler, the disassembler and instruction I/O.
 *
 * This is the lowest layer of bpfkit: it includes nothing of ours and never
 * prints or exits. Every other layer (vm, verify, lang, kern, cli) speaks the
 * types defined here. We do not use <linux/bpf.h>: Debian's copy predates
 * cpu v4 (gotol, sdiv/smod, movsx, ldsx, bswap).
 *
 * Ownership: functions that return allocated memory say so; the caller frees
 * it with the matching bpfkit_*__free() (which accepts NULL).
 */
#ifndef BPFKIT_ISA_H
#define BPFKIT_ISA_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef BPFKIT_API
#define BPFKIT_API __attribute__((visibility("default")))
#endif

/* ---- Encoding (RFC 9669 section 3) ------------------------------------ */

/**
 * One 64-bit instruction slot, laid out as the kernel's struct bpf_insn on a
 * little-endian host: opcode, dst (low nibble), src (high nibble), off, imm.
 * LDDW occupies two slots; the second has code 0 and carries imm[63:32].
 */
struct bpfkit_insn {
	uint8_t code;
	uint8_t dst : 4;
	uint8_t src : 4;
	int16_t off;
	int32_t imm;
};

#define BPFKIT_NREGS 11 /* r0..r10 */
#define BPFKIT_REG_FP 10 /* read-only frame pointer */
#define BPFKIT_STACK_SIZE 512 /* bytes per frame */
#define BPFKIT_MAX_FRAMES 8 /* call depth, main program included */

/* Instruction classes: code & 0x07 */
#define BPFKIT_CLASS(code) ((code) & 0x07)
#define BPFKIT_LD 0x00
#define BPFKIT_LDX 0x01
#define BPFKIT_ST 0x02
#define BPFKIT_STX 0x03
#define BPFKIT_ALU 0x04
#define BPFKIT_JMP 0x05
#define BPFKIT_JMP32 0x06
#define BPFKIT_ALU64 0x07

/* Load/store: size = code & 0x18, mode = code & 0xe0 */
#define BPFKIT_SIZE(code) ((code) & 0x18)
#define BPFKIT_W 0x00
#define BPFKIT_H 0x08
#define BPFKIT_B 0x10
#define BPFKIT_DW 0x18
#define BPFKIT_MODE(code) ((code) & 0xe0)
#define BPFKIT_IMM 0x00
#define BPFKIT_ABS 0x20 /* legacy packet access */
#define BPFKIT_IND 0x40 /* legacy packet access */
#define BPFKIT_MEM 0x60
#define BPFKIT_MEMSX 0x80 /* sign-extending load (v4) */
#define BPFKIT_ATOMIC 0xc0

/* ALU/JMP: operation = code & 0xf0, source = code & 0x08 */
#define BPFKIT_OP(code) ((code) & 0xf0)
#define BPFKIT_SRC(code) ((code) & 0x08)
#define BPFKIT_K 0x00 /* use imm */
#define BPFKIT_X 0x08 /* use src register */
/* for END: 0x00 = to little endian, 0x08 = to big endian; ALU64|END = bswap */
#define BPFKIT_TO_LE 0x00
#define BPFKIT_TO_BE 0x08

#define BPFKIT_ADD 0x00
#define BPFKIT_SUB 0x10
#define BPFKIT_MUL 0x20
#define BPFKIT_DIV 0x30 /* off=1: SDIV */
#define BPFKIT_OR 0x40
#define BPFKIT_AND 0x50
#define BPFKIT_LSH 0x60
#define BPFKIT_RSH 0x70
#define BPFKIT_NEG 0x80
#define BPFKIT_MOD 0x90 /* off=1: SMOD */
#define BPFKIT_XOR 0xa0
#define BPFKIT_MOV 0xb0 /* off=8/16/32: MOVSX */
#define BPFKIT_ARSH 0xc0
#define BPFKIT_END 0xd0

#define BPFKIT_JA 0x00 /* JMP32|JA: gotol, offset in imm */
#define BPFKIT_JEQ 0x10
#define BPFKIT_JGT 0x20
#define BPFKIT_JGE 0x30
#define BPFKIT_JSET 0x40
#define BPFKIT_JNE 0x50
#define BPFKIT_JSGT 0x60
#define BPFKIT_JSGE 0x70
#define BPFKIT_CALL 0x80 /* JMP|CALL|X: callx */
#define BPFKIT_EXIT 0x90
#define BPFKIT_JLT 0xa0
#define BPFKIT_JLE 0xb0
#define BPFKIT_JSLT 0xc0
#define BPFKIT_JSLE 0xd0

/* Atomic operations, in imm of STX|ATOMIC|W/DW */
#define BPFKIT_FETCH 0x01
#define BPFKIT_XCHG (0xe0 | BPFKIT_FETCH)
#define BPFKIT_CMPXCHG (0xf0 | BPFKIT_FETCH)

/* LDDW src field: what the 64-bit immediate means (RFC 9669 table 8) */
#define BPFKIT_PSEUDO_IMM64 0
#define BPFKIT_PSEUDO_MAP_FD 1
#define BPFKIT_PSEUDO_MAP_VALUE 2
#define BPFKIT_PSEUDO_BTF_ID 3
#define BPFKIT_PSEUDO_FUNC 4
#define BPFKIT_PSEUDO_MAP_IDX 5
#define BPFKIT_PSEUDO_MAP_IDX_VALUE 6

/* CALL src field */
#define BPFKIT_CALL_HELPER 0
#define BPFKIT_CALL_LOCAL 1 /* imm = pc-relative target - 1 */
#define BPFKIT_CALL_KFUNC 2 /* imm = BTF id */

/* Frequently built opcodes */
#define BPFKIT_OP_LDDW (BPFKIT_LD | BPFKIT_DW | BPFKIT_IMM) /* 0x18 */
#define BPFKIT_OP_CALL (BPFKIT_JMP | BPFKIT_CALL) /* 0x85 */
#define BPFKIT_OP_CALLX (BPFKIT_JMP | BPFKIT_CALL | BPFKIT_X) /* 0x8d */
#define BPFKIT_OP_EXIT (BPFKIT_JMP | BPFKIT_EXIT) /* 0x95 */

/* ---- Diagnostics -------------------------------------------------------- */

/**
 * Where and why something went wrong. Every layer fills one of these instead
 * of printing; the CLI turns it into "file:line:col: error: msg" or
 * "insn N: msg". Fields that do not apply are 0 (line, col) or -1 (insn).
 */
struct bpfkit_diag {
	int line; /* 1-based source line, 0 = none */
	int col; /* 1-based column, 0 = none */
	int len; /* length of the offending token, for a caret span */
	long insn; /* instruction index, -1 = none */
	char msg[256];
};

/** Reset @p d to "no error". Accepts NULL. */
BPFKIT_API void bpfkit_diag__clear(struct bpfkit_diag *d);

/** printf into @p d->msg (truncating). Accepts NULL. Returns @p err, so a
 *  caller can write `return bpfkit_diag__set(d, -EINVAL, "...")`. */
BPFKIT_API int bpfkit_diag__set(struct bpfkit_diag *d, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ---- The opcode table ---------------------------------------------------- */

/**
 * Operand shape: which fields of an instruction carry meaning, and so how it
 * is encoded, decoded, assembled and printed. Fields not named must be zero.
 */
enum bpfkit_shape {
	BPFKIT_SHAPE_ALU_K, /* op dst, imm */
	BPFKIT_SHAPE_ALU_X, /* op dst, src (off selects sdiv/smod/movsx) */
	BPFKIT_SHAPE_NEG, /* neg dst */
	BPFKIT_SHAPE_END, /* be16 dst; imm = 16/32/64 */
	BPFKIT_SHAPE_LDDW, /* lddw dst, imm64 (two slots; src = pseudo kind) */
	BPFKIT_SHAPE_LD_ABS, /* ldabsw imm (legacy packet load into r0) */
	BPFKIT_SHAPE_LD_IND, /* ldindw src, imm (legacy packet load into r0) */
	BPFKIT_SHAPE_LDX, /* ldxw dst, [src+off] */
	BPFKIT_SHAPE_ST, /* stw [dst+off], imm */
	BPFKIT_SHAPE_STX, /* stxw [dst+off], src */
	BPFKIT_SHAPE_ATOMIC, /* lock add [dst+off], src; imm = atomic op */
	BPFKIT_SHAPE_JA, /* ja +off */
	BPFKIT_SHAPE_JA32, /* ja32 +imm (gotol) */
	BPFKIT_SHAPE_JMP_K, /* jeq dst, imm, +off */
	BPFKIT_SHAPE_JMP_X, /* jeq dst, src, +off */
	BPFKIT_SHAPE_CALL, /* call imm; src = helper / local / kfunc */
	BPFKIT_SHAPE_CALLX, /* call %reg; register number in dst */
	BPFKIT_SHAPE_EXIT, /* exit */
};

/* Which fields beyond the opcode byte tell table entries apart. */
#define BPFKIT_MATCH_OFF 0x1 /* insn.off must equal opinfo.off */
#define BPFKIT_MATCH_IMM 0x2 /* insn.imm must equal opinfo.imm */

/**
 * One row of the opcode table: one operation variant. Every valid
 * instruction matches exactly one row; the encoder, decoder, assembler,
 * disassembler and the VM's load-time validation all read this table.
 */
struct bpfkit_opinfo {
	const char *name; /* mnemonic in the conformance dialect ("add32", "lock fetch add") */
	uint8_t code; /* opcode byte */
	uint8_t shape; /* enum bpfkit_shape */
	uint8_t match; /* BPFKIT_MATCH_* */
	uint8_t size; /* access size in bytes for loads/stores/atomics, else 0 */
	int16_t off; /* required off when match & BPFKIT_MATCH_OFF */
	int32_t imm; /* required imm when match & BPFKIT_MATCH_IMM */
};

/** Number of rows in the opcode table. */
BPFKIT_API size_t bpfkit_opinfo__count(void);

/** Row @p i of the opcode table (0 <= i < count), or NULL. */
BPFKIT_API const struct bpfkit_opinfo *bpfkit_opinfo__at(size_t i);

/**
 * The row an instruction belongs to, or NULL when the opcode, or the
 * combination of opcode with off/imm (sdiv, movsx, endian width, atomic op),
 * is not an instruction. Register ranges and must-be-zero fields are not
 * checked here; bpfkit_insn__check_fields() does that.
 */
BPFKIT_API const struct bpfkit_opinfo *bpfkit_insn__info(const struct bpfkit_insn *insn);

/** The row with mnemonic @p name (conformance dialect), or NULL. */
BPFKIT_API const struct bpfkit_opinfo *bpfkit_opinfo__by_name(const char *name);

/**
 * Check the fields of @p insn against its row: registers in range (src and
 * dst < 11), fields the shape does not use are zero, pseudo sources known.
 * Returns 0, or -EINVAL with a reason in @p diag (insn index left to caller).
 */
BPFKIT_API int bpfkit_insn__check_fields(const struct bpfkit_insn *insn,
					 const struct bpfkit_opinfo *info, struct bpfkit_diag *diag);

/** Number of slots the instruction starting with @p insn takes (2 for LDDW). */
static inline int bpfkit_insn__slots(const struct bpfkit_insn *insn)
{
	return insn->code == BPFKIT_OP_LDDW ? 2 : 1;
}

/* The remaining sections (assembler, disassembler, instruction I/O, ELF)
 * are declared below by src/isa/. */

#ifdef __cplusplus
}
#endif

#endif /* BPFKIT_ISA_H */
