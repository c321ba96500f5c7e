// SPDX-License-Identifier: MIT
/*
 * The test helpers: the set the bpf_conformance suite and uBPF's test
 * plugin expect under numbers 0-5, so that programs written for them run
 * unchanged, plus get_prandom_u32 under its kernel number 7. Numbers 1-5
 * are kernel helpers' numbers too (1 is bpf_map_lookup_elem, 5
 * bpf_ktime_get_ns), so this set is only for the conformance suite and for
 * those who ask for it (bpfkit_vm__register_test_helpers(); `vm plugin`,
 * `vm run --test-helpers`); the kernel's helpers are in helpers_kern.c.
 *
 * Helpers that take pointers check them with bpfkit_vm_ctx__check() first:
 * a helper must not be the way around the VM's memory checks.
 */
#include <errno.h>
#include <string.h>

#include "vm_int.h"

/* 0 gather_bytes(a, b, c, d, e): the low bytes of the five arguments packed
 * into one value, a most significant: 0x0000_00aa_bbcc_ddee. */
static uint64_t h_gather_bytes(struct bpfkit_vm_ctx *ctx, uint64_t a, uint64_t b, uint64_t c,
			       uint64_t d, uint64_t e)
{
	(void)ctx;
	return (a & 0xff) << 32 | (b & 0xff) << 24 | (c & 0xff) << 16 | (d & 0xff) << 8 | (e & 0xff);
}

/* 1 memfrob(p, len): XOR each of len bytes at p with 42. Returns 0, or
 * -EFAULT (as a u64) when the range is not writable program memory. */
static uint64_t h_memfrob(struct bpfkit_vm_ctx *ctx, uint64_t p, uint64_t len, uint64_t c,
			  uint64_t d, uint64_t e)
{
	uint8_t *b = (uint8_t *)(uintptr_t)p;

	(void)c, (void)d, (void)e;
	if (!bpfkit_vm_ctx__check(ctx, p, len, true))
		return (uint64_t)-EFAULT;
	for (uint64_t i = 0; i < len; i++)
		b[i] ^= 42;
	return 0;
}

/* 2 no_op(): returns 0. */
static uint64_t h_no_op(struct bpfkit_vm_ctx *ctx, uint64_t a, uint64_t b, uint64_t c, uint64_t d,
			uint64_t e)
{
	(void)ctx, (void)a, (void)b, (void)c, (void)d, (void)e;
	return 0;
}

/* 3 sqrti(x): floor of the square root of x, exact for every u64 (no
 * floating point, so no rounding surprises near 2^64). */
static uint64_t h_sqrti(struct bpfkit_vm_ctx *ctx, uint64_t x, uint64_t b, uint64_t c, uint64_t d,
			uint64_t e)
{
	uint64_t r = 0, bit = 1ull << 62;

	(void)ctx, (void)b, (void)c, (void)d, (void)e;
	while (bit > x)
		bit >>= 2;
	while (bit) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
		bit >>= 2;
	}
	return r;
}

/* Length of the NUL-terminated string at @p p if all of it (and its NUL) is
 * readable program memory, else -1. Reads one checked byte at a time. */
static int64_t checked_strlen(struct bpfkit_vm_ctx *ctx, uint64_t p)
{
	for (uint64_t n = 0;; n++) {
		if (!bpfkit_vm_ctx__check(ctx, p + n, 1, false))
			return -1;
		if (!*(const char *)(uintptr_t)(p + n))
			return (int64_t)n;
	}
}

/* 4 strcmp_ext(a, b): strcmp of two strings in program memory; -EFAULT
 * when either is not readable up to its NUL. */
static uint64_t h_strcmp_ext(struct bpfkit_vm_ctx *ctx, uint64_t a, uint64_t b, uint64_t c,
			     uint64_t d, uint64_t e)
{
	(void)c, (void)d, (void)e;
	if (checked_strlen(ctx, a) < 0 || checked_strlen(ctx, b) < 0)
		return (uint64_t)-EFAULT;
	return (uint64_t)(int64_t)strcmp((const char *)(uintptr_t)a, (const char *)(uintptr_t)b);
}

/* 5 unwind(x): returns x; registered as the unwind helper, so that x == 0
 * ends the program at once with r0 = 0. */
static uint64_t h_unwind(struct bpfkit_vm_ctx *ctx, uint64_t a, uint64_t b, uint64_t c, uint64_t d,
			 uint64_t e)
{
	(void)ctx, (void)b, (void)c, (void)d, (void)e;
	return a;
}

/* 7 prandom_u32(): a 32-bit pseudo-random number (the kernel's
 * bpf_get_prandom_u32 number), from a per-VM xorshift64* so that runs are
 * reproducible. Shared with the kernel set (helpers_kern.c). */
uint64_t vm_h_prandom_u32(struct bpfkit_vm_ctx *ctx, uint64_t a, uint64_t b, uint64_t c,
			      uint64_t d, uint64_t e)
{
	uint64_t x = ctx->vm->prng;

	(void)a, (void)b, (void)c, (void)d, (void)e;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	ctx->vm->prng = x;
	return (uint32_t)((x * 0x2545f4914f6cdd1dull) >> 32);
}

static const struct vm_helper_def test_helpers[] = {
	{ 0, "gather_bytes", h_gather_bytes },
	{ 1, "memfrob", h_memfrob },
	{ 2, "no_op", h_no_op },
	{ 3, "sqrti", h_sqrti },
	{ 4, "strcmp_ext", h_strcmp_ext },
	{ 5, "unwind", h_unwind },
	{ 7, "get_prandom_u32", vm_h_prandom_u32 },
};

int bpfkit_vm__register_test_helpers(struct bpfkit_vm *vm)
{
	int err = vm_register_helpers(vm, test_helpers, sizeof(test_helpers) / sizeof(test_helpers[0]));

	if (!err)
		bpfkit_vm__set_unwind_helper(vm, 5);
	return err;
}
