# The protocol codec is compiled into the client and the host tests from here,
# and into the firmware from the copy in firmware/spiflash/src (the Arduino IDE
# only compiles the sketch folder); test_proto_copy proves the two identical.
PROTO_SRCS := protocol/proto.c
PROTO_CFLAGS := -Iprotocol

.PHONY: sync-proto
sync-proto:
	cp protocol/proto.c protocol/proto.h firmware/spiflash/src/
