# A counting loop the kernel's verifier can walk: 100000 iterations of
# add + compare-and-branch (the verifier simulates every iteration, so the
# one-million loop of loop.asm is too long for it). r0 = 100000 at exit.
mov %r0, 0
mov %r1, 100000
loop:
add %r0, 1
jlt %r0, %r1, loop
exit
