// SPDX-License-Identifier: MIT
/*
 * The compiler's view of this system (struct bpfkit_lang_env), backed by the
 * kernel: wildcards expand through the probe lister, tracepoint fields come
 * from tracefs format files, C types from the kernel's BTF (btf_types.c),
 * kaddr() addresses from /proc/kallsyms (ksyms.c), uprobe targets and their
 * functions from ELF files (src/sym), and signed division is used when the
 * kernel has it. The compiler knows nothing about tracefs, BTF or ELF; this
 * file is the seam (kern sits above lang and sym, so it may include both).
 *
 * Formats are loaded on demand and kept until the environment is freed,
 * because the compiler holds the field arrays until compile returns.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpfkit/kern.h>
#include <bpfkit/sym.h>

#include "kern/kern_int.h"

/* One loaded format and its fields in the compiler's terms. */
struct env_tp {
	struct env_tp *next;
	struct bpfkit_tp_format *fmt;
	struct bpfkit_lang_field *fields;
	size_t n;
	char key[256]; /* "system:event" */
};

/* The parameters of one function of a uprobe target, from DWARF, as fields. */
struct env_uargs {
	struct env_uargs *next;
	char *func;
	int err; /* 0, or why there are none (bpfkit_dwarf__open(), __params()) */
	struct bpfkit_dwarf_param *params;
	struct bpfkit_lang_field *fields;
	size_t n;
};

/* One uprobe target file, opened once per compilation. */
struct env_ufile {
	struct env_ufile *next;
	struct env_uargs *uargs; /* functions whose args were asked for */
	struct bpfkit_dwarf *dwarf; /* its debug info, opened at the first args (dwarf_err: why not) */
	int dwarf_err;
	bool dwarf_tried;
	char *file; /* as written */
	char *path; /* as found */
	struct bpfkit_elf_file *elf;
	/* its USDT probes, read at the first usdt: probe of the file */
	struct bpfkit_usdt_list *usdt;
	struct bpfkit_lang_usdt_site *sites; /* usdt->probes in the compiler's terms */
	struct bpfkit_lang_usdt_arg *args;
};

struct bpfkit_kern_lang_env {
	struct bpfkit_lang_env env;
	char *tracefs; /* NULL: found by the kern layer */
	char root[PATH_MAX]; /* the tracefs found (and mounted) on first need */
	int root_err; /* 1 until looked for; then 0 or why there is none */
	char root_why[256]; /* the message when root_err is an error */
	struct env_tp *tps;
	struct kern_types *types; /* C types, read on first use */
	char missing[256]; /* last tracepoint that was not found, "sys:event" */
	char why[256]; /* last expansion error */
	struct env_ufile *ufiles;
	int pid; /* -p: uprobe targets as this process sees them */
};

/*
 * The tracefs directory: the one given, else found (mounted when root) once.
 * When there is none, e->why says why and the error is -ENODEV, never
 * -ENOENT, which the compiler reads as "no such tracepoint".
 */
static const char *env_tracefs(struct bpfkit_kern_lang_env *e, int *err)
{
	struct bpfkit_diag d;

	*err = 0;
	if (e->tracefs)
		return e->tracefs;
	if (e->root_err == 1) {
		bpfkit_diag__clear(&d);
		e->root_err = kern_tracefs(e->root, sizeof(e->root), &d);
		snprintf(e->root_why, sizeof(e->root_why), "%s", d.msg[0] ? d.msg : "no tracefs");
	}
	if (e->root_err) {
		snprintf(e->why, sizeof(e->why), "%s", e->root_why);
		*err = e->root_err == -ENOENT ? -ENODEV : e->root_err;
		return NULL;
	}
	return e->root;
}

/* Hand every probe of @p type matching "PROVIDER:PATTERN" to @p add. */
static int env_expand(void *user, enum bpfkit_probe_type type, const char *pattern, bpfkit_lang_add_fn add,
		      void *arg)
{
	struct bpfkit_kern_lang_env *e = user;
	struct bpfkit_probe_opts opts = { 0 };
	struct bpfkit_probe_list *list;
	struct bpfkit_diag d;
	const char *spec[1];
	char buf[1024];
	int err = 0;

	if (type != BPFKIT_PROBE_TRACEPOINT && type != BPFKIT_PROBE_RAWTRACEPOINT && type != BPFKIT_PROBE_KPROBE &&
	    type != BPFKIT_PROBE_KRETPROBE)
		return -ENOTSUP;
	e->why[0] = '\0';
	opts.tracefs = env_tracefs(e, &err);
	if (err && type == BPFKIT_PROBE_TRACEPOINT)
		return err;
	err = 0; /* raw tracepoints come from BTF first; the lister says what is missing */
	snprintf(buf, sizeof(buf), "%s:%s", bpfkit_probe_type_name(type), pattern);
	spec[0] = buf;
	list = bpfkit_probes__list(spec, 1, &opts, &d);
	if (!list) {
		snprintf(e->why, sizeof(e->why), "%s", d.msg);
		return errno ? -errno : -EINVAL;
	}
	for (size_t i = 0; i < list->n && !err; i++)
		if (list->probes[i].type == type)
			err = add(arg, list->probes[i].target);
	bpfkit_probe_list__free(list);
	return err;
}

/* Load SYSTEM/EVENT's format (once) and describe its fields for the compiler. */
static int env_tp_fields(void *user, const char *system, const char *event, const struct bpfkit_lang_field **fields,
			 size_t *nfields)
{
	struct bpfkit_kern_lang_env *e = user;
	struct bpfkit_tp_format *fmt;
	struct env_tp *t;
	struct bpfkit_diag d;
	const char *tracefs;
	char key[256];
	int err;

	snprintf(key, sizeof(key), "%s:%s", system, event);
	for (t = e->tps; t; t = t->next) {
		if (!strcmp(t->key, key)) {
			*fields = t->fields;
			*nfields = t->n;
			return 0;
		}
	}
	e->why[0] = '\0';
	tracefs = env_tracefs(e, &err);
	if (!tracefs)
		return err;
	fmt = bpfkit_tp_format__load(tracefs, system, event, &d);
	if (!fmt) {
		err = errno ? -errno : -EINVAL;

		if (err == -ENOENT)
			snprintf(e->missing, sizeof(e->missing), "%s:%s", system, event);
		else
			snprintf(e->why, sizeof(e->why), "%s", d.msg);
		return err;
	}
	t = calloc(1, sizeof(*t));
	if (t)
		t->fields = calloc(fmt->nfields ? fmt->nfields : 1, sizeof(*t->fields));
	if (!t || !t->fields) {
		if (t)
			free(t);
		bpfkit_tp_format__free(fmt);
		return -ENOMEM;
	}
	t->fmt = fmt;
	snprintf(t->key, sizeof(t->key), "%s", key);
	for (size_t i = 0; i < fmt->nfields; i++) {
		const struct bpfkit_tp_field *f = &fmt->fields[i];
		struct bpfkit_lang_field *lf = &t->fields[t->n];

		if (f->kind == BPFKIT_TP_REL_LOC)
			continue; /* not understood by the compiler: leave it out */
		lf->name = f->name;
		lf->type = f->type;
		lf->offset = f->offset;
		lf->size = f->size;
		lf->array_len = f->kind == BPFKIT_TP_ARRAY ? f->array_len : 0;
		lf->is_signed = f->is_signed;
		lf->is_ptr = f->kind == BPFKIT_TP_PTR;
		lf->is_data_loc = f->kind == BPFKIT_TP_DATA_LOC;
		lf->is_string = f->is_string;
		lf->common = f->common;
		t->n++;
	}
	t->next = e->tps;
	e->tps = t;
	*fields = t->fields;
	*nfields = t->n;
	return 0;
}

static int env_ctype_find(void *user, enum bpfkit_lang_ckind kind, const char *name, uint32_t *id)
{
	return kern_types_find(((struct bpfkit_kern_lang_env *)user)->types, kind, name, id);
}

static int env_ctype_get(void *user, uint32_t id, struct bpfkit_lang_ctype *out)
{
	return kern_types_get(((struct bpfkit_kern_lang_env *)user)->types, id, out);
}

static int env_ctype_enum(void *user, const char *name, int64_t *value)
{
	return kern_types_enum(((struct bpfkit_kern_lang_env *)user)->types, name, value);
}

static int env_ctype_names(void *user, enum bpfkit_lang_ckind kind, bpfkit_lang_add_fn add, void *arg)
{
	return kern_types_names(((struct bpfkit_kern_lang_env *)user)->types, kind, add, arg);
}

/* kaddr(NAME): /proc/kallsyms through the sym layer, read up to NAME's line. */
static int env_ksym_addr(void *user, const char *name, uint64_t *addr)
{
	struct bpfkit_ksyms *k = bpfkit_ksyms__new(NULL);
	int err;

	(void)user;
	if (!k)
		return -ENOMEM;
	err = bpfkit_ksyms__addr(k, name, addr);
	bpfkit_ksyms__free(k);
	return err;
}

/* A cgroup's id is the 8-byte file handle cgroupfs (kernfs) gives its
 * directory, as bpftrace reads it with name_to_handle_at(). */
static int env_cgroup_id(void *user, const char *path, uint64_t *id)
{
	struct {
		struct file_handle fh;
		uint64_t id;
	} h = { .fh.handle_bytes = sizeof(uint64_t) };
	int mount_id;

	(void)user;
	if (name_to_handle_at(AT_FDCWD, path, &h.fh, &mount_id, 0) < 0)
		return -errno;
	if (h.fh.handle_bytes != sizeof(uint64_t))
		return -EOVERFLOW;
	memcpy(id, h.fh.f_handle, sizeof(*id));
	return 0;
}

/* Uprobe target @p file: found (bpfkit_sym_find_target) and opened once.
 * Every call starts a new question: e->why is cleared, then says why on
 * failure (here, or in the caller's next step). */
static int env_ufile(struct bpfkit_kern_lang_env *e, const char *file, struct env_ufile **out)
{
	struct env_ufile *u;
	struct bpfkit_diag d = { 0 };
	char path[PATH_MAX];
	int err;

	e->why[0] = '\0';
	for (u = e->ufiles; u; u = u->next)
		if (!strcmp(u->file, file)) {
			*out = u;
			return 0;
		}
	err = bpfkit_sym_find_target(file, e->pid, path, sizeof(path), &d);
	if (!err) {
		u = calloc(1, sizeof(*u));
		if (!u || !(u->file = strdup(file)) || !(u->path = strdup(path))) {
			if (u)
				free(u->file);
			free(u);
			return -ENOMEM;
		}
		err = bpfkit_elf_file__open(path, &u->elf, &d);
		if (err) {
			free(u->file);
			free(u->path);
			free(u);
		}
	}
	if (err) {
		snprintf(e->why, sizeof(e->why), "%s", d.msg);
		return err == -ENOENT || err == -ENOTDIR ? -ENOENT : err;
	}
	u->next = e->ufiles;
	e->ufiles = u;
	*out = u;
	return 0;
}

/* Hand @p s of @p u to @p add with its file offset. */
static int env_add_ufunc(const struct env_ufile *u, const struct bpfkit_elf_sym *s, bpfkit_lang_ufunc_fn add,
			 void *arg)
{
	struct bpfkit_lang_ufunc f = { s->name, s->addr, s->size, 0 };

	if (bpfkit_elf_file__vaddr_to_offset(u->elf, s->addr, &f.offset))
		return 0; /* not in a loaded segment: nothing to probe */
	return add(arg, &f);
}

/* The parameters as the compiler's fields: offset is the parameter's
 * position (the compiler knows where the calling convention puts it);
 * aggregates and floats get size 0, which the compiler refuses to read. */
static int uargs_fields(struct env_uargs *a)
{
	a->fields = calloc(a->n ? a->n : 1, sizeof(*a->fields));
	if (!a->fields)
		return -ENOMEM;
	for (size_t i = 0; i < a->n; i++) {
		const struct bpfkit_dwarf_param *p = &a->params[i];
		struct bpfkit_lang_field *f = &a->fields[i];

		f->name = p->name;
		f->type = p->type;
		f->is_signed = p->is_signed;
		f->is_ptr = p->is_ptr;
		f->size = p->is_aggregate || p->is_float || p->size > 8 ? 0 : p->size;
		f->offset = (uint32_t)i;
	}
	return 0;
}

static int env_uargs(void *user, const char *path, const char *func, const struct bpfkit_lang_field **fields,
		     size_t *n)
{
	struct bpfkit_kern_lang_env *e = user;
	struct env_ufile *u;
	struct env_uargs *a;

	e->why[0] = '\0';
	for (u = e->ufiles; u && strcmp(u->path, path); u = u->next)
		;
	if (!u)
		return -ENOENT;
	for (a = u->uargs; a && strcmp(a->func, func); a = a->next)
		;
	if (!a) {
		a = calloc(1, sizeof(*a));
		if (!a || !(a->func = strdup(func))) {
			free(a);
			return -ENOMEM;
		}
		if (!u->dwarf_tried) {
			u->dwarf_err = bpfkit_dwarf__open(path, &u->dwarf);
			u->dwarf_tried = true;
		}
		a->err = u->dwarf_err ? u->dwarf_err : bpfkit_dwarf__params(u->dwarf, func, &a->params, &a->n);
		if (!a->err)
			a->err = uargs_fields(a);
		a->next = u->uargs;
		u->uargs = a;
	}
	if (a->err == -ENODATA)
		snprintf(e->why, sizeof(e->why), "%s has no DWARF debug info (nor a debug file found by build-id or "
			 "debuglink)", path);
	else if (a->err == -ENOENT)
		snprintf(e->why, sizeof(e->why), "the debug info of %s does not describe function %s", path, func);
	*fields = a->fields;
	*n = a->n;
	return a->err;
}

static int env_ufuncs(void *user, const char *file, const char *pattern, const char **path,
		      bpfkit_lang_ufunc_fn add, void *arg)
{
	struct bpfkit_kern_lang_env *e = user;
	const struct bpfkit_elf_sym *s;
	struct env_ufile *u;
	int err;

	err = env_ufile(e, file, &u);
	if (err)
		return err;
	*path = u->path;
	if (!bpfkit_glob_has_wildcard(pattern)) {
		s = bpfkit_elf_file__find(u->elf, pattern);
		return s && s->kind == BPFKIT_ELF_SYM_FUNC ? env_add_ufunc(u, s, add, arg) : 0;
	}
	err = 0;
	for (size_t i = 0; !err && (s = bpfkit_elf_file__sym(u->elf, i)); i++)
		if (s->kind == BPFKIT_ELF_SYM_FUNC && bpfkit_glob_match(pattern, s->name))
			err = env_add_ufunc(u, s, add, arg);
	return err;
}

static int env_uaddr(void *user, const char *file, uint64_t addr, const char **path, struct bpfkit_lang_ufunc *out)
{
	struct bpfkit_kern_lang_env *e = user;
	const struct bpfkit_elf_sym *s;
	struct env_ufile *u;
	uint64_t off;
	int err;

	err = env_ufile(e, file, &u);
	if (err)
		return err;
	*path = u->path;
	if (bpfkit_elf_file__resolve(u->elf, addr, &s, &off) ||
	    bpfkit_elf_file__vaddr_to_offset(u->elf, s->addr, &out->offset))
		return -EADDRNOTAVAIL;
	out->name = s->name;
	out->addr = s->addr;
	out->size = s->size;
	return 0;
}

static int env_usym_addr(void *user, const char *file, const char *name, uint64_t off, uint64_t *addr,
			 uint64_t *off_vaddr, bool *pie)
{
	struct bpfkit_kern_lang_env *e = user;
	const struct bpfkit_elf_sym *s;
	struct env_ufile *u;
	int err;

	err = env_ufile(e, file, &u);
	if (err)
		return err;
	s = bpfkit_elf_file__find(u->elf, name);
	if (!s)
		return -ENOENT;
	*addr = s->addr;
	*pie = bpfkit_elf_file__is_dyn(u->elf);
	return bpfkit_elf_file__offset_to_vaddr(u->elf, off, off_vaddr) ? -ENOENT : 0;
}

/*
 * The USDT notes of @p u in the compiler's terms: one site per note, its
 * arguments copied (sym.h's and lang.h's structs say the same; the layers
 * do not share headers).
 */
static int env_usdt_load(struct env_ufile *u, char *why, size_t whysize)
{
	struct bpfkit_diag d = { 0 };
	size_t nargs = 0, k = 0;
	int err;

	if (u->usdt)
		return 0;
	err = bpfkit_usdt_list__read(u->path, &u->usdt, &d);
	if (err) {
		snprintf(why, whysize, "%s", d.msg);
		return err;
	}
	for (size_t i = 0; i < u->usdt->n; i++)
		nargs += u->usdt->probes[i].nargs;
	u->sites = calloc(u->usdt->n ? u->usdt->n : 1, sizeof(*u->sites));
	u->args = calloc(nargs ? nargs : 1, sizeof(*u->args));
	if (!u->sites || !u->args)
		return -ENOMEM;
	for (size_t i = 0; i < u->usdt->n; i++) {
		const struct bpfkit_usdt_probe *p = &u->usdt->probes[i];
		struct bpfkit_lang_usdt_site *s = &u->sites[i];

		*s = (struct bpfkit_lang_usdt_site){ .provider = p->provider, .name = p->name, .offset = p->offset,
						     .semaphore = p->sem_offset, .args = &u->args[k],
						     .nargs = p->nargs, .args_text = p->args_text, .error = p->error };
		for (size_t j = 0; j < p->nargs; j++) {
			const struct bpfkit_usdt_arg *a = &p->args[j];

			u->args[k++] = (struct bpfkit_lang_usdt_arg){
				.kind = a->kind == BPFKIT_USDT_ARG_CONST ? BPFKIT_LANG_USDT_CONST :
					a->kind == BPFKIT_USDT_ARG_REG	 ? BPFKIT_LANG_USDT_REG :
									   BPFKIT_LANG_USDT_MEM,
				.size = a->size, .is_signed = a->is_signed, .value = a->value, .reg = a->reg,
				.reg_size = a->reg_size, .reg_shift = a->reg_shift, .index_reg = a->index_reg,
				.scale = a->scale,
			};
		}
	}
	return 0;
}

/* The USDT sites of @p file whose provider and name match the globs. */
static int env_usdt(void *user, const char *file, const char *provider, const char *name, const char **path,
		    bpfkit_lang_usdt_fn add, void *arg)
{
	struct bpfkit_kern_lang_env *e = user;
	struct env_ufile *u;
	int err;

	err = env_ufile(e, file, &u);
	if (err)
		return err;
	*path = u->path;
	err = env_usdt_load(u, e->why, sizeof(e->why));
	if (err)
		return err;
	for (size_t i = 0; !err && i < u->usdt->n; i++) {
		const struct bpfkit_lang_usdt_site *s = &u->sites[i];

		if ((!provider || bpfkit_glob_match(provider, s->provider)) && bpfkit_glob_match(name, s->name))
			err = add(arg, s);
	}
	return err;
}

static const char *env_why(void *user)
{
	const struct bpfkit_kern_lang_env *e = user;

	return e->why[0] ? e->why : NULL;
}

static const char *env_ctype_why(void *user)
{
	return kern_types_why(((struct bpfkit_kern_lang_env *)user)->types);
}

struct bpfkit_kern_lang_env *bpfkit_kern_lang_env__new(const char *tracefs)
{
	struct bpfkit_kern_lang_env *e = calloc(1, sizeof(*e));
	int n;

	if (!e)
		return NULL;
	e->types = kern_types_new();
	if (!e->types || (tracefs && !(e->tracefs = strdup(tracefs)))) {
		kern_types_free(e->types);
		free(e);
		errno = ENOMEM;
		return NULL;
	}
	e->env.user = e;
	e->env.expand = env_expand;
	e->env.tp_fields = env_tp_fields;
	e->env.why = env_why;
	e->root_err = 1;
	e->env.ctype_find = env_ctype_find;
	e->env.ctype_get = env_ctype_get;
	e->env.ctype_enum = env_ctype_enum;
	e->env.ctype_names = env_ctype_names;
	e->env.ctype_why = env_ctype_why;
	e->env.ksym_addr = env_ksym_addr;
	e->env.cgroup_id = env_cgroup_id;
	e->env.ufuncs = env_ufuncs;
	e->env.uaddr = env_uaddr;
	e->env.usym_addr = env_usym_addr;
	e->env.usdt = env_usdt;
	e->env.uargs = env_uargs;
	if (bpfkit_feature_probe(BPFKIT_FEATURE_SDIV, NULL, 0) == 1)
		e->env.features |= BPFKIT_LANG_FEAT_SDIV;
	if (bpfkit_feature_probe(BPFKIT_FEATURE_RAW_TP, NULL, 0) == 1 || kern_feature_unprivileged_raw_tp())
		e->env.features |= BPFKIT_LANG_FEAT_RAW_TP;
	n = bpfkit_kern_ncpus();
	e->env.ncpus = n > 0 ? (unsigned)n : 0;
	return e;
}

const struct bpfkit_lang_env *bpfkit_kern_lang_env__env(const struct bpfkit_kern_lang_env *e)
{
	return &e->env;
}

const char *bpfkit_kern_lang_env__missing(const struct bpfkit_kern_lang_env *e)
{
	return e->missing[0] ? e->missing : NULL;
}

void bpfkit_kern_lang_env__free(struct bpfkit_kern_lang_env *e)
{
	if (!e)
		return;
	while (e->tps) {
		struct env_tp *t = e->tps;

		e->tps = t->next;
		free(t->fields);
		bpfkit_tp_format__free(t->fmt);
		free(t);
	}
	while (e->ufiles) {
		struct env_ufile *u = e->ufiles;

		e->ufiles = u->next;
		while (u->uargs) {
			struct env_uargs *a = u->uargs;

			u->uargs = a->next;
			bpfkit_dwarf_params__free(a->params, a->n);
			free(a->fields);
			free(a->func);
			free(a);
		}
		bpfkit_dwarf__free(u->dwarf);
		bpfkit_elf_file__free(u->elf);
		bpfkit_usdt_list__free(u->usdt);
		free(u->sites);
		free(u->args);
		free(u->file);
		free(u->path);
		free(u);
	}
	kern_types_free(e->types);
	free(e->tracefs);
	free(e);
}

void bpfkit_kern_lang_env__set_pid(struct bpfkit_kern_lang_env *e, int pid)
{
	e->pid = pid > 0 ? pid : 0;
}
