map @ percpu_hash key_size=8 value_size=8 max_entries=4096 agg=2 key=kstack(mode 0, 127) value=u64
map @d percpu_hash key_size=24 value_size=8 max_entries=4096 agg=2 key=(@0:str[16], @16:kstack(mode 0, 3)) value=u64
map @p percpu_hash key_size=8 value_size=8 max_entries=4096 agg=2 key=kstack(mode 1, 3) value=u64
map @s hash key_size=8 value_size=8 max_entries=4096 agg=1 key=none value=ksym
map events ringbuf key_size=0 value_size=0 max_entries=262144
map .lost percpu_array key_size=4 value_size=8 max_entries=1
map .kstack127 stack_trace key_size=4 value_size=1016 max_entries=4096
map .kstack3 stack_trace key_size=4 value_size=24 max_entries=4096
map .kstack2 stack_trace key_size=4 value_size=16 max_entries=4096
map .stacklost percpu_array key_size=4 value_size=8 max_entries=1
event 0 printf size=24 line=5 fmt="%s %s\n" 8:kstack(mode 2, 2) 16:ksym

prog tracepoint:sched:sched_switch type=tracepoint target="sched:sched_switch"
; 5: tracepoint:sched:sched_switch { @[kstack] = count(); @d[comm, kstack(3)] = count(); @p[kstack(perf, 3)] = count(); @s = ksym(0xffffffff81000000); printf("%s %s\n", kstack(raw, 2), ksym(1)); }
   0: r9 = r1
   1: r1 = r9
   2: r2 = map[.kstack127] ll
   4: r3 = 0
   5: call bpf_get_stackid
   6: r6 = r0
   7: if r0 s>= 0x0 goto +11
   8: if r0 == 0xfffffff2 goto +10
   9: *(u64 *)(r10 - 16) = 0
  10: r1 = map[.stacklost] ll
  12: r2 = r10
  13: r2 += -16
  14: call bpf_map_lookup_elem
  15: if r0 == 0x0 goto +3
  16: r1 = *(u64 *)(r0 + 0)
  17: r1 += 1
  18: *(u64 *)(r0 + 0) = r1
  19: *(u64 *)(r10 - 8) = r6
  20: r1 = map[@] ll
  22: r2 = r10
  23: r2 += -8
  24: call bpf_map_lookup_elem
  25: if r0 == 0x0 goto +4
  26: r1 = *(u64 *)(r0 + 0)
  27: r1 += 1
  28: *(u64 *)(r0 + 0) = r1
  29: goto +19
  30: *(u64 *)(r10 - 16) = 1
  31: r1 = map[@] ll
  33: r2 = r10
  34: r2 += -8
  35: r3 = r10
  36: r3 += -16
  37: r4 = 1
  38: call bpf_map_update_elem
  39: if r0 == 0x0 goto +9
  40: r1 = map[@] ll
  42: r2 = r10
  43: r2 += -8
  44: call bpf_map_lookup_elem
  45: if r0 == 0x0 goto +3
  46: r1 = *(u64 *)(r0 + 0)
  47: r1 += 1
  48: *(u64 *)(r0 + 0) = r1
  49: *(u64 *)(r10 - 24) = 0
  50: *(u64 *)(r10 - 16) = 0
  51: *(u64 *)(r10 - 8) = 0
  52: *(u64 *)(r10 - 24) = 0
  53: *(u64 *)(r10 - 16) = 0
  54: r1 = r10
  55: r1 += -24
  56: r2 = 16
  57: call bpf_get_current_comm
  58: r1 = r9
  59: r2 = map[.kstack3] ll
  61: r3 = 0
  62: call bpf_get_stackid
  63: r6 = r0
  64: if r0 s>= 0x0 goto +11
  65: if r0 == 0xfffffff2 goto +10
  66: *(u64 *)(r10 - 32) = 0
  67: r1 = map[.stacklost] ll
  69: r2 = r10
  70: r2 += -32
  71: call bpf_map_lookup_elem
  72: if r0 == 0x0 goto +3
  73: r1 = *(u64 *)(r0 + 0)
  74: r1 += 1
  75: *(u64 *)(r0 + 0) = r1
  76: *(u64 *)(r10 - 8) = r6
  77: r1 = map[@d] ll
  79: r2 = r10
  80: r2 += -24
  81: call bpf_map_lookup_elem
  82: if r0 == 0x0 goto +4
  83: r1 = *(u64 *)(r0 + 0)
  84: r1 += 1
  85: *(u64 *)(r0 + 0) = r1
  86: goto +19
  87: *(u64 *)(r10 - 32) = 1
  88: r1 = map[@d] ll
  90: r2 = r10
  91: r2 += -24
  92: r3 = r10
  93: r3 += -32
  94: r4 = 1
  95: call bpf_map_update_elem
  96: if r0 == 0x0 goto +9
  97: r1 = map[@d] ll
  99: r2 = r10
 100: r2 += -24
 101: call bpf_map_lookup_elem
 102: if r0 == 0x0 goto +3
 103: r1 = *(u64 *)(r0 + 0)
 104: r1 += 1
 105: *(u64 *)(r0 + 0) = r1
 106: r1 = r9
 107: r2 = map[.kstack3] ll
 109: r3 = 0
 110: call bpf_get_stackid
 111: r6 = r0
 112: if r0 s>= 0x0 goto +11
 113: if r0 == 0xfffffff2 goto +10
 114: *(u64 *)(r10 - 16) = 0
 115: r1 = map[.stacklost] ll
 117: r2 = r10
 118: r2 += -16
 119: call bpf_map_lookup_elem
 120: if r0 == 0x0 goto +3
 121: r1 = *(u64 *)(r0 + 0)
 122: r1 += 1
 123: *(u64 *)(r0 + 0) = r1
 124: *(u64 *)(r10 - 8) = r6
 125: r1 = map[@p] ll
 127: r2 = r10
 128: r2 += -8
 129: call bpf_map_lookup_elem
 130: if r0 == 0x0 goto +4
 131: r1 = *(u64 *)(r0 + 0)
 132: r1 += 1
 133: *(u64 *)(r0 + 0) = r1
 134: goto +19
 135: *(u64 *)(r10 - 16) = 1
 136: r1 = map[@p] ll
 138: r2 = r10
 139: r2 += -8
 140: r3 = r10
 141: r3 += -16
 142: r4 = 1
 143: call bpf_map_update_elem
 144: if r0 == 0x0 goto +9
 145: r1 = map[@p] ll
 147: r2 = r10
 148: r2 += -8
 149: call bpf_map_lookup_elem
 150: if r0 == 0x0 goto +3
 151: r1 = *(u64 *)(r0 + 0)
 152: r1 += 1
 153: *(u64 *)(r0 + 0) = r1
 154: r7 = -2130706432
 155: r6 = r7
 156: *(u64 *)(r10 - 8) = r6
 157: *(u64 *)(r10 - 16) = 0
 158: r1 = map[@s] ll
 160: r2 = r10
 161: r2 += -16
 162: r3 = r10
 163: r3 += -8
 164: r4 = 0
 165: call bpf_map_update_elem
 166: *(u64 *)(r10 - 24) = 0
 167: r1 = r9
 168: r2 = map[.kstack2] ll
 170: r3 = 0
 171: call bpf_get_stackid
 172: r6 = r0
 173: if r0 s>= 0x0 goto +11
 174: if r0 == 0xfffffff2 goto +10
 175: *(u64 *)(r10 - 32) = 0
 176: r1 = map[.stacklost] ll
 178: r2 = r10
 179: r2 += -32
 180: call bpf_map_lookup_elem
 181: if r0 == 0x0 goto +3
 182: r1 = *(u64 *)(r0 + 0)
 183: r1 += 1
 184: *(u64 *)(r0 + 0) = r1
 185: *(u64 *)(r10 - 16) = r6
 186: r7 = 1
 187: r6 = r7
 188: *(u64 *)(r10 - 8) = r6
 189: r1 = map[events] ll
 191: r2 = r10
 192: r2 += -24
 193: r3 = 24
 194: r4 = 0
 195: call bpf_ringbuf_output
 196: if r0 == 0x0 goto +10
 197: *(u32 *)(r10 - 24) = 0
 198: r1 = map[.lost] ll
 200: r2 = r10
 201: r2 += -24
 202: call bpf_map_lookup_elem
 203: if r0 == 0x0 goto +3
 204: r1 = *(u64 *)(r0 + 0)
 205: r1 += 1
 206: *(u64 *)(r0 + 0) = r1
 207: r0 = 0
 208: exit
