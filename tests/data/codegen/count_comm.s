map @ percpu_hash key_size=16 value_size=8 max_entries=4096 agg=2 key=str[16] value=u64

prog tracepoint:raw_syscalls:sys_enter type=tracepoint target="raw_syscalls:sys_enter"
; 1: tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }
   0: r9 = r1
   1: *(u64 *)(r10 - 16) = 0
   2: *(u64 *)(r10 - 8) = 0
   3: r1 = r10
   4: r1 += -16
   5: r2 = 16
   6: call bpf_get_current_comm
   7: r1 = map[@] ll
   9: r2 = r10
  10: r2 += -16
  11: call bpf_map_lookup_elem
  12: if r0 == 0x0 goto +4
  13: r1 = *(u64 *)(r0 + 0)
  14: r1 += 1
  15: *(u64 *)(r0 + 0) = r1
  16: goto +19
  17: *(u64 *)(r10 - 24) = 1
  18: r1 = map[@] ll
  20: r2 = r10
  21: r2 += -16
  22: r3 = r10
  23: r3 += -24
  24: r4 = 1
  25: call bpf_map_update_elem
  26: if r0 == 0x0 goto +9
  27: r1 = map[@] ll
  29: r2 = r10
  30: r2 += -16
  31: call bpf_map_lookup_elem
  32: if r0 == 0x0 goto +3
  33: r1 = *(u64 *)(r0 + 0)
  34: r1 += 1
  35: *(u64 *)(r0 + 0) = r1
  36: r0 = 0
  37: exit
