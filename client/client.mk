# The spiflash command-line client, in layers: transport/ (serial ports),
# prog/ (programmers), chips/ (chip knowledge), core/ (the flash algorithms
# and nothing-lost), cli/ (options, commands, messages).  Everything but
# main.c also goes into an archive that the unit tests link against.

SP_CFLAGS := $(shell $(PKG_CONFIG) --cflags libserialport)
SP_LIBS := $(shell $(PKG_CONFIG) --libs libserialport)
CLIENT_LAYERS := transport prog chips core cli inspect
# inspect/insp_tool.c has a main of its own (build/insp-tool)
CLIENT_ALL_SRCS := $(filter-out client/inspect/insp_tool.c,$(wildcard client/*.c) \
	$(foreach d,$(CLIENT_LAYERS),$(wildcard client/$(d)/*.c)))
# Platform files: *_win32.c and *_none.c are for the Windows build only
# (client/windows.mk), which leaves out the POSIX ones in turn.
CLIENT_SRCS := $(filter-out %_win32.c %_none.c,$(CLIENT_ALL_SRCS))
# macOS (not tried: no Mac here): no spidev; the rest is POSIX and Homebrew's
# libserialport
ifeq ($(shell uname -s),Darwin)
CLIENT_SRCS := $(filter-out client/prog/spi_linux.c %_linux.c,$(CLIENT_SRCS)) client/prog/spi_linux_none.c
endif
CLIENT_LIB_OBJS := $(call host_objs,$(filter-out client/cli/main.c,$(CLIENT_SRCS)))
CLIENT_LIB := $(BUILD)/libspiflash.a
CLIENT_LIBS := $(SP_LIBS) -lz

$(BUILD)/host/client/transport/%.o: HOST_INC_EXTRA = $(SP_CFLAGS)

$(CLIENT_LIB): $(CLIENT_LIB_OBJS) $(PROTO_OBJS) $(FLASHCHIP_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/spiflash: $(call host_objs,client/cli/main.c) $(CLIENT_LIB)
	$(CC) $(HOST_CFLAGS) -o $@ $^ $(CLIENT_LIBS)

all: $(BUILD)/spiflash
