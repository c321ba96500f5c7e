/* SPDX-License-Identifier: MIT */
/*
 * The reader of kallsyms files (src/sym/ksyms.c), on files written here.
 * kaddr()'s lookup of a name (bpfkit_ksyms__addr()): the first matching name
 * wins, module suffixes and other names that share a prefix do not match,
 * all-zero addresses (kptr_restrict) are -EACCES, a missing name -ENOENT,
 * malformed lines are skipped.
 * Kernel address -> symbol (src/sym/ksyms.c, kstack and ksym()): the symbol
 * at or below an address with the offset, however far (bpftrace's
 * resolution through bcc), the first name of several at one address, module
 * suffixes dropped, addresses below every symbol -ENOENT, an all-zero table
 * -EACCES, a missing file its errno on every call, the table read once, at
 * the first lookup.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>

#include <bpfkit/sym.h>

static char *write_tmp(const char *text)
{
	static char path[64];
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "/tmp/bpfkit-ksyms-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

/* bpfkit_ksyms__addr() on a table of @p path, made for the one call. */
static int ksym_addr(const char *path, const char *name, uint64_t *addr)
{
	struct bpfkit_ksyms *k = bpfkit_ksyms__new(path);
	int err;

	assert_non_null(k);
	err = bpfkit_ksyms__addr(k, name, addr);
	bpfkit_ksyms__free(k);
	return err;
}

static void test_lookup(void **state)
{
	char *p = write_tmp("garbage line\n"
			    "ffffffff81000000 T _text\n"
			    "ffffffff82265dd0 T schedule_tail\n"
			    "ffffffff82265e00 T schedule\n"
			    "ffffffff83000000 D avenrun\n"
			    "ffffffffc0001000 t schedule\t[some_module]\n"
			    "ffffffffc0002000 t mod_only\t[some_module]\n");
	uint64_t a = 0;

	(void)state;
	assert_int_equal(ksym_addr(p, "schedule", &a), 0);
	assert_true(a == 0xffffffff82265e00ull);
	assert_int_equal(ksym_addr(p, "avenrun", &a), 0);
	assert_true(a == 0xffffffff83000000ull);
	assert_int_equal(ksym_addr(p, "mod_only", &a), 0);
	assert_true(a == 0xffffffffc0002000ull);
	assert_int_equal(ksym_addr(p, "sched", &a), -ENOENT);
	assert_int_equal(ksym_addr(p, "garbage", &a), -ENOENT);
	assert_int_equal(ksym_addr(p, "", &a), -EINVAL);
	assert_int_equal(bpfkit_ksyms__addr(NULL, "schedule", &a), -EINVAL);
	/* a table already loaded for addresses answers names the same */
	{
		struct bpfkit_ksyms *k = bpfkit_ksyms__new(p);
		const char *name;
		uint64_t off;

		assert_int_equal(bpfkit_ksyms__resolve(k, 0xffffffff82265e01ull, &name, &off), 0);
		assert_string_equal(name, "schedule");
		assert_int_equal(bpfkit_ksyms__addr(k, "schedule", &a), 0);
		assert_true(a == 0xffffffff82265e00ull);
		bpfkit_ksyms__free(k);
	}
	unlink(p);
}

static void test_hidden_addresses(void **state)
{
	char *p = write_tmp("0000000000000000 T _text\n0000000000000000 T schedule\n");
	uint64_t a = 0;

	(void)state;
	assert_int_equal(ksym_addr(p, "schedule", &a), -EACCES);
	assert_int_equal(ksym_addr(p, "nothere", &a), -ENOENT);
	unlink(p);
	assert_int_equal(ksym_addr("/nonexistent/kallsyms", "schedule", &a), -ENOENT);
}

static void test_sym_resolve(void **state)
{
	char *p = write_tmp("garbage line\n"
			    "ffffffff82265e00 T schedule\n"
			    "ffffffff81000000 T _text\n"
			    "ffffffff81000000 T _stext\n"
			    "ffffffff82265dd0 T schedule_tail\n"
			    "ffffffffc0002000 t mod_func\t[some_module]\n");
	struct bpfkit_ksyms *k = bpfkit_ksyms__new(p);
	const char *name = NULL;
	uint64_t off = 1;

	(void)state;
	assert_non_null(k);
	unlink(p); /* read at the first lookup, not before: */
	assert_int_equal(bpfkit_ksyms__resolve(k, 0xffffffff82265e00ull, &name, &off), -ENOENT);
	bpfkit_ksyms__free(k);

	p = write_tmp("garbage line\n"
		      "ffffffff82265e00 T schedule\n"
		      "ffffffff81000000 T _text\n"
		      "ffffffff81000000 T _stext\n"
		      "ffffffff82265dd0 T schedule_tail\n"
		      "ffffffffc0002000 t mod_func\t[some_module]\n");
	k = bpfkit_ksyms__new(p);
	assert_int_equal(bpfkit_ksyms__resolve(k, 0xffffffff82265e00ull, &name, &off), 0);
	unlink(p); /* loaded once: later lookups do not read the file */
	assert_string_equal(name, "schedule");
	assert_true(off == 0);
	assert_int_equal(bpfkit_ksyms__resolve(k, 0xffffffff82265dd5ull, &name, &off), 0);
	assert_string_equal(name, "schedule_tail");
	assert_true(off == 5);
	assert_int_equal(bpfkit_ksyms__resolve(k, 0xffffffff81000010ull, &name, &off), 0);
	assert_string_equal(name, "_text"); /* the first of the names at one address */
	assert_int_equal(bpfkit_ksyms__resolve(k, 0xffffffffc0002010ull, &name, &off), 0);
	assert_string_equal(name, "mod_func");
	assert_true(off == 0x10);
	assert_int_equal(bpfkit_ksyms__resolve(k, UINT64_MAX, &name, &off), 0);
	assert_string_equal(name, "mod_func"); /* however far, as bcc */
	assert_int_equal(bpfkit_ksyms__resolve(k, 0xffffffff80000000ull, &name, &off), -ENOENT);
	assert_int_equal((int)bpfkit_ksyms__count(k), 5);
	bpfkit_ksyms__free(k);
}

static void test_sym_hidden_and_missing(void **state)
{
	char *p = write_tmp("0000000000000000 T _text\n0000000000000000 T schedule\n");
	struct bpfkit_ksyms *k = bpfkit_ksyms__new(p);
	const char *name;
	uint64_t off;

	(void)state;
	assert_int_equal(bpfkit_ksyms__resolve(k, 0x1000, &name, &off), -EACCES);
	assert_int_equal((int)bpfkit_ksyms__count(k), 0);
	bpfkit_ksyms__free(k);
	unlink(p);
	k = bpfkit_ksyms__new("/nonexistent/kallsyms");
	assert_int_equal(bpfkit_ksyms__resolve(k, 0x1000, &name, &off), -ENOENT);
	assert_int_equal(bpfkit_ksyms__resolve(k, 0x1000, &name, &off), -ENOENT);
	bpfkit_ksyms__free(k);
	bpfkit_ksyms__free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_hidden_addresses),
		cmocka_unit_test(test_sym_resolve),
		cmocka_unit_test(test_sym_hidden_and_missing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
