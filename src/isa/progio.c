// SPDX-License-Identifier: MIT
/* STUB: replaced by program I/O (raw, hex, format detection, load_any). */
#include <errno.h>
#include <bpfkit/isa.h>

enum bpfkit_fmt bpfkit_fmt_detect(const void *buf, size_t len) { (void)buf; (void)len; return BPFKIT_FMT_RAW; }
const char *bpfkit_fmt_name(enum bpfkit_fmt fmt) { (void)fmt; return "?"; }
int bpfkit_fmt_parse(const char *name) { (void)name; return -1; }
int bpfkit_prog__from_raw(const void *buf, size_t len, struct bpfkit_prog **out, struct bpfkit_diag *diag)
{ (void)buf; (void)len; (void)out; return bpfkit_diag__set(diag, -ENOSYS, "not built yet"); }
int bpfkit_prog__from_hex(const char *text, size_t len, struct bpfkit_prog **out, struct bpfkit_diag *diag)
{ (void)text; (void)len; (void)out; return bpfkit_diag__set(diag, -ENOSYS, "not built yet"); }
int bpfkit_prog__to_raw(const struct bpfkit_prog *prog, void **buf, size_t *len)
{ (void)prog; (void)buf; (void)len; return -ENOSYS; }
int bpfkit_datafile__parse(const char *text, size_t len, struct bpfkit_datafile **out, struct bpfkit_diag *diag)
{ (void)text; (void)len; (void)out; return bpfkit_diag__set(diag, -ENOSYS, "not built yet"); }
void bpfkit_datafile__free(struct bpfkit_datafile *df) { (void)df; }
int bpfkit_prog__load_any(const void *buf, size_t len, enum bpfkit_fmt fmt, enum bpfkit_dialect dialect,
			  struct bpfkit_prog ***progs, size_t *nprogs, struct bpfkit_diag *diag)
{ (void)buf; (void)len; (void)fmt; (void)dialect; (void)progs; (void)nprogs; return bpfkit_diag__set(diag, -ENOSYS, "not built yet"); }
