/* ports: list serial ports with a guess at the board behind each. */
#ifndef PORTS_H
#define PORTS_H

#include <stdint.h>
#include <stdio.h>

/* The board or USB bridge a VID:PID usually means, or NULL. */
const char *ports_guess(uint16_t vid, uint16_t pid);
/* Print one line per port to out; returns the count or a negative enum link_err. */
int ports_list(FILE *out);

#endif
