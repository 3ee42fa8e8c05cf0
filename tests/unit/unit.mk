# Unit tests: cmocka binaries, each linked from host objects (Makefile) and,
# for the client's parts, the client archive.  FW_CORE_OBJS is the sketch's
# portable core, run on the host against the chip model (fw_host_hal.c).

FW_CORE_SRCS := $(FW_SRC_DIR)/fw_core.c $(FW_SRC_DIR)/fw_flash.c $(FW_SRC_DIR)/fw_serprog.c \
	$(FW_SRC_DIR)/fw_diag.c $(FW_SRC_DIR)/fw_stream.c $(FW_SRC_DIR)/fw_read_stream.c
FW_HOST_OBJS := $(call host_objs,$(FW_CORE_SRCS) tests/unit/fw_host_hal.c)
FW_BENCH_OBJS := $(call host_objs,tests/unit/fw_bench.c) $(FW_HOST_OBJS)
UNIT_LINK = $(CC) $(HOST_CFLAGS) -o $@ $^ $(CMOCKA_LIBS)

# $(1): test name; $(2): objects besides tests/unit/$(1).c; $(3): libraries
define unit_test
UNIT_TESTS += $(BUILD)/$(1)
$(BUILD)/$(1): $(call host_objs,tests/unit/$(1).c) $(2)
	$$(UNIT_LINK) $(3)
endef

$(eval $(call unit_test,test_proto,$(PROTO_OBJS),-lz))
$(eval $(call unit_test,test_proto_msg,$(PROTO_OBJS)))
FW_FRAMES_OBJS := $(call host_objs,tests/unit/fw_frames.c) $(FW_HOST_OBJS)
$(eval $(call unit_test,test_fw_core,$(FW_FRAMES_OBJS) $(PROTO_OBJS) $(FLASHCHIP_OBJS),-lz))
$(eval $(call unit_test,test_fw_stream,$(FW_FRAMES_OBJS) $(PROTO_OBJS) $(FLASHCHIP_OBJS),-lz))
$(eval $(call unit_test,test_fw_diag,$(FW_HOST_OBJS) $(PROTO_OBJS) $(FLASHCHIP_OBJS),-lz))
$(eval $(call unit_test,test_fw_serprog,$(FW_HOST_OBJS) $(PROTO_OBJS) $(FLASHCHIP_OBJS),-lz))
$(eval $(call unit_test,test_flashchip,$(FLASHCHIP_OBJS)))
$(eval $(call unit_test,test_flashchip2,$(FLASHCHIP_OBJS)))
$(eval $(call unit_test,test_fc_fault,$(FLASHCHIP_OBJS)))
$(eval $(call unit_test,test_opts,$(CLIENT_LIB),$(CLIENT_LIBS)))
$(eval $(call unit_test,test_chips,$(CLIENT_LIB),$(CLIENT_LIBS)))
$(eval $(call unit_test,test_ops,$(FW_BENCH_OBJS) $(CLIENT_LIB),$(CLIENT_LIBS)))
$(eval $(call unit_test,test_wp,$(FW_BENCH_OBJS) $(CLIENT_LIB),$(CLIENT_LIBS)))
$(eval $(call unit_test,test_backup,$(FW_BENCH_OBJS) $(CLIENT_LIB),$(CLIENT_LIBS)))
$(eval $(call unit_test,test_spi_linux,$(CLIENT_LIB),$(CLIENT_LIBS)))
$(eval $(call unit_test,test_dummy,$(CLIENT_LIB),$(CLIENT_LIBS)))
$(eval $(call unit_test,test_bridge,$(CLIENT_LIB),$(CLIENT_LIBS)))
$(eval $(call unit_test,test_dumps,$(CLIENT_LIB),$(CLIENT_LIBS)))

# Under the sanitizers: these cut buffers at every length into exact-size
# heap blocks, which only ASan can check.
UNIT_TESTS += $(BUILD)/test_regions $(BUILD)/test_sfdp $(BUILD)/test_sfdp_malformed
$(BUILD)/test_regions: $(call san_objs,tests/unit/test_regions.c client/cli/json.c \
		client/core/layout.c client/core/fmap.c)
	$(CC) $(HOST_CFLAGS) $(HOST_SAN) -o $@ $^ $(CMOCKA_LIBS)
$(BUILD)/test_sfdp: $(call san_objs,tests/unit/test_sfdp.c client/chips/sfdp.c chipmodel/fc_parts.c)
	$(CC) $(HOST_CFLAGS) $(HOST_SAN) -o $@ $^ $(CMOCKA_LIBS)
$(BUILD)/test_sfdp_malformed: $(call san_objs,tests/unit/test_sfdp_malformed.c client/chips/sfdp.c)
	$(CC) $(HOST_CFLAGS) $(HOST_SAN) -o $@ $^ $(CMOCKA_LIBS)
