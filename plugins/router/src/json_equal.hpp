#pragma once
#include <boost/json/value.hpp>

namespace sr::plugins::router {

// Deep JSON equality where numbers compare by value, so 1, 1.0 and 1u are the same: a
// mapped value and a case typed in the editor often differ only in number representation.
bool json_equal(const boost::json::value& a, const boost::json::value& b);

} // namespace sr::plugins::router
