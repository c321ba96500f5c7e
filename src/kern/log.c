// SPDX-License-Identifier: MIT
/*
 * libbpf's messages. libbpf prints its warnings to stderr unless told
 * otherwise, and a library layer must not print: the kern layer installs its
 * own print callback before it calls libbpf, drops debug and info lines, and
 * hands warnings to the caller's log function (bpfkit_kern_set_log()), or
 * drops them when there is none. Errors that matter reach the caller anyway,
 * as -errno with a diag.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "kern/kern_int.h"

static bpfkit_kern_log_fn log_fn;
static void *log_ctx;

/* libbpf's print callback: one warning line to log_fn, without its newline. */
static int kern_libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char msg[512];
	size_t n;

	if (level == LIBBPF_DEBUG || !log_fn)
		return 0;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = '\0';
	if (n)
		log_fn(log_ctx, level == LIBBPF_WARN ? "warning" : "info", msg);
	return 0;
}

void klog_install(void)
{
	libbpf_set_print(kern_libbpf_print);
}

void bpfkit_kern_set_log(bpfkit_kern_log_fn fn, void *ctx)
{
	log_fn = fn;
	log_ctx = ctx;
	klog_install();
}
