map events ringbuf key_size=0 value_size=0 max_entries=262144
map .lost percpu_array key_size=4 value_size=8 max_entries=1
event 0 printf size=16 line=5 fmt="flags %d\n" 8:u64
event 1 printf size=8 line=5 fmt="no flags\n"
event 2 exit size=8 line=6
event 3 printf size=16 line=6 fmt="%d\n" 8:u64

prog tracepoint:syscalls:sys_enter_openat type=tracepoint target="syscalls:sys_enter_openat"
; 3: tracepoint:syscalls:sys_enter_openat
   0: r9 = r1
; 5: 	args->flags ? printf("flags %d\n", args->flags) : printf("no flags\n");
   1: r6 = *(u64 *)(r9 + 32)
   2: if r6 == 0x0 goto +22
   3: *(u64 *)(r10 - 16) = 0
   4: r6 = *(u64 *)(r9 + 32)
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
  24: goto +19
  25: *(u64 *)(r10 - 24) = 1
  26: r1 = map[events] ll
  28: r2 = r10
  29: r2 += -24
  30: r3 = 8
  31: r4 = 0
  32: call bpf_ringbuf_output
  33: if r0 == 0x0 goto +10
  34: *(u32 *)(r10 - 24) = 0
  35: r1 = map[.lost] ll
  37: r2 = r10
  38: r2 += -24
  39: call bpf_map_lookup_elem
  40: if r0 == 0x0 goto +3
  41: r1 = *(u64 *)(r0 + 0)
  42: r1 += 1
  43: *(u64 *)(r0 + 0) = r1
; 6: 	pid == 1 ? exit() : printf("%d\n", pid);
  44: call bpf_get_current_pid_tgid
  45: r6 = r0
  46: r6 >>= 32
  47: if r6 != 0x1 goto +20
  48: *(u64 *)(r10 - 8) = 2
  49: r1 = map[events] ll
  51: r2 = r10
  52: r2 += -8
  53: r3 = 8
  54: r4 = 0
  55: call bpf_ringbuf_output
  56: if r0 == 0x0 goto +10
  57: *(u32 *)(r10 - 8) = 0
  58: r1 = map[.lost] ll
  60: r2 = r10
  61: r2 += -8
  62: call bpf_map_lookup_elem
  63: if r0 == 0x0 goto +3
  64: r1 = *(u64 *)(r0 + 0)
  65: r1 += 1
  66: *(u64 *)(r0 + 0) = r1
  67: goto +23
  68: *(u64 *)(r10 - 24) = 3
  69: call bpf_get_current_pid_tgid
  70: r6 = r0
  71: r6 >>= 32
  72: *(u64 *)(r10 - 16) = r6
  73: r1 = map[events] ll
  75: r2 = r10
  76: r2 += -24
  77: r3 = 16
  78: r4 = 0
  79: call bpf_ringbuf_output
  80: if r0 == 0x0 goto +10
  81: *(u32 *)(r10 - 24) = 0
  82: r1 = map[.lost] ll
  84: r2 = r10
  85: r2 += -24
  86: call bpf_map_lookup_elem
  87: if r0 == 0x0 goto +3
  88: r1 = *(u64 *)(r0 + 0)
  89: r1 += 1
  90: *(u64 *)(r0 + 0) = r1
; 7: }
  91: r0 = 0
  92: exit
