/* SPDX-License-Identifier: MIT */
/*
 * The session: one object owning every kernel object of a tracing run, built
 * in one call (maps, then programs, then attachments, then the ring buffer
 * reader) and released in one place, __close(), which every error path of
 * __new() and the caller's shutdown share.
 *
 * Detaching is the slow part of a run: closing the last perf event of a
 * tracepoint waits for RCU grace periods in the kernel (about 78 ms each
 * here, 28 s for the 360 syscalls:sys_enter_* events when done one by one).
 * Part of that wait happens outside the kernel's event_mutex, so closing
 * from several threads lets grace periods overlap: see docs/kern.md for the
 * numbers. Many syscalls:sys_enter_* / sys_exit_* programs avoid the wait
 * altogether: they go through one dispatcher on raw_syscalls (sysdisp.c).
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "kern/kern_int.h"
#include "kern/load_int.h"
#include "kern/sysdisp.h"

#define DEFAULT_CLOSE_THREADS 16
#define MAX_CLOSE_THREADS 64
#define LINKS_PER_THREAD 8 /* fewer than this per thread is not worth a thread */

int kload_error(struct bpfkit_diag *d, int err, const char *fmt, ...)
{
	char what[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (err == -EPERM || err == -EACCES) {
		char why[PATH_MAX + 256];

		/* what this process lacks: the capabilities first, then tracefs (a tracepoint's id) */
		if (bpfkit_kern_missing_privileges(BPFKIT_PRIV_BPF, NULL, why, sizeof(why)) != 1 &&
		    bpfkit_kern_missing_privileges(BPFKIT_PRIV_TRACEFS, NULL, why, sizeof(why)) != 1)
			snprintf(why, sizeof(why), "this process has CAP_BPF and CAP_PERFMON and can read tracefs: "
						   "lockdown or a security module may forbid it");
		return bpfkit_diag__set(d, err, "%s: %s: %s", what, strerror(-err), why);
	}
	return bpfkit_diag__set(d, err, "%s: %s", what, strerror(-err));
}

int ksession_add_link(struct bpfkit_kern_session *s, int fd)
{
	if (s->nlinks == s->links_cap) {
		size_t cap = s->links_cap ? s->links_cap * 2 : 64;
		int *p = realloc(s->links, cap * sizeof(*p));
		if (!p) {
			close(fd);
			return -ENOMEM;
		}
		s->links = p;
		s->links_cap = cap;
	}
	s->links[s->nlinks++] = fd;
	return 0;
}

struct closer {
	int *fds;
	size_t n, step;
};

static void *closer_main(void *arg)
{
	struct closer *c = arg;
	for (size_t i = 0; i < c->n; i += c->step)
		close(c->fds[i]);
	return NULL;
}

/*
 * Close @p n attachment fds with up to @p threads threads, each taking every
 * threads-th fd, so that the kernel's per-close grace-period waits overlap.
 * Threads that cannot be started leave their share to this one.
 */
static void close_links(int *fds, size_t n, unsigned threads)
{
	pthread_t tid[MAX_CLOSE_THREADS];
	struct closer work[MAX_CLOSE_THREADS];
	bool started[MAX_CLOSE_THREADS] = { false };
	size_t nthr = threads ? threads : DEFAULT_CLOSE_THREADS;

	if (nthr > MAX_CLOSE_THREADS)
		nthr = MAX_CLOSE_THREADS;
	if (nthr > n / LINKS_PER_THREAD)
		nthr = n / LINKS_PER_THREAD;
	if (nthr <= 1) {
		for (size_t i = 0; i < n; i++)
			close(fds[i]);
		return;
	}
	for (size_t t = 0; t < nthr; t++) {
		work[t] = (struct closer){ .fds = fds + t, .n = n - t, .step = nthr };
		started[t] = t > 0 && pthread_create(&tid[t], NULL, closer_main, &work[t]) == 0;
	}
	closer_main(&work[0]);
	for (size_t t = 1; t < nthr; t++) {
		if (started[t])
			pthread_join(tid[t], NULL);
		else
			closer_main(&work[t]);
	}
}

void bpfkit_kern_session__detach(struct bpfkit_kern_session *s)
{
	if (!s)
		return;
	close_links(s->links, s->nlinks, s->close_threads);
	s->nlinks = 0;
}

void bpfkit_kern_session__close(struct bpfkit_kern_session *s)
{
	if (!s || s->closed)
		return;
	s->closed = true;
	bpfkit_kern_session__detach(s);
	kringbuf_close(s);
	ksysdisp_close(s);
	for (size_t i = 0; i < s->nprogs; i++) {
		if (s->progs[i].fd >= 0)
			close(s->progs[i].fd);
		s->progs[i].fd = -1;
	}
	for (size_t i = 0; i < s->nmaps; i++) {
		if (s->maps[i].fd >= 0)
			close(s->maps[i].fd);
		s->maps[i].fd = -1;
	}
}

void bpfkit_kern_session__free(struct bpfkit_kern_session *s)
{
	if (!s)
		return;
	bpfkit_kern_session__close(s);
	for (size_t i = 0; i < s->nmaps; i++)
		free(s->maps[i].name);
	for (size_t i = 0; i < s->nprogs; i++)
		free(s->progs[i].name);
	ksysdisp_free(s);
	free(s->maps);
	free(s->progs);
	free(s->links);
	free(s);
}

/* Allocate an empty session whose fds are all -1, so __close() works at any point. */
static struct bpfkit_kern_session *session_alloc(size_t nmaps, size_t nprogs)
{
	struct bpfkit_kern_session *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->maps = calloc(nmaps ? nmaps : 1, sizeof(*s->maps));
	s->progs = calloc(nprogs ? nprogs : 1, sizeof(*s->progs));
	if (!s->maps || !s->progs) {
		bpfkit_kern_session__free(s);
		return NULL;
	}
	for (size_t i = 0; i < nmaps; i++)
		s->maps[i].fd = -1;
	for (size_t i = 0; i < nprogs; i++)
		s->progs[i].fd = -1;
	return s;
}

/*
 * Build a session: maps, then each program loaded, then the syscall
 * dispatchers (sysdisp.c) for many syscalls:* programs, then each program
 * attached (or its dispatcher), then the ring buffer reader. Programs are
 * all loaded before any is attached so that a verifier rejection leaves
 * nothing attached even for a moment.
 */
struct bpfkit_kern_session *bpfkit_kern_session__new(const struct bpfkit_kern_map_spec *maps, size_t nmaps,
						     const struct bpfkit_kern_prog_spec *progs, size_t nprogs,
						     const struct bpfkit_kern_opts *opts,
						     struct bpfkit_kern_verifier_log *vlog,
						     struct bpfkit_diag *diag)
{
	struct bpfkit_kern_session *s;
	struct bpfkit_diag local;
	uint32_t log_size = opts && opts->log_size ? opts->log_size : 1u << 20;
	int err = 0;

	if (!diag)
		diag = &local;
	bpfkit_diag__clear(diag);
	if (vlog)
		*vlog = (struct bpfkit_kern_verifier_log){ .prog = -1, .insn = -1 };
	if ((nmaps && !maps) || (nprogs && !progs)) {
		bpfkit_diag__set(diag, -EINVAL, "no map or program specs given");
		errno = EINVAL;
		return NULL;
	}
	klog_install();
	s = session_alloc(nmaps, nprogs);
	if (!s) {
		bpfkit_diag__set(diag, -ENOMEM, "out of memory");
		errno = ENOMEM;
		return NULL;
	}
	s->close_threads = opts ? opts->close_threads : 0;
	s->syscall_dispatch = opts ? opts->syscall_dispatch : 0;
	s->nmaps = nmaps;
	s->nprogs = nprogs;
	err = kmaps_create(s, maps, nmaps, diag);
	for (size_t i = 0; !err && i < nprogs; i++)
		err = kprog_load(s, i, &progs[i], log_size, vlog, diag);
	err = err ? err : ksysdisp_setup(s, progs, nprogs, s->syscall_dispatch, diag);
	for (size_t i = 0; !err && i < nprogs; i++)
		err = kprog_attach(s, i, &progs[i], diag);
	err = err ? err : kringbuf_open(s, diag);
	if (err) {
		bpfkit_kern_session__free(s);
		errno = -err;
		return NULL;
	}
	return s;
}

/* BPF_PROG_TEST_RUN of TEST_RUN program @p prog, with @p topts' input. */
static int test_run(struct bpfkit_kern_session *s, size_t prog, struct bpf_test_run_opts *topts, uint32_t *retval,
		    struct bpfkit_diag *diag)
{
	int err;

	if (!s || prog >= s->nprogs || s->progs[prog].attach != BPFKIT_KERN_ATTACH_TEST_RUN)
		return bpfkit_diag__set(diag, -EINVAL, "program %zu is not a test-run program", prog);
	if (s->progs[prog].fd < 0)
		return bpfkit_diag__set(diag, -EBADF, "program %s: the session is closed", s->progs[prog].name);
	err = bpf_prog_test_run_opts(s->progs[prog].fd, topts);
	if (err < 0)
		return kload_error(diag, err, "program %s: test run failed", s->progs[prog].name);
	if (retval)
		*retval = topts->retval;
	return 0;
}

int bpfkit_kern_session__run(struct bpfkit_kern_session *s, size_t prog, uint32_t *retval,
			     struct bpfkit_diag *diag)
{
	uint64_t args[8] = { 0 };
	LIBBPF_OPTS(bpf_test_run_opts, topts, .ctx_in = args, .ctx_size_in = sizeof(args));

	return test_run(s, prog, &topts, retval, diag);
}

int bpfkit_kern_session__run_data(struct bpfkit_kern_session *s, size_t prog, const void *data, uint32_t size,
				  uint32_t *retval, struct bpfkit_diag *diag)
{
	LIBBPF_OPTS(bpf_test_run_opts, topts, .data_in = data, .data_size_in = size, .repeat = 1);

	return test_run(s, prog, &topts, retval, diag);
}

size_t bpfkit_kern_session__nattached(const struct bpfkit_kern_session *s)
{
	return s ? s->nlinks : 0;
}

int bpfkit_kern_session__prog_fd(const struct bpfkit_kern_session *s, size_t prog)
{
	return s && prog < s->nprogs ? s->progs[prog].fd : -1;
}
