# safecell_add_test(NAME SOURCES files... [LIBS libs...] [GUI] [ENV k=v...]
#                   [FIXTURES fixtures...] [TIMEOUT s] [LABELS labels...])
# One Qt Test executable per class under test. GUI tests run offscreen.
# What every test process starts from, so that no test can touch the
# developer's real keychain entries or settings, or reach real Cohere or real
# E2B or a team's server: no session bus (a test that needs a Secret Service names the keyring
# fixture's bus in its ENV, which comes later and wins), no keys from the
# environment, and every endpoint on a closed local port unless the test
# starts a fake and points SafeCell at it.
set(SAFECELL_CLOSED_URL "http://127.0.0.1:9")
set(SAFECELL_HERMETIC_TEST_ENV
    "DBUS_SESSION_BUS_ADDRESS=unix:path=${PROJECT_BINARY_DIR}/no-session-bus"
    "COHERE_API_KEY="
    "E2B_API_KEY="
    "SAFECELL_API_TOKEN="
    "SAFECELL_TEAM_URL="
    "SAFECELL_COHERE_URL=${SAFECELL_CLOSED_URL}"
    "SAFECELL_E2B_API_URL=${SAFECELL_CLOSED_URL}"
    "SAFECELL_E2B_SANDBOX_URL=${SAFECELL_CLOSED_URL}"
    "SAFECELL_E2B_DOMAIN=closed.invalid")

function(safecell_add_test name)
  cmake_parse_arguments(ARG "GUI" "TIMEOUT" "SOURCES;LIBS;ENV;FIXTURES;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE safecell_core Qt6::Test SafeCell::options ${ARG_LIBS})
  target_include_directories(${name} PRIVATE "${PROJECT_SOURCE_DIR}/tests")
  add_test(NAME ${name} COMMAND ${name})
  set(env "SAFECELL_TEST_DATA=${PROJECT_SOURCE_DIR}/tests/data"
          "SAFECELL_BINARY=$<TARGET_FILE:safecell>"
          "QT_LOGGING_RULES=safecell.*.info=false"
          ${SAFECELL_HERMETIC_TEST_ENV}
          # Each test gets its own ledger and history, never the user's.
          "SAFECELL_DATA_DIR=${CMAKE_CURRENT_BINARY_DIR}/data/${name}"
          "HOME=${CMAKE_CURRENT_BINARY_DIR}/home/${name}"
          "XDG_CONFIG_HOME=${CMAKE_CURRENT_BINARY_DIR}/home/${name}/.config"
          "XDG_DATA_HOME=${CMAKE_CURRENT_BINARY_DIR}/home/${name}/.local/share"
          "XDG_CACHE_HOME=${CMAKE_CURRENT_BINARY_DIR}/home/${name}/.cache"
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
