#!/bin/sh
# Install the Debian packages bpfkit needs, and only those that are missing.
# Run by `make run`, `make test`, `make bench` and `make fuzz`; safe to run again.
# Without root, it names what is missing and how to install it, and fails.
set -eu

PKGS="gcc make pkg-config libelf-dev libdw-dev zlib1g-dev libcmocka-dev libbpf-dev \
clang libclang-rt-14-dev llvm scdoc binutils libpcap-dev systemtap-sdt-dev"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
	echo "deps: missing packages:$missing (no apt-get here; install them by hand)" >&2
	exit 1
fi
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages:$missing" >&2
	echo "deps: run as root, or: sudo apt-get install$missing" >&2
	exit 1
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
# A fresh machine has no package lists; refresh them once before installing.
if ! apt-get install -y --no-install-recommends $missing >/dev/null 2>&1; then
	apt-get update -q >/dev/null
	apt-get install -y --no-install-recommends $missing >/dev/null
fi
