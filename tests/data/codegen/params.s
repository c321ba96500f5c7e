map @ hash key_size=8 value_size=8 max_entries=4096 agg=1 key=str[6] value=s64
map events ringbuf key_size=0 value_size=0 max_entries=262144
map .lost percpu_array key_size=4 value_size=8 max_entries=1
event 0 printf size=24 line=1 fmt="%s %d\n" 8:str[1] 16:s64

prog BEGIN type=BEGIN target=""
; 1: BEGIN { @[str($2)] = $1 * $#; printf("%s %d\n", str($3), $3); }
   0: r9 = r1
   1: r6 = 42
   2: r7 = 2
   3: r6 *= r7
   4: *(u64 *)(r10 - 8) = r6
   5: r1 = 0x6f6c6c6568 ll
   7: *(u64 *)(r10 - 16) = r1
   8: r1 = map[@] ll
  10: r2 = r10
  11: r2 += -16
  12: r3 = r10
  13: r3 += -8
  14: r4 = 0
  15: call bpf_map_update_elem
  16: *(u64 *)(r10 - 24) = 0
  17: *(u64 *)(r10 - 16) = 0
  18: r6 = 0
  19: *(u64 *)(r10 - 8) = r6
  20: r1 = map[events] ll
  22: r2 = r10
  23: r2 += -24
  24: r3 = 24
  25: r4 = 0
  26: call bpf_ringbuf_output
  27: if r0 == 0x0 goto +10
  28: *(u32 *)(r10 - 24) = 0
  29: r1 = map[.lost] ll
  31: r2 = r10
  32: r2 += -24
  33: call bpf_map_lookup_elem
  34: if r0 == 0x0 goto +3
  35: r1 = *(u64 *)(r0 + 0)
  36: r1 += 1
  37: *(u64 *)(r0 + 0) = r1
  38: r0 = 0
  39: exit
