// SPDX-License-Identifier: MIT
/*
 * tracepoint:SYSTEM:EVENT. The program's context is the raw trace record
 * (common fields included), so `args->f` is a load at the field's offset
 * from the format file, of its width, sign-extended when signed. The fields
 * come from the environment (tracefs in the CLI, fixed tables in tests).
 * Pointer arguments of syscall tracepoints point to user memory.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lang/compile_int.h"

/* Load the fields of @p t from the environment (once). */
static int tp_args(struct cctx *c, struct target *t, struct bpfkit_loc loc)
{
	const struct bpfkit_lang_field *f = NULL;
	struct bpfkit_lang_field *copy;
	size_t n = 0;
	int err;

	if (t->fields_loaded)
		return 0;
	if (!c->env || !c->env->tp_fields)
		return sema_error(c, loc, NULL, "no tracepoint formats available to resolve args of %s", t->name);
	err = c->env->tp_fields(c->env->user, t->system, t->event, &f, &n);
	if (err == -ENOENT)
		return sema_error(c, t->attach->loc, NULL, "tracepoint %s:%s not found", t->system, t->event);
	if (err || (n && !f))
		return sema_error(c, loc, NULL, "cannot read the format of %s:%s: %s", t->system, t->event,
				  env_why(c, err < 0 ? err : -EINVAL));
	copy = fields_copy(c, f, n);
	for (size_t i = 0; i < n; i++)
		if (copy[i].size > 8 && !copy[i].array_len && !copy[i].is_data_loc)
			copy[i].size = 0; /* a blob: refused when used */
	t->fields = copy;
	t->nfields = n;
	t->fields_loaded = true;
	return 0;
}

static int tp_expand(struct cctx *c, const struct bpfkit_ast_attach *a, struct ptrvec *out)
{
	struct target *t;
	size_t first = out->n;
	int err;

	if (a->nparts != 2 || !a->parts[0][0] || !a->parts[1][0])
		return sema_error(c, a->loc, NULL, "tracepoints are written tracepoint:SYSTEM:EVENT");
	if (a->wildcard) {
		char pat[512];

		snprintf(pat, sizeof(pat), "%s:%s", a->parts[0], a->parts[1]);
		err = target_expand_env(c, &provider_tracepoint, a, pat, out);
	} else {
		char name[512];

		snprintf(name, sizeof(name), "%s:%s", a->parts[0], a->parts[1]);
		ptrvec_push(c->a, out, target_new(c, &provider_tracepoint, a, arena_strndup(c->a, name, strlen(name))));
		err = 0;
	}
	if (err)
		return err;
	for (size_t i = first; i < out->n; i++) {
		const char *colon;

		t = out->items[i];
		colon = strchr(t->target, ':');
		if (!colon)
			return sema_error(c, a->loc, NULL, "bad tracepoint name '%s' from the environment", t->target);
		t->system = arena_strndup(c->a, t->target, (size_t)(colon - t->target));
		t->event = colon + 1;
		t->user_strings = !strcmp(t->system, "syscalls");
		/* an unknown tracepoint is an error even when args are not used */
		if (c->env && c->env->tp_fields && tp_args(c, t, a->loc))
			return -EINVAL;
	}
	return 0;
}

const struct provider provider_tracepoint = {
	.type = BPFKIT_PROBE_TRACEPOINT,
	.expand = tp_expand,
	.args = tp_args,
};
