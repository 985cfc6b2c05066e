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
        // The recipe's rule is 1 to 50,000 characters; whitespace counts.
        const qsizetype characters = safecell::countUserCharacters(request->code);
        if (characters < 1 || characters > safecell::RunRequest::kMaxCodeCharacters || request->maxExecutionTimeMs <= 0
            || request->maxExecutionTimeMs > safecell::RunRequest::kDefaultTimeLimitCapMs)
            std::abort();
    } else if (request.error().fields.isEmpty() || request.error().toString().isEmpty()) {
        std::abort(); // a rejection always says why
    }
    return 0;
}
