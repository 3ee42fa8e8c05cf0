/*
 * sp_pty_shim: a test-only LD_PRELOAD library that lets libserialport 0.1.1
 * open a Linux pseudo-terminal, so the end-to-end tests run the client's
 * libserialport path against the emulator.  Two things stop it on a pty:
 *
 *  - sp_get_port_by_name() looks the port up in /sys/class/tty/<name> with
 *    lstat() and readlink(); ptys have no entry there.  The shim answers for
 *    /sys/class/tty/pts/N as a virtual tty (a symlink into
 *    /sys/devices/virtual/tty), which libserialport treats as a native port.
 *  - sp_open() reads the modem lines with ioctl(TIOCMGET), and sets DTR/RTS
 *    with TIOCMBIS/TIOCMBIC; a pty has no modem lines and fails with ENOTTY.
 *    The shim answers those ioctls with success on a pty (major 136-143),
 *    and only there.
 *
 * Nothing else is touched; on a real serial port every call goes straight
 * through.  Never link this into the client.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <unistd.h>

#define SYS_PTS "/sys/class/tty/pts/"

static int is_sys_pts(const char *path)
{
	return path && !strncmp(path, SYS_PTS, strlen(SYS_PTS)) &&
	       path[strlen(SYS_PTS)] && !strchr(path + strlen(SYS_PTS), '/');
}

static int fake_link_stat(struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFLNK | 0777;
	return 0;
}

int lstat(const char *path, struct stat *st)
{
	static int (*real)(const char *, struct stat *);

	if (is_sys_pts(path))
		return fake_link_stat(st);
	if (!real)
		real = (int (*)(const char *, struct stat *))dlsym(RTLD_NEXT, "lstat");
	return real(path, st);
}

/* glibc before 2.33 routed lstat() through __lxstat(); Debian 12's
 * libserialport binary still imports it. */
int __lxstat(int ver, const char *path, struct stat *st)
{
	(void)ver;
	return lstat(path, st);
}

ssize_t readlink(const char *path, char *buf, size_t len)
{
	static ssize_t (*real)(const char *, char *, size_t);
	char target[128];
	size_t n;

	if (is_sys_pts(path)) {
		n = (size_t)snprintf(target, sizeof(target), "../../devices/virtual/tty/pts%s",
				     path + strlen(SYS_PTS));
		if (n > len)
			n = len;
		memcpy(buf, target, n);   /* readlink does not NUL-terminate */
		return (ssize_t)n;
	}
	if (!real)
		real = (ssize_t (*)(const char *, char *, size_t))dlsym(RTLD_NEXT, "readlink");
	return real(path, buf, len);
}

static int fd_is_pty(int fd)
{
	struct stat st;

	if (fstat(fd, &st) || !S_ISCHR(st.st_mode))
		return 0;
	return major(st.st_rdev) >= 136 && major(st.st_rdev) <= 143;
}

int ioctl(int fd, unsigned long req, ...)
{
	static int (*real)(int, unsigned long, ...);
	va_list ap;
	void *arg;
	int r, e;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (!real)
		real = (int (*)(int, unsigned long, ...))dlsym(RTLD_NEXT, "ioctl");
	r = real(fd, req, arg);
	if (r >= 0)
		return r;
	e = errno;
	if ((req == TIOCMGET || req == TIOCMSET || req == TIOCMBIS || req == TIOCMBIC) &&
	    (e == ENOTTY || e == EINVAL) && fd_is_pty(fd)) {
		if (req == TIOCMGET && arg)
			*(int *)arg = TIOCM_DTR | TIOCM_RTS | TIOCM_CTS | TIOCM_DSR | TIOCM_CD;
		return 0;
	}
	errno = e;
	return r;
}
