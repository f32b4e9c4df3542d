// Command awsenv assumes AWS roles in your shell. This binary links no AWS
// SDK code so that it starts fast; it hands work that needs the SDK to its
// companion, awsenv-sdk.
package main

import (
	"os"

	"github.com/awsenv/awsenv/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], nil))
}
