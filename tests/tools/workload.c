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
 *
 * Raw syscall() is used so the C library cannot cache or merge calls.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
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
	fprintf(stderr, "usage: workload getppid N | getpgid N | read BYTES N | openat PATH N | sleep MS\n");
	return 2;
}
