// SPDX-License-Identifier: MIT
/*
 * rawtracepoint:NAME. The context is the kernel's struct
 * bpf_raw_tracepoint_args: the tracepoint's arguments as u64s, read with
 * arg0 .. arg5 (what each one is depends on the tracepoint; without BTF we
 * do not know how many there are, and the kernel checks the offsets when it
 * attaches). Wildcards expand through the environment, which must also
 * list a name without them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lang/compile_int.h"

static int add_name(void *arg, const char *name)
{
	struct cctx *c = arg;

	ptrvec_push(c->a, &c->rawtp_names, arena_strndup(c->a, name, strlen(name)));
	return 0;
}

/* Counts what the environment found for one exact name. */
static int count_name(void *arg, const char *name)
{
	(void)name;
	++*(size_t *)arg;
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * A raw tracepoint the environment does not list is an error here, with
 * the closest name it lists, as the kernel would refuse it only when
 * attaching. The name is asked for alone first (the environment finds it
 * in tracefs, or else in BTF, in well under a millisecond); only a name it
 * does not find has the whole list read, once per compilation (from BTF it
 * takes some 30 ms and 5 MB), for the error's suggestion. When the
 * environment cannot list raw tracepoints (no BTF, tracefs unreadable)
 * nothing is said: the kernel will.
 */
static int rawtp_check(struct cctx *c, const struct bpfkit_ast_attach *a, const char *name)
{
	size_t found = 0;

	if (c->rawtp_listed <= 0 && c->env && c->env->expand &&
	    !c->env->expand(c->env->user, BPFKIT_PROBE_RAWTRACEPOINT, name, count_name, &found) && found)
		return 0;
	if (!c->rawtp_listed) {
		c->rawtp_listed = -1;
		if (c->env && c->env->expand &&
		    !c->env->expand(c->env->user, BPFKIT_PROBE_RAWTRACEPOINT, "*", add_name, c) && c->rawtp_names.n) {
			qsort(c->rawtp_names.items, c->rawtp_names.n, sizeof(void *), name_cmp);
			c->rawtp_listed = 1;
		}
	}
	if (c->rawtp_listed < 0 ||
	    bsearch(&name, c->rawtp_names.items, c->rawtp_names.n, sizeof(void *), name_cmp))
		return 0;
	return sema_error(c, attach_part_loc(a, a->nparts - 1),
			  bpfkit_lang_suggest(name, (const char *const *)c->rawtp_names.items, c->rawtp_names.n),
			  "raw tracepoint %s not found", name);
}

static int rawtp_expand(struct cctx *c, const struct bpfkit_ast_attach *a, struct ptrvec *out)
{
	const char *name;

	if (a->nparts < 1 || a->nparts > 2 || !a->parts[a->nparts - 1][0])
		return sema_error(c, a->loc, NULL, "raw tracepoints are written rawtracepoint:NAME");
	name = a->parts[a->nparts - 1]; /* rawtracepoint:module:name: the module is not needed */
	if (a->wildcard)
		return target_expand_env(c, &provider_rawtracepoint, a, name, out);
	if (rawtp_check(c, a, name))
		return -EINVAL;
	ptrvec_push(c->a, out, target_new(c, &provider_rawtracepoint, a, name));
	return 0;
}

const struct provider provider_rawtracepoint = {
	.type = BPFKIT_PROBE_RAWTRACEPOINT,
	.expand = rawtp_expand,
	.nargs = 6,
};
