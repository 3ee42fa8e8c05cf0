# End-to-end tests: the real client binary against the real firmware ELF in
# the emulator, outside programs (flashrom) against both, and the tree itself
# (copies, the IDE build, install, rebuilds).  Helpers they run are built here.

$(BUILD)/proto_probe: $(call host_objs,tests/e2e/proto_probe.c) $(PROTO_OBJS)
	$(CC) $(HOST_CFLAGS) -o $@ $^ -lz
$(BUILD)/sp_pty_shim.so: tests/e2e/sp_pty_shim.c | $(BUILD)
	$(CC) $(HOST_CFLAGS) -fPIC -shared -o $@ $< -ldl
all: $(BUILD)/proto_probe $(BUILD)/sp_pty_shim.so

E2E_TESTS += tests/e2e/test_proto_copy.sh
E2E_TESTS += tests/e2e/test_firmware_emu.sh
E2E_TESTS += tests/e2e/test_stream_asm.sh
# The firmware fits its boards: flash, and RAM left for the stack.
E2E_TESTS += tests/e2e/test_fw_budget.sh
E2E_TESTS += tests/e2e/test_client.sh
E2E_TESTS += tests/e2e/test_bridge.sh
E2E_TESTS += tests/e2e/test_dump_backup.sh
E2E_TESTS += tests/e2e/test_noisy.sh
E2E_TESTS += tests/e2e/test_doctor.sh
E2E_TESTS += tests/e2e/test_chips.sh
E2E_TESTS += tests/e2e/test_scripting.sh
# The bad-input table: options, files, devices, chips; nothing written.
E2E_TESTS += tests/e2e/test_bad_input.sh
# A write cut by an unplug or a reset is finished by the same command; the
# decoder survives half frames, oversize frames and noise.
E2E_TESTS += tests/e2e/test_unplug_resume.sh
E2E_TESTS += tests/e2e/test_install.sh
E2E_TESTS += tests/e2e/test_sketch_ide.sh
# Debian's flashrom against the emulated firmware; the client's serprog
# backend against it; switching between the two on one emulator.
E2E_TESTS += tests/e2e/test_serprog.sh
E2E_TESTS += tests/e2e/test_rebuild.sh
E2E_TESTS += tests/e2e/test_errors.sh
# The Windows client (make windows) under Wine against the emulator: ports,
# info, write/read/verify, a wrong and a busy port, Ctrl-C and an unplug.
E2E_TESTS += tests/e2e/test_windows.sh
# Issue 13: each row of its table (edges), every signal at random points of
# a write and the undo chain (signals); identify and diff (client/inspect).
E2E_TESTS += tests/e2e/test_edges.sh
E2E_TESTS += tests/e2e/test_signals.sh
E2E_TESTS += tests/e2e/test_identify_diff.sh
# The upload path: Optiboot in the emulator, make upload's avrdude command,
# spiflash info on the uploaded sketch.
E2E_TESTS += tests/e2e/test_upload.sh
