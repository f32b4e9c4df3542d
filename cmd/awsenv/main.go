// Command awsenv assumes AWS roles in your shell. This binary links neither
// the AWS SDK nor the command line library, so that what shells run at
// every prompt and start begins about as fast as an empty Go program. It
// answers the plain forms of its fast commands itself (cli.Fast) and hands
// every other command line to its companion, awsenv-sdk.
package main

import (
	"fmt"
	"os"

	"github.com/awsenv/awsenv/internal/cli"
)

func main() {
	if code, ok := cli.Fast(os.Args[1:], nil); ok {
		os.Exit(code)
	}
	err := cli.Delegate() // returns only if the companion could not be run
	fmt.Fprintf(os.Stderr, "awsenv: %v\n", err)
	os.Exit(1)
}
