// SPDX-License-Identifier: MIT
/*
 * Tracepoint format files: TRACEFS/events/SUBSYS/EVENT/format.
 *
 *   name: sched_switch
 *   ID: 372
 *   format:
 *   	field:unsigned short common_type;	offset:0;	size:2;	signed:0;
 *   	...
 *   	field:char prev_comm[16];	offset:8;	size:16;	signed:0;
 *   	field:__data_loc char[] filename;	offset:8;	size:4;	signed:0;
 *
 *   print fmt: "prev_comm=%s ...", REC->prev_comm, ...
 *
 * The kernel writes these (kernel/trace/trace_events.c, f_show()); they are
 * ABI, but old kernels differ in details: arrays whose length is a macro
 * ("char comm[TASK_COMM_LEN]"), "field special:", no "signed:". The parser
 * accepts those and refuses anything else with the file, line and column,
 * and no input can make it crash: it works on counted bytes and checks every
 * number it reads.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kern/kern_int.h"

/* Most fields a format may have: a record fits in a ring buffer page, so
 * real ones have a few dozen; the limit keeps the duplicate check cheap. */
#define MAX_FIELDS 4096

/* A field while parsing: strings are offsets into the parser's buffer. */
struct tmp_field {
	struct bpfkit_tp_field f;
	size_t decl, name, type;
};

struct parser {
	const char *file;
	struct bpfkit_diag *diag;
	int line; /* current line, 1-based */
	const char *lstart; /* its first byte, for columns */
	struct kbuf strs;
	struct tmp_field *fields;
	size_t nfields, cap;
	size_t name, print_fmt; /* offsets in strs, valid when has_* */
	bool has_name, has_print, has_format;
	uint32_t id;
	bool has_id;
};

/* Report an error at @p at (a pointer into the current line). */
static int perr(struct parser *p, const char *at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int perr(struct parser *p, const char *at, const char *fmt, ...)
{
	char msg[200];
	va_list ap;
	int col = at ? (int)(at - p->lstart) + 1 : 1;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (p->diag) {
		bpfkit_diag__set(p->diag, -EINVAL, "%s:%d:%d: %s", p->file, p->line, col, msg);
		p->diag->line = p->line;
		p->diag->col = col;
		p->diag->len = 1;
	}
	return -EINVAL;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_ident(char c, bool first)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && c >= '0' && c <= '9');
}

static const char *skip_space(const char *s, const char *end)
{
	while (s < end && is_space(*s))
		s++;
	return s;
}

static const char *trim_end(const char *s, const char *end)
{
	while (end > s && is_space(end[-1]))
		end--;
	return end;
}

/* Whether [s, end) starts with the NUL-terminated @p word. */
static bool starts_with(const char *s, const char *end, const char *word)
{
	size_t n = strlen(word);

	return (size_t)(end - s) >= n && !memcmp(s, word, n);
}

static bool equals(const char *s, const char *end, const char *word)
{
	return (size_t)(end - s) == strlen(word) && !memcmp(s, word, (size_t)(end - s));
}

/* A decimal u32 filling [s, end) exactly. */
static bool parse_u32(const char *s, const char *end, uint32_t *out)
{
	uint64_t v = 0;

	if (s == end)
		return false;
	for (; s < end; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > UINT32_MAX)
			return false;
	}
	*out = (uint32_t)v;
	return true;
}

/* Size in bytes of a C base type as tracepoints write them; 0 if unknown. */
static uint32_t base_type_size(const char *t)
{
	static const struct {
		const char *name;
		uint32_t size;
	} types[] = {
		{ "char", 1 },	       { "signed char", 1 },	 { "unsigned char", 1 },
		{ "const char", 1 },   { "u8", 1 },		 { "s8", 1 },
		{ "__u8", 1 },	       { "__s8", 1 },		 { "uint8_t", 1 },
		{ "int8_t", 1 },       { "bool", 1 },		 { "_Bool", 1 },
		{ "short", 2 },	       { "unsigned short", 2 }, { "u16", 2 },
		{ "s16", 2 },	       { "__u16", 2 },		 { "__s16", 2 },
		{ "uint16_t", 2 },     { "int16_t", 2 },	 { "__le16", 2 },
		{ "__be16", 2 },       { "int", 4 },		 { "unsigned int", 4 },
		{ "unsigned", 4 },     { "u32", 4 },		 { "s32", 4 },
		{ "__u32", 4 },	       { "__s32", 4 },		 { "uint32_t", 4 },
		{ "int32_t", 4 },      { "__le32", 4 },		 { "__be32", 4 },
		{ "long long", 8 },    { "unsigned long long", 8 }, { "u64", 8 },
		{ "s64", 8 },	       { "__u64", 8 },		 { "__s64", 8 },
		{ "uint64_t", 8 },     { "int64_t", 8 },	 { "__le64", 8 },
		{ "__be64", 8 },       { "long", sizeof(long) }, { "unsigned long", sizeof(long) },
		{ "size_t", sizeof(size_t) }, { "loff_t", 8 },
	};

	if (strchr(t, '*'))
		return sizeof(void *);
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcmp(t, types[i].name))
			return types[i].size;
	return 0;
}

static bool is_char_type(const char *t)
{
	return !strcmp(t, "char") || !strcmp(t, "const char");
}

/* Record the string [s, end) and return its offset. */
static size_t save(struct parser *p, const char *s, const char *end)
{
	return kbuf_add_str(&p->strs, s, (size_t)(end - s));
}

/*
 * Split a declaration into type, name and array suffix, and decide the kind:
 *   "const char * filename"        PTR, type "const char *"
 *   "char prev_comm[16]"           ARRAY of 16, type "char"
 *   "char comm[TASK_COMM_LEN]"     ARRAY, length from size / sizeof(char)
 *   "u32 buf[]"                    ARRAY, flexible
 *   "__data_loc char[] filename"   DATA_LOC, type "char"
 * Called after offset and size are known, to work out lengths.
 */
static int parse_decl(struct parser *p, const char *d, const char *dend, struct tmp_field *tf)
{
	struct bpfkit_tp_field *f = &tf->f;
	const char *name_end = dend, *name, *type_end, *suffix = NULL, *suffix_end = NULL;
	const char *type = d;
	char tbuf[256];
	bool has_len = false;
	uint32_t len = 0;

	if (d == dend)
		return perr(p, d, "empty field declaration");
	if (dend[-1] == ']') {
		const char *open = dend - 1;

		while (open > d && *open != '[')
			open--;
		if (*open != '[')
			return perr(p, dend - 1, "']' without '[' in field declaration");
		suffix = open + 1;
		suffix_end = dend - 1;
		name_end = trim_end(d, open);
		has_len = parse_u32(suffix, suffix_end, &len);
		if (!has_len && suffix != suffix_end && !is_ident(*suffix, true))
			return perr(p, suffix, "bad array length '%.*s'", (int)(suffix_end - suffix), suffix);
	}
	name = name_end;
	while (name > d && is_ident(name[-1], false))
		name--;
	if (name == name_end || !is_ident(*name, true))
		return perr(p, name_end > d ? name_end - 1 : d, "no field name at the end of '%.*s'",
			    (int)(dend - d), d);
	type_end = trim_end(d, name);
	if (type_end == d)
		return perr(p, d, "field '%.*s' has no type", (int)(name_end - name), name);
	f->kind = BPFKIT_TP_INT;
	if (starts_with(d, type_end, "__data_loc") || starts_with(d, type_end, "__rel_loc")) {
		bool rel = d[2] == 'r';

		f->kind = rel ? BPFKIT_TP_REL_LOC : BPFKIT_TP_DATA_LOC;
		type = skip_space(d + (rel ? 9 : 10), type_end);
		if (type == d + (rel ? 9 : 10) && type != type_end)
			return perr(p, d, "expected a space after '%s'", rel ? "__rel_loc" : "__data_loc");
		if (type_end - type >= 2 && type_end[-2] == '[' && type_end[-1] == ']')
			type_end = trim_end(type, type_end - 2);
		if (type == type_end)
			return perr(p, d, "'%s' without an element type", rel ? "__rel_loc" : "__data_loc");
		if (f->size != 4)
			return perr(p, d, "'%.*s' has size %u; a %s is 4 bytes", (int)(name_end - name), name,
				    f->size, rel ? "__rel_loc" : "__data_loc");
	} else if (suffix) {
		f->kind = BPFKIT_TP_ARRAY;
	} else if (memchr(d, '*', (size_t)(type_end - d))) {
		f->kind = BPFKIT_TP_PTR;
	} else if (starts_with(d, type_end, "struct ") || starts_with(d, type_end, "union ") ||
		   (f->size != 1 && f->size != 2 && f->size != 4 && f->size != 8)) {
		f->kind = BPFKIT_TP_BLOB;
	}
	tf->decl = save(p, d, dend);
	tf->name = save(p, name, name_end);
	tf->type = save(p, type, type_end);
	if (p->strs.oom)
		return -ENOMEM;
	snprintf(tbuf, sizeof(tbuf), "%.*s", (int)(type_end - type), type);
	if (f->kind == BPFKIT_TP_ARRAY) {
		/* lengths and element sizes only where they agree with size */
		if (has_len) {
			f->array_len = len;
			f->elem_size = len && f->size % len == 0 ? f->size / len : 0;
		} else {
			f->elem_size = base_type_size(tbuf);
			if (f->elem_size && suffix != suffix_end && f->size % f->elem_size == 0)
				f->array_len = f->size / f->elem_size; /* a macro: [TASK_COMM_LEN] */
		}
		f->is_string = is_char_type(tbuf);
	} else if (f->kind == BPFKIT_TP_DATA_LOC || f->kind == BPFKIT_TP_REL_LOC) {
		f->elem_size = base_type_size(tbuf);
		f->is_string = is_char_type(tbuf);
	}
	f->common = (size_t)(name_end - name) >= 7 && !memcmp(name, "common_", 7);
	return 0;
}

/*
 * The attributes after the declaration: "offset:N; size:N; signed:N;" in any
 * order. offset and size are required, signed defaults to 0 (kernels before
 * 2.6.32 did not write it), unknown keys are skipped for newer kernels.
 */
static int parse_attrs(struct parser *p, const char *s, const char *end, struct bpfkit_tp_field *f)
{
	bool seen_off = false, seen_size = false, seen_signed = false;

	for (;;) {
		const char *key, *kend, *val, *semi;
		uint32_t v;

		s = skip_space(s, end);
		if (s == end)
			break;
		key = s;
		while (s < end && is_ident(*s, false))
			s++;
		kend = s;
		if (key == kend || s == end || *s != ':')
			return perr(p, key, "expected 'offset:', 'size:' or 'signed:'");
		val = s + 1;
		semi = memchr(val, ';', (size_t)(end - val));
		if (!semi)
			return perr(p, key, "'%.*s:' without a ';'", (int)(kend - key), key);
		s = semi + 1;
		if (!equals(key, kend, "offset") && !equals(key, kend, "size") && !equals(key, kend, "signed"))
			continue;
		val = skip_space(val, semi);
		if (!parse_u32(val, trim_end(val, semi), &v))
			return perr(p, val, "'%.*s' is not a number from 0 to 4294967295", (int)(semi - val), val);
		if (equals(key, kend, "offset")) {
			if (seen_off)
				return perr(p, key, "two offsets");
			seen_off = true;
			f->offset = v;
		} else if (equals(key, kend, "size")) {
			if (seen_size)
				return perr(p, key, "two sizes");
			seen_size = true;
			f->size = v;
		} else {
			if (seen_signed)
				return perr(p, key, "two 'signed:'");
			seen_signed = true;
			f->is_signed = v != 0;
		}
	}
	if (!seen_off || !seen_size)
		return perr(p, end, "field has no %s", seen_off ? "size" : "offset");
	if ((uint64_t)f->offset + f->size > UINT32_MAX)
		return perr(p, end, "offset %u + size %u is past 4 GiB", f->offset, f->size);
	return 0;
}

/* One "field:DECL;\toffset:N;\tsize:N;\tsigned:N;" line, from after "field:". */
static int parse_field(struct parser *p, const char *s, const char *end)
{
	struct tmp_field tf;
	const char *semi, *d, *dend;
	int err;

	memset(&tf, 0, sizeof(tf));
	tf.f.line = p->line;
	semi = memchr(s, ';', (size_t)(end - s));
	if (!semi)
		return perr(p, s, "field declaration without ';'");
	err = parse_attrs(p, semi + 1, end, &tf.f);
	if (err)
		return err;
	d = skip_space(s, semi);
	dend = trim_end(d, semi);
	err = parse_decl(p, d, dend, &tf);
	if (err)
		return err;
	for (size_t i = 0; i < p->nfields; i++)
		if (!strcmp(p->strs.p + p->fields[i].name, p->strs.p + tf.name))
			return perr(p, d, "field '%s' appears twice (first on line %d)", p->strs.p + tf.name,
				    p->fields[i].f.line);
	if (p->nfields == MAX_FIELDS)
		return perr(p, d, "more than %d fields", MAX_FIELDS);
	if (p->nfields == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		struct tmp_field *nf = realloc(p->fields, cap * sizeof(*nf));

		if (!nf)
			return -ENOMEM;
		p->fields = nf;
		p->cap = cap;
	}
	p->fields[p->nfields++] = tf;
	return 0;
}

/* A "key: value" header line; @p s is past the colon. */
static int parse_header(struct parser *p, const char *key, const char *s, const char *end)
{
	s = skip_space(s, end);
	end = trim_end(s, end);
	if (!strcmp(key, "name")) {
		if (p->has_name)
			return perr(p, p->lstart, "two 'name:' lines");
		if (s == end)
			return perr(p, s, "empty event name");
		p->has_name = true;
		p->name = save(p, s, end);
	} else if (!strcmp(key, "ID")) {
		if (p->has_id)
			return perr(p, p->lstart, "two 'ID:' lines");
		if (!parse_u32(s, end, &p->id))
			return perr(p, s, "ID '%.*s' is not a number from 0 to 4294967295", (int)(end - s), s);
		p->has_id = true;
	} else if (!strcmp(key, "format")) {
		if (p->has_format)
			return perr(p, p->lstart, "two 'format:' lines");
		if (s != end)
			return perr(p, s, "unexpected text after 'format:'");
		p->has_format = true;
	}
	return p->strs.oom ? -ENOMEM : 0;
}

/*
 * "print fmt:" is the last entry and runs to the end of the file: the
 * kernel prints the TP_printk() format as is, and a "\n" written in it
 * there (ext4_fc_stats has one) is a real newline in the file.
 */
static int parse_print_fmt(struct parser *p, const char *s, const char *end)
{
	const char *nul = memchr(s, '\0', (size_t)(end - s));

	if (nul) {
		for (const char *c = s; c < nul; c++)
			if (*c == '\n') {
				p->line++;
				p->lstart = c + 1;
			}
		return perr(p, nul, "NUL byte in a format file");
	}
	s = skip_space(s, end);
	while (end > s && (end[-1] == '\n' || end[-1] == '\r' || is_space(end[-1])))
		end--;
	p->has_print = true;
	p->print_fmt = save(p, s, end);
	return p->strs.oom ? -ENOMEM : 0;
}

/*
 * Classify one line (without its newline) and hand it on. Returns 1 when
 * the line starts "print fmt:", which takes the rest of the file.
 */
static int parse_line(struct parser *p, const char *s, const char *end)
{
	static const char *const headers[] = { "name", "ID", "format" };
	const char *nul = memchr(s, '\0', (size_t)(end - s));

	if (nul)
		return perr(p, nul, "NUL byte in a format file");
	if (end > s && end[-1] == '\r')
		end--;
	s = skip_space(s, end);
	if (s == end)
		return 0;
	if (starts_with(s, end, "print fmt:"))
		return 1;
	if (starts_with(s, end, "field:"))
		return parse_field(p, s + 6, end);
	if (starts_with(s, end, "field special:"))
		return parse_field(p, s + 14, end);
	for (size_t i = 0; i < sizeof(headers) / sizeof(headers[0]); i++) {
		size_t n = strlen(headers[i]);

		if (starts_with(s, end, headers[i]) && s + n < end && s[n] == ':')
			return parse_header(p, headers[i], s + n + 1, end);
	}
	return perr(p, s, "expected 'name:', 'ID:', 'format:', 'field:' or 'print fmt:'");
}

/*
 * Move the parse into one allocation: the struct, the fields, then the
 * strings, so a single free() releases a format.
 */
static struct bpfkit_tp_format *build(struct parser *p)
{
	struct bpfkit_tp_format *fmt;
	size_t file_len = strlen(p->file) + 1, size;
	char *strs;

	size = sizeof(*fmt) + p->nfields * sizeof(struct bpfkit_tp_field) + p->strs.len + file_len;
	fmt = calloc(1, size);
	if (!fmt)
		return NULL;
	fmt->fields = (struct bpfkit_tp_field *)(fmt + 1);
	strs = (char *)(fmt->fields + p->nfields);
	if (p->strs.len)
		memcpy(strs, p->strs.p, p->strs.len);
	memcpy(strs + p->strs.len, p->file, file_len);
	fmt->file = strs + p->strs.len;
	fmt->name = p->has_name ? strs + p->name : NULL;
	fmt->print_fmt = p->has_print ? strs + p->print_fmt : NULL;
	fmt->id = p->id;
	fmt->has_id = p->has_id;
	fmt->nfields = p->nfields;
	for (size_t i = 0; i < p->nfields; i++) {
		struct bpfkit_tp_field *f = &fmt->fields[i];
		uint32_t end;

		*f = p->fields[i].f;
		f->decl = strs + p->fields[i].decl;
		f->name = strs + p->fields[i].name;
		f->type = strs + p->fields[i].type;
		fmt->nargs += !f->common;
		end = f->offset + f->size; /* checked against overflow in parse_attrs() */
		if (end > fmt->record_size)
			fmt->record_size = end;
	}
	return fmt;
}

/* Parse the text line by line; see the top of the file for the shape. */
struct bpfkit_tp_format *bpfkit_tp_format__parse(const char *file, const char *text, size_t len,
						  struct bpfkit_diag *diag)
{
	struct parser p = { .file = file ? file : "format", .diag = diag };
	struct bpfkit_tp_format *fmt = NULL;
	const char *s = text, *end = text + len;
	int err = 0;

	bpfkit_diag__clear(diag);
	if (!text && len) {
		errno = EINVAL;
		return NULL;
	}
	while (!err && s && s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *lend = nl ? nl : end;

		p.line++;
		p.lstart = s;
		err = parse_line(&p, s, lend);
		if (err == 1) {
			err = parse_print_fmt(&p, memchr(s, ':', (size_t)(lend - s)) + 1, end);
			break;
		}
		s = nl ? nl + 1 : end;
	}
	if (!err && !p.nfields && !p.has_name) {
		p.line = p.line ? p.line : 1;
		p.lstart = NULL;
		err = perr(&p, NULL, "not a tracepoint format: no 'name:' line and no fields");
	}
	if (!err) {
		fmt = p.strs.oom ? NULL : build(&p);
		if (!fmt)
			err = bpfkit_diag__set(diag, -ENOMEM, "%s: out of memory", p.file);
	} else if (err == -ENOMEM) {
		bpfkit_diag__set(diag, -ENOMEM, "%s: out of memory", p.file);
	}
	free(p.fields);
	kbuf_release(&p.strs);
	if (!fmt)
		errno = -err;
	return fmt;
}

/* A tracepoint subsystem or event name: no path tricks. */
static bool good_name(const char *s)
{
	return s && *s && strcmp(s, ".") && strcmp(s, "..") && !strchr(s, '/');
}

/* Read TRACEFS/events/SYSTEM/EVENT/format, naming the tracepoint when it does not exist. */
struct bpfkit_tp_format *bpfkit_tp_format__load(const char *tracefs, const char *system, const char *event,
						 struct bpfkit_diag *diag)
{
	char root[PATH_MAX], path[PATH_MAX];
	struct bpfkit_tp_format *fmt;
	size_t len;
	char *text;
	int err;

	bpfkit_diag__clear(diag);
	if (!good_name(system) || !good_name(event)) {
		bpfkit_diag__set(diag, -EINVAL, "bad tracepoint name '%s:%s'", system ? system : "",
				 event ? event : "");
		errno = EINVAL;
		return NULL;
	}
	if (!tracefs) {
		err = kern_tracefs(root, sizeof(root), diag);
		if (err) {
			errno = -err;
			return NULL;
		}
		tracefs = root;
	}
	err = kern_path(path, sizeof(path), "%s/events/%s/%s/format", tracefs, system, event);
	if (!err)
		err = kern_read_file(AT_FDCWD, path, 1u << 24, &text, &len);
	if (err == -ENOENT) {
		bpfkit_diag__set(diag, err, "no tracepoint %s:%s (%s does not exist)", system, event, path);
	} else if (err) {
		kern_file_error(diag, err, "read", path);
	}
	if (err) {
		errno = -err;
		return NULL;
	}
	fmt = bpfkit_tp_format__parse(path, text, len, diag);
	err = errno;
	free(text);
	errno = err;
	return fmt;
}

void bpfkit_tp_format__free(struct bpfkit_tp_format *fmt)
{
	free(fmt);
}

const struct bpfkit_tp_field *bpfkit_tp_format__field(const struct bpfkit_tp_format *fmt, const char *name)
{
	if (!fmt || !name)
		return NULL;
	for (size_t i = 0; i < fmt->nfields; i++)
		if (!strcmp(fmt->fields[i].name, name))
			return &fmt->fields[i];
	return NULL;
}

const char *bpfkit_tp_kind_name(enum bpfkit_tp_kind kind)
{
	switch (kind) {
	case BPFKIT_TP_INT: return "int";
	case BPFKIT_TP_PTR: return "ptr";
	case BPFKIT_TP_ARRAY: return "array";
	case BPFKIT_TP_DATA_LOC: return "data_loc";
	case BPFKIT_TP_REL_LOC: return "rel_loc";
	case BPFKIT_TP_BLOB: return "blob";
	}
	return "unknown";
}
