map @bits hash key_size=8 value_size=24 max_entries=4096 agg=1 key=none value=(@0:u64, @8:u64, @16:s64)
map @c percpu_hash key_size=16 value_size=8 max_entries=4096 agg=2 key=str[16] value=u64
map @dyn hash key_size=8 value_size=8 max_entries=4096 agg=1 key=none value=u64
map @e hash key_size=8 value_size=8 max_entries=4096 agg=1 key=none value=s64
map @k hash key_size=8 value_size=8 max_entries=4096 agg=1 key=none value=s64
map @next hash key_size=8 value_size=8 max_entries=4096 agg=1 key=none value=s64
map @ns percpu_hash key_size=8 value_size=8 max_entries=4096 agg=3 key=none value=s64
map @owner hash key_size=8 value_size=8 max_entries=4096 agg=1 key=none value=s64
map @pid hash key_size=8 value_size=8 max_entries=4096 agg=1 key=none value=s64
map @q hash key_size=8 value_size=8 max_entries=4096 agg=1 key=none value=u64
map @s hash key_size=8 value_size=24 max_entries=4096 agg=1 key=none value=(@0:u64, @8:u64, @16:s64)
map @se hash key_size=8 value_size=8 max_entries=4096 agg=1 key=none value=s64
map @sz hash key_size=8 value_size=40 max_entries=4096 agg=1 key=none value=(@0:u64, @8:u64, @16:u64, @24:u64, @32:u64)
map @u hash key_size=8 value_size=8 max_entries=4096 agg=1 key=none value=s64
map @vr hash key_size=8 value_size=8 max_entries=4096 agg=1 key=none value=u64
map events ringbuf key_size=0 value_size=0 max_entries=262144
map .lost percpu_array key_size=4 value_size=8 max_entries=1
event 0 printf size=48 line=7 fmt="%d %s %d %d\n" 8:s64 16:str[16] 32:s64 40:u64

prog tracepoint:syscalls:sys_enter_nanosleep type=tracepoint target="syscalls:sys_enter_nanosleep"
; 3: tracepoint:syscalls:sys_enter_nanosleep
   0: r9 = r1
   1: *(u64 *)(r10 - 8) = 0
   2: *(u64 *)(r10 - 16) = 0
; 4: /args->rqtp->tv_sec + args->rqtp->tv_nsec/
   3: r6 = *(u64 *)(r9 + 16)
   4: r1 = r10
   5: r1 += -24
   6: r2 = 8
   7: r3 = r6
   8: call bpf_probe_read_user
   9: r6 = *(u64 *)(r10 - 24)
  10: r7 = *(u64 *)(r9 + 16)
  11: r7 += 8
  12: r1 = r10
  13: r1 += -24
  14: r2 = 8
  15: r3 = r7
  16: call bpf_probe_read_user
  17: r7 = *(u64 *)(r10 - 24)
  18: r6 += r7
  19: if r6 == 0x0 goto +131
; 6: 	$task = (struct task_struct *)curtask;
  20: call bpf_get_current_task
  21: r6 = r0
  22: *(u64 *)(r10 - 8) = r6
; 7: 	printf("%d %s %d %d\n", $task->real_parent->pid, $task->real_parent->comm,
  23: *(u64 *)(r10 - 64) = 0
  24: r6 = *(u64 *)(r10 - 8)
  25: r6 += 40
  26: r1 = r10
  27: r1 += -72
  28: r2 = 8
  29: r3 = r6
  30: call bpf_probe_read_kernel
  31: r6 = *(u64 *)(r10 - 72)
  32: r6 += 8
  33: r1 = r10
  34: r1 += -72
  35: r2 = 4
  36: r3 = r6
  37: call bpf_probe_read_kernel
  38: r6 = *(u32 *)(r10 - 72)
  39: r6 <<= 32
  40: r6 s>>= 32
  41: *(u64 *)(r10 - 56) = r6
  42: r6 = *(u64 *)(r10 - 8)
  43: r6 += 40
  44: r1 = r10
  45: r1 += -72
  46: r2 = 8
  47: r3 = r6
  48: call bpf_probe_read_kernel
  49: r6 = *(u64 *)(r10 - 72)
  50: r6 += 56
  51: *(u64 *)(r10 - 48) = 0
  52: *(u64 *)(r10 - 40) = 0
  53: r1 = r10
  54: r1 += -48
  55: r2 = 16
  56: r3 = r6
  57: call bpf_probe_read_kernel
  58: r6 = *(u64 *)(r9 + 16)
  59: r1 = r10
  60: r1 += -72
  61: r2 = 8
  62: r3 = r6
  63: call bpf_probe_read_user
  64: r6 = *(u64 *)(r10 - 72)
  65: *(u64 *)(r10 - 32) = r6
  66: r6 = *(u64 *)(r9 + 16)
  67: r6 += 8
  68: r1 = r10
  69: r1 += -72
  70: r2 = 8
  71: r3 = r6
  72: call bpf_probe_read_user
  73: r6 = *(u64 *)(r10 - 72)
  74: r6 /= 1000000
  75: *(u64 *)(r10 - 24) = r6
  76: r1 = map[events] ll
  78: r2 = r10
  79: r2 += -64
  80: r3 = 48
  81: r4 = 0
  82: call bpf_ringbuf_output
  83: if r0 == 0x0 goto +10
  84: *(u32 *)(r10 - 64) = 0
  85: r1 = map[.lost] ll
  87: r2 = r10
  88: r2 += -64
  89: call bpf_map_lookup_elem
  90: if r0 == 0x0 goto +3
  91: r1 = *(u64 *)(r0 + 0)
  92: r1 += 1
  93: *(u64 *)(r0 + 0) = r1
; 9: 	$p = args->rqtp;
  94: r6 = *(u64 *)(r9 + 16)
  95: *(u64 *)(r10 - 16) = r6
; 10: 	@ns = sum($p->tv_nsec);
  96: r6 = *(u64 *)(r10 - 16)
  97: r6 += 8
  98: r1 = r10
  99: r1 += -24
 100: r2 = 8
 101: r3 = r6
 102: call bpf_probe_read_user
 103: r6 = *(u64 *)(r10 - 24)
 104: *(u64 *)(r10 - 24) = 0
 105: r1 = map[@ns] ll
 107: r2 = r10
 108: r2 += -24
 109: call bpf_map_lookup_elem
 110: if r0 == 0x0 goto +4
 111: r1 = *(u64 *)(r0 + 0)
 112: r1 += r6
 113: *(u64 *)(r0 + 0) = r1
 114: goto +19
 115: *(u64 *)(r10 - 32) = r6
 116: r1 = map[@ns] ll
 118: r2 = r10
 119: r2 += -24
 120: r3 = r10
 121: r3 += -32
 122: r4 = 1
 123: call bpf_map_update_elem
 124: if r0 == 0x0 goto +9
 125: r1 = map[@ns] ll
 127: r2 = r10
 128: r2 += -24
 129: call bpf_map_lookup_elem
 130: if r0 == 0x0 goto +3
 131: r1 = *(u64 *)(r0 + 0)
 132: r1 += r6
 133: *(u64 *)(r0 + 0) = r1
; 11: 	@k = ((struct __kernel_timespec *)args->rmtp)->tv_sec;
 134: r6 = *(u64 *)(r9 + 24)
 135: r1 = r10
 136: r1 += -32
 137: r2 = 8
 138: r3 = r6
 139: call bpf_probe_read_user
 140: r6 = *(u64 *)(r10 - 32)
 141: *(u64 *)(r10 - 24) = r6
 142: *(u64 *)(r10 - 32) = 0
 143: r1 = map[@k] ll
 145: r2 = r10
 146: r2 += -32
 147: r3 = r10
 148: r3 += -24
 149: r4 = 0
 150: call bpf_map_update_elem
; 12: }
 151: r0 = 0
 152: exit

prog BEGIN type=BEGIN target=""
; 14: BEGIN
   0: r9 = r1
   1: *(u64 *)(r10 - 8) = 0
   2: *(u64 *)(r10 - 16) = 0
   3: *(u64 *)(r10 - 24) = 0
; 16: 	$t = (struct task_struct *)curtask;
   4: call bpf_get_current_task
   5: r6 = r0
   6: *(u64 *)(r10 - 8) = r6
; 17: 	@pid = $t->pid;
   7: r6 = *(u64 *)(r10 - 8)
   8: r6 += 8
   9: r1 = r10
  10: r1 += -40
  11: r2 = 4
  12: r3 = r6
  13: call bpf_probe_read_kernel
  14: r6 = *(u32 *)(r10 - 40)
  15: r6 <<= 32
  16: r6 s>>= 32
  17: *(u64 *)(r10 - 32) = r6
  18: *(u64 *)(r10 - 40) = 0
  19: r1 = map[@pid] ll
  21: r2 = r10
  22: r2 += -40
  23: r3 = r10
  24: r3 += -32
  25: r4 = 0
  26: call bpf_map_update_elem
; 18: 	@vr = $t->se.vruntime;
  27: r6 = *(u64 *)(r10 - 8)
  28: r6 += 24
  29: r1 = r10
  30: r1 += -40
  31: r2 = 8
  32: r3 = r6
  33: call bpf_probe_read_kernel
  34: r6 = *(u64 *)(r10 - 40)
  35: *(u64 *)(r10 - 32) = r6
  36: *(u64 *)(r10 - 40) = 0
  37: r1 = map[@vr] ll
  39: r2 = r10
  40: r2 += -40
  41: r3 = r10
  42: r3 += -32
  43: r4 = 0
  44: call bpf_map_update_elem
; 19: 	@owner = $t->mm->owner->pid;
  45: r6 = *(u64 *)(r10 - 8)
  46: r6 += 48
  47: r1 = r10
  48: r1 += -40
  49: r2 = 8
  50: r3 = r6
  51: call bpf_probe_read_kernel
  52: r6 = *(u64 *)(r10 - 40)
  53: r1 = r10
  54: r1 += -40
  55: r2 = 8
  56: r3 = r6
  57: call bpf_probe_read_kernel
  58: r6 = *(u64 *)(r10 - 40)
  59: r6 += 8
  60: r1 = r10
  61: r1 += -40
  62: r2 = 4
  63: r3 = r6
  64: call bpf_probe_read_kernel
  65: r6 = *(u32 *)(r10 - 40)
  66: r6 <<= 32
  67: r6 s>>= 32
  68: *(u64 *)(r10 - 32) = r6
  69: *(u64 *)(r10 - 40) = 0
  70: r1 = map[@owner] ll
  72: r2 = r10
  73: r2 += -40
  74: r3 = r10
  75: r3 += -32
  76: r4 = 0
  77: call bpf_map_update_elem
; 20: 	@bits = ($t->in_execve, $t->in_iowait, $t->prio_delta);
  78: r6 = *(u64 *)(r10 - 8)
  79: r6 += 72
  80: *(u64 *)(r10 - 56) = 0
  81: r1 = r10
  82: r1 += -56
  83: r2 = 1
  84: r3 = r6
  85: call bpf_probe_read_kernel
  86: r6 = *(u64 *)(r10 - 56)
  87: r6 <<= 63
  88: r6 >>= 63
  89: *(u64 *)(r10 - 48) = r6
  90: r6 = *(u64 *)(r10 - 8)
  91: r6 += 72
  92: *(u64 *)(r10 - 56) = 0
  93: r1 = r10
  94: r1 += -56
  95: r2 = 1
  96: r3 = r6
  97: call bpf_probe_read_kernel
  98: r6 = *(u64 *)(r10 - 56)
  99: r6 <<= 62
 100: r6 >>= 63
 101: *(u64 *)(r10 - 40) = r6
 102: r6 = *(u64 *)(r10 - 8)
 103: r6 += 72
 104: *(u64 *)(r10 - 56) = 0
 105: r1 = r10
 106: r1 += -56
 107: r2 = 1
 108: r3 = r6
 109: call bpf_probe_read_kernel
 110: r6 = *(u64 *)(r10 - 56)
 111: r6 <<= 59
 112: r6 s>>= 61
 113: *(u64 *)(r10 - 32) = r6
 114: *(u64 *)(r10 - 56) = 0
 115: r1 = map[@bits] ll
 117: r2 = r10
 118: r2 += -56
 119: r3 = r10
 120: r3 += -48
 121: r4 = 0
 122: call bpf_map_update_elem
; 21: 	@u = $t->u_a + $t->u_b;
 123: r6 = *(u64 *)(r10 - 8)
 124: r6 += 80
 125: r1 = r10
 126: r1 += -40
 127: r2 = 8
 128: r3 = r6
 129: call bpf_probe_read_kernel
 130: r6 = *(u64 *)(r10 - 40)
 131: r7 = *(u64 *)(r10 - 8)
 132: r7 += 80
 133: r1 = r10
 134: r1 += -40
 135: r2 = 4
 136: r3 = r7
 137: call bpf_probe_read_kernel
 138: r7 = *(u32 *)(r10 - 40)
 139: r7 <<= 32
 140: r7 s>>= 32
 141: r6 += r7
 142: *(u64 *)(r10 - 32) = r6
 143: *(u64 *)(r10 - 40) = 0
 144: r1 = map[@u] ll
 146: r2 = r10
 147: r2 += -40
 148: r3 = r10
 149: r3 += -32
 150: r4 = 0
 151: call bpf_map_update_elem
; 22: 	@s = ($t->stats[2], $t->addr[1], (*$t).tgid);
 152: r6 = *(u64 *)(r10 - 8)
 153: r6 += 96
 154: r1 = r10
 155: r1 += -56
 156: r2 = 4
 157: r3 = r6
 158: call bpf_probe_read_kernel
 159: r6 = *(u32 *)(r10 - 56)
 160: *(u64 *)(r10 - 48) = r6
 161: r6 = *(u64 *)(r10 - 8)
 162: r6 += 113
 163: r1 = r10
 164: r1 += -56
 165: r2 = 1
 166: r3 = r6
 167: call bpf_probe_read_kernel
 168: r6 = *(u8 *)(r10 - 56)
 169: *(u64 *)(r10 - 40) = r6
 170: r6 = *(u64 *)(r10 - 8)
 171: r6 += 12
 172: r1 = r10
 173: r1 += -56
 174: r2 = 4
 175: r3 = r6
 176: call bpf_probe_read_kernel
 177: r6 = *(u32 *)(r10 - 56)
 178: r6 <<= 32
 179: r6 s>>= 32
 180: *(u64 *)(r10 - 32) = r6
 181: *(u64 *)(r10 - 56) = 0
 182: r1 = map[@s] ll
 184: r2 = r10
 185: r2 += -56
 186: r3 = r10
 187: r3 += -48
 188: r4 = 0
 189: call bpf_map_update_elem
; 23: 	$i = 3;
 190: r6 = 3
 191: *(u64 *)(r10 - 16) = r6
; 24: 	@dyn = $t->stats[$i];
 192: r6 = *(u64 *)(r10 - 8)
 193: r6 += 88
 194: r7 = *(u64 *)(r10 - 16)
 195: r7 *= 4
 196: r6 += r7
 197: r1 = r10
 198: r1 += -40
 199: r2 = 4
 200: r3 = r6
 201: call bpf_probe_read_kernel
 202: r6 = *(u32 *)(r10 - 40)
 203: *(u64 *)(r10 - 32) = r6
 204: *(u64 *)(r10 - 40) = 0
 205: r1 = map[@dyn] ll
 207: r2 = r10
 208: r2 += -40
 209: r3 = r10
 210: r3 += -32
 211: r4 = 0
 212: call bpf_map_update_elem
; 25: 	@sz = (sizeof(struct task_struct), sizeof($t->comm), sizeof(*$t),
 213: r6 = 120
 214: *(u64 *)(r10 - 64) = r6
 215: r6 = 16
 216: *(u64 *)(r10 - 56) = r6
 217: r6 = 120
 218: *(u64 *)(r10 - 48) = r6
 219: r6 = 24
 220: *(u64 *)(r10 - 40) = r6
 221: r6 = 4
 222: *(u64 *)(r10 - 32) = r6
 223: *(u64 *)(r10 - 72) = 0
 224: r1 = map[@sz] ll
 226: r2 = r10
 227: r2 += -72
 228: r3 = r10
 229: r3 += -64
 230: r4 = 0
 231: call bpf_map_update_elem
; 27: 	@e = FAKE_B + FAKE_NEG;
 232: r6 = 5
 233: r6 += -1
 234: *(u64 *)(r10 - 32) = r6
 235: *(u64 *)(r10 - 40) = 0
 236: r1 = map[@e] ll
 238: r2 = r10
 239: r2 += -40
 240: r3 = r10
 241: r3 += -32
 242: r4 = 0
 243: call bpf_map_update_elem
; 28: 	@next = $t + 1;
 244: r6 = *(u64 *)(r10 - 8)
 245: r6 += 120
 246: *(u64 *)(r10 - 32) = r6
 247: *(u64 *)(r10 - 40) = 0
 248: r1 = map[@next] ll
 250: r2 = r10
 251: r2 += -40
 252: r3 = r10
 253: r3 += -32
 254: r4 = 0
 255: call bpf_map_update_elem
; 29: 	@se = &$t->se;
 256: r6 = *(u64 *)(r10 - 8)
 257: r6 += 16
 258: *(u64 *)(r10 - 32) = r6
 259: *(u64 *)(r10 - 40) = 0
 260: r1 = map[@se] ll
 262: r2 = r10
 263: r2 += -40
 264: r3 = r10
 265: r3 += -32
 266: r4 = 0
 267: call bpf_map_update_elem
; 30: 	@c[$t->comm] = count();
 268: r6 = *(u64 *)(r10 - 8)
 269: r6 += 56
 270: *(u64 *)(r10 - 40) = 0
 271: *(u64 *)(r10 - 32) = 0
 272: r1 = r10
 273: r1 += -40
 274: r2 = 16
 275: r3 = r6
 276: call bpf_probe_read_kernel
 277: r1 = map[@c] ll
 279: r2 = r10
 280: r2 += -40
 281: call bpf_map_lookup_elem
 282: if r0 == 0x0 goto +4
 283: r1 = *(u64 *)(r0 + 0)
 284: r1 += 1
 285: *(u64 *)(r0 + 0) = r1
 286: goto +19
 287: *(u64 *)(r10 - 48) = 1
 288: r1 = map[@c] ll
 290: r2 = r10
 291: r2 += -40
 292: r3 = r10
 293: r3 += -48
 294: r4 = 1
 295: call bpf_map_update_elem
 296: if r0 == 0x0 goto +9
 297: r1 = map[@c] ll
 299: r2 = r10
 300: r2 += -40
 301: call bpf_map_lookup_elem
 302: if r0 == 0x0 goto +3
 303: r1 = *(u64 *)(r0 + 0)
 304: r1 += 1
 305: *(u64 *)(r0 + 0) = r1
; 31: 	$q = (uint32 *)curtask;
 306: call bpf_get_current_task
 307: r6 = r0
 308: *(u64 *)(r10 - 24) = r6
; 32: 	@q = $q[2] + *$q;
 309: r6 = *(u64 *)(r10 - 24)
 310: r6 += 8
 311: r1 = r10
 312: r1 += -40
 313: r2 = 4
 314: r3 = r6
 315: call bpf_probe_read_kernel
 316: r6 = *(u32 *)(r10 - 40)
 317: r7 = *(u64 *)(r10 - 24)
 318: r1 = r10
 319: r1 += -40
 320: r2 = 4
 321: r3 = r7
 322: call bpf_probe_read_kernel
 323: r7 = *(u32 *)(r10 - 40)
 324: r6 += r7
 325: *(u64 *)(r10 - 32) = r6
 326: *(u64 *)(r10 - 40) = 0
 327: r1 = map[@q] ll
 329: r2 = r10
 330: r2 += -40
 331: r3 = r10
 332: r3 += -32
 333: r4 = 0
 334: call bpf_map_update_elem
; 33: }
 335: r0 = 0
 336: exit
