/* SPDX-License-Identifier: MIT */
/*
 * Attaching loaded programs: tracepoints and kprobe/uprobe PMUs through one
 * perf event each (a BPF program on a tracepoint event runs on every CPU,
 * whichever CPU the event is bound to, so cpu 0 and pid -1 suffice, as
 * libbpf does), software/hardware events through one perf event per CPU,
 * raw tracepoints through BPF_RAW_TRACEPOINT_OPEN. Every fd goes to the
 * session's link list at once, so an error later releases it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "kern/kern_int.h"
#include "kern/load_int.h"
#include "kern/sysdisp.h"

#define PMU_DIR "/sys/bus/event_source/devices"

static int perf_event_open(struct perf_event_attr *attr, int pid, int cpu)
{
	long fd = syscall(__NR_perf_event_open, attr, pid, cpu, -1, PERF_FLAG_FD_CLOEXEC);
	return fd < 0 ? -errno : (int)fd;
}

/* A whole decimal number from a small sysfs/tracefs file, or a negative errno. */
static int read_number(const char *path, unsigned long *out)
{
	char *text = NULL, *end;
	size_t len;
	int err = kern_read_file(AT_FDCWD, path, 4096, &text, &len);

	if (err)
		return err;
	errno = 0;
	*out = strtoul(text, &end, 10);
	err = (end == text || errno) ? -EINVAL : 0;
	free(text);
	return err;
}

/*
 * Why a perf event did not open, where the errno alone would not say:
 * a hardware event with no hardware PMU (ENOENT; EOPNOTSUPP when the PMU
 * lacks that event: virtual machines), a rate above the kernel's limit
 * (EINVAL in frequency mode).
 */
static int perf_open_error(const struct perf_event_attr *attr, int err, const char *pname, const char *what,
			   struct bpfkit_diag *d)
{
	unsigned long max;

	if (attr->type == PERF_TYPE_HARDWARE && (err == -ENOENT || err == -EOPNOTSUPP))
		return bpfkit_diag__set(d, err, "program %s: cannot open %s: this machine has no hardware PMU "
					"(perf_event_open: %s)", pname, what, strerror(-err));
	if (attr->freq && err == -EINVAL && !read_number("/proc/sys/kernel/perf_event_max_sample_rate", &max) &&
	    attr->sample_freq > max)
		return bpfkit_diag__set(d, err, "program %s: %llu hz is above this kernel's limit of %lu "
					"(sysctl kernel.perf_event_max_sample_rate)", pname,
					(unsigned long long)attr->sample_freq, max);
	return kload_error(d, err, "program %s: cannot open %s", pname, what);
}

/*
 * Open one perf event, attach program @p prog_fd to it and enable it; the fd
 * joins the session. @p what names the probe in messages.
 */
static int perf_attach(struct bpfkit_kern_session *s, struct perf_event_attr *attr, int pid, int cpu,
		       int prog_fd, const char *pname, const char *what, struct bpfkit_diag *d)
{
	int fd = perf_event_open(attr, pid, cpu), err;

	if (fd < 0)
		return fd == -ENODEV ? fd : perf_open_error(attr, fd, pname, what, d);
	if (ioctl(fd, PERF_EVENT_IOC_SET_BPF, prog_fd) < 0 || ioctl(fd, PERF_EVENT_IOC_ENABLE, 0) < 0) {
		err = -errno;
		close(fd);
		return kload_error(d, err, "program %s: cannot attach to %s", pname, what);
	}
	err = ksession_add_link(s, fd);
	return err ? bpfkit_diag__set(d, err, "out of memory") : 0;
}

/* Whether a tracepoint name part is safe to put in a path. */
static bool name_ok(const char *p, size_t n)
{
	if (!n || (n <= 2 && p[0] == '.'))
		return false;
	for (size_t i = 0; i < n; i++)
		if (p[i] == '/' || p[i] == ':' || p[i] == 0)
			return false;
	return true;
}

/* tracepoint "subsys:event": id from TRACEFS/events/subsys/event/id, then one perf event. */
int kprog_attach_tracepoint(struct bpfkit_kern_session *s, const struct kprog *p, const char *target,
			    struct bpfkit_diag *d)
{
	char tracefs[PATH_MAX], path[PATH_MAX];
	const char *colon = target ? strchr(target, ':') : NULL;
	unsigned long id;
	int err;

	if (!colon || !name_ok(target, (size_t)(colon - target)) || !name_ok(colon + 1, strlen(colon + 1)))
		return bpfkit_diag__set(d, -EINVAL, "program %s: tracepoint '%s' is not \"subsys:event\"", p->name,
					target ? target : "");
	err = kern_tracefs(tracefs, sizeof(tracefs), d);
	if (err)
		return err;
	err = kern_path(path, sizeof(path), "%s/events/%.*s/%s/id", tracefs, (int)(colon - target), target,
			colon + 1);
	err = err ? err : read_number(path, &id);
	if (err == -ENOENT)
		return bpfkit_diag__set(d, err, "program %s: no tracepoint %s", p->name, target);
	if (err)
		return kern_file_error(d, err, "read", path);
	struct perf_event_attr attr = {
		.type = PERF_TYPE_TRACEPOINT,
		.size = sizeof(attr),
		.config = id,
		.sample_period = 1,
		.wakeup_events = 1,
	};
	char what[300];
	snprintf(what, sizeof(what), "tracepoint %s", target);
	return perf_attach(s, &attr, -1, 0, p->fd, p->name, what, d);
}

static int attach_raw_tracepoint(struct bpfkit_kern_session *s, const struct kprog *p, const char *target,
				 struct bpfkit_diag *d)
{
	int fd, err;

	if (!target || !target[0])
		return bpfkit_diag__set(d, -EINVAL, "program %s: raw tracepoint has no name", p->name);
	fd = bpf_raw_tracepoint_open(target, p->fd);
	if (fd == -ENOENT)
		return bpfkit_diag__set(d, fd, "program %s: no raw tracepoint %s", p->name, target);
	if (fd < 0)
		return kload_error(d, fd, "program %s: cannot attach to raw tracepoint %s", p->name, target);
	err = ksession_add_link(s, fd);
	return err ? bpfkit_diag__set(d, err, "out of memory") : 0;
}

/* "software event page-faults", from bpftrace's names; "perf event 4:1" for another. */
static void perf_event_what(uint32_t type, uint64_t config, char *buf, size_t size)
{
	enum bpfkit_probe_type pt = type == PERF_TYPE_HARDWARE ? BPFKIT_PROBE_HARDWARE : BPFKIT_PROBE_SOFTWARE;
	size_t n;
	const struct bpfkit_perf_event_desc *ev = bpfkit_perf_events(pt, &n);

	for (size_t i = 0; (type == PERF_TYPE_SOFTWARE || type == PERF_TYPE_HARDWARE) && i < n; i++)
		if (ev[i].config == config) {
			snprintf(buf, size, "%s event %s", bpfkit_probe_type_name(pt), ev[i].name);
			return;
		}
	snprintf(buf, size, "perf event %u:%llu", type, (unsigned long long)config);
}

/* A software or hardware event on every CPU that is online, or on the one
 * CPU the spec names (spec->one_cpu). */
static int attach_perf_event(struct bpfkit_kern_session *s, const struct kprog *p,
			     const struct bpfkit_kern_prog_spec *spec, struct bpfkit_diag *d)
{
	struct perf_event_attr attr = {
		.type = spec->perf_type,
		.size = sizeof(attr),
		.config = spec->perf_config,
	};
	int ncpus = bpfkit_kern_ncpus(), attached = 0, err = 0;
	char what[64];

	if (spec->sample_period) {
		attr.sample_period = spec->sample_period;
	} else if (spec->sample_freq) {
		attr.sample_freq = spec->sample_freq;
		attr.freq = 1;
	} else {
		return bpfkit_diag__set(d, -EINVAL, "program %s: perf event needs a period or a frequency", p->name);
	}
	perf_event_what(spec->perf_type, spec->perf_config, what, sizeof(what));
	if (spec->one_cpu) {
		if (spec->cpu < 0 || spec->cpu >= ncpus)
			return bpfkit_diag__set(d, -EINVAL, "program %s: no CPU %d for %s (%d possible)", p->name,
						spec->cpu, what, ncpus);
		err = perf_attach(s, &attr, -1, spec->cpu, p->fd, p->name, what, d);
		if (err == -ENODEV)
			return bpfkit_diag__set(d, err, "program %s: CPU %d is offline, cannot open %s", p->name,
						spec->cpu, what);
		return err;
	}
	for (int cpu = 0; cpu < ncpus; cpu++) {
		err = perf_attach(s, &attr, -1, cpu, p->fd, p->name, what, d);
		if (err == -ENODEV) { /* CPU offline */
			err = 0;
			continue;
		}
		if (err)
			return err;
		attached++;
	}
	return attached ? 0 : bpfkit_diag__set(d, -ENODEV, "program %s: no CPU is online for %s", p->name, what);
}

/*
 * A USDT semaphore's file offset placed in the uprobe PMU's config where
 * format/ref_ctr_offset says ("config:32-63" on x86-64 since Linux 4.20):
 * the kernel then counts the semaphore up while the probe is in place.
 */
static int ref_ctr_config(uint64_t off, uint64_t *config)
{
	char *fmt = NULL, *end;
	unsigned long lo, hi;
	size_t len;
	int err = kern_read_file(AT_FDCWD, PMU_DIR "/uprobe/format/ref_ctr_offset", 4096, &fmt, &len);

	if (err)
		return err;
	err = -EINVAL;
	if (!strncmp(fmt, "config:", 7)) {
		lo = strtoul(fmt + 7, &end, 10);
		hi = *end == '-' ? strtoul(end + 1, NULL, 10) : lo;
		if (lo <= hi && hi <= 63) {
			err = hi - lo < 63 && off >> (hi - lo + 1) ? -ERANGE : 0;
			*config = off << lo;
		}
	}
	free(fmt);
	return err;
}

/*
 * kprobe/kretprobe/uprobe/uretprobe through the kprobe and uprobe PMUs
 * (kernel >= 4.17): config1 carries the function name or binary path,
 * config2 the offset, and the "retprobe" format bit selects the return probe.
 */
static int attach_kuprobe(struct bpfkit_kern_session *s, const struct kprog *p,
			  const struct bpfkit_kern_prog_spec *spec, struct bpfkit_diag *d)
{
	bool kprobe = spec->attach == BPFKIT_KERN_ATTACH_KPROBE || spec->attach == BPFKIT_KERN_ATTACH_KRETPROBE;
	bool ret = spec->attach == BPFKIT_KERN_ATTACH_KRETPROBE || spec->attach == BPFKIT_KERN_ATTACH_URETPROBE;
	const char *pmu = kprobe ? "kprobe" : "uprobe";
	char path[128], why[256], what[PATH_MAX + 64];
	unsigned long type, bit = 0;
	char *fmt = NULL;
	size_t len;
	int err;

	if (!spec->target || !spec->target[0])
		return bpfkit_diag__set(d, -EINVAL, "program %s: %s has no target", p->name, pmu);
	snprintf(path, sizeof(path), PMU_DIR "/%s/type", pmu);
	if (read_number(path, &type)) {
		if (bpfkit_feature_probe(kprobe ? BPFKIT_FEATURE_KPROBE : BPFKIT_FEATURE_UPROBE, why, sizeof(why)) == 1)
			snprintf(why, sizeof(why), "%ss are not available: the %s PMU (%s) is missing", pmu, pmu, path);
		return bpfkit_diag__set(d, -EOPNOTSUPP, "program %s: %s", p->name, why);
	}
	if (ret) {
		snprintf(path, sizeof(path), PMU_DIR "/%s/format/retprobe", pmu);
		err = kern_read_file(AT_FDCWD, path, 4096, &fmt, &len);
		if (err || strncmp(fmt, "config:", 7)) {
			free(fmt);
			return bpfkit_diag__set(d, -EOPNOTSUPP, "program %s: return probes are not available (%s)",
						p->name, path);
		}
		bit = strtoul(fmt + 7, NULL, 10);
		free(fmt);
		if (bit > 63)
			return bpfkit_diag__set(d, -EINVAL, "program %s: bad %s", p->name, path);
	}
	uint64_t ref_ctr = 0;

	if (spec->ref_ctr_offset) {
		err = ref_ctr_config(spec->ref_ctr_offset, &ref_ctr);
		if (err)
			return bpfkit_diag__set(d, err, "program %s: the USDT probe has a semaphore, and this kernel's "
						"uprobe PMU cannot count it (%s; Linux 4.20+ has ref_ctr_offset)",
						p->name, err == -ERANGE ? "the offset does not fit its bits" :
						"no " PMU_DIR "/uprobe/format/ref_ctr_offset");
	}
	struct perf_event_attr attr = {
		.type = (uint32_t)type,
		.size = sizeof(attr),
		.config = (ret ? 1ull << bit : 0) | ref_ctr,
		.config1 = (uint64_t)(uintptr_t)spec->target,
		.config2 = spec->offset,
		.sample_period = 1,
		.wakeup_events = 1,
	};
	snprintf(what, sizeof(what), "%s%s %s+0x%llx", pmu, ret ? " (return)" : "", spec->target,
		 (unsigned long long)spec->offset);
	/* with a pid, the event follows that process on any CPU; without, one
	 * event bound to CPU 0 runs the program on every CPU (as tracepoints) */
	if (!kprobe && spec->pid > 0)
		return perf_attach(s, &attr, spec->pid, -1, p->fd, p->name, what, d);
	return perf_attach(s, &attr, -1, 0, p->fd, p->name, what, d);
}

int kprog_attach(struct bpfkit_kern_session *s, size_t i, const struct bpfkit_kern_prog_spec *spec,
		 struct bpfkit_diag *d)
{
	const struct kprog *p = &s->progs[i];

	switch (spec->attach) {
	case BPFKIT_KERN_ATTACH_NONE:
	case BPFKIT_KERN_ATTACH_TEST_RUN:
		return 0;
	case BPFKIT_KERN_ATTACH_TRACEPOINT:
		return p->via ? ksysdisp_attach(s, i, d) : kprog_attach_tracepoint(s, p, spec->target, d);
	case BPFKIT_KERN_ATTACH_RAW_TRACEPOINT:
		return attach_raw_tracepoint(s, p, spec->target, d);
	case BPFKIT_KERN_ATTACH_PERF_EVENT:
		return attach_perf_event(s, p, spec, d);
	case BPFKIT_KERN_ATTACH_KPROBE:
	case BPFKIT_KERN_ATTACH_KRETPROBE:
	case BPFKIT_KERN_ATTACH_UPROBE:
	case BPFKIT_KERN_ATTACH_URETPROBE:
		return attach_kuprobe(s, p, spec, d);
	}
	return bpfkit_diag__set(d, -EINVAL, "program %s: unknown attachment %d", p->name, (int)spec->attach);
}
