// SPDX-License-Identifier: MIT
/*
 * What bpftrace 0.17 has and bpfkit does not yet, in one table: builtins
 * and functions. Each is an error at its use that says so ("'ctx' is
 * not yet supported by bpfkit", "path() is not yet supported by bpfkit"),
 * never "unknown identifier" or "unknown function" with a suggestion of
 * something else. bpfkit-lang(7) lists the same names (test_lang_docs.c
 * checks that both lists agree).
 *
 * The compiler looks here only after its own tables (vars.c, agg.c,
 * output.c, str.c), so implementing a name there overrides its entry here;
 * test_lang_docs.c then asks for the entry to be removed.
 */
#include <string.h>

#include "lang/compile_int.h"

const struct todo todo_names[] = {
	/* builtins */
	{ "ctx", TODO_BUILTIN },
	{ "sarg", TODO_BUILTIN | TODO_NUMBERED }, /* sarg0 .. sarg9 */
	/* functions */
	{ "cgroup_path", TODO_FUNC },
	{ "debugf", TODO_FUNC },
	{ "kptr", TODO_FUNC },
	{ "override", TODO_FUNC },
	{ "path", TODO_FUNC },
	{ "skboutput", TODO_FUNC },
	{ "unwatch", TODO_FUNC },
	{ "uptr", TODO_FUNC },
};
const size_t todo_nnames = sizeof(todo_names) / sizeof(todo_names[0]);

const struct todo *todo_find(const char *name, unsigned kind)
{
	for (size_t i = 0; i < todo_nnames; i++) {
		const struct todo *t = &todo_names[i];
		size_t n = strlen(t->name);

		if (!(t->kind & kind) || strncmp(name, t->name, n))
			continue;
		if (t->kind & TODO_NUMBERED ? name[n] >= '0' && name[n] <= '9' && !name[n + 1] : !name[n])
			return t;
	}
	return NULL;
}
