map @qtime hash key_size=8 value_size=8 max_entries=4096 agg=1 key=s64 value=u64
map @usecs percpu_hash key_size=16 value_size=8 max_entries=4096 agg=8 key=none value=u64

prog tracepoint:sched:sched_wakeup type=tracepoint target="sched:sched_wakeup"
; 5: tracepoint:sched:sched_wakeup,
   0: r9 = r1
; 8: 	@qtime[args->pid] = nsecs;
   1: call bpf_ktime_get_ns
   2: r6 = r0
   3: *(u64 *)(r10 - 8) = r6
   4: r6 = *(u32 *)(r9 + 24)
   5: r6 <<= 32
   6: r6 s>>= 32
   7: *(u64 *)(r10 - 16) = r6
   8: r1 = map[@qtime] ll
  10: r2 = r10
  11: r2 += -16
  12: r3 = r10
  13: r3 += -8
  14: r4 = 0
  15: call bpf_map_update_elem
; 9: }
  16: r0 = 0
  17: exit

prog tracepoint:sched:sched_wakeup_new type=tracepoint target="sched:sched_wakeup_new"
; 5: tracepoint:sched:sched_wakeup,
   0: r9 = r1
; 8: 	@qtime[args->pid] = nsecs;
   1: call bpf_ktime_get_ns
   2: r6 = r0
   3: *(u64 *)(r10 - 8) = r6
   4: r6 = *(u32 *)(r9 + 24)
   5: r6 <<= 32
   6: r6 s>>= 32
   7: *(u64 *)(r10 - 16) = r6
   8: r1 = map[@qtime] ll
  10: r2 = r10
  11: r2 += -16
  12: r3 = r10
  13: r3 += -8
  14: r4 = 0
  15: call bpf_map_update_elem
; 9: }
  16: r0 = 0
  17: exit

prog tracepoint:sched:sched_switch type=tracepoint target="sched:sched_switch"
; 11: tracepoint:sched:sched_switch
   0: r9 = r1
   1: *(u64 *)(r10 - 8) = 0
; 13: 	if (args->prev_state == TASK_RUNNING) {
   2: r6 = *(u64 *)(r9 + 32)
   3: if r6 != 0x0 goto +15
; 14: 		@qtime[args->prev_pid] = nsecs;
   4: call bpf_ktime_get_ns
   5: r6 = r0
   6: *(u64 *)(r10 - 16) = r6
   7: r6 = *(u32 *)(r9 + 24)
   8: r6 <<= 32
   9: r6 s>>= 32
  10: *(u64 *)(r10 - 24) = r6
  11: r1 = map[@qtime] ll
  13: r2 = r10
  14: r2 += -24
  15: r3 = r10
  16: r3 += -16
  17: r4 = 0
  18: call bpf_map_update_elem
; 16: 	$ns = @qtime[args->next_pid];
  19: r6 = *(u32 *)(r9 + 56)
  20: r6 <<= 32
  21: r6 s>>= 32
  22: *(u64 *)(r10 - 16) = r6
  23: r1 = map[@qtime] ll
  25: r2 = r10
  26: r2 += -16
  27: call bpf_map_lookup_elem
  28: r6 = 0
  29: if r0 == 0x0 goto +1
  30: r6 = *(u64 *)(r0 + 0)
  31: *(u64 *)(r10 - 8) = r6
; 17: 	if ($ns) {
  32: r6 = *(u64 *)(r10 - 8)
  33: if r6 == 0x0 goto +57
; 18: 		@usecs = hist((nsecs - $ns) / 1000);
  34: call bpf_ktime_get_ns
  35: r6 = r0
  36: r7 = *(u64 *)(r10 - 8)
  37: r6 -= r7
  38: r6 /= 1000
  39: *(u64 *)(r10 - 24) = 0
  40: r1 = r6
  41: r2 = 0
  42: if r1 s< 0x0 goto +18
  43: r2 = 1
  44: if r1 == 0x0 goto +16
  45: r2 = 2
  46: if r1 < 0x10000 goto +2
  47: r1 >>= 16
  48: r2 += 16
  49: if r1 < 0x100 goto +2
  50: r1 >>= 8
  51: r2 += 8
  52: if r1 < 0x10 goto +2
  53: r1 >>= 4
  54: r2 += 4
  55: if r1 < 0x4 goto +2
  56: r1 >>= 2
  57: r2 += 2
  58: if r1 < 0x2 goto +2
  59: r1 >>= 1
  60: r2 += 1
  61: *(u64 *)(r10 - 16) = r2
  62: r1 = map[@usecs] ll
  64: r2 = r10
  65: r2 += -24
  66: call bpf_map_lookup_elem
  67: if r0 == 0x0 goto +4
  68: r1 = *(u64 *)(r0 + 0)
  69: r1 += 1
  70: *(u64 *)(r0 + 0) = r1
  71: goto +19
  72: *(u64 *)(r10 - 32) = 1
  73: r1 = map[@usecs] ll
  75: r2 = r10
  76: r2 += -24
  77: r3 = r10
  78: r3 += -32
  79: r4 = 1
  80: call bpf_map_update_elem
  81: if r0 == 0x0 goto +9
  82: r1 = map[@usecs] ll
  84: r2 = r10
  85: r2 += -24
  86: call bpf_map_lookup_elem
  87: if r0 == 0x0 goto +3
  88: r1 = *(u64 *)(r0 + 0)
  89: r1 += 1
  90: *(u64 *)(r0 + 0) = r1
; 20: 	delete(@qtime[args->next_pid]);
  91: r6 = *(u32 *)(r9 + 56)
  92: r6 <<= 32
  93: r6 s>>= 32
  94: *(u64 *)(r10 - 16) = r6
  95: r1 = map[@qtime] ll
  97: r2 = r10
  98: r2 += -16
  99: call bpf_map_delete_elem
; 21: }
 100: r0 = 0
 101: exit
