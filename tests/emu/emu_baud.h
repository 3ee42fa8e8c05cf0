/* emu_baud: host line rates on a pty; see emu_baud.c. */
#ifndef EMU_BAUD_H
#define EMU_BAUD_H

#include <stdint.h>

/*
 * The rate the client set on the pty (fd: master or slave), in baud, or 0
 * if it cannot be told (a rate without a number: treat as matching).
 */
uint32_t emu_host_baud(int fd);
/* 1 if a UART at `host` baud garbles bytes from/to one at `dev` baud. */
int emu_baud_mismatch(uint32_t host, uint32_t dev);

#endif
