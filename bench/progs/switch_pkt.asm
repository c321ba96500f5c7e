# switch.asm written as an XDP program must be: the same eight-way branch
# chain on (byte & 7) for each byte of a 960-byte packet. r1 = start of
# the packet, r2 = its end (a pointer); each byte is checked against the end
# before it is read, and the loop is bounded by a constant.
mov %r0, 0
mov %r3, 0
loop:
jge %r3, 960, done
mov %r4, %r1
add %r4, 1
jgt %r4, %r2, done
ldxb %r5, [%r1]
mov %r1, %r4
and %r5, 7
jeq %r5, 0, c0
jeq %r5, 1, c1
jeq %r5, 2, c2
jeq %r5, 3, c3
jeq %r5, 4, c4
jeq %r5, 5, c5
jeq %r5, 6, c6
xor %r0, 0x5a
ja next
c0:
add %r0, 1
ja next
c1:
sub %r0, 3
ja next
c2:
lsh %r0, 1
ja next
c3:
rsh %r0, 1
ja next
c4:
mul %r0, 3
ja next
c5:
or %r0, 0x10
ja next
c6:
and %r0, 0xffffff
next:
add %r3, 1
ja loop
done:
exit
