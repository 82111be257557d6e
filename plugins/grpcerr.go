package plugins

import (
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// isDeadline reports whether err is a gRPC deadline error.
func isDeadline(err error) bool {
	return status.Code(err) == codes.DeadlineExceeded
}
