# The randomized fault campaign (tools/soak.py): `make soak` runs SOAK_N
# seeded jobs (default 1000) with SOAK_J workers and prints the table;
# `make soak SOAK_N=30` is the short one.  `make test` runs 30 jobs
# (tests/soak/test_soak_short.sh).

SOAK_N ?= 1000
SOAK_SEED ?= 1
SOAK_J ?= 2

.PHONY: soak
soak: all
	python3 tools/soak.py -n $(SOAK_N) --seed $(SOAK_SEED) -j $(SOAK_J) \
		--table $(BUILD)/soak-table.md

E2E_TESTS += tests/soak/test_soak_short.sh tests/soak/test_soak_links.sh
