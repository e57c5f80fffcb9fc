#pragma once
// A bare request for handing to the router directly, without a socket.
#include "http/http_message.hpp"

#include <string>
#include <utility>

namespace sr::test {

inline host::http_request request_of(std::string method, std::string path) {
    host::http_request r;
    r.method = std::move(method);
    r.path = std::move(path);
    r.target = r.path;
    return r;
}

} // namespace sr::test
