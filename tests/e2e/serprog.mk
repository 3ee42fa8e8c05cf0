# serprog both ways and linux_spi: the firmware's serprog mode on the host,
# the client's raw-SPI backends against fakes, and end-to-end tests with
# Debian's flashrom against the emulated firmware.  Included by the top
# Makefile after firmware.mk, client.mk and tests.mk.

UNIT_TESTS += $(BUILD)/test_fw_serprog
$(BUILD)/test_fw_serprog: tests/unit/test_fw_serprog.c tests/unit/fw_host_hal.c $(FW_CORE_SRCS) \
		$(PROTO_SRCS) $(FLASHCHIP_SRCS) $(wildcard $(FW_SRC_DIR)/*.h) \
		tests/emu/flashchip.h | $(BUILD)
	$(CC) $(HOST_CFLAGS) $(PROTO_CFLAGS) -I$(FW_SRC_DIR) -Itests/unit -Itests/emu -o $@ \
		tests/unit/test_fw_serprog.c tests/unit/fw_host_hal.c $(FW_CORE_SRCS) \
		$(PROTO_SRCS) $(FLASHCHIP_SRCS) $(CMOCKA_LIBS) -lz

# -p linux_spi over a fake spidev (the ioctl seam) on the chip model
UNIT_TESTS += $(BUILD)/test_spi_linux
$(BUILD)/test_spi_linux: tests/unit/test_spi_linux.c client/spi_linux.c $(CLIENT_CORE_SRCS) \
		$(CLIENT_HDRS) $(PROTO_SRCS) $(FLASHCHIP_SRCS) | $(BUILD)
	$(CC) $(HOST_CFLAGS) -Iclient -Itests/emu -o $@ tests/unit/test_spi_linux.c \
		client/spi_linux.c $(CLIENT_CORE_SRCS) $(PROTO_SRCS) $(FLASHCHIP_SRCS) \
		$(CMOCKA_LIBS) -lz

# The sketch built to boot at 1 Mbaud (build/fw-uno1m/spiflash.elf): serprog
# has no command to change the line rate, and flashrom talks at the rate its
# dev=PORT:BAUD names, so a faster line means a sketch that starts there.
fw_mcu_uno1m := atmega328p
fw_variant_uno1m := standard
fw_defs_uno1m := -DARDUINO_AVR_UNO -DSPIFLASH_BAUD=1000000UL
$(eval $(call fw_board,uno1m))
all: $(BUILD)/fw-uno1m/spiflash.elf

# Debian's flashrom against the emulated firmware; the client's serprog
# backend against it; switching between the two on one emulator.
E2E_TESTS += tests/e2e/test_serprog.sh
