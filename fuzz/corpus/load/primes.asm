# Count the primes below 5000 by trial division (div/mod heavy).
# Returns 669.
mov %r0, 0
mov %r1, 2
outer:
jge %r1, 5000, done
mov %r2, 2
inner:
mov %r3, %r2
mul %r3, %r2
jgt %r3, %r1, prime
mov %r4, %r1
mod %r4, %r2
jeq %r4, 0, next
add %r2, 1
ja inner
prime:
add %r0, 1
next:
add %r1, 1
ja outer
done:
exit
