# CheckSourceLength.cmake must fail on a folder holding a file over the
# limit and name that file (and not the one at the limit), and pass once
# the long file is gone.
foreach(var WORK_DIR CHECK)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "${var} is not set")
  endif()
endforeach()

file(REMOVE_RECURSE "${WORK_DIR}")
string(REPEAT "int x;\n" 10 at_limit)
string(REPEAT "int x;\n" 11 over_limit)
file(WRITE "${WORK_DIR}/part/AtLimit.cpp" "${at_limit}")
file(WRITE "${WORK_DIR}/part/nested/OverLimit.cpp" "${over_limit}")
file(WRITE "${WORK_DIR}/part/NotSource.h" "${over_limit}${over_limit}")

execute_process(COMMAND "${CMAKE_COMMAND}" -DFOLDER=${WORK_DIR}/part -DLIMIT=10 -P "${CHECK}"
  RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(result EQUAL 0)
  file(REMOVE_RECURSE "${WORK_DIR}")
  message(FATAL_ERROR "an 11-line .cpp passed a 10-line limit:\n${out}")
endif()
string(FIND "${out}" "nested/OverLimit.cpp: 11 lines" named)
string(FIND "${out}" "AtLimit.cpp" at_limit_named)
string(FIND "${out}" "NotSource.h" header_named)
if(named EQUAL -1 OR NOT at_limit_named EQUAL -1 OR NOT header_named EQUAL -1)
  file(REMOVE_RECURSE "${WORK_DIR}")
  message(FATAL_ERROR "the check failed, but did not name exactly the long .cpp:\n${out}")
endif()

file(REMOVE "${WORK_DIR}/part/nested/OverLimit.cpp")
execute_process(COMMAND "${CMAKE_COMMAND}" -DFOLDER=${WORK_DIR}/part -DLIMIT=10 -P "${CHECK}"
  RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE out)
file(REMOVE_RECURSE "${WORK_DIR}")
if(NOT result EQUAL 0)
  message(FATAL_ERROR "a .cpp at the limit failed the check:\n${out}")
endif()
message(STATUS "the length check names a .cpp over the limit and passes one at it")
