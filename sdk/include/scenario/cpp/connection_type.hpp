#pragma once
// A kind of credentials an integration accepts ("connection type"), e.g. an API key.
#include <scenario/cpp/detail/schema.hpp>
#include <scenario/cpp/handler.hpp>
#include <scenario/cpp/json_arg.hpp>

#include <boost/json.hpp>

#include <string>
#include <utility>
#include <vector>

namespace sr::sdk {

class connection_type {
public:
    connection_type(std::string id, std::string name) : id_(std::move(id)), name_(std::move(name)) {}

    connection_type& description(std::string text) {
        description_ = std::move(text);
        return *this;
    }
    // JSON Schema of the credentials object.
    connection_type& schema(const json_arg& schema) {
        schema_ = detail::resolve_schema(schema, "connection '" + id_ + "' schema");
        return *this;
    }
    // Credential properties that are never shown and are masked in summaries.
    connection_type& secret_fields(std::vector<std::string> fields) {
        secret_fields_ = std::move(fields);
        return *this;
    }
    // Checks credentials (SR_CALL_TEST_CONNECTION); makes the type "testable".
    connection_type& on_test(handler fn) {
        test_ = std::move(fn);
        return *this;
    }

    const std::string& id() const noexcept { return id_; }
    const handler& test_handler() const noexcept { return test_; }

    boost::json::object to_json() const {
        boost::json::object o;
        o["id"] = id_;
        o["name"] = name_;
        if (!description_.empty()) o["description"] = description_;
        o["schema"] = schema_;
        o["secret_fields"] = detail::to_array(secret_fields_);
        o["testable"] = static_cast<bool>(test_);
        return o;
    }

private:
    friend class integration;

    std::string id_, name_, description_;
    boost::json::value schema_ = boost::json::object();
    std::vector<std::string> secret_fields_;
    handler test_;
};

} // namespace sr::sdk
