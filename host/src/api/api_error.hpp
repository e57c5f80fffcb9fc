#pragma once
// An error a route answers with a problem document: thrown inside a route's work and turned
// into application/problem+json by api_call.
#include <stdexcept>
#include <string>

#include <boost/json/object.hpp>

namespace sr::host {

struct api_error : std::runtime_error {
    api_error(int status, std::string code, const std::string& detail, boost::json::object extensions = {})
        : std::runtime_error(detail), status(status), code(std::move(code)), extensions(std::move(extensions)) {}

    int status;
    std::string code;
    boost::json::object extensions;
};

// 400 invalid_input naming the field.
inline api_error invalid_field(const std::string& field, const std::string& expected) {
    return api_error(400, "invalid_input", "'" + field + "' must be " + expected, {{"field", field}});
}

} // namespace sr::host
