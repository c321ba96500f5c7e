// SPDX-License-Identifier: MIT
/*
 * The interpreter. It runs the pre-decoded form built by validate.c, so it
 * never re-checks what load time proved: every op is known, every jump
 * lands on an instruction of the same function, no function runs off its
 * end, r10 is never written. What remains to check at run time is memory
 * (every access against the regions of the run), the call depth, the
 * instruction budget and callx targets.
 *
 * Dispatch is direct threading with GCC's labels-as-values ("computed
 * goto"): each handler ends with its own indirect jump, which predicts far
 * better than one shared switch. Define BPFKIT_VM_NO_COMPUTED_GOTO (or use a
 * compiler without the extension) for a portable switch over the same
 * handlers.
 *
 * Each handler carries a one-line summary of its RFC 9669 semantics.
 * Notation: dst/src are the registers, imm the sign-extended immediate,
 * (u32)/(s32) the low half read unsigned/signed, zext = zero-extend to 64.
 */
#include <string.h>

#include "vm_int.h"

#if defined(__GNUC__) && !defined(BPFKIT_VM_NO_COMPUTED_GOTO)
#define VM_COMPUTED_GOTO 1
#endif

/* Signed division and modulo without C's undefined cases: by zero gives 0
 * (div) or leaves the dividend (mod); INT_MIN / -1 = INT_MIN and
 * INT_MIN % -1 = 0, as the kernel and RFC 9669 define them. The remainder
 * has the sign of the dividend (C semantics). */
static inline uint64_t sdiv64(uint64_t a, uint64_t b)
{
	if (!b)
		return 0;
	if ((int64_t)b == -1)
		return -a;
	return (uint64_t)((int64_t)a / (int64_t)b);
}

static inline uint64_t smod64(uint64_t a, uint64_t b)
{
	if (!b)
		return a;
	if ((int64_t)b == -1)
		return 0;
	return (uint64_t)((int64_t)a % (int64_t)b);
}

static inline uint32_t sdiv32(uint32_t a, uint32_t b)
{
	if (!b)
		return 0;
	if ((int32_t)b == -1)
		return -a;
	return (uint32_t)((int32_t)a / (int32_t)b);
}

static inline uint32_t smod32(uint32_t a, uint32_t b)
{
	if (!b)
		return a;
	if ((int32_t)b == -1)
		return 0;
	return (uint32_t)((int32_t)a % (int32_t)b);
}

/* Packet loads (LD_ABS/LD_IND) read big-endian. */
static inline uint64_t load_be(const uint8_t *p, unsigned size)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < size; i++)
		v = v << 8 | p[i];
	return v;
}

/* Run vm->code from slot 0. Returns 0 with r0 in *ret, or -1 with the
 * fault recorded in *f. vm->insn_count is set either way. */
int vm_interp(struct bpfkit_vm *vm, uint64_t r1, uint64_t r2, uint64_t *ret,
	      struct vm_fault_info *f)
{
	uint64_t regs[BPFKIT_NREGS] = { 0 };

	regs[1] = r1;
	regs[2] = r2;
	regs[10] = (uint64_t)(uintptr_t)vm->stack + VM_STACK_TOTAL;
	return vm_interp_at(vm, regs, 0, NULL, 0, vm->budget ? vm->budget : UINT64_MAX, ret, f);
}

/* The interpreter proper, from slot @p pc with @p left instructions of the
 * budget left and @p nframes local calls in progress (the JIT hands a run
 * over at any point of the program with its frames). */
int vm_interp_at(struct bpfkit_vm *vm, const uint64_t regs[BPFKIT_NREGS], size_t pc,
		 const struct vm_frame *caller, unsigned nframes, uint64_t left, uint64_t *ret,
		 struct vm_fault_info *f)
{
	const struct vm_insn *const code = vm->code;
	const struct vm_insn *ip = code + pc;
	struct bpfkit_vm_ctx *const ctx = &vm->ctx;
	const uint64_t stack_base = (uint64_t)(uintptr_t)vm->stack;
	const uint64_t in_base = ctx->regions[VM_REGION_INPUT].base;
	const uint64_t in_len = ctx->regions[VM_REGION_INPUT].len;
	const uint64_t budget = vm->budget ? vm->budget : UINT64_MAX;
	uint64_t R[BPFKIT_NREGS];
	struct {
		const struct vm_insn *ret;
		uint64_t saved[5]; /* r6..r10 */
	} frames[BPFKIT_MAX_FRAMES];
	unsigned depth = nframes < BPFKIT_MAX_FRAMES ? nframes : BPFKIT_MAX_FRAMES - 1;
	uint64_t addr = 0, a64 = 0;
	int64_t pkt_off = 0;
	long h;

	memcpy(R, regs, sizeof(R));
	memset(f, 0, sizeof(*f));
	for (unsigned k = 0; k < depth; k++) {
		frames[k].ret = code + caller[k].ret;
		memcpy(frames[k].saved, caller[k].saved, sizeof(frames[k].saved));
	}

/* The access check: the stack and the input inline, the rest (helper
 * grants, and read-only regions) in mem.c. */
#define MEM_OK(a, sz, wr)                                                                 \
	((a) - stack_base <= VM_STACK_TOTAL - (sz) ||                                     \
	 (in_len >= (sz) && (a) - in_base <= in_len - (sz)) ||                            \
	 vm_mem_check_slow(ctx, (a), (sz), (wr)) == 0)
#define HOST(a) ((void *)(uintptr_t)(a))
#define DST R[ip->dst]
#define SRC R[ip->src]
#define IMM ip->imm

#ifdef VM_COMPUTED_GOTO
#define VM_LABEL(name) [VM_##name] = &&L_##name,
	static const void *const labels[VM_NOPS] = { VM_OPS(VM_LABEL) };
#undef VM_LABEL
#define OP(name) L_##name
#define DISPATCH()                                                                        \
	do {                                                                              \
		if (unlikely(!left))                                                      \
			goto out_budget;                                                  \
		left--;                                                                   \
		goto *labels[ip->op];                                                     \
	} while (0)
#else
#define OP(name) case VM_##name
#define DISPATCH() goto dispatch
#endif
#define NEXT                                                                              \
	do {                                                                              \
		ip++;                                                                     \
		DISPATCH();                                                               \
	} while (0)
#define JUMP_IF(cond)                                                                     \
	do {                                                                              \
		ip = (cond) ? code + ip->off : ip + 1;                                    \
		DISPATCH();                                                               \
	} while (0)
/* Memory operands: [dst+off] for stores and atomics, [src+off] for loads. */
#define LOAD(T, conv)                                                                     \
	do {                                                                              \
		T v_;                                                                     \
		addr = SRC + (uint64_t)(int64_t)ip->off;                                  \
		if (unlikely(!MEM_OK(addr, sizeof(T), false)))                            \
			goto fault_load;                                                  \
		memcpy(&v_, HOST(addr), sizeof(T));                                       \
		DST = conv(v_);                                                           \
		NEXT;                                                                     \
	} while (0)
#define STORE(T, val)                                                                     \
	do {                                                                              \
		T v_ = (T)(val);                                                          \
		addr = DST + (uint64_t)(int64_t)ip->off;                                  \
		if (unlikely(!MEM_OK(addr, sizeof(T), true)))                             \
			goto fault_store;                                                 \
		memcpy(HOST(addr), &v_, sizeof(T));                                       \
		NEXT;                                                                     \
	} while (0)
#define ZX(v) ((uint64_t)(v))
#define SX8(v) ((uint64_t)(int64_t)(int8_t)(v))
#define SX16(v) ((uint64_t)(int64_t)(int16_t)(v))
#define SX32(v) ((uint64_t)(int64_t)(int32_t)(v))
#define U32(v) ((uint32_t)(v))
#define S32(v) ((int32_t)(uint32_t)(v))

#ifdef VM_COMPUTED_GOTO
	DISPATCH();
#else
dispatch:
	if (unlikely(!left))
		goto out_budget;
	left--;
	switch (ip->op) {
#endif

	/* ---- ALU64: 64-bit operations, imm sign-extended to 64 bits ---- */

	/* ADD64: dst += src|imm */
	OP(ADD64_K): DST += IMM; NEXT;
	OP(ADD64_X): DST += SRC; NEXT;
	/* SUB64: dst -= src|imm */
	OP(SUB64_K): DST -= IMM; NEXT;
	OP(SUB64_X): DST -= SRC; NEXT;
	/* MUL64: dst *= src|imm, wrapping (INT64_MIN * -1 = INT64_MIN) */
	OP(MUL64_K): DST *= IMM; NEXT;
	OP(MUL64_X): DST *= SRC; NEXT;
	/* DIV64: dst = src ? dst / src : 0, unsigned (imm sign-extended first) */
	OP(DIV64_K): DST = IMM ? DST / IMM : 0; NEXT;
	OP(DIV64_X): a64 = SRC; DST = a64 ? DST / a64 : 0; NEXT;
	/* SDIV64 (off=1): signed dst / src; by zero 0; INT64_MIN / -1 = INT64_MIN */
	OP(SDIV64_K): DST = sdiv64(DST, IMM); NEXT;
	OP(SDIV64_X): DST = sdiv64(DST, SRC); NEXT;
	/* MOD64: dst = src ? dst % src : dst, unsigned */
	OP(MOD64_K): DST = IMM ? DST % IMM : DST; NEXT;
	OP(MOD64_X): a64 = SRC; DST = a64 ? DST % a64 : DST; NEXT;
	/* SMOD64 (off=1): signed remainder, sign of dst; by zero dst; by -1 zero */
	OP(SMOD64_K): DST = smod64(DST, IMM); NEXT;
	OP(SMOD64_X): DST = smod64(DST, SRC); NEXT;
	/* OR64, AND64, XOR64: bitwise with src|imm */
	OP(OR64_K): DST |= IMM; NEXT;
	OP(OR64_X): DST |= SRC; NEXT;
	OP(AND64_K): DST &= IMM; NEXT;
	OP(AND64_X): DST &= SRC; NEXT;
	OP(XOR64_K): DST ^= IMM; NEXT;
	OP(XOR64_X): DST ^= SRC; NEXT;
	/* LSH64: dst <<= (src|imm) & 63 (imm masked at load) */
	OP(LSH64_K): DST <<= IMM; NEXT;
	OP(LSH64_X): DST <<= SRC & 63; NEXT;
	/* RSH64: logical dst >>= (src|imm) & 63 */
	OP(RSH64_K): DST >>= IMM; NEXT;
	OP(RSH64_X): DST >>= SRC & 63; NEXT;
	/* ARSH64: arithmetic (sign-filling) dst >>= (src|imm) & 63 */
	OP(ARSH64_K): DST = (uint64_t)((int64_t)DST >> IMM); NEXT;
	OP(ARSH64_X): DST = (uint64_t)((int64_t)DST >> (SRC & 63)); NEXT;
	/* MOV64: dst = src|imm (imm sign-extended) */
	OP(MOV64_K): DST = IMM; NEXT;
	OP(MOV64_X): DST = SRC; NEXT;
	/* NEG64: dst = -dst, wrapping */
	OP(NEG64): DST = -DST; NEXT;
	/* MOVSX64 (off=8/16/32): dst = src's low 8/16/32 bits sign-extended to 64 */
	OP(MOVSX64_8): DST = SX8(SRC); NEXT;
	OP(MOVSX64_16): DST = SX16(SRC); NEXT;
	OP(MOVSX64_32): DST = SX32(SRC); NEXT;

	/* ---- ALU: 32-bit operations on the low halves; result zero-extended ---- */

	/* ADD32: dst = zext((u32)dst + (u32)src|imm) */
	OP(ADD32_K): DST = U32(DST + IMM); NEXT;
	OP(ADD32_X): DST = U32(DST + SRC); NEXT;
	/* SUB32: dst = zext((u32)dst - (u32)src|imm) */
	OP(SUB32_K): DST = U32(DST - IMM); NEXT;
	OP(SUB32_X): DST = U32(DST - SRC); NEXT;
	/* MUL32: dst = zext((u32)dst * (u32)src|imm), wrapping */
	OP(MUL32_K): DST = U32(U32(DST) * U32(IMM)); NEXT;
	OP(MUL32_X): DST = U32(U32(DST) * U32(SRC)); NEXT;
	/* DIV32: dst = zext((u32)src ? (u32)dst / (u32)src : 0) */
	OP(DIV32_K): DST = U32(IMM) ? U32(DST) / U32(IMM) : 0; NEXT;
	OP(DIV32_X): DST = U32(SRC) ? U32(DST) / U32(SRC) : 0; NEXT;
	/* SDIV32 (off=1): zext((s32)dst / (s32)src); by zero 0; INT32_MIN / -1 = INT32_MIN */
	OP(SDIV32_K): DST = sdiv32(U32(DST), U32(IMM)); NEXT;
	OP(SDIV32_X): DST = sdiv32(U32(DST), U32(SRC)); NEXT;
	/* MOD32: dst = zext((u32)src ? (u32)dst % (u32)src : (u32)dst) */
	OP(MOD32_K): DST = U32(IMM) ? U32(DST) % U32(IMM) : U32(DST); NEXT;
	OP(MOD32_X): DST = U32(SRC) ? U32(DST) % U32(SRC) : U32(DST); NEXT;
	/* SMOD32 (off=1): zext of the signed remainder; by zero (u32)dst; by -1 zero */
	OP(SMOD32_K): DST = smod32(U32(DST), U32(IMM)); NEXT;
	OP(SMOD32_X): DST = smod32(U32(DST), U32(SRC)); NEXT;
	/* OR32, AND32, XOR32: zext of the bitwise operation on the low halves */
	OP(OR32_K): DST = U32(DST | IMM); NEXT;
	OP(OR32_X): DST = U32(DST | SRC); NEXT;
	OP(AND32_K): DST = U32(DST & IMM); NEXT;
	OP(AND32_X): DST = U32(DST & SRC); NEXT;
	OP(XOR32_K): DST = U32(DST ^ IMM); NEXT;
	OP(XOR32_X): DST = U32(DST ^ SRC); NEXT;
	/* LSH32: dst = zext((u32)dst << ((src|imm) & 31)) */
	OP(LSH32_K): DST = U32(U32(DST) << IMM); NEXT;
	OP(LSH32_X): DST = U32(U32(DST) << (SRC & 31)); NEXT;
	/* RSH32: dst = zext((u32)dst >> ((src|imm) & 31)) */
	OP(RSH32_K): DST = U32(DST) >> IMM; NEXT;
	OP(RSH32_X): DST = U32(DST) >> (SRC & 31); NEXT;
	/* ARSH32: dst = zext((s32)dst >> ((src|imm) & 31)), sign-filling in 32 bits */
	OP(ARSH32_K): DST = U32(S32(DST) >> IMM); NEXT;
	OP(ARSH32_X): DST = U32(S32(DST) >> (SRC & 31)); NEXT;
	/* MOV32: dst = zext((u32)src|imm) */
	OP(MOV32_K): DST = U32(IMM); NEXT;
	OP(MOV32_X): DST = U32(SRC); NEXT;
	/* NEG32: dst = zext(-(u32)dst) */
	OP(NEG32): DST = U32(-U32(DST)); NEXT;
	/* MOVSX32 (off=8/16): dst = zext(low 8/16 bits of src sign-extended to 32) */
	OP(MOVSX32_8): DST = U32((int32_t)(int8_t)SRC); NEXT;
	OP(MOVSX32_16): DST = U32((int32_t)(int16_t)SRC); NEXT;

	/* ---- byte order: le/be convert to that order, ALU64 bswap always swaps ---- */

	/* ZEXT16/32: le16/le32 on a little-endian host: keep the low 16/32 bits */
	OP(ZEXT16): DST = (uint16_t)DST; NEXT;
	OP(ZEXT32): DST = U32(DST); NEXT;
	/* NOP: le64 on a little-endian host */
	OP(NOP): NEXT;
	/* BSWAP16/32/64: swap the low 16/32/64 bits, zero-extend (be16.., bswap16..) */
	OP(BSWAP16): DST = __builtin_bswap16((uint16_t)DST); NEXT;
	OP(BSWAP32): DST = __builtin_bswap32(U32(DST)); NEXT;
	OP(BSWAP64): DST = __builtin_bswap64(DST); NEXT;

	/* ---- loads and stores; every access checked against the run's regions ---- */

	/* LDDW: dst = imm64 from two slots; skips the second slot */
	OP(LDDW): DST = IMM; ip += 2; DISPATCH();
	/* LDX: dst = zext(*(u8|u16|u32|u64 *)(src + off)) */
	OP(LDXB): LOAD(uint8_t, ZX);
	OP(LDXH): LOAD(uint16_t, ZX);
	OP(LDXW): LOAD(uint32_t, ZX);
	OP(LDXDW): LOAD(uint64_t, ZX);
	/* LDXS (MEMSX): dst = *(s8|s16|s32 *)(src + off) sign-extended to 64 */
	OP(LDXSB): LOAD(uint8_t, SX8);
	OP(LDXSH): LOAD(uint16_t, SX16);
	OP(LDXSW): LOAD(uint32_t, SX32);
	/* ST: *(u8|u16|u32|u64 *)(dst + off) = imm (truncated; stdw: sign-extended) */
	OP(STB): STORE(uint8_t, IMM);
	OP(STH): STORE(uint16_t, IMM);
	OP(STW): STORE(uint32_t, IMM);
	OP(STDW): STORE(uint64_t, IMM);
	/* STX: *(u8|u16|u32|u64 *)(dst + off) = src (truncated) */
	OP(STXB): STORE(uint8_t, SRC);
	OP(STXH): STORE(uint16_t, SRC);
	OP(STXW): STORE(uint32_t, SRC);
	OP(STXDW): STORE(uint64_t, SRC);

	/* ATOMIC64: read-modify-write of *(u64 *)(dst + off), which must be 8-byte
	 * aligned: add/or/and/xor src; FETCH puts the old value in src; xchg
	 * swaps with src; cmpxchg stores src if the value equals r0, and r0
	 * receives the old value either way. */
	OP(ATOMIC64): {
		uint64_t *p, v = SRC, old;
		addr = DST + (uint64_t)(int64_t)ip->off;
		if (unlikely(addr & 7))
			goto fault_align;
		if (unlikely(!MEM_OK(addr, 8, true)))
			goto fault_atomic;
		p = HOST(addr);
		switch ((uint32_t)IMM) {
		case BPFKIT_ADD: __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST); break;
		case BPFKIT_OR: __atomic_fetch_or(p, v, __ATOMIC_SEQ_CST); break;
		case BPFKIT_AND: __atomic_fetch_and(p, v, __ATOMIC_SEQ_CST); break;
		case BPFKIT_XOR: __atomic_fetch_xor(p, v, __ATOMIC_SEQ_CST); break;
		case BPFKIT_ADD | BPFKIT_FETCH: SRC = __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST); break;
		case BPFKIT_OR | BPFKIT_FETCH: SRC = __atomic_fetch_or(p, v, __ATOMIC_SEQ_CST); break;
		case BPFKIT_AND | BPFKIT_FETCH: SRC = __atomic_fetch_and(p, v, __ATOMIC_SEQ_CST); break;
		case BPFKIT_XOR | BPFKIT_FETCH: SRC = __atomic_fetch_xor(p, v, __ATOMIC_SEQ_CST); break;
		case BPFKIT_XCHG: SRC = __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST); break;
		default: /* BPFKIT_CMPXCHG; the table admits no other */
			old = R[0];
			__atomic_compare_exchange_n(p, &old, v, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
			R[0] = old;
			break;
		}
		NEXT;
	}
	/* ATOMIC32: the same on *(u32 *)(dst + off), 4-byte aligned, with the low
	 * half of src; fetched values are zero-extended into src (or r0) */
	OP(ATOMIC32): {
		uint32_t *p, v = U32(SRC), old;
		addr = DST + (uint64_t)(int64_t)ip->off;
		if (unlikely(addr & 3))
			goto fault_align;
		if (unlikely(!MEM_OK(addr, 4, true)))
			goto fault_atomic;
		p = HOST(addr);
		switch ((uint32_t)IMM) {
		case BPFKIT_ADD: __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST); break;
		case BPFKIT_OR: __atomic_fetch_or(p, v, __ATOMIC_SEQ_CST); break;
		case BPFKIT_AND: __atomic_fetch_and(p, v, __ATOMIC_SEQ_CST); break;
		case BPFKIT_XOR: __atomic_fetch_xor(p, v, __ATOMIC_SEQ_CST); break;
		case BPFKIT_ADD | BPFKIT_FETCH: SRC = __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST); break;
		case BPFKIT_OR | BPFKIT_FETCH: SRC = __atomic_fetch_or(p, v, __ATOMIC_SEQ_CST); break;
		case BPFKIT_AND | BPFKIT_FETCH: SRC = __atomic_fetch_and(p, v, __ATOMIC_SEQ_CST); break;
		case BPFKIT_XOR | BPFKIT_FETCH: SRC = __atomic_fetch_xor(p, v, __ATOMIC_SEQ_CST); break;
		case BPFKIT_XCHG: SRC = __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST); break;
		default:
			old = U32(R[0]);
			__atomic_compare_exchange_n(p, &old, v, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
			R[0] = old;
			break;
		}
		NEXT;
	}

	/* LD_ABS: r0 = big-endian u8|u16|u32 at input[imm]; out of bounds ends the
	 * program with r0 = 0 (legacy packet access, kernel semantics) */
	OP(LD_ABS):
		pkt_off = (int32_t)IMM;
		goto ld_packet;
	/* LD_IND: the same at input[(s32)(src + imm)] */
	OP(LD_IND):
		pkt_off = S32(SRC + IMM);
	ld_packet:
		if (pkt_off < 0 || in_len < ip->size || (uint64_t)pkt_off > in_len - ip->size) {
			R[0] = 0;
			goto out_exit;
		}
		R[0] = load_be((const uint8_t *)HOST(in_base) + pkt_off, ip->size);
		NEXT;

	/* ---- jumps: pc = target if the condition holds (64-bit compare) ---- */

	/* JA: pc = target (ja +off, and ja32/gotol +imm) */
	OP(JA): ip = code + ip->off; DISPATCH();
	/* JEQ, JNE: dst ==, != src|imm */
	OP(JEQ_K): JUMP_IF(DST == IMM);
	OP(JEQ_X): JUMP_IF(DST == SRC);
	OP(JNE_K): JUMP_IF(DST != IMM);
	OP(JNE_X): JUMP_IF(DST != SRC);
	/* JGT, JGE, JLT, JLE: unsigned comparisons */
	OP(JGT_K): JUMP_IF(DST > IMM);
	OP(JGT_X): JUMP_IF(DST > SRC);
	OP(JGE_K): JUMP_IF(DST >= IMM);
	OP(JGE_X): JUMP_IF(DST >= SRC);
	OP(JLT_K): JUMP_IF(DST < IMM);
	OP(JLT_X): JUMP_IF(DST < SRC);
	OP(JLE_K): JUMP_IF(DST <= IMM);
	OP(JLE_X): JUMP_IF(DST <= SRC);
	/* JSET: dst & src|imm != 0 */
	OP(JSET_K): JUMP_IF(DST & IMM);
	OP(JSET_X): JUMP_IF(DST & SRC);
	/* JSGT, JSGE, JSLT, JSLE: signed comparisons */
	OP(JSGT_K): JUMP_IF((int64_t)DST > (int64_t)IMM);
	OP(JSGT_X): JUMP_IF((int64_t)DST > (int64_t)SRC);
	OP(JSGE_K): JUMP_IF((int64_t)DST >= (int64_t)IMM);
	OP(JSGE_X): JUMP_IF((int64_t)DST >= (int64_t)SRC);
	OP(JSLT_K): JUMP_IF((int64_t)DST < (int64_t)IMM);
	OP(JSLT_X): JUMP_IF((int64_t)DST < (int64_t)SRC);
	OP(JSLE_K): JUMP_IF((int64_t)DST <= (int64_t)IMM);
	OP(JSLE_X): JUMP_IF((int64_t)DST <= (int64_t)SRC);

	/* ---- JMP32: the same comparisons on the low 32 bits ---- */

	OP(JEQ32_K): JUMP_IF(U32(DST) == U32(IMM));
	OP(JEQ32_X): JUMP_IF(U32(DST) == U32(SRC));
	OP(JNE32_K): JUMP_IF(U32(DST) != U32(IMM));
	OP(JNE32_X): JUMP_IF(U32(DST) != U32(SRC));
	OP(JGT32_K): JUMP_IF(U32(DST) > U32(IMM));
	OP(JGT32_X): JUMP_IF(U32(DST) > U32(SRC));
	OP(JGE32_K): JUMP_IF(U32(DST) >= U32(IMM));
	OP(JGE32_X): JUMP_IF(U32(DST) >= U32(SRC));
	OP(JLT32_K): JUMP_IF(U32(DST) < U32(IMM));
	OP(JLT32_X): JUMP_IF(U32(DST) < U32(SRC));
	OP(JLE32_K): JUMP_IF(U32(DST) <= U32(IMM));
	OP(JLE32_X): JUMP_IF(U32(DST) <= U32(SRC));
	OP(JSET32_K): JUMP_IF(U32(DST) & U32(IMM));
	OP(JSET32_X): JUMP_IF(U32(DST) & U32(SRC));
	OP(JSGT32_K): JUMP_IF(S32(DST) > S32(IMM));
	OP(JSGT32_X): JUMP_IF(S32(DST) > S32(SRC));
	OP(JSGE32_K): JUMP_IF(S32(DST) >= S32(IMM));
	OP(JSGE32_X): JUMP_IF(S32(DST) >= S32(SRC));
	OP(JSLT32_K): JUMP_IF(S32(DST) < S32(IMM));
	OP(JSLT32_X): JUMP_IF(S32(DST) < S32(SRC));
	OP(JSLE32_K): JUMP_IF(S32(DST) <= S32(IMM));
	OP(JSLE32_X): JUMP_IF(S32(DST) <= S32(SRC));

	/* ---- calls ---- */

	/* CALL (src=0): r0 = helper(r1..r5); a helper may stop the program, and
	 * the unwind helper returning 0 ends it with r0 = 0 */
	OP(CALL_HELPER):
		R[0] = vm->helpers[IMM].fn(ctx, R[1], R[2], R[3], R[4], R[5]);
		if (unlikely(ctx->stopped)) {
			R[0] = ctx->stop_r0;
			goto out_exit;
		}
		if (unlikely(ip->off == vm->unwind_id && !R[0]))
			goto out_exit;
		NEXT;
	/* CALLX: the same for the helper whose number is in dst; a number no
	 * helper has is a fault */
	OP(CALLX):
		a64 = DST;
		h = vm_helper_find(vm, a64);
		if (unlikely(h < 0))
			goto fault_callx;
		R[0] = vm->helpers[h].fn(ctx, R[1], R[2], R[3], R[4], R[5]);
		if (unlikely(ctx->stopped)) {
			R[0] = ctx->stop_r0;
			goto out_exit;
		}
		if (unlikely((int64_t)a64 == vm->unwind_id && !R[0]))
			goto out_exit;
		NEXT;
	/* CALL (src=1): local call: save r6-r9, r10 and the return slot, give
	 * the callee the next 512-byte frame (r10 -= 512), pc = target */
	OP(CALL_LOCAL):
		if (unlikely(depth + 1 >= BPFKIT_MAX_FRAMES))
			goto fault_depth;
		frames[depth].ret = ip + 1;
		memcpy(frames[depth].saved, &R[6], sizeof(frames[depth].saved));
		depth++;
		R[10] -= BPFKIT_STACK_SIZE;
		ip = code + ip->off;
		DISPATCH();
	/* EXIT: return r0 from the program, or to the caller restoring r6-r10 */
	OP(EXIT):
		if (!depth)
			goto out_exit;
		depth--;
		memcpy(&R[6], frames[depth].saved, sizeof(frames[depth].saved));
		ip = frames[depth].ret;
		DISPATCH();
	/* INVALID: the second slot of an LDDW; validation makes it unreachable */
	OP(INVALID):
		f->kind = BPFKIT_FAULT_NO_PROGRAM;
		goto out_fault;

#ifndef VM_COMPUTED_GOTO
	default:
		f->kind = BPFKIT_FAULT_NO_PROGRAM;
		goto out_fault;
	}
#endif

fault_load:
	f->kind = BPFKIT_FAULT_LOAD;
	f->access = VM_ACCESS_LOAD;
	f->reg = ip->src;
	goto fault_mem;
fault_store:
	f->access = VM_ACCESS_STORE;
	goto fault_write;
fault_align:
	f->misaligned = true;
	/* fall through */
fault_atomic:
	f->access = VM_ACCESS_ATOMIC;
fault_write:
	f->kind = BPFKIT_FAULT_STORE;
	f->reg = ip->dst;
	f->readonly = !f->misaligned && vm_mem_check_slow(ctx, addr, ip->size, true) == 2;
fault_mem:
	f->addr = addr;
	f->size = ip->size;
	f->off = ip->off;
	goto out_fault;
fault_callx:
	f->kind = BPFKIT_FAULT_CALLX;
	f->reg = ip->dst;
	f->value = a64;
	goto out_fault;
fault_depth:
	f->kind = BPFKIT_FAULT_CALL_DEPTH;
	goto out_fault;
out_budget:
	f->kind = BPFKIT_FAULT_BUDGET;
	f->pc = (size_t)(ip - code);
	vm->insn_count = budget;
	return -1;
out_fault:
	f->pc = (size_t)(ip - code);
	vm->insn_count = budget - left;
	return -1;
out_exit:
	vm->insn_count = budget - left;
	*ret = R[0];
	return 0;

#undef MEM_OK
#undef HOST
#undef DST
#undef SRC
#undef IMM
#undef OP
#undef DISPATCH
#undef NEXT
#undef JUMP_IF
#undef LOAD
#undef STORE
}
