r3 = 0
r4 = r2
r4 >>= 1
r5 = r1
r5 += r4
L5:
if r3 >= r4 goto L14
r6 = r1
r6 += r3
r7 = *(u8 *)(r6 + 0)
r8 = r5
r8 += r3
*(u8 *)(r8 + 0) = r7
r3 += 1
goto L5
L14:
r0 = r3
exit
