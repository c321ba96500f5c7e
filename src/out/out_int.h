/* SPDX-License-Identifier: MIT */
/*
 * Private to src/out/: the growable text buffer every printer renders into,
 * and the functions the output layer's files share (module prefix out_).
 *
 * Flow: bpfkit_out__map() (map_print.c) checks the map, sorts its entries
 * and hands each one to the value renderers (value.c) or the histogram
 * renderers (hist.c); JSON framing lives in json.c, printf formatting in
 * fmt.c. Everything is rendered into a struct out_sb and written with one
 * fwrite() by out_sb_flush().
 */
#ifndef BPFKIT_OUT_INT_H
#define BPFKIT_OUT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <bpfkit/out.h>

/* ---- Growable text buffer (value.c) --------------------------------------- */

/*
 * A string being built. Appending never fails: on allocation failure the
 * buffer turns "oom" and ignores further appends, and out_sb_flush() or
 * out_sb_take() report -ENOMEM. That keeps every renderer free of error
 * paths.
 */
struct out_sb {
	char *p;
	size_t len, cap;
	bool oom;
};

#define OUT_SB_INIT { NULL, 0, 0, false }

void out_sb_putn(struct out_sb *sb, const char *s, size_t n);
void out_sb_puts(struct out_sb *sb, const char *s);
void out_sb_putc(struct out_sb *sb, char c);
void out_sb_repeat(struct out_sb *sb, char c, size_t n);
void out_sb_printf(struct out_sb *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void out_sb_free(struct out_sb *sb);
/* Write the buffer to @f with one fwrite and free it: 0, -ENOMEM or -EIO. */
int out_sb_flush(struct out_sb *sb, FILE *f);
/* Hand over the NUL-terminated contents (or -ENOMEM, buffer freed). */
int out_sb_take(struct out_sb *sb, char **out, size_t *len);

/* ---- Values (value.c) ------------------------------------------------------ */

/* Check a value (kind, integer size, pointers, tuple depth): 0 or -EINVAL. */
int out_val_check(const struct bpfkit_out_val *v, struct bpfkit_diag *diag);
/* The integer read as its width and sign, widened to 64 bits. */
uint64_t out_int_bits(const struct bpfkit_out_val *v);
/* Length of a STR value: up to its first NUL or the end of its array. */
size_t out_str_len(const struct bpfkit_out_val *v);

/* An integer in decimal, divided by @div, read as signed if @sign. */
void out_int_text(struct out_sb *sb, const struct bpfkit_out_val *v, uint32_t div, bool sign);
/* A value as bpftrace's text output prints it; integers divided by @div. */
void out_val_text(struct out_sb *sb, const struct bpfkit_out_val *v, uint32_t div);
/* A map-key part as bpftrace prints it (64-bit integers always signed). */
void out_key_part_text(struct out_sb *sb, const struct bpfkit_out_val *v);
/* A buffer with printable ASCII kept (@keep_ascii) and \xNN for the rest. */
void out_buf_hex(struct out_sb *sb, const char *data, size_t len, bool keep_ascii);

/* Key orders: bpftrace's sort_by_key() and its raw-byte std::map order. */
int out_key_cmp(const struct bpfkit_out_val *a, const struct bpfkit_out_val *b, size_t nkeys,
		bool probes_in_place);
int out_key_cmp_raw(const struct bpfkit_out_val *a, const struct bpfkit_out_val *b, size_t nkeys);

/* "@name" or "@name[k1, k2]" (text) */
void out_key_text(struct out_sb *sb, const struct bpfkit_out_map *m,
		  const struct bpfkit_out_entry *e);

/* ---- Stacks and symbols (stack.c) -------------------------------------------- */

/* ksym(): the symbol's name, or "0x..." */
void out_ksym_text(struct out_sb *sb, const struct bpfkit_out_val *v);
/* A stack: "\n", then a line per frame, bpftrace-mode frames indented by @indent. */
void out_stack_text(struct out_sb *sb, const struct bpfkit_out_val *v, unsigned indent);
/* Whether -f folded prints @m folded: every key holds a stack, values are integers. */
bool out_map_foldable(const struct bpfkit_out_map *m);
/* The folded lines of a foldable map, entries in @order. */
void out_map_folded(struct out_sb *sb, const struct bpfkit_out_map *m, const size_t *order, size_t n,
		    uint32_t div);

/* ---- Histograms (hist.c) ----------------------------------------------------- */

/* The body of one hist()/lhist() value: text lines, or a JSON array. */
void out_hist_text(struct out_sb *sb, const uint64_t *b, size_t n, uint32_t div);
void out_hist_json(struct out_sb *sb, const uint64_t *b, size_t n, uint32_t div);
void out_lhist_text(struct out_sb *sb, const uint64_t *b, size_t n, int64_t min, int64_t max,
		    int64_t step);
void out_lhist_json(struct out_sb *sb, const uint64_t *b, size_t n, int64_t min, int64_t max,
		    int64_t step);
/* Sum of an entry's buckets (wrapping, as bpftrace's sort key does). */
uint64_t out_hist_total(const struct bpfkit_out_entry *e);

/* ---- Maps (map_print.c) and JSON framing (json.c) --------------------------- */

/* Entry average of an avg()/stats() entry (0 when count is 0). */
int64_t out_entry_avg(const struct bpfkit_out_entry *e);
/* Render the whole map (entries in @order, @n of them) as JSON lines. */
void out_map_json(struct out_sb *sb, const struct bpfkit_out_map *m, const size_t *order,
		  size_t n, uint32_t div);
/* bpftrace 0.17's json_escape(), byte for byte (see docs/out.md). */
void out_json_escape(struct out_sb *sb, const char *s, size_t len);
/* A value as JSON: integers bare, strings and buffers quoted, tuples [a,b]. */
void out_val_json(struct out_sb *sb, const struct bpfkit_out_val *v, uint32_t div);
/* "\"k1,k2\"" (JSON; nothing when the map has no keys) */
void out_key_json(struct out_sb *sb, const struct bpfkit_out_map *m,
		  const struct bpfkit_out_entry *e);
/* JSON forms of the small messages. */
void out_json_message(struct out_sb *sb, enum bpfkit_out_msg type, const char *text, size_t len);
void out_json_counter(struct out_sb *sb, const char *type, const char *field, uint64_t n);
void out_json_value(struct out_sb *sb, const struct bpfkit_out_val *v);

/* ---- XML text (flamegraph.c) ------------------------------------------------ */

/* @len bytes as XML character data or an attribute value: & < > " ' as
 * entities, bytes that are no valid UTF-8 or no XML 1.0 character (controls
 * but tab, U+FFFE, U+FFFF) as U+FFFD. At most @maxchars characters (a
 * malformed byte counts as one); returns whether the text was cut. */
bool out_xml_escape(struct out_sb *sb, const char *s, size_t len, size_t maxchars);

#endif /* BPFKIT_OUT_INT_H */
