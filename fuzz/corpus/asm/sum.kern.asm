r0 = 0
r3 = r1
r3 += r2
L3:
if r1 >= r3 goto L8
r4 = *(u8 *)(r1 + 0)
r0 += r4
r1 += 1
goto L3
L8:
exit
