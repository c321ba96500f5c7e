// SPDX-License-Identifier: MIT
/* struct bpfkit_prog: the one owner of a program's arrays. */
#include <stdlib.h>

#include <bpfkit/isa.h>

void bpfkit_prog__free(struct bpfkit_prog *prog)
{
	if (!prog)
		return;
	for (size_t i = 0; i < prog->nsyms; i++)
		free(prog->syms[i].name);
	for (size_t i = 0; i < prog->nrelocs; i++)
		free(prog->relocs[i].name);
	free(prog->syms);
	free(prog->relocs);
	free(prog->lines);
	free(prog->insns);
	free(prog->name);
	free(prog->section);
	free(prog);
}
