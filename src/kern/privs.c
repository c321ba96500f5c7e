// SPDX-License-Identifier: MIT
/*
 * What this process lacks to trace, said exactly: "needs root" is true but
 * not what a user who has granted CAP_BPF and CAP_PERFMON needs to hear when
 * tracepoints still fail because tracefs is root-only.
 *
 * A tracing run needs two things beyond the kernel's features:
 *   - loading and attaching tracing programs: CAP_BPF and CAP_PERFMON
 *     (Linux 5.8 on), or CAP_SYS_ADMIN, which covers both;
 *   - reading tracefs, where tracepoints are described (format, id): its
 *     root is mode 0700, owner root, unless mounted otherwise, so a process
 *     that is not root needs CAP_DAC_READ_SEARCH (or CAP_DAC_OVERRIDE), or
 *     tracefs mount options (uid=, gid=, mode=) that let it in.
 * The effective capabilities come from capget(); tracefs is tried by
 * opening its events/ directory, so permissions, mount options and security
 * modules all count, as they will for the real run.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kern/kern_int.h"

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

/* The effective capability set, as a 64-bit mask; when capget() fails,
 * all of them for root and none otherwise. */
static uint64_t cap_effective(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct data[2];

	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &hdr, data))
		return geteuid() == 0 ? ~0ull : 0;
	return (uint64_t)data[0].effective | (uint64_t)data[1].effective << 32;
}

static bool has_cap(uint64_t eff, int cap)
{
	return (eff >> cap) & 1;
}

/* Append printf-style text to the NUL-terminated @p buf of @p size bytes. */
static void append(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void append(char *buf, size_t size, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
}

/*
 * Append the capabilities of @p caps that @p eff lacks to @p out as
 * "CAP_X and CAP_Y" (at most two here). Returns how many were missing.
 */
static int list_missing(char *out, size_t size, uint64_t eff, const int *caps, const char *const *names, int n)
{
	int missing = 0;

	for (int i = 0; i < n; i++)
		if (!has_cap(eff, caps[i]))
			append(out, size, "%s%s", missing++ ? " and " : "", names[i]);
	return missing;
}

/*
 * Whether the tracefs at @p dir can be read; else why, into @p why, and
 * whether permissions were the reason (*denied).
 */
static bool tracefs_readable(const char *dir, char *why, size_t size, bool *denied)
{
	char path[PATH_MAX];
	struct stat st;
	int fd;

	*denied = false;
	if (kern_path(path, sizeof(path), "%s/events", dir))
		return true; /* nothing to say about a path that long */
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		close(fd);
		return true;
	}
	if (errno != EACCES && errno != EPERM) {
		snprintf(why, size, "cannot read %s: %s", path, strerror(errno));
		return false;
	}
	*denied = true;
	if (stat(dir, &st) == 0)
		snprintf(why, size, "cannot read tracefs at %s (mode %04o, owner %s), where tracepoints are described",
			 dir, (unsigned)(st.st_mode & 07777), st.st_uid == 0 ? "root" : "not root");
	else
		snprintf(why, size, "cannot read tracefs at %s, where tracepoints are described", dir);
	return false;
}

int bpfkit_kern_missing_privileges(unsigned need, const char *tracefs, char *why, size_t why_size)
{
	static const int bpf_caps[] = { CAP_BPF, CAP_PERFMON };
	static const char *const bpf_names[] = { "CAP_BPF", "CAP_PERFMON" };
	uint64_t eff = cap_effective();
	char caps[64] = "", tfs[PATH_MAX], tfs_why[PATH_MAX + 128] = "";
	bool bpf_missing = false, tfs_missing = false, denied = false;

	if (!why || !why_size)
		return -EINVAL;
	why[0] = '\0';
	if ((need & BPFKIT_PRIV_BPF) && !has_cap(eff, CAP_SYS_ADMIN))
		bpf_missing = list_missing(caps, sizeof(caps), eff, bpf_caps, bpf_names, 2) > 0;
	if (need & BPFKIT_PRIV_TRACEFS) {
		struct bpfkit_diag d;

		bpfkit_diag__clear(&d);
		if (!tracefs && bpfkit_tracefs_find(tfs, sizeof(tfs), 0, &d) == 0)
			tracefs = tfs;
		if (tracefs)
			tfs_missing = !tracefs_readable(tracefs, tfs_why, sizeof(tfs_why), &denied);
		else
			tfs_missing = snprintf(tfs_why, sizeof(tfs_why), "cannot find tracefs: %s", d.msg) > 0;
	}
	if (!bpf_missing && !tfs_missing)
		return 0;
	append(why, why_size, "this process");
	if (bpf_missing)
		append(why, why_size, " lacks %s (to load and attach BPF programs)", caps);
	if (tfs_missing)
		append(why, why_size, "%s %s", bpf_missing ? ", and" : "", tfs_why);
	if (denied && !has_cap(eff, CAP_DAC_READ_SEARCH) && !has_cap(eff, CAP_DAC_OVERRIDE))
		append(why, why_size, ": it lacks CAP_DAC_READ_SEARCH (or a tracefs mounted with uid=, gid= or "
				      "mode= that lets it in)");
	return 1;
}
