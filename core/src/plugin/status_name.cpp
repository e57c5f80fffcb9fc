#include "sr/core/plugin/status_name.hpp"

namespace sr::core {

std::string_view status_name(sr_status status) noexcept {
    switch (status) {
    case SR_OK: return "ok";
    case SR_PENDING: return "pending";
    case SR_ERR_INVALID_ARGUMENT: return "invalid_argument";
    case SR_ERR_UNKNOWN_TARGET: return "unknown_target";
    case SR_ERR_UNSUPPORTED: return "unsupported";
    case SR_ERR_ALREADY_COMPLETED: return "already_completed";
    case SR_ERR_CANCELLED: return "cancelled";
    case SR_ERR_TIMEOUT: return "timeout";
    case SR_ERR_CONNECT: return "connect";
    case SR_ERR_IO: return "io";
    case SR_ERR_NOT_FOUND: return "not_found";
    case SR_ERR_TOO_LARGE: return "too_large";
    case SR_ERR_INTERNAL: return "internal";
    case SR_ERR_INIT_FAILED: return "init_failed";
    }
    return "unknown_status";
}

} // namespace sr::core
