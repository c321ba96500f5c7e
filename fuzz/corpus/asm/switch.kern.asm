r0 = 0
r3 = 0
L2:
if r3 >= r2 goto L31
r4 = r1
r4 += r3
r5 = *(u8 *)(r4 + 0)
r5 &= 7
if r5 == 0x0 goto L16
if r5 == 0x1 goto L18
if r5 == 0x2 goto L20
if r5 == 0x3 goto L22
if r5 == 0x4 goto L24
if r5 == 0x5 goto L26
if r5 == 0x6 goto L28
r0 ^= 90
goto L29
L16:
r0 += 1
goto L29
L18:
r0 -= 3
goto L29
L20:
r0 <<= 1
goto L29
L22:
r0 >>= 1
goto L29
L24:
r0 *= 3
goto L29
L26:
r0 |= 16
goto L29
L28:
r0 &= 16777215
L29:
r3 += 1
goto L2
L31:
exit
