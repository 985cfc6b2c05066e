# How the core is cut into parts: one static library each, declared in
# dependency order (see docs/architecture.md).
# safecell_part(<name> [USES <parts declared before>...] [QT <Qt components>...])
# makes safecell_<name> from the folder <name> beside the calling list file.
# Its headers are reached as "<name>/Header.h" through a folder of the build
# tree that holds only that part, so a part that includes one it does not use
# does not compile; a part that uses one not declared yet is refused, so the
# graph cannot have a cycle.
function(safecell_part name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "USES;QT")
  set(target safecell_${name})
  add_library(${target} STATIC)
  add_library(SafeCell::${name} ALIAS ${target})
  set(root "${CMAKE_CURRENT_BINARY_DIR}/parts/${name}")
  file(MAKE_DIRECTORY "${root}")
  file(CREATE_LINK "${CMAKE_CURRENT_SOURCE_DIR}/${name}" "${root}/${name}" SYMBOLIC)
  target_include_directories(${target} PUBLIC "${root}")
  set(used_targets)
  foreach(used IN LISTS arg_USES)
    if(NOT TARGET safecell_${used})
      message(FATAL_ERROR "Part '${name}' uses '${used}', which is not declared before it "
                          "(parts are declared in dependency order: see docs/architecture.md)")
    endif()
    list(APPEND used_targets safecell_${used})
  endforeach()
  list(TRANSFORM arg_QT PREPEND Qt6::)
  target_link_libraries(${target} PUBLIC ${used_targets} ${arg_QT} SafeCell::options)
  set_property(GLOBAL APPEND PROPERTY SAFECELL_PARTS ${name})
  add_subdirectory(${name})
endfunction()
