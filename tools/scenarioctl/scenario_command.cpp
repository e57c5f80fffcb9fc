// scenarioctl scenario: the scenario lifecycle from the command line (create, save a draft,
// publish with the real validator over the loaded plugins, list versions, roll back).
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <fmt/format.h>
#include <pqxx/pqxx>

#include "commands.hpp"
#include "common_options.hpp"
#include "db/migrator.hpp"
#include "plugins/plugin_loader.hpp"
#include "runtime/loaded_plugins.hpp"
#include "services/host_services.hpp"
#include "services/json_log.hpp"
#include "sr/core/validation/scenario_validator.hpp"
#include "store/store.hpp"
#include "version_triggers.hpp"

namespace sr::ctl {

namespace {

namespace json = boost::json;

// The subcommand's positional arguments and --options; --data-dir and --plugins go to
// common_options.
struct parsed_args {
    std::vector<std::string> positional;
    std::map<std::string, std::string> options;
    common_options common;

    std::string option(const std::string& name) const {
        auto it = options.find(name);
        return it == options.end() ? std::string() : it->second;
    }
    std::string required(const std::string& name) const {
        auto v = option(name);
        if (v.empty()) throw usage_error(fmt::format("--{} is required", name));
        return v;
    }
};

parsed_args parse_args(const std::vector<std::string>& args, const std::vector<std::string_view>& known) {
    parsed_args out;
    std::vector<std::string> common{args[0]};
    for (std::size_t i = 2; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a.rfind("--", 0) != 0) {
            out.positional.push_back(a);
            continue;
        }
        if (i + 1 >= args.size()) throw usage_error("missing value for " + a);
        if (std::find(known.begin(), known.end(), std::string_view(a).substr(2)) != known.end()) {
            out.options[a.substr(2)] = args[++i];
        } else {
            common.push_back(a);
            common.push_back(args[++i]);
        }
    }
    if (auto err = parse_common(common, out.common, true, false)) throw usage_error(*err);
    return out;
}

std::string one_scenario(const parsed_args& a) {
    if (a.positional.size() != 1) throw usage_error("expected one SCENARIO id");
    return a.positional[0];
}

json::value read_json_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw host::store_error("invalid_input", fmt::format("cannot read {}", path));
    std::stringstream text;
    text << in.rdbuf();
    boost::system::error_code ec;
    auto value = json::parse(text.str(), ec);
    if (ec) throw host::store_error("invalid_input", fmt::format("{} is not valid JSON: {}", path, ec.message()));
    return value;
}

// The organization that owns the scenario, so the scoped repositories can be used.
std::string owner_of(pqxx::transaction_base& tx, const std::string& scenario_id) {
    auto org = host::find_scenario_organization(tx, scenario_id);
    if (!org) throw host::store_error("not_found", fmt::format("scenario {} not found", scenario_id));
    return *org;
}

void print(const json::value& v) { fmt::print("{}\n", json::serialize(v)); }

int create(pqxx::connection& conn, const parsed_args& a) {
    if (!a.positional.empty()) throw usage_error("unexpected argument " + a.positional[0]);
    auto name = a.required("name");
    json::value graph;
    if (!a.option("file").empty()) graph = read_json_file(a.option("file"));
    pqxx::work tx(conn);
    auto org = host::find_organization_id(tx, a.required("org"));
    if (!org) throw host::store_error("not_found", fmt::format("organization {} not found", a.option("org")));
    auto row = host::create_scenario(tx, *org, "", name, a.option("description"), nullptr);
    if (!graph.is_null()) {
        host::save_draft(tx, *org, row.id, graph, -1);
        row = *host::find_scenario(tx, *org, row.id);
    }
    tx.commit();
    print(host::to_json(row));
    return 0;
}

int draft(pqxx::connection& conn, const parsed_args& a) {
    auto id = one_scenario(a);
    auto graph = read_json_file(a.required("file"));
    int64_t expected = -1;
    if (auto rev = a.option("revision"); !rev.empty()) {
        try {
            expected = std::stoll(rev);
        } catch (const std::exception&) {
            throw usage_error("--revision must be a number");
        }
    }
    pqxx::work tx(conn);
    auto revision = host::save_draft(tx, owner_of(tx, id), id, graph, expected);
    tx.commit();
    print(json::object{{"id", id}, {"draft_revision", revision}});
    return 0;
}

int publish(pqxx::connection& conn, const parsed_args& a) {
    auto id = one_scenario(a);
    // Refusals show up as unknown integrations in the problems; the loader's log would repeat them.
    boost::asio::io_context ioc;
    host::json_log log(SR_LOG_ERROR, [](std::string_view) {});
    host::host_services services(ioc, log, nullptr);
    auto registry = host::load_plugins(a.common.plugins_dir, services);
    host::loaded_plugins plugins(registry);
    core::validation::validation_options options;
    options.require_connections = true; // a published version runs unattended
    auto validate = [&](const json::value& graph) {
        return host::problems_to_json(core::validation::validate_scenario(graph, plugins.catalog(), options).problems);
    };
    pqxx::work tx(conn);
    auto version = host::publish_scenario(tx, owner_of(tx, id), id, "", a.option("summary"), validate);
    auto out = host::to_json(version, false);
    out["webhooks"] = activate_triggers(tx, a.common.data_dir, id, version.definition);
    tx.commit();
    print(out);
    return 0;
}

int versions(pqxx::connection& conn, const parsed_args& a) {
    auto id = one_scenario(a);
    pqxx::work tx(conn);
    auto org = owner_of(tx, id);
    auto current = host::find_scenario(tx, org, id)->current_version_id;
    json::array out;
    for (const auto& v : host::list_versions(tx, org, id)) {
        auto o = host::to_json(v, false);
        o["current"] = v.id == current;
        out.push_back(std::move(o));
    }
    print(out);
    return 0;
}

int rollback(pqxx::connection& conn, const parsed_args& a) {
    auto id = one_scenario(a);
    int number = 0;
    try {
        number = std::stoi(a.required("version"));
    } catch (const usage_error&) {
        throw;
    } catch (const std::exception&) {
        throw usage_error("--version must be a number");
    }
    pqxx::work tx(conn);
    auto version = host::rollback_scenario(tx, owner_of(tx, id), id, number);
    auto out = host::to_json(version, false);
    out["webhooks"] = activate_triggers(tx, a.common.data_dir, id, version.definition);
    tx.commit();
    print(out);
    return 0;
}

int run_subcommand(const std::string& sub, const std::vector<std::string>& args) {
    using handler = int (*)(pqxx::connection&, const parsed_args&);
    static const std::map<std::string, std::pair<handler, std::vector<std::string_view>>> subs{
        {"create", {create, {"org", "name", "description", "file"}}},
        {"draft", {draft, {"file", "revision"}}},
        {"publish", {publish, {"summary"}}},
        {"versions", {versions, {}}},
        {"rollback", {rollback, {"version"}}}};
    auto it = subs.find(sub);
    if (it == subs.end()) throw usage_error(fmt::format("unknown subcommand '{}'", sub));
    auto parsed = parse_args(args, it->second.second);
    auto db = host::open_database(parsed.common.data_dir);
    pqxx::connection conn(db.conninfo);
    host::migrate(conn);
    return it->second.first(conn, parsed);
}

int scenario_command(const std::vector<std::string>& args) {
    try {
        if (args.size() < 2) throw usage_error("expected a subcommand");
        return run_subcommand(args[1], args);
    } catch (const usage_error& e) {
        fmt::print(stderr, "scenarioctl scenario: {}\n", e.what());
        return 2;
    } catch (const host::store_error& e) {
        // Machine-readable, with the problems of a refused publish.
        json::object out{{"error", e.code}, {"message", e.what()}};
        if (!e.details.is_null()) out["details"] = e.details;
        print(out);
        return 1;
    } catch (const std::exception& e) {
        fmt::print(stderr, "scenarioctl scenario: {}\n", e.what());
        return 1;
    }
}

const command_registration scenario_registration{
    "scenario", scenario_command,
    "scenario create --org ORG --name NAME [--description D] [--file graph.json]\n"
    "scenario draft SCENARIO --file graph.json [--revision N]\n"
    "scenario publish SCENARIO [--summary TEXT] [--plugins DIR]\n"
    "scenario versions SCENARIO\n"
    "scenario rollback SCENARIO --version N\n"
    "    the scenario lifecycle; ORG is an organization id or slug; prints JSON"};

} // namespace

} // namespace sr::ctl
