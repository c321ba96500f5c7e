map @c hash key_size=8 value_size=8 max_entries=4096 agg=1 key=none value=s64
map @lit hash key_size=8 value_size=8 max_entries=4096 agg=1 key=none value=s64
map @q hash key_size=8 value_size=8 max_entries=4096 agg=1 key=none value=s64
map @qi hash key_size=8 value_size=8 max_entries=4096 agg=1 key=none value=s64
map @r hash key_size=8 value_size=8 max_entries=4096 agg=1 key=none value=s64
map @ri hash key_size=8 value_size=8 max_entries=4096 agg=1 key=none value=s64
map @u hash key_size=8 value_size=8 max_entries=4096 agg=1 key=none value=u64

prog BEGIN type=BEGIN target=""
; 3: BEGIN
   0: r9 = r1
   1: *(u64 *)(r10 - 8) = 0
   2: *(u64 *)(r10 - 16) = 0
   3: *(u64 *)(r10 - 24) = 0
; 5: 	$a = -7;
   4: r6 = -7
   5: *(u64 *)(r10 - 8) = r6
; 6: 	$b = 2;
   6: r6 = 2
   7: *(u64 *)(r10 - 16) = r6
; 7: 	@q = $a / $b;
   8: r6 = *(u64 *)(r10 - 8)
   9: r7 = *(u64 *)(r10 - 16)
  10: r6 s/= r7
  11: *(u64 *)(r10 - 32) = r6
  12: *(u64 *)(r10 - 40) = 0
  13: r1 = map[@q] ll
  15: r2 = r10
  16: r2 += -40
  17: r3 = r10
  18: r3 += -32
  19: r4 = 0
  20: call bpf_map_update_elem
; 8: 	@r = $a % $b;
  21: r6 = *(u64 *)(r10 - 8)
  22: r7 = *(u64 *)(r10 - 16)
  23: r6 s%= r7
  24: *(u64 *)(r10 - 32) = r6
  25: *(u64 *)(r10 - 40) = 0
  26: r1 = map[@r] ll
  28: r2 = r10
  29: r2 += -40
  30: r3 = r10
  31: r3 += -32
  32: r4 = 0
  33: call bpf_map_update_elem
; 9: 	@qi = $a / -2;
  34: r6 = *(u64 *)(r10 - 8)
  35: r6 s/= -2
  36: *(u64 *)(r10 - 32) = r6
  37: *(u64 *)(r10 - 40) = 0
  38: r1 = map[@qi] ll
  40: r2 = r10
  41: r2 += -40
  42: r3 = r10
  43: r3 += -32
  44: r4 = 0
  45: call bpf_map_update_elem
; 10: 	@ri = $a % 3;
  46: r6 = *(u64 *)(r10 - 8)
  47: r6 s%= 3
  48: *(u64 *)(r10 - 32) = r6
  49: *(u64 *)(r10 - 40) = 0
  50: r1 = map[@ri] ll
  52: r2 = r10
  53: r2 += -40
  54: r3 = r10
  55: r3 += -32
  56: r4 = 0
  57: call bpf_map_update_elem
; 11: 	@u = (uint64)$a / 2;
  58: r6 = *(u64 *)(r10 - 8)
  59: r6 /= 2
  60: *(u64 *)(r10 - 32) = r6
  61: *(u64 *)(r10 - 40) = 0
  62: r1 = map[@u] ll
  64: r2 = r10
  65: r2 += -40
  66: r3 = r10
  67: r3 += -32
  68: r4 = 0
  69: call bpf_map_update_elem
; 12: 	$c = 10;
  70: r6 = 10
  71: *(u64 *)(r10 - 24) = r6
; 13: 	$c /= -3;
  72: r6 = -3
  73: r0 = *(u64 *)(r10 - 24)
  74: r0 s/= r6
  75: *(u64 *)(r10 - 24) = r0
; 14: 	@c = $c;
  76: r6 = *(u64 *)(r10 - 24)
  77: *(u64 *)(r10 - 32) = r6
  78: *(u64 *)(r10 - 40) = 0
  79: r1 = map[@c] ll
  81: r2 = r10
  82: r2 += -40
  83: r3 = r10
  84: r3 += -32
  85: r4 = 0
  86: call bpf_map_update_elem
; 15: 	@lit = -9 / 4;
  87: r6 = -9
  88: r6 s/= 4
  89: *(u64 *)(r10 - 32) = r6
  90: *(u64 *)(r10 - 40) = 0
  91: r1 = map[@lit] ll
  93: r2 = r10
  94: r2 += -40
  95: r3 = r10
  96: r3 += -32
  97: r4 = 0
  98: call bpf_map_update_elem
; 16: }
  99: r0 = 0
 100: exit
