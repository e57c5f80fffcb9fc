#include "http/http_client.hpp"

#include "http/detail/client_exchange.hpp"
#include "http/detail/client_shared.hpp"

#include <boost/url/parse.hpp>

#include <stdexcept>

namespace sr::host {
namespace {

using namespace detail;

bool is_tchar(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_token(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (!is_tchar(c)) return false;
    return true;
}

// CR, LF and NUL in a value would let a caller smuggle extra header lines.
bool is_field_value(std::string_view s) {
    return s.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

bool iequals(std::string_view a, std::string_view b) {
    return beast::iequals(a, b);
}

request_target parse_target(const std::string& url) {
    auto parsed = boost::urls::parse_absolute_uri(url);
    if (!parsed) throw std::invalid_argument("the URL is not an absolute URL");
    const auto& u = *parsed;
    request_target t;
    auto scheme = u.scheme_id();
    if (scheme == boost::urls::scheme::https)
        t.tls = true;
    else if (scheme != boost::urls::scheme::http)
        throw std::invalid_argument("the URL scheme must be http or https");
    if (u.has_userinfo())
        throw std::invalid_argument("credentials in the URL are not supported; send an Authorization header");
    t.host = u.host_address();
    if (t.host.empty()) throw std::invalid_argument("the URL has no host");
    auto type = u.host_type();
    t.host_is_ip = type == boost::urls::host_type::ipv4 || type == boost::urls::host_type::ipv6;
    std::uint16_t port = t.tls ? 443 : 80;
    if (u.has_port()) {
        if (u.port().empty() || u.port_number() == 0) throw std::invalid_argument("the URL port is invalid");
        port = u.port_number();
    }
    t.port = std::to_string(port);
    std::string host_text = type == boost::urls::host_type::ipv6 ? "[" + t.host + "]" : std::string(u.encoded_host());
    bool default_port = port == (t.tls ? 443 : 80);
    t.host_header = default_port ? host_text : host_text + ":" + t.port;
    t.target = u.encoded_path().empty() ? "/" : std::string(u.encoded_path());
    if (u.has_query()) t.target += "?" + std::string(u.encoded_query());
    return t;
}

http::request<http::string_body> build_message(const http_client_request& req, const request_target& t,
                                               const http_client_config& config) {
    if (!is_token(req.method)) throw std::invalid_argument("the HTTP method is not a valid token");
    http::request<http::string_body> msg;
    msg.version(11);
    auto verb = http::string_to_verb(req.method);
    if (verb == http::verb::unknown)
        msg.method_string(req.method);
    else
        msg.method(verb);
    msg.target(t.target);
    bool has_host = false, has_agent = false;
    for (const auto& [name, value] : req.headers) {
        if (!is_token(name)) throw std::invalid_argument("a header name is not a valid token");
        if (!is_field_value(value)) throw std::invalid_argument("the value of header " + name + " contains CR, LF or NUL");
        // Framing and connection handling are the client's; Expect would stall on servers
        // that never answer 100-continue.
        if (iequals(name, "content-length") || iequals(name, "transfer-encoding") ||
            iequals(name, "connection") || iequals(name, "expect") || iequals(name, "keep-alive") ||
            iequals(name, "te") || iequals(name, "upgrade"))
            continue;
        has_host = has_host || iequals(name, "host");
        has_agent = has_agent || iequals(name, "user-agent");
        msg.insert(name, value);
    }
    if (!has_host) msg.set(http::field::host, t.host_header);
    if (!has_agent && !config.user_agent.empty()) msg.set(http::field::user_agent, config.user_agent);
    // One exchange per connection: simple and correct with servers that close anyway.
    msg.set(http::field::connection, "close");
    msg.body() = req.body;
    msg.prepare_payload();
    return msg;
}

} // namespace

http_client::http_client(boost::asio::io_context& ioc, http_client_config config)
    : shared_(std::make_shared<client_shared>(ioc, std::move(config))) {
    auto& tls = shared_->tls;
    tls.set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                    net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 |
                    net::ssl::context::no_tlsv1_1);
    tls.set_verify_mode(net::ssl::verify_peer);
    error_code ec;
    tls.set_default_verify_paths(ec);
    if (ec) throw std::runtime_error("cannot load the system CA store: " + ec.message());
    if (!shared_->config.extra_ca_file.empty()) {
        tls.load_verify_file(shared_->config.extra_ca_file, ec);
        if (ec)
            throw std::runtime_error("cannot load CA file " + shared_->config.extra_ca_file + ": " + ec.message());
    }
}

http_client::~http_client() = default;

const http_client_config& http_client::config() const noexcept {
    return shared_->config;
}

std::function<void()> http_client::request(http_client_request request, http_client_callback done) {
    auto target = parse_target(request.url);
    auto message = build_message(request, target, shared_->config);
    auto timeout = request.timeout.count() > 0 ? request.timeout : shared_->config.default_timeout;
    auto max_body = request.max_response_bytes > 0 ? request.max_response_bytes
                                                   : shared_->config.default_max_response_bytes;
    auto exchange = std::make_shared<client_exchange>(shared_, std::move(target), std::move(message),
                                                      timeout, max_body, std::move(done));
    exchange->start();
    return [weak = std::weak_ptr<client_exchange>(exchange)] {
        if (auto ex = weak.lock()) ex->cancel();
    };
}

} // namespace sr::host
