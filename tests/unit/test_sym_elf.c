// SPDX-License-Identifier: MIT
/*
 * Unit tests of the user-space ELF reader, probe target paths and process
 * mappings (src/sym/elf.c, path.c, maps.c), against the programs the
 * Makefile builds in $BUILD/tests/uprobe (a PIE, a fixed-address build, a
 * shared library, a C++ program) and against broken files written here.
 */
#include <errno.h>
#include <fcntl.h>
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
#include <gnu/libc-version.h>

#include <bpfkit/sym.h>

static char tmpdir[64];

/* $BUILD/tests/uprobe/NAME */
static const char *target(const char *name)
{
	static char buf[4][512];
	static int k;
	const char *b = getenv("BUILD");

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s/tests/uprobe/%s", b && *b ? b : "build", name);
	return buf[k];
}

static struct bpfkit_elf_file *open_ok(const char *path)
{
	struct bpfkit_elf_file *f = NULL;
	struct bpfkit_diag d = { 0 };

	if (bpfkit_elf_file__open(path, &f, &d))
		fail_msg("%s: %s", path, d.msg);
	return f;
}

/* Function symbols, their sizes and kinds; lookups by exact name. */
static void test_symbols(void **state)
{
	struct bpfkit_elf_file *f = open_ok(target("target"));
	const struct bpfkit_elf_sym *s, *prev = NULL;

	(void)state;
	assert_true(bpfkit_elf_file__is_dyn(f));
	assert_true(bpfkit_elf_file__has_symtab(f));
	s = bpfkit_elf_file__find(f, "uf_add");
	assert_non_null(s);
	assert_int_equal(s->kind, BPFKIT_ELF_SYM_FUNC);
	assert_true(s->size > 0 && s->size < 64);
	assert_non_null(bpfkit_elf_file__find(f, "uf_args8"));
	assert_non_null(bpfkit_elf_file__find(f, "main"));
	assert_null(bpfkit_elf_file__find(f, "uf_ad"));
	assert_null(bpfkit_elf_file__find(f, "ul_mul")); /* undefined here: in the library */
	assert_null(bpfkit_elf_file__find(f, ""));
	/* sorted by name, each name once */
	for (size_t i = 0; i < bpfkit_elf_file__nsyms(f); i++) {
		s = bpfkit_elf_file__sym(f, i);
		if (prev)
			assert_true(strcmp(prev->name, s->name) < 0);
		prev = s;
	}
	assert_null(bpfkit_elf_file__sym(f, bpfkit_elf_file__nsyms(f)));
	bpfkit_elf_file__free(f);

	f = open_ok(target("libuptarget.so"));
	assert_true(bpfkit_elf_file__is_dyn(f));
	assert_non_null(bpfkit_elf_file__find(f, "ul_mul"));
	bpfkit_elf_file__free(f);

	f = open_ok(target("target_cpp"));
	assert_non_null(bpfkit_elf_file__find(f, "_ZN2ns7Counter4bumpEi"));
	assert_non_null(bpfkit_elf_file__find(f, "_Z7cpp_sumii"));
	bpfkit_elf_file__free(f);
}

/* ET_EXEC: addresses are absolute; vaddr <-> offset through PT_LOAD. */
static void test_nopie_offsets(void **state)
{
	struct bpfkit_elf_file *f = open_ok(target("target_nopie"));
	struct bpfkit_elf_file *p = open_ok(target("target"));
	const struct bpfkit_elf_sym *s = bpfkit_elf_file__find(f, "uf_add"), *ps = bpfkit_elf_file__find(p, "uf_add");
	uint64_t off, va, poff;

	(void)state;
	assert_false(bpfkit_elf_file__is_dyn(f));
	assert_non_null(s);
	assert_true(s->addr >= 0x400000);
	assert_int_equal(bpfkit_elf_file__vaddr_to_offset(f, s->addr, &off), 0);
	assert_true(off < s->addr);
	assert_int_equal(bpfkit_elf_file__offset_to_vaddr(f, off, &va), 0);
	assert_int_equal(va, s->addr);
	/* in a PIE, text addresses are their file offsets (as ld lays it out) */
	assert_int_equal(bpfkit_elf_file__vaddr_to_offset(p, ps->addr, &poff), 0);
	assert_int_equal(poff, ps->addr);
	assert_int_equal(bpfkit_elf_file__vaddr_to_offset(f, 0x10, &off), -ENOENT);
	assert_int_equal(bpfkit_elf_file__offset_to_vaddr(f, UINT64_MAX - 1, &va), -ENOENT);
	bpfkit_elf_file__free(f);
	bpfkit_elf_file__free(p);
}

/* Address -> function + offset, sizes respected. */
static void test_resolve(void **state)
{
	struct bpfkit_elf_file *f = open_ok(target("target_nopie"));
	const struct bpfkit_elf_sym *s = bpfkit_elf_file__find(f, "uf_add"), *got = NULL;
	uint64_t off = 99;

	(void)state;
	assert_int_equal(bpfkit_elf_file__resolve(f, s->addr, &got, &off), 0);
	assert_string_equal(got->name, "uf_add");
	assert_int_equal(off, 0);
	assert_int_equal(bpfkit_elf_file__resolve(f, s->addr + s->size - 1, &got, &off), 0);
	assert_string_equal(got->name, "uf_add");
	assert_int_equal(off, s->size - 1);
	/* just past its end: another function, or nothing (padding) */
	if (!bpfkit_elf_file__resolve(f, s->addr + s->size, &got, &off))
		assert_string_not_equal(got->name, "uf_add");
	assert_int_equal(bpfkit_elf_file__resolve(f, 1, &got, &off), -ENOENT);
	assert_int_equal(bpfkit_elf_file__resolve(f, UINT64_MAX, &got, &off), -ENOENT);
	bpfkit_elf_file__free(f);
}

static void test_build_id(void **state)
{
	struct bpfkit_elf_file *f = open_ok(target("target"));
	size_t len = 0;
	const uint8_t *id = bpfkit_elf_file__build_id(f, &len);

	(void)state;
	/* gcc on Debian links with --build-id (sha1: 20 bytes) */
	assert_non_null(id);
	assert_int_equal(len, 20);
	bpfkit_elf_file__free(f);
}

/* A copy of @p src in the temp directory, cut to @p len bytes (SIZE_MAX:
 * whole) and patched at @p at with @p n bytes of @p patch. */
static const char *write_variant(const char *name, const char *src, size_t len, size_t at, const void *patch,
				 size_t n)
{
	static char path[256];
	FILE *in = fopen(src, "rb"), *out;
	static unsigned char buf[1 << 20];
	size_t got;

	assert_non_null(in);
	got = fread(buf, 1, sizeof(buf), in);
	fclose(in);
	if (len < got)
		got = len;
	if (patch)
		memcpy(buf + at, patch, n);
	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	out = fopen(path, "wb");
	assert_non_null(out);
	assert_int_equal(fwrite(buf, 1, got, out), got);
	fclose(out);
	return path;
}

static void expect_error(const char *path, int err, const char *msg)
{
	struct bpfkit_elf_file *f = (void *)1;
	struct bpfkit_diag d = { 0 };

	assert_int_equal(bpfkit_elf_file__open(path, &f, &d), err);
	assert_null(f);
	if (!strstr(d.msg, msg))
		fail_msg("'%s' lacks '%s'", d.msg, msg);
}

/* Untrusted input: each broken file is an error that says what is wrong. */
static void test_bad_files(void **state)
{
	const char *t = target("target_nopie");
	uint16_t aarch64 = 183, rel = 1;
	uint8_t class32 = 1;
	uint64_t far = 1ull << 40;

	(void)state;
	expect_error(write_variant("text", "/etc/hostname", SIZE_MAX, 0, NULL, 0), -ENOEXEC, "not an ELF file");
	expect_error(write_variant("empty", t, 0, 0, NULL, 0), -ENOEXEC, "not an ELF file");
	expect_error(write_variant("hdr", t, 40, 0, NULL, 0), -ENOEXEC, "truncated ELF file (40 bytes");
	expect_error(write_variant("arm", t, SIZE_MAX, 18, &aarch64, 2), -ENOEXEC, "ELF file for aarch64");
	expect_error(write_variant("elf32", t, SIZE_MAX, 4, &class32, 1), -ENOEXEC, "(32-bit, little-endian), not x86-64");
	expect_error(write_variant("rel", t, SIZE_MAX, 16, &rel, 2), -ENOEXEC, "relocatable object");
	expect_error(write_variant("shoff", t, SIZE_MAX, 40, &far, 8), -ENOEXEC, "section headers");
	expect_error(write_variant("phoff", t, SIZE_MAX, 32, &far, 8), -ENOEXEC, "program headers");
	expect_error(write_variant("cut", t, 8192, 0, NULL, 0), -ENOEXEC, "truncated ELF file");
	expect_error("/nonexistent/x", -ENOENT, "/nonexistent/x: No such file or directory");
	expect_error("/tmp", -EISDIR, "is a directory");
}

/* A stripped copy has .dynsym only: exported functions stay. */
static void test_stripped(void **state)
{
	char cmd[1024], out[300];
	struct bpfkit_elf_file *f;

	(void)state;
	snprintf(out, sizeof(out), "%s/stripped", tmpdir);
	snprintf(cmd, sizeof(cmd), "strip -o %s %s 2>/dev/null", out, target("libuptarget.so"));
	if (system(cmd)) {
		skip();
		return;
	}
	f = open_ok(out);
	assert_false(bpfkit_elf_file__has_symtab(f));
	assert_non_null(bpfkit_elf_file__find(f, "ul_mul"));
	bpfkit_elf_file__free(f);
}

/* A fixture ld.so.cache: two x86-64 entries and one of another ABI. */
static void test_ld_cache(void **state)
{
	unsigned char buf[512] = { 0 };
	char path[256], out[256];
	const char *strs[] = { "libfoo.so.2", "/opt/x/libfoo.so.2", "libbar.so", "/opt/x/libbar.so", "libfoo.so.1",
			       "/opt/i386/libfoo.so.1" };
	uint32_t flags[] = { 0x0303, 0x0303, 0x0003 };
	size_t pos = 48 + 3 * 24;
	uint32_t off[6];
	FILE *fp;

	(void)state;
	memcpy(buf, "glibc-ld.so.cache1.1", 20);
	buf[20] = 3;
	for (int i = 0; i < 6; i++) {
		off[i] = (uint32_t)pos;
		memcpy(buf + pos, strs[i], strlen(strs[i]) + 1);
		pos += strlen(strs[i]) + 1;
	}
	/* the i386 entry first: it must be skipped */
	for (int i = 0; i < 3; i++) {
		int e = (i + 2) % 3;
		unsigned char *p = buf + 48 + 24 * i;

		memcpy(p, &flags[e], 4);
		memcpy(p + 4, &off[2 * e], 4);
		memcpy(p + 8, &off[2 * e + 1], 4);
	}
	snprintf(path, sizeof(path), "%s/ld.so.cache", tmpdir);
	fp = fopen(path, "wb");
	fwrite(buf, 1, pos, fp);
	fclose(fp);
	assert_int_equal(bpfkit_sym_find_library("libfoo", path, out, sizeof(out)), 0);
	assert_string_equal(out, "/opt/x/libfoo.so.2");
	assert_int_equal(bpfkit_sym_find_library("libbar", path, out, sizeof(out)), 0);
	assert_string_equal(out, "/opt/x/libbar.so");
	assert_int_equal(bpfkit_sym_find_library("libfoo.so.2", path, out, sizeof(out)), 0);
	assert_int_equal(bpfkit_sym_find_library("libba", path, out, sizeof(out)), -ENOENT);
	assert_int_equal(bpfkit_sym_find_library("libfoo", path, out, 5), -ENAMETOOLONG);
	/* a truncated cache is no cache: the standard directories still work */
	fp = fopen(path, "wb");
	fwrite(buf, 1, 60, fp);
	fclose(fp);
	assert_int_equal(bpfkit_sym_find_library("libfoo", path, out, sizeof(out)), -ENOENT);
	assert_int_equal(bpfkit_sym_find_library("libc", path, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "/libc.so"));
}

/* Probe targets: paths, programs in PATH, libraries, through a pid. */
static void test_find_target(void **state)
{
	char out[512], want[512];
	struct bpfkit_diag d = { 0 };

	(void)state;
	assert_int_equal(bpfkit_sym_find_target("/bin/sh", 0, out, sizeof(out), &d), 0);
	assert_string_equal(out, "/bin/sh");
	assert_int_equal(bpfkit_sym_find_target("sh", 0, out, sizeof(out), &d), 0);
	assert_int_equal(out[0], '/');
	assert_non_null(strstr(out, "/sh"));
	assert_int_equal(bpfkit_sym_find_target("libc", 0, out, sizeof(out), &d), 0);
	assert_non_null(strstr(out, "/libc.so.6"));
	assert_int_equal(bpfkit_sym_find_target(target("target"), 0, out, sizeof(out), &d), 0);
	assert_int_equal(bpfkit_sym_find_target("no_such_program_xyz", 0, out, sizeof(out), &d), -ENOENT);
	assert_string_equal(d.msg, "'no_such_program_xyz': no such file, program in PATH or library");
	assert_int_equal(bpfkit_sym_find_target("./no/such", 0, out, sizeof(out), &d), -ENOENT);
	assert_string_equal(d.msg, "'./no/such': No such file or directory");
	/* through /proc/PID/root, and a library among the process's mappings */
	assert_int_equal(bpfkit_sym_find_target("/bin/sh", getpid(), out, sizeof(out), &d), 0);
	snprintf(want, sizeof(want), "/proc/%d/root/bin/sh", getpid());
	assert_string_equal(out, want);
	assert_int_equal(bpfkit_sym_find_target("libc", getpid(), out, sizeof(out), &d), 0);
	snprintf(want, sizeof(want), "/proc/%d/root/", getpid());
	assert_memory_equal(out, want, strlen(want));
	assert_non_null(strstr(out, "libc.so.6"));
	assert_int_equal(bpfkit_proc_path(0, "/x", out, sizeof(out)), 0);
	assert_string_equal(out, "/x");
	assert_int_equal(bpfkit_proc_path(1, "/x", out, 8), -ENAMETOOLONG);
}

/* This process's mappings: libc is there, executable, found by address. */
/* C++ names through the C++ runtime's demangler; anything else unchanged. */
static void test_demangle(void **state)
{
	char buf[128];
	const char *plain = "uf_add";

	(void)state;
	assert_string_equal(bpfkit_sym_demangle("_ZN2ns7Counter4bumpEi", buf, sizeof(buf)), "ns::Counter::bump(int)");
	assert_string_equal(bpfkit_sym_demangle("_Z7cpp_sumii", buf, sizeof(buf)), "cpp_sum(int, int)");
	assert_ptr_equal(bpfkit_sym_demangle(plain, buf, sizeof(buf)), plain);
	assert_string_equal(bpfkit_sym_demangle("_Znot a name", buf, sizeof(buf)), "_Znot a name");
	assert_string_equal(bpfkit_sym_demangle("_ZN2ns7Counter4bumpEi", buf, 8), "ns::Cou"); /* cut to the buffer */
}

static void test_proc_maps(void **state)
{
	struct bpfkit_proc_maps *m = NULL;
	const struct bpfkit_proc_map *map;
	/* a libc function no sanitizer intercepts (ASan's printf lives in libasan) */
	uint64_t addr = (uint64_t)(uintptr_t)&gnu_get_libc_version;

	(void)state;
	assert_int_equal(bpfkit_proc_maps__read(0, &m), 0);
	assert_true(bpfkit_proc_maps__count(m) > 2);
	map = bpfkit_proc_maps__find(m, addr);
	assert_non_null(map);
	assert_true(map->exec);
	assert_non_null(strstr(map->path, "libc.so"));
	assert_true(map->start <= addr && addr < map->end);
	assert_null(bpfkit_proc_maps__find(m, 0));
	for (size_t i = 1; i < bpfkit_proc_maps__count(m); i++)
		assert_true(bpfkit_proc_maps__get(m, i - 1)->end <= bpfkit_proc_maps__get(m, i)->start);
	bpfkit_proc_maps__free(m);
	assert_int_equal(bpfkit_proc_maps__read(0x7ffffff0, &m), -ESRCH);
	assert_null(m);
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/bpfkit-sym-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	return system(cmd) ? -1 : 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_symbols),	    cmocka_unit_test(test_nopie_offsets), cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_build_id),    cmocka_unit_test(test_bad_files),	  cmocka_unit_test(test_stripped),
		cmocka_unit_test(test_ld_cache),    cmocka_unit_test(test_find_target),   cmocka_unit_test(test_proc_maps), cmocka_unit_test(test_demangle),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
