#pragma once
// PostgreSQL's jsonb (and text) cannot hold U+0000: "\u0000" in a JSON document is refused at
// the insert. Input that will be stored as jsonb (webhook bodies, API bodies) is checked up
// front so the client gets a 400 naming the problem instead of a 500 from the database.
#include <boost/json/value.hpp>

namespace sr::host {

// True when a string or an object key anywhere in `value` holds U+0000.
bool holds_nul(const boost::json::value& value) noexcept;

} // namespace sr::host
