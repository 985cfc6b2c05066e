#include "PyAnalysis.h"

#include "safety/PyConstantFold.h"

namespace safecell::safety {

void PyAnalysis::loopStatement(int i)
{
    const bool isWhile = isWord(i, u"while");
    // header up to the ':' at bracket depth 0
    int colon = i + 1;
    while (valid(colon) && !isEnd(colon) && !isOp(colon, u':')) {
        if (m_match[colon] > colon)
            colon = m_match[colon];
        ++colon;
    }
    if (!isOp(colon, u':'))
        return;
    int bodyBegin = colon + 1;
    int bodyEnd = bodyBegin;
    const int indent = m_tok[i].indent;
    if (valid(bodyBegin) && m_tok[bodyBegin].kind != PyToken::Newline) {
        while (valid(bodyEnd) && m_tok[bodyEnd].kind != PyToken::Newline)
            ++bodyEnd;
    } else {
        bodyBegin = colon + 2;
        bodyEnd = bodyBegin;
        while (valid(bodyEnd) && (m_tok[bodyEnd].indent > indent || !m_tok[bodyEnd].lineStart)
               && !(m_tok[bodyEnd].lineStart && m_tok[bodyEnd].indent <= indent))
            ++bodyEnd;
    }
    const bool constTrue = isWhile && isConstantTruth(m_s, m_tok, m_match, i + 1, colon);
    bool leaves = false;
    if (constTrue) {
        std::vector<int> nested; // indents of loops inside the body
        for (int k = bodyBegin; k < bodyEnd && !leaves; ++k) {
            if (m_tok[k].lineStart) {
                while (!nested.empty() && m_tok[k].indent <= nested.back())
                    nested.pop_back();
                if (isWord(k, u"for") || isWord(k, u"while") || (isWord(k, u"async") && isWord(k + 1, u"for")))
                    nested.push_back(m_tok[k].indent);
            }
            if (isWord(k, u"break") && nested.empty())
                leaves = true;
            else if (isWord(k, u"return") || isWord(k, u"raise") || isWord(k, u"yield"))
                leaves = true;
            else if ((isWord(k, u"exit") || isWord(k, u"quit") || isWord(k, u"_exit") || isWord(k, u"abort"))
                     && isOp(k + 1, u'('))
                leaves = true;
        }
        if (!leaves)
            report(QStringLiteral("PY-LOOP"), i, colon);
    }
    m_loops.push_back({bodyBegin, bodyEnd, constTrue && !leaves});
}

// A fork anywhere in a loop, or any process started in an endless one.
void PyAnalysis::reportSpawnsInLoops()
{
    for (const auto &[at, fork] : m_spawns) {
        for (const LoopBody &loop : m_loops) {
            if (at >= loop.begin && at < loop.end && (fork || loop.unbounded)) {
                report(QStringLiteral("PY-ABUSE"), at, at, QStringLiteral("started in a loop"));
                break;
            }
        }
    }
}

} // namespace safecell::safety
