"""A fake OpenID Connect provider: it signs real ID tokens (RS256, a key made per test with cryptography) and
checks the PKCE verifier, so the portal's side of the code flow runs unchanged; only HTTP is replaced."""

import base64
import hashlib
import json
import time
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa

ISSUER = "https://idp.example.test/realms/cx"
CLIENT_ID = "cx-portal"
ROLE_MAP = {
    "cx-managers": "manager",
    "dept-sales": "department:Sales",
    "dept-service": ["department:Customer Service"],
}


def _response(url: str, status: int, body) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = json.dumps(body).encode()
    response.headers["content-type"] = "application/json"
    response.url = url
    return response


class FakeProvider:
    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.codes: dict[str, dict] = {}
        self.down = False
        self.token_overrides: dict = {}
        self.signing_key = self.key
        self.userinfo_by_token: dict[str, dict] = {}
        self.token_requests: list[dict] = []

    def jwks(self) -> dict:
        jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {"keys": [{**jwk, "kid": "k1", "alg": "RS256", "use": "sig"}]}

    def authorize(self, location: str, claims: dict) -> tuple[str, str]:
        """What the provider does when the person signs in: a code for this request. Returns (code, state)."""
        query = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
        assert query["client_id"] == CLIENT_ID
        code = f"code-{len(self.codes)}"
        self.codes[code] = {"claims": claims, **query}
        return code, query["state"]

    def post(self, url, data=None, **kwargs):
        if self.down:
            raise requests.ConnectionError("provider down")
        assert url.endswith("/token")
        self.token_requests.append(dict(data))
        grant = self.codes.pop(data.get("code"), None)
        if grant is None:
            return _response(url, 400, {"error": "invalid_grant"})
        challenge = base64.urlsafe_b64encode(hashlib.sha256(data["code_verifier"].encode()).digest()).rstrip(b"=")
        if grant.get("code_challenge_method") != "S256" or challenge.decode() != grant.get("code_challenge"):
            return _response(url, 400, {"error": "invalid_grant", "error_description": "PKCE"})
        now = int(time.time())
        claims = grant["claims"]
        token = {
            "iss": ISSUER,
            "aud": CLIENT_ID,
            "sub": claims["sub"],
            "iat": now,
            "exp": now + 300,
            "nonce": grant.get("nonce"),
            **self.token_overrides,
        }
        id_token = jwt.encode(token, self.signing_key, algorithm="RS256", headers={"kid": "k1"})
        access_token = f"at-{claims['sub']}-{now}"
        self.userinfo_by_token[access_token] = claims
        return _response(url, 200, {"id_token": id_token, "access_token": access_token, "token_type": "Bearer"})

    def get(self, url, headers=None, **kwargs):
        if self.down:
            raise requests.ConnectionError("provider down")
        if url.endswith("/certs"):
            return _response(url, 200, self.jwks())
        assert url.endswith("/userinfo")
        token = headers["Authorization"].removeprefix("Bearer ")
        return _response(url, 200, self.userinfo_by_token[token])


@pytest.fixture
def provider(settings, monkeypatch):
    fake = FakeProvider()
    monkeypatch.setattr("mozilla_django_oidc.auth.requests.post", fake.post)
    monkeypatch.setattr("mozilla_django_oidc.auth.requests.get", fake.get)
    settings.OIDC_ENABLED = True
    settings.OIDC_PROVIDER_NAME = "Keycloak"
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    settings.OIDC_OP_ISSUER = ISSUER
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{ISSUER}/protocol/openid-connect/auth"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{ISSUER}/protocol/openid-connect/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{ISSUER}/protocol/openid-connect/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{ISSUER}/protocol/openid-connect/certs"
    settings.OIDC_OP_LOGOUT_ENDPOINT = f"{ISSUER}/protocol/openid-connect/logout"
    settings.OIDC_ROLE_MAP = ROLE_MAP
    settings.AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend", "cxportal.sso.backend.SsoBackend"]
    return fake


@pytest.fixture
def sso_sign_in(client, provider):
    """Run the whole code flow in the test client: start, the provider's sign-in, the callback."""

    def run(claims: dict, *, next_url: str = "/", state: str | None = None):
        start = client.get("/accounts/sso/start/?" + urlencode({"next": next_url}))
        assert start.status_code == 302
        code, issued_state = provider.authorize(start["Location"], claims)
        return client.get("/accounts/sso/callback/?" + urlencode({"code": code, "state": state or issued_state}))

    return run
