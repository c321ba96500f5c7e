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

/* Parse "N" (decimal, 1 .. 10^12) */
static bool parse_count(const char *s, uint64_t *v)
{
	char *end;
	unsigned long long n;

	if (!*s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno || *end || n == 0 || n > 1000000000000ull)
		return false;
	*v = n;
	return true;
}

static int interval_expand(struct cctx *c, const struct bpfkit_ast_attach *a, struct ptrvec *out)
{
	const char *unit = NULL, *count = NULL;
	char ubuf[8];
	uint64_t n = 0, per = 0;
	struct target *t;
	size_t i;

	if (a->nparts == 2) {
		unit = a->parts[0];
		count = a->parts[1];
	} else if (a->nparts == 1) { /* interval:1s */
		size_t k = strspn(a->parts[0], "0123456789");

		if (strlen(a->parts[0] + k) < sizeof(ubuf)) {
			snprintf(ubuf, sizeof(ubuf), "%s", a->parts[0] + k);
			unit = ubuf;
			count = arena_strndup(c->a, a->parts[0], k);
		}
	}
	for (i = 0; unit && i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(units[i].unit, unit))
			break;
	if (!unit || i == sizeof(units) / sizeof(units[0]) || !parse_count(count, &n))
		return sema_error(c, a->loc, NULL, "interval probes are written interval:s:N, "
				  "interval:ms:N, interval:us:N or interval:hz:N");
	per = units[i].ns;
	char tbuf[64];

	snprintf(tbuf, sizeof(tbuf), "%s:%llu", units[i].unit, (unsigned long long)n);
	t = target_new(c, &provider_interval, a, arena_strndup(c->a, tbuf, strlen(tbuf)));
	if (per == 0) {
		if (n > 1000000000ull)
			return sema_error(c, a->loc, NULL, "interval: at most 1000000000 hz");
		t->period_ns = 1000000000ull / n;
	} else {
		if (n > UINT64_MAX / per)
			return sema_error(c, a->loc, NULL, "interval: period too long");
		t->period_ns = n * per;
	}
	ptrvec_push(c->a, out, t);
	return 0;
}

const struct provider provider_interval = { .type = BPFKIT_PROBE_INTERVAL, .expand = interval_expand };
