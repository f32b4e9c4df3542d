// Command awsenv-sdk is awsenv with the AWS SDK linked in. awsenv runs it
// for the commands that talk to AWS; it is not meant to be run by hand,
// though it accepts the same command line.
package main

import (
	"os"

	"github.com/awsenv/awsenv/internal/cmdline"
	"github.com/awsenv/awsenv/internal/credserver"
	"github.com/awsenv/awsenv/internal/doctor"
	"github.com/awsenv/awsenv/internal/resolve"
)

// backend joins the SDK-backed parts of awsenv, one package each, into the
// one cli.Backend the commands use.
type backend struct {
	resolve.Backend
	credserver.Server
	doctor.Checker
}

func main() {
	os.Exit(cmdline.Main(os.Args[1:], backend{}))
}
