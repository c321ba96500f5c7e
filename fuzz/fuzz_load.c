// SPDX-License-Identifier: MIT
/*
 * Fuzz every program reader through bpfkit_prog__load_any: format
 * detection, hex, raw, .data files, assembler text and ELF objects. Whatever
 * loads is disassembled too, so the disassembler sees reader output
 * (relocations, symbols, damaged instructions) as well. ELF objects also go
 * through bpfkit_elf_programs(), whose linked calls must land inside the
 * program.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <bpfkit/isa.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The programs of an ELF object as libbpf names them: every local call the
 * linker fixed up must land inside the program it is in. */
static void elf_programs(const uint8_t *data, size_t size)
{
	struct bpfkit_prog **progs = NULL;
	struct bpfkit_diag d;
	size_t n = 0;

	if (bpfkit_elf_programs(data, size, &progs, &n, &d))
		return;
	for (size_t i = 0; i < n; i++) {
		const struct bpfkit_prog *p = progs[i];
		for (size_t k = 0; k < p->len; k++) {
			int64_t t = (int64_t)k + p->insns[k].imm + 1;
			if (p->insns[k].code == BPFKIT_OP_CALL && p->insns[k].src == BPFKIT_CALL_LOCAL &&
			    (t < 0 || t >= (int64_t)p->len))
				abort();
		}
		bpfkit_prog__free(progs[i]);
	}
	free(progs);
}

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
	if (size >= 4 && !memcmp(data, "\177ELF", 4))
		elf_programs(data, size);
	/* The .data parser directly, whatever the detector thought. */
	if (bpfkit_datafile__parse((const char *)data, size, &df, &d) == 0)
		bpfkit_datafile__free(df);
	return 0;
}
