#!/usr/bin/env bash
# The Arduino IDE compiles only the sketch folder, so the sketch carries a copy
# of the protocol codec.  It must be the same bytes as protocol/.
set -u
passed=0
failed=0
for f in proto.c proto.h; do
	if cmp -s "protocol/$f" "firmware/spiflash/src/$f"; then
		echo "ok: firmware/spiflash/src/$f is identical to protocol/$f"
		passed=$((passed + 1))
	else
		echo "FAIL: firmware/spiflash/src/$f differs from protocol/$f (run 'make sync-proto')"
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
