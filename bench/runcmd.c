// SPDX-License-Identifier: MIT
/*
 * runcmd [-n RUNS] [-q] CMD [ARG...]: run CMD RUNS times (default 1) and
 * print "MEDIAN_MS MAX_RSS_KIB MEDIAN_CPU_MS" (CPU: user + system time of
 * the child, which other load on the machine hardly changes). The RSS comes from wait4() of each child,
 * so it is CMD's own peak, not that of a script interpreter that forked it
 * (getrusage(RUSAGE_CHILDREN) from Python reports Python's pre-exec pages).
 * -q sends CMD's output to /dev/null. Exits 1 when CMD fails.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* One run: fork, exec, wait4. Returns the wall time in ms (< 0 on failure),
 * the child's peak RSS in *rss_kib and its CPU time in *cpu_ms. */
static double run_once(char **argv, int quiet, long *rss_kib, double *cpu_ms)
{
	struct timespec t0, t1;
	struct rusage ru;
	int status;
	pid_t pid;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (quiet) {
			int fd = open("/dev/null", O_WRONLY);
			if (fd >= 0) {
				dup2(fd, 1);
				dup2(fd, 2);
			}
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	*rss_kib = ru.ru_maxrss;
	*cpu_ms = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
		  (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
	return (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
}

int main(int argc, char **argv)
{
	int runs = 1, quiet = 0, i = 1;
	long rss_max = 0;
	double *ms, *cpu;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-n") && i + 1 < argc)
			runs = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-q"))
			quiet = 1;
		else
			break;
	}
	if (i >= argc || runs < 1) {
		fprintf(stderr, "usage: runcmd [-n RUNS] [-q] CMD [ARG...]\n");
		return 2;
	}
	ms = calloc((size_t)runs, sizeof(*ms));
	cpu = calloc((size_t)runs, sizeof(*cpu));
	if (!ms || !cpu) {
		free(ms);
		free(cpu);
		return 1;
	}
	for (int r = 0; r < runs; r++) {
		long rss = 0;
		ms[r] = run_once(argv + i, quiet, &rss, &cpu[r]);
		if (ms[r] < 0) {
			fprintf(stderr, "runcmd: %s failed\n", argv[i]);
			free(ms);
			free(cpu);
			return 1;
		}
		if (rss > rss_max)
			rss_max = rss;
	}
	qsort(ms, (size_t)runs, sizeof(*ms), cmp_double);
	qsort(cpu, (size_t)runs, sizeof(*cpu), cmp_double);
	printf("%.2f %ld %.2f\n", ms[runs / 2], rss_max, cpu[runs / 2]);
	free(ms);
	free(cpu);
	return 0;
}
