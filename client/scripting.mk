# Scripting and regions: the JSON writer, flashrom layout files and the FMAP
# parser (unit tests), and their end-to-end tests against the emulator.

UNIT_TESTS += $(BUILD)/test_regions
$(BUILD)/test_regions: tests/unit/test_regions.c client/json.c client/layout.c client/fmap.c \
		client/json.h client/layout.h client/fmap.h | $(BUILD)
	$(CC) $(HOST_CFLAGS) -Iclient -fsanitize=address,undefined -o $@ tests/unit/test_regions.c \
		client/json.c client/layout.c client/fmap.c $(CMOCKA_LIBS)
E2E_TESTS += tests/e2e/test_scripting.sh
