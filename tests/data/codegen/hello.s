map events ringbuf key_size=0 value_size=0 max_entries=262144
map .lost percpu_array key_size=4 value_size=8 max_entries=1
event 0 printf size=16 line=1 fmt="hello %d\n" 8:s64
event 1 exit size=8 line=1

prog BEGIN type=BEGIN target=""
; 1: BEGIN { printf("hello %d\n", 42); exit(); }
   0: r9 = r1
   1: *(u64 *)(r10 - 16) = 0
   2: r6 = 42
   3: *(u64 *)(r10 - 8) = r6
   4: r1 = map[events] ll
   6: r2 = r10
   7: r2 += -16
   8: r3 = 16
   9: r4 = 0
  10: call bpf_ringbuf_output
  11: if r0 == 0x0 goto +10
  12: *(u32 *)(r10 - 16) = 0
  13: r1 = map[.lost] ll
  15: r2 = r10
  16: r2 += -16
  17: call bpf_map_lookup_elem
  18: if r0 == 0x0 goto +3
  19: r1 = *(u64 *)(r0 + 0)
  20: r1 += 1
  21: *(u64 *)(r0 + 0) = r1
  22: *(u64 *)(r10 - 8) = 1
  23: r1 = map[events] ll
  25: r2 = r10
  26: r2 += -8
  27: r3 = 8
  28: r4 = 0
  29: call bpf_ringbuf_output
  30: if r0 == 0x0 goto +10
  31: *(u32 *)(r10 - 8) = 0
  32: r1 = map[.lost] ll
  34: r2 = r10
  35: r2 += -8
  36: call bpf_map_lookup_elem
  37: if r0 == 0x0 goto +3
  38: r1 = *(u64 *)(r0 + 0)
  39: r1 += 1
  40: *(u64 *)(r0 + 0) = r1
  41: goto +0
  42: r0 = 0
  43: exit
