# Sieve of Eratosthenes: count the primes below 4096 and return the count
# in r0. Run it with
#
#     bpfkit vm run examples/sieve.asm          -> 0x234 (564 primes)
#     bpfkit vm run --stats examples/sieve.asm  (instructions and time)
#
# Conformance-dialect assembler (the syntax of the bpf_conformance suite).
# The bitmap is the main program's 512-byte stack frame: bit i of the byte
# at [r10 - 512 + i/8] is set once i is known to be composite, so 512 bytes
# hold 4096 numbers. Two local functions test and set a bit; they run in
# frames of their own and leave r6-r9 alone, as the calling convention says.
#
# registers in the main program:
#   r6 = i, the candidate       r7 = j, a multiple of i being crossed out
#   r8 = primes found so far    r9 = address of the bitmap

        mov %r9, %r10
        sub %r9, 512            # bitmap = the bottom of this frame
        mov %r1, 0
clear:                          # zero it (the kernel would insist)
        mov %r2, %r9
        add %r2, %r1
        stdw [%r2+0], 0
        add %r1, 8
        jlt %r1, 512, clear

        mov %r8, 0
        mov %r6, 2
outer:
        jge %r6, 4096, done     # for i = 2 .. 4095
        mov %r1, %r6
        mov %r2, %r9
        call local test_bit
        jne %r0, 0, next        # crossed out: composite
        add %r8, 1              # i is prime
        mov %r7, %r6
        mul %r7, %r6            # j = i * i
mark:
        jge %r7, 4096, next     # cross out i*i, i*i + i, ...
        mov %r1, %r7
        mov %r2, %r9
        call local set_bit
        add %r7, %r6
        ja mark
next:
        add %r6, 1
        ja outer
done:
        mov %r0, %r8
        exit

# test_bit(r1 = n, r2 = bitmap): r0 = bit n of the bitmap
test_bit:
        mov %r0, %r1
        rsh %r0, 3
        add %r0, %r2
        ldxb %r0, [%r0+0]
        and %r1, 7
        rsh %r0, %r1
        and %r0, 1
        exit

# set_bit(r1 = n, r2 = bitmap): set bit n of the bitmap
set_bit:
        mov %r3, %r1
        rsh %r3, 3
        add %r3, %r2
        ldxb %r4, [%r3+0]
        and %r1, 7
        mov %r5, 1
        lsh %r5, %r1
        or %r4, %r5
        stxb [%r3+0], %r4
        exit
