map @ percpu_hash key_size=8 value_size=8 max_entries=4096 agg=2 key=probe value=u64
probe 0 interval:ms:42
probe 1 tracepoint:syscalls:sys_enter_openat

prog interval:ms:42 type=interval target="ms:42" period_ns=42000000
; 3: interval:ms:$1,
   0: r9 = r1
; 6: 	@[probe] = count();
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
; 7: }
  32: r0 = 0
  33: exit

prog tracepoint:syscalls:sys_enter_openat type=tracepoint target="syscalls:sys_enter_openat"
; 3: interval:ms:$1,
   0: r9 = r1
; 6: 	@[probe] = count();
   1: r6 = 1
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
; 7: }
  32: r0 = 0
  33: exit
