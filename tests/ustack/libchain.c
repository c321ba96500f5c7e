// SPDX-License-Identifier: MIT
/*
 * The shared library of callchain (tests/ustack/callchain.c): the innermost
 * frame of its known call chain, so that user stacks name a library's
 * function (its load bias) as well as the PIE executable's.
 */
#include <stdint.h>
#include <time.h>

/* getpgid(424243) through the syscall instruction, inline: the frame that
 * makes the call is this function's (the C library's syscall() has no
 * frame pointer, so a frame-pointer walk would skip the caller) */
static long raw_getpgid(long pid)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(121L), "D"(pid) : "rcx", "r11", "memory");
	return ret;
}

/* n marker calls, or, with n < 0, a CPU kept busy for -n ms; noinline so
 * it keeps its frame */
__attribute__((noinline)) long chain_d(long n)
{
	struct timespec t0, t;
	volatile uint64_t x = 0;

	if (n >= 0) {
		for (long i = 0; i < n; i++)
			raw_getpgid(424243);
		return n;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		for (int i = 0; i < 100000; i++)
			x += (uint64_t)i;
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 < -n);
	return (long)(x & 1);
}
