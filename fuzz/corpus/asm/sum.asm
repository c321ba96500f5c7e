# Sum the bytes of the input memory. r1 = input, r2 = its length.
#   bpfkit vm run --mem '01 02 03 04' examples/sum.asm   ->  0xa
mov %r0, 0
mov %r3, %r1
add %r3, %r2
loop:
jge %r1, %r3, done
ldxb %r4, [%r1]
add %r0, %r4
add %r1, 1
ja loop
done:
exit
