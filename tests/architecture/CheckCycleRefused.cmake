# Configures a small project whose parts form a cycle; safecell_part must
# refuse it with its message.
file(REMOVE_RECURSE "${WORK_DIR}")
execute_process(COMMAND "${CMAKE_COMMAND}" -S "${SOURCE_DIR}" -B "${WORK_DIR}" -DSAFECELL_MODULES=${MODULES}
  RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE out)
file(REMOVE_RECURSE "${WORK_DIR}")
if(result EQUAL 0)
  message(FATAL_ERROR "a cycle between parts was accepted:\n${out}")
endif()
string(FIND "${out}" "Part 'alpha' uses 'beta', which is not declared before it" found)
if(found EQUAL -1)
  message(FATAL_ERROR "configure failed, but not by refusing the cycle:\n${out}")
endif()
message(STATUS "a cycle between parts is refused at configure time")
