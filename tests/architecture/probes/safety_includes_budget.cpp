// Must not compile: safety does not use budget (docs/architecture.md).
#include "budget/Money.h"

int archProbeWrongWay()
{
    return 0;
}
