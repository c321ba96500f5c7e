// SPDX-License-Identifier: MIT
/*
 * interval:UNIT:N (UNIT s, ms, us, hz; also interval:Ns): a program run on
 * one CPU every period. In the kernel that is a perf_event program on a
 * cpu-clock software event; the VM runs it from a timer. No context to read.
 * profile: probes take the same UNIT:N (timer_target()).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/compile_int.h"

static const struct {
	const char *unit;
	uint64_t ns; /* per unit; 0: frequency */
} units[] = { { "s", 1000000000ull }, { "ms", 1000000ull }, { "us", 1000ull }, { "hz", 0 } };

/*
 * UNIT:N, or NUNIT (bpftrace accepts both), of an interval or profile
 * probe: the canonical "UNIT:N" in @p text, and in @p out the period in
 * nanoseconds, or the rate when the unit is hz (@p hz set). A wrong unit
 * gets the usage line; a count that is no positive decimal number gets an
 * error under the count itself ("interval:s:0" runs nothing: the period
 * must be positive).
 */
static int timer_parse(struct cctx *c, const struct bpfkit_ast_attach *a, char *text, size_t size,
		       uint64_t *out, bool *hz)
{
	const char *unit = NULL, *count = NULL, *prov = a->provider;
	char ubuf[8], *end;
	unsigned long long n;
	struct bpfkit_loc at;
	size_t i;

	if (a->nparts == 2) {
		unit = a->parts[0];
		count = a->parts[1];
		at = attach_part_loc(a, 1);
	} else if (a->nparts == 1) { /* interval:1s */
		size_t k = strspn(a->parts[0], "0123456789");

		if (strlen(a->parts[0] + k) < sizeof(ubuf)) {
			snprintf(ubuf, sizeof(ubuf), "%s", a->parts[0] + k);
			unit = ubuf;
			count = arena_strndup(c->a, a->parts[0], k);
		}
		at = attach_part_loc(a, 0);
		at.len = k ? (int)k : at.len;
	}
	for (i = 0; unit && i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(units[i].unit, unit))
			break;
	if (a->nparts == 2 && i == sizeof(units) / sizeof(units[0]) && *count)
		return sema_error(c, attach_part_loc(a, 0), NULL,
				  "%s: unknown unit '%s' (s, ms, us or hz: %s:s:N)", prov, unit, prov);
	if (!unit || i == sizeof(units) / sizeof(units[0]) || !*count)
		return sema_error(c, a->loc, NULL, "%s probes are written %s:s:N, %s:ms:N, %s:us:N or %s:hz:N",
				  prov, prov, prov, prov, prov);
	errno = 0;
	n = *count >= '0' && *count <= '9' ? strtoull(count, &end, 10) : 0;
	if (*count < '0' || *count > '9' || *end)
		return sema_error(c, at, NULL, "%s: '%s' is not a number: N must be a positive integer", prov,
				  count);
	if (n == 0)
		return sema_error(c, at, NULL, "%s: the %s must be positive, not 0", prov,
				  units[i].ns ? "period" : "rate");
	if (units[i].ns == 0 && (errno || n > 1000000000ull))
		return sema_error(c, at, NULL, "%s: at most 1000000000 hz", prov);
	if (units[i].ns && (errno || n > 1000000000000ull || n > UINT64_MAX / units[i].ns))
		return sema_error(c, at, NULL, "%s: period too long (at most 10^12 %s)", prov, units[i].unit);
	snprintf(text, size, "%s:%llu", units[i].unit, n);
	*hz = units[i].ns == 0;
	*out = *hz ? n : n * units[i].ns;
	return 0;
}

struct target *timer_target(struct cctx *c, const struct provider *p, const struct bpfkit_ast_attach *a,
			    struct ptrvec *out, uint64_t *rate_or_ns, bool *hz)
{
	char text[64];
	struct target *t;

	if (timer_parse(c, a, text, sizeof(text), rate_or_ns, hz))
		return NULL;
	t = target_new(c, p, a, arena_strndup(c->a, text, strlen(text)));
	ptrvec_push(c->a, out, t);
	return t;
}

static int interval_expand(struct cctx *c, const struct bpfkit_ast_attach *a, struct ptrvec *out)
{
	uint64_t n;
	bool hz;
	struct target *t = timer_target(c, &provider_interval, a, out, &n, &hz);

	if (!t)
		return -EINVAL;
	t->period_ns = hz ? 1000000000ull / n : n;
	return 0;
}

const struct provider provider_interval = { .type = BPFKIT_PROBE_INTERVAL, .expand = interval_expand };
