// POST /api/v1/integrations/{integration}/actions/{action}/fields/{field}/options with the real
// wordpress plugin against a local fake WordPress: the options come from the user's site
// through its connection, are cached per connection and dependency values, and errors are
// problems without secrets.
#include <future>
#include <memory>
#include <thread>

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "api/api_routes.hpp"
#include "api_fixture.hpp"
#include "connections/connection_repository.hpp"
#include "fake_wordpress.hpp"
#include "io_drain.hpp"
#include "runtime/loaded_plugins.hpp"
#include "security/master_key.hpp"
#include "security/vault.hpp"

using namespace sr::test;
namespace json = boost::json;

namespace {

// The API routes with a vault and the loaded plugins, over the api_server's database.
class options_server {
public:
    explicit options_server(api_server& s)
        : guard_(boost::asio::make_work_guard(ioc_)), keys_(sr::host::master_key::generate()), pool_(s.conninfo(), 2),
          ctx_{pool_, s.plugins().catalog(), 512 * 1024, {}, {}} {
        // The api_server's plugins (one host_services per process): their calls run on its
        // I/O threads; this server only adds a vault.
        ctx_.keys = &keys_;
        ctx_.plugins = &s.plugins();
        sr::host::add_field_options_routes(routes_, ctx_);
        sr::host::http_server_config config;
        config.listen = "127.0.0.1:0";
        server_ = std::make_unique<sr::host::http_server>(
            ioc_, config, sr::host::async_request_handler([this](sr::host::http_request r, sr::host::respond_fn respond) {
                routes_.dispatch(std::move(r), std::move(respond));
            }));
        port_ = server_->start();
        for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { ioc_.run(); });
    }
    ~options_server() {
        std::promise<void> stopped;
        server_->stop(std::chrono::milliseconds(2000), [&] { stopped.set_value(); });
        stopped.get_future().wait_for(std::chrono::seconds(5));
        drain(ioc_, guard_, threads_);
        server_.reset();
    }

    std::string connect(api_server& s, const std::string& org, const json::object& credentials) {
        pqxx::connection conn(s.conninfo());
        pqxx::work tx(conn);
        auto row = sr::host::create_connection(tx, keys_, org, "", "wordpress", "app_password", "site", credentials);
        tx.commit();
        return row.id;
    }

    api_answer options(const std::string& field, const std::string& token, const json::value& body,
                       const std::string& integration = "wordpress") {
        std::string text = json::serialize(body);
        raw_client c(port_);
        c.send(raw_request("POST", "/api/v1/integrations/" + integration + "/actions/create_post/fields/" + field + "/options",
                           text, "Authorization: Bearer " + token + "\r\nContent-Type: application/json\r\n"));
        api_answer out;
        out.raw = c.read_response(std::chrono::seconds(20));
        out.status = out.raw.status;
        boost::system::error_code ec;
        auto parsed = json::parse(out.raw.body, ec);
        if (!ec) out.body = std::move(parsed);
        return out;
    }

private:
    boost::asio::io_context ioc_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
    sr::host::vault keys_;
    sr::host::db_pool pool_;
    sr::host::api_context ctx_;
    sr::host::router routes_;
    std::unique_ptr<sr::host::http_server> server_;
    std::uint16_t port_ = 0;
    std::vector<std::thread> threads_;
};

std::vector<std::string> labels(const api_answer& a) {
    std::vector<std::string> out;
    for (const auto& o : a.body.at("options").as_array()) out.emplace_back(o.at("label").as_string());
    return out;
}

} // namespace

TEST_CASE("dynamic options come from the user's site and are cached per connection and dependency values") {
    api_server s;
    fake_wordpress wp;
    wp.add_category("Recipes");
    wp.add_tag("news");
    wp.add_tag("newsletter");
    wp.add_tag("sports");
    options_server o(s);
    auto token = s.a.token.at(sr::host::role::member);
    auto connection = o.connect(s, s.a.org_id, wp.app_connection());

    auto first = o.options("categories", token, json::object{{"connection_id", connection}});
    INFO(first.raw.body);
    REQUIRE(first.status == 200);
    CHECK(first.body.at("cached") == false);
    auto names = labels(first);
    CHECK(std::find(names.begin(), names.end(), "Recipes") != names.end());
    const auto requests = wp.requests().size();
    auto again = o.options("categories", token, json::object{{"connection_id", connection}});
    CHECK(again.body.at("cached") == true);
    CHECK(labels(again) == names);
    CHECK(wp.requests().size() == requests); // served from the cache: the site was not asked

    // A dependent field: the tags' options follow the tag_search value, each cached on its own.
    auto news = o.options("tags", token, json::object{{"connection_id", connection}, {"values", {{"tag_search", "news"}}}});
    REQUIRE(news.status == 200);
    auto news_labels = labels(news);
    CHECK(std::find(news_labels.begin(), news_labels.end(), "sports") == news_labels.end());
    CHECK(std::find(news_labels.begin(), news_labels.end(), "newsletter") != news_labels.end());
    auto sports = o.options("tags", token, json::object{{"connection_id", connection}, {"values", {{"tag_search", "sport"}}}});
    REQUIRE(sports.status == 200);
    CHECK(sports.body.at("cached") == false);
    CHECK(labels(sports) == std::vector<std::string>{"sports"});
}

TEST_CASE("dynamic options refuse unknown fields, other organizations' connections and bad bodies") {
    api_server s;
    fake_wordpress wp;
    options_server o(s);
    auto connection = o.connect(s, s.a.org_id, wp.app_connection());
    auto token_b = s.b.token.at(sr::host::role::owner);
    auto token_a = s.a.token.at(sr::host::role::owner);
    CHECK(o.options("no_such_field", token_a, json::object{{"connection_id", connection}}).status == 404);
    CHECK(o.options("categories", token_a, json::object{}, "no_such_plugin").status == 404);
    CHECK(o.options("categories", token_b, json::object{{"connection_id", connection}}).status == 404);
    CHECK(o.options("categories", token_a, json::object{{"values", json::array{}}}).status == 400);
    CHECK(o.options("categories", "", json::object{}).status == 401);
}

TEST_CASE("a site that refuses the credentials gives a problem that names the error but no secret") {
    api_server s;
    fake_wordpress wp;
    options_server o(s);
    auto credentials = wp.app_connection();
    credentials["application_password"] = "wrong pass word 9999 zzzz";
    auto connection = o.connect(s, s.a.org_id, credentials);
    // WordPress lists categories to anyone; a site that requires login answers 401 like this.
    const std::string body = R"({"code":"rest_not_logged_in","message":"You are not currently logged in.","data":{"status":401}})";
    wp.answer_next_with("HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: " +
                        std::to_string(body.size()) + "\r\n\r\n" + body);
    auto answer = o.options("categories", s.a.token.at(sr::host::role::owner), json::object{{"connection_id", connection}});
    INFO(answer.raw.body);
    CHECK(answer.status == 502);
    CHECK(answer.body.at("code") == "connection_invalid");
    CHECK(answer.raw.body.find("wrong pass word") == std::string::npos);
}
