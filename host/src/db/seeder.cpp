#include "db/seeder.hpp"

#include "sr/core/manifest/semver.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <stdexcept>

#include <boost/json.hpp>
#include <fmt/format.h>
#include <pqxx/pqxx>

namespace sr::host {
namespace {

namespace json = boost::json;

// pg_advisory_xact_lock(class, hashtext(plugin id)): the class keeps our keys apart from others.
constexpr int seed_lock_class = 0x53454544;  // "SEED"

enum class outcome { seeded, updated, skipped };

// The manifest's display metadata, copied onto the integrations row.
struct metadata {
    std::string name, description, category, icon, color, author;
    std::vector<std::string> keywords, tags;
};

std::string string_field(const json::object& manifest, std::string_view key, bool required = false) {
    auto it = manifest.find(key);
    if (it == manifest.end() || it->value().is_null()) {
        if (required) throw std::runtime_error(fmt::format("manifest has no \"{}\"", key));
        return {};
    }
    if (!it->value().is_string()) throw std::runtime_error(fmt::format("manifest \"{}\" is not a string", key));
    return std::string(it->value().get_string());
}

std::vector<std::string> string_list(const json::object& manifest, std::string_view key) {
    std::vector<std::string> out;
    auto it = manifest.find(key);
    if (it == manifest.end() || it->value().is_null()) return out;
    if (!it->value().is_array()) throw std::runtime_error(fmt::format("manifest \"{}\" is not an array", key));
    for (const auto& v : it->value().get_array()) {
        if (!v.is_string()) throw std::runtime_error(fmt::format("manifest \"{}\" holds a non-string", key));
        out.emplace_back(v.get_string());
    }
    return out;
}

// Parses and cross-checks a record before anything touches the database.
struct checked_record {
    const plugin_record& record;
    core::semver version;
    metadata meta;
    std::string sha256;  // lower-case hex
};

checked_record check(const plugin_record& r) {
    json::value doc;
    try {
        doc = json::parse(r.manifest_json);
    } catch (const std::exception& e) {
        throw std::runtime_error(fmt::format("malformed manifest JSON: {}", e.what()));
    }
    if (!doc.is_object()) throw std::runtime_error("manifest is not a JSON object");
    const auto& m = doc.get_object();
    if (auto id = string_field(m, "id", true); id != r.id)
        throw std::runtime_error(fmt::format("manifest id \"{}\" differs from the plugin id \"{}\"", id, r.id));
    if (auto v = string_field(m, "version", true); v != r.version)
        throw std::runtime_error(fmt::format("manifest version \"{}\" differs from the plugin version \"{}\"", v, r.version));
    auto version = core::semver::parse(r.version);
    if (!version) throw std::runtime_error(fmt::format("version \"{}\" is not a semantic version", r.version));
    std::string sha = r.sha256;
    std::transform(sha.begin(), sha.end(), sha.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (sha.size() != 64 || sha.find_first_not_of("0123456789abcdef") != std::string::npos)
        throw std::runtime_error("sha256 is not 64 hexadecimal digits");
    metadata meta{string_field(m, "name", true), string_field(m, "description"), string_field(m, "category"),
                  string_field(m, "icon"),      string_field(m, "color"),       string_field(m, "author"),
                  string_list(m, "keywords"),   string_list(m, "tags")};
    if (meta.name.empty()) throw std::runtime_error("manifest \"name\" is empty");
    return {r, *version, std::move(meta), std::move(sha)};
}

// A text[] literal for a parameter: {"a","b"} with " and \ escaped.
std::string text_array(const std::vector<std::string>& items) {
    std::string out = "{";
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i) out += ',';
        out += '"';
        for (char c : items[i]) {
            if (c == '"' || c == '\\') out += '\\';
            out += c;
        }
        out += '"';
    }
    return out + "}";
}

std::string integration_id(pqxx::work& tx, const checked_record& c) {
    const auto& m = c.meta;
    tx.exec_params("INSERT INTO integrations (manifest_id, name, description, category, icon, color, author, keywords, tags)"
                   " VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text[], $9::text[])"
                   " ON CONFLICT (manifest_id) DO NOTHING",
                   c.record.id, m.name, m.description, m.category, m.icon, m.color, m.author,
                   text_array(m.keywords), text_array(m.tags));
    return tx.exec_params1("SELECT id FROM integrations WHERE manifest_id = $1", c.record.id)[0].as<std::string>();
}

void refresh_metadata(pqxx::work& tx, const std::string& integration, const metadata& m) {
    tx.exec_params("UPDATE integrations SET name = $2, description = $3, category = $4, icon = $5, color = $6,"
                   " author = $7, keywords = $8::text[], tags = $9::text[]"
                   " WHERE id = $1 AND (name, description, category, icon, color, author, keywords, tags)"
                   "   IS DISTINCT FROM ($2, $3, $4, $5, $6, $7, $8::text[], $9::text[])",
                   integration, m.name, m.description, m.category, m.icon, m.color, m.author,
                   text_array(m.keywords), text_array(m.tags));
}

// Inserts or rewrites the version row; returns what happened and the row id.
std::pair<outcome, std::string> write_version(pqxx::work& tx, const std::string& integration,
                                              const checked_record& c, bool force) {
    const auto& r = c.record;
    auto existing = tx.exec_params(
        "SELECT id, (sha256 = $3 AND manifest = $4::jsonb) AS same FROM integration_versions"
        " WHERE integration_id = $1 AND version = $2",
        integration, r.version, c.sha256, r.manifest_json);
    if (existing.empty()) {
        // The pre-release text as written ("rc.1"), for ordering in SQL; NULL for a release.
        std::string pre_text;
        for (const auto& part : c.version.prerelease()) pre_text += (pre_text.empty() ? "" : ".") + part;
        const char* pre = pre_text.empty() ? nullptr : pre_text.c_str();
        const auto major = static_cast<long long>(c.version.major());
        const auto minor = static_cast<long long>(c.version.minor());
        const auto patch = static_cast<long long>(c.version.patch());
        auto row = tx.exec_params1(
            "INSERT INTO integration_versions (integration_id, version, major, minor, patch, prerelease, manifest,"
            " abi_major, abi_minor, sha256, file) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $11)"
            " RETURNING id",
            integration, r.version, major, minor, patch, pre, r.manifest_json,
            r.abi_major, r.abi_minor, c.sha256, r.file);
        return {outcome::seeded, row[0].as<std::string>()};
    }
    auto id = existing[0][0].as<std::string>();
    if (existing[0][1].as<bool>() && !force) return {outcome::skipped, id};
    tx.exec_params("UPDATE integration_versions SET manifest = $2::jsonb, abi_major = $3, abi_minor = $4,"
                   " sha256 = $5, file = $6 WHERE id = $1",
                   id, r.manifest_json, r.abi_major, r.abi_minor, c.sha256, r.file);
    return {outcome::updated, id};
}

// Moves is_latest to the highest release, or to the highest pre-release when there is no
// release yet (as npm and Cargo do: a 2.0.0-beta must not replace a stable 1.x for new
// scenarios). Ties, which differ only in build metadata, go to the greater text so the choice
// is stable. Clearing before setting keeps the partial unique
// index satisfied at every statement; the transaction makes the move atomic for readers.
std::string move_latest(pqxx::work& tx, const std::string& integration) {
    std::optional<core::semver> best;
    std::string best_id, best_text;
    // A release outranks every pre-release; within each group semver precedence decides.
    auto rank = [](const core::semver& a, const core::semver& b) {
        const bool ar = a.prerelease().empty(), br = b.prerelease().empty();
        if (ar != br) return ar ? std::strong_ordering::greater : std::strong_ordering::less;
        return a <=> b;
    };
    for (const auto& row : tx.exec_params("SELECT id, version FROM integration_versions WHERE integration_id = $1",
                                          integration)) {
        auto text = row[1].as<std::string>();
        auto v = core::semver::parse(text);
        if (!v) continue;
        auto order = best ? rank(*v, *best) : std::strong_ordering::greater;
        if (order > 0 || (order == 0 && text > best_text)) {
            best = v;
            best_id = row[0].as<std::string>();
            best_text = text;
        }
    }
    if (best_id.empty()) return best_id;
    tx.exec_params("UPDATE integration_versions SET is_latest = false"
                   " WHERE integration_id = $1 AND is_latest AND id <> $2", integration, best_id);
    tx.exec_params("UPDATE integration_versions SET is_latest = true WHERE id = $1 AND NOT is_latest", best_id);
    return best_id;
}

outcome seed_one(pqxx::connection& conn, const plugin_record& record, bool force) {
    auto checked = check(record);
    pqxx::work tx(conn, "sr_seed");
    tx.exec_params("SELECT pg_advisory_xact_lock($1, hashtext($2))", seed_lock_class, record.id);
    auto integration = integration_id(tx, checked);
    auto [result, version_id] = write_version(tx, integration, checked, force);
    if (move_latest(tx, integration) == version_id) refresh_metadata(tx, integration, checked.meta);
    tx.commit();
    return result;
}

} // namespace

seed_report seed_plugins(pqxx::connection& conn, const std::vector<plugin_record>& plugins, bool force) {
    seed_report report;
    for (const auto& record : plugins) {
        try {
            switch (seed_one(conn, record, force)) {
            case outcome::seeded: ++report.seeded; break;
            case outcome::updated: ++report.updated; break;
            case outcome::skipped: ++report.skipped; break;
            }
        } catch (const std::exception& e) {
            report.errors.push_back(fmt::format("{} {} ({}): {}", record.id.empty() ? "<no id>" : record.id,
                                                record.version, record.file, e.what()));
        }
    }
    return report;
}

} // namespace sr::host
