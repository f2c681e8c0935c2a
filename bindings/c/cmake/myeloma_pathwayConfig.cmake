# CMake package configuration for the myeloma-pathway C API.
#
# Installed by bindings/c/install.sh to <prefix>/lib/cmake/myeloma_pathway/. Use:
#
#   find_package(myeloma_pathway 0.1 REQUIRED)      # with CMAKE_PREFIX_PATH=<prefix>
#   target_link_libraries(app PRIVATE myeloma_pathway::myeloma_pathway)   # shared library
#   target_link_libraries(app PRIVATE myeloma_pathway::static)            # static library
#
# Decision support for clinicians, not a medical device.

get_filename_component(_mp_prefix "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
set(myeloma_pathway_INCLUDE_DIR "${_mp_prefix}/include")

if(NOT TARGET myeloma_pathway::shared)
  add_library(myeloma_pathway::shared SHARED IMPORTED)
  set_target_properties(myeloma_pathway::shared PROPERTIES
    IMPORTED_LOCATION "${_mp_prefix}/lib/libmyeloma_pathway.so"
    INTERFACE_INCLUDE_DIRECTORIES "${myeloma_pathway_INCLUDE_DIR}")
endif()

if(NOT TARGET myeloma_pathway::static)
  add_library(myeloma_pathway::static STATIC IMPORTED)
  # What a Rust static library needs from the system (rustc --print native-static-libs).
  set_target_properties(myeloma_pathway::static PROPERTIES
    IMPORTED_LOCATION "${_mp_prefix}/lib/libmyeloma_pathway.a"
    INTERFACE_INCLUDE_DIRECTORIES "${myeloma_pathway_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES "gcc_s;util;rt;pthread;m;dl;c")
endif()

if(NOT TARGET myeloma_pathway::myeloma_pathway)
  add_library(myeloma_pathway::myeloma_pathway INTERFACE IMPORTED)
  set_target_properties(myeloma_pathway::myeloma_pathway PROPERTIES
    INTERFACE_LINK_LIBRARIES myeloma_pathway::shared)
endif()

unset(_mp_prefix)
