/* SPDX-License-Identifier: MIT */
/*
 * Private to src/vm/: the VM object, the pre-decoded instruction form the
 * interpreter runs, memory regions, and the functions the VM's files share
 * (module prefix vm_). Nothing here is part of the public API.
 *
 * Flow: bpfkit_vm__load() (validate.c) checks the program against the
 * opcode table and translates each slot into a struct vm_insn with one
 * handler number per operation variant; bpfkit_vm__run() (interp.c) runs
 * that form, checking every memory access against the regions in
 * struct bpfkit_vm_ctx (mem.c).
 */
#ifndef BPFKIT_VM_INT_H
#define BPFKIT_VM_INT_H

#include <stdint.h>

#include <bpfkit/vm.h>

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* Program length limit, in slots (the kernel's BPF_COMPLEXITY_LIMIT_INSNS). */
#define VM_MAX_SLOTS 1000000
/* Regions a run can hold: the stack, the input, and helper grants. */
#define VM_MAX_REGIONS 64
#define VM_STACK_TOTAL (BPFKIT_MAX_FRAMES * BPFKIT_STACK_SIZE)

/*
 * Every handler of the interpreter, one per operation variant. The enum,
 * the computed-goto label table and the handler names for debugging are all
 * generated from this list, so a handler cannot be forgotten in one of them.
 */
#define VM_OPS(X)                                                                        \
	X(INVALID)                                                                       \
	/* ALU64 */                                                                      \
	X(ADD64_K) X(ADD64_X) X(SUB64_K) X(SUB64_X) X(MUL64_K) X(MUL64_X)                \
	X(DIV64_K) X(DIV64_X) X(SDIV64_K) X(SDIV64_X) X(MOD64_K) X(MOD64_X)              \
	X(SMOD64_K) X(SMOD64_X) X(OR64_K) X(OR64_X) X(AND64_K) X(AND64_X)                \
	X(LSH64_K) X(LSH64_X) X(RSH64_K) X(RSH64_X) X(ARSH64_K) X(ARSH64_X)              \
	X(XOR64_K) X(XOR64_X) X(MOV64_K) X(MOV64_X) X(NEG64)                             \
	X(MOVSX64_8) X(MOVSX64_16) X(MOVSX64_32)                                         \
	/* ALU32 */                                                                      \
	X(ADD32_K) X(ADD32_X) X(SUB32_K) X(SUB32_X) X(MUL32_K) X(MUL32_X)                \
	X(DIV32_K) X(DIV32_X) X(SDIV32_K) X(SDIV32_X) X(MOD32_K) X(MOD32_X)              \
	X(SMOD32_K) X(SMOD32_X) X(OR32_K) X(OR32_X) X(AND32_K) X(AND32_X)                \
	X(LSH32_K) X(LSH32_X) X(RSH32_K) X(RSH32_X) X(ARSH32_K) X(ARSH32_X)              \
	X(XOR32_K) X(XOR32_X) X(MOV32_K) X(MOV32_X) X(NEG32)                             \
	X(MOVSX32_8) X(MOVSX32_16)                                                       \
	/* byte order, resolved for the host at load time */                            \
	X(ZEXT16) X(ZEXT32) X(NOP) X(BSWAP16) X(BSWAP32) X(BSWAP64)                      \
	/* loads and stores */                                                           \
	X(LDDW) X(LDXB) X(LDXH) X(LDXW) X(LDXDW) X(LDXSB) X(LDXSH) X(LDXSW)              \
	X(STB) X(STH) X(STW) X(STDW) X(STXB) X(STXH) X(STXW) X(STXDW)                    \
	X(ATOMIC32) X(ATOMIC64) X(LD_ABS) X(LD_IND)                                      \
	/* jumps, 64-bit compare */                                                      \
	X(JA) X(JEQ_K) X(JEQ_X) X(JNE_K) X(JNE_X) X(JGT_K) X(JGT_X) X(JGE_K) X(JGE_X)    \
	X(JLT_K) X(JLT_X) X(JLE_K) X(JLE_X) X(JSET_K) X(JSET_X)                          \
	X(JSGT_K) X(JSGT_X) X(JSGE_K) X(JSGE_X) X(JSLT_K) X(JSLT_X) X(JSLE_K) X(JSLE_X)  \
	/* jumps, 32-bit compare */                                                      \
	X(JEQ32_K) X(JEQ32_X) X(JNE32_K) X(JNE32_X) X(JGT32_K) X(JGT32_X)                \
	X(JGE32_K) X(JGE32_X) X(JLT32_K) X(JLT32_X) X(JLE32_K) X(JLE32_X)                \
	X(JSET32_K) X(JSET32_X) X(JSGT32_K) X(JSGT32_X) X(JSGE32_K) X(JSGE32_X)          \
	X(JSLT32_K) X(JSLT32_X) X(JSLE32_K) X(JSLE32_X)                                  \
	/* calls */                                                                      \
	X(CALL_HELPER) X(CALL_LOCAL) X(CALLX) X(EXIT)

enum vm_op {
#define VM_OP_ENUM(name) VM_##name,
	VM_OPS(VM_OP_ENUM)
#undef VM_OP_ENUM
	VM_NOPS
};

/*
 * One pre-decoded slot (16 bytes). Immediates are already sign-extended
 * (or masked, for shifts), jump and call targets are absolute slot indexes,
 * helper calls carry the index of the helper in the VM's table.
 *   op    enum vm_op
 *   dst   destination register (or base register of a store)
 *   src   source register (or base register of a load)
 *   size  access size in bytes for memory operations
 *   off   memory offset, or the jump/call target slot
 *   imm   immediate, LDDW value, atomic operation, helper index
 */
struct vm_insn {
	uint8_t op;
	uint8_t dst;
	uint8_t src;
	uint8_t size;
	int32_t off;
	uint64_t imm;
};

struct vm_jit;

struct vm_helper {
	uint32_t id;
	char *name;
	bpfkit_helper_fn fn;
};

/* A block of memory the program may touch: [base, base + len). */
struct vm_region {
	uint64_t base;
	uint64_t len;
	bool writable;
};

/* Indexes of the fixed regions in bpfkit_vm_ctx.regions. */
#define VM_REGION_STACK 0
#define VM_REGION_INPUT 1
#define VM_REGION_GRANTS 2

/* The state of one run as helpers see it. */
struct bpfkit_vm_ctx {
	struct bpfkit_vm *vm;
	struct vm_region regions[VM_MAX_REGIONS];
	unsigned nregions;
	unsigned last_hit; /* grant that satisfied the last slow-path check */
	bool stopped; /* a helper called bpfkit_vm_ctx__stop() */
	uint64_t stop_r0;
};

/* A map bound to the VM (bpfkit_vm__bind_map); its fd is its index. */
struct vm_bound_map {
	char *name;
	struct bpfkit_vm_map *map; /* owned when @c owned (bpfkit_vm__create_maps) */
	bool owned;
	bool direct; /* the loaded program addresses its value (BPF_PSEUDO_MAP_VALUE) */
	bool granted; /* its values are granted to the current run */
};

/* A named variable of a global-data map (bpfkit_vm__bind_var). */
struct vm_var {
	char *name;
	int fd;
	uint64_t off;
};

struct bpfkit_vm {
	struct vm_insn *code; /* pre-decoded program, one entry per slot */
	size_t len;
	struct vm_helper *helpers;
	size_t nhelpers, helpers_cap;
	int64_t unwind_id; /* -1 = none */
	uint64_t budget; /* 0 = unlimited */
	uint64_t insn_count; /* executed by the last run */
	void *user;
	uint64_t prng; /* state of the default prandom helper */
	struct vm_jit *jit; /* native code of the program (jit.c), or NULL */
	struct vm_bound_map *maps;
	size_t nmaps, maps_cap;
	struct vm_var *vars;
	size_t nvars, vars_cap;
	unsigned cpu; /* bpfkit_vm__set_cpu() */
	size_t stack_bound; /* bytes below the top the loaded program can write */
	size_t stack_dirty; /* bytes below the top that may be nonzero now */
	struct bpfkit_vm_ctx ctx;
	/* All frames' stacks, frame 0 at the top; 16-byte aligned so that host
	 * alignment equals the program's view of alignment. */
	uint8_t stack[VM_STACK_TOTAL] __attribute__((aligned(16)));
};

/* What went wrong in a run, recorded in the hot loop and turned into text
 * later (vm_fault_describe) so that the interpreter stays small. */
enum vm_access {
	VM_ACCESS_LOAD,
	VM_ACCESS_STORE,
	VM_ACCESS_ATOMIC,
};

struct vm_fault_info {
	enum bpfkit_fault kind;
	size_t pc; /* slot index */
	enum vm_access access;
	bool misaligned; /* atomic at an address not a multiple of its size */
	bool readonly; /* store hit a region that is not writable */
	uint64_t addr;
	uint32_t size;
	uint8_t reg; /* base register of the access, or callx register */
	int32_t off;
	uint64_t value; /* callx: register value */
};

/* validate.c: check @p insns and build vm->code. */
int vm_validate(struct bpfkit_vm *vm, const struct bpfkit_insn *insns, size_t len,
		struct bpfkit_diag *diag);

/* vm_maps.c: resolve map references (relocations, lddw src 1/2) in a copy
 * of the program; grant the values of maps the program addresses directly
 * at the start of a run; the bound map a helper's argument names (NULL
 * when it names none); free the bindings. */
int vm_maps_resolve(struct bpfkit_vm *vm, const struct bpfkit_insn *insns, size_t len,
		    const struct bpfkit_reloc *relocs, size_t nrelocs, struct bpfkit_insn **out,
		    struct bpfkit_diag *diag);
int vm_maps_begin_run(struct bpfkit_vm *vm);
struct vm_bound_map *vm_maps_arg(struct bpfkit_vm *vm, uint64_t arg);
void vm_maps_free(struct bpfkit_vm *vm);

/* vm.c: index of helper @p id in vm->helpers, or -1. */
long vm_helper_find(const struct bpfkit_vm *vm, uint64_t id);

/* A helper of one of the VM's own sets (helpers_test.c, helpers_kern.c). */
struct vm_helper_def {
	uint32_t id;
	const char *name;
	bpfkit_helper_fn fn;
};

/* vm.c: register every helper of a set; 0 or the first -errno. */
int vm_register_helpers(struct bpfkit_vm *vm, const struct vm_helper_def *defs, size_t n);

/* helpers_test.c: get_prandom_u32, in both sets (deterministic per VM). */
uint64_t vm_h_prandom_u32(struct bpfkit_vm_ctx *ctx, uint64_t a, uint64_t b, uint64_t c,
			  uint64_t d, uint64_t e);

/* mem.c: regions for a new run, the slow path of the access check, and the
 * text of a fault. */
void vm_mem_begin(struct bpfkit_vm_ctx *ctx, struct bpfkit_vm *vm, void *mem, size_t mem_len);
size_t vm_stack_bound(const struct bpfkit_vm *vm);
/* 0 = allowed, 1 = no region, 2 = region is read-only */
int vm_mem_check_slow(struct bpfkit_vm_ctx *ctx, uint64_t addr, uint64_t size, bool write);
int vm_fault_describe(const struct bpfkit_vm *vm, const struct vm_fault_info *f,
		      struct bpfkit_diag *diag);

/* Is [addr, addr + size) inside @p r? Overflow-safe: addr - base wraps to a
 * huge value when addr < base, and len - size is only taken when len >= size. */
static inline bool vm_region_has(const struct vm_region *r, uint64_t addr, uint64_t size)
{
	return r->len >= size && addr - r->base <= r->len - size;
}

/* A local call in progress: where its exit returns and the caller's r6-r10. */
struct vm_frame {
	size_t ret; /* slot */
	uint64_t saved[5];
};

/* interp.c: run from slot 0 with r1, r2 and the whole budget, or (for the
 * JIT's hand-over) from slot @p pc with registers @p regs, the @p nframes
 * calls in progress (outermost first) and @p left instructions of the
 * budget left. */
int vm_interp(struct bpfkit_vm *vm, uint64_t r1, uint64_t r2, uint64_t *ret,
	      struct vm_fault_info *fault);
int vm_interp_at(struct bpfkit_vm *vm, const uint64_t regs[BPFKIT_NREGS], size_t pc,
		 const struct vm_frame *frames, unsigned nframes, uint64_t left, uint64_t *ret,
		 struct vm_fault_info *fault);

/* jit.c: free native code (accepts NULL); run it, with vm_interp()'s contract. */
struct vm_jit;
void vm_jit_free(struct vm_jit *jit);
void vm_jit_budget_changed(struct bpfkit_vm *vm);
int vm_jit_exec(struct bpfkit_vm *vm, uint64_t r1, uint64_t r2, uint64_t *ret,
		struct vm_fault_info *fault);

#endif
