# The protocol codec is compiled into the client and the host tests from here,
# and into the firmware from the copy in firmware/spiflash/src (the Arduino IDE
# only compiles the sketch folder); tests/e2e/test_proto_copy.sh proves the
# copies identical.

PROTO_SRCS := protocol/proto.c
PROTO_FILES := proto.c proto.h
PROTO_OBJS := $(call host_objs,$(PROTO_SRCS))

.PHONY: sync-proto
sync-proto:
	cp $(addprefix protocol/,$(PROTO_FILES)) $(FW_SRC_DIR)/
