r0 = 0
r1 = 1000000
L2:
r0 += 1
if r0 < r1 goto L2
exit
