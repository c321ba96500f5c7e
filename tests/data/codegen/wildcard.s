map @ percpu_hash key_size=8 value_size=8 max_entries=4096 agg=2 key=s64 value=u64
map @raw percpu_hash key_size=8 value_size=8 max_entries=4096 agg=3 key=u64 value=s64
map events ringbuf key_size=0 value_size=0 max_entries=262144
map .lost percpu_array key_size=4 value_size=8 max_entries=1
event 0 printf size=72 line=3 fmt="%s\n" 8:str[64]

prog tracepoint:syscalls:sys_enter_openat type=tracepoint target="syscalls:sys_enter_openat"
; 1: tracepoint:syscalls:sys_enter_* { @[args->__syscall_nr] = count(); }
   0: r9 = r1
   1: r6 = *(u32 *)(r9 + 8)
   2: r6 <<= 32
   3: r6 s>>= 32
   4: *(u64 *)(r10 - 8) = r6
   5: r1 = map[@] ll
   7: r2 = r10
   8: r2 += -8
   9: call bpf_map_lookup_elem
  10: if r0 == 0x0 goto +4
  11: r1 = *(u64 *)(r0 + 0)
  12: r1 += 1
  13: *(u64 *)(r0 + 0) = r1
  14: goto +19
  15: *(u64 *)(r10 - 16) = 1
  16: r1 = map[@] ll
  18: r2 = r10
  19: r2 += -8
  20: r3 = r10
  21: r3 += -16
  22: r4 = 1
  23: call bpf_map_update_elem
  24: if r0 == 0x0 goto +9
  25: r1 = map[@] ll
  27: r2 = r10
  28: r2 += -8
  29: call bpf_map_lookup_elem
  30: if r0 == 0x0 goto +3
  31: r1 = *(u64 *)(r0 + 0)
  32: r1 += 1
  33: *(u64 *)(r0 + 0) = r1
  34: r0 = 0
  35: exit

prog tracepoint:syscalls:sys_enter_read type=tracepoint target="syscalls:sys_enter_read"
; 1: tracepoint:syscalls:sys_enter_* { @[args->__syscall_nr] = count(); }
   0: r9 = r1
   1: r6 = *(u32 *)(r9 + 8)
   2: r6 <<= 32
   3: r6 s>>= 32
   4: *(u64 *)(r10 - 8) = r6
   5: r1 = map[@] ll
   7: r2 = r10
   8: r2 += -8
   9: call bpf_map_lookup_elem
  10: if r0 == 0x0 goto +4
  11: r1 = *(u64 *)(r0 + 0)
  12: r1 += 1
  13: *(u64 *)(r0 + 0) = r1
  14: goto +19
  15: *(u64 *)(r10 - 16) = 1
  16: r1 = map[@] ll
  18: r2 = r10
  19: r2 += -8
  20: r3 = r10
  21: r3 += -16
  22: r4 = 1
  23: call bpf_map_update_elem
  24: if r0 == 0x0 goto +9
  25: r1 = map[@] ll
  27: r2 = r10
  28: r2 += -8
  29: call bpf_map_lookup_elem
  30: if r0 == 0x0 goto +3
  31: r1 = *(u64 *)(r0 + 0)
  32: r1 += 1
  33: *(u64 *)(r0 + 0) = r1
  34: r0 = 0
  35: exit

prog tracepoint:syscalls:sys_enter_execve type=tracepoint target="syscalls:sys_enter_execve"
; 1: tracepoint:syscalls:sys_enter_* { @[args->__syscall_nr] = count(); }
   0: r9 = r1
   1: r6 = *(u32 *)(r9 + 8)
   2: r6 <<= 32
   3: r6 s>>= 32
   4: *(u64 *)(r10 - 8) = r6
   5: r1 = map[@] ll
   7: r2 = r10
   8: r2 += -8
   9: call bpf_map_lookup_elem
  10: if r0 == 0x0 goto +4
  11: r1 = *(u64 *)(r0 + 0)
  12: r1 += 1
  13: *(u64 *)(r0 + 0) = r1
  14: goto +19
  15: *(u64 *)(r10 - 16) = 1
  16: r1 = map[@] ll
  18: r2 = r10
  19: r2 += -8
  20: r3 = r10
  21: r3 += -16
  22: r4 = 1
  23: call bpf_map_update_elem
  24: if r0 == 0x0 goto +9
  25: r1 = map[@] ll
  27: r2 = r10
  28: r2 += -8
  29: call bpf_map_lookup_elem
  30: if r0 == 0x0 goto +3
  31: r1 = *(u64 *)(r0 + 0)
  32: r1 += 1
  33: *(u64 *)(r0 + 0) = r1
  34: r0 = 0
  35: exit

prog tracepoint:syscalls:sys_enter_nanosleep type=tracepoint target="syscalls:sys_enter_nanosleep"
; 1: tracepoint:syscalls:sys_enter_* { @[args->__syscall_nr] = count(); }
   0: r9 = r1
   1: r6 = *(u32 *)(r9 + 8)
   2: r6 <<= 32
   3: r6 s>>= 32
   4: *(u64 *)(r10 - 8) = r6
   5: r1 = map[@] ll
   7: r2 = r10
   8: r2 += -8
   9: call bpf_map_lookup_elem
  10: if r0 == 0x0 goto +4
  11: r1 = *(u64 *)(r0 + 0)
  12: r1 += 1
  13: *(u64 *)(r0 + 0) = r1
  14: goto +19
  15: *(u64 *)(r10 - 16) = 1
  16: r1 = map[@] ll
  18: r2 = r10
  19: r2 += -8
  20: r3 = r10
  21: r3 += -16
  22: r4 = 1
  23: call bpf_map_update_elem
  24: if r0 == 0x0 goto +9
  25: r1 = map[@] ll
  27: r2 = r10
  28: r2 += -8
  29: call bpf_map_lookup_elem
  30: if r0 == 0x0 goto +3
  31: r1 = *(u64 *)(r0 + 0)
  32: r1 += 1
  33: *(u64 *)(r0 + 0) = r1
  34: r0 = 0
  35: exit

prog rawtracepoint:sched_switch type=rawtracepoint target="sched_switch"
; 2: rawtracepoint:sched_* { @raw[arg0] = sum(arg1 & 0xff); }
   0: r9 = r1
   1: r6 = *(u64 *)(r9 + 8)
   2: r6 &= 255
   3: r7 = *(u64 *)(r9 + 0)
   4: *(u64 *)(r10 - 8) = r7
   5: r1 = map[@raw] ll
   7: r2 = r10
   8: r2 += -8
   9: call bpf_map_lookup_elem
  10: if r0 == 0x0 goto +4
  11: r1 = *(u64 *)(r0 + 0)
  12: r1 += r6
  13: *(u64 *)(r0 + 0) = r1
  14: goto +19
  15: *(u64 *)(r10 - 16) = r6
  16: r1 = map[@raw] ll
  18: r2 = r10
  19: r2 += -8
  20: r3 = r10
  21: r3 += -16
  22: r4 = 1
  23: call bpf_map_update_elem
  24: if r0 == 0x0 goto +9
  25: r1 = map[@raw] ll
  27: r2 = r10
  28: r2 += -8
  29: call bpf_map_lookup_elem
  30: if r0 == 0x0 goto +3
  31: r1 = *(u64 *)(r0 + 0)
  32: r1 += r6
  33: *(u64 *)(r0 + 0) = r1
  34: r0 = 0
  35: exit

prog rawtracepoint:sched_wakeup type=rawtracepoint target="sched_wakeup"
; 2: rawtracepoint:sched_* { @raw[arg0] = sum(arg1 & 0xff); }
   0: r9 = r1
   1: r6 = *(u64 *)(r9 + 8)
   2: r6 &= 255
   3: r7 = *(u64 *)(r9 + 0)
   4: *(u64 *)(r10 - 8) = r7
   5: r1 = map[@raw] ll
   7: r2 = r10
   8: r2 += -8
   9: call bpf_map_lookup_elem
  10: if r0 == 0x0 goto +4
  11: r1 = *(u64 *)(r0 + 0)
  12: r1 += r6
  13: *(u64 *)(r0 + 0) = r1
  14: goto +19
  15: *(u64 *)(r10 - 16) = r6
  16: r1 = map[@raw] ll
  18: r2 = r10
  19: r2 += -8
  20: r3 = r10
  21: r3 += -16
  22: r4 = 1
  23: call bpf_map_update_elem
  24: if r0 == 0x0 goto +9
  25: r1 = map[@raw] ll
  27: r2 = r10
  28: r2 += -8
  29: call bpf_map_lookup_elem
  30: if r0 == 0x0 goto +3
  31: r1 = *(u64 *)(r0 + 0)
  32: r1 += r6
  33: *(u64 *)(r0 + 0) = r1
  34: r0 = 0
  35: exit

prog tracepoint:sched:sched_process_exec type=tracepoint target="sched:sched_process_exec"
; 3: tracepoint:sched:sched_process_exec { printf("%s\n", args->filename); }
   0: r9 = r1
   1: *(u64 *)(r10 - 72) = 0
   2: *(u64 *)(r10 - 64) = 0
   3: *(u64 *)(r10 - 56) = 0
   4: *(u64 *)(r10 - 48) = 0
   5: *(u64 *)(r10 - 40) = 0
   6: *(u64 *)(r10 - 32) = 0
   7: *(u64 *)(r10 - 24) = 0
   8: *(u64 *)(r10 - 16) = 0
   9: *(u64 *)(r10 - 8) = 0
  10: r1 = r10
  11: r1 += -64
  12: r2 = 64
  13: r3 = *(u32 *)(r9 + 8)
  14: r3 &= 65535
  15: r3 += r9
  16: call bpf_probe_read_kernel_str
  17: r1 = map[events] ll
  19: r2 = r10
  20: r2 += -72
  21: r3 = 72
  22: r4 = 0
  23: call bpf_ringbuf_output
  24: if r0 == 0x0 goto +10
  25: *(u32 *)(r10 - 72) = 0
  26: r1 = map[.lost] ll
  28: r2 = r10
  29: r2 += -72
  30: call bpf_map_lookup_elem
  31: if r0 == 0x0 goto +3
  32: r1 = *(u64 *)(r0 + 0)
  33: r1 += 1
  34: *(u64 *)(r0 + 0) = r1
  35: r0 = 0
  36: exit
