map @bytes percpu_hash key_size=16 value_size=8 max_entries=4096 agg=8 key=none value=u64

prog tracepoint:syscalls:sys_exit_read type=tracepoint target="syscalls:sys_exit_read"
; 1: tracepoint:syscalls:sys_exit_read /args->ret > 0/ { @bytes = hist(args->ret); }
   0: r9 = r1
   1: r6 = *(u64 *)(r9 + 16)
   2: if r6 s<= 0x0 goto +53
   3: r6 = *(u64 *)(r9 + 16)
   4: *(u64 *)(r10 - 16) = 0
   5: r1 = r6
   6: r2 = 0
   7: if r1 s< 0x0 goto +18
   8: r2 = 1
   9: if r1 == 0x0 goto +16
  10: r2 = 2
  11: if r1 < 0x10000 goto +2
  12: r1 >>= 16
  13: r2 += 16
  14: if r1 < 0x100 goto +2
  15: r1 >>= 8
  16: r2 += 8
  17: if r1 < 0x10 goto +2
  18: r1 >>= 4
  19: r2 += 4
  20: if r1 < 0x4 goto +2
  21: r1 >>= 2
  22: r2 += 2
  23: if r1 < 0x2 goto +2
  24: r1 >>= 1
  25: r2 += 1
  26: *(u64 *)(r10 - 8) = r2
  27: r1 = map[@bytes] ll
  29: r2 = r10
  30: r2 += -16
  31: call bpf_map_lookup_elem
  32: if r0 == 0x0 goto +4
  33: r1 = *(u64 *)(r0 + 0)
  34: r1 += 1
  35: *(u64 *)(r0 + 0) = r1
  36: goto +19
  37: *(u64 *)(r10 - 24) = 1
  38: r1 = map[@bytes] ll
  40: r2 = r10
  41: r2 += -16
  42: r3 = r10
  43: r3 += -24
  44: r4 = 1
  45: call bpf_map_update_elem
  46: if r0 == 0x0 goto +9
  47: r1 = map[@bytes] ll
  49: r2 = r10
  50: r2 += -16
  51: call bpf_map_lookup_elem
  52: if r0 == 0x0 goto +3
  53: r1 = *(u64 *)(r0 + 0)
  54: r1 += 1
  55: *(u64 *)(r0 + 0) = r1
  56: r0 = 0
  57: exit
