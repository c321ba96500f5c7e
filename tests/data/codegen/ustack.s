map @ percpu_hash key_size=8 value_size=8 max_entries=4096 agg=2 key=ustack(mode 0, 127) value=u64
map @k percpu_hash key_size=16 value_size=8 max_entries=4096 agg=2 key=(@0:kstack(mode 0, 3), @8:ustack(mode 1, 3)) value=u64
map @s hash key_size=8 value_size=16 max_entries=4096 agg=1 key=none value=usym
map events ringbuf key_size=0 value_size=0 max_entries=262144
map .lost percpu_array key_size=4 value_size=8 max_entries=1
map .ustack127 stack_trace key_size=4 value_size=1016 max_entries=4096
map .kstack3 stack_trace key_size=4 value_size=24 max_entries=4096
map .ustack3 stack_trace key_size=4 value_size=24 max_entries=4096
map .ustack2 stack_trace key_size=4 value_size=16 max_entries=4096
map .stacklost percpu_array key_size=4 value_size=8 max_entries=1
map .upids hash key_size=4 value_size=8 max_entries=16384
event 0 upid size=16 line=6
event 1 upid size=16 line=6
event 2 upid size=16 line=6
event 3 upid size=16 line=6
event 4 printf size=16 line=6 fmt="%s\n" 8:ustack(mode 2, 2)

prog tracepoint:syscalls:sys_enter_read type=tracepoint target="syscalls:sys_enter_read"
; 6: tracepoint:syscalls:sys_enter_read { @[ustack] = count(); @k[kstack(3), ustack(perf, 3)] = count(); @s = usym(args->buf); printf("%s\n", ustack(raw, 2)); }
   0: r9 = r1
   1: r1 = r9
   2: r2 = map[.ustack127] ll
   4: r3 = 256
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
  19: call bpf_get_current_pid_tgid
  20: r7 = r0
  21: r7 >>= 32
  22: *(u64 *)(r10 - 16) = 0
  23: *(u32 *)(r10 - 16) = r7
  24: r1 = map[.upids] ll
  26: r2 = r10
  27: r2 += -16
  28: call bpf_map_lookup_elem
  29: if r0 != 0x0 goto +30
  30: *(u64 *)(r10 - 24) = 0
  31: r1 = map[.upids] ll
  33: r2 = r10
  34: r2 += -16
  35: r3 = r10
  36: r3 += -24
  37: r4 = 1
  38: call bpf_map_update_elem
  39: if r0 != 0x0 goto +20
  40: *(u64 *)(r10 - 40) = 0
  41: *(u64 *)(r10 - 32) = r7
  42: r1 = map[events] ll
  44: r2 = r10
  45: r2 += -40
  46: r3 = 16
  47: r4 = 2
  48: call bpf_ringbuf_output
  49: if r0 == 0x0 goto +10
  50: *(u32 *)(r10 - 40) = 0
  51: r1 = map[.lost] ll
  53: r2 = r10
  54: r2 += -40
  55: call bpf_map_lookup_elem
  56: if r0 == 0x0 goto +3
  57: r1 = *(u64 *)(r0 + 0)
  58: r1 += 1
  59: *(u64 *)(r0 + 0) = r1
  60: w6 = w6
  61: r7 <<= 32
  62: r6 |= r7
  63: *(u64 *)(r10 - 8) = r6
  64: r1 = map[@] ll
  66: r2 = r10
  67: r2 += -8
  68: call bpf_map_lookup_elem
  69: if r0 == 0x0 goto +4
  70: r1 = *(u64 *)(r0 + 0)
  71: r1 += 1
  72: *(u64 *)(r0 + 0) = r1
  73: goto +19
  74: *(u64 *)(r10 - 16) = 1
  75: r1 = map[@] ll
  77: r2 = r10
  78: r2 += -8
  79: r3 = r10
  80: r3 += -16
  81: r4 = 1
  82: call bpf_map_update_elem
  83: if r0 == 0x0 goto +9
  84: r1 = map[@] ll
  86: r2 = r10
  87: r2 += -8
  88: call bpf_map_lookup_elem
  89: if r0 == 0x0 goto +3
  90: r1 = *(u64 *)(r0 + 0)
  91: r1 += 1
  92: *(u64 *)(r0 + 0) = r1
  93: *(u64 *)(r10 - 16) = 0
  94: *(u64 *)(r10 - 8) = 0
  95: r1 = r9
  96: r2 = map[.kstack3] ll
  98: r3 = 0
  99: call bpf_get_stackid
 100: r6 = r0
 101: if r0 s>= 0x0 goto +11
 102: if r0 == 0xfffffff2 goto +10
 103: *(u64 *)(r10 - 24) = 0
 104: r1 = map[.stacklost] ll
 106: r2 = r10
 107: r2 += -24
 108: call bpf_map_lookup_elem
 109: if r0 == 0x0 goto +3
 110: r1 = *(u64 *)(r0 + 0)
 111: r1 += 1
 112: *(u64 *)(r0 + 0) = r1
 113: *(u64 *)(r10 - 16) = r6
 114: r1 = r9
 115: r2 = map[.ustack3] ll
 117: r3 = 256
 118: call bpf_get_stackid
 119: r6 = r0
 120: if r0 s>= 0x0 goto +11
 121: if r0 == 0xfffffff2 goto +10
 122: *(u64 *)(r10 - 24) = 0
 123: r1 = map[.stacklost] ll
 125: r2 = r10
 126: r2 += -24
 127: call bpf_map_lookup_elem
 128: if r0 == 0x0 goto +3
 129: r1 = *(u64 *)(r0 + 0)
 130: r1 += 1
 131: *(u64 *)(r0 + 0) = r1
 132: call bpf_get_current_pid_tgid
 133: r7 = r0
 134: r7 >>= 32
 135: *(u64 *)(r10 - 24) = 0
 136: *(u32 *)(r10 - 24) = r7
 137: r1 = map[.upids] ll
 139: r2 = r10
 140: r2 += -24
 141: call bpf_map_lookup_elem
 142: if r0 != 0x0 goto +30
 143: *(u64 *)(r10 - 32) = 0
 144: r1 = map[.upids] ll
 146: r2 = r10
 147: r2 += -24
 148: r3 = r10
 149: r3 += -32
 150: r4 = 1
 151: call bpf_map_update_elem
 152: if r0 != 0x0 goto +20
 153: *(u64 *)(r10 - 48) = 1
 154: *(u64 *)(r10 - 40) = r7
 155: r1 = map[events] ll
 157: r2 = r10
 158: r2 += -48
 159: r3 = 16
 160: r4 = 2
 161: call bpf_ringbuf_output
 162: if r0 == 0x0 goto +10
 163: *(u32 *)(r10 - 48) = 0
 164: r1 = map[.lost] ll
 166: r2 = r10
 167: r2 += -48
 168: call bpf_map_lookup_elem
 169: if r0 == 0x0 goto +3
 170: r1 = *(u64 *)(r0 + 0)
 171: r1 += 1
 172: *(u64 *)(r0 + 0) = r1
 173: w6 = w6
 174: r7 <<= 32
 175: r6 |= r7
 176: *(u64 *)(r10 - 8) = r6
 177: r1 = map[@k] ll
 179: r2 = r10
 180: r2 += -16
 181: call bpf_map_lookup_elem
 182: if r0 == 0x0 goto +4
 183: r1 = *(u64 *)(r0 + 0)
 184: r1 += 1
 185: *(u64 *)(r0 + 0) = r1
 186: goto +19
 187: *(u64 *)(r10 - 24) = 1
 188: r1 = map[@k] ll
 190: r2 = r10
 191: r2 += -16
 192: r3 = r10
 193: r3 += -24
 194: r4 = 1
 195: call bpf_map_update_elem
 196: if r0 == 0x0 goto +9
 197: r1 = map[@k] ll
 199: r2 = r10
 200: r2 += -16
 201: call bpf_map_lookup_elem
 202: if r0 == 0x0 goto +3
 203: r1 = *(u64 *)(r0 + 0)
 204: r1 += 1
 205: *(u64 *)(r0 + 0) = r1
 206: r6 = *(u64 *)(r9 + 24)
 207: *(u64 *)(r10 - 16) = r6
 208: call bpf_get_current_pid_tgid
 209: r6 = r0
 210: r6 >>= 32
 211: *(u64 *)(r10 - 8) = r6
 212: *(u64 *)(r10 - 24) = 0
 213: *(u32 *)(r10 - 24) = r6
 214: r1 = map[.upids] ll
 216: r2 = r10
 217: r2 += -24
 218: call bpf_map_lookup_elem
 219: if r0 != 0x0 goto +30
 220: *(u64 *)(r10 - 32) = 0
 221: r1 = map[.upids] ll
 223: r2 = r10
 224: r2 += -24
 225: r3 = r10
 226: r3 += -32
 227: r4 = 1
 228: call bpf_map_update_elem
 229: if r0 != 0x0 goto +20
 230: *(u64 *)(r10 - 48) = 2
 231: *(u64 *)(r10 - 40) = r6
 232: r1 = map[events] ll
 234: r2 = r10
 235: r2 += -48
 236: r3 = 16
 237: r4 = 2
 238: call bpf_ringbuf_output
 239: if r0 == 0x0 goto +10
 240: *(u32 *)(r10 - 48) = 0
 241: r1 = map[.lost] ll
 243: r2 = r10
 244: r2 += -48
 245: call bpf_map_lookup_elem
 246: if r0 == 0x0 goto +3
 247: r1 = *(u64 *)(r0 + 0)
 248: r1 += 1
 249: *(u64 *)(r0 + 0) = r1
 250: *(u64 *)(r10 - 24) = 0
 251: r1 = map[@s] ll
 253: r2 = r10
 254: r2 += -24
 255: r3 = r10
 256: r3 += -16
 257: r4 = 0
 258: call bpf_map_update_elem
 259: *(u64 *)(r10 - 16) = 4
 260: r1 = r9
 261: r2 = map[.ustack2] ll
 263: r3 = 256
 264: call bpf_get_stackid
 265: r6 = r0
 266: if r0 s>= 0x0 goto +11
 267: if r0 == 0xfffffff2 goto +10
 268: *(u64 *)(r10 - 24) = 0
 269: r1 = map[.stacklost] ll
 271: r2 = r10
 272: r2 += -24
 273: call bpf_map_lookup_elem
 274: if r0 == 0x0 goto +3
 275: r1 = *(u64 *)(r0 + 0)
 276: r1 += 1
 277: *(u64 *)(r0 + 0) = r1
 278: call bpf_get_current_pid_tgid
 279: r7 = r0
 280: r7 >>= 32
 281: *(u64 *)(r10 - 24) = 0
 282: *(u32 *)(r10 - 24) = r7
 283: r1 = map[.upids] ll
 285: r2 = r10
 286: r2 += -24
 287: call bpf_map_lookup_elem
 288: if r0 != 0x0 goto +30
 289: *(u64 *)(r10 - 32) = 0
 290: r1 = map[.upids] ll
 292: r2 = r10
 293: r2 += -24
 294: r3 = r10
 295: r3 += -32
 296: r4 = 1
 297: call bpf_map_update_elem
 298: if r0 != 0x0 goto +20
 299: *(u64 *)(r10 - 48) = 3
 300: *(u64 *)(r10 - 40) = r7
 301: r1 = map[events] ll
 303: r2 = r10
 304: r2 += -48
 305: r3 = 16
 306: r4 = 2
 307: call bpf_ringbuf_output
 308: if r0 == 0x0 goto +10
 309: *(u32 *)(r10 - 48) = 0
 310: r1 = map[.lost] ll
 312: r2 = r10
 313: r2 += -48
 314: call bpf_map_lookup_elem
 315: if r0 == 0x0 goto +3
 316: r1 = *(u64 *)(r0 + 0)
 317: r1 += 1
 318: *(u64 *)(r0 + 0) = r1
 319: w6 = w6
 320: r7 <<= 32
 321: r6 |= r7
 322: *(u64 *)(r10 - 8) = r6
 323: r1 = map[events] ll
 325: r2 = r10
 326: r2 += -16
 327: r3 = 16
 328: r4 = 0
 329: call bpf_ringbuf_output
 330: if r0 == 0x0 goto +10
 331: *(u32 *)(r10 - 16) = 0
 332: r1 = map[.lost] ll
 334: r2 = r10
 335: r2 += -16
 336: call bpf_map_lookup_elem
 337: if r0 == 0x0 goto +3
 338: r1 = *(u64 *)(r0 + 0)
 339: r1 += 1
 340: *(u64 *)(r0 + 0) = r1
 341: r0 = 0
 342: exit
