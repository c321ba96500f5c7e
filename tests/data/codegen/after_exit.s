map @never hash key_size=8 value_size=8 max_entries=4096 agg=1 key=none value=s64
map events ringbuf key_size=0 value_size=0 max_entries=262144
map .lost percpu_array key_size=4 value_size=8 max_entries=1
event 0 exit size=8 line=7
event 1 exit size=8 line=9
event 2 printf size=8 line=11 fmt="never\n"
event 3 printf size=8 line=22 fmt="never\n"

prog BEGIN type=BEGIN target=""
; 4: BEGIN
   0: r9 = r1
; 6: 	if ($1) {
   1: r6 = 42
   2: if r6 == 0x0 goto +20
; 7: 		exit();
   3: *(u64 *)(r10 - 8) = 0
   4: r1 = map[events] ll
   6: r2 = r10
   7: r2 += -8
   8: r3 = 8
   9: r4 = 0
  10: call bpf_ringbuf_output
  11: if r0 == 0x0 goto +10
  12: *(u32 *)(r10 - 8) = 0
  13: r1 = map[.lost] ll
  15: r2 = r10
  16: r2 += -8
  17: call bpf_map_lookup_elem
  18: if r0 == 0x0 goto +3
  19: r1 = *(u64 *)(r0 + 0)
  20: r1 += 1
  21: *(u64 *)(r0 + 0) = r1
  22: goto +20
; 9: 		exit();
  23: *(u64 *)(r10 - 8) = 1
  24: r1 = map[events] ll
  26: r2 = r10
  27: r2 += -8
  28: r3 = 8
  29: r4 = 0
  30: call bpf_ringbuf_output
  31: if r0 == 0x0 goto +10
  32: *(u32 *)(r10 - 8) = 0
  33: r1 = map[.lost] ll
  35: r2 = r10
  36: r2 += -8
  37: call bpf_map_lookup_elem
  38: if r0 == 0x0 goto +3
  39: r1 = *(u64 *)(r0 + 0)
  40: r1 += 1
  41: *(u64 *)(r0 + 0) = r1
  42: goto +0
; 12: }
  43: r0 = 0
  44: exit

prog tracepoint:syscalls:sys_enter_openat type=tracepoint target="syscalls:sys_enter_openat"
; 13: tracepoint:syscalls:sys_enter_openat
   0: r9 = r1
   1: *(u64 *)(r10 - 8) = 0
; 15: 	$i = 0;
   2: r6 = 0
   3: *(u64 *)(r10 - 8) = r6
; 16: 	while ($i < 4) {
   4: r6 = *(u64 *)(r10 - 8)
   5: if r6 s>= 0x4 goto +5
; 17: 		$i++;
   6: r6 = *(u64 *)(r10 - 8)
   7: r6 += 1
   8: *(u64 *)(r10 - 8) = r6
   9: r6 += -1
; 18: 		continue;
  10: goto -7
; 21: 	return;
  11: goto +0
; 23: }
  12: r0 = 0
  13: exit
