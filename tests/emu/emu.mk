# spiflash-emu: the firmware ELF in simavr with the chip model (chipmodel/) on
# the SPI bus and UART0 on a pty.  Needs libsimavr-dev and libelf-dev.

EMU_SRCS := tests/emu/emu_main.c tests/emu/emu_args.c tests/emu/emu_port.c \
	tests/emu/emu_spi.c tests/emu/emu_bridge.c tests/emu/emu_pty.c \
	tests/emu/emu_usb.c tests/emu/emu_fault.c tests/emu/emu_pace.c \
	tests/emu/emu_baud.c tests/emu/emu_image.c tests/emu/emu_wiring.c \
	tests/emu/emu_boot.c
# simavr's headers use GNU extensions: gnu99 instead of the tree's c99.
# The chip model takes opcode names from protocol/spinor.h.
EMU_CFLAGS = $(filter-out -std=c99,$(HOST_CFLAGS)) -std=gnu99 \
	-Itests/emu -Ichipmodel -Iprotocol $(shell $(PKG_CONFIG) --cflags simavr)
EMU_LIBS = $(shell $(PKG_CONFIG) --libs simavr) -lelf -lutil

$(BUILD)/emu/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(EMU_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/spiflash-emu: $(patsubst %.c,$(BUILD)/emu/%.o,$(EMU_SRCS) $(FLASHCHIP_SRCS)) | $(BUILD)
	$(CC) $(EMU_CFLAGS) -o $@ $^ $(EMU_LIBS)

all: $(BUILD)/spiflash-emu

# The emulator's own smoke test (builds tests/emu/emu_smoke_fw.c with avr-gcc).
E2E_TESTS += tests/emu/emu_smoke.sh
