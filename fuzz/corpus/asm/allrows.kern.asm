w1 += 7
w1 += w2
r1 += 7
r1 += r2
w1 -= 7
w1 -= w2
r1 -= 7
r1 -= r2
w1 *= 7
w1 *= w2
r1 *= 7
r1 *= r2
w1 /= 7
w1 /= w2
r1 /= 7
r1 /= r2
w1 s/= 7
w1 s/= w2
r1 s/= 7
r1 s/= r2
w1 |= 7
w1 |= w2
r1 |= 7
r1 |= r2
w1 &= 7
w1 &= w2
r1 &= 7
r1 &= r2
w1 <<= 7
w1 <<= w2
r1 <<= 7
r1 <<= r2
w1 >>= 7
w1 >>= w2
r1 >>= 7
r1 >>= r2
w1 %= 7
w1 %= w2
r1 %= 7
r1 %= r2
w1 s%= 7
w1 s%= w2
r1 s%= 7
r1 s%= r2
w1 ^= 7
w1 ^= w2
r1 ^= 7
r1 ^= r2
w1 = 7
w1 = w2
r1 = 7
r1 = r2
w1 s>>= 7
w1 s>>= w2
r1 s>>= 7
r1 s>>= r2
w3 = -w3
r3 = -r3
w1 = (s8)w2
w1 = (s16)w2
r1 = (s8)r2
r1 = (s16)r2
r1 = (s32)r2
r3 = le16 r3
r3 = le32 r3
r3 = le64 r3
r3 = be16 r3
r3 = be32 r3
r3 = be64 r3
r3 = bswap16 r3
r3 = bswap32 r3
r3 = bswap64 r3
r4 = 0x1122334455667788 ll
r0 = *(u32 *)skb[12]
r0 = *(u16 *)skb[12]
r0 = *(u8 *)skb[12]
r0 = *(u32 *)skb[r1 + 14]
r0 = *(u16 *)skb[r1 + 14]
r0 = *(u8 *)skb[r1 + 14]
r0 = *(u32 *)(r10 - 8)
r0 = *(u16 *)(r10 - 8)
r0 = *(u8 *)(r10 - 8)
r0 = *(u64 *)(r10 - 8)
r0 = *(s32 *)(r10 - 8)
r0 = *(s16 *)(r10 - 8)
r0 = *(s8 *)(r10 - 8)
*(u32 *)(r10 - 8) = 9
*(u16 *)(r10 - 8) = 9
*(u8 *)(r10 - 8) = 9
*(u64 *)(r10 - 8) = 9
*(u32 *)(r10 - 8) = r1
*(u16 *)(r10 - 8) = r1
*(u8 *)(r10 - 8) = r1
*(u64 *)(r10 - 8) = r1
lock *(u32 *)(r10 - 8) += r1
lock *(u64 *)(r10 - 8) += r1
lock *(u32 *)(r10 - 8) |= r1
lock *(u64 *)(r10 - 8) |= r1
lock *(u32 *)(r10 - 8) &= r1
lock *(u64 *)(r10 - 8) &= r1
lock *(u32 *)(r10 - 8) ^= r1
lock *(u64 *)(r10 - 8) ^= r1
r1 = atomic_fetch_add((u32 *)(r10 - 8), r1)
r1 = atomic64_fetch_add((u64 *)(r10 - 8), r1)
r1 = atomic_fetch_or((u32 *)(r10 - 8), r1)
r1 = atomic64_fetch_or((u64 *)(r10 - 8), r1)
r1 = atomic_fetch_and((u32 *)(r10 - 8), r1)
r1 = atomic64_fetch_and((u64 *)(r10 - 8), r1)
r1 = atomic_fetch_xor((u32 *)(r10 - 8), r1)
r1 = atomic64_fetch_xor((u64 *)(r10 - 8), r1)
r1 = atomic_xchg((u32 *)(r10 - 8), r1)
r1 = atomic64_xchg((u64 *)(r10 - 8), r1)
r0 = atomic_cmpxchg((u32 *)(r10 - 8), r0, r1)
r0 = atomic64_cmpxchg((u64 *)(r10 - 8), r0, r1)
goto L116
L116:
gotol L117
L117:
if r1 == 0x5 goto L118
L118:
if r1 == r2 goto L119
L119:
if w1 == 0x5 goto L120
L120:
if w1 == w2 goto L121
L121:
if r1 > 0x5 goto L122
L122:
if r1 > r2 goto L123
L123:
if w1 > 0x5 goto L124
L124:
if w1 > w2 goto L125
L125:
if r1 >= 0x5 goto L126
L126:
if r1 >= r2 goto L127
L127:
if w1 >= 0x5 goto L128
L128:
if w1 >= w2 goto L129
L129:
if r1 & 0x5 goto L130
L130:
if r1 & r2 goto L131
L131:
if w1 & 0x5 goto L132
L132:
if w1 & w2 goto L133
L133:
if r1 != 0x5 goto L134
L134:
if r1 != r2 goto L135
L135:
if w1 != 0x5 goto L136
L136:
if w1 != w2 goto L137
L137:
if r1 s> 0x5 goto L138
L138:
if r1 s> r2 goto L139
L139:
if w1 s> 0x5 goto L140
L140:
if w1 s> w2 goto L141
L141:
if r1 s>= 0x5 goto L142
L142:
if r1 s>= r2 goto L143
L143:
if w1 s>= 0x5 goto L144
L144:
if w1 s>= w2 goto L145
L145:
if r1 < 0x5 goto L146
L146:
if r1 < r2 goto L147
L147:
if w1 < 0x5 goto L148
L148:
if w1 < w2 goto L149
L149:
if r1 <= 0x5 goto L150
L150:
if r1 <= r2 goto L151
L151:
if w1 <= 0x5 goto L152
L152:
if w1 <= w2 goto L153
L153:
if r1 s< 0x5 goto L154
L154:
if r1 s< r2 goto L155
L155:
if w1 s< 0x5 goto L156
L156:
if w1 s< w2 goto L157
L157:
if r1 s<= 0x5 goto L158
L158:
if r1 s<= r2 goto L159
L159:
if w1 s<= 0x5 goto L160
L160:
if w1 s<= w2 goto L161
L161:
call bpf_ktime_get_ns
callx r2
exit
