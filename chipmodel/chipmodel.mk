# The strict flash chip model: the emulator's chip, the unit tests' chip and
# the client's -p dummy programmer.

FLASHCHIP_SRCS := chipmodel/flashchip.c chipmodel/fc_protect.c chipmodel/fc_parts.c chipmodel/fc_fault.c
FLASHCHIP_OBJS := $(call host_objs,$(FLASHCHIP_SRCS))
