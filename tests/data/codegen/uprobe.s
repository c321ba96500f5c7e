map @ percpu_hash key_size=64 value_size=8 max_entries=4096 agg=2 key=str[64] value=u64
map @a hash key_size=8 value_size=8 max_entries=4096 agg=1 key=none value=u64
map @ip hash key_size=8 value_size=8 max_entries=4096 agg=1 key=none value=u64
map @k hash key_size=8 value_size=8 max_entries=4096 agg=1 key=none value=u64
map @o hash key_size=8 value_size=8 max_entries=4096 agg=1 key=none value=u64
map @r hash key_size=8 value_size=8 max_entries=4096 agg=1 key=none value=u64
map @s hash key_size=8 value_size=8 max_entries=4096 agg=1 key=none value=u64
map @x hash key_size=8 value_size=8 max_entries=4096 agg=1 key=none value=u64

prog uprobe:/bin/app:read_line type=uprobe target="/bin/app" offset=0x1040
; 5: uprobe:app:read_* { @[func] = count(); @a = arg0 + arg5; @s = arg6; }
   0: r9 = r1
   1: r1 = 0x6e696c5f64616572 ll
   3: *(u64 *)(r10 - 64) = r1
   4: *(u64 *)(r10 - 56) = 101
   5: *(u64 *)(r10 - 48) = 0
   6: *(u64 *)(r10 - 40) = 0
   7: *(u64 *)(r10 - 32) = 0
   8: *(u64 *)(r10 - 24) = 0
   9: *(u64 *)(r10 - 16) = 0
  10: *(u64 *)(r10 - 8) = 0
  11: r1 = map[@] ll
  13: r2 = r10
  14: r2 += -64
  15: call bpf_map_lookup_elem
  16: if r0 == 0x0 goto +4
  17: r1 = *(u64 *)(r0 + 0)
  18: r1 += 1
  19: *(u64 *)(r0 + 0) = r1
  20: goto +19
  21: *(u64 *)(r10 - 72) = 1
  22: r1 = map[@] ll
  24: r2 = r10
  25: r2 += -64
  26: r3 = r10
  27: r3 += -72
  28: r4 = 1
  29: call bpf_map_update_elem
  30: if r0 == 0x0 goto +9
  31: r1 = map[@] ll
  33: r2 = r10
  34: r2 += -64
  35: call bpf_map_lookup_elem
  36: if r0 == 0x0 goto +3
  37: r1 = *(u64 *)(r0 + 0)
  38: r1 += 1
  39: *(u64 *)(r0 + 0) = r1
  40: r6 = *(u64 *)(r9 + 112)
  41: r7 = *(u64 *)(r9 + 64)
  42: r6 += r7
  43: *(u64 *)(r10 - 8) = r6
  44: *(u64 *)(r10 - 16) = 0
  45: r1 = map[@a] ll
  47: r2 = r10
  48: r2 += -16
  49: r3 = r10
  50: r3 += -8
  51: r4 = 0
  52: call bpf_map_update_elem
  53: r3 = *(u64 *)(r9 + 152)
  54: r3 += 8
  55: r1 = r10
  56: r1 += -16
  57: r2 = 8
  58: call bpf_probe_read_user
  59: r6 = *(u64 *)(r10 - 16)
  60: *(u64 *)(r10 - 8) = r6
  61: *(u64 *)(r10 - 16) = 0
  62: r1 = map[@s] ll
  64: r2 = r10
  65: r2 += -16
  66: r3 = r10
  67: r3 += -8
  68: r4 = 0
  69: call bpf_map_update_elem
  70: r0 = 0
  71: exit

prog uprobe:/bin/app:read_word type=uprobe target="/bin/app" offset=0x1060
; 5: uprobe:app:read_* { @[func] = count(); @a = arg0 + arg5; @s = arg6; }
   0: r9 = r1
   1: r1 = 0x726f775f64616572 ll
   3: *(u64 *)(r10 - 64) = r1
   4: *(u64 *)(r10 - 56) = 100
   5: *(u64 *)(r10 - 48) = 0
   6: *(u64 *)(r10 - 40) = 0
   7: *(u64 *)(r10 - 32) = 0
   8: *(u64 *)(r10 - 24) = 0
   9: *(u64 *)(r10 - 16) = 0
  10: *(u64 *)(r10 - 8) = 0
  11: r1 = map[@] ll
  13: r2 = r10
  14: r2 += -64
  15: call bpf_map_lookup_elem
  16: if r0 == 0x0 goto +4
  17: r1 = *(u64 *)(r0 + 0)
  18: r1 += 1
  19: *(u64 *)(r0 + 0) = r1
  20: goto +19
  21: *(u64 *)(r10 - 72) = 1
  22: r1 = map[@] ll
  24: r2 = r10
  25: r2 += -64
  26: r3 = r10
  27: r3 += -72
  28: r4 = 1
  29: call bpf_map_update_elem
  30: if r0 == 0x0 goto +9
  31: r1 = map[@] ll
  33: r2 = r10
  34: r2 += -64
  35: call bpf_map_lookup_elem
  36: if r0 == 0x0 goto +3
  37: r1 = *(u64 *)(r0 + 0)
  38: r1 += 1
  39: *(u64 *)(r0 + 0) = r1
  40: r6 = *(u64 *)(r9 + 112)
  41: r7 = *(u64 *)(r9 + 64)
  42: r6 += r7
  43: *(u64 *)(r10 - 8) = r6
  44: *(u64 *)(r10 - 16) = 0
  45: r1 = map[@a] ll
  47: r2 = r10
  48: r2 += -16
  49: r3 = r10
  50: r3 += -8
  51: r4 = 0
  52: call bpf_map_update_elem
  53: r3 = *(u64 *)(r9 + 152)
  54: r3 += 8
  55: r1 = r10
  56: r1 += -16
  57: r2 = 8
  58: call bpf_probe_read_user
  59: r6 = *(u64 *)(r10 - 16)
  60: *(u64 *)(r10 - 8) = r6
  61: *(u64 *)(r10 - 16) = 0
  62: r1 = map[@s] ll
  64: r2 = r10
  65: r2 += -16
  66: r3 = r10
  67: r3 += -8
  68: r4 = 0
  69: call bpf_map_update_elem
  70: r0 = 0
  71: exit

prog uretprobe:/bin/app:main type=uretprobe target="/bin/app" offset=0x1000
; 6: uretprobe:/bin/app:main { @r = retval; @ip = reg("ip"); }
   0: r9 = r1
   1: r6 = *(u64 *)(r9 + 80)
   2: *(u64 *)(r10 - 8) = r6
   3: *(u64 *)(r10 - 16) = 0
   4: r1 = map[@r] ll
   6: r2 = r10
   7: r2 += -16
   8: r3 = r10
   9: r3 += -8
  10: r4 = 0
  11: call bpf_map_update_elem
  12: r6 = *(u64 *)(r9 + 128)
  13: *(u64 *)(r10 - 8) = r6
  14: *(u64 *)(r10 - 16) = 0
  15: r1 = map[@ip] ll
  17: r2 = r10
  18: r2 += -16
  19: r3 = r10
  20: r3 += -8
  21: r4 = 0
  22: call bpf_map_update_elem
  23: r0 = 0
  24: exit

prog uprobe:/bin/app:main+8 type=uprobe target="/bin/app" offset=0x1008
; 7: u:/bin/app:main+8 { @o = arg1; }
   0: r9 = r1
   1: r6 = *(u64 *)(r9 + 104)
   2: *(u64 *)(r10 - 8) = r6
   3: *(u64 *)(r10 - 16) = 0
   4: r1 = map[@o] ll
   6: r2 = r10
   7: r2 += -16
   8: r3 = r10
   9: r3 += -8
  10: r4 = 0
  11: call bpf_map_update_elem
  12: r0 = 0
  13: exit

prog uretprobe:/bin/app:0x401044 type=uretprobe target="/bin/app" offset=0x1044
; 8: ur:/bin/app:0x401044 { @x = retval; }
   0: r9 = r1
   1: r6 = *(u64 *)(r9 + 80)
   2: *(u64 *)(r10 - 8) = r6
   3: *(u64 *)(r10 - 16) = 0
   4: r1 = map[@x] ll
   6: r2 = r10
   7: r2 += -16
   8: r3 = r10
   9: r3 += -8
  10: r4 = 0
  11: call bpf_map_update_elem
  12: r0 = 0
  13: exit

prog kprobe:vfs_read+4 type=kprobe target="vfs_read" offset=0x4
; 9: kprobe:vfs_read+4 { @k = arg7; }
   0: r9 = r1
   1: r3 = *(u64 *)(r9 + 152)
   2: r3 += 16
   3: r1 = r10
   4: r1 += -16
   5: r2 = 8
   6: call bpf_probe_read_kernel
   7: r6 = *(u64 *)(r10 - 16)
   8: *(u64 *)(r10 - 8) = r6
   9: *(u64 *)(r10 - 16) = 0
  10: r1 = map[@k] ll
  12: r2 = r10
  13: r2 += -16
  14: r3 = r10
  15: r3 += -8
  16: r4 = 0
  17: call bpf_map_update_elem
  18: r0 = 0
  19: exit
