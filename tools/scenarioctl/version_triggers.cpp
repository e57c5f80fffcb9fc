#include "version_triggers.hpp"

#include "app/publish_hooks.hpp"
#include "security/vault.hpp"

namespace sr::ctl {

boost::json::value activate_triggers(pqxx::transaction_base& tx, const std::filesystem::path& data_dir,
                                     const std::string& scenario_id, const boost::json::value& definition) {
    // SR_MASTER_KEY(_FILE) or the data directory's key file, as scenariod reads them.
    auto keys = host::vault::from_environment(data_dir);
    return host::activate_version_triggers(tx, keys, scenario_id, definition);
}

} // namespace sr::ctl
