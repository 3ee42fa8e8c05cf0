#!/usr/bin/env bash
# Replays the fuzzing seed corpus through the gcc builds of the harnesses
# (build/replay_<harness>), one run per file so each file is one test case:
# a crash, a sanitizer report or a broken invariant fails that file only.
# Run from the repository root; BUILD overrides build/.
set -u
build=${BUILD:-build}
passed=0
failed=0
for h in sfdp proto_dec opts; do
	bin="$build/replay_$h"
	if [ ! -x "$bin" ]; then
		echo "FAIL: $bin not built"
		failed=$((failed + 1))
		continue
	fi
	for f in tests/fuzz/corpus/"$h"/*; do
		[ -f "$f" ] || continue
		if out=$("$bin" "$f" 2>&1); then
			echo "ok: $h $f"
			passed=$((passed + 1))
		else
			echo "FAIL: $h $f"
			echo "$out" | tail -n 20
			failed=$((failed + 1))
		fi
	done
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
