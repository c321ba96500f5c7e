map events ringbuf key_size=0 value_size=0 max_entries=262144
map .lost percpu_array key_size=4 value_size=8 max_entries=1
event 0 printf size=88 line=1 fmt="%s %s\n" 8:str[16] 24:str[64]

prog tracepoint:syscalls:sys_enter_openat type=tracepoint target="syscalls:sys_enter_openat"
; 1: tracepoint:syscalls:sys_enter_openat { printf("%s %s\n", comm, str(args->filename)); }
   0: r9 = r1
   1: *(u64 *)(r10 - 88) = 0
   2: *(u64 *)(r10 - 80) = 0
   3: *(u64 *)(r10 - 72) = 0
   4: r1 = r10
   5: r1 += -80
   6: r2 = 16
   7: call bpf_get_current_comm
   8: r6 = *(u64 *)(r9 + 24)
   9: *(u64 *)(r10 - 64) = 0
  10: *(u64 *)(r10 - 56) = 0
  11: *(u64 *)(r10 - 48) = 0
  12: *(u64 *)(r10 - 40) = 0
  13: *(u64 *)(r10 - 32) = 0
  14: *(u64 *)(r10 - 24) = 0
  15: *(u64 *)(r10 - 16) = 0
  16: *(u64 *)(r10 - 8) = 0
  17: r1 = r10
  18: r1 += -64
  19: r2 = 64
  20: r3 = r6
  21: call bpf_probe_read_user_str
  22: r1 = map[events] ll
  24: r2 = r10
  25: r2 += -88
  26: r3 = 88
  27: r4 = 0
  28: call bpf_ringbuf_output
  29: if r0 == 0x0 goto +10
  30: *(u32 *)(r10 - 88) = 0
  31: r1 = map[.lost] ll
  33: r2 = r10
  34: r2 += -88
  35: call bpf_map_lookup_elem
  36: if r0 == 0x0 goto +3
  37: r1 = *(u64 *)(r0 + 0)
  38: r1 += 1
  39: *(u64 *)(r0 + 0) = r1
  40: r0 = 0
  41: exit
