#include "services/jsonb_text.hpp"

#include <boost/json.hpp>

namespace sr::host {

bool holds_nul(const boost::json::value& value) noexcept {
    if (const auto* s = value.if_string()) return s->find('\0') != boost::json::string::npos;
    if (const auto* a = value.if_array()) {
        for (const auto& element : *a)
            if (holds_nul(element)) return true;
        return false;
    }
    if (const auto* o = value.if_object())
        for (const auto& [key, member] : *o)
            if (key.find('\0') != boost::json::string_view::npos || holds_nul(member)) return true;
    return false;
}

} // namespace sr::host
