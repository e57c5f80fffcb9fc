// The error taxonomy: every code the engine, the SDK and the bundled plugins emit is in it,
// and docs/errors.md lists each one with the same retryable default.
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

#include "sr/core/engine/error_codes.hpp"
#include "test_paths.hpp"

using namespace sr::core::engine;
namespace fs = std::filesystem;

namespace {

std::string read_text(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// Codes emitted by source files under `dirs` (relative to the repository), with one file
// that emits each. The patterns are where codes are written in this code base:
//   node_result::fatal("x" / retryable("x"        the engine
//   sdk::result::fatal("x" / retryable("x"        plugins through the SDK
//   failure("x" / complete_error(SR_RESULT_..., "x"   the plugin runtime and the SDK
//   run_status::<outcome>, "x")                    a run stopped with a code (the run deadline)
//   std::string code = "x"                         default codes of machine operations
std::map<std::string, std::string> emitted_codes(std::initializer_list<const char*> dirs) {
    static const std::regex patterns[] = {
        std::regex(R"re(\b(?:fatal|retryable|failure)\(\s*"([a-z][a-z0-9_]*)")re"),
        std::regex(R"re(complete_error\(\s*SR_RESULT_[A-Z_]+\s*,\s*"([a-z][a-z0-9_]*)")re"),
        std::regex(R"re(run_status::[a-z]+\s*,\s*"([a-z][a-z0-9_]*)"\s*\))re"),
        std::regex(R"re(std::string code = "([a-z][a-z0-9_]*)")re"),
    };
    std::map<std::string, std::string> found;
    for (const char* dir : dirs) {
        const fs::path root = sr::test::source_dir() / dir;
        REQUIRE(fs::is_directory(root));
        for (const auto& entry : fs::recursive_directory_iterator(root)) {
            const auto ext = entry.path().extension();
            if (!entry.is_regular_file() || (ext != ".cpp" && ext != ".hpp" && ext != ".h" && ext != ".c")) continue;
            const std::string text = read_text(entry.path());
            for (const auto& re : patterns)
                for (std::sregex_iterator it(text.begin(), text.end(), re), end; it != end; ++it)
                    found.emplace((*it)[1].str(), fs::relative(entry.path(), sr::test::source_dir()).string());
        }
    }
    return found;
}

} // namespace

TEST_CASE("every error code the engine, the SDK and the bundled plugins emit is in the taxonomy") {
    auto codes = emitted_codes({"core/src", "core/include", "sdk/include", "plugins"});
    // The scan must see the codes it is known to find, or it proves nothing.
    CHECK(codes.count("action_timeout") == 1);
    CHECK(codes.count("scenario_timeout") == 1);
    CHECK(codes.count("plugin_error") == 1);
    CHECK(codes.count("connection_rate_limited") == 1);
    CHECK(codes.size() >= 15);
    for (const auto& [code, file] : codes) {
        INFO(code << " (emitted in " << file << ")");
        CHECK(find_error_code(code) != nullptr);
    }
}

TEST_CASE("the taxonomy has unique snake_case codes, each with a one-line meaning") {
    const std::regex snake(R"([a-z][a-z0-9_]*)");
    std::set<std::string_view> seen;
    for (const auto& info : error_taxonomy()) {
        INFO(info.code);
        CHECK(std::regex_match(std::string(info.code), snake));
        CHECK(seen.insert(info.code).second);
        CHECK_FALSE(info.meaning.empty());
        CHECK(info.meaning.find('\n') == std::string_view::npos);
    }
    CHECK(seen.size() == error_taxonomy().size());
}

TEST_CASE("the seeds' codes have their retryable defaults") {
    REQUIRE(find_error_code(error_codes::connection_rate_limited));
    CHECK(find_error_code(error_codes::connection_rate_limited)->retryable);
    CHECK(find_error_code(error_codes::action_timeout)->retryable);
    CHECK(find_error_code(error_codes::circuit_open)->retryable);
    CHECK_FALSE(find_error_code(error_codes::connection_invalid)->retryable);
    CHECK_FALSE(find_error_code(error_codes::connection_expired)->retryable);
    CHECK_FALSE(find_error_code(error_codes::action_validation_failed)->retryable);
    CHECK_FALSE(find_error_code(error_codes::scenario_timeout)->retryable);
}

TEST_CASE("a code outside the taxonomy is not found") {
    CHECK(find_error_code("no_such_code") == nullptr);
    CHECK(find_error_code("") == nullptr);
    CHECK(find_error_code("ACTION_TIMEOUT") == nullptr); // codes are case-sensitive
}

TEST_CASE("docs/errors.md lists every code of the taxonomy with the same retryable default") {
    const std::string doc = read_text(sr::test::source_dir() / "docs" / "errors.md");
    REQUIRE_FALSE(doc.empty());
    for (const auto& info : error_taxonomy()) {
        INFO(info.code);
        const std::regex row("\\| `" + std::string(info.code) + "` \\| " + std::string(to_string(info.source)) +
                             " \\| " + (info.retryable ? "yes" : "no") + " \\|");
        CHECK(std::regex_search(doc, row));
    }
    // ...and no row names a code the taxonomy lacks.
    const std::regex any_row(R"(\n\| `([a-z][a-z0-9_]*)` \|)");
    for (std::sregex_iterator it(doc.begin(), doc.end(), any_row), end; it != end; ++it) {
        INFO((*it)[1].str());
        CHECK(find_error_code((*it)[1].str()) != nullptr);
    }
}
