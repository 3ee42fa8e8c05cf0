/*
 * cli_ports: the 'ports' command.
 */
#ifndef SPIFLASH_CLI_PORTS_H
#define SPIFLASH_CLI_PORTS_H

#include "prog/ports_probe.h"

#include <stdio.h>

/* Collect the ports (list as in ports_collect), probe them if asked, print
 * text or JSON to out.  0 or PORTS_E_LIST / PORTS_E_NOMEM. */
int ports_command(FILE *out, const char *list, int probe, int json);

#endif
