#!/usr/bin/env bash
# The Arduino IDE compiles only the sketch folder, so the sketch carries a copy
# of the protocol files (PROTO_FILES in protocol/protocol.mk: the codec, the
# message layouts, the SPI NOR opcodes, the serprog commands).  Each must be
# the same bytes as protocol/, and every C file of protocol/ must be on the
# list, so a new one cannot be forgotten.
set -u
passed=0
failed=0
ok() { echo "ok: $1"; passed=$((passed + 1)); }
fail() { echo "FAIL: $1"; failed=$((failed + 1)); }

files=$(sed -n 's/^PROTO_FILES[[:space:]]*:=[[:space:]]*//p' protocol/protocol.mk)
if [ -n "$files" ]; then
	ok "PROTO_FILES lists: $(echo $files)"
else
	fail "no PROTO_FILES in protocol/protocol.mk"
fi
for f in protocol/*.c protocol/*.h; do
	f=${f#protocol/}
	case " $files " in
	*" $f "*) ok "protocol/$f is in PROTO_FILES" ;;
	*) fail "protocol/$f is not in PROTO_FILES (the sketch would not get it)" ;;
	esac
done
for f in $files; do
	if cmp -s "protocol/$f" "firmware/spiflash/src/$f"; then
		ok "firmware/spiflash/src/$f is identical to protocol/$f"
	else
		fail "firmware/spiflash/src/$f differs from protocol/$f (run 'make sync-proto')"
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
