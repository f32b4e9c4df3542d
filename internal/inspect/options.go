package inspect

import "time"

// DoctorOptions are the flags of `awsenv doctor`; the CLI passes them to
// the backend that runs the checks.
type DoctorOptions struct {
	Profile  string        // --profile; "" means AWS_PROFILE, else default
	Fix      bool          // delete expired cache entries, chmod 600 the shared files
	Duration time.Duration // a session length to check against STS's limits
	Timeout  time.Duration // the whole network part gives up after this
}

// IdentityRequest says whose identity `status --verify` asks STS for.
type IdentityRequest struct {
	// UseEnv checks the credential variables of this process as they are;
	// otherwise Profile is resolved as the SDKs would.
	UseEnv  bool
	Profile string
	Timeout time.Duration
}

// Identity is what GetCallerIdentity returns.
type Identity struct {
	Account  string `json:"account"`
	ARN      string `json:"arn"`
	UserID   string `json:"user_id"`
	Endpoint string `json:"endpoint"`
}
