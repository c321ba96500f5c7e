// SPDX-License-Identifier: MIT
/*
 * interval:UNIT:N (UNIT s, ms, us, hz; also interval:Ns): a program run on
 * one CPU every period. In the kernel that is a perf_event program on a
 * cpu-clock software event; the VM runs it from a timer. No context to read.
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
 * interval:UNIT:N, or interval:NUNIT (bpftrace accepts both). A wrong unit
 * gets the usage line; a count that is no positive decimal number gets an
 * error under the count itself ("interval:s:0" runs nothing: the period
 * must be positive).
 */
static int interval_expand(struct cctx *c, const struct bpfkit_ast_attach *a, struct ptrvec *out)
{
	const char *unit = NULL, *count = NULL;
	char ubuf[8], tbuf[64], *end;
	unsigned long long n;
	struct bpfkit_loc at;
	struct target *t;
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
				  "interval: unknown unit '%s' (s, ms, us or hz: interval:s:N)", unit);
	if (!unit || i == sizeof(units) / sizeof(units[0]) || !*count)
		return sema_error(c, a->loc, NULL, "interval probes are written interval:s:N, "
				  "interval:ms:N, interval:us:N or interval:hz:N");
	errno = 0;
	n = *count >= '0' && *count <= '9' ? strtoull(count, &end, 10) : 0;
	if (*count < '0' || *count > '9' || *end)
		return sema_error(c, at, NULL, "interval: '%s' is not a number: N must be a positive integer",
				  count);
	if (n == 0)
		return sema_error(c, at, NULL, "interval: the %s must be positive, not 0",
				  units[i].ns ? "period" : "rate");
	if (units[i].ns == 0 && (errno || n > 1000000000ull))
		return sema_error(c, at, NULL, "interval: at most 1000000000 hz");
	if (units[i].ns && (errno || n > 1000000000000ull || n > UINT64_MAX / units[i].ns))
		return sema_error(c, at, NULL, "interval: period too long (at most 10^12 %s)", units[i].unit);
	snprintf(tbuf, sizeof(tbuf), "%s:%llu", units[i].unit, n);
	t = target_new(c, &provider_interval, a, arena_strndup(c->a, tbuf, strlen(tbuf)));
	t->period_ns = units[i].ns ? n * units[i].ns : 1000000000ull / n;
	ptrvec_push(c->a, out, t);
	return 0;
}

const struct provider provider_interval = { .type = BPFKIT_PROBE_INTERVAL, .expand = interval_expand };
