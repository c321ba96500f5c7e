/* SPDX-License-Identifier: MIT */
/**
 * @file vm.h
 * @brief The user-space eBPF virtual machine: load-time validation, the
 *        interpreter, helpers and run-time memory checks.
 *
 * Memory safety does not depend on a verifier: every load and store is
 * checked against the regions the VM granted for this run (input memory,
 * the stack, memory returned by helpers), and a fault stops the program
 * with the instruction index and the reason. Nothing here prints or exits.
 *
 * A bpfkit_vm owns its program copy and helper table; it is not safe to run
 * one vm from two threads at once (use one vm per thread).
 */
#ifndef BPFKIT_VM_H
#define BPFKIT_VM_H

#include <bpfkit/isa.h>

#ifdef __cplusplus
extern "C" {
#endif

struct bpfkit_vm;
struct bpfkit_vm_ctx; /* the state of one run, as helpers see it */

/** Why a run stopped early. */
enum bpfkit_fault {
	BPFKIT_FAULT_NONE = 0,
	BPFKIT_FAULT_LOAD, /* load from memory not granted */
	BPFKIT_FAULT_STORE, /* store to memory not granted or read-only */
	BPFKIT_FAULT_BUDGET, /* instruction budget exhausted */
	BPFKIT_FAULT_CALL_DEPTH, /* more than BPFKIT_MAX_FRAMES nested calls */
	BPFKIT_FAULT_HELPER, /* call to a helper number nobody registered */
	BPFKIT_FAULT_CALLX, /* callx through a register holding no valid target */
	BPFKIT_FAULT_NO_PROGRAM, /* run before a successful load */
};

/** Short name of a fault ("out-of-bounds load", ...). */
BPFKIT_API const char *bpfkit_fault_name(enum bpfkit_fault f);

/**
 * A helper, called with the kernel's convention: arguments in r1..r5,
 * result in r0, r1..r5 clobbered. @p ctx lets it grant memory it returns,
 * reach the user pointer, or stop the program.
 */
typedef uint64_t (*bpfkit_helper_fn)(struct bpfkit_vm_ctx *ctx, uint64_t r1, uint64_t r2,
				     uint64_t r3, uint64_t r4, uint64_t r5);

/** New VM with no program and no helpers; NULL with errno on failure. */
BPFKIT_API struct bpfkit_vm *bpfkit_vm__new(void);

/** Free a VM. Accepts NULL. */
BPFKIT_API void bpfkit_vm__free(struct bpfkit_vm *vm);

/** Register helper number @p id (replacing any earlier one). 0 or -errno. */
BPFKIT_API int bpfkit_vm__register_helper(struct bpfkit_vm *vm, uint32_t id, const char *name,
					  bpfkit_helper_fn fn);

/** When helper @p id returns 0, the program ends at once with r0 = 0
 *  (ubpf's "unwind" helper; the conformance suite uses id 5, see
 *  bpfkit_vm__register_test_helpers()). -1 = none. */
BPFKIT_API void bpfkit_vm__set_unwind_helper(struct bpfkit_vm *vm, int64_t id);

/**
 * Register the kernel helpers the VM implements, under their kernel
 * numbers: 1 bpf_map_lookup_elem, 2 bpf_map_update_elem, 3
 * bpf_map_delete_elem, 5 bpf_ktime_get_ns, 7 bpf_get_prandom_u32
 * (deterministic per VM), 8 bpf_get_smp_processor_id (bpfkit_vm__set_cpu()),
 * 87 bpf_map_push_elem, 88 bpf_map_pop_elem, 89 bpf_map_peek_elem,
 * 125 bpf_ktime_get_boot_ns, 130-134 bpf_ringbuf_output, _reserve,
 * _submit, _discard and _query, 160 bpf_ktime_get_coarse_ns,
 * 195 bpf_map_lookup_percpu_elem, 208 bpf_ktime_get_tai_ns (prototypes:
 * bpfkit_helper_proto()). A call to any other kernel helper is refused at
 * load by name. The set `bpfkit vm run` uses.
 * @return 0 or -errno.
 */
BPFKIT_API int bpfkit_vm__register_kernel_helpers(struct bpfkit_vm *vm);

/**
 * Register the test helpers of the bpf_conformance suite and uBPF's test
 * plugin instead: 0 gather_bytes, 1 memfrob, 2 no_op, 3 sqrti, 4 strcmp_ext,
 * 5 unwind (made the unwind helper), and 7 get_prandom_u32. Numbers 1-5 are
 * kernel helpers' numbers with other meanings (1 is bpf_map_lookup_elem, 5
 * bpf_ktime_get_ns): use this set only for programs written for the suite.
 * @return 0 or -errno.
 */
BPFKIT_API int bpfkit_vm__register_test_helpers(struct bpfkit_vm *vm);

/**
 * Validate and copy a program: known opcodes (the opcode table), valid
 * registers and reserved fields, no write to r10, jump and call targets
 * inside the program and not into the second slot of an LDDW, a complete
 * LDDW pair, every function ends in exit or an unconditional jump, helper
 * calls name registered helpers. Replaces any earlier program.
 * @return 0, or -EINVAL with the instruction index and reason in @p diag.
 */
BPFKIT_API int bpfkit_vm__load(struct bpfkit_vm *vm, const struct bpfkit_insn *insns, size_t len,
			       struct bpfkit_diag *diag);

/**
 * bpfkit_vm__load() for a program that may carry relocations (an ELF
 * object's map and global-data references, the assembler's `map[name]`):
 * the VM resolves none yet, so any relocation is refused naming the symbol
 * and the instruction ("lddw refers to map 'counts'..."), rather than run
 * with the unrelocated immediate.
 * @return 0, or -EINVAL with the instruction index and reason in @p diag.
 */
BPFKIT_API int bpfkit_vm__load_prog(struct bpfkit_vm *vm, const struct bpfkit_prog *prog,
				    struct bpfkit_diag *diag);

/** Limit each run to @p max instructions executed (0 = no limit). */
BPFKIT_API void bpfkit_vm__set_budget(struct bpfkit_vm *vm, uint64_t max);

/**
 * Run the loaded program with r1 = @p mem and r2 = @p mem_len (the input is
 * granted read-write for this run), r10 = top of the first stack frame.
 * @return 0 with r0 in *@p ret, or a negative errno for a fault
 *         (-EFAULT memory, -E2BIG budget, -ELOOP call depth, -ENOSYS helper,
 *         -EINVAL no program), with kind, index and reason in @p diag and
 *         the kind in *@p fault when non-NULL.
 */
BPFKIT_API int bpfkit_vm__run(struct bpfkit_vm *vm, void *mem, size_t mem_len, uint64_t *ret,
			      enum bpfkit_fault *fault, struct bpfkit_diag *diag);

/** Number of instructions the last run executed (0 for native code
 *  compiled with bpfkit_jit_opts.no_count and no budget to enforce). */
BPFKIT_API uint64_t bpfkit_vm__insn_count(const struct bpfkit_vm *vm);

/** An opaque pointer helpers can reach through bpfkit_vm_ctx__user(). */
BPFKIT_API void bpfkit_vm__set_user(struct bpfkit_vm *vm, void *user);

/* ---- The x86-64 JIT ---------------------------------------------------- */

/** Options of bpfkit_vm__jit_compile(); all false gives the defaults. */
struct bpfkit_jit_opts {
	/** Constant blinding: every immediate is emitted XORed with a fresh
	 *  random key and restored at run time, so constants chosen by the
	 *  program never appear as such in executable memory. */
	bool blind;
	/** Indirect calls (helpers, callx, the slow paths) go through a
	 *  retpoline thunk instead of an indirect call instruction. */
	bool retpoline;
	/** Do not count instructions where no budget has to be enforced (no
	 *  budget, or one the program cannot exhaust): one instruction less
	 *  per straight run of code, about 8% on a tight loop, for callers
	 *  that run a program many times (packets, benchmarks).
	 *  bpfkit_vm__insn_count() then returns 0. */
	bool no_count;
};

/**
 * Compile the loaded program to x86-64 code. From then on bpfkit_vm__run()
 * runs the native code, with the interpreter's results: the same r0, memory
 * checks against the same regions, the same faults (kind, instruction,
 * address, message) and the same instruction budget. The budget costs a
 * branch per straight run of code only where it can run out (a budget is
 * set and the program loops, calls, or is longer than the budget);
 * bpfkit_vm__set_budget() recompiles when that changes (falling back to the
 * interpreter if the recompile fails). The code lives until the next
 * bpfkit_vm__load(), bpfkit_vm__jit_off() or bpfkit_vm__free(). It is
 * written into read-write memory that is then made read-execute (never
 * both). A failed compile leaves the VM as it was.
 * @return 0; -EINVAL with the instruction index and reason in @p diag for a
 *         program the JIT refuses (or no program); -ENOMEM, or the errno of a
 *         failed mmap/mprotect; -EOPNOTSUPP on hosts other than x86-64.
 */
BPFKIT_API int bpfkit_vm__jit_compile(struct bpfkit_vm *vm, const struct bpfkit_jit_opts *opts,
				      struct bpfkit_diag *diag);

/** Drop the native code: runs use the interpreter again. Accepts NULL. */
BPFKIT_API void bpfkit_vm__jit_off(struct bpfkit_vm *vm);

/** The native code of a compiled program, for dumping. */
struct bpfkit_jit_code {
	const uint8_t *code; /* read-only view of the executable image */
	size_t len; /* bytes of code */
	size_t entry; /* offset of the entry point; before it, shared thunks */
	size_t stubs; /* offset of the out-of-line slow paths, after the last instruction */
	/** Native offset of each slot, ninsns + 1 entries (the last is the end
	 *  of the program's code). The second slot of an lddw repeats the
	 *  offset of the next instruction. */
	const uint32_t *insn_off;
	size_t ninsns;
};

/** Describe the native code. 0, or -ENOENT when the program is not
 *  compiled. The pointers stay valid until the code is dropped. */
BPFKIT_API int bpfkit_vm__jit_code(const struct bpfkit_vm *vm, struct bpfkit_jit_code *out);

/* ---- Maps (src/vm/map*.c) ------------------------------------------------ */

/**
 * A map with the kernel's semantics, shared by any number of VMs. The calls
 * below are the syscall view (BPF_MAP_LOOKUP_ELEM and friends: values are
 * copied in and out; a per-CPU value is @c ncpus values of
 * round_up(value_size, 8) bytes each); programs reach maps through the map
 * helpers. Each map has one lock: every operation (from a call here or a
 * helper in any thread) is atomic with respect to the others on the same
 * map, except that programs look up and update array elements without it,
 * as in the kernel (an update is a copy that a concurrent reader may see
 * half done). As in the kernel, a program writes a value through the pointer
 * bpf_map_lookup_elem() gave it without the lock, so concurrent writers of
 * one value race as they do in the kernel (use atomics); the memory of
 * values stays valid while the map lives (deleted elements are reused, as
 * in the kernel's preallocated maps). Nothing here prints.
 */
struct bpfkit_vm_map;

/** How to create a map: BPF_MAP_CREATE's attributes. */
struct bpfkit_map_attr {
	uint32_t type; /* enum bpfkit_map_type */
	uint32_t key_size;
	uint32_t value_size;
	uint32_t max_entries;
	uint32_t flags; /* BPFKIT_F_* */
	uint64_t map_extra; /* bloom_filter: the number of hash functions (0 = 5) */
	const char *name; /* copied; NULL = "" */
	unsigned ncpus; /* CPUs of per-CPU maps (0 = 1); ignored by the others */
};

/**
 * Create a map: array, percpu_array, hash, percpu_hash, lru_hash,
 * lru_percpu_hash, lpm_trie, queue, stack, bloom_filter or ringbuf (its
 * size, max_entries, a power of two and a multiple of 4096). Attributes are validated as the kernel's
 * map_alloc_check does.
 * @return the map, or NULL with errno: EINVAL (bad sizes, zero entries,
 *         unknown flags), E2BIG (a key or value too large), EOPNOTSUPP (a map
 *         type the VM does not have; LRU with BPFKIT_F_NO_PREALLOC, where the
 *         kernel says ENOTSUPP), ENOMEM.
 */
BPFKIT_API struct bpfkit_vm_map *bpfkit_vm_map__new(const struct bpfkit_map_attr *attr);

/** Free a map. Accepts NULL. No VM may use it any more. */
BPFKIT_API void bpfkit_vm_map__free(struct bpfkit_vm_map *map);

/** The attributes the map was created with (name and ncpus filled in). */
BPFKIT_API const struct bpfkit_map_attr *bpfkit_vm_map__attr(const struct bpfkit_vm_map *map);

/** Bytes of a value in the syscall view: value_size, or for per-CPU maps
 *  ncpus * round_up(value_size, 8). */
BPFKIT_API size_t bpfkit_vm_map__value_len(const struct bpfkit_vm_map *map);

/** Copy the value of @p key into @p value (bpfkit_vm_map__value_len()
 *  bytes); queue and stack: the next value out (peek, @p key NULL); an
 *  LPM trie: the value of the longest prefix matching @p key; a bloom
 *  filter: 0 when @p value may be in the set (@p key NULL).
 *  @return 0, -ENOENT (no such key, or empty; not in the bloom filter). */
BPFKIT_API int bpfkit_vm_map__lookup(struct bpfkit_vm_map *map, const void *key, void *value);

/** Create or replace: @p flags BPFKIT_ANY, BPFKIT_NOEXIST, BPFKIT_EXIST.
 *  Queue and stack push (@p key NULL; BPFKIT_EXIST overwrites the oldest
 *  value when full); a bloom filter adds @p value (@p key NULL, BPFKIT_ANY
 *  only); an LPM trie that is full says -ENOSPC, as the kernel's. @return 0, -EEXIST (NOEXIST and the key is there),
 *  -ENOENT (EXIST and it is not), -E2BIG (full, or an array index out of
 *  range), -EINVAL (bad flags; NOEXIST on a queue), -EPERM (a read-only map). */
BPFKIT_API int bpfkit_vm_map__update(struct bpfkit_vm_map *map, const void *key, const void *value,
				     uint64_t flags);

/** Delete @p key. @return 0, -ENOENT, or -EINVAL for arrays, queues and
 *  stacks (whose elements cannot be deleted). */
BPFKIT_API int bpfkit_vm_map__delete(struct bpfkit_vm_map *map, const void *key);

/** Copy the value of @p key out and delete it (hash maps); queue and
 *  stack: pop (@p key NULL). @return 0, -ENOENT, or -EOPNOTSUPP for the
 *  other types (the kernel's ENOTSUPP). */
BPFKIT_API int bpfkit_vm_map__lookup_and_delete(struct bpfkit_vm_map *map, const void *key,
						void *value);

/**
 * The key after @p key, the kernel's iteration: @p key NULL, or a key not
 * in the map, gives the first key; the last key gives -ENOENT. Arrays go
 * by index; hash maps by bucket, then chain (a deterministic order of
 * their own: the kernel's hash is seeded at random). @return 0, -ENOENT,
 * or -EINVAL for queues and stacks.
 */
BPFKIT_API int bpfkit_vm_map__next_key(struct bpfkit_vm_map *map, const void *key, void *next);

/** Queue and stack: copy the @p n-th value in the order pops would take
 *  them (0 = the next one), without taking it; for dumping. @return 0,
 *  -ENOENT (fewer values), -EINVAL (not a queue or stack). */
BPFKIT_API int bpfkit_vm_map__peek_nth(struct bpfkit_vm_map *map, uint32_t n, void *value);

/**
 * Ring buffer: call @p fn with each record submitted since the last
 * consume, in order (discarded records skipped), stopping at one still
 * reserved or when @p fn returns non-zero; the records read are freed.
 * @return the number of records given to @p fn, or -EINVAL (not a ring
 *         buffer).
 */
BPFKIT_API int bpfkit_vm_map__ringbuf_consume(struct bpfkit_vm_map *map,
					      int (*fn)(void *ctx, const void *data, size_t len),
					      void *ctx);

/**
 * Let the VM's programs reach @p map: relocations naming @p name (an ELF
 * object's map, the assembler's `map[name]`) resolve to it, and so does an
 * lddw with src 1 (BPF_PSEUDO_MAP_FD) or 2 (BPF_PSEUDO_MAP_VALUE) whose imm
 * is the number this returns (the map's "fd" in this VM: 0, 1, 2 ... in the
 * order of binding). The caller keeps ownership; the map must outlive the
 * VM's use of it. Bind before bpfkit_vm__load_prog().
 * @return the fd (>= 0), or -EINVAL, -EEXIST (the name is bound), -ENOMEM.
 */
BPFKIT_API int bpfkit_vm__bind_map(struct bpfkit_vm *vm, const char *name, struct bpfkit_vm_map *map);

/**
 * Let relocations naming variable @p name reach offset @p off of the value
 * of global-data map @p fd (an array of one element bound before): an ELF
 * object's named globals. @return 0, -EINVAL, -ENOMEM.
 */
BPFKIT_API int bpfkit_vm__bind_var(struct bpfkit_vm *vm, const char *name, int fd, uint64_t off);

/**
 * Create the maps @p maps describes (bpfkit_elf_maps(): an object's maps
 * and global data), owned by the VM and freed with it, each bound under its
 * name (fds in the order of @p maps, after any bound before), global data
 * set from its section's bytes and its variables bound by name. Per-CPU
 * maps get @p ncpus values (0 = 1).
 * @return 0, or a negative errno with @p diag naming the map and its
 *         section ("map 'counts' (section .maps): type lpm_trie is not
 *         supported by the VM").
 */
BPFKIT_API int bpfkit_vm__create_maps(struct bpfkit_vm *vm, const struct bpfkit_map_desc *maps,
				      size_t n, unsigned ncpus, struct bpfkit_diag *diag);

/** Number of maps bound to the VM (the fds are 0 .. n-1). */
BPFKIT_API size_t bpfkit_vm__nmaps(const struct bpfkit_vm *vm);

/** The map bound as @p fd and (when @p name is non-NULL) its name; NULL
 *  when there is none. */
BPFKIT_API struct bpfkit_vm_map *bpfkit_vm__map(const struct bpfkit_vm *vm, int fd,
						const char **name);

/** The CPU programs run on: what bpf_get_smp_processor_id() returns and
 *  whose values of per-CPU maps the map helpers use (default 0). */
BPFKIT_API void bpfkit_vm__set_cpu(struct bpfkit_vm *vm, unsigned cpu);

/* ---- For helpers, during a run ------------------------------------------ */

/** Grant the program access to [p, p+len) for the rest of this run (e.g.
 *  the value a map lookup returns). 0, or -ENOSPC when the region table is
 *  full. */
BPFKIT_API int bpfkit_vm_ctx__grant(struct bpfkit_vm_ctx *ctx, void *p, size_t len, bool writable);

/** Is [p, p+len) inside memory the program may read (or write)? Helpers use
 *  it to check pointer arguments before touching them. */
BPFKIT_API bool bpfkit_vm_ctx__check(struct bpfkit_vm_ctx *ctx, uint64_t p, size_t len, bool write);

/** The pointer given to bpfkit_vm__set_user(). */
BPFKIT_API void *bpfkit_vm_ctx__user(struct bpfkit_vm_ctx *ctx);

/** End the program as soon as the calling helper returns, with r0 = @p r0
 *  (as if it had executed exit in the main program). */
BPFKIT_API void bpfkit_vm_ctx__stop(struct bpfkit_vm_ctx *ctx, uint64_t r0);

#ifdef __cplusplus
}
#endif

#endif /* BPFKIT_VM_H */
