# inspect: what is inside a flash dump (client/inspect/inspect.h), its CLI
# driver build/insp-tool, its unit test, its cross-check against coreboot's
# tools, and its fuzzer.  Works included from the top Makefile or alone:
#
#   make -f client/inspect/inspect.mk BUILD=build build/test_inspect build/insp-tool
#   make -f client/inspect/inspect.mk BUILD=build build/replay_inspect
#   make -f client/inspect/inspect.mk BUILD=build inspect-fuzz INSPECT_FUZZ_SECONDS=180
#
# Objects go to $(BUILD)/inspect/ with the compiler's dependency files, so a
# touched source or header rebuilds every binary made from it.

BUILD ?= build
CC ?= cc
HOST_CFLAGS ?= -std=c99 -O2 -g -Wall -Wextra -Werror=implicit-function-declaration -D_DEFAULT_SOURCE
CMOCKA_LIBS ?= -lcmocka
FUZZ_CC ?= clang

INSP_DIR := client/inspect
INSP_SRCS := $(addprefix $(INSP_DIR)/,insp_identify.c insp_image.c insp_ifd.c insp_fmap.c \
	insp_uefi.c insp_cbfs.c insp_misc.c insp_diff.c insp_print.c insp_print_json.c \
	insp_print_diff.c)
INSP_LIBS := -lz
INSP_INC := -I$(INSP_DIR)

# Sanitizers for the unit test and the corpus replay (which cut buffers at
# every length), when this compiler can link them.
INSP_SAN := $(shell echo 'int main(void){return 0;}' | \
	$(CC) -x c -fsanitize=address,undefined -o /dev/null - >/dev/null 2>&1 && \
	echo -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)

insp_objs = $(patsubst %.c,$(BUILD)/inspect/obj/%.o,$(1))
insp_san_objs = $(patsubst %.c,$(BUILD)/inspect/san/%.o,$(1))

$(BUILD)/inspect/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(INSP_INC) -MMD -MP -c $< -o $@
$(BUILD)/inspect/san/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(INSP_SAN) $(INSP_INC) -MMD -MP -c $< -o $@

.PHONY: all inspect-fuzz
all: $(BUILD)/insp-tool

$(BUILD)/insp-tool: $(call insp_objs,$(INSP_SRCS) $(INSP_DIR)/insp_tool.c)
	$(CC) $(HOST_CFLAGS) -o $@ $^ $(INSP_LIBS)

UNIT_TESTS += $(BUILD)/test_inspect
$(BUILD)/test_inspect: $(call insp_san_objs,$(INSP_SRCS) tests/unit/test_inspect.c)
	$(CC) $(HOST_CFLAGS) $(INSP_SAN) -o $@ $^ $(CMOCKA_LIBS) $(INSP_LIBS)

E2E_TESTS += tests/e2e/test_inspect_tools.sh

# The seed corpus through the harness, without libFuzzer (tests/fuzz/replay_main.c)
$(BUILD)/replay_inspect: $(call insp_san_objs,$(INSP_SRCS) tests/fuzz/fuzz_inspect.c \
		tests/fuzz/replay_main.c)
	$(CC) $(HOST_CFLAGS) $(INSP_SAN) -o $@ $^ $(INSP_LIBS)
all: $(BUILD)/replay_inspect

# libFuzzer build, for inspect-fuzz only
INSP_FUZZ_FLAGS := -std=c99 -O1 -g -D_DEFAULT_SOURCE -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer
$(BUILD)/fuzz/fuzz_inspect: $(INSP_SRCS) tests/fuzz/fuzz_inspect.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(INSP_FUZZ_FLAGS) $(INSP_INC) -MMD -MP -o $@ $(INSP_SRCS) \
		tests/fuzz/fuzz_inspect.c $(INSP_LIBS)

INSPECT_FUZZ_SECONDS ?= 60
inspect-fuzz: $(BUILD)/fuzz/fuzz_inspect
	@mkdir -p $(BUILD)/fuzz/corpus-inspect $(BUILD)/fuzz/crash-inspect
	$(BUILD)/fuzz/fuzz_inspect -max_total_time=$(INSPECT_FUZZ_SECONDS) -print_final_stats=1 \
		-max_len=65536 -artifact_prefix=$(BUILD)/fuzz/crash-inspect/ \
		$(BUILD)/fuzz/corpus-inspect tests/fuzz/corpus/inspect >$(BUILD)/fuzz/inspect.log 2>&1; \
	execs=$$(sed -n 's/^stat::number_of_executed_units: *//p' $(BUILD)/fuzz/inspect.log); \
	crashes=$$(ls $(BUILD)/fuzz/crash-inspect | wc -l); \
	echo "fuzz_inspect: $${execs:-?} executions, $$crashes crashes (log $(BUILD)/fuzz/inspect.log)"; \
	[ "$$crashes" -eq 0 ]

-include $(shell find $(BUILD)/inspect $(BUILD)/fuzz -name '*.d' 2>/dev/null)
