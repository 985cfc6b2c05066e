# safecell_add_test(NAME SOURCES files... [LIBS libs...] [GUI] [ENV k=v...]
#                   [FIXTURES fixtures...] [TIMEOUT s] [LABELS labels...])
# One Qt Test executable per class under test. GUI tests run offscreen.
function(safecell_add_test name)
  cmake_parse_arguments(ARG "GUI" "TIMEOUT" "SOURCES;LIBS;ENV;FIXTURES;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE safecell_core Qt6::Test SafeCell::options ${ARG_LIBS})
  target_include_directories(${name} PRIVATE "${PROJECT_SOURCE_DIR}/tests")
  add_test(NAME ${name} COMMAND ${name})
  set(env "SAFECELL_TEST_DATA=${PROJECT_SOURCE_DIR}/tests/data"
          "SAFECELL_BINARY=$<TARGET_FILE:safecell>"
          "QT_LOGGING_RULES=safecell.*.info=false"
          # Each test gets its own ledger and history, never the user's.
          "SAFECELL_DATA_DIR=${CMAKE_CURRENT_BINARY_DIR}/data/${name}"
          ${ARG_ENV})
  if(ARG_GUI)
    list(APPEND env "QT_QPA_PLATFORM=offscreen")
  endif()
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 120)
  endif()
  set_tests_properties(${name} PROPERTIES ENVIRONMENT "${env}" TIMEOUT ${ARG_TIMEOUT})
  if(ARG_FIXTURES)
    set_tests_properties(${name} PROPERTIES FIXTURES_REQUIRED "${ARG_FIXTURES}")
  endif()
  if(ARG_LABELS)
    set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}")
  endif()
endfunction()
