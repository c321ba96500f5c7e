// SPDX-License-Identifier: MIT
/*
 * Fuzz every program reader through bpfkit_prog__load_any: format
 * detection, hex, raw, .data files, assembler text and ELF objects. Whatever
 * loads is disassembled too, so the disassembler sees reader output
 * (relocations, symbols, damaged instructions) as well. ELF objects also go
 * through bpfkit_elf_programs(), whose linked calls must land inside the
 * program, and bpfkit_elf_maps(): the maps it describes are created in a
 * VM and each program is loaded against them (relocations resolved).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <bpfkit/isa.h>
#include <bpfkit/vm.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The maps of an ELF object, created in a VM (at most 4 CPUs, and no map
 * larger than 16 MiB of values, to keep runs fast); NULL when there are
 * none that can be. Each description must be self-consistent. */
static struct bpfkit_vm *elf_maps(const uint8_t *data, size_t size)
{
	struct bpfkit_map_desc *maps = NULL;
	struct bpfkit_vm *vm = NULL;
	struct bpfkit_diag d;
	size_t n = 0;

	if (bpfkit_elf_maps(data, size, &maps, &n, &d))
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (!maps[i].name || !maps[i].section || (maps[i].init && maps[i].init_len != maps[i].value_size))
			abort();
		if ((uint64_t)maps[i].max_entries * ((maps[i].value_size + 7ull) & ~7ull) * 4 > 1 << 24)
			goto out;
	}
	vm = bpfkit_vm__new();
	if (vm && (bpfkit_vm__register_kernel_helpers(vm) || bpfkit_vm__create_maps(vm, maps, n, 4, &d))) {
		bpfkit_vm__free(vm);
		vm = NULL;
	}
out:
	bpfkit_map_descs__free(maps, n);
	return vm;
}

/* The programs of an ELF object as libbpf names them: every local call the
 * linker fixed up must land inside the program it is in; each is loaded
 * into a VM with the object's maps. */
static void elf_programs(const uint8_t *data, size_t size)
{
	struct bpfkit_prog **progs = NULL;
	struct bpfkit_vm *vm;
	struct bpfkit_diag d;
	size_t n = 0;

	if (bpfkit_elf_programs(data, size, &progs, &n, &d))
		return;
	vm = elf_maps(data, size);
	for (size_t i = 0; i < n; i++) {
		const struct bpfkit_prog *p = progs[i];
		for (size_t k = 0; k < p->len; k++) {
			int64_t t = (int64_t)k + p->insns[k].imm + 1;
			if (p->insns[k].code == BPFKIT_OP_CALL && p->insns[k].src == BPFKIT_CALL_LOCAL &&
			    (t < 0 || t >= (int64_t)p->len))
				abort();
		}
		if (vm)
			bpfkit_vm__load_prog(vm, p, &d);
		bpfkit_prog__free(progs[i]);
	}
	bpfkit_vm__free(vm);
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
