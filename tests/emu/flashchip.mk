# The flash chip model (used by the emulator and by host unit tests) and its
# unit test.  HOST_CFLAGS and BUILD come from the top-level Makefile.

FLASHCHIP_SRCS := tests/emu/flashchip.c tests/emu/fc_parts.c tests/emu/fc_fault.c
FLASHCHIP_HDRS := tests/emu/flashchip.h

UNIT_TESTS += $(BUILD)/test_flashchip

$(BUILD)/test_flashchip: tests/unit/test_flashchip.c tests/unit/fc_rig.h $(FLASHCHIP_SRCS) $(FLASHCHIP_HDRS) | $(BUILD)
	$(CC) $(HOST_CFLAGS) -Itests/emu -o $@ tests/unit/test_flashchip.c $(FLASHCHIP_SRCS) -lcmocka

UNIT_TESTS += $(BUILD)/test_flashchip2
$(BUILD)/test_flashchip2: tests/unit/test_flashchip2.c tests/unit/fc_rig.h $(FLASHCHIP_SRCS) $(FLASHCHIP_HDRS) | $(BUILD)
	$(CC) $(HOST_CFLAGS) -Itests/emu -o $@ tests/unit/test_flashchip2.c $(FLASHCHIP_SRCS) -lcmocka

# Build and run this one test alone: make test-flashchip
.PHONY: test-flashchip
test-flashchip: $(BUILD)/test_flashchip $(BUILD)/test_flashchip2
	$(BUILD)/test_flashchip && $(BUILD)/test_flashchip2

# The injected chip faults (fc_fault.c).
UNIT_TESTS += $(BUILD)/test_fc_fault
$(BUILD)/test_fc_fault: tests/unit/test_fc_fault.c $(FLASHCHIP_SRCS) $(FLASHCHIP_HDRS) | $(BUILD)
	$(CC) $(HOST_CFLAGS) -Itests/emu -o $@ tests/unit/test_fc_fault.c $(FLASHCHIP_SRCS) -lcmocka
