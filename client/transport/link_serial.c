/*
 * link_serial: the libserialport back end, and port enumeration.  The only
 * file that includes libserialport.h.
 */
#include "transport/link.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <libserialport.h>

static void sp_detail(struct link *l)
{
	char *msg = sp_last_error_message();

	snprintf(l->detail, sizeof(l->detail), "%s", msg ? msg : "unknown error");
	sp_free_error_message(msg);
}

static void ser_close(void *ctx)
{
	struct sp_port *p = ctx;

	if (!p)
		return;
	sp_close(p);
	sp_free_port(p);
}

static int ser_read(void *ctx, uint8_t *buf, size_t len, unsigned timeout_ms)
{
	enum sp_return r;

	/* a timeout of 0 means "forever" to libserialport */
	if (timeout_ms == 0)
		r = sp_nonblocking_read(ctx, buf, len);
	else
		r = sp_blocking_read_next(ctx, buf, len, timeout_ms);
	if (r < 0)
		return LINK_E_IO;
	return (int)r;
}

static int ser_write(void *ctx, const uint8_t *buf, size_t len, unsigned timeout_ms)
{
	enum sp_return r = sp_blocking_write(ctx, buf, len, timeout_ms ? timeout_ms : 1);

	if (r < 0)
		return LINK_E_IO;
	if ((size_t)r < len)
		return LINK_E_TIMEOUT;
	return LINK_OK;
}

static int ser_flush_input(void *ctx)
{
	return sp_flush(ctx, SP_BUF_INPUT) == SP_OK ? LINK_OK : LINK_E_IO;
}

static int ser_set_baud(void *ctx, uint32_t baud)
{
	return sp_set_baudrate(ctx, (int)baud) == SP_OK ? LINK_OK : LINK_E_CONFIG;
}

static const struct link_ops ser_ops = {
	.name = "libserialport",
	.close = ser_close,
	.read = ser_read,
	.write = ser_write,
	.flush_input = ser_flush_input,
	.set_baud = ser_set_baud,
};

int link_serial_open(struct link *l, const char *path, uint32_t baud)
{
	struct sp_port *p = NULL;
	struct stat st;
	int err, fd;

	if (stat(path, &st)) {
		snprintf(l->detail, sizeof(l->detail), "%s", strerror(errno));
		return errno == ENOENT ? LINK_E_NOENT : LINK_E_OPEN;
	}
	if (sp_get_port_by_name(path, &p) != SP_OK) {
		sp_detail(l);
		return LINK_E_NOTTY;
	}
	if (sp_open(p, SP_MODE_READ_WRITE) != SP_OK) {
		int e = errno;

		sp_detail(l);
		err = (e == EACCES || e == EBUSY || e == EPERM) ? LINK_E_OPEN : LINK_E_NOTTY;
		goto fail;
	}
	if (sp_set_baudrate(p, (int)baud) != SP_OK || sp_set_bits(p, 8) != SP_OK ||
	    sp_set_parity(p, SP_PARITY_NONE) != SP_OK || sp_set_stopbits(p, 1) != SP_OK ||
	    sp_set_flowcontrol(p, SP_FLOWCONTROL_NONE) != SP_OK) {
		sp_detail(l);
		err = LINK_E_CONFIG;
		goto fail;
	}
	l->ops = &ser_ops;
	l->ctx = p;
	if (sp_get_port_handle(p, &fd) != SP_OK)
		fd = -1;
	bridge_open(&l->bridge, path, fd, "/sys");
	return LINK_OK;
fail:
	ser_close(p);
	return err;
}

int link_list_ports(void (*cb)(void *arg, const struct link_port_info *p), void *arg)
{
	struct sp_port **list = NULL;
	int i, vid, pid;

	if (sp_list_ports(&list) != SP_OK)
		return LINK_E_IO;
	for (i = 0; list[i]; i++) {
		struct link_port_info info;

		memset(&info, 0, sizeof(info));
		info.name = sp_get_port_name(list[i]);
		info.description = sp_get_port_description(list[i]);
		if (sp_get_port_transport(list[i]) == SP_TRANSPORT_USB &&
		    sp_get_port_usb_vid_pid(list[i], &vid, &pid) == SP_OK) {
			info.usb = 1;
			info.vid = (uint16_t)vid;
			info.pid = (uint16_t)pid;
			info.manufacturer = sp_get_port_usb_manufacturer(list[i]);
			info.product = sp_get_port_usb_product(list[i]);
			info.serial = sp_get_port_usb_serial(list[i]);
		}
		cb(arg, &info);
	}
	sp_free_port_list(list);
	return i;
}
