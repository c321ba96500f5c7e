// SPDX-License-Identifier: MIT
/*
 * `bpfkit vm run --maps`: the VM's maps after a run, each as `bpftool map
 * dump` prints a map without BTF (the same lines, hex bytes and
 * "Found N elements"), after a header line naming it; with -j, bpftool's
 * JSON entries inside an object per map. Queues and stacks, which bpftool
 * cannot dump, list their values in the order pops would take them; ring
 * buffers the records a consumer would read, in order (consuming them); a
 * bloom filter, which cannot list what it holds, says so.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <bpfkit/vm.h>

#include "cli.h"

/* bpftool's fprint_hex: bytes separated by " ", two spaces after every
 * 8th, a newline after every 16th. */
static void print_hex(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *pfx = "";
		if (!i)
			;
		else if (!(i % 16))
			printf("\n");
		else if (!(i % 8))
			printf("  ");
		else
			pfx = " ";
		printf("%s%02x", i ? pfx : "", p[i]);
	}
}

/* bpftool's print_entry_plain */
static void print_entry(const struct bpfkit_map_attr *a, const uint8_t *key, const uint8_t *val,
			bool percpu)
{
	if (!percpu) {
		bool break_names = a->key_size > 16 || a->value_size > 16;
		bool single_line = a->key_size + a->value_size <= 24 && !break_names;

		if (a->key_size) {
			printf("key:%c", break_names ? '\n' : ' ');
			print_hex(key, a->key_size);
			printf(single_line ? "  " : "\n");
		}
		printf("value:%c", break_names ? '\n' : ' ');
		print_hex(val, a->value_size);
		printf("\n");
		return;
	}
	printf("key:\n");
	print_hex(key, a->key_size);
	printf("\n");
	for (unsigned c = 0; c < a->ncpus; c++) {
		printf("value (CPU %02u):%c", c, a->value_size > 16 ? '\n' : ' ');
		print_hex(val + (size_t)c * ((a->value_size + 7) & ~7u), a->value_size);
		printf("\n");
	}
}

static void json_hex(struct json_w *w, const uint8_t *p, size_t n)
{
	char b[8];

	json_w_arr_begin(w);
	for (size_t i = 0; i < n; i++) {
		snprintf(b, sizeof(b), "0x%02x", p[i]);
		json_w_str(w, b);
	}
	json_w_arr_end(w);
}

/* bpftool's print_entry_json */
static void json_entry(struct json_w *w, const struct bpfkit_map_attr *a, const uint8_t *key,
		       const uint8_t *val, bool percpu)
{
	json_w_obj_begin(w);
	if (key) {
		json_w_key(w, "key");
		json_hex(w, key, a->key_size);
	}
	if (!percpu) {
		json_w_key(w, "value");
		json_hex(w, val, a->value_size);
	} else {
		json_w_key(w, "values");
		json_w_arr_begin(w);
		for (unsigned c = 0; c < a->ncpus; c++) {
			json_w_obj_begin(w);
			json_w_key(w, "cpu");
			json_w_uint(w, c);
			json_w_key(w, "value");
			json_hex(w, val + (size_t)c * ((a->value_size + 7) & ~7u), a->value_size);
			json_w_obj_end(w);
		}
		json_w_arr_end(w);
	}
	json_w_obj_end(w);
}

static bool is_percpu(uint32_t type)
{
	return type == BPFKIT_MAP_PERCPU_ARRAY || type == BPFKIT_MAP_PERCPU_HASH ||
	       type == BPFKIT_MAP_LRU_PERCPU_HASH;
}

/* A ring buffer's records, consumed into the dump (text or JSON). */
struct rb_dump {
	struct json_w *w;
	unsigned n;
};

static int rb_record(void *ctx, const void *data, size_t len)
{
	struct rb_dump *r = ctx;
	struct bpfkit_map_attr a = { .value_size = (uint32_t)len };

	if (r->w) {
		json_entry(r->w, &a, NULL, data, false);
	} else {
		printf("value:%c", len > 16 ? '\n' : ' ');
		print_hex(data, len);
		printf("\n");
	}
	r->n++;
	return 0;
}

/* Every element of @p m, in iteration order (pop order for queues and
 * stacks), printed or written to @p w. Returns the count. */
static unsigned dump_map(struct bpfkit_vm_map *m, struct json_w *w)
{
	const struct bpfkit_map_attr *a = bpfkit_vm_map__attr(m);
	bool percpu = is_percpu(a->type);
	bool keyless = a->type == BPFKIT_MAP_QUEUE || a->type == BPFKIT_MAP_STACK;
	uint8_t *key = calloc(1, a->key_size + 1), *prev = calloc(1, a->key_size + 1);
	uint8_t *val = calloc(1, bpfkit_vm_map__value_len(m) + 1);
	unsigned n = 0;

	if (!key || !prev || !val)
		goto out;
	if (a->type == BPFKIT_MAP_RINGBUF) {
		struct rb_dump r = { .w = w };
		bpfkit_vm_map__ringbuf_consume(m, rb_record, &r);
		n = r.n;
		goto out;
	}
	if (keyless) {
		for (uint32_t i = 0; !bpfkit_vm_map__peek_nth(m, i, val); i++, n++) {
			if (w) {
				json_entry(w, a, NULL, val, false);
			} else {
				printf("value: ");
				print_hex(val, a->value_size);
				printf("\n");
			}
		}
		goto out;
	}
	for (int err = bpfkit_vm_map__next_key(m, NULL, key); !err;
	     err = bpfkit_vm_map__next_key(m, prev, key)) {
		if (!bpfkit_vm_map__lookup(m, key, val)) {
			if (w)
				json_entry(w, a, key, val, percpu);
			else
				print_entry(a, key, val, percpu);
			n++;
		}
		memcpy(prev, key, a->key_size);
	}
out:
	free(key);
	free(prev);
	free(val);
	return n;
}

void vm_print_maps(struct bpfkit_vm *vm, struct json_w *w)
{
	size_t n = bpfkit_vm__nmaps(vm);

	if (w) {
		json_w_key(w, "maps");
		json_w_arr_begin(w);
	}
	for (size_t i = 0; i < n; i++) {
		const char *name, *tn;
		struct bpfkit_vm_map *m = bpfkit_vm__map(vm, (int)i, &name);
		const struct bpfkit_map_attr *a = bpfkit_vm_map__attr(m);
		unsigned count;

		tn = bpfkit_map_type_name(a->type);
		if (w) {
			json_w_obj_begin(w);
			json_w_key(w, "name");
			json_w_str(w, name);
			json_w_key(w, "type");
			json_w_str(w, tn ? tn : "?");
			json_w_key(w, "key_size");
			json_w_uint(w, a->key_size);
			json_w_key(w, "value_size");
			json_w_uint(w, a->value_size);
			json_w_key(w, "max_entries");
			json_w_uint(w, a->max_entries);
			json_w_key(w, "elements");
			json_w_arr_begin(w);
			dump_map(m, w);
			json_w_arr_end(w);
			json_w_obj_end(w);
			continue;
		}
		printf("%smap %s: %s  key %uB  value %uB  max_entries %u\n", i ? "\n" : "", name,
		       tn ? tn : "?", a->key_size, a->value_size, a->max_entries);
		if (a->type == BPFKIT_MAP_BLOOM_FILTER) {
			printf("(a bloom filter cannot list its values)\n");
			continue;
		}
		count = dump_map(m, NULL);
		printf("Found %u element%s\n", count, count == 1 ? "" : "s");
	}
	if (w)
		json_w_arr_end(w);
}
