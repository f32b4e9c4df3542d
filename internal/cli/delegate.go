package cli

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
)

// Companion is the binary that links the AWS SDK. It is installed beside
// awsenv; keeping the SDK out of awsenv itself is what lets the prompt and
// `awsenv use` with cached credentials start in about a millisecond.
const Companion = "awsenv-sdk"

// companionPath finds the companion next to this executable, else on PATH.
func companionPath() (string, error) {
	name := Companion
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	if self, err := selfPath(); err == nil {
		if filepath.Base(self) == name {
			// The companion handing work to itself would exec forever.
			return "", fmt.Errorf("internal error: %s has no AWS backend", name)
		}
		p := filepath.Join(filepath.Dir(self), name)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	return "", fmt.Errorf("%s is not installed next to awsenv or on PATH; reinstall both with `CGO_ENABLED=0 go install github.com/awsenv/awsenv/cmd/...`", name)
}

// selfPath is this executable's path, symlinks resolved: where a package
// manager really put it, next to its companion.
func selfPath() (string, error) {
	self, err := os.Executable()
	if err != nil {
		return "", err
	}
	if resolved, err := filepath.EvalSymlinks(self); err == nil {
		self = resolved
	}
	return self, nil
}
