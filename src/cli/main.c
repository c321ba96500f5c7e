// SPDX-License-Identifier: MIT
/*
 * bpfkit's entry point: global options, then `bpfkit OBJECT COMMAND [ARGS]`
 * with unambiguous prefixes, as bpftool does.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#ifndef BPFKIT_VERSION
#define BPFKIT_VERSION "0.1.0"
#endif

struct cli_opts cli;
const char *cli_progname = "bpfkit";
const char *const cli_version = BPFKIT_VERSION;

static int cmd_help(int argc, char **argv);
static int cmd_version(int argc, char **argv);

static const struct cli_cmd objects[] = {
	{ "asm", cmd_asm, "assemble eBPF text into raw bytes, hex or an ELF object" },
	{ "disasm", cmd_disasm, "disassemble raw bytes, hex or an ELF object" },
	{ "vm", cmd_vm, "run eBPF programs in the user-space VM" },
	{ "trace", cmd_trace, "the tracer: compile a bpftrace program (-e PROGRAM or FILE), load it\n"
			      "           into the kernel, attach it, print what it prints; list probes\n"
			      "           (-l) and kernel features (--info)" },
	{ "filter", cmd_filter, "compile a tcpdump filter expression to classic BPF and eBPF, print\n"
				"           it as tcpdump -d does, run it over a capture file (-r)" },
	{ "flamegraph", cmd_flamegraph, "draw folded stacks as an interactive SVG flame graph" },
	{ "version", cmd_version, "print the version" },
	{ "help", cmd_help, "this list" },
	{ NULL, NULL, NULL },
};

static int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("bpfkit %s\n", cli_version);
	return EXIT_OK;
}

static void print_help(FILE *f)
{
	fprintf(f, "Usage: bpfkit [-j|--json] [-p|--pretty] OBJECT COMMAND [ARGS]\n\n"
		   "Objects:\n");
	for (const struct cli_cmd *c = objects; c->name; c++)
		fprintf(f, "  %-8s %s\n", c->name, c->summary);
	fprintf(f, "\nObjects and commands accept unambiguous prefixes (bpfkit vm r = bpfkit vm run).\n"
		   "`bpfkit OBJECT help` prints an object's help (the commands of vm, the options\n"
		   "of asm, disasm and trace), `bpfkit vm run help` a command's; see bpfkit(8).\n"
		   "Example: bpfkit trace -e 'tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }'\n");
}

static int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	print_help(stdout);
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	int i = 1;

	cli.color = isatty(STDERR_FILENO) && !getenv("NO_COLOR");
	/* Global options come before the object, as with bpftool. */
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-j") || !strcmp(a, "--json"))
			cli.json = true;
		else if (!strcmp(a, "-p") || !strcmp(a, "--pretty"))
			cli.json = cli.pretty = true;
		else if (!strcmp(a, "-h") || !strcmp(a, "--help"))
			return cmd_help(0, NULL);
		else if (!strcmp(a, "-V") || !strcmp(a, "--version"))
			return cmd_version(0, NULL);
		else
			return cli_usage("unknown option '%s' (try 'bpfkit help')", a);
	}
	if (i >= argc && cli.json)
		return cli_usage("no object (try 'bpfkit help')");
	if (i >= argc) {
		print_help(stderr);
		return EXIT_USAGE;
	}
	return cli_dispatch(NULL, objects, argc - i, argv + i);
}
