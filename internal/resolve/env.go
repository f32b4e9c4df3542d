package resolve

import (
	"os"

	"github.com/awsenv/awsenv/internal/creds"
)

// staleVars are read by the SDK's environment provider or choose another
// profile. They are removed from this process before resolving, so that
// expired keys still exported in the shell are never the source.
var staleVars = append(append(append([]string{}, creds.CredentialVars...),
	creds.Profile, creds.DefaultProfile), creds.ProviderVars...)

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
