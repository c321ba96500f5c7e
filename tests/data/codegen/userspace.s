map @t percpu_hash key_size=16 value_size=8 max_entries=4096 agg=2 key=timestamp value=u64
map events ringbuf key_size=0 value_size=0 max_entries=1048576
map .lost percpu_array key_size=4 value_size=8 max_entries=1
map .join percpu_array key_size=4 value_size=16392 max_entries=1
event 0 strftime size=8 line=4 fmt="%H:%M:%S.%f"
event 1 printf size=40 line=4 fmt="%s %s\n" 8:timestamp 24:str[16]
event 2 join size=16392 line=5 fmt="," 8:str[1024] 1032:str[1024] 2056:str[1024] 3080:str[1024] 4104:str[1024] 5128:str[1024] 6152:str[1024] 7176:str[1024] 8200:str[1024] 9224:str[1024] 10248:str[1024] 11272:str[1024] 12296:str[1024] 13320:str[1024] 14344:str[1024] 15368:str[1024]
event 3 strftime size=8 line=6 fmt="%Y"
event 4 cat size=16 line=8 fmt="/proc/%d/comm" 8:u64

prog tracepoint:syscalls:sys_enter_execve type=tracepoint target="syscalls:sys_enter_execve"
; 3: tracepoint:syscalls:sys_enter_execve {
   0: r9 = r1
; 4:   printf("%s %s\n", strftime("%H:%M:%S.%f", nsecs), comm);
   1: *(u64 *)(r10 - 40) = 1
   2: call bpf_ktime_get_ns
   3: r6 = r0
   4: *(u64 *)(r10 - 32) = 0
   5: *(u64 *)(r10 - 24) = r6
   6: *(u64 *)(r10 - 16) = 0
   7: *(u64 *)(r10 - 8) = 0
   8: r1 = r10
   9: r1 += -16
  10: r2 = 16
  11: call bpf_get_current_comm
  12: r1 = map[events] ll
  14: r2 = r10
  15: r2 += -40
  16: r3 = 40
  17: r4 = 0
  18: call bpf_ringbuf_output
  19: if r0 == 0x0 goto +10
  20: *(u32 *)(r10 - 40) = 0
  21: r1 = map[.lost] ll
  23: r2 = r10
  24: r2 += -40
  25: call bpf_map_lookup_elem
  26: if r0 == 0x0 goto +3
  27: r1 = *(u64 *)(r0 + 0)
  28: r1 += 1
  29: *(u64 *)(r0 + 0) = r1
; 5:   join(args->argv, ",");
  30: r6 = *(u64 *)(r9 + 24)
  31: *(u64 *)(r10 - 8) = 0
  32: r1 = map[.join] ll
  34: r2 = r10
  35: r2 += -8
  36: call bpf_map_lookup_elem
  37: if r0 == 0x0 goto +193
  38: r7 = r0
  39: *(u64 *)(r7 + 0) = 2
  40: r1 = r10
  41: r1 += -16
  42: r2 = 8
  43: r3 = r6
  44: call bpf_probe_read_user
  45: r1 = r7
  46: r1 += 8
  47: r2 = 1024
  48: r3 = *(u64 *)(r10 - 16)
  49: call bpf_probe_read_user_str
  50: r1 = r10
  51: r1 += -16
  52: r2 = 8
  53: r3 = r6
  54: r3 += 8
  55: call bpf_probe_read_user
  56: r1 = r7
  57: r1 += 1032
  58: r2 = 1024
  59: r3 = *(u64 *)(r10 - 16)
  60: call bpf_probe_read_user_str
  61: r1 = r10
  62: r1 += -16
  63: r2 = 8
  64: r3 = r6
  65: r3 += 16
  66: call bpf_probe_read_user
  67: r1 = r7
  68: r1 += 2056
  69: r2 = 1024
  70: r3 = *(u64 *)(r10 - 16)
  71: call bpf_probe_read_user_str
  72: r1 = r10
  73: r1 += -16
  74: r2 = 8
  75: r3 = r6
  76: r3 += 24
  77: call bpf_probe_read_user
  78: r1 = r7
  79: r1 += 3080
  80: r2 = 1024
  81: r3 = *(u64 *)(r10 - 16)
  82: call bpf_probe_read_user_str
  83: r1 = r10
  84: r1 += -16
  85: r2 = 8
  86: r3 = r6
  87: r3 += 32
  88: call bpf_probe_read_user
  89: r1 = r7
  90: r1 += 4104
  91: r2 = 1024
  92: r3 = *(u64 *)(r10 - 16)
  93: call bpf_probe_read_user_str
  94: r1 = r10
  95: r1 += -16
  96: r2 = 8
  97: r3 = r6
  98: r3 += 40
  99: call bpf_probe_read_user
 100: r1 = r7
 101: r1 += 5128
 102: r2 = 1024
 103: r3 = *(u64 *)(r10 - 16)
 104: call bpf_probe_read_user_str
 105: r1 = r10
 106: r1 += -16
 107: r2 = 8
 108: r3 = r6
 109: r3 += 48
 110: call bpf_probe_read_user
 111: r1 = r7
 112: r1 += 6152
 113: r2 = 1024
 114: r3 = *(u64 *)(r10 - 16)
 115: call bpf_probe_read_user_str
 116: r1 = r10
 117: r1 += -16
 118: r2 = 8
 119: r3 = r6
 120: r3 += 56
 121: call bpf_probe_read_user
 122: r1 = r7
 123: r1 += 7176
 124: r2 = 1024
 125: r3 = *(u64 *)(r10 - 16)
 126: call bpf_probe_read_user_str
 127: r1 = r10
 128: r1 += -16
 129: r2 = 8
 130: r3 = r6
 131: r3 += 64
 132: call bpf_probe_read_user
 133: r1 = r7
 134: r1 += 8200
 135: r2 = 1024
 136: r3 = *(u64 *)(r10 - 16)
 137: call bpf_probe_read_user_str
 138: r1 = r10
 139: r1 += -16
 140: r2 = 8
 141: r3 = r6
 142: r3 += 72
 143: call bpf_probe_read_user
 144: r1 = r7
 145: r1 += 9224
 146: r2 = 1024
 147: r3 = *(u64 *)(r10 - 16)
 148: call bpf_probe_read_user_str
 149: r1 = r10
 150: r1 += -16
 151: r2 = 8
 152: r3 = r6
 153: r3 += 80
 154: call bpf_probe_read_user
 155: r1 = r7
 156: r1 += 10248
 157: r2 = 1024
 158: r3 = *(u64 *)(r10 - 16)
 159: call bpf_probe_read_user_str
 160: r1 = r10
 161: r1 += -16
 162: r2 = 8
 163: r3 = r6
 164: r3 += 88
 165: call bpf_probe_read_user
 166: r1 = r7
 167: r1 += 11272
 168: r2 = 1024
 169: r3 = *(u64 *)(r10 - 16)
 170: call bpf_probe_read_user_str
 171: r1 = r10
 172: r1 += -16
 173: r2 = 8
 174: r3 = r6
 175: r3 += 96
 176: call bpf_probe_read_user
 177: r1 = r7
 178: r1 += 12296
 179: r2 = 1024
 180: r3 = *(u64 *)(r10 - 16)
 181: call bpf_probe_read_user_str
 182: r1 = r10
 183: r1 += -16
 184: r2 = 8
 185: r3 = r6
 186: r3 += 104
 187: call bpf_probe_read_user
 188: r1 = r7
 189: r1 += 13320
 190: r2 = 1024
 191: r3 = *(u64 *)(r10 - 16)
 192: call bpf_probe_read_user_str
 193: r1 = r10
 194: r1 += -16
 195: r2 = 8
 196: r3 = r6
 197: r3 += 112
 198: call bpf_probe_read_user
 199: r1 = r7
 200: r1 += 14344
 201: r2 = 1024
 202: r3 = *(u64 *)(r10 - 16)
 203: call bpf_probe_read_user_str
 204: r1 = r10
 205: r1 += -16
 206: r2 = 8
 207: r3 = r6
 208: r3 += 120
 209: call bpf_probe_read_user
 210: r1 = r7
 211: r1 += 15368
 212: r2 = 1024
 213: r3 = *(u64 *)(r10 - 16)
 214: call bpf_probe_read_user_str
 215: r1 = map[events] ll
 217: r2 = r7
 218: r3 = 16392
 219: r4 = 0
 220: call bpf_ringbuf_output
 221: if r0 == 0x0 goto +9
 222: *(u32 *)(r7 + 0) = 0
 223: r1 = map[.lost] ll
 225: r2 = r7
 226: call bpf_map_lookup_elem
 227: if r0 == 0x0 goto +3
 228: r1 = *(u64 *)(r0 + 0)
 229: r1 += 1
 230: *(u64 *)(r0 + 0) = r1
; 6:   @t[strftime("%Y", 0)] = count();
 231: r6 = 0
 232: *(u64 *)(r10 - 16) = 3
 233: *(u64 *)(r10 - 8) = r6
 234: r1 = map[@t] ll
 236: r2 = r10
 237: r2 += -16
 238: call bpf_map_lookup_elem
 239: if r0 == 0x0 goto +4
 240: r1 = *(u64 *)(r0 + 0)
 241: r1 += 1
 242: *(u64 *)(r0 + 0) = r1
 243: goto +19
 244: *(u64 *)(r10 - 24) = 1
 245: r1 = map[@t] ll
 247: r2 = r10
 248: r2 += -16
 249: r3 = r10
 250: r3 += -24
 251: r4 = 1
 252: call bpf_map_update_elem
 253: if r0 == 0x0 goto +9
 254: r1 = map[@t] ll
 256: r2 = r10
 257: r2 += -16
 258: call bpf_map_lookup_elem
 259: if r0 == 0x0 goto +3
 260: r1 = *(u64 *)(r0 + 0)
 261: r1 += 1
 262: *(u64 *)(r0 + 0) = r1
; 7: }
 263: r0 = 0
 264: exit

prog BEGIN type=BEGIN target=""
; 8: BEGIN { cat("/proc/%d/comm", pid); }
   0: r9 = r1
   1: *(u64 *)(r10 - 16) = 4
   2: call bpf_get_current_pid_tgid
   3: r6 = r0
   4: r6 >>= 32
   5: *(u64 *)(r10 - 8) = r6
   6: r1 = map[events] ll
   8: r2 = r10
   9: r2 += -16
  10: r3 = 16
  11: r4 = 0
  12: call bpf_ringbuf_output
  13: if r0 == 0x0 goto +10
  14: *(u32 *)(r10 - 16) = 0
  15: r1 = map[.lost] ll
  17: r2 = r10
  18: r2 += -16
  19: call bpf_map_lookup_elem
  20: if r0 == 0x0 goto +3
  21: r1 = *(u64 *)(r0 + 0)
  22: r1 += 1
  23: *(u64 *)(r0 + 0) = r1
  24: r0 = 0
  25: exit
