// SPDX-License-Identifier: MIT
/*
 * uprobe:FILE:FUNC and uretprobe:FILE:FUNC (u:, ur:): a program run when a
 * user-space function is entered or returns, in every process that runs
 * FILE (or only in the -p process). FUNC is a name, a glob (one program per
 * function it matches; `func` names the one that fired), NAME+OFFSET (an
 * instruction inside the function) or an address (0x...). The context is
 * the task's struct pt_regs: arg0..arg9 and retval in providers/ptregs.c.
 *
 * The compiler opens no file: the environment resolves FILE (a path, a
 * program in $PATH, a library name such as "libc"), lists its functions
 * and gives their file offsets (the kernel's uprobe takes a path and an
 * offset), as bpftrace 0.17 does through bcc.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/compile_int.h"

struct ufunc_arg {
	struct cctx *c;
	const struct provider *p;
	const struct bpfkit_ast_attach *a;
	struct ptrvec *out;
	const char **path;
	uint64_t off; /* FUNC+OFF */
	bool versioned; /* the pattern names a version (foo@@GLIBC_2.2.5) */
	const char *first; /* an exact name: the symbol found */
	uint64_t first_size;
};

/* A number written in a probe: decimal or 0x hex, the whole text. */
static bool parse_num(const char *s, uint64_t *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return !*end && !errno;
}

/* A target named "uprobe:PATH:WHAT" for function @p f at file offset @p off. */
static struct target *new_target(struct cctx *c, const struct provider *p, const struct bpfkit_ast_attach *a,
				 const char *path, const char *what, const char *func, uint64_t off)
{
	struct target *t = target_new(c, p, a, path);
	const char *prov = bpfkit_probe_type_name(p->type);
	size_t n = strlen(prov) + strlen(path) + strlen(what) + 3;
	char *name = arena_alloc(c->a, n);

	snprintf(name, n, "%s:%s:%s", prov, path, what);
	t->name = name;
	t->func = arena_strndup(c->a, func, strlen(func));
	t->offset = off;
	t->user_strings = p->user; /* str(arg0) reads the process's memory */
	return t;
}

/* One function of the file matched: a program for it (versioned aliases,
 * "foo@@V", only when the pattern asks for a version, else a glob would
 * probe foo twice). */
static int add_ufunc(void *arg, const struct bpfkit_lang_ufunc *f)
{
	struct ufunc_arg *x = arg;

	if (!x->versioned && strchr(f->name, '@'))
		return 0;
	if (!x->first) {
		x->first = arena_strndup(x->c->a, f->name, strlen(f->name));
		x->first_size = f->size;
	}
	ptrvec_push(x->c->a, x->out,
		    new_target(x->c, x->p, x->a, *x->path, f->name, f->name, f->offset + x->off));
	return 0;
}

/* The environment's error about FILE, in bpftrace's words where it has some. */
static int file_error(struct cctx *c, const struct bpfkit_ast_attach *a, const char *file, int err)
{
	const char *why = c->env && c->env->why ? c->env->why(c->env->user) : NULL;

	if (err == -ENOENT)
		return sema_error(c, attach_part_loc(a, 0), NULL,
				  "uprobe target file '%s' does not exist or is not executable%s%s%s", file,
				  why ? " (" : "", why ? why : "", why ? ")" : "");
	return sema_error(c, attach_part_loc(a, 0), NULL, "uprobe target file '%s': %s", file, env_why(c, err));
}

/* uprobe:FILE:0xADDR: the function holding the address names the probe's func. */
static int expand_addr(struct cctx *c, const struct provider *p, const struct bpfkit_ast_attach *a, uint64_t addr,
		       struct ptrvec *out)
{
	const char *file = a->parts[0], *path = NULL;
	struct bpfkit_lang_ufunc f = { 0 };
	int err;

	if (!c->env || !c->env->uaddr)
		return sema_error(c, a->loc, NULL, "no symbol tables available to resolve %s", a->raw);
	err = c->env->uaddr(c->env->user, file, addr, &path, &f);
	if (err == -EADDRNOTAVAIL)
		return sema_error(c, attach_part_loc(a, 1), NULL, "could not resolve address %s in %s: no function holds it",
				  a->parts[1], path ? path : file);
	if (err)
		return file_error(c, a, file, err);
	if (addr != f.addr)
		sema_warning(c, attach_part_loc(a, 1),
			     "address %s is %#llx bytes into '%s': bpfkit cannot check that an instruction starts "
			     "there, and a probe inside an instruction corrupts the program",
			     a->parts[1], (unsigned long long)(addr - f.addr), f.name);
	ptrvec_push(c->a, out, new_target(c, p, a, path, a->parts[1], f.name, f.offset + (addr - f.addr)));
	((struct target *)out->items[out->n - 1])->offset_in_func = addr != f.addr;
	return 0;
}

static int uprobe_expand(struct cctx *c, const struct bpfkit_ast_attach *a, struct ptrvec *out)
{
	const struct provider *p = provider_find(a->type);
	const char *prov = bpfkit_probe_type_name(a->type), *func, *plus, *path = NULL;
	struct ufunc_arg x = { c, p, a, out, &path, 0, false, NULL, 0 };
	size_t first = out->n;
	uint64_t addr;
	char *name;
	int err;

	if (a->nparts != 2 || !a->parts[0][0] || !a->parts[1][0])
		return sema_error(c, a->loc, NULL, "%s probes are written %s:FILE:FUNCTION (or FUNCTION+OFFSET, or an "
				  "address)", prov, prov);
	if (strpbrk(a->parts[0], "*?"))
		return sema_error(c, attach_part_loc(a, 0), NULL,
				  "wildcards in the file of a %s are not supported (bpfkit trace -l lists them)", prov);
	func = a->parts[1];
	if (parse_num(func, &addr))
		return expand_addr(c, p, a, addr, out);
	if (!c->env || !c->env->ufuncs)
		return sema_error(c, a->loc, NULL, "no symbol tables available to resolve %s", a->raw);
	plus = strrchr(func, '+');
	if (plus) {
		if (a->wildcard || !parse_num(plus + 1, &x.off))
			return sema_error(c, attach_part_loc(a, 1), NULL,
					  "'%s': an offset is written FUNCTION+N, N a number (no wildcards)", func);
		name = arena_strndup(c->a, func, (size_t)(plus - func));
	} else {
		name = arena_strndup(c->a, func, strlen(func));
	}
	x.versioned = strchr(name, '@') != NULL;
	err = c->env->ufuncs(c->env->user, a->parts[0], name, &path, add_ufunc, &x);
	if (err)
		return file_error(c, a, a->parts[0], err);
	if (out->n == first)
		return sema_error(c, attach_part_loc(a, 1), NULL, a->wildcard ? "no function matches '%s' in %s"
						   : "no function '%s' in %s", name, path ? path : a->parts[0]);
	if (plus) {
		/* FUNC+OFF: the name the probe was written with, as bpftrace names it */
		struct target *t = out->items[first];

		t->name = new_target(c, p, a, path, func, x.first, 0)->name;
		t->offset_in_func = x.off != 0;
		if (x.first_size && x.off >= x.first_size)
			return sema_error(c, attach_part_loc(a, 1), NULL,
					  "offset %llu is outside the function bounds ('%s' size is %llu)",
					  (unsigned long long)x.off, x.first, (unsigned long long)x.first_size);
		if (x.off)
			sema_warning(c, attach_part_loc(a, 1),
				     "bpfkit cannot check that an instruction starts at '%s': a probe inside an "
				     "instruction corrupts the program", func);
	}
	return 0;
}

/*
 * args.x / args->x in a uprobe: the function's parameters from the file's
 * DWARF (the environment reads it), each the low bytes of its argument
 * register in the struct pt_regs context, as bpftrace reads them. Valid at
 * the function's entry only: offsets into a function and uretprobes are
 * refused, since the registers have moved on there.
 */
static int uprobe_args(struct cctx *c, struct target *t, struct bpfkit_loc loc)
{
	const struct bpfkit_lang_field *f = NULL;
	struct bpfkit_lang_field *copy;
	size_t n = 0;
	int err;

	if (t->fields_loaded)
		return 0;
	if (t->prov->retval)
		return sema_error(c, loc, NULL, "'args' is not available in uretprobe probes: the arguments' "
				  "registers are gone when the function returns (save them in a uprobe, in a map keyed by tid)");
	if (t->offset_in_func)
		return sema_error(c, loc, NULL, "'args' is only available at a function's entry, not at %s", t->name);
	if (!c->env || !c->env->uargs)
		return sema_error(c, loc, NULL, "no debug info available to resolve args of %s", t->name);
	err = c->env->uargs(c->env->user, t->target, t->func, &f, &n);
	if (err || (n && !f))
		return sema_error(c, loc, NULL, "cannot read the arguments of %s: %s", t->func,
				  env_why(c, err < 0 ? err : -EINVAL));
	copy = fields_copy(c, f, n);
	for (size_t i = 0; i < n; i++) {
		int off = ptregs_arg_offset((int)f[i].offset);
		char buf[300];

		if (off < 0) {
			/* on the stack: refused when used, the type saying why */
			snprintf(buf, sizeof(buf), "%s, passed on the stack (read it as arg%u)", copy[i].type, f[i].offset);
			copy[i].type = arena_strndup(c->a, buf, strlen(buf));
			copy[i].size = 0;
			copy[i].is_ptr = false;
			off = 0;
		}
		copy[i].offset = (uint32_t)off;
	}
	t->fields = copy;
	t->nfields = n;
	t->fields_loaded = true;
	return 0;
}

const struct provider provider_uprobe = {
	.type = BPFKIT_PROBE_UPROBE,
	.expand = uprobe_expand,
	.args = uprobe_args,
	.pt_regs = true,
	.user = true,
};

const struct provider provider_uretprobe = {
	.type = BPFKIT_PROBE_URETPROBE,
	.expand = uprobe_expand,
	.args = uprobe_args,
	.pt_regs = true,
	.user = true,
	.retval = true,
};
