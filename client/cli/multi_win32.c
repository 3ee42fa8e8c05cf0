/*
 * multi_win32: multi.h on Windows.  multi.c gives each device a child made
 * by fork(), which Windows does not have; until a CreateProcess version
 * exists, several -d are refused with a way around it.
 */
#include "cli/multi.h"

int multi_run(const struct multi_opts *m, multi_fn fn, void *arg, FILE *out, FILE *err,
	      char *msg, size_t msglen)
{
	(void)fn;
	(void)arg;
	(void)out;
	(void)err;
	snprintf(msg, msglen,
		 "%u devices at once is not available on Windows: run one spiflash per port (each with one -d)",
		 m->n);
	return MULTI_E_SYS;
}
