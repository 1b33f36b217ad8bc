#!/usr/bin/env bash
# Mints a token the compose service accepts, signed with the key make-secrets.sh made, for
# trying the API. In production an identity provider mints them; this script stands in for one
# with the claims Casetrail reads (README "Authentication"): sub, name, partnership, org, roles,
# iss, aud, iat, exp. RS256 or ES256, by the key's type.
#
#   TOKEN=$(deploy/compose/mint-token.sh --org southend-council --role notifier)
#   curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8080/v1/cases
#
# Options: --org SLUG (required), --role ROLE (required, repeatable), --partnership SLUG
# (southend, the demo partnership), --sub ID, --name NAME, --hours N (1; at most 24, the
# service's default CASETRAIL_JWT_MAX_LIFETIME), --key PEM, --issuer ISS and --audience AUD
# (default CASETRAIL_JWT_ISSUER and CASETRAIL_JWT_AUDIENCE, else what docker-compose.yml sets).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
key="$here/secrets/jwt-signing-key.pem"
issuer=${CASETRAIL_JWT_ISSUER:-casetrail-compose}
audience=${CASETRAIL_JWT_AUDIENCE:-casetrail}
partnership=southend
org=
sub=compose-user
name="Compose User"
hours=1
roles=()

fail() {
  echo "mint-token.sh: $*" >&2
  exit 2
}

while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || fail "$1 needs a value"
  case $1 in
    --org) org=$2 ;;
    --role) roles+=("$2") ;;
    --partnership) partnership=$2 ;;
    --sub) sub=$2 ;;
    --name) name=$2 ;;
    --hours) hours=$2 ;;
    --key) key=$2 ;;
    --issuer) issuer=$2 ;;
    --audience) audience=$2 ;;
    *) fail "unknown option $1" ;;
  esac
  shift 2
done

[ -n "$org" ] || fail "--org is required (e.g. southend-council)"
[ ${#roles[@]} -gt 0 ] || fail "at least one --role is required"
[ -r "$key" ] || fail "cannot read the signing key $key (run deploy/compose/make-secrets.sh)"
[[ $hours =~ ^[0-9]+$ ]] && [ "$hours" -ge 1 ] && [ "$hours" -le 24 ] ||
  fail "--hours must be 1 to 24: the service refuses a token valid for longer"
slug='^[a-z0-9][a-z0-9-]{0,63}$' # as the service's slugs: lowercase letters, digits, dashes
[[ $org =~ $slug ]] || fail "--org must be a slug such as southend-council"
[[ $partnership =~ $slug ]] || fail "--partnership must be a slug such as southend"
for role in "${roles[@]}"; do
  case $role in
    business_manager | notifier | partner_decision_maker | agency_user | independent_advisor | \
      reviewer | auditor | admin | integration) ;;
    *) fail "unknown role $role (the service would ignore it)" ;;
  esac
done

# A JSON string: quotes and backslashes escaped; control characters refused rather than encoded.
json_string() {
  local value=$1
  [[ $value =~ [[:cntrl:]] ]] && fail "control characters in $value"
  value=${value//\\/\\\\}
  value=${value//\"/\\\"}
  printf '"%s"' "$value"
}

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

public_text=$(openssl pkey -in "$key" -pubout | openssl pkey -pubin -noout -text)
if grep -q 'Modulus' <<<"$public_text"; then
  alg=RS256
elif grep -q 'prime256v1\|P-256' <<<"$public_text"; then
  alg=ES256
else
  fail "$key is neither an RSA nor a P-256 key"
fi

now=$(date +%s)
role_list=$(printf '%s\n' "${roles[@]}" | sed 's/.*/"&"/' | paste -sd, -)
header=$(printf '{"alg":"%s","typ":"JWT"}' "$alg" | b64url)
claims=$(printf '{"sub":%s,"name":%s,"partnership":"%s","org":"%s","roles":[%s],"iss":%s,"aud":%s,"iat":%d,"exp":%d}' \
  "$(json_string "$sub")" "$(json_string "$name")" "$partnership" "$org" "$role_list" \
  "$(json_string "$issuer")" "$(json_string "$audience")" "$now" "$((now + hours * 3600))" | b64url)
signing_input="$header.$claims"

if [ "$alg" = RS256 ]; then
  # PKCS#1 v1.5 with SHA-256 is what RS256 is.
  signature=$(printf '%s' "$signing_input" | openssl dgst -sha256 -sign "$key" -binary | b64url)
else
  # ES256 wants r and s as two 32-byte numbers side by side; openssl gives a DER sequence.
  der_hex=$(printf '%s' "$signing_input" | openssl dgst -sha256 -sign "$key" -binary |
    od -An -v -tx1 | tr -d ' \n')
  raw_hex=
  rest=${der_hex:4} # the SEQUENCE's tag and length (a P-256 signature is under 128 bytes)
  for _ in r s; do
    length=$((16#${rest:2:2}))
    number=${rest:4:$((length * 2))}
    rest=${rest:$((4 + length * 2))}
    while [ ${#number} -gt 64 ]; do number=${number:2}; done # DER's leading zero byte
    while [ ${#number} -lt 64 ]; do number="00$number"; done
    raw_hex+=$number
  done
  signature=$(printf '%b' "$(sed 's/../\\x&/g' <<<"$raw_hex")" | b64url)
fi

printf '%s.%s\n' "$signing_input" "$signature"
