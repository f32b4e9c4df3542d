package sso

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"

	"github.com/awsenv/awsenv/internal/ssocache"
)

// The device grant's polling (RFC 8628 section 3.5, as the AWS CLI does
// it): every interval seconds, 5 when the service names none, and 5 more
// after each slow_down.
const (
	defaultInterval = 5 * time.Second
	slowDownStep    = 5 * time.Second
)

// loginDevice is the device authorization grant: a code shown to the
// user, approved on any device, while this process polls for the token.
func (c *Client) loginDevice(ctx context.Context, opts LoginOptions) (*ssocache.Token, error) {
	reg, err := c.registration(ctx, false)
	if err != nil {
		return nil, err
	}
	cctx, cancel := context.WithTimeout(ctx, CallTimeout)
	auth, err := c.oidc.StartDeviceAuthorization(cctx, &ssooidc.StartDeviceAuthorizationInput{
		ClientId:     aws.String(reg.ClientID),
		ClientSecret: aws.String(reg.ClientSecret),
		StartUrl:     aws.String(c.opts.Session.StartURL),
	})
	cancel()
	if err != nil {
		return nil, callError("StartDeviceAuthorization", err, reg.ClientSecret)
	}
	deviceCode := aws.ToString(auth.DeviceCode)
	if deviceCode == "" {
		return nil, &APIError{Op: "StartDeviceAuthorization", Message: "the answer holds no device code"}
	}
	if auth.ExpiresIn > 0 {
		var stop context.CancelFunc
		ctx, stop = context.WithTimeout(ctx, time.Duration(auth.ExpiresIn)*time.Second)
		defer stop()
	}
	interval := defaultInterval
	if auth.Interval > 0 {
		interval = time.Duration(auth.Interval) * time.Second
	}
	shown := false
	for {
		start := c.opts.Now()
		cctx, cancel := context.WithTimeout(ctx, CallTimeout)
		out, err := c.oidc.CreateToken(cctx, &ssooidc.CreateTokenInput{
			ClientId:     aws.String(reg.ClientID),
			ClientSecret: aws.String(reg.ClientSecret),
			GrantType:    aws.String("urn:ietf:params:oauth:grant-type:device_code"),
			DeviceCode:   aws.String(deviceCode),
		})
		cancel()
		if err == nil {
			return c.newToken(reg, out, start)
		}
		err = callError("CreateToken", err, reg.ClientSecret, deviceCode)
		switch code(err) {
		case "AuthorizationPendingException":
		case "SlowDownException":
			interval += slowDownStep
		case "ExpiredTokenException":
			return nil, errors.New("the sign-in request expired before it was approved; log in again")
		case "AccessDeniedException":
			return nil, errors.New("the sign-in request was denied")
		default:
			return nil, err
		}
		// As the CLI does, the code is shown only after a first try: a
		// client that is already authorised needs no user.
		if !shown {
			shown = true
			c.showDeviceCode(opts, printable(aws.ToString(auth.VerificationUri)), printable(aws.ToString(auth.VerificationUriComplete)), printable(aws.ToString(auth.UserCode)))
		}
		if err := c.opts.Sleep(ctx, interval); err != nil {
			return nil, err
		}
	}
}

func (c *Client) showDeviceCode(opts LoginOptions, uri, complete, userCode string) {
	if opts.NoBrowser {
		fmt.Fprintf(opts.Out, "To sign in to %s, open this URL on any device:\n\n%s\n\nand enter the code:\n\n%s\n\n", c.opts.Session.Label(), uri, userCode)
		if complete != "" {
			fmt.Fprintf(opts.Out, "Or open this URL, which fills in the code:\n\n%s\n\n", complete)
		}
		return
	}
	fmt.Fprintf(opts.Out, "Opening the sign-in page of %s in your browser.\nIf it does not open, or to use another device, open:\n\n%s\n\nand enter the code:\n\n%s\n\n", c.opts.Session.Label(), uri, userCode)
	target := complete
	if target == "" {
		target = uri
	}
	if err := opts.OpenBrowser(target); err != nil {
		fmt.Fprintf(opts.Out, "Could not open a browser (%v); open the URL above yourself.\n", err)
	}
}

// printable drops control characters from what the service sent before
// it reaches the terminal: a URL or code is never an escape sequence.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f || r >= 0x80 && r < 0xa0 {
			return -1
		}
		return r
	}, s)
}
