// Package cli holds awsenv's commands, one file per command as in
// aws-vault's cli package, and the fast paths of the lean awsenv binary.
// It links neither the AWS SDK nor the command line library: the grammar
// is in package cmdline, which only the awsenv-sdk companion links, so
// that the commands a shell runs at every prompt and start begin as fast
// as an empty Go program. Work that needs the SDK goes through a Backend.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/mattn/go-isatty"

	"github.com/awsenv/awsenv/internal/awsconfig"
	"github.com/awsenv/awsenv/internal/creds"
	"github.com/awsenv/awsenv/internal/inspect"
)

// Version is set at build time with -ldflags "-X .../cli.Version=v1.2.3".
var Version = "dev"

// Backend is the part of awsenv that talks to AWS.
type Backend interface {
	Resolve(ctx context.Context, cfg *awsconfig.Config, req creds.Request) (creds.Credentials, error)
	// ServeCredentials starts the loopback credential endpoint of
	// `exec --server`; it runs until ctx is done.
	ServeCredentials(ctx context.Context, opts creds.ServerOptions) (creds.Endpoint, error)
	// Doctor runs every check of `awsenv doctor`, network ones included.
	Doctor(ctx context.Context, opts inspect.DoctorOptions) (inspect.Report, error)
	// Identity asks STS who the credentials are (`awsenv status --verify`).
	Identity(ctx context.Context, cfg *awsconfig.Config, req inspect.IdentityRequest) (inspect.Identity, error)
}

// App is what every command's Run receives.
type App struct {
	Stdout    io.Writer
	Stderr    io.Writer
	StdoutTTY bool
	StderrTTY bool
	Timeout   time.Duration

	backend Backend
}

// NewApp returns the App of this process: its stdout and stderr, and
// whether they are terminals. backend is nil in the lean binary.
func NewApp(backend Backend) *App {
	return &App{
		Stdout:    os.Stdout,
		Stderr:    os.Stderr,
		StdoutTTY: isatty.IsTerminal(os.Stdout.Fd()) || isatty.IsCygwinTerminal(os.Stdout.Fd()),
		StderrTTY: isatty.IsTerminal(os.Stderr.Fd()) || isatty.IsCygwinTerminal(os.Stderr.Fd()),
		backend:   backend,
	}
}

// Backend returns the AWS backend. In the lean `awsenv` binary there is
// none linked: this call hands the whole command line to the companion
// binary, which has it, and does not return unless that fails.
func (a *App) Backend() (Backend, error) {
	if a.backend != nil {
		return a.backend, nil
	}
	return nil, Delegate()
}

// exitError carries an exit status other than 1.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// exitStatus ends awsenv with a status and no message: a command's own
// (exec), or a report's (doctor) that has already said why.
type exitStatus int

func (e exitStatus) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// UsageError is an error of the command line: exit status 2.
func UsageError(format string, args ...any) error {
	return &exitError{code: 2, err: fmt.Errorf(format, args...)}
}

// ExitCode reports err, if any, on app.Stderr and returns the exit
// status for it.
func ExitCode(app *App, err error) int {
	if err == nil {
		return 0
	}
	var st exitStatus
	if errors.As(err, &st) {
		return int(st) // a command's own status: it has spoken for itself
	}
	fmt.Fprintf(app.Stderr, "awsenv: %v\n", err)
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return 1
}
