// SPDX-License-Identifier: MIT
/*
 * Fuzz the BTF reader (src/kern/btf_scan.c), which reads the kernel's and
 * modules' BTF to list raw tracepoints and to give the compiler its C
 * types. The input is one BTF blob, used once as a base and once as a
 * module split on top of itself. Oracles beyond "no crash, leak or hang":
 * ids count up from first_id without gaps and stay below first_id + ntypes,
 * kbtf_find() finds what kbtf_for_each() reported (the first type of that
 * name and kind), and every type reads the same through the walk and
 * through kbtf_index()'s offsets (a digest of all accessors' answers).
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

static uint64_t mix(uint64_t h, uint64_t v)
{
	return (h ^ v) * 0x100000001b3ull;
}

static uint64_t mix_str(uint64_t h, const char *s)
{
	while (*s)
		h = mix(h, (uint8_t)*s++);
	return mix(h, 0);
}

/* Every accessor on every type of @p b, folded into one number. */
static uint64_t digest(const struct kbtf *b)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (uint64_t k = 0; k <= kbtf_end_id(b); k++) {
		uint32_t id = (uint32_t)k;
		struct kbtf_type t;
		uint32_t elem, n;

		h = mix(h, kbtf_size(b, id));
		if (kbtf_type(b, id, &t)) {
			h = mix(h, 1);
			continue;
		}
		h = mix(mix(mix(mix_str(h, t.name), t.kind), t.vlen), t.kflag * 2 + 1);
		h = mix(h, t.size_type);
		switch (t.kind) {
		case KBTF_KIND_STRUCT:
		case KBTF_KIND_UNION:
			for (uint32_t i = 0; i < t.vlen; i++) {
				struct kbtf_memb m;

				kbtf_memb(&t, i, &m);
				h = mix(mix(mix(mix_str(h, m.name), m.type), m.bit_offset), m.bit_size);
			}
			break;
		case KBTF_KIND_ENUM:
		case KBTF_KIND_ENUM64:
			for (uint32_t i = 0; i < t.vlen; i++) {
				const char *name;
				int64_t v;

				kbtf_enumerator(&t, i, &name, &v);
				h = mix(mix_str(h, name), (uint64_t)v);
			}
			break;
		case KBTF_KIND_ARRAY:
			kbtf_array(&t, &elem, &n);
			h = mix(mix(h, elem), n);
			break;
		case KBTF_KIND_INT:
			h = mix(h, kbtf_int_signed(&t));
			break;
		default:
			break;
		}
	}
	return h;
}

/* The walk and the index must agree. Without the index each lookup walks,
 * so only blobs of up to 4096 types (the fuzzer's are far smaller) get the
 * quadratic first pass. */
static void check_index(struct kbtf *b)
{
	uint64_t walked;

	if (kbtf_end_id(b) > 4096) {
		kbtf_index(b);
		digest(b);
		return;
	}
	walked = digest(b);

	if (kbtf_index(b) == 0 && digest(b) != walked)
		abort();
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
		check_index(&mod);
		kbtf_release(&mod);
	}
	check_index(&base);
	kbtf_release(&base);
	return 0;
}
