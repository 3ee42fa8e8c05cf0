/* sketch: -p spiflash, the spiflash sketch over a serial link (sketch.c). */
#ifndef SKETCH_H
#define SKETCH_H

#include "prog/prog.h"

extern const struct prog_driver prog_sketch_driver;

struct dev;
/* A programmer over a session the caller opened and keeps (prog_close
 * leaves it open): for tests that run the sketch's core in process. */
int sketch_attach(struct prog *p, struct dev *d);

#endif
