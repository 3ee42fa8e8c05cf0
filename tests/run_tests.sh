#!/usr/bin/env bash
# Runs unit test binaries (before --) and end-to-end scripts (after --),
# and totals their test cases: cmocka's "[  PASSED  ] N test(s)" and
# "[  FAILED  ] N test(s)" lines, and each script's last
# "N passed, M failed" line.  A binary or script that exits non-zero without
# reporting a failure counts as one failure.
set -u
passed=0
failed=0
failures=()
log_dir=$(mktemp -d)
trap 'rm -rf "$log_dir"' EXIT

run_one() {
	local kind=$1 t=$2 log rc p f
	log="$log_dir/$(basename "$t").log"
	echo "== $t"
	if [ "$kind" = unit ]; then
		"$t" >"$log" 2>&1
	else
		bash "$t" >"$log" 2>&1
	fi
	rc=$?
	cat "$log"
	if [ "$kind" = unit ]; then
		p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test(s)\./\1/p' "$log" | awk '{s+=$1} END {print s+0}')
		f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s), listed below:/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
	else
		p=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n1 | awk '{print $1}')
		f=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n1 | awk '{print $3}')
		p=${p:-0}
		f=${f:-0}
	fi
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" -ne 0 ]; then
		failures+=("$t")
	fi
}

kind=unit
for t in "$@"; do
	if [ "$t" = -- ]; then
		kind=e2e
		continue
	fi
	run_one "$kind" "$t"
done

echo
if [ "${#failures[@]}" -ne 0 ]; then
	echo "failing: ${failures[*]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
