r0 = 0
r3 = 0
r5 = r2
r5 &= -2
L4:
if r3 >= r5 goto L12
r4 = r1
r4 += r3
r6 = *(u16 *)(r4 + 0)
r6 = be16 r6
r0 += r6
r3 += 2
goto L4
L12:
if r3 >= r2 goto L18
r4 = r1
r4 += r3
r6 = *(u8 *)(r4 + 0)
r6 <<= 8
r0 += r6
L18:
r6 = r0
r6 >>= 16
if r6 == 0x0 goto L24
r0 &= 65535
r0 += r6
goto L18
L24:
r0 ^= 65535
exit
