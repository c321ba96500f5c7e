// SPDX-License-Identifier: MIT
/*
 * bpfkit asm: assemble eBPF text, in either dialect, into hex (the
 * default: one 8-byte slot per line, readable and accepted back by
 * `bpfkit disasm` and `bpfkit vm run`), raw little-endian bytes, or a
 * relocatable ELF object. See bpfkit-asm(8).
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

enum asm_out { OUT_HEX, OUT_RAW, OUT_ELF };

struct asm_args {
	enum bpfkit_dialect dialect;
	enum asm_out fmt;
	const char *output; /* -o FILE, NULL or "-" = stdout */
	const char *section; /* -s: ELF section name */
	const char *expr; /* -e TEXT instead of a file */
	const char *file;
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s asm [-D conf|kern|auto] [-O hex|raw|elf] [-o FILE] [-s SECTION] [-j] [-p]\n"
		"                  FILE|-|-e TEXT\n\n"
		"Assemble eBPF text (conformance dialect 'mov32 %%r0, 1' or kernel dialect 'w0 = 1',\n"
		"recognised per line unless -D says) into instruction slots.\n\n"
		"  -D, --dialect D    conf, kern or auto (default)\n"
		"  -O, --format F     hex (default: one slot per line), raw (8-byte slots) or elf\n"
		"  -o, --output FILE  write there instead of stdout\n"
		"  -s, --section NAME ELF section of the program (default \"prog\")\n"
		"  -e, --expr TEXT    assemble TEXT; ';' separates lines\n"
		"  -j, --json         the slots as JSON: {\"insns\":[{\"slot\",\"hex\",\"line\"}..]}\n"
		"  -p, --pretty       indented JSON\n"
		"  -h, --help         this text\n",
		cli_progname);
}

static int parse_format(const char *s, enum asm_out *f)
{
	if (!strcmp(s, "hex"))
		*f = OUT_HEX;
	else if (!strcmp(s, "raw"))
		*f = OUT_RAW;
	else if (!strcmp(s, "elf"))
		*f = OUT_ELF;
	else
		return cli_usage("unknown output format '%s' (hex, raw or elf)", s);
	return 0;
}

/* Options and the one input. Returns 0, EXIT_USAGE, or -1 after --help. */
static int parse_args(int argc, char **argv, struct asm_args *a)
{
	static const struct option longopts[] = {
		{ "dialect", required_argument, NULL, 'D' }, { "format", required_argument, NULL, 'O' },
		{ "output", required_argument, NULL, 'o' },  { "section", required_argument, NULL, 's' },
		{ "expr", required_argument, NULL, 'e' },    { "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },        { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char optstring[] = "D:O:o:s:e:jph";
	int ch, err = 0;

	while (!err && (ch = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		switch (ch) {
		case 'D': err = cli_parse_dialect(optarg, &a->dialect); break;
		case 'O': err = parse_format(optarg, &a->fmt); break;
		case 'o': a->output = optarg; break;
		case 's': a->section = optarg; break;
		case 'e': a->expr = optarg; break;
		case 'j': cli.json = true; break;
		case 'p': cli.json = cli.pretty = true; break;
		case 'h': usage(stdout); return -1;
		default: return cli_bad_option(argc, argv, optstring, "asm");
		}
	}
	if (err)
		return err;
	if (optind < argc)
		a->file = argv[optind++];
	if (optind < argc)
		return cli_usage("one input file at a time ('%s' is extra)", argv[optind]);
	if (!a->file == !a->expr)
		return cli_usage(a->expr ? "give either -e TEXT or a FILE, not both"
					 : "no input (a FILE, '-' for stdin, or -e TEXT)");
	if (cli.json && a->fmt != OUT_HEX)
		return cli_usage("-j prints the slots as JSON; it cannot be combined with -O %s",
				 a->fmt == OUT_RAW ? "raw" : "elf");
	return 0;
}

/* The 8 bytes of a slot, little-endian as the instruction set defines them. */
static void slot_bytes(const struct bpfkit_insn *insn, unsigned char b[8])
{
	uint16_t off = (uint16_t)insn->off;
	uint32_t imm = (uint32_t)insn->imm;

	b[0] = insn->code;
	b[1] = (unsigned char)(insn->dst | insn->src << 4);
	b[2] = (unsigned char)off;
	b[3] = (unsigned char)(off >> 8);
	for (int i = 0; i < 4; i++)
		b[4 + i] = (unsigned char)(imm >> (8 * i));
}

static void write_hex(FILE *f, const struct bpfkit_prog *p)
{
	unsigned char b[8];

	for (size_t i = 0; i < p->len; i++) {
		slot_bytes(&p->insns[i], b);
		fprintf(f, "%02x %02x %02x %02x %02x %02x %02x %02x\n", b[0], b[1], b[2], b[3], b[4],
			b[5], b[6], b[7]);
	}
}

static void write_raw(FILE *f, const struct bpfkit_prog *p)
{
	unsigned char b[8];

	for (size_t i = 0; i < p->len; i++) {
		slot_bytes(&p->insns[i], b);
		fwrite(b, 1, sizeof(b), f);
	}
}

/* {"insns":[{"slot":0,"hex":"b700000001000000","line":1},...],
 *  "syms":[{"name":..,"insn":..}],"relocs":[{"insn":..,"name":..}]} */
static void write_json(FILE *f, const struct bpfkit_prog *p)
{
	struct json_w *w = json_w_new(f);
	unsigned char b[8];
	char hex[17];

	if (!w)
		return;
	json_w_obj_begin(w);
	json_w_key(w, "insns");
	json_w_arr_begin(w);
	for (size_t i = 0; i < p->len; i++) {
		slot_bytes(&p->insns[i], b);
		for (int k = 0; k < 8; k++)
			snprintf(hex + 2 * k, 3, "%02x", b[k]);
		json_w_obj_begin(w);
		json_w_key(w, "slot");
		json_w_uint(w, i);
		json_w_key(w, "hex");
		json_w_str(w, hex);
		json_w_key(w, "line");
		json_w_int(w, p->lines ? p->lines[i] : 0);
		json_w_obj_end(w);
	}
	json_w_arr_end(w);
	json_w_key(w, "syms");
	json_w_arr_begin(w);
	for (size_t i = 0; i < p->nsyms; i++) {
		json_w_obj_begin(w);
		json_w_key(w, "name");
		json_w_str(w, p->syms[i].name);
		json_w_key(w, "insn");
		json_w_uint(w, p->syms[i].insn);
		json_w_obj_end(w);
	}
	json_w_arr_end(w);
	json_w_key(w, "relocs");
	json_w_arr_begin(w);
	for (size_t i = 0; i < p->nrelocs; i++) {
		json_w_obj_begin(w);
		json_w_key(w, "insn");
		json_w_uint(w, p->relocs[i].insn);
		json_w_key(w, "name");
		json_w_str(w, p->relocs[i].name);
		json_w_obj_end(w);
	}
	json_w_arr_end(w);
	json_w_obj_end(w);
	json_w_free(w);
}

/* Open the destination; binary output is never sent to a terminal. */
static int open_output(const struct asm_args *a, FILE **f)
{
	bool to_stdout = !a->output || !strcmp(a->output, "-");

	if (to_stdout && a->fmt != OUT_HEX && isatty(STDOUT_FILENO))
		return cli_usage("refusing to write %s bytes to a terminal (use -o FILE or a pipe)",
				 a->fmt == OUT_RAW ? "raw" : "ELF");
	*f = to_stdout ? stdout : fopen(a->output, "wb");
	if (!*f)
		return cli_fail("cannot open '%s': %s", a->output, strerror(errno));
	return 0;
}

static int close_output(const struct asm_args *a, FILE *f)
{
	bool bad = ferror(f) != 0;

	if (f == stdout)
		bad |= fflush(f) != 0;
	else
		bad |= fclose(f) != 0;
	if (bad)
		return cli_fail("cannot write '%s': %s", f == stdout ? "<stdout>" : a->output,
				strerror(errno));
	return EXIT_OK;
}

/* Write @p p in the chosen format. ELF goes through bpfkit_elf_write, whose
 * errors (a bad section name, say) have no source position. */
static int emit(const struct asm_args *a, struct bpfkit_prog *p, const char *name)
{
	void *elf = NULL;
	size_t elf_len = 0;
	struct bpfkit_diag d;
	FILE *f;
	int rc;

	if (a->fmt == OUT_ELF) {
		bpfkit_diag__clear(&d);
		if (bpfkit_elf_write(&p, 1, &elf, &elf_len, &d)) {
			cli_print_diag(name, NULL, 0, &d);
			return EXIT_FAIL;
		}
	}
	rc = open_output(a, &f);
	if (rc) {
		free(elf);
		return rc;
	}
	if (a->fmt == OUT_ELF)
		fwrite(elf, 1, elf_len, f);
	else if (a->fmt == OUT_RAW)
		write_raw(f, p);
	else if (cli.json)
		write_json(f, p);
	else
		write_hex(f, p);
	free(elf);
	return close_output(a, f);
}

/* bpfkit asm: read (file, stdin or -e), assemble, print a diagnostic with
 * the source line on error (exit 1), else write the chosen format. */
int cmd_asm(int argc, char **argv)
{
	struct asm_args a = { .dialect = BPFKIT_DIALECT_AUTO, .fmt = OUT_HEX };
	struct bpfkit_prog *p = NULL;
	struct bpfkit_diag d;
	const char *name;
	char *text = NULL;
	size_t len = 0;
	int rc = parse_args(argc, argv, &a), err;

	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	name = a.expr ? "<command line>" : (!strcmp(a.file, "-") ? "<stdin>" : a.file);
	if (a.expr) {
		text = cli_expr_text(a.expr, &len);
		if (!text)
			return cli_fail("out of memory");
	} else if ((err = cli_read_file(a.file, &text, &len))) {
		return cli_fail("cannot read '%s': %s", a.file, strerror(-err));
	}
	err = bpfkit_asm(text, len, a.dialect, &p, &d);
	if (err) {
		cli_print_diag(name, text, len, &d);
		free(text);
		return EXIT_FAIL;
	}
	free(text);
	if (a.section && !(p->name = strdup(a.section))) {
		bpfkit_prog__free(p);
		return cli_fail("out of memory");
	}
	rc = emit(&a, p, name);
	bpfkit_prog__free(p);
	return rc;
}
