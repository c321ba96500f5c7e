/* SPDX-License-Identifier: MIT */
/**
 * @file sym.h
 * @brief Symbols: kernel addresses to names from /proc/kallsyms; user-space
 *        ELF files (symbol tables, addresses to file offsets, build-ids),
 *        where a probe target such as "libc" or "bash" lives, and process
 *        mappings (/proc/PID/maps); USDT probes (.note.stapsdt) and their
 *        argument specs.
 *
 * The table is read once, lazily, at the first lookup: a tracer that never
 * prints a stack never pays for it. Lookups are a binary search over the
 * symbols sorted by address (bench/bench_ksyms: loading 121k symbols 70-90
 * ms, then 120-170 ns a lookup).
 * Nothing here prints; errors are negative errnos.
 *
 * Ownership: names returned point into the table and stay valid until
 * bpfkit_ksyms__free() (bpfkit_elf_file__free(), bpfkit_proc_maps__free(),
 * bpfkit_usdt_list__free()).
 */
#ifndef BPFKIT_SYM_H
#define BPFKIT_SYM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <bpfkit/isa.h> /* struct bpfkit_diag */

#ifdef __cplusplus
extern "C" {
#endif

#ifndef BPFKIT_API
#define BPFKIT_API __attribute__((visibility("default")))
#endif

struct bpfkit_ksyms;

/**
 * @brief A kernel symbol table to be read from @p path (NULL:
 *        /proc/kallsyms) at its first lookup. NULL and errno on ENOMEM.
 */
BPFKIT_API struct bpfkit_ksyms *bpfkit_ksyms__new(const char *path);

/** @brief Free a table. Accepts NULL. */
BPFKIT_API void bpfkit_ksyms__free(struct bpfkit_ksyms *k);

/**
 * @brief The symbol at or below @p addr, as bpftrace 0.17 (through bcc)
 *        resolves kernel addresses: the symbol with the greatest address
 *        not above @p addr, however far; its name (module suffix dropped)
 *        and @p addr's offset from it.
 * @return 0; -ENOENT when no symbol lies at or below @p addr; -EACCES when
 *         the table hides its addresses (kptr_restrict: every address 0);
 *         -errno when the file cannot be read (the same error every call)
 */
BPFKIT_API int bpfkit_ksyms__resolve(struct bpfkit_ksyms *k, uint64_t addr, const char **name,
				     uint64_t *offset);

/**
 * @brief The address of the kernel symbol @p name, for kaddr(): the first
 *        line of that name in the file (the kernel's own symbols before
 *        modules'), read line by line up to it, without loading the table.
 * @return 0; -ENOENT when no line has that name; -EACCES when its address
 *         is hidden (0: kptr_restrict); -EINVAL for an empty name; -errno
 *         when the file cannot be read
 */
BPFKIT_API int bpfkit_ksyms__addr(struct bpfkit_ksyms *k, const char *name, uint64_t *addr);

/** @brief Symbols in the table (loading it); 0 when it cannot be read. */
BPFKIT_API size_t bpfkit_ksyms__count(struct bpfkit_ksyms *k);


/* ---- User-space ELF files (elf.c) ------------------------------------------------------ */

/**
 * An ELF executable or shared library opened for its symbols: the function
 * and object symbols of .symtab and .dynsym, deduplicated by name; its
 * PT_LOAD segments; its build-id. The file is untrusted input: a bad
 * magic, another machine, a truncated file or a table outside the file is
 * an error that says so, never a crash.
 */
struct bpfkit_elf_file;

/** What a symbol is. */
enum bpfkit_elf_sym_kind {
	BPFKIT_ELF_SYM_FUNC = 1, /* STT_FUNC and STT_GNU_IFUNC */
	BPFKIT_ELF_SYM_OBJECT, /* STT_OBJECT, STT_TLS */
};

/** One symbol. */
struct bpfkit_elf_sym {
	const char *name; /* as listed: "malloc", "memcpy@GLIBC_2.2.5", "_ZN3foo3barEv" */
	uint64_t addr; /* st_value: a virtual address (ET_DYN: relative to the load base) */
	uint64_t size; /* st_size in bytes; 0 when the table gives none */
	enum bpfkit_elf_sym_kind kind;
};

/**
 * @brief Open @p path and read its symbol tables and program headers.
 *
 * Symbols: every defined FUNC/IFUNC/OBJECT/TLS symbol with a non-zero
 * address of .symtab and .dynsym, each name once (a .symtab entry wins over
 * .dynsym's, a sized one over a zero-sized one). A versioned .dynsym symbol
 * is listed as name@VERSION (name@@VERSION for the default version) and,
 * for the default version or a symbol with a single version, under its bare
 * name too, so "malloc" finds malloc@@GLIBC_2.2.5.
 * @param diag on failure, the reason: "PATH: not an ELF file", "PATH: ELF
 *        file for aarch64, not x86-64", "PATH: truncated ELF file (...)",
 *        "PATH: No such file or directory"
 * @return 0 and *@p out (free with bpfkit_elf_file__free()), or -errno
 *         (-ENOEXEC for a file that is no usable ELF file of this machine)
 */
BPFKIT_API int bpfkit_elf_file__open(const char *path, struct bpfkit_elf_file **out, struct bpfkit_diag *diag);

/** @brief Free an ELF file. Accepts NULL. */
BPFKIT_API void bpfkit_elf_file__free(struct bpfkit_elf_file *f);

/** @brief The path it was opened by. */
BPFKIT_API const char *bpfkit_elf_file__path(const struct bpfkit_elf_file *f);

/** @brief Whether it is ET_DYN (a PIE or a shared library: its addresses are
 *         relative to where it is loaded) rather than ET_EXEC. */
BPFKIT_API bool bpfkit_elf_file__is_dyn(const struct bpfkit_elf_file *f);

/** @brief Whether it has a .symtab (a stripped file has .dynsym at most). */
BPFKIT_API bool bpfkit_elf_file__has_symtab(const struct bpfkit_elf_file *f);

/** @brief Symbols, sorted by name (strcmp); bpfkit_elf_file__sym(f, i) for i < this. */
BPFKIT_API size_t bpfkit_elf_file__nsyms(const struct bpfkit_elf_file *f);

/** @brief Symbol @p i in name order, or NULL when @p i is out of range. */
BPFKIT_API const struct bpfkit_elf_sym *bpfkit_elf_file__sym(const struct bpfkit_elf_file *f, size_t i);

/** @brief The symbol called exactly @p name (a bare name finds the default
 *         version of a versioned one), or NULL. Binary search. */
BPFKIT_API const struct bpfkit_elf_sym *bpfkit_elf_file__find(const struct bpfkit_elf_file *f, const char *name);

/**
 * @brief The function symbol that contains virtual address @p addr: the one
 *        with the greatest address not above @p addr whose size covers it
 *        (a zero-sized symbol covers its own address only). Among symbols
 *        at one address, a bare name is preferred to a versioned one.
 * @return 0 with *@p sym and *@p offset (@p addr - sym->addr); -ENOENT
 */
BPFKIT_API int bpfkit_elf_file__resolve(const struct bpfkit_elf_file *f, uint64_t addr,
					const struct bpfkit_elf_sym **sym, uint64_t *offset);

/**
 * @brief The file offset of virtual address @p vaddr, through the PT_LOAD
 *        segment holding it (what the kernel's uprobe PMU takes).
 * @return 0, or -ENOENT when no loaded part of the file holds @p vaddr
 */
BPFKIT_API int bpfkit_elf_file__vaddr_to_offset(const struct bpfkit_elf_file *f, uint64_t vaddr, uint64_t *off);

/**
 * @brief The virtual address of file offset @p off (the reverse, for an
 *        address of a process: map start + (addr - map start + map offset)).
 * @return 0, or -ENOENT when no PT_LOAD segment holds @p off
 */
BPFKIT_API int bpfkit_elf_file__offset_to_vaddr(const struct bpfkit_elf_file *f, uint64_t off, uint64_t *vaddr);

/** @brief The GNU build-id (NT_GNU_BUILD_ID), its length in *@p len; NULL
 *         (and 0) when the file has none. */
BPFKIT_API const uint8_t *bpfkit_elf_file__build_id(const struct bpfkit_elf_file *f, size_t *len);

/* ---- Probe targets (path.c) ----------------------------------------------------------- */

/**
 * @brief Where the file of probe target @p target is, as bpftrace 0.17 finds
 *        it for uprobe:TARGET:... and usdt:TARGET:...
 *
 * - A name with a '/' is a path, absolute or relative to the current
 *   directory ("./a.out", "x/y").
 * - A bare name is, in order: a file of that name in the current directory;
 *   a program in $PATH ("bash" -> "/usr/bin/bash"); a library ("libc" ->
 *   the libc.so.N that /etc/ld.so.cache gives, else the first libc.so* in
 *   the multiarch and standard library directories).
 * - With @p pid > 0: a library name is first looked up among the files the
 *   process maps (/proc/PID/maps), and an absolute path is reached through
 *   /proc/PID/root (the process's own mount namespace, for containers).
 * @param out receives the path (through /proc/PID/root with @p pid)
 * @param diag "uprobe target file 'x' does not exist or is not executable"'s
 *        reason: "'x': no such file, program in PATH or library"
 * @return 0, -ENOENT (not found), -ENAMETOOLONG, -errno
 */
BPFKIT_API int bpfkit_sym_find_target(const char *target, int pid, char *out, size_t size,
				      struct bpfkit_diag *diag);

/**
 * @brief The file of library @p name ("libc", "libc.so.6", "libssl") for
 *        this machine's architecture: /etc/ld.so.cache (@p cache; NULL = the
 *        system's), then the standard library directories.
 * @return 0 with the path in @p out; -ENOENT; -ENAMETOOLONG
 */
BPFKIT_API int bpfkit_sym_find_library(const char *name, const char *cache, char *out, size_t size);

/* ---- Process mappings (maps.c) --------------------------------------------------------- */

/** One file-backed mapping of a process (a line of /proc/PID/maps). */
struct bpfkit_proc_map {
	uint64_t start, end; /* [start, end) in the process */
	uint64_t offset; /* file offset mapped at start */
	bool exec; /* mapped executable ('x') */
	const char *path; /* as the process sees it: "/usr/lib/x86_64-linux-gnu/libc.so.6" */
};

/** The mappings of one process, as read at one moment. */
struct bpfkit_proc_maps;

/**
 * @brief Read /proc/@p pid/maps (@p pid 0: this process): the mappings
 *        backed by a file (anonymous, [heap], [stack], [vdso] and deleted
 *        files left out), in address order.
 * @return 0 and *@p out (free with bpfkit_proc_maps__free()), -ESRCH when
 *         there is no such process, -errno
 */
BPFKIT_API int bpfkit_proc_maps__read(int pid, struct bpfkit_proc_maps **out);

/** @brief The same from @p proc/PID/maps (@p proc NULL: "/proc"; tests give
 *         a directory of their own). */
BPFKIT_API int bpfkit_proc_maps__read_at(const char *proc, int pid, struct bpfkit_proc_maps **out);

/**
 * @brief The mappings that the text @p text of @p len bytes lists (the
 *        format of /proc/PID/maps), for tests and saved maps.
 * @return 0 and *@p out (free with bpfkit_proc_maps__free()), -ENOMEM
 */
BPFKIT_API int bpfkit_proc_maps__parse(const char *text, size_t len, struct bpfkit_proc_maps **out);

/** @brief Free mappings. Accepts NULL. */
BPFKIT_API void bpfkit_proc_maps__free(struct bpfkit_proc_maps *m);

/**
 * @brief Where the kernel's vDSO is mapped ("[vdso]", left out of the
 *        mappings: it has no file), in [*@p start, *@p end).
 * @return 0, -ENOENT when the text lists none
 */
BPFKIT_API int bpfkit_proc_maps__vdso(const struct bpfkit_proc_maps *m, uint64_t *start, uint64_t *end);

/** @brief How many mappings. */
BPFKIT_API size_t bpfkit_proc_maps__count(const struct bpfkit_proc_maps *m);

/** @brief Mapping @p i (address order), NULL when out of range. */
BPFKIT_API const struct bpfkit_proc_map *bpfkit_proc_maps__get(const struct bpfkit_proc_maps *m, size_t i);

/** @brief The mapping holding address @p addr, or NULL. Binary search. */
BPFKIT_API const struct bpfkit_proc_map *bpfkit_proc_maps__find(const struct bpfkit_proc_maps *m, uint64_t addr);

/**
 * @brief The path under which this process can open @p path as process
 *        @p pid sees it: "/proc/PID/root" + @p path (@p path absolute;
 *        otherwise, or with @p pid <= 0, @p path itself).
 * @return 0, -ENAMETOOLONG
 */
BPFKIT_API int bpfkit_proc_path(int pid, const char *path, char *out, size_t size);

/* ---- User addresses of processes (usyms.c) --------------------------------------------- */

/**
 * Names for the user addresses of many processes (ustack, usym()): each
 * process's file mappings, read from /proc/PID/maps when it is first seen
 * (bpfkit_usyms__add_pid(), at the first sample of it) so that a process
 * that exits before its stacks are printed keeps its names; the files it
 * maps held open from then on (through /proc/PID/map_files, so a deleted or
 * replaced file, or one in another mount namespace, is the one it ran) and
 * each read for its symbols once, at the first address in it, shared by
 * every process that maps it (keyed by device and inode).
 *
 * An address is named through its mapping: file offset = addr - start +
 * mapping offset, ELF virtual address = that offset through the PT_LOAD
 * segment holding it (which takes care of PIE executables' and shared
 * libraries' load bias), then the function symbol of .symtab or .dynsym
 * covering it (bpfkit_elf_file__resolve()).
 *
 * Ownership: names and files returned stay valid until bpfkit_usyms__free().
 */
struct bpfkit_usyms;

/**
 * @brief An empty set of processes, reading /proc under @p proc (NULL:
 *        "/proc"; tests give a directory of their own). NULL and errno on ENOMEM.
 */
BPFKIT_API struct bpfkit_usyms *bpfkit_usyms__new(const char *proc);

/** @brief Free the processes, their files and symbols. Accepts NULL. */
BPFKIT_API void bpfkit_usyms__free(struct bpfkit_usyms *u);

/**
 * @brief Read the mappings of process @p pid now (again, when they were
 *        read before: the process exec()ed; the old ones are kept if it is
 *        gone).
 * @return 0; -ESRCH when the process is gone (it is remembered as such:
 *         its addresses print as numbers), -errno
 */
BPFKIT_API int bpfkit_usyms__add_pid(struct bpfkit_usyms *u, uint32_t pid);

/**
 * @brief Name user address @p addr of process @p pid (its mappings read
 *        now when they were not yet; read again, at most every 10 ms, for
 *        an address no mapping holds, as after a dlopen()).
 * @param name the function's name
 * @param offset @p addr's offset from the function's start
 * @param file the mapped file's path as the process sees it (may be NULL)
 * @return 0; -ENOENT when no mapping or symbol covers @p addr; -ESRCH when
 *         the process was gone before its mappings were read
 */
BPFKIT_API int bpfkit_usyms__resolve(struct bpfkit_usyms *u, uint32_t pid, uint64_t addr, const char **name,
				     uint64_t *offset, const char **file);

/**
 * @brief Read again the mappings of the processes first read 50 ms ago, and
 *        of those read so 1 s ago: a process's first sample may come while
 *        the dynamic loader is still mapping its libraries. Call it every
 *        so often while tracing (the tracer does at each ring-buffer poll).
 */
BPFKIT_API void bpfkit_usyms__tick(struct bpfkit_usyms *u);

/**
 * @brief The demangled form of C++ name @p name ("_ZN2ns7Counter4bumpEi" ->
 *        "ns::Counter::bump(int)") in @p buf, through the C++ runtime's
 *        __cxa_demangle (libstdc++.so.6, loaded on first use); @p name
 *        itself when it is no mangled name or cannot be demangled.
 */
BPFKIT_API const char *bpfkit_sym_demangle(const char *name, char *buf, size_t size);

/** @brief Whether bpfkit_usyms__display() demangles (the default) or not
 *         (BPFTRACE_NO_CPP_DEMANGLE=1). */
BPFKIT_API void bpfkit_usyms__set_demangle(struct bpfkit_usyms *u, bool on);

/** @brief Symbol @p name of a user frame as it prints: demangled into @p buf
 *         unless demangling is off for @p u. */
BPFKIT_API const char *bpfkit_usyms__display(const struct bpfkit_usyms *u, const char *name, char *buf,
					     size_t size);

/**
 * The registers of a thread at a sample, as x86-64's struct pt_regs lays
 * them out (what bpf_task_pt_regs() gives): r15, r14, r13, r12, bp, bx,
 * r11, r10, r9, r8, ax, cx, dx, si, di, orig_ax, ip, cs, flags, sp, ss.
 */
#define BPFKIT_USYMS_NREGS 21

/**
 * @brief Unwind the user stack of thread @p tid of process @p pid from a
 *        copy taken at a sample, through the .eh_frame (and .debug_frame)
 *        call-frame information of the files it maps, with elfutils'
 *        libdwfl, as `perf record --call-graph dwarf` does.
 *
 * The process's executable mappings (read as bpfkit_usyms__resolve()
 * reads them) are reported to one libdwfl session per process, kept
 * until they change; separate debug files are found as libdwfl's
 * standard find_debuginfo finds them (build-id, .gnu_debuglink). Memory
 * reads are served from @p stack only: frames whose return address lies
 * above the copy are not found.
 * @param regs BPFKIT_USYMS_NREGS registers (x86-64 pt_regs order)
 * @param stack @p size bytes copied from the user stack pointer (regs sp) up
 * @param ips receives at most @p max program counters, innermost first:
 *        the sample's ip, then return addresses (as the frame-pointer walk
 *        gives them)
 * @return 0 with *@p n frames (at least the ip when it is not 0); -ESRCH
 *         when the process was gone before its mappings were read; -errno
 */
BPFKIT_API int bpfkit_usyms__unwind(struct bpfkit_usyms *u, uint32_t pid, uint32_t tid, const uint64_t *regs,
				    const void *stack, size_t size, uint64_t *ips, size_t max, size_t *n);

/** @brief Processes known, and distinct files read for their symbols (for tests and benches). */
BPFKIT_API size_t bpfkit_usyms__npids(const struct bpfkit_usyms *u);
BPFKIT_API size_t bpfkit_usyms__nfiles(const struct bpfkit_usyms *u);

/* ---- USDT probes (usdt.c, usdt_arg.c) ----------------------------------------------------- */

/** Most arguments a USDT probe has (<sys/sdt.h> writes up to 12). */
#define BPFKIT_USDT_MAX_ARGS 12
/** The offset of the instruction pointer in x86-64's struct pt_regs. */
#define BPFKIT_USDT_REG_IP 128

/** What an argument spec reads. */
enum bpfkit_usdt_arg_kind {
	BPFKIT_USDT_ARG_CONST = 1, /* 8@$5: the constant in value */
	BPFKIT_USDT_ARG_REG, /* -4@%edi: a register */
	BPFKIT_USDT_ARG_MEM, /* 8@-8(%rbp), 4@8(%rax,%rbx,4), -4@sym(%rip): memory at an address */
};

/**
 * One argument of a USDT probe site, decoded from its spec (x86-64).
 * Registers are byte offsets into the kernel's struct pt_regs (x86-64's
 * layout: what a uprobe's BPF program reads), -1 for none. The value is
 * the @p size bytes read, then sign- or zero-extended to 64 bits.
 */
struct bpfkit_usdt_arg {
	enum bpfkit_usdt_arg_kind kind;
	uint8_t size; /* 1, 2, 4 or 8 bytes */
	bool is_signed; /* a negative size in the spec */
	int64_t value; /* CONST: the constant; MEM: the displacement */
	int reg; /* REG: the register; MEM: the base, or -1 */
	uint8_t reg_size; /* REG: bytes of the register as named (%eax 4) */
	uint8_t reg_shift; /* REG: bits below it in the 64-bit register (%ah 8) */
	int index_reg; /* MEM: the index register, or -1 */
	uint8_t scale; /* MEM with an index: 1, 2, 4 or 8 */
	/* MEM at a symbol (sym(%rip), sym+8): reg is BPFKIT_USDT_REG_IP and value
	 * the symbol's address less the probe's pc, so the address is the
	 * uprobe's ip + value wherever the file is loaded */
	bool relative_sym;
};

/**
 * @brief Parse one argument spec of x86-64 ("-4@%edi", "8@-8(%rbp)",
 *        "-4@$5", "4@8(%rsp,%rbx,4)", "-4@sym(%rip)"). A spec without
 *        "SIZE@" is 8 bytes, unsigned. Any bytes are safe to give.
 * @param sym  receives the symbol of a symbol operand ("" when there is
 *             none; the caller resolves it), or NULL to refuse them
 * @return 0, or -EINVAL with "USDT argument 'SPEC': why" in @p d
 */
BPFKIT_API int bpfkit_usdt_arg_parse(const char *text, size_t len, struct bpfkit_usdt_arg *arg, char *sym,
				     size_t symsize, struct bpfkit_diag *d);

/** @brief The 64-bit name of the register at pt_regs offset @p off ("rdi"), or "?". */
BPFKIT_API const char *bpfkit_usdt_reg_name(int off);

/** One probe site: one note of .note.stapsdt. A marker the compiler
 *  duplicated (an inlined function) has one site per copy. */
struct bpfkit_usdt_probe {
	const char *provider; /* "usdt_prog" */
	const char *name; /* "args" */
	uint64_t pc; /* virtual address of the site (prelink-adjusted) */
	uint64_t offset; /* its file offset: what the uprobe PMU takes */
	uint64_t sem_addr; /* virtual address of the semaphore, 0 without one */
	uint64_t sem_offset; /* its file offset (the uprobe PMU's ref_ctr_offset) */
	const char *args_text; /* the note's argument specs: "-4@%edi 8@%rsi" */
	struct bpfkit_usdt_arg *args; /* decoded, nargs of them */
	size_t nargs;
	/* NULL, or why the site cannot be used (an argument that does not
	 * parse, an address outside the file's segments); it is listed anyway */
	const char *error;
};

/** The USDT probes of one ELF file, sorted by provider, name, then pc. */
struct bpfkit_usdt_list {
	struct bpfkit_usdt_probe *probes;
	size_t n; /* 0 for a file without .note.stapsdt */
	bool is_dyn; /* ET_DYN: a PIE or a shared library */
};

/**
 * @brief The USDT probes of the ELF image @p image (@p size bytes; copied).
 *        The image is untrusted: errors name @p file and the note.
 * @return 0 and *@p out (free with bpfkit_usdt_list__free()); -ENOEXEC
 *         (not an x86-64 ELF file), -EINVAL (a malformed note), -ENOMEM
 */
BPFKIT_API int bpfkit_usdt_list__parse(const char *file, const void *image, size_t size,
				       struct bpfkit_usdt_list **out, struct bpfkit_diag *d);

/** @brief The same from the file at @p path; -errno when it cannot be read. */
BPFKIT_API int bpfkit_usdt_list__read(const char *path, struct bpfkit_usdt_list **out, struct bpfkit_diag *d);

/** @brief Free a list. Accepts NULL. */
BPFKIT_API void bpfkit_usdt_list__free(struct bpfkit_usdt_list *l);

/* ---- Function parameters from DWARF (dwarf.c) ------------------------------------------ */

/** One parameter of a function, from its DW_TAG_formal_parameter. */
struct bpfkit_dwarf_param {
	char *name; /* "" for an unnamed one */
	char *type; /* C spelling, as bpftrace prints it: "int", "const char*", "size_t" */
	uint32_t size; /* bytes of the value: 8 for pointers, 0 when unknown */
	bool is_signed, is_ptr, is_float;
	bool is_aggregate; /* a struct, union or array passed by value */
};

/** The DWARF debug info of one ELF file, opened once for many lookups. */
struct bpfkit_dwarf;

/**
 * @brief Open the debug info of ELF file @p path: in the file, or in a
 *        separate debug file found by build-id or .gnu_debuglink.
 * @return 0 and *@p out (free with bpfkit_dwarf__free()); -ENODATA when the
 *         file has no debug info; -ENOEXEC for a file libdw cannot read;
 *         -errno
 */
BPFKIT_API int bpfkit_dwarf__open(const char *path, struct bpfkit_dwarf **out);

/** @brief Close debug info. Accepts NULL. */
BPFKIT_API void bpfkit_dwarf__free(struct bpfkit_dwarf *d);

/**
 * @brief The parameters of function @p func (its name, or a C++ linkage
 *        name). The first lookup indexes every function definition once,
 *        so listing all of a file's functions stays linear.
 * @return 0 with *@p out (free with bpfkit_dwarf_params__free()) and
 *         *@p n (0 for a function without parameters); -ENOENT when the
 *         debug info does not describe @p func; -ENOMEM
 */
BPFKIT_API int bpfkit_dwarf__params(struct bpfkit_dwarf *d, const char *func, struct bpfkit_dwarf_param **out,
				    size_t *n);

/** @brief Free what bpfkit_dwarf__params() gave. Accepts NULL. */
BPFKIT_API void bpfkit_dwarf_params__free(struct bpfkit_dwarf_param *p, size_t n);

#ifdef __cplusplus
}
#endif

#endif /* BPFKIT_SYM_H */
