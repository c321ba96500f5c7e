// SPDX-License-Identifier: MIT
/*
 * bpftrace-style probe specs and their wildcards.
 *
 *   spec  -> whole | type {':' part}
 *   whole -> text without ':' that is not a type name ("*sched_switch*")
 *   type  -> a provider name or alias ("tracepoint", "t"), or a glob ("tr*")
 *   part  -> text with '*' and '?', '"' quoting ':' inside
 *
 * A spec matches a probe name part by part, so '*' never crosses ':' there;
 * only a whole-name spec sees the name as one string.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kern/kern_int.h"

/*
 * '*' matches any run, '?' one character. On a mismatch after a '*', retry
 * with the star eating one more character: only the last star is ever
 * retried, which is enough for globs and keeps the time O(plen * slen).
 */
bool glob_match_n(const char *p, size_t plen, const char *s, size_t slen)
{
	size_t pi = 0, si = 0, star = SIZE_MAX, mark = 0;

	while (si < slen) {
		if (pi < plen && p[pi] == '*') {
			star = pi++;
			mark = si;
		} else if (pi < plen && (p[pi] == '?' || p[pi] == s[si])) {
			pi++;
			si++;
		} else if (star != SIZE_MAX) {
			pi = star + 1;
			si = ++mark;
		} else {
			return false;
		}
	}
	while (pi < plen && p[pi] == '*')
		pi++;
	return pi == plen;
}

bool bpfkit_glob_match(const char *pattern, const char *text)
{
	if (!pattern || !text)
		return false;
	return glob_match_n(pattern, strlen(pattern), text, strlen(text));
}

bool bpfkit_glob_has_wildcard(const char *s)
{
	return s && strpbrk(s, "*?") != NULL;
}

/* "unknown probe type 'x'", with the closest name when one is close. */
static int unknown_type(struct bpfkit_diag *diag, const char *name)
{
	const char *cands[64];
	const char *hint, *sp;
	size_t n = 0;

	while (n < sizeof(cands) / sizeof(cands[0]) && (sp = bpfkit_probe_type_spelling(n)))
		cands[n++] = sp;
	hint = bpfkit_lang_suggest(name, cands, n);
	if (hint)
		return bpfkit_diag__set(diag, -EINVAL, "unknown probe type '%s'; did you mean '%s'?", name,
					hint);
	return bpfkit_diag__set(diag, -EINVAL, "unknown probe type '%s'", name);
}

/*
 * Split @p text at ':' outside double quotes into NUL-terminated pieces in
 * @p out (the quotes dropped); @p pieces receives where each starts.
 * Returns the number of pieces, or a negative errno with a message.
 */
static int split_spec(const char *text, char *out, const char **pieces, size_t max,
		      struct bpfkit_diag *diag)
{
	bool quoted = false;
	size_t n = 0;
	char *o = out;

	pieces[n++] = o;
	for (const char *c = text; *c; c++) {
		if (*c == '"') {
			quoted = !quoted;
		} else if (*c == ':' && !quoted) {
			*o++ = '\0';
			if (n == max)
				return bpfkit_diag__set(diag, -EINVAL,
							"probe spec '%s' has more than %zu ':'-separated parts",
							text, max - 1);
			pieces[n++] = o;
		} else {
			*o++ = *c;
		}
	}
	*o = '\0';
	if (quoted)
		return bpfkit_diag__set(diag, -EINVAL, "probe spec '%s' has an unterminated '\"'", text);
	return (int)n;
}

/*
 * Fill @p spec from @p text: decide between a whole-name pattern, a bare
 * type and type:parts, resolve an alias, and refuse unknown types (a typo
 * would otherwise quietly match nothing).
 */
int bpfkit_probe_spec__parse(struct bpfkit_probe_spec *spec, const char *text, struct bpfkit_diag *diag)
{
	const char *pieces[BPFKIT_PROBE_SPEC_MAX_PARTS + 1];
	size_t len;
	char *buf;
	int n;

	memset(spec, 0, sizeof(*spec));
	spec->type = -1;
	if (!text || !*text)
		return bpfkit_diag__set(diag, -EINVAL, "empty probe spec");
	len = strlen(text);
	buf = malloc(2 * len + 2);
	if (!buf)
		return bpfkit_diag__set(diag, -ENOMEM, "out of memory");
	memcpy(buf, text, len + 1);
	spec->buf_ = buf;
	spec->text = buf;
	n = split_spec(text, buf + len + 1, pieces, BPFKIT_PROBE_SPEC_MAX_PARTS + 1, diag);
	if (n < 0)
		goto err;
	spec->wildcard = false;
	for (int i = 0; i < n; i++)
		spec->wildcard |= bpfkit_glob_has_wildcard(pieces[i]);
	if (n == 1) {
		spec->type = bpfkit_probe_type_lookup(pieces[0]);
		if (spec->type >= 0) {
			spec->type_part = pieces[0];
		} else {
			if (!*pieces[0]) {
				n = bpfkit_diag__set(diag, -EINVAL, "empty probe spec");
				goto err;
			}
			spec->whole = true;
			spec->parts[0] = pieces[0];
			spec->nparts = 1;
		}
		return 0;
	}
	spec->type_part = pieces[0];
	if (!*pieces[0]) {
		n = bpfkit_diag__set(diag, -EINVAL, "probe spec '%s' has no type before ':'", text);
		goto err;
	}
	if (!bpfkit_glob_has_wildcard(pieces[0])) {
		spec->type = bpfkit_probe_type_lookup(pieces[0]);
		if (spec->type < 0) {
			n = unknown_type(diag, pieces[0]);
			goto err;
		}
	}
	for (int i = 1; i < n; i++)
		spec->parts[spec->nparts++] = pieces[i];
	return 0;
err:
	bpfkit_probe_spec__release(spec);
	return n;
}

void bpfkit_probe_spec__release(struct bpfkit_probe_spec *spec)
{
	if (!spec)
		return;
	free(spec->buf_);
	memset(spec, 0, sizeof(*spec));
	spec->type = -1;
}

/*
 * Whether some text that starts with @p prefix could match glob @p p: walk
 * both; a '*' can take the rest of the prefix (and the text after it can be
 * anything the rest of the glob wants).
 */
static bool glob_may_match_prefix(const char *p, const char *prefix)
{
	for (; *prefix; p++, prefix++) {
		if (*p == '*')
			return true;
		if (*p != '?' && *p != *prefix)
			return false;
	}
	return true;
}

/* A whole-name spec may match a type when its glob can match a name that
 * starts with the type's name ("k*" kprobes and kretprobes, "*x" any). */
bool bpfkit_probe_spec__may_match_type(const struct bpfkit_probe_spec *spec, enum bpfkit_probe_type type)
{
	if (spec->whole)
		return glob_may_match_prefix(spec->parts[0], bpfkit_probe_type_name(type));
	if (spec->type >= 0)
		return spec->type == (int)type;
	return spec->type_part && bpfkit_glob_match(spec->type_part, bpfkit_probe_type_name(type));
}

/*
 * Compare part by part. The probe's parts are the ':'-separated pieces of
 * @p name after the type. A part the spec leaves out matches anything; a
 * part the probe lacks is "" for the spec's part to match.
 */
bool bpfkit_probe_spec__match(const struct bpfkit_probe_spec *spec, enum bpfkit_probe_type type,
			      const char *name)
{
	const char *rest;
	size_t i;

	if (!spec || !name)
		return false;
	if (spec->whole)
		return bpfkit_glob_match(spec->parts[0], name);
	if (!bpfkit_probe_spec__may_match_type(spec, type))
		return false;
	rest = strchr(name, ':');
	for (i = 0; i < spec->nparts; i++) {
		const char *p = spec->parts[i];
		const char *end;
		size_t len;

		if (!rest) {
			if (!glob_match_n(p, strlen(p), "", 0))
				return false;
			continue;
		}
		rest++;
		end = strchr(rest, ':');
		len = end ? (size_t)(end - rest) : strlen(rest);
		if (!glob_match_n(p, strlen(p), rest, len))
			return false;
		rest = end;
	}
	return true;
}
