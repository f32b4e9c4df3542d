// Package cli is awsenv's command line: one file per command, as in
// aws-vault's cli package. It links no AWS SDK code, so that the commands
// a shell runs at every prompt start as fast as an empty Go program; the
// work that needs the SDK goes through a Backend.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"
	"time"

	"github.com/alecthomas/kong"
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

// Backend returns the AWS backend. In the lean `awsenv` binary there is
// none linked: this call hands the whole command line to the companion
// binary, which has it, and does not return unless that fails.
func (a *App) Backend() (Backend, error) {
	if a.backend != nil {
		return a.backend, nil
	}
	return nil, delegate()
}

// CLI is the grammar.
type CLI struct {
	Timeout time.Duration    `help:"Give up on each network call after this long." default:"10s" env:"AWSENV_TIMEOUT"`
	Ver     kong.VersionFlag `name:"version" help:"Print the version and exit."`

	Use     UseCmd     `cmd:"" help:"Print statements that set a profile's credentials in this shell."`
	Clear   ClearCmd   `cmd:"" help:"Print statements that unset credential variables."`
	Export  ExportCmd  `cmd:"" help:"Print a profile's credentials as env, dotenv, JSON or credential_process output."`
	Refresh RefreshCmd `cmd:"" help:"Print statements that renew the credentials of AWSENV_PROFILE in this shell."`
	Hook    HookCmd    `cmd:"" help:"Print the shell hook: awsenv use/clear/refresh change the shell, AWSENV_PROMPT, expiry warnings, auto-refresh."`
	Prompt  PromptCmd  `cmd:"" help:"Print the prompt segment (profile and time left) for starship, powerlevel10k or scripts."`
	Exec    ExecCmd    `cmd:"" help:"Run a command with a profile's credentials; --server renews them for long jobs."`
	Status  StatusCmd  `cmd:"" help:"Show the credentials in this shell: profile, masked key, source, region, time left."`
	List    ListCmd    `cmd:"" help:"List every profile with its kind, region, chain, MFA and cached sessions."`
	Doctor  DoctorCmd  `cmd:"" help:"Find every cause of \"the security token included in the request is expired\"."`
	Version VersionCmd `cmd:"" help:"Print the version."`

	Completion       CompletionCmd       `cmd:"" help:"Print the completion script for bash, zsh, fish or pwsh (see completions/)."`
	CompleteProfiles CompleteProfilesCmd `cmd:"" name:"__complete-profiles" hidden:"" help:"Print profile names for completion scripts."`
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

func usageError(format string, args ...any) error {
	return &exitError{code: 2, err: fmt.Errorf(format, args...)}
}

// Main runs awsenv with args (without the program name) and returns the
// exit status. backend is nil in the lean binary.
func Main(args []string, backend Backend) int {
	if len(args) > 0 && args[0] == "prompt-hook" {
		return promptHook(args[1:], os.Stdout, os.Stderr)
	}
	app := &App{
		Stdout:    os.Stdout,
		Stderr:    os.Stderr,
		StdoutTTY: isatty.IsTerminal(os.Stdout.Fd()) || isatty.IsCygwinTerminal(os.Stdout.Fd()),
		StderrTTY: isatty.IsTerminal(os.Stderr.Fd()) || isatty.IsCygwinTerminal(os.Stderr.Fd()),
		backend:   backend,
	}
	if cmd, ok := fastCommand(args); ok {
		return exitCode(app, cmd.Run(app))
	}
	if len(args) == 0 {
		args = []string{"--help"} // a bare `awsenv` is a request for help
	}
	grammar := grammarFor(args)
	parser, err := newParser(grammar, app)
	if err != nil {
		fmt.Fprintf(app.Stderr, "awsenv: internal error: %v\n", err)
		return 1
	}
	ctx, err := parser.Parse(args)
	if err != nil {
		fmt.Fprintf(app.Stderr, "awsenv: %v\n", err)
		fmt.Fprintln(app.Stderr, "Run `awsenv --help` for usage.")
		return 2
	}
	app.Timeout = reflect.ValueOf(grammar).Elem().FieldByName("Timeout").Interface().(time.Duration)
	return exitCode(app, ctx.Run(app))
}

// exitCode reports err, if any, and returns the exit status for it.
func exitCode(app *App, err error) int {
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

// runner is a parsed command.
type runner interface{ Run(*App) error }

// fastCommand parses the command lines shells run at every prompt and at
// every start by hand: kong's model, even of one command (see grammarFor),
// costs more than the rest of them, and they must start about as fast as
// an empty Go program. Only plain forms are taken; anything else goes to
// kong.
func fastCommand(args []string) (runner, bool) {
	for _, parse := range []func([]string) (runner, bool){promptFast, hookFast} {
		if cmd, ok := parse(args); ok {
			return cmd, true
		}
	}
	return nil, false
}

// newParser builds kong's model of grammar, a *CLI or a part of one.
func newParser(grammar any, app *App) (*kong.Kong, error) {
	// Help on stdout would be evaluated by `eval "$(awsenv use --help)"`:
	// it goes there only when a person is reading stdout.
	helpOut := app.Stderr
	if app.StdoutTTY {
		helpOut = app.Stdout
	}
	return kong.New(grammar,
		kong.Name("awsenv"),
		kong.Description("Assume AWS roles in your shell and never meet an expired token by surprise."),
		kong.Writers(helpOut, app.Stderr),
		kong.UsageOnError(),
		kong.ConfigureHelp(kong.HelpOptions{Compact: true}),
		kong.Vars{"shells": "bash,zsh,fish,pwsh,sh,powershell", "prompt_format": DefaultPromptFormat, "version": "awsenv " + Version},
	)
}

// grammarFor returns the grammar to parse args with. kong reads the tags
// of every command and flag when it builds its model, which costs more
// than all the rest of `awsenv hook` or a cached `awsenv use`; so when
// args start with a command's name, the grammar holds the global flags and
// that command only. Anything else (no command, a global flag first, a
// mistyped command, top-level help) gets the whole of CLI.
func grammarFor(args []string) any {
	full := reflect.TypeOf(CLI{})
	if len(args) == 0 {
		return &CLI{}
	}
	var fields []reflect.StructField
	found := false
	for i := 0; i < full.NumField(); i++ {
		f := full.Field(i)
		if _, isCommand := f.Tag.Lookup("cmd"); !isCommand {
			fields = append(fields, f)
			continue
		}
		name := f.Tag.Get("name")
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		if name == args[0] {
			fields = append(fields, f)
			found = true
		}
	}
	if !found {
		return &CLI{}
	}
	return reflect.New(reflect.StructOf(fields)).Interface()
}
