// SPDX-License-Identifier: MIT
/*
 * kprobe:FUNC[+OFFSET] and kretprobe:FUNC (k:, kr:; also written with a
 * module, kprobe:MODULE:FUNC): a program run when a kernel function is
 * entered or returns, through the kernel's kprobe PMU. Wildcards expand
 * through the environment (the kernel's traceable functions). The context
 * is struct pt_regs, as for uprobes (providers/ptregs.c): arg0..arg9,
 * retval, reg(). Whether this kernel has kprobes at all is known when the
 * program is attached; the kern layer then says why not.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/compile_int.h"

static int kprobe_expand(struct cctx *c, const struct bpfkit_ast_attach *a, struct ptrvec *out)
{
	const struct provider *p = a->type == BPFKIT_PROBE_KPROBE ? &provider_kprobe : &provider_kretprobe;
	const char *prov = bpfkit_probe_type_name(a->type), *func, *plus;
	size_t first = out->n;
	uint64_t off = 0;
	char *end;
	int err;

	if (a->nparts < 1 || a->nparts > 2 || !a->parts[a->nparts - 1][0])
		return sema_error(c, a->loc, NULL, "%s probes are written %s:FUNCTION", prov, prov);
	func = a->parts[a->nparts - 1]; /* kprobe:module:func: the module is not needed */
	plus = strchr(func, '+');
	if (plus) {
		errno = 0;
		off = strtoull(plus + 1, &end, 0);
		if (a->wildcard || plus[1] < '0' || plus[1] > '9' || *end || errno)
			return sema_error(c, attach_part_loc(a, a->nparts - 1), NULL,
					  "'%s': an offset is written FUNCTION+N, N a number (no wildcards)", func);
		if (p->retval)
			return sema_error(c, attach_part_loc(a, a->nparts - 1), NULL,
					  "a kretprobe takes no offset: it fires when the function returns");
	}
	if (a->wildcard) {
		err = target_expand_env(c, p, a, func, out);
		if (err)
			return err;
	} else {
		ptrvec_push(c->a, out, target_new(c, p, a, arena_strndup(c->a, func, plus ? (size_t)(plus - func)
									       : strlen(func))));
	}
	for (size_t i = first; i < out->n; i++) {
		struct target *t = out->items[i];

		t->func = t->target;
		t->offset = off;
		if (plus) { /* named as written: kprobe:vfs_read+8 */
			size_t n = strlen(prov) + strlen(func) + 2;
			char *name = arena_alloc(c->a, n);

			snprintf(name, n, "%s:%s", prov, func);
			t->name = name;
		}
	}
	return 0;
}

const struct provider provider_kprobe = {
	.type = BPFKIT_PROBE_KPROBE,
	.expand = kprobe_expand,
	.pt_regs = true,
};

const struct provider provider_kretprobe = {
	.type = BPFKIT_PROBE_KRETPROBE,
	.expand = kprobe_expand,
	.pt_regs = true,
	.retval = true,
};
