# sr_add_plugin(<name> SOURCES <src>... [OUTPUT_DIRECTORY <dir>])
#
# Builds an integration plugin as a MODULE library named <name>.so that exports exactly one
# symbol, sr_plugin_entry_v1. Everything else is hidden, undefined symbols are link errors
# (a plugin links against no host symbol), and the result lands in OUTPUT_DIRECTORY
# (default: SR_PLUGIN_OUTPUT_DIR, else the current binary dir).
#
# Also defines <name>_static, a static library of the same sources, so tests can call the
# plugin without dlopen (the entry symbol is then reached through sr_plugin_entry_v1 of that
# library; link only one plugin's static library into one test binary).
get_filename_component(_sr_helpers_dir "${CMAKE_CURRENT_LIST_FILE}" DIRECTORY)
set(SR_PLUGIN_VERSION_SCRIPT "${_sr_helpers_dir}/sr_plugin.map" CACHE INTERNAL "")

function(sr_add_plugin name)
  cmake_parse_arguments(ARG "" "OUTPUT_DIRECTORY" "SOURCES;LIBRARIES" ${ARGN})
  if(NOT ARG_OUTPUT_DIRECTORY)
    if(SR_PLUGIN_OUTPUT_DIR)
      set(ARG_OUTPUT_DIRECTORY ${SR_PLUGIN_OUTPUT_DIR})
    else()
      set(ARG_OUTPUT_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
    endif()
  endif()

  add_library(${name}_objects OBJECT ${ARG_SOURCES})
  set_target_properties(${name}_objects PROPERTIES
    CXX_VISIBILITY_PRESET hidden C_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON
    POSITION_INDEPENDENT_CODE ON)
  target_link_libraries(${name}_objects PUBLIC Scenario::sdk_cpp ${ARG_LIBRARIES})
  if(COMMAND sr_target_defaults)
    sr_target_defaults(${name}_objects)
  endif()

  add_library(${name} MODULE $<TARGET_OBJECTS:${name}_objects>)
  target_link_libraries(${name} PRIVATE ${name}_objects)
  set_target_properties(${name} PROPERTIES
    PREFIX "" LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIRECTORY}
    LINK_DEPENDS ${SR_PLUGIN_VERSION_SCRIPT})
  target_link_options(${name} PRIVATE
    "LINKER:--no-undefined" "LINKER:--version-script=${SR_PLUGIN_VERSION_SCRIPT}")

  add_library(${name}_static STATIC $<TARGET_OBJECTS:${name}_objects>)
  target_link_libraries(${name}_static PUBLIC ${name}_objects)
endfunction()
