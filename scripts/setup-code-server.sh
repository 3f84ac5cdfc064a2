#!/usr/bin/env bash
# `npm run setup:editor`: installs what the editor tests and `npm run try` need, when it is missing (recipe:
# ../shared/RECIPES.md); the tests themselves never install anything:
# Debian's Chromium, libkrb5-dev + ripgrep (to build code-server offline), and code-server into
# .cache/code-server (git-ignored, never the project's own dependencies). Idempotent; exits non-zero with a
# reason when something cannot be installed, and the editor test suites then report themselves skipped.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE="${INITLINT_CACHE:-$ROOT/.cache}"
CODE_SERVER_VERSION=4.100.3 # newest release whose engines.node accepts Node 20
CODE_SERVER_DIR="$CACHE/code-server"
CODE_SERVER_BIN="$CODE_SERVER_DIR/node_modules/.bin/code-server"
# @vscode/ripgrep version pinned by code-server 4.100.3 (lib/vscode/npm-shrinkwrap.json) and the rg
# release its postinstall downloads (lib/postinstall.js `VERSION`).
RIPGREP_PKG_VERSION=1.15.11
RIPGREP_RELEASE=v13.0.0-10

log() { echo "[setup-code-server] $*"; }

# Keep code-server's and Chromium's files out of $HOME.
export XDG_CONFIG_HOME="$CACHE/xdg/config" XDG_DATA_HOME="$CACHE/xdg/data" XDG_CACHE_HOME="$CACHE/xdg/cache"
export TMPDIR="$CACHE/tmp"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$TMPDIR"

# One installer at a time (two setups started at once would both find code-server missing).
exec 9>"$CACHE/setup.lock"
flock 9

missing_apt=()
[ -x /usr/bin/chromium ] || missing_apt+=(chromium)
command -v rg >/dev/null || missing_apt+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing_apt+=(libkrb5-dev)
if [ ${#missing_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    log "missing system packages (${missing_apt[*]}) and not root: cannot install them"
    exit 1
  fi
  log "installing system packages: ${missing_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq || true; apt-get install -y -qq --no-install-recommends "${missing_apt[@]}"; } >"$CACHE/apt-install.log" 2>&1 || {
    log "apt-get install failed; last lines of $CACHE/apt-install.log:"
    tail -n 20 "$CACHE/apt-install.log"
    exit 1
  }
fi

if [ -x "$CODE_SERVER_BIN" ] && "$CODE_SERVER_BIN" --version 2>/dev/null | grep -q "^$CODE_SERVER_VERSION"; then
  log "code-server $CODE_SERVER_VERSION already in $CODE_SERVER_DIR"
  exit 0
fi

# @vscode/ripgrep's postinstall downloads rg from GitHub; offline it takes this cached tarball instead.
RG_CACHE="$TMPDIR/vscode-ripgrep-cache-$RIPGREP_PKG_VERSION"
RG_TARBALL="$RG_CACHE/ripgrep-$RIPGREP_RELEASE-x86_64-unknown-linux-musl.tar.gz"
if [ ! -f "$RG_TARBALL" ]; then
  mkdir -p "$RG_CACHE"
  tar -czf "$RG_TARBALL" -C "$(dirname "$(command -v rg)")" rg
fi

log "installing code-server $CODE_SERVER_VERSION into $CODE_SERVER_DIR (about a minute)"
rm -rf "$CODE_SERVER_DIR"
mkdir -p "$CODE_SERVER_DIR"
echo '{ "private": true, "description": "code-server for InitLint editor tests (scripts/setup-code-server.sh)" }' >"$CODE_SERVER_DIR/package.json"
# unsafe_perm: code-server's postinstall refuses to run as root without it.
# yes: node-pty's postinstall runs `npx node-gyp`, which an npmrc with `yes=false` would cancel.
(cd "$CODE_SERVER_DIR" && npm_config_unsafe_perm=true npm_config_yes=true npm_config_fund=false npm_config_audit=false \
  npm install --no-save --foreground-scripts --loglevel=error "code-server@$CODE_SERVER_VERSION" >"$CACHE/code-server-install.log" 2>&1) || {
  log "npm install code-server failed; last lines of $CACHE/code-server-install.log:"
  tail -n 30 "$CACHE/code-server-install.log"
  exit 1
}
"$CODE_SERVER_BIN" --version | grep "^$CODE_SERVER_VERSION"
log "done"
