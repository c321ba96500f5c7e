# memcpy written as an XDP program must be (compare memcpy.asm): copy the
# first 750 bytes of a 1500-byte packet over its second half, byte by byte.
# r1 = start of the packet, r2 = its end (a pointer); the destination is
# checked against the end before each access (the source lies below it),
# and the loop is bounded by a constant so the kernel's verifier accepts it.
# Returns the number of bytes copied.
mov %r3, 0
mov %r5, %r1
add %r5, 750
loop:
jge %r3, 750, done
mov %r6, %r5
add %r6, 1
jgt %r6, %r2, done
ldxb %r7, [%r1]
stxb [%r5], %r7
add %r1, 1
mov %r5, %r6
add %r3, 1
ja loop
done:
mov %r0, %r3
exit
