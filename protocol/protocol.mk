# The protocol codec (proto.c/.h), its message layouts (proto_msg.h), the SPI
# NOR opcodes (spinor.h) and the serprog commands (serprog.h) are compiled into
# the client and the host tests from here, and into the firmware from the
# copies in firmware/spiflash/src (the Arduino IDE only compiles the sketch
# folder): `make sync-proto` copies them, tests/e2e/test_proto_copy.sh proves
# the copies identical.

PROTO_SRCS := protocol/proto.c
PROTO_FILES := proto.c proto.h proto_msg.h spinor.h serprog.h
PROTO_OBJS := $(call host_objs,$(PROTO_SRCS))

.PHONY: sync-proto
sync-proto:
	cp $(addprefix protocol/,$(PROTO_FILES)) $(FW_SRC_DIR)/
