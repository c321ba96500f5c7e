// SPDX-License-Identifier: MIT
/*
 * C++ names as people read them ("ns::Counter::bump(int)" for
 * "_ZN2ns7Counter4bumpEi"), for user frames and usym(), as bpftrace prints
 * them (BPFTRACE_NO_CPP_DEMANGLE turns it off). The demangler is the C++
 * runtime's own __cxa_demangle, looked up in libstdc++.so.6 with dlopen()
 * the first time a mangled name is printed: bpfkit does not link the C++
 * runtime, and a machine without it prints mangled names.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpfkit/sym.h>

#include "sym/usyms_int.h"

typedef char *(*cxa_demangle_fn)(const char *mangled, char *buf, size_t *len, int *status);

static pthread_once_t once = PTHREAD_ONCE_INIT;
static cxa_demangle_fn cxa_demangle;

static void load(void)
{
	void *h = dlopen("libstdc++.so.6", RTLD_LAZY | RTLD_LOCAL);

	if (h)
		cxa_demangle = (cxa_demangle_fn)dlsym(h, "__cxa_demangle");
}

const char *bpfkit_sym_demangle(const char *name, char *buf, size_t size)
{
	char *out;
	int status = -1;

	if (!name || strncmp(name, "_Z", 2) || !size)
		return name;
	pthread_once(&once, load);
	if (!cxa_demangle)
		return name;
	out = cxa_demangle(name, NULL, NULL, &status);
	if (!out || status) {
		free(out);
		return name;
	}
	snprintf(buf, size, "%s", out);
	free(out);
	return buf;
}

void bpfkit_usyms__set_demangle(struct bpfkit_usyms *u, bool on)
{
	if (u)
		u->no_demangle = !on;
}

const char *bpfkit_usyms__display(const struct bpfkit_usyms *u, const char *name, char *buf, size_t size)
{
	return u && u->no_demangle ? name : bpfkit_sym_demangle(name, buf, size);
}
