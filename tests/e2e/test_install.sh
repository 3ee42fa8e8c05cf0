#!/usr/bin/env bash
# make install / uninstall into a DESTDIR: the tree, the man page (renders
# with man if installed, warning-free under groff -ww), the bash completion
# (loads, completes commands, options and --chip names), --version and
# --help naming every command the man page documents.
set -u
. tests/e2e/lib.sh

T=$E2E_TMP
D=$T/root
make -s install DESTDIR="$D" PREFIX=/usr >"$T/install.log" 2>&1
check "make install DESTDIR PREFIX=/usr exits 0" test $? -eq 0
for f in usr/bin/spiflash usr/share/man/man1/spiflash.1 usr/share/bash-completion/completions/spiflash; do
	check "installed $f" test -s "$D/$f"
done
check "the binary is executable" test -x "$D/usr/bin/spiflash"
check "nothing else installed" test "$(find "$D" -type f | wc -l)" -eq 3
"$D/usr/bin/spiflash" --version >"$T/version" 2>&1
check "--version names the version and the protocols" \
	grep -qE '^spiflash [0-9]+\.[0-9]+\.[0-9]+ .*protocol' "$T/version"

if groff -man -Tutf8 -ww -z docs/spiflash.1 >"$T/groff.err" 2>&1 && [ ! -s "$T/groff.err" ]; then
	ok "groff -man -ww: no warnings"
else
	fail "groff -man -ww warns: $(head -c 300 "$T/groff.err")"
fi
if command -v man >/dev/null 2>&1; then
	MANWIDTH=80 man -l "$D/usr/share/man/man1/spiflash.1" >"$T/man.txt" 2>"$T/man.err"
	check "man -l renders the installed page" grep -q "EXIT STATUS" "$T/man.txt"
else
	groff -man -Tutf8 "$D/usr/share/man/man1/spiflash.1" >"$T/man.txt" 2>/dev/null
	ok "man not installed: rendered with groff"
fi
# every command and long option of --help is in the man page
missing=
for w in $(build/spiflash --help | sed -n 's/^  \([a-z]\+\) .*/\1/p') \
	 $(build/spiflash --help | grep -oE -- '--[a-z0-9-]+' | sort -u); do
	grep -qF -- "$(printf '%s' "$w" | sed 's/-/\\-/g')" docs/spiflash.1 || missing="$missing $w"
done
check "the man page documents every command and option of --help${missing:+ (missing:$missing)}" \
	test -z "$missing"
for s in EXAMPLES "EXIT STATUS" "JSON OUTPUT" REGIONS; do
	check "the man page has $s" grep -q "^$s" "$T/man.txt"
done

C=$D/usr/share/bash-completion/completions/spiflash
check "completion loads and registers spiflash" \
	bash -c "source '$C' && complete -p spiflash | grep -q _spiflash"
comp() {   # comp WORD...: completions of the last word
	PATH="$D/usr/bin:$PATH" bash -c 'source "$1"; shift; COMP_WORDS=("$@");
		COMP_CWORD=$(($# - 1)); _spiflash; printf "%s\n" "${COMPREPLY[@]}"' _ "$C" spiflash "$@"
}
check "completes commands" test "$(comp -d x wr)" = write
check "completes options" grep -qx -- --region-file <(comp --reg)
check "completes chip names from --list-chips" grep -qx W25Q128 <(comp --chip W25Q12)
check "completes programmers" test "$(comp -p ser)" = serprog

make -s uninstall DESTDIR="$D" PREFIX=/usr >>"$T/install.log" 2>&1
check "make uninstall removes every file" test "$(find "$D" -type f | wc -l)" -eq 0
e2e_summary
