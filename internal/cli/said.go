package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/awsenv/awsenv/internal/creds"
	"github.com/awsenv/awsenv/internal/session"
)

// Quiet silences the line that says what use and refresh did.
type Quiet struct {
	Quiet bool `help:"Say nothing on success (AWSENV_QUIET=1 too)." env:"AWSENV_QUIET"`
}

// sayWhatHappened tells the person at the terminal, in one line on
// stderr, whom the shell now acts as and until when:
//
//	awsenv: project1 → 123456789012 Prod-Role (eu-west-1), expires 10:42 (59m)
//
// or, after a refresh, "awsenv: refreshed project1 → ...".
func sayWhatHappened(app *App, q Quiet, verb string, cr creds.Credentials) {
	if q.Quiet || !app.StderrTTY {
		return
	}
	fmt.Fprintln(app.Stderr, summary(verb, cr, clock()))
}

func summary(verb string, cr creds.Credentials, now time.Time) string {
	var who []string
	for _, s := range []string{cr.Account, cr.Role} {
		if s != "" {
			who = append(who, s)
		}
	}
	if len(who) == 0 {
		who = []string{"the profile's keys"}
	}
	line := "awsenv: " + verb + cr.Profile + " → " + strings.Join(who, " ")
	if cr.Region != "" {
		line += " (" + cr.Region + ")"
	}
	if cr.Expires.IsZero() {
		return line + ", long-term keys that do not expire"
	}
	return line + fmt.Sprintf(", expires %s (%s)", cr.Expires.Local().Format("15:04"), session.FormatLeft(session.SecondsLeft(cr.Expires, now)))
}
