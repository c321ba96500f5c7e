// SPDX-License-Identifier: MIT
/*
 * Where a probe target is: "uprobe:TARGET:func" names a file by path
 * ("/bin/bash", "./a.out", "x/y"), a program in $PATH ("bash") or a library
 * ("libc"), as bpftrace 0.17 resolves them (a bare name: the current
 * directory, then $PATH, then the libraries, which bpftrace finds through
 * bcc's ld.so.cache reader). With a pid, a library is first looked for
 * among the process's own mappings, and absolute paths are reached through
 * /proc/PID/root, so a process in a container is probed in its own files.
 *
 * /etc/ld.so.cache is untrusted bytes: glibc's "glibc-ld.so.cache1.1"
 * format (optionally behind the old "ld.so-1.7.0" table), every offset
 * checked against the file's size before it is used.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpfkit/sym.h>

#define CACHE_MAX (64u << 20)
#define OLD_MAGIC "ld.so-1.7.0"
#define NEW_MAGIC "glibc-ld.so.cache1.1"
#define NEW_HDR 48 /* magic[20], nlibs, len_strings, flags + pad, extension_offset, unused[3] */
#define NEW_ENTRY 24 /* flags, key, value, osversion (u32 each), hwcap (u64) */
#define OLD_ENTRY 12 /* flags, key, value */
/* ld.so.cache flags of an x86-64 ELF library: FLAG_ELF_LIBC6 | FLAG_X8664_LIB64 */
#define CACHE_FLAGS_X8664 0x0303

/* The standard library directories, multiarch first (Debian's order). */
static const char *const lib_dirs[] = {
	"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib",
	"/usr/local/lib",
};

static int copy_path(char *out, size_t size, const char *s)
{
	if (strlen(s) >= size)
		return -ENAMETOOLONG;
	memcpy(out, s, strlen(s) + 1);
	return 0;
}

int bpfkit_proc_path(int pid, const char *path, char *out, size_t size)
{
	int n;

	if (pid <= 0 || path[0] != '/')
		return copy_path(out, size, path);
	n = snprintf(out, size, "/proc/%d/root%s", pid, path);
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

static bool is_file(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode);
}

static uint32_t rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/*
 * Does library file name @p file ("libc.so.6") match the name asked for?
 * "libc" matches libc.so and libc.so.N (as bcc's "libc.so" prefix does);
 * a name that already has ".so" ("libc.so.6") matches itself exactly.
 */
static bool lib_name_match(const char *want, const char *file)
{
	size_t n = strlen(want);

	if (strstr(want, ".so"))
		return !strcmp(want, file);
	return !strncmp(file, want, n) && !strncmp(file + n, ".so", 3) && (file[n + 3] == '\0' || file[n + 3] == '.');
}

/* The first x86-64 entry of ld.so.cache @p buf (@p len bytes) matching @p name. */
static int cache_lookup(const unsigned char *buf, size_t len, const char *name, char *out, size_t size)
{
	size_t base = 0, nlibs;

	if (len >= 16 && !memcmp(buf, OLD_MAGIC, sizeof(OLD_MAGIC) - 1)) {
		/* the old table first: skip it, the new one follows, 8-byte aligned */
		nlibs = rd32(buf + 12);
		if (nlibs > len / OLD_ENTRY)
			return -ENOENT;
		base = (16 + nlibs * OLD_ENTRY + 7) & ~(size_t)7;
	}
	if (len < base + NEW_HDR || memcmp(buf + base, NEW_MAGIC, sizeof(NEW_MAGIC) - 1))
		return -ENOENT;
	nlibs = rd32(buf + base + 20);
	if (nlibs > (len - base - NEW_HDR) / NEW_ENTRY)
		return -ENOENT;
	for (size_t i = 0; i < nlibs; i++) {
		const unsigned char *e = buf + base + NEW_HDR + i * NEW_ENTRY;
		uint32_t flags = rd32(e), key = rd32(e + 4), value = rd32(e + 8);
		const char *k, *v;

		/* offsets are from the start of the file; strings must end inside it */
		if (flags != CACHE_FLAGS_X8664 || key >= len || value >= len || !memchr(buf + key, 0, len - key) ||
		    !memchr(buf + value, 0, len - value))
			continue;
		k = (const char *)buf + key;
		v = (const char *)buf + value;
		if (lib_name_match(name, k) && v[0] == '/')
			return copy_path(out, size, v);
	}
	return -ENOENT;
}

/* Look @p name up in the ld.so.cache at @p path. */
static int cache_find(const char *path, const char *name, char *out, size_t size)
{
	unsigned char *buf;
	struct stat st;
	ssize_t got;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size <= 0 || st.st_size > CACHE_MAX) {
		close(fd);
		return -ENOENT;
	}
	buf = malloc((size_t)st.st_size);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	got = pread(fd, buf, (size_t)st.st_size, 0);
	close(fd);
	err = got > 0 ? cache_lookup(buf, (size_t)got, name, out, size) : -ENOENT;
	free(buf);
	return err;
}

/* The first file in directory @p dir whose name matches library @p name
 * (the smallest name of those, so the choice does not depend on readdir's order). */
static int dir_find(const char *dir, const char *name, char *out, size_t size)
{
	char best[256] = "", path[4096];
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		return -ENOENT;
	while ((de = readdir(d)))
		if (lib_name_match(name, de->d_name) && strlen(de->d_name) < sizeof(best) &&
		    (!best[0] || strcmp(de->d_name, best) < 0)) {
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			if (is_file(path))
				memcpy(best, de->d_name, strlen(de->d_name) + 1);
		}
	closedir(d);
	if (!best[0])
		return -ENOENT;
	if ((size_t)snprintf(out, size, "%s/%s", dir, best) >= size)
		return -ENAMETOOLONG;
	return 0;
}

int bpfkit_sym_find_library(const char *name, const char *cache, char *out, size_t size)
{
	int err;

	if (!name || !*name || strchr(name, '/'))
		return -EINVAL;
	err = cache_find(cache ? cache : "/etc/ld.so.cache", name, out, size);
	if (err != -ENOENT && err != -EACCES && err != -EPERM)
		return err;
	for (size_t i = 0; i < sizeof(lib_dirs) / sizeof(lib_dirs[0]); i++) {
		err = dir_find(lib_dirs[i], name, out, size);
		if (err != -ENOENT)
			return err;
	}
	return -ENOENT;
}

/* A mapping of process @p pid whose file is library @p name. */
static int maps_find(int pid, const char *name, char *out, size_t size)
{
	struct bpfkit_proc_maps *m;
	int err = bpfkit_proc_maps__read(pid, &m);

	if (err)
		return err;
	err = -ENOENT;
	for (size_t i = 0; i < bpfkit_proc_maps__count(m); i++) {
		const char *p = bpfkit_proc_maps__get(m, i)->path, *base = strrchr(p, '/');

		if (base && lib_name_match(name, base + 1)) {
			err = bpfkit_proc_path(pid, p, out, size);
			break;
		}
	}
	bpfkit_proc_maps__free(m);
	return err;
}

/* The first executable regular file @p name in $PATH. */
static int path_find(const char *name, char *out, size_t size)
{
	const char *env = getenv("PATH"), *p, *end;
	char buf[4096];

	for (p = env ? env : "/usr/local/bin:/usr/bin:/bin"; *p; p = *end ? end + 1 : end) {
		size_t n;

		end = strchrnul(p, ':');
		n = (size_t)(end - p);
		if (!n || (size_t)snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, p, name) >= sizeof(buf))
			continue;
		if (is_file(buf) && !access(buf, X_OK))
			return copy_path(out, size, buf);
	}
	return -ENOENT;
}

int bpfkit_sym_find_target(const char *target, int pid, char *out, size_t size, struct bpfkit_diag *diag)
{
	int err;

	if (!target || !*target)
		return bpfkit_diag__set(diag, -EINVAL, "no target file given");
	if (strchr(target, '/')) {
		err = bpfkit_proc_path(pid, target, out, size);
		if (err)
			return bpfkit_diag__set(diag, err, "'%s': path too long", target);
		if (access(out, F_OK))
			return bpfkit_diag__set(diag, -ENOENT, "'%s': %s", target, strerror(errno));
		return 0;
	}
	if (is_file(target)) /* a file of the current directory, as bpftrace takes it */
		return copy_path(out, size, target);
	if (pid > 0 && !maps_find(pid, target, out, size))
		return 0;
	if (!path_find(target, out, size)) {
		char tmp[4096];

		if (pid > 0 && !bpfkit_proc_path(pid, out, tmp, sizeof(tmp)) && !access(tmp, F_OK))
			return copy_path(out, size, tmp);
		return 0;
	}
	err = bpfkit_sym_find_library(target, NULL, out, size);
	if (!err)
		return 0;
	return bpfkit_diag__set(diag, err == -ENAMETOOLONG ? err : -ENOENT,
				"'%s': no such file, program in PATH or library", target);
}
