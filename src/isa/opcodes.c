// SPDX-License-Identifier: MIT
/*
 * The opcode table: one row per operation variant of RFC 9669 (cpu v4
 * included), in the conformance dialect's mnemonics. The encoder, decoder,
 * assembler, disassembler and the VM's load-time checks all read it, so an
 * instruction is known to bpfkit exactly when it has a row here.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include <bpfkit/isa.h>

#define M_OFF BPFKIT_MATCH_OFF
#define M_IMM BPFKIT_MATCH_IMM

/* ALU operations with 32- and 64-bit forms, each with an imm and a register
 * source: "add32 %r0, 1" is ALU|ADD|K, "add %r0, %r1" is ALU64|ADD|X. */
#define ALU_KX(nm, op)                                                                   \
	{ nm "32", BPFKIT_ALU | (op) | BPFKIT_K, BPFKIT_SHAPE_ALU_K, M_OFF, 0, 0, 0 },     \
	{ nm "32", BPFKIT_ALU | (op) | BPFKIT_X, BPFKIT_SHAPE_ALU_X, M_OFF, 0, 0, 0 },     \
	{ nm, BPFKIT_ALU64 | (op) | BPFKIT_K, BPFKIT_SHAPE_ALU_K, M_OFF, 0, 0, 0 },        \
	{ nm, BPFKIT_ALU64 | (op) | BPFKIT_X, BPFKIT_SHAPE_ALU_X, M_OFF, 0, 0, 0 }

/* Signed division and modulo (v4): the DIV/MOD opcodes with off = 1. */
#define ALU_SIGNED(nm, op)                                                               \
	{ nm "32", BPFKIT_ALU | (op) | BPFKIT_K, BPFKIT_SHAPE_ALU_K, M_OFF, 0, 1, 0 },     \
	{ nm "32", BPFKIT_ALU | (op) | BPFKIT_X, BPFKIT_SHAPE_ALU_X, M_OFF, 0, 1, 0 },     \
	{ nm, BPFKIT_ALU64 | (op) | BPFKIT_K, BPFKIT_SHAPE_ALU_K, M_OFF, 0, 1, 0 },        \
	{ nm, BPFKIT_ALU64 | (op) | BPFKIT_X, BPFKIT_SHAPE_ALU_X, M_OFF, 0, 1, 0 }

/* Conditional jumps, 64-bit compare (JMP) and 32-bit compare (JMP32). */
#define JMP_KX(nm, op)                                                                   \
	{ nm, BPFKIT_JMP | (op) | BPFKIT_K, BPFKIT_SHAPE_JMP_K, 0, 0, 0, 0 },              \
	{ nm, BPFKIT_JMP | (op) | BPFKIT_X, BPFKIT_SHAPE_JMP_X, 0, 0, 0, 0 },              \
	{ nm "32", BPFKIT_JMP32 | (op) | BPFKIT_K, BPFKIT_SHAPE_JMP_K, 0, 0, 0, 0 },       \
	{ nm "32", BPFKIT_JMP32 | (op) | BPFKIT_X, BPFKIT_SHAPE_JMP_X, 0, 0, 0, 0 }

#define END(nm, code, bits) { nm #bits, code, BPFKIT_SHAPE_END, M_IMM, 0, 0, bits }

#define MEM(nm, cls, mode, sz, bytes, shape) { nm, (cls) | (mode) | (sz), shape, 0, bytes, 0, 0 }

/* Atomic read-modify-write: STX|ATOMIC|W or DW with the operation in imm. */
#define ATOMIC(nm, op)                                                                         \
	{ "lock " nm "32", BPFKIT_STX | BPFKIT_ATOMIC | BPFKIT_W, BPFKIT_SHAPE_ATOMIC, M_IMM, 4, 0, op }, \
	{ "lock " nm, BPFKIT_STX | BPFKIT_ATOMIC | BPFKIT_DW, BPFKIT_SHAPE_ATOMIC, M_IMM, 8, 0, op }

static const struct bpfkit_opinfo opcode_table[] = {
	/* ALU and ALU64 */
	ALU_KX("add", BPFKIT_ADD),
	ALU_KX("sub", BPFKIT_SUB),
	ALU_KX("mul", BPFKIT_MUL),
	ALU_KX("div", BPFKIT_DIV),
	ALU_SIGNED("sdiv", BPFKIT_DIV),
	ALU_KX("or", BPFKIT_OR),
	ALU_KX("and", BPFKIT_AND),
	ALU_KX("lsh", BPFKIT_LSH),
	ALU_KX("rsh", BPFKIT_RSH),
	ALU_KX("mod", BPFKIT_MOD),
	ALU_SIGNED("smod", BPFKIT_MOD),
	ALU_KX("xor", BPFKIT_XOR),
	ALU_KX("mov", BPFKIT_MOV),
	ALU_KX("arsh", BPFKIT_ARSH),
	{ "neg32", BPFKIT_ALU | BPFKIT_NEG, BPFKIT_SHAPE_NEG, M_OFF, 0, 0, 0 },
	{ "neg", BPFKIT_ALU64 | BPFKIT_NEG, BPFKIT_SHAPE_NEG, M_OFF, 0, 0, 0 },
	/* sign-extending moves (v4): MOV|X with off = source width */
	{ "movsx832", BPFKIT_ALU | BPFKIT_MOV | BPFKIT_X, BPFKIT_SHAPE_ALU_X, M_OFF, 0, 8, 0 },
	{ "movsx1632", BPFKIT_ALU | BPFKIT_MOV | BPFKIT_X, BPFKIT_SHAPE_ALU_X, M_OFF, 0, 16, 0 },
	{ "movsx864", BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, BPFKIT_SHAPE_ALU_X, M_OFF, 0, 8, 0 },
	{ "movsx1664", BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, BPFKIT_SHAPE_ALU_X, M_OFF, 0, 16, 0 },
	{ "movsx3264", BPFKIT_ALU64 | BPFKIT_MOV | BPFKIT_X, BPFKIT_SHAPE_ALU_X, M_OFF, 0, 32, 0 },
	/* byte order: le/be convert to that order; bswap (ALU64) always swaps */
	END("le", BPFKIT_ALU | BPFKIT_END | BPFKIT_TO_LE, 16),
	END("le", BPFKIT_ALU | BPFKIT_END | BPFKIT_TO_LE, 32),
	END("le", BPFKIT_ALU | BPFKIT_END | BPFKIT_TO_LE, 64),
	END("be", BPFKIT_ALU | BPFKIT_END | BPFKIT_TO_BE, 16),
	END("be", BPFKIT_ALU | BPFKIT_END | BPFKIT_TO_BE, 32),
	END("be", BPFKIT_ALU | BPFKIT_END | BPFKIT_TO_BE, 64),
	END("bswap", BPFKIT_ALU64 | BPFKIT_END | BPFKIT_TO_LE, 16),
	END("bswap", BPFKIT_ALU64 | BPFKIT_END | BPFKIT_TO_LE, 32),
	END("bswap", BPFKIT_ALU64 | BPFKIT_END | BPFKIT_TO_LE, 64),

	/* 64-bit immediate load and legacy packet loads */
	{ "lddw", BPFKIT_OP_LDDW, BPFKIT_SHAPE_LDDW, 0, 8, 0, 0 },
	MEM("ldabsw", BPFKIT_LD, BPFKIT_ABS, BPFKIT_W, 4, BPFKIT_SHAPE_LD_ABS),
	MEM("ldabsh", BPFKIT_LD, BPFKIT_ABS, BPFKIT_H, 2, BPFKIT_SHAPE_LD_ABS),
	MEM("ldabsb", BPFKIT_LD, BPFKIT_ABS, BPFKIT_B, 1, BPFKIT_SHAPE_LD_ABS),
	MEM("ldindw", BPFKIT_LD, BPFKIT_IND, BPFKIT_W, 4, BPFKIT_SHAPE_LD_IND),
	MEM("ldindh", BPFKIT_LD, BPFKIT_IND, BPFKIT_H, 2, BPFKIT_SHAPE_LD_IND),
	MEM("ldindb", BPFKIT_LD, BPFKIT_IND, BPFKIT_B, 1, BPFKIT_SHAPE_LD_IND),

	/* loads, sign-extending loads (v4), stores */
	MEM("ldxw", BPFKIT_LDX, BPFKIT_MEM, BPFKIT_W, 4, BPFKIT_SHAPE_LDX),
	MEM("ldxh", BPFKIT_LDX, BPFKIT_MEM, BPFKIT_H, 2, BPFKIT_SHAPE_LDX),
	MEM("ldxb", BPFKIT_LDX, BPFKIT_MEM, BPFKIT_B, 1, BPFKIT_SHAPE_LDX),
	MEM("ldxdw", BPFKIT_LDX, BPFKIT_MEM, BPFKIT_DW, 8, BPFKIT_SHAPE_LDX),
	MEM("ldxsw", BPFKIT_LDX, BPFKIT_MEMSX, BPFKIT_W, 4, BPFKIT_SHAPE_LDX),
	MEM("ldxsh", BPFKIT_LDX, BPFKIT_MEMSX, BPFKIT_H, 2, BPFKIT_SHAPE_LDX),
	MEM("ldxsb", BPFKIT_LDX, BPFKIT_MEMSX, BPFKIT_B, 1, BPFKIT_SHAPE_LDX),
	MEM("stw", BPFKIT_ST, BPFKIT_MEM, BPFKIT_W, 4, BPFKIT_SHAPE_ST),
	MEM("sth", BPFKIT_ST, BPFKIT_MEM, BPFKIT_H, 2, BPFKIT_SHAPE_ST),
	MEM("stb", BPFKIT_ST, BPFKIT_MEM, BPFKIT_B, 1, BPFKIT_SHAPE_ST),
	MEM("stdw", BPFKIT_ST, BPFKIT_MEM, BPFKIT_DW, 8, BPFKIT_SHAPE_ST),
	MEM("stxw", BPFKIT_STX, BPFKIT_MEM, BPFKIT_W, 4, BPFKIT_SHAPE_STX),
	MEM("stxh", BPFKIT_STX, BPFKIT_MEM, BPFKIT_H, 2, BPFKIT_SHAPE_STX),
	MEM("stxb", BPFKIT_STX, BPFKIT_MEM, BPFKIT_B, 1, BPFKIT_SHAPE_STX),
	MEM("stxdw", BPFKIT_STX, BPFKIT_MEM, BPFKIT_DW, 8, BPFKIT_SHAPE_STX),

	/* atomics, 32- and 64-bit */
	ATOMIC("add", BPFKIT_ADD),
	ATOMIC("or", BPFKIT_OR),
	ATOMIC("and", BPFKIT_AND),
	ATOMIC("xor", BPFKIT_XOR),
	ATOMIC("fetch add", BPFKIT_ADD | BPFKIT_FETCH),
	ATOMIC("fetch or", BPFKIT_OR | BPFKIT_FETCH),
	ATOMIC("fetch and", BPFKIT_AND | BPFKIT_FETCH),
	ATOMIC("fetch xor", BPFKIT_XOR | BPFKIT_FETCH),
	ATOMIC("xchg", BPFKIT_XCHG),
	ATOMIC("cmpxchg", BPFKIT_CMPXCHG),

	/* control flow */
	{ "ja", BPFKIT_JMP | BPFKIT_JA, BPFKIT_SHAPE_JA, 0, 0, 0, 0 },
	{ "ja32", BPFKIT_JMP32 | BPFKIT_JA, BPFKIT_SHAPE_JA32, 0, 0, 0, 0 },
	JMP_KX("jeq", BPFKIT_JEQ),
	JMP_KX("jgt", BPFKIT_JGT),
	JMP_KX("jge", BPFKIT_JGE),
	JMP_KX("jset", BPFKIT_JSET),
	JMP_KX("jne", BPFKIT_JNE),
	JMP_KX("jsgt", BPFKIT_JSGT),
	JMP_KX("jsge", BPFKIT_JSGE),
	JMP_KX("jlt", BPFKIT_JLT),
	JMP_KX("jle", BPFKIT_JLE),
	JMP_KX("jslt", BPFKIT_JSLT),
	JMP_KX("jsle", BPFKIT_JSLE),
	{ "call", BPFKIT_OP_CALL, BPFKIT_SHAPE_CALL, 0, 0, 0, 0 },
	{ "callx", BPFKIT_OP_CALLX, BPFKIT_SHAPE_CALLX, 0, 0, 0, 0 },
	{ "exit", BPFKIT_OP_EXIT, BPFKIT_SHAPE_EXIT, 0, 0, 0, 0 },
};

#define TABLE_LEN (sizeof(opcode_table) / sizeof(opcode_table[0]))

/*
 * Rows indexed by opcode byte: first[code] is the index of the first row
 * with that opcode plus one (0 = none). Rows that share an opcode are
 * adjacent after the index is built, except where the table interleaves
 * them (div/sdiv, mov/movsx): lookup scans every row with the same code.
 */
static uint8_t first_row[256];
static uint8_t rows_for_code[256];
static pthread_once_t index_once = PTHREAD_ONCE_INIT;

/* Build the by-opcode index once. Decoding runs for every instruction on
 * every load path, and the index makes it a lookup instead of a table scan. */
static void build_index(void)
{
	_Static_assert(sizeof(opcode_table) / sizeof(opcode_table[0]) < 255, "row index is a uint8_t");
	for (size_t i = 0; i < TABLE_LEN; i++) {
		uint8_t c = opcode_table[i].code;
		if (!first_row[c])
			first_row[c] = (uint8_t)(i + 1);
		rows_for_code[c]++;
	}
}

size_t bpfkit_opinfo__count(void)
{
	return TABLE_LEN;
}

const struct bpfkit_opinfo *bpfkit_opinfo__at(size_t i)
{
	return i < TABLE_LEN ? &opcode_table[i] : NULL;
}

static bool row_matches(const struct bpfkit_opinfo *row, const struct bpfkit_insn *insn)
{
	if (row->code != insn->code)
		return false;
	if ((row->match & M_OFF) && row->off != insn->off)
		return false;
	if ((row->match & M_IMM) && row->imm != insn->imm)
		return false;
	return true;
}

const struct bpfkit_opinfo *bpfkit_insn__info(const struct bpfkit_insn *insn)
{
	pthread_once(&index_once, build_index);
	unsigned start = first_row[insn->code];
	if (!start)
		return NULL;
	/* Rows for one code may be interleaved with others (div and sdiv are
	 * listed as groups of four), so scan from the first row onward until
	 * all rows with this code have been seen. */
	unsigned left = rows_for_code[insn->code];
	for (size_t i = start - 1; i < TABLE_LEN && left; i++) {
		if (opcode_table[i].code != insn->code)
			continue;
		left--;
		if (row_matches(&opcode_table[i], insn))
			return &opcode_table[i];
	}
	return NULL;
}

const struct bpfkit_opinfo *bpfkit_opinfo__by_name(const char *name)
{
	for (size_t i = 0; i < TABLE_LEN; i++)
		if (strcmp(opcode_table[i].name, name) == 0)
			return &opcode_table[i];
	return NULL;
}

/* Which of dst, src, off, imm a shape gives meaning to; the rest must be 0. */
#define F_DST 0x1
#define F_SRC 0x2
#define F_OFF 0x4
#define F_IMM 0x8

static const uint8_t shape_fields[] = {
	[BPFKIT_SHAPE_ALU_K] = F_DST | F_IMM,
	[BPFKIT_SHAPE_ALU_X] = F_DST | F_SRC,
	[BPFKIT_SHAPE_NEG] = F_DST,
	[BPFKIT_SHAPE_END] = F_DST | F_IMM,
	[BPFKIT_SHAPE_LDDW] = F_DST | F_SRC | F_IMM,
	[BPFKIT_SHAPE_LD_ABS] = F_IMM,
	[BPFKIT_SHAPE_LD_IND] = F_SRC | F_IMM,
	[BPFKIT_SHAPE_LDX] = F_DST | F_SRC | F_OFF,
	[BPFKIT_SHAPE_ST] = F_DST | F_OFF | F_IMM,
	[BPFKIT_SHAPE_STX] = F_DST | F_SRC | F_OFF,
	[BPFKIT_SHAPE_ATOMIC] = F_DST | F_SRC | F_OFF | F_IMM,
	[BPFKIT_SHAPE_JA] = F_OFF,
	[BPFKIT_SHAPE_JA32] = F_IMM,
	[BPFKIT_SHAPE_JMP_K] = F_DST | F_OFF | F_IMM,
	[BPFKIT_SHAPE_JMP_X] = F_DST | F_SRC | F_OFF,
	[BPFKIT_SHAPE_CALL] = F_SRC | F_IMM,
	[BPFKIT_SHAPE_CALLX] = F_DST,
	[BPFKIT_SHAPE_EXIT] = 0,
};

int bpfkit_insn__check_fields(const struct bpfkit_insn *insn, const struct bpfkit_opinfo *info,
			      struct bpfkit_diag *diag)
{
	uint8_t f = shape_fields[info->shape];

	/* off is matched by the table for sdiv/smod/movsx rows. */
	if (info->match & M_OFF)
		f |= F_OFF;
	if (info->match & M_IMM)
		f |= F_IMM;
	if (insn->dst >= BPFKIT_NREGS)
		return bpfkit_diag__set(diag, -EINVAL, "%s: invalid destination register r%u",
					info->name, insn->dst);
	if (insn->src >= BPFKIT_NREGS)
		return bpfkit_diag__set(diag, -EINVAL, "%s: invalid source register r%u", info->name,
					insn->src);
	if (!(f & F_DST) && insn->dst)
		return bpfkit_diag__set(diag, -EINVAL, "%s: reserved dst field is %u, must be 0",
					info->name, insn->dst);
	if (!(f & F_SRC) && insn->src)
		return bpfkit_diag__set(diag, -EINVAL, "%s: reserved src field is %u, must be 0",
					info->name, insn->src);
	if (!(f & F_OFF) && insn->off)
		return bpfkit_diag__set(diag, -EINVAL, "%s: reserved off field is %d, must be 0",
					info->name, insn->off);
	if (!(f & F_IMM) && insn->imm)
		return bpfkit_diag__set(diag, -EINVAL, "%s: reserved imm field is %d, must be 0",
					info->name, insn->imm);
	if (info->shape == BPFKIT_SHAPE_LDDW && insn->src > BPFKIT_PSEUDO_MAP_IDX_VALUE)
		return bpfkit_diag__set(diag, -EINVAL, "lddw: unknown pseudo source %u", insn->src);
	if (info->shape == BPFKIT_SHAPE_CALL && insn->src > BPFKIT_CALL_KFUNC)
		return bpfkit_diag__set(diag, -EINVAL, "call: unknown call kind (src %u)", insn->src);
	return 0;
}
