package shell

import (
	"os"

	"golang.org/x/sys/unix"
)

// parentName asks the kernel for the parent's command name: no ps(1).
func parentName() string {
	kp, err := unix.SysctlKinfoProc("kern.proc.pid", os.Getppid())
	if err != nil {
		return ""
	}
	return unix.ByteSliceToString(kp.Proc.P_comm[:])
}
