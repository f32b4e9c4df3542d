package cli

import (
	"context"
	"fmt"
	"os"
	"os/signal"

	"github.com/awsenv/awsenv/internal/awsconfig"
	"github.com/awsenv/awsenv/internal/sso"
)

// LoginCmd signs in to IAM Identity Center without the AWS CLI. The login
// is cached in ~/.aws/sso/cache as the AWS CLI v2 caches it, so the CLI,
// the SDKs and awsenv share it.
type LoginCmd struct {
	Profile    string `arg:"" optional:"" help:"An SSO profile, or a role on top of one: its session is signed in to. Default: the only [sso-session] of the config file."`
	SSOSession string `name:"sso-session" placeholder:"NAME" help:"The [sso-session NAME] to sign in to."`
	DeviceCode bool   `name:"device-code" help:"Sign in with a code entered on any device (the default where no browser can be opened here)."`
	NoBrowser  bool   `name:"no-browser" help:"Print the URL (and the code) on stderr instead of opening a browser."`
}

func (c *LoginCmd) Run(app *App) error {
	cfg, err := awsconfig.Load()
	if err != nil {
		return fmt.Errorf("%w; fix the file, or run `awsenv doctor`", err)
	}
	t, err := chooseSSOSession(cfg, c.Profile, c.SSOSession)
	if err != nil {
		return err
	}
	opts := sso.LoginOptions{NoBrowser: c.NoBrowser}
	if c.DeviceCode {
		opts.Flow = sso.FlowDevice
	}
	// Ctrl-C while waiting for the browser closes the loopback listener
	// and writes nothing.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	return login(ctx, app, cfg, t, opts)
}
