/*
 * state: the one directory where spiflash keeps what a write must not lose
 * (backups of old bytes, the resume journal): $XDG_STATE_HOME/spiflash, or
 * ~/.local/state/spiflash.  Chosen here only, so a backup is never written
 * where its journal is not.
 */
#ifndef STATE_H
#define STATE_H

#include <stddef.h>

#include "err.h"

/* The directory into buf, created if missing and checked writable: 0, or
 * STATE_E_DIR with msg saying why and what to do. */
int state_dir(char *buf, size_t n, char *msg, size_t msglen);

/* mkdir -p path (mode 0700); 0 or -1 with errno. */
int state_make_dirs(char *path);

#endif
