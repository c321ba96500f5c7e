# Byte-wise copy of the first half of the input into the second half.
# r1 = input, r2 = its length (4096). Returns the number of bytes copied.
mov %r3, 0
mov %r4, %r2
rsh %r4, 1
mov %r5, %r1
add %r5, %r4
loop:
jge %r3, %r4, done
mov %r6, %r1
add %r6, %r3
ldxb %r7, [%r6]
mov %r8, %r5
add %r8, %r3
stxb [%r8], %r7
add %r3, 1
ja loop
done:
mov %r0, %r3
exit
