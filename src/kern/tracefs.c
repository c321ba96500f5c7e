// SPDX-License-Identifier: MIT
/*
 * Finding tracefs, the file system through which the kernel describes its
 * tracepoints (events/), dynamic probes (kprobe_events, uprobe_events) and
 * traceable functions (available_filter_functions).
 *
 * Since Linux 4.1 it is its own file system, normally at /sys/kernel/tracing
 * and also reachable as /sys/kernel/debug/tracing (an automount inside
 * debugfs); before that it was part of debugfs. Containers and minimal
 * systems often leave it unmounted, so the tracer may mount it when root.
 */
#include <errno.h>
#include <limits.h>
#include <mntent.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "kern/kern_int.h"

#define TRACEFS_MAGIC 0x74726163
#define DEBUGFS_MAGIC 0x64626720

#define TRACEFS_DIR "/sys/kernel/tracing"
#define DEBUGFS_DIR "/sys/kernel/debug"
#define DEBUGFS_TRACING "/sys/kernel/debug/tracing"
#define MOUNT_HINT "mount -t tracefs nodev " TRACEFS_DIR

static bool fs_is(const char *dir, long magic)
{
	struct statfs st;

	return statfs(dir, &st) == 0 && (long)st.f_type == magic;
}

/* A tracing directory: tracefs itself, or debugfs's tracing/ of old kernels. */
static int check_dir(const char *dir, int *first_err)
{
	char events[PATH_MAX];
	struct stat st;

	if (fs_is(dir, TRACEFS_MAGIC))
		return 0;
	if (kern_path(events, sizeof(events), "%s/events", dir))
		return -ENAMETOOLONG;
	if (stat(events, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	if ((errno == EACCES || errno == EPERM) && !*first_err)
		*first_err = -errno;
	return -ENOENT;
}

static int found(char *buf, size_t size, const char *dir, struct bpfkit_diag *diag)
{
	if (kern_path(buf, size, "%s", dir))
		return bpfkit_diag__set(diag, -ENAMETOOLONG, "tracefs path '%s' is too long", dir);
	return 0;
}

/* The first tracefs in the mount table, wherever someone put it. */
static int from_mount_table(char *buf, size_t size, struct bpfkit_diag *diag)
{
	struct mntent *m;
	FILE *f;
	int err = -ENOENT;

	f = setmntent("/proc/self/mounts", "r");
	if (!f)
		return -ENOENT;
	while ((m = getmntent(f))) {
		if (!strcmp(m->mnt_type, "tracefs")) {
			err = found(buf, size, m->mnt_dir, diag);
			break;
		}
	}
	endmntent(f);
	return err;
}

/*
 * Mount tracefs at /sys/kernel/tracing; on kernels without that directory
 * (before 4.1) mount debugfs instead and use its tracing/. Explain refusals:
 * EPERM is "needs root", ENODEV is "this kernel has no tracefs".
 */
static int mount_tracefs(char *buf, size_t size, struct bpfkit_diag *diag)
{
	struct stat st;
	int err, ignore = 0;

	if (stat(TRACEFS_DIR, &st) == 0 && S_ISDIR(st.st_mode)) {
		if (mount("nodev", TRACEFS_DIR, "tracefs", 0, NULL) == 0)
			return found(buf, size, TRACEFS_DIR, diag);
		err = -errno;
	} else {
		if (!fs_is(DEBUGFS_DIR, DEBUGFS_MAGIC) && mount("nodev", DEBUGFS_DIR, "debugfs", 0, NULL))
			err = -errno;
		else if (check_dir(DEBUGFS_TRACING, &ignore) == 0)
			return found(buf, size, DEBUGFS_TRACING, diag);
		else
			err = -ENODEV;
	}
	if (err == -EPERM || err == -EACCES)
		return bpfkit_diag__set(diag, -EPERM,
					"tracefs is not mounted, and mounting it needs root (" MOUNT_HINT ")");
	if (err == -ENODEV)
		return bpfkit_diag__set(diag, -ENODEV,
					"this kernel has no tracefs (CONFIG_TRACING off?), so it has no tracepoints");
	return bpfkit_diag__set(diag, err, "cannot mount tracefs at " TRACEFS_DIR ": %s", strerror(-err));
}

/*
 * Look in the usual places, then the mount table, then mount one if asked.
 * A place we may not look into (debugfs is root-only) is remembered so the
 * final message can say "needs root" rather than "not mounted".
 */
int bpfkit_tracefs_find(char *buf, size_t size, unsigned flags, struct bpfkit_diag *diag)
{
	int denied = 0;

	if (!buf || !size)
		return bpfkit_diag__set(diag, -EINVAL, "no buffer for the tracefs path");
	buf[0] = '\0';
	if (check_dir(TRACEFS_DIR, &denied) == 0)
		return found(buf, size, TRACEFS_DIR, diag);
	if (check_dir(DEBUGFS_TRACING, &denied) == 0)
		return found(buf, size, DEBUGFS_TRACING, diag);
	if (from_mount_table(buf, size, diag) == 0)
		return 0;
	if (flags & BPFKIT_TRACEFS_MOUNT) {
		if (geteuid() == 0 || !denied)
			return mount_tracefs(buf, size, diag);
	}
	if (denied)
		return bpfkit_diag__set(diag, denied,
					"cannot look for tracefs in " DEBUGFS_DIR ": %s (this needs root)",
					strerror(-denied));
	return bpfkit_diag__set(diag, -ENOENT, "tracefs is not mounted (as root: " MOUNT_HINT ")");
}

int kern_tracefs(char *buf, size_t size, struct bpfkit_diag *d)
{
	return bpfkit_tracefs_find(buf, size, BPFKIT_TRACEFS_MOUNT, d);
}
