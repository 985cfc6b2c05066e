// libFuzzer: the policy loader on arbitrary files must never crash or hang;
// a policy it accepts must be usable by the classifier.
#include "safety/Classifier.h"
#include "safety/Policy.h"

#include <cstdint>
#include <cstdlib>
#include <memory>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray json(reinterpret_cast<const char *>(data), qsizetype(size));
    auto policy = safecell::safety::parsePolicy(json);
    if (!policy) {
        if (policy.error().reason.isEmpty() || policy.error().line < 1)
            std::abort();
        return 0;
    }
    const safecell::safety::Classifier classifier(std::make_shared<const safecell::safety::Policy>(std::move(*policy)));
    (void)classifier.classify(u"import os\nos.remove('/work/x')\nprint(open('/data/a.csv').read())",
                              safecell::Language::Python);
    (void)classifier.classify(u"DELETE FROM t; SELECT * FROM t WHERE a = 'x';", safecell::Language::Sql);
    return 0;
}
