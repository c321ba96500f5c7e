(000) ldh      [12]
(001) jeq      #0x8100          jt 4	jf 2
(002) jeq      #0x88a8          jt 4	jf 3
(003) jeq      #0x9100          jt 4	jf 10
(004) ldh      [14]
(005) and      #0xfff
(006) jeq      #0x64            jt 7	jf 10
(007) ldh      [16]
(008) jeq      #0x86dd          jt 9	jf 10
(009) ret      #262144
(010) ret      #0
