// SPDX-License-Identifier: MIT
/*
 * bpfkit disasm: print the instructions of raw bytes, hex, a .data file,
 * assembler text or an ELF object, in the kernel dialect (the default:
 * what the verifier log and llvm-objdump show) or the conformance dialect.
 * ELF objects print one block per executable section, as llvm-objdump does.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* The help text: stdout for --help, stderr after a usage error. */
static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s disasm [OPTIONS] FILE|-\n"
		"\n"
		"Disassemble eBPF instructions from raw bytes, hex, a bpf_conformance .data\n"
		"file, assembler text or an ELF object (the format is detected).\n"
		"\n"
		"Options:\n"
		"  -D, --dialect kern|conf    kern: r0 = *(u64 *)(r1 + 8) (default)\n"
		"                             conf: ldxdw %%r0, [%%r1+8]\n"
		"  -F, --format FMT           auto (default), raw, hex, elf, asm or data\n"
		"  -s, --section NAME         only this ELF section\n"
		"      --offsets              prefix each instruction with its slot index\n"
		"      --bytes                show each instruction's bytes\n"
		"      --no-labels            print jump offsets (+3) instead of labels\n"
		"  -j, --json                 JSON: sections with their instructions\n"
		"  -p, --pretty               indented JSON\n"
		"  -h, --help                 this help\n",
		cli_progname);
}

/* One instruction of the JSON output, from the "%4zu: text" lines that
 * bpfkit_disasm prints with offsets on. */
static void json_insn(struct json_w *w, const struct bpfkit_prog *p, size_t slot, const char *text,
		      const char *label)
{
	const struct bpfkit_insn *in = &p->insns[slot];
	char code[8];

	snprintf(code, sizeof(code), "0x%02x", in->code);
	json_w_obj_begin(w);
	json_w_key(w, "slot");
	json_w_uint(w, slot);
	json_w_key(w, "code");
	json_w_str(w, code);
	json_w_key(w, "dst");
	json_w_int(w, in->dst);
	json_w_key(w, "src");
	json_w_int(w, in->src);
	json_w_key(w, "off");
	json_w_int(w, in->off);
	json_w_key(w, "imm");
	json_w_int(w, in->imm);
	if (in->code == BPFKIT_OP_LDDW && slot + 1 < p->len) {
		json_w_key(w, "imm64");
		json_w_uint(w, (uint64_t)(uint32_t)in->imm | (uint64_t)(uint32_t)p->insns[slot + 1].imm << 32);
	}
	json_w_key(w, "text");
	json_w_str(w, text);
	json_w_key(w, "label");
	if (label)
		json_w_str(w, label);
	else
		json_w_null(w);
	json_w_obj_end(w);
}

/*
 * The instructions of one program as JSON. The text comes from the same
 * bpfkit_disasm() output the plain mode prints (labels, relocations and all),
 * read back line by line: "NAME:" lines are labels of the next instruction,
 * "   N: text" lines are instructions, "#" lines are comments.
 */
static int json_prog(struct json_w *w, const struct bpfkit_prog *p, const struct bpfkit_disasm_opts *o)
{
	struct bpfkit_disasm_opts jo = *o;
	char *text, *line, *save = NULL, *label = NULL;

	jo.offsets = true;
	jo.bytes = false;
	text = bpfkit_disasm(p, &jo);
	if (!text)
		return -errno;
	json_w_obj_begin(w);
	json_w_key(w, "section");
	if (p->name)
		json_w_str(w, p->name);
	else
		json_w_null(w);
	json_w_key(w, "insns");
	json_w_arr_begin(w);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *end;
		unsigned long slot;
		if (line[0] == '#')
			continue;
		if (line[0] != ' ' && (line[0] < '0' || line[0] > '9')) {
			if (!label) {
				label = line;
				label[strcspn(label, ":")] = '\0';
			}
			continue;
		}
		slot = strtoul(line, &end, 10);
		if (end[0] != ':' || slot >= p->len)
			continue;
		json_insn(w, p, slot, end + 1 + (end[1] == ' '), label);
		label = NULL;
	}
	json_w_arr_end(w);
	json_w_obj_end(w);
	free(text);
	return 0;
}

struct disasm_args {
	struct bpfkit_disasm_opts opts;
	enum bpfkit_fmt fmt;
	const char *section;
	const char *path;
};

/* Parse the command line. Returns -1 to go on, else an exit code. */
static int parse_args(int argc, char **argv, struct disasm_args *a)
{
	enum { OPT_OFFSETS = 256, OPT_BYTES, OPT_NO_LABELS };
	static const struct option longopts[] = {
		{ "dialect", required_argument, NULL, 'D' },
		{ "format", required_argument, NULL, 'F' },
		{ "section", required_argument, NULL, 's' },
		{ "offsets", no_argument, NULL, OPT_OFFSETS },
		{ "bytes", no_argument, NULL, OPT_BYTES },
		{ "no-labels", no_argument, NULL, OPT_NO_LABELS },
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char optstring[] = "D:F:s:jph";
	int c, f;

	a->opts.dialect = BPFKIT_DIALECT_KERN;
	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		switch (c) {
		case 'D':
			if (!strcmp(optarg, "kern") || !strcmp(optarg, "kernel"))
				a->opts.dialect = BPFKIT_DIALECT_KERN;
			else if (!strcmp(optarg, "conf") || !strcmp(optarg, "conformance"))
				a->opts.dialect = BPFKIT_DIALECT_CONF;
			else
				return cli_usage("unknown dialect '%s' (kern or conf)", optarg);
			break;
		case 'F':
			f = bpfkit_fmt_parse(optarg);
			if (f < 0)
				return cli_usage("unknown format '%s' (auto, raw, hex, elf, asm, data)",
						 optarg);
			a->fmt = (enum bpfkit_fmt)f;
			break;
		case 's':
			a->section = optarg;
			break;
		case OPT_OFFSETS:
			a->opts.offsets = true;
			break;
		case OPT_BYTES:
			a->opts.bytes = true;
			break;
		case OPT_NO_LABELS:
			a->opts.no_labels = true;
			break;
		case 'j':
			cli.json = true;
			break;
		case 'p':
			cli.json = cli.pretty = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			return cli_bad_option(argc, argv, optstring, "disasm");
		}
	}
	if (optind != argc - 1)
		return cli_usage(optind >= argc ? "missing FILE (use - for stdin)"
						: "too many arguments: '%s'",
				 argv[optind < argc ? argc - 1 : 0]);
	a->path = argv[optind];
	return -1;
}

/* Print the selected programs as text or JSON. */
static int print_progs(struct bpfkit_prog **progs, size_t n, const struct disasm_args *a, bool elf)
{
	struct json_w *w = NULL;
	bool first = true;

	if (cli.json) {
		w = json_w_new(stdout);
		if (!w)
			return cli_fail("out of memory");
		json_w_arr_begin(w);
	}
	for (size_t i = 0; i < n; i++) {
		const struct bpfkit_prog *p = progs[i];
		char *text;
		if (a->section && (!p->name || strcmp(p->name, a->section)))
			continue;
		if (w) {
			if (json_prog(w, p, &a->opts))
				return cli_fail("out of memory");
			continue;
		}
		text = bpfkit_disasm(p, &a->opts);
		if (!text)
			return cli_fail("disassembly failed: %s", strerror(errno));
		if (elf)
			printf("%sDisassembly of section %s:\n", first ? "" : "\n",
			       p->name ? p->name : "?");
		first = false;
		fputs(text, stdout);
		free(text);
	}
	if (w) {
		json_w_arr_end(w);
		json_w_free(w);
	}
	return EXIT_OK;
}

/* -s NAME named no section: say so, with the sections there are, and the
 * section to give when NAME is a function in one (as vm run -P takes it). */
static int no_section(const char *path, const char *want, struct bpfkit_prog **progs, size_t n)
{
	char list[1024] = "";
	size_t used = 0;

	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < progs[i]->nsyms; k++)
			if (progs[i]->name && !strcmp(progs[i]->syms[k].name, want))
				return cli_fail("'%s' has no section '%s'; '%s' is in section %s: "
						"-s %s",
						path, want, want, progs[i]->name, progs[i]->name);
	for (size_t i = 0; i < n && used < sizeof(list); i++)
		used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "",
					 progs[i]->name ? progs[i]->name : "?");
	return cli_fail("'%s' has no section '%s'; the sections are: %s", path, want, list);
}

/* bpfkit disasm [OPTIONS] FILE: read, load (any format), print. */
int cmd_disasm(int argc, char **argv)
{
	struct disasm_args a = { 0 };
	struct bpfkit_prog **progs = NULL;
	struct bpfkit_diag diag;
	size_t n = 0, len;
	enum bpfkit_fmt fmt;
	bool found = false;
	char *buf;
	int rc, err;

	rc = parse_args(argc, argv, &a);
	if (rc >= 0)
		return rc;
	err = cli_read_file(a.path, &buf, &len);
	if (err)
		return cli_fail("cannot read '%s': %s", a.path, strerror(-err));
	fmt = a.fmt != BPFKIT_FMT_AUTO ? a.fmt : bpfkit_fmt_detect(buf, len);
	bpfkit_diag__clear(&diag);
	err = bpfkit_prog__load_any(buf, len, a.fmt, BPFKIT_DIALECT_AUTO, &progs, &n, &diag);
	if (err) {
		cli_print_diag(strcmp(a.path, "-") ? a.path : "<stdin>", buf, len, &diag);
		free(buf);
		return EXIT_FAIL;
	}
	for (size_t i = 0; i < n && a.section; i++)
		found |= progs[i]->name && !strcmp(progs[i]->name, a.section);
	if (a.section && !found)
		rc = no_section(a.path, a.section, progs, n);
	else
		rc = print_progs(progs, n, &a, fmt == BPFKIT_FMT_ELF);
	for (size_t i = 0; i < n; i++)
		bpfkit_prog__free(progs[i]);
	free(progs);
	free(buf);
	return rc;
}
