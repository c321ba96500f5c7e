// SPDX-License-Identifier: MIT
/*
 * bpfkit trace: the records programs send through the ring buffer. Each
 * starts with a u64 event id, the index in the compiler's event table, which
 * says what to do and where the arguments are: printf (formatted here, as
 * bpftrace does, from the format kept in user space), exit, print(@m),
 * clear/zero(@m) (done from user space), time(fmt), print(value), and the
 * functions bpftrace runs in user space: system(fmt, ...) (a shell command,
 * its output printed), cat(fmt, ...) (a file printed), join(arr, sep).
 * strftime() values are no records: they are resolved wherever they are
 * decoded (trace_timestamp()).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <bpfkit/sym.h>

#include "cli.h"
#include "cli/trace_int.h"

/* Decode an event's arguments from its record into @p vals. */
static int decode_args(struct trace_ctx *t, const struct bpfkit_lang_event *ev, const unsigned char *rec,
		       size_t len, struct bpfkit_out_val *vals, struct tpool *pool)
{
	for (size_t i = 0; i < ev->nargs; i++) {
		uint32_t off = ev->args[i].offset;
		int err;

		if (off > len)
			return -EINVAL;
		err = trace_decode(t, ev->args[i].type, rec + off, len - off, &vals[i], pool);
		if (err)
			return err;
	}
	return 0;
}

/* A map operation named by an event (print, clear, zero). */
static int event_map_op(struct trace_ctx *t, const struct bpfkit_lang_event *ev)
{
	int m = ev->map ? trace_map_by_name(t, ev->map) : -1;
	int err;

	if (m < 0) {
		cli_warn("event for unknown map %s", ev->map ? ev->map : "(none)");
		return 0;
	}
	switch (ev->kind) {
	case BPFKIT_LANG_EV_PRINT: return trace_map_print(t, (size_t)m, ev->top, ev->div) == -EIO ? -EIO : 0;
	case BPFKIT_LANG_EV_CLEAR: err = trace_map_clear(t, (size_t)m); break;
	default: err = trace_map_zero(t, (size_t)m); break;
	}
	if (err)
		cli_warn("cannot %s %s: %s", ev->kind == BPFKIT_LANG_EV_CLEAR ? "clear" : "zero", ev->map,
			   strerror(-err));
	return 0;
}

/* time(fmt): the local time through strftime, as bpftrace prints it. */
static int event_time(struct trace_ctx *t, const struct bpfkit_lang_event *ev)
{
	struct bpfkit_diag d = { 0 };
	time_t now = time(NULL);
	struct tm tm;
	int err;

	localtime_r(&now, &tm);
	err = bpfkit_out__time(&t->out, ev->fmt, &tm, &d);
	if (err == -ERANGE) {
		fflush(stdout);
		fprintf(stderr, "%s\n", d.msg);
		return 0;
	}
	return err == -EIO ? -EIO : 0;
}

/*
 * The wall-clock time at boot, CLOCK_REALTIME - CLOCK_BOOTTIME, measured as
 * bpftrace 0.17 does: five REALTIME, BOOTTIME, REALTIME sandwiches within one
 * second, keeping the one whose REALTIME reads were closest, with the
 * average of those two. (strftime()'s nsecs is meant to be `nsecs`, whose
 * clock is the monotonic one: the same unless the machine was suspended,
 * as in bpftrace.)
 */
static void boot_time(struct timespec *boot)
{
	long best = LONG_MAX;
	struct timespec rt, bt;

	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_BOOTTIME, &bt);
	boot->tv_sec = rt.tv_sec - bt.tv_sec;
	boot->tv_nsec = rt.tv_nsec - bt.tv_nsec;
	for (int i = 0; i < 5; i++) {
		struct timespec a, b;
		long avg;

		if (clock_gettime(CLOCK_REALTIME, &a) || clock_gettime(CLOCK_BOOTTIME, &bt) ||
		    clock_gettime(CLOCK_REALTIME, &b) || a.tv_sec != b.tv_sec || b.tv_nsec - a.tv_nsec >= best)
			continue;
		best = b.tv_nsec - a.tv_nsec;
		avg = (a.tv_nsec + b.tv_nsec) / 2;
		boot->tv_sec = b.tv_sec - bt.tv_sec;
		boot->tv_nsec = avg - bt.tv_nsec;
	}
	if (boot->tv_nsec < 0) {
		boot->tv_sec--;
		boot->tv_nsec += 1000000000L;
	}
}

int trace_timestamp(struct trace_ctx *t, uint64_t id, uint64_t nsecs, struct bpfkit_out_val *v,
		    struct tpool *pool)
{
	char *buf = tpool_alloc(pool, BPFKIT_FMT_STRFTIME_SIZE);
	struct bpfkit_diag d = { 0 };
	int n;

	if (!buf)
		return -ENOMEM;
	if (id >= t->c->nevents || t->c->events[id].kind != BPFKIT_LANG_EV_STRFTIME || !t->c->events[id].fmt)
		return -EINVAL;
	if (!t->have_boot) {
		boot_time(&t->boot);
		t->have_boot = true;
	}
	n = bpfkit_fmt__strftime(buf, BPFKIT_FMT_STRFTIME_SIZE, t->c->events[id].fmt, &t->boot, nsecs, &d);
	if (n == -ENOMEM)
		return n;
	if (n < 0) {
		fflush(t->out.f);
		fprintf(stderr, "ERROR: %s\n", d.msg); /* bpftrace's words; buf says "(?)" */
		n = (int)strlen(buf);
	}
	*v = bpfkit_out_timestamp(buf, (size_t)n);
	return 0;
}

/*
 * Run @p cmd with /bin/sh -c and collect its standard output, as bpftrace's
 * exec_system() does (popen, then fgets into 128-byte pieces, each kept up to
 * a NUL). Its standard error is ours. A fork of our own rather than popen():
 * the child must not inherit our ignored SIGPIPE. Blocks until it exits.
 */
static int run_shell(const char *cmd, char **out, size_t *len)
{
	char piece[128], *text = NULL;
	size_t n = 0, cap = 0;
	int pfd[2], status, err = 0;
	FILE *f;
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return -errno;
	}
	if (pid == 0) {
		signal(SIGPIPE, SIG_DFL);
		if (dup2(pfd[1], STDOUT_FILENO) < 0)
			_exit(127);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	f = fdopen(pfd[0], "r");
	if (!f)
		close(pfd[0]);
	while (f && fgets(piece, sizeof(piece), f)) {
		size_t k = strlen(piece);

		if (!err && n + k + 1 > cap) {
			char *p = realloc(text, (n + k + 1) * 2);

			if (!p)
				err = -ENOMEM; /* keep reading: the command must not block on a full pipe */
			else
				text = p, cap = (n + k + 1) * 2;
		}
		if (!err) {
			memcpy(text + n, piece, k);
			n += k;
		}
	}
	if (f)
		fclose(f);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (err) {
		free(text);
		return err;
	}
	*out = text;
	*len = n;
	return 0;
}

/* system(fmt, args): the command's output as a "syscall" message. */
static int event_system(struct trace_ctx *t, const struct bpfkit_lang_event *ev, const struct bpfkit_out_val *vals,
			struct bpfkit_diag *d)
{
	char *cmd, *text = NULL;
	size_t len = 0;
	int err = bpfkit_fmt__format(ev->fmt, vals, ev->nargs, &cmd, NULL, d);

	if (err)
		return err;
	fflush(t->out.f); /* what we printed before comes before what the command prints */
	err = run_shell(cmd, &text, &len);
	if (err)
		cli_warn("line %d: cannot run '%s': %s", ev->line, cmd, strerror(-err));
	else
		err = bpfkit_out__message(&t->out, BPFKIT_OUT_MSG_SYSCALL, text, len, false);
	free(text);
	free(cmd);
	return err == -EIO ? -EIO : 0;
}

/* cat(fmt, args): the file's text (bpftrace's error on stderr, and what was read). */
static int event_cat(struct trace_ctx *t, const struct bpfkit_lang_event *ev, const struct bpfkit_out_val *vals,
		     struct bpfkit_diag *d)
{
	struct bpfkit_diag cd = { 0 };
	char *path, *text;
	size_t len = 0;
	int err = bpfkit_fmt__format(ev->fmt, vals, ev->nargs, &path, NULL, d);

	if (err)
		return err;
	err = bpfkit_fmt__cat(path, BPFKIT_FMT_CAT_MAX, &text, &len, &cd);
	free(path);
	if (err == -ENOMEM)
		return err;
	if (err) {
		fflush(t->out.f);
		fprintf(stderr, "ERROR: %s\n", cd.msg);
	}
	err = bpfkit_out__message(&t->out, BPFKIT_OUT_MSG_CAT, text, len, false);
	free(text);
	return err;
}

/* join(arr, sep): the strings before the first empty one, and a newline. */
static int event_join(struct trace_ctx *t, const struct bpfkit_lang_event *ev, const struct bpfkit_out_val *vals)
{
	char *text;
	size_t len;
	int err = bpfkit_fmt__join(vals, ev->nargs, ev->fmt, &text, &len);

	if (err)
		return err;
	err = bpfkit_out__message(&t->out, BPFKIT_OUT_MSG_JOIN, text, len, true);
	free(text);
	return err;
}

/*
 * One record from the ring buffer. Malformed records (too short, unknown
 * id) are counted and skipped; only a failed write to the output stops the
 * poll (-EIO), since nothing more can be shown.
 */
/*
 * -k/-kk: a helper failed. A warning at the script's expression that called
 * it, as the compiler's warnings are printed, with bpftrace's text: "Failed
 * to map_delete_elem: No such file or directory (-2)"; a lookup that found
 * nothing is "Failed to map_lookup_elem: 0".
 */
static void event_helper_error(struct trace_ctx *t, const struct bpfkit_lang_event *ev, const unsigned char *rec)
{
	struct bpfkit_lang_diag d = { .severity = BPFKIT_LANG_WARNING };
	char msg[256];
	int64_t ret;

	memcpy(&ret, rec + 8, sizeof(ret));
	if (ret < 0 && ret > -4096)
		snprintf(msg, sizeof(msg), "Failed to %s: %s (%" PRId64 ")", ev->fmt, strerror((int)-ret), ret);
	else
		snprintf(msg, sizeof(msg), "Failed to %s: %" PRId64, ev->fmt, ret);
	d.msg = msg;
	d.file = t->o ? t->o->file : NULL;
	d.loc.line = ev->line;
	d.loc.col = ev->col;
	d.loc.len = ev->len;
	fflush(t->out.f);
	cli_print_lang_diag(&d, t->o ? t->o->src : NULL, t->o ? t->o->len : 0);
}

int trace_on_record(void *ctx, const void *data, size_t len)
{
	struct trace_ctx *t = ctx;
	const struct bpfkit_lang_event *ev;
	struct bpfkit_out_val *vals = NULL;
	struct bpfkit_diag d = { 0 };
	struct tpool pool = { 0 };
	uint64_t id;
	int err = 0;

	if (len < sizeof(id)) {
		t->bad_records++;
		return 0;
	}
	memcpy(&id, data, sizeof(id));
	if (id >= t->c->nevents || len < t->c->events[id].size) {
		t->bad_records++;
		return 0;
	}
	ev = &t->c->events[id];
	if (ev->kind == BPFKIT_LANG_EV_UPID) {
		uint64_t pid;

		/* a process seen for the first time: its mappings now, while it
		 * lives, even after exit() (END may print its stacks); one already
		 * gone prints its addresses as numbers */
		memcpy(&pid, (const unsigned char *)data + 8, 8);
		bpfkit_usyms__add_pid(t->usyms, (uint32_t)pid);
		return 0;
	}
	if (ev->kind == BPFKIT_LANG_EV_USTACK) { /* unwound now: END may print it */
		err = trace_ustack_record(t, data, len);
		if (err)
			cli_warn("line %d: cannot unwind a user stack: %s", ev->line, strerror(-err));
		return 0;
	}
	if (t->ignore)
		return 0;
	switch (ev->kind) {
	case BPFKIT_LANG_EV_AGG: err = trace_agg_record(t, ev, data, len); break;
	case BPFKIT_LANG_EV_PRINTF:
	case BPFKIT_LANG_EV_PRINT_VALUE:
	case BPFKIT_LANG_EV_SYSTEM:
	case BPFKIT_LANG_EV_CAT:
	case BPFKIT_LANG_EV_JOIN:
		vals = tpool_alloc(&pool, (ev->nargs ? ev->nargs : 1) * sizeof(*vals));
		err = vals ? decode_args(t, ev, data, len, vals, &pool) : -ENOMEM;
		if (err)
			break;
		if (ev->kind == BPFKIT_LANG_EV_PRINTF)
			err = bpfkit_out__printf(&t->out, ev->fmt, vals, ev->nargs, &d);
		else if (ev->kind == BPFKIT_LANG_EV_SYSTEM)
			err = event_system(t, ev, vals, &d);
		else if (ev->kind == BPFKIT_LANG_EV_CAT)
			err = event_cat(t, ev, vals, &d);
		else if (ev->kind == BPFKIT_LANG_EV_JOIN)
			err = event_join(t, ev, vals);
		else if (ev->nargs)
			err = bpfkit_out__value(&t->out, &vals[0], &d);
		break;
	case BPFKIT_LANG_EV_EXIT:
		/* as bpftrace: records after exit() are dropped; END's are not */
		t->exit_seen = true;
		t->ignore = true;
		break;
	case BPFKIT_LANG_EV_PRINT:
	case BPFKIT_LANG_EV_CLEAR:
	case BPFKIT_LANG_EV_ZERO: err = event_map_op(t, ev); break;
	case BPFKIT_LANG_EV_TIME: err = event_time(t, ev); break;
	case BPFKIT_LANG_EV_HELPER_ERROR: event_helper_error(t, ev, data); break;
	default: t->bad_records++; break;
	}
	tpool_release(&pool);
	if (err == -EIO) {
		if (!t->write_err)
			t->write_err = errno ? errno : EIO; /* the failed write's (free() keeps errno) */
		return -EIO;
	}
	if (err)
		cli_warn("line %d: %s", ev->line, d.msg[0] ? d.msg : strerror(-err));
	return 0;
}
