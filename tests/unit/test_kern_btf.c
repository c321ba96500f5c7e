// SPDX-License-Identifier: MIT
/*
 * The BTF reader's type accessors (src/kern/btf_scan.c), which the
 * compiler's kernel types (btf_types.c) stand on: a hand-written blob with
 * every case that has a rule (bitfields, signed and unsigned enums, ENUM64,
 * nested arrays, a typedef loop, an array too big for 32 bits, a "user" type
 * tag), and the kernel's own BTF checked type by type against libbpf's
 * reading of it.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <bpf/btf.h>

#include "kern/kern_int.h"
#include "btf_test.h"

/*
 * 1 int, 2 unsigned char, 3 typedef u8 -> 2, 4 const -> 3, 5 u8[16] (of 4),
 * 6 of 5 [3], 7 struct s { int a; int f:3; of6 arr; } (kind_flag, 56 bytes),
 * 8 enum e (signed) { NEG = -1, POS = 7 }, 9 enum ue { BIG = 0xffffffff },
 * 10 enum64 e64 { HUGE = 0x8000000000000001 }, 11 typedef loop1 -> 12,
 * 12 typedef loop2 -> 11, 13 struct s *, 14 of 13 [1 << 30], 15 type tag
 * "user" -> 7, 16 pointer -> 15, 17 fwd union fw.
 */
static size_t make_types(uint8_t *out)
{
	struct btfw w = { .slen = 1 };

	btfw_type(&w, btfw_str(&w, "int", 0), KBTF_KIND_INT, 0, 4);
	btfw_word(&w, 1u << 24 | 32); /* signed, 32 bits */
	btfw_type(&w, btfw_str(&w, "unsigned char", 0), KBTF_KIND_INT, 0, 1);
	btfw_word(&w, 8);
	btfw_type(&w, btfw_str(&w, "u8", 0), KBTF_KIND_TYPEDEF, 0, 2);
	btfw_type(&w, 0, KBTF_KIND_CONST, 0, 3);
	btfw_type(&w, 0, KBTF_KIND_ARRAY, 0, 0);
	btfw_word(&w, 4), btfw_word(&w, 1), btfw_word(&w, 16);
	btfw_type(&w, 0, KBTF_KIND_ARRAY, 0, 0);
	btfw_word(&w, 5), btfw_word(&w, 1), btfw_word(&w, 3);
	btfw_type(&w, btfw_str(&w, "s", 0), KBTF_KIND_STRUCT | 0x80, 3, 56);
	btfw_word(&w, btfw_str(&w, "a", 0)), btfw_word(&w, 1), btfw_word(&w, 0);
	btfw_word(&w, btfw_str(&w, "f", 0)), btfw_word(&w, 1), btfw_word(&w, 3u << 24 | 32);
	btfw_word(&w, btfw_str(&w, "arr", 0)), btfw_word(&w, 6), btfw_word(&w, 64);
	btfw_type(&w, btfw_str(&w, "e", 0), KBTF_KIND_ENUM | 0x80, 2, 4);
	btfw_word(&w, btfw_str(&w, "NEG", 0)), btfw_word(&w, 0xffffffff);
	btfw_word(&w, btfw_str(&w, "POS", 0)), btfw_word(&w, 7);
	btfw_type(&w, btfw_str(&w, "ue", 0), KBTF_KIND_ENUM, 1, 4);
	btfw_word(&w, btfw_str(&w, "BIG", 0)), btfw_word(&w, 0xffffffff);
	btfw_type(&w, btfw_str(&w, "e64", 0), KBTF_KIND_ENUM64, 1, 8);
	btfw_word(&w, btfw_str(&w, "HUGE", 0)), btfw_word(&w, 1), btfw_word(&w, 0x80000000);
	btfw_type(&w, btfw_str(&w, "loop1", 0), KBTF_KIND_TYPEDEF, 0, 12);
	btfw_type(&w, btfw_str(&w, "loop2", 0), KBTF_KIND_TYPEDEF, 0, 11);
	btfw_type(&w, 0, KBTF_KIND_PTR, 0, 7);
	btfw_type(&w, 0, KBTF_KIND_ARRAY, 0, 0);
	btfw_word(&w, 13), btfw_word(&w, 1), btfw_word(&w, 1u << 30);
	btfw_type(&w, btfw_str(&w, "user", 0), KBTF_KIND_TYPE_TAG, 0, 7);
	btfw_type(&w, 0, KBTF_KIND_PTR, 0, 15);
	btfw_type(&w, btfw_str(&w, "fw", 0), KBTF_KIND_FWD | 0x80, 0, 0);
	return btfw_blob(&w, out);
}

/* What the accessors say of the blob; the same before and after indexing. */
static void check_types(const struct kbtf *b)
{
	struct kbtf_type t;
	struct kbtf_memb m;
	const char *name;
	int64_t v;
	uint32_t elem, n;

	assert_int_equal(kbtf_end_id(b), 18);
	assert_int_equal(kbtf_type(b, 0, &t), -ENOENT);
	assert_int_equal(kbtf_type(b, 18, &t), -ENOENT);

	assert_int_equal(kbtf_type(b, 1, &t), 0);
	assert_int_equal(t.kind, KBTF_KIND_INT);
	assert_string_equal(t.name, "int");
	assert_true(kbtf_int_signed(&t));
	assert_int_equal(kbtf_type(b, 2, &t), 0);
	assert_false(kbtf_int_signed(&t));

	assert_int_equal(kbtf_type(b, 6, &t), 0);
	assert_int_equal(t.kind, KBTF_KIND_ARRAY);
	assert_string_equal(t.name, "");
	kbtf_array(&t, &elem, &n);
	assert_int_equal(elem, 5);
	assert_int_equal(n, 3);

	assert_int_equal(kbtf_type(b, 7, &t), 0);
	assert_int_equal(t.kind, KBTF_KIND_STRUCT);
	assert_true(t.kflag);
	assert_int_equal(t.vlen, 3);
	assert_int_equal(t.size_type, 56);
	kbtf_memb(&t, 1, &m);
	assert_string_equal(m.name, "f");
	assert_int_equal(m.type, 1);
	assert_int_equal(m.bit_offset, 32);
	assert_int_equal(m.bit_size, 3);
	kbtf_memb(&t, 2, &m);
	assert_string_equal(m.name, "arr");
	assert_int_equal(m.bit_offset, 64);
	assert_int_equal(m.bit_size, 0);

	assert_int_equal(kbtf_type(b, 8, &t), 0);
	kbtf_enumerator(&t, 0, &name, &v);
	assert_string_equal(name, "NEG");
	assert_int_equal(v, -1);
	kbtf_enumerator(&t, 1, &name, &v);
	assert_int_equal(v, 7);
	assert_int_equal(kbtf_type(b, 9, &t), 0);
	kbtf_enumerator(&t, 0, &name, &v);
	assert_string_equal(name, "BIG");
	assert_int_equal(v, 0xffffffff);
	assert_int_equal(kbtf_type(b, 10, &t), 0);
	kbtf_enumerator(&t, 0, &name, &v);
	assert_string_equal(name, "HUGE");
	assert_true(v == (int64_t)0x8000000000000001ull);

	assert_int_equal(kbtf_type(b, 15, &t), 0);
	assert_int_equal(t.kind, KBTF_KIND_TYPE_TAG);
	assert_string_equal(t.name, "user");
	assert_int_equal(kbtf_type(b, 17, &t), 0);
	assert_int_equal(t.kind, KBTF_KIND_FWD);
	assert_true(t.kflag);

	/* sizeof, through typedefs, qualifiers and arrays */
	assert_int_equal(kbtf_size(b, 1), 4);
	assert_int_equal(kbtf_size(b, 4), 1);
	assert_int_equal(kbtf_size(b, 5), 16);
	assert_int_equal(kbtf_size(b, 6), 48);
	assert_int_equal(kbtf_size(b, 7), 56);
	assert_int_equal(kbtf_size(b, 13), 8);
	assert_int_equal(kbtf_size(b, 11), 0); /* a typedef loop ends */
	assert_int_equal(kbtf_size(b, 14), 0); /* 8 GiB: no 32-bit size */
	assert_int_equal(kbtf_size(b, 17), 0); /* incomplete */
	assert_int_equal(kbtf_size(b, 0), 0);
	assert_int_equal(kbtf_size(b, 99), 0);

	/* by name */
	assert_int_equal(kbtf_member(b, "s", "arr", &elem, &n), 0);
	assert_int_equal(elem, 8);
	assert_int_equal(n, 48);
	assert_int_equal(kbtf_member(b, "s", "f", &elem, &n), -EINVAL);
	assert_int_equal(kbtf_member(b, "s", "zz", &elem, &n), -ENOENT);
	assert_int_equal(kbtf_member(b, "t", "a", &elem, &n), -ENOENT);
}

static void test_accessors(void **state)
{
	uint8_t blob[2048];
	size_t len = make_types(blob);
	struct kbtf b;

	(void)state;
	assert_true(len <= sizeof(blob));
	assert_int_equal(kbtf_parse(&b, blob, len, NULL), 0);
	check_types(&b);
	assert_int_equal(kbtf_index(&b), 0);
	assert_non_null(b.offs_);
	check_types(&b);
	assert_int_equal(kbtf_index(&b), 0); /* twice is fine */
	kbtf_release(&b);
}

/* Types of a split (module) BTF resolve through to the base's. */
static void test_split(void **state)
{
	uint8_t blob[2048], mblob[512];
	struct kbtf base, mod;
	struct btfw w = { .slen = 0 };
	struct kbtf_type t;
	struct kbtf_memb m;
	size_t len = make_types(blob);
	uint32_t str_base;

	(void)state;
	assert_int_equal(kbtf_parse(&base, blob, len, NULL), 0);
	str_base = (uint32_t)base.strs_len;
	/* 18: struct ms { struct s *p; } using a base string for the member */
	btfw_type(&w, btfw_str(&w, "ms", str_base), KBTF_KIND_STRUCT, 1, 8);
	btfw_word(&w, 1 /* "int" in the base */), btfw_word(&w, 13), btfw_word(&w, 0);
	assert_int_equal(kbtf_parse(&mod, mblob, btfw_blob(&w, mblob), &base), 0);
	assert_int_equal(kbtf_index(&mod), 0);
	assert_int_equal(kbtf_end_id(&mod), 19);
	assert_int_equal(kbtf_type(&mod, 18, &t), 0);
	assert_string_equal(t.name, "ms");
	kbtf_memb(&t, 0, &m);
	assert_string_equal(m.name, "int");
	assert_int_equal(kbtf_size(&mod, m.type), 8);
	assert_int_equal(kbtf_type(&mod, 7, &t), 0); /* a base type, through the module */
	assert_string_equal(t.name, "s");
	assert_int_equal(kbtf_size(&mod, 7), 56);
	kbtf_release(&mod);
	kbtf_release(&base);
}

/* Only the kinds whose size libbpf and kbtf_size() both define. */
static bool sized_kind(unsigned kind)
{
	switch (kind) {
	case KBTF_KIND_INT: case KBTF_KIND_PTR: case KBTF_KIND_ARRAY: case KBTF_KIND_STRUCT:
	case KBTF_KIND_UNION: case KBTF_KIND_ENUM: case KBTF_KIND_ENUM64: case KBTF_KIND_TYPEDEF:
	case KBTF_KIND_VOLATILE: case KBTF_KIND_CONST: case KBTF_KIND_RESTRICT:
	case KBTF_KIND_TYPE_TAG: case KBTF_KIND_FLOAT:
		return true;
	default:
		return false;
	}
}

/* One type, as kbtf and libbpf read it. */
static void compare_type(const struct kbtf *b, const struct btf *lb, uint32_t id)
{
	const struct btf_type *lt = btf__type_by_id(lb, id);
	struct kbtf_type t;

	assert_non_null(lt);
	assert_int_equal(kbtf_type(b, id, &t), 0);
	assert_int_equal(t.kind, btf_kind(lt));
	assert_int_equal(t.vlen, btf_vlen(lt));
	assert_int_equal(t.kflag, btf_kflag(lt));
	assert_string_equal(t.name, btf__name_by_offset(lb, lt->name_off));
	assert_int_equal(t.size_type, lt->size);
	if (btf_is_composite(lt)) {
		for (uint32_t i = 0; i < t.vlen; i++) {
			struct kbtf_memb m;

			kbtf_memb(&t, i, &m);
			assert_string_equal(m.name, btf__name_by_offset(lb, btf_members(lt)[i].name_off));
			assert_int_equal(m.type, btf_members(lt)[i].type);
			assert_int_equal(m.bit_offset, btf_member_bit_offset(lt, i));
			assert_int_equal(m.bit_size, btf_member_bitfield_size(lt, i));
		}
	} else if (btf_is_any_enum(lt)) {
		for (uint32_t i = 0; i < t.vlen; i++) {
			const char *name;
			int64_t v;

			kbtf_enumerator(&t, i, &name, &v);
			if (btf_is_enum(lt)) {
				const struct btf_enum *e = btf_enum(lt) + i;

				assert_string_equal(name, btf__name_by_offset(lb, e->name_off));
				assert_true(v == (btf_kflag(lt) ? (int64_t)e->val : (int64_t)(uint32_t)e->val));
			} else {
				assert_string_equal(name, btf__name_by_offset(lb, btf_enum64(lt)[i].name_off));
				assert_true(v == (int64_t)btf_enum64_value(btf_enum64(lt) + i));
			}
		}
	} else if (btf_is_array(lt)) {
		uint32_t elem, n;

		kbtf_array(&t, &elem, &n);
		assert_int_equal(elem, btf_array(lt)->type);
		assert_int_equal(n, btf_array(lt)->nelems);
	} else if (btf_is_int(lt)) {
		assert_int_equal(kbtf_int_signed(&t), (btf_int_encoding(lt) & BTF_INT_SIGNED) != 0);
	}
	if (sized_kind(t.kind)) {
		long want = btf__resolve_size(lb, id);

		if (want < 0 || want > UINT32_MAX)
			want = 0;
		if (kbtf_size(b, id) != (uint32_t)want)
			fail_msg("type %u (%s, kind %u): kbtf_size %u, libbpf %ld", id, t.name, t.kind,
				 kbtf_size(b, id), want);
	}
}

/* Every type of the kernel's BTF reads as libbpf reads it. */
static void test_vmlinux_vs_libbpf(void **state)
{
	const char *path = "/sys/kernel/btf/vmlinux";
	struct btf *lb;
	struct kbtf b;
	uint32_t n;
	int err;

	(void)state;
	err = kbtf_load(&b, path, NULL);
	if (err) {
		print_message("# SKIP %s: %s\n", path, strerror(-err));
		skip();
	}
	lb = btf__parse(path, NULL);
	assert_non_null(lb);
	assert_int_equal(kbtf_index(&b), 0);
	n = btf__type_cnt(lb);
	assert_int_equal(kbtf_end_id(&b), n);
	assert_true(n > 1000);
	for (uint32_t id = 1; id < n; id++)
		compare_type(&b, lb, id);
	print_message("# %u types read alike\n", n - 1);
	btf__free(lb);
	kbtf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accessors),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_vmlinux_vs_libbpf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
