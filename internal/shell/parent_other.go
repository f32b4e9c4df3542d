//go:build !linux && !darwin && !windows

package shell

// parentName is unknown here; Detect falls back to POSIX sh.
func parentName() string { return "" }
