# One INTERFACE target that carries the language level, the warnings and Qt's
# strictness macros, so every SafeCell target is built the same way.
add_library(safecell_options INTERFACE)
add_library(SafeCell::options ALIAS safecell_options)

target_compile_features(safecell_options INTERFACE cxx_std_20)
set(CMAKE_CXX_EXTENSIONS OFF)

target_compile_options(safecell_options INTERFACE -Wall -Wextra -Wpedantic)
if(SAFECELL_WERROR)
  target_compile_options(safecell_options INTERFACE -Werror)
endif()

target_compile_definitions(safecell_options INTERFACE
  QT_NO_CAST_FROM_ASCII
  QT_NO_CAST_TO_ASCII
  QT_NO_CAST_FROM_BYTEARRAY
  QT_NO_CONTEXTLESS_CONNECT
  QT_NO_URL_CAST_FROM_STRING
  QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
  QT_NO_FOREACH
  QT_NO_KEYWORDS
  QT_USE_QSTRINGBUILDER
  QT_STRICT_ITERATORS
  QT_DISABLE_DEPRECATED_UP_TO=0x060400
  SAFECELL_VERSION="${PROJECT_VERSION}"
)
