/* SPDX-License-Identifier: MIT */
/*
 * Shared by the CLI's subcommand files (cmd_*.c): option state, dispatch
 * with unambiguous prefixes (bpftool style), errors and file reading. The CLI
 * is the only layer that prints to the terminal or decides exit codes.
 *
 * Exit codes: 0 ok, 1 failure, 2 usage error. Help goes to stdout.
 */
#ifndef BPFKIT_CLI_H
#define BPFKIT_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <bpfkit/isa.h>

#define EXIT_OK 0
#define EXIT_FAIL 1
#define EXIT_USAGE 2

/* Global options, set by main.c before a subcommand runs. */
struct cli_opts {
	bool json; /* -j/--json: data and errors as JSON */
	bool pretty; /* -p/--pretty: indented JSON (implies json) */
	bool color; /* stderr is a terminal and NO_COLOR is unset */
	bool no_warnings; /* trace --no-warnings: cli_warn() and compiler warnings say nothing */
};
extern struct cli_opts cli;
extern const char *cli_progname;
/* "0.1.0": `bpfkit version` prints "bpfkit 0.1.0", `bpfkit trace --version`
 * "bpfkit v0.1.0" (bpftrace's "bpftrace v0.17.0") */
extern const char *const cli_version;

/* A subcommand: `bpfkit OBJECT COMMAND`. fn gets argv starting at its own
 * name (argv[0] == "run"), so getopt_long works as usual inside it. */
struct cli_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary; /* one line for `help` */
};

/* Run the command in @p cmds whose name @p argv[0] is an unambiguous prefix
 * of; `help` (or no command) prints the list for @p object, and `help` after
 * a command is its --help. */
int cli_dispatch(const char *object, const struct cli_cmd *cmds, int argc, char **argv);

/*
 * JSON mode (-j, -p, trace -f json): errors are JSON objects, one per line,
 * on stdout (bpftool's {"error":"..."}), and so are the notes that follow
 * them; warnings are {"warning":"..."} on stderr. The stream for @p key
 * ("error", "note", "warning").
 */
FILE *cli_json_stream(const char *key);

/* Print "bpfkit: error: ..." to stderr (a JSON error object in JSON mode)
 * and return EXIT_FAIL / EXIT_USAGE for `return cli_fail(...)`. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "bpfkit: warning: ..." (or {"warning": ...} in JSON mode) on stderr. */
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "note: ..." on stderr after an error, more about it; {"note": ...} in JSON mode. */
void cli_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * The default case of a command's getopt loop (cli_dispatch turns getopt's
 * own messages off): a usage error naming the option that is unknown, lacks
 * its argument or has one it does not take. @p optstring is the one given
 * to getopt_long, @p cmd the command's words ("asm", "vm run") for the hint.
 */
int cli_bad_option(int argc, char **argv, const char *optstring, const char *cmd);

/*
 * Print a diagnostic like a compiler: "file:line:col: error: msg", then the
 * source line and a caret under the offending token when @p src is given and
 * @p d has a line; "file: insn N: error: msg" when it has an instruction
 * index instead. In JSON mode, one JSON error object.
 */
void cli_print_diag(const char *file, const char *src, size_t src_len, const struct bpfkit_diag *d);

/* A diagnostic of the tracing language's compiler, as bpfkit_lang_diag_format()
 * prints it, or as a JSON object in JSON mode (see cli_json_stream()). */
struct bpfkit_lang_diag;
void cli_print_lang_diag(const struct bpfkit_lang_diag *d, const char *src, size_t len);

/* Read a whole file ("-" is stdin) into a NUL-terminated malloc'd buffer.
 * Returns 0 or a negative errno; *len excludes the terminating NUL. */
int cli_read_file(const char *path, char **buf, size_t *len);

/* -D/--dialect: "conf", "kern" or "auto"; a usage error (EXIT_USAGE) otherwise. */
int cli_parse_dialect(const char *s, enum bpfkit_dialect *d);

/* -e TEXT as assembler text: ';' separates lines outside comments. Returns
 * a malloc'd copy (NULL when out of memory) and its length in *len. */
char *cli_expr_text(const char *e, size_t *len);

/* Parse a hex byte string ("de ad be ef", "0xdead", "dead") into bytes. */
int cli_parse_hex_bytes(const char *s, unsigned char **out, size_t *len);

/* Write @p s as a quoted, escaped JSON string. */
void json_fputs_escaped(FILE *f, const char *s);

/* Minimal JSON writer for -j output, indenting when cli.pretty is set. */
struct json_w;
struct json_w *json_w_new(FILE *f);
void json_w_free(struct json_w *w); /* ends with a newline */
void json_w_obj_begin(struct json_w *w);
void json_w_obj_end(struct json_w *w);
void json_w_arr_begin(struct json_w *w);
void json_w_arr_end(struct json_w *w);
void json_w_key(struct json_w *w, const char *key);
void json_w_str(struct json_w *w, const char *s);
void json_w_int(struct json_w *w, long long v);
void json_w_uint(struct json_w *w, unsigned long long v);
void json_w_bool(struct json_w *w, bool v);
void json_w_null(struct json_w *w);

/* Subcommand objects, one file each. */
int cmd_asm(int argc, char **argv);
int cmd_disasm(int argc, char **argv);
int cmd_vm(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_flamegraph(int argc, char **argv);
int cmd_filter(int argc, char **argv);

/* vm_maps.c: the maps of @p vm as bpftool's map dump prints them, each
 * after a header line; with @p w, a "maps" key and array of them. */
struct bpfkit_vm;
void vm_print_maps(struct bpfkit_vm *vm, struct json_w *w);

#endif
