/* SPDX-License-Identifier: MIT */
/**
 * @file out.h
 * @brief The tracer's output layer: prints maps, values and messages exactly
 *        as bpftrace 0.17 prints them, as text or as JSON lines (`-f json`),
 *        and formats printf() arguments the way bpftrace does.
 *
 * This layer knows nothing about the kernel, the VM or the compiler. The
 * caller (the kernel backend or the VM runner) reads a map, sums the per-CPU
 * slots, and describes the result with the plain structs below: typed values
 * (struct bpfkit_out_val), one entry per key (struct bpfkit_out_entry), one
 * map (struct bpfkit_out_map). The printers sort, divide, trim and lay out
 * the data, and write to the FILE * in struct bpfkit_out.
 *
 * Each call renders its whole output in memory first and writes it with one
 * fwrite(), so a message is never half written. Nothing here exits or prints
 * anywhere but to the caller's stream. Functions return 0 or a negative
 * errno: -EINVAL for a malformed description (with the reason in the
 * struct bpfkit_diag where one is taken), -ENOMEM, -EIO when the write fails.
 *
 * Ownership: every pointer the caller passes stays the caller's; nothing is
 * kept after a call returns. The one allocation handed back,
 * bpfkit_fmt__format()'s text, is freed with free().
 *
 * docs/out.md describes what each printer prints and where we differ from
 * bpftrace 0.17 on purpose.
 */
#ifndef BPFKIT_OUT_H
#define BPFKIT_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <bpfkit/isa.h> /* struct bpfkit_diag */

#ifdef __cplusplus
extern "C" {
#endif

#ifndef BPFKIT_API
#define BPFKIT_API __attribute__((visibility("default")))
#endif

/* ---- Values --------------------------------------------------------------- */

/**
 * What a value is. New kinds (ksym, usym, kstack, ustack, inet, username,
 * cgroup path, ...) go at the end of this enum; each needs a case in
 * src/out/value.c (text and JSON rendering; bpftrace quotes most of those in
 * JSON), a printf type class in src/out/fmt.c (they print with %s), and, for
 * kstack/ustack/ksym/usym/inet map values, the empty separator between map
 * entries (bpftrace's map_elem_delim_to_str). Until then the printers reject
 * them with -EINVAL.
 */
enum bpfkit_out_kind {
	BPFKIT_OUT_INT = 1, /* integer of 1, 2, 4 or 8 bytes, signed or not */
	BPFKIT_OUT_STR, /* char[size]: printed up to the first NUL */
	BPFKIT_OUT_BUF, /* buf(): bytes printed with \xNN escapes */
	BPFKIT_OUT_TUPLE, /* (a, b, ...) of any values */
	/* strftime(): the text bpfkit_fmt__strftime() made of it. Prints as a
	 * string (printf %s), but bare in JSON, as bpftrace 0.17 prints it */
	BPFKIT_OUT_TIMESTAMP,
	/* `probe`: the probe's name (s.data, s.len) and its id (s.id). Prints as
	 * a string everywhere, JSON included; as a map key bpftrace 0.17 does
	 * not sort by it, and orders raw keys by the id */
	BPFKIT_OUT_PROBE,
	/* ksym(addr): a kernel address (st.addr), printed as the name of its
	 * symbol (st.ksyms), or "0x..." when it has none; usym(addr): the same
	 * with st.user, named through st.usyms in process st.pid */
	BPFKIT_OUT_KSYM,
	/* kstack, ustack: st.ips[0 .. st.n), innermost frame first, printed in
	 * st.mode: "\n" then a line per frame, indented by 4 as a map key and
	 * by 8 elsewhere (bpftrace); kernel stacks (st.user false) are named
	 * through st.ksyms, user stacks through st.usyms in process st.pid */
	BPFKIT_OUT_STACK,
};

/** How a stack prints (bpftrace's StackMode). */
enum bpfkit_out_stack_mode {
	BPFKIT_OUT_STACK_BPFTRACE = 0, /* "        func+off" lines */
	BPFKIT_OUT_STACK_PERF, /* "\tADDR func+off" lines, as perf script */
	BPFKIT_OUT_STACK_RAW, /* "ADDR" lines, hex, no names (bpftrace 0.18+) */
};

struct bpfkit_ksyms; /* <bpfkit/sym.h> */
struct bpfkit_usyms; /* <bpfkit/sym.h> */

/**
 * One typed value. Build them with the bpfkit_out_*() helpers below.
 * INT: the bits are in @c i; only the low 8 * @c size bits count, and
 * @c is_signed says how to read them. STR: @c s.data holds @c s.len bytes
 * (a fixed-size char array; bytes after the first NUL are ignored). BUF:
 * @c s.data holds @c s.len raw bytes. TUPLE: @c t.elems[0 .. t.n).
 * TIMESTAMP: as STR (the text strftime() made). PROBE: as STR (the probe's
 * name), and @c s.id.
 */
struct bpfkit_out_val {
	enum bpfkit_out_kind kind;
	uint8_t size; /* INT: 1, 2, 4 or 8 */
	bool is_signed; /* INT */
	union {
		uint64_t i;
		struct {
			const char *data;
			size_t len;
			uint64_t id; /* PROBE: the probe id, bpfkit_compiled's index of the name */
		} s;
		struct {
			const struct bpfkit_out_val *elems;
			size_t n;
		} t;
		struct {
			const uint64_t *ips; /* STACK: frames, innermost first */
			size_t n;
			uint64_t addr; /* KSYM */
			struct bpfkit_ksyms *ksyms; /* names kernel addresses; NULL: hex */
			struct bpfkit_usyms *usyms; /* names user addresses; NULL: hex */
			uint32_t pid; /* user addresses: the process (tgid) */
			uint8_t mode; /* STACK: enum bpfkit_out_stack_mode */
			bool user; /* a user stack, a usym() */
			bool lost; /* STACK, n 0: the stack map could not take it */
		} st;
	};
};

/** Deepest nesting of tuples the printers accept. */
#define BPFKIT_OUT_MAX_DEPTH 16

/** An integer of @p size bytes (1, 2, 4, 8); @p bits is truncated to it. */
static inline struct bpfkit_out_val bpfkit_out_int(uint64_t bits, unsigned size, bool is_signed)
{
	struct bpfkit_out_val v = { .kind = BPFKIT_OUT_INT, .size = (uint8_t)size,
				    .is_signed = is_signed };
	v.i = bits;
	return v;
}

static inline struct bpfkit_out_val bpfkit_out_s64(int64_t x)
{
	return bpfkit_out_int((uint64_t)x, 8, true);
}

static inline struct bpfkit_out_val bpfkit_out_u64(uint64_t x)
{
	return bpfkit_out_int(x, 8, false);
}

/** A string in a char array of @p size bytes (need not be NUL-terminated). */
static inline struct bpfkit_out_val bpfkit_out_strn(const char *data, size_t size)
{
	struct bpfkit_out_val v = { .kind = BPFKIT_OUT_STR };
	v.s.data = data;
	v.s.len = size;
	return v;
}

/** A NUL-terminated string (its array is taken to be strlen + 1 bytes). */
static inline struct bpfkit_out_val bpfkit_out_str(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return bpfkit_out_strn(s, n + 1);
}

/** A buf() value: @p len raw bytes. */
static inline struct bpfkit_out_val bpfkit_out_buf(const void *data, size_t len)
{
	struct bpfkit_out_val v = { .kind = BPFKIT_OUT_BUF };
	v.s.data = (const char *)data;
	v.s.len = len;
	return v;
}

static inline struct bpfkit_out_val bpfkit_out_tuple(const struct bpfkit_out_val *elems, size_t n)
{
	struct bpfkit_out_val v = { .kind = BPFKIT_OUT_TUPLE };
	v.t.elems = elems;
	v.t.n = n;
	return v;
}

/** A strftime() value: its formatted text, @p len bytes (need not be NUL-terminated). */
static inline struct bpfkit_out_val bpfkit_out_timestamp(const char *text, size_t len)
{
	struct bpfkit_out_val v = { .kind = BPFKIT_OUT_TIMESTAMP };
	v.s.data = text;
	v.s.len = len;
	return v;
}

/** A `probe` value: the probe's name, @p len bytes (need not be
 *  NUL-terminated), and its @p id (the order of raw keys in bpftrace 0.17). */
static inline struct bpfkit_out_val bpfkit_out_probe(const char *name, size_t len, uint64_t id)
{
	struct bpfkit_out_val v = { .kind = BPFKIT_OUT_PROBE };
	v.s.data = name;
	v.s.len = len;
	v.s.id = id;
	return v;
}

/** A ksym() value: kernel address @p addr, named through @p ksyms (may be NULL). */
static inline struct bpfkit_out_val bpfkit_out_ksym(uint64_t addr, struct bpfkit_ksyms *ksyms)
{
	struct bpfkit_out_val v = { .kind = BPFKIT_OUT_KSYM };
	v.st.addr = addr;
	v.st.ksyms = ksyms;
	return v;
}

/** A kernel stack: @p n frames at @p ips (innermost first), printed in @p mode. */
static inline struct bpfkit_out_val bpfkit_out_kstack(const uint64_t *ips, size_t n,
						       enum bpfkit_out_stack_mode mode,
						       struct bpfkit_ksyms *ksyms)
{
	struct bpfkit_out_val v = { .kind = BPFKIT_OUT_STACK };
	v.st.ips = ips;
	v.st.n = n;
	v.st.mode = (uint8_t)mode;
	v.st.ksyms = ksyms;
	return v;
}

/** A usym() value: user address @p addr of process @p pid, named through @p usyms (may be NULL). */
static inline struct bpfkit_out_val bpfkit_out_usym(uint64_t addr, uint32_t pid, struct bpfkit_usyms *usyms)
{
	struct bpfkit_out_val v = { .kind = BPFKIT_OUT_KSYM };
	v.st.addr = addr;
	v.st.usyms = usyms;
	v.st.pid = pid;
	v.st.user = true;
	return v;
}

/** A user stack of process @p pid: @p n frames at @p ips (innermost first), printed in @p mode. */
static inline struct bpfkit_out_val bpfkit_out_ustack(const uint64_t *ips, size_t n, uint32_t pid,
						       enum bpfkit_out_stack_mode mode,
						       struct bpfkit_usyms *usyms)
{
	struct bpfkit_out_val v = { .kind = BPFKIT_OUT_STACK };
	v.st.ips = ips;
	v.st.n = n;
	v.st.mode = (uint8_t)mode;
	v.st.usyms = usyms;
	v.st.pid = pid;
	v.st.user = true;
	return v;
}

/* ---- Maps ------------------------------------------------------------------ */

/** What a map holds: a plain value, or the state of an aggregation. */
enum bpfkit_out_agg {
	BPFKIT_OUT_PLAIN = 1, /* @m[k] = expr: any value */
	BPFKIT_OUT_COUNT, /* count(): value is an INT (u64) */
	BPFKIT_OUT_SUM, /* sum(): value is an INT (s64, or u64 for unsigned sums) */
	BPFKIT_OUT_MIN, /* min(): value is an INT */
	BPFKIT_OUT_MAX, /* max(): value is an INT */
	BPFKIT_OUT_AVG, /* avg(): count and total */
	BPFKIT_OUT_STATS, /* stats(): count and total */
	BPFKIT_OUT_HIST, /* hist(): buckets, see bpfkit_hist__index() */
	BPFKIT_OUT_LHIST, /* lhist(): buckets, see bpfkit_lhist__index() */
};

/** Buckets of a hist(): 0 = negative, 1 = zero, 2 + k = [2^k, 2^(k+1)). */
#define BPFKIT_OUT_HIST_BUCKETS 65

/**
 * One key of a map and what it holds, already summed over CPUs. Which
 * fields count depends on the map's aggregation; the others are ignored.
 */
struct bpfkit_out_entry {
	const struct bpfkit_out_val *key; /* map->nkeys parts; NULL when nkeys == 0 */
	struct bpfkit_out_val value; /* PLAIN, COUNT, SUM, MIN, MAX */
	int64_t count; /* AVG, STATS: number of samples */
	int64_t total; /* AVG, STATS: their sum */
	const uint64_t *buckets; /* HIST (1..65 of them), LHIST (see below) */
	size_t nbuckets;
};

/**
 * One map as read from the kernel or the VM, entries in any order.
 * An LHIST map has lmin < lmax, lstep > 0, all within int32, and every entry
 * exactly (lmax - lmin) / lstep + 2 buckets (bpfkit_lhist__nbuckets()).
 */
struct bpfkit_out_map {
	const char *name; /* "@x"; "@" for the anonymous map */
	enum bpfkit_out_agg agg;
	size_t nkeys; /* parts per key; 0: a scalar map with at most one entry */
	int64_t lmin, lmax, lstep; /* LHIST parameters */
	const struct bpfkit_out_entry *entries;
	size_t nentries;
};

/* ---- Printing ------------------------------------------------------------- */

enum bpfkit_out_format {
	BPFKIT_OUT_TEXT, /* bpftrace's default output */
	BPFKIT_OUT_JSON, /* bpftrace -f json: one JSON object per line */
	/*
	 * -f folded: maps keyed by a stack with an integer value (count(),
	 * sum(), ...) print one line per key, "part;part;root;...;leaf VALUE",
	 * the stack's frames root first without offsets and the key's other
	 * parts before them, as stackcollapse-perf.pl writes them (the input of
	 * every flame-graph tool). Everything else prints as in TEXT, except
	 * "Attaching N probes..." and the blank lines before the maps at exit,
	 * which are left out.
	 */
	BPFKIT_OUT_FOLDED,
};

/** Where and how to print. The caller owns the stream. */
struct bpfkit_out {
	FILE *f;
	enum bpfkit_out_format format;
};

/** Messages that carry a line of text (bpftrace's MessageType). */
enum bpfkit_out_msg {
	BPFKIT_OUT_MSG_PRINTF, /* printf() */
	BPFKIT_OUT_MSG_TIME, /* time() */
	BPFKIT_OUT_MSG_CAT, /* cat() */
	BPFKIT_OUT_MSG_JOIN, /* join() */
	BPFKIT_OUT_MSG_SYSCALL, /* system() */
};

/**
 * @brief Print one map as print(@m, top, div) and the end of a run do.
 *
 * Entries are sorted as bpftrace sorts them: count, sum, min, max and
 * integer maps by value (ascending, signed or not as the value is), avg and
 * stats by average, hist and lhist by the sum of their buckets, other maps by
 * key. @p top > 0 keeps only the last @p top entries (not for stats maps);
 * @p div > 1 divides integer values, averages and hist counts (not lhist,
 * not stats). An empty map prints an empty line in text ("\n\n" for avg and
 * stats maps) and nothing in JSON.
 *
 * @return 0, -EINVAL (malformed map, reason in @p diag), -ENOMEM or -EIO
 */
BPFKIT_API int bpfkit_out__map(const struct bpfkit_out *o, const struct bpfkit_out_map *m,
			       uint32_t top, uint32_t div, struct bpfkit_diag *diag);

/**
 * @brief What bpftrace prints when a run ends: two newlines, then every map
 *        in @p maps in order of name (byte order), as bpfkit_out__map(m, 0, 0).
 *        Both formats print the two newlines. Nothing is printed when a map is
 *        malformed.
 */
BPFKIT_API int bpfkit_out__exit_maps(const struct bpfkit_out *o,
				     const struct bpfkit_out_map *const *maps, size_t n,
				     struct bpfkit_diag *diag);

/** @brief print(value) of a non-map value: "5\n" / {"type": "value", "data": 5}. */
BPFKIT_API int bpfkit_out__value(const struct bpfkit_out *o, const struct bpfkit_out_val *v,
				 struct bpfkit_diag *diag);

/**
 * @brief A text message: printed as is (plus "\n" when @p nl) in text, as
 *        {"type": "printf", "data": "<escaped text>"} in JSON, the type being
 *        printf, time, cat, join or syscall (@p nl ignored). bpftrace passes
 *        nl only for join().
 */
BPFKIT_API int bpfkit_out__message(const struct bpfkit_out *o, enum bpfkit_out_msg type,
				   const char *text, size_t len, bool nl);

/**
 * @brief printf(fmt, args...): bpfkit_fmt__format() then a PRINTF message.
 * @return 0, -EINVAL (bad format or arguments, reason in @p diag), -ENOMEM, -EIO
 */
BPFKIT_API int bpfkit_out__printf(const struct bpfkit_out *o, const char *fmt,
				  const struct bpfkit_out_val *args, size_t nargs,
				  struct bpfkit_diag *diag);

/**
 * @brief time(fmt): strftime(@p fmt, @p tm) into a 64-byte buffer, as a TIME
 *        message. @p fmt NULL means bpftrace's default "%H:%M:%S\n".
 * @return 0, or -ERANGE when strftime() returns 0 (result empty or longer than
 *         63 bytes; bpftrace then prints "strftime returned 0" to stderr, which
 *         is @p diag's message), -EIO
 */
BPFKIT_API int bpfkit_out__time(const struct bpfkit_out *o, const char *fmt, const struct tm *tm,
				struct bpfkit_diag *diag);

/** @brief "Attaching N probes...\n" ("1 probe") / {"type": "attached_probes", ...}. */
BPFKIT_API int bpfkit_out__attached(const struct bpfkit_out *o, uint64_t nprobes);

/** @brief "Lost N events\n" / {"type": "lost_events", "data": {"events": N}}. */
BPFKIT_API int bpfkit_out__lost(const struct bpfkit_out *o, uint64_t nevents);

/* ---- printf formatting ------------------------------------------------------ */

/** Widths and precisions above this are refused (bpftrace has no limit). */
#define BPFKIT_FMT_MAX_WIDTH 65535

/**
 * @brief Check a printf() format string against the kinds of its arguments,
 *        as bpftrace's semantic pass does, with bpftrace's messages:
 *        "printf: Not enough arguments for format string (1 supplied, 2 expected)",
 *        "printf: Too many arguments for format string (3 supplied, 2 expected)",
 *        "printf: %d specifier expects a value of type integer (string supplied)".
 *
 * Conversions are bpftrace 0.17's: an optional '-', digits, an optional
 * ".digits", then c, s, r (buf), rx (buf, all \xNN), rh (buf, hex bytes
 * separated by spaces), or d u o x X p with an
 * optional hh h l ll j z t. Anything else after a '%' (%i, %f, %%, "% d")
 * is not a conversion and takes no argument.
 *
 * On error @p diag->col is the 1-based byte offset in @p fmt of the
 * conversion at fault (for "too many arguments", one past the end) and
 * @p diag->len its length; line stays 0. The compiler adds the position of
 * the string literal.
 *
 * @param kinds kind of each argument (enum bpfkit_out_kind)
 * @return 0 or -EINVAL
 */
BPFKIT_API int bpfkit_fmt__check(const char *fmt, const enum bpfkit_out_kind *kinds,
				 size_t nargs, struct bpfkit_diag *diag);

/**
 * @brief Format @p args by @p fmt exactly as bpftrace 0.17 prints them: the
 *        format is cut after each conversion and each piece goes through the
 *        C library's printf with its one argument, so "%%" becomes "%" before
 *        a conversion but stays "%%" after the last one; integers are sign- or
 *        zero-extended from their width to 64 bits and then read as the
 *        conversion's C type (%d takes the low 32 bits); %c of 0 ends its
 *        piece; buffers print with \xNN escapes.
 *
 * @param out  set to a malloc'd NUL-terminated string (free() it)
 * @param len  set to its length (may be NULL)
 * @return 0, -EINVAL (as bpfkit_fmt__check()), -ENOMEM
 */
BPFKIT_API int bpfkit_fmt__format(const char *fmt, const struct bpfkit_out_val *args, size_t nargs,
				  char **out, size_t *len, struct bpfkit_diag *diag);

/**
 * @brief bpfkit_fmt__check() for a function other than printf() that takes a
 *        format and arguments (system(), cat()): the same checks, the messages
 *        starting with @p func ("system: Not enough arguments ...") as
 *        bpftrace's do.
 */
BPFKIT_API int bpfkit_fmt__check_for(const char *func, const char *fmt,
				     const enum bpfkit_out_kind *kinds, size_t nargs,
				     struct bpfkit_diag *diag);

/* ---- Text that functions resolved in user space make ------------------------ */

/** Bytes of bpftrace 0.17's strftime() buffer: results of 64 bytes and more fail. */
#define BPFKIT_FMT_STRFTIME_SIZE 64
/** What cat() reads of a file at most (bpftrace's BPFTRACE_CAT_BYTES_MAX default). */
#define BPFKIT_FMT_CAT_MAX 10240

/**
 * @brief strftime(fmt, nsecs) as bpftrace 0.17 resolves it: the wall-clock
 *        time @p boot + @p nsecs (nanoseconds since boot; the sum wraps at
 *        2^64 as bpftrace's does), as local time through strftime(3), after
 *        every "%f" of @p fmt (searched as plain text, left to right) became
 *        the microseconds, six digits zero padded: bpftrace's extension.
 * @param buf receives the text, NUL-terminated; "(?)" when it fails
 * @param size at least 4; bpftrace's is BPFKIT_FMT_STRFTIME_SIZE
 * @param boot the wall-clock time at boot (CLOCK_REALTIME - CLOCK_BOOTTIME)
 * @return the length of the text, or -ERANGE when strftime() returned 0 (an
 *         empty result or one too long for @p buf; bpftrace prints "ERROR:
 *         strftime returned 0", the message in @p diag), -EINVAL (bad
 *         arguments, or a time localtime_r() cannot represent)
 */
BPFKIT_API int bpfkit_fmt__strftime(char *buf, size_t size, const char *fmt,
				    const struct timespec *boot, uint64_t nsecs,
				    struct bpfkit_diag *diag);

/**
 * @brief join(arr, sep): the strings @p parts[0 .. n) up to the first empty
 *        one, @p sep (NULL: " ") between two, as bpftrace 0.17 prints them.
 *        Print it with bpfkit_out__message(..., BPFKIT_OUT_MSG_JOIN, ..., true).
 * @param parts STR values
 * @param out set to a malloc'd NUL-terminated string (free() it)
 * @return 0, -EINVAL (a part is no string), -ENOMEM
 */
BPFKIT_API int bpfkit_fmt__join(const struct bpfkit_out_val *parts, size_t n, const char *sep,
				char **out, size_t *len);

/**
 * @brief cat(path): what bpftrace 0.17's cat() prints: up to @p max bytes of
 *        the file (bpftrace: BPFKIT_FMT_CAT_MAX), as read. Print it with
 *        bpfkit_out__message(..., BPFKIT_OUT_MSG_CAT, ...), also after an
 *        error (bpftrace prints what it read, maybe nothing).
 * @param out set to a malloc'd NUL-terminated string (free() it), also on error
 * @return 0; -errno when the file cannot be opened or read, with bpftrace's
 *         message "failed to open file 'PATH': REASON" in @p diag (bpftrace
 *         prints it as "ERROR: ..." on stderr); -ENOMEM (then *out is NULL)
 */
BPFKIT_API int bpfkit_fmt__cat(const char *path, size_t max, char **out, size_t *len,
			       struct bpfkit_diag *diag);

/* ---- Histogram buckets ------------------------------------------------------ */

/**
 * @brief The hist() bucket of @p v as bpftrace 0.17 computes it: 0 for
 *        negative values, 1 for 0, 2 + floor(log2(v)) for positive values up
 *        to 2^32 - 1, and 33 for every value from 2^31 up (bpftrace's log2
 *        stops at 31 shifts).
 */
BPFKIT_API int bpfkit_hist__index(int64_t v);

/**
 * @brief Number of lhist() buckets: (max - min) / step + 2 (below min, the
 *        steps, max and above), or 0 when the parameters are invalid (step
 *        <= 0, max <= min, or outside int32).
 */
BPFKIT_API size_t bpfkit_lhist__nbuckets(int64_t min, int64_t max, int64_t step);

/** @brief The lhist() bucket of @p v: 0 below min, 1 + (v - min) / step, at
 *         most nbuckets - 1. -1 when the parameters are invalid. */
BPFKIT_API long bpfkit_lhist__index(int64_t v, int64_t min, int64_t max, int64_t step);

/* ---- Folded stacks and flame graphs ----------------------------------------- */

/*
 * The folded format every flame-graph tool reads (Brendan Gregg's
 * stackcollapse-*.pl output, `bpfkit trace -f folded`): one line per stack,
 * frames root first separated by ';', then blanks and a sample count:
 *
 *     main;parse;malloc 12
 *
 * bpfkit_folded__parse() merges the lines into a tree of frames (equal
 * prefixes are one frame, equal stacks add up) and bpfkit_flame__svg() draws
 * it as flamegraph.pl does. docs/out.md says where we differ from it.
 */

/** Longest line bpfkit_folded__parse() reads, in bytes (without the newline). */
#define BPFKIT_FOLDED_MAX_LINE (1u << 20)
/** Most frames in one stack. */
#define BPFKIT_FOLDED_MAX_DEPTH 4096

/** A parsed profile: a tree of frames with their sample counts. */
struct bpfkit_folded;

/** bpfkit_folded__parse() flags. */
enum {
	/* flamegraph.pl --reverse: read each stack leaf first (a "reverse"
	 * graph whose roots are the leaf functions) */
	BPFKIT_FOLDED_REVERSE = 1 << 0,
};

/**
 * @brief Parse folded stacks and merge them into a tree of frames.
 *
 * Blank lines are skipped; a '\r' before a newline is ignored. Frames are
 * ordered by name within each level (byte order, as flamegraph.pl's sort of
 * whole lines orders them). Lines with a count of 0 are valid and add nothing.
 *
 * @param buf   the text (need not be NUL-terminated)
 * @param flags BPFKIT_FOLDED_* flags
 * @param out   set to the tree (free with bpfkit_folded__free())
 * @param diag  on error, line and col (1-based) of the fault and why: a line
 *              without a count, a count that is no non-negative integer or
 *              makes the total overflow, a NUL byte, an empty stack, more than
 *              BPFKIT_FOLDED_MAX_DEPTH frames, a line longer than
 *              BPFKIT_FOLDED_MAX_LINE; line 0 when the input has no samples
 * @return 0, -EINVAL (bad input, see @p diag), -ENOMEM
 */
BPFKIT_API int bpfkit_folded__parse(const char *buf, size_t len, unsigned flags,
				    struct bpfkit_folded **out, struct bpfkit_diag *diag);

/** @brief Free a tree from bpfkit_folded__parse(). Accepts NULL. */
BPFKIT_API void bpfkit_folded__free(struct bpfkit_folded *f);

/** @brief Samples in the whole profile (the sum of every line's count). */
BPFKIT_API uint64_t bpfkit_folded__total(const struct bpfkit_folded *f);

/** One frame of the tree, as bpfkit_folded__walk() shows it. */
struct bpfkit_folded_frame {
	const char *name; /* not NUL-terminated; raw bytes from the input */
	size_t len;
	unsigned depth; /* 1 for the frames of the first column (the roots) */
	uint64_t start; /* samples before this frame at its depth: its x */
	uint64_t count; /* samples in this frame and below it: its width */
};

/**
 * @brief Visit every frame, parents before children, siblings in name order.
 *        A callback's non-zero return stops the walk and is returned.
 */
BPFKIT_API int bpfkit_folded__walk(const struct bpfkit_folded *f,
				   int (*fn)(void *ctx, const struct bpfkit_folded_frame *fr),
				   void *ctx);

/** Colour schemes of flamegraph.pl's --colors. */
enum bpfkit_flame_colors {
	BPFKIT_FLAME_HOT, /* the default: warm reds, oranges and yellows */
	BPFKIT_FLAME_MEM, /* greens */
	BPFKIT_FLAME_IO, /* blues */
	BPFKIT_FLAME_RED,
	BPFKIT_FLAME_GREEN,
	BPFKIT_FLAME_BLUE,
	BPFKIT_FLAME_AQUA,
	BPFKIT_FLAME_YELLOW,
	BPFKIT_FLAME_PURPLE,
	BPFKIT_FLAME_ORANGE,
};

/** @brief The scheme named @p name ("hot", "mem", "io", ...), or -EINVAL. */
BPFKIT_API int bpfkit_flame__colors_parse(const char *name);

/** How to draw. Start from bpfkit_flame_opts__init(). */
struct bpfkit_flame_opts {
	const char *title; /* NULL: "Flame Graph" ("Icicle Graph" inverted) */
	const char *countname; /* "samples" */
	unsigned width; /* of the image, pixels: 1200 */
	unsigned frame_height; /* pixels: 16 */
	unsigned font_size; /* pixels: 12 */
	double minwidth; /* frames narrower than this (pixels) are left out: 0.1 */
	enum bpfkit_flame_colors colors;
	bool inverted; /* an icicle graph: roots at the top */
};

/** @brief The defaults flamegraph.pl has (see struct bpfkit_flame_opts). */
BPFKIT_API void bpfkit_flame_opts__init(struct bpfkit_flame_opts *o);

/**
 * @brief Draw @p fg as an interactive SVG flame graph, as flamegraph.pl does.
 *
 * Each frame is a rectangle as wide as its samples, coloured by a hash of
 * its name (the same name, the same colour, in every graph), with its name
 * cut to fit ("..") and a tooltip "NAME (N samples, P%)". The embedded
 * JavaScript, which needs no network, shows a frame's details on hover,
 * zooms into a frame on click (Reset Zoom to undo), and searches frames by a
 * regular expression (Search or Ctrl-F; matches turn magenta and the
 * matched share of the samples is shown). Names are XML-escaped; bytes that
 * are no valid UTF-8, or no valid XML character, become U+FFFD.
 *
 * @return 0, -EINVAL (bad options, reason in @p diag), -ENOMEM, -EIO
 */
BPFKIT_API int bpfkit_flame__svg(FILE *f, const struct bpfkit_folded *fg,
				 const struct bpfkit_flame_opts *o, struct bpfkit_diag *diag);


#ifdef __cplusplus
}
#endif

#endif /* BPFKIT_OUT_H */
