#pragma once
// Names for the ABI's status codes, for logs and error messages (Node-API's napi_status
// messages). Every value of the append-only enum in sr_plugin.h has an entry here.
#include <scenario/sr_plugin.h>

#include <string_view>

namespace sr::sdk {

constexpr std::string_view status_message(sr_status status) noexcept {
    switch (status) {
    case SR_OK: return "SR_OK: done";
    case SR_PENDING: return "SR_PENDING: will complete later";
    case SR_ERR_INVALID_ARGUMENT: return "SR_ERR_INVALID_ARGUMENT: invalid argument";
    case SR_ERR_UNKNOWN_TARGET:
        return "SR_ERR_UNKNOWN_TARGET: no such action, trigger, connection type or field";
    case SR_ERR_UNSUPPORTED: return "SR_ERR_UNSUPPORTED: call kind or service not supported";
    case SR_ERR_ALREADY_COMPLETED: return "SR_ERR_ALREADY_COMPLETED: the call was already completed";
    case SR_ERR_CANCELLED: return "SR_ERR_CANCELLED: cancelled";
    case SR_ERR_TIMEOUT: return "SR_ERR_TIMEOUT: timed out";
    case SR_ERR_CONNECT: return "SR_ERR_CONNECT: could not connect";
    case SR_ERR_IO: return "SR_ERR_IO: connection broke while sending or receiving";
    case SR_ERR_NOT_FOUND: return "SR_ERR_NOT_FOUND: not found";
    case SR_ERR_TOO_LARGE: return "SR_ERR_TOO_LARGE: too large";
    case SR_ERR_INTERNAL: return "SR_ERR_INTERNAL: internal error";
    case SR_ERR_INIT_FAILED: return "SR_ERR_INIT_FAILED: plugin initialisation failed";
    default: return "unknown sr_status";
    }
}

} // namespace sr::sdk
