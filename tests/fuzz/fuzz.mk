# Fuzzing: libFuzzer harnesses for the decoders that read bytes from outside
# (the SFDP parser, the protocol frame decoder), their seed corpus, and a
# replay of that corpus that `make test` runs with plain $(CC).
# BUILD, CC and HOST_CFLAGS come from the top-level Makefile.
#
#   make fuzz                    each harness for FUZZ_SECONDS (default 60)
#   make fuzz FUZZ_SECONDS=300   with clang's libFuzzer, into $(BUILD)/fuzz/
#
# The seeds in tests/fuzz/corpus/<harness>/ are read-only; what libFuzzer
# finds goes to $(BUILD)/fuzz/corpus-<harness>/, crashes to $(BUILD)/fuzz/.

FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang
FUZZ_FLAGS := -std=c99 -O1 -g -D_DEFAULT_SOURCE -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_HARNESSES := sfdp proto_dec opts

# The replay builds use ASan/UBSan when this compiler links them (gcc does on
# Debian 12); otherwise they still run every seed, just without the checks.
FUZZ_REPLAY_SAN := $(shell echo 'int main(void){return 0;}' | \
	$(CC) -x c -fsanitize=address,undefined -o /dev/null - >/dev/null 2>&1 && \
	echo -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)

SFDP_SRCS := client/sfdp.c
FUZZ_SFDP_SRCS := tests/fuzz/fuzz_sfdp.c $(SFDP_SRCS)
FUZZ_PROTO_SRCS := tests/fuzz/fuzz_proto_dec.c $(PROTO_SRCS)
FUZZ_OPTS_SRCS := tests/fuzz/fuzz_opts.c client/opts.c

$(BUILD)/replay_sfdp: $(FUZZ_SFDP_SRCS) tests/fuzz/replay_main.c client/sfdp.h | $(BUILD)
	$(CC) $(HOST_CFLAGS) $(FUZZ_REPLAY_SAN) -Iclient -o $@ \
		tests/fuzz/replay_main.c $(FUZZ_SFDP_SRCS)

$(BUILD)/replay_proto_dec: $(FUZZ_PROTO_SRCS) tests/fuzz/replay_main.c protocol/proto.h | $(BUILD)
	$(CC) $(HOST_CFLAGS) $(FUZZ_REPLAY_SAN) $(PROTO_CFLAGS) -o $@ \
		tests/fuzz/replay_main.c $(FUZZ_PROTO_SRCS)

$(BUILD)/replay_opts: $(FUZZ_OPTS_SRCS) tests/fuzz/replay_main.c client/opts.h | $(BUILD)
	$(CC) $(HOST_CFLAGS) $(FUZZ_REPLAY_SAN) -Iclient -o $@ \
		tests/fuzz/replay_main.c $(FUZZ_OPTS_SRCS)

# The SFDP unit test, under the sanitizers too: it cuts every dump at every
# length into exact-size heap blocks, which only ASan can check.
UNIT_TESTS += $(BUILD)/test_sfdp
$(BUILD)/test_sfdp: tests/unit/test_sfdp.c tests/unit/sfdp_dumps.h $(SFDP_SRCS) client/sfdp.h \
		$(FLASHCHIP_HDRS) tests/emu/fc_parts.c | $(BUILD)
	$(CC) $(HOST_CFLAGS) $(FUZZ_REPLAY_SAN) -Iclient -Itests/emu -Itests/unit -o $@ \
		tests/unit/test_sfdp.c $(SFDP_SRCS) tests/emu/fc_parts.c $(CMOCKA_LIBS)

E2E_TESTS += tests/e2e/test_fuzz_replay.sh

# Prerequisites named here rather than through UNIT_TESTS, so they hold
# wherever this file is included (make expands a rule's prerequisites when
# it reads the rule).
test test-unit: $(BUILD)/test_sfdp
test test-e2e: $(BUILD)/replay_sfdp $(BUILD)/replay_proto_dec $(BUILD)/replay_opts

$(BUILD)/fuzz:
	mkdir -p $@

$(BUILD)/fuzz/fuzz_sfdp: $(FUZZ_SFDP_SRCS) client/sfdp.h | $(BUILD)/fuzz
	$(FUZZ_CC) $(FUZZ_FLAGS) -Iclient -o $@ $(FUZZ_SFDP_SRCS)

$(BUILD)/fuzz/fuzz_proto_dec: $(FUZZ_PROTO_SRCS) protocol/proto.h | $(BUILD)/fuzz
	$(FUZZ_CC) $(FUZZ_FLAGS) $(PROTO_CFLAGS) -o $@ $(FUZZ_PROTO_SRCS)

$(BUILD)/fuzz/fuzz_opts: $(FUZZ_OPTS_SRCS) client/opts.h | $(BUILD)/fuzz
	$(FUZZ_CC) $(FUZZ_FLAGS) -Iclient -o $@ $(FUZZ_OPTS_SRCS)

# Runs every harness (even after one crashes), prints its executions and
# crashes, and fails if any crashed.
.PHONY: fuzz
fuzz: $(addprefix $(BUILD)/fuzz/fuzz_,$(FUZZ_HARNESSES))
	@fail=0; for h in $(FUZZ_HARNESSES); do \
		mkdir -p $(BUILD)/fuzz/corpus-$$h $(BUILD)/fuzz/crash-$$h; \
		echo "== fuzz_$$h: $(FUZZ_SECONDS) s"; \
		$(BUILD)/fuzz/fuzz_$$h -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			-artifact_prefix=$(BUILD)/fuzz/crash-$$h/ \
			$(BUILD)/fuzz/corpus-$$h tests/fuzz/corpus/$$h >$(BUILD)/fuzz/$$h.log 2>&1; \
		execs=$$(sed -n 's/^stat::number_of_executed_units: *//p' $(BUILD)/fuzz/$$h.log); \
		crashes=$$(ls $(BUILD)/fuzz/crash-$$h | wc -l); \
		echo "fuzz_$$h: $${execs:-?} executions, $$crashes crashes (log $(BUILD)/fuzz/$$h.log)"; \
		[ "$$crashes" -eq 0 ] || { fail=1; ls $(BUILD)/fuzz/crash-$$h/*; }; \
	done; exit $$fail
