package awsconfig

import "strings"

// Services awsenv calls, by the name of their [services] block key. Their
// environment variable is AWS_ENDPOINT_URL_ and the upper-cased key.
const (
	ServiceSTS     = "sts"
	ServiceSSO     = "sso"
	ServiceSSOOIDC = "sso_oidc"
)

// ServiceEndpoint returns the endpoint configured for service (ServiceSTS
// and the others) and profile p, in the order the SDKs use:
// AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, the service's block of the
// profile's [services] section, the profile's endpoint_url. Ignoring
// configured endpoints (env or profile) turns all four off. An empty URL
// means the SDK's regional default. getenv is os.Getenv but in tests.
func (c *Config) ServiceEndpoint(p *Profile, service string, getenv func(string) string) Endpoint {
	if isTrue(getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")) || (p != nil && isTrue(p.Get("ignore_configured_endpoint_urls"))) {
		return Endpoint{}
	}
	for _, name := range []string{"AWS_ENDPOINT_URL_" + strings.ToUpper(service), "AWS_ENDPOINT_URL"} {
		if v := getenv(name); v != "" {
			return Endpoint{URL: v, Source: name}
		}
	}
	if p == nil {
		return Endpoint{}
	}
	if svc, ok := c.Services(p.Get("services")); ok {
		if v, ok := svc.Keys[service].Sub["endpoint_url"]; ok && v.Value != "" {
			return Endpoint{URL: v.Value, Source: v.Where()}
		}
	}
	if v, ok := p.Keys["endpoint_url"]; ok && v.Value != "" {
		return Endpoint{URL: v.Value, Source: v.Where()}
	}
	return Endpoint{}
}

// Target is where awsenv sends the STS calls for a profile: the one rule
// that `use`, `refresh`, `exec`, `status --verify` and `doctor` all follow,
// so that doctor checks exactly what use will call.
type Target struct {
	Region string
	// RegionSource says where Region came from: "--region", a file and
	// line, AWS_REGION, AWS_DEFAULT_REGION or "the default".
	RegionSource string
	// Endpoint is the configured endpoint; empty for STS's regional one.
	Endpoint Endpoint
}

// DefaultRegion is STS's region when nothing names one, as in the CLI.
const DefaultRegion = "us-east-1"

// STS returns the target of profile p's STS calls. The region is the
// --region flag, else the profile's own region, else AWS_REGION, else
// AWS_DEFAULT_REGION, else us-east-1. The profile comes before the
// variables (the SDKs put the variables first) because a shell's
// AWS_REGION is most often what the previous `awsenv use` exported for
// another profile, and the profile's region is the one awsenv exports.
func (c *Config) STS(p *Profile, regionFlag string, getenv func(string) string) Target {
	t := Target{Endpoint: c.ServiceEndpoint(p, ServiceSTS, getenv)}
	switch {
	case regionFlag != "":
		t.Region, t.RegionSource = regionFlag, "--region"
	case p != nil && p.Get("region") != "":
		t.Region, t.RegionSource = p.Get("region"), p.Keys["region"].Where()
	case getenv("AWS_REGION") != "":
		t.Region, t.RegionSource = getenv("AWS_REGION"), "AWS_REGION"
	case getenv("AWS_DEFAULT_REGION") != "":
		t.Region, t.RegionSource = getenv("AWS_DEFAULT_REGION"), "AWS_DEFAULT_REGION"
	default:
		t.Region, t.RegionSource = DefaultRegion, "the default"
	}
	return t
}

// URL is the endpoint the calls go to.
func (t Target) URL() string {
	if t.Endpoint.URL != "" {
		return t.Endpoint.URL
	}
	host := "sts." + t.Region + ".amazonaws.com"
	if strings.HasPrefix(t.Region, "cn-") {
		host += ".cn"
	}
	return "https://" + host
}

// String names the endpoint and why it is the one: for messages.
func (t Target) String() string {
	if t.Endpoint.URL != "" {
		return t.Endpoint.URL + " (from " + t.Endpoint.Source + ")"
	}
	return t.URL() + " (region " + t.Region + " from " + t.RegionSource + ")"
}
