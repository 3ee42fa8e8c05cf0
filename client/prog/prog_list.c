/* prog_list: every programmer the client knows (prog.h), in the order --help
 * and messages name them.  A new programmer adds its driver here. */
#include "prog/prog.h"
#include "prog/sketch.h"
#include "prog/spi_dummy.h"
#include "prog/spi_linux.h"
#include "prog/spi_serprog.h"

const struct prog_driver *const prog_drivers[] = {
	&prog_sketch_driver,
	&prog_serprog_driver,
	&prog_linux_spi_driver,
	&prog_dummy_driver,
	NULL,
};
