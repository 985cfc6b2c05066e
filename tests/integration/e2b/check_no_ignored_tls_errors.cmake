# Fails when any source under SOURCE_DIR turns certificate checking off:
# ignoreSslErrors (any overload), setInsecureFallback(true), or a peer
# verify mode of VerifyNone / QueryPeer. SafeCell never ignores TLS errors.
# Usage: cmake -DSOURCE_DIR=<dir> -P check_no_ignored_tls_errors.cmake
if(NOT IS_DIRECTORY "${SOURCE_DIR}")
  message(FATAL_ERROR "no such folder: ${SOURCE_DIR}")
endif()
file(GLOB_RECURSE sources "${SOURCE_DIR}/*.cpp" "${SOURCE_DIR}/*.h" "${SOURCE_DIR}/*.hpp" "${SOURCE_DIR}/*.cc")
set(offences "")
foreach(source IN LISTS sources)
  file(STRINGS "${source}" lines REGEX "ignoreSslErrors|setInsecureFallback|VerifyNone|QueryPeer")
  foreach(line IN LISTS lines)
    if(line MATCHES "ignoreSslErrors|setInsecureFallback[ \t]*\\([ \t]*true|VerifyNone|QueryPeer")
      string(STRIP "${line}" line)
      list(APPEND offences "${source}: ${line}")
    endif()
  endforeach()
endforeach()
list(LENGTH sources count)
if(offences)
  list(JOIN offences "\n  " text)
  message(FATAL_ERROR "TLS certificate checks turned off in:\n  ${text}")
endif()
message(STATUS "${count} sources checked: no TLS error is ever ignored")
