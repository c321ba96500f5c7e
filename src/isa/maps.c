// SPDX-License-Identifier: MIT
/*
 * Map types by the kernel's numbers and the descriptions of maps an object
 * defines (struct bpfkit_map_desc): the names bpftool prints, and the one
 * owner of a description array.
 */
#include <stdlib.h>

#include <bpfkit/isa.h>

static const char *const map_type_names[] = {
	[0] = "unspec",
	[1] = "hash",
	[2] = "array",
	[3] = "prog_array",
	[4] = "perf_event_array",
	[5] = "percpu_hash",
	[6] = "percpu_array",
	[7] = "stack_trace",
	[8] = "cgroup_array",
	[9] = "lru_hash",
	[10] = "lru_percpu_hash",
	[11] = "lpm_trie",
	[12] = "array_of_maps",
	[13] = "hash_of_maps",
	[14] = "devmap",
	[15] = "sockmap",
	[16] = "cpumap",
	[17] = "xskmap",
	[18] = "sockhash",
	[19] = "cgroup_storage",
	[20] = "reuseport_sockarray",
	[21] = "percpu_cgroup_storage",
	[22] = "queue",
	[23] = "stack",
	[24] = "sk_storage",
	[25] = "devmap_hash",
	[26] = "struct_ops",
	[27] = "ringbuf",
	[28] = "inode_storage",
	[29] = "task_storage",
	[30] = "bloom_filter",
	[31] = "user_ringbuf",
	[32] = "cgrp_storage",
};

const char *bpfkit_map_type_name(uint32_t type)
{
	if (type >= sizeof(map_type_names) / sizeof(map_type_names[0]))
		return NULL;
	return map_type_names[type];
}

void bpfkit_map_descs__free(struct bpfkit_map_desc *maps, size_t n)
{
	if (!maps)
		return;
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < maps[i].nvars; k++)
			free(maps[i].vars[k].name);
		free(maps[i].vars);
		free(maps[i].name);
		free(maps[i].section);
		free(maps[i].init);
	}
	free(maps);
}
