#include "store/problem_json.hpp"

#include <boost/json/object.hpp>

namespace sr::host {

boost::json::array problems_to_json(const std::vector<core::problem>& problems) {
    boost::json::array out;
    for (const auto& p : problems) {
        boost::json::object o{{"code", p.code}, {"message", p.message}};
        if (!p.node_id.empty()) o["node_id"] = p.node_id;
        if (!p.edge_id.empty()) o["edge_id"] = p.edge_id;
        if (!p.path.empty()) o["path"] = p.path;
        out.push_back(std::move(o));
    }
    return out;
}

} // namespace sr::host
