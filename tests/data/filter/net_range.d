(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 16
(002) ld       [26]
(003) and      #0xffffff00
(004) jeq      #0xc0a80100      jt 5	jf 16
(005) ldb      [23]
(006) jeq      #0x84            jt 9	jf 7
(007) jeq      #0x6             jt 9	jf 8
(008) jeq      #0x11            jt 9	jf 16
(009) ldh      [20]
(010) jset     #0x1fff          jt 16	jf 11
(011) ldxb     4*([14]&0xf)
(012) ldh      [x + 16]
(013) jge      #0x3e8           jt 14	jf 16
(014) jgt      #0x7d0           jt 16	jf 15
(015) ret      #262144
(016) ret      #0
