/*
 * emu_usb: the USB-serial chip between the AVR and the host (--bridge, see
 * emu_bridge.h): when the bytes the AVR sends are passed on to the host.
 */
#include "emu_bridge.h"
#include "emu_bridge_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int emu_bridge_set_usb(struct emu_bridge *b, const char *spec, char *err, size_t errlen)
{
	avr_cycle_count_t ms = (avr_cycle_count_t)b->avr->frequency / 1000u;
	char *end;

	memset(&b->usb, 0, sizeof(b->usb));
	b->usb.name = "none";
	if (!strcmp(spec, "none"))
		return 0;
	if (!strcmp(spec, "16u2") || !strcmp(spec, "ch340")) {
		b->usb.name = spec[0] == '1' ? "16u2" : "ch340";
		b->usb.packet = spec[0] == '1' ? 64 : 32;
		b->usb.frame = ms;
		return 0;
	}
	if (!strncmp(spec, "ftdi", 4) && (spec[4] == '\0' || spec[4] == ':')) {
		unsigned long t = 16;

		if (spec[4] == ':') {
			t = strtoul(spec + 5, &end, 10);
			if (*end || t < 1 || t > 255) {
				snprintf(err, errlen, "ftdi latency timer '%s': 1-255 ms", spec + 5);
				return -1;
			}
		}
		b->usb.name = "ftdi";
		b->usb.packet = 62;
		b->usb.hold = ms * t;
		return 0;
	}
	snprintf(err, errlen, "unknown bridge '%s' (none, ftdi[:MS], 16u2, ch340)", spec);
	return -1;
}

/*
 * Queue a byte from the AVR for the host once the USB chip would pass it
 * on: it reaches the chip when its stop bit ends (wire_end); a full packet
 * goes at once, a partial one when the chip's timer or the next frame says.
 */
void emu_usb_enqueue(struct emu_bridge *b, uint8_t byte)
{
	struct emu_ring *r = &b->from_dev;
	avr_cycle_count_t at = b->wire_end, due = at;
	uint32_t before = r->head, i;

	if (b->usb.packet) {
		if (!b->batch_open || at >= b->batch_due) {
			b->batch_open = 1;
			b->batch_head = r->head;
			b->batch_n = 0;
			b->batch_due = b->usb.hold ? at + b->usb.hold :
				       (at / b->usb.frame + 1) * b->usb.frame;
		}
		due = b->batch_due;
	}
	if (emu_fault_enqueue(b, r, EMU_FROM_DEV, byte, due + b->latency) < 0) {
		b->st.dropped_full++;
		return;
	}
	if (!b->usb.packet)
		return;
	b->batch_n += r->head - before;
	if (b->batch_n < b->usb.packet)
		return;
	/* a full packet: it and everything before it go now (not before a
	 * stall the fault injector started) */
	due = at + b->latency > r->stall_until ? at + b->latency : r->stall_until;
	for (i = b->batch_head; i != r->head; i++)
		if (r->due[i & EMU_RING_MASK] > due)
			r->due[i & EMU_RING_MASK] = due;
	if (r->last_due > due)
		r->last_due = due;
	b->batch_open = 0;
}
