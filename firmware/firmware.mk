# Firmware: the sketch in firmware/spiflash/ built with avr-gcc over Debian's
# Arduino core, without the IDE.  The core goes into an archive, as the IDE
# does, so only the parts the sketch uses are linked.
#
#   make                      build/spiflash.elf and .hex (Uno/Nano, 328P)
#   make firmware-boards      also Leonardo (32U4) and Mega 2560
#   make upload PORT=/dev/ttyACM0 [BOARD=uno|nano|leonardo|mega]

ARDUINO_DIR ?= /usr/share/arduino/hardware/arduino/avr
AVR_CC  ?= avr-gcc
AVR_CXX ?= avr-g++
AVR_AR  ?= avr-gcc-ar
AVR_OBJCOPY ?= avr-objcopy
AVR_SIZE ?= avr-size
SKETCH_DIR := firmware/spiflash
SKETCH_SRCS := $(wildcard $(SKETCH_DIR)/src/*.c) $(wildcard $(SKETCH_DIR)/src/*.cpp)
SKETCH_HDRS := $(wildcard $(SKETCH_DIR)/src/*.h)
FW_BOARDS := uno leonardo mega

fw_mcu_uno := atmega328p
fw_variant_uno := standard
fw_defs_uno := -DARDUINO_AVR_UNO
fw_mcu_leonardo := atmega32u4
fw_variant_leonardo := leonardo
fw_defs_leonardo := -DARDUINO_AVR_LEONARDO -DUSB_VID=0x2341 -DUSB_PID=0x8036 \
	'-DUSB_MANUFACTURER="Arduino LLC"' '-DUSB_PRODUCT="Arduino Leonardo"'
fw_mcu_mega := atmega2560
fw_variant_mega := mega
fw_defs_mega := -DARDUINO_AVR_MEGA2560

# -flto as the Arduino IDE builds: whole-program inlining across the core,
# the SPI library and the sketch saves 1190 bytes on the Uno (16258 -> 15068)
FW_COMMON = -Os -g -flto -ffunction-sections -fdata-sections -DF_CPU=16000000L \
	-DARDUINO=10807 -DARDUINO_ARCH_AVR -I$(ARDUINO_DIR)/cores/arduino \
	-I$(ARDUINO_DIR)/libraries/SPI/src
FW_CFLAGS = -std=gnu11 -Wall -Wextra
FW_CXXFLAGS = -std=gnu++11 -fno-exceptions -fno-threadsafe-statics -fpermissive \
	-DDECIMAL_DIG=__DECIMAL_DIG__

# $(1): board name.  Defines the rules that build build/fw-$(1)/spiflash.elf.
define fw_board
FW_$(1)_DIR := $(BUILD)/fw-$(1)
FW_$(1)_FLAGS := -mmcu=$(fw_mcu_$(1)) $(FW_COMMON) $(fw_defs_$(1)) \
	-I$(ARDUINO_DIR)/variants/$(fw_variant_$(1))
FW_$(1)_CORE_SRCS := $(wildcard $(ARDUINO_DIR)/cores/arduino/*.c \
	$(ARDUINO_DIR)/cores/arduino/*.cpp $(ARDUINO_DIR)/cores/arduino/*.S)
FW_$(1)_CORE_OBJS := $$(patsubst $(ARDUINO_DIR)/cores/arduino/%,$$(FW_$(1)_DIR)/core/%.o,$$(FW_$(1)_CORE_SRCS))
FW_$(1)_OBJS := $$(FW_$(1)_DIR)/spiflash.ino.o \
	$$(patsubst $(SKETCH_DIR)/src/%,$$(FW_$(1)_DIR)/src/%.o,$(SKETCH_SRCS)) \
	$$(FW_$(1)_DIR)/SPI.cpp.o

$$(FW_$(1)_DIR)/core/%.c.o: $(ARDUINO_DIR)/cores/arduino/%.c
	@mkdir -p $$(@D)
	$(AVR_CC) $$(FW_$(1)_FLAGS) -std=gnu11 -w -c $$< -o $$@
$$(FW_$(1)_DIR)/core/%.cpp.o: $(ARDUINO_DIR)/cores/arduino/%.cpp
	@mkdir -p $$(@D)
	$(AVR_CXX) $$(FW_$(1)_FLAGS) $(FW_CXXFLAGS) -w -c $$< -o $$@
$$(FW_$(1)_DIR)/core/%.S.o: $(ARDUINO_DIR)/cores/arduino/%.S
	@mkdir -p $$(@D)
	$(AVR_CC) $$(FW_$(1)_FLAGS) -x assembler-with-cpp -c $$< -o $$@
$$(FW_$(1)_DIR)/core.a: $$(FW_$(1)_CORE_OBJS)
	rm -f $$@
	$(AVR_AR) rcs $$@ $$^
$$(FW_$(1)_DIR)/SPI.cpp.o: $(ARDUINO_DIR)/libraries/SPI/src/SPI.cpp
	@mkdir -p $$(@D)
	$(AVR_CXX) $$(FW_$(1)_FLAGS) $(FW_CXXFLAGS) -w -c $$< -o $$@
$$(FW_$(1)_DIR)/spiflash.ino.o: $(SKETCH_DIR)/spiflash.ino $(SKETCH_HDRS)
	@mkdir -p $$(@D)
	$(AVR_CXX) $$(FW_$(1)_FLAGS) $(FW_CXXFLAGS) -Wall -x c++ -include Arduino.h -c $$< -o $$@
$$(FW_$(1)_DIR)/src/%.c.o: $(SKETCH_DIR)/src/%.c $(SKETCH_HDRS)
	@mkdir -p $$(@D)
	$(AVR_CC) $$(FW_$(1)_FLAGS) $(FW_CFLAGS) -c $$< -o $$@
$$(FW_$(1)_DIR)/src/%.cpp.o: $(SKETCH_DIR)/src/%.cpp $(SKETCH_HDRS)
	@mkdir -p $$(@D)
	$(AVR_CXX) $$(FW_$(1)_FLAGS) $(FW_CXXFLAGS) -Wall -c $$< -o $$@
$$(FW_$(1)_DIR)/spiflash.elf: $$(FW_$(1)_OBJS) $$(FW_$(1)_DIR)/core.a
	$(AVR_CC) -mmcu=$(fw_mcu_$(1)) -Os -flto -Wl,--gc-sections -o $$@ $$(FW_$(1)_OBJS) $$(FW_$(1)_DIR)/core.a -lm
	@$(AVR_SIZE) --mcu=$(fw_mcu_$(1)) -C $$@ | grep -E 'Program|Data|Device' | sed 's/^/  $(1): /'
$$(FW_$(1)_DIR)/spiflash.hex: $$(FW_$(1)_DIR)/spiflash.elf
	$(AVR_OBJCOPY) -O ihex -R .eeprom $$< $$@
endef

# The sketch built to boot at 1 Mbaud (build/fw-uno1m/spiflash.elf): serprog
# has no command to change the line rate, and flashrom talks at the rate its
# dev=PORT:BAUD names, so a faster line means a sketch that starts there.
fw_mcu_uno1m := atmega328p
fw_variant_uno1m := standard
fw_defs_uno1m := -DARDUINO_AVR_UNO -DSPIFLASH_BAUD=1000000UL

# The sketch with the portable C of the stream loops instead of their
# assembly (build/fw-unoc/spiflash.elf): tests/e2e/test_stream_asm.sh checks
# that both send the same bytes.
fw_mcu_unoc := atmega328p
fw_variant_unoc := standard
fw_defs_unoc := -DARDUINO_AVR_UNO -DSPIFLASH_STREAM_C

$(foreach b,$(FW_BOARDS) uno1m unoc,$(eval $(call fw_board,$(b))))

$(BUILD)/spiflash.elf: $(BUILD)/fw-uno/spiflash.elf
	cp $< $@
$(BUILD)/spiflash.hex: $(BUILD)/fw-uno/spiflash.hex
	cp $< $@

.PHONY: firmware firmware-boards upload
firmware: $(BUILD)/spiflash.elf $(BUILD)/spiflash.hex
firmware-boards: firmware $(BUILD)/fw-leonardo/spiflash.hex $(BUILD)/fw-mega/spiflash.hex
all: firmware $(BUILD)/fw-uno1m/spiflash.elf $(BUILD)/fw-unoc/spiflash.elf

BOARD ?= uno
PORT ?= /dev/ttyACM0
avrdude_uno := -p atmega328p -c arduino -b 115200
avrdude_nano := -p atmega328p -c arduino -b 57600
avrdude_leonardo := -p atmega32u4 -c avr109
avrdude_mega := -p atmega2560 -c wiring -b 115200
fw_hex_nano := uno
upload: firmware-boards
	@command -v avrdude >/dev/null 2>&1 || tools/deps.sh
	avrdude $(avrdude_$(BOARD)) -P $(PORT) -D -U flash:w:$(BUILD)/fw-$(or $(fw_hex_$(BOARD)),$(BOARD))/spiflash.hex:i
