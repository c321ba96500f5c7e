# Counting loop: one million iterations of add + compare-and-branch.
# r0 = 1000000 at exit.
mov %r0, 0
mov %r1, 1000000
loop:
add %r0, 1
jlt %r0, %r1, loop
exit
