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
   7: if r0 s>= 0x0 goto +10
   8: *(u64 *)(r10 - 16) = 0
   9: r1 = map[.stacklost] ll
  11: r2 = r10
  12: r2 += -16
  13: call bpf_map_lookup_elem
  14: if r0 == 0x0 goto +3
  15: r1 = *(u64 *)(r0 + 0)
  16: r1 += 1
  17: *(u64 *)(r0 + 0) = r1
  18: *(u64 *)(r10 - 8) = r6
  19: r1 = map[@] ll
  21: r2 = r10
  22: r2 += -8
  23: call bpf_map_lookup_elem
  24: if r0 == 0x0 goto +4
  25: r1 = *(u64 *)(r0 + 0)
  26: r1 += 1
  27: *(u64 *)(r0 + 0) = r1
  28: goto +19
  29: *(u64 *)(r10 - 16) = 1
  30: r1 = map[@] ll
  32: r2 = r10
  33: r2 += -8
  34: r3 = r10
  35: r3 += -16
  36: r4 = 1
  37: call bpf_map_update_elem
  38: if r0 == 0x0 goto +9
  39: r1 = map[@] ll
  41: r2 = r10
  42: r2 += -8
  43: call bpf_map_lookup_elem
  44: if r0 == 0x0 goto +3
  45: r1 = *(u64 *)(r0 + 0)
  46: r1 += 1
  47: *(u64 *)(r0 + 0) = r1
  48: *(u64 *)(r10 - 24) = 0
  49: *(u64 *)(r10 - 16) = 0
  50: *(u64 *)(r10 - 8) = 0
  51: *(u64 *)(r10 - 24) = 0
  52: *(u64 *)(r10 - 16) = 0
  53: r1 = r10
  54: r1 += -24
  55: r2 = 16
  56: call bpf_get_current_comm
  57: r1 = r9
  58: r2 = map[.kstack3] ll
  60: r3 = 0
  61: call bpf_get_stackid
  62: r6 = r0
  63: if r0 s>= 0x0 goto +10
  64: *(u64 *)(r10 - 32) = 0
  65: r1 = map[.stacklost] ll
  67: r2 = r10
  68: r2 += -32
  69: call bpf_map_lookup_elem
  70: if r0 == 0x0 goto +3
  71: r1 = *(u64 *)(r0 + 0)
  72: r1 += 1
  73: *(u64 *)(r0 + 0) = r1
  74: *(u64 *)(r10 - 8) = r6
  75: r1 = map[@d] ll
  77: r2 = r10
  78: r2 += -24
  79: call bpf_map_lookup_elem
  80: if r0 == 0x0 goto +4
  81: r1 = *(u64 *)(r0 + 0)
  82: r1 += 1
  83: *(u64 *)(r0 + 0) = r1
  84: goto +19
  85: *(u64 *)(r10 - 32) = 1
  86: r1 = map[@d] ll
  88: r2 = r10
  89: r2 += -24
  90: r3 = r10
  91: r3 += -32
  92: r4 = 1
  93: call bpf_map_update_elem
  94: if r0 == 0x0 goto +9
  95: r1 = map[@d] ll
  97: r2 = r10
  98: r2 += -24
  99: call bpf_map_lookup_elem
 100: if r0 == 0x0 goto +3
 101: r1 = *(u64 *)(r0 + 0)
 102: r1 += 1
 103: *(u64 *)(r0 + 0) = r1
 104: r1 = r9
 105: r2 = map[.kstack3] ll
 107: r3 = 0
 108: call bpf_get_stackid
 109: r6 = r0
 110: if r0 s>= 0x0 goto +10
 111: *(u64 *)(r10 - 16) = 0
 112: r1 = map[.stacklost] ll
 114: r2 = r10
 115: r2 += -16
 116: call bpf_map_lookup_elem
 117: if r0 == 0x0 goto +3
 118: r1 = *(u64 *)(r0 + 0)
 119: r1 += 1
 120: *(u64 *)(r0 + 0) = r1
 121: *(u64 *)(r10 - 8) = r6
 122: r1 = map[@p] ll
 124: r2 = r10
 125: r2 += -8
 126: call bpf_map_lookup_elem
 127: if r0 == 0x0 goto +4
 128: r1 = *(u64 *)(r0 + 0)
 129: r1 += 1
 130: *(u64 *)(r0 + 0) = r1
 131: goto +19
 132: *(u64 *)(r10 - 16) = 1
 133: r1 = map[@p] ll
 135: r2 = r10
 136: r2 += -8
 137: r3 = r10
 138: r3 += -16
 139: r4 = 1
 140: call bpf_map_update_elem
 141: if r0 == 0x0 goto +9
 142: r1 = map[@p] ll
 144: r2 = r10
 145: r2 += -8
 146: call bpf_map_lookup_elem
 147: if r0 == 0x0 goto +3
 148: r1 = *(u64 *)(r0 + 0)
 149: r1 += 1
 150: *(u64 *)(r0 + 0) = r1
 151: r7 = -2130706432
 152: r6 = r7
 153: *(u64 *)(r10 - 8) = r6
 154: *(u64 *)(r10 - 16) = 0
 155: r1 = map[@s] ll
 157: r2 = r10
 158: r2 += -16
 159: r3 = r10
 160: r3 += -8
 161: r4 = 0
 162: call bpf_map_update_elem
 163: *(u64 *)(r10 - 24) = 0
 164: r1 = r9
 165: r2 = map[.kstack2] ll
 167: r3 = 0
 168: call bpf_get_stackid
 169: r6 = r0
 170: if r0 s>= 0x0 goto +10
 171: *(u64 *)(r10 - 32) = 0
 172: r1 = map[.stacklost] ll
 174: r2 = r10
 175: r2 += -32
 176: call bpf_map_lookup_elem
 177: if r0 == 0x0 goto +3
 178: r1 = *(u64 *)(r0 + 0)
 179: r1 += 1
 180: *(u64 *)(r0 + 0) = r1
 181: *(u64 *)(r10 - 16) = r6
 182: r7 = 1
 183: r6 = r7
 184: *(u64 *)(r10 - 8) = r6
 185: r1 = map[events] ll
 187: r2 = r10
 188: r2 += -24
 189: r3 = 24
 190: r4 = 0
 191: call bpf_ringbuf_output
 192: if r0 == 0x0 goto +10
 193: *(u32 *)(r10 - 24) = 0
 194: r1 = map[.lost] ll
 196: r2 = r10
 197: r2 += -24
 198: call bpf_map_lookup_elem
 199: if r0 == 0x0 goto +3
 200: r1 = *(u64 *)(r0 + 0)
 201: r1 += 1
 202: *(u64 *)(r0 + 0) = r1
 203: r0 = 0
 204: exit
