// SPDX-License-Identifier: MIT
/*
 * Fuzz the BTF name scanner (src/kern/btf_scan.c), which reads the kernel's
 * and modules' BTF to list raw tracepoints. The input is one BTF blob, used
 * once as a base and once as a module split on top of itself. Oracles
 * beyond "no crash, leak or hang": ids count up from first_id without gaps
 * and stay below first_id + ntypes, and kbtf_find() finds what
 * kbtf_for_each() reported (the first type of that name and kind).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kern/kern_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seen {
	const struct kbtf *b;
	uint32_t last;
	unsigned kind;
};

static int visit(void *ctx, uint32_t id, const char *name)
{
	struct seen *s = ctx;
	int found;

	if (id < s->b->first_id || id >= s->b->first_id + s->b->ntypes || (s->last && id <= s->last))
		abort();
	s->last = id;
	found = kbtf_find(s->b, s->kind, name);
	if (found <= 0 || (uint32_t)found > id)
		abort();
	return 0;
}

static void walk(const struct kbtf *b)
{
	static const unsigned kinds[] = { KBTF_KIND_TYPEDEF, KBTF_KIND_FUNC };

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		struct seen s = { b, 0, kinds[i] };

		kbtf_for_each(b, kinds[i], "", visit, &s);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kbtf base, mod;

	if (size > 1 << 20 || kbtf_parse(&base, data, size, NULL))
		return 0;
	walk(&base);
	if (kbtf_parse(&mod, data, size, &base) == 0) {
		if (mod.first_id != base.first_id + base.ntypes)
			abort();
		walk(&mod);
		kbtf_release(&mod);
	}
	kbtf_release(&base);
	return 0;
}
