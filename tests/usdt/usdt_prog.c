// SPDX-License-Identifier: MIT
/*
 * usdt_prog: a program with USDT probes (systemtap's <sys/sdt.h>) for
 * tests/cli/trace_usdt.sh and tests/unit/test_sym_usdt.c.
 *
 *   usdt_prog N              run N rounds, then exit
 *   usdt_prog wait           print "ready", then run a round for each line
 *                            read on stdin, until end of file (for -p on a
 *                            running process, and semaphores that change)
 *
 * Each round fires, in order:
 *   usdt_prog:args      8 arguments: int8 -1, uint8 255, int16 -2, uint16
 *                       65535, int32 -3, uint32 4000000000, int64 -5,
 *                       uint64 0x1122334455667788 (sizes and signs)
 *   usdt_prog:consts    constants the compiler writes as $N operands (-7, 42)
 *   usdt_prog:mem       a global read through memory (N@sym(%rip)) and a
 *                       stack slot (N@off(%rbp/%rsp)), values round and round*10
 *   usdt_prog:dup       at two sites (an always-inlined function called twice):
 *                       round*2 then round*2+1
 *   usdt_prog:guarded   guarded by a semaphore: fires only while traced, and
 *                       the program prints "guarded: on" or "guarded: off"
 *                       at each round, from the semaphore's value
 *   usdt_lib:lib_probe  in libusdt_lib.so: round, round*100
 * and no probe at all is in the provider "other_prov" but other_prov:noarg,
 * which has no arguments and fires once per round.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/sdt.h>

int usdt_lib_work(int round, long value);

/*
 * Semaphores. sdt.h writes one into a probe's note only when
 * _SDT_HAS_SEMAPHORES is defined before it is included, for every probe of
 * the file; to have probes with and without one in the same binary, the
 * guarded probe redefines the macro that writes the note's semaphore field
 * around itself (the macro is expanded at the probe's use). The semaphore is
 * a 16-bit counter in section .probes, which tracers increment while they
 * watch the probe.
 */
__extension__ unsigned short usdt_prog_guarded_semaphore __attribute__((section(".probes"))) __attribute__((used));

#undef _SDT_SEMAPHORE
#define _SDT_SEMAPHORE(p, n) _SDT_ASM_1(_SDT_ASM_ADDR p##_##n##_semaphore)
static void fire_guarded(int round)
{
	if (__builtin_expect(usdt_prog_guarded_semaphore, 0))
		STAP_PROBE1(usdt_prog, guarded, round);
}
#undef _SDT_SEMAPHORE
#define _SDT_SEMAPHORE(p, n) _SDT_ASM_1(_SDT_ASM_ADDR 0)

volatile long usdt_global = 0;

static inline __attribute__((always_inline)) void dup_site(long v)
{
	STAP_PROBE1(usdt_prog, dup, v);
}

/* One round of probes; noinline so each site is where the comment says. */
static __attribute__((noinline)) void round_once(int round)
{
	volatile int8_t i8 = -1;
	volatile uint8_t u8 = 255;
	volatile int16_t i16 = -2;
	volatile uint16_t u16 = 65535;
	volatile int32_t i32 = -3;
	volatile uint32_t u32 = 4000000000u;
	volatile int64_t i64 = -5;
	volatile uint64_t u64 = 0x1122334455667788ull;
	volatile long local = round * 10;

	STAP_PROBE8(usdt_prog, args, (int8_t)i8, (uint8_t)u8, (int16_t)i16, (uint16_t)u16, (int32_t)i32,
		    (uint32_t)u32, (int64_t)i64, (uint64_t)u64);
	STAP_PROBE2(usdt_prog, consts, -7, 42);
	usdt_global = round;
	STAP_PROBE2(usdt_prog, mem, usdt_global, local);
	dup_site((long)round * 2);
	dup_site((long)round * 2 + 1);
	printf("guarded: %s\n", usdt_prog_guarded_semaphore ? "on" : "off");
	fflush(stdout);
	fire_guarded(round);
	STAP_PROBE(other_prov, noarg);
	usdt_lib_work(round, (long)round * 100);
}

int main(int argc, char **argv)
{
	char line[64];
	long n, i = 0;

	if (argc == 2 && !strcmp(argv[1], "wait")) {
		printf("ready\n");
		fflush(stdout);
		while (fgets(line, sizeof(line), stdin))
			round_once((int)++i);
		return 0;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: usdt_prog N | usdt_prog wait\n");
		return 2;
	}
	n = strtol(argv[1], NULL, 10);
	while (i < n)
		round_once((int)++i);
	return 0;
}
