# Chip knowledge: the part table, SFDP use, block protection.  Included by
# client/client.mk right after CLIENT_CORE_SRCS, which it extends.

CHIPS_SRCS := client/chips.c client/chips_table.c client/chips_sfdp.c client/sfdp.c client/wp.c
CLIENT_CORE_SRCS += client/chips_table.c client/chips_sfdp.c client/sfdp.c client/wp.c client/ops_wp.c

# the table, SFDP into a part, and the emulated parts' SFDP against the table
UNIT_TESTS += $(BUILD)/test_chips
$(BUILD)/test_chips: tests/unit/test_chips.c $(CHIPS_SRCS) $(CLIENT_HDRS) tests/emu/fc_parts.c \
		tests/emu/flashchip.h | $(BUILD)
	$(CC) $(HOST_CFLAGS) -Iclient -Itests/emu -o $@ tests/unit/test_chips.c $(CHIPS_SRCS) \
		tests/emu/fc_parts.c $(CMOCKA_LIBS)

# protection decode/encode by table, and against the chip model: unprotect
# keeps QE, protect sets exactly the range the model then refuses
UNIT_TESTS += $(BUILD)/test_wp
$(BUILD)/test_wp: tests/unit/test_wp.c tests/unit/fw_bench.c tests/unit/fw_host_hal.c $(CLIENT_CORE_SRCS) $(CLIENT_HDRS) \
		$(FW_CORE_SRCS) $(PROTO_SRCS) $(FLASHCHIP_SRCS) | $(BUILD)
	$(CC) $(HOST_CFLAGS) -Iclient -I$(FW_SRC_DIR) -Itests/unit -Itests/emu -o $@ \
		tests/unit/test_wp.c tests/unit/fw_bench.c tests/unit/fw_host_hal.c $(CLIENT_CORE_SRCS) \
		$(FW_CORE_SRCS) $(PROTO_SRCS) $(FLASHCHIP_SRCS) $(CMOCKA_LIBS) -lz

E2E_TESTS += tests/e2e/test_chips.sh
