// Package cli is awsenv's command line: the grammar (kong), Main, and the
// commands, one file per command with its flags beside its Run, as in
// aws-vault's cli package.
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/alecthomas/kong"
	"github.com/mattn/go-isatty"

	"github.com/awsenv/awsenv/internal/shell"
	"github.com/awsenv/awsenv/internal/tty"
)

// Version is set at build time with -ldflags "-X .../cli.Version=v1.2.3".
var Version = "dev"

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
	Login   LoginCmd   `cmd:"" help:"Sign in to IAM Identity Center (SSO) in the browser, or with a code on any device."`
	Logout  LogoutCmd  `cmd:"" help:"Sign out of an SSO session: remove its cached login and the role credentials cached from it."`
	SSO     SSOCmd     `cmd:"" name:"sso" help:"IAM Identity Center: write a profile for every account and role you can reach."`
	Version VersionCmd `cmd:"" help:"Print the version."`

	Completion       CompletionCmd       `cmd:"" help:"Print the completion script for bash, zsh, fish or pwsh (see completions/)."`
	CompleteProfiles CompleteProfilesCmd `cmd:"" name:"__complete-profiles" hidden:"" help:"Print profile names for completion scripts."`
}

// App is what every command's Run receives.
type App struct {
	Stdout    io.Writer
	Stderr    io.Writer
	StdoutTTY bool
	StderrTTY bool
	Timeout   time.Duration
	// Ask asks the person at the terminal a question (tty.Ask): the
	// offer of a login when an SSO session is over.
	Ask func(prompt string) (string, error)
}

// NewApp returns the App of this process: its stdout and stderr, and
// whether they are terminals.
func NewApp() *App {
	return &App{
		Stdout:    os.Stdout,
		Stderr:    os.Stderr,
		StdoutTTY: isTerminal(os.Stdout),
		StderrTTY: isTerminal(os.Stderr),
		Ask:       tty.Ask,
	}
}

func isTerminal(f *os.File) bool {
	return isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
}

// started is when this awsenv began, for creds.Request.Started.
var started = time.Now()

// promptHookCommand is what awsenv's fish hook runs before a prompt; see
// promptHook.
const promptHookCommand = "prompt-hook"

// Main runs awsenv with args (without the program name) and returns the
// exit status.
func Main(args []string) int {
	// awsenv lives for milliseconds, and most of what it allocates lives
	// as long (the shared files, read once): collecting less often costs
	// a few MiB and saves a fifth of a 10,000-profile list. exec --server,
	// which runs longer, allocates little.
	debug.SetGCPercent(400)
	// The fish hook's per-prompt step is a protocol between awsenv and its
	// own script, not a command line a person types: it is answered before
	// kong builds its model.
	if len(args) > 0 && args[0] == promptHookCommand {
		return promptHook(args[1:], os.Stdout, os.Stderr)
	}
	return run(NewApp(), args)
}

func run(app *App, args []string) int {
	if len(args) == 0 {
		args = []string{"--help"} // a bare `awsenv` is a request for help
	}
	grammar := grammarFor(args)
	parser, err := newParser(grammar, app, evaluated(args))
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
	return ExitCode(app, ctx.Run(app))
}

// grammarFor returns the grammar to parse args with. Building kong's model
// reads the tags of every command and flag, which costs more than all the
// rest of `awsenv prompt`, `hook` or a cached `use` (a few milliseconds at
// every start); so when args start with a command's name, the grammar is
// the global flags and that command alone. Anything else (no command, a
// global flag first, a mistyped command, top-level help) gets all of CLI.
// Either way kong parses the command line, the same way.
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

// evalCommands are the commands whose stdout a shell evaluates.
var evalCommands = []string{"use", "clear", "refresh", "hook"}

// evaluated reports whether args name a command whose stdout is
// evaluated: the first word that is not a flag or a global flag's value.
func evaluated(args []string) bool {
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "--timeout":
			i++
		case strings.HasPrefix(a, "-"):
		default:
			return slices.Contains(evalCommands, a)
		}
	}
	return false
}

// newParser builds kong's model of grammar.
func newParser(grammar any, app *App, evaluated bool) (*kong.Kong, error) {
	// Help is output, so it goes to stdout, where `awsenv --help | grep`
	// finds it; but `eval "$(awsenv use --help)"` would run it, so for the
	// evaluated commands it goes there only when a person reads stdout.
	helpOut := app.Stdout
	if evaluated && !app.StdoutTTY {
		helpOut = app.Stderr
	}
	return kong.New(grammar,
		kong.Name("awsenv"),
		kong.Description("Assume AWS roles in your shell and never meet an expired token by surprise."),
		kong.Writers(helpOut, app.Stderr),
		kong.UsageOnError(),
		kong.ConfigureHelp(kong.HelpOptions{Compact: true}),
		kong.Vars{"shells": strings.Join(shell.Names(), ", "), "prompt_format": DefaultPromptFormat, "version": "awsenv " + Version},
	)
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
	// An error can quote a name or value from the files.
	fmt.Fprintf(app.Stderr, "awsenv: %s\n", tty.Printable(err.Error()))
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return 1
}
