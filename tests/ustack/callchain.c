// SPDX-License-Identifier: MIT
/*
 * callchain: a known user call chain for the ustack tests
 * (tests/cli/trace_ustack.sh): main -> a -> b -> c -> chain_d (in
 * libchain.so), every one noinline and built with frame pointers, so the
 * kernel's frame-pointer walk sees each of them.
 *
 *   callchain calls N [BEFORE_MS [AFTER_MS]]
 *       sleep BEFORE_MS, then N getpgid(424243) calls from chain_d, then
 *       lseek(-1, &c, SEEK_SET) from c (a marker whose offset argument is
 *       the address of c, for usym()), then sleep AFTER_MS and exit
 *   callchain spin MS
 *       keep a CPU busy in chain_d for MS milliseconds (profile probes)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

long chain_d(long n);

static long arg_n;

__attribute__((noinline)) void c(void)
{
	chain_d(arg_n);
	if (arg_n >= 0)
		lseek(-1, (off_t)(unsigned long)&c, SEEK_SET);
	__asm__ volatile("");
}

__attribute__((noinline)) void b(void)
{
	c();
	__asm__ volatile("");
}

__attribute__((noinline)) void a(void)
{
	b();
	__asm__ volatile("");
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "calls")) {
		arg_n = atol(argv[2]);
		if (argc > 3)
			usleep((useconds_t)atol(argv[3]) * 1000);
		a();
		if (argc > 4)
			usleep((useconds_t)atol(argv[4]) * 1000);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "spin")) {
		arg_n = -atol(argv[2]);
		a();
		return 0;
	}
	fprintf(stderr, "usage: callchain calls N [BEFORE_MS [AFTER_MS]] | callchain spin MS\n");
	return 2;
}
