/*
 * test_bridge: the USB bridge behind a port, found in a sysfs tree built
 * the way Linux lays it out (ttyUSB: usb-serial port under the interface;
 * ttyACM: the interface itself; ttyS: a platform device, no USB).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "transport/bridge.h"

static char root[64];

static void put(const char *rel, const char *text)
{
	char path[256], *p;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (p = path + strlen(root) + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	if (!text) {
		mkdir(path, 0755);
		return;
	}
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void link_tty(const char *tty, const char *dev)
{
	char from[256], to[256];

	snprintf(from, sizeof(from), "class/tty/%s/x", tty);
	put(from, NULL);
	snprintf(from, sizeof(from), "%s/class/tty/%s/device", root, tty);
	snprintf(to, sizeof(to), "%s/%s", root, dev);
	assert_int_equal(symlink(to, from), 0);
}

static int setup(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "/tmp/test_bridge.XXXXXX");
	assert_non_null(mkdtemp(root));
	/* an FT232R with ftdi_sio: latency_timer on the usb-serial port */
	put("devices/usb1/1-1/idVendor", "0403\n");
	put("devices/usb1/1-1/idProduct", "6001\n");
	put("devices/usb1/1-1/1-1:1.0/ttyUSB0/latency_timer", "16\n");
	link_tty("ttyUSB0", "devices/usb1/1-1/1-1:1.0/ttyUSB0");
	/* an Uno's ATmega16U2 with cdc_acm: no timer */
	put("devices/usb1/1-2/idVendor", "2341\n");
	put("devices/usb1/1-2/idProduct", "0043\n");
	put("devices/usb1/1-2/1-2:1.0/x", "");
	link_tty("ttyACM0", "devices/usb1/1-2/1-2:1.0");
	/* a PC's COM port */
	put("devices/platform/serial8250/x", "");
	link_tty("ttyS0", "devices/platform/serial8250");
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd);
}

static void test_ftdi(void **state)
{
	uint16_t vid = 0, pid = 0;
	int lat;

	(void)state;
	assert_int_equal(bridge_sysfs(root, "ttyUSB0", &vid, &pid, &lat), 0);
	assert_int_equal(vid, 0x0403);
	assert_int_equal(pid, 0x6001);
	assert_int_equal(lat, 16);
}

static void test_acm(void **state)
{
	uint16_t vid = 0, pid = 0;
	int lat;

	(void)state;
	assert_int_equal(bridge_sysfs(root, "ttyACM0", &vid, &pid, &lat), 0);
	assert_int_equal(vid, 0x2341);
	assert_int_equal(pid, 0x0043);
	assert_int_equal(lat, -1);
}

static void test_not_usb(void **state)
{
	uint16_t vid = 0, pid = 0;
	int lat;

	(void)state;
	assert_int_equal(bridge_sysfs(root, "ttyS0", &vid, &pid, &lat), -1);
	assert_int_equal(bridge_sysfs(root, "ttyUSB9", &vid, &pid, &lat), -1);
}

/* The line info prints; no port is opened (fd -1), so nothing is set. */
static void test_text(void **state)
{
	struct bridge b;

	(void)state;
	bridge_open(&b, "/dev/ttyUSB0", -1, root);
	assert_int_equal(b.usb, 1);
	assert_int_equal(b.latency_ms, 16);
	assert_int_equal(b.restore, 0);
	assert_string_equal(b.text, "FTDI FT232R (Nano, Duemilanove), USB 0403:6001, latency timer 16 ms");
	assert_int_equal(b.hold_ms, 16);
	bridge_open(&b, "/dev/ttyACM0", -1, root);
	assert_string_equal(b.text, "Arduino Uno (ATmega16U2), USB 2341:0043");
	assert_int_equal(b.hold_ms, BRIDGE_HOLD_UNKNOWN_MS);    /* no timer to read */
	bridge_open(&b, "/dev/ttyS0", -1, root);
	assert_string_equal(b.text, "none known (ttyS0 is not a USB port)");
	assert_int_equal(b.hold_ms, 0);
	bridge_open(&b, "/dev/pts/3", -1, root);
	assert_string_equal(b.text, "none known (a pseudo-terminal)");
	assert_int_equal(b.hold_ms, 0);
	bridge_close(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ftdi),
		cmocka_unit_test(test_acm),
		cmocka_unit_test(test_not_usb),
		cmocka_unit_test(test_text),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
