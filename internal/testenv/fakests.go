package testenv

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// FakeSTS is an STS endpoint for what moto does not do: a clock that is
// off, and the errors AWS gives for expired or invalid keys (moto accepts
// any keys).
type FakeSTS struct {
	// Skew is added to the time in every answer's Date header.
	Skew time.Duration
	// Error, when set, is the code every call fails with, e.g. "ExpiredToken".
	Error   string
	Message string
}

// Start serves f on 127.0.0.1 until the test ends. Without Error,
// GetCallerIdentity answers with an IAM user and other actions with 404.
func (f FakeSTS) Start(t testing.TB) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", time.Now().Add(f.Skew).UTC().Format(http.TimeFormat))
		w.Header().Set("Content-Type", "text/xml")
		if f.Error != "" {
			msg := f.Message
			if msg == "" {
				msg = "The security token included in the request is expired"
			}
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, STSError(f.Error, msg))
			return
		}
		_ = r.ParseForm()
		if r.Form.Get("Action") != "GetCallerIdentity" {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		fmt.Fprint(w, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/alice</Arn><UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// STSError is the body of an STS error answer.
func STSError(code, message string) string {
	return `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>` +
		code + `</Code><Message>` + message + `</Message></Error><RequestId>1</RequestId></ErrorResponse>`
}
