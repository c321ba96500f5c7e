// SPDX-License-Identifier: MIT
/*
 * Replay a fuzz corpus without libFuzzer: every file under the directories
 * (or files) given is fed once to LLVMFuzzerTestOneInput. Linked with each
 * fuzz_*.c harness so `make test` runs every corpus; prints one TAP line.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n > 0 ? (size_t)n : 1);
	if (!buf || (n > 0 && fread(buf, 1, (size_t)n, f) != (size_t)n)) {
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)n);
	free(buf);
	return 0;
}

/* Replay @p path, a file or a directory (one level, as libFuzzer corpora). */
static int replay_path(const char *path, unsigned *count)
{
	struct stat st;
	struct dirent *e;
	DIR *d;

	if (stat(path, &st))
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		(*count)++;
		return replay_file(path);
	}
	d = opendir(path);
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		char p[4096];
		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", path, e->d_name);
		if (stat(p, &st) || !S_ISREG(st.st_mode))
			continue;
		if (replay_file(p)) {
			closedir(d);
			return -1;
		}
		(*count)++;
	}
	closedir(d);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned count = 0;

	printf("1..1\n");
	for (int i = 1; i < argc; i++) {
		if (replay_path(argv[i], &count)) {
			printf("not ok 1 - cannot read %s\n", argv[i]);
			return 1;
		}
	}
	if (count == 0)
		printf("ok 1 # SKIP empty corpus\n");
	else
		printf("ok 1 - replayed %u inputs without a crash\n", count);
	return 0;
}
