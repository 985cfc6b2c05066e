# Windows: an NSIS installer and a ZIP, laid out as <prefix>/bin/safecell.exe
# (with Qt's DLLs and plugins beside it) and <prefix>/share/safecell (data).
# Written for a Windows build machine with Qt 6, NSIS and optionally
# ImageMagick; it cannot be built on the Debian CI. Included from
# installer/CMakeLists.txt. See installer/README.md.

# Qt's deployment (windeployqt under the hood): Qt DLLs, the platform,
# style, image format and SQL driver plugins go next to the executable.
qt_generate_deploy_app_script(
  TARGET safecell
  FILENAME_VARIABLE safecell_deploy_script # OUTPUT_SCRIPT from Qt 6.5 on; 6.4 is the minimum
  NO_UNSUPPORTED_PLATFORM_ERROR)
install(SCRIPT "${safecell_deploy_script}")

# windeployqt copies Qt's own DLLs only. QtKeychain's and QScintilla's DLLs
# come from wherever they were built; list them here (a ;-list of paths).
set(SAFECELL_EXTRA_RUNTIME_DLLS "" CACHE STRING
    "Non-Qt DLLs to ship beside safecell.exe (QtKeychain, QScintilla)")
install(FILES $<TARGET_RUNTIME_DLLS:safecell> ${SAFECELL_EXTRA_RUNTIME_DLLS}
  DESTINATION "${CMAKE_INSTALL_BINDIR}")

# The .ico for the installer and the shortcuts, made from the rendered PNGs.
find_program(SAFECELL_MAGICK magick)
set(safecell_ico "")
if(SAFECELL_MAGICK AND safecell_png_icons)
  set(safecell_ico "${CMAKE_CURRENT_BINARY_DIR}/safecell.ico")
  list(FILTER safecell_png_icons EXCLUDE REGEX "/512x512/") # .ico stops at 256
  add_custom_command(OUTPUT "${safecell_ico}"
    COMMAND "${SAFECELL_MAGICK}" ${safecell_png_icons} "${safecell_ico}"
    DEPENDS ${safecell_png_icons}
    COMMENT "Making safecell.ico"
    VERBATIM)
  add_custom_target(safecell_ico ALL DEPENDS "${safecell_ico}")
  install(FILES "${safecell_ico}" DESTINATION "${CMAKE_INSTALL_BINDIR}")
endif()

set(CPACK_GENERATOR "NSIS;ZIP")
set(CPACK_NSIS_PACKAGE_NAME "SafeCell")
set(CPACK_NSIS_DISPLAY_NAME "SafeCell ${PROJECT_VERSION}")
set(CPACK_NSIS_CONTACT "maintainers@safecell.invalid")
set(CPACK_NSIS_URL_INFO_ABOUT "${PROJECT_HOMEPAGE_URL}")
set(CPACK_NSIS_EXECUTABLES_DIRECTORY "${CMAKE_INSTALL_BINDIR}") # Start menu shortcut target
set(CPACK_NSIS_INSTALLED_ICON_NAME "${CMAKE_INSTALL_BINDIR}\\safecell.exe") # one backslash: CPACK_VERBATIM_VARIABLES
set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
set(CPACK_NSIS_MODIFY_PATH ON) # offers to put bin\ on PATH for `safecell run`
set(CPACK_NSIS_MANIFEST_DPI_AWARE ON)
if(safecell_ico)
  set(CPACK_NSIS_MUI_ICON "${safecell_ico}")
  set(CPACK_NSIS_MUI_UNIICON "${safecell_ico}")
endif()
