package resolve

import (
	"os"

	"github.com/awsenv/awsenv/internal/creds"
)

// staleVars are read by the SDK's environment provider or choose another
// profile. They are removed from this process before resolving, so that
// expired keys still exported in the shell are never the source.
var staleVars = []string{
	creds.AccessKeyID, creds.SecretAccessKey, creds.SessionToken, creds.SecurityToken,
	"AWS_ACCESS_KEY", "AWS_SECRET_KEY", creds.CredentialExpiration, creds.SessionExpiration,
	creds.Profile, creds.DefaultProfile,
	"AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME", "AWS_WEB_IDENTITY_TOKEN_FILE",
	"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
	"AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
}

// cleanEnv removes staleVars, except the key variables when the profile
// says credential_source = Environment, and returns a function that puts
// everything back.
func cleanEnv(keepKeys bool) (restore func()) {
	saved := map[string]string{}
	for _, name := range staleVars {
		if keepKeys && (name == creds.AccessKeyID || name == creds.SecretAccessKey || name == creds.SessionToken) {
			continue
		}
		if v, ok := os.LookupEnv(name); ok {
			saved[name] = v
			os.Unsetenv(name)
		}
	}
	return func() {
		for k, v := range saved {
			os.Setenv(k, v)
		}
	}
}
