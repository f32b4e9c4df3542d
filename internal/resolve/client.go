package resolve

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/awsenv/awsenv/internal/awsconfig"
)

// dialTimeout is short because an AWS endpoint answers in milliseconds; a
// silent one is down, and the user is waiting at a prompt.
const dialTimeout = 3 * time.Second

// maxCABundle bounds the CA bundle read: PEM bundles are some hundred KiB.
const maxCABundle = 16 << 20

// clients are the resolver's network clients, built on first use (a
// cached `use` needs none) and then shared by every call.
type clients struct {
	r    *Resolver
	once sync.Once
	http *awshttp.BuildableClient
	err  error
}

// HTTPClient returns the HTTP client for every call awsenv makes for
// profile p: each call bounded by timeout, proxies from the environment
// (HTTPS_PROXY, NO_PROXY: the SDK's default transport), and the CA bundle
// of CABundle.
func HTTPClient(p *awsconfig.Profile, timeout time.Duration, getenv func(string) string) (*awshttp.BuildableClient, error) {
	c := awshttp.NewBuildableClient().
		WithTimeout(timeout).
		WithDialerOptions(func(d *net.Dialer) { d.Timeout = dialTimeout })
	pool, _, err := CABundle(p, getenv)
	if err != nil || pool == nil {
		return c, err
	}
	return c.WithTransportOptions(func(tr *http.Transport) {
		if tr.TLSClientConfig == nil {
			tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
		}
		tr.TLSClientConfig.RootCAs = pool
	}), nil
}

// CABundle returns the CA bundle the SDKs trust instead of the system's
// roots, AWS_CA_BUNDLE else the profile's ca_bundle, and where it was set;
// a nil pool when there is none.
func CABundle(p *awsconfig.Profile, getenv func(string) string) (pool *x509.CertPool, source string, err error) {
	path, source := getenv("AWS_CA_BUNDLE"), "AWS_CA_BUNDLE"
	if path == "" && p != nil {
		if v, ok := p.Keys["ca_bundle"]; ok && v.Value != "" {
			path, source = v.Value, "ca_bundle at "+v.Where()
		}
	}
	if path == "" {
		return nil, "", nil
	}
	pool, err = readCABundle(path)
	if err != nil {
		return nil, source, fmt.Errorf("the CA bundle %s (%s): %w", path, source, err)
	}
	return pool, source + " " + path, nil
}

// httpClient returns the shared HTTP client.
func (c *clients) httpClient() (*awshttp.BuildableClient, error) {
	c.once.Do(func() { c.http, c.err = HTTPClient(c.r.profile, c.r.req.Timeout, c.r.getenv) })
	return c.http, c.err
}

// sts returns an STS client that signs with creds (unsigned when nil) and
// reaches the target endpoint.
func (c *clients) sts(creds aws.CredentialsProvider) (*sts.Client, error) {
	hc, err := c.httpClient()
	if err != nil {
		return nil, fmt.Errorf("profile %q: %w", c.r.req.Profile, err)
	}
	return NewSTS(c.r.target, creds, hc), nil
}

// NewSTS returns the STS client for target: the one way awsenv builds one.
func NewSTS(target awsconfig.Target, creds aws.CredentialsProvider, hc aws.HTTPClient) *sts.Client {
	o := sts.Options{
		Region:           target.Region,
		HTTPClient:       hc,
		RetryMaxAttempts: 2,
	}
	if creds != nil {
		o.Credentials = aws.NewCredentialsCache(creds)
	}
	if target.Endpoint.URL != "" {
		o.BaseEndpoint = aws.String(target.Endpoint.URL)
	}
	return sts.New(o)
}

type staticProvider struct{ c aws.Credentials }

func (s staticProvider) Retrieve(context.Context) (aws.Credentials, error) { return s.c, nil }

func readCABundle(path string) (*x509.CertPool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxCABundle+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxCABundle {
		return nil, fmt.Errorf("larger than %d MiB", maxCABundle>>20)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(data) {
		return nil, fmt.Errorf("holds no PEM certificate")
	}
	return pool, nil
}
