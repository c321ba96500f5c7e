map @p hash key_size=16 value_size=8 max_entries=4096 agg=1 key=(@0:probe, @8:s64) value=probe
map events ringbuf key_size=0 value_size=0 max_entries=262144
map .lost percpu_array key_size=4 value_size=8 max_entries=1
event 0 print_value size=16 line=1 8:probe
probe 0 BEGIN
probe 1 interval:s:1

prog BEGIN type=BEGIN target=""
; 1: BEGIN { @p[probe, 7] = probe; $x = probe; if ($x == probe) { print(probe); } }
   0: r9 = r1
   1: *(u64 *)(r10 - 8) = 0
   2: r6 = 0
   3: *(u64 *)(r10 - 16) = r6
   4: *(u64 *)(r10 - 32) = 0
   5: *(u64 *)(r10 - 24) = 0
   6: r6 = 0
   7: *(u64 *)(r10 - 32) = r6
   8: r6 = 7
   9: *(u64 *)(r10 - 24) = r6
  10: r1 = map[@p] ll
  12: r2 = r10
  13: r2 += -32
  14: r3 = r10
  15: r3 += -16
  16: r4 = 0
  17: call bpf_map_update_elem
  18: r6 = 0
  19: *(u64 *)(r10 - 8) = r6
  20: r6 = *(u64 *)(r10 - 8)
  21: r7 = 0
  22: if r6 != r7 goto +21
  23: *(u64 *)(r10 - 24) = 0
  24: r6 = 0
  25: *(u64 *)(r10 - 16) = r6
  26: r1 = map[events] ll
  28: r2 = r10
  29: r2 += -24
  30: r3 = 16
  31: r4 = 0
  32: call bpf_ringbuf_output
  33: if r0 == 0x0 goto +10
  34: *(u32 *)(r10 - 24) = 0
  35: r1 = map[.lost] ll
  37: r2 = r10
  38: r2 += -24
  39: call bpf_map_lookup_elem
  40: if r0 == 0x0 goto +3
  41: r1 = *(u64 *)(r0 + 0)
  42: r1 += 1
  43: *(u64 *)(r0 + 0) = r1
  44: r0 = 0
  45: exit

prog interval:s:1 type=interval target="s:1" period_ns=1000000000
; 2: interval:s:1 { @p[probe, 8] = @p[probe, 7]; }
   0: r9 = r1
   1: *(u64 *)(r10 - 24) = 0
   2: *(u64 *)(r10 - 16) = 0
   3: r6 = 1
   4: *(u64 *)(r10 - 24) = r6
   5: r6 = 7
   6: *(u64 *)(r10 - 16) = r6
   7: r1 = map[@p] ll
   9: r2 = r10
  10: r2 += -24
  11: call bpf_map_lookup_elem
  12: r6 = 0
  13: if r0 == 0x0 goto +1
  14: r6 = *(u64 *)(r0 + 0)
  15: *(u64 *)(r10 - 8) = r6
  16: *(u64 *)(r10 - 24) = 0
  17: *(u64 *)(r10 - 16) = 0
  18: r6 = 1
  19: *(u64 *)(r10 - 24) = r6
  20: r6 = 8
  21: *(u64 *)(r10 - 16) = r6
  22: r1 = map[@p] ll
  24: r2 = r10
  25: r2 += -24
  26: r3 = r10
  27: r3 += -8
  28: r4 = 0
  29: call bpf_map_update_elem
  30: r0 = 0
  31: exit
