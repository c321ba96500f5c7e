// SPDX-License-Identifier: MIT
/* The shared library tests/uprobe/target uses: a function to probe in a
 * library (uprobe:BUILD/tests/uprobe/libuptarget.so:ul_mul). */
__attribute__((noinline, visibility("default"))) int ul_mul(int a, int b)
{
	__asm__ volatile("" ::: "memory");
	return a * b;
}
