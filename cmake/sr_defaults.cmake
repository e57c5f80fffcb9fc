# Compile settings for the project's own targets (never applied to third-party code).

if(SR_SANITIZE)
  # Applied globally so every object, including the plugins the host dlopens, shares one
  # sanitizer runtime.
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# gold links the large test executables in about half the time of the default bfd linker.
include(CheckLinkerFlag)
check_linker_flag(CXX "-fuse-ld=gold" SR_HAVE_GOLD)
if(SR_HAVE_GOLD)
  add_link_options(-fuse-ld=gold)
endif()

function(sr_target_defaults target)
  # -Wrestrict: GCC 12 reports std::string::replace inlined at -O3 as overlapping memcpy
  # (GCC bug 105329), from valijson's headers in Release builds; it stays a warning.
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror -Wno-error=deprecated-declarations
    -Wno-error=restrict)
  if(SR_UNITY_BUILD)
    # In a unity batch every .cpp but the first counts as a header to GCC, which then warns
    # about anonymous-namespace types used in the others' classes and coroutine frames. The
    # warning guards against headers included by several translation units; a batch is one.
    target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:-Wno-subobject-linkage>)
  endif()
  if(SR_SANITIZE)
    # GCC 12 reports false maybe-uninitialized warnings inside libstdc++ under ASan.
    target_compile_options(${target} PRIVATE -Wno-maybe-uninitialized)
  endif()
endfunction()
