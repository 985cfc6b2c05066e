// libFuzzer: the Python lexer and the analyser on arbitrary input must never
// crash, hang or read out of bounds, and tokens must stay inside the text.
#include "safety/Classifier.h"
#include "safety/PyLexer.h"
#include "safety/PyStringLiteral.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const QList<safecell::safety::PyToken> tokens = safecell::safety::lexPython(text);
    int previousStart = -1;
    for (const auto &token : tokens) {
        if (token.start < 0 || token.length < 0 || token.start + token.length > text.size() || token.line < 1
            || token.column < 1 || token.start < previousStart)
            std::abort();
        previousStart = token.start;
        (void)safecell::safety::pyStringBody(text, token);
    }
    static const safecell::safety::Classifier classifier;
    const safecell::Verdict verdict = classifier.classify(text, safecell::Language::Python);
    for (const auto &finding : verdict.findings) {
        if (finding.line < 1 || finding.column < 1 || finding.length < 0)
            std::abort();
    }
    return 0;
}
