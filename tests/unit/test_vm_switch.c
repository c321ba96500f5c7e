// SPDX-License-Identifier: MIT
/*
 * The interpreter's portable dispatch: the same semantic tests as
 * test_vm.c, run against interp.c compiled with BPFKIT_VM_NO_COMPUTED_GOTO
 * (a switch instead of labels-as-values). This file's vm_interp() takes the
 * place of the library's, which the linker then leaves out of the archive.
 */
#define BPFKIT_VM_NO_COMPUTED_GOTO 1
#include "vm/interp.c"

#include "test_vm.c"
