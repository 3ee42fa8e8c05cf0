/*
 * sys/mman.h for the Windows build: the one mapping -p dummy makes (a whole
 * image file, shared, read and write) with CreateFileMapping and
 * MapViewOfFile (plat_win32.c).  Only what spi_dummy.c uses.
 */
#ifndef SPIFLASH_COMPAT_MMAN_H
#define SPIFLASH_COMPAT_MMAN_H

#include <stddef.h>
#include <sys/types.h>

#define PROT_READ  1
#define PROT_WRITE 2
#define MAP_SHARED 1
#define MAP_FAILED ((void *)-1)
#define MS_SYNC    4

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
int munmap(void *addr, size_t len);
int msync(void *addr, size_t len, int flags);

#endif
