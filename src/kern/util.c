// SPDX-License-Identifier: MIT
/*
 * Helpers the kern layer's files share: a growable buffer for the strings a
 * list or a format owns, reading the kernel's pseudo files (which report a
 * size of 0, so they are read until EOF), and file error messages.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kern/kern_int.h"

/* Grow by doubling, refusing sizes that would overflow; sets oom on failure. */
bool kbuf_reserve(struct kbuf *b, size_t n)
{
	size_t cap;
	char *p;

	if (b->oom)
		return false;
	if (n <= b->cap - b->len)
		return true;
	if (n > SIZE_MAX / 2 - b->len) {
		b->oom = true;
		return false;
	}
	cap = b->cap ? b->cap : 256;
	while (cap - b->len < n)
		cap *= 2;
	p = realloc(b->p, cap);
	if (!p) {
		b->oom = true;
		return false;
	}
	b->p = p;
	b->cap = cap;
	return true;
}

size_t kbuf_add_str(struct kbuf *b, const char *s, size_t n)
{
	size_t at = b->len;

	if (n == SIZE_MAX || !kbuf_reserve(b, n + 1))
		return 0;
	if (n)
		memcpy(b->p + b->len, s, n);
	b->p[b->len + n] = '\0';
	b->len += n + 1;
	return at;
}

void kbuf_release(struct kbuf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

/*
 * Read @p path (relative to @p dirfd) to EOF into a malloc'd, NUL-terminated
 * buffer. Reads in growing chunks because tracefs and sysfs files have no
 * size until read; gives up past @p max bytes so a runaway file cannot eat
 * memory.
 */
int kern_read_file(int dirfd, const char *path, size_t max, char **out, size_t *len)
{
	struct kbuf b = { 0 };
	struct stat st;
	int fd, err = 0;

	*out = NULL;
	*len = 0;
	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* sysfs binary files (BTF) do know their size: read them in one go */
	if (fstat(fd, &st) == 0 && st.st_size > 0 && (uint64_t)st.st_size <= max)
		kbuf_reserve(&b, (size_t)st.st_size + 1);
	for (;;) {
		ssize_t n;

		if (b.cap - b.len < 2 && !kbuf_reserve(&b, 65536)) {
			err = -ENOMEM;
			break;
		}
		n = read(fd, b.p + b.len, b.cap - b.len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		if (n == 0)
			break;
		b.len += (size_t)n;
		if (b.len > max) {
			err = -EFBIG;
			break;
		}
	}
	close(fd);
	if (err) {
		kbuf_release(&b);
		return err;
	}
	b.p[b.len] = '\0';
	*out = b.p;
	*len = b.len;
	return 0;
}

int kern_path(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size)
		return -ENAMETOOLONG;
	return 0;
}

int kern_file_error(struct bpfkit_diag *d, int err, const char *what, const char *path)
{
	const char *hint = "";

	if ((err == -EACCES || err == -EPERM) && geteuid() != 0)
		hint = " (this needs root)";
	return bpfkit_diag__set(d, err, "cannot %s %s: %s%s", what, path, strerror(-err), hint);
}

bool kern_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}
