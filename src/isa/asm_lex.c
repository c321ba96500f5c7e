// SPDX-License-Identifier: MIT
/*
 * The assembler's lexer: the decorations around pasted text (llvm-objdump's
 * slot index, bytes, symbol and relocation lines; the verifier log's
 * "12: (b7)" prefix), then tokens with the column each one starts at.
 *
 * Comments: '#' at the start of a line or after whitespace ("call foo#1" is
 * the verifier's helper spelling, not a comment), ';' and "//" anywhere.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "asm_int.h"

static bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\v' || ch == '\f';
}

static int hex_val(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

static size_t skip_blanks(const char *p, size_t i, size_t n)
{
	while (i < n && is_blank(p[i]))
		i++;
	return i;
}

static size_t count_hex(const char *p, size_t i, size_t n)
{
	size_t h = 0;

	while (i + h < n && hex_val(p[i + h]) >= 0)
		h++;
	return h;
}

static bool has_at(const char *p, size_t i, size_t n, const char *s)
{
	size_t l = strlen(s);

	return i <= n && n - i >= l && !memcmp(p + i, s, l);
}

/* "0000000000000000 <name>:" starts a function or a jump target in
 * llvm-objdump -d output; the name becomes a label. */
static bool prefix_symbol(struct asm_line *ln, size_t i, size_t h)
{
	const char *p = ln->p;
	size_t n = ln->len, s = i + h + 2, e;

	if (h < 8 || !has_at(p, i + h, n, " <"))
		return false;
	for (e = s; e < n && p[e] != '>'; e++)
		;
	if (e == s || !has_at(p, e, n, ">:") || skip_blanks(p, e + 2, n) != n)
		return false;
	ln->kind = LINE_SYMBOL;
	ln->name = p + s;
	ln->name_len = (int)(e - s);
	ln->name_col = (int)s + 1;
	return true;
}

/* "\t\t0000000000000028:  R_BPF_64_64\tmy_map": a relocation llvm-objdump -r
 * prints under the instruction it applies to. */
static bool prefix_reloc(struct asm_line *ln, size_t i, size_t h)
{
	const char *p = ln->p;
	size_t n = ln->len, t, e;

	if (!h || !has_at(p, i + h, n, ":"))
		return false;
	t = skip_blanks(p, i + h + 1, n);
	if (!has_at(p, t, n, "R_BPF_"))
		return false;
	for (e = t; e < n && !is_blank(p[e]); e++)
		;
	ln->kind = LINE_RELOC;
	ln->reloc_64 = e - t == 11 && !memcmp(p + t, "R_BPF_64_64", 11);
	t = skip_blanks(p, e, n);
	for (e = t; e < n && !is_blank(p[e]); e++)
		;
	ln->name = p + t;
	ln->name_len = (int)(e - t);
	ln->name_col = (int)t + 1;
	return true;
}

/* After "N:" llvm-objdump prints 8 (or, for LDDW, 16) bytes as hex pairs.
 * Reads them into ln->bytes and returns where the text starts, or @p j
 * unchanged when what follows is not such a byte list. */
static size_t prefix_bytes(struct asm_line *ln, size_t j)
{
	const char *p = ln->p;
	size_t n = ln->len, k = j;
	int nb = 0;

	while (nb < 16 && k + 2 <= n && hex_val(p[k]) >= 0 && hex_val(p[k + 1]) >= 0 &&
	       (k + 2 == n || is_blank(p[k + 2]))) {
		ln->bytes[nb++] = (uint8_t)(hex_val(p[k]) << 4 | hex_val(p[k + 1]));
		k += 2;
		if (k < n && p[k] == ' ' && k + 3 <= n && hex_val(p[k + 1]) >= 0)
			k++; /* the single space between bytes */
		else
			break;
	}
	if (nb != 8 && nb != 16)
		return j;
	ln->nbytes = nb;
	return skip_blanks(p, k, n);
}

/*
 * Classify a line and find where its assembler text starts. Pasted
 * llvm-objdump output and verifier logs decorate instructions with a slot
 * index and bytes or an opcode; those are stripped here (the bytes and the
 * opcode are kept as cross-checks), so the dialect parsers see plain text.
 */
int asm_lex_prefix(struct asm_ctx *c, struct asm_line *ln)
{
	const char *p = ln->p;
	size_t n = ln->len, i, h, d, j;

	(void)c;
	ln->kind = LINE_TEXT;
	ln->text_off = 0;
	ln->hint = -1;
	ln->nbytes = 0;
	i = skip_blanks(p, 0, n);
	if (has_at(p, i, n, "Disassembly of section ") ||
	    (i == 0 && memmem(p, n, "file format ", 12) && memchr(p, ':', n))) {
		ln->kind = LINE_SKIP;
		return 0;
	}
	h = count_hex(p, i, n);
	if (prefix_symbol(ln, i, h) || prefix_reloc(ln, i, h))
		return 0;
	for (d = 0; i + d < n && isdigit((unsigned char)p[i + d]); d++)
		;
	if (!d || !has_at(p, i + d, n, ":") || (i + d + 1 < n && !is_blank(p[i + d + 1])))
		return 0;
	/* "  12: " slot index; then "(b7) " (verifier log) or bytes (objdump) */
	j = skip_blanks(p, i + d + 1, n);
	if (j + 4 <= n && p[j] == '(' && hex_val(p[j + 1]) >= 0 && hex_val(p[j + 2]) >= 0 &&
	    p[j + 3] == ')') {
		ln->hint = hex_val(p[j + 1]) << 4 | hex_val(p[j + 2]);
		ln->hint_col = (int)j + 1;
		j = skip_blanks(p, j + 4, n);
	} else {
		j = prefix_bytes(ln, j);
	}
	ln->text_off = j;
	return 0;
}

/* Two- and three-character operators, longest first. */
static const char *const long_puncts[] = {
	"<<=", ">>=", "+=", "-=", "*=", "/=", "%=", "|=", "&=", "^=", "==", "!=", "<=", ">=", "<<", ">>",
};
static const char single_puncts[] = "=<>+-*/%|&^()[],:!~#";

/* Signed operators are written with a leading 's' (s>>=, s/=, s<=, s>). */
static const char *const signed_puncts[] = {
	"s>>=", "s>=", "s>", "s<=", "s<", "s/=", "s%=",
};

static int match_punct(const char *p, size_t n)
{
	for (size_t k = 0; k < sizeof(signed_puncts) / sizeof(*signed_puncts); k++) {
		size_t l = strlen(signed_puncts[k]);
		if (n >= l && !memcmp(p, signed_puncts[k], l))
			return (int)l;
	}
	return 0;
}

static int match_op(const char *p, size_t n)
{
	for (size_t k = 0; k < sizeof(long_puncts) / sizeof(*long_puncts); k++) {
		size_t l = strlen(long_puncts[k]);
		if (n >= l && !memcmp(p, long_puncts[k], l))
			return (int)l;
	}
	return strchr(single_puncts, p[0]) && p[0] ? 1 : 0;
}

static bool ident_start(char ch)
{
	return isalpha((unsigned char)ch) || ch == '_' || ch == '.' || ch == '$';
}

static bool ident_char(char ch)
{
	return isalnum((unsigned char)ch) || ch == '_' || ch == '.' || ch == '$';
}

/* An identifier spelled like a register (r0, w3, %r10) becomes TOK_REG; an
 * out-of-range number is kept so the parser can say "r11" is invalid. */
static void classify_ident(struct asm_tok *t)
{
	const char *s = t->p;
	int l = t->len, k = 0, v = 0;

	if (s[0] == '%') {
		s++;
		l--;
	}
	if (l < 2 || (s[0] != 'r' && s[0] != 'w'))
		return;
	for (k = 1; k < l; k++) {
		if (!isdigit((unsigned char)s[k]))
			return;
		v = v < 99 ? v * 10 + (s[k] - '0') : 99;
	}
	t->kind = TOK_REG;
	t->percent = t->p[0] == '%';
	t->reg_kind = s[0];
	t->reg = v > 99 ? 99 : v;
}

/* Whether a symbol name from a relocation line can be written back as a
 * NAME token: an identifier that is not spelled like a register. */
bool asm_lex_is_name(const char *p, int len)
{
	struct asm_tok t = { .kind = TOK_IDENT, .p = p, .len = len };

	if (len <= 0 || !ident_start(p[0]))
		return false;
	for (int i = 1; i < len; i++)
		if (!ident_char(p[i]))
			return false;
	classify_ident(&t);
	return t.kind == TOK_IDENT;
}

/* Decimal or 0x hex into t->num; anything else glued to the digits is an
 * error so "12ab" or "0x1g" is reported as one bad number. */
static int lex_number(struct asm_ctx *c, struct asm_tok *t)
{
	const char *s = t->p;
	int l = t->len, k = 0, base = 10;
	uint64_t v = 0;

	if (l > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		k = 2;
	}
	for (; k < l; k++) {
		int dv = base == 16 ? hex_val(s[k]) : (isdigit((unsigned char)s[k]) ? s[k] - '0' : -1);
		if (dv < 0)
			return asm_err(c, t->col, t->len, "invalid number '%.*s'", t->len, t->p);
		if (v > (UINT64_MAX - (uint64_t)dv) / (uint64_t)base)
			return asm_err(c, t->col, t->len, "number '%.*s' does not fit in 64 bits",
				       t->len, t->p);
		v = v * (uint64_t)base + (uint64_t)dv;
	}
	t->num = v;
	return 0;
}

static int grow_toks(struct asm_ctx *c, size_t need)
{
	struct asm_tok *nt;

	if (need <= c->tok_cap)
		return 0;
	nt = realloc(c->toks, need * sizeof(*nt));
	if (!nt)
		return bpfkit_diag__set(c->diag, -ENOMEM, "out of memory");
	c->toks = nt;
	c->tok_cap = need;
	return 0;
}

/* Measure the token starting at p[i] (n = line length): its kind and length,
 * or 0 for a byte that starts no token. */
static int token_len(const char *p, size_t i, size_t n, uint8_t *kind)
{
	size_t e = i;

	if (p[i] == 's' && i + 1 < n && strchr("<>/%", p[i + 1]) && match_punct(p + i, n - i)) {
		*kind = TOK_PUNCT;
		return match_punct(p + i, n - i);
	}
	if (ident_start(p[i]) || (p[i] == '%' && i + 1 < n && isalpha((unsigned char)p[i + 1]))) {
		for (e = i + 1; e < n && ident_char(p[e]); e++)
			;
		*kind = TOK_IDENT;
		return (int)(e - i);
	}
	if (isdigit((unsigned char)p[i])) {
		for (e = i + 1; e < n && ident_char(p[e]) && p[e] != '.'; e++)
			;
		*kind = TOK_NUM;
		return (int)(e - i);
	}
	*kind = TOK_PUNCT;
	return match_op(p + i, n - i);
}

/*
 * Tokenize the text part of @p ln into c->toks (ending with TOK_END, whose
 * column is where the text, or a comment, ends). Fails on bytes that start
 * no token and on malformed numbers.
 */
int asm_lex_line(struct asm_ctx *c, struct asm_line *ln)
{
	const char *p = ln->p;
	size_t n = ln->len, i = ln->text_off;
	bool space = true;
	int err = grow_toks(c, n - i + 2);

	c->ntoks = 0;
	c->pos = 0;
	while (!err && i < n) {
		struct asm_tok *t = &c->toks[c->ntoks];
		uint8_t kind;
		int l;

		if (is_blank(p[i])) {
			i++;
			space = true;
			continue;
		}
		if (p[i] == ';' || (p[i] == '#' && space) || (p[i] == '/' && i + 1 < n && p[i + 1] == '/'))
			break;
		l = token_len(p, i, n, &kind);
		if (!l) {
			unsigned char ch = (unsigned char)p[i];
			return isprint(ch) ? asm_err(c, (int)i + 1, 1, "unexpected character '%c'", ch)
					   : asm_err(c, (int)i + 1, 1, "unexpected byte 0x%02x", ch);
		}
		memset(t, 0, sizeof(*t));
		t->kind = kind;
		t->space_before = space;
		t->p = p + i;
		t->len = l;
		t->col = (int)i + 1;
		if (kind == TOK_IDENT)
			classify_ident(t);
		else if (kind == TOK_NUM)
			err = lex_number(c, t);
		c->ntoks++;
		i += (size_t)l;
		space = false;
	}
	if (err)
		return err;
	/* trailing blanks are not part of the statement: the end marker sits
	 * just past the last token, where a missing operand would go */
	memset(&c->toks[c->ntoks], 0, sizeof(c->toks[0]));
	c->toks[c->ntoks].kind = TOK_END;
	c->toks[c->ntoks].p = p + i;
	c->toks[c->ntoks].col = c->ntoks ? c->toks[c->ntoks - 1].col + c->toks[c->ntoks - 1].len
					 : (int)ln->text_off + 1;
	return 0;
}
