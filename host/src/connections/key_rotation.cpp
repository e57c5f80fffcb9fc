#include "connections/key_rotation.hpp"

#include <set>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <openssl/crypto.h>
#include <pqxx/pqxx>

#include "connections/bytea.hpp"
#include "security/associated_data.hpp"

namespace sr::host {

namespace {

struct sealed_table {
    const char* label;
    const char* select_pending; // $1 current key id, $2 batch size; columns: id, org id, ct, nonce, key id
    const char* update;         // $1 id, $2 ct, $3 nonce, $4 key id
    const char* key_ids;        // distinct key ids with counts
    std::string (*associated_data)(const pqxx::row&);
};

std::string connection_ad(const pqxx::row& r) {
    return connection_associated_data(r[1].as<std::string>(), r[0].as<std::string>());
}
std::string webhook_ad(const pqxx::row& r) { return webhook_secret_associated_data(r[0].as<std::string>()); }

// FOR UPDATE (not SKIP LOCKED): a row someone is editing is waited for, not skipped, so an
// empty batch really means the table is done.
const sealed_table tables[] = {
    {"connections",
     "SELECT id::text, organization_id::text, credentials, nonce, key_id FROM connections "
     "WHERE key_id <> $1 ORDER BY id LIMIT $2 FOR UPDATE",
     "UPDATE connections SET credentials = $2, nonce = $3, key_id = $4 WHERE id = $1",
     "SELECT key_id, count(*) FROM connections GROUP BY key_id ORDER BY key_id", &connection_ad},
    {"webhook_secrets",
     "SELECT id::text, '', secret, secret_nonce, secret_key_id FROM webhook_endpoints "
     "WHERE secret IS NOT NULL AND secret_key_id <> $1 ORDER BY id LIMIT $2 FOR UPDATE",
     "UPDATE webhook_endpoints SET secret = $2, secret_nonce = $3, secret_key_id = $4 WHERE id = $1",
     "SELECT secret_key_id, count(*) FROM webhook_endpoints WHERE secret IS NOT NULL GROUP BY secret_key_id "
     "ORDER BY secret_key_id",
     &webhook_ad},
};

void refuse_unknown_keys(pqxx::connection& conn, const vault& v) {
    pqxx::read_transaction tx(conn);
    std::set<std::string> unknown;
    for (const auto& t : tables)
        for (const auto& r : tx.exec(t.key_ids))
            if (!v.holds_key(r[0].as<std::string>())) unknown.insert(r[0].as<std::string>());
    if (!unknown.empty())
        throw vault_error(fmt::format("rows are sealed under key id(s) {} that are not configured; add those keys to "
                                      "SR_MASTER_KEY_OLD (configured: {})",
                                      fmt::join(unknown, ", "), fmt::join(v.key_ids(), ", ")));
}

// One transaction; returns how many rows of `t` it re-sealed.
std::size_t rotate_batch(pqxx::connection& conn, const vault& v, const sealed_table& t, std::size_t batch_size) {
    pqxx::work tx(conn);
    auto rows = tx.exec_params(t.select_pending, v.current_key_id(), static_cast<long long>(batch_size));
    for (const auto& r : rows) {
        const auto ad = t.associated_data(r);
        sealed old{pqxx::binarystring(r[2]).str(), pqxx::binarystring(r[3]).str(), r[4].as<std::string>()};
        std::string plain;
        try {
            plain = v.open(old, ad);
        } catch (const vault_error& e) {
            throw vault_error(fmt::format("{} row {}: {}", t.label, r[0].as<std::string>(), e.what()));
        }
        const auto fresh = v.seal(plain, ad);
        OPENSSL_cleanse(plain.data(), plain.size());
        tx.exec_params(t.update, r[0].as<std::string>(), bytea(fresh.ciphertext), bytea(fresh.nonce), fresh.key_id);
    }
    tx.commit();
    return rows.size();
}

} // namespace

rotation_report rotate_keys(pqxx::connection& conn, const vault& v, std::size_t batch_size, std::size_t max_batches,
                            const std::function<void(const rotation_report&)>& on_batch) {
    if (batch_size == 0) batch_size = 1;
    refuse_unknown_keys(conn, v);
    rotation_report report;
    for (const auto& t : tables) {
        for (;;) {
            if (max_batches != 0 && report.batches >= max_batches) return report;
            const auto n = rotate_batch(conn, v, t, batch_size);
            if (n == 0) break;
            (&t == &tables[0] ? report.connections : report.webhook_secrets) += n;
            ++report.batches;
            if (on_batch) on_batch(report);
            if (n < batch_size) break;
        }
    }
    report.finished = true;
    return report;
}

std::string describe_key_usage(pqxx::connection& conn) {
    pqxx::read_transaction tx(conn);
    std::string out;
    for (const auto& t : tables)
        for (const auto& r : tx.exec(t.key_ids))
            out += fmt::format("{} {} {}\n", t.label, r[0].as<std::string>(), r[1].as<long long>());
    return out;
}

} // namespace sr::host
