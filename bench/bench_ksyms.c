// SPDX-License-Identifier: MIT
/*
 * bench_ksyms [KALLSYMS]: the cost of naming kernel addresses (src/sym/),
 * what printing a large kstack profile pays: loading /proc/kallsyms once,
 * then 100,000 lookups of addresses spread over the kernel's text (the
 * addresses of the symbols themselves plus an offset, in a shuffled order,
 * so the binary search does not run on warm paths only).
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <bpfkit/sym.h>

#define LOOKUPS 100000

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Up to @max text addresses of the file (lines "ADDR t|T NAME"). */
static size_t text_addrs(const char *path, uint64_t *out, size_t max)
{
	FILE *f = fopen(path, "re");
	char line[512], type;
	unsigned long long a;
	size_t n = 0;

	if (!f)
		return 0;
	while (n < max && fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx %c", &a, &type) == 2 && a && (type == 't' || type == 'T'))
			out[n++] = a;
	fclose(f);
	return n;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/proc/kallsyms";
	static uint64_t addrs[LOOKUPS];
	struct bpfkit_ksyms *k = bpfkit_ksyms__new(path);
	size_t n = text_addrs(path, addrs, LOOKUPS), found = 0, nsyms;
	double t0, t1, t2;

	if (!k || !n) {
		printf("  ksyms: skipped (cannot read %s, or its addresses are hidden)\n", path);
		bpfkit_ksyms__free(k);
		return 0;
	}
	srand(1);
	for (size_t i = 0; i < LOOKUPS; i++) { /* LOOKUPS shuffled addresses, each + a small offset */
		size_t j = (size_t)rand() % n;

		addrs[i] = addrs[j % n] + (uint64_t)(rand() % 64);
	}
	t0 = now_s();
	nsyms = bpfkit_ksyms__count(k);
	t1 = now_s();
	for (size_t i = 0; i < LOOKUPS; i++) {
		const char *name;
		uint64_t off;

		found += !bpfkit_ksyms__resolve(k, addrs[i], &name, &off);
	}
	t2 = now_s();
	printf("  ksyms: load %zu symbols %.1f ms; %d lookups %.1f ms (%.0f ns each), %zu named\n", nsyms,
	       (t1 - t0) * 1e3, LOOKUPS, (t2 - t1) * 1e3, (t2 - t1) * 1e9 / LOOKUPS, found);
	bpfkit_ksyms__free(k);
	return 0;
}
