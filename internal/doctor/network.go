package doctor

import (
	"cmp"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/awsenv/awsenv/internal/awsconfig"
	"github.com/awsenv/awsenv/internal/resolve"
)

// stepTimeout bounds each of DNS, TCP and TLS.
const stepTimeout = 3 * time.Second

// Clock offsets: AWS rejects requests signed more than 5 minutes off.
const (
	clockError = 5 * time.Minute
	clockWarn  = time.Minute
)

// target is where awsenv sends the profile's STS calls: the one rule
// `awsenv use` follows, so that doctor checks what use will call.
func (r *run) target() awsconfig.Target {
	if r.cfg == nil {
		return (&awsconfig.Config{}).STS(nil, "", r.getenv)
	}
	return r.cfg.STS(r.prof, "", r.getenv)
}

// proxyFor applies HTTP(S)_PROXY and NO_PROXY as net/http does, read
// through r.getenv so that tests can set them.
func (r *run) proxyFor(u *url.URL) (*url.URL, string, error) {
	if host := u.Hostname(); host == "localhost" || net.ParseIP(host).IsLoopback() {
		return nil, "", nil // net/http never proxies loopback
	}
	var names []string
	if u.Scheme == "https" {
		names = []string{"HTTPS_PROXY", "https_proxy"}
	} else {
		names = []string{"HTTP_PROXY", "http_proxy"}
	}
	for _, n := range names {
		v := r.getenv(n)
		if v == "" {
			continue
		}
		if noProxy(u.Hostname(), cmp.Or(r.getenv("NO_PROXY"), r.getenv("no_proxy"))) {
			return nil, "NO_PROXY", nil
		}
		if !strings.Contains(v, "://") {
			v = "http://" + v
		}
		p, err := url.Parse(v)
		if err != nil {
			return nil, n, fmt.Errorf("%s is not a URL", n)
		}
		return p, n, nil
	}
	return nil, "", nil
}

// noProxy matches host against a NO_PROXY list the common way: "*",
// exact names, and suffixes (".example.com" or "example.com").
func noProxy(host, list string) bool {
	for _, e := range strings.Split(list, ",") {
		e = strings.TrimSpace(e)
		if e == "" {
			continue
		}
		if e == "*" {
			return true
		}
		if h, _, err := net.SplitHostPort(e); err == nil {
			e = h
		}
		e = strings.TrimPrefix(e, "*")
		if host == strings.TrimPrefix(e, ".") || strings.HasSuffix(host, "."+strings.TrimPrefix(e, ".")) {
			return true
		}
	}
	return false
}

// checkReachability walks DNS, TCP, TLS and HTTP to the STS endpoint and
// keeps the Date header of the answer for the clock check.
func (r *run) checkReachability(ctx context.Context) Finding {
	target := r.target()
	raw, source := target.URL(), target.Endpoint.Source
	if source == "" {
		source = "the regional endpoint for " + target.Region + ", region from " + target.RegionSource
	}
	f := Finding{Check: "reachability", Title: "STS endpoint"}
	fail := func(step, found, why, fix string) Finding {
		f.Status = Error
		f.Title = "STS endpoint unreachable (" + step + ")"
		f.Found = found
		f.Why = why
		f.Fix = fix
		r.reachErr = fmt.Errorf("%s", found)
		return f
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return fail("URL", fmt.Sprintf("%q (from %s) is not an http(s) URL", raw, source), "Every STS call fails before leaving this machine.", "fix the endpoint URL in "+source)
	}
	f.Details = append(f.Details, fmt.Sprintf("endpoint %s (from %s)", raw, source))
	proxy, proxyVar, err := r.proxyFor(u)
	if err != nil {
		return fail("proxy", err.Error(), "Requests through a broken proxy setting fail.", "correct or unset "+proxyVar)
	}
	switch {
	case proxy != nil:
		f.Details = append(f.Details, fmt.Sprintf("through proxy %s (from %s)", proxy.Redacted(), proxyVar))
	case proxyVar == "NO_PROXY":
		f.Details = append(f.Details, "direct: NO_PROXY excludes "+u.Hostname())
	}
	dialHost, dialPort := u.Hostname(), u.Port()
	if dialPort == "" {
		dialPort = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	what := "the endpoint"
	if proxy != nil {
		dialHost, dialPort, what = proxy.Hostname(), proxy.Port(), "the proxy"
		if dialPort == "" {
			dialPort = map[string]string{"http": "80", "https": "443"}[proxy.Scheme]
		}
	}
	// DNS
	if net.ParseIP(dialHost) == nil {
		dctx, cancel := context.WithTimeout(ctx, stepTimeout)
		start := time.Now()
		addrs, err := net.DefaultResolver.LookupHost(dctx, dialHost)
		cancel()
		if err != nil {
			return fail("DNS", fmt.Sprintf("cannot resolve %s (%s): %v", dialHost, what, err),
				"Without a name lookup no request reaches STS; the SDKs then retry and time out.",
				"check the network, VPN and DNS settings; for a private (VPC) endpoint, check its name and that the VPN is up")
		}
		f.Details = append(f.Details, fmt.Sprintf("DNS %s -> %s (%s)", dialHost, strings.Join(addrs, ", "), ms(time.Since(start))))
	}
	// TCP
	addr := net.JoinHostPort(dialHost, dialPort)
	d := net.Dialer{Timeout: stepTimeout}
	start := time.Now()
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return fail("TCP", fmt.Sprintf("cannot connect to %s (%s): %v", addr, what, unwrapOp(err)),
			"A firewall, a missing proxy setting or a down endpoint stops every STS call.",
			"if your network needs a proxy, set HTTPS_PROXY; otherwise check the firewall and the endpoint URL")
	}
	f.Details = append(f.Details, fmt.Sprintf("TCP %s connected (%s)", addr, ms(time.Since(start))))
	// TLS, when talking to the endpoint directly
	roots, caNote := r.rootCAs()
	if caNote != "" {
		f.Details = append(f.Details, caNote)
	}
	if u.Scheme == "https" && proxy == nil {
		conn.SetDeadline(time.Now().Add(stepTimeout))
		tc := tls.Client(conn, &tls.Config{ServerName: u.Hostname(), RootCAs: roots})
		start = time.Now()
		err := tc.HandshakeContext(ctx)
		tc.Close()
		if err != nil {
			return fail("TLS", fmt.Sprintf("TLS handshake with %s failed: %v", u.Host, err),
				"The endpoint's certificate is not trusted here; on company networks, TLS inspection proxies replace it with their own.",
				"point AWS_CA_BUNDLE (the SDKs) and SSL_CERT_FILE at your company's CA bundle, or set HTTPS_PROXY if the network requires a proxy")
		}
		f.Details = append(f.Details, fmt.Sprintf("TLS handshake ok (%s)", ms(time.Since(start))))
	} else {
		conn.Close()
	}
	// HTTP: any answer will do; its Date header is the clock check's.
	client := &http.Client{
		Timeout: stepTimeout,
		Transport: &http.Transport{
			Proxy:           func(*http.Request) (*url.URL, error) { return proxy, nil },
			TLSClientConfig: &tls.Config{RootCAs: roots},
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, raw, nil)
	if err != nil {
		return fail("HTTP", err.Error(), "", "fix the endpoint URL in "+source)
	}
	r.sent = time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return fail("HTTP", fmt.Sprintf("no HTTP answer from %s: %v", raw, unwrapOp(err)),
			"The endpoint accepts connections but does not answer HTTP: a proxy that needs credentials, or the wrong port.",
			"check the proxy variables and the endpoint URL")
	}
	resp.Body.Close()
	r.received = time.Now()
	if t, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
		r.date = t
	}
	if proxy != nil && resp.StatusCode == http.StatusProxyAuthRequired {
		return fail("proxy", fmt.Sprintf("the proxy %s wants credentials (HTTP 407)", proxy.Redacted()),
			"The SDKs send no proxy credentials unless they are in the proxy URL.", "put the user and password in "+proxyVar+" (http://user:pass@host:port)")
	}
	f.Status = OK
	f.Found = fmt.Sprintf("%s answered (HTTP %d) in %s", raw, resp.StatusCode, ms(r.received.Sub(r.sent)))
	return f
}

// rootCAs is the CA bundle awsenv's calls trust, if one is set.
func (r *run) rootCAs() (*x509.CertPool, string) {
	pool, source, err := resolve.CABundle(r.prof, r.getenv)
	switch {
	case err != nil:
		return nil, err.Error()
	case pool == nil:
		return nil, ""
	}
	return pool, "trusting " + source
}

func ms(d time.Duration) string { return d.Round(time.Millisecond).String() }

func unwrapOp(err error) error {
	if ue, ok := err.(*url.Error); ok {
		err = ue.Err
	}
	return err
}

// checkClock compares this machine's clock with the endpoint's Date.
func (r *run) checkClock() Finding {
	f := Finding{Check: "clock", Title: "Clock"}
	if r.date.IsZero() {
		f.Status = Skipped
		f.Found = "not checked: the STS endpoint gave no Date header"
		if r.reachErr != nil {
			f.Found = "not checked: the STS endpoint did not answer (see STS endpoint)"
		}
		return f
	}
	// The Date header has whole seconds and was written somewhere between
	// sending and receiving: compare with the middle, allow the rest.
	// The header is truncated to the second: the endpoint's time was half
	// a second later on average.
	local := r.sent.Add(r.received.Sub(r.sent) / 2)
	offset := local.Sub(r.date.Add(500 * time.Millisecond))
	slack := r.received.Sub(r.sent)/2 + time.Second
	abs := offset
	if abs < 0 {
		abs = -abs
	}
	dir := "ahead of"
	if offset < 0 {
		dir = "behind"
	}
	f.Found = fmt.Sprintf("this machine is %s %s the STS endpoint's clock", fmtDuration(offset.Abs().Round(time.Second)), dir)
	if abs <= slack {
		f.Status = OK
		f.Found = "in step with the STS endpoint (within a second)"
		return f
	}
	f.Why = "AWS rejects requests signed more than 5 minutes from its own time (SignatureDoesNotMatch, \"Signature expired\"), and a clock that is ahead makes fresh sessions look expired to the SDKs."
	f.Fix = "turn on time synchronisation: `sudo timedatectl set-ntp true` (Linux), System Settings > General > Date & Time (macOS), `w32tm /resync` (Windows)"
	switch {
	case abs-slack > clockError:
		f.Status = Error
		f.Title = "Clock skew"
	case abs-slack > clockWarn:
		f.Status = Warning
		f.Title = "Clock skew"
	default:
		f.Status = OK
		f.Why, f.Fix = "", ""
	}
	return f
}
