/* state: the state directory (state.h). */
#include "core/state.h"

#include <errno.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int state_make_dirs(char *path)
{
	char *p;

	for (p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return (mkdir(path, 0700) < 0 && errno != EEXIST) ? -1 : 0;
}

int state_dir(char *buf, size_t n, char *msg, size_t msglen)
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
	if (state_make_dirs(buf) < 0 || access(buf, W_OK | X_OK) < 0) {
		snprintf(msg, msglen,
			 "cannot use the state directory '%s' for backups and the resume journal: %s; set XDG_STATE_HOME to a writable directory",
			 buf, strerror(errno));
		return STATE_E_DIR;
	}
	return SF_OK;
}
