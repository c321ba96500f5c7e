/* SPDX-License-Identifier: MIT */
/*
 * The language reference (docs/bpfkit-lang.7.scd) names every builtin and
 * every function the compiler knows, so that adding one without documenting
 * it fails here. The lists come from the compiler's own tables.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lang/compile_int.h"

static char *read_ref(void)
{
	const char *d = getenv("BPFKIT_DOCS");
	char path[4096];
	FILE *f;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/bpfkit-lang.7.scd", d && *d ? d : "docs");
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* @p name appears in bold as scdoc writes it: "*name*" or "*name(". */
static bool documented(const char *ref, const char *name)
{
	char a[64], b[64];

	snprintf(a, sizeof(a), "*%s*", name);
	snprintf(b, sizeof(b), "*%s(", name);
	return strstr(ref, a) || strstr(ref, b);
}

static void test_builtins_documented(void **state)
{
	char *ref = read_ref();
	int missing = 0;

	(void)state;
	for (size_t i = 0; i < builtin_nnames; i++)
		if (!documented(ref, builtin_names[i])) {
			print_message("builtin '%s' is not in docs/bpfkit-lang.7.scd\n", builtin_names[i]);
			missing++;
		}
	free(ref);
	assert_int_equal(missing, 0);
}

static void test_functions_documented(void **state)
{
	const struct func *tabs[] = { funcs_agg, funcs_out, funcs_str };
	const size_t ns[] = { funcs_agg_n, funcs_out_n, funcs_str_n };
	char *ref = read_ref();
	int missing = 0;

	(void)state;
	for (size_t t = 0; t < 3; t++)
		for (size_t i = 0; i < ns[t]; i++)
			if (!documented(ref, tabs[t][i].name)) {
				print_message("function '%s' is not in docs/bpfkit-lang.7.scd\n", tabs[t][i].name);
				missing++;
			}
	free(ref);
	assert_int_equal(missing, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtins_documented),
		cmocka_unit_test(test_functions_documented),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
