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
  22: r1 = r10
  23: r1 += -32
  24: r2 = 16
  25: call bpf_get_current_comm
  26: *(u64 *)(r10 - 16) = 0
  27: *(u32 *)(r10 - 16) = r7
  28: r1 = map[.upids] ll
  30: r2 = r10
  31: r2 += -16
  32: call bpf_map_lookup_elem
  33: if r0 == 0x0 goto +5
  34: r1 = *(u64 *)(r0 + 0)
  35: r2 = *(u64 *)(r10 - 32)
  36: if r1 == r2 goto +31
  37: *(u64 *)(r0 + 0) = r2
  38: goto +9
  39: r1 = map[.upids] ll
  41: r2 = r10
  42: r2 += -16
  43: r3 = r10
  44: r3 += -32
  45: r4 = 1
  46: call bpf_map_update_elem
  47: if r0 != 0x0 goto +20
  48: *(u64 *)(r10 - 48) = 0
  49: *(u64 *)(r10 - 40) = r7
  50: r1 = map[events] ll
  52: r2 = r10
  53: r2 += -48
  54: r3 = 16
  55: r4 = 2
  56: call bpf_ringbuf_output
  57: if r0 == 0x0 goto +10
  58: *(u32 *)(r10 - 48) = 0
  59: r1 = map[.lost] ll
  61: r2 = r10
  62: r2 += -48
  63: call bpf_map_lookup_elem
  64: if r0 == 0x0 goto +3
  65: r1 = *(u64 *)(r0 + 0)
  66: r1 += 1
  67: *(u64 *)(r0 + 0) = r1
  68: w6 = w6
  69: r7 <<= 32
  70: r6 |= r7
  71: *(u64 *)(r10 - 8) = r6
  72: r1 = map[@] ll
  74: r2 = r10
  75: r2 += -8
  76: call bpf_map_lookup_elem
  77: if r0 == 0x0 goto +4
  78: r1 = *(u64 *)(r0 + 0)
  79: r1 += 1
  80: *(u64 *)(r0 + 0) = r1
  81: goto +19
  82: *(u64 *)(r10 - 16) = 1
  83: r1 = map[@] ll
  85: r2 = r10
  86: r2 += -8
  87: r3 = r10
  88: r3 += -16
  89: r4 = 1
  90: call bpf_map_update_elem
  91: if r0 == 0x0 goto +9
  92: r1 = map[@] ll
  94: r2 = r10
  95: r2 += -8
  96: call bpf_map_lookup_elem
  97: if r0 == 0x0 goto +3
  98: r1 = *(u64 *)(r0 + 0)
  99: r1 += 1
 100: *(u64 *)(r0 + 0) = r1
 101: *(u64 *)(r10 - 16) = 0
 102: *(u64 *)(r10 - 8) = 0
 103: r1 = r9
 104: r2 = map[.kstack3] ll
 106: r3 = 0
 107: call bpf_get_stackid
 108: r6 = r0
 109: if r0 s>= 0x0 goto +11
 110: if r0 == 0xfffffff2 goto +10
 111: *(u64 *)(r10 - 24) = 0
 112: r1 = map[.stacklost] ll
 114: r2 = r10
 115: r2 += -24
 116: call bpf_map_lookup_elem
 117: if r0 == 0x0 goto +3
 118: r1 = *(u64 *)(r0 + 0)
 119: r1 += 1
 120: *(u64 *)(r0 + 0) = r1
 121: *(u64 *)(r10 - 16) = r6
 122: r1 = r9
 123: r2 = map[.ustack3] ll
 125: r3 = 256
 126: call bpf_get_stackid
 127: r6 = r0
 128: if r0 s>= 0x0 goto +11
 129: if r0 == 0xfffffff2 goto +10
 130: *(u64 *)(r10 - 24) = 0
 131: r1 = map[.stacklost] ll
 133: r2 = r10
 134: r2 += -24
 135: call bpf_map_lookup_elem
 136: if r0 == 0x0 goto +3
 137: r1 = *(u64 *)(r0 + 0)
 138: r1 += 1
 139: *(u64 *)(r0 + 0) = r1
 140: call bpf_get_current_pid_tgid
 141: r7 = r0
 142: r7 >>= 32
 143: r1 = r10
 144: r1 += -40
 145: r2 = 16
 146: call bpf_get_current_comm
 147: *(u64 *)(r10 - 24) = 0
 148: *(u32 *)(r10 - 24) = r7
 149: r1 = map[.upids] ll
 151: r2 = r10
 152: r2 += -24
 153: call bpf_map_lookup_elem
 154: if r0 == 0x0 goto +5
 155: r1 = *(u64 *)(r0 + 0)
 156: r2 = *(u64 *)(r10 - 40)
 157: if r1 == r2 goto +31
 158: *(u64 *)(r0 + 0) = r2
 159: goto +9
 160: r1 = map[.upids] ll
 162: r2 = r10
 163: r2 += -24
 164: r3 = r10
 165: r3 += -40
 166: r4 = 1
 167: call bpf_map_update_elem
 168: if r0 != 0x0 goto +20
 169: *(u64 *)(r10 - 56) = 1
 170: *(u64 *)(r10 - 48) = r7
 171: r1 = map[events] ll
 173: r2 = r10
 174: r2 += -56
 175: r3 = 16
 176: r4 = 2
 177: call bpf_ringbuf_output
 178: if r0 == 0x0 goto +10
 179: *(u32 *)(r10 - 56) = 0
 180: r1 = map[.lost] ll
 182: r2 = r10
 183: r2 += -56
 184: call bpf_map_lookup_elem
 185: if r0 == 0x0 goto +3
 186: r1 = *(u64 *)(r0 + 0)
 187: r1 += 1
 188: *(u64 *)(r0 + 0) = r1
 189: w6 = w6
 190: r7 <<= 32
 191: r6 |= r7
 192: *(u64 *)(r10 - 8) = r6
 193: r1 = map[@k] ll
 195: r2 = r10
 196: r2 += -16
 197: call bpf_map_lookup_elem
 198: if r0 == 0x0 goto +4
 199: r1 = *(u64 *)(r0 + 0)
 200: r1 += 1
 201: *(u64 *)(r0 + 0) = r1
 202: goto +19
 203: *(u64 *)(r10 - 24) = 1
 204: r1 = map[@k] ll
 206: r2 = r10
 207: r2 += -16
 208: r3 = r10
 209: r3 += -24
 210: r4 = 1
 211: call bpf_map_update_elem
 212: if r0 == 0x0 goto +9
 213: r1 = map[@k] ll
 215: r2 = r10
 216: r2 += -16
 217: call bpf_map_lookup_elem
 218: if r0 == 0x0 goto +3
 219: r1 = *(u64 *)(r0 + 0)
 220: r1 += 1
 221: *(u64 *)(r0 + 0) = r1
 222: r6 = *(u64 *)(r9 + 24)
 223: *(u64 *)(r10 - 16) = r6
 224: call bpf_get_current_pid_tgid
 225: r6 = r0
 226: r6 >>= 32
 227: *(u64 *)(r10 - 8) = r6
 228: r1 = r10
 229: r1 += -40
 230: r2 = 16
 231: call bpf_get_current_comm
 232: *(u64 *)(r10 - 24) = 0
 233: *(u32 *)(r10 - 24) = r6
 234: r1 = map[.upids] ll
 236: r2 = r10
 237: r2 += -24
 238: call bpf_map_lookup_elem
 239: if r0 == 0x0 goto +5
 240: r1 = *(u64 *)(r0 + 0)
 241: r2 = *(u64 *)(r10 - 40)
 242: if r1 == r2 goto +31
 243: *(u64 *)(r0 + 0) = r2
 244: goto +9
 245: r1 = map[.upids] ll
 247: r2 = r10
 248: r2 += -24
 249: r3 = r10
 250: r3 += -40
 251: r4 = 1
 252: call bpf_map_update_elem
 253: if r0 != 0x0 goto +20
 254: *(u64 *)(r10 - 56) = 2
 255: *(u64 *)(r10 - 48) = r6
 256: r1 = map[events] ll
 258: r2 = r10
 259: r2 += -56
 260: r3 = 16
 261: r4 = 2
 262: call bpf_ringbuf_output
 263: if r0 == 0x0 goto +10
 264: *(u32 *)(r10 - 56) = 0
 265: r1 = map[.lost] ll
 267: r2 = r10
 268: r2 += -56
 269: call bpf_map_lookup_elem
 270: if r0 == 0x0 goto +3
 271: r1 = *(u64 *)(r0 + 0)
 272: r1 += 1
 273: *(u64 *)(r0 + 0) = r1
 274: *(u64 *)(r10 - 24) = 0
 275: r1 = map[@s] ll
 277: r2 = r10
 278: r2 += -24
 279: r3 = r10
 280: r3 += -16
 281: r4 = 0
 282: call bpf_map_update_elem
 283: *(u64 *)(r10 - 16) = 4
 284: r1 = r9
 285: r2 = map[.ustack2] ll
 287: r3 = 256
 288: call bpf_get_stackid
 289: r6 = r0
 290: if r0 s>= 0x0 goto +11
 291: if r0 == 0xfffffff2 goto +10
 292: *(u64 *)(r10 - 24) = 0
 293: r1 = map[.stacklost] ll
 295: r2 = r10
 296: r2 += -24
 297: call bpf_map_lookup_elem
 298: if r0 == 0x0 goto +3
 299: r1 = *(u64 *)(r0 + 0)
 300: r1 += 1
 301: *(u64 *)(r0 + 0) = r1
 302: call bpf_get_current_pid_tgid
 303: r7 = r0
 304: r7 >>= 32
 305: r1 = r10
 306: r1 += -40
 307: r2 = 16
 308: call bpf_get_current_comm
 309: *(u64 *)(r10 - 24) = 0
 310: *(u32 *)(r10 - 24) = r7
 311: r1 = map[.upids] ll
 313: r2 = r10
 314: r2 += -24
 315: call bpf_map_lookup_elem
 316: if r0 == 0x0 goto +5
 317: r1 = *(u64 *)(r0 + 0)
 318: r2 = *(u64 *)(r10 - 40)
 319: if r1 == r2 goto +31
 320: *(u64 *)(r0 + 0) = r2
 321: goto +9
 322: r1 = map[.upids] ll
 324: r2 = r10
 325: r2 += -24
 326: r3 = r10
 327: r3 += -40
 328: r4 = 1
 329: call bpf_map_update_elem
 330: if r0 != 0x0 goto +20
 331: *(u64 *)(r10 - 56) = 3
 332: *(u64 *)(r10 - 48) = r7
 333: r1 = map[events] ll
 335: r2 = r10
 336: r2 += -56
 337: r3 = 16
 338: r4 = 2
 339: call bpf_ringbuf_output
 340: if r0 == 0x0 goto +10
 341: *(u32 *)(r10 - 56) = 0
 342: r1 = map[.lost] ll
 344: r2 = r10
 345: r2 += -56
 346: call bpf_map_lookup_elem
 347: if r0 == 0x0 goto +3
 348: r1 = *(u64 *)(r0 + 0)
 349: r1 += 1
 350: *(u64 *)(r0 + 0) = r1
 351: w6 = w6
 352: r7 <<= 32
 353: r6 |= r7
 354: *(u64 *)(r10 - 8) = r6
 355: r1 = map[events] ll
 357: r2 = r10
 358: r2 += -16
 359: r3 = 16
 360: r4 = 0
 361: call bpf_ringbuf_output
 362: if r0 == 0x0 goto +10
 363: *(u32 *)(r10 - 16) = 0
 364: r1 = map[.lost] ll
 366: r2 = r10
 367: r2 += -16
 368: call bpf_map_lookup_elem
 369: if r0 == 0x0 goto +3
 370: r1 = *(u64 *)(r0 + 0)
 371: r1 += 1
 372: *(u64 *)(r0 + 0) = r1
 373: r0 = 0
 374: exit
