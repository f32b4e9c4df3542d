package resolve

import (
	"os"

	"github.com/awsenv/awsenv/internal/creds"
)

// staleVars are read by SDKs' environment providers or choose another
// profile. They are removed from this process while resolving, so that
// a credential_process (often another SDK) never takes expired keys still
// exported in the shell as its source.
var staleVars = append(append(append([]string{}, creds.CredentialVars...),
	creds.ProfileVars...), creds.ProviderVars...)

// environment is what the shell had when awsenv started: the sources that
// credential_source = Environment and EcsContainer name on purpose.
type environment map[string]string

func (e environment) get(name string) string { return e[name] }

// cleanEnv removes staleVars and returns what they held, and a function
// that puts everything back.
func cleanEnv() (environment, func()) {
	saved := environment{}
	for _, name := range staleVars {
		if v, ok := os.LookupEnv(name); ok {
			saved[name] = v
			os.Unsetenv(name)
		}
	}
	return saved, func() {
		for k, v := range saved {
			os.Setenv(k, v)
		}
	}
}
