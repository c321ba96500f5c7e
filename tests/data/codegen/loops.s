map @s hash key_size=8 value_size=8 max_entries=4096 agg=1 key=none value=s64
map @u hash key_size=8 value_size=8 max_entries=4096 agg=1 key=none value=s64

prog BEGIN type=BEGIN target=""
; 1: BEGIN {
   0: r9 = r1
   1: *(u64 *)(r10 - 8) = 0
; 2: 	$i = 0;
   2: r6 = 0
   3: *(u64 *)(r10 - 8) = r6
; 3: 	while ($i < 10) {
   4: r6 = *(u64 *)(r10 - 8)
   5: if r6 s>= 0xa goto +31
; 4: 		if ($i == 7) { break; }
   6: r6 = *(u64 *)(r10 - 8)
   7: if r6 != 0x7 goto +1
   8: goto +28
; 5: 		$i++;
   9: r6 = *(u64 *)(r10 - 8)
  10: r6 += 1
  11: *(u64 *)(r10 - 8) = r6
  12: r6 += -1
; 6: 		if ($i == 3) { continue; }
  13: r6 = *(u64 *)(r10 - 8)
  14: if r6 != 0x3 goto +1
  15: goto -12
; 7: 		@s += $i;
  16: r6 = *(u64 *)(r10 - 8)
  17: *(u64 *)(r10 - 16) = 0
  18: r1 = map[@s] ll
  20: r2 = r10
  21: r2 += -16
  22: call bpf_map_lookup_elem
  23: r1 = 0
  24: if r0 == 0x0 goto +1
  25: r1 = *(u64 *)(r0 + 0)
  26: r1 += r6
  27: *(u64 *)(r10 - 24) = r1
  28: r1 = map[@s] ll
  30: r2 = r10
  31: r2 += -16
  32: r3 = r10
  33: r3 += -24
  34: r4 = 0
  35: call bpf_map_update_elem
; 3: 	while ($i < 10) {
  36: goto -33
; 9: 	unroll(2) { @u++; }
  37: *(u64 *)(r10 - 16) = 0
  38: r1 = map[@u] ll
  40: r2 = r10
  41: r2 += -16
  42: call bpf_map_lookup_elem
  43: r1 = 0
  44: if r0 == 0x0 goto +1
  45: r1 = *(u64 *)(r0 + 0)
  46: r1 += 1
  47: *(u64 *)(r10 - 24) = r1
  48: r1 = map[@u] ll
  50: r2 = r10
  51: r2 += -16
  52: r3 = r10
  53: r3 += -24
  54: r4 = 0
  55: call bpf_map_update_elem
  56: *(u64 *)(r10 - 16) = 0
  57: r1 = map[@u] ll
  59: r2 = r10
  60: r2 += -16
  61: call bpf_map_lookup_elem
  62: r1 = 0
  63: if r0 == 0x0 goto +1
  64: r1 = *(u64 *)(r0 + 0)
  65: r1 += 1
  66: *(u64 *)(r10 - 24) = r1
  67: r1 = map[@u] ll
  69: r2 = r10
  70: r2 += -16
  71: r3 = r10
  72: r3 += -24
  73: r4 = 0
  74: call bpf_map_update_elem
; 10: }
  75: r0 = 0
  76: exit
