// SPDX-License-Identifier: MIT
/*
 * Fuzz probe specs and wildcards (src/kern/glob.c) with arbitrary text.
 * Oracles beyond "no crash, leak or hang":
 *  - a parsed spec keeps its promises: at most BPFKIT_PROBE_SPEC_MAX_PARTS
 *    parts, a whole-name spec has exactly its one pattern and no type, a
 *    type without wildcards is a known one;
 *  - a spec without wildcards or quotes matches the probe it names, written
 *    with the canonical type name ("t:a:b" matches "tracepoint:a:b");
 *  - every text matches itself when it has no wildcards, and '*' matches all.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <bpfkit/kern.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The probe name a spec without wildcards names, in @p buf. */
static void name_of(const struct bpfkit_probe_spec *s, char *buf, size_t size)
{
	size_t o = (size_t)snprintf(buf, size, "%s", bpfkit_probe_type_name((enum bpfkit_probe_type)s->type));

	for (size_t i = 0; i < s->nparts && o < size; i++)
		o += (size_t)snprintf(buf + o, size - o, ":%s", s->parts[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bpfkit_probe_spec s;
	struct bpfkit_diag d;
	char *text, name[8192];

	if (size > 4096)
		return 0;
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0'; /* specs are C strings: stop at the first NUL */
	if (!bpfkit_glob_has_wildcard(text) && !bpfkit_glob_match(text, text))
		abort();
	if (!bpfkit_glob_match("*", text))
		abort();
	if (bpfkit_probe_spec__parse(&s, text, &d) == 0) {
		if (s.nparts > BPFKIT_PROBE_SPEC_MAX_PARTS || strcmp(s.text, text))
			abort();
		if (s.whole && (s.nparts != 1 || s.type_part || s.type != -1))
			abort();
		if (!s.whole && s.type < 0 && !bpfkit_glob_has_wildcard(s.type_part))
			abort();
		if (!s.whole && s.type >= 0 && !s.wildcard && !strchr(text, '"')) {
			name_of(&s, name, sizeof(name));
			if (!bpfkit_probe_spec__match(&s, (enum bpfkit_probe_type)s.type, name))
				abort();
		}
		bpfkit_probe_spec__match(&s, BPFKIT_PROBE_TRACEPOINT, text);
		bpfkit_probe_spec__release(&s);
	} else if (!d.msg[0]) {
		abort();
	}
	free(text);
	return 0;
}
