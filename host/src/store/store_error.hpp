#pragma once
// The one error type of the repositories (host/src/store, runtime queue, connections): a
// stable machine-readable code the API maps to a status and problem type, a message safe to
// show (never a secret), and optional structured details such as validation problems.
#include <stdexcept>
#include <string>

#include <boost/json/value.hpp>

namespace sr::host {

struct store_error : std::runtime_error {
    // Codes: "not_found", "conflict", "validation_failed", "invalid_input".
    store_error(std::string code, const std::string& message, boost::json::value details = nullptr)
        : std::runtime_error(message), code(std::move(code)), details(std::move(details)) {}

    std::string code;
    boost::json::value details;
};

} // namespace sr::host
