r0 = 0
r1 = 2
L2:
if r1 >= 0x1388 goto L15
r2 = 2
L4:
r3 = r2
r3 *= r2
if r3 > r1 goto L12
r4 = r1
r4 %= r2
if r4 == 0x0 goto L13
r2 += 1
goto L4
L12:
r0 += 1
L13:
r1 += 1
goto L2
L15:
exit
