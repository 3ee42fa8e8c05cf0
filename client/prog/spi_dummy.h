/*
 * spi_dummy: -p dummy[:chip=NAME,image=FILE,fault=SPEC,maxtime], the strict
 * chip model of the emulator (chipmodel/) in process, as a raw SPI master
 * under hostseq.  For trying commands and testing scripts with no hardware:
 * it is as strict as silicon (WEL, busy times in real time, program only
 * clears bits, page wrap, protection), unlike a memcpy.  image=FILE keeps
 * the chip's contents in FILE (created erased if missing, mapped so every
 * program and erase lands in it at once); without it the chip starts
 * erased and is forgotten at exit.
 */
#ifndef SPI_DUMMY_H
#define SPI_DUMMY_H

#include "prog/prog.h"

#define SPI_DUMMY_CHIP "W25Q128"

extern const struct prog_driver prog_dummy_driver;

#endif
