// SPDX-License-Identifier: MIT
/*
 * The DWARF unwinder of copied user stacks (src/sym/unwind.c,
 * bpfkit_usyms__unwind()), without the kernel: this very process takes
 * the place of a traced one. A chain of our own functions (outer -> middle
 * -> inner -> capture) stores its registers as the kernel's pt_regs would
 * hold them and copies its stack from sp up, as a program does with
 * --ustack-unwind dwarf; the unwinder must then name the chain from this
 * binary's .eh_frame. Then: a copy cut short stops the walk early, not
 * wrongly; an ip of 0 gives no frames; a gone process is -ESRCH.
 */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cmocka.h>

#include <bpfkit/sym.h>

/* What capture() took: pt_regs (x86-64 order) and the stack above sp. */
static uint64_t regs[BPFKIT_USYMS_NREGS];
static unsigned char stack[8192];
static size_t stack_size;

enum { R15, R14, R13, R12, BP, BX, IP = 16, SP = 19 };

/* The end of the mapping of /proc/self/maps that holds @p addr. */
static uint64_t mapping_end(uint64_t addr)
{
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long long s, e, end = 0;
	char line[512];

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx-%llx", &s, &e) == 2 && addr >= s && addr < e)
			end = e;
	if (f)
		fclose(f);
	return end;
}

/* Copy @p n bytes of our own stack: word by word and uninstrumented, as
 * the kernel reads it (ASan's redzones between frames are part of it). */
__attribute__((no_sanitize_address, noinline)) static void copy_stack(unsigned char *dst, uint64_t src, size_t n)
{
	for (size_t i = 0; i + 8 <= n; i += 8) {
		uint64_t w = *(volatile const uint64_t *)(uintptr_t)(src + i);

		__builtin_memcpy(dst + i, &w, 8);
	}
}

/* The sample: the registers at label 1 (ip, sp and the callee-saved ones
 * that the caller's frames need), then the stack from that sp up. */
__attribute__((noinline)) static void capture(void)
{
	uint64_t r[8], end;

	__asm__ volatile("lea 1f(%%rip), %%rax\n\t"
			 "mov %%rax, 0(%0)\n\t"
			 "mov %%rsp, 8(%0)\n\t"
			 "mov %%rbp, 16(%0)\n\t"
			 "mov %%rbx, 24(%0)\n\t"
			 "mov %%r12, 32(%0)\n\t"
			 "mov %%r13, 40(%0)\n\t"
			 "mov %%r14, 48(%0)\n\t"
			 "mov %%r15, 56(%0)\n\t"
			 "1:\n\t"
			 :
			 : "r"(r)
			 : "rax", "memory");
	regs[IP] = r[0];
	regs[SP] = r[1];
	regs[BP] = r[2];
	regs[BX] = r[3];
	regs[R12] = r[4];
	regs[R13] = r[5];
	regs[R14] = r[6];
	regs[R15] = r[7];
	end = mapping_end(r[1]);
	stack_size = end - r[1] < sizeof(stack) ? end - r[1] : sizeof(stack);
	copy_stack(stack, r[1], stack_size);
}

__attribute__((noinline)) static void inner(void)
{
	capture();
	__asm__ volatile("");
}

__attribute__((noinline)) static void middle(void)
{
	inner();
	__asm__ volatile("");
}

__attribute__((noinline)) static void outer(void)
{
	middle();
	__asm__ volatile("");
}

/* The names of frames [0, n) of @p ips in this process, space-separated. */
static void names(struct bpfkit_usyms *u, const uint64_t *ips, size_t n, char *out, size_t size)
{
	size_t len = 0;

	out[0] = 0;
	for (size_t i = 0; i < n && len < size; i++) {
		const char *name = "?";
		uint64_t off;

		bpfkit_usyms__resolve(u, (uint32_t)getpid(), ips[i], &name, &off, NULL);
		len += (size_t)snprintf(out + len, size - len, "%s ", name);
	}
}

static void test_own_chain(void **state)
{
	struct bpfkit_usyms *u = bpfkit_usyms__new(NULL);
	uint64_t ips[64];
	char buf[1024];
	size_t n = 0;

	(void)state;
	outer();
	assert_true(stack_size >= 256);
	assert_int_equal(bpfkit_usyms__unwind(u, (uint32_t)getpid(), (uint32_t)syscall(SYS_gettid), regs, stack,
					      stack_size, ips, 64, &n),
			 0);
	names(u, ips, n, buf, sizeof(buf));
	if (strncmp(buf, "capture inner middle outer test_own_chain ", 42))
		fail_msg("frames: %s", buf);
	assert_int_equal(ips[0], regs[IP]);
	/* a second unwind reuses the process's libdwfl session */
	assert_int_equal(bpfkit_usyms__unwind(u, (uint32_t)getpid(), (uint32_t)syscall(SYS_gettid), regs, stack,
					      stack_size, ips, 2, &n),
			 0);
	assert_int_equal(n, 2);
	bpfkit_usyms__free(u);
}

/* A copy of 8 bytes: capture's return address may be beyond it; whatever
 * is found is a prefix of the chain, never a wrong frame. */
static void test_short_copy(void **state)
{
	struct bpfkit_usyms *u = bpfkit_usyms__new(NULL);
	uint64_t ips[64], full[64];
	size_t n = 0, nfull = 0;

	(void)state;
	outer();
	assert_int_equal(bpfkit_usyms__unwind(u, (uint32_t)getpid(), (uint32_t)syscall(SYS_gettid), regs, stack,
					      stack_size, full, 64, &nfull),
			 0);
	assert_int_equal(bpfkit_usyms__unwind(u, (uint32_t)getpid(), (uint32_t)syscall(SYS_gettid), regs, stack, 8,
					      ips, 64, &n),
			 0);
	assert_true(n >= 1 && n < nfull);
	assert_memory_equal(ips, full, n * sizeof(*ips));
	regs[IP] = 0; /* no ip: no frames */
	assert_int_equal(bpfkit_usyms__unwind(u, (uint32_t)getpid(), 1, regs, stack, stack_size, ips, 64, &n), 0);
	assert_int_equal(n, 0);
	bpfkit_usyms__free(u);
}

static void test_gone(void **state)
{
	struct bpfkit_usyms *u = bpfkit_usyms__new(NULL);
	uint64_t ips[4];
	size_t n = 7;

	(void)state;
	outer();
	/* pid_max is at most 4194304: this pid never exists */
	assert_int_equal(bpfkit_usyms__unwind(u, 4194305, 4194305, regs, stack, stack_size, ips, 4, &n), -ESRCH);
	assert_int_equal(n, 0);
	bpfkit_usyms__free(u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_own_chain),
		cmocka_unit_test(test_short_copy),
		cmocka_unit_test(test_gone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
