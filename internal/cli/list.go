package cli

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/awsenv/awsenv/internal/awsconfig"
	"github.com/awsenv/awsenv/internal/doctor"
	"github.com/awsenv/awsenv/internal/session"
	"github.com/awsenv/awsenv/internal/shell"
	"github.com/awsenv/awsenv/internal/tty"
)

// ListCmd shows every profile. It reads files only.
type ListCmd struct {
	JSON bool `name:"json" help:"Print a stable, machine-readable list."`
}

func (c *ListCmd) Run(app *App) error {
	cfg, err := awsconfig.Load()
	if err != nil {
		return fmt.Errorf("%w; fix the file, or run `awsenv doctor`", err)
	}
	now := time.Now()
	entries := listEntries(cfg, os.Getenv, now)
	if c.JSON {
		if entries == nil {
			entries = []listEntry{}
		}
		return doctor.WriteJSON(app.Stdout, struct {
			Version         int         `json:"version"`
			ConfigFile      string      `json:"config_file"`
			CredentialsFile string      `json:"credentials_file"`
			Profiles        []listEntry `json:"profiles"`
		}{1, cfg.ConfigFile, cfg.CredentialsFile, entries})
	}
	if len(entries) == 0 {
		fmt.Fprintf(app.Stderr, "awsenv: no profiles in %s or %s\n", cfg.ConfigFile, cfg.CredentialsFile)
		return nil
	}
	rows := make([][]string, 0, len(entries)+1)
	rows = append(rows, []string{"  PROFILE", "KIND", "REGION", "CHAIN", "MFA", "CACHED"})
	cell := tty.Cell
	for _, e := range entries {
		mark := "  "
		if e.Current {
			mark = "* "
		}
		chain := "-"
		if len(e.Chain) > 1 {
			chain = strings.Join(e.Chain, " > ")
		}
		if e.ChainError != "" {
			chain = "broken: see `" + shell.Cmd("doctor", "--profile", e.Name) + "`"
		}
		mfa := "-"
		if e.MFA {
			mfa = "yes"
		}
		var cached []string
		for _, ch := range e.Cached {
			cached = append(cached, ch.Cache+" "+session.Left(ch.Expires, now))
		}
		rows = append(rows, []string{mark + cell(e.Name), cell(e.Label), cell(orDash(e.Region)), cell(chain), mfa, cell(orDash(strings.Join(cached, ", ")))})
	}
	return tty.WriteTable(app.Stdout, rows)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
