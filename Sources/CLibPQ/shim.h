#ifndef STEDENBAND_CLIBPQ_SHIM_H
#define STEDENBAND_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
