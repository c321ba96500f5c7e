map @a percpu_hash key_size=8 value_size=16 max_entries=4096 agg=6 key=none value=(@0:s64, @8:s64)
map @l percpu_hash key_size=16 value_size=8 max_entries=4096 agg=9 key=u64 value=u64 lhist=0,1000,100
map @mn percpu_hash key_size=8 value_size=16 max_entries=4096 agg=4 key=none value=(@0:s64, @8:u64)
map @mx percpu_hash key_size=8 value_size=16 max_entries=4096 agg=5 key=none value=(@0:s64, @8:u64)
map @s percpu_hash key_size=8 value_size=8 max_entries=4096 agg=3 key=none value=s64
map @st percpu_hash key_size=8 value_size=16 max_entries=4096 agg=7 key=none value=(@0:s64, @8:s64)

prog tracepoint:syscalls:sys_exit_read type=tracepoint target="syscalls:sys_exit_read"
; 1: tracepoint:syscalls:sys_exit_read
   0: r9 = r1
; 3: 	@l[pid] = lhist(args->ret, 0, 1000, 100);
   1: r6 = *(u64 *)(r9 + 16)
   2: call bpf_get_current_pid_tgid
   3: r7 = r0
   4: r7 >>= 32
   5: *(u64 *)(r10 - 16) = r7
   6: r2 = 0
   7: if r6 s< 0x0 goto +6
   8: r2 = r6
   9: r2 -= 0
  10: r2 /= 100
  11: r2 += 1
  12: if r2 <= 0xb goto +1
  13: r2 = 11
  14: *(u64 *)(r10 - 8) = r2
  15: r1 = map[@l] ll
  17: r2 = r10
  18: r2 += -16
  19: call bpf_map_lookup_elem
  20: if r0 == 0x0 goto +4
  21: r1 = *(u64 *)(r0 + 0)
  22: r1 += 1
  23: *(u64 *)(r0 + 0) = r1
  24: goto +19
  25: *(u64 *)(r10 - 24) = 1
  26: r1 = map[@l] ll
  28: r2 = r10
  29: r2 += -16
  30: r3 = r10
  31: r3 += -24
  32: r4 = 1
  33: call bpf_map_update_elem
  34: if r0 == 0x0 goto +9
  35: r1 = map[@l] ll
  37: r2 = r10
  38: r2 += -16
  39: call bpf_map_lookup_elem
  40: if r0 == 0x0 goto +3
  41: r1 = *(u64 *)(r0 + 0)
  42: r1 += 1
  43: *(u64 *)(r0 + 0) = r1
; 4: 	@s = sum(args->ret);
  44: r6 = *(u64 *)(r9 + 16)
  45: *(u64 *)(r10 - 8) = 0
  46: r1 = map[@s] ll
  48: r2 = r10
  49: r2 += -8
  50: call bpf_map_lookup_elem
  51: if r0 == 0x0 goto +4
  52: r1 = *(u64 *)(r0 + 0)
  53: r1 += r6
  54: *(u64 *)(r0 + 0) = r1
  55: goto +19
  56: *(u64 *)(r10 - 16) = r6
  57: r1 = map[@s] ll
  59: r2 = r10
  60: r2 += -8
  61: r3 = r10
  62: r3 += -16
  63: r4 = 1
  64: call bpf_map_update_elem
  65: if r0 == 0x0 goto +9
  66: r1 = map[@s] ll
  68: r2 = r10
  69: r2 += -8
  70: call bpf_map_lookup_elem
  71: if r0 == 0x0 goto +3
  72: r1 = *(u64 *)(r0 + 0)
  73: r1 += r6
  74: *(u64 *)(r0 + 0) = r1
; 5: 	@mn = min(args->ret);
  75: r6 = *(u64 *)(r9 + 16)
  76: *(u64 *)(r10 - 8) = 0
  77: r1 = map[@mn] ll
  79: r2 = r10
  80: r2 += -8
  81: call bpf_map_lookup_elem
  82: if r0 == 0x0 goto +7
  83: r1 = *(u64 *)(r0 + 8)
  84: if r1 == 0x0 goto +2
  85: r1 = *(u64 *)(r0 + 0)
  86: if r6 s>= r1 goto +2
  87: *(u64 *)(r0 + 0) = r6
  88: *(u64 *)(r0 + 8) = 1
  89: goto +23
  90: *(u64 *)(r10 - 24) = r6
  91: *(u64 *)(r10 - 16) = 1
  92: r1 = map[@mn] ll
  94: r2 = r10
  95: r2 += -8
  96: r3 = r10
  97: r3 += -24
  98: r4 = 1
  99: call bpf_map_update_elem
 100: if r0 == 0x0 goto +12
 101: r1 = map[@mn] ll
 103: r2 = r10
 104: r2 += -8
 105: call bpf_map_lookup_elem
 106: if r0 == 0x0 goto +6
 107: r1 = *(u64 *)(r0 + 8)
 108: if r1 == 0x0 goto +2
 109: r1 = *(u64 *)(r0 + 0)
 110: if r6 s>= r1 goto +2
 111: *(u64 *)(r0 + 0) = r6
 112: *(u64 *)(r0 + 8) = 1
; 6: 	@mx = max(args->ret);
 113: r6 = *(u64 *)(r9 + 16)
 114: *(u64 *)(r10 - 8) = 0
 115: r1 = map[@mx] ll
 117: r2 = r10
 118: r2 += -8
 119: call bpf_map_lookup_elem
 120: if r0 == 0x0 goto +7
 121: r1 = *(u64 *)(r0 + 8)
 122: if r1 == 0x0 goto +2
 123: r1 = *(u64 *)(r0 + 0)
 124: if r6 s<= r1 goto +2
 125: *(u64 *)(r0 + 0) = r6
 126: *(u64 *)(r0 + 8) = 1
 127: goto +23
 128: *(u64 *)(r10 - 24) = r6
 129: *(u64 *)(r10 - 16) = 1
 130: r1 = map[@mx] ll
 132: r2 = r10
 133: r2 += -8
 134: r3 = r10
 135: r3 += -24
 136: r4 = 1
 137: call bpf_map_update_elem
 138: if r0 == 0x0 goto +12
 139: r1 = map[@mx] ll
 141: r2 = r10
 142: r2 += -8
 143: call bpf_map_lookup_elem
 144: if r0 == 0x0 goto +6
 145: r1 = *(u64 *)(r0 + 8)
 146: if r1 == 0x0 goto +2
 147: r1 = *(u64 *)(r0 + 0)
 148: if r6 s<= r1 goto +2
 149: *(u64 *)(r0 + 0) = r6
 150: *(u64 *)(r0 + 8) = 1
; 7: 	@a = avg(args->ret);
 151: r6 = *(u64 *)(r9 + 16)
 152: *(u64 *)(r10 - 8) = 0
 153: r1 = map[@a] ll
 155: r2 = r10
 156: r2 += -8
 157: call bpf_map_lookup_elem
 158: if r0 == 0x0 goto +7
 159: r1 = *(u64 *)(r0 + 0)
 160: r1 += 1
 161: *(u64 *)(r0 + 0) = r1
 162: r1 = *(u64 *)(r0 + 8)
 163: r1 += r6
 164: *(u64 *)(r0 + 8) = r1
 165: goto +23
 166: *(u64 *)(r10 - 24) = 1
 167: *(u64 *)(r10 - 16) = r6
 168: r1 = map[@a] ll
 170: r2 = r10
 171: r2 += -8
 172: r3 = r10
 173: r3 += -24
 174: r4 = 1
 175: call bpf_map_update_elem
 176: if r0 == 0x0 goto +12
 177: r1 = map[@a] ll
 179: r2 = r10
 180: r2 += -8
 181: call bpf_map_lookup_elem
 182: if r0 == 0x0 goto +6
 183: r1 = *(u64 *)(r0 + 0)
 184: r1 += 1
 185: *(u64 *)(r0 + 0) = r1
 186: r1 = *(u64 *)(r0 + 8)
 187: r1 += r6
 188: *(u64 *)(r0 + 8) = r1
; 8: 	@st = stats(args->ret);
 189: r6 = *(u64 *)(r9 + 16)
 190: *(u64 *)(r10 - 8) = 0
 191: r1 = map[@st] ll
 193: r2 = r10
 194: r2 += -8
 195: call bpf_map_lookup_elem
 196: if r0 == 0x0 goto +7
 197: r1 = *(u64 *)(r0 + 0)
 198: r1 += 1
 199: *(u64 *)(r0 + 0) = r1
 200: r1 = *(u64 *)(r0 + 8)
 201: r1 += r6
 202: *(u64 *)(r0 + 8) = r1
 203: goto +23
 204: *(u64 *)(r10 - 24) = 1
 205: *(u64 *)(r10 - 16) = r6
 206: r1 = map[@st] ll
 208: r2 = r10
 209: r2 += -8
 210: r3 = r10
 211: r3 += -24
 212: r4 = 1
 213: call bpf_map_update_elem
 214: if r0 == 0x0 goto +12
 215: r1 = map[@st] ll
 217: r2 = r10
 218: r2 += -8
 219: call bpf_map_lookup_elem
 220: if r0 == 0x0 goto +6
 221: r1 = *(u64 *)(r0 + 0)
 222: r1 += 1
 223: *(u64 *)(r0 + 0) = r1
 224: r1 = *(u64 *)(r0 + 8)
 225: r1 += r6
 226: *(u64 *)(r0 + 8) = r1
; 9: }
 227: r0 = 0
 228: exit
