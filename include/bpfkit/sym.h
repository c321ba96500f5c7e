/* SPDX-License-Identifier: MIT */
/**
 * @file sym.h
 * @brief Symbols: kernel addresses to names from /proc/kallsyms (and, later,
 *        user addresses from process mappings and ELF symbol tables).
 *
 * The table is read once, lazily, at the first lookup: a tracer that never
 * prints a stack never pays for it. Lookups are a binary search over the
 * symbols sorted by address (bench/bench_ksyms: loading 121k symbols 70-90
 * ms, then 120-170 ns a lookup).
 * Nothing here prints; errors are negative errnos.
 *
 * Ownership: names returned point into the table and stay valid until
 * bpfkit_ksyms__free().
 */
#ifndef BPFKIT_SYM_H
#define BPFKIT_SYM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef BPFKIT_API
#define BPFKIT_API __attribute__((visibility("default")))
#endif

struct bpfkit_ksyms;

/**
 * @brief A kernel symbol table to be read from @p path (NULL:
 *        /proc/kallsyms) at its first lookup. NULL and errno on ENOMEM.
 */
BPFKIT_API struct bpfkit_ksyms *bpfkit_ksyms__new(const char *path);

/** @brief Free a table. Accepts NULL. */
BPFKIT_API void bpfkit_ksyms__free(struct bpfkit_ksyms *k);

/**
 * @brief The symbol at or below @p addr, as bpftrace 0.17 (through bcc)
 *        resolves kernel addresses: the symbol with the greatest address
 *        not above @p addr, however far; its name (module suffix dropped)
 *        and @p addr's offset from it.
 * @return 0; -ENOENT when no symbol lies at or below @p addr; -EACCES when
 *         the table hides its addresses (kptr_restrict: every address 0);
 *         -errno when the file cannot be read (the same error every call)
 */
BPFKIT_API int bpfkit_ksyms__resolve(struct bpfkit_ksyms *k, uint64_t addr, const char **name,
				     uint64_t *offset);

/** @brief Symbols in the table (loading it); 0 when it cannot be read. */
BPFKIT_API size_t bpfkit_ksyms__count(struct bpfkit_ksyms *k);

#ifdef __cplusplus
}
#endif

#endif /* BPFKIT_SYM_H */
