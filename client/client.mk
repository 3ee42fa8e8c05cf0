# The spiflash command-line client, its unit tests, and the test-only
# LD_PRELOAD shim that lets libserialport open a pseudo-terminal.

SP_CFLAGS := $(shell $(PKG_CONFIG) --cflags libserialport)
SP_LIBS := $(shell $(PKG_CONFIG) --libs libserialport)
CLIENT_SRCS := $(wildcard client/*.c)
CLIENT_HDRS := $(wildcard client/*.h) protocol/proto.h
CLIENT_LIB_SRCS := $(filter-out client/main.c,$(CLIENT_SRCS))

all: $(BUILD)/spiflash $(BUILD)/sp_pty_shim.so

$(BUILD)/spiflash: $(CLIENT_SRCS) $(CLIENT_HDRS) protocol/proto.c | $(BUILD)
	$(CC) $(HOST_CFLAGS) $(SP_CFLAGS) -o $@ $(CLIENT_SRCS) protocol/proto.c $(SP_LIBS) -lz

$(BUILD)/sp_pty_shim.so: tests/e2e/sp_pty_shim.c | $(BUILD)
	$(CC) $(HOST_CFLAGS) -fPIC -shared -o $@ $< -ldl

UNIT_TESTS += $(BUILD)/test_opts
$(BUILD)/test_opts: tests/unit/test_opts.c client/opts.c client/opts.h | $(BUILD)
	$(CC) $(HOST_CFLAGS) -Iclient -o $@ tests/unit/test_opts.c client/opts.c $(CMOCKA_LIBS)

E2E_TESTS += tests/e2e/test_client.sh

# dev and ops against the real firmware core and chip model, in process
CLIENT_CORE_SRCS := client/dev.c client/dev_cmd.c client/dev_spi.c client/dev_stream.c client/ops.c client/ops_chip.c client/ops_write.c client/chips.c
include client/chips.mk
UNIT_TESTS += $(BUILD)/test_ops
$(BUILD)/test_ops: tests/unit/test_ops.c tests/unit/fw_bench.c tests/unit/fw_bench.h tests/unit/fw_host_hal.c $(CLIENT_CORE_SRCS) $(CLIENT_HDRS) \
		$(FW_CORE_SRCS) $(PROTO_SRCS) $(FLASHCHIP_SRCS) | $(BUILD)
	$(CC) $(HOST_CFLAGS) -Iclient -I$(FW_SRC_DIR) -Itests/unit -Itests/emu -o $@ \
		tests/unit/test_ops.c tests/unit/fw_bench.c tests/unit/fw_host_hal.c $(CLIENT_CORE_SRCS) \
		$(FW_CORE_SRCS) $(PROTO_SRCS) $(FLASHCHIP_SRCS) $(CMOCKA_LIBS) -lz
