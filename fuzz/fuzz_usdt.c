// SPDX-License-Identifier: MIT
/*
 * Fuzz USDT notes (src/sym/usdt.c) and argument specs (usdt_arg.c). An
 * input starting with the ELF magic is an ELF image whose .note.stapsdt is
 * read; any other input is one argument spec. Oracles beyond "no crash,
 * leak or hang":
 *  - a parsed spec is one of the three kinds, of size 1, 2, 4 or 8, with
 *    registers that are pt_regs offsets (multiples of 8 up to ss) or -1;
 *  - a read list is sorted by provider, name, pc; every string is
 *    NUL-terminated and non-empty where it must be; a site without an error
 *    has at most BPFKIT_USDT_MAX_ARGS well-formed arguments.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <bpfkit/sym.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_arg(const struct bpfkit_usdt_arg *a)
{
	if (a->kind < BPFKIT_USDT_ARG_CONST || a->kind > BPFKIT_USDT_ARG_MEM)
		abort();
	if (a->size != 1 && a->size != 2 && a->size != 4 && a->size != 8)
		abort();
	if (a->reg < -1 || a->reg > 160 || (a->reg >= 0 && a->reg % 8))
		abort();
	if (a->kind == BPFKIT_USDT_ARG_REG && a->reg < 0)
		abort();
	if (a->kind == BPFKIT_USDT_ARG_MEM && a->index_reg >= 0 && a->scale != 1 && a->scale != 2 &&
	    a->scale != 4 && a->scale != 8)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bpfkit_usdt_list *l;
	struct bpfkit_usdt_arg a;
	struct bpfkit_diag d;
	char sym[256];

	if (size >= 4 && !memcmp(data, "\x7f" "ELF", 4)) {
		if (bpfkit_usdt_list__parse("fuzz", data, size, &l, &d))
			return 0;
		for (size_t i = 0; i < l->n; i++) {
			const struct bpfkit_usdt_probe *p = &l->probes[i];

			if (!p->provider[0] || !p->name[0] || strlen(p->args_text) > size)
				abort();
			if (i && strcmp(l->probes[i - 1].provider, p->provider) > 0)
				abort();
			if (p->error)
				continue;
			if (p->nargs > BPFKIT_USDT_MAX_ARGS)
				abort();
			for (size_t j = 0; j < p->nargs; j++)
				check_arg(&p->args[j]);
		}
		bpfkit_usdt_list__free(l);
		return 0;
	}
	if (size > 4096)
		return 0;
	if (!bpfkit_usdt_arg_parse((const char *)data, size, &a, sym, sizeof(sym), &d))
		check_arg(&a);
	return 0;
}
