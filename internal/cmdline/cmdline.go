// Package cmdline is awsenv's command line grammar (kong), its Main and
// the completion scripts generated from it. Only the awsenv-sdk companion
// links it: building kong's model, and even linking kong, costs more at
// start-up than all of what the lean awsenv binary does at a prompt (see
// cli.Fast).
package cmdline

import (
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/alecthomas/kong"

	"github.com/awsenv/awsenv/internal/cli"
)

// CLI is the grammar.
type CLI struct {
	Timeout time.Duration    `help:"Give up on each network call after this long." default:"10s" env:"AWSENV_TIMEOUT"`
	Ver     kong.VersionFlag `name:"version" help:"Print the version and exit."`

	Use     cli.UseCmd     `cmd:"" help:"Print statements that set a profile's credentials in this shell."`
	Clear   cli.ClearCmd   `cmd:"" help:"Print statements that unset credential variables."`
	Export  cli.ExportCmd  `cmd:"" help:"Print a profile's credentials as env, dotenv, JSON or credential_process output."`
	Refresh cli.RefreshCmd `cmd:"" help:"Print statements that renew the credentials of AWSENV_PROFILE in this shell."`
	Hook    cli.HookCmd    `cmd:"" help:"Print the shell hook: awsenv use/clear/refresh change the shell, AWSENV_PROMPT, expiry warnings, auto-refresh."`
	Prompt  cli.PromptCmd  `cmd:"" help:"Print the prompt segment (profile and time left) for starship, powerlevel10k or scripts."`
	Exec    cli.ExecCmd    `cmd:"" help:"Run a command with a profile's credentials; --server renews them for long jobs."`
	Status  cli.StatusCmd  `cmd:"" help:"Show the credentials in this shell: profile, masked key, source, region, time left."`
	List    cli.ListCmd    `cmd:"" help:"List every profile with its kind, region, chain, MFA and cached sessions."`
	Doctor  cli.DoctorCmd  `cmd:"" help:"Find every cause of \"the security token included in the request is expired\"."`
	Version cli.VersionCmd `cmd:"" help:"Print the version."`

	Completion       CompletionCmd           `cmd:"" help:"Print the completion script for bash, zsh, fish or pwsh (see completions/)."`
	CompleteProfiles cli.CompleteProfilesCmd `cmd:"" name:"__complete-profiles" hidden:"" help:"Print profile names for completion scripts."`
}

// Main runs awsenv with args (without the program name) and returns the
// exit status.
func Main(args []string, backend cli.Backend) int {
	if code, ok := cli.Fast(args, backend); ok {
		return code
	}
	app := cli.NewApp(backend)
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
	return cli.ExitCode(app, ctx.Run(app))
}

// newParser builds kong's model of grammar, a *CLI or a part of one.
func newParser(grammar any, app *cli.App) (*kong.Kong, error) {
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
		kong.Vars{"shells": "bash,zsh,fish,pwsh,sh,powershell", "prompt_format": cli.DefaultPromptFormat, "version": "awsenv " + cli.Version},
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
