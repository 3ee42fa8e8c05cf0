# The randomized fault campaign (tools/soak.py): `make soak` runs SOAK_N
# seeded jobs (default 1000) with SOAK_J workers and prints the table;
# `make soak SOAK_N=30` is the short one.  `make test` runs 30 jobs
# (tests/soak/test_soak_short.sh).

SOAK_N ?= 1000
SOAK_SEED ?= 1
SOAK_J ?= 2

.PHONY: soak
soak: all
	python3 tools/soak.py -n $(SOAK_N) --seed $(SOAK_SEED) -j $(SOAK_J) \
		--table $(BUILD)/soak-table.md

E2E_TESTS += tests/soak/test_soak_short.sh

# The bad-input table: options, files, devices, chips; nothing written.
E2E_TESTS += tests/e2e/test_bad_input.sh

# A write cut by an unplug or a reset is finished by the same command; the
# decoder survives half frames, oversize frames and noise.
E2E_TESTS += tests/e2e/test_unplug_resume.sh

# Backup, resume journal, range state and port lock against the firmware
# core and chip model in process.
NOTHING_LOST_SRCS := client/backup.c client/resume.c client/wstate.c client/lock.c
UNIT_TESTS += $(BUILD)/test_backup
$(BUILD)/test_backup: tests/unit/test_backup.c tests/unit/fw_bench.c tests/unit/fw_bench.h \
		tests/unit/fw_host_hal.c $(NOTHING_LOST_SRCS) $(CLIENT_CORE_SRCS) $(CLIENT_HDRS) \
		$(FW_CORE_SRCS) $(PROTO_SRCS) $(FLASHCHIP_SRCS) | $(BUILD)
	$(CC) $(HOST_CFLAGS) -Iclient -I$(FW_SRC_DIR) -Itests/unit -Itests/emu -o $@ \
		tests/unit/test_backup.c tests/unit/fw_bench.c tests/unit/fw_host_hal.c \
		$(NOTHING_LOST_SRCS) $(CLIENT_CORE_SRCS) $(FW_CORE_SRCS) $(PROTO_SRCS) \
		$(FLASHCHIP_SRCS) $(CMOCKA_LIBS) -lz
