# spiflash: firmware, protocol codec, client and the emulated programmer.
# `make` builds everything under build/, `make test` runs every test.
#
# Each folder's rules sit beside its sources in a fragment of its own.  Host
# objects are compiled once each (build/host/PATH.o) with the compiler's own
# dependency files, so touching any source or header makes every binary built
# from it out of date (tests/e2e/test_rebuild.sh checks this).

BUILD ?= build
CC ?= cc
HOST_CFLAGS ?= -std=c99 -O2 -g -Wall -Wextra -Werror=implicit-function-declaration -D_DEFAULT_SOURCE
PKG_CONFIG ?= pkg-config
CMOCKA_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)

.PHONY: all test test-unit test-e2e clean demo deps bench bench-big
all:

# Host objects: one rule for every C file of the tree.  Test sources also see
# the firmware's headers and the unit-test helpers.
HOST_INC := -Iclient -Iprotocol -Ichipmodel
FW_SRC_DIR := firmware/spiflash/src
$(BUILD)/host/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(HOST_INC) $(HOST_INC_EXTRA) -MMD -MP -c $< -o $@
$(BUILD)/host/tests/%.o: HOST_INC_EXTRA = -I$(FW_SRC_DIR) -Itests/unit
# host objects of the sources in $(1)
host_objs = $(patsubst %.c,$(BUILD)/host/%.o,$(1))

# The same under ASan/UBSan (build/san/PATH.o), for the tests that cut
# buffers at every length and for the fuzz corpus replays.  gcc links the
# sanitizers on Debian 12; without them the tests still run, unchecked.
HOST_SAN := $(shell echo 'int main(void){return 0;}' | \
	$(CC) -x c -fsanitize=address,undefined -o /dev/null - >/dev/null 2>&1 && \
	echo -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
$(BUILD)/san/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(HOST_SAN) $(HOST_INC) $(HOST_INC_EXTRA) -MMD -MP -c $< -o $@
$(BUILD)/san/tests/%.o: HOST_INC_EXTRA = -I$(FW_SRC_DIR) -Itests/unit
san_objs = $(patsubst %.c,$(BUILD)/san/%.o,$(1))

include protocol/protocol.mk
include chipmodel/chipmodel.mk
include firmware/firmware.mk
include client/client.mk
include client/windows.mk
include client/inspect/inspect.mk
include tests/emu/emu.mk
include tests/unit/unit.mk
include tests/e2e/e2e.mk
include tests/fuzz/fuzz.mk
include tests/soak/soak.mk
include tools/install.mk

deps:
	tools/deps.sh

# Builds everything (installing build dependencies first if missing) and
# runs the client against the emulated programmer.
demo:
	tools/deps.sh
	$(MAKE) all
	tools/demo.sh

# Throughput in the emulator, in simulated time (see BENCHMARKS.md).
bench: all
	tools/bench.sh

# 16 MiB figures (W25Q128): full read, full write, one-sector re-flash at each
# rate above 115200, with and without the FTDI model (tools/bench.sh says why not 115200).
bench-big: all
	tools/bench.sh --big

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

-include $(shell find $(BUILD)/host $(BUILD)/emu $(BUILD)/san -name '*.d' 2>/dev/null)
