package cli

import (
	"cmp"
	"errors"
	"fmt"
	"strings"

	"github.com/awsenv/awsenv/internal/awsconfig"
	"github.com/awsenv/awsenv/internal/picker"
	"github.com/awsenv/awsenv/internal/tty"
)

// pickProfile asks the person at the terminal which profile `awsenv use`
// is for. Without a terminal it lists the profiles on stderr and is a
// usage error; Esc ends awsenv with status 1 and nothing on stdout.
func pickProfile(app *App) (string, error) {
	cfg, err := awsconfig.Load()
	if err != nil {
		return "", fmt.Errorf("%w; fix the file, or run `awsenv doctor`", err)
	}
	items := pickItems(cfg)
	if len(items) == 0 {
		return "", UsageError("no profiles in %s or %s: add one, or see `awsenv sso profiles` for every SSO account", cfg.ConfigFile, cfg.CredentialsFile)
	}
	it, err := picker.Pick(items, picker.Options{})
	switch {
	case errors.Is(err, picker.ErrCancelled):
		return "", exitStatus(1)
	case errors.Is(err, tty.ErrNoTerminal):
		names := make([]string, len(items))
		for i, it := range items {
			names[i] = "  " + tty.Printable(it.Profile)
		}
		return "", UsageError("no profile given, and no terminal to pick one on: awsenv use PROFILE; the profiles are\n%s", strings.Join(names, "\n"))
	case err != nil:
		return "", err
	}
	return it.Profile, nil
}

// pickItems are the profiles to pick from, with what the picker searches:
// the account and role of each, and the SSO account's name where `awsenv
// sso profiles` wrote it.
func pickItems(cfg *awsconfig.Config) []picker.Item {
	var items []picker.Item
	for _, name := range cfg.Profiles() {
		p, _ := cfg.Profile(name)
		kind, label := awsconfig.KindOf(p)
		it := picker.Item{
			Profile:    name,
			Account:    cmp.Or(p.Get("sso_account_id"), awsconfig.ARNAccount(p.Get("role_arn"))),
			Role:       cmp.Or(p.Get("role_arn"), p.Get("sso_role_name")),
			SSOAccount: p.Get("sso_account_name"),
			Region:     p.Get("region"),
			Kind:       string(kind),
		}
		if it.Role == "" {
			it.Kind = label
		}
		items = append(items, it)
	}
	return items
}
