/*
 * compat.h: included first in every file of the Windows build (make
 * windows: -include, never on Linux), so the portable code keeps its POSIX
 * calls and still works on Windows:
 *  - file names are UTF-8 everywhere in the client (wmain in plat_win32.c
 *    turns the wide command line into UTF-8); the calls that take a name go
 *    to plat_win32.c, which widens it and calls the _w* function, so names
 *    outside the ANSI code page (and with spaces) work;
 *  - every file is opened in binary mode (dumps are bytes, never text);
 *  - rename() replaces an existing file atomically (MoveFileEx), as POSIX
 *    rename() does: a dump or the resume journal is never half there;
 *  - the few POSIX calls msvcrt lacks (fsync, fchmod, O_CLOEXEC) map to
 *    their nearest equivalent.
 * Function-like macros, so `struct stat` is untouched; but open is renamed
 * wholesale, as struct prog_driver has a member open called as drv->open(),
 * which the same renaming in every file keeps consistent.  The system
 * headers come first, so their own declarations are not renamed.
 */
#ifndef SPIFLASH_COMPAT_WIN32_H
#define SPIFLASH_COMPAT_WIN32_H

#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <signal.h>
#include <direct.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

/* mingw's errno.h has ETIME, which no code here uses; the chip model has a
 * macro of that name */
#undef ETIME

#ifndef O_CLOEXEC
#define O_CLOEXEC _O_NOINHERIT
#endif
#ifndef O_NOCTTY
#define O_NOCTTY 0
#endif
#ifndef O_NONBLOCK
#define O_NONBLOCK 0
#endif

int plat_open(const char *path, int flags, ...);
FILE *plat_fopen(const char *path, const char *mode);
int plat_stat(const char *path, struct stat *st);
int plat_rename(const char *from, const char *to);
int plat_unlink(const char *path);
int plat_mkdir(const char *path, int mode);
int plat_access(const char *path, int mode);
int plat_mkstemp(char *tmpl);
char *plat_realpath(const char *path, char *resolved);

#define open               plat_open
#define fopen(p, m)        plat_fopen(p, m)
#define stat(p, s)         plat_stat(p, s)
#define rename(a, b)       plat_rename(a, b)
#define unlink(p)          plat_unlink(p)
#define mkdir(p, m)        plat_mkdir(p, m)
#define access(p, m)       plat_access(p, m)
#define mkstemp(t)         plat_mkstemp(t)
/* no symbolic links are followed on Windows: a name is the file itself */
#define lstat(p, s)        plat_stat(p, s)
#ifndef S_ISLNK
#define S_ISLNK(m)         0
#endif
#define realpath(p, r)     plat_realpath(p, r)
#define fsync(fd)          _commit(fd)
#define localtime_r(t, tm) (localtime_s((tm), (t)) ? NULL : (tm))
/* Windows files have no Unix mode: the new file gets its directory's ACL */
#define fchmod(fd, mode)   ((void)(fd), (void)(mode), 0)

/* sigaction() for SIGINT, SIGTERM and SIGHUP, so the client's own handlers
 * (cli/interrupt.c) run on Windows too: Ctrl-C and Ctrl-Break arrive as
 * SIGINT, closing the console window as SIGHUP (plat_win32.c, through
 * SetConsoleCtrlHandler).  Only sa_handler is used. */
#ifndef SIGHUP
#define SIGHUP 1
#endif
#ifndef _POSIX
typedef _sigset_t sigset_t;
#endif
struct sigaction {
	void (*sa_handler)(int);
	sigset_t sa_mask;
	int sa_flags;
};
static inline int sigemptyset(sigset_t *set)
{
	*set = 0;
	return 0;
}
int sigaction(int sig, const struct sigaction *sa, struct sigaction *old);

/* main.c's main, called by wmain (plat_win32.c) with UTF-8 arguments */
int spiflash_main(int argc, char **argv);

#endif
