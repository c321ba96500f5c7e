map @ percpu_hash key_size=8 value_size=8 max_entries=4096 agg=2 key=u64 value=u64
map @b percpu_array key_size=4 value_size=8 max_entries=1 agg=2 key=none value=u64
map @c percpu_hash key_size=8 value_size=8 max_entries=4096 agg=2 key=u64 value=u64
map @f percpu_hash key_size=16 value_size=8 max_entries=4096 agg=2 key=str[16] value=u64
map @h percpu_array key_size=4 value_size=8 max_entries=1 agg=2 key=none value=u64
map @k percpu_array key_size=4 value_size=8 max_entries=1 agg=2 key=none value=u64
map @t percpu_hash key_size=8 value_size=8 max_entries=4096 agg=2 key=u64 value=u64

prog profile:hz:99 type=profile target="hz:99" perf=1:0 freq=99
; 1: profile:hz:99 { @[cpu] = count(); }
   0: r9 = r1
   1: call bpf_get_smp_processor_id
   2: w6 = w0
   3: *(u64 *)(r10 - 8) = r6
   4: r1 = map[@] ll
   6: r2 = r10
   7: r2 += -8
   8: call bpf_map_lookup_elem
   9: if r0 == 0x0 goto +4
  10: r1 = *(u64 *)(r0 + 0)
  11: r1 += 1
  12: *(u64 *)(r0 + 0) = r1
  13: goto +19
  14: *(u64 *)(r10 - 16) = 1
  15: r1 = map[@] ll
  17: r2 = r10
  18: r2 += -8
  19: r3 = r10
  20: r3 += -16
  21: r4 = 1
  22: call bpf_map_update_elem
  23: if r0 == 0x0 goto +9
  24: r1 = map[@] ll
  26: r2 = r10
  27: r2 += -8
  28: call bpf_map_lookup_elem
  29: if r0 == 0x0 goto +3
  30: r1 = *(u64 *)(r0 + 0)
  31: r1 += 1
  32: *(u64 *)(r0 + 0) = r1
  33: r0 = 0
  34: exit

prog profile:ms:10 type=profile target="ms:10" perf=1:0 period=10000000
; 2: profile:ms:10, p:1s { @t[tid] = count(); }
   0: r9 = r1
   1: call bpf_get_current_pid_tgid
   2: w6 = w0
   3: *(u64 *)(r10 - 8) = r6
   4: r1 = map[@t] ll
   6: r2 = r10
   7: r2 += -8
   8: call bpf_map_lookup_elem
   9: if r0 == 0x0 goto +4
  10: r1 = *(u64 *)(r0 + 0)
  11: r1 += 1
  12: *(u64 *)(r0 + 0) = r1
  13: goto +19
  14: *(u64 *)(r10 - 16) = 1
  15: r1 = map[@t] ll
  17: r2 = r10
  18: r2 += -8
  19: r3 = r10
  20: r3 += -16
  21: r4 = 1
  22: call bpf_map_update_elem
  23: if r0 == 0x0 goto +9
  24: r1 = map[@t] ll
  26: r2 = r10
  27: r2 += -8
  28: call bpf_map_lookup_elem
  29: if r0 == 0x0 goto +3
  30: r1 = *(u64 *)(r0 + 0)
  31: r1 += 1
  32: *(u64 *)(r0 + 0) = r1
  33: r0 = 0
  34: exit

prog profile:s:1 type=profile target="s:1" perf=1:0 period=1000000000
; 2: profile:ms:10, p:1s { @t[tid] = count(); }
   0: r9 = r1
   1: call bpf_get_current_pid_tgid
   2: w6 = w0
   3: *(u64 *)(r10 - 8) = r6
   4: r1 = map[@t] ll
   6: r2 = r10
   7: r2 += -8
   8: call bpf_map_lookup_elem
   9: if r0 == 0x0 goto +4
  10: r1 = *(u64 *)(r0 + 0)
  11: r1 += 1
  12: *(u64 *)(r0 + 0) = r1
  13: goto +19
  14: *(u64 *)(r10 - 16) = 1
  15: r1 = map[@t] ll
  17: r2 = r10
  18: r2 += -8
  19: r3 = r10
  20: r3 += -16
  21: r4 = 1
  22: call bpf_map_update_elem
  23: if r0 == 0x0 goto +9
  24: r1 = map[@t] ll
  26: r2 = r10
  27: r2 += -8
  28: call bpf_map_lookup_elem
  29: if r0 == 0x0 goto +3
  30: r1 = *(u64 *)(r0 + 0)
  31: r1 += 1
  32: *(u64 *)(r0 + 0) = r1
  33: r0 = 0
  34: exit

prog software:faults:1 type=software target="faults:1" perf=1:2 period=1
; 3: software:faults:1 { @f[comm] = count(); }
   0: r9 = r1
   1: *(u64 *)(r10 - 16) = 0
   2: *(u64 *)(r10 - 8) = 0
   3: r1 = r10
   4: r1 += -16
   5: r2 = 16
   6: call bpf_get_current_comm
   7: r1 = map[@f] ll
   9: r2 = r10
  10: r2 += -16
  11: call bpf_map_lookup_elem
  12: if r0 == 0x0 goto +4
  13: r1 = *(u64 *)(r0 + 0)
  14: r1 += 1
  15: *(u64 *)(r0 + 0) = r1
  16: goto +19
  17: *(u64 *)(r10 - 24) = 1
  18: r1 = map[@f] ll
  20: r2 = r10
  21: r2 += -16
  22: r3 = r10
  23: r3 += -24
  24: r4 = 1
  25: call bpf_map_update_elem
  26: if r0 == 0x0 goto +9
  27: r1 = map[@f] ll
  29: r2 = r10
  30: r2 += -16
  31: call bpf_map_lookup_elem
  32: if r0 == 0x0 goto +3
  33: r1 = *(u64 *)(r0 + 0)
  34: r1 += 1
  35: *(u64 *)(r0 + 0) = r1
  36: r0 = 0
  37: exit

prog software:cs type=software target="cs" perf=1:3 period=1000
; 4: s:cs { @c[pid] = count(); }
   0: r9 = r1
   1: call bpf_get_current_pid_tgid
   2: r6 = r0
   3: r6 >>= 32
   4: *(u64 *)(r10 - 8) = r6
   5: r1 = map[@c] ll
   7: r2 = r10
   8: r2 += -8
   9: call bpf_map_lookup_elem
  10: if r0 == 0x0 goto +4
  11: r1 = *(u64 *)(r0 + 0)
  12: r1 += 1
  13: *(u64 *)(r0 + 0) = r1
  14: goto +19
  15: *(u64 *)(r10 - 16) = 1
  16: r1 = map[@c] ll
  18: r2 = r10
  19: r2 += -8
  20: r3 = r10
  21: r3 += -16
  22: r4 = 1
  23: call bpf_map_update_elem
  24: if r0 == 0x0 goto +9
  25: r1 = map[@c] ll
  27: r2 = r10
  28: r2 += -8
  29: call bpf_map_lookup_elem
  30: if r0 == 0x0 goto +3
  31: r1 = *(u64 *)(r0 + 0)
  32: r1 += 1
  33: *(u64 *)(r0 + 0) = r1
  34: r0 = 0
  35: exit

prog software:cpu-clock:1e6 type=software target="cpu-clock:1e6" perf=1:0 period=1000000
; 5: software:cpu-clock:1e6 { @k = count(); }
   0: r9 = r1
   1: *(u64 *)(r10 - 8) = 0
   2: r1 = map[@k] ll
   4: r2 = r10
   5: r2 += -8
   6: call bpf_map_lookup_elem
   7: if r0 == 0x0 goto +3
   8: r1 = *(u64 *)(r0 + 0)
   9: r1 += 1
  10: *(u64 *)(r0 + 0) = r1
  11: r0 = 0
  12: exit

prog hardware:cycles type=hardware target="cycles" perf=0:0 period=1000000
; 6: hardware:cycles { @h = count(); }
   0: r9 = r1
   1: *(u64 *)(r10 - 8) = 0
   2: r1 = map[@h] ll
   4: r2 = r10
   5: r2 += -8
   6: call bpf_map_lookup_elem
   7: if r0 == 0x0 goto +3
   8: r1 = *(u64 *)(r0 + 0)
   9: r1 += 1
  10: *(u64 *)(r0 + 0) = r1
  11: r0 = 0
  12: exit

prog hardware:branch-misses:1000 type=hardware target="branch-misses:1000" perf=0:5 period=1000
; 7: h:branch-misses:1000 { @b = count(); }
   0: r9 = r1
   1: *(u64 *)(r10 - 8) = 0
   2: r1 = map[@b] ll
   4: r2 = r10
   5: r2 += -8
   6: call bpf_map_lookup_elem
   7: if r0 == 0x0 goto +3
   8: r1 = *(u64 *)(r0 + 0)
   9: r1 += 1
  10: *(u64 *)(r0 + 0) = r1
  11: r0 = 0
  12: exit
