// SPDX-License-Identifier: MIT
/*
 * profile:UNIT:N (UNIT hz, s, ms, us; also profile:NUNIT): a program run on
 * every CPU, N times a second (hz) or once every period, from a perf
 * cpu-clock software event opened on each online CPU, as bpftrace does
 * (hz is the kernel's frequency mode: it adjusts the period to the rate).
 * No context to read: pid, comm, cpu and the rest are helper calls.
 */
#include <errno.h>
#include <linux/perf_event.h>

#include "lang/compile_int.h"

static int profile_expand(struct cctx *c, const struct bpfkit_ast_attach *a, struct ptrvec *out)
{
	uint64_t n;
	bool hz;
	struct target *t = timer_target(c, &provider_profile, a, out, &n, &hz);

	if (!t)
		return -EINVAL;
	t->perf_type = PERF_TYPE_SOFTWARE;
	t->perf_config = PERF_COUNT_SW_CPU_CLOCK;
	if (hz)
		t->sample_freq = n;
	else
		t->sample_period = n; /* cpu-clock counts nanoseconds */
	return 0;
}

const struct provider provider_profile = { .type = BPFKIT_PROBE_PROFILE, .expand = profile_expand };
