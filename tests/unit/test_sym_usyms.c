// SPDX-License-Identifier: MIT
/*
 * User addresses to names (src/sym/usyms.c) and the /proc/PID/maps parser
 * (src/sym/maps.c), without the kernel: a fixed maps text parsed; then a
 * /proc-like directory of our own (PROC/4242/maps, PROC/4242/root -> /)
 * whose maps place the ustack test program (a PIE) and its shared library
 * (tests/ustack/) and the uprobe tests' fixed-address build
 * (tests/uprobe/target_nopie) at chosen addresses, as the kernel maps
 * them: the names of addresses computed from their symbols check the load
 * bias arithmetic (process address -> file offset -> ELF virtual address).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <bpfkit/sym.h>

/* $BUILD/tests/DIR/NAME, absolute */
static const char *built(const char *dir, const char *name)
{
	static char buf[4][4096];
	static int k;
	const char *b = getenv("BUILD");
	char rel[2048];

	k = (k + 1) % 4;
	snprintf(rel, sizeof(rel), "%s/tests/%s/%s", b && *b ? b : "build", dir, name);
	if (!realpath(rel, buf[k]))
		fail_msg("%s: not built (make test-build)", rel);
	return buf[k];
}

/* A fixed text: file mappings kept in order, anonymous, [heap], [vdso],
 * deleted files left out; a path with spaces kept whole. */
static void test_parse_fixed(void **state)
{
	static const char text[] =
		"55d0a0a00000-55d0a0a01000 r--p 00000000 fd:01 1234 /usr/bin/prog\n"
		"55d0a0a01000-55d0a0a02000 r-xp 00001000 fd:01 1234 /usr/bin/prog\n"
		"55d0a1000000-55d0a1021000 rw-p 00000000 00:00 0          [heap]\n"
		"7f0000000000-7f0000001000 rw-p 00000000 00:00 0 \n"
		"7f0000100000-7f0000128000 r--p 00000000 fd:01 99 /usr/lib/x86_64-linux-gnu/libc.so.6\n"
		"7f0000128000-7f000029d000 r-xp 00028000 fd:01 99 /usr/lib/x86_64-linux-gnu/libc.so.6\n"
		"7f0000300000-7f0000301000 r-xp 00000000 fd:01 77 /tmp/old (deleted)\n"
		"7f0000400000-7f0000401000 r-xp 00002000 fd:01 78 /opt/my app/lib x.so\n"
		"7ffd00000000-7ffd00002000 r-xp 00000000 00:00 0          [vdso]\n";
	struct bpfkit_proc_maps *m;
	const struct bpfkit_proc_map *e;
	uint64_t vs, ve;

	(void)state;
	assert_int_equal(bpfkit_proc_maps__parse(text, sizeof(text) - 1, &m), 0);
	assert_int_equal(bpfkit_proc_maps__count(m), 5);
	e = bpfkit_proc_maps__get(m, 1);
	assert_int_equal(e->start, 0x55d0a0a01000);
	assert_int_equal(e->end, 0x55d0a0a02000);
	assert_int_equal(e->offset, 0x1000);
	assert_true(e->exec);
	assert_string_equal(e->path, "/usr/bin/prog");
	assert_false(bpfkit_proc_maps__get(m, 0)->exec);
	e = bpfkit_proc_maps__find(m, 0x7f0000128000 + 0x1234);
	assert_non_null(e);
	assert_int_equal(e->offset, 0x28000);
	assert_string_equal(e->path, "/usr/lib/x86_64-linux-gnu/libc.so.6");
	assert_string_equal(bpfkit_proc_maps__get(m, 4)->path, "/opt/my app/lib x.so");
	assert_null(bpfkit_proc_maps__find(m, 0x55d0a1000010)); /* [heap] */
	assert_null(bpfkit_proc_maps__find(m, 0x7f0000300010)); /* deleted */
	assert_null(bpfkit_proc_maps__find(m, 0x7ffd00000010)); /* [vdso] */
	assert_null(bpfkit_proc_maps__get(m, 5));
	assert_int_equal(bpfkit_proc_maps__vdso(m, &vs, &ve), 0);
	assert_int_equal(vs, 0x7ffd00000000);
	assert_int_equal(ve, 0x7ffd00002000);
	bpfkit_proc_maps__free(m);
	assert_int_equal(bpfkit_proc_maps__parse("", 0, &m), 0);
	assert_int_equal(bpfkit_proc_maps__count(m), 0);
	assert_int_equal(bpfkit_proc_maps__vdso(m, &vs, &ve), -ENOENT);
	bpfkit_proc_maps__free(m);
}

struct fake {
	char dir[64]; /* the /proc-like directory */
	char maps[8192];
	size_t len;
};

/*
 * A mapping line that places the page of @p file holding symbol @p sym at
 * the address a loader at @p base would give it (base + the symbol's
 * virtual address): the segment's vaddr - offset is the same for every
 * byte of it, so the page at file offset (off & ~0xfff) goes at base +
 * (vaddr - off) + (off & ~0xfff). Returns the symbol's virtual address.
 */
static uint64_t place(struct fake *fk, const char *file, const char *sym, uint64_t base)
{
	struct bpfkit_elf_file *f = NULL;
	struct bpfkit_diag d = { 0 };
	const struct bpfkit_elf_sym *s;
	uint64_t off, vaddr, start;

	if (bpfkit_elf_file__open(file, &f, &d))
		fail_msg("%s", d.msg);
	s = bpfkit_elf_file__find(f, sym);
	assert_non_null(s);
	vaddr = s->addr;
	assert_int_equal(bpfkit_elf_file__vaddr_to_offset(f, vaddr, &off), 0);
	start = base + (vaddr - off) + (off & ~0xfffull);
	fk->len += (size_t)snprintf(fk->maps + fk->len, sizeof(fk->maps) - fk->len,
				    "%llx-%llx r-xp %08llx fd:01 1 %s\n", (unsigned long long)start,
				    (unsigned long long)start + 0x1000, (unsigned long long)(off & ~0xfffull), file);
	bpfkit_elf_file__free(f);
	return vaddr;
}

/* Write the maps text as PROC/4242/maps, and PROC/4242/root -> /. */
static void fake_write(struct fake *fk)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/4242", fk->dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/4242/root", fk->dir);
	assert_int_equal(symlink("/", path), 0);
	snprintf(path, sizeof(path), "%s/4242/maps", fk->dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(fk->maps, f);
	fclose(f);
}

static void fake_remove(struct fake *fk)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", fk->dir);
	assert_int_equal(system(cmd), 0);
}

/* PIE executable, shared library, fixed-address executable: each at its
 * own base; function + offset, the file as the process maps it. */
static void test_resolve_bias(void **state)
{
	struct fake fk = { .len = 0 };
	const char *exe = built("ustack", "callchain"), *lib = built("ustack", "libchain.so");
	const char *nopie = built("uprobe", "target_nopie");
	uint64_t exe_base = 0x555555554000, lib_base = 0x7f1234560000;
	uint64_t vc, vd, vn, off;
	struct bpfkit_usyms *u;
	const char *name, *file;

	(void)state;
	strcpy(fk.dir, "/tmp/bpfkit-usyms-XXXXXX");
	assert_non_null(mkdtemp(fk.dir));
	/* in address order, as the kernel lists them */
	vn = place(&fk, nopie, "main", 0); /* ET_EXEC: addresses are its own */
	vc = place(&fk, exe, "c", exe_base);
	vd = place(&fk, lib, "chain_d", lib_base);
	fake_write(&fk);

	u = bpfkit_usyms__new(fk.dir);
	assert_non_null(u);
	assert_int_equal(bpfkit_usyms__add_pid(u, 4242), 0);
	assert_int_equal(bpfkit_usyms__resolve(u, 4242, exe_base + vc + 3, &name, &off, &file), 0);
	assert_string_equal(name, "c");
	assert_int_equal(off, 3);
	assert_string_equal(file, exe);
	assert_int_equal(bpfkit_usyms__resolve(u, 4242, exe_base + vc, &name, &off, NULL), 0);
	assert_string_equal(name, "c");
	assert_int_equal(off, 0);
	assert_int_equal(bpfkit_usyms__resolve(u, 4242, lib_base + vd + 1, &name, &off, &file), 0);
	assert_string_equal(name, "chain_d");
	assert_int_equal(off, 1);
	assert_string_equal(file, lib);
	assert_int_equal(bpfkit_usyms__resolve(u, 4242, vn + 2, &name, &off, &file), 0);
	assert_string_equal(name, "main");
	assert_int_equal(off, 2);
	assert_string_equal(file, nopie);
	/* no mapping: unknown; three files read once each */
	assert_int_equal(bpfkit_usyms__resolve(u, 4242, 0x1000, &name, &off, &file), -ENOENT);
	assert_int_equal(bpfkit_usyms__npids(u), 1);
	assert_int_equal(bpfkit_usyms__nfiles(u), 3);
	/* a process with no entry: gone, and remembered as gone */
	assert_int_equal(bpfkit_usyms__resolve(u, 4243, exe_base + vc, &name, &off, &file), -ESRCH);
	assert_int_equal(bpfkit_usyms__add_pid(u, 4243), -ESRCH);
	assert_int_equal(bpfkit_usyms__npids(u), 2);
	/* names survive the process: its directory gone, the cached mappings and files stay */
	fake_remove(&fk);
	assert_int_equal(bpfkit_usyms__resolve(u, 4242, exe_base + vc + 3, &name, &off, &file), 0);
	assert_string_equal(name, "c");
	bpfkit_usyms__free(u);
	bpfkit_usyms__free(NULL);
}

/* Files are held open from the first sample: a process that exits before
 * any of its addresses is named still has its names (here: its maps read,
 * then its /proc directory removed before the first lookup). */
static void test_names_after_exit(void **state)
{
	struct fake fk = { .len = 0 };
	const char *lib = built("ustack", "libchain.so");
	uint64_t base = 0x7f0000000000, vd, off;
	struct bpfkit_usyms *u;
	const char *name, *file;

	(void)state;
	strcpy(fk.dir, "/tmp/bpfkit-usyms-XXXXXX");
	assert_non_null(mkdtemp(fk.dir));
	vd = place(&fk, lib, "chain_d", base);
	fake_write(&fk);
	u = bpfkit_usyms__new(fk.dir);
	assert_non_null(u);
	assert_int_equal(bpfkit_usyms__add_pid(u, 4242), 0);
	assert_int_equal(bpfkit_usyms__nfiles(u), 0); /* nothing read yet */
	fake_remove(&fk);
	assert_int_equal(bpfkit_usyms__resolve(u, 4242, base + vd + 5, &name, &off, &file), 0);
	assert_string_equal(name, "chain_d");
	assert_int_equal(off, 5);
	assert_int_equal(bpfkit_usyms__nfiles(u), 1);
	bpfkit_usyms__free(u);
}

/* Our own process through the real /proc: a function of this program and
 * one of the C library, by address. */
static void test_self(void **state)
{
	struct bpfkit_usyms *u = bpfkit_usyms__new(NULL);
	const char *name, *file;
	uint64_t off;

	(void)state;
	assert_non_null(u);
	assert_int_equal(bpfkit_usyms__resolve(u, (uint32_t)getpid(), (uint64_t)(uintptr_t)&test_self + 4, &name,
					       &off, &file),
			 0);
	assert_string_equal(name, "test_self");
	assert_int_equal(off, 4);
	/* getpid: no sanitizer intercepts it, so the C library's own */
	assert_int_equal(bpfkit_usyms__resolve(u, (uint32_t)getpid(), (uint64_t)(uintptr_t)&getpid, &name, &off,
					       &file),
			 0);
	assert_non_null(strstr(file, "libc"));
	assert_non_null(strstr(name, "getpid"));
	assert_int_equal(off, 0);
	bpfkit_usyms__free(u);
}

/* The [vdso]: some address of ours in it names a function of file "[vdso]". */
static void test_vdso(void **state)
{
	struct bpfkit_usyms *u = bpfkit_usyms__new(NULL);
	struct bpfkit_proc_maps *m;
	uint64_t start, end, off;
	const char *name, *file;
	bool found = false;

	(void)state;
	assert_int_equal(bpfkit_proc_maps__read(0, &m), 0);
	if (bpfkit_proc_maps__vdso(m, &start, &end)) {
		bpfkit_proc_maps__free(m);
		bpfkit_usyms__free(u);
		skip();
	}
	bpfkit_proc_maps__free(m);
	for (uint64_t a = start; a < end && !found; a += 16)
		if (!bpfkit_usyms__resolve(u, (uint32_t)getpid(), a, &name, &off, &file)) {
			assert_string_equal(file, "[vdso]");
			found = strstr(name, "time") != NULL; /* clock_gettime, gettimeofday, time */
		}
	assert_true(found);
	bpfkit_usyms__free(u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_fixed),
		cmocka_unit_test(test_resolve_bias),
		cmocka_unit_test(test_names_after_exit),
		cmocka_unit_test(test_self),
		cmocka_unit_test(test_vdso),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
