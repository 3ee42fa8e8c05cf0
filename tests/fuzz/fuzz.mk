# Fuzzing: libFuzzer harnesses for the decoders that read bytes from outside
# (the SFDP parser, the protocol frame decoder), their seed corpus, and a
# replay of that corpus that `make test` runs with plain $(CC).
# Sanitizer objects (build/san) come from the top Makefile.
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

# The replays run every seed under ASan/UBSan (HOST_SAN, Makefile).
FUZZ_SFDP_SRCS := tests/fuzz/fuzz_sfdp.c client/chips/sfdp.c
FUZZ_PROTO_SRCS := tests/fuzz/fuzz_proto_dec.c $(PROTO_SRCS)
FUZZ_OPTS_SRCS := tests/fuzz/fuzz_opts.c client/cli/opts.c client/cli/opts_table.c

# $(1): harness name; $(2): its sources
define fuzz_replay
$(BUILD)/replay_$(1): $(call san_objs,tests/fuzz/replay_main.c $(2))
	$(CC) $(HOST_CFLAGS) $(HOST_SAN) -o $$@ $$^
all: $(BUILD)/replay_$(1)
endef
$(eval $(call fuzz_replay,sfdp,$(FUZZ_SFDP_SRCS)))
$(eval $(call fuzz_replay,proto_dec,$(FUZZ_PROTO_SRCS)))
$(eval $(call fuzz_replay,opts,$(FUZZ_OPTS_SRCS)))

E2E_TESTS += tests/e2e/test_fuzz_replay.sh


$(BUILD)/fuzz:
	mkdir -p $@

# The libFuzzer builds, for `make fuzz` only; the compiler's dependency files
# keep them current like every other binary.  $(1): harness; $(2): sources
define fuzz_harness
$(BUILD)/fuzz/fuzz_$(1): $(2) | $(BUILD)/fuzz
	$(FUZZ_CC) $(FUZZ_FLAGS) $(HOST_INC) -MMD -MP -o $$@ $(2)
-include $(BUILD)/fuzz/fuzz_$(1).d
endef
$(eval $(call fuzz_harness,sfdp,$(FUZZ_SFDP_SRCS)))
$(eval $(call fuzz_harness,proto_dec,$(FUZZ_PROTO_SRCS)))
$(eval $(call fuzz_harness,opts,$(FUZZ_OPTS_SRCS)))

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
