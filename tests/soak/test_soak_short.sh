#!/usr/bin/env bash
# 30 jobs of the fault campaign (tools/soak.py), seeds 1-30: link faults,
# unplugs and resets mid-operation, chip faults.  Every job must end without
# a silent corruption, a hang, a byte changed outside its range after the
# recovery run, or a wrong backup; every failed job must be finished by the
# same command without faults.  Ends with "N passed, M failed" (jobs).
set -u
exec timeout 240 python3 tools/soak.py -n "${SOAK_SHORT_N:-30}" --seed "${SOAK_SHORT_SEED:-1}" -j 2
