#pragma once

#include <QStringView>

#include <algorithm>
#include <bitset>

namespace safecell::safety {

// A cheap pre-check in front of a name set: remembers (length, first
// character) pairs, so most names are rejected without hashing them.
class NameFilter {
public:
    void add(QStringView name) { m_bits.set(index(name)); }
    bool mayContain(QStringView name) const { return m_bits.test(index(name)); }

private:
    static size_t index(QStringView name)
    {
        const size_t length = std::min<size_t>(size_t(name.size()), 31);
        const size_t first = name.isEmpty() ? 0 : std::min<size_t>(name[0].unicode(), 127);
        return length * 128 + first;
    }
    std::bitset<32 * 128> m_bits;
};

template <class Set>
NameFilter filterOf(const Set &set)
{
    NameFilter filter;
    for (const auto &name : set)
        filter.add(name);
    return filter;
}

} // namespace safecell::safety
