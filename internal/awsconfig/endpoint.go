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

// STSEndpoint returns the STS endpoint configured for p; see
// ServiceEndpoint.
func (c *Config) STSEndpoint(p *Profile) Endpoint {
	return c.ServiceEndpoint(p, ServiceSTS, os.Getenv)
}

// Where is "file:line".
func (v Value) Where() string {
	return v.File + ":" + strconv.Itoa(v.Line)
}

func isTrue(s string) bool { return strings.EqualFold(strings.TrimSpace(s), "true") }
