map @bits hash key_size=8 value_size=48 max_entries=4096 agg=1 key=none value=(@0:u64, @8:u64, @16:u64, @24:u64, @32:s64, @40:s64)
map @colors hash key_size=8 value_size=48 max_entries=4096 agg=1 key=none value=(@0:s64, @8:s64, @16:s64, @24:s64, @32:s64, @40:s64)
map @comm hash key_size=8 value_size=8 max_entries=4096 agg=1 key=none value=str[8]
map @o hash key_size=8 value_size=32 max_entries=4096 agg=1 key=none value=(@0:s64, @8:s64, @16:s64, @24:s64)
map @pid hash key_size=8 value_size=8 max_entries=4096 agg=1 key=none value=s64
map @sizes hash key_size=8 value_size=56 max_entries=4096 agg=1 key=none value=(@0:u64, @8:u64, @16:u64, @24:u64, @32:u64, @40:u64, @48:u64)

prog BEGIN type=BEGIN target=""
; 42: BEGIN
   0: r9 = r1
   1: *(u64 *)(r10 - 8) = 0
   2: *(u64 *)(r10 - 16) = 0
   3: *(u64 *)(r10 - 24) = 0
; 44: 	$t = (struct task_struct *)curtask;
   4: call bpf_get_current_task
   5: r6 = r0
   6: *(u64 *)(r10 - 8) = r6
; 45: 	@pid = $t->pid;
   7: r6 = *(u64 *)(r10 - 8)
   8: r6 += 4
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
; 46: 	@comm = $t->comm;
  27: r6 = *(u64 *)(r10 - 8)
  28: r6 += 8
  29: *(u64 *)(r10 - 32) = 0
  30: r1 = r10
  31: r1 += -32
  32: r2 = 8
  33: r3 = r6
  34: call bpf_probe_read_kernel
  35: *(u64 *)(r10 - 40) = 0
  36: r1 = map[@comm] ll
  38: r2 = r10
  39: r2 += -40
  40: r3 = r10
  41: r3 += -32
  42: r4 = 0
  43: call bpf_map_update_elem
; 47: 	$f = (struct flags *)curtask;
  44: call bpf_get_current_task
  45: r6 = r0
  46: *(u64 *)(r10 - 16) = r6
; 48: 	@bits = ($f->a, $f->b, $f->c, $f->d, $f->e, $f->f);
  47: r6 = *(u64 *)(r10 - 16)
  48: *(u64 *)(r10 - 80) = 0
  49: r1 = r10
  50: r1 += -80
  51: r2 = 1
  52: r3 = r6
  53: call bpf_probe_read_kernel
  54: r6 = *(u64 *)(r10 - 80)
  55: r6 <<= 61
  56: r6 >>= 61
  57: *(u64 *)(r10 - 72) = r6
  58: r6 = *(u64 *)(r10 - 16)
  59: *(u64 *)(r10 - 80) = 0
  60: r1 = r10
  61: r1 += -80
  62: r2 = 1
  63: r3 = r6
  64: call bpf_probe_read_kernel
  65: r6 = *(u64 *)(r10 - 80)
  66: r6 <<= 56
  67: r6 >>= 59
  68: *(u64 *)(r10 - 64) = r6
  69: r6 = *(u64 *)(r10 - 16)
  70: r6 += 4
  71: *(u64 *)(r10 - 80) = 0
  72: r1 = r10
  73: r1 += -80
  74: r2 = 4
  75: r3 = r6
  76: call bpf_probe_read_kernel
  77: r6 = *(u64 *)(r10 - 80)
  78: r6 <<= 34
  79: r6 >>= 34
  80: *(u64 *)(r10 - 56) = r6
  81: r6 = *(u64 *)(r10 - 16)
  82: r6 += 8
  83: r1 = r10
  84: r1 += -80
  85: r2 = 1
  86: r3 = r6
  87: call bpf_probe_read_kernel
  88: r6 = *(u8 *)(r10 - 80)
  89: *(u64 *)(r10 - 48) = r6
  90: r6 = *(u64 *)(r10 - 16)
  91: r6 += 9
  92: *(u64 *)(r10 - 80) = 0
  93: r1 = r10
  94: r1 += -80
  95: r2 = 1
  96: r3 = r6
  97: call bpf_probe_read_kernel
  98: r6 = *(u64 *)(r10 - 80)
  99: r6 <<= 60
 100: r6 s>>= 60
 101: *(u64 *)(r10 - 40) = r6
 102: r6 = *(u64 *)(r10 - 16)
 103: r6 += 12
 104: r1 = r10
 105: r1 += -80
 106: r2 = 2
 107: r3 = r6
 108: call bpf_probe_read_kernel
 109: r6 = *(u16 *)(r10 - 80)
 110: r6 <<= 48
 111: r6 s>>= 48
 112: *(u64 *)(r10 - 32) = r6
 113: *(u64 *)(r10 - 80) = 0
 114: r1 = map[@bits] ll
 116: r2 = r10
 117: r2 += -80
 118: r3 = r10
 119: r3 += -72
 120: r4 = 0
 121: call bpf_map_update_elem
; 49: 	@sizes = (sizeof(struct flags), sizeof(union val), sizeof(struct outer), sizeof(struct inner),
 122: r6 = 16
 123: *(u64 *)(r10 - 80) = r6
 124: r6 = 8
 125: *(u64 *)(r10 - 72) = r6
 126: r6 = 48
 127: *(u64 *)(r10 - 64) = r6
 128: r6 = 16
 129: *(u64 *)(r10 - 56) = r6
 130: r6 = 24
 131: *(u64 *)(r10 - 48) = r6
 132: r6 = 20
 133: *(u64 *)(r10 - 40) = r6
 134: r6 = 8
 135: *(u64 *)(r10 - 32) = r6
 136: *(u64 *)(r10 - 88) = 0
 137: r1 = map[@sizes] ll
 139: r2 = r10
 140: r2 += -88
 141: r3 = r10
 142: r3 += -80
 143: r4 = 0
 144: call bpf_map_update_elem
; 51: 	@colors = (RED, GREEN, BLUE, NEG, SHIFTED, TASK_RUNNING);
 145: r6 = 0
 146: *(u64 *)(r10 - 72) = r6
 147: r6 = 5
 148: *(u64 *)(r10 - 64) = r6
 149: r6 = 6
 150: *(u64 *)(r10 - 56) = r6
 151: r6 = -2
 152: *(u64 *)(r10 - 48) = r6
 153: r6 = 16
 154: *(u64 *)(r10 - 40) = r6
 155: r6 = 0
 156: *(u64 *)(r10 - 32) = r6
 157: *(u64 *)(r10 - 80) = 0
 158: r1 = map[@colors] ll
 160: r2 = r10
 161: r2 += -80
 162: r3 = r10
 163: r3 += -72
 164: r4 = 0
 165: call bpf_map_update_elem
; 52: 	$o = (struct outer *)curtask;
 166: call bpf_get_current_task
 167: r6 = r0
 168: *(u64 *)(r10 - 24) = r6
; 53: 	@o = ($o->in.y, $o->ui, $o->arr[2], $o->next->next->col);
 169: r6 = *(u64 *)(r10 - 24)
 170: r6 += 8
 171: r1 = r10
 172: r1 += -64
 173: r2 = 8
 174: r3 = r6
 175: call bpf_probe_read_kernel
 176: r6 = *(u64 *)(r10 - 64)
 177: *(u64 *)(r10 - 56) = r6
 178: r6 = *(u64 *)(r10 - 24)
 179: r6 += 16
 180: r1 = r10
 181: r1 += -64
 182: r2 = 4
 183: r3 = r6
 184: call bpf_probe_read_kernel
 185: r6 = *(u32 *)(r10 - 64)
 186: r6 <<= 32
 187: r6 s>>= 32
 188: *(u64 *)(r10 - 48) = r6
 189: r6 = *(u64 *)(r10 - 24)
 190: r6 += 32
 191: r1 = r10
 192: r1 += -64
 193: r2 = 4
 194: r3 = r6
 195: call bpf_probe_read_kernel
 196: r6 = *(u32 *)(r10 - 64)
 197: r6 <<= 32
 198: r6 s>>= 32
 199: *(u64 *)(r10 - 40) = r6
 200: r6 = *(u64 *)(r10 - 24)
 201: r6 += 40
 202: r1 = r10
 203: r1 += -64
 204: r2 = 8
 205: r3 = r6
 206: call bpf_probe_read_kernel
 207: r6 = *(u64 *)(r10 - 64)
 208: r6 += 40
 209: r1 = r10
 210: r1 += -64
 211: r2 = 8
 212: r3 = r6
 213: call bpf_probe_read_kernel
 214: r6 = *(u64 *)(r10 - 64)
 215: r6 += 20
 216: r1 = r10
 217: r1 += -64
 218: r2 = 4
 219: r3 = r6
 220: call bpf_probe_read_kernel
 221: r6 = *(u32 *)(r10 - 64)
 222: r6 <<= 32
 223: r6 s>>= 32
 224: *(u64 *)(r10 - 32) = r6
 225: *(u64 *)(r10 - 64) = 0
 226: r1 = map[@o] ll
 228: r2 = r10
 229: r2 += -64
 230: r3 = r10
 231: r3 += -56
 232: r4 = 0
 233: call bpf_map_update_elem
; 54: }
 234: r0 = 0
 235: exit
