#pragma once

#include <utility>
#include <variant>

namespace safecell {

// Errors as values: either a T or an E, never both. A small stand-in for
// C++23's std::expected, which C++20 does not have. [[nodiscard]]: an error
// is handled or shown, never dropped by forgetting the result.
template <class E>
struct Unexpected {
    E error;
};

template <class E>
Unexpected<E> unexpected(E error)
{
    return Unexpected<E>{std::move(error)};
}

template <class T, class E>
class [[nodiscard]] Expected {
public:
    Expected(T value)
        : m_data(std::in_place_index<0>, std::move(value))
    {
    }
    Expected(Unexpected<E> error)
        : m_data(std::in_place_index<1>, std::move(error.error))
    {
    }

    bool hasValue() const { return m_data.index() == 0; }
    explicit operator bool() const { return hasValue(); }

    const T &value() const & { return std::get<0>(m_data); }
    T &value() & { return std::get<0>(m_data); }
    T &&value() && { return std::get<0>(std::move(m_data)); }
    const T &operator*() const & { return value(); }
    const T *operator->() const { return &value(); }
    T *operator->() { return &value(); }

    const E &error() const & { return std::get<1>(m_data); }
    E &&error() && { return std::get<1>(std::move(m_data)); }

private:
    std::variant<T, E> m_data;
};

} // namespace safecell
