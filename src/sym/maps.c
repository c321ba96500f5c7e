// SPDX-License-Identifier: MIT
/*
 * A process's file mappings, from /proc/PID/maps: for library names of a
 * running process (-p PID), its listing (-l -p PID), and the names of its
 * user addresses (usyms.c: ustack, usym()). Read from /proc, or from a
 * directory laid out like it (tests), or parsed from a saved text. Lines are
 * "START-END PERMS OFFSET DEV INODE PATH"; mappings without a file
 * (anonymous, [heap], [stack], [vdso]) and of deleted files are left out.
 * The text is kept and cut in place into the paths.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpfkit/sym.h>

#define MAPS_MAX (64u << 20)

struct bpfkit_proc_maps {
	char *text;
	struct bpfkit_proc_map *maps;
	size_t n;
	uint64_t vdso_start, vdso_end; /* the [vdso] line's range, 0 and 0 without one */
};

/* The whole of PROC/PID/maps (procfs reports no size: read until EOF). */
static int read_text(const char *proc, int pid, char **out, size_t *len)
{
	char path[4096];
	size_t n = 0, cap = 16384;
	char *buf = NULL;
	int fd;

	if (pid > 0)
		snprintf(path, sizeof(path), "%s/%d/maps", proc, pid);
	else
		snprintf(path, sizeof(path), "%s/self/maps", proc);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	buf = malloc(cap);
	for (;;) {
		ssize_t got;

		if (buf && n + 1 >= cap) {
			char *nb = cap >= MAPS_MAX ? NULL : realloc(buf, cap * 2);

			if (!nb) {
				free(buf);
				buf = NULL;
			}
			buf = nb;
			cap *= 2;
		}
		if (!buf) {
			close(fd);
			return cap > MAPS_MAX ? -EFBIG : -ENOMEM;
		}
		got = read(fd, buf + n, cap - n - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			int err = errno == ESRCH ? -ESRCH : -errno;

			free(buf);
			close(fd);
			return err;
		}
		if (!got)
			break;
		n += (size_t)got;
	}
	close(fd);
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

/* Parse one line in place; false when it has no file behind it. */
static bool parse_line(char *line, struct bpfkit_proc_map *m)
{
	unsigned long long start, end, off;
	char perms[8];
	int pos = 0;
	char *path;
	size_t len;

	if (sscanf(line, "%llx-%llx %7s %llx %*s %*s %n", &start, &end, perms, &off, &pos) < 4 || !pos)
		return false;
	path = line + pos;
	while (*path == ' ')
		path++;
	if (path[0] != '/')
		return false;
	len = strlen(path);
	if (len > 10 && !strcmp(path + len - 10, " (deleted)"))
		return false;
	*m = (struct bpfkit_proc_map){ start, end, off, perms[2] == 'x', path };
	return true;
}

/* The mappings of the text @p text (taken over: freed with them). */
static int parse_text(char *text, struct bpfkit_proc_maps **out)
{
	struct bpfkit_proc_maps *m;
	size_t cap = 0;
	char *p, *nl;

	m = calloc(1, sizeof(*m));
	if (!m) {
		free(text);
		return -ENOMEM;
	}
	m->text = text;
	for (p = m->text; *p; p = nl) {
		struct bpfkit_proc_map map;

		nl = strchrnul(p, '\n');
		if (*nl)
			*nl++ = '\0';
		if (!parse_line(p, &map)) {
			unsigned long long start, end;
			size_t len = strlen(p);

			if (len > 6 && !strcmp(p + len - 6, "[vdso]") && sscanf(p, "%llx-%llx", &start, &end) == 2 &&
			    start < end) {
				m->vdso_start = start;
				m->vdso_end = end;
			}
			continue;
		}
		if (m->n == cap) {
			struct bpfkit_proc_map *nm = realloc(m->maps, (cap = cap ? 2 * cap : 64) * sizeof(*nm));

			if (!nm) {
				bpfkit_proc_maps__free(m);
				return -ENOMEM;
			}
			m->maps = nm;
		}
		m->maps[m->n++] = map;
	}
	*out = m;
	return 0;
}

int bpfkit_proc_maps__read_at(const char *proc, int pid, struct bpfkit_proc_maps **out)
{
	size_t len = 0;
	char *text;
	int err;

	*out = NULL;
	err = read_text(proc ? proc : "/proc", pid, &text, &len);
	return err ? err : parse_text(text, out);
}

int bpfkit_proc_maps__read(int pid, struct bpfkit_proc_maps **out)
{
	return bpfkit_proc_maps__read_at(NULL, pid, out);
}

int bpfkit_proc_maps__parse(const char *text, size_t len, struct bpfkit_proc_maps **out)
{
	char *copy = malloc(len + 1);

	*out = NULL;
	if (!copy)
		return -ENOMEM;
	memcpy(copy, text, len);
	copy[len] = '\0';
	return parse_text(copy, out);
}

void bpfkit_proc_maps__free(struct bpfkit_proc_maps *m)
{
	if (!m)
		return;
	free(m->text);
	free(m->maps);
	free(m);
}

int bpfkit_proc_maps__vdso(const struct bpfkit_proc_maps *m, uint64_t *start, uint64_t *end)
{
	if (!m || !m->vdso_end)
		return -ENOENT;
	*start = m->vdso_start;
	*end = m->vdso_end;
	return 0;
}

size_t bpfkit_proc_maps__count(const struct bpfkit_proc_maps *m)
{
	return m ? m->n : 0;
}

const struct bpfkit_proc_map *bpfkit_proc_maps__get(const struct bpfkit_proc_maps *m, size_t i)
{
	return m && i < m->n ? &m->maps[i] : NULL;
}

/* The kernel lists mappings in address order, so a binary search works. */
const struct bpfkit_proc_map *bpfkit_proc_maps__find(const struct bpfkit_proc_maps *m, uint64_t addr)
{
	size_t lo = 0, hi = m ? m->n : 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (addr < m->maps[mid].start)
			hi = mid;
		else if (addr >= m->maps[mid].end)
			lo = mid + 1;
		else
			return &m->maps[mid];
	}
	return NULL;
}
