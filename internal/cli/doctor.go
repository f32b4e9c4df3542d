package cli

import (
	"context"
	"os"
	"time"

	"github.com/awsenv/awsenv/internal/doctor"
	"github.com/awsenv/awsenv/internal/tty"
)

// DoctorCmd runs every check for the causes of expired-token errors.
type DoctorCmd struct {
	Profile  string        `help:"Profile to check. Default: AWS_PROFILE, else default."`
	Fix      bool          `help:"Delete expired cache entries (keeping valid ones) and chmod 600 shared files that others can read."`
	JSON     bool          `name:"json" help:"Print a stable, machine-readable report."`
	Duration time.Duration `help:"A session length to check against STS's limits, e.g. 2h."`
}

func (c *DoctorCmd) Run(app *App) error {
	rep := doctor.Run(context.Background(), doctor.Options{
		Profile: c.Profile, Fix: c.Fix, Duration: c.Duration, Timeout: app.Timeout,
	})
	var err error
	if c.JSON {
		err = rep.WriteJSON(app.Stdout)
	} else {
		err = rep.WriteText(app.Stdout, outputStyle(app))
	}
	if err != nil {
		return err
	}
	if rep.Failed() {
		return exitStatus(1) // the report has said why
	}
	return nil
}

// outputStyle is symbols and colour for a person at a terminal, plain words for
// pipes and for those who set NO_COLOR (or TERM=dumb).
func outputStyle(app *App) doctor.Style {
	return doctor.Style{Terminal: app.StdoutTTY && tty.ColorAllowed(os.Getenv)}
}
