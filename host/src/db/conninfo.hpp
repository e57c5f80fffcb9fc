#pragma once
// Building libpq connection strings, in either of libpq's two forms (key=value or URI).
#include <string>
#include <string_view>

namespace sr::host {

// A value quoted for a key=value conninfo string: single quotes, with ' and \ escaped by a
// backslash (libpq's rule), so paths with spaces or quotes survive.
std::string quote_conninfo_value(std::string_view value);

// `conninfo` with key=value added (replacing any earlier value of key: in libpq the later
// keyword wins; a URI gets it as a query parameter).
std::string conninfo_with(std::string_view conninfo, std::string_view key, std::string_view value);

} // namespace sr::host
