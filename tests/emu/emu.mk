# spiflash-emu: the firmware ELF in simavr with a simulated SPI flash on the
# bus and UART0 on a pty.  Needs libsimavr-dev and libelf-dev.

EMU_SRCS := tests/emu/emu_main.c tests/emu/emu_spi.c tests/emu/emu_bridge.c \
	tests/emu/emu_fault.c tests/emu/emu_pace.c tests/emu/emu_baud.c \
	tests/emu/emu_image.c
EMU_HDRS := tests/emu/emu_spi.h tests/emu/emu_bridge.h tests/emu/emu_image.h \
	tests/emu/emu_pace.h tests/emu/emu_baud.h tests/emu/flashchip.h

# The chip model's fragment defines FLASHCHIP_SRCS; it may be read after this
# one, and prerequisites expand at parse time, hence the default (the recipe
# expands later and uses the final value).
FLASHCHIP_SRCS ?= tests/emu/flashchip.c tests/emu/fc_parts.c tests/emu/fc_fault.c

# simavr's headers use GNU extensions: gnu99 instead of the tree's c99.
EMU_CFLAGS = $(filter-out -std=c99,$(HOST_CFLAGS)) -std=gnu99 \
	-Itests/emu $(shell $(PKG_CONFIG) --cflags simavr)
EMU_LIBS = $(shell $(PKG_CONFIG) --libs simavr) -lelf -lutil

$(BUILD)/spiflash-emu: $(EMU_SRCS) $(EMU_HDRS) $(FLASHCHIP_SRCS) | $(BUILD)
	$(CC) $(EMU_CFLAGS) -o $@ $(EMU_SRCS) $(FLASHCHIP_SRCS) $(EMU_LIBS)

all: $(BUILD)/spiflash-emu

# The emulator's own smoke test (builds tests/emu/emu_smoke_fw.c with avr-gcc).
E2E_TESTS += tests/emu/emu_smoke.sh
