map events ringbuf key_size=0 value_size=0 max_entries=262144
map .lost percpu_array key_size=4 value_size=8 max_entries=1
event 0 exit size=8 line=1

prog interval:s:1 type=interval target="s:1" period_ns=1000000000
; 1: interval:s:1 { exit(); }
   0: r9 = r1
   1: *(u64 *)(r10 - 8) = 0
   2: r1 = map[events] ll
   4: r2 = r10
   5: r2 += -8
   6: r3 = 8
   7: r4 = 0
   8: call bpf_ringbuf_output
   9: if r0 == 0x0 goto +10
  10: *(u32 *)(r10 - 8) = 0
  11: r1 = map[.lost] ll
  13: r2 = r10
  14: r2 += -8
  15: call bpf_map_lookup_elem
  16: if r0 == 0x0 goto +3
  17: r1 = *(u64 *)(r0 + 0)
  18: r1 += 1
  19: *(u64 *)(r0 + 0) = r1
  20: goto +0
  21: r0 = 0
  22: exit
