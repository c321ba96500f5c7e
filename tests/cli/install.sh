#!/bin/sh
# make install / make uninstall into a DESTDIR, from the objects already
# built in $BUILD (nothing is rebuilt): the files are there, pkg-config finds
# bpfkit.pc and its flags compile and link a program against the installed
# library (shared, and the static archive with Libs.private and
# Requires.private), the bash completion completes objects, commands, flags
# and files, and uninstall leaves no file behind.
. "$(dirname "$0")/lib.sh"

: "${BUILD:=build}"
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d /tmp/bpfkit-install-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
dest=$tmp/dest
# someone else's man page, which uninstall must leave alone
mkdir -p "$dest/usr/share/man/man8" && : >"$dest/usr/share/man/man8/other.8"

if [ ! -x "$BUILD/bpfkit" ] || [ ! -f "$BUILD/libbpfkit.so" ] || [ ! -f "$BUILD/man/bpfkit.8" ]; then
	skip "make install" "$BUILD is not built (make test-build)"
	done_testing
	exit 0
fi
# -q: is anything out of date? The test installs what is built; it does not build.
if ! make -C "$root" -q --no-print-directory BUILD="$BUILD" all >/dev/null 2>&1; then
	echo "# note: make says $BUILD is out of date; install will relink it"
fi

make -C "$root" -s --no-print-directory BUILD="$BUILD" DESTDIR="$dest" PREFIX=/usr install >"$tmp/install.log" 2>&1
rc=$?
check "make install DESTDIR=... PREFIX=/usr succeeds" [ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || sed 's/^/# /' "$tmp/install.log" | tail -n 20

for f in bin/bpfkit lib/libbpfkit.a lib/libbpfkit.so.0 lib/libbpfkit.so lib/pkgconfig/bpfkit.pc \
	include/bpfkit/isa.h include/bpfkit/vm.h include/bpfkit/pkt.h share/man/man8/bpfkit.8 share/man/man8/bpfkit-trace.8 \
	share/man/man7/bpfkit-lang.7 share/man/man7/bpfkit-tools.7 share/man/man1/bpfkit-flamegraph.1 share/man/man8/bpfkit-filter.8 \
	share/bash-completion/completions/bpfkit share/bpfkit/tools/profile.bt share/bpfkit/tools/execsnoop.bt; do
	check "installs /usr/$f" [ -e "$dest/usr/$f" ]
done
check "the installed binary runs" contains "$("$dest/usr/bin/bpfkit" version)" "bpfkit "
check "every script of tools/ is installed, executable" \
	equals "$(cd "$dest/usr/share/bpfkit/tools" && find . -name '*.bt' -perm -0100 | sort)" "$(cd "$root/tools" && find . -name '*.bt' | sort)"
check "the installed profile.bt compiles (-d)" eval '"$dest/usr/bin/bpfkit" trace -d "$dest/usr/share/bpfkit/tools/profile.bt" >/dev/null'

# pkg-config, through the DESTDIR
pc() {
	pkg-config --with-path="$dest/usr/lib/pkgconfig" --define-variable=prefix="$dest/usr" "$@"
}
if ! command -v pkg-config >/dev/null 2>&1; then
	skip "pkg-config" "pkg-config is not installed"
else
	check "pkg-config finds bpfkit" pc --exists bpfkit
	check "bpfkit.pc says prefix=/usr" contains "$(cat "$dest/usr/lib/pkgconfig/bpfkit.pc")" "prefix=/usr
"
	check "its version is the binary's" \
		equals "bpfkit $(pc --modversion bpfkit)" "$("$dest/usr/bin/bpfkit" version)"
	check "--cflags point into the prefix" equals "$(pc --cflags bpfkit | sed 's/ *$//')" "-I$dest/usr/include"
	check "--libs link -lbpfkit from the prefix" contains "$(pc --libs bpfkit)" "-L$dest/usr/lib -lbpfkit"
	libs=$(pc --static --libs bpfkit)
	for l in -lelf -lz -lbpf -lm; do
		check "--static --libs bring $l" contains "$libs " "$l "
	done

	cat >"$tmp/t.c" <<'EOF'
#include <stdio.h>
#include <string.h>
#include <bpfkit/isa.h>

int main(void)
{
	static const char text[] = "mov %r0, 42\nexit\n";
	struct bpfkit_prog *p = NULL;
	struct bpfkit_diag d;

	if (bpfkit_asm(text, strlen(text), BPFKIT_DIALECT_AUTO, &p, &d))
		return 1;
	printf("%zu insns\n", p->len);
	bpfkit_prog__free(p);
	return 0;
}
EOF
	# an ASan build's library needs the sanitizer runtime in the program too
	san=
	nm -D "$BUILD/libbpfkit.so" 2>/dev/null | grep -q __asan && san="-fsanitize=address,undefined"
	# shellcheck disable=SC2046,SC2086 # pkg-config's flags split on purpose
	cc $san -o "$tmp/t" "$tmp/t.c" $(pc --cflags --libs bpfkit) >"$tmp/cc.log" 2>&1
	rc=$?
	check "a program compiles and links with pkg-config's flags" [ "$rc" -eq 0 ]
	[ "$rc" -eq 0 ] || sed 's/^/# /' "$tmp/cc.log" | head -n 20
	out=$(LD_LIBRARY_PATH="$dest/usr/lib" "$tmp/t" 2>&1)
	check "and runs against the installed libbpfkit.so" equals "$out" "2 insns"
	check "which it needs by its soname" \
		contains "$(LD_LIBRARY_PATH="$dest/usr/lib" ldd "$tmp/t" 2>&1)" "libbpfkit.so.0 => $dest/usr/lib/"
	# the whole static archive, so every object's dependencies must be in the .pc
	# shellcheck disable=SC2046,SC2086
	cc $san -o "$tmp/ts" "$tmp/t.c" $(pc --cflags bpfkit) -Wl,--whole-archive "$dest/usr/lib/libbpfkit.a" \
		-Wl,--no-whole-archive $(pc --static --libs bpfkit | sed 's/-lbpfkit//') >"$tmp/cc.log" 2>&1
	rc=$?
	check "the whole static archive links with --static --libs" [ "$rc" -eq 0 ]
	[ "$rc" -eq 0 ] || sed 's/^/# /' "$tmp/cc.log" | head -n 20
	check "and that program runs" equals "$("$tmp/ts" 2>&1)" "2 insns"
fi

# bash completion: COMPREPLY for the words so far (the last one being completed)
comp() {
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"
		COMP_POINT=${#COMP_LINE}; _bpfkit
		[ ${#COMPREPLY[@]} -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' \
		_ "$dest/usr/share/bash-completion/completions/bpfkit" "$@"
}
if ! command -v bash >/dev/null 2>&1; then
	skip "bash completion" "bash is not installed"
else
	check "completion registers _bpfkit for bpfkit" contains \
		"$(bash -c '. "$1"; complete -p bpfkit' _ "$dest/usr/share/bash-completion/completions/bpfkit")" \
		"-F _bpfkit bpfkit"
	check "objects" equals "$(comp bpfkit '')" "asm disasm filter flamegraph help trace version vm "
	check "global flags" equals "$(comp bpfkit --p)" "--pretty "
	check "objects by prefix after a global flag" equals "$(comp bpfkit -j v)" "version vm "
	check "vm's commands" equals "$(comp bpfkit vm '')" "help jit-dump plugin run "
	check "vm run's flags, through the prefix 'r'" equals "$(comp bpfkit vm r --b)" "--budget "
	check "vm run's --test-helpers" equals "$(comp bpfkit vm run --te)" "--test-helpers "
	check "vm run's map flags" equals "$(comp bpfkit vm run --cp)" "--cpu --cpus "
	check "vm run's --maps" equals "$(comp bpfkit vm run --ma)" "--maps "
	check "free text after --repeat" equals "$(comp bpfkit vm run --repeat '')" ""
	check "asm's flags" equals "$(comp bpfkit asm --d)" "--dialect "
	check "disasm's flags" equals "$(comp bpfkit disasm --no)" "--no-labels "
	check "flamegraph's flags" equals "$(comp bpfkit flamegraph --min)" "--minwidth "
	check "values of --colors for flamegraph" equals "$(comp bpfkit flamegraph -c h)" "hot "
	check "filter's flags" equals "$(comp bpfkit fi --eng)" "--engine "
	check "values of --engine for filter" equals "$(comp bpfkit filter --engine '')" "cbpf jit kernel vm "
	check "trace's flags" equals "$(comp bpfkit trace --inf)" "--info "
	check "trace -B's modes" equals "$(comp bpfkit trace -B n)" "none "
	check "plugin's flags" equals "$(comp bpfkit vm plugin --e)" "--elf "
	check "values of -D for asm" equals "$(comp bpfkit asm -D '')" "auto conf kern "
	check "values of --format for disasm" equals "$(comp bpfkit disasm --format '')" "asm auto data elf hex raw "
	check "values of -f for trace" equals "$(comp bpfkit trace -f '')" "folded json text "
	check "--jit=OPTS" equals "$(comp bpfkit vm run --jit = b)" "blind blind,retpoline "
	mkdir -p "$tmp/files" && : >"$tmp/files/prog.asm" && : >"$tmp/files/prog.o"
	check "an input file for flamegraph" equals "$(comp bpfkit fl -i "$tmp/files/prog.o")" "$tmp/files/prog.o "
	check "a file where vm run expects one" equals "$(comp bpfkit vm run "$tmp/files/prog.a")" \
		"$tmp/files/prog.asm "
	check "a file for disasm, after flags" equals "$(comp bpfkit disasm --bytes "$tmp/files/prog.")" \
		"$tmp/files/prog.asm $tmp/files/prog.o "
	check "a file for -o" equals "$(comp bpfkit asm -o "$tmp/files/prog.o")" "$tmp/files/prog.o "
	check "'help' first after an object" equals "$(comp bpfkit trace he)" "help "
	check "nothing after version" equals "$(comp bpfkit version '')" ""
	check "free text after -e" equals "$(comp bpfkit asm -e '')" ""
fi

# uninstall: every file install wrote is gone
make -C "$root" -s --no-print-directory BUILD="$BUILD" DESTDIR="$dest" PREFIX=/usr uninstall >"$tmp/un.log" 2>&1
rc=$?
check "make uninstall succeeds" [ "$rc" -eq 0 ]
left=$(find "$dest" ! -type d | sed "s|^$dest||")
check "make uninstall leaves no file of bpfkit behind, and others' alone" equals "$left" "/usr/share/man/man8/other.8"

done_testing
