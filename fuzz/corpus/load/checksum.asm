# RFC 1071 Internet checksum over the whole input (a 1500-byte packet):
# sum 16-bit big-endian words, fold the carries, return the complement.
mov %r0, 0
mov %r3, 0
mov %r5, %r2
and %r5, -2
loop:
jge %r3, %r5, tail
mov %r4, %r1
add %r4, %r3
ldxh %r6, [%r4]
be16 %r6
add %r0, %r6
add %r3, 2
ja loop
tail:
jge %r3, %r2, fold
mov %r4, %r1
add %r4, %r3
ldxb %r6, [%r4]
lsh %r6, 8
add %r0, %r6
fold:
mov %r6, %r0
rsh %r6, 16
jeq %r6, 0, out
and %r0, 0xffff
add %r0, %r6
ja fold
out:
xor %r0, 0xffff
exit
