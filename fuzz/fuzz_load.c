// SPDX-License-Identifier: MIT
/*
 * Fuzz every program reader through bpfkit_prog__load_any: format
 * detection, hex, raw, .data files, assembler text and ELF objects. Whatever
 * loads is disassembled too, so the disassembler sees reader output
 * (relocations, symbols, damaged instructions) as well.
 */
#include <stdint.h>
#include <stdlib.h>

#include <bpfkit/isa.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bpfkit_prog **progs = NULL;
	struct bpfkit_datafile *df = NULL;
	struct bpfkit_diag d;
	size_t n = 0;

	if (size > 1 << 18)
		return 0;
	bpfkit_diag__clear(&d);
	if (bpfkit_prog__load_any(data, size, BPFKIT_FMT_AUTO, BPFKIT_DIALECT_AUTO, &progs, &n, &d) == 0) {
		for (size_t i = 0; i < n; i++) {
			struct bpfkit_disasm_opts o = { .dialect = BPFKIT_DIALECT_KERN, .offsets = true };
			free(bpfkit_disasm(progs[i], &o));
			bpfkit_prog__free(progs[i]);
		}
		free(progs);
	}
	/* The .data parser directly, whatever the detector thought. */
	if (bpfkit_datafile__parse((const char *)data, size, &df, &d) == 0)
		bpfkit_datafile__free(df);
	return 0;
}
