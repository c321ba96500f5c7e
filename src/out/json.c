// SPDX-License-Identifier: MIT
/*
 * bpftrace's `-f json` output (its JsonOutput class): one object per line,
 * always `{"type": "<type>", "data": <data>}` with a space after every colon
 * and comma of the frame, but none inside tuples ([1,"a"]) and none in
 * joined keys ("1,a"). The types we print:
 *
 *   map      {"type": "map", "data": {"@m": {"k": v, "k2": v2}}}  keyed
 *            {"type": "map", "data": {"@x": 5}}                    scalar
 *   stats    avg():   {"@a": {"k": 4}};  stats(): {"@s": {"count": 3,
 *            "average": 5, "total": 15}} (under the key when keyed)
 *   hist     {"@h": [{"min": 4, "max": 7, "count": 2}, ...]} for hist and lhist
 *   value    {"type": "value", "data": 5}           print() of a non-map value
 *   printf, time, cat, join, syscall   {"type": "printf", "data": "text"}
 *   attached_probes {"data": {"probes": N}}, lost_events {"data": {"events": N}}
 *
 * An empty map prints nothing at all. Strings are escaped as bpftrace 0.17's
 * json_escape() does, quirks included (out_json_escape()).
 */
#include <inttypes.h>
#include <string.h>

#include "out/out_int.h"

/* ---- Strings, values and keys ------------------------------------------------------- */

/*
 * bpftrace 0.17's JsonOutput::json_escape(): quote, backslash, \n, \r and \t
 * get their short escapes; every other byte whose (signed) char value is at
 * most 0x1f, which includes all bytes from 0x80 up, becomes "\u" and the
 * int printed in hex, padded to 4 digits: 0x01 -> \u0001, 0xc3 -> \uffffffc3.
 * The second form is not valid JSON; we keep it so output matches byte for
 * byte (docs/out.md).
 */
void out_json_escape(struct out_sb *sb, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		signed char c = (signed char)s[i];

		switch (c) {
		case '"':
			out_sb_puts(sb, "\\\"");
			break;
		case '\\':
			out_sb_puts(sb, "\\\\");
			break;
		case '\n':
			out_sb_puts(sb, "\\n");
			break;
		case '\r':
			out_sb_puts(sb, "\\r");
			break;
		case '\t':
			out_sb_puts(sb, "\\t");
			break;
		default:
			if (c <= 0x1f)
				out_sb_printf(sb, "\\u%04x", (unsigned)(int)c);
			else
				out_sb_putc(sb, (char)c);
		}
	}
}

/* A quoted JSON string of what out_val_text() would print for @v. */
static void json_quoted_text(struct out_sb *sb, const struct bpfkit_out_val *v)
{
	struct out_sb tmp = OUT_SB_INIT;

	out_val_text(&tmp, v, 1);
	if (tmp.oom)
		sb->oom = true;
	out_sb_putc(sb, '"');
	out_json_escape(sb, tmp.p ? tmp.p : "", tmp.len);
	out_sb_putc(sb, '"');
	out_sb_free(&tmp);
}

/* A value in JSON: integers bare, strings, probes and buffers quoted and escaped
 * (buffers as their \xNN text), timestamps bare and unescaped (bpftrace's
 * quirk: not valid JSON unless the text is a number), tuples as arrays
 * without spaces. */
void out_val_json(struct out_sb *sb, const struct bpfkit_out_val *v, uint32_t div)
{
	size_t i;

	switch (v->kind) {
	case BPFKIT_OUT_INT:
		out_int_text(sb, v, div, v->is_signed);
		break;
	case BPFKIT_OUT_STR:
	case BPFKIT_OUT_PROBE:
		out_sb_putc(sb, '"');
		out_json_escape(sb, v->s.data, out_str_len(v));
		out_sb_putc(sb, '"');
		break;
	case BPFKIT_OUT_BUF:
	case BPFKIT_OUT_KSYM:
	case BPFKIT_OUT_STACK:
		json_quoted_text(sb, v);
		break;
	case BPFKIT_OUT_TIMESTAMP:
		/* bpftrace 0.17 prints a timestamp's text bare: {"@t": 02:17} */
		out_sb_putn(sb, v->s.data, out_str_len(v));
		break;
	case BPFKIT_OUT_TUPLE:
		out_sb_putc(sb, '[');
		for (i = 0; i < v->t.n; i++) {
			if (i)
				out_sb_putc(sb, ',');
			out_val_json(sb, &v->t.elems[i], div);
		}
		out_sb_putc(sb, ']');
		break;
	}
}

/* JSON keys: the parts' text joined with "," and escaped as one string. */
void out_key_json(struct out_sb *sb, const struct bpfkit_out_map *m,
		  const struct bpfkit_out_entry *e)
{
	struct out_sb tmp = OUT_SB_INIT;
	size_t i;

	if (!m->nkeys)
		return;
	for (i = 0; i < m->nkeys; i++) {
		if (i)
			out_sb_putc(&tmp, ',');
		out_key_part_text(&tmp, &e->key[i]);
	}
	if (tmp.oom)
		sb->oom = true;
	out_sb_putc(sb, '"');
	out_json_escape(sb, tmp.p ? tmp.p : "", tmp.len);
	out_sb_putc(sb, '"');
	out_sb_free(&tmp);
}

/* ---- Lines -------------------------------------------------------------------------- */

static const char *const msg_names[] = {
	[BPFKIT_OUT_MSG_PRINTF] = "printf", [BPFKIT_OUT_MSG_TIME] = "time",
	[BPFKIT_OUT_MSG_CAT] = "cat",	    [BPFKIT_OUT_MSG_JOIN] = "join",
	[BPFKIT_OUT_MSG_SYSCALL] = "syscall",
};

static void frame_open(struct out_sb *sb, const char *type)
{
	out_sb_printf(sb, "{\"type\": \"%s\", \"data\": ", type);
}

/* The value part of one entry, per aggregation. */
static void entry_json(struct out_sb *sb, const struct bpfkit_out_map *m,
		       const struct bpfkit_out_entry *e, uint32_t div)
{
	switch (m->agg) {
	case BPFKIT_OUT_HIST:
		out_hist_json(sb, e->buckets, e->nbuckets, div);
		break;
	case BPFKIT_OUT_LHIST:
		out_lhist_json(sb, e->buckets, e->nbuckets, m->lmin, m->lmax, m->lstep);
		break;
	case BPFKIT_OUT_AVG:
		out_sb_printf(sb, "%" PRId64, out_entry_avg(e) / (int64_t)div);
		break;
	case BPFKIT_OUT_STATS:
		out_sb_printf(sb, "{\"count\": %" PRId64 ", \"average\": %" PRId64
				  ", \"total\": %" PRId64 "}",
			      e->count, out_entry_avg(e), e->total);
		break;
	default:
		out_val_json(sb, &e->value, div);
	}
}

/* One map as one line: {"type": T, "data": {"@m": V}} where V is the
 * value of a scalar map or an object of "key": value pairs. */
void out_map_json(struct out_sb *sb, const struct bpfkit_out_map *m, const size_t *order,
		  size_t n, uint32_t div)
{
	const char *type = "map";
	size_t i;

	if (!n)
		return;
	if (m->agg == BPFKIT_OUT_AVG || m->agg == BPFKIT_OUT_STATS)
		type = "stats";
	else if (m->agg == BPFKIT_OUT_HIST || m->agg == BPFKIT_OUT_LHIST)
		type = "hist";
	frame_open(sb, type);
	out_sb_puts(sb, "{\"");
	out_json_escape(sb, m->name, strlen(m->name));
	out_sb_puts(sb, "\": ");
	if (m->nkeys)
		out_sb_putc(sb, '{');
	for (i = 0; i < n; i++) {
		const struct bpfkit_out_entry *e = &m->entries[order[i]];

		if (i)
			out_sb_puts(sb, ", ");
		if (m->nkeys) {
			out_key_json(sb, m, e);
			out_sb_puts(sb, ": ");
		}
		entry_json(sb, m, e, div);
	}
	if (m->nkeys)
		out_sb_putc(sb, '}');
	out_sb_puts(sb, "}}\n");
}

void out_json_message(struct out_sb *sb, enum bpfkit_out_msg type, const char *text, size_t len)
{
	frame_open(sb, msg_names[type]);
	out_sb_putc(sb, '"');
	out_json_escape(sb, text ? text : "", len);
	out_sb_puts(sb, "\"}\n");
}

void out_json_counter(struct out_sb *sb, const char *type, const char *field, uint64_t n)
{
	frame_open(sb, type);
	out_sb_printf(sb, "{\"%s\": %" PRIu64 "}}\n", field, n);
}

void out_json_value(struct out_sb *sb, const struct bpfkit_out_val *v)
{
	frame_open(sb, "value");
	out_val_json(sb, v, 1);
	out_sb_puts(sb, "}\n");
}
