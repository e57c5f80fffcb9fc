#pragma once
#include <scenario/sdk.hpp>

#include <boost/json.hpp>

#include <string_view>

namespace sr::plugins::system {

// system.webhook: each verified delivery becomes one event {"body", "headers"}.
sdk::trigger webhook_trigger();

// The event body: parsed JSON when the delivery is (or may be) JSON, else the text; null
// when empty.
boost::json::value webhook_body(std::string_view raw_body, const boost::json::string* content_type);

} // namespace sr::plugins::system
