map @ percpu_hash key_size=16 value_size=8 max_entries=4096 agg=2 key=(@0:username, @8:strerror) value=u64
map @b hash key_size=8 value_size=8 max_entries=4096 agg=1 key=none value=u64
map events ringbuf key_size=0 value_size=0 max_entries=262144
map .lost percpu_array key_size=4 value_size=8 max_entries=1
event 0 printf size=80 line=8 fmt="%s %s %s\n" 8:inet 32:inet 56:inet
event 1 printf size=112 line=9 fmt="%s %r %r\n" 8:mac 16:buf[8] 32:buf[72]
event 2 exit size=8 line=13

prog tracepoint:syscalls:sys_enter_openat type=tracepoint target="syscalls:sys_enter_openat"
; 5: tracepoint:syscalls:sys_enter_openat
   0: r9 = r1
   1: *(u64 *)(r10 - 8) = 0
; 7: 	$t = (struct task_struct *)curtask;
   2: call bpf_get_current_task
   3: r6 = r0
   4: *(u64 *)(r10 - 8) = r6
; 8: 	printf("%s %s %s\n", ntop(0x0100007f), ntop($t->addr), ntop(10, $t->addr));
   5: *(u64 *)(r10 - 88) = 0
   6: *(u64 *)(r10 - 80) = 0
   7: *(u64 *)(r10 - 72) = 0
   8: *(u64 *)(r10 - 64) = 0
   9: *(u64 *)(r10 - 80) = 2
  10: r6 = 16777343
  11: *(u64 *)(r10 - 72) = r6
  12: *(u64 *)(r10 - 56) = 0
  13: *(u64 *)(r10 - 48) = 0
  14: *(u64 *)(r10 - 40) = 0
  15: *(u64 *)(r10 - 56) = 2
  16: r6 = *(u64 *)(r10 - 8)
  17: r6 += 112
  18: r1 = r10
  19: r1 += -48
  20: r2 = 4
  21: r3 = r6
  22: call bpf_probe_read_kernel
  23: *(u64 *)(r10 - 32) = 0
  24: *(u64 *)(r10 - 24) = 0
  25: *(u64 *)(r10 - 16) = 0
  26: r6 = 10
  27: *(u64 *)(r10 - 32) = r6
  28: r6 = *(u64 *)(r10 - 8)
  29: r6 += 112
  30: r1 = r10
  31: r1 += -24
  32: r2 = 4
  33: r3 = r6
  34: call bpf_probe_read_kernel
  35: r1 = map[events] ll
  37: r2 = r10
  38: r2 += -88
  39: r3 = 80
  40: r4 = 0
  41: call bpf_ringbuf_output
  42: if r0 == 0x0 goto +10
  43: *(u32 *)(r10 - 88) = 0
  44: r1 = map[.lost] ll
  46: r2 = r10
  47: r2 += -88
  48: call bpf_map_lookup_elem
  49: if r0 == 0x0 goto +3
  50: r1 = *(u64 *)(r0 + 0)
  51: r1 += 1
  52: *(u64 *)(r0 + 0) = r1
; 9: 	printf("%s %r %r\n", macaddr(args->filename), buf(args->filename, 4), buf(args->filename, args->flags));
  53: *(u64 *)(r10 - 120) = 1
  54: *(u64 *)(r10 - 112) = 0
  55: r6 = *(u64 *)(r9 + 24)
  56: r1 = r10
  57: r1 += -112
  58: r2 = 6
  59: r3 = r6
  60: call bpf_probe_read_user
  61: *(u64 *)(r10 - 104) = 0
  62: *(u64 *)(r10 - 96) = 0
  63: *(u64 *)(r10 - 104) = 4
  64: r6 = *(u64 *)(r9 + 24)
  65: r1 = r10
  66: r1 += -96
  67: r2 = 4
  68: r3 = r6
  69: call bpf_probe_read_user
  70: *(u64 *)(r10 - 88) = 0
  71: *(u64 *)(r10 - 80) = 0
  72: *(u64 *)(r10 - 72) = 0
  73: *(u64 *)(r10 - 64) = 0
  74: *(u64 *)(r10 - 56) = 0
  75: *(u64 *)(r10 - 48) = 0
  76: *(u64 *)(r10 - 40) = 0
  77: *(u64 *)(r10 - 32) = 0
  78: *(u64 *)(r10 - 24) = 0
  79: *(u64 *)(r10 - 16) = 0
  80: r6 = *(u64 *)(r9 + 32)
  81: if r6 <= 0x40 goto +1
  82: r6 = 64
  83: *(u64 *)(r10 - 88) = r6
  84: r7 = *(u64 *)(r9 + 24)
  85: r1 = r10
  86: r1 += -80
  87: r2 = r6
  88: r3 = r7
  89: call bpf_probe_read_user
  90: r1 = map[events] ll
  92: r2 = r10
  93: r2 += -120
  94: r3 = 112
  95: r4 = 0
  96: call bpf_ringbuf_output
  97: if r0 == 0x0 goto +10
  98: *(u32 *)(r10 - 120) = 0
  99: r1 = map[.lost] ll
 101: r2 = r10
 102: r2 += -120
 103: call bpf_map_lookup_elem
 104: if r0 == 0x0 goto +3
 105: r1 = *(u64 *)(r0 + 0)
 106: r1 += 1
 107: *(u64 *)(r0 + 0) = r1
; 10: 	@[username, strerror(args->flags)] = count();
 108: *(u64 *)(r10 - 24) = 0
 109: *(u64 *)(r10 - 16) = 0
 110: call bpf_get_current_uid_gid
 111: w0 = w0
 112: *(u64 *)(r10 - 24) = r0
 113: r6 = *(u64 *)(r9 + 32)
 114: *(u64 *)(r10 - 16) = r6
 115: r1 = map[@] ll
 117: r2 = r10
 118: r2 += -24
 119: call bpf_map_lookup_elem
 120: if r0 == 0x0 goto +4
 121: r1 = *(u64 *)(r0 + 0)
 122: r1 += 1
 123: *(u64 *)(r0 + 0) = r1
 124: goto +19
 125: *(u64 *)(r10 - 32) = 1
 126: r1 = map[@] ll
 128: r2 = r10
 129: r2 += -24
 130: r3 = r10
 131: r3 += -32
 132: r4 = 1
 133: call bpf_map_update_elem
 134: if r0 == 0x0 goto +9
 135: r1 = map[@] ll
 137: r2 = r10
 138: r2 += -24
 139: call bpf_map_lookup_elem
 140: if r0 == 0x0 goto +3
 141: r1 = *(u64 *)(r0 + 0)
 142: r1 += 1
 143: *(u64 *)(r0 + 0) = r1
; 11: 	@b = bswap((uint16)args->mode) + bswap((uint32)1) + bswap(args->dfd);
 144: r7 = *(u64 *)(r9 + 40)
 145: r7 <<= 48
 146: r7 >>= 48
 147: r7 = be16 r7
 148: r6 = r7
 149: r8 = 1
 150: r8 <<= 32
 151: r8 >>= 32
 152: r8 = be32 r8
 153: r7 = r8
 154: r6 += r7
 155: r8 = *(u64 *)(r9 + 16)
 156: r8 = be64 r8
 157: r7 = r8
 158: r6 += r7
 159: *(u64 *)(r10 - 16) = r6
 160: *(u64 *)(r10 - 24) = 0
 161: r1 = map[@b] ll
 163: r2 = r10
 164: r2 += -24
 165: r3 = r10
 166: r3 += -16
 167: r4 = 0
 168: call bpf_map_update_elem
; 12: 	if (strcontains(comm, "sh")) {
 169: *(u64 *)(r10 - 24) = 0
 170: *(u64 *)(r10 - 16) = 0
 171: r1 = r10
 172: r1 += -24
 173: r2 = 16
 174: call bpf_get_current_comm
 175: r1 = *(u8 *)(r10 - 24)
 176: if r1 != 0x73 goto +3
 177: r1 = *(u8 *)(r10 - 23)
 178: if r1 != 0x68 goto +1
 179: goto +102
 180: r1 = *(u8 *)(r10 - 24)
 181: if r1 == 0x0 goto +98
 182: r1 = *(u8 *)(r10 - 23)
 183: if r1 != 0x73 goto +3
 184: r1 = *(u8 *)(r10 - 22)
 185: if r1 != 0x68 goto +1
 186: goto +95
 187: r1 = *(u8 *)(r10 - 23)
 188: if r1 == 0x0 goto +91
 189: r1 = *(u8 *)(r10 - 22)
 190: if r1 != 0x73 goto +3
 191: r1 = *(u8 *)(r10 - 21)
 192: if r1 != 0x68 goto +1
 193: goto +88
 194: r1 = *(u8 *)(r10 - 22)
 195: if r1 == 0x0 goto +84
 196: r1 = *(u8 *)(r10 - 21)
 197: if r1 != 0x73 goto +3
 198: r1 = *(u8 *)(r10 - 20)
 199: if r1 != 0x68 goto +1
 200: goto +81
 201: r1 = *(u8 *)(r10 - 21)
 202: if r1 == 0x0 goto +77
 203: r1 = *(u8 *)(r10 - 20)
 204: if r1 != 0x73 goto +3
 205: r1 = *(u8 *)(r10 - 19)
 206: if r1 != 0x68 goto +1
 207: goto +74
 208: r1 = *(u8 *)(r10 - 20)
 209: if r1 == 0x0 goto +70
 210: r1 = *(u8 *)(r10 - 19)
 211: if r1 != 0x73 goto +3
 212: r1 = *(u8 *)(r10 - 18)
 213: if r1 != 0x68 goto +1
 214: goto +67
 215: r1 = *(u8 *)(r10 - 19)
 216: if r1 == 0x0 goto +63
 217: r1 = *(u8 *)(r10 - 18)
 218: if r1 != 0x73 goto +3
 219: r1 = *(u8 *)(r10 - 17)
 220: if r1 != 0x68 goto +1
 221: goto +60
 222: r1 = *(u8 *)(r10 - 18)
 223: if r1 == 0x0 goto +56
 224: r1 = *(u8 *)(r10 - 17)
 225: if r1 != 0x73 goto +3
 226: r1 = *(u8 *)(r10 - 16)
 227: if r1 != 0x68 goto +1
 228: goto +53
 229: r1 = *(u8 *)(r10 - 17)
 230: if r1 == 0x0 goto +49
 231: r1 = *(u8 *)(r10 - 16)
 232: if r1 != 0x73 goto +3
 233: r1 = *(u8 *)(r10 - 15)
 234: if r1 != 0x68 goto +1
 235: goto +46
 236: r1 = *(u8 *)(r10 - 16)
 237: if r1 == 0x0 goto +42
 238: r1 = *(u8 *)(r10 - 15)
 239: if r1 != 0x73 goto +3
 240: r1 = *(u8 *)(r10 - 14)
 241: if r1 != 0x68 goto +1
 242: goto +39
 243: r1 = *(u8 *)(r10 - 15)
 244: if r1 == 0x0 goto +35
 245: r1 = *(u8 *)(r10 - 14)
 246: if r1 != 0x73 goto +3
 247: r1 = *(u8 *)(r10 - 13)
 248: if r1 != 0x68 goto +1
 249: goto +32
 250: r1 = *(u8 *)(r10 - 14)
 251: if r1 == 0x0 goto +28
 252: r1 = *(u8 *)(r10 - 13)
 253: if r1 != 0x73 goto +3
 254: r1 = *(u8 *)(r10 - 12)
 255: if r1 != 0x68 goto +1
 256: goto +25
 257: r1 = *(u8 *)(r10 - 13)
 258: if r1 == 0x0 goto +21
 259: r1 = *(u8 *)(r10 - 12)
 260: if r1 != 0x73 goto +3
 261: r1 = *(u8 *)(r10 - 11)
 262: if r1 != 0x68 goto +1
 263: goto +18
 264: r1 = *(u8 *)(r10 - 12)
 265: if r1 == 0x0 goto +14
 266: r1 = *(u8 *)(r10 - 11)
 267: if r1 != 0x73 goto +3
 268: r1 = *(u8 *)(r10 - 10)
 269: if r1 != 0x68 goto +1
 270: goto +11
 271: r1 = *(u8 *)(r10 - 11)
 272: if r1 == 0x0 goto +7
 273: r1 = *(u8 *)(r10 - 10)
 274: if r1 != 0x73 goto +3
 275: r1 = *(u8 *)(r10 - 9)
 276: if r1 != 0x68 goto +1
 277: goto +4
 278: r1 = *(u8 *)(r10 - 10)
 279: if r1 == 0x0 goto +0
 280: r6 = 0
 281: goto +1
 282: r6 = 1
 283: if r6 == 0x0 goto +20
; 13: 		exit();
 284: *(u64 *)(r10 - 16) = 2
 285: r1 = map[events] ll
 287: r2 = r10
 288: r2 += -16
 289: r3 = 8
 290: r4 = 0
 291: call bpf_ringbuf_output
 292: if r0 == 0x0 goto +10
 293: *(u32 *)(r10 - 16) = 0
 294: r1 = map[.lost] ll
 296: r2 = r10
 297: r2 += -16
 298: call bpf_map_lookup_elem
 299: if r0 == 0x0 goto +3
 300: r1 = *(u64 *)(r0 + 0)
 301: r1 += 1
 302: *(u64 *)(r0 + 0) = r1
 303: goto +0
; 15: }
 304: r0 = 0
 305: exit
