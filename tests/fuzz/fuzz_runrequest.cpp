// libFuzzer: the request JSON parser (the serve API's body) on arbitrary
// bytes must never crash or hang, and whatever it accepts obeys its rules.
#include "request/RunRequest.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray json(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto request = safecell::parseRunRequestJson(json);
    if (request) {
        if (request->code.trimmed().isEmpty()
            || safecell::countUserCharacters(request->code) > safecell::RunRequest::kMaxCodeCharacters
            || request->maxExecutionTimeMs <= 0
            || request->maxExecutionTimeMs > safecell::RunRequest::kDefaultTimeLimitCapMs)
            std::abort();
    } else if (request.error().fields.isEmpty() || request.error().toString().isEmpty()) {
        std::abort(); // a rejection always says why
    }
    return 0;
}
