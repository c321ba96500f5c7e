// SPDX-License-Identifier: MIT
/*
 * bpfkit trace: the records programs send through the ring buffer. Each
 * starts with a u64 event id, the index in the compiler's event table, which
 * says what to do and where the arguments are: printf (formatted here, as
 * bpftrace does, from the format kept in user space), exit, print(@m),
 * clear/zero(@m) (done from user space), time(fmt), print(value).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cli/trace_int.h"

/* Decode an event's arguments from its record into @p vals. */
static int decode_args(const struct bpfkit_lang_event *ev, const unsigned char *rec, size_t len,
		       struct bpfkit_out_val *vals, struct tpool *pool)
{
	for (size_t i = 0; i < ev->nargs; i++) {
		uint32_t off = ev->args[i].offset;
		int err;

		if (off > len)
			return -EINVAL;
		err = trace_decode(ev->args[i].type, rec + off, len - off, &vals[i], pool);
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
 * One record from the ring buffer. Malformed records (too short, unknown
 * id) are counted and skipped; only a failed write to the output stops the
 * poll (-EIO), since nothing more can be shown.
 */
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
	if (t->ignore)
		return 0;
	ev = &t->c->events[id];
	switch (ev->kind) {
	case BPFKIT_LANG_EV_PRINTF:
	case BPFKIT_LANG_EV_PRINT_VALUE:
		vals = tpool_alloc(&pool, (ev->nargs ? ev->nargs : 1) * sizeof(*vals));
		err = vals ? decode_args(ev, data, len, vals, &pool) : -ENOMEM;
		if (err)
			break;
		if (ev->kind == BPFKIT_LANG_EV_PRINTF)
			err = bpfkit_out__printf(&t->out, ev->fmt, vals, ev->nargs, &d);
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
	default: t->bad_records++; break;
	}
	tpool_release(&pool);
	if (err == -EIO)
		return -EIO;
	if (err)
		cli_warn("line %d: %s", ev->line, d.msg[0] ? d.msg : strerror(-err));
	return 0;
}
