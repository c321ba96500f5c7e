// SPDX-License-Identifier: MIT
/*
 * software:EVENT[:COUNT] and hardware:EVENT[:COUNT]: a program run on every
 * CPU once every COUNT occurrences of a perf event (page faults, context
 * switches; CPU cycles, cache misses), COUNT defaulting per event as in
 * bpftrace. The events' names, aliases and defaults are bpftrace's, in the
 * one table below, which the kern layer also lists (-l 'software:*').
 * Whether this machine has the event (a hardware PMU) is known only when it
 * is opened: the kern layer says so at attach time.
 */
#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/compile_int.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* bpftrace's software events, aliases and default periods, sorted by name. */
static const struct bpfkit_perf_event_desc sw_events[] = {
	{ "alignment-faults", NULL, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_ALIGNMENT_FAULTS, 1 },
	{ "bpf-output", NULL, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_BPF_OUTPUT, 1 },
	{ "context-switches", "cs", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES, 1000 },
	{ "cpu-clock", "cpu", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK, 1000000 },
	{ "cpu-migrations", NULL, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_MIGRATIONS, 1 },
	{ "dummy", NULL, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_DUMMY, 1 },
	{ "emulation-faults", NULL, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_EMULATION_FAULTS, 1 },
	{ "major-faults", NULL, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS_MAJ, 1 },
	{ "minor-faults", NULL, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS_MIN, 100 },
	{ "page-faults", "faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS, 100 },
	{ "task-clock", NULL, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK, 1 },
};

/* bpftrace's hardware events, sorted by name. */
static const struct bpfkit_perf_event_desc hw_events[] = {
	{ "backend-stalls", NULL, PERF_TYPE_HARDWARE, PERF_COUNT_HW_STALLED_CYCLES_BACKEND, 1000000 },
	{ "branch-instructions", "branches", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_INSTRUCTIONS, 100000 },
	{ "branch-misses", NULL, PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_MISSES, 100000 },
	{ "bus-cycles", NULL, PERF_TYPE_HARDWARE, PERF_COUNT_HW_BUS_CYCLES, 100000 },
	{ "cache-misses", NULL, PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES, 1000000 },
	{ "cache-references", NULL, PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_REFERENCES, 1000000 },
	{ "cpu-cycles", "cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES, 1000000 },
	{ "frontend-stalls", NULL, PERF_TYPE_HARDWARE, PERF_COUNT_HW_STALLED_CYCLES_FRONTEND, 1000000 },
	{ "instructions", NULL, PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS, 1000000 },
	{ "ref-cycles", NULL, PERF_TYPE_HARDWARE, PERF_COUNT_HW_REF_CPU_CYCLES, 1000000 },
};

const struct bpfkit_perf_event_desc *bpfkit_perf_events(enum bpfkit_probe_type type, size_t *n)
{
	if (type == BPFKIT_PROBE_SOFTWARE) {
		*n = ARRAY_LEN(sw_events);
		return sw_events;
	}
	if (type == BPFKIT_PROBE_HARDWARE) {
		*n = ARRAY_LEN(hw_events);
		return hw_events;
	}
	*n = 0;
	return NULL;
}

/* By canonical name or alias, in the table of the probe's type. */
const struct bpfkit_perf_event_desc *bpfkit_perf_event_lookup(enum bpfkit_probe_type type, const char *name)
{
	size_t n;
	const struct bpfkit_perf_event_desc *t = bpfkit_perf_events(type, &n);

	for (size_t i = 0; name && i < n; i++)
		if (!strcmp(name, t[i].name) || (t[i].alias && !strcmp(name, t[i].alias)))
			return &t[i];
	return NULL;
}

/* COUNT: a positive decimal number, also written with an exponent ("1e6",
 * as bpftrace takes it); 0 when it is none. */
static uint64_t parse_count(const char *s)
{
	unsigned long long n, e = 0;
	char *end;

	if (*s < '0' || *s > '9')
		return 0;
	errno = 0;
	n = strtoull(s, &end, 10);
	if (*end == 'e' && end[1] >= '0' && end[1] <= '9')
		e = strtoull(end + 1, &end, 10);
	if (*end || errno || e > 19)
		return 0;
	while (e--) {
		if (n > UINT64_MAX / 10)
			return 0;
		n *= 10;
	}
	return n;
}

/*
 * EVENT[:COUNT]: an unknown event is an error under its name with the
 * closest one of the table (aliases included); a COUNT that is no positive
 * number, under the count.
 */
static int perf_expand(struct cctx *c, const struct bpfkit_ast_attach *a, struct ptrvec *out)
{
	const char *prov = a->provider, *cands[2 * ARRAY_LEN(sw_events) + 2 * ARRAY_LEN(hw_events)];
	const struct provider *p = a->type == BPFKIT_PROBE_SOFTWARE ? &provider_software : &provider_hardware;
	const struct bpfkit_perf_event_desc *ev, *t;
	enum bpfkit_probe_type other;
	size_t n, ncands = 0;
	char *text;
	struct target *tg;
	uint64_t count;

	if (a->nparts < 1 || a->nparts > 2 || !a->parts[0][0])
		return sema_error(c, a->loc, NULL, "%s probes are written %s:EVENT or %s:EVENT:COUNT", prov, prov,
				  prov);
	if (a->wildcard)
		return sema_error(c, a->loc, NULL, "%s probes take no wildcards (bpfkit trace -l '%s:*' lists the events)",
				  prov, prov);
	ev = bpfkit_perf_event_lookup(a->type, a->parts[0]);
	other = a->type == BPFKIT_PROBE_SOFTWARE ? BPFKIT_PROBE_HARDWARE : BPFKIT_PROBE_SOFTWARE;
	if (!ev && bpfkit_perf_event_lookup(other, a->parts[0]))
		return sema_error(c, attach_part_loc(a, 0), NULL, "unknown %s event '%s': it is a %s event (%s:%s)",
				  prov, a->parts[0], bpfkit_probe_type_name(other), bpfkit_probe_type_name(other),
				  a->parts[0]);
	if (!ev) {
		t = bpfkit_perf_events(a->type, &n);
		for (size_t i = 0; i < n; i++) {
			cands[ncands++] = t[i].name;
			if (t[i].alias)
				cands[ncands++] = t[i].alias;
		}
		return sema_error(c, attach_part_loc(a, 0), bpfkit_lang_suggest(a->parts[0], cands, ncands),
				  "unknown %s event '%s'", prov, a->parts[0]);
	}
	count = ev->default_period;
	if (a->nparts == 2) {
		count = parse_count(a->parts[1]);
		if (!count)
			return sema_error(c, attach_part_loc(a, 1), NULL,
					  "%s: the count '%s' must be a positive integer (events between two runs)",
					  prov, a->parts[1]);
	}
	/* named as written, as bpftrace names it: software:cs, software:cs:1 */
	n = strlen(a->parts[0]) + (a->nparts == 2 ? 1 + strlen(a->parts[1]) : 0) + 1;
	text = arena_alloc(c->a, n);
	snprintf(text, n, "%s%s%s", a->parts[0], a->nparts == 2 ? ":" : "", a->nparts == 2 ? a->parts[1] : "");
	tg = target_new(c, p, a, text);
	tg->perf_type = ev->perf_type;
	tg->perf_config = ev->config;
	tg->sample_period = count;
	ptrvec_push(c->a, out, tg);
	return 0;
}

const struct provider provider_software = { .type = BPFKIT_PROBE_SOFTWARE, .expand = perf_expand };
const struct provider provider_hardware = { .type = BPFKIT_PROBE_HARDWARE, .expand = perf_expand };
