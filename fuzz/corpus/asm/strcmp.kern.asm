r3 = r2
r3 >>= 1
r4 = r1
r4 += r3
L4:
r5 = *(u8 *)(r1 + 0)
r6 = *(u8 *)(r4 + 0)
if r5 != r6 goto L11
if r5 == 0x0 goto L14
r1 += 1
r4 += 1
goto L4
L11:
r0 = r5
r0 -= r6
exit
L14:
r0 = 0
exit
