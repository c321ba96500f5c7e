# strcmp written as an XDP program must be (compare strcmp.asm): the two
# NUL-terminated strings start at the packet's start and at byte 750.
# r1 = start of the packet, r2 = its end (a pointer); the second pointer,
# the higher one, is checked against the end before each pair of loads, and
# the loop is bounded by a constant. Returns 0 when equal (or when the
# packet ends first), else the byte difference.
mov %r4, %r1
add %r4, 750
mov %r3, 0
loop:
jge %r3, 750, equal
mov %r7, %r4
add %r7, 1
jgt %r7, %r2, equal
ldxb %r5, [%r1]
ldxb %r6, [%r4]
jne %r5, %r6, differ
jeq %r5, 0, equal
add %r1, 1
mov %r4, %r7
add %r3, 1
ja loop
differ:
mov %r0, %r5
sub %r0, %r6
exit
equal:
mov %r0, 0
exit
