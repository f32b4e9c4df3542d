package creds

import (
	"context"
	"io"
	"time"
)

// The variables that point an AWS SDK at a credential endpoint in the
// format of the ECS container credentials provider.
const (
	ContainerFullURI   = "AWS_CONTAINER_CREDENTIALS_FULL_URI"
	ContainerAuthToken = "AWS_CONTAINER_AUTHORIZATION_TOKEN"
)

// ProviderVars make an SDK take credentials from somewhere other than the
// variables awsenv sets: another profile, a web identity, a container
// endpoint, boto2's and the old Java names for the keys. `awsenv exec`
// removes them so that the command cannot pick up a stale source.
var ProviderVars = []string{
	"AWS_ACCESS_KEY", "AWS_SECRET_KEY",
	"AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME", "AWS_WEB_IDENTITY_TOKEN_FILE",
	"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", ContainerFullURI,
	ContainerAuthToken, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
}

// Source returns credentials. refresh asks for new ones from STS rather
// than cached ones.
type Source func(ctx context.Context, refresh bool) (Credentials, error)

// ServerOptions configure the credential endpoint of `awsenv exec --server`.
type ServerOptions struct {
	Profile string // for messages
	Source  Source
	// RefreshBefore is how long before expiry the server fetches new
	// credentials; 0 means the server's default.
	RefreshBefore time.Duration
	// Log receives messages about failed refreshes; never secrets.
	Log io.Writer
}

// Endpoint is a running credential endpoint: what a child needs to reach
// it.
type Endpoint struct {
	URL   string
	Token string
}
