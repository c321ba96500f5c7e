// SPDX-License-Identifier: MIT
/*
 * Kernel symbol addresses from /proc/kallsyms, for kaddr() in scripts.
 * Lines are "ADDRESS TYPE NAME [MODULE]"; the first line whose NAME matches
 * wins (the kernel's own symbols come before modules'). The kernel shows
 * every address as 0 to users without CAP_SYSLOG (kptr_restrict), which is
 * reported as -EACCES rather than a wrong address. Read line by line: the
 * file is a few MB and the lookup happens once per kaddr() at compile time.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kern/kern_int.h"

int kern_ksym_addr(const char *path, const char *name, uint64_t *addr)
{
	char line[512];
	FILE *f;
	int err = -ENOENT;

	if (!name || !*name)
		return -EINVAL;
	f = fopen(path ? path : "/proc/kallsyms", "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *end, *sym;
		uint64_t a = strtoull(line, &end, 16);
		size_t n;

		if (end == line || end[0] != ' ' || !end[1] || end[2] != ' ')
			continue; /* not "ADDRESS TYPE NAME" */
		sym = end + 3;
		n = strcspn(sym, " \t\n");
		if (n != strlen(name) || memcmp(sym, name, n))
			continue;
		if (!a) {
			err = -EACCES;
			break;
		}
		*addr = a;
		err = 0;
		break;
	}
	fclose(f);
	return err;
}
