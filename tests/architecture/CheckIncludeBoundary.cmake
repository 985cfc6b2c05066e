# Builds the RIGHT probe (must succeed) and the WRONG one (must fail because
# MISSING cannot be found, not for any other reason).
foreach(var BUILD_DIR WRONG RIGHT MISSING)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "${var} is not set")
  endif()
endforeach()

execute_process(COMMAND "${CMAKE_COMMAND}" --build "${BUILD_DIR}" --target ${RIGHT}
  RESULT_VARIABLE right_result OUTPUT_VARIABLE right_out ERROR_VARIABLE right_out)
if(NOT right_result EQUAL 0)
  message(FATAL_ERROR "the probe that stays inside its part did not build:\n${right_out}")
endif()

execute_process(COMMAND "${CMAKE_COMMAND}" --build "${BUILD_DIR}" --target ${WRONG}
  RESULT_VARIABLE wrong_result OUTPUT_VARIABLE wrong_out ERROR_VARIABLE wrong_out)
if(wrong_result EQUAL 0)
  message(FATAL_ERROR "a wrong-way include (${MISSING}) built: the parts' boundaries do not hold")
endif()
string(FIND "${wrong_out}" "${MISSING}: No such file or directory" found)
if(found EQUAL -1)
  message(FATAL_ERROR "the wrong-way probe failed, but not because ${MISSING} was out of reach:\n${wrong_out}")
endif()
message(STATUS "a wrong-way include of ${MISSING} does not compile; the right-way probe does")
