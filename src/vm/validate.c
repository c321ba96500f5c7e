// SPDX-License-Identifier: MIT
/*
 * Load-time validation and pre-decoding. The VM has no verifier: memory
 * safety comes from run-time checks. What is checked here is everything
 * that can be known without running the program, so that the interpreter
 * never needs to check it: every slot decodes (the opcode table is the one
 * source), fields are in range, LDDW pairs are whole, jumps and calls land on
 * instructions inside the same function, r10 is never written, no function
 * can run off its end, and every helper called by number exists.
 *
 * Each error names the slot index in diag->insn.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm_int.h"

/* Per-slot facts gathered by the first pass. */
#define SLOT_LDDW_HI 0x1 /* second half of an LDDW: not an instruction */
#define SLOT_FUNC 0x2 /* first instruction of a function */

struct vstate {
	const struct bpfkit_insn *insns;
	size_t len;
	struct vm_insn *code;
	uint8_t *flags;
	uint32_t *func; /* function number of each slot */
	struct bpfkit_diag *diag;
};

/* Record an error at slot @p i; returns -EINVAL. */
static int __attribute__((format(printf, 3, 4))) verr(struct vstate *v, size_t i, const char *fmt, ...)
{
	va_list ap;

	if (v->diag) {
		va_start(ap, fmt);
		vsnprintf(v->diag->msg, sizeof(v->diag->msg), fmt, ap);
		va_end(ap);
		v->diag->insn = (long)i;
	}
	return -EINVAL;
}

/* Handlers of the ALU operations, indexed by BPFKIT_OP(code) >> 4:
 * [class is ALU64][source is X]. NEG, END and the signed/sign-extending
 * variants are picked separately. */
static const uint8_t alu_ops[2][2][16] = {
	{ /* ALU (32-bit) */
	  { VM_ADD32_K, VM_SUB32_K, VM_MUL32_K, VM_DIV32_K, VM_OR32_K, VM_AND32_K, VM_LSH32_K,
	    VM_RSH32_K, VM_NEG32, VM_MOD32_K, VM_XOR32_K, VM_MOV32_K, VM_ARSH32_K, 0, 0, 0 },
	  { VM_ADD32_X, VM_SUB32_X, VM_MUL32_X, VM_DIV32_X, VM_OR32_X, VM_AND32_X, VM_LSH32_X,
	    VM_RSH32_X, VM_NEG32, VM_MOD32_X, VM_XOR32_X, VM_MOV32_X, VM_ARSH32_X, 0, 0, 0 } },
	{ /* ALU64 */
	  { VM_ADD64_K, VM_SUB64_K, VM_MUL64_K, VM_DIV64_K, VM_OR64_K, VM_AND64_K, VM_LSH64_K,
	    VM_RSH64_K, VM_NEG64, VM_MOD64_K, VM_XOR64_K, VM_MOV64_K, VM_ARSH64_K, 0, 0, 0 },
	  { VM_ADD64_X, VM_SUB64_X, VM_MUL64_X, VM_DIV64_X, VM_OR64_X, VM_AND64_X, VM_LSH64_X,
	    VM_RSH64_X, VM_NEG64, VM_MOD64_X, VM_XOR64_X, VM_MOV64_X, VM_ARSH64_X, 0, 0, 0 } },
};

/* Conditional jumps, indexed by BPFKIT_OP(code) >> 4: [JMP32][source is X].
 * Slots 0 (JA), 8 (CALL) and 9 (EXIT) are handled on their own. */
static const uint8_t jmp_ops[2][2][16] = {
	{ { 0, VM_JEQ_K, VM_JGT_K, VM_JGE_K, VM_JSET_K, VM_JNE_K, VM_JSGT_K, VM_JSGE_K, 0, 0,
	    VM_JLT_K, VM_JLE_K, VM_JSLT_K, VM_JSLE_K, 0, 0 },
	  { 0, VM_JEQ_X, VM_JGT_X, VM_JGE_X, VM_JSET_X, VM_JNE_X, VM_JSGT_X, VM_JSGE_X, 0, 0,
	    VM_JLT_X, VM_JLE_X, VM_JSLT_X, VM_JSLE_X, 0, 0 } },
	{ { 0, VM_JEQ32_K, VM_JGT32_K, VM_JGE32_K, VM_JSET32_K, VM_JNE32_K, VM_JSGT32_K,
	    VM_JSGE32_K, 0, 0, VM_JLT32_K, VM_JLE32_K, VM_JSLT32_K, VM_JSLE32_K, 0, 0 },
	  { 0, VM_JEQ32_X, VM_JGT32_X, VM_JGE32_X, VM_JSET32_X, VM_JNE32_X, VM_JSGT32_X,
	    VM_JSGE32_X, 0, 0, VM_JLT32_X, VM_JLE32_X, VM_JSLT32_X, VM_JSLE32_X, 0, 0 } },
};

/* LDX/ST/STX handlers by access size in bytes (1, 2, 4, 8). */
static uint8_t by_size(unsigned size, uint8_t b, uint8_t h, uint8_t w, uint8_t dw)
{
	switch (size) {
	case 1:
		return b;
	case 2:
		return h;
	case 4:
		return w;
	default:
		return dw;
	}
}

/* Byte-order operations on this host: "le" is a truncation on a
 * little-endian machine and a swap on a big-endian one; "be" the reverse;
 * ALU64|END always swaps. */
static uint8_t end_op(uint8_t code, int32_t bits)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	bool swap = BPFKIT_CLASS(code) == BPFKIT_ALU64 || BPFKIT_SRC(code) == BPFKIT_TO_BE;
#else
	bool swap = BPFKIT_CLASS(code) == BPFKIT_ALU64 || BPFKIT_SRC(code) == BPFKIT_TO_LE;
#endif
	if (bits == 16)
		return swap ? VM_BSWAP16 : VM_ZEXT16;
	if (bits == 32)
		return swap ? VM_BSWAP32 : VM_ZEXT32;
	return swap ? VM_BSWAP64 : VM_NOP;
}

static const char *pseudo_name(unsigned src)
{
	static const char *const names[] = { "imm64", "map_fd", "map_value", "btf_id",
					     "func", "map_idx", "map_idx_value" };
	return src < sizeof(names) / sizeof(names[0]) ? names[src] : "unknown";
}

/* Explain a slot the opcode table does not know: an opcode nobody uses, or
 * a known opcode whose off/imm selects no variant (div with off 2, le8). */
static int bad_opcode(struct vstate *v, size_t i)
{
	const struct bpfkit_insn *in = &v->insns[i];

	for (size_t r = 0; r < bpfkit_opinfo__count(); r++) {
		const struct bpfkit_opinfo *row = bpfkit_opinfo__at(r);
		if (row->code != in->code)
			continue;
		if (row->match & BPFKIT_MATCH_IMM)
			return verr(v, i, "invalid imm %d for opcode 0x%02x (%s)", in->imm, in->code,
				    row->name);
		return verr(v, i, "invalid off %d for opcode 0x%02x (%s)", in->off, in->code, row->name);
	}
	if (!in->code)
		return verr(v, i, "unknown opcode 0x00 (the second slot of an lddw without its first?)");
	return verr(v, i, "unknown opcode 0x%02x", in->code);
}

/* A jump or call target: slot @p from + 1 + @p rel, which must exist and
 * not be the second half of an LDDW (checked in the second pass). */
static int target_of(struct vstate *v, size_t from, int64_t rel, const char *what, uint32_t *out)
{
	int64_t t = (int64_t)from + 1 + rel;

	if (t < 0 || t >= (int64_t)v->len)
		return verr(v, from, "%s target %lld is outside the program (0..%zu)", what,
			    (long long)t, v->len - 1);
	*out = (uint32_t)t;
	return 0;
}

/* Translate the instruction at slot @p i (already matched to @p info and
 * field-checked) into v->code[i], checking what depends on its kind. */
static int decode(struct bpfkit_vm *vm, struct vstate *v, size_t i, const struct bpfkit_opinfo *info)
{
	const struct bpfkit_insn *in = &v->insns[i];
	struct vm_insn *o = &v->code[i];
	bool is64 = BPFKIT_CLASS(in->code) == BPFKIT_ALU64;
	bool x = BPFKIT_SRC(in->code) == BPFKIT_X;
	unsigned op = BPFKIT_OP(in->code) >> 4;
	uint32_t t = 0;
	int err;

	o->dst = in->dst;
	o->src = in->src;
	o->size = info->size;
	o->off = in->off;
	o->imm = (uint64_t)(int64_t)in->imm;

	switch (info->shape) {
	case BPFKIT_SHAPE_ALU_K:
	case BPFKIT_SHAPE_ALU_X:
	case BPFKIT_SHAPE_NEG:
		if (in->dst == BPFKIT_REG_FP)
			return verr(v, i, "%s writes r10, the read-only frame pointer", info->name);
		o->op = alu_ops[is64][x][op];
		if (BPFKIT_OP(in->code) == BPFKIT_DIV && in->off == 1)
			o->op = is64 ? (x ? VM_SDIV64_X : VM_SDIV64_K) : (x ? VM_SDIV32_X : VM_SDIV32_K);
		else if (BPFKIT_OP(in->code) == BPFKIT_MOD && in->off == 1)
			o->op = is64 ? (x ? VM_SMOD64_X : VM_SMOD64_K) : (x ? VM_SMOD32_X : VM_SMOD32_K);
		else if (BPFKIT_OP(in->code) == BPFKIT_MOV && in->off)
			o->op = in->off == 8 ? (is64 ? VM_MOVSX64_8 : VM_MOVSX32_8)
				: in->off == 16 ? (is64 ? VM_MOVSX64_16 : VM_MOVSX32_16)
						: VM_MOVSX64_32;
		/* Shift amounts are masked to the operand width (RFC 9669). */
		if (!x && (BPFKIT_OP(in->code) == BPFKIT_LSH || BPFKIT_OP(in->code) == BPFKIT_RSH ||
			   BPFKIT_OP(in->code) == BPFKIT_ARSH))
			o->imm &= is64 ? 63 : 31;
		o->off = 0;
		return 0;
	case BPFKIT_SHAPE_END:
		if (in->dst == BPFKIT_REG_FP)
			return verr(v, i, "%s writes r10, the read-only frame pointer", info->name);
		o->op = end_op(in->code, in->imm);
		return 0;
	case BPFKIT_SHAPE_LDDW:
		if (in->dst == BPFKIT_REG_FP)
			return verr(v, i, "lddw writes r10, the read-only frame pointer");
		if (i + 1 >= v->len)
			return verr(v, i, "lddw is missing its second slot");
		if (v->insns[i + 1].code || v->insns[i + 1].dst || v->insns[i + 1].src ||
		    v->insns[i + 1].off)
			return verr(v, i + 1, "second slot of lddw must be zero except imm");
		if (in->src != BPFKIT_PSEUDO_IMM64)
			return verr(v, i,
				    "lddw with pseudo source %u (%s) needs a loader; the VM runs plain "
				    "64-bit immediates only",
				    in->src, pseudo_name(in->src));
		o->op = VM_LDDW;
		o->imm = (uint64_t)(uint32_t)in->imm | (uint64_t)(uint32_t)v->insns[i + 1].imm << 32;
		v->flags[i + 1] |= SLOT_LDDW_HI;
		return 0;
	case BPFKIT_SHAPE_LD_ABS:
		o->op = VM_LD_ABS;
		return 0;
	case BPFKIT_SHAPE_LD_IND:
		o->op = VM_LD_IND;
		return 0;
	case BPFKIT_SHAPE_LDX:
		if (in->dst == BPFKIT_REG_FP)
			return verr(v, i, "%s writes r10, the read-only frame pointer", info->name);
		if (BPFKIT_MODE(in->code) == BPFKIT_MEMSX)
			o->op = by_size(info->size, VM_LDXSB, VM_LDXSH, VM_LDXSW, VM_INVALID);
		else
			o->op = by_size(info->size, VM_LDXB, VM_LDXH, VM_LDXW, VM_LDXDW);
		return 0;
	case BPFKIT_SHAPE_ST:
		o->op = by_size(info->size, VM_STB, VM_STH, VM_STW, VM_STDW);
		return 0;
	case BPFKIT_SHAPE_STX:
		o->op = by_size(info->size, VM_STXB, VM_STXH, VM_STXW, VM_STXDW);
		return 0;
	case BPFKIT_SHAPE_ATOMIC:
		/* Fetching forms write the old value into src (cmpxchg into r0). */
		if ((in->imm & BPFKIT_FETCH) && in->imm != BPFKIT_CMPXCHG && in->src == BPFKIT_REG_FP)
			return verr(v, i, "%s writes r10, the read-only frame pointer", info->name);
		o->op = info->size == 8 ? VM_ATOMIC64 : VM_ATOMIC32;
		o->imm = (uint64_t)(uint32_t)in->imm;
		return 0;
	case BPFKIT_SHAPE_JA:
	case BPFKIT_SHAPE_JA32:
	case BPFKIT_SHAPE_JMP_K:
	case BPFKIT_SHAPE_JMP_X:
		if (info->shape == BPFKIT_SHAPE_JA || info->shape == BPFKIT_SHAPE_JA32)
			o->op = VM_JA;
		else
			o->op = jmp_ops[BPFKIT_CLASS(in->code) == BPFKIT_JMP32][x][op];
		err = target_of(v, i, info->shape == BPFKIT_SHAPE_JA32 ? in->imm : in->off, "jump", &t);
		o->off = (int32_t)t;
		return err;
	case BPFKIT_SHAPE_CALL:
		if (in->src == BPFKIT_CALL_KFUNC)
			return verr(v, i, "kfunc calls are not supported by the VM");
		if (in->src == BPFKIT_CALL_LOCAL) {
			o->op = VM_CALL_LOCAL;
			err = target_of(v, i, in->imm, "call", &t);
			if (err)
				return err;
			o->off = (int32_t)t;
			v->flags[t] |= SLOT_FUNC;
			return 0;
		} else {
			long h = in->imm < 0 ? -1 : vm_helper_find(vm, (uint32_t)in->imm);
			if (h < 0) {
				const char *kname = bpfkit_helper_name(in->imm);
				if (kname)
					return verr(v, i, "helper bpf_%s (%d) is not implemented by the VM",
						    kname, in->imm);
				return verr(v, i, "call to unknown helper %d", in->imm);
			}
			o->op = VM_CALL_HELPER;
			o->imm = (uint64_t)h;
			o->off = in->imm;
			return 0;
		}
	case BPFKIT_SHAPE_CALLX:
		o->op = VM_CALLX;
		return 0;
	case BPFKIT_SHAPE_EXIT:
		o->op = VM_EXIT;
		return 0;
	}
	return bad_opcode(v, i);
}

/* A jump handler (its off is a target slot in the same function)? */
static bool is_jump(uint8_t op)
{
	return op == VM_JA || (op >= VM_JEQ_K && op <= VM_JSLE32_X);
}

/* Does this instruction never fall through to the next slot? */
static bool ends_function(const struct bpfkit_insn *in)
{
	return in->code == BPFKIT_OP_EXIT || in->code == (BPFKIT_JMP | BPFKIT_JA) ||
	       in->code == (BPFKIT_JMP32 | BPFKIT_JA);
}

/*
 * Second pass, once every LDDW half and function start is known: targets
 * must be instructions in the jumping function, and each function must end
 * in exit or an unconditional jump so the interpreter can never run past
 * the last slot.
 */
static int check_flow(struct vstate *v)
{
	uint32_t fn = 0;
	size_t last = 0; /* last instruction (not LDDW half) seen */

	for (size_t i = 0; i < v->len; i++) {
		const struct vm_insn *o = &v->code[i];

		if (v->flags[i] & SLOT_LDDW_HI)
			continue;
		if (is_jump(o->op) || o->op == VM_CALL_LOCAL) {
			uint32_t t = (uint32_t)o->off;
			if (v->flags[t] & SLOT_LDDW_HI)
				return verr(v, i, "%s target %u is the second half of an lddw",
					    o->op == VM_CALL_LOCAL ? "call" : "jump", t);
		}
	}
	v->flags[0] |= SLOT_FUNC;
	for (size_t i = 0; i < v->len; i++) {
		if ((v->flags[i] & SLOT_FUNC) && i > 0) {
			if (!ends_function(&v->insns[last]))
				return verr(v, last, "the function can run past its last instruction "
						     "(it must end in exit or ja)");
			fn++;
		}
		v->func[i] = fn;
		if (!(v->flags[i] & SLOT_LDDW_HI))
			last = i;
	}
	if (!ends_function(&v->insns[last]))
		return verr(v, last, "the program can run past its last instruction "
				     "(it must end in exit or ja)");
	for (size_t i = 0; i < v->len; i++) {
		const struct vm_insn *o = &v->code[i];

		if (!(v->flags[i] & SLOT_LDDW_HI) && is_jump(o->op) &&
		    v->func[(uint32_t)o->off] != v->func[i])
			return verr(v, i, "jump target %u is in another function", (uint32_t)o->off);
	}
	return 0;
}

/* Validate and translate @p insns; on success the VM's program is replaced. */
int vm_validate(struct bpfkit_vm *vm, const struct bpfkit_insn *insns, size_t len,
		struct bpfkit_diag *diag)
{
	struct vstate v = { .insns = insns, .len = len, .diag = diag };
	int err = -ENOMEM;

	if (!len)
		return bpfkit_diag__set(diag, -EINVAL, "program is empty");
	if (len > VM_MAX_SLOTS)
		return bpfkit_diag__set(diag, -EINVAL, "program is too long: %zu slots (at most %d)", len,
					VM_MAX_SLOTS);
	v.code = calloc(len, sizeof(*v.code));
	v.flags = calloc(len, 1);
	v.func = calloc(len, sizeof(*v.func));
	if (!v.code || !v.flags || !v.func) {
		bpfkit_diag__set(diag, err, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < len; i++) {
		const struct bpfkit_opinfo *info;

		if (v.flags[i] & SLOT_LDDW_HI) {
			v.code[i].op = VM_INVALID;
			continue;
		}
		info = bpfkit_insn__info(&insns[i]);
		if (!info) {
			err = bad_opcode(&v, i);
			goto out;
		}
		err = bpfkit_insn__check_fields(&insns[i], info, diag);
		if (err) {
			if (diag)
				diag->insn = (long)i;
			goto out;
		}
		err = decode(vm, &v, i, info);
		if (err)
			goto out;
	}
	err = check_flow(&v);
	if (err)
		goto out;
	free(vm->code);
	vm->code = v.code;
	vm->len = len;
	v.code = NULL;
out:
	free(v.code);
	free(v.flags);
	free(v.func);
	return err;
}
