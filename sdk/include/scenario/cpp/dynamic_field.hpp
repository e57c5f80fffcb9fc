#pragma once
// A settings field whose choices the plugin fetches at edit time (SR_CALL_FIELD_OPTIONS),
// e.g. the categories of the connected blog.
#include <scenario/cpp/detail/schema.hpp>
#include <scenario/cpp/handler.hpp>

#include <boost/json.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace sr::sdk {

enum class field_type { select, multi_select };

class dynamic_field {
public:
    // `field` must be a property of the owner's settings_schema.properties.
    explicit dynamic_field(std::string field, field_type type = field_type::select)
        : field_(std::move(field)), type_(type) {}

    dynamic_field& label(std::string text) {
        label_ = std::move(text);
        return *this;
    }
    // What the options depend on: "connection" or names of other settings properties.
    dynamic_field& depends_on(std::vector<std::string> names) {
        depends_on_ = std::move(names);
        return *this;
    }
    dynamic_field& cache_ttl_s(int64_t seconds) {
        cache_ttl_s_ = seconds;
        return *this;
    }
    dynamic_field& allow_custom(bool allow = true) {
        allow_custom_ = allow;
        return *this;
    }
    // Answers with {"options":[{"value": ..., "label": "..."}, ...]}; dependency values
    // arrive in ctx.settings(), the connection in ctx.connection().
    dynamic_field& options(handler fn) {
        options_ = std::move(fn);
        return *this;
    }

    const std::string& field() const noexcept { return field_; }
    const handler& options_handler() const noexcept { return options_; }

    boost::json::object to_json() const {
        boost::json::object o;
        o["field"] = field_;
        o["type"] = type_ == field_type::select ? "select" : "multi-select";
        o["label"] = label_.empty() ? field_ : label_;
        o["depends_on"] = detail::to_array(depends_on_);
        o["cache_ttl_s"] = cache_ttl_s_;
        o["allow_custom"] = allow_custom_;
        return o;
    }

private:
    friend class integration;

    std::string field_;
    field_type type_;
    std::string label_;
    std::vector<std::string> depends_on_;
    int64_t cache_ttl_s_ = 300;
    bool allow_custom_ = false;
    handler options_;
};

} // namespace sr::sdk
