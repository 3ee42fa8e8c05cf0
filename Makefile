# spiflash: firmware, protocol codec, client and the emulated programmer.
# `make` builds everything under build/, `make test` runs every test.

BUILD ?= build
CC ?= cc
HOST_CFLAGS ?= -std=c99 -O2 -g -Wall -Wextra -Werror=implicit-function-declaration -D_DEFAULT_SOURCE
PKG_CONFIG ?= pkg-config

.PHONY: all test clean
all:

include protocol/protocol.mk
include firmware/firmware.mk
include tests/emu/flashchip.mk
include tests/emu/emu.mk
include client/client.mk
include tests/tests.mk

$(BUILD):
	mkdir -p $@

clean:
	rm -rf $(BUILD)
