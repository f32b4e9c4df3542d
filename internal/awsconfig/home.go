package awsconfig

import (
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strings"
)

const errNoHomeHint = "set HOME, or AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE"

// Home returns the user's home directory, from which awsenv finds ~/.aws
// and its caches: $HOME (%USERPROFILE% on Windows), else the home of the
// user in the password database, as botocore's os.path.expanduser does.
// It never returns a relative path: with HOME unset or relative, ".aws"
// would mean a folder of the working directory, where anyone can plant a
// config whose credential_process awsenv would run.
func Home() (string, error) {
	home, envErr := os.UserHomeDir()
	if envErr == nil && home != "" {
		if !filepath.IsAbs(home) {
			return "", fmt.Errorf("the home directory %q is not an absolute path: %s", home, errNoHomeHint)
		}
		return home, nil
	}
	u, err := user.Current()
	if err == nil && u.HomeDir != "" && filepath.IsAbs(u.HomeDir) {
		return u.HomeDir, nil
	}
	if err == nil {
		err = fmt.Errorf("the password database has no home directory for user %q", u.Username)
	}
	return "", fmt.Errorf("cannot find your home directory (%v; %v): %s", envErr, err, errNoHomeHint)
}

// SharedFiles returns the config and credentials file paths, honouring
// AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE (with ~ expanded). It
// fails only when a path needs the home directory and there is none.
func SharedFiles() (configFile, credentialsFile string, err error) {
	var home string
	homeFor := func(p string) (string, error) {
		if p != "" && p != "~" && !strings.HasPrefix(p, "~/") && !strings.HasPrefix(p, `~\`) {
			return p, nil
		}
		if home == "" {
			if home, err = Home(); err != nil {
				return "", err
			}
		}
		return expand(p, home), nil
	}
	cf, crf := os.Getenv("AWS_CONFIG_FILE"), os.Getenv("AWS_SHARED_CREDENTIALS_FILE")
	if cf == "" {
		cf = filepath.Join("~", ".aws", "config")
	}
	if crf == "" {
		crf = filepath.Join("~", ".aws", "credentials")
	}
	if configFile, err = homeFor(cf); err != nil {
		return "", "", err
	}
	if credentialsFile, err = homeFor(crf); err != nil {
		return "", "", err
	}
	return configFile, credentialsFile, nil
}

// Paths is SharedFiles without the error: a path it cannot find is "",
// which LoadFiles refuses. Prefer SharedFiles, which says why.
func Paths() (configFile, credentialsFile string) {
	cf, crf, err := SharedFiles()
	if err != nil {
		return "", ""
	}
	return cf, crf
}

func expand(p, home string) string {
	if p == "~" {
		return home
	}
	if strings.HasPrefix(p, "~/") || strings.HasPrefix(p, `~\`) {
		return filepath.Join(home, p[2:])
	}
	return p
}

var errNoPath = errors.New("no path for a shared file: " + errNoHomeHint)
