# Debian's libqscintilla2-qt6-dev ships no CMake package: find the library
# qscintilla2_qt6 and the headers under Qt's include folder (Qsci/).
get_target_property(_qt_core_includes Qt6::Core INTERFACE_INCLUDE_DIRECTORIES)
find_path(QScintilla_INCLUDE_DIR
  NAMES Qsci/qsciscintilla.h
  HINTS ${_qt_core_includes}
  PATH_SUFFIXES .. qt6)
find_library(QScintilla_LIBRARY NAMES qscintilla2_qt6)

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(QScintilla
  REQUIRED_VARS QScintilla_LIBRARY QScintilla_INCLUDE_DIR)

if(QScintilla_FOUND AND NOT TARGET QScintilla::QScintilla)
  add_library(QScintilla::QScintilla UNKNOWN IMPORTED)
  set_target_properties(QScintilla::QScintilla PROPERTIES
    IMPORTED_LOCATION "${QScintilla_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${QScintilla_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES "Qt6::Widgets;Qt6::PrintSupport")
  # QScintilla's headers use Qt's bare `signals`/`slots` keywords, which
  # QT_NO_KEYWORDS (set for all of SafeCell) switches off.
  set_property(TARGET QScintilla::QScintilla APPEND PROPERTY
    INTERFACE_COMPILE_DEFINITIONS "signals=Q_SIGNALS" "slots=Q_SLOTS")
endif()
mark_as_advanced(QScintilla_INCLUDE_DIR QScintilla_LIBRARY)
