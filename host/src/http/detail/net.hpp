#pragma once
// Short names for Asio and Beast inside the HTTP part. Include only from .cpp files and
// detail/ headers: Beast is slow to compile and stays out of widely included headers.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace sr::host::detail {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;
using error_code = boost::system::error_code;
// Completion token of our coroutines: errors come back as values, never as exceptions.
inline constexpr auto use_tuple = net::as_tuple(net::use_awaitable);
} // namespace sr::host::detail
