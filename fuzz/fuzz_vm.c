// SPDX-License-Identifier: MIT
/*
 * Fuzz the VM's loader and interpreter with raw bytes: the first byte sizes
 * the input memory, the next bytes fill it, the rest is the program. Every
 * program that loads is run with a budget; faults are fine, crashes, hangs
 * and sanitizer reports are not.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <bpfkit/isa.h>
#include <bpfkit/vm.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_BUDGET 20000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bpfkit_vm *vm;
	struct bpfkit_diag d;
	enum bpfkit_fault fault = BPFKIT_FAULT_NONE;
	struct bpfkit_insn *insns;
	uint8_t *mem = NULL;
	size_t mem_len, n;
	uint64_t r0 = 0;

	if (size < 1)
		return 0;
	mem_len = data[0];
	data++, size--;
	if (mem_len > size)
		mem_len = size;
	n = (size - mem_len) / sizeof(struct bpfkit_insn);
	if (mem_len) {
		mem = malloc(mem_len);
		if (!mem)
			return 0;
		memcpy(mem, data, mem_len);
	}
	/* A private copy, so the VM never sees the fuzzer's buffer. */
	insns = malloc(n ? n * sizeof(*insns) : 1);
	vm = bpfkit_vm__new();
	if (insns && vm) {
		memcpy(insns, data + mem_len, n * sizeof(*insns));
		bpfkit_vm__register_test_helpers(vm);
		bpfkit_vm__set_budget(vm, FUZZ_BUDGET);
		bpfkit_diag__clear(&d);
		if (bpfkit_vm__load(vm, insns, n, &d) == 0) {
			int err = bpfkit_vm__run(vm, mem, mem_len, &r0, &fault, &d);
			if (bpfkit_vm__insn_count(vm) > FUZZ_BUDGET + 1)
				abort(); /* the budget must hold */
			if (err && (fault == BPFKIT_FAULT_NONE || d.insn < 0 || (size_t)d.insn >= n))
				abort(); /* a fault names its kind and a real instruction */
		} else if (d.insn >= (long)n && n) {
			abort(); /* a load error names an instruction of the program */
		}
	}
	bpfkit_vm__free(vm);
	free(insns);
	free(mem);
	return 0;
}
