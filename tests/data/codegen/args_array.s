map @ percpu_hash key_size=24 value_size=8 max_entries=4096 agg=2 key=(@0:s64, @8:u64, @16:u64) value=u64

prog tracepoint:raw_syscalls:sys_enter type=tracepoint target="raw_syscalls:sys_enter"
; 3: tracepoint:raw_syscalls:sys_enter
   0: r9 = r1
; 5: 	@[args->id, args->args[0], args->args[5]] = count();
   1: *(u64 *)(r10 - 24) = 0
   2: *(u64 *)(r10 - 16) = 0
   3: *(u64 *)(r10 - 8) = 0
   4: r6 = *(u64 *)(r9 + 8)
   5: *(u64 *)(r10 - 24) = r6
   6: r6 = *(u64 *)(r9 + 16)
   7: *(u64 *)(r10 - 16) = r6
   8: r6 = *(u64 *)(r9 + 56)
   9: *(u64 *)(r10 - 8) = r6
  10: r1 = map[@] ll
  12: r2 = r10
  13: r2 += -24
  14: call bpf_map_lookup_elem
  15: if r0 == 0x0 goto +4
  16: r1 = *(u64 *)(r0 + 0)
  17: r1 += 1
  18: *(u64 *)(r0 + 0) = r1
  19: goto +19
  20: *(u64 *)(r10 - 32) = 1
  21: r1 = map[@] ll
  23: r2 = r10
  24: r2 += -24
  25: r3 = r10
  26: r3 += -32
  27: r4 = 1
  28: call bpf_map_update_elem
  29: if r0 == 0x0 goto +9
  30: r1 = map[@] ll
  32: r2 = r10
  33: r2 += -24
  34: call bpf_map_lookup_elem
  35: if r0 == 0x0 goto +3
  36: r1 = *(u64 *)(r0 + 0)
  37: r1 += 1
  38: *(u64 *)(r0 + 0) = r1
; 6: }
  39: r0 = 0
  40: exit
