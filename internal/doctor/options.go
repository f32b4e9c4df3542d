package doctor

import "time"

// DoctorOptions are the flags of `awsenv doctor`; the CLI passes them to
// the backend that runs the checks.
type Options struct {
	Profile  string        // --profile; "" means AWS_PROFILE, else default
	Fix      bool          // delete expired cache entries, chmod 600 the shared files
	Duration time.Duration // a session length to check against STS's limits
	Timeout  time.Duration // the whole network part gives up after this
}
