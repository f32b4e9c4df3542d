// Command stsclient is an application of the AWS SDK for Go v2 as users
// write one: the default configuration and credential chain, and one call,
// sts get-caller-identity, whose ARN it prints as {"Arn": "..."}. The
// end-to-end tests run it as a real client next to the AWS CLI, boto3, the
// JavaScript SDK and terraform.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "stsclient: loading the configuration:", err)
		os.Exit(1)
	}
	out, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "stsclient:", err)
		os.Exit(1)
	}
	json.NewEncoder(os.Stdout).Encode(struct{ Arn string }{*out.Arn})
}
