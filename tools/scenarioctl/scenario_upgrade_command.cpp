// scenarioctl scenario upgrade: moves a scenario's nodes to the newest loaded major of their
// plugin through each plugin's migrate step (core's scenario_upgrader), shows what changed per
// node, and saves the result as the new draft (optionally publishing it). Nothing is saved
// when any node cannot be upgraded.
#include <cstdio>
#include <optional>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
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
#include "sr/core/upgrade/scenario_upgrader.hpp"
#include "sr/core/validation/scenario_validator.hpp"
#include "store/store.hpp"
#include "version_triggers.hpp"

namespace sr::ctl {

namespace {

namespace json = boost::json;
namespace net = boost::asio;

struct upgrade_args {
    std::string scenario;
    bool dry_run = false;
    bool publish = false;
    std::string summary;
    common_options common;
};

upgrade_args parse_upgrade(const std::vector<std::string>& args) {
    upgrade_args out;
    std::vector<std::string> common{args[0]};
    for (std::size_t i = 2; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--dry-run") {
            out.dry_run = true;
        } else if (a == "--publish") {
            out.publish = true;
        } else if (a == "--summary" && i + 1 < args.size()) {
            out.summary = args[++i];
        } else if (a.rfind("--", 0) == 0) {
            common.push_back(a);
            if (i + 1 < args.size()) common.push_back(args[++i]);
        } else if (out.scenario.empty()) {
            out.scenario = a;
        } else {
            throw usage_error("unexpected argument " + a);
        }
    }
    if (auto err = parse_common(common, out.common, true, false)) throw usage_error(*err);
    if (out.scenario.empty()) throw usage_error("expected one SCENARIO id");
    if (out.dry_run && out.publish) throw usage_error("--dry-run and --publish exclude each other");
    return out;
}

// The plugins loaded as scenariod loads them, with an io_context running on a thread so a
// migrate step that uses a host service (HTTP) can complete.
class plugin_session {
public:
    explicit plugin_session(const std::filesystem::path& dir)
        : log_(SR_LOG_ERROR, [](std::string_view line) { std::fwrite(line.data(), 1, line.size(), stderr); }),
          services_(ioc_, log_, nullptr), registry_(host::load_plugins(dir, services_)), plugins_(registry_),
          thread_([this] { ioc_.run(); }) {}

    ~plugin_session() {
        guard_.reset();
        thread_.join();
    }

    const host::loaded_plugins& plugins() const { return plugins_; }

private:
    net::io_context ioc_;
    net::executor_work_guard<net::io_context::executor_type> guard_ = net::make_work_guard(ioc_);
    host::json_log log_;
    host::host_services services_;
    host::plugin_registry registry_;
    host::loaded_plugins plugins_;
    std::thread thread_;
};

struct scenario_source {
    std::string org;
    json::value graph;
    int64_t draft_revision = 0;
    std::string from; // "draft" or "version N"
};

bool has_nodes(const json::value& graph) {
    const auto* nodes = graph.is_object() ? graph.get_object().if_contains("nodes") : nullptr;
    return nodes && nodes->is_array() && !nodes->get_array().empty();
}

// The draft, or the current version when the draft is empty (a scenario only ever published).
scenario_source read_scenario(pqxx::connection& conn, const std::string& id) {
    pqxx::read_transaction tx(conn);
    auto org = host::find_scenario_organization(tx, id);
    if (!org) throw host::store_error("not_found", fmt::format("scenario {} not found", id));
    auto row = host::find_scenario(tx, *org, id);
    if (!row) throw host::store_error("not_found", fmt::format("scenario {} not found", id));
    scenario_source out{*org, row->draft_graph, row->draft_revision, "draft"};
    if (!has_nodes(out.graph) && !row->current_version_id.empty()) {
        if (auto version = host::find_version(tx, id, row->current_version_id)) {
            out.graph = version->definition;
            out.from = fmt::format("version {}", version->number);
        }
    }
    return out;
}

std::string show(const json::value& v) { return v.is_null() ? "(none)" : json::serialize(v); }

// For people, on stderr; stdout keeps the one JSON document scripts read.
void print_changes(const core::upgrade::upgrade_result& result) {
    for (const auto& n : result.nodes) {
        fmt::print(stderr, "node {} ({}): plugin {} -> {}, {}\n", n.node_id, n.type, n.from_version, n.to_version,
                   n.migrated ? "settings migrated by the plugin" : "settings carried over");
        for (const auto& c : n.changes)
            fmt::print(stderr, "    {} {}: {} -> {}\n", core::upgrade::to_string(c.kind), c.path, show(c.before),
                       show(c.after));
        if (n.changes.empty()) fmt::print(stderr, "    settings unchanged\n");
    }
    for (const auto& p : result.problems)
        fmt::print(stderr, "problem {}{}: {}\n", p.code, p.node_id.empty() ? "" : " at node " + p.node_id, p.message);
}

std::string default_summary(const core::upgrade::upgrade_result& result) {
    std::string text = "plugin upgrade:";
    for (const auto& n : result.nodes) text += fmt::format(" {} {}->{};", n.node_id, n.from_major, n.to_major);
    text.pop_back();
    return text;
}

int upgrade(const upgrade_args& a) {
    plugin_session session(a.common.plugins_dir);
    auto db = host::open_database(a.common.data_dir);
    pqxx::connection conn(db.conninfo);
    host::migrate(conn);
    auto source = read_scenario(conn, a.scenario);

    core::upgrade::scenario_upgrader upgrader(session.plugins().catalog(), session.plugins());
    auto result = upgrader.upgrade(source.graph);
    print_changes(result);
    json::object out = core::upgrade::to_json(result);
    out["scenario"] = a.scenario;
    out["source"] = source.from;
    out["dry_run"] = a.dry_run;
    out["saved"] = false;
    if (!result.ok()) {
        out["error"] = "upgrade_failed";
        out["message"] = "nothing was saved: a node cannot be upgraded";
        fmt::print("{}\n", json::serialize(out));
        return 1;
    }
    if (result.nodes.empty() || a.dry_run) {
        if (result.nodes.empty()) fmt::print(stderr, "every node already pins the newest loaded plugin major\n");
        fmt::print("{}\n", json::serialize(out));
        return 0;
    }
    // One transaction: the draft is not saved when publishing is asked for and refused. The
    // revision read above guards against overwriting an edit made meanwhile.
    pqxx::work tx(conn);
    out["draft_revision"] = host::save_draft(tx, source.org, a.scenario, result.graph, source.draft_revision);
    if (a.publish) {
        core::validation::validation_options options;
        options.require_connections = true; // a published version runs unattended
        auto validate = [&](const json::value& graph) {
            return host::problems_to_json(
                core::validation::validate_scenario(graph, session.plugins().catalog(), options).problems);
        };
        auto version = host::publish_scenario(tx, source.org, a.scenario, "",
                                              a.summary.empty() ? default_summary(result) : a.summary, validate);
        out["version"] = version.number;
        out["webhooks"] = activate_triggers(tx, a.common.data_dir, a.scenario, version.definition);
    }
    tx.commit();
    out["saved"] = true;
    fmt::print("{}\n", json::serialize(out));
    return 0;
}

int scenario_upgrade_command(const std::vector<std::string>& args) {
    try {
        return upgrade(parse_upgrade(args));
    } catch (const usage_error& e) {
        fmt::print(stderr, "scenarioctl scenario upgrade: {}\n", e.what());
        return 2;
    } catch (const host::store_error& e) {
        json::object out{{"error", e.code}, {"message", e.what()}};
        if (!e.details.is_null()) out["details"] = e.details;
        fmt::print("{}\n", json::serialize(out));
        return 1;
    } catch (const std::exception& e) {
        fmt::print(stderr, "scenarioctl scenario upgrade: {}\n", e.what());
        return 1;
    }
}

const command_registration scenario_upgrade_registration{
    "scenario upgrade", scenario_upgrade_command,
    "scenario upgrade SCENARIO [--dry-run | --publish [--summary TEXT]] [--plugins DIR]\n"
    "    move nodes to the newest loaded plugin major through its migrate step; shows the\n"
    "    changes per node, saves them as the draft (and publishes); prints JSON"};

} // namespace

} // namespace sr::ctl
