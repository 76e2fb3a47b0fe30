#!/usr/bin/env bash
# Authorization code + PKCE (S256) by hand against the development auth server, then a call to the Orders API.
# Needs curl, openssl and python3. Usage:
#   samples/Orders.AuthServer/scripts/code-pkce.sh                 # public client orders-spa
#   CLIENT_ID=orders-web CLIENT_SECRET=dev-only-orders-web-secret REDIRECT_URI=http://127.0.0.1:5173/callback \
#     samples/Orders.AuthServer/scripts/code-pkce.sh               # confidential client
set -euo pipefail
AUTH=${AUTH:-http://localhost:5090}
API=${API:-http://localhost:5080}
CLIENT_ID=${CLIENT_ID:-orders-spa}
CLIENT_SECRET=${CLIENT_SECRET:-}
REDIRECT_URI=${REDIRECT_URI:-http://127.0.0.1:5173/spa/callback}
SCOPE=${SCOPE:-orders:read offline_access}

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
urlencode() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }

# 1. PKCE: a random verifier, its SHA-256 as the challenge; a random state against CSRF on the callback.
VERIFIER=$(openssl rand 32 | b64url)
CHALLENGE=$(printf '%s' "$VERIFIER" | openssl dgst -sha256 -binary | b64url)
STATE=$(openssl rand 16 | b64url)

echo "Open this URL in a browser, sign in (alice / alice-dev-password) and allow:"
echo
echo "$AUTH/connect/authorize?client_id=$(urlencode "$CLIENT_ID")&response_type=code&redirect_uri=$(urlencode "$REDIRECT_URI")&scope=$(urlencode "$SCOPE")&state=$STATE&code_challenge=$CHALLENGE&code_challenge_method=S256"
echo
echo "The browser then goes to $REDIRECT_URI?code=…&state=…&iss=… (nothing listens there: copy the address bar)."
read -r -p "Paste that URL: " CALLBACK

query() { python3 -c 'import sys, urllib.parse; print(urllib.parse.parse_qs(urllib.parse.urlsplit(sys.argv[1]).query).get(sys.argv[2], [""])[0])' "$CALLBACK" "$1"; }
[ "$(query state)" = "$STATE" ] || { echo "state mismatch: not the answer to this request" >&2; exit 1; }
[ "$(query iss)" = "$AUTH/" ] || { echo "iss is '$(query iss)', expected '$AUTH/' (RFC 9207 mix-up defence)" >&2; exit 1; }
CODE=$(query code)

# 2. The code and the verifier for tokens (a confidential client also authenticates).
AUTH_ARGS=()
if [ -n "$CLIENT_SECRET" ]; then AUTH_ARGS=(-u "$CLIENT_ID:$CLIENT_SECRET"); else AUTH_ARGS=(-d "client_id=$CLIENT_ID"); fi
TOKENS=$(curl -s "${AUTH_ARGS[@]}" "$AUTH/connect/token" -d grant_type=authorization_code \
  --data-urlencode "code=$CODE" --data-urlencode "redirect_uri=$REDIRECT_URI" --data-urlencode "code_verifier=$VERIFIER")
echo "$TOKENS"
ACCESS=$(printf '%s' "$TOKENS" | python3 -c 'import sys, json; print(json.load(sys.stdin)["access_token"])')

# 3. The Orders API.
curl -s -i -H "Authorization: Bearer $ACCESS" "$API/api/v1/me"
echo

# 4. Refresh (rotation: the old refresh token is dead afterwards).
REFRESH=$(printf '%s' "$TOKENS" | python3 -c 'import sys, json; print(json.load(sys.stdin).get("refresh_token", ""))')
if [ -n "$REFRESH" ]; then
  curl -s "${AUTH_ARGS[@]}" "$AUTH/connect/token" -d grant_type=refresh_token --data-urlencode "refresh_token=$REFRESH"
  echo
fi
