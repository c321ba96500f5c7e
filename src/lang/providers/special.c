// SPDX-License-Identifier: MIT
/*
 * BEGIN and END: one program each, no context worth reading. The loader runs
 * them once (BPF_PROG_TEST_RUN of a raw tracepoint program in the kernel, a
 * plain run in the VM) before attaching the others and after detaching them.
 */
#include "lang/compile_int.h"

static int special_expand(struct cctx *c, const struct bpfkit_ast_attach *a, struct ptrvec *out)
{
	if (a->nparts)
		return sema_error(c, a->loc, NULL, "%s takes no arguments", a->provider);
	ptrvec_push(c->a, out, target_new(c, a->type == BPFKIT_PROBE_BEGIN ? &provider_begin : &provider_end,
					   a, ""));
	return 0;
}

const struct provider provider_begin = { .type = BPFKIT_PROBE_BEGIN, .expand = special_expand };
const struct provider provider_end = { .type = BPFKIT_PROBE_END, .expand = special_expand };
