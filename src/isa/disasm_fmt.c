// SPDX-License-Identifier: MIT
/*
 * The two dialects of the disassembler: formatting only. Decoding, labels
 * and relocations are decided once, in disasm.c; these functions lay out one
 * decoded instruction (struct dis_insn) as text.
 *
 * The conformance dialect is how the bpf_conformance suite's .data files and
 * ubpf write programs: `mov32 %r0, 1`, `ldxdw %r0, [%r1+8]`,
 * `lock fetch add32 [%r10-4], %r1`, `jne %r0, 15, L5`, `call local fn_12`.
 * Its mnemonics come from the opcode table (opcodes.c), which already spells
 * them this way. Immediates print as signed decimal (what the 32-bit field
 * holds), LDDW's 64-bit immediate in hex.
 *
 * The kernel dialect is what the verifier log (kernel/bpf/disasm.c) and
 * llvm-objdump print: `r0 = *(u64 *)(r1 + 8)`, `if w1 == 0x5 goto +3`,
 * `r1 = atomic64_fetch_add((u64 *)(r10 - 8), r1)`. Where the kernel and llvm
 * differ only by spacing we take llvm's ("(r1 + 8)", the kernel writes
 * "(r1 +8)"); LDDW constants get llvm's " ll" suffix so the line reassembles
 * as a 64-bit load; helper calls print as "call bpf_NAME" without the
 * kernel's "#id" (which our assembler would read as a comment). Everything
 * else follows the kernel: jump immediates in hex, ALU immediates in signed
 * decimal, 64-bit register names for byte swaps and atomics whatever their
 * width.
 *
 * Everything printed reassembles to the same bytes with bpfkit_asm().
 */
#include <inttypes.h>

#include "disasm_int.h"

/* ---- the conformance dialect ---------------------------------------------- */

/* "[%r1+8]", "[%r10-8]", "[%r1]" */
static void conf_mem(struct dbuf *b, unsigned reg, int off)
{
	if (off == 0)
		dbuf_printf(b, "[%%r%u]", reg);
	else
		dbuf_printf(b, "[%%r%u%+d]", reg, off);
}

/* A jump or call target: the label if the program pass found one, else the
 * signed offset ("+3", "-1"). */
static void fmt_target(struct dbuf *b, const struct dis_insn *d, const char *pfx, int32_t off)
{
	if (d->target)
		dbuf_puts(b, d->target);
	else
		dbuf_printf(b, "%s%+" PRId32, pfx, off);
}

static void conf_target(struct dbuf *b, const struct dis_insn *d, int32_t off)
{
	fmt_target(b, d, "", off);
}

/* The operand of an LDDW with a pseudo source, in the bracket forms bpftool
 * prints (the same in both dialects). False for a plain constant. */
static bool fmt_lddw_pseudo(const struct dis_insn *d, struct dbuf *b)
{
	uint32_t lo = (uint32_t)d->imm64, hi = (uint32_t)(d->imm64 >> 32);

	switch (d->insn->src) {
	case BPFKIT_PSEUDO_MAP_FD:
		dbuf_printf(b, "map[id:%" PRIu32 "]", lo);
		return true;
	case BPFKIT_PSEUDO_MAP_VALUE:
		dbuf_printf(b, "map[id:%" PRIu32 "][0]+%" PRIu32, lo, hi);
		return true;
	case BPFKIT_PSEUDO_BTF_ID:
		dbuf_printf(b, "btf_id[%" PRIu32 "]", lo);
		return true;
	case BPFKIT_PSEUDO_FUNC:
		dbuf_puts(b, "func[");
		fmt_target(b, d, "", (int32_t)lo);
		dbuf_puts(b, "]");
		return true;
	case BPFKIT_PSEUDO_MAP_IDX:
		dbuf_printf(b, "map[idx:%" PRIu32 "]", lo);
		return true;
	case BPFKIT_PSEUDO_MAP_IDX_VALUE:
		dbuf_printf(b, "map[idx:%" PRIu32 "][0]+%" PRIu32, lo, hi);
		return true;
	default:
		return false;
	}
}

/*
 * LDDW: a plain 64-bit constant in hex, a relocated symbol by name, or one
 * of the pseudo sources the kernel resolves at load time (map fd or index,
 * map value, BTF id, function), in the bracket forms bpftool prints.
 */
static void conf_lddw(const struct dis_insn *d, struct dbuf *b)
{
	const struct bpfkit_insn *in = d->insn;

	dbuf_printf(b, "lddw %%r%u, ", in->dst);
	if (d->sym) {
		disasm_sym(d, b);
		return;
	}
	if (!fmt_lddw_pseudo(d, b))
		dbuf_printf(b, "0x%" PRIx64, d->imm64);
}


/* call: helper by number, local call by label or offset, kfunc by BTF id
 * ("runtime", as bpf_conformance's assembler names it). */
static void conf_call(const struct dis_insn *d, struct dbuf *b)
{
	const struct bpfkit_insn *in = d->insn;

	switch (in->src) {
	case BPFKIT_CALL_LOCAL:
		dbuf_puts(b, "call local ");
		conf_target(b, d, in->imm);
		break;
	case BPFKIT_CALL_KFUNC:
		dbuf_printf(b, "call runtime %" PRId32, in->imm);
		break;
	default:
		dbuf_printf(b, "call %" PRId32, in->imm);
		break;
	}
}

/* Format one decoded instruction, by operand shape. */
void disasm_conf(const struct dis_insn *d, struct dbuf *b)
{
	const struct bpfkit_insn *in = d->insn;
	const char *nm = d->info->name;

	switch ((enum bpfkit_shape)d->info->shape) {
	case BPFKIT_SHAPE_ALU_K:
		dbuf_printf(b, "%s %%r%u, %" PRId32, nm, in->dst, in->imm);
		break;
	case BPFKIT_SHAPE_ALU_X:
		dbuf_printf(b, "%s %%r%u, %%r%u", nm, in->dst, in->src);
		break;
	case BPFKIT_SHAPE_NEG:
	case BPFKIT_SHAPE_END:
		dbuf_printf(b, "%s %%r%u", nm, in->dst);
		break;
	case BPFKIT_SHAPE_LDDW:
		conf_lddw(d, b);
		break;
	case BPFKIT_SHAPE_LD_ABS:
		dbuf_printf(b, "%s %" PRId32, nm, in->imm);
		break;
	case BPFKIT_SHAPE_LD_IND:
		dbuf_printf(b, "%s %%r%u, %" PRId32, nm, in->src, in->imm);
		break;
	case BPFKIT_SHAPE_LDX:
		dbuf_printf(b, "%s %%r%u, ", nm, in->dst);
		conf_mem(b, in->src, in->off);
		break;
	case BPFKIT_SHAPE_ST:
		dbuf_printf(b, "%s ", nm);
		conf_mem(b, in->dst, in->off);
		dbuf_printf(b, ", %" PRId32, in->imm);
		break;
	case BPFKIT_SHAPE_STX:
	case BPFKIT_SHAPE_ATOMIC:
		dbuf_printf(b, "%s ", nm);
		conf_mem(b, in->dst, in->off);
		dbuf_printf(b, ", %%r%u", in->src);
		break;
	case BPFKIT_SHAPE_JA:
		dbuf_puts(b, "ja ");
		conf_target(b, d, in->off);
		break;
	case BPFKIT_SHAPE_JA32:
		dbuf_puts(b, "ja32 ");
		conf_target(b, d, in->imm);
		break;
	case BPFKIT_SHAPE_JMP_K:
		dbuf_printf(b, "%s %%r%u, %" PRId32 ", ", nm, in->dst, in->imm);
		conf_target(b, d, in->off);
		break;
	case BPFKIT_SHAPE_JMP_X:
		dbuf_printf(b, "%s %%r%u, %%r%u, ", nm, in->dst, in->src);
		conf_target(b, d, in->off);
		break;
	case BPFKIT_SHAPE_CALL:
		conf_call(d, b);
		break;
	case BPFKIT_SHAPE_CALLX:
		dbuf_printf(b, "call %%r%u", in->dst);
		break;
	case BPFKIT_SHAPE_EXIT:
		dbuf_puts(b, "exit");
		break;
	}
}

/* ---- the kernel dialect ------------------------------------------------------ */

/* Operators by BPFKIT_OP(code) >> 4. */
static const char *const alu_ops[16] = {
	[BPFKIT_ADD >> 4] = "+=",  [BPFKIT_SUB >> 4] = "-=",   [BPFKIT_MUL >> 4] = "*=",
	[BPFKIT_DIV >> 4] = "/=",  [BPFKIT_OR >> 4] = "|=",    [BPFKIT_AND >> 4] = "&=",
	[BPFKIT_LSH >> 4] = "<<=", [BPFKIT_RSH >> 4] = ">>=",  [BPFKIT_MOD >> 4] = "%=",
	[BPFKIT_XOR >> 4] = "^=",  [BPFKIT_MOV >> 4] = "=",    [BPFKIT_ARSH >> 4] = "s>>=",
};

static const char *const jmp_ops[16] = {
	[BPFKIT_JEQ >> 4] = "==", [BPFKIT_JGT >> 4] = ">",    [BPFKIT_JGE >> 4] = ">=",
	[BPFKIT_JSET >> 4] = "&", [BPFKIT_JNE >> 4] = "!=",   [BPFKIT_JSGT >> 4] = "s>",
	[BPFKIT_JSGE >> 4] = "s>=", [BPFKIT_JLT >> 4] = "<",  [BPFKIT_JLE >> 4] = "<=",
	[BPFKIT_JSLT >> 4] = "s<", [BPFKIT_JSLE >> 4] = "s<=",
};

static const char *const atomic_ops[16] = {
	[BPFKIT_ADD >> 4] = "add",
	[BPFKIT_OR >> 4] = "or",
	[BPFKIT_AND >> 4] = "and",
	[BPFKIT_XOR >> 4] = "xor",
};

/* "u8".."u64" (or "s8".."s32" for sign-extending loads) from the row's size. */
static const char *size_type(unsigned size, bool sx)
{
	switch (size) {
	case 1:
		return sx ? "s8" : "u8";
	case 2:
		return sx ? "s16" : "u16";
	case 4:
		return sx ? "s32" : "u32";
	default:
		return "u64";
	}
}

/* "*(u64 *)(r1 + 8)", "(u32 *)(r10 - 4)" for atomics (no leading '*'). */
static void kern_mem(struct dbuf *b, bool deref, const char *type, unsigned reg, int off)
{
	dbuf_printf(b, "%s(%s *)(r%u %c %d)", deref ? "*" : "", type, reg, off < 0 ? '-' : '+',
		    off < 0 ? -off : off);
}

static void kern_target(struct dbuf *b, const struct dis_insn *d, const char *pfx, int32_t off)
{
	fmt_target(b, d, pfx, off);
}

/* ALU: "r0 += r1", "w0 = 1", "r0 s/= r1", "w0 = (s8)w1". */
static void kern_alu(const struct dis_insn *d, struct dbuf *b)
{
	const struct bpfkit_insn *in = d->insn;
	char r = BPFKIT_CLASS(in->code) == BPFKIT_ALU ? 'w' : 'r';
	unsigned op = BPFKIT_OP(in->code);
	const char *sop = alu_ops[op >> 4];
	const char *cast = "";

	if ((op == BPFKIT_DIV || op == BPFKIT_MOD) && in->off == 1)
		sop = op == BPFKIT_DIV ? "s/=" : "s%=";
	if (op == BPFKIT_MOV && in->off)
		cast = in->off == 8 ? "(s8)" : in->off == 16 ? "(s16)" : "(s32)";
	if (d->info->shape == BPFKIT_SHAPE_ALU_K)
		dbuf_printf(b, "%c%u %s %" PRId32, r, in->dst, sop, in->imm);
	else
		dbuf_printf(b, "%c%u %s %s%c%u", r, in->dst, sop, cast, r, in->src);
}

/* LDDW: the same forms as conf_lddw, kernel spelling. */
static void kern_lddw(const struct dis_insn *d, struct dbuf *b)
{
	const struct bpfkit_insn *in = d->insn;

	dbuf_printf(b, "r%u = ", in->dst);
	if (d->sym) {
		disasm_sym(d, b);
		if (d->sym_form == SYM_PLAIN)
			dbuf_puts(b, " ll");
		return;
	}
	if (!fmt_lddw_pseudo(d, b))
		dbuf_printf(b, "0x%" PRIx64 " ll", d->imm64);
}


/*
 * Atomics, as kernel/bpf/disasm.c names them: "lock *(u64 *)(r1 + 0) += r2"
 * without fetch, "atomic[64]_fetch_OP", "atomic[64]_xchg",
 * "atomic[64]_cmpxchg" (r0 is the compared value and the result).
 */
static void kern_atomic(const struct dis_insn *d, struct dbuf *b)
{
	const struct bpfkit_insn *in = d->insn;
	const char *w = d->info->size == 8 ? "64" : "";
	const char *type = size_type(d->info->size, false);

	if (in->imm == BPFKIT_CMPXCHG) {
		dbuf_printf(b, "r0 = atomic%s_cmpxchg(", w);
		kern_mem(b, false, type, in->dst, in->off);
		dbuf_printf(b, ", r0, r%u)", in->src);
	} else if (in->imm == BPFKIT_XCHG) {
		dbuf_printf(b, "r%u = atomic%s_xchg(", in->src, w);
		kern_mem(b, false, type, in->dst, in->off);
		dbuf_printf(b, ", r%u)", in->src);
	} else if (in->imm & BPFKIT_FETCH) {
		dbuf_printf(b, "r%u = atomic%s_fetch_%s(", in->src, w,
			    atomic_ops[BPFKIT_OP(in->imm) >> 4]);
		kern_mem(b, false, type, in->dst, in->off);
		dbuf_printf(b, ", r%u)", in->src);
	} else {
		dbuf_puts(b, "lock ");
		kern_mem(b, true, type, in->dst, in->off);
		dbuf_printf(b, " %s r%u", alu_ops[BPFKIT_OP(in->imm) >> 4], in->src);
	}
}

/* call: a helper by its kernel name (number when unknown), a local call by
 * label or "pc+N" (the kernel's spelling), a kfunc by BTF id. */
static void kern_call(const struct dis_insn *d, struct dbuf *b)
{
	const struct bpfkit_insn *in = d->insn;
	const char *name;

	switch (in->src) {
	case BPFKIT_CALL_LOCAL:
		dbuf_puts(b, "call ");
		kern_target(b, d, "pc", in->imm);
		break;
	case BPFKIT_CALL_KFUNC:
		dbuf_printf(b, "call kfunc %" PRId32, in->imm);
		break;
	default:
		name = bpfkit_helper_name(in->imm);
		if (name)
			dbuf_printf(b, "call bpf_%s", name);
		else
			dbuf_printf(b, "call %" PRId32, in->imm);
		break;
	}
}

static void kern_jmp(const struct dis_insn *d, struct dbuf *b)
{
	const struct bpfkit_insn *in = d->insn;
	char r = BPFKIT_CLASS(in->code) == BPFKIT_JMP32 ? 'w' : 'r';
	const char *op = jmp_ops[BPFKIT_OP(in->code) >> 4];

	if (d->info->shape == BPFKIT_SHAPE_JMP_K)
		dbuf_printf(b, "if %c%u %s 0x%" PRIx32 " goto ", r, in->dst, op, (uint32_t)in->imm);
	else
		dbuf_printf(b, "if %c%u %s %c%u goto ", r, in->dst, op, r, in->src);
	kern_target(b, d, "", in->off);
}

/* Format one decoded instruction, by operand shape. */
void disasm_kern(const struct dis_insn *d, struct dbuf *b)
{
	const struct bpfkit_insn *in = d->insn;
	const struct bpfkit_opinfo *info = d->info;
	char r = BPFKIT_CLASS(in->code) == BPFKIT_ALU ? 'w' : 'r';

	switch ((enum bpfkit_shape)info->shape) {
	case BPFKIT_SHAPE_ALU_K:
	case BPFKIT_SHAPE_ALU_X:
		kern_alu(d, b);
		break;
	case BPFKIT_SHAPE_NEG:
		dbuf_printf(b, "%c%u = -%c%u", r, in->dst, r, in->dst);
		break;
	case BPFKIT_SHAPE_END:
		/* the row name is already "be16", "le32" or "bswap64" */
		dbuf_printf(b, "r%u = %s r%u", in->dst, info->name, in->dst);
		break;
	case BPFKIT_SHAPE_LDDW:
		kern_lddw(d, b);
		break;
	case BPFKIT_SHAPE_LD_ABS:
		dbuf_printf(b, "r0 = *(%s *)skb[%" PRId32 "]", size_type(info->size, false), in->imm);
		break;
	case BPFKIT_SHAPE_LD_IND:
		/* the kernel's "skb[r1 + -4]" for a negative imm */
		dbuf_printf(b, "r0 = *(%s *)skb[r%u + %" PRId32 "]", size_type(info->size, false),
			    in->src, in->imm);
		break;
	case BPFKIT_SHAPE_LDX:
		dbuf_printf(b, "r%u = ", in->dst);
		kern_mem(b, true, size_type(info->size, BPFKIT_MODE(in->code) == BPFKIT_MEMSX),
			 in->src, in->off);
		break;
	case BPFKIT_SHAPE_ST:
		kern_mem(b, true, size_type(info->size, false), in->dst, in->off);
		dbuf_printf(b, " = %" PRId32, in->imm);
		break;
	case BPFKIT_SHAPE_STX:
		kern_mem(b, true, size_type(info->size, false), in->dst, in->off);
		dbuf_printf(b, " = r%u", in->src);
		break;
	case BPFKIT_SHAPE_ATOMIC:
		kern_atomic(d, b);
		break;
	case BPFKIT_SHAPE_JA:
		dbuf_puts(b, "goto ");
		kern_target(b, d, "", in->off);
		break;
	case BPFKIT_SHAPE_JA32:
		dbuf_puts(b, "gotol ");
		kern_target(b, d, "", in->imm);
		break;
	case BPFKIT_SHAPE_JMP_K:
	case BPFKIT_SHAPE_JMP_X:
		kern_jmp(d, b);
		break;
	case BPFKIT_SHAPE_CALL:
		kern_call(d, b);
		break;
	case BPFKIT_SHAPE_CALLX:
		dbuf_printf(b, "callx r%u", in->dst);
		break;
	case BPFKIT_SHAPE_EXIT:
		dbuf_puts(b, "exit");
		break;
	}
}
