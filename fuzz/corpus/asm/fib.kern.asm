// Fibonacci in the kernel (verifier log / llvm-objdump) dialect, with a
// local call: fib(r1) for r1 = 30, iteratively. Returns 832040.
r1 = 30
call fib
exit
fib:
r0 = 0
r2 = 1
loop:
if r1 == 0 goto out
r3 = r0
r3 += r2
r0 = r2
r2 = r3
r1 += -1
goto loop
out:
exit
