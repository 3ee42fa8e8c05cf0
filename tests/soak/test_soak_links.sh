#!/usr/bin/env bash
# Link-fault jobs of the campaign that once failed and must now finish (exit
# 0, the right bytes), not only fail clean:
#   7009  an erase on a line that stalls 764 ms at a time: the silence before
#         a resend doubles on each try, so the stall is outlasted
#   7253  a read whose answers come damaged and stall: a noisy line, so its
#         reads get shorter, not "the device stopped answering"
#   7142  a read at the automatic rate on a line noisy both ways: the 2 Mbaud
#         test fails after frames came back, and HELLO at the boot rate is
#         said until the device's 3 s at the new rate have passed
# Ends with "N passed, M failed".
set -u
pass=0 fail=0
for seed in 7009 7253 7142; do
	out=$(timeout 120 python3 tools/soak.py -n 1 --seed "$seed" -j 1 2>&1)
	if printf '%s\n' "$out" | grep -q '^| completed | 1 |$'; then
		echo "ok: soak job $seed finishes"
		pass=$((pass + 1))
	else
		echo "FAIL: soak job $seed does not finish: $(printf '%s\n' "$out" | grep -m1 '^job\|->')"
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
