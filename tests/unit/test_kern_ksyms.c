/* SPDX-License-Identifier: MIT */
/*
 * kaddr()'s lookup in a kallsyms file (src/kern/ksyms.c), on files written
 * here: the first matching name wins, module suffixes and other names that
 * share a prefix do not match, all-zero addresses (kptr_restrict) are
 * -EACCES, a missing name -ENOENT, malformed lines are skipped.
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

#include "kern/kern_int.h"

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
	assert_int_equal(kern_ksym_addr(p, "schedule", &a), 0);
	assert_true(a == 0xffffffff82265e00ull);
	assert_int_equal(kern_ksym_addr(p, "avenrun", &a), 0);
	assert_true(a == 0xffffffff83000000ull);
	assert_int_equal(kern_ksym_addr(p, "mod_only", &a), 0);
	assert_true(a == 0xffffffffc0002000ull);
	assert_int_equal(kern_ksym_addr(p, "sched", &a), -ENOENT);
	assert_int_equal(kern_ksym_addr(p, "garbage", &a), -ENOENT);
	assert_int_equal(kern_ksym_addr(p, "", &a), -EINVAL);
	unlink(p);
}

static void test_hidden_addresses(void **state)
{
	char *p = write_tmp("0000000000000000 T _text\n0000000000000000 T schedule\n");
	uint64_t a = 0;

	(void)state;
	assert_int_equal(kern_ksym_addr(p, "schedule", &a), -EACCES);
	assert_int_equal(kern_ksym_addr(p, "nothere", &a), -ENOENT);
	unlink(p);
	assert_int_equal(kern_ksym_addr("/nonexistent/kallsyms", "schedule", &a), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_hidden_addresses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
