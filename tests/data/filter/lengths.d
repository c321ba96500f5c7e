(000) ld       #pktlen
(001) jge      #0x64            jt 2	jf 7
(002) ldh      [12]
(003) jeq      #0x800           jt 4	jf 7
(004) ldh      [16]
(005) jgt      #0x64            jt 6	jf 7
(006) ret      #262144
(007) ret      #0
