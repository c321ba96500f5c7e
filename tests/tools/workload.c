// SPDX-License-Identifier: MIT
/*
 * workload: make an exact, known number of specific system calls, then exit.
 * The tracer's kernel tests (tests/cli/trace_run.sh) trace it and check the
 * counts to the unit.
 *
 *   workload getppid N            N getppid() calls
 *   workload getpgid N            N getpgid(424242) calls: a marker no runtime
 *                                 (ASan's included) makes, so counts stay exact
 *   workload read BYTES N         N read()s of BYTES from /dev/zero (one open)
 *   workload openat PATH N        N openat(PATH) (+ close when it opened)
 *   workload sleep MS             sleep, then exit
 *   workload nanosleep MS N       N raw nanosleep() calls of MS each (the C
 *                                 library's sleeps use clock_nanosleep)
 *   workload mix K                read a byte from stdin, then make K x i calls
 *                                 of syscall number i of the list in do_mix(),
 *                                 then block reading stdin again (the tracer's
 *                                 cue to stop: see tests/cli/trace_syscalls.sh)
 *   workload touch N              map N fresh pages, then between two getpgid
 *                                 markers write a byte to each: N page faults
 *   workload spin MS              keep a CPU busy for MS milliseconds
 *
 * Raw syscall() is used so the C library cannot cache or merge calls.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

static long number(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < 0) {
		fprintf(stderr, "workload: bad number '%s'\n", s);
		exit(2);
	}
	return v;
}

/* N reads of BYTES from /dev/zero through one descriptor. */
static int do_read(long bytes, long n)
{
	char *buf = malloc(bytes ? (size_t)bytes : 1);
	int fd = open("/dev/zero", O_RDONLY);

	if (!buf || fd < 0) {
		perror("workload: /dev/zero");
		return 1;
	}
	for (long i = 0; i < n; i++)
		if (syscall(SYS_read, fd, buf, (size_t)bytes) != bytes) {
			perror("workload: read");
			return 1;
		}
	close(fd);
	free(buf);
	return 0;
}

#if defined(__x86_64__)
static sigjmp_buf no_ia32;

static void on_segv(int sig)
{
	(void)sig;
	siglongjmp(no_ia32, 1);
}

/* getpid() the ia32 way (int $0x80, eax 20), which is writev (20) in the
 * x86-64 table. Without ia32 emulation in the kernel it faults. */
static long ia32_getpid(void)
{
	long r;

	__asm__ volatile("int $0x80" : "=a"(r) : "a"(20L) : "memory");
	return r;
}

/* Whether ia32_getpid() works here (it raises SIGSEGV when it does not). */
static bool have_ia32(void)
{
	struct sigaction sa = { .sa_handler = on_segv }, old;
	volatile bool ok = false;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, &old);
	if (!sigsetjmp(no_ia32, 1))
		ok = ia32_getpid() == getpid();
	sigaction(SIGSEGV, &old, NULL);
	return ok;
}

/*
 * mix K: calls whose tracepoints are named after another name than their
 * __NR_ (newuname, newfstat, newstat, newlstat, sendfile64, umount), each a
 * different number of times, so a wrong number mapping shows in the counts;
 * then 9 K ia32 getpid() calls, which no syscalls:* tracepoint sees, where
 * int $0x80 works (ia32 emulation can be compiled in and still fault). Every
 * call fails or changes nothing. stdin is a pipe: the first read waits for
 * the tracer, the last one blocks until the test lets the program end. Then
 * it prints "ia32 N", the ia32 calls it made, for the test's expectations.
 */
static int do_mix(long k)
{
	bool ia32 = have_ia32(); /* before the first read: its signal calls are not counted */
	struct utsname u;
	struct stat st;
	char c;

	if (read(0, &c, 1) != 1)
		return 1;
	for (long i = 0; i < k; i++) {
		syscall(SYS_getpgid, 424242);
		for (int j = 0; j < 2; j++)
			syscall(SYS_getsid, 424242);
		for (int j = 0; j < 3; j++)
			syscall(SYS_uname, &u);
		for (int j = 0; j < 4; j++)
			syscall(SYS_fstat, 0, &st);
		for (int j = 0; j < 5; j++)
			syscall(SYS_stat, "/", &st);
		for (int j = 0; j < 6; j++)
			syscall(SYS_lstat, "/", &st);
		for (int j = 0; j < 7; j++)
			syscall(SYS_sendfile, -1, -1, NULL, 1);
		for (int j = 0; j < 8; j++)
			syscall(SYS_umount2, "/nonexistent-bpfkit-workload", 0);
		for (int j = 0; ia32 && j < 9; j++)
			ia32_getpid();
	}
	if (read(0, &c, 1) < 0)
		return 1;
	printf("ia32 %ld\n", ia32 ? 9 * k : 0);
	return fflush(stdout) != 0;
}
#else
static int do_mix(long k)
{
	(void)k;
	fprintf(stderr, "workload: mix is for x86-64 only\n");
	return 2;
}
#endif

/*
 * N page faults between two getpgid(424242) markers (tests/cli/trace_sample.sh
 * counts software:page-faults between them): the pages are mapped before
 * the first marker, without huge pages (one fault would map 512 of them),
 * and the stores are not instrumented under ASan (reading the shadow of
 * every 8 new pages would fault once more).
 */
__attribute__((no_sanitize_address)) static int do_touch(long n)
{
	long page = sysconf(_SC_PAGESIZE);
	volatile char *p = mmap(NULL, (size_t)(n * page), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return 1;
#ifdef MADV_NOHUGEPAGE
	madvise((void *)p, (size_t)(n * page), MADV_NOHUGEPAGE);
#endif
	syscall(SYS_getpgid, 424242);
	for (long i = 0; i < n; i++)
		p[i * page] = 1;
	syscall(SYS_getpgid, 424242);
	return 0;
}

/* Run on a CPU for @p ms milliseconds of CPU time, however busy the machine
 * is (profile probes sample it: ms / 10 samples at 100 hz). */
static int do_spin(long ms)
{
	struct timespec t0, t;
	volatile unsigned long x = 0;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
	do {
		for (int i = 0; i < 100000; i++)
			x++;
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	} while ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 < ms);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "getppid")) {
		long n = number(argv[2]);

		for (long i = 0; i < n; i++)
			syscall(SYS_getppid);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "getpgid")) {
		long n = number(argv[2]);

		for (long i = 0; i < n; i++)
			syscall(SYS_getpgid, 424242);
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "read"))
		return do_read(number(argv[2]), number(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "openat")) {
		long n = number(argv[3]);

		for (long i = 0; i < n; i++) {
			long fd = syscall(SYS_openat, AT_FDCWD, argv[2], O_RDONLY);

			if (fd >= 0)
				close((int)fd);
		}
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "sleep")) {
		long ms = number(argv[2]);
		struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

		while (nanosleep(&ts, &ts) && errno == EINTR)
			;
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "mix"))
		return do_mix(number(argv[2]));
	if (argc == 4 && !strcmp(argv[1], "nanosleep")) {
		long ms = number(argv[2]), n = number(argv[3]);

		for (long i = 0; i < n; i++) {
			struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

			syscall(SYS_nanosleep, &ts, NULL);
		}
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "touch"))
		return do_touch(number(argv[2]));
	if (argc == 3 && !strcmp(argv[1], "spin"))
		return do_spin(number(argv[2]));
	fprintf(stderr, "usage: workload getppid N | getpgid N | read BYTES N | openat PATH N | sleep MS | mix K | "
			"nanosleep MS N | touch N | spin MS\n");
	return 2;
}
