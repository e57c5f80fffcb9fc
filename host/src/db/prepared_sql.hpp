#pragma once
// A statement PostgreSQL parses and plans once per connection instead of at every execution.
//
// Why: on the hot paths (webhook ingest, a run's finish) parsing, analysing and planning the
// same few statements was about a fifth of the database's CPU. Declare each such statement once,
// as a constant next to the code that runs it:
//
//     static const prepared_sql find_run{"SELECT status FROM runs WHERE id = $1"};
//     auto rows = find_run.exec(tx, run_id);
//
// The name comes from a hash of the text, so two statements never share a name by mistake and
// one text declared in two places shares one prepared statement. libpqxx registers the statement
// on a connection at its first use there, and again on a new connection after a reconnect;
// PostgreSQL replans it by itself when a table it uses changes (a migration).
#include <string>
#include <utility>

#include <pqxx/transaction_base>

namespace sr::host {

class prepared_sql {
public:
    explicit prepared_sql(std::string sql);

    const std::string& name() const { return name_; }
    const std::string& sql() const { return sql_; }

    // Runs the statement in `tx` with the given parameters (as exec_params takes them).
    template <typename... Args>
    pqxx::result exec(pqxx::transaction_base& tx, Args&&... args) const {
        // A second prepare of the same name and text is a no-op in libpqxx (a map lookup).
        tx.conn().prepare(name_, sql_);
        return tx.exec_prepared(name_, std::forward<Args>(args)...);
    }

private:
    std::string sql_;
    std::string name_;
};

// For a transaction whose statements touch a few rows of large tables by id (the run writer,
// a claim's journal read): plans that scan or hash a whole table are ruled out for the rest of
// the transaction. Why: a prepared statement's generic plan is made once, at its sixth run on a
// connection, and kept until the table is next analysed. Made while `runs` was nearly empty
// (a new installation, a benchmark), it scans the whole table; autovacuum analyses it only
// after a minute or more, by when every batch of the writer was reading all of `runs`.
void prefer_index_plans(pqxx::transaction_base& tx);

} // namespace sr::host
