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
	const struct func *tabs[] = { funcs_agg, funcs_out, funcs_str, funcs_net, funcs_sys };
	const size_t ns[] = { funcs_agg_n, funcs_out_n, funcs_str_n, funcs_net_n, funcs_sys_n };
	char *ref = read_ref();
	int missing = 0;

	(void)state;
	for (size_t t = 0; t < sizeof(tabs) / sizeof(tabs[0]); t++)
		for (size_t i = 0; i < ns[t]; i++)
			if (!documented(ref, tabs[t][i].name)) {
				print_message("function '%s' is not in docs/bpfkit-lang.7.scd\n", tabs[t][i].name);
				missing++;
			}
	free(ref);
	assert_int_equal(missing, 0);
}

/*
 * The bold names of the list that starts with @p head in @p ref and ends
 * with the paragraph, "()" dropped, into @p names (at most @p max).
 * Bold text with a space in it (an example message) is no name.
 */
static size_t doc_list(const char *ref, const char *head, char names[][32], size_t max)
{
	const char *p = strstr(ref, head), *end;
	size_t n = 0;

	assert_non_null(p);
	end = strstr(p, "\n\n");
	if (!end)
		end = p + strlen(p);
	while (n < max && (p = strchr(p, '*')) && p < end) {
		const char *close = strchr(p + 1, '*');
		size_t len;

		assert_non_null(close);
		len = (size_t)(close - p - 1);
		if (len > 2 && !memcmp(close - 2, "()", 2))
			len -= 2;
		if (len < 32 && !memchr(p + 1, ' ', len) && !memchr(p + 1, '\n', len)) {
			memcpy(names[n], p + 1, len);
			names[n++][len] = '\0';
		}
		p = close + 1;
	}
	return n;
}

static bool in_list(char names[][32], size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return true;
	return false;
}

/*
 * The compiler's table of bpftrace builtins and functions it lacks (todo.c)
 * and bpfkit-lang(7)'s lists of them agree both ways, and no name in it is
 * implemented (a name implemented must leave the table and the lists).
 */
static void test_todo_documented(void **state)
{
	static const struct {
		const char *head, *what;
		unsigned kind;
	} lists[] = { { "the builtins *", "builtins", TODO_BUILTIN }, { "the functions *", "functions", TODO_FUNC } };
	char *ref = read_ref(), names[64][32], name[40];
	int bad = 0;

	(void)state;
	for (size_t l = 0; l < 2; l++) {
		size_t n = doc_list(ref, lists[l].head, names, 64);

		assert_true(n > 0);
		for (size_t i = 0; i < n; i++)
			if (!todo_find(names[i], lists[l].kind)) {
				print_message("'%s' is listed as not yet supported in docs/bpfkit-lang.7.scd but is not "
					      "in todo.c\n", names[i]);
				bad++;
			}
		for (size_t i = 0; i < todo_nnames; i++) {
			const struct todo *t = &todo_names[i];

			if (!(t->kind & lists[l].kind))
				continue;
			snprintf(name, sizeof(name), "%s%s", t->name, t->kind & TODO_NUMBERED ? "0" : "");
			if (!in_list(names, n, name)) {
				print_message("'%s' (todo.c) is missing from the not yet supported %s in "
					      "docs/bpfkit-lang.7.scd\n", name, lists[l].what);
				bad++;
			}
			if (lists[l].kind == TODO_BUILTIN ? builtin_find(name) != NULL : func_find(name) != NULL) {
				print_message("'%s' is implemented: remove it from todo.c and the docs' list\n", name);
				bad++;
			}
		}
	}
	free(ref);
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtins_documented),
		cmocka_unit_test(test_functions_documented),
		cmocka_unit_test(test_todo_documented),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
