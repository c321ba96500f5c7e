/* SPDX-License-Identifier: MIT */
/*
 * The kernel loader against the real kernel: maps, programs written in the
 * kernel-dialect assembler, tracepoint / raw tracepoint / test-run
 * attachments, ring buffers, per-CPU sums, verifier rejections and attach
 * errors. Every test counts this process's BPF and perf fds before and after
 * and fails when one is left behind.
 *
 * Needs root and a kernel with BPF; without them every test SKIPs with the
 * reason. BPFKIT_KERN_BENCH=1 also times the detach of all
 * syscalls:sys_enter_* tracepoints, one by one (about 15-40 s, so not by
 * default) and through the syscall dispatcher.
 */
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <linux/perf_event.h>

#include <bpfkit/isa.h>
#include <bpfkit/kern.h>

#include <bpf/bpf.h>

static char skip_reason[256]; /* empty when the kernel can be used */
static int fds_before;

/* Count this process's fds that are BPF objects, perf events or epoll sets. */
static int count_kernel_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		char path[300], target[256];
		ssize_t len;

		snprintf(path, sizeof(path), "/proc/self/fd/%s", e->d_name);
		len = readlink(path, target, sizeof(target) - 1);
		if (len <= 0)
			continue;
		target[len] = 0;
		if (!strncmp(target, "anon_inode:bpf", 14) || !strcmp(target, "anon_inode:[perf_event]") ||
		    !strcmp(target, "anon_inode:[eventpoll]"))
			n++;
	}
	closedir(d);
	return n;
}

/* Decide once whether the kernel can be used: root, and a program loads. */
static int group_setup(void **state)
{
	struct bpf_insn insns[] = { { .code = 0xb7 }, { .code = 0x95 } };
	int fd;

	(void)state;
	if (geteuid() != 0) {
		snprintf(skip_reason, sizeof(skip_reason), "not root: the kernel loader needs root");
		return 0;
	}
	fd = bpf_prog_load(BPF_PROG_TYPE_RAW_TRACEPOINT, "probe", "GPL", insns, 2, NULL);
	if (fd < 0) {
		snprintf(skip_reason, sizeof(skip_reason), "cannot load a BPF program here: %s", strerror(-fd));
		return 0;
	}
	close(fd);
	return 0;
}

static int test_setup(void **state)
{
	(void)state;
	fds_before = count_kernel_fds();
	return 0;
}

/* Every test must leave no kernel object behind. */
static int test_teardown(void **state)
{
	(void)state;
	int after = count_kernel_fds();
	if (after != fds_before) {
		print_error("leaked %d BPF/perf fds\n", after - fds_before);
		return -1;
	}
	return 0;
}

#define NEED_KERNEL()                                               \
	do {                                                        \
		if (skip_reason[0]) {                               \
			print_message("# SKIP %s\n", skip_reason);  \
			skip();                                     \
		}                                                   \
	} while (0)

/* Assemble kernel-dialect text made with printf; fails the test on error. */
static struct bpfkit_prog *asmf(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static struct bpfkit_prog *asmf(const char *name, const char *fmt, ...)
{
	char text[4096];
	struct bpfkit_prog *prog = NULL;
	struct bpfkit_diag d;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (bpfkit_asm(text, strlen(text), BPFKIT_DIALECT_KERN, &prog, &d)) {
		print_error("asm: %d:%d: %s\n", d.line, d.col, d.msg);
		fail();
	}
	prog->name = strdup(name);
	return prog;
}

/* "Is this event ours?": r0 = tgid; skip to out unless it is this process. */
#define ONLY_ME                                          \
	"call bpf_get_current_pid_tgid\n"                \
	"r0 >>= 32\n"                                    \
	"if r0 != %d goto out\n"

/* counts[0] += 1 (atomically) for each getppid() of this process. */
static const char count_prog[] = ONLY_ME "r1 = 0\n"
				 "*(u32 *)(r10 - 4) = r1\n"
				 "r2 = r10\n"
				 "r2 += -4\n"
				 "r1 = counts ll\n"
				 "call bpf_map_lookup_elem\n"
				 "if r0 == 0 goto out\n"
				 "r1 = 1\n"
				 "lock *(u64 *)(r0 + 0) += r1\n"
				 "out:\n"
				 "r0 = 0\n"
				 "exit\n";

static void test_tracepoint_count(void **state)
{
	(void)state;
	NEED_KERNEL();
	struct bpfkit_prog *prog = asmf("count", count_prog, getpid());
	struct bpfkit_kern_map_spec map = { "counts", BPFKIT_KERN_MAP_HASH, 4, 8, 16, 0 };
	struct bpfkit_kern_prog_spec spec = {
		.prog = prog, .attach = BPFKIT_KERN_ATTACH_TRACEPOINT, .target = "syscalls:sys_enter_getppid"
	};
	struct bpfkit_diag d;
	struct bpfkit_kern_session *s = bpfkit_kern_session__new(&map, 1, &spec, 1, NULL, NULL, &d);
	uint32_t key = 0, next;
	uint64_t zero = 0, v = 0;

	if (!s)
		print_error("%s\n", d.msg);
	assert_non_null(s);
	assert_int_equal(bpfkit_kern_session__nattached(s), 1);
	assert_int_equal(count_kernel_fds(), fds_before + 3); /* map, program, perf event */
	assert_int_equal(bpfkit_kern_map__find(s, "counts"), 0);
	assert_int_equal(bpfkit_kern_map__update(s, 0, &key, &zero, BPF_ANY), 0);
	for (int i = 0; i < 37; i++)
		syscall(SYS_getppid);
	assert_int_equal(bpfkit_kern_map__lookup(s, 0, &key, &v), 0);
	assert_int_equal(v, 37);
	/* iteration sees the one key, then the end */
	assert_int_equal(bpfkit_kern_map__next_key(s, 0, NULL, &next), 0);
	assert_int_equal(next, 0);
	assert_int_equal(bpfkit_kern_map__next_key(s, 0, &next, &next), -ENOENT);
	/* after close nothing counts and the maps are gone */
	bpfkit_kern_session__close(s);
	bpfkit_kern_session__close(s); /* idempotent */
	assert_int_equal(bpfkit_kern_map__lookup(s, 0, &key, &v), -EBADF);
	assert_int_equal(bpfkit_kern_session__nattached(s), 0);
	bpfkit_kern_session__free(s);
	bpfkit_prog__free(prog);
}

/* Per-CPU array on a raw tracepoint: non-atomic increments, summed over CPUs. */
static void test_percpu_sum(void **state)
{
	(void)state;
	NEED_KERNEL();
	struct bpfkit_prog *prog = asmf("pcpu",
					ONLY_ME "r1 = 0\n"
						"*(u32 *)(r10 - 4) = r1\n"
						"r2 = r10\n"
						"r2 += -4\n"
						"r1 = pcpu ll\n"
						"call bpf_map_lookup_elem\n"
						"if r0 == 0 goto out\n"
						"r1 = *(u64 *)(r0 + 8)\n"
						"r1 += 2\n"
						"*(u64 *)(r0 + 8) = r1\n"
						"out:\n"
						"r0 = 0\n"
						"exit\n",
					getpid());
	struct bpfkit_kern_map_spec map = { "pcpu", BPFKIT_KERN_MAP_PERCPU_ARRAY, 4, 16, 1, 0 };
	struct bpfkit_kern_prog_spec spec = {
		.prog = prog, .attach = BPFKIT_KERN_ATTACH_RAW_TRACEPOINT, .target = "sys_enter"
	};
	struct bpfkit_diag d;
	struct bpfkit_kern_session *s = bpfkit_kern_session__new(&map, 1, &spec, 1, NULL, NULL, &d);
	int ncpus = bpfkit_kern_ncpus(), online = (int)sysconf(_SC_NPROCESSORS_ONLN);
	uint32_t key = 0;
	uint64_t sums[2];
	size_t stride, size;
	unsigned char *buf;
	int cpus_hit = 0;

	if (!s)
		print_error("%s\n", d.msg);
	assert_non_null(s);
	/* spread the calls over the online CPUs */
	for (int i = 0; i < 40; i++) {
		cpu_set_t set;
		CPU_ZERO(&set);
		CPU_SET(i % online, &set);
		sched_setaffinity(0, sizeof(set), &set);
		syscall(SYS_getppid);
	}
	size = bpfkit_kern_map__value_buf_size(s, 0, &stride);
	assert_int_equal(stride, 16);
	assert_int_equal(size, 16 * (size_t)ncpus);
	buf = calloc(1, size);
	assert_int_equal(bpfkit_kern_map__lookup(s, 0, &key, buf), 0);
	for (int c = 0; c < ncpus; c++) {
		uint64_t v;
		memcpy(&v, buf + c * stride + 8, 8);
		cpus_hit += v != 0;
	}
	free(buf);
	assert_int_equal(bpfkit_kern_map__lookup_sum_u64(s, 0, &key, sums, 2), 0);
	/* every syscall of ours counts, and sched_setaffinity/getppid are 2 per round */
	assert_true(sums[1] >= 2 * 80);
	assert_int_equal(sums[0], 0);
	if (online > 1)
		assert_true(cpus_hit > 1);
	assert_int_equal(bpfkit_kern_map__lookup_sum_u64(s, 0, &key, sums, 3), -EINVAL);
	/* clear zeroes an array */
	assert_int_equal(bpfkit_kern_map__clear(s, 0), 0);
	bpfkit_kern_session__close(s);
	{
		cpu_set_t all;
		CPU_ZERO(&all);
		for (int c = 0; c < online; c++)
			CPU_SET(c, &all);
		sched_setaffinity(0, sizeof(all), &all);
	}
	bpfkit_kern_session__free(s);
	bpfkit_prog__free(prog);
}

struct rb_seen {
	int n;
	int bad;
};

static int on_record(void *ctx, const void *data, size_t len)
{
	struct rb_seen *seen = ctx;
	uint64_t rec[2];

	if (len != sizeof(rec)) {
		seen->bad++;
		return 0;
	}
	memcpy(rec, data, sizeof(rec));
	if (rec[0] != 0xb0f1c17ull || rec[1] != (uint64_t)getpid())
		seen->bad++;
	seen->n++;
	return 0;
}

/* A tracepoint program sends {magic, tgid} through bpf_ringbuf_output per getppid(). */
static void test_ringbuf(void **state)
{
	(void)state;
	NEED_KERNEL();
	struct bpfkit_prog *prog = asmf("rb",
					ONLY_ME "r1 = 0xb0f1c17 ll\n"
						"*(u64 *)(r10 - 16) = r1\n"
						"*(u64 *)(r10 - 8) = r0\n"
						"r1 = events ll\n"
						"r2 = r10\n"
						"r2 += -16\n"
						"r3 = 16\n"
						"r4 = 0\n"
						"call bpf_ringbuf_output\n"
						"out:\n"
						"r0 = 0\n"
						"exit\n",
					getpid());
	struct bpfkit_kern_map_spec maps[] = {
		{ "events", BPFKIT_KERN_MAP_RINGBUF, 0, 0, 5000, 0 }, /* rounded up to a page */
		{ BPFKIT_KERN_LOST_MAP, BPFKIT_KERN_MAP_PERCPU_ARRAY, 4, 8, 1, 0 },
	};
	struct bpfkit_kern_prog_spec spec = {
		.prog = prog, .attach = BPFKIT_KERN_ATTACH_TRACEPOINT, .target = "syscalls:sys_enter_getppid"
	};
	struct bpfkit_diag d;
	struct bpfkit_kern_session *s = bpfkit_kern_session__new(maps, 2, &spec, 1, NULL, NULL, &d);
	struct rb_seen seen = { 0, 0 };

	if (!s)
		print_error("%s\n", d.msg);
	assert_non_null(s);
	assert_int_equal(bpfkit_kern_session__poll(s, 0, on_record, &seen), 0);
	for (int i = 0; i < 25; i++)
		syscall(SYS_getppid);
	for (int tries = 0; seen.n < 25 && tries < 10; tries++)
		assert_true(bpfkit_kern_session__poll(s, 100, on_record, &seen) >= 0);
	assert_int_equal(seen.n, 25);
	assert_int_equal(seen.bad, 0);
	assert_int_equal(bpfkit_kern_session__lost(s), 0);
	bpfkit_kern_session__close(s);
	assert_int_equal(bpfkit_kern_session__poll(s, 0, on_record, &seen), -EBADF);
	bpfkit_kern_session__free(s);
	bpfkit_prog__free(prog);
}

/* BEGIN-style: run once with BPF_PROG_TEST_RUN; it stores 42 and returns 7. */
static void test_test_run(void **state)
{
	(void)state;
	NEED_KERNEL();
	struct bpfkit_prog *prog = asmf("begin", "r1 = 0\n"
						 "*(u32 *)(r10 - 4) = r1\n"
						 "r2 = r10\n"
						 "r2 += -4\n"
						 "r1 = state ll\n"
						 "call bpf_map_lookup_elem\n"
						 "if r0 == 0 goto out\n"
						 "r1 = 42\n"
						 "*(u64 *)(r0 + 0) = r1\n"
						 "out:\n"
						 "r0 = 7\n"
						 "exit\n");
	struct bpfkit_kern_map_spec map = { "state", BPFKIT_KERN_MAP_ARRAY, 4, 8, 4, 0 };
	struct bpfkit_kern_prog_spec specs[] = {
		{ .prog = prog, .attach = BPFKIT_KERN_ATTACH_TEST_RUN },
		{ .prog = prog, .attach = BPFKIT_KERN_ATTACH_RAW_TRACEPOINT, .target = "sched_switch" },
	};
	struct bpfkit_diag d;
	struct bpfkit_kern_session *s = bpfkit_kern_session__new(&map, 1, specs, 1, NULL, NULL, &d);
	uint32_t key = 0, ret = 0;
	uint64_t v = 0;

	if (!s)
		print_error("%s\n", d.msg);
	assert_non_null(s);
	assert_int_equal(bpfkit_kern_map__lookup(s, 0, &key, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(bpfkit_kern_session__run(s, 0, &ret, &d), 0);
	assert_int_equal(ret, 7);
	assert_int_equal(bpfkit_kern_map__lookup(s, 0, &key, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(bpfkit_kern_map__clear(s, 0), 0);
	assert_int_equal(bpfkit_kern_map__lookup(s, 0, &key, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(bpfkit_kern_map__delete(s, 0, &key), -EINVAL); /* arrays keep their keys */
	assert_int_equal(bpfkit_kern_session__run(s, 1, &ret, &d), -EINVAL);
	bpfkit_kern_session__free(s);

	/* two programs, one of them attached: the raw tracepoint works too */
	s = bpfkit_kern_session__new(&map, 1, specs, 2, NULL, NULL, &d);
	assert_non_null(s);
	assert_int_equal(bpfkit_kern_session__nattached(s), 1);
	assert_int_equal(bpfkit_kern_session__run(s, 1, &ret, &d), -EINVAL);
	assert_non_null(strstr(d.msg, "is not a test-run program"));
	bpfkit_kern_session__free(s);
	bpfkit_prog__free(prog);
}

/* The verifier refuses a read of r5 at insn 2: the log and the index come back. */
static void test_verifier_rejects(void **state)
{
	(void)state;
	NEED_KERNEL();
	struct bpfkit_prog *good = asmf("good", count_prog, getpid());
	struct bpfkit_prog *bad = asmf("bad", "r0 = 0\nr1 = 1\nr0 = r5\nexit\n");
	struct bpfkit_kern_map_spec map = { "counts", BPFKIT_KERN_MAP_HASH, 4, 8, 16, 0 };
	struct bpfkit_kern_prog_spec specs[] = {
		{ .prog = good, .attach = BPFKIT_KERN_ATTACH_TRACEPOINT, .target = "syscalls:sys_enter_getppid" },
		{ .prog = bad, .attach = BPFKIT_KERN_ATTACH_TRACEPOINT, .target = "syscalls:sys_enter_getppid" },
	};
	struct bpfkit_kern_verifier_log vlog;
	struct bpfkit_diag d;
	struct bpfkit_kern_session *s = bpfkit_kern_session__new(&map, 1, specs, 2, NULL, &vlog, &d);

	assert_null(s);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(d.insn, 2);
	assert_int_equal(vlog.prog, 1);
	assert_int_equal(vlog.insn, 2);
	assert_non_null(vlog.text);
	assert_non_null(strstr(vlog.text, "R5 !read_ok"));
	assert_non_null(strstr(d.msg, "program bad"));
	assert_non_null(strstr(d.msg, "R5 !read_ok"));
	free(vlog.text);
	bpfkit_prog__free(good);
	bpfkit_prog__free(bad);
}

/* Attach errors, each after maps and a program exist: nothing may stay. */
static void test_attach_errors(void **state)
{
	(void)state;
	NEED_KERNEL();
	struct bpfkit_prog *prog = asmf("count", count_prog, getpid());
	struct bpfkit_kern_map_spec map = { "counts", BPFKIT_KERN_MAP_HASH, 4, 8, 16, 0 };
	struct bpfkit_kern_prog_spec specs[] = {
		{ .prog = prog, .attach = BPFKIT_KERN_ATTACH_TRACEPOINT, .target = "syscalls:sys_enter_getppid" },
		{ .prog = prog, .attach = BPFKIT_KERN_ATTACH_TRACEPOINT, .target = "syscalls:sys_enter_nonexist" },
	};
	struct bpfkit_diag d;
	struct bpfkit_kern_session *s;

	s = bpfkit_kern_session__new(&map, 1, specs, 2, NULL, NULL, &d);
	assert_null(s);
	assert_int_equal(errno, ENOENT);
	assert_non_null(strstr(d.msg, "no tracepoint syscalls:sys_enter_nonexist"));

	specs[1].target = "sys_enter_getppid"; /* no subsystem */
	assert_null(bpfkit_kern_session__new(&map, 1, specs, 2, NULL, NULL, &d));
	assert_int_equal(errno, EINVAL);
	specs[1].target = "../..:id";
	assert_null(bpfkit_kern_session__new(&map, 1, specs, 2, NULL, NULL, &d));
	assert_int_equal(errno, EINVAL);

	specs[1].attach = BPFKIT_KERN_ATTACH_RAW_TRACEPOINT;
	specs[1].target = "no_such_raw_tp";
	assert_null(bpfkit_kern_session__new(&map, 1, specs, 2, NULL, NULL, &d));
	assert_int_equal(errno, ENOENT);
	assert_non_null(strstr(d.msg, "no raw tracepoint no_such_raw_tp"));

	specs[1].attach = BPFKIT_KERN_ATTACH_KPROBE;
	specs[1].target = "do_nanosleep";
	s = bpfkit_kern_session__new(&map, 1, specs, 2, NULL, NULL, &d);
	if (s) { /* a kernel with kprobes: the brief's machine has none */
		assert_int_equal(bpfkit_kern_session__nattached(s), 2);
		bpfkit_kern_session__free(s);
	} else {
		assert_int_equal(errno, EOPNOTSUPP);
		assert_non_null(strstr(d.msg, "not available"));
	}

	/* a map the program names but nobody defined */
	struct bpfkit_kern_map_spec other = { "other", BPFKIT_KERN_MAP_HASH, 4, 8, 16, 0 };
	assert_null(bpfkit_kern_session__new(&other, 1, specs, 1, NULL, NULL, &d));
	assert_int_equal(errno, ENOENT);
	assert_non_null(strstr(d.msg, "unknown map 'counts'"));

	/* bad map specs */
	struct bpfkit_kern_map_spec twice[] = { map, map };
	assert_null(bpfkit_kern_session__new(twice, 2, NULL, 0, NULL, NULL, &d));
	assert_non_null(strstr(d.msg, "defined twice"));
	other.value_size = 0;
	assert_null(bpfkit_kern_session__new(&other, 1, NULL, 0, NULL, NULL, &d));
	assert_int_equal(errno, EINVAL);
	bpfkit_prog__free(prog);
}

/* A hash map: update, iterate, delete, clear. */
static void test_hash_ops(void **state)
{
	(void)state;
	NEED_KERNEL();
	struct bpfkit_kern_map_spec map = { "h", BPFKIT_KERN_MAP_PERCPU_HASH, 8, 8, 64, 0 };
	struct bpfkit_diag d;
	struct bpfkit_kern_session *s = bpfkit_kern_session__new(&map, 1, NULL, 0, NULL, NULL, &d);
	size_t size = bpfkit_kern_map__value_buf_size(s, 0, NULL);
	uint64_t *vals = calloc(1, size), key, next, sum;
	int n = 0;

	assert_non_null(s);
	for (size_t c = 0; c < size / 8; c++)
		vals[c] = c + 1;
	for (key = 100; key < 110; key++)
		assert_int_equal(bpfkit_kern_map__update(s, 0, &key, vals, BPF_ANY), 0);
	for (int err = bpfkit_kern_map__next_key(s, 0, NULL, &next); !err;
	     err = bpfkit_kern_map__next_key(s, 0, &next, &next))
		n++;
	assert_int_equal(n, 10);
	key = 105;
	assert_int_equal(bpfkit_kern_map__lookup_sum_u64(s, 0, &key, &sum, 1), 0);
	assert_int_equal(sum, (size / 8) * (size / 8 + 1) / 2);
	assert_int_equal(bpfkit_kern_map__delete(s, 0, &key), 0);
	assert_int_equal(bpfkit_kern_map__lookup(s, 0, &key, vals), -ENOENT);
	assert_int_equal(bpfkit_kern_map__clear(s, 0), 0);
	assert_int_equal(bpfkit_kern_map__next_key(s, 0, NULL, &next), -ENOENT);
	free(vals);
	bpfkit_kern_session__free(s);
}

/*
 * Ten syscalls:sys_enter_* programs go through one dispatcher on
 * raw_syscalls:sys_enter (one perf event), the one on getppid still counts
 * exactly; with syscall_dispatch -1, or a threshold above ten, each is
 * attached on its own. Every fd is released by __close().
 */
static void test_syscall_dispatch(void **state)
{
	(void)state;
	NEED_KERNEL();
#if !defined(__x86_64__)
	print_message("# SKIP the syscall dispatcher is for x86-64 only\n");
	skip();
#endif
	static const char *const targets[] = {
		"syscalls:sys_enter_getppid", "syscalls:sys_enter_getpid",  "syscalls:sys_enter_gettid",
		"syscalls:sys_enter_getuid",  "syscalls:sys_enter_getgid",  "syscalls:sys_enter_geteuid",
		"syscalls:sys_enter_getegid", "syscalls:sys_enter_getpgrp", "syscalls:sys_enter_sched_yield",
		"syscalls:sys_enter_newuname",
	};
	enum { N = sizeof(targets) / sizeof(targets[0]) };
	static const struct {
		int dispatch; /* opts.syscall_dispatch */
		size_t attached, extra_fds; /* perf events; prog array + dispatcher */
	} modes[] = { { 0, 1, 2 }, { -1, N, 0 }, { N + 1, N, 0 }, { N, 1, 2 } };
	struct bpfkit_prog *count = asmf("count", count_prog, getpid());
	struct bpfkit_prog *nop = asmf("nop", "r0 = 0\nexit\n");
	struct bpfkit_kern_map_spec map = { "counts", BPFKIT_KERN_MAP_HASH, 4, 8, 16, 0 };
	struct bpfkit_kern_prog_spec specs[N];

	for (size_t i = 0; i < N; i++)
		specs[i] = (struct bpfkit_kern_prog_spec){ .prog = i ? nop : count,
							   .attach = BPFKIT_KERN_ATTACH_TRACEPOINT,
							   .target = targets[i] };
	for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
		struct bpfkit_kern_opts opts = { .syscall_dispatch = modes[m].dispatch };
		struct bpfkit_kern_dispatch_info info;
		struct bpfkit_diag d;
		struct bpfkit_kern_session *s = bpfkit_kern_session__new(&map, 1, specs, N, &opts, NULL, &d);
		uint32_t key = 0;
		uint64_t zero = 0, v = 0;

		if (!s)
			print_error("%s\n", d.msg);
		assert_non_null(s);
		print_message("# syscall_dispatch %d: %zu attachments\n", modes[m].dispatch,
			      bpfkit_kern_session__nattached(s));
		assert_int_equal(bpfkit_kern_session__nattached(s), modes[m].attached);
		assert_int_equal(count_kernel_fds(), fds_before + 1 + N + modes[m].attached + modes[m].extra_fds);
		bpfkit_kern_session__dispatch_info(s, &info);
		assert_int_equal(info.dispatchers, modes[m].attached == 1);
		assert_int_equal(info.probes, modes[m].attached == 1 ? N : 0);
		assert_null(info.note);
		assert_int_equal(bpfkit_kern_map__update(s, 0, &key, &zero, BPF_ANY), 0);
		for (int i = 0; i < 37; i++)
			syscall(SYS_getppid);
		assert_int_equal(bpfkit_kern_map__lookup(s, 0, &key, &v), 0);
		assert_int_equal(v, 37);
		bpfkit_kern_session__close(s);
		assert_int_equal(count_kernel_fds(), fds_before);
		bpfkit_kern_session__free(s);
	}
	bpfkit_prog__free(count);
	bpfkit_prog__free(nop);
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/*
 * Attach a trivial program to every syscalls:sys_enter_* tracepoint and time
 * the teardown: one perf event each, closed serially and with the default
 * threads, then through the syscall dispatcher (one perf event). Only with
 * BPFKIT_KERN_BENCH=1: it takes half a minute.
 */
static void test_detach_all_syscalls(void **state)
{
	(void)state;
	NEED_KERNEL();
	if (!getenv("BPFKIT_KERN_BENCH")) {
		print_message("# SKIP set BPFKIT_KERN_BENCH=1 to time detaching all syscalls:sys_enter_*\n");
		skip();
	}
	struct bpfkit_prog *prog = asmf("nop", "r0 = 0\nexit\n");
	struct bpfkit_kern_prog_spec *specs = calloc(1024, sizeof(*specs));
	char (*names)[300] = calloc(1024, 300);
	DIR *dir = opendir("/sys/kernel/tracing/events/syscalls");
	struct dirent *e;
	size_t n = 0;

	assert_non_null(dir);
	while ((e = readdir(dir)) && n < 1024) {
		if (strncmp(e->d_name, "sys_enter_", 10))
			continue;
		snprintf(names[n], 300, "syscalls:%s", e->d_name);
		specs[n] = (struct bpfkit_kern_prog_spec){
			.prog = prog, .attach = BPFKIT_KERN_ATTACH_TRACEPOINT, .target = names[n]
		};
		n++;
	}
	closedir(dir);
	static const char *const how[] = { "one by one, serially", "one by one, 16 threads", "of the dispatcher" };

	for (unsigned run = 0; run < 3; run++) {
		/* one by one serially, one by one from 16 threads, through the dispatcher */
		unsigned threads = run ? 16 : 1;
		struct bpfkit_kern_opts opts = { .close_threads = threads, .syscall_dispatch = run < 2 ? -1 : 0 };
		struct bpfkit_diag d;
		double t0 = now(), t1, t2;
		struct bpfkit_kern_session *s = bpfkit_kern_session__new(NULL, 0, specs, n, &opts, NULL, &d);

		if (!s)
			print_error("%s\n", d.msg);
		assert_non_null(s);
		t1 = now();
		bpfkit_kern_session__close(s);
		t2 = now();
		print_message("# %zu tracepoints: load+attach %.3f s, detach %s %.3f s\n", n, t1 - t0, how[run],
			      t2 - t1);
		bpfkit_kern_session__free(s);
	}
	free(specs);
	free(names);
	bpfkit_prog__free(prog);
}

/*
 * PERF_EVENT attachments: one event per online CPU by default, exactly one
 * with one_cpu (interval probes), and a CPU that does not exist is refused.
 */
static void test_perf_event_cpus(void **state)
{
	(void)state;
	NEED_KERNEL();
	struct bpfkit_prog *prog = asmf("tick", "r0 = 0\nexit\n");
	struct bpfkit_kern_prog_spec spec = {
		.prog = prog, .attach = BPFKIT_KERN_ATTACH_PERF_EVENT, .perf_type = PERF_TYPE_SOFTWARE,
		.perf_config = PERF_COUNT_SW_CPU_CLOCK, .sample_period = 100000000,
	};
	struct bpfkit_diag d;
	struct bpfkit_kern_session *s;
	long online = sysconf(_SC_NPROCESSORS_ONLN);

	s = bpfkit_kern_session__new(NULL, 0, &spec, 1, NULL, NULL, &d);
	if (!s)
		print_error("%s\n", d.msg);
	assert_non_null(s);
	assert_int_equal(bpfkit_kern_session__nattached(s), online);
	bpfkit_kern_session__free(s);

	spec.one_cpu = true;
	spec.cpu = 0;
	s = bpfkit_kern_session__new(NULL, 0, &spec, 1, NULL, NULL, &d);
	if (!s)
		print_error("%s\n", d.msg);
	assert_non_null(s);
	assert_int_equal(bpfkit_kern_session__nattached(s), 1);
	assert_int_equal(count_kernel_fds(), fds_before + 2); /* program, one perf event */
	bpfkit_kern_session__free(s);

	spec.cpu = bpfkit_kern_ncpus();
	assert_null(bpfkit_kern_session__new(NULL, 0, &spec, 1, NULL, NULL, &d));
	assert_int_equal(errno, EINVAL);
	assert_non_null(strstr(d.msg, "no CPU"));
	bpfkit_prog__free(prog);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_tracepoint_count, test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_percpu_sum, test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_ringbuf, test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_test_run, test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_verifier_rejects, test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_attach_errors, test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_perf_event_cpus, test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_hash_ops, test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_syscall_dispatch, test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_detach_all_syscalls, test_setup, test_teardown),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
