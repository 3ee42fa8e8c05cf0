#!/usr/bin/env bash
# Makes sure the Debian packages in tools/debian-packages.txt are installed:
# installs the missing ones with apt-get (as root, or through sudo), or says
# exactly what to run.
set -eu
cd "$(dirname "$0")/.."
missing=()
for p in $(cat tools/debian-packages.txt); do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done
[ "${#missing[@]}" -eq 0 ] && exit 0
echo "spiflash: installing build dependencies: ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then
	SUDO=
elif command -v sudo >/dev/null 2>&1; then
	SUDO=sudo
	echo "spiflash: this needs root; asking sudo" >&2
else
	echo "spiflash: missing packages; as root run: apt-get install --no-install-recommends ${missing[*]}" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends "${missing[@]}"
