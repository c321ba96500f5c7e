// SPDX-License-Identifier: MIT
/*
 * rawtracepoint:NAME. The context is the kernel's struct
 * bpf_raw_tracepoint_args: the tracepoint's arguments as u64s, read with
 * arg0 .. arg5 (what each one is depends on the tracepoint; without BTF we
 * do not know how many there are, and the kernel checks the offsets when it
 * attaches). Wildcards expand through the environment.
 */
#include <string.h>

#include "lang/compile_int.h"

static int rawtp_expand(struct cctx *c, const struct bpfkit_ast_attach *a, struct ptrvec *out)
{
	const char *name;

	if (a->nparts < 1 || a->nparts > 2 || !a->parts[a->nparts - 1][0])
		return sema_error(c, a->loc, NULL, "raw tracepoints are written rawtracepoint:NAME");
	name = a->parts[a->nparts - 1]; /* rawtracepoint:module:name: the module is not needed */
	if (a->wildcard)
		return target_expand_env(c, &provider_rawtracepoint, a, name, out);
	ptrvec_push(c->a, out, target_new(c, &provider_rawtracepoint, a, name));
	return 0;
}

const struct provider provider_rawtracepoint = {
	.type = BPFKIT_PROBE_RAWTRACEPOINT,
	.expand = rawtp_expand,
	.nargs = 6,
};
