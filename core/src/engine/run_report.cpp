#include "sr/core/engine/run_report.hpp"

#include <algorithm>

#include <boost/json.hpp>

namespace sr::core::engine {

namespace json = boost::json;

std::string item_path(const run_machine& machine, uint32_t frame) {
    std::vector<uint32_t> items;
    for (int32_t f = static_cast<int32_t>(frame); f > 0; f = machine.frame_parent(static_cast<uint32_t>(f)))
        items.push_back(machine.frame_item(static_cast<uint32_t>(f)));
    std::string out;
    for (auto it = items.rbegin(); it != items.rend(); ++it) {
        if (!out.empty()) out += '.';
        out += std::to_string(*it);
    }
    return out;
}

namespace {
node_report report_of(const run_machine& m, node_key key, bool preview) {
    const node_record& r = m.record(key);
    node_report n;
    n.node_id = m.plan().nodes()[key.node].definition->id;
    n.item_path = item_path(m, key.frame);
    n.status = r.status;
    n.attempts = r.attempt;
    n.input = r.input;
    n.output = r.output;
    n.error = r.error;
    n.preview = preview;
    n.started_ms = r.started_ms;
    n.finished_ms = r.finished_ms;
    return n;
}
} // namespace

run_report make_report(const run_machine& m, const std::function<bool(node_key)>& previewed) {
    run_report report;
    report.status = m.status();
    report.error = m.error();
    std::vector<bool> listed_root(m.plan().nodes().size(), false);
    for (node_key key : m.path()) {
        report.nodes.push_back(report_of(m, key, previewed && previewed(key)));
        report.path.push_back(report.nodes.back().node_id);
        if (key.frame == 0) listed_root[key.node] = true;
    }
    // Nodes of the run itself that never started (skipped, or left when the run stopped).
    for (uint32_t n = 0; n < m.plan().nodes().size(); ++n)
        if (!listed_root[n] && m.plan().nodes()[n].enclosing == no_node)
            report.nodes.push_back(report_of(m, {n, 0}, false));
    if (!m.path().empty()) report.started_ms = m.record(m.path().front()).started_ms;
    for (const auto& n : report.nodes) report.finished_ms = std::max(report.finished_ms, n.finished_ms);
    return report;
}

json::value to_json(const run_report& report) {
    json::array nodes;
    for (const auto& n : report.nodes) {
        json::object o{{"node_id", n.node_id},   {"status", to_string(n.status)}, {"attempts", n.attempts},
                       {"input", n.input},       {"output", n.output},            {"error", n.error},
                       {"started_ms", n.started_ms}, {"finished_ms", n.finished_ms}};
        if (!n.item_path.empty()) o["item"] = n.item_path;
        if (n.preview) o["preview"] = true;
        nodes.push_back(std::move(o));
    }
    json::array path;
    for (const auto& p : report.path) path.push_back(json::value(p));
    return json::object{{"status", to_string(report.status)}, {"error", report.error},
                        {"nodes", std::move(nodes)},          {"path", std::move(path)},
                        {"started_ms", report.started_ms},     {"finished_ms", report.finished_ms}};
}

} // namespace sr::core::engine
