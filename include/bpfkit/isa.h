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
#include <stdio.h>

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

/** Widest source excerpt bpfkit_diag__print_source() prints, in characters. */
#define BPFKIT_DIAG_WIDTH 100

/**
 * Print line @p line (1-based) of @p src and a caret under it, the way
 * compilers do: '^' at byte column @p col (1-based), '~' under the rest of
 * the @p span bytes it covers on that line. A line longer than
 * BPFKIT_DIAG_WIDTH characters is cut to a window around the caret, each cut
 * end marked "...", so a one-line 200 KB script prints two short lines.
 * Tabs are copied into the caret's indent and a UTF-8 sequence counts as one
 * column, so the caret stays under its character; a '\r' before the newline
 * is left out. Every diagnostic printer of bpfkit goes through here.
 * @param color  colour the caret with ANSI escapes
 * @return 0, -ENOENT if @p src has no such line, -EIO if writing failed
 */
BPFKIT_API int bpfkit_diag__print_source(FILE *out, const char *src, size_t len, int line, int col, int span,
					 bool color);

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

/** A slot as the 64-bit little-endian word that holds it (the form the
 *  conformance suite's `-- raw` sections and `.8byte` lines write). */
static inline uint64_t bpfkit_insn__word(const struct bpfkit_insn *insn)
{
	return (uint64_t)insn->code | (uint64_t)insn->dst << 8 | (uint64_t)insn->src << 12 |
	       (uint64_t)(uint16_t)insn->off << 16 | (uint64_t)(uint32_t)insn->imm << 32;
}

/** The slot a 64-bit word holds; the inverse of bpfkit_insn__word(). */
static inline struct bpfkit_insn bpfkit_insn__from_word(uint64_t w)
{
	struct bpfkit_insn insn = {
		.code = (uint8_t)w,
		.dst = (uint8_t)(w >> 8) & 0xf,
		.src = (uint8_t)(w >> 12) & 0xf,
		.off = (int16_t)(uint16_t)(w >> 16),
		.imm = (int32_t)(uint32_t)(w >> 32),
	};
	return insn;
}

/** Number of slots the instruction starting with @p insn takes (2 for LDDW). */
static inline int bpfkit_insn__slots(const struct bpfkit_insn *insn)
{
	return insn->code == BPFKIT_OP_LDDW ? 2 : 1;
}

/* ---- Programs ---------------------------------------------------------- */

/** A named place in a program: a label, a function, or a jump target. */
struct bpfkit_sym {
	char *name;
	size_t insn; /* slot index */
};

/** Relocation kinds: what a symbolic reference at an instruction means. */
enum bpfkit_reloc_kind {
	BPFKIT_RELOC_MAP, /* lddw: address/fd of map @name (src = MAP_FD/MAP_IDX) */
	BPFKIT_RELOC_MAP_VALUE, /* lddw: address of a map's value (global data) + imm */
	BPFKIT_RELOC_CALL, /* call local: target function @name */
	BPFKIT_RELOC_FUNC, /* lddw src=FUNC: address of function @name */
	BPFKIT_RELOC_OTHER, /* anything else an ELF object carried (name kept) */
};

/** A symbolic reference at an instruction (from an ELF relocation or from
 *  assembler text such as `r1 = map[name] ll`). */
struct bpfkit_reloc {
	size_t insn; /* slot index */
	enum bpfkit_reloc_kind kind;
	char *name; /* symbol the reference is to */
};

/**
 * A program: instructions plus what a person needs to read them again.
 * Produced by the assembler, the raw/hex readers and the ELF reader; every
 * array is owned by the program and freed by bpfkit_prog__free().
 */
struct bpfkit_prog {
	char *name; /* ELF section or function name, file name, or NULL */
	char *section; /* ELF section of a program named by its function, or NULL */
	struct bpfkit_insn *insns;
	size_t len; /* number of slots (LDDW counts 2) */
	int *lines; /* source line of each slot, 1-based (0 = unknown), or NULL */
	struct bpfkit_sym *syms; /* labels and functions, sorted by insn */
	size_t nsyms;
	struct bpfkit_reloc *relocs; /* sorted by insn */
	size_t nrelocs;
};

/** Free a program and everything it owns. Accepts NULL. */
BPFKIT_API void bpfkit_prog__free(struct bpfkit_prog *prog);

/* ---- Assembler (src/isa/asm*.c) ----------------------------------------- */

enum bpfkit_dialect {
	BPFKIT_DIALECT_AUTO = 0, /* assembler: per line; disassembler: CONF */
	BPFKIT_DIALECT_CONF, /* conformance / ubpf: mov32 %r0, 1; ldxdw %r0, [%r1+8] */
	BPFKIT_DIALECT_KERN, /* verifier log / llvm-objdump: w0 = 1; r0 = *(u64 *)(r1 + 8) */
};

/**
 * Assemble @p text (not necessarily NUL-terminated) into a new program.
 * Labels (`name:`) and `#`/`;`/`//` comments are accepted in both dialects;
 * with BPFKIT_DIALECT_AUTO each line is recognised on its own.
 * @return 0 and *@p out, or a negative errno with line:col in @p diag.
 */
BPFKIT_API int bpfkit_asm(const char *text, size_t len, enum bpfkit_dialect dialect,
			  struct bpfkit_prog **out, struct bpfkit_diag *diag);

/* ---- Disassembler (src/isa/disasm*.c) ------------------------------------ */

struct bpfkit_disasm_opts {
	enum bpfkit_dialect dialect; /* CONF or KERN (AUTO = CONF) */
	bool offsets; /* prefix lines with the slot index, as "  12: " */
	bool bytes; /* show each slot's 8 bytes in hex */
	bool no_labels; /* print jump targets as +off instead of labels */
};

/**
 * Disassemble a whole program to text, one instruction per line, with
 * labels for jump and call targets, helper names, and relocations shown by
 * symbol name. Undecodable slots are printed as `.8byte 0x...` with a
 * comment rather than refused, so damaged programs can be inspected.
 * @return malloc'd NUL-terminated text (caller frees), or NULL with errno.
 */
BPFKIT_API char *bpfkit_disasm(const struct bpfkit_prog *prog, const struct bpfkit_disasm_opts *opts);

/**
 * Format the one instruction at @p insns[0] (LDDW reads insns[1] when
 * @p avail >= 2) into @p buf without labels. Returns the number of slots
 * consumed (1 or 2), or a negative errno if it does not decode.
 */
BPFKIT_API int bpfkit_disasm_insn(const struct bpfkit_insn *insns, size_t avail,
				  enum bpfkit_dialect dialect, char *buf, size_t size);

/** Name of kernel helper @p id ("map_lookup_elem"), or NULL if unknown. */
BPFKIT_API const char *bpfkit_helper_name(int32_t id);

/** Id of kernel helper @p name, with or without "bpf_", or -1. */
BPFKIT_API int32_t bpfkit_helper_id(const char *name);

/**
 * What a helper argument must be, as the kernel's verifier classifies it
 * (enum bpf_arg_type, the kinds the VM's helpers use). The table of
 * prototypes is for the verifier to come; the VM's helpers check their
 * pointer arguments at run time against the memory of the run.
 */
enum bpfkit_arg_kind {
	BPFKIT_ARG_NONE = 0, /* no such argument */
	BPFKIT_ARG_ANYTHING, /* any scalar */
	BPFKIT_ARG_CONST_MAP_PTR, /* a map reference (lddw map) */
	BPFKIT_ARG_PTR_TO_MAP_KEY, /* key_size readable bytes */
	BPFKIT_ARG_PTR_TO_MAP_VALUE, /* value_size readable bytes */
	BPFKIT_ARG_PTR_TO_UNINIT_MAP_VALUE, /* value_size writable bytes */
	BPFKIT_ARG_PTR_TO_MEM, /* readable memory, size in the next argument */
	BPFKIT_ARG_PTR_TO_UNINIT_MEM, /* writable memory, size in the next argument */
	BPFKIT_ARG_CONST_SIZE, /* size of the memory before, > 0 */
	BPFKIT_ARG_CONST_SIZE_OR_ZERO, /* size of the memory before, >= 0 */
	BPFKIT_ARG_PTR_TO_CTX, /* the program's context */
	BPFKIT_ARG_CONST_ALLOC_SIZE_OR_ZERO, /* a constant size of memory to allocate */
	BPFKIT_ARG_PTR_TO_RINGBUF_MEM, /* a record bpf_ringbuf_reserve returned */
};

/** What a helper returns (enum bpf_return_type). */
enum bpfkit_ret_kind {
	BPFKIT_RET_INTEGER = 0, /* a scalar */
	BPFKIT_RET_VOID,
	BPFKIT_RET_PTR_TO_MAP_VALUE_OR_NULL, /* value_size bytes of the map in r1, or NULL */
	BPFKIT_RET_PTR_TO_RINGBUF_MEM_OR_NULL, /* a ring buffer record of r2 bytes, or NULL */
};

/** A helper's prototype: its return kind and up to five argument kinds. */
struct bpfkit_helper_proto {
	enum bpfkit_ret_kind ret;
	enum bpfkit_arg_kind arg[5];
};

/** The prototype of kernel helper @p id, or NULL for helpers not described
 *  yet (the helpers the VM implements are). */
BPFKIT_API const struct bpfkit_helper_proto *bpfkit_helper_proto(int32_t id);

/* ---- Maps: types and descriptions (src/isa/maps.c, elf_maps.c) ------------ */

/** Map types, by the kernel's numbers (enum bpf_map_type). */
enum bpfkit_map_type {
	BPFKIT_MAP_UNSPEC = 0,
	BPFKIT_MAP_HASH = 1,
	BPFKIT_MAP_ARRAY = 2,
	BPFKIT_MAP_PROG_ARRAY = 3,
	BPFKIT_MAP_PERF_EVENT_ARRAY = 4,
	BPFKIT_MAP_PERCPU_HASH = 5,
	BPFKIT_MAP_PERCPU_ARRAY = 6,
	BPFKIT_MAP_STACK_TRACE = 7,
	BPFKIT_MAP_CGROUP_ARRAY = 8,
	BPFKIT_MAP_LRU_HASH = 9,
	BPFKIT_MAP_LRU_PERCPU_HASH = 10,
	BPFKIT_MAP_LPM_TRIE = 11,
	BPFKIT_MAP_ARRAY_OF_MAPS = 12,
	BPFKIT_MAP_HASH_OF_MAPS = 13,
	BPFKIT_MAP_QUEUE = 22,
	BPFKIT_MAP_STACK = 23,
	BPFKIT_MAP_RINGBUF = 27,
	BPFKIT_MAP_BLOOM_FILTER = 30,
};

/* Update flags (BPF_ANY, BPF_NOEXIST, BPF_EXIST, BPF_F_LOCK) */
#define BPFKIT_ANY 0
#define BPFKIT_NOEXIST 1
#define BPFKIT_EXIST 2
#define BPFKIT_F_LOCK 4

/* Map creation flags (the kernel's BPF_F_*) */
#define BPFKIT_F_NO_PREALLOC 0x1
#define BPFKIT_F_NO_COMMON_LRU 0x2
#define BPFKIT_F_NUMA_NODE 0x4
#define BPFKIT_F_RDONLY 0x8
#define BPFKIT_F_WRONLY 0x10
#define BPFKIT_F_ZERO_SEED 0x40
#define BPFKIT_F_RDONLY_PROG 0x80
#define BPFKIT_F_WRONLY_PROG 0x100
#define BPFKIT_F_MMAPABLE 0x400
#define BPFKIT_F_PRESERVE_ELEMS 0x800
#define BPFKIT_F_INNER_MAP 0x1000

/** bpftool's name of map type @p type ("hash", "percpu_array", ...), or
 *  NULL for a number the kernel does not define. */
BPFKIT_API const char *bpfkit_map_type_name(uint32_t type);

/** A variable inside a global-data map: its symbol and its offset. */
struct bpfkit_map_var {
	char *name;
	uint64_t off;
};

/**
 * A map an object defines: from BTF-defined `.maps`, a legacy `maps`
 * section (struct bpf_map_def), or global data (`.data*`, `.rodata*`,
 * `.bss*`: an array of one element whose value is the section, named after
 * the section, its bytes in @p init). Relocations name a map by @p name, or
 * a variable of a global-data map by one of its @p vars.
 */
struct bpfkit_map_desc {
	char *name;
	char *section; /* where it was defined: ".maps", "maps", ".data", ... */
	uint32_t type; /* enum bpfkit_map_type */
	uint32_t key_size;
	uint32_t value_size;
	uint32_t max_entries;
	uint32_t flags; /* BPFKIT_F_*; .rodata carries BPFKIT_F_RDONLY_PROG */
	uint64_t map_extra; /* BTF-defined maps' map_extra (bloom filters' hash count) */
	uint8_t *init; /* initial value of element 0 (global data), or NULL */
	size_t init_len;
	struct bpfkit_map_var *vars; /* global data: named variables */
	size_t nvars;
};

/** Free an array of @p n map descriptions. Accepts NULL. */
BPFKIT_API void bpfkit_map_descs__free(struct bpfkit_map_desc *maps, size_t n);

/**
 * The maps an ELF object defines: BTF-defined maps in `.maps` (read from
 * the object's .BTF as libbpf's parse_btf_map_def does: type, key/value by
 * size or by type, max_entries, map_flags), legacy `maps` sections (struct
 * bpf_map_def: type, key_size, value_size, max_entries, map_flags), and
 * global data sections. A definition bpfkit cannot take (map-in-map
 * initialisers, an unknown attribute, a truncated bpf_map_def) is an error
 * naming the section and the map.
 * @return 0 with a malloc'd array (bpfkit_map_descs__free()), possibly
 *         empty, or a negative errno with @p diag.
 */
BPFKIT_API int bpfkit_elf_maps(const void *buf, size_t len, struct bpfkit_map_desc **maps,
			       size_t *nmaps, struct bpfkit_diag *diag);

/* ---- Program I/O: raw, hex, .data files (src/isa/progio.c, datafile.c) ---- */

enum bpfkit_fmt {
	BPFKIT_FMT_AUTO = 0,
	BPFKIT_FMT_ASM, /* assembler text, either dialect */
	BPFKIT_FMT_RAW, /* 8-byte little-endian instruction slots */
	BPFKIT_FMT_HEX, /* hex bytes, or 0x-prefixed 64-bit words one per line */
	BPFKIT_FMT_DATA, /* a bpf_conformance .data file */
	BPFKIT_FMT_ELF, /* an ELF object (eBPF machine) */
};

/** Guess the format of @p buf (ELF magic, .data sections, hex, text, else raw). */
BPFKIT_API enum bpfkit_fmt bpfkit_fmt_detect(const void *buf, size_t len);

/** Name of a format ("asm", "raw", ...), and back (-1 when unknown). */
BPFKIT_API const char *bpfkit_fmt_name(enum bpfkit_fmt fmt);
BPFKIT_API int bpfkit_fmt_parse(const char *name);

/** Instructions from raw little-endian bytes; len must be a multiple of 8. */
BPFKIT_API int bpfkit_prog__from_raw(const void *buf, size_t len, struct bpfkit_prog **out,
				     struct bpfkit_diag *diag);

/** Instructions from hex text: either a byte string ("b7 00 00 00 ...") or
 *  64-bit words as the conformance suite's `-- raw` writes them. */
BPFKIT_API int bpfkit_prog__from_hex(const char *text, size_t len, struct bpfkit_prog **out,
				     struct bpfkit_diag *diag);

/** Write a program's slots as raw little-endian bytes (malloc'd). */
BPFKIT_API int bpfkit_prog__to_raw(const struct bpfkit_prog *prog, void **buf, size_t *len);

/** A parsed bpf_conformance .data file (see shared/bpf-conformance/README.md). */
struct bpfkit_datafile {
	char *asm_text; /* the `-- asm` section, or NULL */
	int asm_line; /* line of the file where asm_text starts (for diagnostics) */
	struct bpfkit_prog *raw; /* the `-- raw` section, or NULL */
	uint8_t *mem; /* the `-- mem` bytes, or NULL */
	size_t mem_len;
	bool has_result;
	uint64_t result; /* `-- result` */
	bool expect_error; /* `-- error` */
	char *error_text; /* the text after `-- error` (trimmed), or NULL */
};

/** Parse a .data file. Unknown sections are an error naming their line. */
BPFKIT_API int bpfkit_datafile__parse(const char *text, size_t len, struct bpfkit_datafile **out,
				      struct bpfkit_diag *diag);
BPFKIT_API void bpfkit_datafile__free(struct bpfkit_datafile *df);

/**
 * Load program(s) from a buffer in any format. For ELF, every executable
 * section with instructions becomes one program; for the rest, one program.
 * @p progs is a malloc'd array of @p nprogs programs; free each with
 * bpfkit_prog__free() and the array with free(). For .data files the memory
 * and expected result are ignored (use bpfkit_datafile__parse for those).
 */
BPFKIT_API int bpfkit_prog__load_any(const void *buf, size_t len, enum bpfkit_fmt fmt,
				     enum bpfkit_dialect dialect, struct bpfkit_prog ***progs,
				     size_t *nprogs, struct bpfkit_diag *diag);

/* ---- ELF objects (src/isa/elf_read.c, elf_write.c; libelf) ---------------- */

/**
 * Read the eBPF programs of an ELF object (as clang -target bpf writes it):
 * one program per executable section with instructions, named after the
 * section, with function symbols as syms and relocations resolved to symbol
 * names (maps, global data, local calls). Errors name the section.
 */
BPFKIT_API int bpfkit_elf_read(const void *buf, size_t len, struct bpfkit_prog ***progs,
			       size_t *nprogs, struct bpfkit_diag *diag);

/**
 * The programs of an ELF object as libbpf names them, ready to run: one per
 * function in an executable section other than .text, named by the function
 * (->name) and its section (->section); a section without function symbols
 * is one program named by the section. Functions in .text are subprograms,
 * not programs: each program is its function followed by every subprogram
 * it calls, transitively, with the calls fixed up, as libbpf links them.
 * Other relocations (maps, global data) are kept, at their slots in the
 * program. -ENOENT when there is no program (all functions in .text).
 */
BPFKIT_API int bpfkit_elf_programs(const void *buf, size_t len, struct bpfkit_prog ***progs,
				   size_t *nprogs, struct bpfkit_diag *diag);

/**
 * Write programs as a relocatable ELF object (EM_BPF, little-endian) that
 * llvm-objdump -d and libbpf read: one executable section per program (its
 * name, default "prog"), a symbol per function/label, a "license" section,
 * and, for map references, relocations against named map symbols.
 * @return 0 and a malloc'd buffer, or a negative errno with @p diag.
 */
BPFKIT_API int bpfkit_elf_write(struct bpfkit_prog *const *progs, size_t nprogs, void **buf,
				size_t *len, struct bpfkit_diag *diag);

#ifdef __cplusplus
}
#endif

#endif /* BPFKIT_ISA_H */
