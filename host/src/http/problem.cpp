#include "http/problem.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace sr::host {

std::string problem_type(std::string_view code) {
    return "urn:scenario-runtime:problem:" + std::string(code);
}

http_response problem_response(int status, std::string_view code, std::string_view title,
                               std::string_view detail) {
    return problem_response(status, code, title, detail, boost::json::object{});
}

http_response problem_response(int status, std::string_view code, std::string_view title,
                               std::string_view detail, const boost::json::object& extensions) {
    boost::json::object body = extensions;
    body["type"] = problem_type(code);
    body["title"] = title;
    body["status"] = status;
    body["detail"] = detail;
    body["code"] = code;
    auto res = http_response::json(status, body);
    res.set_header("Content-Type", "application/problem+json");
    return res;
}

} // namespace sr::host
