// SPDX-License-Identifier: MIT
/*
 * The kernel's BTF, read in place: the raw tracepoints of a kernel are the
 * typedefs it calls btf_trace_<name>, its traceable functions are its FUNC
 * types, feature tests need the id of one such type, and the compiler's C
 * types (btf_types.c) are its structs, unions, enums and typedefs.
 *
 * libbpf's btf__parse() does far more (an index by name over every type,
 * dedup support) and takes ~17 ms and ~10 MB on a 5 MB vmlinux BTF;
 * checking the blob takes one walk of the type section, under 1 ms, which
 * keeps `trace -l` fast. Lookups by id walk too, until kbtf_index() builds
 * an array of record offsets. Everything read from the blob is bounds
 * checked once, by kbtf_parse(), so a damaged file is an error, not a crash.
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

/* Bytes of the record at @p rec, which count_types() has checked. */
static size_t rec_size(const uint8_t *rec)
{
	uint32_t info = rd32(rec + 4);

	return BTF_TYPE_SIZE + (size_t)extra_size((info >> 24) & 0x1f, info & 0xffff);
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
	free(b->offs_);
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
		off += rec_size(b->types + off);
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

int kbtf_index(struct kbtf *b)
{
	size_t off = 0;

	if (b->offs_ || !b->ntypes)
		return 0;
	if (b->types_len > UINT32_MAX)
		return -EINVAL;
	b->offs_ = malloc((size_t)b->ntypes * sizeof(*b->offs_));
	if (!b->offs_)
		return -ENOMEM;
	for (uint32_t i = 0; i < b->ntypes; i++) {
		b->offs_[i] = (uint32_t)off;
		off += rec_size(b->types + off);
	}
	return 0;
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
	if (b->offs_)
		return b->types + b->offs_[id - b->first_id];
	for (cur = b->first_id; off < b->types_len; cur++) {
		if (cur == id)
			return b->types + off;
		off += rec_size(b->types + off);
	}
	return NULL;
}

uint32_t kbtf_end_id(const struct kbtf *b)
{
	return b->first_id + b->ntypes;
}

int kbtf_type(const struct kbtf *b, uint32_t id, struct kbtf_type *t)
{
	const uint8_t *r = id ? type_at(b, id) : NULL;
	uint32_t info;

	if (!r)
		return -ENOENT;
	info = rd32(r + 4);
	t->kind = (info >> 24) & 0x1f;
	t->vlen = info & 0xffff;
	t->kflag = info >> 31;
	t->name = name_at(b, rd32(r));
	t->size_type = rd32(r + 8);
	t->rec_ = r;
	t->b_ = b;
	return 0;
}

void kbtf_memb(const struct kbtf_type *t, uint32_t i, struct kbtf_memb *m)
{
	const uint8_t *r = t->rec_ + BTF_TYPE_SIZE + 12u * i;
	uint32_t off = rd32(r + 8);

	m->name = name_at(t->b_, rd32(r));
	m->type = rd32(r + 4);
	/* kind_flag: the bitfield's width is in the top 8 bits */
	m->bit_offset = t->kflag ? off & 0xffffff : off;
	m->bit_size = t->kflag ? off >> 24 : 0;
}

void kbtf_enumerator(const struct kbtf_type *t, uint32_t i, const char **name, int64_t *value)
{
	if (t->kind == KBTF_KIND_ENUM64) {
		const uint8_t *r = t->rec_ + BTF_TYPE_SIZE + 12u * i;

		*name = name_at(t->b_, rd32(r));
		*value = (int64_t)((uint64_t)rd32(r + 8) << 32 | rd32(r + 4));
	} else {
		const uint8_t *r = t->rec_ + BTF_TYPE_SIZE + 8u * i;
		uint32_t v = rd32(r + 4);

		*name = name_at(t->b_, rd32(r));
		*value = t->kflag ? (int64_t)(int32_t)v : (int64_t)v;
	}
}

void kbtf_array(const struct kbtf_type *t, uint32_t *elem, uint32_t *nelems)
{
	*elem = rd32(t->rec_ + BTF_TYPE_SIZE);
	*nelems = rd32(t->rec_ + BTF_TYPE_SIZE + 8);
}

bool kbtf_int_signed(const struct kbtf_type *t)
{
	return (rd32(t->rec_ + BTF_TYPE_SIZE) >> 24) & 1; /* BTF_INT_SIGNED */
}

uint32_t kbtf_size(const struct kbtf *b, uint32_t id)
{
	uint64_t mult = 1;

	/* a chain longer than 32 links is a loop or damage: no size */
	for (int depth = 0; depth < 32; depth++) {
		struct kbtf_type t;
		uint32_t elem, n;

		if (kbtf_type(b, id, &t))
			return 0;
		switch (t.kind) {
		case KBTF_KIND_INT:
		case KBTF_KIND_STRUCT:
		case KBTF_KIND_UNION:
		case KBTF_KIND_ENUM:
		case KBTF_KIND_ENUM64:
		case KBTF_KIND_FLOAT:
			mult *= t.size_type;
			return mult <= UINT32_MAX ? (uint32_t)mult : 0;
		case KBTF_KIND_PTR:
			mult *= 8;
			return mult <= UINT32_MAX ? (uint32_t)mult : 0;
		case KBTF_KIND_ARRAY:
			kbtf_array(&t, &elem, &n);
			mult *= n; /* both factors stay <= UINT32_MAX: no overflow */
			if (mult > UINT32_MAX)
				return 0;
			if (!mult)
				return 0;
			id = elem;
			break;
		case KBTF_KIND_TYPEDEF:
		case KBTF_KIND_VOLATILE:
		case KBTF_KIND_CONST:
		case KBTF_KIND_RESTRICT:
		case KBTF_KIND_TYPE_TAG:
			id = t.size_type;
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
	int id = kbtf_find(b, KBTF_KIND_STRUCT, sname);
	struct kbtf_type t;

	if (id < 0)
		return id;
	if (kbtf_type(b, (uint32_t)id, &t))
		return -ENOENT;
	for (uint32_t i = 0; i < t.vlen; i++) {
		struct kbtf_memb m;

		kbtf_memb(&t, i, &m);
		if (strcmp(m.name, member))
			continue;
		if (m.bit_size || m.bit_offset % 8)
			return -EINVAL;
		*off = m.bit_offset / 8;
		*size = kbtf_size(b, m.type);
		return 0;
	}
	return -ENOENT;
}
