(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 20
(002) ld       [26]
(003) jeq      #0xa000001       jt 6	jf 4
(004) ld       [30]
(005) jeq      #0xa000001       jt 6	jf 20
(006) ldb      [23]
(007) jeq      #0x6             jt 8	jf 13
(008) ldh      [20]
(009) jset     #0x1fff          jt 20	jf 10
(010) ldxb     4*([14]&0xf)
(011) ldb      [x + 27]
(012) jset     #0x2             jt 19	jf 20
(013) jeq      #0x11            jt 14	jf 20
(014) ldh      [20]
(015) jset     #0x1fff          jt 20	jf 16
(016) ldxb     4*([14]&0xf)
(017) ldh      [x + 16]
(018) jeq      #0x35            jt 19	jf 20
(019) ret      #262144
(020) ret      #0
