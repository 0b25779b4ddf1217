# shellcheck shell=bash
# Shared provisioning for scripts/quickstart and scripts/test: install what is missing, start
# what is stopped. Every step checks before it acts, so running it again changes nothing.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="${GOVGRID_VENV:-$ROOT/.venv}"
PG_VERSION="${GOVGRID_PG_VERSION:-15}"
REDIS_PORT="${GOVGRID_REDIS_PORT:-6379}"

say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m!!\033[0m %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "need root (or sudo) to run: $*"
  fi
}

# apt_ensure PKG...: install the Debian packages that are not installed yet.
APT_UPDATED=""
apt_ensure() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 || die "missing ${missing[*]} and no apt-get: install them by hand"
  say "installing ${missing[*]}"
  if [ -z "$APT_UPDATED" ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_system_packages() {
  # postgresql-common brings pg_ctlcluster; postgis and ltree (contrib) are needed by migrations.
  apt_ensure "postgresql-$PG_VERSION" "postgresql-$PG_VERSION-postgis-3" redis-server "$@"
}

ensure_postgres() {
  if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then return 0; fi
  say "starting PostgreSQL $PG_VERSION"
  if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -q "^$PG_VERSION main$"; then
    as_root pg_createcluster "$PG_VERSION" main >/dev/null
  fi
  as_root pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main start || true
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && return 0; sleep 1; done
  die "PostgreSQL did not start; see /var/log/postgresql/"
}

ensure_redis() {
  if redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then return 0; fi
  say "starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
    >/dev/null
  for _ in $(seq 1 20); do redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 && return 0; sleep 0.5; done
  die "Redis did not start"
}

find_python() {
  for candidate in python3.11 python3.12 python3.13 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  apt_ensure python3 python3-venv python3-dev
  echo python3
}

# ensure_venv EXTRAS: a virtualenv with the package installed in editable mode; reinstalled
# only when the packaging files change (a stamp holds their hash).
ensure_venv() {
  local extras="${1:-}"
  if [ ! -x "$VENV/bin/python" ]; then
    say "creating virtualenv $VENV"
    "$(find_python)" -m venv "$VENV" || { apt_ensure python3-venv; "$(find_python)" -m venv "$VENV"; }
  fi
  local stamp="$VENV/.govgrid-installed" want
  want="$(cat "$ROOT/setup.cfg" "$ROOT/pyproject.toml" | sha256sum | cut -c1-16)$extras"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    say "installing Python packages${extras:+ (with $extras)}"
    "$VENV/bin/pip" install -q --upgrade pip >/dev/null
    "$VENV/bin/pip" install -q -e "$ROOT${extras:+[$extras]}"
    echo "$want" > "$stamp"
  fi
  export PATH="$VENV/bin:$PATH"
}
