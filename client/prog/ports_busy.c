/*
 * ports_busy: is a serial port open in another process?  Found without
 * opening the port (opening one asserts DTR and resets most Arduinos):
 * every process's open files under /proc, as fuser does.  Only the
 * processes this user may look at are seen (all of them for root).
 */
#include "prog/ports_probe.h"

#ifndef _WIN32
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The first other process with path open: its pid and command name. */
int ports_busy(const char *path, char *who, size_t wholen)
{
	struct stat want, st;
	struct dirent *p, *f;
	char dir[64], fd[320], comm[64];
	DIR *procs, *fds;
	long self = (long)getpid();
	int found = 0;

	if (stat(path, &want) || !S_ISCHR(want.st_mode) || !(procs = opendir("/proc")))
		return 0;
	while (!found && (p = readdir(procs))) {
		long pid = strtol(p->d_name, NULL, 10);

		if (pid <= 0 || pid == self)
			continue;
		snprintf(dir, sizeof(dir), "/proc/%ld/fd", pid);
		if (!(fds = opendir(dir)))
			continue;
		while (!found && (f = readdir(fds))) {
			snprintf(fd, sizeof(fd), "%s/%s", dir, f->d_name);
			if (f->d_name[0] != '.' && !stat(fd, &st) && S_ISCHR(st.st_mode) &&
			    st.st_rdev == want.st_rdev)
				found = 1;
		}
		closedir(fds);
		if (found) {
			FILE *c;

			snprintf(dir, sizeof(dir), "/proc/%ld/comm", pid);
			comm[0] = '\0';
			if ((c = fopen(dir, "r"))) {
				if (!fgets(comm, sizeof(comm), c))
					comm[0] = '\0';
				fclose(c);
			}
			comm[strcspn(comm, "\n")] = '\0';
			snprintf(who, wholen, "in use by %s (pid %ld)", comm[0] ? comm : "a process", pid);
		}
	}
	closedir(procs);
	return found;
}
#else
int ports_busy(const char *path, char *who, size_t wholen)
{
	(void)path;
	(void)who;
	(void)wholen;
	return 0;
}
#endif
