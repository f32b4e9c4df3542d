package awsconfig

import (
	"os"
	"strconv"
	"strings"
)

// Endpoint is a configured STS endpoint and where it was set.
type Endpoint struct {
	URL    string
	Source string // e.g. "AWS_ENDPOINT_URL_STS" or "~/.aws/config:12"
}

// STSEndpoint returns the STS endpoint configured for p, in the order the
// SDKs use: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, the sts block of the
// profile's [services] section, the profile's endpoint_url. Ignoring
// configured endpoints (env or profile) turns all four off. An empty URL
// means the SDK's regional default.
func (c *Config) STSEndpoint(p *Profile) Endpoint {
	if isTrue(os.Getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")) || (p != nil && isTrue(p.Get("ignore_configured_endpoint_urls"))) {
		return Endpoint{}
	}
	for _, name := range []string{"AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL"} {
		if v := os.Getenv(name); v != "" {
			return Endpoint{URL: v, Source: name}
		}
	}
	if p == nil {
		return Endpoint{}
	}
	if svc, ok := c.Services(p.Get("services")); ok {
		if v, ok := svc.Keys["sts"].Sub["endpoint_url"]; ok && v.Value != "" {
			return Endpoint{URL: v.Value, Source: v.Where()}
		}
	}
	if v, ok := p.Keys["endpoint_url"]; ok && v.Value != "" {
		return Endpoint{URL: v.Value, Source: v.Where()}
	}
	return Endpoint{}
}

// Where is "file:line".
func (v Value) Where() string {
	return v.File + ":" + strconv.Itoa(v.Line)
}

func isTrue(s string) bool { return strings.EqualFold(strings.TrimSpace(s), "true") }
