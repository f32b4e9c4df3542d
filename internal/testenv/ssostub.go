package testenv

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// SSOStub stands in for IAM Identity Center where no emulator does (moto
// serves neither SSO OIDC nor the portal): one server on 127.0.0.1 with
//
//   - SSO OIDC: POST /client/register, /device_authorization and /token
//     (grants device_code, authorization_code with PKCE S256 verified, and
//     refresh_token), errors in the service's JSON shape
//     ({"error": "invalid_grant", "error_description": ...} with the
//     x-amzn-ErrorType header the SDKs read);
//   - the authorization page of the PKCE flow, GET /authorize, which "the
//     user approves" at once: it redirects to the loopback redirect_uri
//     with code and state, so a test plays the browser by following it;
//   - the portal: GET /federation/credentials, /assignment/accounts and
//     /assignment/roles (paged with next_token and max_result), POST
//     /logout, each checking the x-amz-sso_bearer_token header.
//
// Use the URL as both the OIDC and the portal base endpoint
// (AWS_ENDPOINT_URL_SSO_OIDC, AWS_ENDPOINT_URL_SSO). Its clock is Now, so
// a test moves time on instead of sleeping; every call is counted. The role
// credentials are random keys, which moto_server accepts as it accepts any.
type SSOStub struct {
	URL string

	// Settings, read at every call; change them under Lock/Unlock or
	// before the first call.
	Now func() time.Time
	// Lifetimes: of access tokens (1h), of the session (the refresh token's
	// life, 8h), of client registrations (90 days), of device codes (10m)
	// and of role credentials (1h).
	AccessTokenLifetime  time.Duration
	SessionLifetime      time.Duration
	RegistrationLifetime time.Duration
	DeviceCodeLifetime   time.Duration
	RoleLifetime         time.Duration
	// Interval is the device flow's polling interval in seconds (1).
	Interval int32
	// The device flow answers SlowDowns slow_down, then Pendings
	// authorization_pending, before it hands out the token.
	SlowDowns, Pendings int
	// ManualApproval keeps device_code polls at authorization_pending
	// until the test approves the user code with ApproveDevice, as a
	// user does on the verification page.
	ManualApproval bool
	// DeviceExpired makes device_code polls answer expired_token.
	DeviceExpired bool
	// Deny makes /authorize redirect with error=access_denied.
	Deny bool
	// RotateRefresh hands out a new refresh token at each refresh and
	// retires the old one, as IAM Identity Center may.
	RotateRefresh bool
	// NoRefreshToken leaves the refresh token out (as for a legacy login
	// without scopes).
	NoRefreshToken bool
	// PageSize caps the portal's pages below the caller's max_result (0:
	// no cap), so that a few accounts make several pages.
	PageSize int
	// Accounts and their roles.
	Accounts []SSOStubAccount

	mu      sync.Mutex
	calls   map[string]int
	clients map[string]*stubClient
	devices map[string]*stubDevice
	codes   map[string]*stubCode
	access  map[string]stubAccess
	refresh map[string]stubRefresh
	// Issued are the role credentials handed out, by access key ID.
	issued map[string]SSOStubCredentials
}

// SSOStubAccount is an account of the stand-in portal.
type SSOStubAccount struct {
	ID, Name, Email string
	Roles           []string
}

// SSOStubCredentials are role credentials the stand-in handed out.
type SSOStubCredentials struct {
	AccountID, Role                            string
	AccessKeyID, SecretAccessKey, SessionToken string
	Expiration                                 time.Time
}

type stubClient struct {
	secret    string
	expires   time.Time
	grants    []string
	redirects []string
	scopes    []string
}

type stubDevice struct {
	clientID string
	userCode string
	expires  time.Time
	polls    int
	used     bool
	approved bool
}

type stubCode struct {
	clientID, redirectURI, challenge string
	used                             bool
}

type stubAccess struct {
	expires time.Time
}

type stubRefresh struct {
	clientID   string
	sessionEnd time.Time
}

// StartSSOStub starts a stand-in with two accounts, the given settings
// applied by set (may be nil), and stops it when the test ends.
func StartSSOStub(t testing.TB, set func(*SSOStub)) *SSOStub {
	t.Helper()
	s := &SSOStub{
		Now:                  time.Now,
		AccessTokenLifetime:  time.Hour,
		SessionLifetime:      8 * time.Hour,
		RegistrationLifetime: 90 * 24 * time.Hour,
		DeviceCodeLifetime:   10 * time.Minute,
		RoleLifetime:         time.Hour,
		Interval:             1,
		Accounts: []SSOStubAccount{
			{ID: "111111111111", Name: "Production", Email: "prod@example.com", Roles: []string{"ReadOnly", "AdministratorAccess"}},
			{ID: "222222222222", Name: "Development", Email: "dev@example.com", Roles: []string{"Developer"}},
		},
		calls:   map[string]int{},
		clients: map[string]*stubClient{},
		devices: map[string]*stubDevice{},
		codes:   map[string]*stubCode{},
		access:  map[string]stubAccess{},
		refresh: map[string]stubRefresh{},
		issued:  map[string]SSOStubCredentials{},
	}
	if set != nil {
		set(s)
	}
	srv := httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

// Lock and Unlock guard the settings while a test changes them between
// calls.
func (s *SSOStub) Lock()   { s.mu.Lock() }
func (s *SSOStub) Unlock() { s.mu.Unlock() }

// Calls is how often op was called: "RegisterClient",
// "StartDeviceAuthorization", "CreateToken", "CreateToken:GRANT" (GRANT
// "device_code", "authorization_code" or "refresh_token"), "Authorize",
// "GetRoleCredentials", "ListAccounts", "ListAccountRoles", "Logout".
func (s *SSOStub) Calls(op string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[op]
}

// EndSessions retires every refresh token, as the end of the session (or
// a sign-out in the portal) does: the next refresh is invalid_grant.
func (s *SSOStub) EndSessions() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refresh = map[string]stubRefresh{}
}

// Seed makes the stand-in know a login another tool cached: a client
// registration and a refresh token of it, valid from now for their
// lifetimes. A test puts a fixture file of the AWS CLI's in the cache and
// seeds its clientId, clientSecret and refreshToken.
func (s *SSOStub) Seed(clientID, clientSecret, refreshToken string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.Now()
	s.clients[clientID] = &stubClient{secret: clientSecret, expires: now.Add(s.RegistrationLifetime), grants: []string{"authorization_code", "refresh_token"}}
	s.refresh[refreshToken] = stubRefresh{clientID: clientID, sessionEnd: now.Add(s.SessionLifetime)}
}

// ApproveDevice approves the device authorization whose user code is
// userCode, as the user does on the verification page; it reports
// whether there was one waiting.
func (s *SSOStub) ApproveDevice(userCode string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range s.devices {
		if d.userCode == userCode && !d.used && s.Now().Before(d.expires) {
			d.approved = true
			return true
		}
	}
	return false
}

// RevokeAccessTokens makes the portal refuse every access token handed
// out so far.
func (s *SSOStub) RevokeAccessTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.access = map[string]stubAccess{}
}

// Issued returns the role credentials handed out with accessKeyID.
func (s *SSOStub) Issued(accessKeyID string) (SSOStubCredentials, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.issued[accessKeyID]
	return c, ok
}

// ValidAccessToken reports whether the portal would take token now.
func (s *SSOStub) ValidAccessToken(token string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.access[token]
	return ok && s.Now().Before(a.expires)
}

func (s *SSOStub) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/client/register":
		s.registerClient(w, r)
	case r.Method == http.MethodPost && r.URL.Path == "/device_authorization":
		s.startDeviceAuthorization(w, r)
	case r.Method == http.MethodPost && r.URL.Path == "/token":
		s.createToken(w, r)
	case r.Method == http.MethodGet && r.URL.Path == "/authorize":
		s.authorize(w, r)
	case r.Method == http.MethodGet && r.URL.Path == "/federation/credentials":
		s.getRoleCredentials(w, r)
	case r.Method == http.MethodGet && r.URL.Path == "/assignment/accounts":
		s.listAccounts(w, r)
	case r.Method == http.MethodGet && r.URL.Path == "/assignment/roles":
		s.listAccountRoles(w, r)
	case r.Method == http.MethodPost && r.URL.Path == "/logout":
		s.calls["Logout"]++
		if _, ok := s.bearer(w, r); ok {
			delete(s.access, r.Header.Get("x-amz-sso_bearer_token"))
			w.WriteHeader(http.StatusOK)
		}
	default:
		http.NotFound(w, r)
	}
}

// oidcError writes an SSO OIDC error: OAuth's error code in the body,
// the exception's name in x-amzn-ErrorType.
func oidcError(w http.ResponseWriter, status int, exception, code, desc string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("x-amzn-ErrorType", exception)
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": desc})
}

// portalError writes a portal error: {"message": ...}.
func portalError(w http.ResponseWriter, status int, exception, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("x-amzn-ErrorType", exception)
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"message": msg})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

func randomString(prefix string, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return prefix + hex.EncodeToString(b)
}

func (s *SSOStub) registerClient(w http.ResponseWriter, r *http.Request) {
	s.calls["RegisterClient"]++
	var in struct {
		ClientName   string   `json:"clientName"`
		ClientType   string   `json:"clientType"`
		Scopes       []string `json:"scopes"`
		GrantTypes   []string `json:"grantTypes"`
		RedirectURIs []string `json:"redirectUris"`
		IssuerURL    string   `json:"issuerUrl"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.ClientName == "" || in.ClientType != "public" {
		oidcError(w, http.StatusBadRequest, "InvalidRequestException", "invalid_request", "clientName and clientType public are required")
		return
	}
	for _, g := range in.GrantTypes {
		if g == "authorization_code" && (len(in.RedirectURIs) == 0 || in.IssuerURL == "") {
			oidcError(w, http.StatusBadRequest, "InvalidRequestException", "invalid_request", "the authorization code grant needs redirectUris and issuerUrl")
			return
		}
	}
	now := s.Now()
	id := randomString("client-", 8)
	c := &stubClient{secret: randomString("secret-", 16), expires: now.Add(s.RegistrationLifetime), grants: in.GrantTypes, redirects: in.RedirectURIs, scopes: in.Scopes}
	s.clients[id] = c
	writeJSON(w, map[string]any{
		"clientId":              id,
		"clientSecret":          c.secret,
		"clientIdIssuedAt":      now.Unix(),
		"clientSecretExpiresAt": c.expires.Unix(),
	})
}

// client checks a client's credentials; it writes invalid_client and
// returns nil when they do not hold.
func (s *SSOStub) client(w http.ResponseWriter, id, secret string) *stubClient {
	c, ok := s.clients[id]
	if !ok || c.secret != secret || !s.Now().Before(c.expires) {
		oidcError(w, http.StatusUnauthorized, "InvalidClientException", "invalid_client", "the client is unknown, its secret wrong, or its registration expired")
		return nil
	}
	return c
}

func (s *SSOStub) startDeviceAuthorization(w http.ResponseWriter, r *http.Request) {
	s.calls["StartDeviceAuthorization"]++
	var in struct {
		ClientID     string `json:"clientId"`
		ClientSecret string `json:"clientSecret"`
		StartURL     string `json:"startUrl"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.StartURL == "" {
		oidcError(w, http.StatusBadRequest, "InvalidRequestException", "invalid_request", "clientId, clientSecret and startUrl are required")
		return
	}
	if s.client(w, in.ClientID, in.ClientSecret) == nil {
		return
	}
	code := randomString("device-", 16)
	user := strings.ToUpper(randomString("", 2) + "-" + randomString("", 2))
	s.devices[code] = &stubDevice{clientID: in.ClientID, userCode: user, expires: s.Now().Add(s.DeviceCodeLifetime)}
	writeJSON(w, map[string]any{
		"deviceCode":              code,
		"userCode":                user,
		"verificationUri":         s.URL + "/device",
		"verificationUriComplete": s.URL + "/device?user_code=" + user,
		"expiresIn":               int(s.DeviceCodeLifetime / time.Second),
		"interval":                s.Interval,
	})
}

func (s *SSOStub) authorize(w http.ResponseWriter, r *http.Request) {
	s.calls["Authorize"]++
	q := r.URL.Query()
	c, ok := s.clients[q.Get("client_id")]
	if !ok || !s.Now().Before(c.expires) || !contains(c.grants, "authorization_code") {
		http.Error(w, "unknown client, or not registered for the authorization code grant", http.StatusBadRequest)
		return
	}
	redirect, err := url.Parse(q.Get("redirect_uri"))
	if err != nil || !registeredRedirect(c.redirects, redirect) {
		http.Error(w, "redirect_uri is not one the client registered", http.StatusBadRequest)
		return
	}
	if q.Get("response_type") != "code" || q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" || q.Get("state") == "" {
		http.Error(w, "response_type=code, state and an S256 code_challenge are required", http.StatusBadRequest)
		return
	}
	back := redirect.Query()
	back.Set("state", q.Get("state"))
	if s.Deny {
		back.Set("error", "access_denied")
		back.Set("error_description", "The user denied the request")
	} else {
		code := randomString("code-", 16)
		s.codes[code] = &stubCode{clientID: q.Get("client_id"), redirectURI: q.Get("redirect_uri"), challenge: q.Get("code_challenge")}
		back.Set("code", code)
	}
	redirect.RawQuery = back.Encode()
	http.Redirect(w, r, redirect.String(), http.StatusFound)
}

// registeredRedirect: a loopback redirect matches a registered one of any
// port, as RFC 8252 section 7.3 asks of the server.
func registeredRedirect(registered []string, u *url.URL) bool {
	for _, reg := range registered {
		ru, err := url.Parse(reg)
		if err != nil {
			continue
		}
		if ru.Scheme == u.Scheme && ru.Hostname() == u.Hostname() && ru.Path == u.Path &&
			(ru.Port() == u.Port() || ru.Hostname() == "127.0.0.1" && ru.Port() == "") {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func (s *SSOStub) createToken(w http.ResponseWriter, r *http.Request) {
	s.calls["CreateToken"]++
	var in struct {
		ClientID     string `json:"clientId"`
		ClientSecret string `json:"clientSecret"`
		GrantType    string `json:"grantType"`
		DeviceCode   string `json:"deviceCode"`
		Code         string `json:"code"`
		CodeVerifier string `json:"codeVerifier"`
		RedirectURI  string `json:"redirectUri"`
		RefreshToken string `json:"refreshToken"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		oidcError(w, http.StatusBadRequest, "InvalidRequestException", "invalid_request", "the body is not JSON")
		return
	}
	grant := strings.TrimPrefix(in.GrantType, "urn:ietf:params:oauth:grant-type:")
	s.calls["CreateToken:"+grant]++
	c := s.client(w, in.ClientID, in.ClientSecret)
	if c == nil {
		return
	}
	now := s.Now()
	sessionEnd := now.Add(s.SessionLifetime)
	switch grant {
	case "device_code":
		d, ok := s.devices[in.DeviceCode]
		switch {
		case !ok || d.clientID != in.ClientID || d.used:
			oidcError(w, http.StatusBadRequest, "InvalidGrantException", "invalid_grant", "unknown device code")
			return
		case s.DeviceExpired || !now.Before(d.expires):
			oidcError(w, http.StatusBadRequest, "ExpiredTokenException", "expired_token", "the device code has expired")
			return
		}
		d.polls++
		switch {
		case d.polls <= s.SlowDowns:
			oidcError(w, http.StatusBadRequest, "SlowDownException", "slow_down", "polling too fast")
			return
		case d.polls <= s.SlowDowns+s.Pendings, s.ManualApproval && !d.approved:
			oidcError(w, http.StatusBadRequest, "AuthorizationPendingException", "authorization_pending", "the user has not yet approved")
			return
		}
		d.used = true
	case "authorization_code":
		code, ok := s.codes[in.Code]
		if !ok || code.used || code.clientID != in.ClientID || code.redirectURI != in.RedirectURI {
			oidcError(w, http.StatusBadRequest, "InvalidGrantException", "invalid_grant", "unknown or used code, or another redirect_uri")
			return
		}
		sum := sha256.Sum256([]byte(in.CodeVerifier))
		if base64.RawURLEncoding.EncodeToString(sum[:]) != code.challenge {
			oidcError(w, http.StatusBadRequest, "InvalidGrantException", "invalid_grant", "the code verifier does not match the challenge")
			return
		}
		code.used = true
	case "refresh_token":
		rt, ok := s.refresh[in.RefreshToken]
		if !ok || rt.clientID != in.ClientID || !now.Before(rt.sessionEnd) {
			oidcError(w, http.StatusBadRequest, "InvalidGrantException", "invalid_grant", "the refresh token is unknown, retired or past the session's end")
			return
		}
		sessionEnd = rt.sessionEnd
		if s.RotateRefresh {
			delete(s.refresh, in.RefreshToken)
		}
	default:
		oidcError(w, http.StatusBadRequest, "UnsupportedGrantTypeException", "unsupported_grant_type", "unsupported grant type")
		return
	}
	access := randomString("access-", 24)
	s.access[access] = stubAccess{expires: now.Add(s.AccessTokenLifetime)}
	out := map[string]any{
		"accessToken": access,
		"tokenType":   "Bearer",
		"expiresIn":   int(s.AccessTokenLifetime / time.Second),
	}
	switch {
	case s.NoRefreshToken:
	case grant == "refresh_token" && !s.RotateRefresh:
		// The refresh token stays good and comes back with the answer:
		// botocore and the Go SDK drop the refresh token from the file
		// when an answer lacks one.
		out["refreshToken"] = in.RefreshToken
	default:
		rt := randomString("refresh-", 24)
		s.refresh[rt] = stubRefresh{clientID: in.ClientID, sessionEnd: sessionEnd}
		out["refreshToken"] = rt
	}
	writeJSON(w, out)
}

// bearer checks the portal's token; it writes UnauthorizedException and
// returns false when the token is unknown or expired.
func (s *SSOStub) bearer(w http.ResponseWriter, r *http.Request) (string, bool) {
	tok := r.Header.Get("x-amz-sso_bearer_token")
	a, ok := s.access[tok]
	if !ok || !s.Now().Before(a.expires) {
		portalError(w, http.StatusUnauthorized, "UnauthorizedException", "Session token not found or invalid")
		return "", false
	}
	return tok, true
}

func (s *SSOStub) account(id string) (SSOStubAccount, bool) {
	for _, a := range s.Accounts {
		if a.ID == id {
			return a, true
		}
	}
	return SSOStubAccount{}, false
}

func (s *SSOStub) getRoleCredentials(w http.ResponseWriter, r *http.Request) {
	s.calls["GetRoleCredentials"]++
	if _, ok := s.bearer(w, r); !ok {
		return
	}
	q := r.URL.Query()
	a, ok := s.account(q.Get("account_id"))
	if !ok || !contains(a.Roles, q.Get("role_name")) {
		portalError(w, http.StatusNotFound, "ResourceNotFoundException", "No access")
		return
	}
	c := SSOStubCredentials{
		AccountID:       a.ID,
		Role:            q.Get("role_name"),
		AccessKeyID:     strings.ToUpper(randomString("ASIA", 8)),
		SecretAccessKey: randomString("", 20),
		SessionToken:    randomString("session-", 40),
		Expiration:      s.Now().Add(s.RoleLifetime).Truncate(time.Millisecond),
	}
	s.issued[c.AccessKeyID] = c
	writeJSON(w, map[string]any{"roleCredentials": map[string]any{
		"accessKeyId":     c.AccessKeyID,
		"secretAccessKey": c.SecretAccessKey,
		"sessionToken":    c.SessionToken,
		"expiration":      c.Expiration.UnixMilli(),
	}})
}

// page cuts n items at the offset in next_token into one page.
func (s *SSOStub) page(w http.ResponseWriter, r *http.Request, n int) (from, to int, next string, ok bool) {
	q := r.URL.Query()
	if t := q.Get("next_token"); t != "" {
		v, err := strconv.Atoi(strings.TrimPrefix(t, "page-"))
		if err != nil || v < 0 || v > n || !strings.HasPrefix(t, "page-") {
			portalError(w, http.StatusBadRequest, "InvalidRequestException", "invalid next token")
			return 0, 0, "", false
		}
		from = v
	}
	size := 100
	if m := q.Get("max_result"); m != "" {
		v, err := strconv.Atoi(m)
		if err != nil || v < 1 || v > 100 {
			portalError(w, http.StatusBadRequest, "InvalidRequestException", "max_result must be 1 to 100")
			return 0, 0, "", false
		}
		size = v
	}
	if s.PageSize > 0 && s.PageSize < size {
		size = s.PageSize
	}
	to = min(from+size, n)
	if to < n {
		next = "page-" + strconv.Itoa(to)
	}
	return from, to, next, true
}

func (s *SSOStub) listAccounts(w http.ResponseWriter, r *http.Request) {
	s.calls["ListAccounts"]++
	if _, ok := s.bearer(w, r); !ok {
		return
	}
	from, to, next, ok := s.page(w, r, len(s.Accounts))
	if !ok {
		return
	}
	list := []map[string]string{}
	for _, a := range s.Accounts[from:to] {
		list = append(list, map[string]string{"accountId": a.ID, "accountName": a.Name, "emailAddress": a.Email})
	}
	out := map[string]any{"accountList": list}
	if next != "" {
		out["nextToken"] = next
	}
	writeJSON(w, out)
}

func (s *SSOStub) listAccountRoles(w http.ResponseWriter, r *http.Request) {
	s.calls["ListAccountRoles"]++
	if _, ok := s.bearer(w, r); !ok {
		return
	}
	a, ok := s.account(r.URL.Query().Get("account_id"))
	if !ok {
		portalError(w, http.StatusNotFound, "ResourceNotFoundException", "No such account")
		return
	}
	from, to, next, ok := s.page(w, r, len(a.Roles))
	if !ok {
		return
	}
	list := []map[string]string{}
	for _, role := range a.Roles[from:to] {
		list = append(list, map[string]string{"accountId": a.ID, "roleName": role})
	}
	out := map[string]any{"roleList": list}
	if next != "" {
		out["nextToken"] = next
	}
	writeJSON(w, out)
}

// String is for test logs: the call counts.
func (s *SSOStub) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fmt.Sprint(s.calls)
}
