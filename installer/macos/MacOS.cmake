# macOS: SafeCell.app (the executable is SafeCell.app/Contents/MacOS/SafeCell,
# data in Contents/Resources) in a drag-and-drop .dmg. Written for a Mac with
# Qt 6 and librsvg (for the icon); it cannot be built on the Debian CI.
# src/app/CMakeLists.txt makes the target a bundle; this file fills its
# Info.plist, icon and Qt frameworks. Included from installer/CMakeLists.txt.

set_target_properties(safecell PROPERTIES
  MACOSX_BUNDLE_BUNDLE_NAME "SafeCell"
  MACOSX_BUNDLE_GUI_IDENTIFIER "${SAFECELL_APP_ID}"
  MACOSX_BUNDLE_BUNDLE_VERSION "${PROJECT_VERSION}"
  MACOSX_BUNDLE_SHORT_VERSION_STRING "${PROJECT_VERSION}"
  MACOSX_BUNDLE_LONG_VERSION_STRING "SafeCell ${PROJECT_VERSION}"
  MACOSX_BUNDLE_COPYRIGHT "Copyright 2026 The SafeCell developers"
  MACOSX_BUNDLE_ICON_FILE "SafeCell.icns")

# SafeCell.icns from the rendered PNGs with Apple's iconutil.
find_program(SAFECELL_ICONUTIL iconutil)
if(SAFECELL_ICONUTIL AND safecell_png_icons)
  set(iconset "${CMAKE_CURRENT_BINARY_DIR}/SafeCell.iconset")
  set(icns "${CMAKE_CURRENT_BINARY_DIR}/SafeCell.icns")
  set(copy_commands "")
  # iconutil's names: icon_<n>x<n>.png, and icon_<n>x<n>@2x.png of 2n pixels.
  foreach(entry IN ITEMS 16:icon_16x16 32:icon_16x16@2x 32:icon_32x32 64:icon_32x32@2x
                         128:icon_128x128 256:icon_128x128@2x 256:icon_256x256
                         512:icon_256x256@2x 512:icon_512x512)
    string(REPLACE ":" ";" entry "${entry}")
    list(GET entry 0 pixels)
    list(GET entry 1 name)
    list(APPEND copy_commands COMMAND "${CMAKE_COMMAND}" -E copy
         "${CMAKE_CURRENT_BINARY_DIR}/icons/${pixels}x${pixels}/${SAFECELL_APP_ID}.png"
         "${iconset}/${name}.png")
  endforeach()
  add_custom_command(OUTPUT "${icns}"
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${iconset}"
    ${copy_commands}
    COMMAND "${SAFECELL_ICONUTIL}" --convert icns --output "${icns}" "${iconset}"
    DEPENDS ${safecell_png_icons}
    COMMENT "Making SafeCell.icns"
    VERBATIM)
  add_custom_target(safecell_icns ALL DEPENDS "${icns}")
  install(FILES "${icns}" DESTINATION "SafeCell.app/Contents/Resources")
endif()

# Qt's deployment (macdeployqt under the hood): frameworks and plugins into
# the bundle. QtKeychain and QScintilla are found through their install names.
qt_generate_deploy_app_script(
  TARGET safecell
  FILENAME_VARIABLE safecell_deploy_script # OUTPUT_SCRIPT from Qt 6.5 on; 6.4 is the minimum
  NO_UNSUPPORTED_PLATFORM_ERROR)
install(SCRIPT "${safecell_deploy_script}")

set(CPACK_GENERATOR "DragNDrop")
set(CPACK_DMG_VOLUME_NAME "SafeCell")
set(CPACK_DMG_FORMAT "UDBZ")
