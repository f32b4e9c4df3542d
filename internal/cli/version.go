package cli

import "fmt"

// VersionCmd prints the version.
type VersionCmd struct{}

func (VersionCmd) Run(app *App) error {
	_, err := fmt.Fprintf(app.Stdout, "awsenv %s\n", Version)
	return err
}
