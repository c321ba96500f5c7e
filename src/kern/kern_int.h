/* SPDX-License-Identifier: MIT */
/*
 * Private to src/kern: the helpers its files share. Nothing here is part of
 * the library's interface.
 */
#ifndef BPFKIT_KERN_INT_H
#define BPFKIT_KERN_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <bpfkit/kern.h>

/* ---- util.c: buffers, files, messages ------------------------------------------------ */

/* A growable byte buffer. After a failed allocation `oom` stays set and
 * further appends do nothing, so callers check once at the end. */
struct kbuf {
	char *p;
	size_t len, cap;
	bool oom;
};

/* Append @p n bytes of @p s and a NUL; return the offset they start at. */
size_t kbuf_add_str(struct kbuf *b, const char *s, size_t n);
/* Make room for @p n more bytes; false (and oom) when that fails. */
bool kbuf_reserve(struct kbuf *b, size_t n);
void kbuf_release(struct kbuf *b);

/* Largest file kern_read_file() reads (BTF of a big kernel is ~10 MB). */
#define KERN_MAX_FILE (256u << 20)

/*
 * Read a whole file into a NUL-terminated malloc'd buffer. sysfs and tracefs
 * files report size 0, so this reads until EOF. @p dirfd may be AT_FDCWD.
 * Returns 0 or a negative errno (-EFBIG above @p max bytes).
 */
int kern_read_file(int dirfd, const char *path, size_t max, char **out, size_t *len);

/* snprintf into @p buf; -ENAMETOOLONG when it does not fit. */
int kern_path(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A message for a failed file operation: "cannot read PATH: strerror",
 * with a hint for EACCES/EPERM (needs root). Returns @p err (negative). */
int kern_file_error(struct bpfkit_diag *d, int err, const char *what, const char *path);

/* Whether @p path exists (any type). */
bool kern_exists(const char *path);

/* The tracefs directory wherever the kern layer needs one (tracepoint
 * formats, ids, listings, feature probes): bpfkit_tracefs_find() with
 * BPFKIT_TRACEFS_MOUNT, so that a freshly booted machine, where nothing has
 * mounted it yet, works as root; without root @p d says what to run. */
int kern_tracefs(char *buf, size_t size, struct bpfkit_diag *d);

/* ---- glob.c ---------------------------------------------------------------------------- */

/* bpfkit_glob_match() on counted strings. */
bool glob_match_n(const char *p, size_t plen, const char *s, size_t slen);

/* ---- btf_scan.c: the kernel's BTF, read in place ---------------------------------------- */

/* BTF kinds (include/uapi/linux/btf.h). */
enum {
	KBTF_KIND_INT = 1,
	KBTF_KIND_PTR = 2,
	KBTF_KIND_ARRAY = 3,
	KBTF_KIND_STRUCT = 4,
	KBTF_KIND_UNION = 5,
	KBTF_KIND_ENUM = 6,
	KBTF_KIND_FWD = 7,
	KBTF_KIND_TYPEDEF = 8,
	KBTF_KIND_VOLATILE = 9,
	KBTF_KIND_CONST = 10,
	KBTF_KIND_RESTRICT = 11,
	KBTF_KIND_FUNC = 12,
	KBTF_KIND_FUNC_PROTO = 13,
	KBTF_KIND_FLOAT = 16,
	KBTF_KIND_TYPE_TAG = 18,
	KBTF_KIND_ENUM64 = 19,
};

/*
 * A raw BTF blob: the kernel's (/sys/kernel/btf/vmlinux) or a module's,
 * whose type ids and string offsets continue those of its base.
 */
struct kbtf {
	const uint8_t *types; /* the type section */
	size_t types_len;
	const char *strs; /* the string section */
	size_t strs_len;
	uint32_t first_id; /* id of the first type here: 1, or the base's count */
	uint32_t ntypes; /* types here */
	uint32_t str_base; /* string offsets below this are the base's */
	const struct kbtf *base;
	char *data_; /* owned copy of the file */
	uint32_t *offs_; /* kbtf_index(): offset of each type's record, or NULL */
};

/* Check the BTF in @p data (copied). Returns 0 or -EINVAL/-ENOMEM. */
int kbtf_parse(struct kbtf *b, const void *data, size_t len, const struct kbtf *base);
/* kbtf_parse() of a file. */
int kbtf_load(struct kbtf *b, const char *path, const struct kbtf *base);
/* Index the records so that kbtf_type() takes constant time, not a walk
 * (for callers that look up many types). 0 or -ENOMEM. */
int kbtf_index(struct kbtf *b);
void kbtf_release(struct kbtf *b);

/* Call @p fn for each type of @p kind whose name starts with @p prefix; stop
 * when it returns non-zero and return that. */
int kbtf_for_each(const struct kbtf *b, unsigned kind, const char *prefix,
		  int (*fn)(void *ctx, uint32_t id, const char *name), void *ctx);

/* The id of the first type of @p kind called @p name, or -ENOENT. */
int kbtf_find(const struct kbtf *b, unsigned kind, const char *name);

/* Byte offset and size (0 when not known) of member @p member of the first
 * struct called @p sname. -ENOENT when either is missing, -EINVAL for a
 * bitfield or a member not on a byte boundary. */
int kbtf_member(const struct kbtf *b, const char *sname, const char *member, uint32_t *off, uint32_t *size);

/* One past the highest type id of @p b (its base's included). */
uint32_t kbtf_end_id(const struct kbtf *b);

/* Type @p id, decoded by kbtf_type(). The accessors below read its
 * trailing data; kbtf_parse() checked that all of it lies in the blob. */
struct kbtf_type {
	unsigned kind; /* KBTF_KIND_* */
	uint32_t vlen; /* members, enumerators, parameters */
	bool kflag;
	const char *name; /* "" when anonymous */
	uint32_t size_type; /* the size, or the type referred to (by kind) */
	const uint8_t *rec_;
	const struct kbtf *b_;
};

/* 0, or -ENOENT when @p id is 0 or not a type of @p b (or its base). */
int kbtf_type(const struct kbtf *b, uint32_t id, struct kbtf_type *t);

/* A member of a struct or union: its bit offset and, for a bitfield, its width. */
struct kbtf_memb {
	const char *name;
	uint32_t type;
	uint32_t bit_offset;
	uint32_t bit_size; /* 0 unless a bitfield */
};

/* Member @p i (< vlen) of STRUCT/UNION @p t. */
void kbtf_memb(const struct kbtf_type *t, uint32_t i, struct kbtf_memb *m);
/* Enumerator @p i (< vlen) of ENUM/ENUM64 @p t; ENUM values are signed or
 * unsigned as kflag says. */
void kbtf_enumerator(const struct kbtf_type *t, uint32_t i, const char **name, int64_t *value);
/* The element type and count of ARRAY @p t. */
void kbtf_array(const struct kbtf_type *t, uint32_t *elem, uint32_t *nelems);
/* Whether INT @p t is signed. */
bool kbtf_int_signed(const struct kbtf_type *t);
/* The size in bytes of type @p id through typedefs, qualifiers and arrays
 * (as sizeof); 0 when it has none (void, functions, forward declarations)
 * or it does not fit 32 bits. */
uint32_t kbtf_size(const struct kbtf *b, uint32_t id);

/* ---- btf_types.c: C types from the kernel's BTF, for lang_env.c ----------------------------- */

struct kern_types;

struct kern_types *kern_types_new(void);
void kern_types_free(struct kern_types *kt);
/* The struct bpfkit_lang_env ctype_* callbacks (see lang.h); the BTF is read on first use. */
int kern_types_find(struct kern_types *kt, enum bpfkit_lang_ckind kind, const char *name, uint32_t *id);
int kern_types_get(struct kern_types *kt, uint32_t id, struct bpfkit_lang_ctype *out);
int kern_types_enum(struct kern_types *kt, const char *name, int64_t *value);
int kern_types_names(struct kern_types *kt, enum bpfkit_lang_ckind kind, bpfkit_lang_add_fn add, void *arg);
/* Why the BTF could not be read, or NULL. */
const char *kern_types_why(const struct kern_types *kt);

/* Route libbpf's messages through bpfkit_kern_set_log() (log.c); call before using libbpf. */
void klog_install(void);

/* ---- feature.c, for probes.c -------------------------------------------------------------- */

/* Whether kprobes exist: a kprobe PMU in @p pmu_dir (NULL: the kernel's)
 * or TRACEFS/kprobe_events; @p why as for bpfkit_feature_probe(). */
bool feature_have_kprobes(const char *pmu_dir, const char *tracefs, char *why, size_t why_size);

/* Without the privilege to load programs: whether the kernel's version says
 * it has raw tracepoints (4.17+), so that -d as a user shows what root
 * would load. False when programs can be loaded (then the probe decides). */
bool kern_feature_unprivileged_raw_tp(void);

#endif
