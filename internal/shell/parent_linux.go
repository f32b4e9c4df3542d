package shell

import (
	"os"
	"strconv"
	"strings"
)

// parentName reads the parent's command name from /proc: no process is
// started, which keeps `awsenv use` and the prompt fast.
func parentName() string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(os.Getppid()) + "/comm")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}
