add32 %r1, 7
add32 %r1, %r2
add %r1, 7
add %r1, %r2
sub32 %r1, 7
sub32 %r1, %r2
sub %r1, 7
sub %r1, %r2
mul32 %r1, 7
mul32 %r1, %r2
mul %r1, 7
mul %r1, %r2
div32 %r1, 7
div32 %r1, %r2
div %r1, 7
div %r1, %r2
sdiv32 %r1, 7
sdiv32 %r1, %r2
sdiv %r1, 7
sdiv %r1, %r2
or32 %r1, 7
or32 %r1, %r2
or %r1, 7
or %r1, %r2
and32 %r1, 7
and32 %r1, %r2
and %r1, 7
and %r1, %r2
lsh32 %r1, 7
lsh32 %r1, %r2
lsh %r1, 7
lsh %r1, %r2
rsh32 %r1, 7
rsh32 %r1, %r2
rsh %r1, 7
rsh %r1, %r2
mod32 %r1, 7
mod32 %r1, %r2
mod %r1, 7
mod %r1, %r2
smod32 %r1, 7
smod32 %r1, %r2
smod %r1, 7
smod %r1, %r2
xor32 %r1, 7
xor32 %r1, %r2
xor %r1, 7
xor %r1, %r2
mov32 %r1, 7
mov32 %r1, %r2
mov %r1, 7
mov %r1, %r2
arsh32 %r1, 7
arsh32 %r1, %r2
arsh %r1, 7
arsh %r1, %r2
neg32 %r3
neg %r3
movsx832 %r1, %r2
movsx1632 %r1, %r2
movsx864 %r1, %r2
movsx1664 %r1, %r2
movsx3264 %r1, %r2
le16 %r3
le32 %r3
le64 %r3
be16 %r3
be32 %r3
be64 %r3
bswap16 %r3
bswap32 %r3
bswap64 %r3
lddw %r4, 0x1122334455667788
ldabsw 12
ldabsh 12
ldabsb 12
ldindw %r1, 14
ldindh %r1, 14
ldindb %r1, 14
ldxw %r0, [%r10-8]
ldxh %r0, [%r10-8]
ldxb %r0, [%r10-8]
ldxdw %r0, [%r10-8]
ldxsw %r0, [%r10-8]
ldxsh %r0, [%r10-8]
ldxsb %r0, [%r10-8]
stw [%r10-8], 9
sth [%r10-8], 9
stb [%r10-8], 9
stdw [%r10-8], 9
stxw [%r10-8], %r1
stxh [%r10-8], %r1
stxb [%r10-8], %r1
stxdw [%r10-8], %r1
lock add32 [%r10-8], %r1
lock add [%r10-8], %r1
lock or32 [%r10-8], %r1
lock or [%r10-8], %r1
lock and32 [%r10-8], %r1
lock and [%r10-8], %r1
lock xor32 [%r10-8], %r1
lock xor [%r10-8], %r1
lock fetch add32 [%r10-8], %r1
lock fetch add [%r10-8], %r1
lock fetch or32 [%r10-8], %r1
lock fetch or [%r10-8], %r1
lock fetch and32 [%r10-8], %r1
lock fetch and [%r10-8], %r1
lock fetch xor32 [%r10-8], %r1
lock fetch xor [%r10-8], %r1
lock xchg32 [%r10-8], %r1
lock xchg [%r10-8], %r1
lock cmpxchg32 [%r10-8], %r1
lock cmpxchg [%r10-8], %r1
ja L116
L116:
ja32 L117
L117:
jeq %r1, 5, L118
L118:
jeq %r1, %r2, L119
L119:
jeq32 %r1, 5, L120
L120:
jeq32 %r1, %r2, L121
L121:
jgt %r1, 5, L122
L122:
jgt %r1, %r2, L123
L123:
jgt32 %r1, 5, L124
L124:
jgt32 %r1, %r2, L125
L125:
jge %r1, 5, L126
L126:
jge %r1, %r2, L127
L127:
jge32 %r1, 5, L128
L128:
jge32 %r1, %r2, L129
L129:
jset %r1, 5, L130
L130:
jset %r1, %r2, L131
L131:
jset32 %r1, 5, L132
L132:
jset32 %r1, %r2, L133
L133:
jne %r1, 5, L134
L134:
jne %r1, %r2, L135
L135:
jne32 %r1, 5, L136
L136:
jne32 %r1, %r2, L137
L137:
jsgt %r1, 5, L138
L138:
jsgt %r1, %r2, L139
L139:
jsgt32 %r1, 5, L140
L140:
jsgt32 %r1, %r2, L141
L141:
jsge %r1, 5, L142
L142:
jsge %r1, %r2, L143
L143:
jsge32 %r1, 5, L144
L144:
jsge32 %r1, %r2, L145
L145:
jlt %r1, 5, L146
L146:
jlt %r1, %r2, L147
L147:
jlt32 %r1, 5, L148
L148:
jlt32 %r1, %r2, L149
L149:
jle %r1, 5, L150
L150:
jle %r1, %r2, L151
L151:
jle32 %r1, 5, L152
L152:
jle32 %r1, %r2, L153
L153:
jslt %r1, 5, L154
L154:
jslt %r1, %r2, L155
L155:
jslt32 %r1, 5, L156
L156:
jslt32 %r1, %r2, L157
L157:
jsle %r1, 5, L158
L158:
jsle %r1, %r2, L159
L159:
jsle32 %r1, 5, L160
L160:
jsle32 %r1, %r2, L161
L161:
call 5
call %r2
exit
