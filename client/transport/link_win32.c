/*
 * link_win32: the serial back end on Windows (COMn through the Win32 comm
 * API), and link_open/link_close for the Windows build.
 *
 * Why not libserialport, as on Linux: Debian has no Windows build of it
 * (no mingw package), and building it here would mean carrying its sources
 * and autotools in the tree for the handful of calls below.  Everything
 * this client needs of a port is in kernel32: CreateFile, SetCommState,
 * SetCommTimeouts, ReadFile/WriteFile, PurgeComm, EscapeCommFunction.  The
 * port list (USB IDs, friendly names) is ports_win32.c.
 *
 * Every read and write is bounded twice: by COMMTIMEOUTS, so the driver
 * returns, and by a deadline on the monotonic clock, so a driver that
 * returns early (or late) cannot change what the caller sees.  The callers
 * pass the same timeouts as on Linux.
 */
#include "transport/link.h"
#include "transport/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <windows.h>

#define READ_INTERVAL_MS 1

struct win {
	HANDLE h;
	COMMTIMEOUTS to;       /* what the driver has now */
	int to_set;
	DWORD dtr_err;         /* SETDTR failed with this (0: DTR raised) */
};

/* Win32's text for error e, without the trailing newline. */
static void win_detail(char *buf, size_t n, DWORD e)
{
	wchar_t w[160];
	DWORD len = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
				   e, 0, w, sizeof(w) / sizeof(w[0]), NULL);
	int k;

	while (len && (w[len - 1] == L'\n' || w[len - 1] == L'\r' || w[len - 1] == L'.'))
		w[--len] = 0;
	k = len ? WideCharToMultiByte(CP_UTF8, 0, w, -1, buf, (int)n, NULL, NULL) : 0;
	if (k <= 0)
		snprintf(buf, n, "Windows error %lu", (unsigned long)e);
	else
		snprintf(buf + strlen(buf), n - strlen(buf), " (error %lu)", (unsigned long)e);
}

static int set_timeouts(struct win *w, DWORD interval, DWORD mult, DWORD constant, DWORD wconst)
{
	COMMTIMEOUTS to = { interval, mult, constant, 0, wconst };

	if (w->to_set && !memcmp(&to, &w->to, sizeof(to)))
		return LINK_OK;
	if (!SetCommTimeouts(w->h, &to))
		return LINK_E_IO;
	w->to = to;
	w->to_set = 1;
	return LINK_OK;
}

static void win_close(void *ctx)
{
	struct win *w = ctx;

	if (!w)
		return;
	if (w->h != INVALID_HANDLE_VALUE)
		CloseHandle(w->h);
	free(w);
}

static int win_read(void *ctx, uint8_t *buf, size_t len, unsigned timeout_ms)
{
	struct win *w = ctx;
	uint64_t deadline = clock_ms() + timeout_ms;
	DWORD got;

	if (len > 0x10000)
		len = 0x10000;
	for (;;) {
		uint64_t now = clock_ms();
		DWORD left = now < deadline ? (DWORD)(deadline - now) : 0;

		/* 1, 0, n: wait up to n ms for the first byte, then return
		 * once the line is quiet for a millisecond (what is there);
		 * MAXDWORD, 0, 0: return at once with what is there.  Not the
		 * documented MAXDWORD, MAXDWORD, n ("return on the first
		 * byte"): Wine waits the whole n ms in that mode, which made
		 * every answer late by a full timeout; one mode for both keeps
		 * the code that runs on Windows the code tested under Wine. */
		if (set_timeouts(w, left ? READ_INTERVAL_MS : MAXDWORD, 0, left,
				 w->to.WriteTotalTimeoutConstant))
			return LINK_E_IO;
		got = 0;
		if (!ReadFile(w->h, buf, (DWORD)len, &got, NULL))
			return LINK_E_IO;
		if (got || !left)
			return (int)got;
		if (clock_ms() >= deadline)
			return 0;
		Sleep(1);   /* the driver gave up early: wait out the deadline */
	}
}

static int win_write(void *ctx, const uint8_t *buf, size_t len, unsigned timeout_ms)
{
	struct win *w = ctx;
	uint64_t deadline = clock_ms() + (timeout_ms ? timeout_ms : 1);
	size_t done = 0;

	while (done < len) {
		uint64_t now = clock_ms();
		DWORD n = 0, chunk = len - done > 0x10000 ? 0x10000 : (DWORD)(len - done);

		if (now >= deadline)
			return LINK_E_TIMEOUT;
		if (set_timeouts(w, w->to.ReadIntervalTimeout, w->to.ReadTotalTimeoutMultiplier,
				 w->to.ReadTotalTimeoutConstant, (DWORD)(deadline - now)))
			return LINK_E_IO;
		if (!WriteFile(w->h, buf + done, chunk, &n, NULL))
			return LINK_E_IO;
		done += n;
	}
	return LINK_OK;
}

static int win_flush_input(void *ctx)
{
	struct win *w = ctx;

	return PurgeComm(w->h, PURGE_RXCLEAR | PURGE_RXABORT) ? LINK_OK : LINK_E_IO;
}

static int win_set_baud(void *ctx, uint32_t baud)
{
	struct win *w = ctx;
	DCB dcb;

	memset(&dcb, 0, sizeof(dcb));
	dcb.DCBlength = sizeof(dcb);
	if (!GetCommState(w->h, &dcb))
		return LINK_E_CONFIG;
	dcb.BaudRate = baud;
	return SetCommState(w->h, &dcb) ? LINK_OK : LINK_E_CONFIG;
}

static const struct link_ops win_ops = {
	.name = "win32",
	.close = win_close,
	.read = win_read,
	.write = win_write,
	.flush_input = win_flush_input,
	.set_baud = win_set_baud,
};

/* "COM5", "com12" -> "\\.\COM5" (needed from COM10 on, harmless below);
 * a name already starting "\\" is taken as it is. */
static wchar_t *device_name(const char *path)
{
	size_t n = strlen(path), i;
	int com = n > 3 && !_strnicmp(path, "COM", 3);
	int len;
	wchar_t *w;

	for (i = 3; com && i < n; i++)
		com = path[i] >= '0' && path[i] <= '9';
	len = MultiByteToWideChar(CP_UTF8, 0, path, -1, NULL, 0);
	if (len <= 0)
		return NULL;
	w = malloc(((size_t)len + 4) * sizeof(*w));
	if (!w)
		return NULL;
	wcscpy(w, com ? L"\\\\.\\" : L"");
	MultiByteToWideChar(CP_UTF8, 0, path, -1, w + wcslen(w), len);
	return w;
}

static int win_open(struct link *l, const char *path, uint32_t baud)
{
	struct win *w;
	wchar_t *name;
	DWORD e;
	DCB dcb;

	w = calloc(1, sizeof(*w));
	name = device_name(path);
	if (!w || !name) {
		free(w);
		free(name);
		return LINK_E_NOMEM;
	}
	/* share mode 0: no other program has the port while we do */
	w->h = CreateFileW(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
	free(name);
	if (w->h == INVALID_HANDLE_VALUE) {
		e = GetLastError();
		win_detail(l->detail, sizeof(l->detail), e);
		free(w);
		if (e == ERROR_FILE_NOT_FOUND || e == ERROR_PATH_NOT_FOUND)
			return LINK_E_NOENT;
		if (e == ERROR_ACCESS_DENIED || e == ERROR_SHARING_VIOLATION)
			snprintf(l->detail, sizeof(l->detail),
				 "another program has the port open (access denied)");
		return LINK_E_OPEN;
	}
	memset(&dcb, 0, sizeof(dcb));
	dcb.DCBlength = sizeof(dcb);
	if (GetFileType(w->h) != FILE_TYPE_CHAR || !GetCommState(w->h, &dcb)) {
		snprintf(l->detail, sizeof(l->detail), "not a COM port");
		win_close(w);
		return LINK_E_NOTTY;
	}
	dcb.BaudRate = baud;
	dcb.ByteSize = 8;
	dcb.Parity = NOPARITY;
	dcb.StopBits = ONESTOPBIT;
	dcb.fBinary = TRUE;
	dcb.fParity = FALSE;
	dcb.fOutxCtsFlow = FALSE;
	dcb.fOutxDsrFlow = FALSE;
	dcb.fDtrControl = DTR_CONTROL_ENABLE;
	dcb.fDsrSensitivity = FALSE;
	dcb.fOutX = FALSE;
	dcb.fInX = FALSE;
	dcb.fErrorChar = FALSE;
	dcb.fNull = FALSE;
	dcb.fRtsControl = RTS_CONTROL_ENABLE;
	dcb.fAbortOnError = FALSE;
	if (!SetCommState(w->h, &dcb)) {
		win_detail(l->detail, sizeof(l->detail), GetLastError());
		win_close(w);
		return LINK_E_CONFIG;
	}
	SetupComm(w->h, 16384, 16384);
	/* what the board sent before we came (boot messages, a half frame) */
	PurgeComm(w->h, PURGE_RXCLEAR | PURGE_TXCLEAR | PURGE_RXABORT | PURGE_TXABORT);
	if (set_timeouts(w, MAXDWORD, 0, 0, 1000)) {
		win_detail(l->detail, sizeof(l->detail), GetLastError());
		win_close(w);
		return LINK_E_CONFIG;
	}
	/* DTR high resets an Uno or a Nano through its auto-reset capacitor,
	 * as opening the port does on Linux; the HELLO retries wait out the
	 * bootloader.  A port without modem lines refuses (Wine on a pty: error
	 * 50, not supported): nothing to reset there, carry on. */
	if (!EscapeCommFunction(w->h, SETDTR))
		w->dtr_err = GetLastError();
	EscapeCommFunction(w->h, SETRTS);
	l->ops = &win_ops;
	l->ctx = w;
	return LINK_OK;
}

int link_open(struct link *l, const char *path, uint32_t baud, unsigned flags)
{
	(void)flags;   /* libserialport and termios are not on Windows */
	memset(l, 0, sizeof(*l));
	l->baud = baud;
	l->bridge.hold_ms = BRIDGE_HOLD_UNKNOWN_MS;   /* COM ports say nothing of it */
	return win_open(l, path, baud);
}

void link_close(struct link *l)
{
	if (l->ops)
		l->ops->close(l->ctx);
	l->ops = NULL;
	l->ctx = NULL;
}
