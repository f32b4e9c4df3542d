// Command awsenv assumes AWS roles in your shell and keeps their
// credentials from expiring by surprise.
package main

import (
	"os"

	"github.com/awsenv/awsenv/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:]))
}
