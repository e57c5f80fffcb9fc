// The C ABI header as C++ sees it, compared with what the C99 translation unit sees; and a
// plugin written in plain C driven through the same minimal host.
#include <scenario/sr_plugin.h> // first: the header must stand alone in C++

#include "abi_c99.h"
#include "test_host.hpp"

#include <scenario/cpp/status.hpp>

#include <catch2/catch.hpp>

#include <array>
#include <set>
#include <string>

using namespace sr::test;

namespace {

std::array<uint64_t, SR_C99_LAYOUT_COUNT> cpp_layout() {
    return {sizeof(sr_str),
            sizeof(sr_call),
            offsetof(sr_call, target),
            offsetof(sr_call, connection_json),
            offsetof(sr_call, attempt),
            offsetof(sr_call, deadline_unix_ms),
            offsetof(sr_call, from_version),
            sizeof(sr_result),
            offsetof(sr_result, output_json),
            offsetof(sr_result, retry_after_ms),
            offsetof(sr_result, resume_at_unix_ms),
            sizeof(sr_host),
            offsetof(sr_host, log),
            offsetof(sr_host, get_service),
            sizeof(sr_http_request),
            offsetof(sr_http_request, header_count),
            offsetof(sr_http_request, max_response_bytes),
            sizeof(sr_http_response),
            offsetof(sr_http_response, error_message),
            sizeof(sr_http_v1),
            sizeof(sr_kv_v1),
            sizeof(sr_plugin_entry),
            offsetof(sr_plugin_entry, init),
            offsetof(sr_plugin_entry, cancel)};
}

} // namespace

TEST_CASE("C99 and C++ lay out every ABI struct identically") {
    std::array<uint64_t, SR_C99_LAYOUT_COUNT> from_c{};
    sr_c99_layout(from_c.data());
    CHECK(from_c == cpp_layout());
}

TEST_CASE("SR_HAS_FIELD accepts a field inside struct_size and rejects one beyond it") {
    const auto end_of_from_version = static_cast<uint32_t>(offsetof(sr_call, from_version) + sizeof(sr_str));
    CHECK(sr_c99_call_has_from_version(sizeof(sr_call)) == 1);
    CHECK(sr_c99_call_has_from_version(end_of_from_version) == 1);
    CHECK(sr_c99_call_has_from_version(end_of_from_version - 1) == 0);
    sr_call call{};
    call.struct_size = end_of_from_version - 1;
    CHECK_FALSE(SR_HAS_FIELD(&call, sr_call, from_version));
    CHECK(SR_HAS_FIELD(&call, sr_call, cursor_json));
}

TEST_CASE("A plugin written in C99 completes a synchronous call through the host") {
    test_host host;
    plugin_under_test plugin(sr_c99_echo_plugin(), host);
    CHECK(boost::json::parse(plugin.manifest()).at("id") == "c_echo");
    test_call call({.target = "echo", .settings = R"({"x":1})"});
    REQUIRE(plugin.execute(call) == SR_OK);
    auto result = host.result_of(call.get());
    REQUIRE(result);
    CHECK(result->kind == SR_RESULT_SUCCESS);
    CHECK(result->output() == boost::json::parse(R"({"x":1})"));
}

TEST_CASE("status_message names every status code with its own text") {
    std::set<std::string> seen;
    for (sr_status s = SR_OK; s <= SR_ERR_INIT_FAILED; ++s) {
        const std::string message(sr::sdk::status_message(s));
        INFO("status " << s << ": " << message);
        CHECK(message.rfind("SR_", 0) == 0);
        CHECK(seen.insert(message).second);
    }
    CHECK(sr::sdk::status_message(SR_ERR_UNKNOWN_TARGET).find("SR_ERR_UNKNOWN_TARGET") == 0);
    CHECK(sr::sdk::status_message(999) == "unknown sr_status");
}
