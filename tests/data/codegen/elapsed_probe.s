map @ percpu_hash key_size=40 value_size=8 max_entries=4096 agg=2 key=str[35] value=u64
map events ringbuf key_size=0 value_size=0 max_entries=262144
map .lost percpu_array key_size=4 value_size=8 max_entries=1
map .start array key_size=4 value_size=8 max_entries=1
event 0 printf size=56 line=1 fmt="%s %d\n" 8:str[35] 48:u64

prog tracepoint:syscalls:sys_enter_read type=tracepoint target="syscalls:sys_enter_read"
; 1: tracepoint:syscalls:sys_enter_read { @[probe] = count(); printf("%s %d\n", probe, elapsed / 1000000); }
   0: r9 = r1
   1: r1 = 0x696f706563617274 ll
   3: *(u64 *)(r10 - 40) = r1
   4: r1 = 0x61637379733a746e ll
   6: *(u64 *)(r10 - 32) = r1
   7: r1 = 0x5f7379733a736c6c ll
   9: *(u64 *)(r10 - 24) = r1
  10: r1 = 0x65725f7265746e65 ll
  12: *(u64 *)(r10 - 16) = r1
  13: *(u64 *)(r10 - 8) = 25697
  14: r1 = map[@] ll
  16: r2 = r10
  17: r2 += -40
  18: call bpf_map_lookup_elem
  19: if r0 == 0x0 goto +4
  20: r1 = *(u64 *)(r0 + 0)
  21: r1 += 1
  22: *(u64 *)(r0 + 0) = r1
  23: goto +19
  24: *(u64 *)(r10 - 48) = 1
  25: r1 = map[@] ll
  27: r2 = r10
  28: r2 += -40
  29: r3 = r10
  30: r3 += -48
  31: r4 = 1
  32: call bpf_map_update_elem
  33: if r0 == 0x0 goto +9
  34: r1 = map[@] ll
  36: r2 = r10
  37: r2 += -40
  38: call bpf_map_lookup_elem
  39: if r0 == 0x0 goto +3
  40: r1 = *(u64 *)(r0 + 0)
  41: r1 += 1
  42: *(u64 *)(r0 + 0) = r1
  43: *(u64 *)(r10 - 56) = 0
  44: r1 = 0x696f706563617274 ll
  46: *(u64 *)(r10 - 48) = r1
  47: r1 = 0x61637379733a746e ll
  49: *(u64 *)(r10 - 40) = r1
  50: r1 = 0x5f7379733a736c6c ll
  52: *(u64 *)(r10 - 32) = r1
  53: r1 = 0x65725f7265746e65 ll
  55: *(u64 *)(r10 - 24) = r1
  56: *(u64 *)(r10 - 16) = 25697
  57: call bpf_ktime_get_ns
  58: r6 = r0
  59: *(u64 *)(r10 - 64) = 0
  60: r1 = map[.start] ll
  62: r2 = r10
  63: r2 += -64
  64: call bpf_map_lookup_elem
  65: if r0 == 0x0 goto +4
  66: r1 = *(u64 *)(r0 + 0)
  67: if r1 == 0x0 goto +2
  68: r6 -= r1
  69: goto +1
  70: r6 = 0
  71: r6 /= 1000000
  72: *(u64 *)(r10 - 8) = r6
  73: r1 = map[events] ll
  75: r2 = r10
  76: r2 += -56
  77: r3 = 56
  78: r4 = 0
  79: call bpf_ringbuf_output
  80: if r0 == 0x0 goto +10
  81: *(u32 *)(r10 - 56) = 0
  82: r1 = map[.lost] ll
  84: r2 = r10
  85: r2 += -56
  86: call bpf_map_lookup_elem
  87: if r0 == 0x0 goto +3
  88: r1 = *(u64 *)(r0 + 0)
  89: r1 += 1
  90: *(u64 *)(r0 + 0) = r1
  91: r0 = 0
  92: exit
