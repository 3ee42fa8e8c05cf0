/*
 * plat: the few things that differ between operating systems and are not a
 * serial port.  plat_posix.c (Linux, macOS) and plat_win32.c (Windows) each
 * implement this header; the build compiles one of them.  The serial port
 * itself sits behind struct link_ops (transport/link.h): link_serial.c and
 * link_tty.c on Linux, link_win32.c on Windows; the port lock is lock.c or
 * lock_win32.c.  Calls that name files keep their POSIX names everywhere:
 * on Windows compat/win32/compat.h routes them to UTF-8 aware versions.
 */
#ifndef PLAT_H
#define PLAT_H

#include <stddef.h>

/* The directory that holds spiflash's state (without "spiflash"'s own
 * folder made yet): $XDG_STATE_HOME/spiflash or ~/.local/state/spiflash on
 * POSIX, %LOCALAPPDATA%\spiflash on Windows.  0, or STATE_E_DIR with msg. */
int plat_state_dir(char *buf, size_t n, char *msg, size_t msglen);

/* The separator spiflash puts between a directory and a file name it
 * makes, so that messages show one kind of path: '\' on Windows. */
#ifdef _WIN32
#define PLAT_SEP "\\"
#else
#define PLAT_SEP "/"
#endif

/* A separator of path components: '/', and on Windows also '\'. */
static inline int plat_is_sep(char c)
{
#ifdef _WIN32
	return c == '/' || c == '\\';
#else
	return c == '/';
#endif
}

/* The last separator in path, or NULL. */
static inline char *plat_last_sep(char *path)
{
	char *last = NULL;

	for (; *path; path++)
		if (plat_is_sep(*path))
			last = path;
	return last;
}

#endif
