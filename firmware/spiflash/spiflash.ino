/*
 * spiflash: SPI NOR flash programmer sketch.
 *
 * Wiring (Uno/Nano): CS D10, MOSI D11, MISO D12, SCK D13, chip at 3.3 V
 * through a level shifter, WP# and HOLD# pulled up.  The protocol is in
 * protocol/PROTOCOL.md of the spiflash repository; the code lives in src/.
 */
#include <SPI.h>

#include "src/fw_core.h"
#include "src/fw_hal.h"

static struct fw_core core;

void setup()
{
	hal_init();
	fw_core_init(&core);
}

void loop()
{
	fw_core_poll(&core);
}
