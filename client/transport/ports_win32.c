/*
 * ports_win32: link_list_ports on Windows.  The COM ports are the values of
 * HKLM\HARDWARE\DEVICEMAP\SERIALCOMM (every serial driver registers its
 * ports there); SetupAPI adds, for the ports a device of the Ports class
 * owns, the USB VID:PID from its instance ID ("USB\VID_1A86&PID_7523\...",
 * "FTDIBUS\VID_0403+PID_6001+A1B2C3\0000") and its friendly name
 * ("USB-SERIAL CH340 (COM5)"), so ports.c guesses the board as on Linux.
 */
#include "transport/link.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <windows.h>
#include <initguid.h>   /* GUID_DEVCLASS_PORTS defined here, not imported */
#include <setupapi.h>
#include <devguid.h>

struct wport {
	char name[32];          /* "COM5" */
	char friendly[256];
	char serial[64];
	int usb;
	uint16_t vid, pid;
	int found;              /* SetupAPI knows it */
};

static void to_utf8(const wchar_t *w, char *buf, size_t n)
{
	if (WideCharToMultiByte(CP_UTF8, 0, w, -1, buf, (int)n, NULL, NULL) <= 0)
		buf[0] = '\0';
}

/* 4 hex digits after key ("VID_") in id, case-insensitive. */
static int hex_after(const wchar_t *id, const wchar_t *key, uint16_t *v)
{
	const wchar_t *p;
	unsigned x = 0;
	int i;

	for (p = id; *p; p++)
		if (!_wcsnicmp(p, key, wcslen(key)))
			break;
	if (!*p)
		return 0;
	p += wcslen(key);
	for (i = 0; i < 4; i++) {
		wchar_t c = p[i];

		x <<= 4;
		if (c >= L'0' && c <= L'9')
			x |= (unsigned)(c - L'0');
		else if (c >= L'a' && c <= L'f')
			x |= (unsigned)(c - L'a' + 10);
		else if (c >= L'A' && c <= L'F')
			x |= (unsigned)(c - L'A' + 10);
		else
			return 0;
	}
	*v = (uint16_t)x;
	return 1;
}

/* The COM names of SERIALCOMM into ports[]; the count. */
static unsigned registry_ports(struct wport *ports, unsigned max)
{
	HKEY k;
	DWORD i, n = 0;

	if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, L"HARDWARE\\DEVICEMAP\\SERIALCOMM", 0, KEY_READ, &k))
		return 0;
	for (i = 0; n < max; i++) {
		wchar_t value[256], data[64];
		DWORD vlen = 256, dlen = sizeof(data) - sizeof(wchar_t), type;
		LONG r = RegEnumValueW(k, i, value, &vlen, NULL, &type, (BYTE *)data, &dlen);

		if (r == ERROR_NO_MORE_ITEMS)
			break;
		if (r != ERROR_SUCCESS || type != REG_SZ)
			continue;
		data[dlen / sizeof(wchar_t)] = 0;
		memset(&ports[n], 0, sizeof(ports[n]));
		to_utf8(data, ports[n].name, sizeof(ports[n].name));
		if (ports[n].name[0])
			n++;
	}
	RegCloseKey(k);
	return n;
}

/* SetupAPI's Ports class: friendly name and USB IDs of the ports found. */
static void setupapi_details(struct wport *ports, unsigned n)
{
	HDEVINFO set = SetupDiGetClassDevsW(&GUID_DEVCLASS_PORTS, NULL, NULL, DIGCF_PRESENT);
	SP_DEVINFO_DATA d;
	DWORD i;

	if (set == INVALID_HANDLE_VALUE)
		return;
	for (i = 0;; i++) {
		wchar_t pname[64], id[512], fname[256];
		DWORD len = sizeof(pname) - sizeof(wchar_t), type;
		struct wport *p = NULL;
		char name[32];
		HKEY k;
		unsigned j;

		memset(&d, 0, sizeof(d));
		d.cbSize = sizeof(d);
		if (!SetupDiEnumDeviceInfo(set, i, &d))
			break;
		k = SetupDiOpenDevRegKey(set, &d, DICS_FLAG_GLOBAL, 0, DIREG_DEV, KEY_READ);
		if (k == INVALID_HANDLE_VALUE)
			continue;
		memset(pname, 0, sizeof(pname));
		if (RegQueryValueExW(k, L"PortName", NULL, &type, (BYTE *)pname, &len) ||
		    type != REG_SZ)
			pname[0] = 0;
		RegCloseKey(k);
		to_utf8(pname, name, sizeof(name));
		for (j = 0; j < n && name[0]; j++)
			if (!_stricmp(ports[j].name, name))
				p = &ports[j];
		if (!p)
			continue;
		p->found = 1;
		if (SetupDiGetDeviceRegistryPropertyW(set, &d, SPDRP_FRIENDLYNAME, NULL, (BYTE *)fname,
						      sizeof(fname) - sizeof(wchar_t), NULL))
			to_utf8(fname, p->friendly, sizeof(p->friendly));
		if (!SetupDiGetDeviceInstanceIdW(set, &d, id, sizeof(id) / sizeof(id[0]), NULL))
			continue;
		if (hex_after(id, L"VID_", &p->vid) && hex_after(id, L"PID_", &p->pid)) {
			/* USB\VID_x&PID_y\SERIAL: the last part is the serial number
			 * unless Windows made one up (it has a '&' then) */
			wchar_t *last = wcsrchr(id, L'\\');

			p->usb = 1;
			if (last && !wcschr(last, L'&') && !_wcsnicmp(id, L"USB\\", 4))
				to_utf8(last + 1, p->serial, sizeof(p->serial));
		}
	}
	SetupDiDestroyDeviceInfoList(set);
}

/* COM2 before COM10 */
static int by_number(const void *a, const void *b)
{
	const struct wport *x = a, *y = b;
	int nx = !_strnicmp(x->name, "COM", 3) ? atoi(x->name + 3) : 1 << 30;
	int ny = !_strnicmp(y->name, "COM", 3) ? atoi(y->name + 3) : 1 << 30;

	return nx != ny ? (nx < ny ? -1 : 1) : strcmp(x->name, y->name);
}

int link_list_ports(void (*cb)(void *arg, const struct link_port_info *p), void *arg)
{
	enum { MAX_PORTS = 256 };
	struct wport *ports = calloc(MAX_PORTS, sizeof(*ports));
	unsigned n, i;

	if (!ports)
		return LINK_E_NOMEM;
	n = registry_ports(ports, MAX_PORTS);
	setupapi_details(ports, n);
	qsort(ports, n, sizeof(*ports), by_number);
	for (i = 0; i < n; i++) {
		struct link_port_info info;

		memset(&info, 0, sizeof(info));
		info.name = ports[i].name;
		info.description = ports[i].friendly[0] ? ports[i].friendly : "serial port";
		if (ports[i].usb) {
			info.usb = 1;
			info.vid = ports[i].vid;
			info.pid = ports[i].pid;
			info.serial = ports[i].serial[0] ? ports[i].serial : NULL;
		}
		cb(arg, &info);
	}
	free(ports);
	return (int)n;
}
