// SPDX-License-Identifier: MIT
/* Diagnostics: the one place errors are recorded instead of printed. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <bpfkit/isa.h>

void bpfkit_diag__clear(struct bpfkit_diag *d)
{
	if (!d)
		return;
	memset(d, 0, sizeof(*d));
	d->insn = -1;
}

int bpfkit_diag__set(struct bpfkit_diag *d, int err, const char *fmt, ...)
{
	va_list ap;

	if (!d)
		return err;
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
	return err;
}
