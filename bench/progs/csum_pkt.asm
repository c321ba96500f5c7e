# The Internet checksum of a packet, written as an XDP program must be:
# r1 = start of the packet, r2 = its end (a pointer, not a length), every
# access checked against the end first, and the loop bounded by a constant
# (at most 1500 bytes) so that the kernel's verifier accepts it. The bench
# runs this same code in the VM (r2 = r1 + length) and in the kernel.
mov %r0, 0
mov %r3, 0
loop:
jge %r3, 750, tail
mov %r4, %r1
add %r4, 2
jgt %r4, %r2, tail
ldxh %r6, [%r1]
be16 %r6
add %r0, %r6
mov %r1, %r4
add %r3, 1
ja loop
tail:
mov %r4, %r1
add %r4, 1
jgt %r4, %r2, fold
ldxb %r6, [%r1]
lsh %r6, 8
add %r0, %r6
fold:
# three folds always suffice (a sum of at most 751 16-bit words); the
# verifier refuses the usual while (sum >> 16) loop as an infinite loop
mov %r6, %r0
rsh %r6, 16
and %r0, 0xffff
add %r0, %r6
mov %r6, %r0
rsh %r6, 16
and %r0, 0xffff
add %r0, %r6
mov %r6, %r0
rsh %r6, 16
and %r0, 0xffff
add %r0, %r6
xor %r0, 0xffff
exit
