package server

// programName would be the name of process pid: FreeBSD keeps it in sysctl
// kern.proc.pid's kinfo_proc, which x/sys does not decode, and /proc is
// not mounted by default. The client then predicts without the program's
// name.
func programName(int) string { return "" }
