package doctor

import "github.com/awsenv/awsenv/internal/creds"

// profileName is the profile doctor looks at and who chose it: --profile,
// else the one awsenv set in this shell, else the SDKs' choice
// (AWS_PROFILE, else AWS_DEFAULT_PROFILE, else "default").
func profileName(flag string, getenv func(string) string) (name, source string) {
	switch {
	case flag != "":
		return flag, "--profile"
	case getenv(creds.AwsenvProfile) != "":
		return getenv(creds.AwsenvProfile), creds.AwsenvProfile
	case getenv(creds.Profile) != "":
		return getenv(creds.Profile), creds.Profile
	case getenv(creds.DefaultProfile) != "":
		return getenv(creds.DefaultProfile), creds.DefaultProfile
	}
	return "default", "the default"
}
