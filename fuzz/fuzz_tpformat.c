// SPDX-License-Identifier: MIT
/*
 * Fuzz the tracepoint format parser (src/kern/tp_format.c) with arbitrary
 * bytes. Oracles beyond "no crash, leak or hang":
 *  - a failure says where: the message starts "fuzz.format:LINE:COL: " and
 *    the diag's line lies within the input;
 *  - a success is consistent: every field has an identifier for a name that
 *    its declaration contains, no two share a name, offset + size does not
 *    wrap and stays within record_size, a __data_loc is 4 bytes, an array's
 *    length times its element size is its size when both are known, nargs
 *    counts the fields that are not common_, and lookup finds each field.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpfkit/kern.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool is_ident(const char *s)
{
	if (!*s || (*s >= '0' && *s <= '9'))
		return false;
	for (; *s; s++)
		if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')))
			return false;
	return true;
}

/* Check every field of a parsed format against the promises of kern.h. */
static void check_format(const struct bpfkit_tp_format *fmt, int nlines)
{
	size_t nargs = 0;

	if (fmt->nfields > 4096)
		abort();
	for (size_t i = 0; i < fmt->nfields; i++) {
		const struct bpfkit_tp_field *f = &fmt->fields[i];

		if (!is_ident(f->name) || !strstr(f->decl, f->name) || !f->type[0])
			abort();
		if ((uint64_t)f->offset + f->size > UINT32_MAX || f->offset + f->size > fmt->record_size)
			abort();
		if (f->line < 1 || f->line > nlines)
			abort();
		if ((f->kind == BPFKIT_TP_DATA_LOC || f->kind == BPFKIT_TP_REL_LOC) && f->size != 4)
			abort();
		if (f->kind == BPFKIT_TP_ARRAY && f->array_len && f->elem_size &&
		    (uint64_t)f->array_len * f->elem_size != f->size)
			abort();
		if (f->common != !strncmp(f->name, "common_", 7))
			abort();
		if (bpfkit_tp_format__field(fmt, f->name) != f)
			abort();
		nargs += !f->common;
	}
	if (nargs != fmt->nargs || !fmt->file)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bpfkit_tp_format *fmt;
	struct bpfkit_diag d;
	int nlines = 1;

	if (size > 1 << 16)
		return 0;
	for (size_t i = 0; i < size; i++)
		nlines += data[i] == '\n';
	fmt = bpfkit_tp_format__parse("fuzz.format", (const char *)data, size, &d);
	if (fmt) {
		check_format(fmt, nlines);
		bpfkit_tp_format__free(fmt);
	} else {
		char prefix[64];

		snprintf(prefix, sizeof(prefix), "fuzz.format:%d:%d: ", d.line, d.col);
		if (strncmp(d.msg, prefix, strlen(prefix)) || d.line < 1 || d.line > nlines || d.col < 1)
			abort();
	}
	return 0;
}
