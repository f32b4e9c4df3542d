package cli

import (
	"bufio"

	"github.com/awsenv/awsenv/internal/awsconfig"
)

// CompleteProfilesCmd prints the profile names, one a line, for the
// completion scripts. It reads the files on every call, so a profile added
// a moment ago completes; it runs on every Tab.
type CompleteProfilesCmd struct{}

func (CompleteProfilesCmd) Run(app *App) error {
	cfg, err := awsconfig.Load()
	if err != nil {
		// A Tab is no place for an error message: complete nothing.
		return nil
	}
	w := bufio.NewWriter(app.Stdout)
	for _, name := range cfg.Profiles() {
		w.WriteString(name + "\n")
	}
	return w.Flush()
}
