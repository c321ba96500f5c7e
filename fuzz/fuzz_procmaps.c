// SPDX-License-Identifier: MIT
/*
 * Fuzz the /proc/PID/maps parser (src/sym/maps.c, bpfkit_proc_maps__parse():
 * what the user-stack symbolizer reads for every process it names) with
 * arbitrary bytes. Oracles beyond "no crash, leak or hang": every mapping
 * kept is file-backed (an absolute path, not a deleted file), the count
 * and the indexed access agree, and a lookup of any address found returns
 * a mapping that holds it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <bpfkit/sym.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bpfkit_proc_maps *m;
	size_t n;

	if (bpfkit_proc_maps__parse((const char *)data, size, &m))
		return 0;
	n = bpfkit_proc_maps__count(m);
	if (bpfkit_proc_maps__get(m, n))
		abort();
	for (size_t i = 0; i < n; i++) {
		const struct bpfkit_proc_map *e = bpfkit_proc_maps__get(m, i), *f;
		size_t len;

		if (!e || !e->path || e->path[0] != '/')
			abort();
		len = strlen(e->path);
		if (len > 10 && !strcmp(e->path + len - 10, " (deleted)"))
			abort();
		f = bpfkit_proc_maps__find(m, e->start);
		if (f && (e->start < f->start || e->start >= f->end))
			abort();
	}
	bpfkit_proc_maps__free(m);
	return 0;
}
