/*
 * spinor: SPI NOR flash opcodes and status register bits (JEDEC JESD216 /
 * the 25xx family datasheets), the one list shared by the firmware
 * (fw_flash.c), the chip model (chipmodel/flashchip.c) and the client.
 *
 * Only #defines: plain C and C++, nothing to link.
 */
#ifndef SPINOR_H
#define SPINOR_H

/* Status registers */
#define SPINOR_OP_WRSR      0x01  /* write SR1 (SR2 too on 2-byte-WRSR parts) */
#define SPINOR_OP_WRSR2     0x31  /* write SR2 */
#define SPINOR_OP_WRSR3     0x11  /* write SR3 */
#define SPINOR_OP_RDSR      0x05  /* read SR1 */
#define SPINOR_OP_RDSR2     0x35  /* read SR2 */
#define SPINOR_OP_RDSR3     0x15  /* read SR3 */
#define SPINOR_OP_WREN      0x06  /* write enable: sets WEL */
#define SPINOR_OP_WRDI      0x04  /* write disable */
#define SPINOR_OP_VWREN     0x50  /* volatile SR write enable (EWSR on SST) */

/* Array access, 3-byte address (or 4-byte in 4-byte mode) */
#define SPINOR_OP_READ      0x03
#define SPINOR_OP_FAST_READ 0x0B  /* one dummy byte */
#define SPINOR_OP_PP        0x02  /* page program */
#define SPINOR_OP_AAI_WP    0xAD  /* SST auto address increment word program */
#define SPINOR_OP_SE        0x20  /* 4 KiB sector erase */
#define SPINOR_OP_BE32      0x52  /* 32 KiB block erase */
#define SPINOR_OP_BE64      0xD8  /* 64 KiB block erase */
#define SPINOR_OP_CE        0xC7  /* chip erase */
#define SPINOR_OP_CE_60     0x60  /* chip erase, second opcode */

/* Native 4-byte address opcodes */
#define SPINOR_OP_READ4      0x13
#define SPINOR_OP_FAST_READ4 0x0C
#define SPINOR_OP_PP4        0x12
#define SPINOR_OP_SE4        0x21
#define SPINOR_OP_BE32_4     0x5C
#define SPINOR_OP_BE64_4     0xDC

/* 4-byte address mode and the extended address register */
#define SPINOR_OP_EN4B      0xB7
#define SPINOR_OP_EX4B      0xE9
#define SPINOR_OP_WREAR     0xC5
#define SPINOR_OP_RDEAR     0xC8

/* Identification */
#define SPINOR_OP_JEDEC     0x9F  /* RDID: manufacturer, type, capacity */
#define SPINOR_OP_REMS      0x90  /* manufacturer and device ID */
#define SPINOR_OP_RES       0xAB  /* release from power-down / device ID */
#define SPINOR_OP_SFDP      0x5A  /* 3-byte address, 8 dummy clocks */

/* Power and reset */
#define SPINOR_OP_RBPR      0x72  /* SST26: read the block-protection register */
#define SPINOR_OP_ULBPR     0x98  /* SST26: unlock every block (global unprotect) */
#define SPINOR_OP_DP        0xB9  /* deep power-down */
#define SPINOR_OP_RSTEN     0x66  /* reset enable */
#define SPINOR_OP_RST       0x99  /* reset (right after RSTEN) */

/* Status register bits */
#define SPINOR_SR1_WIP      0x01  /* write in progress (busy) */
#define SPINOR_SR1_WEL      0x02  /* write enable latch */
#define SPINOR_SR1_AAI      0x40  /* SST: in AAI mode */
#define SPINOR_SR1_SRP0     0x80  /* status register protect: WP# low locks the registers */
#define SPINOR_SR2_CMP      0x40  /* Winbond: complement protect */
#define SPINOR_SR3_ADS      0x01  /* Winbond 4-byte parts: current address mode */
#define SPINOR_SR3_ADP      0x02  /* Winbond 4-byte parts: power-up address mode */

/* The reach of a 3-byte address: 16 MiB. */
#define SPINOR_ADDR3_SPAN   0x1000000UL

#endif
