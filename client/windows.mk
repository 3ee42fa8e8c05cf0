# `make windows`: build/win/spiflash.exe, the client cross-built with
# Debian's mingw-w64 (gcc-mingw-w64-x86-64, zlib from libz-mingw-w64-dev) and
# linked -static, so the exe needs only Windows' own DLLs (tests/e2e/
# test_windows.sh runs it under Wine and checks its imports).
#
# The same sources as on Linux, less the POSIX-only files (libserialport
# and termios links, flock, spidev, fork), plus the *_win32.c and *_none.c
# files in their place.  Every file sees compat/win32/compat.h first: it
# sends the calls that take a file name to UTF-8 aware Win32 versions
# (plat_win32.c), so the portable code keeps its POSIX calls.

WIN_CC ?= x86_64-w64-mingw32-gcc
WIN_BUILD := $(BUILD)/win
# -Wno-format: the client's format(printf) attributes mean Microsoft's printf
# to mingw, which lacks %zu; __USE_MINGW_ANSI_STDIO gives the C99 one that
# runs, and the Linux build checks the formats.
WIN_CFLAGS := -std=c99 -O2 -Wall -Wextra -Wno-format -Werror=implicit-function-declaration \
	-D__USE_MINGW_ANSI_STDIO=1 -D_WIN32_WINNT=0x0601 -DWIN32_LEAN_AND_MEAN \
	-include client/compat/win32/compat.h -Iclient/compat/win32
WIN_POSIX_ONLY := client/plat_posix.c client/transport/link.c client/transport/link_serial.c \
	client/transport/link_tty.c client/transport/bridge.c client/transport/lock.c client/prog/spi_linux.c \
	client/cli/multi.c
# a new file that only builds on POSIX or Linux: name it *_posix.c or *_linux.c
WIN_SRCS := $(filter-out $(WIN_POSIX_ONLY) %_posix.c %_linux.c,$(CLIENT_ALL_SRCS)) \
	$(PROTO_SRCS) $(FLASHCHIP_SRCS)
WIN_OBJS := $(patsubst %.c,$(WIN_BUILD)/%.o,$(WIN_SRCS))
WIN_LIBS := -lz -lsetupapi -ladvapi32 -lwinpthread

$(WIN_BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(WIN_CC) $(WIN_CFLAGS) $(HOST_INC) $(WIN_CFLAGS_EXTRA) -MMD -MP -c $< -o $@
# main.c's main is called by wmain (plat_win32.c) with UTF-8 arguments
$(WIN_BUILD)/client/cli/main.o: WIN_CFLAGS_EXTRA = -Dmain=spiflash_main

$(WIN_BUILD)/spiflash.exe: $(WIN_OBJS)
	$(WIN_CC) -municode -static -o $@ $^ $(WIN_LIBS)

.PHONY: windows
windows: $(WIN_BUILD)/spiflash.exe

-include $(shell find $(WIN_BUILD) -name '*.d' 2>/dev/null)
