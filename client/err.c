/* err: the text of each client error (err.h). */
#include "err.h"
#include "proto.h"

const char *sf_strerror(int err)
{
	if (DEV_IS_REMOTE(err))
		return proto_status_str(DEV_REMOTE_STATUS(err));
	switch (err) {
	case SF_OK:            return "ok";
	case LINK_E_NOENT:     return "no such port";
	case LINK_E_OPEN:      return "cannot open port";
	case LINK_E_NOTTY:     return "not a serial port";
	case LINK_E_IO:        return "serial read or write failed";
	case LINK_E_TIMEOUT:   return "serial write timed out";
	case LINK_E_CONFIG:    return "cannot configure port";
	case DEV_E_LINK:       return "serial link failed";
	case DEV_E_NOANSWER:   return "no answer";
	case DEV_E_TIMEOUT:    return "the device stopped answering";
	case DEV_E_VERSION:    return "protocol version not supported";
	case DEV_E_BADRESP:    return "malformed response from the device";
	case DEV_E_ARG:        return "request too long for the device";
	case DEV_E_RESET:      return "the device restarted during the session";
	case DEV_E_NOISY:      return "every answer arrived damaged";
	case DEV_E_RATE:       return "the link does not work at that rate";
	case DEV_E_OPEN:       return "cannot open the programmer";
	case OPS_E_NOCHIP:     return "no chip answered";
	case OPS_E_UNKNOWN:    return "unknown chip";
	case OPS_E_RANGE:      return "range outside the chip";
	case OPS_E_PROTECTED:  return "chip is write protected";
	case OPS_E_MISMATCH:   return "verify mismatch";
	case OPS_E_UNSTABLE:   return "reads are unstable";
	case OPS_E_NOTBLANK:   return "not blank";
	case OPS_E_STUCK:      return "the chip did not take the write";
	case FILE_E_OPEN:      return "cannot open the file";
	case FILE_E_READ:      return "cannot read the file";
	case FILE_E_WRITE:     return "cannot write the file";
	case FILE_E_SHORT:     return "the file does not cover the range";
	case BACKUP_E_FILE:    return "cannot write the backup";
	case BACKUP_E_JOURNAL: return "cannot write the resume journal";
	case LOCK_E_BUSY:      return "the port is in use";
	case STATE_E_DIR:      return "no writable state directory";
	case REGION_E_FILE:    return "cannot read the layout or image";
	case REGION_E_LAYOUT:  return "malformed layout or FMAP";
	case REGION_E_NONAME:  return "no such region";
	case REGION_E_SIZE:    return "the region file is not the region's size";
	case REGION_E_NOFMAP:  return "no FMAP found";
	case MULTI_E_SYS:      return "cannot start a parallel job";
	case PORTS_E_NONE:     return "no programmer answers";
	case PORTS_E_MANY:     return "several programmers answer";
	case PORTS_E_LIST:     return "cannot list the serial ports";
	case LINK_E_NOMEM:
	case OPS_E_NOMEM:
	case FILE_E_NOMEM:
	case PORTS_E_NOMEM:    return "out of memory";
	case SF_E_INTERRUPTED: return "interrupted";
	case FILE_E_EXISTS:    return "the file exists and differs";
	default:               return "unknown error";
	}
}
