# sr_add_plugin(<name> SOURCES <src>... [LIBRARIES <lib>...] [OUTPUT_DIRECTORY <dir>])
#
# Builds an integration plugin as a MODULE library named <name>.so that exports exactly one
# symbol, sr_plugin_entry_v1. Everything else is hidden, undefined symbols are link errors
# (a plugin links against no host symbol), and the result lands in OUTPUT_DIRECTORY
# (default: SR_PLUGIN_OUTPUT_DIR, else the current binary dir).
#
# Targets: <name> (the .so), <name>_objects (the compiled sources; add definitions or include
# directories there) and <name>_static, a static library of the same objects, so tests can
# call the plugin without dlopen (through its sr_plugin_entry_v1; link only one plugin's
# static library into one test binary).
#
# C++ plugins get Scenario::sdk_cpp (the C++ layer and Boost.JSON); plugins written only in
# C get Scenario::sdk (the header alone). Works inside the Scenario Runtime tree and from an
# installed SDK (find_package(ScenarioSDK)); inside the tree the project's warning flags
# (sr_target_defaults) apply too.
get_filename_component(_sr_helpers_dir "${CMAKE_CURRENT_LIST_FILE}" DIRECTORY)
set(SR_PLUGIN_VERSION_SCRIPT "${_sr_helpers_dir}/sr_plugin.map" CACHE INTERNAL "")

function(sr_add_plugin name)
  cmake_parse_arguments(ARG "" "OUTPUT_DIRECTORY" "SOURCES;LIBRARIES" ${ARGN})
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "sr_add_plugin(${name}): no SOURCES given")
  endif()
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "sr_add_plugin(${name}): unexpected arguments ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT ARG_OUTPUT_DIRECTORY)
    if(SR_PLUGIN_OUTPUT_DIR)
      set(ARG_OUTPUT_DIRECTORY ${SR_PLUGIN_OUTPUT_DIR})
    else()
      set(ARG_OUTPUT_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
    endif()
  endif()

  set(sdk_target Scenario::sdk)
  set(link_language C)
  foreach(src ${ARG_SOURCES})
    if(NOT src MATCHES "\\.c$")
      set(sdk_target Scenario::sdk_cpp)
      set(link_language CXX)
    endif()
  endforeach()

  add_library(${name}_objects OBJECT ${ARG_SOURCES})
  set_target_properties(${name}_objects PROPERTIES
    CXX_VISIBILITY_PRESET hidden C_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON
    POSITION_INDEPENDENT_CODE ON)
  target_link_libraries(${name}_objects PUBLIC ${sdk_target} ${ARG_LIBRARIES})
  if(COMMAND sr_target_defaults)
    sr_target_defaults(${name}_objects)
  endif()

  # CMake links the objects once although they are named both ways; the source form tells
  # it the objects exist, the link form carries their usage requirements.
  add_library(${name} MODULE $<TARGET_OBJECTS:${name}_objects>)
  target_link_libraries(${name} PRIVATE ${name}_objects)
  set_target_properties(${name} PROPERTIES
    PREFIX "" LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIRECTORY}
    LINKER_LANGUAGE ${link_language}
    LINK_DEPENDS ${SR_PLUGIN_VERSION_SCRIPT})
  target_link_options(${name} PRIVATE
    "LINKER:--no-undefined" "LINKER:--version-script=${SR_PLUGIN_VERSION_SCRIPT}")

  add_library(${name}_static STATIC $<TARGET_OBJECTS:${name}_objects>)
  target_link_libraries(${name}_static PUBLIC ${name}_objects)
  set_target_properties(${name}_static PROPERTIES LINKER_LANGUAGE ${link_language})
endfunction()
