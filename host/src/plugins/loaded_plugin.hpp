#pragma once
// One plugin file after loading: either loaded (and initialised) or refused with a reason.
#include <memory>
#include <string>

#include <boost/dll/shared_library.hpp>
#include <boost/json/value.hpp>

#include "sr/core/plugin/plugin_instance.hpp"

namespace sr::host {

struct loaded_plugin {
    // Declared first so it is destroyed last: the instance's deinit must run while the code is
    // still mapped. (The instance also holds the library, for owners that outlive this struct.)
    std::shared_ptr<boost::dll::shared_library> library;
    std::string file;
    std::string sha256;
    std::shared_ptr<core::plugin_instance> instance;
    boost::json::value manifest;
};

struct refused_plugin {
    std::string file;
    std::string reason; // names the file, e.g. "/p/x.so: built for ABI 2, host speaks 1"
};

} // namespace sr::host
