/* plat_posix: plat.h on Linux (and macOS). */
#include "plat.h"
#include "err.h"

#include <stdio.h>
#include <stdlib.h>

int plat_state_dir(char *buf, size_t n, char *msg, size_t msglen)
{
	const char *base;

	if ((base = getenv("XDG_STATE_HOME")) && *base == '/')
		snprintf(buf, n, "%s/spiflash", base);
	else if ((base = getenv("HOME")) && *base)
		snprintf(buf, n, "%s/.local/state/spiflash", base);
	else {
		snprintf(msg, msglen,
			 "no state directory for backups and the resume journal: set HOME or XDG_STATE_HOME");
		return STATE_E_DIR;
	}
	return SF_OK;
}
