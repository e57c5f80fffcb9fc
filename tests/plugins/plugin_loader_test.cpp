// load_plugins / plugin_registry: real .so files loaded with Boost.DLL from the fixture sets
// in build/test-plugins (see tests/plugins/CMakeLists.txt).
#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "plugins/plugin_loader.hpp"
#include "recording_services.hpp"
#include "test_paths.hpp"

using namespace sr;
using sr::test::outcome_catcher;
using sr::test::recording_services;
namespace fs = std::filesystem;

namespace {

fs::path demo_dir() { return test::fixture_plugin_dir() / "demo"; }
fs::path mixed_dir() { return test::fixture_plugin_dir() / "mixed"; }

const host::refused_plugin* refused(const host::plugin_registry& registry, const std::string& file_name) {
    for (const auto& r : registry.refused())
        if (fs::path(r.file).filename() == file_name) return &r;
    return nullptr;
}

// The reason `file_name` in the mixed set was refused; checks that the good plugin still loaded
// and that the reason names the file.
std::string mixed_refusal(const std::string& file_name) {
    recording_services services;
    auto registry = host::load_plugins(mixed_dir(), services);
    CHECK(registry.find("demo") != nullptr);
    const auto* r = refused(registry, file_name);
    REQUIRE(r != nullptr);
    CHECK(r->file == (mixed_dir() / file_name).string());
    CHECK_THAT(r->reason, Catch::StartsWith(r->file + ": "));
    return r->reason;
}

std::string sha256sum(const fs::path& file) {
    std::string command = "sha256sum '" + file.string() + "'";
    std::unique_ptr<FILE, decltype(&pclose)> pipe(popen(command.c_str(), "r"), pclose);
    REQUIRE(pipe);
    std::array<char, 65> hex{};
    REQUIRE(std::fread(hex.data(), 1, 64, pipe.get()) == 64);
    return std::string(hex.data(), 64);
}

core::call_outcome echo(const host::loaded_plugin& plugin, const std::string& input) {
    core::call_request request;
    request.target = "echo";
    request.input_json = input;
    outcome_catcher catcher;
    plugin.instance->invoke(request, catcher.handler());
    return catcher.get();
}

} // namespace

TEST_CASE("two versions of one plugin load side by side") {
    recording_services services;
    auto registry = host::load_plugins(demo_dir(), services);
    CHECK(registry.refused().empty());
    REQUIRE(registry.loaded().size() == 2);
    CHECK(registry.loaded()[0].instance->version() == "1.0.0"); // demo_v1.so sorts first
    CHECK(registry.loaded()[1].instance->version() == "2.1.0");
    CHECK(registry.loaded()[0].instance != registry.loaded()[1].instance);
}

TEST_CASE("find without a version picks the highest semver") {
    recording_services services;
    auto registry = host::load_plugins(demo_dir(), services);
    const auto* latest = registry.find("demo");
    REQUIRE(latest != nullptr);
    CHECK(latest->instance->version() == "2.1.0");
    CHECK(fs::path(latest->file).filename() == "demo_v2.so");
}

TEST_CASE("find with a version picks exactly that version") {
    recording_services services;
    auto registry = host::load_plugins(demo_dir(), services);
    const auto* old = registry.find("demo", "1.0.0");
    REQUIRE(old != nullptr);
    CHECK(fs::path(old->file).filename() == "demo_v1.so");
    CHECK(registry.find("demo", "3.0.0") == nullptr);
    CHECK(registry.find("nobody") == nullptr);
}

TEST_CASE("each of two loaded versions runs its own code") {
    recording_services services;
    auto registry = host::load_plugins(demo_dir(), services);
    CHECK(echo(*registry.find("demo", "1.0.0"), R"({"v": 1})").output_json == R"({"v": 1})");
    CHECK(echo(*registry.find("demo", "2.1.0"), R"({"v": 2})").output_json == R"({"v": 2})");
    CHECK(registry.find("demo", "1.0.0")->manifest.at("version") == "1.0.0");
    CHECK(registry.find("demo", "2.1.0")->manifest.at("version") == "2.1.0");
}

TEST_CASE("in a directory with every kind of broken plugin only the good one loads") {
    recording_services services;
    auto registry = host::load_plugins(mixed_dir(), services);
    REQUIRE(registry.loaded().size() == 1);
    CHECK(registry.loaded()[0].instance->id() == "demo");
    std::vector<std::string> names;
    for (const auto& r : registry.refused()) names.push_back(fs::path(r.file).filename().string());
    CHECK(names == std::vector<std::string>{"abi_major_2.so", "abi_minor_newer.so", "bad_manifest_json.so",
                                            "init_fails.so", "invalid_manifest.so", "manifest_bad_schema.so",
                                            "no_entry.so", "struct_too_small.so"});
}

TEST_CASE("a library without sr_plugin_entry_v1 is refused") {
    CHECK_THAT(mixed_refusal("no_entry.so"),
               Catch::EndsWith("no sr_plugin_entry_v1 symbol (not a Scenario Runtime plugin, or built for another "
                               "ABI major)"));
}

TEST_CASE("a plugin built for another ABI major is refused") {
    CHECK_THAT(mixed_refusal("abi_major_2.so"), Catch::EndsWith("built for ABI 2, host speaks 1"));
}

TEST_CASE("a plugin built for a newer ABI minor is refused") {
    CHECK_THAT(mixed_refusal("abi_minor_newer.so"),
               Catch::EndsWith(fmt::format("needs ABI 1.{}, host has 1.{}", SR_ABI_MINOR + 2, SR_ABI_MINOR)));
}

TEST_CASE("a plugin whose entry struct is too small is refused") {
    CHECK_THAT(mixed_refusal("struct_too_small.so"), Catch::Contains("entry struct_size is 12 bytes"));
}

TEST_CASE("a plugin whose init fails is refused") {
    CHECK_THAT(mixed_refusal("init_fails.so"), Catch::EndsWith("init failed: init_failed"));
}

TEST_CASE("a plugin whose manifest is not JSON is refused") {
    CHECK_THAT(mixed_refusal("bad_manifest_json.so"), Catch::Contains("manifest is not valid JSON"));
}

TEST_CASE("a plugin with an invalid manifest is refused with every problem") {
    auto reason = mixed_refusal("invalid_manifest.so");
    CHECK_THAT(reason, Catch::Contains("invalid manifest: "));
    CHECK_THAT(reason, Catch::Contains("version: \"1.0\" is not a semantic version"));
    CHECK_THAT(reason, Catch::Contains("actions[1].id: duplicate action \"dup\" version 1 (first at actions[0])"));
}

TEST_CASE("a plugin with a malformed JSON Schema is refused") {
    CHECK_THAT(mixed_refusal("manifest_bad_schema.so"),
               Catch::Contains("actions[0].input_schema: malformed JSON Schema"));
}

TEST_CASE("a plugin refused after init is deinitialised, one refused by init is not") {
    recording_services services;
    { auto registry = host::load_plugins(mixed_dir(), services); }
    CHECK(services.logged("bad_manifest_json.so", "deinit"));
    CHECK(services.logged("invalid_manifest", "deinit"));
    CHECK(services.logged("init_fails.so", "init"));
    CHECK_FALSE(services.logged("init_fails.so", "deinit"));
    CHECK_FALSE(services.logged("abi_major_2.so", "init"));
}

TEST_CASE("every refusal is logged naming the file") {
    recording_services services;
    auto registry = host::load_plugins(mixed_dir(), services);
    CHECK(services.logged("abi_major_2.so", "plugin refused: " + (mixed_dir() / "abi_major_2.so").string()));
    CHECK(services.logged("no_entry.so", "no sr_plugin_entry_v1 symbol"));
}

TEST_CASE("the same plugin id and version twice keeps the first file and refuses the second") {
    auto dir = test::temp_dir("dup");
    fs::copy_file(demo_dir() / "demo_v1.so", dir / "a.so");
    fs::copy_file(demo_dir() / "demo_v1.so", dir / "b.so");
    recording_services services;
    auto registry = host::load_plugins(dir, services);
    REQUIRE(registry.loaded().size() == 1);
    CHECK(registry.loaded()[0].file == (dir / "a.so").string());
    REQUIRE(registry.refused().size() == 1);
    CHECK(registry.refused()[0].reason ==
          (dir / "b.so").string() + ": duplicate of " + (dir / "a.so").string() + " (demo 1.0.0)");
}

TEST_CASE("a file that is not a shared library is refused while the others load") {
    auto dir = test::temp_dir("garbage");
    std::ofstream(dir / "garbage.so") << "not an ELF file";
    fs::copy_file(demo_dir() / "demo_v2.so", dir / "demo.so");
    recording_services services;
    auto registry = host::load_plugins(dir, services);
    CHECK(registry.loaded().size() == 1);
    REQUIRE(registry.refused().size() == 1);
    CHECK_THAT(registry.refused()[0].reason, Catch::StartsWith((dir / "garbage.so").string() + ": cannot load"));
}

TEST_CASE("files without the .so extension are ignored") {
    auto dir = test::temp_dir("ext");
    std::ofstream(dir / "README.txt") << "notes";
    fs::copy_file(demo_dir() / "demo_v1.so", dir / "demo.so.bak");
    fs::create_directory(dir / "sub.so");
    recording_services services;
    auto registry = host::load_plugins(dir, services);
    CHECK(registry.loaded().empty());
    CHECK(registry.refused().empty());
}

TEST_CASE("loading a directory that does not exist throws naming it") {
    recording_services services;
    CHECK_THROWS_WITH(host::load_plugins("/nonexistent/plugins", services), Catch::Contains("/nonexistent/plugins"));
}

TEST_CASE("records carry id, version, manifest, file, ABI and the sha256 of the file") {
    recording_services services;
    auto registry = host::load_plugins(demo_dir(), services);
    auto records = registry.records();
    REQUIRE(records.size() == 2);
    const auto& r = records[1];
    CHECK(r.id == "demo");
    CHECK(r.version == "2.1.0");
    CHECK(r.file == (demo_dir() / "demo_v2.so").string());
    CHECK(r.sha256 == sha256sum(demo_dir() / "demo_v2.so"));
    CHECK(r.sha256 != records[0].sha256);
    CHECK(r.abi_major == 1);
    CHECK(r.abi_minor == SR_ABI_MINOR);
    CHECK(boost::json::parse(r.manifest_json).at("id") == "demo");
}

TEST_CASE("destroying the registry deinitialises every loaded plugin") {
    recording_services services;
    {
        auto registry = host::load_plugins(demo_dir(), services);
        CHECK_FALSE(services.logged("demo", "deinit"));
    }
    int deinits = 0;
    for (const auto& line : services.lines()) deinits += line.plugin_id == "demo" && line.message == "deinit";
    CHECK(deinits == 2);
}

TEST_CASE("an instance kept after its registry is gone still runs") {
    recording_services services;
    std::shared_ptr<core::plugin_instance> kept;
    {
        auto registry = host::load_plugins(demo_dir(), services);
        kept = registry.find("demo")->instance;
    }
    // The instance holds its library, so the code is still mapped.
    core::call_request request;
    request.target = "echo";
    request.input_json = "[1]";
    outcome_catcher catcher;
    kept->invoke(request, catcher.handler());
    CHECK(catcher.get().output_json == "[1]");
}
