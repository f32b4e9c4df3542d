package sso

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"

	"github.com/awsenv/awsenv/internal/ssocache"
)

// redirectBase is the loopback redirect the AWS CLI registers; a login
// adds the port of its own listener.
const (
	redirectBase = "http://127.0.0.1/oauth/callback"
	callbackPath = "/oauth/callback"
)

// verifierChars are RFC 7636's unreserved characters.
const verifierChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"

// newVerifier is a PKCE code verifier of 64 unreserved characters, as the
// AWS CLI makes. Bytes at or past the largest multiple of the alphabet's
// size are drawn again, so that every character is equally likely.
func newVerifier() (string, error) {
	limit := 256 - 256%len(verifierChars)
	out := make([]byte, 0, 64)
	b := make([]byte, 64)
	for len(out) < 64 {
		if _, err := rand.Read(b); err != nil {
			return "", err
		}
		for _, c := range b {
			if int(c) < limit && len(out) < 64 {
				out = append(out, verifierChars[int(c)%len(verifierChars)])
			}
		}
	}
	return string(out), nil
}

// challenge is the S256 code challenge of verifier: base64url of its
// SHA-256, unpadded.
func challenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

func newState() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// authorizeURL is the page of the authorization code flow: the OIDC
// endpoint's /authorize, with the parameters the AWS CLI sends (note
// "scopes", space-separated, not OAuth's "scope").
func authorizeURL(base, clientID, redirectURI, state, codeChallenge string, scopes []string) string {
	q := url.Values{}
	q.Set("response_type", "code")
	q.Set("client_id", clientID)
	q.Set("redirect_uri", redirectURI)
	q.Set("state", state)
	q.Set("code_challenge_method", "S256")
	q.Set("code_challenge", codeChallenge)
	q.Set("scopes", strings.Join(scopes, " "))
	return strings.TrimRight(base, "/") + "/authorize?" + q.Encode()
}

// oidcBase is the base URL of the session's OIDC endpoint: the override,
// or the SDK's own regional endpoint (oidc.REGION.amazonaws.com, or the
// partition's).
func (c *Client) oidcBase(ctx context.Context) (string, error) {
	if c.opts.OIDCEndpoint != "" {
		return c.opts.OIDCEndpoint, nil
	}
	ep, err := ssooidc.NewDefaultEndpointResolverV2().ResolveEndpoint(ctx, ssooidc.EndpointParameters{Region: aws.String(c.opts.Session.Region)})
	if err != nil {
		return "", fmt.Errorf("no SSO OIDC endpoint for region %q: %w", c.opts.Session.Region, err)
	}
	return ep.URI.String(), nil
}

// callback is what the loopback listener received.
type callback struct {
	code, state, err string
}

// loginAuthCode is the authorization code grant with PKCE: a listener on
// 127.0.0.1, the browser sent to /authorize, the code it brings back
// exchanged for a token.
func (c *Client) loginAuthCode(ctx context.Context, opts LoginOptions) (*ssocache.Token, error) {
	reg, err := c.registration(ctx, true)
	if err != nil {
		return nil, err
	}
	verifier, err := newVerifier()
	if err != nil {
		return nil, err
	}
	state, err := newState()
	if err != nil {
		return nil, err
	}
	base, err := c.oidcBase(ctx)
	if err != nil {
		return nil, err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listening on 127.0.0.1 for the browser's redirect: %w", err)
	}
	redirectURI := "http://127.0.0.1:" + strconv.Itoa(l.Addr().(*net.TCPAddr).Port) + callbackPath
	got := make(chan callback, 1)
	srv := &http.Server{
		Handler:           callbackHandler(state, got),
		ReadHeaderTimeout: 10 * time.Second,
	}
	go srv.Serve(l)
	defer srv.Close()

	scopes := reg.Scopes
	if len(scopes) == 0 {
		scopes = []string{DefaultScope}
	}
	authURL := authorizeURL(base, reg.ClientID, redirectURI, state, challenge(verifier), scopes)
	if opts.NoBrowser {
		fmt.Fprintf(opts.Out, "Open this URL in a browser on this machine to sign in to %s:\n\n%s\n\n", c.opts.Session.Label(), printable(authURL))
	} else {
		fmt.Fprintf(opts.Out, "Opening the sign-in page of %s in your browser.\nIf it does not open, open this URL on this machine:\n\n%s\n\n", c.opts.Session.Label(), printable(authURL))
		if err := opts.OpenBrowser(authURL); err != nil {
			fmt.Fprintf(opts.Out, "Could not open a browser (%v); open the URL above yourself.\n", err)
		}
	}
	var cb callback
	select {
	case cb = <-got:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if cb.err != "" {
		return nil, fmt.Errorf("the sign-in was not approved: %s", cb.err)
	}
	start := c.opts.Now()
	cctx, cancel := context.WithTimeout(ctx, CallTimeout)
	defer cancel()
	out, err := c.oidc.CreateToken(cctx, &ssooidc.CreateTokenInput{
		ClientId:     aws.String(reg.ClientID),
		ClientSecret: aws.String(reg.ClientSecret),
		GrantType:    aws.String("authorization_code"),
		Code:         aws.String(cb.code),
		CodeVerifier: aws.String(verifier),
		RedirectUri:  aws.String(redirectURI),
	})
	if err != nil {
		return nil, callError("CreateToken", err, reg.ClientSecret, cb.code, verifier)
	}
	return c.newToken(reg, out, start)
}

// callbackHandler takes the first redirect that carries the login's state
// and answers the browser with a page to close. Requests without the
// state (another page's, a port scan) are refused and do not end the wait.
func callbackHandler(state string, got chan<- callback) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != callbackPath || r.Method != http.MethodGet {
			http.NotFound(w, r)
			return
		}
		q := r.URL.Query()
		if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(state)) != 1 {
			http.Error(w, "This sign-in link is not the one awsenv is waiting for.", http.StatusBadRequest)
			return
		}
		cb := callback{code: q.Get("code"), state: q.Get("state")}
		if e := q.Get("error"); e != "" || cb.code == "" {
			cb.err = errorText(e, q.Get("error_description"))
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if cb.err != "" {
			fmt.Fprint(w, page("Sign-in not approved", "awsenv was not signed in. You can close this tab and try again."))
		} else {
			fmt.Fprint(w, page("Signed in", "awsenv is signed in. You can close this tab and return to the terminal."))
		}
		select {
		case got <- cb:
		default:
		}
	})
}

func errorText(code, desc string) string {
	if code == "" {
		code = "no authorization code"
	}
	if desc != "" && len(desc) < 200 && !strings.ContainsAny(desc, "\r\n\x1b") {
		return code + ": " + desc
	}
	return code
}

func page(title, text string) string {
	return "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + title + "</title></head><body><h1>" + title + "</h1><p>" + text + "</p></body></html>"
}
