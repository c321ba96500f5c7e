// SPDX-License-Identifier: MIT
/*
 * Names for user addresses of many processes (ustack, usym()): see sym.h's
 * bpfkit_usyms for what is read when. In short:
 *
 *   add_pid(pid)   PROC/PID/maps (maps.c), its executable file mappings
 *                  (again when the program saw the process renamed: exec);
 *                  each one's file opened now, while the process lives,
 *                  through PROC/PID/map_files/START-END (the very file it
 *                  maps, deleted, replaced or in another mount namespace),
 *                  else PROC/PID/root/PATH, and fstat()ed: one struct ufile
 *                  per device and inode, its descriptor held until the
 *                  first address in it is named.
 *   resolve(pid, addr)
 *                  the process (a hash by pid), its mapping (binary search),
 *                  file offset = addr - start + offset, ELF virtual address
 *                  through the file's PT_LOAD segments (the load bias of PIE
 *                  executables and libraries cancels out), then the symbol
 *                  (elf.c, binary search). The file's symbols are read once.
 *
 * A process gone before add_pid() is remembered as gone (ESRCH), so that
 * printing 10,000 of its frames does not try 10,000 times.
 *
 * The [vdso] (clock_gettime() and friends) has no file: every process of
 * this kernel maps the same image, so ours (getauxval(AT_SYSINFO_EHDR),
 * its size from our own maps) is copied once into a memfd and read as the
 * file of every process's [vdso] mapping, at offset addr - start.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <bpfkit/sym.h>

#include "sym/usyms_int.h"

#define REREAD_NS 10000000ull /* an address no mapping holds: the mappings again, at most every 10 ms */
/* A process's mappings are read at its first sample, which may come while
 * the dynamic loader is still mapping its libraries: read them again 50 ms
 * and 1 s later (bpfkit_usyms__tick()), while it most likely still runs. */
static const uint64_t LATER_NS[2] = { 50000000ull, 1000000000ull };

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

struct bpfkit_usyms *bpfkit_usyms__new(const char *proc)
{
	struct bpfkit_usyms *u = calloc(1, sizeof(*u));

	if (!u || !(u->proc = strdup(proc ? proc : "/proc"))) {
		free(u);
		errno = ENOMEM;
		return NULL;
	}
	return u;
}

static void maps_free(struct uproc *p)
{
	usyms_unwind_drop(p);
	for (size_t i = 0; i < p->n; i++)
		free(p->maps[i].path);
	free(p->maps);
	p->maps = NULL;
	p->n = 0;
}

void bpfkit_usyms__free(struct bpfkit_usyms *u)
{
	if (!u)
		return;
	for (size_t i = 0; i < u->cap; i++) {
		if (!u->procs[i])
			continue;
		maps_free(u->procs[i]);
		free(u->procs[i]);
	}
	for (size_t i = 0; i < u->nfiles; i++) {
		if (u->files[i]->fd >= 0)
			close(u->files[i]->fd);
		bpfkit_elf_file__free(u->files[i]->elf);
		free(u->files[i]->path);
		free(u->files[i]);
	}
	for (int i = 0; i < 2; i++) {
		free(u->later[i].pids);
		free(u->later[i].due);
	}
	bpfkit_elf_file__free(u->vdso);
	free(u->procs);
	free(u->files);
	free(u->proc);
	free(u);
}

size_t bpfkit_usyms__npids(const struct bpfkit_usyms *u)
{
	return u ? u->nprocs : 0;
}

size_t bpfkit_usyms__nfiles(const struct bpfkit_usyms *u)
{
	size_t n = 0;

	for (size_t i = 0; u && i < u->nfiles; i++)
		n += u->files[i]->elf != NULL;
	return n;
}

static size_t pid_slot(uint32_t pid, size_t cap)
{
	return (size_t)(pid * 2654435761u) & (cap - 1);
}

/* The process's entry, or NULL. */
static struct uproc *proc_find(const struct bpfkit_usyms *u, uint32_t pid)
{
	if (!u->cap)
		return NULL;
	for (size_t i = pid_slot(pid, u->cap);; i = (i + 1) & (u->cap - 1)) {
		if (!u->procs[i])
			return NULL;
		if (u->procs[i]->pid == pid)
			return u->procs[i];
	}
}

/* Add @p p to the table (not in it yet), growing it to stay half empty. */
static int proc_insert(struct bpfkit_usyms *u, struct uproc *p)
{
	size_t i;

	if ((u->nprocs + 1) * 2 > u->cap) {
		size_t cap = u->cap ? u->cap * 2 : 64;
		struct uproc **t = calloc(cap, sizeof(*t));

		if (!t)
			return -ENOMEM;
		for (size_t k = 0; k < u->cap; k++) {
			if (!u->procs[k])
				continue;
			for (i = pid_slot(u->procs[k]->pid, cap); t[i]; i = (i + 1) & (cap - 1))
				;
			t[i] = u->procs[k];
		}
		free(u->procs);
		u->procs = t;
		u->cap = cap;
	}
	for (i = pid_slot(p->pid, u->cap); u->procs[i]; i = (i + 1) & (u->cap - 1))
		;
	u->procs[i] = p;
	u->nprocs++;
	return 0;
}

/*
 * The file of mapping @p m of process @p pid, opened now: its map_files
 * link (the mapped file itself), else the path in the process's root. A
 * process that exited since its mappings were read has neither: the path
 * in our own mount namespace then. A file already known by device and
 * inode is shared; a new one keeps its
 * descriptor (or, when none can be held, its path). NULL when it cannot be
 * opened at all (its frames print as numbers).
 */
static struct ufile *file_of(struct bpfkit_usyms *u, uint32_t pid, const struct bpfkit_proc_map *m)
{
	char path[PATH_MAX];
	struct ufile *f;
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), "%s/%u/map_files/%llx-%llx", u->proc, pid, (unsigned long long)m->start,
		 (unsigned long long)m->end);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (snprintf(path, sizeof(path), "%s/%u/root%s", u->proc, pid, m->path) >= (int)sizeof(path))
			return NULL;
		fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0 && errno == ENOENT) { /* exited since its mappings were read: our own namespace's file */
		snprintf(path, sizeof(path), "%s", m->path);
		fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0 && errno != EMFILE && errno != ENFILE)
		return NULL;
	if (fd >= 0 ? fstat(fd, &st) : stat(path, &st)) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	for (size_t i = 0; i < u->nfiles; i++) {
		if (u->files[i]->dev == st.st_dev && u->files[i]->ino == st.st_ino) {
			if (fd >= 0)
				close(fd);
			return u->files[i];
		}
	}
	if (u->nfiles == u->capf) {
		size_t cap = u->capf ? u->capf * 2 : 32;
		struct ufile **t = realloc(u->files, cap * sizeof(*t));

		if (!t)
			goto oom;
		u->files = t;
		u->capf = cap;
	}
	f = calloc(1, sizeof(*f));
	if (!f || (fd < 0 && !(f->path = strdup(path)))) {
		free(f);
		goto oom;
	}
	f->dev = st.st_dev;
	f->ino = st.st_ino;
	f->fd = fd;
	u->files[u->nfiles++] = f;
	return f;
oom:
	if (fd >= 0)
		close(fd);
	return NULL;
}

/* Whether @p p's mappings are the @p n of @p maps (a read that found them unchanged). */
static bool maps_same(const struct uproc *p, const struct umap *maps, size_t n)
{
	if (p->n != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (p->maps[i].start != maps[i].start || p->maps[i].end != maps[i].end ||
		    p->maps[i].offset != maps[i].offset || p->maps[i].file != maps[i].file ||
		    strcmp(p->maps[i].path, maps[i].path))
			return false;
	return true;
}

/* (Re)read the executable mappings of @p p; its old ones are kept when that
 * fails, or finds none (the process has exited: -ESRCH). */
static int proc_read(struct bpfkit_usyms *u, struct uproc *p)
{
	struct bpfkit_proc_maps *m;
	struct umap *maps;
	size_t n = 0, count;
	int err = bpfkit_proc_maps__read_at(u->proc, (int)p->pid, &m);

	p->read_ns = now_ns();
	if (err)
		return err;
	count = bpfkit_proc_maps__count(m);
	maps = calloc(count ? count : 1, sizeof(*maps));
	if (!maps) {
		bpfkit_proc_maps__free(m);
		return -ENOMEM;
	}
	for (size_t i = 0; i < count; i++) {
		const struct bpfkit_proc_map *pm = bpfkit_proc_maps__get(m, i);

		if (!pm->exec)
			continue;
		maps[n] = (struct umap){ pm->start, pm->end, pm->offset, strdup(pm->path), NULL };
		if (!maps[n].path)
			break;
		maps[n++].file = file_of(u, p->pid, pm);
	}
	if (bpfkit_proc_maps__vdso(m, &p->vdso_start, &p->vdso_end))
		p->vdso_start = p->vdso_end = 0;
	bpfkit_proc_maps__free(m);
	if (!n && p->n) { /* a zombie lists nothing: it has exited, keep what it had */
		free(maps);
		return -ESRCH;
	}
	if (maps_same(p, maps, n)) { /* read again, unchanged: keep the old (and the unwinder's session) */
		for (size_t i = 0; i < n; i++)
			free(maps[i].path);
		free(maps);
		return 0;
	}
	maps_free(p);
	p->maps = maps;
	p->n = n;
	return 0;
}

/* Queue @p pid to be read again at @p due (dropped when memory is short: it
 * only makes names likelier). */
static void queue_push(struct queue *q, uint32_t pid, uint64_t due)
{
	if (q->head + q->n == q->cap) {
		if (q->head) { /* slide the pending ones down first */
			memmove(q->pids, q->pids + q->head, q->n * sizeof(*q->pids));
			memmove(q->due, q->due + q->head, q->n * sizeof(*q->due));
			q->head = 0;
		} else {
			size_t cap = q->cap ? q->cap * 2 : 64;
			uint32_t *p = realloc(q->pids, cap * sizeof(*p));
			uint64_t *d;

			if (p)
				q->pids = p;
			d = p ? realloc(q->due, cap * sizeof(*d)) : NULL;
			if (!d)
				return;
			q->due = d;
			q->cap = cap;
		}
	}
	q->pids[q->head + q->n] = pid;
	q->due[q->head + q->n] = due;
	q->n++;
}

void bpfkit_usyms__tick(struct bpfkit_usyms *u)
{
	uint64_t now = now_ns();

	for (int i = 0; u && i < 2; i++) {
		struct queue *q = &u->later[i];

		while (q->n && q->due[q->head] <= now) {
			struct uproc *p = proc_find(u, q->pids[q->head]);

			q->head++;
			q->n--;
			if (!p || p->gone || (p->err && !p->n))
				continue;
			if (proc_read(u, p) == -ESRCH)
				p->gone = true;
			else if (i == 0)
				queue_push(&u->later[1], p->pid, now + LATER_NS[1] - LATER_NS[0]);
		}
		if (!q->n)
			q->head = 0;
	}
}

/* The entry of @p pid, its mappings read when it is new. NULL on ENOMEM. */
static struct uproc *proc_get(struct bpfkit_usyms *u, uint32_t pid)
{
	struct uproc *p = proc_find(u, pid);

	if (p)
		return p;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->pid = pid;
	if (proc_insert(u, p)) {
		free(p);
		return NULL;
	}
	p->err = proc_read(u, p);
	if (!p->err)
		queue_push(&u->later[0], pid, p->read_ns + LATER_NS[0]);
	return p;
}

struct uproc *usyms_proc_get(struct bpfkit_usyms *u, uint32_t pid)
{
	return proc_get(u, pid);
}

int bpfkit_usyms__add_pid(struct bpfkit_usyms *u, uint32_t pid)
{
	struct uproc *p = u ? proc_find(u, pid) : NULL;

	if (p) { /* seen again: exec()ed */
		int err = proc_read(u, p);

		if (!err || !p->n)
			p->err = err;
		return err;
	}
	p = u ? proc_get(u, pid) : NULL;
	return p ? p->err : -ENOMEM;
}

static const struct umap *map_find(const struct uproc *p, uint64_t addr)
{
	size_t lo = 0, hi = p->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (addr < p->maps[mid].start)
			hi = mid;
		else if (addr >= p->maps[mid].end)
			lo = mid + 1;
		else
			return &p->maps[mid];
	}
	return NULL;
}

/* The symbols of @p f, read at the first address named in it. */
static const struct bpfkit_elf_file *file_elf(struct ufile *f)
{
	struct bpfkit_diag d = { 0 };
	char path[64];

	if (f->elf || f->err)
		return f->elf;
	if (f->fd >= 0)
		snprintf(path, sizeof(path), "/proc/self/fd/%d", f->fd);
	f->err = bpfkit_elf_file__open(f->fd >= 0 ? path : f->path, &f->elf, &d);
	if (!f->err && !f->elf)
		f->err = -ENOENT;
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	return f->elf;
}

/*
 * The symbols of the kernel's vDSO: our own copy, from its ELF header in
 * our memory (getauxval()) for as many bytes as our [vdso] mapping spans,
 * written to a memfd that elf.c reads as a file. NULL when that fails (the
 * reason kept: not tried again).
 */
static const struct bpfkit_elf_file *vdso_elf(struct bpfkit_usyms *u)
{
	uintptr_t base = (uintptr_t)getauxval(AT_SYSINFO_EHDR);
	struct bpfkit_proc_maps *m = NULL;
	struct bpfkit_diag d = { 0 };
	uint64_t start, end;
	char path[64];
	int fd;

	if (u->vdso || u->vdso_err)
		return u->vdso;
	u->vdso_err = -ENOENT;
	if (!base || bpfkit_proc_maps__read(0, &m) || bpfkit_proc_maps__vdso(m, &start, &end) || start != base) {
		bpfkit_proc_maps__free(m);
		return NULL;
	}
	bpfkit_proc_maps__free(m);
	fd = memfd_create("bpfkit-vdso", MFD_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (write(fd, (const void *)base, end - start) == (ssize_t)(end - start)) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		u->vdso_err = bpfkit_elf_file__open(path, &u->vdso, &d);
	}
	close(fd);
	return u->vdso;
}

int bpfkit_usyms__resolve(struct bpfkit_usyms *u, uint32_t pid, uint64_t addr, const char **name,
			  uint64_t *offset, const char **file)
{
	const struct bpfkit_elf_file *elf;
	const struct bpfkit_elf_sym *sym;
	const struct umap *m;
	struct uproc *p;
	uint64_t vaddr;

	if (!u)
		return -ENOENT;
	p = proc_get(u, pid);
	if (!p)
		return -ENOMEM;
	if (p->err && !p->n)
		return p->err;
	if (addr >= p->vdso_start && addr < p->vdso_end) {
		if (!(elf = vdso_elf(u)) || bpfkit_elf_file__offset_to_vaddr(elf, addr - p->vdso_start, &vaddr) ||
		    bpfkit_elf_file__resolve(elf, vaddr, &sym, offset))
			return -ENOENT;
		*name = sym->name;
		if (file)
			*file = "[vdso]";
		return 0;
	}
	m = map_find(p, addr);
	if (!m && !p->gone && now_ns() - p->read_ns >= REREAD_NS) {
		int err = proc_read(u, p);

		if (!err)
			m = map_find(p, addr); /* mapped since (dlopen()) */
		else if (err == -ESRCH)
			p->gone = true; /* no use trying again */
	}
	if (!m || !m->file || !(elf = file_elf(m->file)))
		return -ENOENT;
	if (bpfkit_elf_file__offset_to_vaddr(elf, addr - m->start + m->offset, &vaddr) ||
	    bpfkit_elf_file__resolve(elf, vaddr, &sym, offset))
		return -ENOENT;
	*name = sym->name;
	if (file)
		*file = m->path;
	return 0;
}
