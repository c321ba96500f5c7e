/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the output layer's unit tests (test_out_*.c): value
 * initialisers, capturing what a printer writes, and comparing it with a
 * golden file from tests/data/out/ ($BPFKIT_TEST_DATA/out/).
 *
 * The golden files are bpftrace 0.17's own output for the NAME.bt script
 * next to them (tests/data/out/regen.sh re-captures them; it needs root and
 * bpftrace). The tests never run bpftrace and never rewrite a golden file:
 * a mismatch is a bug in bpfkit, not in the file.
 */
#ifndef BPFKIT_OUT_TEST_H
#define BPFKIT_OUT_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpfkit/out.h>
#include <bpfkit/sym.h>

/* Value initialisers usable in array initialisers (the inline helpers are not). */
#define V_INT(x, sz, sg) { .kind = BPFKIT_OUT_INT, .size = (sz), .is_signed = (sg), .i = (uint64_t)(x) }
#define V_S64(x) V_INT(x, 8, true)
#define V_U64(x) V_INT(x, 8, false)
/* a string literal as a char array (the printers stop at the NUL) */
#define V_STR(lit) { .kind = BPFKIT_OUT_STR, .s = { lit, sizeof(lit) } }
#define V_BUF(lit) { .kind = BPFKIT_OUT_BUF, .s = { lit, sizeof(lit) - 1 } }
#define V_TUP(arr) { .kind = BPFKIT_OUT_TUPLE, .t = { arr, sizeof(arr) / sizeof((arr)[0]) } }
#define KEYS(...) ((const struct bpfkit_out_val[]){ __VA_ARGS__ })
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* A memory stream standing in for stdout. */
struct cap {
	FILE *f;
	char *buf;
	size_t len;
	struct bpfkit_out o;
};

static inline void cap_open(struct cap *c, enum bpfkit_out_format fmt)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	assert_non_null(c->f);
	c->o.f = c->f;
	c->o.format = fmt;
}

/* Close the stream; the caller frees the returned text. */
static inline char *cap_close(struct cap *c)
{
	fclose(c->f);
	return c->buf;
}

static inline const char *out_data_dir(void)
{
	const char *d = getenv("BPFKIT_TEST_DATA");

	return d && *d ? d : "tests/data";
}

/* Contents of tests/data/out/@name (NUL-terminated), or NULL. */
static inline char *golden_read(const char *name)
{
	char path[512];
	FILE *f;
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	snprintf(path, sizeof(path), "%s/out/%s", out_data_dir(), name);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	do {
		if (len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
	} while (n);
	fclose(f);
	buf[len] = '\0';
	return buf;
}

/* Fail with the first line where @got and the golden file differ. */
static inline void golden_check(const char *name, const char *got)
{
	char *want = golden_read(name);
	size_t i, line = 1, a0 = 0;

	if (!want)
		fail_msg("%s/out/%s is missing", out_data_dir(), name);
	for (i = 0; want[i] && want[i] == got[i]; i++) {
		if (want[i] == '\n') {
			line++;
			a0 = i + 1;
		}
	}
	if (want[i] || got[i]) {
		print_error("%s differs at line %zu\n want: %.*s\n got:  %.*s\n", name, line,
			    (int)strcspn(want + a0, "\n"), want + a0, (int)strcspn(got + a0, "\n"),
			    got + a0);
		free(want);
		fail();
	}
	free(want);
}

#endif /* BPFKIT_OUT_TEST_H */
