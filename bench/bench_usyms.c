// SPDX-License-Identifier: MIT
/*
 * bench_usyms: the cost of naming user addresses (src/sym/usyms.c), what
 * printing a large ustack profile pays: a process seen for the first time
 * (its mappings read, its files opened: what the tracer does at the
 * process's first sample), then 100,000 stacks of 8 frames (800,000
 * lookups) at function addresses + small offsets spread over this
 * program's executable and its shared libraries (libc, libelf, libz,
 * libbpf...), shuffled; the first pass also reads each file's symbols,
 * so it is timed apart from a second pass over the same frames.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <bpfkit/sym.h>

#define STACKS 100000
#define DEPTH 8
#define LOOKUPS (STACKS * DEPTH)

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Function addresses of this process, through its executable mappings:
 * address = map start + (file offset of the symbol - map offset). */
static size_t func_addrs(uint64_t *out, size_t max)
{
	struct bpfkit_proc_maps *m;
	size_t n = 0;

	if (bpfkit_proc_maps__read(0, &m))
		return 0;
	for (size_t i = 0; i < bpfkit_proc_maps__count(m); i++) {
		const struct bpfkit_proc_map *pm = bpfkit_proc_maps__get(m, i);
		struct bpfkit_elf_file *f = NULL;
		struct bpfkit_diag d = { 0 };

		if (!pm->exec || bpfkit_elf_file__open(pm->path, &f, &d))
			continue;
		for (size_t k = 0; k < bpfkit_elf_file__nsyms(f) && n < max; k++) {
			const struct bpfkit_elf_sym *s = bpfkit_elf_file__sym(f, k);
			uint64_t off;

			if (s->kind != BPFKIT_ELF_SYM_FUNC || bpfkit_elf_file__vaddr_to_offset(f, s->addr, &off) ||
			    off < pm->offset || off - pm->offset >= pm->end - pm->start)
				continue;
			out[n++] = pm->start + (off - pm->offset) + (s->size > 1 ? (uint64_t)rand() % s->size : 0);
		}
		bpfkit_elf_file__free(f);
	}
	bpfkit_proc_maps__free(m);
	return n;
}

int main(void)
{
	static uint64_t funcs[LOOKUPS], frames[LOOKUPS];
	struct bpfkit_usyms *u = bpfkit_usyms__new(NULL);
	uint32_t pid = (uint32_t)getpid();
	size_t n, named = 0;
	double t0, t1, t2, t3;

	srand(1);
	n = func_addrs(funcs, LOOKUPS);
	if (!u || !n) {
		printf("  usyms: skipped (cannot read this process's mappings)\n");
		bpfkit_usyms__free(u);
		return 0;
	}
	for (size_t i = 0; i < LOOKUPS; i++)
		frames[i] = funcs[(size_t)rand() % n];
	t0 = now_s();
	bpfkit_usyms__add_pid(u, pid);
	t1 = now_s();
	for (size_t i = 0; i < LOOKUPS; i++) {
		const char *name, *file;
		uint64_t off;

		named += !bpfkit_usyms__resolve(u, pid, frames[i], &name, &off, &file);
	}
	t2 = now_s();
	for (size_t i = 0; i < LOOKUPS; i++) {
		const char *name, *file;
		uint64_t off;

		bpfkit_usyms__resolve(u, pid, frames[i], &name, &off, &file);
	}
	t3 = now_s();
	printf("  usyms: a process's first sample (maps read, files opened) %.2f ms; "
	       "%d stacks of %d frames: %.0f ms with the files' symbols read (%zu files), %.0f ms again "
	       "(%.0f ns a frame), %zu of %d named\n",
	       (t1 - t0) * 1e3, STACKS, DEPTH, (t2 - t1) * 1e3, bpfkit_usyms__nfiles(u), (t3 - t2) * 1e3,
	       (t3 - t2) * 1e9 / LOOKUPS, named, LOOKUPS);
	bpfkit_usyms__free(u);
	return 0;
}
