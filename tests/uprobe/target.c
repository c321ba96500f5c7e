// SPDX-License-Identifier: MIT
/*
 * A program for uprobe tests (tests/cli/trace_uprobe.sh, tests/unit/
 * test_sym_elf.c), built by the Makefile as a PIE (target) and as a fixed-
 * address executable (target_nopie). Its functions are not inlined, so each
 * call is one uprobe hit; argv says how many calls, so tests know counts:
 *
 *   target N        uf_add(i, 2 * i) for i in 0..N-1 (returns 3 * i), then
 *                   uf_args8(1, ..., 8) once (returns 36), uf_str("hello")
 *                   once, ul_mul(6, 7) of libuptarget.so once (42); prints
 *                   nothing (the tracer's output is the test's), exits 0
 *   target loop     uf_tick() every 20 ms until killed (for -p PID)
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

int ul_mul(int a, int b);

/* keeps calls from being folded away: the compiler cannot see through it */
#define OPAQUE() __asm__ volatile("" ::: "memory")

__attribute__((noinline)) int uf_add(int a, int b)
{
	OPAQUE();
	return a + b;
}

/* eight arguments: the last two are passed on the stack (x86-64 SysV) */
__attribute__((noinline)) long uf_args8(long a, long b, long c, long d, long e, long f, long g, long h)
{
	OPAQUE();
	return a + b + c + d + e + f + g + h;
}

__attribute__((noinline)) size_t uf_str(const char *s)
{
	OPAQUE();
	return strlen(s);
}

__attribute__((noinline)) void uf_tick(void)
{
	OPAQUE();
}

int main(int argc, char **argv)
{
	long n, sum = 0;

	if (argc > 1 && !strcmp(argv[1], "loop")) {
		struct timespec ts = { 0, 20 * 1000 * 1000 };

		for (;;) {
			uf_tick();
			nanosleep(&ts, NULL);
		}
	}
	n = argc > 1 ? strtol(argv[1], NULL, 0) : 1;
	for (long i = 0; i < n; i++)
		sum += uf_add((int)i, (int)(2 * i));
	sum += uf_args8(1, 2, 3, 4, 5, 6, 7, 8);
	sum += (long)uf_str("hello");
	sum += ul_mul(6, 7);
	return sum < 0; /* keeps the calls' results used */
}
