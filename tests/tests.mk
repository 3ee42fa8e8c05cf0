# Tests.  `make test` builds everything, runs every unit test binary in
# UNIT_TESTS and every end-to-end script in E2E_TESTS, and ends with one line
# "N passed, M failed" counted over all test cases.

CMOCKA_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)
FW_SRC_DIR := firmware/spiflash/src

UNIT_TESTS += $(BUILD)/test_proto
$(BUILD)/test_proto: tests/unit/test_proto.c $(PROTO_SRCS) protocol/proto.h | $(BUILD)
	$(CC) $(HOST_CFLAGS) $(PROTO_CFLAGS) -o $@ tests/unit/test_proto.c $(PROTO_SRCS) $(CMOCKA_LIBS) -lz


E2E_TESTS += tests/e2e/test_proto_copy.sh

FW_CORE_SRCS := $(FW_SRC_DIR)/fw_core.c $(FW_SRC_DIR)/fw_flash.c $(FW_SRC_DIR)/fw_serprog.c
UNIT_TESTS += $(BUILD)/test_fw_core
$(BUILD)/test_fw_core: tests/unit/test_fw_core.c tests/unit/fw_host_hal.c $(FW_CORE_SRCS) \
		$(PROTO_SRCS) $(FLASHCHIP_SRCS) $(wildcard $(FW_SRC_DIR)/*.h) tests/emu/flashchip.h | $(BUILD)
	$(CC) $(HOST_CFLAGS) $(PROTO_CFLAGS) -I$(FW_SRC_DIR) -Itests/unit -Itests/emu -o $@ \
		tests/unit/test_fw_core.c tests/unit/fw_host_hal.c $(FW_CORE_SRCS) \
		$(PROTO_SRCS) $(FLASHCHIP_SRCS) $(CMOCKA_LIBS) -lz

$(BUILD)/proto_probe: tests/e2e/proto_probe.c $(PROTO_SRCS) protocol/proto.h | $(BUILD)
	$(CC) $(HOST_CFLAGS) $(PROTO_CFLAGS) -o $@ tests/e2e/proto_probe.c $(PROTO_SRCS) -lz
all: $(BUILD)/proto_probe
E2E_TESTS += tests/e2e/test_firmware_emu.sh
