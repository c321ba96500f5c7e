/* SPDX-License-Identifier: MIT */
/*
 * libbpf's messages go where bpfkit_kern_set_log() says, never straight to
 * stderr: a warning from libbpf (a ring buffer over a bad fd, which needs no
 * privilege) reaches the log function, and with none nothing is written to
 * stderr.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <bpf/libbpf.h>
#include <bpfkit/kern.h>

struct capture {
	int n;
	char level[16];
	char msg[512];
};

static void capture(void *ctx, const char *level, const char *msg)
{
	struct capture *c = ctx;

	c->n++;
	snprintf(c->level, sizeof(c->level), "%s", level);
	snprintf(c->msg, sizeof(c->msg), "%s", msg);
}

static int noop(void *ctx, void *data, size_t size)
{
	(void)ctx;
	(void)data;
	(void)size;
	return 0;
}

/* libbpf warns when asked for a ring buffer over fd -1. */
static void make_libbpf_warn(void)
{
	struct ring_buffer *rb = ring_buffer__new(-1, noop, NULL, NULL);

	assert_null(rb);
}

static void test_warning_reaches_log_fn(void **state)
{
	struct capture c = { 0 };

	(void)state;
	bpfkit_kern_set_log(capture, &c);
	make_libbpf_warn();
	bpfkit_kern_set_log(NULL, NULL);
	assert_true(c.n >= 1);
	assert_string_equal(c.level, "warning");
	assert_non_null(strstr(c.msg, "ringbuf"));
	assert_null(strchr(c.msg, '\n'));
}

/* Without a log function, stderr stays empty (redirected to a file to look). */
static void test_no_log_fn_is_silent(void **state)
{
	char path[] = "/tmp/bpfkit-klog-XXXXXX";
	int fd = mkstemp(path), saved = dup(2);
	off_t size;

	(void)state;
	assert_true(fd >= 0 && saved >= 0);
	bpfkit_kern_set_log(NULL, NULL);
	fflush(stderr);
	assert_int_equal(dup2(fd, 2), 2);
	make_libbpf_warn();
	fflush(stderr);
	size = lseek(fd, 0, SEEK_END);
	dup2(saved, 2);
	close(saved);
	close(fd);
	unlink(path);
	assert_int_equal(size, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_warning_reaches_log_fn),
		cmocka_unit_test(test_no_log_fn_is_silent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
