// Which address is the client's behind reverse proxies: the lists scenariod accepts, network
// membership for IPv4 and IPv6, and the X-Forwarded-For walk.
#include "http/trusted_proxies.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>

using sr::host::client_address;
using sr::host::trusted_proxies;

TEST_CASE("trusted proxies parse addresses and networks of both families") {
    auto p = trusted_proxies::parse(" 10.0.0.0/8, 192.168.1.7 ,::1,fd00::/8");
    CHECK_FALSE(p.empty());
    CHECK(p.contains("10.200.3.4"));
    CHECK(p.contains("192.168.1.7"));
    CHECK_FALSE(p.contains("192.168.1.8"));
    CHECK_FALSE(p.contains("11.0.0.1"));
    CHECK(p.contains("::1"));
    CHECK(p.contains("fd12:3456::1"));
    CHECK_FALSE(p.contains("fe80::1"));
    CHECK(p.contains("::ffff:10.1.2.3")); // an IPv4 peer seen through an IPv6 socket
    CHECK_FALSE(p.contains("not an address"));
    CHECK(trusted_proxies::parse("").empty());
    CHECK(trusted_proxies::parse(" , ").empty());
    CHECK(trusted_proxies::parse("0.0.0.0/0").contains("8.8.8.8"));
    CHECK_FALSE(trusted_proxies::parse("0.0.0.0/0").contains("2001:db8::1"));
}

TEST_CASE("a trusted proxy list refuses what is not an address or network, naming it") {
    for (const char* bad : {"10.0.0.0/33", "::1/129", "10.0.0.0/", "10.0.0.0/8x", "10.0.0.256", "proxy.local",
                            "10.0.0.1, nope"}) {
        INFO(bad);
        try {
            trusted_proxies::parse(bad);
            FAIL("accepted");
        } catch (const std::invalid_argument& e) {
            CHECK(std::string(e.what()).find("not an IP address or network") != std::string::npos);
        }
    }
}

TEST_CASE("the client is the peer unless the peer is a trusted proxy") {
    const auto proxies = trusted_proxies::parse("10.0.0.0/8");
    const std::string forwarded = "203.0.113.9";
    CHECK(client_address("198.51.100.1", &forwarded, proxies) == "198.51.100.1"); // anyone can send the header
    CHECK(client_address("10.0.0.2", nullptr, proxies) == "10.0.0.2");
    CHECK(client_address("10.0.0.2", &forwarded, proxies) == "203.0.113.9");
    CHECK(client_address("10.0.0.2", &forwarded, trusted_proxies{}) == "10.0.0.2");
}

TEST_CASE("X-Forwarded-For is read from the right, up to the first address that is not a trusted proxy") {
    const auto proxies = trusted_proxies::parse("10.0.0.0/8");
    // A client's own forged entries lie left of the address the first proxy saw.
    const std::string chain = "1.2.3.4, 203.0.113.9, 10.0.0.5";
    CHECK(client_address("10.0.0.2", &chain, proxies) == "203.0.113.9");
    const std::string all_proxies = "10.0.0.7,10.0.0.5";
    CHECK(client_address("10.0.0.2", &all_proxies, proxies) == "10.0.0.7");
    const std::string garbled = "203.0.113.9, bogus, 10.0.0.5";
    CHECK(client_address("10.0.0.2", &garbled, proxies) == "10.0.0.5");
    const std::string empty;
    CHECK(client_address("10.0.0.2", &empty, proxies) == "10.0.0.2");
    const std::string v6 = "2001:db8::7";
    CHECK(client_address("10.0.0.2", &v6, proxies) == "2001:db8::7");
}
