// The router and the problem documents as pure functions: no socket involved.
#include "http/listen_endpoint.hpp"
#include "http/problem.hpp"
#include "http/router.hpp"

#include "request_of.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

using namespace sr::host;
namespace json = boost::json;
using sr::test::request_of;

namespace {

route_handler echo(std::string name) {
    return [name](const http_request&, const route_params& p) {
        json::object o{{"route", name}};
        for (auto key : {"id", "run"})
            if (auto v = p.get(key)) o[key] = *v;
        return http_response::json(200, o);
    };
}

json::value body(const http_response& r) { return json::parse(r.body); }

} // namespace

TEST_CASE("The router picks the route whose literal segments and parameters match") {
    router r;
    r.add("GET", "/scenarios", echo("list"));
    r.add("GET", "/scenarios/{id}", echo("one"));
    r.add("GET", "/scenarios/{id}/runs/{run}", echo("run"));
    CHECK(body(r.handle_request(request_of("GET", "/scenarios"))).at("route") == "list");
    auto one = body(r.handle_request(request_of("GET", "/scenarios/42")));
    CHECK(one.at("route") == "one");
    CHECK(one.at("id") == "42");
    auto run = body(r.handle_request(request_of("GET", "/scenarios/7/runs/x9")));
    CHECK(run.at("id") == "7");
    CHECK(run.at("run") == "x9");
}

TEST_CASE("Route parameters are percent-decoded") {
    router r;
    r.add("GET", "/items/{id}", echo("one"));
    CHECK(body(r.handle_request(request_of("GET", "/items/a%2Fb%20c"))).at("id") == "a/b c");
}

TEST_CASE("A parameter never matches an empty segment or a different number of segments") {
    router r;
    r.add("GET", "/items/{id}", echo("one"));
    CHECK(r.handle_request(request_of("GET", "/items/")).status == 404);
    CHECK(r.handle_request(request_of("GET", "/items")).status == 404);
    CHECK(r.handle_request(request_of("GET", "/items/1/2")).status == 404);
}

TEST_CASE("A path with malformed percent escapes does not match") {
    router r;
    r.add("GET", "/items/{id}", echo("one"));
    CHECK(r.handle_request(request_of("GET", "/items/%zz")).status == 404);
}

TEST_CASE("An unmatched path is a 404 problem document") {
    router r;
    auto res = r.handle_request(request_of("GET", "/missing"));
    CHECK(res.status == 404);
    CHECK(*res.header("Content-Type") == "application/problem+json");
    auto b = body(res);
    CHECK(b.at("code") == "not_found");
    CHECK(b.at("status") == 404);
}

TEST_CASE("A matched path with an unrouted method is 405 listing the allowed methods") {
    router r;
    r.add("GET", "/x/{id}", echo("get"));
    r.add("DELETE", "/x/{id}", echo("delete"));
    auto res = r.handle_request(request_of("PUT", "/x/1"));
    CHECK(res.status == 405);
    CHECK(*res.header("Allow") == "DELETE, GET, HEAD");
    CHECK(body(res).at("code") == "method_not_allowed");
}

TEST_CASE("HEAD falls back to the GET route") {
    router r;
    r.add("GET", "/x", echo("get"));
    CHECK(body(r.handle_request(request_of("HEAD", "/x"))).at("route") == "get");
}

TEST_CASE("Malformed route patterns are refused when added") {
    router r;
    CHECK_THROWS_AS(r.add("GET", "no-slash", echo("x")), std::invalid_argument);
    CHECK_THROWS_AS(r.add("GET", "/a/{}", echo("x")), std::invalid_argument);
    CHECK_THROWS_AS(r.add("GET", "/a/{id", echo("x")), std::invalid_argument);
    CHECK_THROWS_AS(r.add("GET", "/a/x{id}", echo("x")), std::invalid_argument);
    CHECK_THROWS_AS(r.add("GET", "/a/{id}/{id}", echo("x")), std::invalid_argument);
}

TEST_CASE("A handler's exception propagates out of the router for the server to log") {
    router r;
    r.add("GET", "/boom", [](const http_request&, const route_params&) -> http_response {
        throw std::runtime_error("boom");
    });
    CHECK_THROWS_WITH(r.handle_request(request_of("GET", "/boom")), "boom");
}

TEST_CASE("A problem document carries type, title, status, detail and code") {
    auto res = problem_response(422, "invalid_graph", "Invalid graph", "edge e1 has no target");
    CHECK(res.status == 422);
    CHECK(*res.header("content-type") == "application/problem+json");
    CHECK(body(res) == json::parse(R"({"type":"urn:scenario-runtime:problem:invalid_graph",
        "title":"Invalid graph","status":422,"detail":"edge e1 has no target","code":"invalid_graph"})"));
}

TEST_CASE("Listen endpoints accept IPv4 and bracketed IPv6 literals with a port") {
    auto v4 = parse_listen_endpoint("127.0.0.1:8080");
    CHECK(v4.address == "127.0.0.1");
    CHECK(v4.port == 8080);
    auto v6 = parse_listen_endpoint("[::1]:0");
    CHECK(v6.address == "::1");
    CHECK(v6.port == 0);
}

TEST_CASE("Malformed listen endpoints are refused with a message") {
    for (auto bad : {"127.0.0.1", "127.0.0.1:", ":8080", "localhost:80", "127.0.0.1:65536",
                     "127.0.0.1:8o", "::1:80", "[::1]:-1", "999.0.0.1:80"}) {
        INFO(bad);
        CHECK_THROWS_AS(parse_listen_endpoint(bad), std::invalid_argument);
    }
}
