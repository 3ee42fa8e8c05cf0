/*
 * emu_boot: a bootloader in the emulated Uno, as Arduino ships it
 * (optiboot_atmega328.hex at 0x7E00), so avrdude -c arduino can upload a
 * sketch into the emulator.  Asked for through the environment, which keeps
 * the option table (emu_args.c) as it is:
 *
 *   SPIFLASH_EMU_BOOTLOADER=HEX   load HEX into flash; the reset vector is
 *                                 its first address (the BOOTRST fuse)
 *   SPIFLASH_EMU_BLANK_APP=1      erase the application section first, so
 *                                 only an upload can put a sketch there
 *
 * A reset by SIGUSR2 is an external reset (the DTR pulse of a real board's
 * auto-reset): MCUSR gets EXTRF, which is what makes Optiboot wait for
 * avrdude instead of starting the sketch.
 */
#ifndef EMU_BOOT_H
#define EMU_BOOT_H

#include <simavr/sim_avr.h>

/* After avr_load_firmware: 0, or -1 with a message on stderr. */
int emu_boot_setup(avr_t *avr);
/* avr_reset() as an external reset (SIGUSR2): ends in the reset hook. */
void emu_boot_reset(avr_t *avr);
/* From the reset hook, after the core's reset. */
void emu_boot_on_reset(avr_t *avr);

#endif
