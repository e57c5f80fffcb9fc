#pragma once
// A JSON argument given either as JSON text or as a Boost.JSON value, so definitions read
// naturally both ways: `.settings_schema(R"({"type":"object"})")` or
// `.settings_schema(boost::json::object{{"type", "object"}})`. Text is parsed when the
// definition is built (at plugin init), so malformed JSON fails init with a message naming
// the field instead of producing a broken manifest.
#include <boost/json.hpp>

#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>

namespace sr::sdk {

class json_arg {
public:
    json_arg(const char* text) : data_(std::string(text)) {}
    json_arg(std::string_view text) : data_(std::string(text)) {}
    json_arg(const std::string& text) : data_(text) {}
    json_arg(boost::json::value value) : data_(std::move(value)) {}
    json_arg(boost::json::object value) : data_(boost::json::value(std::move(value))) {}
    json_arg(boost::json::array value) : data_(boost::json::value(std::move(value))) {}

    // The value; `what` names the argument in the exception thrown for malformed text.
    boost::json::value resolve(std::string_view what) const {
        if (const auto* value = std::get_if<boost::json::value>(&data_)) return *value;
        const auto& text = std::get<std::string>(data_);
        boost::system::error_code ec;
        auto value = boost::json::parse(text, ec);
        if (ec) {
            throw std::invalid_argument(std::string(what) + ": malformed JSON (" + ec.message() + ")");
        }
        return value;
    }

private:
    std::variant<std::string, boost::json::value> data_;
};

} // namespace sr::sdk
