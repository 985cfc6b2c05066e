// Must compile: safety's own headers and those of the parts it uses.
#include "common/Expected.h"
#include "request/Language.h"
#include "safety/Policy.h"

int archProbeRightWay()
{
    return 0;
}
