// SPDX-License-Identifier: MIT
/*
 * User stacks unwound from a copy (ustack with --ustack-unwind dwarf), the
 * way `perf record --call-graph dwarf` does it: the program copied the
 * thread's user registers and the top of its stack at the sample; here
 * elfutils' libdwfl walks that copy with the call-frame information
 * (.eh_frame, .debug_frame) of the files the process maps. Debian builds
 * its binaries and libraries without frame pointers, where the kernel's
 * frame-pointer walk stops after a frame or two.
 *
 * One libdwfl session per process (struct uproc's dwfl), set up at its
 * first unwind and kept until its mappings are read again: each
 * executable file mapping is reported with dwfl_report_elf() at its load
 * bias (mapping start - the virtual address of its file offset, which
 * elf.c's PT_LOAD table gives), so libdwfl reads each file's CFI once per
 * process. The thread callbacks are ours: the state is attached once, and
 * each unwind points the session's argument at the current sample (its
 * registers in DWARF order, its stack bytes), which libdwfl reads through
 * get_thread, set_initial_registers and memory_read.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <elf.h>

#include <elfutils/libdwfl.h>

#include "sym/usyms_int.h"

/* The sample being unwound (the session's dwfl_arg points at one). */
struct sample {
	pid_t tid;
	const uint64_t *regs; /* BPFKIT_USYMS_NREGS, pt_regs order */
	uint64_t sp;
	const unsigned char *stack;
	size_t size;
	uint64_t *ips;
	size_t max, n;
};

/* x86-64 pt_regs indexes of DWARF registers 0-16 (rax, rdx, rcx, rbx,
 * rsi, rdi, rbp, rsp, r8-r15, and rip as the return address column). */
static const int dwarf_to_ptregs[17] = { 10, 12, 11, 5, 13, 14, 4, 19, 9, 8, 7, 6, 3, 2, 1, 0, 16 };
#define PT_IP 16
#define PT_SP 19

/* get_thread: the sample's thread is the only one. */
static bool cb_get_thread(Dwfl *dwfl, pid_t tid, void *arg, void **thread_argp)
{
	struct sample *s = *(struct sample **)arg;

	(void)dwfl;
	if (!s || tid != s->tid)
		return false;
	*thread_argp = s;
	return true;
}

/* next_thread: required by libdwfl; the sample's thread, once. */
static pid_t cb_next_thread(Dwfl *dwfl, void *arg, void **thread_argp)
{
	struct sample *s = *(struct sample **)arg;

	(void)dwfl;
	if (!s || *thread_argp)
		return 0;
	*thread_argp = s;
	return s->tid;
}

/* memory_read: a word of the copied stack; anything else is unknown. */
static bool cb_memory_read(Dwfl *dwfl, Dwarf_Addr addr, Dwarf_Word *result, void *arg)
{
	struct sample *s = *(struct sample **)arg;

	(void)dwfl;
	if (!s || addr < s->sp || addr - s->sp + sizeof(*result) > s->size)
		return false;
	memcpy(result, s->stack + (addr - s->sp), sizeof(*result));
	return true;
}

static bool cb_set_initial_registers(Dwfl_Thread *thread, void *thread_arg)
{
	const struct sample *s = thread_arg;
	Dwarf_Word regs[17];

	for (int i = 0; i < 17; i++)
		regs[i] = s->regs[dwarf_to_ptregs[i]];
	return dwfl_thread_state_registers(thread, 0, 17, regs);
}

static const Dwfl_Thread_Callbacks thread_callbacks = {
	.next_thread = cb_next_thread,
	.get_thread = cb_get_thread,
	.memory_read = cb_memory_read,
	.set_initial_registers = cb_set_initial_registers,
};

static char *debuginfo_path;

static const Dwfl_Callbacks dwfl_callbacks = {
	.find_elf = dwfl_linux_proc_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.debuginfo_path = &debuginfo_path,
};

/* The file of mapping @p m opened now (libdwfl owns the descriptor): the
 * one usyms holds, else the mapping's map_files link, else its path. */
static int umap_open(const struct bpfkit_usyms *u, uint32_t pid, const struct umap *m)
{
	char path[PATH_MAX];
	int fd;

	if (m->file && m->file->fd >= 0 && (fd = fcntl(m->file->fd, F_DUPFD_CLOEXEC, 0)) >= 0)
		return fd;
	snprintf(path, sizeof(path), "%s/%u/map_files/%llx-%llx", u->proc, pid, (unsigned long long)m->start,
		 (unsigned long long)m->end);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0)
		return fd;
	if (m->file && m->file->path && (fd = open(m->file->path, O_RDONLY | O_CLOEXEC)) >= 0)
		return fd;
	return open(m->path, O_RDONLY | O_CLOEXEC);
}

/* The load bias of mapping @p m, its file open at @p fd: where virtual
 * address 0 of an ET_DYN file is (0 for ET_EXEC), through the PT_LOAD
 * segment that holds the mapping's file offset. Only the ELF header and
 * the program headers are read, with pread(): mapping the file (libelf)
 * costs more here than the rest of setting up the session. */
static int umap_bias(const struct umap *m, int fd, uint64_t *bias)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;

	if (pread(fd, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh) || memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_phentsize != sizeof(ph))
		return -ENOEXEC;
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		if (pread(fd, &ph, sizeof(ph), (off_t)(eh.e_phoff + (uint64_t)i * sizeof(ph))) != (ssize_t)sizeof(ph))
			return -ENOEXEC;
		if (ph.p_type != PT_LOAD || m->offset < ph.p_offset || m->offset >= ph.p_offset + ph.p_filesz)
			continue;
		*bias = eh.e_type == ET_DYN ? m->start - (ph.p_vaddr + (m->offset - ph.p_offset)) : 0;
		return 0;
	}
	return -ENOENT;
}

/*
 * Set up @p p's libdwfl session: each file it maps executable reported once
 * (its first executable mapping gives the bias), then our thread callbacks
 * attached. The session's argument is p->dwfl's slot for the sample.
 */
static int session_new(struct bpfkit_usyms *u, struct uproc *p, struct sample **cur)
{
	Dwfl *dwfl = dwfl_begin(&dwfl_callbacks);
	struct uproc **slot;
	size_t reported = 0;

	if (!dwfl)
		return -ENOMEM;
	dwfl_report_begin(dwfl);
	for (size_t i = 0; i < p->n; i++) {
		const struct umap *m = &p->maps[i];
		uint64_t bias;
		bool seen = false;
		int fd;

		for (size_t k = 0; k < i && !seen; k++)
			seen = !strcmp(p->maps[k].path, m->path);
		if (seen || (fd = umap_open(u, p->pid, m)) < 0)
			continue;
		if (umap_bias(m, fd, &bias)) {
			close(fd);
			continue;
		}
		if (dwfl_report_elf(dwfl, m->path, m->path, fd, bias, false))
			reported++;
		else
			close(fd);
	}
	if (dwfl_report_end(dwfl, NULL, NULL) || !reported ||
	    !dwfl_attach_state(dwfl, NULL, (pid_t)p->pid, &thread_callbacks, cur)) {
		dwfl_end(dwfl);
		return -ENOENT;
	}
	p->dwfl = dwfl;
	slot = &u->sessions[u->next_session++ % USYMS_SESSIONS];
	if (*slot && *slot != p)
		usyms_unwind_drop(*slot); /* its next sample sets it up again */
	*slot = p;
	return 0;
}

void usyms_unwind_drop(struct uproc *p)
{
	if (p->dwfl)
		dwfl_end(p->dwfl);
	p->dwfl = NULL;
	p->dwfl_err = 0;
	free(p->dwfl_cur);
	p->dwfl_cur = NULL;
}

/* One frame: its pc (the ip, then return addresses, as given). */
static int frame_cb(Dwfl_Frame *frame, void *arg)
{
	struct sample *s = arg;
	Dwarf_Addr pc;

	if (!dwfl_frame_pc(frame, &pc, NULL) || !pc)
		return DWARF_CB_ABORT;
	s->ips[s->n++] = pc;
	return s->n < s->max ? DWARF_CB_OK : DWARF_CB_ABORT;
}

int bpfkit_usyms__unwind(struct bpfkit_usyms *u, uint32_t pid, uint32_t tid, const uint64_t *regs,
			 const void *stack, size_t size, uint64_t *ips, size_t max, size_t *n)
{
	struct sample s = { .tid = (pid_t)tid, .regs = regs, .sp = regs[PT_SP], .stack = stack,
			    .size = size, .ips = ips, .max = max };
	struct uproc *p;

	*n = 0;
	if (!u || !max || !regs[PT_IP])
		return u ? 0 : -EINVAL;
	p = usyms_proc_get(u, pid);
	if (!p)
		return -ENOMEM;
	if (p->err && !p->n)
		return p->err;
	if (!p->dwfl && !p->dwfl_err) {
		if (!p->dwfl_cur && !(p->dwfl_cur = calloc(1, sizeof(*p->dwfl_cur))))
			return -ENOMEM;
		p->dwfl_err = session_new(u, p, p->dwfl_cur);
	}
	if (!p->dwfl) { /* no CFI to read: the sample's ip alone */
		ips[(*n)++] = regs[PT_IP];
		return 0;
	}
	*p->dwfl_cur = &s;
	dwfl_getthread_frames(p->dwfl, (pid_t)tid, frame_cb, &s);
	*p->dwfl_cur = NULL;
	if (!s.n)
		ips[s.n++] = regs[PT_IP];
	*n = s.n;
	return 0;
}
