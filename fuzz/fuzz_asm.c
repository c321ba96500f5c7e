// SPDX-License-Identifier: MIT
/*
 * Fuzz the assembler with arbitrary text (both dialects, auto-detected).
 * Oracle beyond "no crash": whatever assembles must disassemble, in both
 * dialects, to text that assembles back to the same instruction bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <bpfkit/isa.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Disassemble @p p in @p dialect and reassemble; abort on any mismatch. */
static void round_trip(const struct bpfkit_prog *p, enum bpfkit_dialect dialect)
{
	struct bpfkit_disasm_opts o = { .dialect = dialect };
	struct bpfkit_prog *q = NULL;
	struct bpfkit_diag d;
	char *text = bpfkit_disasm(p, &o);

	if (!text)
		return; /* out of memory, or the disassembler is not built */
	bpfkit_diag__clear(&d);
	if (bpfkit_asm(text, strlen(text), dialect, &q, &d))
		abort(); /* our own output must assemble */
	if (q->len != p->len || memcmp(q->insns, p->insns, p->len * sizeof(*p->insns)))
		abort(); /* and give the same bytes */
	bpfkit_prog__free(q);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bpfkit_prog *p = NULL;
	struct bpfkit_diag d;

	if (size > 1 << 16)
		return 0;
	bpfkit_diag__clear(&d);
	if (bpfkit_asm((const char *)data, size, BPFKIT_DIALECT_AUTO, &p, &d) == 0) {
		round_trip(p, BPFKIT_DIALECT_CONF);
		round_trip(p, BPFKIT_DIALECT_KERN);
		bpfkit_prog__free(p);
	} else if (d.line < 0 || d.col < 0) {
		abort(); /* an error must name a place, never a negative one */
	}
	return 0;
}
