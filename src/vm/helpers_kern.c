// SPDX-License-Identifier: MIT
/*
 * The kernel's helpers that the VM implements, under their kernel numbers
 * and names, so that a program compiled against bpf_helpers.h calls what
 * it means to call: the clocks, the CPU number and a pseudo-random number.
 * Only helpers whose result here is exactly what the kernel's contract
 * gives are in this set; every other kernel helper (maps, output, the
 * current task) is refused at load by name (validate.c), never faked.
 * bpfkit_vm__register_kernel_helpers() registers them; `vm run` uses this
 * set unless --test-helpers asks for the conformance suite's.
 */
#include <sched.h>
#include <time.h>

#include "vm_int.h"

/* Nanoseconds on @p clock, as the kernel's ktime accessors return them
 * (0 if the clock cannot be read, which does not happen on Linux for the
 * clocks used here). */
static uint64_t clock_ns(clockid_t clock)
{
	struct timespec ts;

	if (clock_gettime(clock, &ts))
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* A helper that returns clock_ns(@p clock): the ktime family differs only
 * in the clock. */
#define CLOCK_HELPER(fn, clock)                                                         \
	static uint64_t fn(struct bpfkit_vm_ctx *ctx, uint64_t a, uint64_t b, uint64_t c,  \
			   uint64_t d, uint64_t e)                                         \
	{                                                                               \
		(void)ctx, (void)a, (void)b, (void)c, (void)d, (void)e;                   \
		return clock_ns(clock);                                                 \
	}

CLOCK_HELPER(h_ktime_get_ns, CLOCK_MONOTONIC) /* 5: time since boot, without suspend */
CLOCK_HELPER(h_ktime_get_boot_ns, CLOCK_BOOTTIME) /* 125: suspend included */
CLOCK_HELPER(h_ktime_get_coarse_ns, CLOCK_MONOTONIC_COARSE) /* 160 */
CLOCK_HELPER(h_ktime_get_tai_ns, CLOCK_TAI) /* 208 */

/* 8 bpf_get_smp_processor_id(): the CPU the program runs on. */
static uint64_t h_get_smp_processor_id(struct bpfkit_vm_ctx *ctx, uint64_t a, uint64_t b,
				       uint64_t c, uint64_t d, uint64_t e)
{
	int cpu = sched_getcpu();

	(void)ctx, (void)a, (void)b, (void)c, (void)d, (void)e;
	return cpu < 0 ? 0 : (uint64_t)cpu;
}

static const struct vm_helper_def kernel_helpers[] = {
	{ 5, "ktime_get_ns", h_ktime_get_ns },
	{ 7, "get_prandom_u32", vm_h_prandom_u32 },
	{ 8, "get_smp_processor_id", h_get_smp_processor_id },
	{ 125, "ktime_get_boot_ns", h_ktime_get_boot_ns },
	{ 160, "ktime_get_coarse_ns", h_ktime_get_coarse_ns },
	{ 208, "ktime_get_tai_ns", h_ktime_get_tai_ns },
};

int bpfkit_vm__register_kernel_helpers(struct bpfkit_vm *vm)
{
	return vm_register_helpers(vm, kernel_helpers, sizeof(kernel_helpers) / sizeof(kernel_helpers[0]));
}
