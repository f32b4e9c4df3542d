package inspect

// ProfileName is the profile a command should look at and who chose it:
// the flag, else AWS_PROFILE, else AWS_DEFAULT_PROFILE, else "default".
func ProfileName(flag string, getenv func(string) string) (name, source string) {
	switch {
	case flag != "":
		return flag, "--profile"
	case getenv("AWS_PROFILE") != "":
		return getenv("AWS_PROFILE"), "AWS_PROFILE"
	case getenv("AWS_DEFAULT_PROFILE") != "":
		return getenv("AWS_DEFAULT_PROFILE"), "AWS_DEFAULT_PROFILE"
	}
	return "default", "the default"
}
