map @big percpu_hash key_size=16 value_size=8 max_entries=4096 agg=2 key=str[16] value=u64
map @small hash key_size=8 value_size=8 max_entries=4096 agg=1 key=none value=s64
map @t percpu_hash key_size=24 value_size=8 max_entries=4096 agg=2 key=(@0:u64, @8:str[16]) value=u64
map @x hash key_size=8 value_size=8 max_entries=4096 agg=1 key=none value=s64
map events ringbuf key_size=0 value_size=0 max_entries=262144
map .lost percpu_array key_size=4 value_size=8 max_entries=1
event 0 print size=8 line=16 map=@t top=0 div=0
event 1 clear size=8 line=16 map=@x top=0 div=0
event 2 time size=8 line=16 fmt="%H:%M\n"

prog tracepoint:sched:sched_switch type=tracepoint target="sched:sched_switch"
; 1: tracepoint:sched:sched_switch
   0: r9 = r1
   1: *(u64 *)(r10 - 8) = 0
; 2: /args->prev_pid != 0 && (args->next_prio < 100 || args->prev_state == 1)/
   2: r6 = *(u32 *)(r9 + 24)
   3: r6 <<= 32
   4: r6 s>>= 32
   5: if r6 == 0x0 goto +140
   6: r6 = *(u32 *)(r9 + 60)
   7: r6 <<= 32
   8: r6 s>>= 32
   9: if r6 s>= 0x64 goto +1
  10: goto +2
  11: r6 = *(u64 *)(r9 + 32)
  12: if r6 != 0x1 goto +133
; 4: 	$n = args->next_pid;
  13: r6 = *(u32 *)(r9 + 56)
  14: r6 <<= 32
  15: r6 s>>= 32
  16: *(u64 *)(r10 - 8) = r6
; 5: 	$n += 1;
  17: r6 = 1
  18: r0 = *(u64 *)(r10 - 8)
  19: r0 += r6
  20: *(u64 *)(r10 - 8) = r0
; 6: 	@x++;
  21: *(u64 *)(r10 - 16) = 0
  22: r1 = map[@x] ll
  24: r2 = r10
  25: r2 += -16
  26: call bpf_map_lookup_elem
  27: r1 = 0
  28: if r0 == 0x0 goto +1
  29: r1 = *(u64 *)(r0 + 0)
  30: r1 += 1
  31: *(u64 *)(r10 - 24) = r1
  32: r1 = map[@x] ll
  34: r2 = r10
  35: r2 += -16
  36: r3 = r10
  37: r3 += -24
  38: r4 = 0
  39: call bpf_map_update_elem
; 7: 	if ($n > 10) {
  40: r6 = *(u64 *)(r10 - 8)
  41: if r6 s<= 0xa goto +38
; 8: 		@big[args->next_comm] = count();
  42: *(u64 *)(r10 - 24) = 0
  43: *(u64 *)(r10 - 16) = 0
  44: r1 = r10
  45: r1 += -24
  46: r2 = 15
  47: r3 = r9
  48: r3 += 40
  49: call bpf_probe_read_kernel
  50: r1 = map[@big] ll
  52: r2 = r10
  53: r2 += -24
  54: call bpf_map_lookup_elem
  55: if r0 == 0x0 goto +4
  56: r1 = *(u64 *)(r0 + 0)
  57: r1 += 1
  58: *(u64 *)(r0 + 0) = r1
  59: goto +19
  60: *(u64 *)(r10 - 32) = 1
  61: r1 = map[@big] ll
  63: r2 = r10
  64: r2 += -24
  65: r3 = r10
  66: r3 += -32
  67: r4 = 1
  68: call bpf_map_update_elem
  69: if r0 == 0x0 goto +9
  70: r1 = map[@big] ll
  72: r2 = r10
  73: r2 += -24
  74: call bpf_map_lookup_elem
  75: if r0 == 0x0 goto +3
  76: r1 = *(u64 *)(r0 + 0)
  77: r1 += 1
  78: *(u64 *)(r0 + 0) = r1
  79: goto +24
; 9: 	} else if ($n == 3) {
  80: r6 = *(u64 *)(r10 - 8)
  81: if r6 != 0x3 goto +7
; 10: 		delete(@x);
  82: *(u64 *)(r10 - 16) = 0
  83: r1 = map[@x] ll
  85: r2 = r10
  86: r2 += -16
  87: call bpf_map_delete_elem
  88: goto +15
; 12: 		@small = $n > 5 ? 1 : -1;
  89: r6 = *(u64 *)(r10 - 8)
  90: if r6 s<= 0x5 goto +2
  91: r6 = 1
  92: goto +1
  93: r6 = -1
  94: *(u64 *)(r10 - 16) = r6
  95: *(u64 *)(r10 - 24) = 0
  96: r1 = map[@small] ll
  98: r2 = r10
  99: r2 += -24
 100: r3 = r10
 101: r3 += -16
 102: r4 = 0
 103: call bpf_map_update_elem
; 14: 	@t[pid, comm] = count();
 104: *(u64 *)(r10 - 32) = 0
 105: *(u64 *)(r10 - 24) = 0
 106: *(u64 *)(r10 - 16) = 0
 107: call bpf_get_current_pid_tgid
 108: r6 = r0
 109: r6 >>= 32
 110: *(u64 *)(r10 - 32) = r6
 111: *(u64 *)(r10 - 24) = 0
 112: *(u64 *)(r10 - 16) = 0
 113: r1 = r10
 114: r1 += -24
 115: r2 = 16
 116: call bpf_get_current_comm
 117: r1 = map[@t] ll
 119: r2 = r10
 120: r2 += -32
 121: call bpf_map_lookup_elem
 122: if r0 == 0x0 goto +4
 123: r1 = *(u64 *)(r0 + 0)
 124: r1 += 1
 125: *(u64 *)(r0 + 0) = r1
 126: goto +19
 127: *(u64 *)(r10 - 40) = 1
 128: r1 = map[@t] ll
 130: r2 = r10
 131: r2 += -32
 132: r3 = r10
 133: r3 += -40
 134: r4 = 1
 135: call bpf_map_update_elem
 136: if r0 == 0x0 goto +9
 137: r1 = map[@t] ll
 139: r2 = r10
 140: r2 += -32
 141: call bpf_map_lookup_elem
 142: if r0 == 0x0 goto +3
 143: r1 = *(u64 *)(r0 + 0)
 144: r1 += 1
 145: *(u64 *)(r0 + 0) = r1
; 15: }
 146: r0 = 0
 147: exit

prog END type=END target=""
; 16: END { print(@t); clear(@x); time("%H:%M\n"); }
   0: r9 = r1
   1: *(u64 *)(r10 - 8) = 0
   2: r1 = map[events] ll
   4: r2 = r10
   5: r2 += -8
   6: r3 = 8
   7: r4 = 0
   8: call bpf_ringbuf_output
   9: if r0 == 0x0 goto +10
  10: *(u32 *)(r10 - 8) = 0
  11: r1 = map[.lost] ll
  13: r2 = r10
  14: r2 += -8
  15: call bpf_map_lookup_elem
  16: if r0 == 0x0 goto +3
  17: r1 = *(u64 *)(r0 + 0)
  18: r1 += 1
  19: *(u64 *)(r0 + 0) = r1
  20: *(u64 *)(r10 - 8) = 1
  21: r1 = map[events] ll
  23: r2 = r10
  24: r2 += -8
  25: r3 = 8
  26: r4 = 0
  27: call bpf_ringbuf_output
  28: if r0 == 0x0 goto +10
  29: *(u32 *)(r10 - 8) = 0
  30: r1 = map[.lost] ll
  32: r2 = r10
  33: r2 += -8
  34: call bpf_map_lookup_elem
  35: if r0 == 0x0 goto +3
  36: r1 = *(u64 *)(r0 + 0)
  37: r1 += 1
  38: *(u64 *)(r0 + 0) = r1
  39: *(u64 *)(r10 - 8) = 2
  40: r1 = map[events] ll
  42: r2 = r10
  43: r2 += -8
  44: r3 = 8
  45: r4 = 0
  46: call bpf_ringbuf_output
  47: if r0 == 0x0 goto +10
  48: *(u32 *)(r10 - 8) = 0
  49: r1 = map[.lost] ll
  51: r2 = r10
  52: r2 += -8
  53: call bpf_map_lookup_elem
  54: if r0 == 0x0 goto +3
  55: r1 = *(u64 *)(r0 + 0)
  56: r1 += 1
  57: *(u64 *)(r0 + 0) = r1
  58: r0 = 0
  59: exit
