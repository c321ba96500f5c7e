// SPDX-License-Identifier: MIT
/*
 * A C++ program for uprobe tests: functions with mangled names
 * (_ZN2ns7Counter4bumpEi, _Z7cpp_sumii). `target_cpp N` calls each N times
 * (bump(1) returns 1..N, cpp_sum(1, 2) returns 3).
 */
#include <cstdlib>

namespace ns {
struct Counter {
	long total = 0;
	__attribute__((noinline)) long bump(int by);
};

long Counter::bump(int by)
{
	__asm__ volatile("" ::: "memory");
	total += by;
	return total;
}
} // namespace ns

__attribute__((noinline)) int cpp_sum(int a, int b)
{
	__asm__ volatile("" ::: "memory");
	return a + b;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? std::strtol(argv[1], nullptr, 0) : 1, s = 0;
	ns::Counter c;

	for (long i = 0; i < n; i++)
		s += c.bump(1) + cpp_sum(1, 2);
	return s < 0; /* keeps the results used; prints nothing */
}
