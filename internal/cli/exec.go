package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/awsenv/awsenv/internal/awsconfig"
	"github.com/awsenv/awsenv/internal/creds"
	"github.com/awsenv/awsenv/internal/credserver"
)

// ExecCmd runs a command with a profile's credentials in its environment.
type ExecCmd struct {
	Profile  string        `arg:"" help:"Profile name from ~/.aws/config or ~/.aws/credentials."`
	Command  []string      `arg:"" passthrough:"" help:"The command and its arguments, after --."`
	Server   bool          `help:"Serve the credentials to the command from a loopback endpoint that renews them before they expire, instead of setting keys that expire: for jobs that run longer than a session."`
	Region   string        `help:"Region to set instead of the profile's."`
	Duration time.Duration `help:"Session length, e.g. 1h or 90m. Default: the profile's duration_seconds, else 1h."`
	MFAToken string        `name:"mfa-token" help:"MFA code, instead of asking on the terminal."`
	Refresh  bool          `help:"Fetch new credentials even if cached ones are still valid."`
	// RefreshBefore is another margin than the server's default; like
	// the default, the server caps it at half the session.
	RefreshBefore time.Duration `name:"refresh-before" hidden:"" env:"AWSENV_SERVER_REFRESH_BEFORE" help:"With --server: renew this long before expiry instead of 20 minutes (at most half the session)."`
}

// Statuses of a command that could not be run, as in POSIX shells.
const (
	statusCannotRun = 126
	statusNotFound  = 127
)

func (c *ExecCmd) Run(app *App) error {
	// kong keeps the -- that ends awsenv's own flags.
	if len(c.Command) > 0 && c.Command[0] == "--" {
		c.Command = c.Command[1:]
	}
	if len(c.Command) == 0 {
		return UsageError("no command to run: awsenv exec %s -- COMMAND [ARGS...]", c.Profile)
	}
	path, err := exec.LookPath(c.Command[0])
	if err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return &exitError{code: statusNotFound, err: fmt.Errorf("%s: command not found", c.Command[0])}
		}
		return &exitError{code: statusCannotRun, err: err}
	}
	req := creds.Request{
		Profile:  c.Profile,
		Region:   c.Region,
		Duration: c.Duration,
		MFAToken: c.MFAToken,
		Refresh:  c.Refresh,
	}
	env := cleanEnviron(os.Environ())
	if !c.Server {
		cr, err := fetch(context.Background(), app, req)
		if err != nil {
			return err
		}
		vars, err := cr.Env()
		if err != nil {
			return err
		}
		for _, kv := range vars {
			env = setEnv(env, kv[0], kv[1])
		}
		// On Unix this replaces awsenv: the command gets the terminal,
		// every signal and the parent's wait status exactly as if the
		// shell had started it.
		return execCommand(path, c.Command, env)
	}
	return c.runServer(app, req, path, env)
}

// runServer runs the command as a child, with credentials served from a
// loopback endpoint for as long as it runs.
func (c *ExecCmd) runServer(app *App, req creds.Request, path string, env []string) error {
	cfg, err := awsconfig.Load()
	if err != nil {
		return fmt.Errorf("profile %q: %w; fix the file, or run `awsenv doctor`", req.Profile, err)
	}
	if _, err := cfg.Lookup(req.Profile); err != nil {
		return err
	}
	env, err = hideDefaultProfile(app, cfg, env)
	if err != nil {
		return err
	}

	var region string
	first := true
	source := func(ctx context.Context, refresh bool) (creds.Credentials, error) {
		r := req
		r.Refresh = r.Refresh || refresh
		if refresh {
			// A one-time code cannot be used twice: a renewal that needs
			// MFA asks on the terminal.
			r.MFAToken = ""
			// What this server cached an hour ago is not what it needs.
			r.Started = time.Now()
		}
		cr, err := fetch(context.Background(), app, r)
		if err == nil && first {
			// Start calls this once before it returns, and only then;
			// renewals come later from its own goroutine.
			region, first = cr.Region, false
		}
		return cr, err
	}
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	ep, err := credserver.Start(ctx, creds.ServerOptions{
		Profile:       req.Profile,
		Source:        source,
		RefreshBefore: c.RefreshBefore,
		Log:           app.Stderr,
	})
	if err != nil {
		return err
	}
	// No keys beside the endpoint, and no AWS_PROFILE: with a profile
	// named, the SDKs would resolve it themselves before asking the
	// endpoint.
	if region != "" {
		env = setEnv(env, creds.Region, region)
		env = setEnv(env, creds.DefaultRegion, region)
	}
	env = setEnv(env, creds.AwsenvProfile, req.Profile)
	env = setEnv(env, creds.ContainerFullURI, ep.URL)
	env = setEnv(env, creds.ContainerAuthToken, ep.Token)
	status, err := runChild(path, c.Command, env)
	if err != nil {
		return &exitError{code: statusCannotRun, err: err}
	}
	if status != 0 {
		return exitStatus(status)
	}
	return nil
}

// profileCredentialKeys give a profile credentials of its own.
var profileCredentialKeys = []string{
	"aws_access_key_id", "role_arn", "credential_process", "credential_source",
	"web_identity_token_file", "sso_session", "sso_start_url", "login_session",
}

// hideDefaultProfile keeps the default profile's credentials from the
// command. Every SDK and the CLI take them before a container endpoint
// (botocore's chain: environment, profile, ..., container), so a [default]
// with keys would silently run the job as someone else. Keys in the
// credentials file are hidden by pointing the command at an empty one;
// settings in the config file cannot be hidden without losing the rest of
// it, so they are an error.
func hideDefaultProfile(app *App, cfg *awsconfig.Config, env []string) ([]string, error) {
	p, ok := cfg.Profile("default")
	if !ok {
		return env, nil
	}
	inCredentials := false
	for _, k := range profileCredentialKeys {
		v, ok := p.Keys[k]
		if !ok || v.Value == "" {
			continue
		}
		if v.File != cfg.CredentialsFile {
			return nil, fmt.Errorf("profile \"default\" sets %s at %s, which AWS SDKs in the command would use instead of the credential server; move it from [default] to a named profile, or run `awsenv exec` without --server", k, v.Where())
		}
		inCredentials = true
	}
	if inCredentials {
		fmt.Fprintf(app.Stderr, "awsenv: the command gets AWS_SHARED_CREDENTIALS_FILE=%s, so that the [default] keys in %s do not take precedence over the credential server\n", os.DevNull, cfg.CredentialsFile)
		env = setEnv(env, "AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
	}
	return env, nil
}

// cleanEnviron removes every variable that could give the command other
// credentials or another profile than the one awsenv sets. A region the
// user exported stays unless the profile or --region sets one.
func cleanEnviron(env []string) []string {
	var drop []string
	drop = append(drop, creds.CredentialVars...)
	drop = append(drop, creds.StateVars...)
	drop = append(drop, creds.ForeignVars...)
	drop = append(drop, creds.ProviderVars...)
	keep := []string{creds.Region, creds.DefaultRegion}
	out := env[:0:0]
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		if slices.ContainsFunc(drop, func(d string) bool { return sameName(d, name) }) &&
			!slices.ContainsFunc(keep, func(k string) bool { return sameName(k, name) }) {
			continue
		}
		out = append(out, kv)
	}
	return out
}

// setEnv sets name in env, replacing an earlier value.
func setEnv(env []string, name, value string) []string {
	out := slices.DeleteFunc(env, func(kv string) bool {
		n, _, _ := strings.Cut(kv, "=")
		return sameName(n, name)
	})
	return append(out, name+"="+value)
}

// sameName compares variable names as the OS does.
func sameName(a, b string) bool {
	if runtime.GOOS == "windows" {
		return strings.EqualFold(a, b)
	}
	return a == b
}
