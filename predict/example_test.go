package predict_test

import (
	"fmt"
	"time"

	"github.com/goshterm/gosh/predict"
	"github.com/goshterm/gosh/vt"
)

// The client's event loop drives the engine: keys go to NewUserInput with
// the number of the client state that carries them, every server frame to
// SetPane and Cull with its echo ack, and the screen is drawn from Apply.
// Between events the loop sleeps at most WaitTime.
func Example() {
	mode, err := predict.ParseMode("always") // --predict / MOSH_PREDICTION_DISPLAY
	if err != nil {
		panic(err)
	}
	e := predict.New(predict.Config{Mode: mode})
	e.SetSendInterval(250 * time.Millisecond) // from the transport, on every change

	replica := vt.NewScreen(20, 2) // the newest server frame
	replica.WriteString("$ ")
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	show := func() {
		out := e.Apply(replica)
		line, _ := rowsOf(out)
		fmt.Printf("%q cursor %d\n", line[0], out.Cursor().X)
	}

	e.NewUserInput(now, []byte("e"), 1, replica) // the first key waits for its echo
	show()

	now = now.Add(500 * time.Millisecond) // the echo arrives, with echo ack 1
	replica.WriteString("e")
	e.SetPane(predict.PaneFacts{}) // a stock mosh-server sends none
	e.Cull(now, replica, 1)
	show()

	e.NewUserInput(now, []byte("cho"), 2, replica) // the epoch is confirmed: shown at once
	show()
	fmt.Println("wake in", e.WaitTime(now))
	// Output:
	// "$" cursor 2
	// "$ e" cursor 3
	// "$ echo" cursor 6
	// wake in 50ms
}
