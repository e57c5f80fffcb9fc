#!/usr/bin/env bash
# A real WordPress 6.1 (Debian's package) on 127.0.0.1 for integration tests, without services.
#   wordpress.sh start DIR [PORT]   install missing packages, start MariaDB and PHP, install WordPress
#   wordpress.sh stop DIR           stop everything started for DIR and remove DIR
#   wordpress.sh status DIR         exit 0 when the instance in DIR answers authenticated REST calls
# start writes DIR/wordpress.env (WP_URL, WP_USER, WP_APP_PASSWORD, ...) for the tests to source.
# Every start on a stopped DIR is a fresh install (new database, new passwords, empty uploads).
#
# One instance per machine: Debian's WordPress reads /etc/wordpress/config-127.0.0.1.php and keeps
# uploads in /var/lib/wordpress/wp-content, and both are shared. start refuses while another DIR's
# instance is up. The facts behind this are in the team's shared/docs/wordpress.md.
# Putting DIR on a tmpfs (e.g. /dev/shm/...) makes start several seconds faster (MariaDB fsyncs).
# shellcheck disable=SC2015  # "test && action || fallback" is used only where the fallback is wanted
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly here
# procps: stop finds PHP's workers with pgrep (a minimal Debian image has no procps; the
# mariadb clients used here come in through wordpress -> default-mysql-client).
readonly packages=(wordpress php-cli php-mysql mariadb-server-core php php8.2-cgi micro-httpd procps)
readonly wp_root=/usr/share/wordpress
readonly uploads_dir=/var/lib/wordpress/wp-content/uploads
readonly config_file=/etc/wordpress/config-127.0.0.1.php
readonly marker_file=.sr-wordpress       # marks DIR as ours, so stop only ever removes our own directory
readonly wait_s=30                       # bound on every wait for a server
readonly php_workers=4                   # the plugin's tests may send requests in parallel

die() { echo "wordpress.sh: $*" >&2; exit 1; }

# Fails with the tail of each log named after the message.
fail() {
  local message=$1 log
  shift
  echo "wordpress.sh: $message" >&2
  for log in "$@"; do
    if [ -s "$log" ]; then
      echo "--- last lines of $log ---" >&2
      tail -n 25 "$log" >&2
    fi
  done
  exit 1
}

usage() { echo "usage: $0 start DIR [PORT] | stop DIR | status DIR" >&2; exit 2; }

absolute_dir() {
  local dir
  dir=$(realpath -m -- "$1")
  # The path goes into PHP string literals and a unix socket name (at most 107 bytes).
  [[ $dir =~ ^/[A-Za-z0-9._/+-]+$ ]] || die "DIR must use only letters, digits and ._/+- (got '$1')"
  [ "$dir" != / ] || die "DIR must not be /"
  [ ${#dir} -le 90 ] || die "DIR is too long for a unix socket path (${#dir} > 90 characters): $dir"
  printf '%s\n' "$dir"
}

read_pid() { # FILE -> the pid in it, or nothing
  [ -f "$1" ] && tr -dc '0-9' <"$1" || true
}

# True when PID is alive and is the process we started for DIR (guards against pid reuse).
# (grep without -q reads all its input: with -q, tr could die of SIGPIPE and pipefail say no.)
is_mariadbd_of() { # PID DIR
  [ -n "$1" ] && [ -r "/proc/$1/cmdline" ] && { tr '\0' '\n' <"/proc/$1/cmdline"; } 2>/dev/null | grep -xF -- "--datadir=$2/db" >/dev/null
}
is_php_of() { # PID DIR
  [ -n "$1" ] && [ -r "/proc/$1/environ" ] && { tr '\0' '\n' <"/proc/$1/environ"; } 2>/dev/null | grep -xF -- "SR_WORDPRESS_DIR=$2" >/dev/null
}

# ---------------------------------------------------------------------------------------------
# HTTP without curl (a fresh Debian has none): PHP's own http stream wrapper.

http_status() { # URL USER:PASSWORD -> prints the status code, 000 when nothing answered
  # shellcheck disable=SC2016  # PHP code, not shell
  SR_AUTH=$2 php -d display_errors=stderr -r '
    $context = stream_context_create(["http" => [
      "method" => "GET", "ignore_errors" => true, "timeout" => 5,
      "header" => "Authorization: Basic " . base64_encode(getenv("SR_AUTH")) . "\r\n"]]);
    @file_get_contents($argv[1], false, $context);
    $status = isset($http_response_header[0]) && preg_match("{^HTTP/\\S+ (\\d{3})}", $http_response_header[0], $m) ? $m[1] : "000";
    echo $status, "\n";' "$1" 2>/dev/null || echo 000
}

rest_me_status() { # ENV_FILE -> status of GET /wp-json/wp/v2/users/me with its credentials
  local env_file=$1 url user password
  url=$(sed -n 's/^WP_URL=//p' "$env_file")
  user=$(sed -n 's/^WP_USER=//p' "$env_file")
  password=$(sed -n 's/^WP_APP_PASSWORD=//p' "$env_file")
  http_status "$url/wp-json/wp/v2/users/me" "$user:$password"
}

is_up() { # DIR
  local dir=$1
  [ -f "$dir/wordpress.env" ] || return 1
  is_mariadbd_of "$(read_pid "$dir/mariadbd.pid")" "$dir" || return 1
  is_php_of "$(read_pid "$dir/php.pid")" "$dir" || return 1
  [ "$(rest_me_status "$dir/wordpress.env")" = 200 ]
}

# ---------------------------------------------------------------------------------------------
# Stopping: by recorded pid only, PHP's workers first (they outlive their parent), then MariaDB.

# A worker that has exited stays a zombie until its parent reaps it: that counts as gone.
is_running() { # PID
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [ "${stat%% *}" != Z ]
}

wait_gone() { # SECONDS PID...
  local deadline=$((SECONDS + $1)) pid alive
  shift
  while :; do
    alive=
    for pid in "$@"; do is_running "$pid" && alive=1; done
    [ -z "$alive" ] && return 0
    [ $SECONDS -ge $deadline ] && return 1
    sleep 0.1
  done
}

stop_php() { # DIR
  local dir=$1 pid members=() workers=() member
  pid=$(read_pid "$dir/php.pid")
  [ -n "$pid" ] || return 0
  # The server runs in its own session, so its workers share its process group even when orphaned.
  for member in $(pgrep -g "$pid" 2>/dev/null || true); do
    is_php_of "$member" "$dir" || continue
    members+=("$member")
    [ "$member" = "$pid" ] || workers+=("$member")
  done
  [ ${#members[@]} -gt 0 ] || return 0
  if [ ${#workers[@]} -gt 0 ]; then
    kill -TERM "${workers[@]}" 2>/dev/null || true
    wait_gone 5 "${workers[@]}" || true
  fi
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_gone 5 "${members[@]}"; then
    kill -KILL "${members[@]}" 2>/dev/null || true
    wait_gone 5 "${members[@]}" || echo "wordpress.sh: PHP processes ${members[*]} did not exit" >&2
  fi
}

stop_mariadb() { # DIR
  local dir=$1 pid
  pid=$(read_pid "$dir/mariadbd.pid")
  is_mariadbd_of "$pid" "$dir" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_gone "$wait_s" "$pid"; then
    kill -KILL "$pid" 2>/dev/null || true
    wait_gone 5 "$pid" || echo "wordpress.sh: mariadbd $pid did not exit" >&2
  fi
}

stop_processes() { # DIR
  stop_php "$1"
  stop_mariadb "$1"
}

config_owner() { # -> the DIR named in the shared config file, if we wrote it
  [ -f "$config_file" ] && sed -n 's|^// sr-wordpress-dir: ||p' "$config_file" | head -n 1 || true
}

cmd_stop() {
  local dir
  dir=$(absolute_dir "$1")
  [ -e "$dir" ] || return 0
  [ -f "$dir/$marker_file" ] || die "$dir was not created by wordpress.sh start; not touching it"
  stop_processes "$dir"
  if [ "$(config_owner)" = "$dir" ]; then
    rm -f "$config_file"
    empty_uploads
  fi
  rm -rf -- "$dir"
}

cmd_status() {
  local dir
  dir=$(absolute_dir "$1")
  if is_up "$dir"; then
    sed -n 's/^WP_URL=/WordPress is up at /p' "$dir/wordpress.env"
    return 0
  fi
  echo "wordpress.sh: no WordPress is up for $dir" >&2
  return 1
}

# ---------------------------------------------------------------------------------------------
# Starting.

missing_packages() {
  local package
  for package in "${packages[@]}"; do
    [ "$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)" = installed ] || echo "$package"
  done
}

install_packages() { # LOG
  local log=$1 missing
  mapfile -t missing < <(missing_packages)
  [ ${#missing[@]} -gt 0 ] || return 0
  [ "$(id -u)" = 0 ] || die "missing Debian packages (${missing[*]}); run as root to install them"
  echo "wordpress.sh: installing ${missing[*]}" >&2
  local apt=(apt-get -q -o DPkg::Lock::Timeout=300)
  DEBIAN_FRONTEND=noninteractive "${apt[@]}" update >"$log" 2>&1 \
    || fail "apt-get update failed" "$log"
  DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y --no-install-recommends "${missing[@]}" >>"$log" 2>&1 \
    || fail "apt-get install ${missing[*]} failed" "$log"
}

wait_until() { # WHAT PID LOG CHECK...  (runs CHECK until it succeeds, PID dies or time runs out)
  local what=$1 pid=$2 log=$3 deadline=$((SECONDS + wait_s))
  shift 3
  until "$@"; do
    is_running "$pid" || fail "$what exited during start-up" "$log"   # our own child: a zombie once dead
    [ $SECONDS -lt $deadline ] || fail "$what was not ready after ${wait_s}s" "$log"
    sleep 0.2
  done
}

random_hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }

mariadb_ping() { mariadb-admin --no-defaults -S "$1" -uroot --connect-timeout=2 ping >/dev/null 2>&1; }

start_mariadb() { # DIR
  local dir=$1 socket=$1/mariadb.sock
  # A small redo log: 33 MB instead of 114 MB per instance. The bootstrap fsyncs about a thousand
  # times, so it is about 4 times faster when DIR is on a tmpfs.
  mariadb-install-db --no-defaults --datadir="$dir/db" --user=root --skip-test-db --innodb-log-file-size=16M \
    >"$dir/mariadb-install.log" 2>&1 || fail "mariadb-install-db failed" "$dir/mariadb-install.log"
  # Durability is off: this database holds nothing of value, and install is mostly writes.
  setsid mariadbd --no-defaults --user=root --datadir="$dir/db" --socket="$socket" \
    --pid-file="$dir/db/mariadbd.pid" --skip-networking --log-error="$dir/mariadb.log" \
    --innodb-log-file-size=16M --innodb-flush-log-at-trx-commit=0 --skip-log-bin \
    </dev/null >>"$dir/mariadb.log" 2>&1 &
  echo $! >"$dir/mariadbd.pid"
  wait_until "mariadbd" "$!" "$dir/mariadb.log" mariadb_ping "$socket"
}

create_database() { # DIR DB_PASSWORD
  mariadb --no-defaults -S "$1/mariadb.sock" -uroot >"$1/mariadb-setup.log" 2>&1 <<SQL \
    || fail "creating the wordpress database failed" "$1/mariadb-setup.log"
CREATE DATABASE wordpress CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER 'wordpress'@'localhost' IDENTIFIED BY '$2';
GRANT ALL PRIVILEGES ON wordpress.* TO 'wordpress'@'localhost';
SQL
}

write_config() { # DIR PORT DB_PASSWORD
  local dir=$1 port=$2 key tmp
  mkdir -p "$(dirname "$config_file")"
  tmp=$(mktemp "$config_file.XXXXXX")
  {
    echo "<?php"
    echo "// Written by tools/testing/wordpress.sh for a throwaway test instance; removed by its stop."
    echo "// sr-wordpress-dir: $dir"
    echo "define('DB_NAME', 'wordpress');"
    echo "define('DB_USER', 'wordpress');"
    echo "define('DB_PASSWORD', '$3');"
    echo "define('DB_HOST', 'localhost:$dir/mariadb.sock');"
    echo "define('WP_HOME', 'http://127.0.0.1:$port');"
    echo "define('WP_SITEURL', 'http://127.0.0.1:$port');"
    echo "// 'local' lets Application Passwords work over plain HTTP."
    echo "define('WP_ENVIRONMENT_TYPE', 'local');"
    echo "define('DISABLE_WP_CRON', true);"
    echo "define('AUTOMATIC_UPDATER_DISABLED', true);"
    echo "define('WP_HTTP_BLOCK_EXTERNAL', true);"
    for key in AUTH_KEY SECURE_AUTH_KEY LOGGED_IN_KEY NONCE_KEY AUTH_SALT SECURE_AUTH_SALT LOGGED_IN_SALT NONCE_SALT; do
      echo "define('$key', '$(random_hex 32)');"
    done
  } >"$tmp"
  chmod 0640 "$tmp"
  mv -f "$tmp" "$config_file"
}

empty_uploads() {
  mkdir -p "$uploads_dir"
  find "$uploads_dir" -mindepth 1 -delete
}

start_php() { # DIR PORT
  local dir=$1 port=$2
  # SR_WORDPRESS_DIR tags the server and its workers so stop can recognise them by pid.
  (
    cd /
    export SR_WORDPRESS_DIR=$dir PHP_CLI_SERVER_WORKERS=$php_workers
    exec setsid php -d display_errors=0 -d log_errors=1 -d error_log="$dir/php-errors.log" \
      -S "127.0.0.1:$port" -t "$wp_root" "$here/wordpress/router.php"
  ) </dev/null >"$dir/php.log" 2>&1 &
  echo $! >"$dir/php.pid"
}

port_free() { # PORT  (fails fast, before the slow part of start; php -S still reports a race)
  # shellcheck disable=SC2016  # PHP code, not shell
  php -r 'exit(@stream_socket_server("tcp://127.0.0.1:" . $argv[1]) === false ? 1 : 0);' "$1"
}

php_answers() { # ENV_FILE
  [ "$(rest_me_status "$1")" = 200 ]
}

cleanup_dir=
on_exit() {
  local status=$?
  if [ $status -ne 0 ] && [ -n "$cleanup_dir" ]; then
    echo "wordpress.sh: start failed; stopping what it started (logs stay in $cleanup_dir)" >&2
    stop_processes "$cleanup_dir"
    [ "$(config_owner)" = "$cleanup_dir" ] && rm -f "$config_file"
  fi
  return $status
}

cmd_start() {
  local dir port owner db_password admin_password app_password
  dir=$(absolute_dir "$1")
  port=${2:-8088}
  [[ $port =~ ^[0-9]+$ ]] && [ "$port" -ge 1 ] && [ "$port" -le 65535 ] || die "PORT must be 1-65535 (got '$port')"

  if [ -f "$dir/wordpress.env" ] && is_up "$dir"; then
    grep -qxF "WP_URL=http://127.0.0.1:$port" "$dir/wordpress.env" \
      || die "$dir is already up on another port: $(sed -n 's/^WP_URL=//p' "$dir/wordpress.env")"
    echo "wordpress.sh: already up at http://127.0.0.1:$port" >&2
    return 0
  fi
  owner=$(config_owner)
  if [ -n "$owner" ] && [ "$owner" != "$dir" ] && is_up "$owner"; then
    die "another test WordPress is up from $owner (it owns $config_file); stop it first"
  fi
  if [ -f "$config_file" ] && [ -z "$owner" ]; then
    die "$config_file exists and was not written by wordpress.sh; move it away first"
  fi
  if [ -e "$dir" ]; then
    if [ -f "$dir/$marker_file" ]; then
      stop_processes "$dir"          # a half-started or crashed instance: start over
      rm -rf -- "$dir"
    elif [ -n "$(ls -A -- "$dir")" ]; then
      die "$dir exists, is not empty and was not created by wordpress.sh"
    fi
  fi
  mkdir -p "$dir"
  touch "$dir/$marker_file"

  install_packages "$dir/apt.log"
  port_free "$port" || die "127.0.0.1:$port is already in use; pick another PORT"

  cleanup_dir=$dir
  trap on_exit EXIT
  trap 'exit 130' INT TERM

  start_mariadb "$dir"
  db_password=$(random_hex 16)
  create_database "$dir" "$db_password"
  write_config "$dir" "$port" "$db_password"
  empty_uploads

  admin_password=$(random_hex 16)
  php -d display_errors=stderr "$here/wordpress/install.php" "127.0.0.1:$port" "$admin_password" \
    "$dir/app-password" >"$dir/wp-install.log" 2>&1 \
    || fail "the WordPress install script failed" "$dir/wp-install.log"
  app_password=$(tr -d '\n' <"$dir/app-password")
  rm -f "$dir/app-password"

  start_php "$dir" "$port"
  {
    echo "WP_URL=http://127.0.0.1:$port"
    echo "WP_USER=admin"
    echo "WP_APP_PASSWORD=$app_password"
    echo "WP_ADMIN_PASSWORD=$admin_password"
    echo "WP_DB_SOCKET=$dir/mariadb.sock"
    echo "WP_MARIADB_PID=$(read_pid "$dir/mariadbd.pid")"
    echo "WP_PHP_PID=$(read_pid "$dir/php.pid")"
  } >"$dir/wordpress.env.tmp"
  chmod 0600 "$dir/wordpress.env.tmp"
  wait_until "php -S (WordPress)" "$(read_pid "$dir/php.pid")" "$dir/php.log" php_answers "$dir/wordpress.env.tmp"
  # Published only once up: tests may poll for this file.
  mv -f "$dir/wordpress.env.tmp" "$dir/wordpress.env"
  cleanup_dir=
  echo "wordpress.sh: WordPress $(sed -n "s/^.wp_version = '\(.*\)';/\1/p" "$wp_root/wp-includes/version.php") is up at http://127.0.0.1:$port (env in $dir/wordpress.env)" >&2
}

case "${1:-}" in
  start) [ $# -ge 2 ] && [ $# -le 3 ] || usage; cmd_start "$2" "${3:-}" ;;
  stop) [ $# -eq 2 ] || usage; cmd_stop "$2" ;;
  status) [ $# -eq 2 ] || usage; cmd_status "$2" ;;
  *) usage ;;
esac
