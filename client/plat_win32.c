/*
 * plat_win32: plat.h on Windows, and what compat/win32/compat.h promises:
 * UTF-8 file names through the wide (_w*) calls, binary files, an atomic
 * replacing rename, the image mapping of -p dummy, the UTF-8 command line,
 * and Ctrl-C.
 */
#include "plat.h"
#include "err.h"

#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <signal.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <windows.h>

/* UTF-8 to a new wide string (free it), NULL with errno set. */
static wchar_t *wide(const char *s)
{
	int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, NULL, 0);
	wchar_t *w;

	if (n <= 0) {
		errno = EINVAL;
		return NULL;
	}
	w = malloc((size_t)n * sizeof(*w));
	if (!w) {
		errno = ENOMEM;
		return NULL;
	}
	MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, w, n);
	return w;
}

/* Wide to a new UTF-8 string (free it), NULL when out of memory. */
static char *narrow(const wchar_t *w)
{
	int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL, NULL);
	char *s;

	if (n <= 0)
		return NULL;
	s = malloc((size_t)n);
	if (s)
		WideCharToMultiByte(CP_UTF8, 0, w, -1, s, n, NULL, NULL);
	return s;
}

static void set_errno(DWORD e)
{
	switch (e) {
	case ERROR_FILE_NOT_FOUND:
	case ERROR_PATH_NOT_FOUND:
	case ERROR_INVALID_NAME:
		errno = ENOENT;
		break;
	case ERROR_ACCESS_DENIED:
	case ERROR_SHARING_VIOLATION:
	case ERROR_LOCK_VIOLATION:
		errno = EACCES;
		break;
	case ERROR_ALREADY_EXISTS:
	case ERROR_FILE_EXISTS:
		errno = EEXIST;
		break;
	case ERROR_DISK_FULL:
		errno = ENOSPC;
		break;
	case ERROR_NOT_ENOUGH_MEMORY:
		errno = ENOMEM;
		break;
	default:
		errno = EIO;
	}
}

int plat_open(const char *path, int flags, ...)
{
	wchar_t *w = wide(path);
	int mode = 0, fd;
	va_list ap;

	if (flags & _O_CREAT) {
		va_start(ap, flags);
		mode = va_arg(ap, int);
		va_end(ap);
	}
	if (!w)
		return -1;
	/* msvcrt knows only the owner's write bit */
	fd = _wopen(w, flags | _O_BINARY, (mode & 0200) ? _S_IREAD | _S_IWRITE : _S_IREAD);
	free(w);
	return fd;
}

FILE *plat_fopen(const char *path, const char *mode)
{
	wchar_t wm[8], *w;
	size_t i, n = 0;
	FILE *f;

	for (i = 0; mode[i] && n < 6; i++)
		if (mode[i] != 'b' && mode[i] != 't')
			wm[n++] = (wchar_t)(unsigned char)mode[i];
	wm[n++] = L'b';
	wm[n] = 0;
	w = wide(path);
	if (!w)
		return NULL;
	f = _wfopen(w, wm);
	free(w);
	return f;
}

int plat_stat(const char *path, struct stat *st)
{
	WIN32_FILE_ATTRIBUTE_DATA a;
	wchar_t *w = wide(path);
	ULARGE_INTEGER t;
	BOOL ok;

	if (!w)
		return -1;
	ok = GetFileAttributesExW(w, GetFileExInfoStandard, &a);
	free(w);
	if (!ok) {
		set_errno(GetLastError());
		return -1;
	}
	memset(st, 0, sizeof(*st));
	if (a.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)
		st->st_mode = _S_IFDIR | 0755;
	else
		st->st_mode = _S_IFREG | ((a.dwFileAttributes & FILE_ATTRIBUTE_READONLY) ? 0444 : 0666);
	st->st_size = (off_t)(((uint64_t)a.nFileSizeHigh << 32 | a.nFileSizeLow) > 0x7FFFFFFF ?
			      0x7FFFFFFF : a.nFileSizeLow);
	st->st_nlink = 1;
	t.LowPart = a.ftLastWriteTime.dwLowDateTime;
	t.HighPart = a.ftLastWriteTime.dwHighDateTime;
	st->st_mtime = (time_t)((t.QuadPart - 116444736000000000ULL) / 10000000ULL);
	return 0;
}

/* POSIX rename(): the new name replaces an existing file in one step, and
 * is on disk when this returns. */
int plat_rename(const char *from, const char *to)
{
	wchar_t *wf = wide(from), *wt = wide(to);
	int r = -1;

	if (wf && wt) {
		if (MoveFileExW(wf, wt, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
			r = 0;
		else
			set_errno(GetLastError());
	}
	free(wf);
	free(wt);
	return r;
}

int plat_unlink(const char *path)
{
	wchar_t *w = wide(path);
	int r;

	if (!w)
		return -1;
	r = _wunlink(w);
	free(w);
	return r;
}

int plat_mkdir(const char *path, int mode)
{
	wchar_t *w = wide(path);
	DWORD a;
	int r;

	(void)mode;
	if (!w)
		return -1;
	/* "C:" and existing folders: EEXIST, as mkdir -p expects */
	a = GetFileAttributesW(w);
	if (a != INVALID_FILE_ATTRIBUTES && (a & FILE_ATTRIBUTE_DIRECTORY)) {
		free(w);
		errno = EEXIST;
		return -1;
	}
	r = _wmkdir(w);
	free(w);
	return r;
}

int plat_access(const char *path, int mode)
{
	wchar_t *w = wide(path);
	DWORD a;

	if (!w)
		return -1;
	a = GetFileAttributesW(w);
	free(w);
	if (a == INVALID_FILE_ATTRIBUTES) {
		set_errno(GetLastError());
		return -1;
	}
	/* the read-only attribute means nothing on a folder */
	if ((mode & W_OK) && !(a & FILE_ATTRIBUTE_DIRECTORY) && (a & FILE_ATTRIBUTE_READONLY)) {
		errno = EACCES;
		return -1;
	}
	return 0;
}

int plat_mkstemp(char *tmpl)
{
	static const char chars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	size_t n = strlen(tmpl), i;
	unsigned seed = (unsigned)GetTickCount() ^ ((unsigned)GetCurrentProcessId() << 16);
	int tries, fd;

	if (n < 6 || strcmp(tmpl + n - 6, "XXXXXX")) {
		errno = EINVAL;
		return -1;
	}
	for (tries = 0; tries < 100; tries++) {
		for (i = n - 6; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			tmpl[i] = chars[(seed >> 16) % (sizeof(chars) - 1)];
		}
		fd = plat_open(tmpl, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	return -1;
}

/* The absolute name (malloc'd when resolved is NULL, else PATH_MAX bytes). */
char *plat_realpath(const char *path, char *resolved)
{
	wchar_t *w = wide(path), *full;
	char *s;

	if (!w)
		return NULL;
	full = _wfullpath(NULL, w, 0);
	free(w);
	if (!full) {
		errno = ENOENT;
		return NULL;
	}
	s = narrow(full);
	free(full);
	if (!s) {
		errno = ENOMEM;
		return NULL;
	}
	if (resolved) {
		snprintf(resolved, PATH_MAX, "%s", s);
		free(s);
		return resolved;
	}
	return s;
}

/* -p dummy maps its image file: a shared read-write view of the whole file.
 * The view keeps the file open after fd and the mapping handle close. */
void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	HANDLE f = (HANDLE)_get_osfhandle(fd), m;
	void *p;

	(void)addr;
	(void)prot;
	(void)flags;
	if (f == INVALID_HANDLE_VALUE || off != 0) {
		errno = EINVAL;
		return MAP_FAILED;
	}
	m = CreateFileMappingW(f, NULL, PAGE_READWRITE, (DWORD)((uint64_t)len >> 32),
			       (DWORD)len, NULL);
	if (!m) {
		set_errno(GetLastError());
		return MAP_FAILED;
	}
	p = MapViewOfFile(m, FILE_MAP_WRITE, 0, 0, len);
	if (!p)
		set_errno(GetLastError());
	CloseHandle(m);
	return p ? p : MAP_FAILED;
}

int munmap(void *addr, size_t len)
{
	(void)len;
	return UnmapViewOfFile(addr) ? 0 : -1;
}

int msync(void *addr, size_t len, int flags)
{
	(void)flags;
	return FlushViewOfFile(addr, len) ? 0 : -1;
}

/* TIOCGWINSZ: the size of the console window that fd writes to. */
int ioctl(int fd, unsigned long request, ...)
{
	CONSOLE_SCREEN_BUFFER_INFO ci;
	struct winsize *ws;
	va_list ap;

	if (request != TIOCGWINSZ) {
		errno = EINVAL;
		return -1;
	}
	va_start(ap, request);
	ws = va_arg(ap, struct winsize *);
	va_end(ap);
	if (!GetConsoleScreenBufferInfo((HANDLE)_get_osfhandle(fd), &ci)) {
		errno = ENOTTY;
		return -1;
	}
	memset(ws, 0, sizeof(*ws));
	ws->ws_col = (unsigned short)(ci.srWindow.Right - ci.srWindow.Left + 1);
	ws->ws_row = (unsigned short)(ci.srWindow.Bottom - ci.srWindow.Top + 1);
	return 0;
}

int plat_state_dir(char *buf, size_t n, char *msg, size_t msglen)
{
	const wchar_t *names[] = { L"XDG_STATE_HOME", L"LOCALAPPDATA" };
	size_t i;

	for (i = 0; i < 2; i++) {
		const wchar_t *v = _wgetenv(names[i]);
		char *base;

		/* XDG_STATE_HOME only when it is a Windows path (C:\..., \\server) */
		if (!v || !*v || (i == 0 && !(v[0] && v[1] == L':') && wcsncmp(v, L"\\\\", 2)))
			continue;
		base = narrow(v);
		if (!base)
			break;
		snprintf(buf, n, "%s\\spiflash", base);
		free(base);
		return SF_OK;
	}
	snprintf(msg, msglen,
		 "no state directory for backups and the resume journal: set LOCALAPPDATA or XDG_STATE_HOME");
	return STATE_E_DIR;
}

/*
 * Ctrl-C, Ctrl-Break and closing the console window, which Windows reports
 * to a handler in a thread of its own.  They go to the handler the client
 * set with sigaction() (cli/interrupt.c: SIGINT for the keys, SIGHUP for a
 * closed window), exactly as the signals do on Linux: the command stops
 * cleanly and exits 128 + the signal.  Before any handler is set (or when
 * the client has none), the process ends as Linux's default SIGINT would
 * end it, with the status a POSIX shell shows for that (130).
 */
static void (*volatile sig_handlers[32])(int);

int sigaction(int sig, const struct sigaction *sa, struct sigaction *old)
{
	if (sig <= 0 || sig >= 32) {
		errno = EINVAL;
		return -1;
	}
	if (old) {
		memset(old, 0, sizeof(*old));
		old->sa_handler = sig_handlers[sig] ? sig_handlers[sig] : SIG_DFL;
	}
	if (sa)
		sig_handlers[sig] = (sa->sa_handler == SIG_DFL) ? NULL : sa->sa_handler;
	return 0;
}

static BOOL WINAPI on_console_event(DWORD ev)
{
	int sig;
	void (*h)(int);

	if (ev == CTRL_C_EVENT || ev == CTRL_BREAK_EVENT)
		sig = SIGINT;
	else if (ev == CTRL_CLOSE_EVENT)
		sig = SIGHUP;
	else
		return FALSE;
	h = sig_handlers[sig];
	if (h == SIG_IGN)
		return TRUE;
	if (h) {
		h(sig);
		/* a closed window ends the process when this returns: give the
		 * main thread the few seconds Windows allows to stop cleanly */
		if (ev == CTRL_CLOSE_EVENT)
			Sleep(4000);
		return TRUE;
	}
	fputs("\n", stderr);
	fflush(stderr);
	ExitProcess(128 + sig);
	return TRUE;
}

#ifndef ENABLE_VIRTUAL_TERMINAL_PROCESSING
#define ENABLE_VIRTUAL_TERMINAL_PROCESSING 0x0004
#endif

/* Before main: binary standard streams (a dump on stdout is bytes), UTF-8
 * on the console (messages quote UTF-8 file names), the progress bar's
 * "erase to end of line" (ESC [K) understood by the console (Windows 10 and
 * later), and Ctrl-C. */
__attribute__((constructor)) static void plat_win32_init(void)
{
	HANDLE err = GetStdHandle(STD_ERROR_HANDLE);
	DWORD mode;

	_setmode(_fileno(stdin), _O_BINARY);
	_setmode(_fileno(stdout), _O_BINARY);
	_setmode(_fileno(stderr), _O_BINARY);
	SetConsoleOutputCP(CP_UTF8);
	if (GetConsoleMode(err, &mode))
		SetConsoleMode(err, mode | ENABLE_VIRTUAL_TERMINAL_PROCESSING);
	SetConsoleCtrlHandler(on_console_event, TRUE);
}

/* The wide command line, as UTF-8, to main.c's main (-municode). */
int wmain(int argc, wchar_t **wargv)
{
	char **argv = calloc((size_t)argc + 1, sizeof(*argv));
	int i;

	if (!argv) {
		fputs("spiflash: out of memory\n", stderr);
		return 1;
	}
	for (i = 0; i < argc; i++) {
		argv[i] = narrow(wargv[i]);
		if (!argv[i]) {
			fputs("spiflash: out of memory\n", stderr);
			return 1;
		}
	}
	return spiflash_main(argc, argv);
}
