# Linux: FHS layout under the prefix (/usr in the .deb), a desktop entry,
# hicolor icons, AppStream metainfo, a man page and Debian's doc files.
# Included from installer/CMakeLists.txt.

set(linux_dir "${CMAKE_CURRENT_SOURCE_DIR}/linux")

install(FILES "${linux_dir}/${SAFECELL_APP_ID}.desktop"
  DESTINATION "${CMAKE_INSTALL_DATADIR}/applications")
install(FILES "${linux_dir}/${SAFECELL_APP_ID}.metainfo.xml"
  DESTINATION "${CMAKE_INSTALL_DATADIR}/metainfo")
install(FILES "${SAFECELL_ICON_SVG}"
  DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps")
foreach(png IN LISTS safecell_png_icons)
  get_filename_component(size_dir "${png}" DIRECTORY)
  get_filename_component(size_dir "${size_dir}" NAME)
  install(FILES "${png}" DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size_dir}/apps")
endforeach()

# Resolve symbols at start-up so the GOT can be read-only (full RELRO), as
# Debian's hardened builds do (lintian: hardening-no-bindnow).
target_link_options(safecell PRIVATE "LINKER:-z,now")

# The man page: the template's version filled in here, then its synopsis,
# commands and options by safecell_manpage from src/cli's table of commands,
# the same table --help and every command's parser come from.
configure_file("${linux_dir}/safecell.1.in" "${CMAKE_CURRENT_BINARY_DIR}/safecell.1.template" @ONLY)
set(SAFECELL_MAN_PAGE "${CMAKE_CURRENT_BINARY_DIR}/safecell.1")
add_custom_command(OUTPUT "${SAFECELL_MAN_PAGE}"
  COMMAND safecell_manpage "${CMAKE_CURRENT_BINARY_DIR}/safecell.1.template" "${SAFECELL_MAN_PAGE}"
  DEPENDS safecell_manpage "${CMAKE_CURRENT_BINARY_DIR}/safecell.1.template"
  COMMENT "Generating the man page"
  VERBATIM)

# Debian wants the man page and the changelog compressed with gzip -9n (no
# name or time stamp in the header, so the package is reproducible).
find_program(SAFECELL_GZIP gzip REQUIRED)
set(gz_dir "${CMAKE_CURRENT_BINARY_DIR}/gz")
set(man_gz "${gz_dir}/safecell.1.gz")
set(changelog_gz "${gz_dir}/changelog.gz")
add_custom_command(OUTPUT "${man_gz}" "${changelog_gz}"
  COMMAND "${CMAKE_COMMAND}" -E make_directory "${gz_dir}"
  COMMAND sh -c "\"$1\" -9nc \"$2\" > \"$3\" && \"$1\" -9nc \"$4\" > \"$5\""
          sh "${SAFECELL_GZIP}" "${SAFECELL_MAN_PAGE}" "${man_gz}"
             "${linux_dir}/changelog" "${changelog_gz}"
  DEPENDS "${SAFECELL_MAN_PAGE}" "${linux_dir}/changelog"
  COMMENT "Compressing the man page and the changelog"
  VERBATIM)
add_custom_target(safecell_docs ALL DEPENDS "${man_gz}" "${changelog_gz}")
install(FILES "${man_gz}" DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")
# A native Debian package (version without a Debian revision) keeps its
# changelog as changelog.gz.
install(FILES "${changelog_gz}" "${linux_dir}/copyright"
  DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/safecell")

# Checks that need no package: the metainfo and the desktop entry are valid.
if(SAFECELL_BUILD_TESTS)
  find_program(SAFECELL_APPSTREAMCLI appstreamcli)
  if(SAFECELL_APPSTREAMCLI)
    # --pedantic, and clean: any error, warning, info or pedantic hint fails.
    # --no-net: the screenshots and URLs are on github.com, out of CI's reach.
    add_test(NAME installer_metainfo_valid
      COMMAND "${SAFECELL_APPSTREAMCLI}" validate --pedantic --no-net --explain
              "${linux_dir}/${SAFECELL_APP_ID}.metainfo.xml")
    set_tests_properties(installer_metainfo_valid PROPERTIES FAIL_REGULAR_EXPRESSION "[EWIP]: [^ ]+: [a-z]")
  endif()
  find_program(SAFECELL_DESKTOP_FILE_VALIDATE desktop-file-validate)
  if(SAFECELL_DESKTOP_FILE_VALIDATE)
    add_test(NAME installer_desktop_entry_valid
      COMMAND "${SAFECELL_DESKTOP_FILE_VALIDATE}" "${linux_dir}/${SAFECELL_APP_ID}.desktop")
  endif()
endif()

# Generators: a Debian package and a relocatable tarball (bin/, share/).
set(CPACK_GENERATOR "DEB;TGZ")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # safecell_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION "utils")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${PROJECT_HOMEPAGE_URL}")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# dpkg-shlibdeps derives the libraries the executable links (Qt 6 Core,
# Gui (which carries the xcb and offscreen platform plugins in Debian 12),
# Widgets, Network, Sql, Charts, HttpServer, QtKeychain, QScintilla, libc,
# libstdc++); the rest are needed at run time without being linked: Qt's
# SQLite driver plugin, its SVG icon engine plugin (libqt6svg6: the GUI's
# icons), the sandbox and the Python it runs.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6sql6-sqlite, libqt6svg6, bubblewrap, python3")
# Rich output (DataFrames as tables, matplotlib figures) and shared Excel
# files (openpyxl); plain runs work without.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "python3-pandas, python3-matplotlib, python3-openpyxl")
# A team ledger on PostgreSQL (safecell team, Settings > Team) needs Qt's
# PostgreSQL driver; a desktop on its own never loads it.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "libqt6sql6-psql")
