/* state: the state directory (state.h). */
#include "core/state.h"
#include "plat.h"

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
		char sep = *p;

		if (!plat_is_sep(sep))
			continue;
		*p = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST) {
			*p = sep;
			return -1;
		}
		*p = sep;
	}
	return (mkdir(path, 0700) < 0 && errno != EEXIST) ? -1 : 0;
}

int state_dir(char *buf, size_t n, char *msg, size_t msglen)
{
	int err = plat_state_dir(buf, n, msg, msglen);

	if (err)
		return err;
	if (state_make_dirs(buf) < 0 || access(buf, W_OK | X_OK) < 0) {
		snprintf(msg, msglen,
			 "cannot use the state directory '%s' for backups and the resume journal: %s; set XDG_STATE_HOME to a writable directory",
			 buf, strerror(errno));
		return STATE_E_DIR;
	}
	return SF_OK;
}
