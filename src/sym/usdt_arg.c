// SPDX-License-Identifier: MIT
/*
 * USDT argument specs of x86-64, as <sys/sdt.h> writes them into a note
 * (GNU assembler operand syntax behind an optional "SIZE@"):
 *
 *   -4@%edi          register (any width: %rax %eax %ax %al %ah, %r8..%r15
 *                    with d/w/b, %sil %dil %bpl %spl, %rip)
 *   8@$5  -4@$-7     constant
 *   8@-8(%rbp)       memory: displacement(base)
 *   4@(%rax,%rbx,4)  memory: displacement(base, index, scale)
 *   -4@sym(%rip)     memory at a symbol (a global), sym+8(%rip), or sym alone
 *
 * SIZE is the byte count, negative when signed (1, 2, 4 or 8); a spec
 * without it (sdt.h version 1) is 8 bytes, unsigned. Registers are named by
 * their offset in the kernel's struct pt_regs, what the BPF program reads.
 * This is the set libbpf's usdt.c and bcc's usdt_args.cc accept, plus index
 * registers and symbols. The text is untrusted (it comes from a file):
 * anything else is -EINVAL with a message naming the spec.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <bpfkit/sym.h>

/* x86-64 struct pt_regs (arch/x86/include/asm/ptrace.h), byte offsets. */
enum {
	R15 = 0, R14 = 8, R13 = 16, R12 = 24, RBP = 32, RBX = 40, R11 = 48, R10 = 56, R9 = 64, R8 = 72,
	RAX = 80, RCX = 88, RDX = 96, RSI = 104, RDI = 112, RIP = 128, RSP = 152,
};

struct regname {
	const char *name;
	int16_t off;
	uint8_t size, shift;
};

static const struct regname regs[] = {
	{ "rax", RAX, 8, 0 }, { "eax", RAX, 4, 0 }, { "ax", RAX, 2, 0 }, { "al", RAX, 1, 0 }, { "ah", RAX, 1, 8 },
	{ "rbx", RBX, 8, 0 }, { "ebx", RBX, 4, 0 }, { "bx", RBX, 2, 0 }, { "bl", RBX, 1, 0 }, { "bh", RBX, 1, 8 },
	{ "rcx", RCX, 8, 0 }, { "ecx", RCX, 4, 0 }, { "cx", RCX, 2, 0 }, { "cl", RCX, 1, 0 }, { "ch", RCX, 1, 8 },
	{ "rdx", RDX, 8, 0 }, { "edx", RDX, 4, 0 }, { "dx", RDX, 2, 0 }, { "dl", RDX, 1, 0 }, { "dh", RDX, 1, 8 },
	{ "rsi", RSI, 8, 0 }, { "esi", RSI, 4, 0 }, { "si", RSI, 2, 0 }, { "sil", RSI, 1, 0 },
	{ "rdi", RDI, 8, 0 }, { "edi", RDI, 4, 0 }, { "di", RDI, 2, 0 }, { "dil", RDI, 1, 0 },
	{ "rbp", RBP, 8, 0 }, { "ebp", RBP, 4, 0 }, { "bp", RBP, 2, 0 }, { "bpl", RBP, 1, 0 },
	{ "rsp", RSP, 8, 0 }, { "esp", RSP, 4, 0 }, { "sp", RSP, 2, 0 }, { "spl", RSP, 1, 0 },
	{ "rip", RIP, 8, 0 },
	{ "r8", R8, 8, 0 }, { "r8d", R8, 4, 0 }, { "r8w", R8, 2, 0 }, { "r8b", R8, 1, 0 },
	{ "r9", R9, 8, 0 }, { "r9d", R9, 4, 0 }, { "r9w", R9, 2, 0 }, { "r9b", R9, 1, 0 },
	{ "r10", R10, 8, 0 }, { "r10d", R10, 4, 0 }, { "r10w", R10, 2, 0 }, { "r10b", R10, 1, 0 },
	{ "r11", R11, 8, 0 }, { "r11d", R11, 4, 0 }, { "r11w", R11, 2, 0 }, { "r11b", R11, 1, 0 },
	{ "r12", R12, 8, 0 }, { "r12d", R12, 4, 0 }, { "r12w", R12, 2, 0 }, { "r12b", R12, 1, 0 },
	{ "r13", R13, 8, 0 }, { "r13d", R13, 4, 0 }, { "r13w", R13, 2, 0 }, { "r13b", R13, 1, 0 },
	{ "r14", R14, 8, 0 }, { "r14d", R14, 4, 0 }, { "r14w", R14, 2, 0 }, { "r14b", R14, 1, 0 },
	{ "r15", R15, 8, 0 }, { "r15d", R15, 4, 0 }, { "r15w", R15, 2, 0 }, { "r15b", R15, 1, 0 },
};

const char *bpfkit_usdt_reg_name(int off)
{
	for (size_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++)
		if (regs[i].off == off && regs[i].size == 8)
			return regs[i].name;
	return "?";
}

struct cursor {
	const char *p, *end;
};

static bool at(const struct cursor *c, char ch)
{
	return c->p < c->end && *c->p == ch;
}

/* %NAME: the register, or NULL (the cursor is left after the name). */
static const struct regname *parse_reg(struct cursor *c)
{
	const char *s;

	if (!at(c, '%'))
		return NULL;
	s = ++c->p;
	while (c->p < c->end && isalnum((unsigned char)*c->p))
		c->p++;
	for (size_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++)
		if (strlen(regs[i].name) == (size_t)(c->p - s) && !memcmp(regs[i].name, s, (size_t)(c->p - s)))
			return &regs[i];
	return NULL;
}

/*
 * A signed integer in C syntax (decimal, 0x hex, 0 octal), as gas writes
 * displacements and immediates; INT64_MIN..UINT64_MAX (a large unsigned
 * constant keeps its bits). false when there is none or it overflows.
 */
static bool parse_int(struct cursor *c, int64_t *v)
{
	bool neg = false;
	uint64_t u = 0;
	unsigned base = 10;
	const char *start;

	if (at(c, '-') || at(c, '+'))
		neg = *c->p++ == '-';
	if (c->end - c->p >= 2 && c->p[0] == '0' && (c->p[1] == 'x' || c->p[1] == 'X')) {
		base = 16;
		c->p += 2;
	} else if (at(c, '0')) {
		base = 8;
	}
	start = c->p;
	while (c->p < c->end) {
		int d = isdigit((unsigned char)*c->p) ? *c->p - '0' :
			isxdigit((unsigned char)*c->p) ? tolower((unsigned char)*c->p) - 'a' + 10 : 99;

		if (d >= (int)base)
			break;
		if (u > (UINT64_MAX - (unsigned)d) / base)
			return false;
		u = u * base + (unsigned)d;
		c->p++;
	}
	if (c->p == start)
		return false;
	if (neg && u > (uint64_t)INT64_MAX + 1)
		return false;
	*v = neg ? (int64_t)(0 - u) : (int64_t)u;
	return true;
}

/* A symbol name as gas writes one: [A-Za-z_.$][A-Za-z0-9_.$@]* (no '$' first:
 * that is an immediate). */
static size_t sym_len(const struct cursor *c)
{
	const char *p = c->p;

	if (p >= c->end || !(isalpha((unsigned char)*p) || *p == '_' || *p == '.'))
		return 0;
	while (p < c->end && (isalnum((unsigned char)*p) || *p == '_' || *p == '.' || *p == '$' || *p == '@'))
		p++;
	return (size_t)(p - c->p);
}

/* The memory operand after the displacement: "(base[,index[,scale]])". */
static int parse_mem(struct cursor *c, struct bpfkit_usdt_arg *a, const char *text, struct bpfkit_diag *d)
{
	const struct regname *r;
	int64_t scale;

	c->p++; /* '(' */
	if (!at(c, ',')) {
		r = parse_reg(c);
		if (!r || r->size != 8)
			return bpfkit_diag__set(d, -EINVAL, "USDT argument '%s': the base register is not a 64-bit register", text);
		a->reg = r->off;
	}
	if (at(c, ',')) {
		c->p++;
		r = parse_reg(c);
		if (!r || r->size != 8 || r->off == RIP || r->off == RSP)
			return bpfkit_diag__set(d, -EINVAL, "USDT argument '%s': bad index register", text);
		a->index_reg = r->off;
		a->scale = 1;
		if (at(c, ',')) {
			c->p++;
			if (!parse_int(c, &scale) || (scale != 1 && scale != 2 && scale != 4 && scale != 8))
				return bpfkit_diag__set(d, -EINVAL, "USDT argument '%s': the scale is not 1, 2, 4 or 8", text);
			a->scale = (uint8_t)scale;
		}
	}
	if (!at(c, ')'))
		return bpfkit_diag__set(d, -EINVAL, "USDT argument '%s': expected ')'", text);
	c->p++;
	if (a->reg < 0 && a->index_reg < 0)
		return bpfkit_diag__set(d, -EINVAL, "USDT argument '%s': a memory operand without a register", text);
	return 0;
}

/*
 * The operand after "SIZE@": $imm, %reg, [disp](...), sym[+-disp][(...)].
 * A symbol is kept by name for the note reader, which makes it an address
 * relative to the probe's (see usdt.c).
 */
static int parse_operand(struct cursor *c, struct bpfkit_usdt_arg *a, const char *text, char *symbuf,
			 size_t symsize, struct bpfkit_diag *d)
{
	const struct regname *r;
	size_t n;

	if (at(c, '$')) {
		c->p++;
		if (!parse_int(c, &a->value))
			return bpfkit_diag__set(d, -EINVAL, "USDT argument '%s': bad constant", text);
		a->kind = BPFKIT_USDT_ARG_CONST;
		return 0;
	}
	if (at(c, '%')) {
		r = parse_reg(c);
		if (!r)
			return bpfkit_diag__set(d, -EINVAL, "USDT argument '%s': unknown register", text);
		if (r->off == RIP)
			return bpfkit_diag__set(d, -EINVAL, "USDT argument '%s': %%rip as a value", text);
		a->kind = BPFKIT_USDT_ARG_REG;
		a->reg = r->off;
		a->reg_size = r->size;
		a->reg_shift = r->shift;
		return 0;
	}
	a->kind = BPFKIT_USDT_ARG_MEM;
	n = sym_len(c);
	if (n) {
		if (n >= symsize)
			return bpfkit_diag__set(d, -EINVAL, "USDT argument '%s': symbol name too long", text);
		memcpy(symbuf, c->p, n);
		symbuf[n] = '\0';
		c->p += n;
		if (at(c, '+') || at(c, '-')) {
			if (!parse_int(c, &a->value))
				return bpfkit_diag__set(d, -EINVAL, "USDT argument '%s': bad displacement", text);
		}
		if (!at(c, '('))
			return 0; /* sym, sym+8: an absolute address */
		if (parse_mem(c, a, text, d))
			return -EINVAL;
		if (a->reg != RIP || a->index_reg >= 0)
			return bpfkit_diag__set(d, -EINVAL, "USDT argument '%s': a symbol with a register other than %%rip",
						text);
		a->reg = -1; /* sym(%rip) is the symbol's address: no register */
		return 0;
	}
	if (!at(c, '(') && !parse_int(c, &a->value))
		return bpfkit_diag__set(d, -EINVAL, "USDT argument '%s': not a register, constant or memory operand",
					text);
	if (!at(c, '('))
		return bpfkit_diag__set(d, -EINVAL, "USDT argument '%s': an absolute address", text);
	if (parse_mem(c, a, text, d))
		return -EINVAL;
	if (a->reg == RIP)
		return bpfkit_diag__set(d, -EINVAL, "USDT argument '%s': %%rip without a symbol", text);
	return 0;
}

int bpfkit_usdt_arg_parse(const char *text, size_t len, struct bpfkit_usdt_arg *a, char *sym, size_t symsize,
			  struct bpfkit_diag *d)
{
	struct cursor c = { text, text + len };
	char shown[64];
	int64_t size = 8;
	const char *at_sign = memchr(text, '@', len);

	/* the spec as messages show it: at most 60 bytes, unprintable ones as '?' */
	for (size_t i = 0; i <= len && i < sizeof(shown); i++)
		shown[i] = i == len || i == 60 ? '\0' : isprint((unsigned char)text[i]) ? text[i] : '?';
	memset(a, 0, sizeof(*a));
	a->reg = a->index_reg = -1;
	if (sym && symsize)
		sym[0] = '\0';
	if (at_sign && at_sign > text && (isdigit((unsigned char)text[0]) || text[0] == '-' || text[0] == '+')) {
		if (!parse_int(&c, &size) || c.p != at_sign)
			return bpfkit_diag__set(d, -EINVAL, "USDT argument '%s': bad size before '@'", shown);
		c.p++;
		if (size != 1 && size != 2 && size != 4 && size != 8 && size != -1 && size != -2 && size != -4 &&
		    size != -8)
			return bpfkit_diag__set(d, -EINVAL, "USDT argument '%s': size %lld is not 1, 2, 4 or 8 (negative: signed)",
						shown, (long long)size);
		a->is_signed = size < 0;
	}
	a->size = (uint8_t)(size < 0 ? -size : size);
	if (!sym || !symsize) {
		char dummy[2];

		if (parse_operand(&c, a, shown, dummy, sizeof(dummy), d))
			return -EINVAL;
	} else if (parse_operand(&c, a, shown, sym, symsize, d)) {
		return -EINVAL;
	}
	if (c.p != c.end)
		return bpfkit_diag__set(d, -EINVAL, "USDT argument '%s': unexpected text after the operand", shown);
	return 0;
}
