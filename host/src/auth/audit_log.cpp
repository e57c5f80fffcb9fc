#include "auth/audit_log.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/json/serialize.hpp>
#include <pqxx/pqxx>

namespace sr::host {
namespace {

// Only a well-formed address reaches the inet column (a bad one would abort the transaction).
std::string valid_ip_or_empty(std::string_view ip) {
    if (ip.empty()) return {};
    boost::system::error_code ec;
    auto address = boost::asio::ip::make_address(std::string(ip), ec);
    return ec ? std::string() : address.to_string();
}

// Printable ASCII only and bounded: a header may carry any bytes, and invalid UTF-8 would
// abort the transaction.
std::string clean_user_agent(std::string_view ua) {
    std::string out;
    for (unsigned char c : ua.substr(0, 512)) out += (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : '?';
    return out;
}

} // namespace

long long write_audit(pqxx::transaction_base& tx, const principal& who, std::string_view action,
                      std::string_view resource_type, std::string_view resource_id,
                      const boost::json::value& details, std::string_view ip, std::string_view user_agent) {
    auto text = details.is_null() ? std::string("{}") : boost::json::serialize(details);
    auto rows = tx.exec_params(
        "INSERT INTO audit_logs (organization_id, user_id, action, resource_type, resource_id, details, ip, user_agent) "
        "VALUES (NULLIF($1, '')::uuid, NULLIF($2, '')::uuid, $3, $4, NULLIF($5, ''), $6::jsonb, "
        "        NULLIF($7, '')::inet, NULLIF($8, '')) RETURNING id",
        who.org_id, who.user_id, std::string(action), std::string(resource_type), std::string(resource_id), text,
        valid_ip_or_empty(ip), clean_user_agent(user_agent));
    return rows[0][0].as<long long>();
}

} // namespace sr::host
