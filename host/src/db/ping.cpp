// libpq's asynchronous API, so that connecting and the query together respect one deadline
// whatever the conninfo's own connect_timeout says.
#include "db/ping.hpp"

#include <cerrno>
#include <memory>

#include <libpq-fe.h>
#include <poll.h>

namespace sr::host {
namespace {

using steady = std::chrono::steady_clock;

struct conn_closer {
    void operator()(PGconn* c) const { ::PQfinish(c); }
};
struct result_clearer {
    void operator()(PGresult* r) const { ::PQclear(r); }
};

// Waits until the connection's socket is ready for `events` or the deadline passes.
bool wait_socket(PGconn* conn, short events, steady::time_point deadline) {
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady::now()).count();
        if (left <= 0) return false;
        pollfd pfd{::PQsocket(conn), events, 0};
        if (pfd.fd < 0) return false;
        int rc = ::poll(&pfd, 1, static_cast<int>(left));
        if (rc > 0) return true;
        if (rc == 0) return false;
        if (errno != EINTR) return false;
    }
}

bool connect(PGconn* conn, steady::time_point deadline) {
    if (::PQstatus(conn) == CONNECTION_BAD) return false;
    auto state = PGRES_POLLING_WRITING;
    for (;;) {
        if (state == PGRES_POLLING_OK) return true;
        if (state == PGRES_POLLING_FAILED) return false;
        short events = state == PGRES_POLLING_READING ? POLLIN : POLLOUT;
        if (!wait_socket(conn, events, deadline)) return false;
        state = ::PQconnectPoll(conn);
    }
}

bool select_one(PGconn* conn, steady::time_point deadline) {
    if (::PQsetnonblocking(conn, 1) != 0 || ::PQsendQuery(conn, "SELECT 1") == 0) return false;
    for (;;) {
        int flush = ::PQflush(conn);
        if (flush < 0) return false;
        if (flush == 0) break;
        if (!wait_socket(conn, POLLOUT, deadline)) return false;
    }
    bool ok = false;
    for (;;) {
        while (::PQisBusy(conn)) {
            if (!wait_socket(conn, POLLIN, deadline) || ::PQconsumeInput(conn) == 0) return false;
        }
        std::unique_ptr<PGresult, result_clearer> result(::PQgetResult(conn));
        if (!result) return ok;
        ok = ::PQresultStatus(result.get()) == PGRES_TUPLES_OK;
    }
}

} // namespace

bool ping_database(const std::string& conninfo, std::chrono::milliseconds timeout) noexcept {
    const auto deadline = steady::now() + timeout;
    std::unique_ptr<PGconn, conn_closer> conn(::PQconnectStart(conninfo.c_str()));
    if (!conn) return false;
    return connect(conn.get(), deadline) && select_one(conn.get(), deadline);
}

} // namespace sr::host
