# spiflash: firmware, protocol codec, client and the emulated programmer.
# `make` builds everything under build/, `make test` runs every test.

BUILD ?= build
CC ?= cc
HOST_CFLAGS ?= -std=c99 -O2 -g -Wall -Wextra -Werror=implicit-function-declaration -D_DEFAULT_SOURCE
PKG_CONFIG ?= pkg-config

.PHONY: all test clean demo deps bench
all:

deps:
	tools/deps.sh

# Builds everything (installing build dependencies first if missing) and
# runs the client against the emulated programmer.
demo:
	tools/deps.sh
	$(MAKE) all
	tools/demo.sh

include protocol/protocol.mk
include firmware/firmware.mk
include tests/emu/flashchip.mk
include tests/emu/emu.mk
include client/client.mk
include tests/tests.mk
include tests/fuzz/fuzz.mk
include tests/soak/soak.mk
include tools/install.mk client/scripting.mk
include tests/e2e/serprog.mk

# Throughput in the emulator, in simulated time (see BENCHMARKS.md).
bench: all
	tools/bench.sh

# After every fragment: prerequisites expand when read, so UNIT_TESTS must
# be complete here.
.PHONY: test test-unit test-e2e
test: all $(UNIT_TESTS)
	@tests/run_tests.sh $(UNIT_TESTS) -- $(E2E_TESTS)
test-unit: $(UNIT_TESTS)
	@tests/run_tests.sh $(UNIT_TESTS) --
test-e2e: all
	@tests/run_tests.sh -- $(E2E_TESTS)

$(BUILD):
	mkdir -p $@

clean:
	rm -rf $(BUILD)
