/* SPDX-License-Identifier: MIT */
/* usyms.c's tables, shared with unwind.c (the DWARF unwinder of copied stacks). */
#ifndef BPFKIT_SYM_USYMS_INT_H
#define BPFKIT_SYM_USYMS_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <bpfkit/sym.h>

struct Dwfl;

/* libdwfl sessions kept at once: each holds its process's files mapped and
 * their CFI parsed, megabytes; a system-wide profile sees hundreds of
 * short-lived processes, so the oldest session is dropped past this. */
#define USYMS_SESSIONS 32
struct sample;

/* One ELF file, shared by every process that maps it. */
struct ufile {
	dev_t dev;
	ino_t ino;
	int fd; /* held open from the first sample until its symbols are read; -1 after */
	char *path; /* where to read it when no descriptor could be held */
	struct bpfkit_elf_file *elf; /* NULL until read, or when reading failed */
	int err; /* reading failed: not tried again */
};

/* One executable file mapping of a process. */
struct umap {
	uint64_t start, end, offset;
	char *path; /* as the process sees it */
	struct ufile *file; /* NULL: the file could not be opened */
};

struct uproc {
	uint32_t pid;
	int err; /* -ESRCH: gone before its mappings were read */
	struct umap *maps; /* address order */
	size_t n;
	uint64_t read_ns; /* CLOCK_MONOTONIC when the mappings were read */
	uint64_t vdso_start, vdso_end; /* its [vdso], 0 and 0 without one */
	bool gone; /* a read found it gone: its last mappings are all there will be */
	struct Dwfl *dwfl; /* unwind.c: its mappings reported to libdwfl, NULL until the first unwind */
	int dwfl_err; /* setting that up failed: not tried again until the mappings change */
	struct sample **dwfl_cur; /* the session's argument: the sample being unwound */
};

/* Processes to read again at a set time after their first read, in the
 * order they were read (so in the order they fall due). */
struct queue {
	uint32_t *pids;
	uint64_t *due;
	size_t head, n, cap;
};

struct bpfkit_usyms {
	char *proc;
	struct queue later[2]; /* read again LATER_NS[i] after the first read */
	struct uproc **procs; /* open addressing by pid, NULL slots empty */
	size_t nprocs, cap;
	struct ufile **files;
	size_t nfiles, capf;
	struct uproc *sessions[USYMS_SESSIONS]; /* unwind.c: processes holding a libdwfl session, */
	size_t next_session; /* ... the oldest dropped for a new one past USYMS_SESSIONS */
	struct bpfkit_elf_file *vdso; /* our vDSO's symbols, read at the first address in one */
	int vdso_err;
	bool no_demangle; /* print C++ names mangled (demangle.c) */
};


/* The process's entry, its mappings read when it is new; NULL on ENOMEM. */
struct uproc *usyms_proc_get(struct bpfkit_usyms *u, uint32_t pid);

/* Forget @p p's libdwfl state (its mappings changed, or it is freed). */
void usyms_unwind_drop(struct uproc *p);

#endif
