// SPDX-License-Identifier: MIT
/*
 * libusdt_lib.so: a shared library with USDT probes, for tests/cli/
 * trace_usdt.sh (probes of a library, found through the process's mappings
 * or by the library's path). usdt_prog calls usdt_lib_work() once per round.
 */
#include <stdint.h>
#include <sys/sdt.h>

__attribute__((visibility("default"))) int usdt_lib_work(int round, long value);

int usdt_lib_work(int round, long value)
{
	DTRACE_PROBE2(usdt_lib, lib_probe, round, value);
	return round + 1;
}
