// SPDX-License-Identifier: MIT
/*
 * Just enough BTF to find names: the raw tracepoints of a kernel are the
 * typedefs it calls btf_trace_<name>, its traceable functions are its FUNC
 * types, and feature tests need the id of one such type.
 *
 * libbpf's btf__parse() does far more (an index over every type, dedup
 * support) and takes ~17 ms on a 5 MB vmlinux BTF; walking the type section
 * once for names takes under 1 ms, which keeps `trace -l` fast. Everything
 * read from the blob is bounds-checked, so a damaged file is an error, not
 * a crash.
 *
 * Format: include/uapi/linux/btf.h; a module's "split" BTF continues the
 * type ids and string offsets of the kernel's.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "kern/kern_int.h"

#define BTF_MAGIC 0xeB9F
#define BTF_TYPE_SIZE 12u /* name_off, info, size/type */

struct btf_hdr {
	uint16_t magic;
	uint8_t version;
	uint8_t flags;
	uint32_t hdr_len;
	uint32_t type_off, type_len;
	uint32_t str_off, str_len;
};

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/*
 * Bytes that follow the common 12-byte header of a type of @p kind with
 * @p vlen members; -1 for a kind this code does not know (the walk cannot
 * continue past it).
 */
static long extra_size(unsigned kind, uint32_t vlen)
{
	switch (kind) {
	case 1: /* INT */
	case 14: /* VAR */
	case 17: /* DECL_TAG */
		return 4;
	case 2: /* PTR */
	case 7: /* FWD */
	case 8: /* TYPEDEF */
	case 9: /* VOLATILE */
	case 10: /* CONST */
	case 11: /* RESTRICT */
	case 12: /* FUNC */
	case 16: /* FLOAT */
	case 18: /* TYPE_TAG */
		return 0;
	case 3: /* ARRAY */
		return 12;
	case 4: /* STRUCT */
	case 5: /* UNION */
	case 15: /* DATASEC */
	case 19: /* ENUM64 */
		return 12L * vlen;
	case 6: /* ENUM */
	case 13: /* FUNC_PROTO */
		return 8L * vlen;
	default:
		return -1;
	}
}

/* Walk the types once: every record must fit, every kind must be known. */
static int count_types(struct kbtf *b)
{
	size_t off = 0;
	uint32_t n = 0;

	while (off < b->types_len) {
		uint32_t info;
		long extra;

		if (b->types_len - off < BTF_TYPE_SIZE)
			return -EINVAL;
		info = rd32(b->types + off + 4);
		extra = extra_size((info >> 24) & 0x1f, info & 0xffff);
		if (extra < 0 || (size_t)extra > b->types_len - off - BTF_TYPE_SIZE)
			return -EINVAL;
		off += BTF_TYPE_SIZE + (size_t)extra;
		if (++n == UINT32_MAX)
			return -EINVAL;
	}
	b->ntypes = n;
	return 0;
}

/*
 * Check the header and sections of the BTF in @p data, which @p b takes
 * over (and frees, even on failure). A split BTF (a module's) needs
 * @p base, whose ids and strings it extends.
 */
static int parse_owned(struct kbtf *b, char *data, size_t len, const struct kbtf *base)
{
	struct btf_hdr h;
	uint64_t types_end, strs_end;
	int err;

	memset(b, 0, sizeof(*b));
	b->data_ = data;
	if (len < sizeof(h))
		goto bad;
	memcpy(&h, data, sizeof(h));
	if (h.magic != BTF_MAGIC || h.version != 1 || h.hdr_len < sizeof(h) || h.hdr_len > len)
		goto bad;
	types_end = (uint64_t)h.hdr_len + h.type_off + h.type_len;
	strs_end = (uint64_t)h.hdr_len + h.str_off + h.str_len;
	if (types_end > len || strs_end > len)
		goto bad;
	if (h.str_len && data[strs_end - 1] != '\0')
		goto bad;
	b->types = (const uint8_t *)data + h.hdr_len + h.type_off;
	b->types_len = h.type_len;
	b->strs = data + h.hdr_len + h.str_off;
	b->strs_len = h.str_len;
	b->base = base;
	b->first_id = 1;
	if (base) {
		if ((uint64_t)base->first_id + base->ntypes > UINT32_MAX ||
		    (uint64_t)base->str_base + base->strs_len > UINT32_MAX) {
			kbtf_release(b);
			return -EINVAL;
		}
		b->first_id = base->first_id + base->ntypes;
		b->str_base = base->str_base + (uint32_t)base->strs_len;
	}
	err = count_types(b);
	if (err)
		kbtf_release(b);
	return err;
bad:
	kbtf_release(b);
	return -EINVAL;
}

int kbtf_parse(struct kbtf *b, const void *data, size_t len, const struct kbtf *base)
{
	char *copy = malloc(len ? len : 1);

	memset(b, 0, sizeof(*b));
	if (!copy)
		return -ENOMEM;
	if (len)
		memcpy(copy, data, len);
	return parse_owned(b, copy, len, base);
}

int kbtf_load(struct kbtf *b, const char *path, const struct kbtf *base)
{
	size_t len;
	char *data;
	int err;

	memset(b, 0, sizeof(*b));
	err = kern_read_file(AT_FDCWD, path, KERN_MAX_FILE, &data, &len);
	if (err)
		return err;
	return parse_owned(b, data, len, base);
}

void kbtf_release(struct kbtf *b)
{
	if (!b)
		return;
	free(b->data_);
	memset(b, 0, sizeof(*b));
}

/* The string at @p off, looking through to the base for split BTF; "" if bad. */
static const char *name_at(const struct kbtf *b, uint32_t off)
{
	while (b && off < b->str_base)
		b = b->base;
	if (!b || off - b->str_base >= b->strs_len)
		return "";
	return b->strs + (off - b->str_base);
}

/* Visit the types of @p kind named @p prefix...; see kern_int.h. */
int kbtf_for_each(const struct kbtf *b, unsigned kind, const char *prefix,
		  int (*fn)(void *ctx, uint32_t id, const char *name), void *ctx)
{
	size_t off = 0, plen = strlen(prefix);
	uint32_t id = b->first_id;

	/* count_types() checked that every record fits */
	while (off < b->types_len) {
		uint32_t info = rd32(b->types + off + 4);
		unsigned k = (info >> 24) & 0x1f;

		if (k == kind) {
			const char *name = name_at(b, rd32(b->types + off));

			if (!strncmp(name, prefix, plen)) {
				int r = fn(ctx, id, name);

				if (r)
					return r;
			}
		}
		off += BTF_TYPE_SIZE + (size_t)extra_size(k, info & 0xffff);
		id++;
	}
	return 0;
}

struct find_ctx {
	const char *name;
	uint32_t id;
};

static int find_cb(void *ctx, uint32_t id, const char *name)
{
	struct find_ctx *c = ctx;

	if (strcmp(name, c->name))
		return 0;
	c->id = id;
	return 1;
}

int kbtf_find(const struct kbtf *b, unsigned kind, const char *name)
{
	struct find_ctx c = { name, 0 };

	if (kbtf_for_each(b, kind, name, find_cb, &c) && c.id <= INT32_MAX)
		return (int)c.id;
	return -ENOENT;
}

/* The record of type @p id (looking through to the base for split BTF), or NULL. */
static const uint8_t *type_at(const struct kbtf *b, uint32_t id)
{
	size_t off = 0;
	uint32_t cur;

	while (b && id < b->first_id)
		b = b->base;
	if (!b || id - b->first_id >= b->ntypes)
		return NULL;
	/* count_types() checked that every record fits */
	for (cur = b->first_id; off < b->types_len; cur++) {
		uint32_t info = rd32(b->types + off + 4);

		if (cur == id)
			return b->types + off;
		off += BTF_TYPE_SIZE + (size_t)extra_size((info >> 24) & 0x1f, info & 0xffff);
	}
	return NULL;
}

/* Bytes of type @p id: INT, STRUCT, UNION, ENUM sizes, 8 for a pointer,
 * through typedefs and qualifiers; 0 when not known. */
static uint32_t type_size(const struct kbtf *b, uint32_t id)
{
	for (int depth = 0; depth < 32; depth++) {
		const uint8_t *t = type_at(b, id);
		unsigned kind;

		if (!t)
			return 0;
		kind = (rd32(t + 4) >> 24) & 0x1f;
		switch (kind) {
		case 1: /* INT */
		case 4: /* STRUCT */
		case 5: /* UNION */
		case 6: /* ENUM */
		case 19: /* ENUM64 */
			return rd32(t + 8);
		case 2: /* PTR */
			return 8;
		case 8: /* TYPEDEF */
		case 9: /* VOLATILE */
		case 10: /* CONST */
		case 11: /* RESTRICT */
		case 18: /* TYPE_TAG */
			id = rd32(t + 8);
			break;
		default:
			return 0;
		}
	}
	return 0;
}

/* Offset and size of member @p member of the struct named @p sname; see kern_int.h. */
int kbtf_member(const struct kbtf *b, const char *sname, const char *member, uint32_t *off, uint32_t *size)
{
	int id = kbtf_find(b, 4 /* STRUCT */, sname);
	const uint8_t *t;
	uint32_t info, vlen;

	if (id < 0)
		return id;
	t = type_at(b, (uint32_t)id);
	if (!t)
		return -ENOENT;
	info = rd32(t + 4);
	vlen = info & 0xffff;
	for (uint32_t i = 0; i < vlen; i++) {
		const uint8_t *m = t + BTF_TYPE_SIZE + 12u * i;
		uint32_t moff = rd32(m + 8), bits = moff;

		if (strcmp(name_at(b, rd32(m)), member))
			continue;
		if (info >> 31) { /* kind_flag: bitfield size in the top 8 bits */
			if (moff >> 24)
				return -EINVAL;
			bits = moff & 0xffffff;
		}
		if (bits % 8)
			return -EINVAL;
		*off = bits / 8;
		*size = type_size(b, rd32(m + 4));
		return 0;
	}
	return -ENOENT;
}
