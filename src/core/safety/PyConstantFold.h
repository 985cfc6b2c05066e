#pragma once

#include "safety/PyLexer.h"

#include <QStringView>

#include <optional>
#include <vector>

namespace safecell::safety {

// The value of tokens [begin, end) when they are an integer or float
// expression written with literals only: + - * ** // and parentheses, True
// and False. Sizes such as 10**12 are judged by their value, whatever way
// they are written; anything computed is nullopt.
std::optional<double> foldConstant(QStringView source, const PyToken *tokens, const std::vector<int> &match, int begin,
                                   int end);

// Whether tokens [begin, end) are a condition that is always true as
// written: a non-zero constant, a non-empty string, `not False`, or a
// comparison of two constants (`2 > 1`).
bool isConstantTruth(QStringView source, const PyToken *tokens, const std::vector<int> &match, int begin, int end);

} // namespace safecell::safety
