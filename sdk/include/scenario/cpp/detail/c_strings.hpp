#pragma once
// Conversions between the ABI's borrowed sr_str and C++ strings.
#include <scenario/sr_plugin.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace sr::sdk::detail {

inline std::string_view view(sr_str s) noexcept {
    if (s.data == nullptr) return {};
    return {s.data, static_cast<std::size_t>(s.size)};
}

inline std::string copy(sr_str s) { return std::string(view(s)); }

inline sr_str borrow(std::string_view s) noexcept {
    return sr_str{s.data(), static_cast<uint64_t>(s.size())};
}

} // namespace sr::sdk::detail
