/* SPDX-License-Identifier: MIT */
/*
 * Shared by the kern layer's unit tests: a writer of small BTF blobs (a
 * header, types as 32-bit words, a string section) for btf_scan.c.
 */
#ifndef BPFKIT_TEST_BTF_TEST_H
#define BPFKIT_TEST_BTF_TEST_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* BTF writer: a header, types as 32-bit words, and a string section. */
struct btfw {
	uint32_t words[256];
	size_t nwords;
	char strs[256];
	size_t slen;
};

static inline uint32_t btfw_str(struct btfw *w, const char *s, uint32_t str_base)
{
	uint32_t off = (uint32_t)w->slen + str_base;

	memcpy(w->strs + w->slen, s, strlen(s) + 1);
	w->slen += strlen(s) + 1;
	return off;
}

/* A type's 12-byte header; @p kind | 0x80 sets kind_flag. */
static inline void btfw_type(struct btfw *w, uint32_t name, unsigned kind, unsigned vlen, uint32_t type)
{
	w->words[w->nwords++] = name;
	w->words[w->nwords++] = (uint32_t)kind << 24 | vlen;
	w->words[w->nwords++] = type;
}

/* A word of a type's trailing data (members, enumerators, encodings). */
static inline void btfw_word(struct btfw *w, uint32_t v)
{
	w->words[w->nwords++] = v;
}

/* The blob: header, types, strings. Returns its size in @p out. */
static inline size_t btfw_blob(const struct btfw *w, uint8_t *out)
{
	uint32_t hdr[6];
	uint16_t magic = 0xeB9F;

	memcpy(out, &magic, 2);
	out[2] = 1; /* version */
	out[3] = 0; /* flags */
	hdr[0] = 24; /* hdr_len */
	hdr[1] = 0; /* type_off */
	hdr[2] = (uint32_t)(w->nwords * 4);
	hdr[3] = hdr[2]; /* str_off */
	hdr[4] = (uint32_t)w->slen;
	memcpy(out + 4, hdr, 5 * 4);
	memcpy(out + 24, w->words, w->nwords * 4);
	memcpy(out + 24 + w->nwords * 4, w->strs, w->slen);
	return 24 + w->nwords * 4 + w->slen;
}

#endif
