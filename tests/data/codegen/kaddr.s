map events ringbuf key_size=0 value_size=0 max_entries=262144
map .lost percpu_array key_size=4 value_size=8 max_entries=1
event 0 printf size=32 line=8 fmt="%d.%03d %d\n" 8:u64 16:u64 24:u64

prog interval:s:1 type=interval target="s:1" period_ns=1000000000
; 3: interval:s:1
   0: r9 = r1
   1: *(u64 *)(r10 - 8) = 0
   2: *(u64 *)(r10 - 16) = 0
   3: *(u64 *)(r10 - 24) = 0
; 5: 	$avenrun = kaddr("avenrun");
   4: r6 = -2086616896
   5: *(u64 *)(r10 - 8) = r6
; 6: 	$load1 = *$avenrun;
   6: r6 = *(u64 *)(r10 - 8)
   7: r1 = r10
   8: r1 += -32
   9: r2 = 8
  10: r3 = r6
  11: call bpf_probe_read_kernel
  12: r6 = *(u64 *)(r10 - 32)
  13: *(u64 *)(r10 - 16) = r6
; 7: 	$load5 = *($avenrun + 8);
  14: r6 = *(u64 *)(r10 - 8)
  15: r6 += 8
  16: r1 = r10
  17: r1 += -32
  18: r2 = 8
  19: r3 = r6
  20: call bpf_probe_read_kernel
  21: r6 = *(u64 *)(r10 - 32)
  22: *(u64 *)(r10 - 24) = r6
; 8: 	printf("%d.%03d %d\n", $load1 >> 11, (($load1 & ((1 << 11) - 1)) * 1000) >> 11, $load5 >> 11);
  23: *(u64 *)(r10 - 56) = 0
  24: r6 = *(u64 *)(r10 - 16)
  25: r6 >>= 11
  26: *(u64 *)(r10 - 48) = r6
  27: r6 = *(u64 *)(r10 - 16)
  28: r7 = 1
  29: r7 <<= 11
  30: r7 -= 1
  31: r6 &= r7
  32: r6 *= 1000
  33: r6 >>= 11
  34: *(u64 *)(r10 - 40) = r6
  35: r6 = *(u64 *)(r10 - 24)
  36: r6 >>= 11
  37: *(u64 *)(r10 - 32) = r6
  38: r1 = map[events] ll
  40: r2 = r10
  41: r2 += -56
  42: r3 = 32
  43: r4 = 0
  44: call bpf_ringbuf_output
  45: if r0 == 0x0 goto +10
  46: *(u32 *)(r10 - 56) = 0
  47: r1 = map[.lost] ll
  49: r2 = r10
  50: r2 += -56
  51: call bpf_map_lookup_elem
  52: if r0 == 0x0 goto +3
  53: r1 = *(u64 *)(r0 + 0)
  54: r1 += 1
  55: *(u64 *)(r0 + 0) = r1
; 9: }
  56: r0 = 0
  57: exit
