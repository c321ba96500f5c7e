map @ percpu_hash key_size=8 value_size=8 max_entries=4096 agg=2 key=probe value=u64
map events ringbuf key_size=0 value_size=0 max_entries=262144
map .lost percpu_array key_size=4 value_size=8 max_entries=1
map .start array key_size=4 value_size=8 max_entries=1
event 0 printf size=24 line=1 fmt="%s %d\n" 8:probe 16:u64
probe 0 tracepoint:syscalls:sys_enter_read

prog tracepoint:syscalls:sys_enter_read type=tracepoint target="syscalls:sys_enter_read"
; 1: tracepoint:syscalls:sys_enter_read { @[probe] = count(); printf("%s %d\n", probe, elapsed / 1000000); }
   0: r9 = r1
   1: r6 = 0
   2: *(u64 *)(r10 - 8) = r6
   3: r1 = map[@] ll
   5: r2 = r10
   6: r2 += -8
   7: call bpf_map_lookup_elem
   8: if r0 == 0x0 goto +4
   9: r1 = *(u64 *)(r0 + 0)
  10: r1 += 1
  11: *(u64 *)(r0 + 0) = r1
  12: goto +19
  13: *(u64 *)(r10 - 16) = 1
  14: r1 = map[@] ll
  16: r2 = r10
  17: r2 += -8
  18: r3 = r10
  19: r3 += -16
  20: r4 = 1
  21: call bpf_map_update_elem
  22: if r0 == 0x0 goto +9
  23: r1 = map[@] ll
  25: r2 = r10
  26: r2 += -8
  27: call bpf_map_lookup_elem
  28: if r0 == 0x0 goto +3
  29: r1 = *(u64 *)(r0 + 0)
  30: r1 += 1
  31: *(u64 *)(r0 + 0) = r1
  32: *(u64 *)(r10 - 24) = 0
  33: r6 = 0
  34: *(u64 *)(r10 - 16) = r6
  35: call bpf_ktime_get_ns
  36: r6 = r0
  37: *(u64 *)(r10 - 32) = 0
  38: r1 = map[.start] ll
  40: r2 = r10
  41: r2 += -32
  42: call bpf_map_lookup_elem
  43: if r0 == 0x0 goto +4
  44: r1 = *(u64 *)(r0 + 0)
  45: if r1 == 0x0 goto +2
  46: r6 -= r1
  47: goto +1
  48: r6 = 0
  49: r6 /= 1000000
  50: *(u64 *)(r10 - 8) = r6
  51: r1 = map[events] ll
  53: r2 = r10
  54: r2 += -24
  55: r3 = 24
  56: r4 = 0
  57: call bpf_ringbuf_output
  58: if r0 == 0x0 goto +10
  59: *(u32 *)(r10 - 24) = 0
  60: r1 = map[.lost] ll
  62: r2 = r10
  63: r2 += -24
  64: call bpf_map_lookup_elem
  65: if r0 == 0x0 goto +3
  66: r1 = *(u64 *)(r0 + 0)
  67: r1 += 1
  68: *(u64 *)(r0 + 0) = r1
  69: r0 = 0
  70: exit
