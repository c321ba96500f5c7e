map events ringbuf key_size=0 value_size=0 max_entries=262144
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
  11: *(u64 *)(r10 - 8) = 1
  12: r1 = map[events] ll
  14: r2 = r10
  15: r2 += -8
  16: r3 = 8
  17: r4 = 0
  18: call bpf_ringbuf_output
  19: goto +0
  20: r0 = 0
  21: exit
