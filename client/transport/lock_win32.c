/*
 * lock_win32: lock.h on Windows.  A named mutex per port ("Local\spiflash
 * port COM5"), taken before the link opens and held until the end, so a
 * second spiflash on the same port is refused at once with the same words
 * as on Linux.  The port itself is opened exclusively as well (CreateFile
 * with share mode 0, link_win32.c): any other program that has it open
 * makes the open fail with "access denied".  A process that dies releases
 * its mutex.
 *
 * struct lock keeps an int: Windows handles fit in 32 bits (Microsoft
 * documents that 64-bit Windows keeps them so for interoperability), so the
 * mutex handle is kept there; -1 means nothing held.
 */
#include "transport/lock.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <windows.h>

int lock_take(struct lock *l, const char *path, char *msg, size_t msglen)
{
	wchar_t name[96];
	const char *p = path;
	size_t i, n;
	HANDLE h;

	l->fd = -1;
	if (!strncmp(p, "\\\\.\\", 4))
		p += 4;
	wcscpy(name, L"Local\\spiflash port ");
	n = wcslen(name);
	/* COM5 and com5 are one port; the name may not hold a backslash */
	for (i = 0; p[i] && n + 1 < sizeof(name) / sizeof(name[0]); i++) {
		unsigned char c = (unsigned char)p[i];

		name[n++] = c == '\\' ? L'_' : (c >= 'a' && c <= 'z') ? (wchar_t)(c - 32) : (wchar_t)c;
	}
	name[n] = 0;
	h = CreateMutexW(NULL, FALSE, name);
	if (!h)
		return 0;   /* no lock to be had: the exclusive open still guards */
	if (GetLastError() == ERROR_ALREADY_EXISTS) {
		CloseHandle(h);
		snprintf(msg, msglen, "'%s' is in use by another spiflash: wait until it has finished (two programs on one port would mix their bytes)",
			 path);
		return LOCK_E_BUSY;
	}
	l->fd = (int)(intptr_t)h;
	return 0;
}

void lock_release(struct lock *l)
{
	if (l->fd >= 0)
		CloseHandle((HANDLE)(intptr_t)l->fd);
	l->fd = -1;
}
