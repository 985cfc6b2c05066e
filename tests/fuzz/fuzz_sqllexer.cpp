// libFuzzer: the SQL lexer, splitter and analyser on arbitrary input.
#include "safety/Classifier.h"
#include "safety/SqlLexer.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const QList<safecell::safety::SqlToken> tokens = safecell::safety::lexSql(text);
    for (const auto &token : tokens) {
        if (token.start < 0 || token.length < 0 || token.start + token.length > text.size() || token.line < 1
            || token.column < 1)
            std::abort();
    }
    int previousEnd = 0;
    for (const auto &statement : safecell::safety::splitSql(tokens, text)) {
        if (statement.begin < previousEnd || statement.end <= statement.begin || statement.end > tokens.size())
            std::abort();
        previousEnd = statement.end;
    }
    static const safecell::safety::Classifier classifier;
    const safecell::Verdict verdict = classifier.classify(text, safecell::Language::Sql);
    for (const auto &finding : verdict.findings) {
        if (finding.line < 1 || finding.column < 1 || finding.length < 0)
            std::abort();
    }
    return 0;
}
