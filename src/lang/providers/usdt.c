// SPDX-License-Identifier: MIT
/*
 * usdt:FILE:PROVIDER:NAME and usdt:FILE:NAME (U:): a program run at a
 * USDT probe site of FILE (systemtap's <sys/sdt.h> markers, listed in the
 * file's .note.stapsdt), in every process that runs FILE (or only in the
 * -p process). Provider and name take wildcards; the short form needs a
 * name that one provider alone has. A marker the compiler duplicated
 * (an inlined function) has a site per copy: each is a program of its own,
 * all named usdt:PATH:PROVIDER:NAME, as bpftrace attaches them.
 *
 * The context is the uprobe's struct pt_regs. arg0..arg11 are read as the
 * site's note says (each site may say differently): a register, a
 * constant, or memory at a register plus a displacement (plus an index
 * times a scale), read with probe_read_user; then sign- or zero-extended
 * from the spec's size. A global (sym(%rip)) is at the site's address plus
 * a displacement the environment computed, so no load address is needed.
 *
 * The compiler opens no file: the environment (env->usdt) resolves FILE,
 * reads the notes and matches the globs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/compile_int.h"

#define PT_REGS_IP 128 /* x86-64 struct pt_regs: ip */
#define USDT_MAX_ARGS 12 /* what <sys/sdt.h> can write */

struct usdt_arg {
	struct cctx *c;
	const struct bpfkit_ast_attach *a;
	struct ptrvec *out;
	const char **path;
	struct ptrvec sites; /* const struct bpfkit_lang_usdt_site * */
};

static int add_site(void *arg, const struct bpfkit_lang_usdt_site *site)
{
	struct usdt_arg *x = arg;

	ptrvec_push(x->c->a, &x->sites, (void *)site);
	return 0;
}

/* A target "usdt:PATH:PROVIDER:NAME" for one site. */
static struct target *site_target(struct cctx *c, const struct bpfkit_ast_attach *a, const char *path,
				  const struct bpfkit_lang_usdt_site *site)
{
	size_t n = strlen(path) + strlen(site->provider) + strlen(site->name) + 3;
	char *what = arena_alloc(c->a, n);
	struct target *t;

	snprintf(what, n, "%s:%s:%s", path, site->provider, site->name);
	t = target_new(c, &provider_usdt, a, what);
	t->target = arena_strndup(c->a, path, strlen(path)); /* the file: what bpfkit_lang_prog.target holds */
	t->offset = site->offset;
	t->usdt = site;
	t->user_strings = true; /* str(arg0) reads the process's memory */
	return t;
}

/* The environment's error about FILE. */
static int file_error(struct cctx *c, const struct bpfkit_ast_attach *a, const char *file, int err)
{
	const char *why = c->env && c->env->why ? c->env->why(c->env->user) : NULL;

	if (err == -ENOENT)
		return sema_error(c, attach_part_loc(a, 0), NULL, "usdt target file '%s' does not exist%s%s%s", file,
				  why ? " (" : "", why ? why : "", why ? ")" : "");
	return sema_error(c, attach_part_loc(a, 0), NULL, "usdt target file '%s': %s", file, env_why(c, err));
}

/* Nothing matched: say so, with the closest probe name of the file. */
static int no_match(struct cctx *c, const struct bpfkit_ast_attach *a, const char *path)
{
	struct usdt_arg all = { .c = c };
	const char *hint = NULL, *want = a->parts[a->nparts - 1];
	const char **names;

	if (!c->env->usdt(c->env->user, a->parts[0], NULL, "*", &path, add_site, &all) && all.sites.n) {
		names = arena_alloc(c->a, all.sites.n * sizeof(*names));
		for (size_t i = 0; i < all.sites.n; i++)
			names[i] = ((const struct bpfkit_lang_usdt_site *)all.sites.items[i])->name;
		hint = bpfkit_lang_suggest(want, names, all.sites.n);
	}
	if (!all.sites.n)
		return sema_error(c, attach_part_loc(a, 0), NULL, "%s has no USDT probes", path);
	if (a->nparts == 3)
		return sema_error(c, attach_part_loc(a, 2), hint, "no USDT probe %s:%s in %s", a->parts[1], want, path);
	return sema_error(c, attach_part_loc(a, 1), hint, "no USDT probe %s in %s", want, path);
}

/*
 * usdt:FILE:PROVIDER:NAME or usdt:FILE:NAME: one target per matching site.
 * The short form with a name two providers share is ambiguous, as in
 * bpftrace; with wildcards it takes every provider.
 */
static int usdt_expand(struct cctx *c, const struct bpfkit_ast_attach *a, struct ptrvec *out)
{
	struct usdt_arg x = { .c = c, .a = a, .out = out };
	const char *path = NULL, *prov, *name;
	int err;

	if ((a->nparts != 2 && a->nparts != 3) || !a->parts[0][0] || !a->parts[a->nparts - 1][0] ||
	    (a->nparts == 3 && !a->parts[1][0]))
		return sema_error(c, a->loc, NULL, "usdt probes are written usdt:FILE:PROVIDER:NAME or usdt:FILE:NAME");
	if (strpbrk(a->parts[0], "*?"))
		return sema_error(c, attach_part_loc(a, 0), NULL,
				  "wildcards in the file of a usdt probe are not supported (bpfkit trace -l -p PID "
				  "lists the probes of a process's files)");
	if (!c->env || !c->env->usdt)
		return sema_error(c, a->loc, NULL, "no USDT notes available to resolve %s", a->raw);
	prov = a->nparts == 3 ? a->parts[1] : NULL;
	name = a->parts[a->nparts - 1];
	x.path = &path;
	err = c->env->usdt(c->env->user, a->parts[0], prov, name, &path, add_site, &x);
	if (err)
		return file_error(c, a, a->parts[0], err);
	if (!x.sites.n)
		return no_match(c, a, path ? path : a->parts[0]);
	if (!prov && !a->wildcard) {
		const struct bpfkit_lang_usdt_site *f = x.sites.items[0];

		for (size_t i = 1; i < x.sites.n; i++) {
			const struct bpfkit_lang_usdt_site *s = x.sites.items[i];

			if (strcmp(s->provider, f->provider))
				return sema_error(c, attach_part_loc(a, 1), NULL,
						  "usdt probe '%s' is ambiguous in %s: providers %s and %s have it; write "
						  "usdt:%s:PROVIDER:%s",
						  name, path, f->provider, s->provider, a->parts[0], name);
		}
	}
	for (size_t i = 0; i < x.sites.n; i++)
		ptrvec_push(c->a, out, site_target(c, a, path, x.sites.items[i]));
	return 0;
}

const struct provider provider_usdt = {
	.type = BPFKIT_PROBE_USDT,
	.expand = usdt_expand,
	.pt_regs = true, /* reg("name") reads the registers at the site */
	.user = true,
};

/* ---- arg0 .. arg11 ---------------------------------------------------------------------- */

/* Extend the low @p size bytes of @p dst to 64 bits, signed or not. */
static void extend(struct cg *g, int dst, unsigned size, bool sign)
{
	if (size >= 8)
		return;
	cg_emit(g, BPFKIT_ALU64 | BPFKIT_LSH | BPFKIT_K, dst, 0, 0, 64 - 8 * (int)size);
	cg_emit(g, BPFKIT_ALU64 | (sign ? BPFKIT_ARSH : BPFKIT_RSH) | BPFKIT_K, dst, 0, 0, 64 - 8 * (int)size);
}

/*
 * The address of a memory operand into r3: base register + displacement
 * (+ index register * scale). r3 and r4 are free here: nothing lives in
 * r1-r5 between expressions.
 */
static void gen_mem_addr(struct cg *g, const struct bpfkit_lang_usdt_arg *a)
{
	if (a->reg >= 0)
		cg_load(g, 3, CG_CTX, a->reg, 8, false);
	else
		cg_mov_imm(g, 3, 0);
	if (a->value >= INT32_MIN && a->value <= INT32_MAX) {
		if (a->value)
			cg_emit(g, BPFKIT_ALU64 | BPFKIT_ADD | BPFKIT_K, 3, 0, 0, (int32_t)a->value);
	} else {
		cg_mov_imm(g, 4, a->value);
		cg_emit(g, BPFKIT_ALU64 | BPFKIT_ADD | BPFKIT_X, 3, 4, 0, 0);
	}
	if (a->index_reg >= 0) {
		int shift = a->scale == 8 ? 3 : a->scale == 4 ? 2 : a->scale == 2 ? 1 : 0;

		cg_load(g, 4, CG_CTX, a->index_reg, 8, false);
		if (shift)
			cg_emit(g, BPFKIT_ALU64 | BPFKIT_LSH | BPFKIT_K, 4, 0, 0, shift);
		cg_emit(g, BPFKIT_ALU64 | BPFKIT_ADD | BPFKIT_X, 3, 4, 0, 0);
	}
}

/* argN of a usdt probe into @p dst, as this target's site describes it. */
static void gen_arg(struct cg *g, const struct bpfkit_ast_expr *e, int dst)
{
	const struct bpfkit_lang_usdt_arg *a = &g->c->t->usdt->args[sx_of(e)->argn];
	unsigned n;
	int sp, slot;

	switch (a->kind) {
	case BPFKIT_LANG_USDT_CONST:
		cg_mov_imm(g, dst, a->value);
		extend(g, dst, a->size, a->is_signed);
		return;
	case BPFKIT_LANG_USDT_REG:
		/* the part of the register the spec names: a narrow load of
		 * pt_regs (little-endian: %eax is the low 4 bytes of ax, %ah
		 * the byte above %al), never wider than the spec's size */
		n = a->reg_size && a->reg_size < a->size ? a->reg_size : a->size;
		cg_load(g, dst, CG_CTX, a->reg + a->reg_shift / 8, n, a->is_signed && n == a->size);
		return;
	case BPFKIT_LANG_USDT_MEM:
		sp = g->sp;
		slot = cg_stack(g, 8);
		cg_zero(g, slot, 8);
		gen_mem_addr(g, a);
		cg_probe_read(g, slot, a->size, 3, true);
		cg_load(g, dst, BPFKIT_REG_FP, slot, a->size, a->is_signed);
		g->sp = sp;
		return;
	}
	cg_mov_imm(g, dst, 0);
}

static const struct builtin usdt_arg_builtin = { .name = "argN", .t = &ty_u64, .gen_int = gen_arg };

/*
 * argN in a usdt probe: N within this site's arguments (each site of a
 * duplicated marker is checked: they may differ), and a site whose notes
 * could not be read is an error here, where its arguments are wanted.
 * Returns 1 when @p e is no argN (the caller goes on), 0 or -EINVAL.
 */
int usdt_check_arg(struct cctx *c, const struct bpfkit_ast_expr *e, struct sx *s)
{
	const char *name = e->u.ident.name;
	const struct bpfkit_lang_usdt_site *site = c->t->usdt;
	char *end;
	long n;

	if (!site || strncmp(name, "arg", 3) || name[3] < '0' || name[3] > '9')
		return 1;
	n = strtol(name + 3, &end, 10);
	if (*end || (name[3] == '0' && name[4]))
		return 1;
	if (n >= USDT_MAX_ARGS)
		return sema_error(c, e->loc, NULL, "USDT probes have at most %d arguments (arg0 to arg%d)",
				  USDT_MAX_ARGS, USDT_MAX_ARGS - 1);
	if (site->error)
		return sema_error(c, e->loc, NULL, "%s: cannot read its arguments: %s", c->t->name, site->error);
	if ((size_t)n >= site->nargs)
		return sema_error(c, e->loc, NULL, "%s has %zu argument%s (\"%s\"): there is no %s", c->t->name,
				  site->nargs, site->nargs == 1 ? "" : "s", site->args_text ? site->args_text : "", name);
	s->argn = (int)n;
	s->bi = &usdt_arg_builtin;
	s->t = &ty_u64;
	return 0;
}
