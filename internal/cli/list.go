package cli

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/awsenv/awsenv/internal/awsconfig"
	"github.com/awsenv/awsenv/internal/doctor"
	"github.com/awsenv/awsenv/internal/session"
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
	// tabwriter writes each cell on its own: buffered, 10,000 profiles are
	// one write, not hundreds of thousands.
	out := bufio.NewWriter(app.Stdout)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  PROFILE\tKIND\tREGION\tCHAIN\tMFA\tCACHED")
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
			chain = "broken: see `awsenv doctor --profile " + e.Name + "`"
		}
		mfa := "-"
		if e.MFA {
			mfa = "yes"
		}
		var cached []string
		for _, ch := range e.Cached {
			cached = append(cached, ch.Cache+" "+session.Left(ch.Expires, now))
		}
		c := tty.Cell
		io.WriteString(tw, mark+c(e.Name)+"\t"+c(e.Label)+"\t"+c(orDash(e.Region))+"\t"+c(chain)+"\t"+mfa+"\t"+c(orDash(strings.Join(cached, ", ")))+"\n")
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return out.Flush()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
