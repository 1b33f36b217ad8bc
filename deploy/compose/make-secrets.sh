#!/usr/bin/env bash
# Makes the keys docker-compose.yml reads, in deploy/compose/secrets/ (or the directory given):
#
#   kek                   the key-encryption key: 32 random bytes, mode 0600, owned by the
#                         container's user (UID 10001) when run as root
#   jwt-signing-key.pem   the private key tokens are signed with (mint-token.sh); stays here,
#                         never given to the service
#   jwt-public-key.pem    its public key, which the service verifies tokens with
#   postgres.env          the database password, for the postgres service
#   casetrail.env         DATABASE_URL with that password, for the casetrail service
#
# Files that exist are kept: a new KEK would leave every data key already wrapped unreadable,
# and with them the personal data they seal.
#
# Usage: make-secrets.sh [--es256] [DIR]     (RS256, an RSA 3072 key, by default)
#
# Compose mounts a secret file as it is on the host, owner and mode included, and the service
# refuses a KEK that others may read: so the KEK must be mode 0600 and owned by UID 10001. Run
# as root (sudo) the script does that itself and gives the other files back to the user who ran
# sudo; otherwise it prints the one command to run as root.
set -euo pipefail
umask 077

CONTAINER_UID=10001
CONTAINER_GID=10001

alg=RS256
if [ "${1:-}" = --es256 ]; then
  alg=ES256
  shift
fi
dir=${1:-"$(cd "$(dirname "$0")" && pwd)/secrets"}
mkdir -p "$dir"
chmod 700 "$dir"

made() { echo "made $dir/$1"; }

if [ ! -e "$dir/kek" ]; then
  head -c 32 /dev/urandom >"$dir/kek.new"
  chmod 600 "$dir/kek.new"
  mv "$dir/kek.new" "$dir/kek"
  made kek
fi
if [ -r "$dir/kek" ] && [ "$(wc -c <"$dir/kek")" -ne 32 ]; then
  echo "$dir/kek is not 32 bytes: the service will refuse it" >&2
  exit 1
fi

if [ ! -e "$dir/jwt-signing-key.pem" ]; then
  if [ "$alg" = ES256 ]; then
    key_options=(-algorithm EC -pkeyopt ec_paramgen_curve:P-256)
  else
    key_options=(-algorithm RSA -pkeyopt rsa_keygen_bits:3072)
  fi
  # Its progress dots said only if it fails.
  if ! said=$(openssl genpkey "${key_options[@]}" -out "$dir/jwt-signing-key.pem" 2>&1); then
    echo "$said" >&2
    exit 1
  fi
  made jwt-signing-key.pem
fi
if [ ! -e "$dir/jwt-public-key.pem" ]; then
  openssl pkey -in "$dir/jwt-signing-key.pem" -pubout -out "$dir/jwt-public-key.pem"
  # Public: readable by the container's user whoever owns it.
  chmod 644 "$dir/jwt-public-key.pem"
  made jwt-public-key.pem
fi

if [ ! -e "$dir/postgres.env" ]; then
  # Hex: nothing to escape in the URL.
  printf 'POSTGRES_PASSWORD=%s\n' "$(openssl rand -hex 24)" >"$dir/postgres.env"
  made postgres.env
fi
if [ ! -e "$dir/casetrail.env" ]; then
  # The password PostgreSQL was (or will be) initialised with.
  password=$(sed -n 's/^POSTGRES_PASSWORD=//p' "$dir/postgres.env")
  printf 'DATABASE_URL=postgres://casetrail:%s@postgres:5432/casetrail\n' "$password" >"$dir/casetrail.env"
  made casetrail.env
fi

if [ "$(id -u)" -eq 0 ]; then
  chown "$CONTAINER_UID:$CONTAINER_GID" "$dir/kek"
  chmod 600 "$dir/kek"
  # Under sudo, everything but the KEK goes back to the user, who runs compose and mints tokens.
  if [ -n "${SUDO_UID:-}" ]; then
    chown "$SUDO_UID:${SUDO_GID:-$SUDO_UID}" "$dir" "$dir/jwt-signing-key.pem" \
      "$dir/jwt-public-key.pem" "$dir/postgres.env" "$dir/casetrail.env"
  fi
elif [ "$(ls -nd "$dir/kek" | awk '{print $3}')" != "$CONTAINER_UID" ]; then
  echo "The service runs as UID $CONTAINER_UID and must own the KEK (mode 0600). Run once:" >&2
  echo "  sudo chown $CONTAINER_UID:$CONTAINER_GID '$dir/kek'" >&2
fi
